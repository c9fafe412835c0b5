package search

import (
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"tumen"
	"tumen/names"
	"tumen/vocab"
)

// Index is the in-memory search index over a store's persons, events, acts
// and sources: name keys for every spelling, text postings, and the facts
// filters and facets need. It is held in memory; only Save and SaveFile
// write it out, to a writer that seals it. All methods are safe for
// concurrent use: writes take an exclusive lock, searches a shared one.
type Index struct {
	mu sync.RWMutex
	indexData
	scratch sync.Pool

	// While a background build runs (Start), searches are refused and
	// writes wait in queue, to be applied in order once it ends; qmu
	// guards these, and is never held while waiting for mu.
	qmu      sync.Mutex
	building bool
	started  time.Time
	buildErr error
	queue    []func()

	// The audit sequence number up to which every write to the store is
	// in the index, for an index kept in a file (Keep, SaveFile); saveMu
	// serialises saves.
	saveMu sync.Mutex
	seen   int64
	// savedVersion is the version of the index (see version) the file
	// holds, when savedOK; guarded by saveMu.
	savedVersion uint64
	savedOK      bool
	// imports are the audit entries of the imports made through Store,
	// which the index holds; guarded by qmu.
	imports map[int64]bool

	// version counts the writes to the index (under mu); visible caches,
	// per clearance, the facet counts of every person seen at it, as of
	// a version (see visibleFacets), guarded by facetMu.
	version uint64
	facetMu sync.Mutex
	visible [4]struct {
		version uint64
		fc      *facetCounts
	}
}

// indexData is what the index holds, apart from its locks and queue: what
// Save writes and Restore reads.
type indexData struct {
	codes     map[string]uint32 // interned codes: stages, places, act types, agencies, organisations
	codeNames []string          // code id → code; id 0 is ""

	persons   []person
	hot       []personHot // person id → what a search reads of every match
	personIdx map[string]uint32
	events    []event
	eventIdx  map[string]uint32
	acts      []act
	actIdx    map[string]uint32
	sources   []source
	sourceIdx map[string]uint32

	fields  []field
	seed    uint64   // key of hashTerm
	shards  []*shard // text postings, by ranges of field ids in ascending order
	indexed int      // fields below this are in the shards
	owner   []uint32 // field id → its one person and visibility, or ownerSlow; see owners

	nameIdx  map[string]uint32   // distinct name text → name id
	nameList []nameEntry         // name id → the name and who bears it
	nameKeys map[string][]uint32 // names.Keys key → name ids, ascending
	surnames map[string][]uint32 // family name, as the keys write it → ids of names bearing it

	places *vocab.Data // the gazetteer, for "everything under a place"

	bulk bool // inside Build: relations are derived once at the end
}

// Record kinds, for fields and snippets.
const (
	kindPerson uint8 = iota
	kindEvent
	kindAct
	kindSource
)

var kindNames = [...]string{"person", "event", "act", "source"}

type person struct {
	live    bool // false for a placeholder named by another record but not yet added
	level   tumen.Level
	sex     tumen.Sex
	id      string
	names   []uint32 // name ids
	fields  []uint32 // notes
	acts    []uint32 // acts of which the person is the victim
	srcs    []uint32 // sources that support the person directly
	chain   []uint32 // derived: the events of the person's repatriation chains
	allSrcs []uint32 // derived: sources of the person, their chain and acts
}

// personHot is what a search reads of every matching person, kept apart
// from the person in a dense table: a query matching most persons then
// reads 32 bytes a person, in order, instead of a line of a larger
// record. live, level and sex mirror the person's.
type personHot struct {
	facets []uint32 // derived: facet values, packed code<<5 | facet<<2 | least level that shows them
	live   bool
	level  tumen.Level
	sex    uint8 // 0 unknown, 1 female, 2 male
}

// setHot copies person i's live, level and sex into its hot entry.
func (ix *Index) setHot(i uint32) {
	r, h := &ix.persons[i], &ix.hot[i]
	h.live, h.level, h.sex = r.live, r.level, 0
	switch r.sex {
	case tumen.SexFemale:
		h.sex = 1
	case tumen.SexMale:
		h.sex = 2
	}
}

type event struct {
	level    tumen.Level
	live     bool
	persons  []uint32 // derived: persons whose chain holds the event
	id       string
	stage    uint32
	place    uint32
	lo, hi   int32
	parent   int32 // -1 for none
	children []uint32
	acts     []uint32
	srcs     []uint32
	fields   []uint32
}

