package synth

import (
	"bytes"
	"io"
	"strings"
	"testing"

	"tumen"
	"tumen/exchange"
	"tumen/names"
)

func TestLinkageListDeterministic(t *testing.T) {
	t.Parallel()
	gen := func(seed int64) (string, string) {
		var l, tr bytes.Buffer
		if err := New(seed).WriteLinkageList(&l, &tr, 3000); err != nil {
			t.Fatal(err)
		}
		return l.String(), tr.String()
	}
	l1, t1 := gen(1)
	l2, t2 := gen(1)
	l3, _ := gen(2)
	if l1 != l2 || t1 != t2 {
		t.Fatal("same seed, different lists")
	}
	if l1 == l3 {
		t.Fatal("different seeds, same list")
	}
}

// TestLinkageListRealistic reads a list back as tumen link does and
// checks each source's habits, the noise and the truth.
func TestLinkageListRealistic(t *testing.T) {
	t.Parallel()
	const n = 6000
	var list, truth bytes.Buffer
	if err := New(3).WriteLinkageList(&list, &truth, n); err != nil {
		t.Fatal(err)
	}
	pr := exchange.NewPersonListReader(&list)
	rows := map[string]*exchange.Row{}
	var order []string
	for {
		r, err := pr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		rows[r.ID] = r
		order = append(order, r.ID)
	}
	if rep := pr.Report(); rep != nil || len(rows) != n {
		t.Fatalf("%d rows read, report %v", len(rows), rep)
	}
	person := map[string]string{}
	for i, line := range strings.Split(strings.TrimSpace(truth.String()), "\n")[1:] {
		id, p, _ := strings.Cut(line, ",")
		if id != order[i] {
			t.Fatalf("truth line %d is %s, list row is %s", i+2, id, order[i])
		}
		person[id] = p
	}
	type tally struct{ rows, hangul, north, hanjaOrPinyin, yearOnly, noBirth, noSex int }
	by := map[string]*tally{}
	perPerson := map[string]int{}
	adjacent := 0
	for i, id := range order {
		r := rows[id]
		s := by[r.Source]
		if s == nil {
			s = &tally{}
			by[r.Source] = s
		}
		s.rows++
		if names.IsHangul(r.Name) {
			s.hangul++
			if names.ToSouth(r.Name) != r.Name {
				s.north++
			}
		}
		if !names.IsHangul(r.Name) && (names.HanjaToHangul(r.Name) != r.Name || names.HangulFromPinyin(r.Name) != nil) {
			s.hanjaOrPinyin++
		}
		if p := r.BirthDate.Precision(); r.BirthDate.Known() && p.String() == "year" && !r.BirthDate.Estimated() {
			s.yearOnly++
		}
		if !r.BirthDate.Known() {
			s.noBirth++
		}
		if r.Sex == tumen.SexUnknown {
			s.noSex++
		}
		perPerson[person[id]]++
		if i > 0 && person[order[i-1]] == person[id] {
			adjacent++
		}
	}
	frac := func(a, b int) float64 { return float64(a) / float64(max(b, 1)) }
	for _, c := range []struct {
		src  string
		ok   bool
		what string
	}{
		{SourceNGO, frac(by[SourceNGO].hangul, by[SourceNGO].rows) > 0.95, "the NGO writes Hangul"},
		// Only some names differ between North and South (리/이, 림/임, 류/유 …).
		{SourceDPRK, frac(by[SourceDPRK].north, by[SourceDPRK].rows) > 0.15, "North Korean documents write North spellings"},
		{SourceUN, by[SourceUN].hangul == 0, "UN submissions romanize"},
		{SourceChina, frac(by[SourceChina].hanjaOrPinyin, by[SourceChina].rows) > 0.95 && frac(by[SourceChina].yearOnly, by[SourceChina].rows-by[SourceChina].noBirth) > 0.99, "Chinese lists write Hanja or pinyin and the birth year only"},
		{SourceNews, frac(by[SourceNews].noSex, by[SourceNews].rows) > 0.25 && frac(by[SourceNews].noBirth, by[SourceNews].rows) > 0.25, "news leaves sex and birth out often"},
	} {
		if !c.ok {
			t.Errorf("%s: %s: %+v", c.src, c.what, *by[c.src])
		}
	}
	// One to five records a person, about two on average.
	hist := map[int]int{}
	for _, k := range perPerson {
		hist[k]++
	}
	if hist[1] == 0 || hist[5] == 0 || hist[6] != 0 || frac(n, len(perPerson)) < 1.7 || frac(n, len(perPerson)) > 2.6 {
		t.Errorf("records per person: %v over %d persons", hist, len(perPerson))
	}
	// Shuffled: a person's records are rarely next to each other.
	if frac(adjacent, n) > 0.1 {
		t.Errorf("%d of %d rows follow a row of the same person", adjacent, n)
	}
}

func TestLinkageListLength(t *testing.T) {
	t.Parallel()
	for _, n := range []int{1, 7, 4097} {
		rows := 0
		for r := range New(1).LinkageList(n) {
			if len(r.Fields) != 8 || r.Person < 1 {
				t.Fatalf("row %+v", r)
			}
			rows++
		}
		if rows != n {
			t.Fatalf("LinkageList(%d) gave %d rows", n, rows)
		}
	}
}
