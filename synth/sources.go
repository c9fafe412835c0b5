package synth

import (
	"encoding/csv"
	"fmt"
	"io"
	"iter"
	"strings"
	"unicode"

	"tumen/names"
	"tumen/vocab"
)

// The organisations of a linkage benchmark list, each with its own habits
// in writing names, dates and places (see LinkageList).
const (
	SourceNGO    = "Seoul NGO"         // South Korean NGO: South Hangul, month-precise dates, Korean places
	SourceDPRK   = "DPRK document"     // North Korean document: North Hangul, full dates, North side of the river
	SourceUN     = "UN submission"     // RR, McCune–Reischauer or DPRK style, English places
	SourceChina  = "China police list" // Hanja or pinyin, birth year only, Chinese places
	SourceNews   = "English news"      // practical spellings, "around 1985", many gaps
	maxSourceRec = 5
)

// The sources' indexes in LinkSources, for the habit tables below.
const (
	srcNGO = iota
	srcDPRK
	srcUN
	srcChina
	srcNews
)

// How often each source leaves a field empty, by source index.
var (
	missingSex        = [...]float64{0.02, 0, 0.10, 0, 0.40}
	missingBirth      = [...]float64{0.08, 0.10, 0.20, 0.08, 0.40}
	missingOrigin     = [...]float64{0.10, 0.05, 0.30, 0.70, 0.50}
	missingEventDate  = [...]float64{0.05, 0.05, 0.10, 0.03, 0.15}
	missingEventPlace = [...]float64{0.08, 0.05, 0.10, 0.03, 0.20}
)

// LinkSources lists the sources of a linkage benchmark list.
var LinkSources = []string{SourceNGO, SourceDPRK, SourceUN, SourceChina, SourceNews}

// sourceShare is how many of the records each source contributes.
var sourceShare = []float64{0.30, 0.12, 0.22, 0.18, 0.18}

// recordsPerPerson weighs how many lists know one person: most people are
// documented once or twice, a few by every organisation.
var recordsPerPerson = []float64{0.40, 0.28, 0.17, 0.10, 0.05}

// crossings are handover places as (Chinese side, North Korean side), the
// busiest first, with how often each is used.
var crossings = []struct {
	cn, kp string
	share  float64
}{
	{"CN-TUM", "KP-NAM", 0.34}, {"CN-DAN", "KP-SIN", 0.26}, {"CN-CHB", "KP-HYE", 0.14}, {"CN-SANHE", "KP-HOE", 0.08},
	{"CN-NANP", "KP-MUS", 0.07}, {"CN-HUN", "KP-RASON", 0.05}, {"CN-JIA", "KP-MAN", 0.03}, {"CN-LINJIANG", "KP-CHUNGGANG", 0.02},
	{"CN-KAISHANTUN", "KP-SAMBONG", 0.01},
}

// LinkRow is one row of a linkage benchmark list and the truth behind it.
type LinkRow struct {
	// Fields are the person-list columns id, source, name, birth_date,
	// sex, origin, event_date and event_place.
	Fields []string
	// Person numbers the true person; rows with the same Person are the
	// same human being.
	Person int
}

// LinkPersonID is the truth label of the n-th person of a linkage list.
func LinkPersonID(n int) string { return fmt.Sprintf("T-%07d", n) }

// linkPerson is the truth about one person of a linkage list.
type linkPerson struct {
	Truth
	n          int
	birthDay   int
	repatriate []repatriation // usually one; some were returned twice
}

type repatriation struct {
	y, m, d  int
	crossing int
}

// placeNames holds the ways each gazetteer place is written, per script.
type placeNames struct {
	en, ko, zh string
	variants   []string
}

// linkList is the state of one LinkageList run.
type linkList struct {
	g      *Generator
	places map[string]placeNames
	recent []Truth // earlier identities, for namesakes
	next   int     // next person number
	row    int     // rows written
}

