package search

import (
	"context"
	"errors"
	"maps"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"tumen"
	"tumen/approx"
	"tumen/vocab"
)

// The test records. Names and texts are invented.
func testRecords(t *testing.T) []any {
	t.Helper()
	var recs []any
	d, err := vocab.Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range d.Bundle().Places {
		recs = append(recs, p)
	}
	person := func(id string, sex tumen.Sex, level tumen.Level, ns ...tumen.Name) *tumen.Person {
		return &tumen.Person{ID: id, Sex: sex, Confidentiality: level, Names: ns}
	}
	hs := func(full string) tumen.Name { return tumen.Name{Full: full, System: tumen.NameHangulSouth} }
	recs = append(recs,
		// P-1 is recorded in South Hangul only, P-2 in a DPRK-style
		// romanization only, P-3 in Hanja only: each spelling of the
		// query must reach all three.
		person("P-1", tumen.SexFemale, tumen.Confidential, hs("이영호")),
		person("P-2", tumen.SexMale, tumen.Confidential, tumen.Name{Full: "Ri Yong Ho", System: tumen.NameRoman}),
		person("P-3", tumen.SexFemale, tumen.Internal, tumen.Name{Full: "李英浩", System: tumen.NameHanja}),
		person("P-4", tumen.SexFemale, tumen.Confidential, hs("김철수")),
		// P-5 bears the same name but is secret.
		person("P-5", tumen.SexFemale, tumen.Secret, hs("이영호")),
		// P-6 is one jamo off: ranked below the exact spellings.
		person("P-6", tumen.SexMale, tumen.Confidential, hs("이영후")),
	)
	date := func(s string) approx.Date { return approx.MustParse(s) }
	recs = append(recs,
		&tumen.Event{ID: "E-1", Title: "Forced repatriation", Date: date("2023-03/2023-09"), Confidentiality: tumen.Internal},
		&tumen.Event{ID: "E-1-1", ParentID: "E-1", Stage: "S4", PlaceID: "CN-DAN-BDC", Date: date("2023-04"), Confidentiality: tumen.Internal,
			Narrative: "단둥 변방구류심사소에 수감되었다. Held with others awaiting return."},
		&tumen.Event{ID: "E-1-2", ParentID: "E-1", Stage: "S7", PlaceID: "KP-ONS-MSS", Date: date("2023-06"), Confidentiality: tumen.Internal,
			Narrative: "그는 온성집결소에서 강제노동을 했다."},
		&tumen.Act{ID: "A-1", EventID: "E-1-1", VictimID: "P-1", Type: "detention", Perpetrators: []tumen.Involvement{{OrganisationID: "cn-border-defence"}}},
		&tumen.Act{ID: "A-2", EventID: "E-1-2", VictimID: "P-1", Type: "forced-labour", Perpetrators: []tumen.Involvement{{OrganisationID: "kp-msos"}}},
		&tumen.Event{ID: "E-2", Title: "Arrest", Stage: "S2", PlaceID: "CN-TUM", Date: date("2019"), Confidentiality: tumen.Internal,
			Narrative: "Arrested in Tumen during an identity check."},
		&tumen.Act{ID: "A-3", EventID: "E-2", VictimID: "P-2", Type: "arrest", Perpetrators: []tumen.Involvement{{OrganisationID: "cn-psb"}}},
		&tumen.Source{ID: "S-1", Kind: "testimony", Organisation: "Bridge Watch", Confidentiality: tumen.Confidential, Title: "Interview two",
			Text:     "The witness was held at the Onsong holding centre before transfer. Testimonies agree.",
			Supports: []tumen.Link{{Kind: tumen.RecordPerson, ID: "P-2"}}},
		// A secret source about P-4: a confidential caller must not find
		// P-4 through it, count it, or see a snippet of it.
		&tumen.Source{ID: "S-2", Kind: "testimony", Organisation: "Yalu Records Project", Confidentiality: tumen.Secret,
			Text:     "The secret annex names the Onsong holding centre guard.",
			Supports: []tumen.Link{{Kind: tumen.RecordPerson, ID: "P-4"}}},
		// A secret event in P-4's chain, at a stage no visible event has.
		&tumen.Event{ID: "E-4", Stage: "S9", PlaceID: "KP-ONS", Date: date("2021"), Confidentiality: tumen.Secret, Narrative: "Secret escape account."},
		&tumen.Act{ID: "A-4", EventID: "E-4", VictimID: "P-4", Type: "torture"},
	)
	return recs
}

