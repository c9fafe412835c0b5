package search

import (
	"cmp"
	"container/heap"
	"context"
	mbits "math/bits"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"unicode/utf8"

	"tumen"
	"tumen/names"
)

// Access is what the caller may see. The web app derives it from the user:
// Clearance is the user's clearance, Identity whether they may see
// identities (names, narratives, testimony text).
type Access struct {
	Clearance tumen.Level
	Identity  bool
}

// Options shape a result page.
type Options struct {
	Limit    int     // hits per page; 0 means 20, at most 1000
	Offset   int     // hits to skip; at most 10000
	Snippets int     // snippets per hit; 0 means 2, at most 3, -1 none
	NoFacets bool    // skip the facet counts
	MinName  float64 // the least name similarity that matches; 0 means DefaultMinName

	// direct counts facets person by person even where counting the
	// persons that do not match would be quicker: for tests.
	direct bool
}

// DefaultMinName is the least similarity at which a recorded name matches
// the query read as a name: spellings of one name score 1, one differing
// jamo about 0.9, one differing syllable of three about 0.75.
const DefaultMinName = 0.75

// SurnameScore is the name score of a person found by a query that is a
// family name alone (Kim, 김, 金, Ri, Lee): every person recorded with it,
// whatever Options.MinName, ranked below full names.
const SurnameScore = 0.5

// Result is one page of hits, the number of matching persons and the facet
// counts over all of them. Everything in it is within the caller's access.
type Result struct {
	Total  int     `json:"total"`
	Hits   []Hit   `json:"hits"`
	Facets []Facet `json:"facets,omitempty"`
}

// Hit is one matching person.
type Hit struct {
	PersonID string `json:"id"`
	// Score is NameScore plus TextScore; hits are ordered by it.
	Score float64 `json:"score"`
	// NameScore is the similarity (0–1) of the best recorded name to the
	// query read as a name; 0 when no name matched.
	NameScore float64 `json:"name_score,omitempty"`
	// TextScore grows with the number of the person's texts that hold
	// every word and phrase of the query: 1/2 for one, 2/3 for two, …
	TextScore float64 `json:"text_score,omitempty"`
	// Name is the recorded name that matched best.
	Name     string    `json:"name,omitempty"`
	Snippets []Snippet `json:"snippets,omitempty"`
}

// Snippet is a passage of a matching text. Marks are the matched spans, as
// byte offsets into Text, ascending and not overlapping, always on rune
// boundaries: the web app escapes the text between them and wraps each in
// <mark>. Text starts or ends with "…" where the passage was cut.
type Snippet struct {
	Kind     string `json:"kind"` // person, event, act or source
	RecordID string `json:"record"`
	Field    string `json:"field"` // notes, title, narrative, place_text, note or text
	Text     string `json:"text"`
	Marks    []Span `json:"marks"`
}

// Span is a half-open byte range [Start, End).
type Span struct {
	Start int `json:"start"`
	End   int `json:"end"`
}

// Facet counts the matching persons by one property. A person counts once
// per value they have.
type Facet struct {
	Name   string       `json:"name"` // sex, level, stage, place, type, agency, org, year
	Values []FacetValue `json:"values"`
}

// FacetValue is one value of a facet and how many matching persons have it.
type FacetValue struct {
	Value string `json:"value"`
	Count int    `json:"count"`
}

// maxFacetValues bounds the values listed per facet.
const maxFacetValues = 50

// unit is one word or phrase of the query as the index matches it.
type unit struct {
	groups []group  // AND over groups
	verify string   // normalized text the field must contain, or ""
	raw    bool     // verify is CJK only: a field holding it as is holds it
	seq    []string // Latin words, highlighted where they stand in this order
	find   string   // otherwise, normalized text highlighted where found
}

