package search

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"tumen"
	"tumen/sqlstore"
)

// keep readies an index of db with Keep and waits for it.
func keep(t *testing.T, db *sqlstore.DB, path string) (*Index, Report) {
	t.Helper()
	ch := make(chan Report, 1)
	ix := Keep(context.Background(), db, db, path, func(r Report) { ch <- r })
	r := <-ch
	if r.Err != nil {
		t.Fatal(r.Err)
	}
	return ix, r
}

// TestKeep: an index saved to its file is read back at the next start,
// with the writes made since, through the index or around it; the file
// reveals nothing; a file that does not open, or an import since, makes
// the index be built from the store.
func TestKeep(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := testStore(t)
	path := filepath.Join(t.TempDir(), "search.index")
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must2 := func(_ bool, err error) {
		t.Helper()
		must(err)
	}
	must(db.CreatePerson(ctx, &tumen.Person{ID: "P-1", Sex: tumen.SexFemale, Confidentiality: tumen.Confidential, Names: []tumen.Name{{Full: "이영희"}}, Notes: "MARKERNOTE seen in Yanji"}))
	must(db.CreateEvent(ctx, &tumen.Event{ID: "E-1", Stage: "S5", PlaceID: "KP-NAM", Confidentiality: tumen.Internal, Narrative: "온성집결소로 넘겨졌다."}))
	must(db.CreateAct(ctx, &tumen.Act{ID: "A-1", EventID: "E-1", VictimID: "P-1", Type: "refoulement"}))

	ix, rep := keep(t, db, path)
	if rep.From != "store" || rep.Why != "" {
		t.Fatalf("first start: %+v", rep)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Fatal("Keep wrote a file")
	}
	must2(ix.SaveFile(ctx, db, db, path))
	b, err := os.ReadFile(path)
	must(err)
	for _, m := range []string{"MARKERNOTE", "이영희", "Yanji", "집결소", "P-1", "KP-NAM", "refoulement", saveMagic} {
		if bytes.Contains(b, []byte(m)) {
			t.Errorf("the saved index holds %q in the clear", m)
		}
	}
	if st, _ := os.Stat(path); st.Mode().Perm()&0o077 != 0 {
		t.Errorf("the saved index is readable by others: %v", st.Mode())
	}
	if ms, _ := filepath.Glob(filepath.Join(filepath.Dir(path), ".search.index*")); len(ms) > 0 {
		t.Errorf("temporary files left behind: %v", ms)
	}

	// Writes after the save: through the index, and around it (as another
	// process would), including a rename.
	s := NewStore(db, ix)
	must(s.CreatePerson(ctx, &tumen.Person{ID: "P-2", Confidentiality: tumen.Internal, Names: []tumen.Name{{Full: "김철수"}}}))
	must(db.CreatePerson(ctx, &tumen.Person{ID: "P-3", Confidentiality: tumen.Internal, Names: []tumen.Name{{Full: "박순희"}}}))
	must(db.CreateSource(ctx, &tumen.Source{ID: "S-1", Kind: "testimony", Confidentiality: tumen.Internal, Text: "Handed over at Namyang.", Supports: []tumen.Link{{Kind: tumen.RecordPerson, ID: "P-3"}}}))
	must(db.UpdatePerson(ctx, &tumen.Person{ID: "P-1", Sex: tumen.SexFemale, Confidentiality: tumen.Confidential, Names: []tumen.Name{{Full: "최명희"}}}))
	must(db.CreateAct(ctx, &tumen.Act{ID: "A-2", EventID: "E-1", VictimID: "P-2", Type: "arrest"}))

	ix2, rep := keep(t, db, path)
	if rep.From != "file" || rep.Replayed != 5 {
		t.Fatalf("second start: %+v, want the file and 5 records read again", rep)
	}
	fresh, err := Build(ctx, db)
	must(err)
	for q, want := range map[string][]string{
		"Kim Chol-su": {"P-2"}, "박순희": {"P-3"}, "namyang": {"P-3"}, "Choe Myong-hui": {"P-1"},
		"Ri Yong-hui": nil, "집결소": {"P-1", "P-2"}, "markernote": nil, "stage:S5": {"P-1", "P-2"},
	} {
		got, f := ids(search(t, ix2, q, admin)), ids(search(t, fresh, q, admin))
		slices.Sort(got)
		slices.Sort(f)
		if !slices.Equal(got, want) || !slices.Equal(f, want) {
			t.Errorf("%q: read back %v, built afresh %v, want %v", q, got, f, want)
		}
	}

	// Saved again: the records written around the index are read first.
	ix3, _ := keep(t, db, path)
	must(db.CreatePerson(ctx, &tumen.Person{ID: "P-4", Confidentiality: tumen.Internal, Names: []tumen.Name{{Full: "정순옥"}}}))
	must2(ix3.SaveFile(ctx, db, db, path))
	ix4 := fromFile(t, db, path, "Jong Sun-ok", "P-4")
	// Saved with nothing written since it was read (a server stopped
	// after reads only): the file is left as it is; after a write it is
	// written again.
	before, err := os.ReadFile(path)
	must(err)
	_, err = db.Person(ctx, "P-4") // a read, which the audit log records
	must(err)
	if written, err := ix4.SaveFile(ctx, db, db, path); err != nil || written {
		t.Errorf("a save with nothing written since: written %v, %v", written, err)
	}
	if after, _ := os.ReadFile(path); !bytes.Equal(before, after) {
		t.Error("a save with nothing written since rewrote the file")
	}
	must(NewStore(db, ix4).UpdatePerson(ctx, &tumen.Person{ID: "P-4", Confidentiality: tumen.Internal, Names: []tumen.Name{{Full: "정순옥"}}, Notes: "moved"}))
	must2(ix4.SaveFile(ctx, db, db, path))
	if after, _ := os.ReadFile(path); bytes.Equal(before, after) {
		t.Error("a save after a write left the file as it was")
	}

	// A file altered, or another store's, is not used.
	b, err = os.ReadFile(path)
	must(err)
	alt := bytes.Clone(b)
	alt[len(alt)/2] ^= 1
	must(os.WriteFile(path, alt, 0o600))
	if _, rep := keep(t, db, path); rep.From != "store" || rep.Why == "" {
		t.Errorf("altered file: %+v", rep)
	}
	must(os.WriteFile(path, b, 0o600))
	other := testStore(t)
	if _, rep := keep(t, other, path); rep.From != "store" || !strings.Contains(rep.Why, "does not open") {
		t.Errorf("another store's file: %+v", rep)
	}
	must(os.WriteFile(path, b[:len(b)/3], 0o600))
	if _, rep := keep(t, db, path); rep.From != "store" || rep.Why == "" {
		t.Errorf("a file cut short: %+v", rep)
	}

	// An import, which the log does not itemise, makes the next start
	// build from the store, and a save refuse.
	must(os.WriteFile(path, b, 0o600))
	must(db.Import(ctx, seq([]any{&tumen.Person{ID: "P-5", Confidentiality: tumen.Internal, Names: []tumen.Name{{Full: "한영수"}}}}), nil))
	if _, err := ix4.SaveFile(ctx, db, db, path); err == nil || !strings.Contains(err.Error(), "import") {
		t.Errorf("a save after an import: %v", err)
	}
	if nb, _ := os.ReadFile(path); !bytes.Equal(nb, b) {
		t.Error("a refused save changed the file")
	}
	ix5, rep := keep(t, db, path)
	if rep.From != "store" || !strings.Contains(rep.Why, "imported") {
		t.Errorf("after an import: %+v", rep)
	}
	if got := ids(search(t, ix5, "Han Yong-su", admin)); !slices.Equal(got, []string{"P-5"}) {
		t.Errorf("the imported person: %v", got)
	}
	must2(ix5.SaveFile(ctx, db, db, path))
	if _, rep := keep(t, db, path); rep.From != "file" {
		t.Errorf("after the rebuild was saved: %+v", rep)
	}
	// An import through the index is held by it: the index is saved,
	// and read back with it.
	must(NewStore(db, ix5).Import(ctx, seq([]any{&tumen.Person{ID: "P-6", Confidentiality: tumen.Internal, Names: []tumen.Name{{Full: "오은주"}}}}), nil))
	must2(ix5.SaveFile(ctx, db, db, path))
	fromFile(t, db, path, "O Un-ju", "P-6")
}

// fromFile readies an index of db with Keep, checks that it was read from
// the file with nothing to read again, and that q finds exactly want.
func fromFile(t *testing.T, db *sqlstore.DB, path, q, want string) *Index {
	t.Helper()
	ix, rep := keep(t, db, path)
	if rep.From != "file" || rep.Replayed != 0 {
		t.Errorf("not read from a current file: %+v", rep)
	}
	if got := ids(search(t, ix, q, admin)); !slices.Equal(got, []string{want}) {
		t.Errorf("%q: %v, want %s", q, got, want)
	}
	return ix
}

// TestSaveFileWhileBuilding: an index still being built is not saved,
// and no file is written.
func TestSaveFileWhileBuilding(t *testing.T) {
	t.Parallel()
	db := testStore(t)
	ix := New(nil)
	ix.building = true
	path := filepath.Join(t.TempDir(), "search.index")
	if _, err := ix.SaveFile(context.Background(), db, db, path); tumen.ErrorKind(err) != tumen.KindUnavailable {
		t.Fatalf("saving during a build: %v", err)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Fatal("a file was written")
	}
}