func seq(recs []any) func(func(any, error) bool) {
	return func(yield func(any, error) bool) {
		for _, r := range recs {
			if !yield(r, nil) {
				return
			}
		}
	}
}

func testIndex(t *testing.T) *Index {
	t.Helper()
	ix := New(nil)
	if err := ix.Load(seq(testRecords(t))); err != nil {
		t.Fatal(err)
	}
	return ix
}

var (
	analyst = Access{Clearance: tumen.Confidential, Identity: true}
	admin   = Access{Clearance: tumen.Secret, Identity: true}
	viewer  = Access{Clearance: tumen.Internal}
)

func search(t *testing.T, ix *Index, q string, a Access) *Result {
	t.Helper()
	pq, err := ParseQuery(q)
	if err != nil {
		t.Fatalf("query %d bytes: %v", len(q), err)
	}
	r, err := ix.Search(context.Background(), pq, a, Options{Limit: 100, Snippets: 3})
	if err != nil {
		t.Fatalf("search: %v", err)
	}
	return r
}

func ids(r *Result) []string {
	var out []string
	for _, h := range r.Hits {
		out = append(out, h.PersonID)
	}
	return out
}

func hit(r *Result, id string) *Hit {
	for i := range r.Hits {
		if r.Hits[i].PersonID == id {
			return &r.Hits[i]
		}
	}
	return nil
}

func TestNameSpellings(t *testing.T) {
	t.Parallel()
	ix := testIndex(t)
	// Each spelling of 이영호 finds the three persons recorded under three
	// different spellings of it, at full similarity, above the one-jamo
	// variant, and never the namesake the caller may not see.
	for _, tc := range []struct{ system, q string }{
		{"hangul-south", "이영호"},
		{"hangul-north", "리영호"},
		{"dprk", "Ri Yong Ho"},
		{"rr", "I Yeongho"},
		{"rr-hyphen", "Yi Yeong-ho"},
		{"mr", "Yi Yŏng-ho"},
		{"mr-plain", "Yi Yong-ho"},
		{"practical", "Lee Young-ho"},
		{"passport", "YEONGHO LEE"},
		{"hanja", "李英浩"},
		{"pinyin", "Li Yinghao"},
	} {
		t.Run(tc.system, func(t *testing.T) {
			r := search(t, ix, tc.q, analyst)
			got := ids(r)
			if len(got) < 3 || !sameSet(got[:3], []string{"P-1", "P-2", "P-3"}) {
				t.Fatalf("top hits %v, want P-1, P-2, P-3 first", got)
			}
			for _, id := range []string{"P-1", "P-2", "P-3"} {
				if h := hit(r, id); h.NameScore < 0.99 {
					t.Errorf("%s name score %.3f, want 1", id, h.NameScore)
				}
			}
			if slices.Contains(got, "P-5") {
				t.Errorf("the secret namesake was returned to a confidential caller")
			}
			if slices.Contains(got, "P-4") {
				t.Errorf("an unrelated name matched")
			}
		})
	}
	// The one-jamo variant matches, ranked below.
	r := search(t, ix, "이영호", analyst)
	h := hit(r, "P-6")
	if h == nil || h.NameScore >= 0.99 || h.NameScore < DefaultMinName {
		t.Fatalf("one-jamo variant: %+v", h)
	}
	if r.Hits[len(r.Hits)-1].PersonID != "P-6" {
		t.Errorf("one-jamo variant should rank last, got %v", ids(r))
	}
	// An admin sees the secret namesake too.
	if !slices.Contains(ids(search(t, ix, "Ri Yong Ho", admin)), "P-5") {
		t.Errorf("secret namesake missing for a cleared caller")
	}
	// A family name alone finds everyone recorded with it, in every
	// spelling, at the surname score; the secret namesake only for a
	// cleared caller; another family never.
	for _, q := range []string{"Lee", "Ri", "Yi", "이", "리", "李"} {
		r := search(t, ix, q, analyst)
		if got := ids(r); !sameSet(got, []string{"P-1", "P-2", "P-3", "P-6"}) {
			t.Errorf("family name %q: %v, want P-1, P-2, P-3, P-6", q, got)
		}
		for _, h := range r.Hits {
			if h.NameScore != SurnameScore || h.Name == "" {
				t.Errorf("family name %q: %s scored %.2f under %q", q, h.PersonID, h.NameScore, h.Name)
			}
		}
		if got := ids(search(t, ix, q, admin)); !slices.Contains(got, "P-5") {
			t.Errorf("family name %q: the secret namesake missing for a cleared caller", q)
		}
	}
	for _, q := range []string{"Kim", "김", "金", "Gim"} {
		if got := ids(search(t, ix, q, analyst)); !slices.Equal(got, []string{"P-4"}) {
			t.Errorf("family name %q: %v, want P-4", q, got)
		}
	}
	// Not with a given name beside it, and not for a given name alone.
	if got := ids(search(t, ix, "Kim Yongho", analyst)); len(got) != 0 {
		t.Errorf("Kim Yongho: %v", got)
	}
	if got := ids(search(t, ix, "영호", analyst)); len(got) != 0 {
		t.Errorf("a given name alone: %v", got)
	}
}