// units compiles the query's words and phrases. A Latin word is one term;
// Latin words in a phrase (or a hyphenated word) are looked up as pairs of
// adjacent words, so "state security" is one posting list, and a longer
// phrase is every adjacent pair of it. Korean and Chinese are the AND of
// their bigrams, checked for contiguity when there are several.
func (ix *Index) units(q *Query) []unit {
	var out []unit
	add := func(text string) {
		toks := tokenize(text)
		if len(toks) == 0 {
			return
		}
		latin := true
		for _, t := range toks {
			latin = latin && t.latin
		}
		u := unit{}
		switch {
		case latin:
			for i, t := range toks {
				u.seq = append(u.seq, t.term)
				if i > 0 {
					u.groups = append(u.groups, ix.term(toks[i-1].term+" "+t.term))
				}
			}
			if len(toks) == 1 {
				u.groups = []group{ix.term(toks[0].term)}
			}
		case len(toks) == 1 && utf8.RuneCountInString(toks[0].term) == 1:
			r, _ := utf8.DecodeRuneInString(toks[0].term)
			u.groups = []group{{cjk: r}}
			u.find = toks[0].term
		default:
			for _, t := range toks {
				u.groups = append(u.groups, ix.term(t.term))
			}
			u.find = normalize(text).norm
			if len(toks) > 1 {
				u.verify = u.find
				u.raw = true
				for _, r := range u.find {
					u.raw = u.raw && isCJK(r)
				}
			}
			// A run of three or four CJK characters is a term of the
			// index, held by exactly the texts whose normalized form
			// contains it: no text needs reading. A longer one is the
			// AND of its runs of four, still read.
			if n := utf8.RuneCountInString(u.find); u.raw && n >= minGram {
				if n <= maxGram {
					// The run alone: its bigrams add nothing but the
					// reading of their far longer lists.
					u.groups = []group{{hash: hashTerm(ix.seed, u.find), gram: true}}
					u.verify = ""
				} else {
					rs := []rune(u.find)
					for i := 0; i+maxGram <= n; i++ {
						u.groups = append(u.groups, group{hash: hashTerm(ix.seed, string(rs[i:i+maxGram])), gram: true})
					}
				}
			}
		}
		out = append(out, u)
	}
	for _, w := range q.Words {
		add(w)
	}
	for _, p := range q.Phrases {
		add(p)
	}
	return out
}

// group is one term of a query: its hash, or for a lone CJK character
// every term that holds it.
type group struct {
	hash uint64
	cjk  rune
	gram bool // a run of CJK characters standing together (see scan)
}

func (ix *Index) term(t string) group { return group{hash: hashTerm(ix.seed, t)} }

// scratch holds per-person state of one search, reused across searches.
// The state of one person is one slot, so that crediting a person touches
// one cache line.
type scratch struct {
	gen     uint32
	slots   []slot
	touched []uint32
	bits    []uint64 // all 0 between searches: see ascending
	sink    uint32   // what slotsAhead read, kept so that the reads are made
}

type slot struct {
	gen       uint32 // the search that last touched the person
	nameScore float32
	nameBest  uint32
	textCount uint32
	textField [3]uint32
}

func (ix *Index) getScratch() *scratch {
	s, _ := ix.scratch.Get().(*scratch)
	if s == nil {
		s = &scratch{}
	}
	if n := len(ix.persons); len(s.slots) < n {
		s.slots = make([]slot, n+n/8)
		s.gen = 0
	}
	s.gen++
	if s.gen == 0 {
		clear(s.slots)
		s.gen = 1
	}
	s.touched = s.touched[:0]
	return s
}

// ascending puts the touched persons in ascending order, so that the loop
// over them reads the person tables front to back. Many are set in a
// bitset over the n persons and read back; a few are sorted.
func (s *scratch) ascending(n int) {
	t := s.touched
	if len(t) < 2 {
		return
	}
	if len(t) < n/256 {
		slices.Sort(t)
		return
	}
	words := (n + 63) / 64
	if cap(s.bits) < words {
		s.bits = make([]uint64, words)
	}
	bits := s.bits[:words]
	for _, p := range t {
		bits[p/64] |= 1 << (p % 64)
	}
	t = t[:0]
	for i, w := range bits {
		for w != 0 {
			t = append(t, uint32(i*64+mbits.TrailingZeros64(w)))
			w &= w - 1
		}
		bits[i] = 0
	}
	s.touched = t
}

// touch returns person p's slot, reset if this search has not touched it.
func (s *scratch) touch(p uint32) *slot {
	sl := &s.slots[p]
	if sl.gen != s.gen {
		*sl = slot{gen: s.gen}
		s.touched = append(s.touched, p)
	}
	return sl
}