type act struct {
	id       string
	live     bool
	event    int32
	victim   int32
	typ      uint32
	agencies []uint32
	srcs     []uint32
	fields   []uint32
}

type link struct {
	kind uint8
	idx  uint32
}

type source struct {
	id      string
	live    bool
	level   tumen.Level
	org     uint32
	links   []link
	fields  []uint32
	persons []uint32 // derived: persons the source documents
}

// field is one indexed text of one record.
type field struct {
	kind uint8
	name uint8 // index into fieldNames
	live bool
	rec  uint32
	text string
}

var fieldNames = [...]string{"notes", "title", "narrative", "place_text", "note", "text"}

const (
	fNotes uint8 = iota
	fTitle
	fNarrative
	fPlaceText
	fNote
	fText
)

type nameEntry struct {
	text string
	// parsed is the name read by names.Parse, or nil until first needed:
	// an index read back from disk (Restore) parses each name when a
	// search first compares it, not all at once.
	parsed  atomic.Pointer[names.Parsed]
	persons []uint32
}

// parse returns the name read by names.Parse. Searches may call it at the
// same time: each may parse, and one result is kept.
func (e *nameEntry) parse() *names.Parsed {
	if p := e.parsed.Load(); p != nil {
		return p
	}
	p := names.Parse(e.text)
	e.parsed.Store(p)
	return p
}

// New returns an empty index over the given gazetteer (nil for none).
// Records are added with the Put methods; Build fills an index from a store.
func New(places []*tumen.Place) *Index {
	ix := &Index{indexData: indexData{
		codes: map[string]uint32{"": 0}, codeNames: []string{""},
		personIdx: map[string]uint32{}, eventIdx: map[string]uint32{}, actIdx: map[string]uint32{}, sourceIdx: map[string]uint32{},
		seed: rand.Uint64(), nameIdx: map[string]uint32{}, nameKeys: map[string][]uint32{}, surnames: map[string][]uint32{},
	}}
	ix.setPlacesLocked(places)
	return ix
}

// SetPlaces replaces the gazetteer the place filter reads.
func (ix *Index) SetPlaces(places []*tumen.Place) {
	if ix.later(func() { ix.setPlacesLocked(places) }) {
		return
	}
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.setPlacesLocked(places)
}

func (ix *Index) placeList() []*tumen.Place {
	var out []*tumen.Place
	if ix.places != nil {
		for i := range ix.places.Places {
			out = append(out, &ix.places.Places[i])
		}
	}
	return out
}

func (ix *Index) setPlacesLocked(places []*tumen.Place) {
	d := &vocab.Data{}
	for _, p := range places {
		d.Places = append(d.Places, *p)
	}
	ix.places = d
}

func (ix *Index) code(s string) uint32 {
	if c, ok := ix.codes[s]; ok {
		return c
	}
	c := uint32(len(ix.codeNames))
	ix.codes[s] = c
	ix.codeNames = append(ix.codeNames, s)
	return c
}

func (ix *Index) personRef(id string) uint32 {
	if i, ok := ix.personIdx[id]; ok {
		return i
	}
	i := uint32(len(ix.persons))
	ix.persons = append(ix.persons, person{id: id, level: tumen.Secret})
	ix.hot = append(ix.hot, personHot{level: tumen.Secret})
	ix.personIdx[id] = i
	return i
}

func (ix *Index) eventRef(id string) uint32 {
	if i, ok := ix.eventIdx[id]; ok {
		return i
	}
	i := uint32(len(ix.events))
	ix.events = append(ix.events, event{id: id, level: tumen.Secret, parent: -1})
	ix.eventIdx[id] = i
	return i
}

func (ix *Index) actRef(id string) uint32 {
	if i, ok := ix.actIdx[id]; ok {
		return i
	}
	i := uint32(len(ix.acts))
	ix.acts = append(ix.acts, act{id: id, event: -1, victim: -1})
	ix.actIdx[id] = i
	return i
}

func (ix *Index) sourceRef(id string) uint32 {
	if i, ok := ix.sourceIdx[id]; ok {
		return i
	}
	i := uint32(len(ix.sources))
	ix.sources = append(ix.sources, source{id: id, level: tumen.Secret})
	ix.sourceIdx[id] = i
	return i
}