func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

func TestFullText(t *testing.T) {
	t.Parallel()
	ix := testIndex(t)
	for _, tc := range []struct {
		q    string
		want []string
		mark string // the text every mark of the first snippet covers
	}{
		{"집결소", []string{"P-1"}, "집결소"}, // inside a run without spaces
		{"온성집결소", []string{"P-1"}, "온성집결소"},
		{"온성 집결소", []string{"P-1"}, ""},        // two words, both in the text
		{`"온성 집결소"`, []string{"P-1"}, "온성집결소"}, // a phrase ignores Korean spacing
		{"강제노동", []string{"P-1"}, "강제노동"},
		{"성집결", []string{"P-1"}, "성집결"},
		{"구류", []string{"P-1"}, "구류"},
		{"onsong", []string{"P-2"}, "Onsong"},
		{"ONSONG Holding", []string{"P-2"}, ""},
		{`"holding centre"`, []string{"P-2"}, "holding centre"},
		{`"holding centres"`, []string{"P-2"}, "holding centre"}, // phrases match stemmed words
		{`"centre holding"`, nil, ""},
		{"centres", []string{"P-2"}, "centre"}, // plural stem
		{"testimony", []string{"P-2"}, "Testimonies"},
		{"tumen identity", []string{"P-2"}, ""},
		{"tumen onsong", nil, ""}, // all words in one text
		{"집결", []string{"P-1"}, "집결"},
		{"온", []string{"P-1"}, "온"}, // one syllable: any bigram holding it
		{"nowhere", nil, ""},
	} {
		r := search(t, ix, tc.q, analyst)
		var got []string
		for _, h := range r.Hits {
			if h.TextScore > 0 {
				got = append(got, h.PersonID)
			}
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("%q: text hits %v, want %v", tc.q, got, tc.want)
			continue
		}
		if len(tc.want) == 0 {
			continue
		}
		sn := r.Hits[0].Snippets
		if len(sn) == 0 {
			t.Errorf("%q: no snippet", tc.q)
			continue
		}
		checkSnippet(t, tc.q, sn[0])
		if tc.mark != "" {
			m := sn[0].Marks[0]
			if got := sn[0].Text[m.Start:m.End]; got != tc.mark {
				t.Errorf("%q: first mark covers %q, want %q", tc.q, got, tc.mark)
			}
		}
	}
}

// checkSnippet checks that a snippet is valid UTF-8 with marks on rune
// boundaries, ascending and disjoint.
func checkSnippet(t *testing.T, q string, s Snippet) {
	t.Helper()
	if !utf8.ValidString(s.Text) {
		t.Errorf("%q: snippet is not valid UTF-8", q)
	}
	if len(s.Marks) == 0 {
		t.Errorf("%q: snippet has no marks", q)
	}
	end := 0
	for _, m := range s.Marks {
		if m.Start < end || m.End <= m.Start || m.End > len(s.Text) {
			t.Fatalf("%q: bad mark %v in %d bytes", q, m, len(s.Text))
		}
		if !utf8.ValidString(s.Text[m.Start:m.End]) || !utf8.RuneStart(s.Text[m.Start]) || (m.End < len(s.Text) && !utf8.RuneStart(s.Text[m.End])) {
			t.Errorf("%q: mark %v cuts a rune", q, m)
		}
		end = m.End
	}
}

