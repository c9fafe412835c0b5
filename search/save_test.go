package search

import (
	"bytes"
	"errors"
	"fmt"
	"reflect"
	"testing"

	"tumen"
)

// saved returns ix saved and read back, after checking that the two hold
// the same.
func saved(t *testing.T, ix *Index) *Index {
	t.Helper()
	var buf bytes.Buffer
	if err := ix.Save(&buf); err != nil {
		t.Fatal(err)
	}
	r, err := Restore(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	r.SetPlaces(ix.placeList())
	if a, b := ix.Stats(), r.Stats(); a != b {
		t.Fatalf("saved %v, read back %v", a, b)
	}
	// Saved again, the form is the same but for the order of the maps:
	// compare the parts that have an order.
	var again bytes.Buffer
	if err := r.Save(&again); err != nil {
		t.Fatal(err)
	}
	if again.Len() != buf.Len() {
		t.Fatalf("saved %d bytes, read back and saved again %d", buf.Len(), again.Len())
	}
	for _, c := range []struct {
		name string
		a, b any
	}{
		{"codes", ix.codeNames, r.codeNames}, {"persons", ix.persons, r.persons}, {"hot", ix.hot, r.hot},
		{"events", ix.events, r.events}, {"acts", ix.acts, r.acts}, {"sources", ix.sources, r.sources},
		{"fields", ix.fields, r.fields}, {"owner", ix.owner, r.owner}, {"person ids", ix.personIdx, r.personIdx},
		{"event ids", ix.eventIdx, r.eventIdx}, {"name ids", ix.nameIdx, r.nameIdx}, {"name keys", ix.nameKeys, r.nameKeys},
		{"surnames", ix.surnames, r.surnames}, {"names", nameTexts(ix), nameTexts(r)}, {"seed", ix.seed, r.seed}, {"indexed", ix.indexed, r.indexed},
	} {
		if !equalLists(c.a, c.b) {
			t.Fatalf("%s differ after reading back", c.name)
		}
	}
	for i, sh := range ix.shards {
		o := r.shards[i]
		if !reflect.DeepEqual(sh.terms.slots, o.terms.slots) || sh.terms.n != o.terms.n || !equalLists(sh.arena, o.arena) ||
			!reflect.DeepEqual(sh.off, o.off) || !equalLists(sh.cjkTerms, o.cjkTerms) || !equalLists(sh.more, o.more) {
			t.Fatalf("shard %d differs after reading back", i)
		}
	}
	return r
}

// equalLists compares two values as printed, where a nil slice and an
// empty one look alike, and maps are printed in key order.
func equalLists(a, b any) bool { return fmt.Sprint(a) == fmt.Sprint(b) }

func nameTexts(ix *Index) []any {
	var out []any
	for i := range ix.nameList {
		out = append(out, ix.nameList[i].text, ix.nameList[i].persons)
	}
	return out
}

// TestSaveRestore: every spelling of a name, full text, filters and
// permissions answer the same from an index read back, and writes go on
// from it.
func TestSaveRestore(t *testing.T) {
	t.Parallel()
	ix := testIndex(t)
	r := saved(t, ix)
	for _, q := range []string{"Ri Yong Ho", "이영호", "Lee Young-ho", "李英浩", "kim", "집결소", `"handed over"`, "onsong", "dandong year:2023", "sex:f"} {
		for _, a := range []Access{{Clearance: tumen.Secret, Identity: true}, {Clearance: tumen.Public, Identity: true}, viewer, analyst} {
			want, err1 := ix.Search(t.Context(), mustQuery(t, q), a, Options{Snippets: 3})
			got, err2 := r.Search(t.Context(), mustQuery(t, q), a, Options{Snippets: 3})
			if fmt.Sprint(err1) != fmt.Sprint(err2) || !reflect.DeepEqual(want, got) {
				t.Errorf("%q at %+v: saved index answers %+v (%v), read back %+v (%v)", q, a, want, err1, got, err2)
			}
		}
	}
	// A write to the index read back: a new name and a new text.
	p := &tumen.Person{ID: "p-new", Names: []tumen.Name{{Full: "박철수"}}, Notes: "seen at the Tumen crossing in 2024"}
	r.PutPerson(p)
	for _, q := range []string{"Pak Chol Su", "박철수", "crossing"} {
		res, err := r.Search(t.Context(), mustQuery(t, q), Access{Clearance: tumen.Secret, Identity: true}, Options{})
		if err != nil || hit(res, "p-new") == nil {
			t.Errorf("%q: the person written after reading back is not found (%v)", q, err)
		}
	}
}

func mustQuery(t *testing.T, s string) *Query {
	t.Helper()
	q, err := ParseQuery(s)
	if err != nil {
		t.Fatal(err)
	}
	return q
}

// TestRestoreRejects: a form cut short, of another version, or not an
// index at all is refused with an error, never a panic or a half index.
func TestRestoreRejects(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	if err := testIndex(t).Save(&buf); err != nil {
		t.Fatal(err)
	}
	b := buf.Bytes()
	cases := map[string][]byte{
		"empty":         nil,
		"not an index":  []byte("hello, world"),
		"other version": append(append([]byte(saveMagic), 99), b[len(saveMagic)+1:]...),
		"no end mark":   b[:len(b)-1],
	}
	for _, n := range []int{len(saveMagic) + 1, len(b) / 7, len(b) / 3, len(b) / 2, len(b) - 40} {
		cases[fmt.Sprintf("cut at %d of %d", n, len(b))] = b[:n]
	}
	for name, c := range cases {
		ix, err := Restore(bytes.NewReader(c))
		if ix != nil || !errors.Is(err, errFormat) {
			t.Errorf("%s: got index %v, err %v; want errFormat", name, ix != nil, err)
		}
	}
}

// TestSaveWhileBuilding: an index still being built is not saved.
func TestSaveWhileBuilding(t *testing.T) {
	t.Parallel()
	ix := New(nil)
	ix.building = true
	var buf bytes.Buffer
	if err := ix.Save(&buf); tumen.ErrorKind(err) != tumen.KindUnavailable || buf.Len() > 0 {
		t.Fatalf("saving during a build: %v, %d bytes", err, buf.Len())
	}
}

// FuzzRestore: a damaged form is refused, or read, but never panics and
// never asks for more memory than its size could fill.
func FuzzRestore(f *testing.F) {
	ix := New(nil)
	for _, r := range []any{
		&tumen.Person{ID: "p1", Names: []tumen.Name{{Full: "김영희"}}, Notes: "seen at 온성집결소 in 2019"},
		&tumen.Event{ID: "e1", Stage: "S5", Narrative: "handed over at Namyang"},
		&tumen.Act{ID: "a1", EventID: "e1", VictimID: "p1", Type: "arrest"},
	} {
		if err := ix.Load(seq([]any{r})); err != nil {
			f.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if err := ix.Save(&buf); err != nil {
		f.Fatal(err)
	}
	f.Add(buf.Bytes())
	f.Add([]byte(saveMagic + "\x01"))
	f.Fuzz(func(t *testing.T, b []byte) {
		r := New(nil)
		if err := r.restore(bytes.NewReader(b), len(b)); err != nil && !errors.Is(err, errFormat) {
			t.Fatalf("an error not of the form: %v", err)
		}
	})
}
