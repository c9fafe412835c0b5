package linkage

import (
	"context"
	"fmt"
	"math"
	"strings"
	"testing"

	"tumen"
	"tumen/approx"
	"tumen/vocab"
)

func gazetteer(t testing.TB) *vocab.Data {
	t.Helper()
	g, err := vocab.Load()
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// prepared returns persons made of recs, prepared.
func prepared(t testing.TB, recs []Record) *Persons {
	t.Helper()
	p := NewPersons(gazetteer(t))
	for i := range recs {
		if recs[i].ID == "" {
			recs[i].ID = fmt.Sprintf("R%d", i)
		}
		p.Add(&recs[i])
	}
	if err := p.Prepare(context.Background(), 2); err != nil {
		t.Fatal(err)
	}
	return p
}

// level returns the label of comparison name for records i and j.
func level(p *Persons, name string, i, j int) string {
	for _, c := range p.Comparisons() {
		if c.Name() == name {
			if l := c.Compare(i, j); l > 0 {
				return c.Levels()[l-1]
			}
			return "missing"
		}
	}
	return "no comparison " + name
}

func TestNameLevels(t *testing.T) {
	t.Parallel()
	base := "이영호"
	cases := []struct{ name, want string }{
		{"리영호", "exact (any spelling)"},              // North Korean Hangul
		{"Lee Young-ho", "exact (any spelling)"},     // practical
		{"Yi Yŏng-ho", "exact (any spelling)"},       // McCune–Reischauer
		{"Yi Yong-ho", "exact (any spelling)"},       // MR without diacritics
		{"Ri Yong Ho", "exact (any spelling)"},       // the DPRK's style
		{"I Yeongho", "exact (any spelling)"},        // Revised Romanization
		{"YONGHO LEE", "exact (any spelling)"},       // passport, given name first
		{"Young-ho Lee", "exact (any spelling)"},     // given name first
		{"李英浩", "exact (any spelling)"},              // Hanja
		{"Li Yinghao", "pinyin fits every syllable"}, // pinyin
		{"이용호", "one similar jamo"},                  // 영/용: a typo, or another name
		{"이영보", "one jamo or letter"},
		{"이영수", "one syllable differs"},
		{"김철수", "different"},
		{"Jin Shunji", "different"}, // 金順姬 in pinyin is not 이영호
	}
	recs := []Record{{Names: []string{base}}}
	for _, c := range cases {
		recs = append(recs, Record{Names: []string{c.name}})
	}
	p := prepared(t, recs)
	for i, c := range cases {
		if got := level(p, "name", 0, i+1); got != c.want {
			t.Errorf("%s ~ %s: %s, want %s", base, c.name, got, c.want)
		}
		if got := level(p, "name", i+1, 0); got != c.want {
			t.Errorf("%s ~ %s: not symmetric: %s", c.name, base, got)
		}
	}
}

// TestPinyin checks pinyin read syllable by syllable: the names package
// reads "Jin Shunji" as Korean and finds nothing; the table finds 金順姬.
func TestPinyin(t *testing.T) {
	t.Parallel()
	p := prepared(t, []Record{
		{Names: []string{"김순희"}}, {Names: []string{"Jin Shunji"}}, {Names: []string{"金順姬"}},
		{Names: []string{"박순희"}}, {Names: []string{"Jiang Shunyu"}}, {Names: []string{"강순옥"}},
		{Names: []string{"Jin Shunji"}},
	})
	for _, tc := range []struct {
		i, j int
		want string
	}{
		{0, 1, "pinyin fits every syllable"},
		{2, 1, "pinyin fits every syllable"},
		{3, 1, "pinyin, one syllable misfits"},
		{4, 5, "pinyin fits every syllable"},
		{4, 0, "different"},
		{1, 6, "exact (any spelling)"},
	} {
		if got := level(p, "name", tc.i, tc.j); got != tc.want {
			t.Errorf("records %d ~ %d: %s, want %s", tc.i, tc.j, got, tc.want)
		}
	}
}

func TestPlaceLevels(t *testing.T) {
	t.Parallel()
	places := []string{"Tumen", "투먼", "图们", "Namyang", "Tumen border detention", "Dandong", "Hoeryong", "Musan-ŭp", "회령시", "Atlantis", "atlantis", ""}
	var recs []Record
	for _, pl := range places {
		recs = append(recs, Record{Names: []string{"김영희"}, EventPlace: pl, Origin: pl, EventDate: approx.MustParse("2015-03")})
	}
	p := prepared(t, recs)
	for _, tc := range []struct {
		i, j          int
		origin, event string
	}{
		{0, 1, "same place", "same month, same crossing"},
		{0, 2, "same place", "same month, same crossing"},
		{0, 3, "across the river", "same month, same crossing"},     // Tumen faces Namyang
		{0, 4, "one within the other", "same month, same crossing"}, // the detention centre is in Tumen
		{3, 4, "across the river", "same month, same crossing"},     // through the parent
		{0, 5, "different", "dates agree, places differ"},           // Tumen is in Jilin, Dandong in Liaoning
		{6, 7, "same province", "dates agree, places differ"},       // both North Hamgyong
		{6, 8, "same place", "same month, same crossing"},           // 회령시 is Hoeryong
		{9, 10, "same place", "same month, same crossing"},          // unknown to the gazetteer, same text
		{9, 0, "different", "dates agree, places differ"},
		{11, 0, "missing", "same day or month, place unknown"},
	} {
		if got := level(p, "origin", tc.i, tc.j); got != tc.origin {
			t.Errorf("origin %q ~ %q: %s, want %s", places[tc.i], places[tc.j], got, tc.origin)
		}
		if got := level(p, "event", tc.i, tc.j); got != tc.event {
			t.Errorf("event %q ~ %q: %s, want %s", places[tc.i], places[tc.j], got, tc.event)
		}
	}
}

func TestDateLevels(t *testing.T) {
	t.Parallel()
	dates := []string{"1985-03-02", "1985-03-02", "1985-03", "1985", "around 1986", "1987", "1989", "2005", ""}
	var recs []Record
	for _, d := range dates {
		recs = append(recs, Record{Names: []string{"김영희"}, BirthDate: approx.MustParse(d), EventDate: approx.MustParse(d), EventPlace: "Tumen"})
	}
	p := prepared(t, recs)
	for _, tc := range []struct {
		i, j         int
		birth, event string
	}{
		{0, 1, "same day", "same day, same crossing"},
		{0, 2, "same month", "same month, same crossing"},
		{2, 3, "overlap", "dates overlap, same crossing"},
		{3, 4, "overlap", "dates overlap, same crossing"},    // around 1986 reaches into 1985
		{3, 5, "a year apart", "same crossing, years apart"}, // 1985 and 1987 are 366 days apart
		{3, 6, "2–5 years apart", "same crossing, years apart"},
		{3, 7, "further apart", "same crossing, years apart"},
		{3, 8, "missing", "same crossing, date unknown"},
	} {
		if got := level(p, "birth_date", tc.i, tc.j); got != tc.birth {
			t.Errorf("birth %s ~ %s: %s, want %s", dates[tc.i], dates[tc.j], got, tc.birth)
		}
		if got := level(p, "event", tc.i, tc.j); got != tc.event {
			t.Errorf("event %s ~ %s: %s, want %s", dates[tc.i], dates[tc.j], got, tc.event)
		}
	}
}

// TestCommonNameKeptApart links a benchmark list with, added to it, one
// common name (Kim Yong-hui, 김영희) borne by several people. The records of
// one of them, in three spellings, must be linked; namesakes born in
// another year or from another county must not be.
func TestCommonNameKeptApart(t *testing.T) {
	t.Parallel()
	p := NewPersons(gazetteer(t))
	base, _ := synthRecords(t, 3000, 7)
	for i := range base {
		p.Add(&base[i])
	}
	d := func(s string) approx.Date { return approx.MustParse(s) }
	extra := []Record{
		{ID: "same-1", Source: "Seoul NGO", Names: []string{"김영희"}, BirthDate: d("1978-04"), Sex: tumen.SexFemale, Origin: "회령", EventDate: d("2012-05-03"), EventPlace: "투먼"},
		{ID: "same-2", Source: "UN submission", Names: []string{"Kim Yŏng-hŭi"}, BirthDate: d("1978"), Sex: tumen.SexFemale, Origin: "Hoeryŏng", EventDate: d("2012-05"), EventPlace: "Namyang"},
		{ID: "same-3", Source: "China police list", Names: []string{"金英姬"}, BirthDate: d("1978"), Sex: tumen.SexFemale, EventDate: d("2012-05-03"), EventPlace: "图们"},
		{ID: "other-year", Source: "Seoul NGO", Names: []string{"김영희"}, BirthDate: d("1991-02"), Sex: tumen.SexFemale, Origin: "회령", EventDate: d("2019-10-01"), EventPlace: "투먼"},
		{ID: "other-county", Source: "UN submission", Names: []string{"Kim Yong Hui"}, BirthDate: d("1978"), Sex: tumen.SexFemale, Origin: "Sinuiju", EventDate: d("2004-08"), EventPlace: "Dandong"},
		{ID: "other-sex", Source: "English news", Names: []string{"Kim Young-hee"}, BirthDate: d("around 1978"), Sex: tumen.SexMale, Origin: "Musan", EventDate: d("2020"), EventPlace: "Hyesan"},
	}
	for i := range extra {
		p.Add(&extra[i])
	}
	if err := p.Prepare(context.Background(), 2); err != nil {
		t.Fatal(err)
	}
	res, err := Link(context.Background(), p, Options{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	cl := map[string]int32{}
	for i := len(base); i < p.Len(); i++ {
		cl[p.ID(i)] = res.Clusters[i]
	}
	if cl["same-1"] != cl["same-2"] || cl["same-1"] != cl["same-3"] {
		t.Errorf("one person's three records not linked: %v", cl)
	}
	for _, id := range []string{"other-year", "other-county", "other-sex"} {
		if cl[id] == cl["same-1"] {
			t.Errorf("%s linked with a namesake: %v", id, cl)
		}
	}
	// The common name weighs less than a rare one would: term frequency.
	i, j := len(base), len(base)+1
	e := res.Model.Explain(i, j)
	if e.Fields[0].Field != "name" || e.Fields[0].TermFrequency == 0 {
		t.Fatalf("no term-frequency adjustment on the name: %+v", e.Fields[0])
	}
	sum := e.Prior
	for _, f := range e.Fields {
		sum += f.Weight
	}
	if math.Abs(sum-e.Weight) > 1e-9 || math.Abs(e.Probability-Probability(e.Weight)) > 1e-12 || math.Abs(e.Weight-res.Model.Score(i, j)) > 1e-9 {
		t.Fatalf("explanation does not add up: %+v", e)
	}
	for _, f := range e.Fields {
		for _, v := range []string{"김영희", "Kim", "1978", "회령", "Hoeryong"} {
			if strings.Contains(f.Level, v) {
				t.Fatalf("explanation holds a value: %+v", f)
			}
		}
	}
}

// TestTermFrequency checks that agreeing on a name many records share is
// weaker evidence than agreeing on a rare one.
func TestTermFrequency(t *testing.T) {
	t.Parallel()
	recs := []Record{{Names: []string{"황보순실"}}, {Names: []string{"황보순실"}}}
	for range 50 {
		recs = append(recs, Record{Names: []string{"김영희"}})
	}
	p := prepared(t, recs)
	m, err := NewModel(p.Comparisons())
	if err != nil {
		t.Fatal(err)
	}
	rare, common := m.Score(0, 1), m.Score(2, 3)
	if want := math.Log2(50.0 / 2); math.Abs(rare-common-want) > 1e-9 {
		t.Fatalf("rare %.2f, common %.2f bits: the difference should be log2(50/2) = %.2f", rare, common, want)
	}
}
