package search

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"tumen"
	"tumen/vocab"
)

// refQueries are queries over the demo data of demoRecords: the synth
// sentences, words of the invented vocabularies (common and rare, of two
// to four syllables), lone syllables, phrases and filters.
func refQueries() []string {
	tg := newTextGen(1)
	qs := []string{
		`"state security"`, "interrogated churches", "border detention", `"handed over" sex:f`,
		"dandong year:2023", "arrested", "sentenced prison camp stage:S7",
	}
	for i := range 40 {
		ko := tg.ko[tg.zko.Uint64()]
		switch i % 5 {
		case 0:
			qs = append(qs, ko)
		case 1:
			qs = append(qs, tg.en[tg.zn.Uint64()]+" "+ko)
		case 2:
			qs = append(qs, ko+" arrested")
		case 3:
			qs = append(qs, string([]rune(ko)[:1]))
		default:
			qs = append(qs, `"`+tg.ko[i]+`"`, tg.ko[i*7])
		}
	}
	return qs
}

// refText is one text as the brute-force scan reads it.
type refText struct {
	terms map[uint64]bool
	cjk   []string
	norm  []byte
}

// refTexts scans every live text of ix once.
func refTexts(ix *Index) map[int]*refText {
	out := map[int]*refText{}
	var sc scanner
	for i := range ix.fields {
		f := &ix.fields[i]
		if !f.live {
			continue
		}
		rt := &refText{terms: map[uint64]bool{}, norm: appendNorm(nil, f.text)}
		sc.scan(f.text, true, func(term []byte, _, _ int, _ bool) {
			rt.terms[hashTerm(ix.seed, term)] = true
			if r, _ := utf8.DecodeRune(term); isCJK(r) {
				rt.cjk = append(rt.cjk, string(term))
			}
		})
		out[i] = rt
	}
	return out
}

// refFields lists, by brute force over every text, the texts that hold
// every unit of q: the meaning the postings and unions must keep.
func refFields(ix *Index, texts map[int]*refText, q *Query) []int {
	units := ix.units(q)
	var out []int
	for i, rt := range texts {
		ok := len(units) > 0
		for _, u := range units {
			for _, g := range u.groups {
				if g.cjk != 0 {
					found := false
					for _, t := range rt.cjk {
						found = found || strings.ContainsRune(t, g.cjk)
					}
					ok = ok && found
				} else if !g.gram {
					ok = ok && rt.terms[g.hash]
				}
			}
			// The runs of three and four CJK characters stand for this
			// test of the normalized text, which the scan makes instead.
			if u.verify != "" || u.raw {
				ok = ok && containsNorm(rt.norm, u.find)
			}
		}
		if ok {
			out = append(out, i)
		}
	}
	return out
}

// refCounts counts the texts of each person among fields for a caller of
// clearance clr, through fieldPersons, which reads the records the owner
// table stands for.
func refCounts(ix *Index, q *Query, fields []int, clr tumen.Level) map[uint32]int {
	c, err := ix.compile(q.Filter)
	if err != nil || c.none {
		return nil
	}
	out := map[uint32]int{}
	var one [1]uint32
	for _, i := range fields {
		for _, p := range ix.fieldPersons(&ix.fields[i], clr, &one) {
			if r := &ix.persons[p]; r.live && r.level <= clr && ix.personOK(r, c, clr) {
				out[p]++
			}
		}
	}
	return out
}

// allHits pages through every hit of q.
func allHits(t *testing.T, ix *Index, q *Query, a Access) (*Result, []Hit) {
	t.Helper()
	var hits []Hit
	var first *Result
	for off := 0; ; off += 1000 {
		r, err := ix.Search(context.Background(), q, a, Options{Limit: 1000, Offset: off, Snippets: -1, NoFacets: off > 0})
		if err != nil {
			t.Fatal(err)
		}
		if first == nil {
			first = r
		}
		hits = append(hits, r.Hits...)
		if len(r.Hits) < 1000 {
			return first, hits
		}
	}
}

