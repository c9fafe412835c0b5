package linkage

import (
	"context"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"tumen"
	"tumen/approx"
	"tumen/exchange"
	"tumen/names"
	"tumen/vocab"
)

// Record is one person record to link: a row of a person list, or a person
// of the store with the repatriation they are documented for.
type Record struct {
	ID            string
	Source        string // the documenting organisation
	Names         []string
	BirthDate     approx.Date
	Sex           tumen.Sex
	Origin        string // home county, as written
	OriginPlaceID string // the home county's gazetteer id, when already known
	EventDate     approx.Date
	EventPlace    string // where the repatriation happened, as written
	EventPlaceID  string // its gazetteer id, when already known
}

// Persons is a set of person records prepared for linkage: every name
// parsed once, places resolved in the gazetteer, dates turned into day
// ranges, so that comparing two records allocates nothing. Add records,
// call Prepare, then hand it to Link.
type Persons struct {
	places *places

	ids     []string
	recs    []person
	nameOff []int32 // names of record i: nameIdx[nameOff[i]:nameOff[i+1]]
	nameIdx []int32 // into names

	nameID  map[string]int32
	text    []string // distinct names, until Prepare
	sources map[string]int32

	// Per distinct name, after Prepare.
	names  []nameInfo
	keys   [][]uint64 // blocking keys: South Hangul readings, the likeliest few
	masked [][]uint64 // the same with one syllable left out, for typos
}

// person is what the comparisons read of one record, kept together: at a
// million records nothing fits in the processor's caches any more, and a
// pair's second record is anywhere in memory, so fields in separate arrays
// would cost a memory access each; together they cost about one.
type person struct {
	birth, event dayRange
	name         int32 // the first name; -1 for none
	nnames       int32
	origin       int32 // resolved place, -1 unknown
	evPlace      int32
	source       int32 // -1 unknown
	evMonth      int32 // YYYYMM of an event known to the month or day, else 0
	sex          uint8 // 0 unknown, 1 female, 2 male
	birthOK      bool  // birth known to the month or better
	eventOK      bool
	pinyin       bool // a name may be pinyin (set by Prepare)
}

// nameInfo is what the comparisons read of one distinct name, kept
// together for the same reason.
type nameInfo struct {
	parsed *names.Parsed
	py     pinyinName // the name read as pinyin, when it can be
	hangul []rune     // South Hangul syllables, family name first (a romanization's likeliest reading)
	tf     float64    // share of records with this name
	pinyin bool       // could be pinyin, which the names package reads poorly
	folded string     // for pinyin: lower-case letters only
}

// maxNameKeys is how many readings of one name the blocking keys keep: a
// romanized name may have dozens, of which the few that other records also
// have are the ones that matter.
const maxNameKeys = 4

// NewPersons returns an empty set that resolves places in gaz (which may
// be nil: places are then compared as text).
func NewPersons(gaz *vocab.Data) *Persons {
	return &Persons{places: newPlaces(gaz), nameOff: []int32{0}, nameID: map[string]int32{}, sources: map[string]int32{}}
}

// Add appends a record; its index is the number of records added before.
func (p *Persons) Add(r *Record) {
	p.ids = append(p.ids, r.ID)
	rec := person{name: -1, nnames: int32(len(r.Names)), source: -1}
	for k, n := range r.Names {
		id, ok := p.nameID[n]
		if !ok {
			id = int32(len(p.text))
			p.nameID[n] = id
			p.text = append(p.text, n)
		}
		p.nameIdx = append(p.nameIdx, id)
		if k == 0 {
			rec.name = id
		}
	}
	p.nameOff = append(p.nameOff, int32(len(p.nameIdx)))
	rec.birth = rangeOf(r.BirthDate)
	rec.birthOK = rec.birth.lo != 0 && rec.birth.hi-rec.birth.lo <= 31
	switch r.Sex {
	case tumen.SexFemale:
		rec.sex = 1
	case tumen.SexMale:
		rec.sex = 2
	}
	rec.origin = p.places.resolve(r.OriginPlaceID, r.Origin)
	rec.event = rangeOf(r.EventDate)
	rec.eventOK = rec.event.lo != 0 && rec.event.hi-rec.event.lo <= 31
	if lo, hi := r.EventDate.Bounds(); lo != 0 && lo/100 == hi/100 {
		rec.evMonth = int32(lo / 100)
	}
	rec.evPlace = p.places.resolve(r.EventPlaceID, r.EventPlace)
	if r.Source != "" {
		var ok bool
		if rec.source, ok = p.sources[r.Source]; !ok {
			rec.source = int32(len(p.sources))
			p.sources[r.Source] = rec.source
		}
	}
	p.recs = append(p.recs, rec)
}