// LinkageList yields n rows of a person list as several organisations
// would write it, for benchmarking record linkage: each row carries the
// number of the true person behind it.
//
// Each person is documented by one to five of the sources in LinkSources,
// each with its own habits: the South Korean NGO writes South Hangul and
// months, North Korean documents North Hangul, full dates and the North
// Korean side of the river, UN submissions Revised Romanization,
// McCune–Reischauer or the DPRK's own style, Chinese police lists Hanja or
// pinyin with the birth year only and Chinese place names, English news
// practical spellings, often given name first, "around 1985", and many
// gaps. On top come typos (one jamo or one letter), missing fields, birth
// years off by one, a wrong home county now and then, persons returned
// twice of whom a list knows only one return, and namesakes: different
// people with the same name, some born the same year.
//
// Rows are shuffled within blocks of a few thousand, so a person's records
// are not adjacent, while any number of rows streams in constant memory.
// The same generator seed gives the same list.
func (g *Generator) LinkageList(n int) iter.Seq[LinkRow] {
	return func(yield func(LinkRow) bool) {
		l := &linkList{g: g, places: loadPlaceNames(), next: 1}
		const block = 4096
		buf := make([]LinkRow, 0, block+maxSourceRec)
		for l.row < n {
			buf = buf[:0]
			for len(buf) < block && l.row+len(buf) < n {
				buf = l.person(buf, n-l.row-len(buf))
			}
			g.rng.Shuffle(len(buf), func(i, j int) { buf[i], buf[j] = buf[j], buf[i] })
			for i := range buf {
				l.row++
				buf[i].Fields[0] = fmt.Sprintf("L-%07d", l.row)
				if !yield(buf[i]) {
					return
				}
			}
		}
	}
}

// WriteLinkageList writes n rows of LinkageList as a person-list CSV to list
// (without the narrative column) and the truth to truth, as a CSV of
// id,cluster in the form tumen link writes its result.
func (g *Generator) WriteLinkageList(list, truth io.Writer, n int) error {
	lw, tw := csv.NewWriter(list), csv.NewWriter(truth)
	if err := lw.Write([]string{"id", "source", "name", "birth_date", "sex", "origin", "event_date", "event_place"}); err != nil {
		return err
	}
	if err := tw.Write([]string{"id", "cluster"}); err != nil {
		return err
	}
	for r := range g.LinkageList(n) {
		if err := lw.Write(r.Fields); err != nil {
			return err
		}
		if err := tw.Write([]string{r.Fields[0], LinkPersonID(r.Person)}); err != nil {
			return err
		}
	}
	lw.Flush()
	tw.Flush()
	if err := lw.Error(); err != nil {
		return err
	}
	return tw.Error()
}

func loadPlaceNames() map[string]placeNames {
	out := map[string]placeNames{}
	d, err := vocab.Load()
	if err != nil {
		return out
	}
	for _, p := range d.Places {
		out[p.ID] = placeNames{en: p.NameEN, ko: p.NameKO, zh: p.NameZH, variants: p.Variants}
	}
	return out
}

func (g *Generator) chance(p float64) bool { return g.rng.Float64() < p }

// person draws one person and appends their rows, at most most.
func (l *linkList) person(dst []LinkRow, most int) []LinkRow {
	g := l.g
	p := linkPerson{Truth: g.Identity(), n: l.next}
	l.next++
	// Namesakes: about one person in sixteen shares the name of someone
	// documented before, and some of those the birth year or county too,
	// on top of the collisions common names make by themselves.
	if len(l.recent) > 0 && g.chance(0.06) {
		o := l.recent[g.rng.IntN(len(l.recent))]
		p.Family, p.Given, p.Hanja, p.Sex = o.Family, o.Given, o.Hanja, o.Sex
		if g.chance(0.15) {
			p.BirthYear = o.BirthYear
		}
		if g.chance(0.25) {
			p.HomeID = o.HomeID
		}
	}
	if len(l.recent) < 512 {
		l.recent = append(l.recent, p.Truth)
	} else {
		l.recent[g.rng.IntN(len(l.recent))] = p.Truth
	}
	p.birthDay = 1 + g.rng.IntN(28)
	p.repatriate = []repatriation{l.repatriation(p.BirthYear)}
	if g.chance(0.10) {
		r := l.repatriation(p.BirthYear)
		if r.y == p.repatriate[0].y {
			r.y++
		}
		p.repatriate = append(p.repatriate, r)
	}

	k := 1 + g.weighted(recordsPerPerson, 1)
	k = min(k, most)
	var used [srcNews + 1]int
	for range k {
		s := g.weighted(sourceShare, 1)
		// A list rarely names one person twice: redraw once.
		if used[s] > 0 {
			s = g.weighted(sourceShare, 1)
		}
		used[s]++
		dst = append(dst, LinkRow{Fields: l.render(&p, s), Person: p.n})
	}
	return dst
}

func (l *linkList) repatriation(birthYear int) repatriation {
	g := l.g
	y := 2000 + g.rng.IntN(25)
	if y-birthYear < 14 {
		y = birthYear + 14 + g.rng.IntN(6)
	}
	w := make([]float64, len(crossings))
	for i, c := range crossings {
		w[i] = c.share
	}
	return repatriation{y: y, m: 1 + g.rng.IntN(12), d: 1 + g.rng.IntN(28), crossing: g.weighted(w, 1)}
}