func TestSnippetLongText(t *testing.T) {
	t.Parallel()
	// A long Korean text with the match in the middle: the cut must fall
	// on rune boundaries and keep the mark.
	text := strings.Repeat("가나다라마바사 ", 40) + "온성집결소에서 일했다 " + strings.Repeat("아자차카타파하 ", 40)
	ix := New(nil)
	ix.PutPerson(&tumen.Person{ID: "P-9", Confidentiality: tumen.Internal, Names: []tumen.Name{{Full: "박순희"}}})
	ix.PutSource(&tumen.Source{ID: "S-9", Confidentiality: tumen.Internal, Text: text, Supports: []tumen.Link{{Kind: tumen.RecordPerson, ID: "P-9"}}})
	r := search(t, ix, "집결소", analyst)
	if len(r.Hits) != 1 || len(r.Hits[0].Snippets) != 1 {
		t.Fatalf("hits %v", ids(r))
	}
	s := r.Hits[0].Snippets[0]
	checkSnippet(t, "long", s)
	if !strings.HasPrefix(s.Text, "…") || !strings.HasSuffix(s.Text, "…") {
		t.Errorf("a cut passage should show ellipses")
	}
	if len(s.Text) > snippetBytes+10 {
		t.Errorf("snippet of %d bytes", len(s.Text))
	}
	if s.Kind != "source" || s.RecordID != "S-9" || s.Field != "text" {
		t.Errorf("snippet source %s %s %s", s.Kind, s.RecordID, s.Field)
	}
	// Cut at every offset: never an invalid string.
	for i := range 300 {
		txt, marks := cut(text, [][2]int{{i * 3, i*3 + 6}})
		if !utf8.ValidString(txt) {
			t.Fatalf("cut at %d gave invalid UTF-8", i)
		}
		for _, m := range marks {
			if m.End > len(txt) {
				t.Fatalf("mark beyond text")
			}
		}
	}
}

func facet(r *Result, name string) map[string]int {
	m := map[string]int{}
	for _, f := range r.Facets {
		if f.Name == name {
			for _, v := range f.Values {
				m[v.Value] = v.Count
			}
		}
	}
	return m
}