// Len returns the number of records.
func (p *Persons) Len() int { return len(p.ids) }

// ID returns the id of record i.
func (p *Persons) ID(i int) string { return p.ids[i] }

// DistinctNames returns how many different name strings the records hold.
func (p *Persons) DistinctNames() int { return len(p.names) + len(p.text) }

// Prepare parses every distinct name (in parallel), computes blocking keys
// and term frequencies. It must be called once, after the last Add.
func (p *Persons) Prepare(ctx context.Context, workers int) error {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	nn := len(p.text)
	p.names = make([]nameInfo, nn)
	all := make([][]string, nn)
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				c := int(next.Add(1)-1) * 256
				if c >= nn || ctx.Err() != nil {
					return
				}
				for i := c; i < min(nn, c+256); i++ {
					ni := &p.names[i]
					ni.parsed = names.Parse(p.text[i])
					all[i] = ni.parsed.Keys()
					ni.pinyin = !names.IsHangul(p.text[i]) && names.HangulFromPinyin(p.text[i]) != nil
				}
			}
		}()
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return err
	}
	// How many records have each reading: the readings other records share
	// are the likely ones, and the count is the name's term frequency.
	uses := make([]int32, nn)
	for _, id := range p.nameIdx {
		uses[id]++
	}
	count := map[string]int32{}
	for i, ks := range all {
		for _, k := range ks {
			count[k] += uses[i]
		}
	}
	var table *pinyinTable
	for i, text := range p.text {
		ni := &p.names[i]
		switch {
		case ni.pinyin:
			if table == nil {
				table = newPinyinTable()
			}
			ni.py = table.read(text)
			ni.folded = foldPlace(text)
		case names.IsHangul(text):
			ni.hangul = syllables(names.ToSouth(text))
		case names.IsHangul(names.HanjaToHangul(text)):
			ni.hangul = syllables(names.HanjaToHangul(text))
		}
	}
	p.keys = make([][]uint64, nn)
	p.masked = make([][]uint64, nn)
	n := float64(max(len(p.ids), 1))
	for i, ks := range all {
		ni := &p.names[i]
		if len(ks) > maxNameKeys {
			ks = slices.Clone(ks)
			slices.SortStableFunc(ks, func(a, b string) int { return int(count[b] - count[a]) })
			ks = ks[:maxNameKeys]
		}
		if ni.hangul == nil && !ni.pinyin && len(ks) > 0 && !strings.HasPrefix(ks[0], "~") {
			ni.hangul = []rune(ks[0])
		}
		best := int32(0)
		for j, k := range ks {
			best = max(best, count[k])
			p.keys[i] = append(p.keys[i], Hash(k))
			if j < 2 {
				p.masked[i] = appendMasked(p.masked[i], k)
			}
		}
		ni.tf = float64(best) / n
	}
	for i := range p.recs {
		for _, x := range p.namesOf(i) {
			p.recs[i].pinyin = p.recs[i].pinyin || p.names[x].pinyin
		}
	}
	p.text = nil
	p.nameID = nil
	return nil
}

// syllables returns the Hangul syllables of s, in order.
func syllables(s string) []rune {
	var out []rune
	for _, r := range s {
		if isSyllable(r) {
			out = append(out, r)
		}
	}
	return out
}