// render writes one person's row the way source s writes lists.
func (l *linkList) render(p *linkPerson, s int) []string {
	g := l.g
	name := l.name(p, s)
	birth := l.birth(p, s)
	sex := string(p.Sex)
	if g.chance(missingSex[s]) {
		sex = ""
	}
	origin := l.origin(p, s)
	r := p.repatriate[g.rng.IntN(len(p.repatriate))]
	evDate := l.eventDate(r, s)
	evPlace := l.eventPlace(r, s)
	return []string{"", LinkSources[s], name, birth, sex, origin, evDate, evPlace}
}

func (l *linkList) name(p *linkPerson, src int) string {
	g := l.g
	south := p.Family + p.Given
	var out string
	hangul := false
	switch src {
	case srcNGO:
		out, hangul = south, true
	case srcDPRK:
		out, hangul = names.ToNorth(south), true
	case srcUN:
		st := []names.Style{names.StyleRR, names.StyleRRHyphen, names.StyleMR, names.StyleMRPlain, names.StyleNorth}[g.rng.IntN(5)]
		out = names.FormatName(p.Family, p.Given, st)
	case srcChina:
		if g.chance(0.6) {
			out = p.Hanja
		} else {
			out = pinyinName(p.Hanja)
		}
	case srcNews:
		switch x := g.rng.Float64(); {
		case x < 0.6:
			out = names.FormatName(p.Family, p.Given, names.StylePractical)
		case x < 0.75:
			out = names.FormatName(p.Family, p.Given, names.StylePassport)
		case x < 0.9:
			// Given name first, as English-language press often writes it.
			f := strings.Fields(names.FormatName(p.Family, p.Given, names.StylePractical))
			out = strings.Join(append(f[1:], f[0]), " ")
		default:
			out = names.FormatName(p.Family, p.Given, names.StyleMRPlain)
		}
	}
	if src != srcChina && g.chance(0.05) {
		if hangul {
			out = hangulTypo(g, out)
		} else {
			out = latinTypo(g, out)
		}
	}
	if out == "" {
		out = south
	}
	return out
}

// pinyinName writes Hanja as a Chinese list writes a Korean name in pinyin:
// "Li Yinghao".
func pinyinName(hanja string) string {
	syl := strings.Fields(names.Pinyin(hanja))
	if len(syl) == 0 {
		return ""
	}
	title := func(s string) string {
		if s == "" {
			return s
		}
		return strings.ToUpper(s[:1]) + s[1:]
	}
	return title(syl[0]) + " " + title(strings.Join(syl[1:], ""))
}

// hangulTypo changes one jamo of one syllable: a vowel or a final.
func hangulTypo(g *Generator, s string) string {
	rs := []rune(s)
	var idx []int
	for i, r := range rs {
		if _, _, _, ok := names.Decompose(r); ok {
			idx = append(idx, i)
		}
	}
	if len(idx) == 0 {
		return s
	}
	i := idx[g.rng.IntN(len(idx))]
	lead, vowel, tail, _ := names.Decompose(rs[i])
	if g.chance(0.7) {
		vowel = (vowel + 1 + g.rng.IntN(20)) % 21
	} else {
		tail = (tail + 1 + g.rng.IntN(27)) % 28
	}
	rs[i] = names.Compose(lead, vowel, tail)
	return string(rs)
}

// latinTypo substitutes, drops, doubles or swaps one letter.
func latinTypo(g *Generator, s string) string {
	rs := []rune(s)
	var idx []int
	for i, r := range rs {
		if unicode.IsLetter(r) {
			idx = append(idx, i)
		}
	}
	if len(idx) < 2 {
		return s
	}
	i := idx[1+g.rng.IntN(len(idx)-1)] // keep the first letter: typos rarely hit it
	switch g.rng.IntN(4) {
	case 0:
		c := rune('a' + g.rng.IntN(26))
		if unicode.IsUpper(rs[i]) {
			c = unicode.ToUpper(c)
		}
		rs[i] = c
	case 1:
		rs = append(rs[:i], rs[i+1:]...)
	case 2:
		rs = append(rs[:i+1], rs[i:]...)
	default:
		if i+1 < len(rs) && unicode.IsLetter(rs[i+1]) {
			rs[i], rs[i+1] = rs[i+1], rs[i]
		} else {
			rs[i-1], rs[i] = rs[i], rs[i-1]
		}
	}
	return string(rs)
}

