package search

import (
	"context"
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"tumen"
	"tumen/crypt"
	"tumen/sqlite"
	"tumen/sqlstore"
	"tumen/storetest"
	"tumen/synth"
	"tumen/vocab"
)

// testStore returns a new SQLite store holding the gazetteer and
// vocabularies.
func testStore(t *testing.T) *sqlstore.DB {
	t.Helper()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "data"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.Init(ctx, crypt.Secrets{Passphrase: []byte("test passphrase 123")}, crypt.Params{Time: 1, Memory: 1024, Threads: 1}); err != nil {
		t.Fatal(err)
	}
	d, err := vocab.Load()
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Import(ctx, d.Bundle().All(), nil); err != nil {
		t.Fatal(err)
	}
	return db
}

func TestStoreKeepsIndexCurrent(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := testStore(t)
	ix, err := Build(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	s := NewStore(db, ix)
	// Writes through the wrapper are searchable at once.
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(s.CreatePerson(ctx, &tumen.Person{ID: "P-1", Sex: tumen.SexFemale, Confidentiality: tumen.Confidential, Names: []tumen.Name{{Full: "이영희", System: tumen.NameHangulSouth}}}))
	must(s.CreateEvent(ctx, &tumen.Event{ID: "E-1", Stage: "S5", PlaceID: "KP-NAM", Confidentiality: tumen.Internal, Narrative: "온성집결소로 넘겨졌다."}))
	must(s.CreateAct(ctx, &tumen.Act{ID: "A-1", EventID: "E-1", VictimID: "P-1", Type: "refoulement"}))
	must(s.CreateSource(ctx, &tumen.Source{ID: "S-1", Kind: "testimony", Organisation: "Bridge Watch", Confidentiality: tumen.Confidential,
		Text: "Handed over at Namyang.", Supports: []tumen.Link{{Kind: tumen.RecordPerson, ID: "P-1"}}}))
	for _, q := range []string{"Ri Yong-hui", "집결소", "namyang", "stage:S5 place:KP-NAM", `org:"Bridge Watch"`} {
		if got := ids(search(t, ix, q, analyst)); !slices.Equal(got, []string{"P-1"}) {
			t.Errorf("%q after writes: %v", q, got)
		}
	}
	must(s.UpdatePerson(ctx, &tumen.Person{ID: "P-1", Sex: tumen.SexFemale, Confidentiality: tumen.Confidential, Names: []tumen.Name{{Full: "박순희"}}}))
	if got := ids(search(t, ix, "Ri Yong-hui", analyst)); len(got) != 0 {
		t.Errorf("the old name still matches after an update: %v", got)
	}
	// An import is indexed once it has committed; a failed one not at all.
	must(s.Import(ctx, seq([]any{&tumen.Person{ID: "P-2", Confidentiality: tumen.Internal, Names: []tumen.Name{{Full: "김철수"}}}}), nil))
	if got := ids(search(t, ix, "Kim Chol-su", analyst)); !slices.Equal(got, []string{"P-2"}) {
		t.Errorf("imported person: %v", got)
	}
	bad := seq([]any{&tumen.Person{ID: "P-3", Confidentiality: tumen.Internal, Names: []tumen.Name{{Full: "최명철"}}},
		&tumen.Act{ID: "A-9", EventID: "E-none", VictimID: "P-3", Type: "arrest"}})
	if err := s.Import(ctx, bad, nil); err == nil {
		t.Fatal("an import naming an unknown event succeeded")
	}
	if got := ids(search(t, ix, "Choe Myong-chol", analyst)); len(got) != 0 {
		t.Errorf("a failed import was indexed: %v", got)
	}
	if err := s.CreatePerson(ctx, &tumen.Person{ID: "P-2", Confidentiality: tumen.Internal, Names: []tumen.Name{{Full: "정순옥"}}}); err == nil {
		t.Fatal("a duplicate id was accepted")
	}
	if got := ids(search(t, ix, "정순옥", analyst)); len(got) != 0 {
		t.Errorf("a failed write was indexed: %v", got)
	}
	// A fresh build from the store agrees with the index kept by writes.
	fresh, err := Build(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"박순희", "집결소", "sex:f", "Kim Chol-su"} {
		if a, b := ids(search(t, ix, q, admin)), ids(search(t, fresh, q, admin)); !slices.Equal(a, b) {
			t.Errorf("%q: kept %v, rebuilt %v", q, a, b)
		}
	}
}

// failActs is a store whose acts cannot be read.
type failActs struct{ tumen.Store }

var errActs = errors.New("acts unreadable")

func (failActs) ListActs(context.Context, tumen.ActFilter) ([]*tumen.Act, error) {
	return nil, errActs
}

func TestBuildReadError(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := testStore(t)
	if err := db.Import(ctx, synth.New(1).Records(50), nil); err != nil {
		t.Fatal(err)
	}
	// A read that fails in the background fails the build.
	if ix, err := Build(ctx, failActs{db}); !errors.Is(err, errActs) || ix != nil {
		t.Fatalf("Build with unreadable acts: %v, %v", ix, err)
	}
	ix, err := Build(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	if st := ix.Stats(); st.Persons != 50 || st.Acts == 0 || st.Sources == 0 || st.Events == 0 {
		t.Errorf("built from 50 persons: %s", st)
	}
}

func TestStartInBackground(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := testStore(t)
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(db.CreatePerson(ctx, &tumen.Person{ID: "P-1", Confidentiality: tumen.Internal, Names: []tumen.Name{{Full: "이영희"}}}))

	slow := storetest.HeldActs{Store: db, Release: make(chan struct{})}
	ended := make(chan error, 1)
	ix := Start(ctx, slow, func(_ Stats, _ time.Duration, err error) { ended <- err })
	s := NewStore(db, ix)
	q, _ := ParseQuery("이영희")
	// While it builds, a search is refused as unavailable, at once.
	if _, err := ix.Search(ctx, q, admin, Options{}); tumen.ErrorKind(err) != tumen.KindUnavailable {
		t.Fatalf("search during the build: %v", err)
	}
	// Writes meanwhile are kept and applied after it, in order: P-1
	// renamed twice, a new person, an import.
	must(s.UpdatePerson(ctx, &tumen.Person{ID: "P-1", Confidentiality: tumen.Internal, Names: []tumen.Name{{Full: "박순희"}}}))
	must(s.UpdatePerson(ctx, &tumen.Person{ID: "P-1", Confidentiality: tumen.Internal, Names: []tumen.Name{{Full: "최옥순"}}}))
	must(s.CreatePerson(ctx, &tumen.Person{ID: "P-2", Confidentiality: tumen.Internal, Names: []tumen.Name{{Full: "김철수"}}}))
	must(s.Import(ctx, seq([]any{&tumen.Person{ID: "P-3", Confidentiality: tumen.Internal, Names: []tumen.Name{{Full: "정순옥"}}}}), nil))
	close(slow.Release)
	must(<-ended)
	for q, want := range map[string][]string{"최옥순": {"P-1"}, "이영희": nil, "박순희": nil, "Kim Chol-su": {"P-2"}, "정순옥": {"P-3"}} {
		if got := ids(search(t, ix, q, admin)); !slices.Equal(got, want) {
			t.Errorf("%q after the build: %v, want %v", q, got, want)
		}
	}
	// Writes after it apply at once.
	must(s.UpdatePerson(ctx, &tumen.Person{ID: "P-2", Confidentiality: tumen.Internal, Names: []tumen.Name{{Full: "김영호"}}}))
	if got := ids(search(t, ix, "김영호", admin)); !slices.Equal(got, []string{"P-2"}) {
		t.Errorf("a write after the build: %v", got)
	}

	// A build that fails leaves searches refused, saying so.
	failed := Start(ctx, failActs{db}, func(_ Stats, _ time.Duration, err error) { ended <- err })
	if err := <-ended; !errors.Is(err, errActs) {
		t.Fatalf("failed build reported %v", err)
	}
	_, err := failed.Search(ctx, q, admin, Options{})
	if tumen.ErrorKind(err) != tumen.KindUnavailable || !strings.Contains(tumen.ErrorMessage(err), "could not be built") {
		t.Errorf("search after a failed build: %v", err)
	}
}