// appendMasked appends the keys of a Hangul reading with each syllable in
// turn left out, so that a one-syllable typo still shares a key.
func appendMasked(dst []uint64, key string) []uint64 {
	rs := []rune(key)
	if len(rs) < 2 {
		return dst
	}
	for i := range rs {
		dst = append(dst, Combine(Hash(string(rs[:i])+"_"+string(rs[i+1:])), uint64(i)))
	}
	return dst
}

// Comparisons returns the comparisons the person model is made of.
func (p *Persons) Comparisons() []Comparison {
	return []Comparison{
		nameComparison{p}, birthComparison{p}, sexComparison{p},
		originComparison{p}, eventComparison{p},
		sourceComparison{p},
	}
}

// names of record i
func (p *Persons) namesOf(i int) []int32 { return p.nameIdx[p.nameOff[i]:p.nameOff[i+1]] }

// nameComparison compares names through the names package: every
// spelling of one name is "exact", so 리영호, Lee Young-ho and 李英浩 agree.
type nameComparison struct{ p *Persons }

var nameLevels = []string{"exact (any spelling)", "one similar jamo", "one jamo or letter", "pinyin fits every syllable", "close", "one syllable differs", "pinyin, one syllable misfits", "different"}

func (nameComparison) Name() string     { return "name" }
func (nameComparison) Levels() []string { return nameLevels }

func (c nameComparison) Compare(i, j int) int {
	a, b := &c.p.recs[i], &c.p.recs[j]
	switch {
	case a.nnames == 0 || b.nnames == 0:
		return 0
	case a.nnames == 1 && b.nnames == 1:
		return c.p.nameLevel(a.name, b.name)
	}
	// Records with several names (the store's) agree as well as their
	// closest pair of names.
	best := len(nameLevels)
	for _, x := range c.p.namesOf(i) {
		for _, y := range c.p.namesOf(j) {
			best = min(best, c.p.nameLevel(x, y))
		}
	}
	return best
}

// nameLevel compares two distinct names.
func (p *Persons) nameLevel(x, y int32) int {
	if x == y {
		return 1
	}
	nx, ny := &p.names[x], &p.names[y]
	misfits := pinyinMisfits(nx, ny)
	switch {
	case misfits == 0:
		// Every syllable fits: enough, and Similarity is at its slowest on
		// pinyin's many readings.
		return 4
	case nx.pinyin && ny.pinyin:
		// Two lists' pinyin of one name is spelled alike: compare letters.
		switch jw := JaroWinkler(nx.folded, ny.folded); {
		case jw >= 0.99:
			return 1
		case jw >= 0.92:
			return 3
		case jw >= 0.8:
			return 5
		}
		return 8
	}
	sim := nx.parsed.Similarity(ny.parsed)
	switch {
	case sim >= 1:
		return 1
	case sim >= 0.92:
		return 2
	case sim >= 0.85:
		return 3
	case sim >= 0.7:
		return 5
	case misfits == 1 || misfits == -1:
		// Pinyin loses what Korean keeps, so one syllable that does not
		// fit (or a segmentation that does not line up) is weak evidence,
		// kept apart from "different".
		return 7
	case misfits == -2 && sim >= 0.45:
		return 6
	}
	return 8
}

// pinyinMisfits compares a name read as pinyin with the Hangul of the
// other (see pinyinName.misfits): -2 when neither is pinyin or the other
// has no Hangul reading.
func pinyinMisfits(x, y *nameInfo) int {
	switch {
	case x.py != nil && y.hangul != nil:
		return x.py.misfits(y.hangul)
	case y.py != nil && x.hangul != nil:
		return y.py.misfits(x.hangul)
	}
	return -2
}

// TermFrequency is the share of records with record i's (first) name.
func (c nameComparison) TermFrequency(i int) float64 {
	if n := c.p.recs[i].name; n >= 0 {
		return c.p.names[n].tf
	}
	return 0
}