func (l *linkList) birth(p *linkPerson, src int) string {
	g := l.g
	y, m, d := p.BirthYear, p.BirthMonth, p.birthDay
	if g.chance(missingBirth[src]) {
		return ""
	}
	off := 0.05
	if src == srcDPRK {
		off = 0.02
	}
	if g.chance(off) {
		if g.chance(0.5) {
			y++
		} else {
			y--
		}
	}
	x := g.rng.Float64()
	switch src {
	case srcNGO:
		switch {
		case x < 0.5:
			return fmt.Sprintf("%04d-%02d", y, m)
		case x < 0.7:
			return fmt.Sprintf("%d년 %d월", y, m)
		case x < 0.85:
			return fmt.Sprintf("%04d-%02d-%02d", y, m, d)
		}
		return fmt.Sprint(y)
	case srcDPRK:
		return fmt.Sprintf("%04d-%02d-%02d", y, m, d)
	case srcUN:
		if x < 0.6 {
			return fmt.Sprint(y)
		}
		return fmt.Sprintf("%04d-%02d", y, m)
	case srcChina:
		return fmt.Sprint(y)
	}
	if x < 0.5 {
		return fmt.Sprintf("around %d", y)
	}
	return fmt.Sprint(y)
}

// origin writes the home county; sometimes it is missing or wrong.
func (l *linkList) origin(p *linkPerson, src int) string {
	g := l.g
	if g.chance(missingOrigin[src]) {
		return ""
	}
	id := p.HomeID
	if g.chance(0.03) {
		id = homeCounties[g.rng.IntN(len(homeCounties))]
	}
	pn, ok := l.places[id]
	if !ok {
		return ""
	}
	switch src {
	case srcNGO, srcDPRK:
		if g.chance(0.3) {
			for _, v := range pn.variants {
				// the county or city form: 회령시, 무산군
				if strings.HasPrefix(v, pn.ko) && v != pn.ko && (strings.HasSuffix(v, "시") || strings.HasSuffix(v, "군")) {
					return v
				}
			}
		}
		return pn.ko
	case srcChina:
		if pn.zh != "" {
			return pn.zh
		}
	case srcUN:
		// McCune–Reischauer spellings of the place, when the gazetteer has one.
		if g.chance(0.4) {
			for _, v := range pn.variants {
				if strings.ContainsAny(v, "ŏŭ") {
					return v
				}
			}
		}
	}
	return pn.en
}

func (l *linkList) eventDate(r repatriation, src int) string {
	g := l.g
	if g.chance(missingEventDate[src]) {
		return ""
	}
	y, m, d := r.y, r.m, r.d
	if g.chance(0.03) {
		// a month off: a witness's memory, or the date of the next step
		if m++; m > 12 {
			m, y = 1, y+1
		}
	}
	x := g.rng.Float64()
	switch src {
	case srcNGO:
		switch {
		case x < 0.4:
			return fmt.Sprintf("%04d-%02d", y, m)
		case x < 0.6:
			return fmt.Sprintf("%d년 %d월", y, m)
		}
		return fmt.Sprintf("%04d-%02d-%02d", y, m, d)
	case srcDPRK, srcChina:
		return fmt.Sprintf("%04d-%02d-%02d", y, m, d)
	case srcUN:
		if x < 0.6 {
			return fmt.Sprintf("%04d-%02d", y, m)
		}
		if m == 12 || m <= 2 {
			return fmt.Sprint(y)
		}
		return fmt.Sprintf("%s %d", season(m), y)
	}
	switch {
	case x < 0.4:
		return fmt.Sprint(y)
	case x < 0.7 && m > 2 && m < 12:
		return fmt.Sprintf("%s %d", season(m), y)
	}
	return fmt.Sprintf("%s %d", []string{"", "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"}[m], y)
}

// eventPlace writes the handover place: which side of the river, and in
// which script, depends on who wrote the list.
func (l *linkList) eventPlace(r repatriation, src int) string {
	g := l.g
	if g.chance(missingEventPlace[src]) {
		return ""
	}
	c := crossings[r.crossing]
	cn, kp := l.places[c.cn], l.places[c.kp]
	switch src {
	case srcNGO:
		if g.chance(0.5) {
			return kp.ko
		}
		return cn.ko
	case srcDPRK:
		return kp.ko
	case srcChina:
		if cn.zh != "" {
			return cn.zh
		}
		return cn.en
	case srcUN:
		if g.chance(0.5) {
			return kp.en
		}
	}
	return cn.en
}