// compiledFilter is a Filter resolved against the index's codes.
type compiledFilter struct {
	f          Filter
	none       bool // a value the index has never seen: nothing matches
	stage, typ uint32
	agency     uint32
	org        uint32
	places     map[uint32]bool
	event      bool // some event condition is set
}

func (ix *Index) compile(f Filter) (*compiledFilter, error) {
	c := &compiledFilter{f: f}
	look := func(v string) uint32 {
		if v == "" {
			return 0
		}
		id, ok := ix.codes[v]
		if !ok {
			c.none = true
		}
		return id
	}
	c.stage, c.typ, c.agency, c.org = look(f.Stage), look(f.ActType), look(f.Agency), look(f.Organisation)
	if f.Place != "" {
		p, ok := ix.places.FindPlace(f.Place)
		if !ok {
			return nil, invalid("place: no place of the gazetteer has that id or name")
		}
		c.places = map[uint32]bool{}
		for _, id := range ix.places.Descendants(p.ID) {
			if code, ok := ix.codes[id]; ok {
				c.places[code] = true
			}
		}
		if len(c.places) == 0 {
			c.none = true
		}
	}
	c.event = f.Stage != "" || f.Place != "" || f.From != 0 || f.To != 0
	return c, nil
}

func (c *compiledFilter) eventOK(e *event) bool {
	if c.f.Stage != "" && e.stage != c.stage {
		return false
	}
	if c.places != nil && !c.places[e.place] {
		return false
	}
	if c.f.From != 0 || c.f.To != 0 {
		to := int32(c.f.To)
		if to == 0 {
			to = 99991231
		}
		if e.lo == 0 || e.lo > to || e.hi < int32(c.f.From) {
			return false
		}
	}
	return true
}

// eventVisible reports whether event e exists for a caller of clearance clr.
func (ix *Index) eventVisible(e int32, clr tumen.Level) bool {
	return e >= 0 && ix.events[e].live && ix.events[e].level <= clr
}

// personOK applies the filter to person p.
func (ix *Index) personOK(p *person, c *compiledFilter, clr tumen.Level) bool {
	f := &c.f
	if f.Sex != "" && p.sex != f.Sex {
		return false
	}
	if f.Level != nil && p.level != *f.Level {
		return false
	}
	if f.Organisation != "" {
		ok := false
		for _, s := range p.allSrcs {
			src := &ix.sources[s]
			if src.live && src.level <= clr && src.org == c.org {
				ok = true
				break
			}
		}
		if !ok {
			return false
		}
	}
	if f.ActType != "" || f.Agency != "" {
		for _, a := range p.acts {
			act := &ix.acts[a]
			if !act.live || !ix.eventVisible(act.event, clr) {
				continue
			}
			if f.ActType != "" && act.typ != c.typ {
				continue
			}
			if f.Agency != "" && !slices.Contains(act.agencies, c.agency) {
				continue
			}
			if c.event && !c.eventOK(&ix.events[act.event]) {
				continue
			}
			return true
		}
		return false
	}
	if c.event {
		for _, e := range p.chain {
			if ix.eventVisible(int32(e), clr) && c.eventOK(&ix.events[e]) {
				return true
			}
		}
		return false
	}
	return true
}

// fieldPersons returns the persons field f speaks of, or nil when its
// record does not exist for a caller of clearance clr.
func (ix *Index) fieldPersons(f *field, clr tumen.Level, one *[1]uint32) []uint32 {
	switch f.kind {
	case kindPerson:
		if ix.persons[f.rec].level > clr {
			return nil
		}
		one[0] = f.rec
		return one[:]
	case kindEvent:
		if e := &ix.events[f.rec]; e.level <= clr {
			return e.persons
		}
	case kindAct:
		a := &ix.acts[f.rec]
		if a.victim >= 0 && ix.eventVisible(a.event, clr) {
			one[0] = uint32(a.victim)
			return one[:]
		}
	case kindSource:
		if s := &ix.sources[f.rec]; s.level <= clr {
			return s.persons
		}
	}
	return nil
}