type birthComparison struct{ p *Persons }

var birthLevels = []string{"same day", "same month", "overlap", "a year apart", "2–5 years apart", "further apart"}

func (birthComparison) Name() string     { return "birth_date" }
func (birthComparison) Levels() []string { return birthLevels }

func (c birthComparison) Compare(i, j int) int {
	ri, rj := &c.p.recs[i], &c.p.recs[j]
	a, b := ri.birth, rj.birth
	if a.lo == 0 || b.lo == 0 {
		return 0
	}
	switch g := gap(a, b); {
	case a == b && a.lo == a.hi:
		return 1
	case g <= 0 && ri.birthOK && rj.birthOK:
		return 2
	case g <= 0:
		return 3
	case g <= 366:
		return 4
	case g <= 5*366:
		return 5
	}
	return 6
}

// eventComparison compares the repatriation: its date and its place
// together, since they are one fact. A record of a person returned twice may
// describe the other return, and then date and place disagree together;
// taken as two independent fields that would count the same disagreement
// twice.
type eventComparison struct{ p *Persons }

var eventLevels = []string{
	"same day, same crossing", "same month, same crossing", "dates overlap, same crossing",
	"same day or month, place unknown", "dates overlap, place unknown", "same crossing, date unknown",
	"within 3 months", "dates agree, places differ", "places differ, date unknown",
	"same crossing, years apart", "a different repatriation",
}

func (eventComparison) Name() string     { return "event" }
func (eventComparison) Levels() []string { return eventLevels }

func (c eventComparison) Compare(i, j int) int {
	ri, rj := &c.p.recs[i], &c.p.recs[j]
	d := dateLevel(ri, rj)
	pl := c.p.places.relation(ri.evPlace, rj.evPlace)
	agree := pl >= placeSame && pl <= placeWithin
	differ := pl >= placeProvince
	switch {
	case d == 0 && pl == 0:
		return 0
	case d == 1 && agree:
		return 1
	case d == 2 && agree:
		return 2
	case d == 3 && agree:
		return 3
	case d <= 2 && d > 0 && pl == 0:
		return 4
	case d == 3 && pl == 0:
		return 5
	case d == 0 && agree:
		return 6
	case d == 4 && !differ:
		return 7
	case d >= 1 && d <= 4 && differ:
		return 8
	case d == 0 && differ:
		return 9
	case agree:
		return 10
	}
	return 11
}

// dateLevel: 0 unknown, 1 same day, 2 same month, 3 overlap, 4 within
// three months, 5 within two years, 6 further apart.
func dateLevel(ri, rj *person) int {
	a, b := ri.event, rj.event
	if a.lo == 0 || b.lo == 0 {
		return 0
	}
	switch g := gap(a, b); {
	case a == b && a.lo == a.hi:
		return 1
	case g <= 0 && ri.eventOK && rj.eventOK:
		return 2
	case g <= 0:
		return 3
	case g <= 92:
		return 4
	case g <= 731:
		return 5
	}
	return 6
}

type sexComparison struct{ p *Persons }

func (sexComparison) Name() string     { return "sex" }
func (sexComparison) Levels() []string { return []string{"same", "different"} }

func (c sexComparison) Compare(i, j int) int {
	a, b := c.p.recs[i].sex, c.p.recs[j].sex
	switch {
	case a == 0 || b == 0:
		return 0
	case a == b:
		return 1
	}
	return 2
}

// originComparison compares home counties through the gazetteer:
// Onsong, 온성 and 稳城 are the same place, a town lies within its
// province.
type originComparison struct{ p *Persons }

func (originComparison) Name() string     { return "origin" }
func (originComparison) Levels() []string { return placeLevels }

func (c originComparison) Compare(i, j int) int {
	return c.p.places.relation(c.p.recs[i].origin, c.p.recs[j].origin)
}