func TestFiltersAndFacets(t *testing.T) {
	t.Parallel()
	ix := testIndex(t)
	for _, tc := range []struct {
		q    string
		a    Access
		want []string
	}{
		{"sex:f", analyst, []string{"P-1", "P-3", "P-4"}},
		{"sex:f", admin, []string{"P-1", "P-3", "P-4", "P-5"}},
		{"sex:m", analyst, []string{"P-2", "P-6"}},
		{"place:CN-DAN", analyst, []string{"P-1"}}, // everything under Dandong
		{"place:Dandong", analyst, []string{"P-1"}},
		{"place:단둥 year:2023", analyst, []string{"P-1"}},
		{"place:CN-DAN year:2022", analyst, nil}, // one event must meet both
		{"place:KP-ONS stage:S4", analyst, nil},  // stage S4 was in Dandong
		{"place:KP-ONS stage:S7", analyst, []string{"P-1"}},
		{"from:2023-05 to:2023-05", analyst, []string{"P-1"}}, // the root's range overlaps
		{"type:arrest", analyst, []string{"P-2"}},
		{"type:arrest agency:cn-psb", analyst, []string{"P-2"}},
		{"type:arrest agency:kp-msos", analyst, nil},
		{"agency:kp-msos place:KP-ONS", analyst, []string{"P-1"}},
		{"type:torture", analyst, nil}, // its event is secret
		{"type:torture", admin, []string{"P-4"}},
		{"org:\"Bridge Watch\"", analyst, []string{"P-2"}},
		{"org:\"Yalu Records Project\"", analyst, nil}, // the source is secret
		{"org:\"Yalu Records Project\"", admin, []string{"P-4"}},
		{"level:internal", analyst, []string{"P-3"}},
		{"level:secret", analyst, nil},
		{"stage:S9", analyst, nil},
		{"type:nosuchtype", analyst, nil},
		{"onsong sex:m", analyst, []string{"P-2"}},
		{"onsong sex:f", analyst, nil},
		{"이영호 sex:f", analyst, []string{"P-1", "P-3"}},
		{"sex:f", viewer, []string{"P-3"}}, // a viewer sees internal records only
	} {
		r := search(t, ix, tc.q, tc.a)
		got := ids(r)
		slices.Sort(got)
		if !slices.Equal(got, tc.want) || r.Total != len(tc.want) {
			t.Errorf("%q (clearance %v): %v total %d, want %v", tc.q, tc.a.Clearance, got, r.Total, tc.want)
		}
	}

	r := search(t, ix, "sex:f", analyst)
	if f := facet(r, "sex"); f["f"] != 3 || len(f) != 1 {
		t.Errorf("sex facet %v", f)
	}
	if f := facet(r, "level"); f["confidential"] != 2 || f["internal"] != 1 || f["secret"] != 0 {
		t.Errorf("level facet %v", f)
	}
	if f := facet(r, "stage"); f["S4"] != 1 || f["S7"] != 1 || f["S9"] != 0 {
		t.Errorf("stage facet %v: a secret event's stage must not be counted", f)
	}
	if f := facet(r, "type"); f["detention"] != 1 || f["forced-labour"] != 1 || f["torture"] != 0 {
		t.Errorf("type facet %v", f)
	}
	if f := facet(r, "org"); len(f) != 0 {
		t.Errorf("org facet %v: the only source of these persons is secret", f)
	}
	if f := facet(r, "year"); f["2023"] != 1 || len(f) != 1 {
		t.Errorf("year facet %v", f)
	}
	r = search(t, ix, "sex:f", admin)
	if f := facet(r, "stage"); f["S9"] != 1 {
		t.Errorf("stage facet for a cleared caller %v", f)
	}
	if f := facet(r, "org"); f["Yalu Records Project"] != 1 {
		t.Errorf("org facet for a cleared caller %v", f)
	}
	r = search(t, ix, "sex:m", analyst)
	if f := facet(r, "agency"); f["cn-psb"] != 1 || len(f) != 1 {
		t.Errorf("agency facet %v", f)
	}
	if f := facet(r, "place"); f["CN-TUM"] != 1 {
		t.Errorf("place facet %v", f)
	}
}

func TestPermissions(t *testing.T) {
	t.Parallel()
	ix := testIndex(t)
	// The secret source names Onsong for P-4: a confidential caller finds
	// only P-2, whose source is confidential; no snippet of the secret
	// text reaches them.
	r := search(t, ix, "onsong", analyst)
	if got := ids(r); !slices.Equal(got, []string{"P-2"}) || r.Total != 1 {
		t.Fatalf("onsong for a confidential caller: %v total %d", got, r.Total)
	}
	for _, s := range r.Hits[0].Snippets {
		if s.RecordID == "S-2" || strings.Contains(s.Text, "annex") {
			t.Errorf("a snippet of a secret source reached a confidential caller")
		}
	}
	if got := ids(search(t, ix, "annex", analyst)); len(got) != 0 {
		t.Errorf("a word only in a secret text matched: %v", got)
	}
	if got := ids(search(t, ix, "annex", admin)); !slices.Equal(got, []string{"P-4"}) {
		t.Errorf("a cleared caller should find the secret text: %v", got)
	}
	if got := ids(search(t, ix, "escape", analyst)); len(got) != 0 {
		t.Errorf("a secret event's narrative matched: %v", got)
	}
	// Without identity permission neither names nor texts may be searched,
	// whatever the clearance; filters and counts may.
	for _, q := range []string{"이영호", "onsong", `"holding centre"`} {
		pq, err := ParseQuery(q)
		if err != nil {
			t.Fatal(err)
		}
		_, err = ix.Search(context.Background(), pq, Access{Clearance: tumen.Secret}, Options{})
		if tumen.ErrorKind(err) != tumen.KindForbidden {
			t.Errorf("text search without identity permission: %v", err)
		}
	}
	// A value only a secret record carries and a value no record carries
	// give the same answer.
	a, b := search(t, ix, `org:"Yalu Records Project"`, analyst), search(t, ix, `org:"No Such Organisation"`, analyst)
	if a.Total != 0 || b.Total != 0 || !slices.EqualFunc(a.Facets, b.Facets, func(x, y Facet) bool { return x.Name == y.Name && len(x.Values) == len(y.Values) }) {
		t.Errorf("a hidden value is told apart from an unknown one: %+v vs %+v", a.Facets, b.Facets)
	}
	r = search(t, ix, "sex:m", Access{Clearance: tumen.Confidential})
	if r.Total != 2 {
		t.Errorf("filter without identity permission: total %d", r.Total)
	}
	// A caller with clearance below every record sees nothing at all.
	r = search(t, ix, "sex:f", Access{Clearance: tumen.Public})
	if r.Total != 0 || len(r.Hits) != 0 {
		t.Errorf("public caller: %v", ids(r))
	}
	for _, f := range r.Facets {
		if len(f.Values) != 0 {
			t.Errorf("public caller sees facet %s values %v", f.Name, f.Values)
		}
	}
}