// Search runs q for a caller with access a. Names and text may be searched
// only by a caller allowed to see identities; records above the caller's
// clearance are neither returned nor counted, and no snippet is cut from
// them.
func (ix *Index) Search(ctx context.Context, q *Query, a Access, o Options) (*Result, error) {
	if err := q.Validate(); err != nil {
		return nil, err
	}
	if q.HasText() && !a.Identity {
		return nil, tumen.Errorf(tumen.KindForbidden, "searching names and texts needs the permission to see identities")
	}
	if o.Limit <= 0 {
		o.Limit = 20
	}
	if o.Limit > 1000 || o.Offset < 0 || o.Offset > 10000 {
		return nil, invalid("a page holds at most 1000 hits and starts within the first 10000")
	}
	switch {
	case o.Snippets == 0:
		o.Snippets = 2
	case o.Snippets > 3:
		o.Snippets = 3
	}
	minName := float32(o.MinName)
	if minName <= 0 {
		minName = DefaultMinName
	}
	if err := ix.ready(); err != nil {
		return nil, err
	}
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	c, err := ix.compile(q.Filter)
	if err != nil {
		return nil, err
	}
	res := &Result{Hits: []Hit{}}
	if c.none {
		// The same answer as a value the caller may not see: empty
		// facets, not none, so that nothing tells the two apart.
		if !o.NoFacets {
			res.Facets = ix.facetList(ix.newFacetCounts())
		}
		return res, nil
	}
	s := ix.getScratch()
	defer ix.scratch.Put(s)
	clr := a.Clearance
	var units []unit
	if q.HasText() {
		if len(q.Words) > 0 && len(q.Words) <= 8 {
			ix.matchName(q.NameText(), minName, len(q.Words) == 1 && len(q.Phrases) == 0, s)
		}
		units = ix.units(q)
		if err := ix.matchText(ctx, units, clr, s); err != nil {
			return nil, err
		}
	}
	// The matching persons, filtered, scored and counted by facet. A broad
	// query matches most persons, so they are split between processors,
	// each keeping its own best hits and counts, merged after.
	var list []uint32 // nil for every person
	span := len(ix.persons)
	if q.HasText() {
		list, span = s.touched, len(s.touched)
	}
	filtered := !q.Filter.Empty()
	// A query that touches most persons (four in five), unfiltered, is
	// counted by facet the other way round: every person it may see,
	// less those it does not match, which are fewer. (Below that share
	// the scattered unmatched cost more to read than the matches, which
	// are read anyway.) The matches are marked in a bitset.
	var matched []uint64
	if list != nil && !filtered && !o.NoFacets && !o.direct && 5*len(list) > 4*len(ix.persons) {
		words := (len(ix.persons) + 63) / 64
		if cap(s.bits) < words {
			s.bits = make([]uint64, words)
		}
		matched = s.bits[:words]
	}
	parts := make([]matchPart, min(runtime.GOMAXPROCS(0), span/32768+1))
	// Where the parts split the persons; with a bitset of matches, only
	// between words of it, so that no two parts write one word.
	cuts := make([]int, len(parts)+1)
	for k := range cuts {
		c := span * k / len(parts)
		for matched != nil && c > 0 && c < span && list[c]/64 == list[c-1]/64 {
			c++
		}
		cuts[k] = c
	}
	var wg sync.WaitGroup
	for k := range parts {
		lo, hi := cuts[k], cuts[k+1]
		mp := &parts[k]
		mp.h = topK{k: o.Offset + o.Limit, ix: ix}
		if !o.NoFacets && matched == nil {
			mp.fc = ix.newFacetCounts()
		}
		wg.Go(func() {
			for i := lo; i < hi; i++ {
				if i%65536 == 0 && ctx.Err() != nil {
					return
				}
				p := uint32(i)
				if list != nil {
					p = list[i]
					if (i-lo)%readAhead == 0 {
						mp.sink += ix.readAhead(list[i:min(i+readAhead, hi)], s.slots, mp.fc != nil)
					}
				}
				hp := &ix.hot[p]
				if !hp.live || hp.level > clr || filtered && !ix.personOK(&ix.persons[p], c, clr) {
					continue
				}
				var score float32
				if list != nil {
					sl := &s.slots[p]
					if sl.textCount == 0 && sl.nameScore == 0 {
						continue
					}
					score = sl.nameScore
					if n := sl.textCount; n > 0 {
						score += 1 - 1/float32(1+n)
					}
				}
				mp.total++
				mp.h.offer(p, score)
				switch {
				case mp.fc != nil:
					mp.fc.add(hp, clr)
				case matched != nil:
					matched[p/64] |= 1 << (p % 64)
				}
			}
		})
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		clear(matched) // the scratch's bitset is all 0 between searches
		return nil, err
	}
	h := &parts[0].h
	res.Total = parts[0].total
	for _, mp := range parts[1:] {
		res.Total += mp.total
		for _, x := range mp.h.h {
			h.offer(x.p, x.score)
		}
		if mp.fc != nil {
			parts[0].fc.merge(mp.fc)
		}
	}
	switch {
	case matched != nil:
		res.Facets = ix.facetList(ix.unmatchedFacets(matched, clr))
	case !o.NoFacets:
		res.Facets = ix.facetList(parts[0].fc)
	}
	top := h.sorted()
	if o.Offset < len(top) {
		top = top[o.Offset:]
	} else {
		top = nil
	}
	for _, m := range top {
		hit := Hit{PersonID: ix.persons[m.p].id, Score: round(m.score)}
		if q.HasText() {
			sl := &s.slots[m.p]
			if ns := sl.nameScore; ns > 0 {
				hit.NameScore = round(ns)
				hit.Name = ix.nameList[sl.nameBest].text
			}
			if n := sl.textCount; n > 0 {
				hit.TextScore = round(1 - 1/float32(1+n))
				if o.Snippets > 0 {
					for _, f := range sl.textField[:min(n, uint32(o.Snippets), 3)] {
						hit.Snippets = append(hit.Snippets, ix.snippet(f, units))
					}
				}
			}
		}
		res.Hits = append(res.Hits, hit)
	}
	return res, nil
}