// addField indexes one non-empty text and appends its field id to into.
func (ix *Index) addField(kind, name uint8, rec uint32, text string, into *[]uint32) {
	if text == "" {
		return
	}
	id := uint32(len(ix.fields))
	ix.fields = append(ix.fields, field{kind: kind, name: name, live: true, rec: rec, text: text})
	if !ix.bulk {
		if len(ix.shards) == 0 {
			ix.shards = append(ix.shards, newShard())
		}
		ix.shards[len(ix.shards)-1].add(ix.seed, id, text)
		ix.indexed = len(ix.fields)
	}
	*into = append(*into, id)
}

// dropFields retires a record's fields: their postings stay until the
// next Build but never match again.
func (ix *Index) dropFields(fs []uint32) {
	for _, f := range fs {
		ix.fields[f].live = false
		ix.fields[f].text = ""
		if int(f) < len(ix.owner) {
			ix.owner[f] = ownerNone
		}
	}
}

// The owner table answers, for a text matched by a search, the question
// fieldPersons answers, without reading the field, its record and the
// record's person list: almost every text speaks of one person. Entry f
// is the least level that sees field f in its top four bits and its
// person in the others; ownerNone for a text no one sees or that names no
// person; ownerSlow where fieldPersons must be asked, because the text
// speaks of several persons or a write since the bulk load may have
// changed what it speaks of. Fields added since have no entry.
const (
	ownerSlow   = math.MaxUint32
	ownerNone   = 0xF << 28
	ownerPerson = 1<<28 - 1
)

// owners fills the owner table after a bulk load.
func (ix *Index) owners() {
	ix.owner = nil
	if len(ix.persons) > ownerPerson {
		return
	}
	ix.owner = make([]uint32, len(ix.fields))
	for i := range ix.fields {
		ix.owner[i] = ix.ownerOf(&ix.fields[i])
	}
}

func (ix *Index) ownerOf(f *field) uint32 {
	if !f.live {
		return ownerNone
	}
	var ps []uint32
	var level tumen.Level
	switch f.kind {
	case kindPerson:
		return uint32(ix.persons[f.rec].level)<<28 | f.rec
	case kindEvent:
		e := &ix.events[f.rec]
		ps, level = e.persons, e.level
	case kindAct:
		a := &ix.acts[f.rec]
		if a.victim < 0 || a.event < 0 || !ix.events[a.event].live {
			return ownerNone
		}
		return uint32(ix.events[a.event].level)<<28 | uint32(a.victim)
	case kindSource:
		s := &ix.sources[f.rec]
		ps, level = s.persons, s.level
	}
	switch len(ps) {
	case 0:
		return ownerNone
	case 1:
		return uint32(level)<<28 | ps[0]
	}
	return ownerSlow
}

// unown sends searches for the given fields back to fieldPersons.
func (ix *Index) unown(fs []uint32) {
	for _, f := range fs {
		if int(f) < len(ix.owner) {
			ix.owner[f] = ownerSlow
		}
	}
}

// nameID interns one distinct name and its keys.
func (ix *Index) nameID(text string) uint32 {
	if id, ok := ix.nameIdx[text]; ok {
		return id
	}
	id := uint32(len(ix.nameList))
	p := names.Parse(text)
	ix.nameList = append(ix.nameList, nameEntry{text: text})
	ix.nameList[id].parsed.Store(p)
	ix.nameIdx[text] = id
	for _, k := range nameKeySet(p) {
		ix.nameKeys[k] = append(ix.nameKeys[k], id)
	}
	// A key of a full name (family and given) gives the family name, in
	// the one spelling every form of it reads to.
	for _, k := range p.Keys() {
		if strings.HasPrefix(k, "~") {
			continue
		}
		if fam, giv := names.SplitHangul(k); fam != "" && giv != "" {
			if l := ix.surnames[fam]; len(l) == 0 || l[len(l)-1] != id {
				ix.surnames[fam] = append(l, id)
			}
		}
	}
	return id
}