// TestReference checks a bulk-loaded index, which credits matches through
// the owner table and arena postings, against an index filled one record
// at a time, which reads every record, and the text scores of both
// against a brute-force scan of every text; then again after writes that
// move acts, change clearances and replace texts.
func TestReference(t *testing.T) {
	t.Parallel()
	d, err := vocab.Load()
	if err != nil {
		t.Fatal(err)
	}
	var recs []any
	demoRecords(1500, 500, func(r []any) { recs = append(recs, r...) })
	// The demo acts carry no notes, and every person, event and source
	// of a kind has one level: vary both.
	notes := newTextGen(3)
	for i, r := range recs {
		switch v := r.(type) {
		case *tumen.Act:
			if i%3 == 0 {
				v.Note = notes.tail(6)
			}
		case *tumen.Person:
			v.Confidentiality = tumen.Level(i % 4)
		case *tumen.Event:
			if i%11 == 0 {
				v.Confidentiality = tumen.Secret
			}
		case *tumen.Source:
			v.Confidentiality = tumen.Level(i % 4)
		}
	}
	bulk := New(d.Bundle().Places)
	if err := bulk.Load(seq(recs)); err != nil {
		t.Fatal(err)
	}
	if bulk.owner == nil {
		t.Fatal("a bulk load made no owner table")
	}
	one := New(d.Bundle().Places)
	for _, r := range recs {
		if err := one.Load(seq([]any{r})); err != nil {
			t.Fatal(err)
		}
	}
	// An index saved and read back answers as the one it was saved from.
	restored := saved(t, bulk)
	broad := 0 // queries matching most persons, without filters
	check := func(stage string) {
		t.Helper()
		texts := refTexts(bulk)
		for qi, qs := range refQueries() {
			q, err := ParseQuery(qs)
			if err != nil {
				t.Fatal(err)
			}
			fields := refFields(bulk, texts, q)
			for clr := tumen.Public; clr <= tumen.Secret; clr++ {
				a := Access{Clearance: clr, Identity: true}
				r1, h1 := allHits(t, bulk, q, a)
				r2, h2 := allHits(t, one, q, a)
				if r1.Total != r2.Total || !reflect.DeepEqual(r1.Facets, r2.Facets) || !reflect.DeepEqual(h1, h2) {
					t.Fatalf("%s: query %d at level %d: bulk-loaded index gives %d hits, incremental %d, or other hits or facets", stage, qi, clr, r1.Total, r2.Total)
				}
				// Facets counted person by person agree with those
				// counted as every person less the unmatched.
				rd, err := bulk.Search(context.Background(), q, a, Options{Limit: 1, direct: true})
				if err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(rd.Facets, r1.Facets) {
					t.Fatalf("%s: query %d at level %d: facets counted directly differ", stage, qi, clr)
				}
				if q.Filter.Empty() && 5*r1.Total > 4*len(bulk.persons) {
					broad++
				}
				r3, h3 := allHits(t, restored, q, a)
				if r1.Total != r3.Total || !reflect.DeepEqual(r1.Facets, r3.Facets) || !reflect.DeepEqual(h1, h3) {
					t.Fatalf("%s: query %d at level %d: bulk-loaded index gives %d hits, the same saved and read back %d, or other hits or facets", stage, qi, clr, r1.Total, r3.Total)
				}
				want := refCounts(bulk, q, fields, clr)
				got := 0
				for _, h := range h1 {
					p := bulk.personIdx[h.PersonID]
					n := want[p]
					ts := 0.0
					if n > 0 {
						ts = round(1 - 1/float32(1+n))
						got++
					}
					if h.TextScore != ts {
						t.Fatalf("%s: query %d at level %d: a hit's text score is %v, the scan says %v", stage, qi, clr, h.TextScore, ts)
					}
				}
				if got != len(want) {
					t.Fatalf("%s: query %d at level %d: %d persons match by text, the scan finds %d", stage, qi, clr, got, len(want))
				}
			}
		}
	}
	check("loaded")
	if broad == 0 {
		t.Fatal("no query matched most persons: facets were never counted the other way round")
	}
	// Writes after the bulk load: an event made secret (its acts' notes
	// go with it), an act moved to another victim, a source's text
	// replaced and pointed at another person.
	var persons []string
	for _, r := range recs {
		if p, ok := r.(*tumen.Person); ok {
			persons = append(persons, p.ID)
		}
	}
	tg := newTextGen(5)
	var writes []any
	for i, r := range recs {
		switch v := r.(type) {
		case *tumen.Event:
			if i%50 == 0 {
				e := *v
				e.Confidentiality = tumen.Secret
				writes = append(writes, &e)
			}
		case *tumen.Act:
			if i%40 == 0 {
				a := *v
				a.VictimID = persons[(i*31)%len(persons)]
				writes = append(writes, &a)
			}
		case *tumen.Source:
			if i%30 == 0 {
				s := *v
				s.Text = tg.tail(30)
				s.Supports = []tumen.Link{{Kind: tumen.RecordPerson, ID: persons[(i*17)%len(persons)]}}
				writes = append(writes, &s)
			}
		}
	}
	for _, ix := range []*Index{bulk, one, restored} {
		for _, w := range writes {
			switch v := w.(type) {
			case *tumen.Event:
				ix.PutEvent(v)
			case *tumen.Act:
				ix.PutAct(v)
			case *tumen.Source:
				ix.PutSource(v)
			}
		}
	}
	check("written")
	// Saved again after the writes: the lists they added, the fields
	// they retired and the owners they sent back to the records are kept.
	restored = saved(t, bulk)
	check("written, saved and read back")
}