// sourceComparison tells whether two records come from the same list:
// an organisation rarely lists one person twice, so same-source pairs are
// less often matches; EM learns by how much.
type sourceComparison struct{ p *Persons }

func (sourceComparison) Name() string { return "source" }
func (sourceComparison) Levels() []string {
	return []string{"same organisation", "different organisations"}
}

func (c sourceComparison) Compare(i, j int) int {
	a, b := c.p.recs[i].source, c.p.recs[j].source
	switch {
	case a < 0 || b < 0:
		return 0
	case a == b:
		return 1
	}
	return 2
}

// Blocking key tags: each rule hashes its parts with a tag of its own.
const (
	tagName = iota + 1
	tagNameBirth
	tagNameOrigin
	tagNameEvent
	tagMaskedBirth
	tagMaskedOriginYear
	tagMaskedEvent
	tagBirthOriginEvent
	tagEventSiteBirth
	tagEventYearSiteBirth
	tagEventSiteSex
	tagReadingBirth
	tagReadingEvent
)

// hasPinyin reports whether record i has a name that may be pinyin.
func (p *Persons) hasPinyin(i int) bool { return p.recs[i].pinyin }

// readingKeys appends, for a record's names, keys of the family name and
// the first syllable of the given name together with w: Hangul names give
// one pair of syllables, a name read as pinyin every pair its readings
// allow, so that a pinyin name meets the Hangul it may spell.
func (p *Persons) readingKeys(i int, tag uint64, w [2]uint64, dst []uint64) []uint64 {
	for _, n := range p.namesOf(i) {
		if h := p.names[n].hangul; len(h) >= 2 {
			dst = append(dst, Combine(tag, uint64(h[0]), uint64(h[1]), w[0]), Combine(tag, uint64(h[0]), uint64(h[1]), w[1]))
		}
		// A pinyin syllable may spell a score of Hangul syllables, the
		// likeliest first (see pinyinTable); blocking can afford the first
		// few for each surname.
		const most = 12
		for _, seg := range p.names[n].py {
			if len(seg) < 2 {
				continue
			}
			for _, f := range seg[0] {
				for _, g := range seg[1][:min(most, len(seg[1]))] {
					dst = append(dst, Combine(tag, uint64(f), uint64(g), w[0]), Combine(tag, uint64(f), uint64(g), w[1]))
				}
			}
		}
	}
	return dst
}

// years returns the two overlapping two-year windows around a date's
// centre year: dates a year apart always share one of them.
func years(r dayRange, maxDays int32) (w [2]uint64, ok bool) {
	y, ok := centreYear(r, maxDays)
	if !ok {
		return w, false
	}
	return [2]uint64{uint64(y/2) << 1, uint64((y+1)/2)<<1 | 1}, true
}

// TrainingRules returns the rules whose pairs train the model (see
// Model.Train): one on names, which estimates everything but the name, and
// two without names, which estimate the name among the rest.
func (p *Persons) TrainingRules() []Rule {
	const yearSpan = 3*366 + 1
	return []Rule{
		// Names are mostly of one sex, so pairs that share a name agree on
		// sex whether they match or not: sex is left out too.
		{Name: "name", Uses: []string{"name", "sex"}, MaxBlock: 20000, Keys: func(i int, dst []uint64) []uint64 {
			for _, n := range p.namesOf(i) {
				for _, k := range p.keys[n] {
					dst = append(dst, Combine(tagName, k))
				}
			}
			return dst
		}},
		{Name: "event month+crossing", Uses: []string{"event"}, MaxBlock: 20000, Keys: func(i int, dst []uint64) []uint64 {
			m := p.recs[i].evMonth
			s := p.places.siteOf(p.recs[i].evPlace)
			if s < 0 || m == 0 {
				return dst
			}
			return append(dst, Combine(tagEventSiteBirth, uint64(m), uint64(s)))
		}},
		{Name: "birth year+origin", Uses: []string{"birth_date", "origin"}, MaxBlock: 20000, Keys: func(i int, dst []uint64) []uint64 {
			o := p.recs[i].origin
			y, ok := centreYear(p.recs[i].birth, yearSpan)
			if o < 0 || !ok {
				return dst
			}
			return append(dst, Combine(tagBirthOriginEvent, uint64(o), uint64(y)))
		}},
	}
}