func TestIncremental(t *testing.T) {
	t.Parallel()
	// Records put one at a time, in an order where references come before
	// what they name, give the same answers as a bulk load.
	recs := testRecords(t)
	bulk := testIndex(t)
	inc := New(nil)
	var places []*tumen.Place
	for _, r := range recs {
		if p, ok := r.(*tumen.Place); ok {
			places = append(places, p)
		}
	}
	inc.SetPlaces(places)
	for i := len(recs) - 1; i >= 0; i-- {
		switch v := recs[i].(type) {
		case *tumen.Person:
			inc.PutPerson(v)
		case *tumen.Event:
			inc.PutEvent(v)
		case *tumen.Act:
			inc.PutAct(v)
		case *tumen.Source:
			inc.PutSource(v)
		}
	}
	for _, q := range []string{"sex:f", "place:CN-DAN", "type:arrest", "onsong", "집결소", "이영호", "org:\"Bridge Watch\"", "stage:S7 year:2023"} {
		a, b := search(t, bulk, q, analyst), search(t, inc, q, analyst)
		if !slices.Equal(ids(a), ids(b)) || !slices.EqualFunc(a.Facets, b.Facets, func(x, y Facet) bool { return x.Name == y.Name && slices.Equal(x.Values, y.Values) }) {
			t.Errorf("%q: bulk %v, incremental %v", q, ids(a), ids(b))
		}
	}
	// Updates apply alike to an index filled by Put and to one bulk-loaded.
	for _, inc := range []*Index{inc, bulk} {
		// An update replaces the old name and notes.
		inc.PutPerson(&tumen.Person{ID: "P-4", Sex: tumen.SexFemale, Confidentiality: tumen.Confidential,
			Names: []tumen.Name{{Full: "박순희"}}, Notes: "Moved to Hyesan."})
		if slices.Contains(ids(search(t, inc, "김철수", analyst)), "P-4") {
			t.Errorf("the old name still finds the updated person")
		}
		if !slices.Contains(ids(search(t, inc, "Pak Sun-hui", analyst)), "P-4") {
			t.Errorf("the new name does not find the updated person")
		}
		if !slices.Contains(ids(search(t, inc, "hyesan", analyst)), "P-4") {
			t.Errorf("the new notes do not find the updated person")
		}
		// Moving an act to another victim moves the facts with it.
		inc.PutAct(&tumen.Act{ID: "A-3", EventID: "E-2", VictimID: "P-6", Type: "arrest"})
		if got := ids(search(t, inc, "type:arrest", analyst)); !slices.Equal(got, []string{"P-6"}) {
			t.Errorf("after moving the act: %v", got)
		}
		if got := ids(search(t, inc, "tumen identity", analyst)); !slices.Equal(got, []string{"P-6"}) {
			t.Errorf("the event's text did not follow the act: %v", got)
		}
	}
}

