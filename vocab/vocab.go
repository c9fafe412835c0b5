// Package vocab holds the controlled vocabularies, organisations and
// gazetteer that ship with tumen, as CSV files embedded in the program, and
// the lookups the rest of tumen needs: terms by vocabulary and code, places
// by id or by any of their names, the place hierarchy.
//
// The data lives in CSV files (data/*.csv, UTF-8, one header line) so that
// documenters can review and correct it in a spreadsheet without touching
// Go code; data/SOURCES.md says where it came from and what every column
// means. Load parses the embedded files; ReadTerms, ReadPlaces and
// ReadOrganisations parse any reader, for tests and for an organisation's
// own additions.
package vocab

import (
	"embed"
	"io/fs"
	"sync"

	"tumen"
)

// Vocabularies of this package beyond those every store has (tumen.Vocab*).
const (
	// VocabCustodyStatus is where a person is now: at liberty in China,
	// arrested, in border detention, handed over, … Urgent-response work
	// tracks it.
	VocabCustodyStatus = "custody-status"
	// VocabPlaceKind is the kinds a gazetteer place can have (city,
	// crossing, …), besides facility-type codes, which a facility also
	// carries as a kind.
	VocabPlaceKind = "place-kind"
)

//go:embed data/*.csv
var files embed.FS

// vocabFiles lists the embedded vocabularies and their files under data/, in
// the order Load reads them.
var vocabFiles = []struct{ vocab, file string }{
	{tumen.VocabActType, "act_types.csv"},
	{tumen.VocabStage, "stages.csv"},
	{tumen.VocabFacilityType, "facility_types.csv"},
	{tumen.VocabReliability, "reliability.csv"},
	{tumen.VocabInvolvement, "involvement.csv"},
	{tumen.VocabSourceKind, "source_kinds.csv"},
	{tumen.VocabConsentUse, "consent_uses.csv"},
	{tumen.VocabRelation, "relations.csv"},
	{tumen.VocabIntervention, "intervention_kinds.csv"},
	{VocabCustodyStatus, "custody_statuses.csv"},
	{VocabPlaceKind, "place_kinds.csv"},
}

// The embedded gazetteer and organisation files.
const (
	placesFile        = "gazetteer.csv"
	organisationsFile = "agencies.csv"
)

// Vocabularies returns the names of the shipped vocabularies: the tumen.Vocab*
// constants and this package's VocabCustodyStatus and VocabPlaceKind.
func Vocabularies() []string {
	out := make([]string, len(vocabFiles))
	for i, vf := range vocabFiles {
		out[i] = vf.vocab
	}
	return out
}

// Data is the vocabularies and gazetteer shipped with tumen.
//
// The lookup methods build their indexes on first use, so a Data must not be
// changed after a method has been called on it.
type Data struct {
	Terms         []tumen.Term // every term of every vocabulary, in file order
	Places        []tumen.Place
	Organisations []tumen.Organisation

	once sync.Once
	idx  *index
}

// index holds the maps behind the lookups.
type index struct {
	terms    map[termKey]int
	places   map[string]int
	orgs     map[string]int
	children map[string][]string
	names    map[string]nameHits
}

type termKey struct{ vocab, code string }

// Load parses the embedded files. Any malformed row is an error naming the
// file and line. Each call returns a fresh Data, so callers may change theirs.
func Load() (*Data, error) {
	d := &Data{}
	for _, vf := range vocabFiles {
		terms, err := readEmbedded(vf.file, func(f fs.File) ([]tumen.Term, error) {
			return ReadTerms(f, vf.file, vf.vocab)
		})
		if err != nil {
			return nil, err
		}
		d.Terms = append(d.Terms, terms...)
	}
	var err error
	if d.Places, err = readEmbedded(placesFile, func(f fs.File) ([]tumen.Place, error) {
		return ReadPlaces(f, placesFile)
	}); err != nil {
		return nil, err
	}
	if d.Organisations, err = readEmbedded(organisationsFile, func(f fs.File) ([]tumen.Organisation, error) {
		return ReadOrganisations(f, organisationsFile)
	}); err != nil {
		return nil, err
	}
	return d, nil
}

// readEmbedded opens data/name and hands it to read.
func readEmbedded[T any](name string, read func(fs.File) ([]T, error)) ([]T, error) {
	f, err := files.Open("data/" + name)
	if err != nil {
		return nil, tumen.Wrap(err, "vocab: embedded file "+name+" missing")
	}
	defer f.Close()
	return read(f)
}