func round(f float32) float64 {
	v, _ := strconv.ParseFloat(strconv.FormatFloat(float64(f), 'f', 4, 32), 64)
	return v
}

// matchName reads text as a name and scores every recorded name sharing a
// key with it.
func (ix *Index) matchName(text string, minName float32, lone bool, s *scratch) {
	q := names.Parse(text)
	if lone {
		// A lone family name — Kim, 김, 金, Ri, Lee — finds everyone
		// recorded with it, in any spelling, below the full names.
		for _, k := range q.Keys() {
			for _, n := range ix.surnames[k] {
				for _, p := range ix.nameList[n].persons {
					if sl := s.touch(p); SurnameScore > sl.nameScore {
						sl.nameScore, sl.nameBest = SurnameScore, n
					}
				}
			}
		}
	}
	seen := map[uint32]bool{}
	for _, k := range nameKeySet(q) {
		for _, n := range ix.nameKeys[k] {
			if seen[n] {
				continue
			}
			seen[n] = true
			e := &ix.nameList[n]
			if len(e.persons) == 0 {
				continue
			}
			sim := float32(q.Similarity(e.parse()))
			if sim < minName {
				continue
			}
			for _, p := range e.persons {
				if sl := s.touch(p); sim > sl.nameScore {
					sl.nameScore, sl.nameBest = sim, n
				}
			}
		}
	}
}

// matchText finds the fields holding every unit and credits their persons.
func (ix *Index) matchText(ctx context.Context, units []unit, clr tumen.Level, s *scratch) error {
	if len(units) == 0 {
		return nil
	}
	// Candidates per shard, in shard order; a lone term's are its
	// postings, not to be written. The shards are intersected side by
	// side: a common word's lists hold millions of ids.
	// Writes after the bulk load add small shards, so the processors take
	// the shards in turn.
	cands := make([][]uint32, len(ix.shards))
	var next atomic.Int32
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(ix.shards)) {
		wg.Go(func() {
			for k := int(next.Add(1)) - 1; k < len(ix.shards); k = int(next.Add(1)) - 1 {
				cands[k] = ix.shards[k].candidates(units)
			}
		})
	}
	wg.Wait()
	var verify []*unit
	for i := range units {
		if units[i].verify != "" {
			verify = append(verify, &units[i])
		}
	}
	if len(verify) > 0 {
		var cand []uint32
		for _, c := range cands {
			cand = append(cand, c...)
		}
		cand, err := ix.verifyAll(ctx, cand, verify, clr)
		if err != nil {
			return err
		}
		cands = [][]uint32{cand}
	}
	var one [1]uint32
	for _, cand := range cands {
		for i, fid := range cand {
			if i%65536 == 0 {
				if err := ctx.Err(); err != nil {
					return err
				}
			}
			if i%readAhead == 0 {
				s.sink += ix.slotsAhead(cand[i:min(i+readAhead, len(cand))], s.slots)
			}
			for _, p := range ix.matchPersons(fid, clr, &one) {
				sl := s.touch(p)
				if sl.textCount < 3 {
					sl.textField[sl.textCount] = fid
				}
				sl.textCount++
			}
		}
	}
	s.ascending(len(ix.persons))
	return nil
}