func TestSearchErrors(t *testing.T) {
	t.Parallel()
	ix := testIndex(t)
	for _, tc := range []struct {
		q    string
		kind tumen.Kind
	}{
		{"", tumen.KindInvalid},
		{"   ", tumen.KindInvalid},
		{`"unclosed`, tumen.KindInvalid},
		{"sex:x", tumen.KindInvalid},
		{"stage:S10", tumen.KindInvalid},
		{"level:top", tumen.KindInvalid},
		{"year:soon", tumen.KindInvalid},
		{"from:2024 to:2020", tumen.KindInvalid},
		{"sex:f sex:m", tumen.KindInvalid},
		{"place:Atlantis", tumen.KindInvalid},
		{strings.Repeat("a ", 40), tumen.KindInvalid},
		{strings.Repeat("x", MaxQueryBytes+1), tumen.KindInvalid},
	} {
		pq, err := ParseQuery(tc.q)
		if err == nil {
			_, err = ix.Search(context.Background(), pq, analyst, Options{})
		}
		if err == nil || tumen.ErrorKind(err) != tc.kind {
			t.Errorf("query of %d bytes: error %v, want kind %v", len(tc.q), err, tc.kind)
		}
		// The message must not repeat the query, which may hold a name.
		if err != nil && len(tc.q) > 3 && strings.Contains(err.Error(), strings.TrimSpace(tc.q)) {
			t.Errorf("error repeats the query: %v", err)
		}
	}
	pq, _ := ParseQuery("sex:f")
	if _, err := ix.Search(context.Background(), pq, analyst, Options{Limit: 5000}); !errors.Is(err, err) || tumen.ErrorKind(err) != tumen.KindInvalid {
		t.Errorf("oversized page: %v", err)
	}
}

func TestParseQuery(t *testing.T) {
	t.Parallel()
	q, err := ParseQuery(`Ri Yong Ho "holding centre" sex:F stage:s5 place:"Onsong County" org:"Bridge Watch" level:internal year:2023 10:30`)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(q.Words, []string{"Ri", "Yong", "Ho", "10:30"}) || !slices.Equal(q.Phrases, []string{"holding centre"}) {
		t.Errorf("words %q phrases %q", q.Words, q.Phrases)
	}
	f := q.Filter
	if f.Sex != tumen.SexFemale || f.Stage != "S5" || f.Place != "Onsong County" || f.Organisation != "Bridge Watch" ||
		f.Level == nil || *f.Level != tumen.Internal || f.From != 20230101 || f.To != 20231231 {
		t.Errorf("filter %+v", f)
	}
	// String writes what ParseQuery reads back.
	q2, err := ParseQuery(q.String())
	if err != nil {
		t.Fatal(err)
	}
	if q2.String() != q.String() {
		t.Errorf("round trip %q vs %q", q2.String(), q.String())
	}
}

func FuzzParseQuery(f *testing.F) {
	for _, s := range []string{"이영호", `"holding centre" sex:f`, "org:\"Bridge Watch\" year:2023", "place:", `"`, "from:2020 to:2019", "온 성", "a:b:c", "“smart quotes”"} {
		f.Add(s)
	}
	ix := New(nil)
	ix.PutPerson(&tumen.Person{ID: "P-1", Confidentiality: tumen.Internal, Names: []tumen.Name{{Full: "이영호"}}, Notes: "온성집결소 holding centre"})
	f.Fuzz(func(t *testing.T, s string) {
		q, err := ParseQuery(s)
		if err != nil {
			if tumen.ErrorKind(err) != tumen.KindInvalid {
				t.Fatalf("error of kind %v", tumen.ErrorKind(err))
			}
			return
		}
		if q.Empty() {
			t.Fatal("an empty query parsed without error")
		}
		// What String writes parses again to the same query.
		q2, err := ParseQuery(q.String())
		if err == nil && q2.String() != q.String() {
			t.Fatalf("round trip differs")
		}
		r, err := ix.Search(context.Background(), q, admin, Options{})
		if err != nil {
			if k := tumen.ErrorKind(err); k != tumen.KindInvalid {
				t.Fatalf("search error of kind %v", k)
			}
			return
		}
		for _, h := range r.Hits {
			for _, sn := range h.Snippets {
				checkSnippet(t, "fuzz", sn)
			}
		}
	})
}