// Rules returns the blocking rules of the person model. Most pair records
// that share a name reading, or a name with one syllable left out, and
// something else — a birth year window, the home county, the year of the
// repatriation — so that a typo, a missing birth date or a birth year off
// by one still leaves a rule that catches the pair. Two pair a name read
// as pinyin with the Hangul it may spell. The rest do without a name, for
// what the names cannot show: the repatriation's month and crossing with a
// birth year or sex. The rule on a name alone keeps only small blocks (at
// a million records a common name alone is no block at all), and the broad
// rules have budgets (see Rule.Budget); which rules earn their cost was
// measured rule by rule on the benchmark lists: pairs only one rule finds,
// and how many of those are matches.
func (p *Persons) Rules() []Rule {
	const yearSpan = 3*366 + 1 // "around 1985" spans three years
	each := func(i int, f func(name int32)) {
		for _, n := range p.namesOf(i) {
			f(n)
		}
	}
	return []Rule{
		{Name: "name", MaxBlock: 12, Budget: 1, Keys: func(i int, dst []uint64) []uint64 {
			each(i, func(n int32) {
				for _, k := range p.keys[n] {
					dst = append(dst, Combine(tagName, k))
				}
			})
			return dst
		}},
		{Name: "name+birth year", MaxBlock: 60, Budget: 3, Keys: func(i int, dst []uint64) []uint64 {
			w, ok := years(p.recs[i].birth, yearSpan)
			if !ok {
				return dst
			}
			each(i, func(n int32) {
				for _, k := range p.keys[n] {
					dst = append(dst, Combine(tagNameBirth, k, w[0]), Combine(tagNameBirth, k, w[1]))
				}
			})
			return dst
		}},
		{Name: "name+origin", MaxBlock: 60, Budget: 2, Keys: func(i int, dst []uint64) []uint64 {
			o := p.recs[i].origin
			if o < 0 {
				return dst
			}
			each(i, func(n int32) {
				for _, k := range p.keys[n] {
					dst = append(dst, Combine(tagNameOrigin, k, uint64(o)))
				}
			})
			return dst
		}},
		{Name: "name+event year", MaxBlock: 60, Budget: 2, Keys: func(i int, dst []uint64) []uint64 {
			w, ok := years(p.recs[i].event, 2*366)
			if !ok {
				return dst
			}
			each(i, func(n int32) {
				for _, k := range p.keys[n] {
					dst = append(dst, Combine(tagNameEvent, k, w[0]), Combine(tagNameEvent, k, w[1]))
				}
			})
			return dst
		}},
		{Name: "partial name+birth year", MaxBlock: 16, Budget: 1, Keys: func(i int, dst []uint64) []uint64 {
			w, ok := years(p.recs[i].birth, yearSpan)
			if !ok {
				return dst
			}
			each(i, func(n int32) {
				for _, k := range p.masked[n] {
					dst = append(dst, Combine(tagMaskedBirth, k, w[0]), Combine(tagMaskedBirth, k, w[1]))
				}
			})
			return dst
		}},
		{Name: "partial name+origin+birth year", MaxBlock: 16, Budget: 1, Keys: func(i int, dst []uint64) []uint64 {
			o := p.recs[i].origin
			y, ok := centreYear(p.recs[i].birth, yearSpan)
			if o < 0 || !ok {
				return dst
			}
			each(i, func(n int32) {
				for _, k := range p.masked[n] {
					dst = append(dst, Combine(tagMaskedOriginYear, k, uint64(o), uint64(y)))
				}
			})
			return dst
		}},
		{Name: "partial name+event year", MaxBlock: 16, Budget: 1, Keys: func(i int, dst []uint64) []uint64 {
			w, ok := years(p.recs[i].event, 2*366)
			if !ok {
				return dst
			}
			each(i, func(n int32) {
				for _, k := range p.masked[n] {
					dst = append(dst, Combine(tagMaskedEvent, k, w[0]), Combine(tagMaskedEvent, k, w[1]))
				}
			})
			return dst
		}},
		{Name: "pinyin reading+birth year", MaxBlock: 16, Budget: 0.5, Probe: p.hasPinyin, Keys: func(i int, dst []uint64) []uint64 {
			if w, ok := years(p.recs[i].birth, yearSpan); ok {
				dst = p.readingKeys(i, tagReadingBirth, w, dst)
			}
			return dst
		}},
		{Name: "pinyin reading+event year", MaxBlock: 16, Budget: 0.5, Probe: p.hasPinyin, Keys: func(i int, dst []uint64) []uint64 {
			if w, ok := years(p.recs[i].event, 2*366); ok {
				dst = p.readingKeys(i, tagReadingEvent, w, dst)
			}
			return dst
		}},
		// Without a name: a Chinese list's pinyin may share no reading
		// with the Hangul, but the handover month, the crossing and the
		// birth year still pair the records.
		{Name: "event month+crossing+birth year", MaxBlock: 20, Budget: 1, Keys: func(i int, dst []uint64) []uint64 {
			m := p.recs[i].evMonth
			s := p.places.siteOf(p.recs[i].evPlace)
			w, ok := years(p.recs[i].birth, yearSpan)
			if s < 0 || !ok || m == 0 {
				return dst
			}
			return append(dst, Combine(tagEventSiteBirth, uint64(m), uint64(s), w[0]), Combine(tagEventSiteBirth, uint64(m), uint64(s), w[1]))
		}},
		{Name: "event year+crossing+birth year+sex", MaxBlock: 20, Budget: 0.5, Keys: func(i int, dst []uint64) []uint64 {
			s := p.places.siteOf(p.recs[i].evPlace)
			b, ok1 := years(p.recs[i].birth, yearSpan)
			e, ok2 := centreYear(p.recs[i].event, 366)
			if s < 0 || !ok1 || !ok2 || p.recs[i].sex == 0 {
				return dst
			}
			return append(dst, Combine(tagEventYearSiteBirth, uint64(e), uint64(s), b[0], uint64(p.recs[i].sex)),
				Combine(tagEventYearSiteBirth, uint64(e), uint64(s), b[1], uint64(p.recs[i].sex)))
		}},
		{Name: "event month+crossing+sex", MaxBlock: 20, Budget: 0.5, Keys: func(i int, dst []uint64) []uint64 {
			m := p.recs[i].evMonth
			s := p.places.siteOf(p.recs[i].evPlace)
			if s < 0 || m == 0 || p.recs[i].sex == 0 {
				return dst
			}
			return append(dst, Combine(tagEventSiteSex, uint64(m), uint64(s), uint64(p.recs[i].sex)))
		}},
		{Name: "birth year+origin+event year", MaxBlock: 20, Budget: 0.5, Keys: func(i int, dst []uint64) []uint64 {
			o := p.recs[i].origin
			b, ok1 := years(p.recs[i].birth, yearSpan)
			e, ok2 := years(p.recs[i].event, 2*366)
			if o < 0 || !ok1 || !ok2 {
				return dst
			}
			for _, x := range b {
				for _, y := range e {
					dst = append(dst, Combine(tagBirthOriginEvent, uint64(o), x, y))
				}
			}
			return dst
		}},
	}
}

// RowRecord turns a person-list row into a record to link.
func RowRecord(r *exchange.Row) Record {
	return Record{ID: r.ID, Source: r.Source, Names: []string{r.Name}, BirthDate: r.BirthDate, Sex: r.Sex,
		Origin: r.Origin, EventDate: r.EventDate, EventPlace: r.EventPlace}
}