// slotsAhead reads the slots of the persons owning the fields fids, as
// readAhead does for the loop over matching persons.
func (ix *Index) slotsAhead(fids []uint32, slots []slot) uint32 {
	var x uint32
	for _, fid := range fids {
		if int(fid) < len(ix.owner) {
			if o := ix.owner[fid]; o != ownerSlow {
				x += slots[o&ownerPerson].gen
			}
		}
	}
	return x
}

// candidates returns the fields of the shard holding every group of every
// unit.
func (sh *shard) candidates(units []unit) []uint32 {
	var lists [][]uint32
	for _, u := range units {
		for _, g := range u.groups {
			l := sh.list(g)
			if len(l) == 0 {
				return nil
			}
			lists = append(lists, l)
		}
	}
	if len(lists) == 0 {
		return nil
	}
	slices.SortFunc(lists, func(a, b []uint32) int { return cmp.Compare(len(a), len(b)) })
	c := lists[0]
	for _, l := range lists[1:] {
		c = intersect(c, l)
		if len(c) == 0 {
			break
		}
	}
	return c
}

// matchPersons returns the persons field fid speaks of for a caller of
// clearance clr, from the owner table where it answers.
func (ix *Index) matchPersons(fid uint32, clr tumen.Level, one *[1]uint32) []uint32 {
	if int(fid) < len(ix.owner) && ix.owner[fid] != ownerSlow {
		o := ix.owner[fid]
		if tumen.Level(o>>28) > clr {
			return nil
		}
		one[0] = o & ownerPerson
		return one[:]
	}
	if f := &ix.fields[fid]; f.live {
		return ix.fieldPersons(f, clr, one)
	}
	return nil
}

// verifyAll keeps the candidates that a caller of clearance clr sees and
// whose text holds every unit to verify. Reading the texts is most of the
// work of a broad query, so the candidates are split between processors;
// each compacts its part in place.
func (ix *Index) verifyAll(ctx context.Context, cand []uint32, verify []*unit, clr tumen.Level) ([]uint32, error) {
	n := min(runtime.GOMAXPROCS(0), len(cand)/8192+1)
	ends := make([]int, n)
	var wg sync.WaitGroup
	for k := range n {
		lo, hi := len(cand)*k/n, len(cand)*(k+1)/n
		wg.Go(func() { ends[k] = lo + ix.verifyPart(ctx, cand[lo:hi], verify, clr) })
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	out := cand[:ends[0]]
	for k := 1; k < n; k++ {
		out = append(out, cand[len(cand)*k/n:ends[k]]...)
	}
	return out, nil
}

// verifyPart moves the kept candidates of part to its front and returns
// how many there are.
func (ix *Index) verifyPart(ctx context.Context, part []uint32, verify []*unit, clr tumen.Level) int {
	var norm []byte
	var one [1]uint32
	kept := 0
	for i, fid := range part {
		if i%16384 == 0 && ctx.Err() != nil {
			return kept
		}
		if len(ix.matchPersons(fid, clr, &one)) == 0 {
			continue
		}
		f := &ix.fields[fid]
		norm = norm[:0]
		ok := true
		for _, u := range verify {
			if u.raw && strings.Contains(f.text, u.verify) {
				continue
			}
			if len(norm) == 0 {
				norm = appendNorm(norm, f.text)
			}
			if !containsNorm(norm, u.verify) {
				ok = false
				break
			}
		}
		if ok {
			part[kept] = fid
			kept++
		}
	}
	return kept
}

func sortUnique(s *[]uint32) {
	slices.Sort(*s)
	*s = slices.Compact(*s)
}

// intersect returns the ids in both ascending lists; a short list against
// a long one skips through the long one by binary search.
func intersect(a, b []uint32) []uint32 {
	if len(a) > len(b) {
		a, b = b, a
	}
	out := make([]uint32, 0, len(a))
	if len(b) > 16*len(a) {
		for _, x := range a {
			i, found := slices.BinarySearch(b, x)
			if found {
				out = append(out, x)
			}
			b = b[i:]
		}
		return out
	}
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i] < b[j]:
			i++
		case a[i] > b[j]:
			j++
		default:
			out = append(out, a[i])
			i++
			j++
		}
	}
	return out
}