// TestKoreanSpacing: Korean is spaced differently by different writers,
// so a phrase or word finds the text whether the query or the text puts
// a space between the words, and the snippet marks the whole match.
func TestKoreanSpacing(t *testing.T) {
	t.Parallel()
	ix := New(nil)
	ix.PutPerson(&tumen.Person{ID: "P-1", Names: []tumen.Name{{Full: "박순옥"}}, Confidentiality: tumen.Internal})
	ix.PutSource(&tumen.Source{ID: "S-1", Kind: "testimony", Text: "언니가 전화로 알려왔다. 그는 온성집결소에서 왔다.",
		Supports: []tumen.Link{{Kind: tumen.RecordPerson, ID: "P-1"}}})
	for _, q := range []string{`"전화로 알려왔다"`, `전화로알려왔다`, `"전화로알려왔다"`, `"언니가 전화로"`, `"온성 집결소"`, `온성집결소`} {
		r := search(t, ix, q, admin)
		if r.Total != 1 || len(r.Hits) != 1 || len(r.Hits[0].Snippets) == 0 || len(r.Hits[0].Snippets[0].Marks) == 0 {
			t.Errorf("%s: %d found", q, r.Total)
		}
	}
	// A space must not join what punctuation separates.
	if r := search(t, ix, `"알려왔다 그는"`, admin); r.Total != 0 {
		t.Errorf("a phrase across a full stop matched %d", r.Total)
	}
}

// TestGrams checks that the index's runs of three and four CJK characters
// are exactly those of the normalized text, which a query word of three or
// four syllables then needs no reading of the text to confirm: spacing,
// punctuation, Latin words, digits and joiners between the characters.
func TestGrams(t *testing.T) {
	t.Parallel()
	texts := []string{
		"온성집결소에서", "온성 집결소에서", "온 성 집 결 소", "온성,집결소", "온성. 집결-소!",
		"온성a집결소", "온성 1 집결소", "온성'집결소", "온성’ 집결 O'Brien 소에서", "集結所 가강건",
		"가", "가강", "가 강", "state security 보위부 (국가) 보위성", "가\u3000강\t건\n경",
	}
	var sc scanner
	for k, tx := range texts {
		got := map[string]bool{}
		sc.scan(tx, true, func(term []byte, _, _ int, _ bool) {
			if r, _ := utf8.DecodeRune(term); isCJK(r) && utf8.RuneCount(term) >= minGram {
				got[string(term)] = true
			}
		})
		want := map[string]bool{}
		norm := []rune(normalize(tx).norm)
		for i := range norm {
			for n := minGram; n <= maxGram && i+n <= len(norm); n++ {
				all := true
				for _, r := range norm[i : i+n] {
					all = all && isCJK(r)
				}
				if all {
					want[string(norm[i:i+n])] = true
				}
			}
		}
		if !maps.Equal(got, want) {
			t.Errorf("text %d: the scan's runs differ from the normalized text's (%d against %d)", k, len(got), len(want))
		}
	}
}

func TestHashTerm(t *testing.T) {
	t.Parallel()
	seen := map[uint64]string{}
	for _, s := range []string{"", "a", "ab", "abc", "abcd", "abcde", "abcdefg", "abcdefgh", "abcdefghi", "집결소", "온성집결", "0123456789abcdef", "0123456789abcdefg", strings.Repeat("long term ", 9)} {
		h := hashTerm(7, s)
		if h != hashTerm(7, []byte(s)) {
			t.Errorf("%q: string and bytes hash differently", s)
		}
		if o, ok := seen[h]; ok {
			t.Errorf("%q and %q hash alike", s, o)
		}
		seen[h] = s
		if s != "" && hashTerm(8, s) == h {
			t.Errorf("%q: the seed does not change the hash", s)
		}
	}
	// Fixed values: an index saved by one build must be read by the next.
	for s, want := range map[string]uint64{"집결소": 0xc49cddc33c492b9b, "holding": 0xdc9f5b8ff2edc0e8, "a long term of more than sixteen bytes": 0xe7de94838a341a10} {
		if got := hashTerm(1, s); got != want {
			t.Errorf("hashTerm(1, %q) = %#x, want %#x: saved indexes would no longer be read", s, got, want)
		}
	}
}