// nameKeySet is the keys a name is indexed and looked up under: the names
// package's keys, which every spelling of the name shares, and each key
// with one syllable left out, so that a name one syllable off (a typo, a
// misheard syllable) still meets and is ranked by its similarity.
func nameKeySet(p *names.Parsed) []string {
	keys := p.Keys()
	out := slices.Clone(keys)
	for _, k := range keys {
		rs := []rune(k)
		if len(rs) < 3 || rs[0] == '~' {
			continue
		}
		for i := range rs {
			out = append(out, "-"+string(rs[:i])+"_"+string(rs[i+1:]))
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

func removeValue(s []uint32, v uint32) []uint32 {
	if i := slices.Index(s, v); i >= 0 {
		return slices.Delete(s, i, i+1)
	}
	return s
}

func addValue(s []uint32, v uint32) []uint32 {
	if slices.Contains(s, v) {
		return s
	}
	return append(s, v)
}

// PutPerson adds a person to the index or replaces what it holds of them.
func (ix *Index) PutPerson(p *tumen.Person) {
	if ix.later(func() { ix.putPerson(p) }) {
		return
	}
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.putPerson(p)
}

func (ix *Index) putPerson(p *tumen.Person) {
	ix.version++
	i := ix.personRef(p.ID)
	r := &ix.persons[i]
	for _, n := range r.names {
		ix.nameList[n].persons = removeValue(ix.nameList[n].persons, i)
	}
	ix.dropFields(r.fields)
	r.live, r.level, r.sex, r.names, r.fields = true, p.Confidentiality, p.Sex, r.names[:0], r.fields[:0]
	ix.setHot(i)
	for _, n := range p.Names {
		for _, t := range []string{n.Full, joinName(n)} {
			if t == "" {
				continue
			}
			id := ix.nameID(t)
			r = &ix.persons[i]
			if !slices.Contains(r.names, id) {
				r.names = append(r.names, id)
				ix.nameList[id].persons = append(ix.nameList[id].persons, i)
			}
		}
	}
	ix.addField(kindPerson, fNotes, i, p.Notes, &ix.persons[i].fields)
	if !ix.bulk {
		ix.derive(i)
	}
}

// joinName writes a name from its parts when Full leaves them out.
func joinName(n tumen.Name) string {
	if n.Family == "" || n.Given == "" {
		return ""
	}
	if names.IsHangul(n.Family) {
		return n.Family + n.Given
	}
	return n.Family + " " + n.Given
}

// PutEvent adds an event or replaces what the index holds of it.
func (ix *Index) PutEvent(e *tumen.Event) {
	if ix.later(func() { ix.putEvent(e) }) {
		return
	}
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.putEvent(e)
}

func (ix *Index) putEvent(e *tumen.Event) {
	ix.version++
	i := ix.eventRef(e.ID)
	var affected []uint32
	if !ix.bulk {
		affected = ix.chainPersons(i)
	}
	r := &ix.events[i]
	if r.parent >= 0 {
		p := &ix.events[r.parent]
		p.children = removeValue(p.children, i)
	}
	ix.dropFields(r.fields)
	parent := int32(-1)
	if e.ParentID != "" && e.ParentID != e.ID {
		parent = int32(ix.eventRef(e.ParentID))
		p := &ix.events[parent]
		p.children = addValue(p.children, i)
	}
	lo, hi := e.Date.Bounds()
	r = &ix.events[i]
	r.live, r.level, r.stage, r.place, r.lo, r.hi, r.parent, r.fields = true, e.Confidentiality, ix.code(e.Stage), ix.code(e.PlaceID), int32(lo), int32(hi), parent, r.fields[:0]
	ix.addField(kindEvent, fTitle, i, e.Title, &ix.events[i].fields)
	ix.addField(kindEvent, fNarrative, i, e.Narrative, &ix.events[i].fields)
	ix.addField(kindEvent, fPlaceText, i, e.PlaceText, &ix.events[i].fields)
	if !ix.bulk {
		// Whether an act's note is seen depends on its event.
		for _, a := range ix.events[i].acts {
			ix.unown(ix.acts[a].fields)
		}
		for _, p := range append(affected, ix.chainPersons(i)...) {
			ix.derive(p)
		}
	}
}

// chainPersons lists the persons whose chain holds event i or would hold it:
// those of every event of its chain, and the victims of their acts.
func (ix *Index) chainPersons(i uint32) []uint32 {
	var out []uint32
	ix.walkChain(ix.root(i), func(e uint32) {
		for _, p := range ix.events[e].persons {
			out = addValue(out, p)
		}
		for _, a := range ix.events[e].acts {
			if v := ix.acts[a].victim; v >= 0 {
				out = addValue(out, uint32(v))
			}
		}
		for _, s := range ix.events[e].srcs {
			for _, l := range ix.sources[s].links {
				if l.kind == kindPerson {
					out = addValue(out, l.idx)
				}
			}
		}
	})
	return out
}

// maxDepth bounds walks up and down event chains, so a cycle in the data
// cannot hang a write.
const maxDepth = 32

func (ix *Index) root(i uint32) uint32 {
	for range maxDepth {
		p := ix.events[i].parent
		if p < 0 {
			break
		}
		i = uint32(p)
	}
	return i
}

// walkChain calls fn for root and every event under it.
func (ix *Index) walkChain(root uint32, fn func(uint32)) {
	var walk func(e uint32, depth int)
	walk = func(e uint32, depth int) {
		fn(e)
		if depth >= maxDepth {
			return
		}
		for _, c := range ix.events[e].children {
			walk(c, depth+1)
		}
	}
	walk(root, 0)
}

// PutAct adds an act or replaces what the index holds of it.
func (ix *Index) PutAct(a *tumen.Act) {
	if ix.later(func() { ix.putAct(a) }) {
		return
	}
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.putAct(a)
}

func (ix *Index) putAct(a *tumen.Act) {
	ix.version++
	i := ix.actRef(a.ID)
	r := &ix.acts[i]
	var affected []uint32
	if r.victim >= 0 {
		v := &ix.persons[r.victim]
		v.acts = removeValue(v.acts, i)
		affected = append(affected, uint32(r.victim))
	}
	if r.event >= 0 {
		e := &ix.events[r.event]
		e.acts = removeValue(e.acts, i)
	}
	ix.dropFields(r.fields)
	ev, victim := int32(-1), int32(-1)
	if a.EventID != "" {
		ev = int32(ix.eventRef(a.EventID))
		e := &ix.events[ev]
		e.acts = addValue(e.acts, i)
	}
	if a.VictimID != "" {
		victim = int32(ix.personRef(a.VictimID))
		v := &ix.persons[victim]
		v.acts = addValue(v.acts, i)
		affected = addValue(affected, uint32(victim))
	}
	var agencies []uint32
	for _, p := range a.Perpetrators {
		if p.OrganisationID != "" {
			agencies = addValue(agencies, ix.code(p.OrganisationID))
		}
	}
	r = &ix.acts[i]
	r.live, r.event, r.victim, r.typ, r.agencies, r.fields = true, ev, victim, ix.code(a.Type), agencies, r.fields[:0]
	ix.addField(kindAct, fNote, i, a.Note, &ix.acts[i].fields)
	if !ix.bulk {
		for _, p := range affected {
			ix.derive(p)
		}
	}
}

// PutSource adds a source or replaces what the index holds of it.
func (ix *Index) PutSource(s *tumen.Source) {
	if ix.later(func() { ix.putSource(s) }) {
		return
	}
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.putSource(s)
}

func (ix *Index) putSource(s *tumen.Source) {
	ix.version++
	i := ix.sourceRef(s.ID)
	r := &ix.sources[i]
	affected := slices.Clone(r.persons)
	for _, l := range r.links {
		ix.unlinkSource(l, i)
	}
	ix.dropFields(r.fields)
	var links []link
	for _, l := range s.Supports {
		var x link
		switch l.Kind {
		case tumen.RecordPerson:
			x = link{kindPerson, ix.personRef(l.ID)}
			p := &ix.persons[x.idx]
			p.srcs = addValue(p.srcs, i)
		case tumen.RecordEvent:
			x = link{kindEvent, ix.eventRef(l.ID)}
			e := &ix.events[x.idx]
			e.srcs = addValue(e.srcs, i)
		case tumen.RecordAct:
			x = link{kindAct, ix.actRef(l.ID)}
			a := &ix.acts[x.idx]
			a.srcs = addValue(a.srcs, i)
		default:
			continue
		}
		links = append(links, x)
	}
	r = &ix.sources[i]
	r.live, r.level, r.org, r.links, r.fields = true, s.Confidentiality, ix.code(s.Organisation), links, r.fields[:0]
	ix.addField(kindSource, fTitle, i, s.Title, &ix.sources[i].fields)
	ix.addField(kindSource, fText, i, s.Text, &ix.sources[i].fields)
	if ix.bulk {
		return
	}
	for _, l := range links {
		switch l.kind {
		case kindPerson:
			affected = addValue(affected, l.idx)
		case kindEvent:
			for _, p := range ix.chainPersons(l.idx) {
				affected = addValue(affected, p)
			}
		case kindAct:
			if v := ix.acts[l.idx].victim; v >= 0 {
				affected = addValue(affected, uint32(v))
			}
		}
	}
	for _, p := range affected {
		ix.derive(p)
	}
}

func (ix *Index) unlinkSource(l link, s uint32) {
	switch l.kind {
	case kindPerson:
		p := &ix.persons[l.idx]
		p.srcs = removeValue(p.srcs, s)
	case kindEvent:
		e := &ix.events[l.idx]
		e.srcs = removeValue(e.srcs, s)
	case kindAct:
		a := &ix.acts[l.idx]
		a.srcs = removeValue(a.srcs, s)
	}
}

// derive recomputes person p's chain and sources from the records.
func (ix *Index) derive(p uint32) {
	r := &ix.persons[p]
	for _, e := range r.chain {
		ix.events[e].persons = removeValue(ix.events[e].persons, p)
		ix.unown(ix.events[e].fields)
	}
	for _, s := range r.allSrcs {
		ix.sources[s].persons = removeValue(ix.sources[s].persons, p)
		ix.unown(ix.sources[s].fields)
	}
	var roots []uint32
	for _, a := range r.acts {
		if e := ix.acts[a].event; e >= 0 {
			roots = addValue(roots, ix.root(uint32(e)))
		}
	}
	for _, s := range r.srcs {
		for _, l := range ix.sources[s].links {
			if l.kind == kindEvent {
				roots = addValue(roots, ix.root(l.idx))
			}
		}
	}
	chain := r.chain[:0]
	for _, root := range roots {
		ix.walkChain(root, func(e uint32) { chain = addValue(chain, e) })
	}
	srcs := append(r.allSrcs[:0], r.srcs...)
	for _, e := range chain {
		for _, s := range ix.events[e].srcs {
			srcs = addValue(srcs, s)
		}
	}
	for _, a := range r.acts {
		for _, s := range ix.acts[a].srcs {
			srcs = addValue(srcs, s)
		}
	}
	r.chain, r.allSrcs = chain, srcs
	ix.hot[p].facets = ix.personFacets(r, ix.hot[p].facets[:0])
	for _, e := range chain {
		ix.events[e].persons = append(ix.events[e].persons, p)
		ix.unown(ix.events[e].fields)
	}
	for _, s := range srcs {
		ix.sources[s].persons = append(ix.sources[s].persons, p)
		ix.unown(ix.sources[s].fields)
	}
}

// The facets read from a person's records, in the order Result lists them
// after sex and level.
const (
	facetStage = iota
	facetPlace
	facetType
	facetAgency
	facetOrg
	facetYear
	numFacets
)

var facetNames = [numFacets]string{"stage", "place", "type", "agency", "org", "year"}

// personFacets lists the facet values of person r's records, each once,
// with the least level at which one of its records is visible.
func (ix *Index) personFacets(r *person, out []uint32) []uint32 {
	add := func(facet int, code uint32, level tumen.Level) {
		if code == 0 {
			return
		}
		key := code<<5 | uint32(facet)<<2
		for i, v := range out {
			if v&^3 == key {
				if level < tumen.Level(v&3) {
					out[i] = key | uint32(level)
				}
				return
			}
		}
		out = append(out, key|uint32(level&3))
	}
	for _, e := range r.chain {
		ev := &ix.events[e]
		if !ev.live {
			continue
		}
		add(facetStage, ev.stage, ev.level)
		add(facetPlace, ev.place, ev.level)
		if y := ev.lo / 10000; y != 0 && y == ev.hi/10000 {
			add(facetYear, ix.code(strconv.Itoa(int(y))), ev.level)
		}
	}
	for _, a := range r.acts {
		act := &ix.acts[a]
		if !act.live || act.event < 0 || !ix.events[act.event].live {
			continue
		}
		level := ix.events[act.event].level
		add(facetType, act.typ, level)
		for _, g := range act.agencies {
			add(facetAgency, g, level)
		}
	}
	for _, s := range r.allSrcs {
		if src := &ix.sources[s]; src.live {
			add(facetOrg, src.org, src.level)
		}
	}
	return out
}