// matchPart is one processor's share of a search's matching persons.
type matchPart struct {
	total int
	h     topK
	fc    *facetCounts
	sink  uint32 // what readAhead read, kept so that the reads are made
}

// readAhead is how many matching persons a search reads ahead.
const readAhead = 16

// readAhead reads what the loop over matching persons will read of the
// persons ps: their hot entries, their slots and, with facets, their
// facet values. A text query's matches are scattered over the tables, so
// nearly every read misses the caches; made together, the misses of a
// batch are waited for at once rather than one after another.
func (ix *Index) readAhead(ps []uint32, slots []slot, facets bool) uint32 {
	var x uint32
	for _, p := range ps {
		hp := &ix.hot[p]
		x += uint32(hp.level)
		if slots != nil {
			x += slots[p].textCount
		}
		if facets && len(hp.facets) > 0 {
			x += hp.facets[0]
		}
	}
	return x
}

// unmatchedFacets returns the facet counts of the persons marked in
// matched, all of them live and seen at clearance clr: the counts of every
// person seen at clr, less those of the others. It clears matched.
func (ix *Index) unmatchedFacets(matched []uint64, clr tumen.Level) *facetCounts {
	all := ix.visibleFacets(clr)
	parts := make([]*facetCounts, min(runtime.GOMAXPROCS(0), len(matched)/4096+1))
	var wg sync.WaitGroup
	for k := range parts {
		lo, hi := len(matched)*k/len(parts), len(matched)*(k+1)/len(parts)
		fc := ix.newFacetCounts()
		parts[k] = fc
		wg.Go(func() {
			// The unmatched are scattered: a batch of them is read
			// ahead, as the loop over the matches does.
			var batch [readAhead]uint32
			n := 0
			var sink uint32
			flush := func() {
				sink += ix.readAhead(batch[:n], nil, true)
				for _, p := range batch[:n] {
					if hp := &ix.hot[p]; hp.live && hp.level <= clr {
						fc.add(hp, clr)
					}
				}
				n = 0
			}
			for i := lo; i < hi; i++ {
				w := ^matched[i]
				matched[i] = 0
				for w != 0 {
					p := i*64 + mbits.TrailingZeros64(w)
					w &= w - 1
					if p >= len(ix.hot) {
						break
					}
					batch[n] = uint32(p)
					if n++; n == len(batch) {
						flush()
					}
				}
			}
			flush()
			fc.sink = sink
		})
	}
	wg.Wait()
	out := ix.newFacetCounts()
	out.merge(all)
	for _, fc := range parts {
		out.subtract(fc)
	}
	return out
}

// visibleFacets returns the facet counts of every live person seen at
// clearance clr, kept until the next write. The caller must not change
// them.
func (ix *Index) visibleFacets(clr tumen.Level) *facetCounts {
	ix.facetMu.Lock()
	defer ix.facetMu.Unlock()
	c := &ix.visible[clr&3]
	if c.fc != nil && c.version == ix.version {
		return c.fc
	}
	parts := make([]*facetCounts, min(runtime.GOMAXPROCS(0), len(ix.hot)/32768+1))
	var wg sync.WaitGroup
	for k := range parts {
		lo, hi := len(ix.hot)*k/len(parts), len(ix.hot)*(k+1)/len(parts)
		fc := ix.newFacetCounts()
		parts[k] = fc
		wg.Go(func() {
			for p := lo; p < hi; p++ {
				if hp := &ix.hot[p]; hp.live && hp.level <= clr {
					fc.add(hp, clr)
				}
			}
		})
	}
	wg.Wait()
	for _, fc := range parts[1:] {
		parts[0].merge(fc)
	}
	c.fc, c.version = parts[0], ix.version
	return c.fc
}