// build fills the indexes from the exported slices.
func (d *Data) build() {
	x := &index{
		terms:    make(map[termKey]int, len(d.Terms)),
		places:   make(map[string]int, len(d.Places)),
		orgs:     make(map[string]int, len(d.Organisations)),
		children: map[string][]string{},
		names:    map[string]nameHits{},
	}
	for i, t := range d.Terms {
		k := termKey{t.Vocab, t.Code}
		if _, dup := x.terms[k]; !dup { // the first wins, as in the file
			x.terms[k] = i
		}
	}
	for i, p := range d.Places {
		if _, dup := x.places[p.ID]; !dup {
			x.places[p.ID] = i
		}
		if p.ParentID != "" {
			x.children[p.ParentID] = append(x.children[p.ParentID], p.ID)
		}
		x.addName(p.ID, tierID, i)
		for _, n := range []string{p.NameEN, p.NameKO, p.NameZH} {
			x.addName(n, tierName, i)
		}
		for _, n := range p.Variants {
			x.addName(n, tierVariant, i)
		}
	}
	for i, o := range d.Organisations {
		if _, dup := x.orgs[o.ID]; !dup {
			x.orgs[o.ID] = i
		}
	}
	d.idx = x
}

// index returns the indexes, building them on first use.
func (d *Data) index() *index {
	d.once.Do(d.build)
	return d.idx
}

// Term returns the term of vocab with the given code.
func (d *Data) Term(vocab, code string) (tumen.Term, bool) {
	i, ok := d.index().terms[termKey{vocab, code}]
	if !ok {
		return tumen.Term{}, false
	}
	return d.Terms[i], true
}

// Vocab returns the terms of one vocabulary in file order, or nil for an
// unknown vocabulary. The slice is the caller's; the terms' Extra maps are
// shared and must not be changed.
func (d *Data) Vocab(vocab string) []tumen.Term {
	var out []tumen.Term
	for _, t := range d.Terms {
		if t.Vocab == vocab {
			out = append(out, t)
		}
	}
	return out
}

// Place returns the place with the given id.
func (d *Data) Place(id string) (tumen.Place, bool) {
	i, ok := d.index().places[id]
	if !ok {
		return tumen.Place{}, false
	}
	return d.Places[i], true
}

// Organisation returns the organisation with the given id.
func (d *Data) Organisation(id string) (tumen.Organisation, bool) {
	i, ok := d.index().orgs[id]
	if !ok {
		return tumen.Organisation{}, false
	}
	return d.Organisations[i], true
}

// Descendants returns placeID and the ids of every place under it in the
// hierarchy, the place itself first, then depth first in file order. It
// returns nil for an unknown place. Filtering events "in North Hamgyong"
// means filtering on this set, since events are recorded at the finest place
// known.
func (d *Data) Descendants(placeID string) []string {
	x := d.index()
	if _, ok := x.places[placeID]; !ok {
		return nil
	}
	out := []string{}
	seen := map[string]bool{}
	var walk func(id string)
	walk = func(id string) {
		if seen[id] { // a cycle in hand-edited data must not hang the caller
			return
		}
		seen[id] = true
		out = append(out, id)
		for _, c := range x.children[id] {
			walk(c)
		}
	}
	walk(placeID)
	return out
}

// FindPlace finds a place by its id, English, Korean or Chinese name or any
// of its variants. Matching ignores case, diacritics (ŏ, ŭ, pinyin tones),
// spaces, hyphens, apostrophes and other punctuation, so "Onsŏng", "온성",
// "穩城", "onsong" and "KP-ONS" all find Onsong. When nothing matches, a
// trailing administrative word is dropped and the rest tried ("온성군",
// "Tumen City", "图们市").
//
// A name that fits several places equally well finds none: for matching
// free-text places of imported rows, no match is better than a wrong one.
// An id beats a name, and a name beats a variant.
func (d *Data) FindPlace(name string) (tumen.Place, bool) {
	x := d.index()
	key := normalize(name)
	if key == "" {
		return tumen.Place{}, false
	}
	if i, ok := x.names[key].unique(); ok {
		return d.Places[i], true
	}
	for _, rest := range stripSuffix(key) {
		if i, ok := x.names[rest].unique(); ok {
			return d.Places[i], true
		}
	}
	return tumen.Place{}, false
}

// Bundle returns the data as records to import into a new store.
func (d *Data) Bundle() *tumen.Bundle {
	b := &tumen.Bundle{}
	for i := range d.Terms {
		b.Terms = append(b.Terms, &d.Terms[i])
	}
	for i := range d.Places {
		b.Places = append(b.Places, &d.Places[i])
	}
	for i := range d.Organisations {
		b.Organisations = append(b.Organisations, &d.Organisations[i])
	}
	return b
}