// facetCounts counts matching persons by facet value.
type facetCounts struct {
	sink   uint32 // what a read ahead read, kept so that the reads are made
	nc     int    // codes of the index
	counts []int  // facet*nc + code → persons
	sex    [3]int
	level  [4]int
}

func (ix *Index) newFacetCounts() *facetCounts {
	nc := len(ix.codeNames)
	return &facetCounts{nc: nc, counts: make([]int, numFacets*nc)}
}

// add counts person r's facet values that a caller of clearance clr sees.
func (fc *facetCounts) add(r *personHot, clr tumen.Level) {
	fc.sex[r.sex]++
	fc.level[r.level&3]++
	for _, v := range r.facets {
		if tumen.Level(v&3) <= clr {
			fc.counts[int(v>>2&7)*fc.nc+int(v>>5)]++
		}
	}
}

func (fc *facetCounts) merge(o *facetCounts) {
	for i, n := range o.counts {
		fc.counts[i] += n
	}
	for i, n := range o.sex {
		fc.sex[i] += n
	}
	for i, n := range o.level {
		fc.level[i] += n
	}
}

func (fc *facetCounts) subtract(o *facetCounts) {
	for i, n := range o.counts {
		fc.counts[i] -= n
	}
	for i, n := range o.sex {
		fc.sex[i] -= n
	}
	for i, n := range o.level {
		fc.level[i] -= n
	}
}

// facetList lists the counted values of every facet, most persons first.
func (ix *Index) facetList(fc *facetCounts) []Facet {
	nc, counts, sex, level := fc.nc, fc.counts, fc.sex, fc.level
	var out []Facet
	list := func(name string, vals []FacetValue) {
		slices.SortFunc(vals, func(a, b FacetValue) int {
			if a.Count != b.Count {
				return b.Count - a.Count
			}
			return strings.Compare(a.Value, b.Value)
		})
		if len(vals) > maxFacetValues {
			vals = vals[:maxFacetValues]
		}
		if vals == nil {
			vals = []FacetValue{}
		}
		out = append(out, Facet{Name: name, Values: vals})
	}
	var v []FacetValue
	for i, n := range sex {
		if n > 0 {
			v = append(v, FacetValue{[]string{"unknown", "f", "m"}[i], n})
		}
	}
	list("sex", v)
	v = nil
	for i, n := range level {
		if n > 0 {
			v = append(v, FacetValue{tumen.Level(i).String(), n})
		}
	}
	list("level", v)
	for f, name := range facetNames {
		v = nil
		for code, n := range counts[f*nc : (f+1)*nc] {
			if n > 0 {
				v = append(v, FacetValue{ix.codeNames[code], n})
			}
		}
		list(name, v)
	}
	return out
}

// scored is one hit before paging.
type scored struct {
	p     uint32
	score float32
}

// topK keeps the k best hits: highest score first, then lowest id.
type topK struct {
	k  int
	ix *Index
	h  []scored
}

// less reports whether a ranks below b. Among equal scores the person
// indexed first is kept, which is id order for an index built from a store.
func (t *topK) less(a, b scored) bool {
	if a.score != b.score {
		return a.score < b.score
	}
	return a.p > b.p
}

func (t *topK) Len() int           { return len(t.h) }
func (t *topK) Less(i, j int) bool { return t.less(t.h[i], t.h[j]) }
func (t *topK) Swap(i, j int)      { t.h[i], t.h[j] = t.h[j], t.h[i] }
func (t *topK) Push(x any)         { t.h = append(t.h, x.(scored)) }
func (t *topK) Pop() any {
	x := t.h[len(t.h)-1]
	t.h = t.h[:len(t.h)-1]
	return x
}

func (t *topK) offer(p uint32, score float32) {
	x := scored{p, score}
	if len(t.h) < t.k {
		heap.Push(t, x)
		return
	}
	if t.less(t.h[0], x) {
		t.h[0] = x
		heap.Fix(t, 0)
	}
}

// sorted returns the kept hits best first; equal scores in id order.
func (t *topK) sorted() []scored {
	out := slices.Clone(t.h)
	slices.SortFunc(out, func(a, b scored) int {
		if a.score != b.score {
			return cmp.Compare(b.score, a.score)
		}
		return strings.Compare(t.ix.persons[a.p].id, t.ix.persons[b.p].id)
	})
	return out
}
