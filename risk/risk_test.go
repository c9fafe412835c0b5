package risk

import (
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"

	"tumen"
	"tumen/approx"
)

var now = time.Date(2026, 11, 29, 10, 0, 0, 0, time.UTC)

// handWeights reads rubric.json without the package's code: a plain map
// from code to weight and the caps, as a person checking a score would.
func handWeights(t *testing.T) (imm, sev map[string]int, immCap, sevCap int) {
	t.Helper()
	b, err := os.ReadFile("rubric.json")
	if err != nil {
		t.Fatal(err)
	}
	var raw map[string]any
	if err := json.Unmarshal(b, &raw); err != nil {
		t.Fatal(err)
	}
	read := func(name string) (map[string]int, int) {
		d := raw[name].(map[string]any)
		m := map[string]int{}
		for _, f := range d["factors"].([]any) {
			f := f.(map[string]any)
			m[f["code"].(string)] = int(f["weight"].(float64))
		}
		return m, int(d["cap"].(float64))
	}
	imm, immCap = read("imminence")
	sev, sevCap = read("severity")
	return
}

func TestScoreByHand(t *testing.T) {
	t.Parallel()
	imm, sev, immCap, sevCap := handWeights(t)
	r := Default()
	for _, tc := range []struct {
		name  string
		codes []string
		// want is the expected total written out from the rubric's
		// numbers, so that a change of weights shows up here too.
		want int
	}{
		{"nothing", nil, 0},
		{"border detention, border open", []string{"status:border-detention", "facility:cn-border-detention", "border-open"},
			imm["status:border-detention"] + imm["facility:cn-border-detention"] + imm["border-open"]},
		{"arrested, pregnant, church", []string{"status:arrested", "pregnant", "contact-church"},
			imm["status:arrested"] + sev["pregnant"] + sev["contact-church"]},
		{"a code twice counts once", []string{"pregnant", "pregnant"}, sev["pregnant"]},
		{"unknown code weighs nothing", []string{"likes-tea"}, 0},
		{"caps", []string{"status:border-detention", "facility:cn-border-detention", "border-open", "watch-date-near", "sentence-end-near",
			"intent-south-korea", "contact-south-koreans", "contact-church", "long-stay-china", "chinese-husband", "child-chinese-father", "pregnant", "earlier-repatriation"},
			min(immCap, imm["status:border-detention"]+imm["facility:cn-border-detention"]+imm["border-open"]+imm["watch-date-near"]+imm["sentence-end-near"]) +
				min(sevCap, sev["intent-south-korea"]+sev["contact-south-koreans"]+sev["contact-church"]+sev["long-stay-china"]+sev["chinese-husband"]+sev["child-chinese-father"]+sev["pregnant"]+sev["earlier-repatriation"])},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var facts []Fact
			for _, c := range tc.codes {
				facts = append(facts, Fact{Code: c})
			}
			s := r.Score(facts)
			if s.Total != tc.want || s.Total != s.Imminence+s.Severity {
				t.Fatalf("total %d (imminence %d, severity %d), by hand %d\n%s", s.Total, s.Imminence, s.Severity, tc.want, s.Explain())
			}
			// Every contribution shows its weight, and the weights add
			// up to the uncapped sums.
			var immSum, sevSum int
			for _, c := range s.Contributions {
				w, ok := imm[c.Code]
				if c.Dimension == "severity" {
					w, ok = sev[c.Code]
				}
				if !ok || w != c.Weight || c.Label == "" {
					t.Errorf("contribution %+v does not match the rubric (%d)", c, w)
				}
				if c.Dimension == "imminence" {
					immSum += c.Weight
				} else {
					sevSum += c.Weight
				}
			}
			if s.Imminence != min(immCap, immSum) || s.Severity != min(sevCap, sevSum) {
				t.Errorf("dimensions %d/%d, contributions add to %d/%d", s.Imminence, s.Severity, immSum, sevSum)
			}
		})
	}
	// The caps must bind in the last case, or it tests nothing.
	if imm["status:border-detention"]+imm["facility:cn-border-detention"]+imm["border-open"]+imm["watch-date-near"]+imm["sentence-end-near"] <= immCap {
		t.Error("the imminence cap does not bind in the caps case")
	}
}

func TestGather(t *testing.T) {
	t.Parallel()
	r := Default()
	in := Inputs{
		Person: &tumen.Person{ID: "P-1", BirthDate: approx.MustParse("2010")},
		Latest: &tumen.CustodyChange{Status: tumen.CustodyBorderDetention, Date: approx.MustParse("2026-11"), PlaceID: "CN-TUM-BDC", SourceID: "S-1"},
		Place:  &tumen.Place{ID: "CN-TUM-BDC", FacilityType: "cn-border-detention"},
		RiskFacts: []*tumen.RiskFact{
			{Code: "pregnant", SourceID: "S-2", Created: now.Add(-time.Hour)},
			{Code: "contact-church", Created: now.Add(-time.Hour), Withdrawn: now.Add(-time.Minute)}, // withdrawn
			{Code: CodeSentenceEnd, Date: approx.MustParse("2026-12-10"), Created: now.Add(-time.Hour)},
			{Code: "intent-south-korea", Created: now.Add(time.Hour)}, // recorded later than now
		},
		Border:     &tumen.BorderState{Open: true, Since: approx.MustParse("2023-08")},
		WatchDates: []*tumen.WatchDate{{Date: approx.MustParse("2027-03"), Label: "far"}, {Date: approx.MustParse("2026-12-05"), Label: "summit"}},
		Now:        now,
	}
	var codes []string
	for _, f := range r.Gather(in) {
		codes = append(codes, f.Code)
	}
	want := "status:border-detention facility:cn-border-detention border-open watch-date-near pregnant sentence-end-near minor"
	if got := strings.Join(codes, " "); got != want {
		t.Errorf("facts\n got %s\nwant %s", got, want)
	}
	// Handed over: no longer imminent in China; nor is a far sentence end.
	in.Latest = &tumen.CustodyChange{Status: tumen.CustodyHandedOver, PlaceID: "CN-TUM-BDC"}
	in.RiskFacts = []*tumen.RiskFact{{Code: CodeSentenceEnd, Date: approx.MustParse("2027"), Created: now.Add(-time.Hour)}}
	in.Person.BirthDate = approx.MustParse("1960s")
	in.Border, in.WatchDates = nil, nil
	codes = codes[:0]
	for _, f := range r.Gather(in) {
		codes = append(codes, f.Code)
	}
	if got := strings.Join(codes, " "); got != "status:handed-over" {
		t.Errorf("handed over: %s", got)
	}
	in.Person.BirthDate = approx.MustParse("1950s")
	if fs := r.Gather(in); fs[len(fs)-1].Code != CodeElderly {
		t.Errorf("born in the 1950s: %+v", fs)
	}
}

func TestParse(t *testing.T) {
	t.Parallel()
	r := Default()
	back, err := Parse(r.JSON())
	if err != nil || back.Version != r.Version || len(back.Severity.Factors) != len(r.Severity.Factors) {
		t.Fatalf("round trip: %v", err)
	}
	for _, tc := range []struct{ name, body, msg string }{
		{"not json", "{", "not valid JSON"},
		{"unknown field", `{"version":"x","weights":{}}`, "not valid JSON"},
		{"no version", `{"imminence":{"cap":1},"severity":{"cap":1}}`, "needs a version"},
		{"negative", `{"version":"x","imminence":{"cap":1,"factors":[{"code":"a","label":"A","weight":-1}]},"severity":{"cap":1}}`, "negative weight"},
		{"twice", `{"version":"x","imminence":{"cap":1,"factors":[{"code":"a","label":"A","weight":1}]},"severity":{"cap":1,"factors":[{"code":"a","label":"A","weight":1}]}}`, "appears twice"},
		{"no cap", `{"version":"x","imminence":{"cap":0},"severity":{"cap":1}}`, "positive cap"},
	} {
		if _, err := Parse([]byte(tc.body)); err == nil || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("%s: %v", tc.name, err)
		}
	}
}

// fakeStore is a Store over slices.
type fakeStore struct {
	cases   []*tumen.CustodyCase
	facts   map[string][]*tumen.RiskFact
	ivs     []*tumen.Intervention
	persons []*tumen.Person
}

func (f *fakeStore) CustodyCases(context.Context) ([]*tumen.CustodyCase, error) { return f.cases, nil }
func (f *fakeStore) RiskFacts(_ context.Context, id string) ([]*tumen.RiskFact, error) {
	return f.facts[id], nil
}
func (f *fakeStore) BorderState(context.Context) (*tumen.BorderState, error) {
	return nil, tumen.Errorf(tumen.KindNotFound, "none")
}
func (f *fakeStore) WatchDates(context.Context) ([]*tumen.WatchDate, error) { return nil, nil }
func (f *fakeStore) OpenInterventions(context.Context) ([]*tumen.Intervention, error) {
	return f.ivs, nil
}
func (f *fakeStore) Places(context.Context) ([]*tumen.Place, error) {
	return []*tumen.Place{{ID: "CN-TUM-BDC", FacilityType: "cn-border-detention"}}, nil
}
func (f *fakeStore) ListPersons(context.Context, tumen.PersonFilter) ([]*tumen.Person, error) {
	return f.persons, nil
}
func (f *fakeStore) Rubric(context.Context, int) (*tumen.RubricVersion, error) {
	return nil, tumen.Errorf(tumen.KindNotFound, "none")
}

func TestBoard(t *testing.T) {
	t.Parallel()
	seen := now.Add(-24 * time.Hour)
	st := &fakeStore{
		cases: []*tumen.CustodyCase{
			{PersonID: "P-1", Latest: &tumen.CustodyChange{Status: tumen.CustodyArrested}, Changes: 1, Updated: seen.Add(-time.Hour)},
			{PersonID: "P-2", Latest: &tumen.CustodyChange{Status: tumen.CustodyBorderDetention, PlaceID: "CN-TUM-BDC"}, Changes: 2, Updated: seen.Add(time.Hour)},
			{PersonID: "P-3", Latest: &tumen.CustodyChange{Status: tumen.CustodySafe}, Changes: 4},
		},
		facts: map[string][]*tumen.RiskFact{"P-1": {{Code: "pregnant", Created: seen.Add(time.Minute)}}},
		ivs: []*tumen.Intervention{
			{ID: "I-1", VictimID: "P-2", FollowUp: approx.MustParse("2026-11-20")},
			{ID: "I-2", VictimID: "P-2", FollowUp: approx.MustParse("2026-11")}, // may still be this month
		},
		persons: []*tumen.Person{{ID: "P-2", Names: []tumen.Name{{Full: "김영희"}}}},
	}
	r, v, err := Current(context.Background(), st)
	if err != nil || v != 0 {
		t.Fatal(v, err)
	}
	cases, err := Board(context.Background(), st, r, now, seen)
	if err != nil {
		t.Fatal(err)
	}
	if len(cases) != 2 || cases[0].PersonID != "P-2" || cases[1].PersonID != "P-1" {
		t.Fatalf("order: %+v", cases)
	}
	p2, p1 := cases[0], cases[1]
	if p2.Name != "김영희" || p2.Score.Total != 70 || strings.Join(p2.Changed, ",") != "custody" || len(p2.Open) != 2 || len(p2.Overdue) != 1 || p2.Overdue[0].ID != "I-1" {
		t.Errorf("P-2: %+v %s", p2, p2.Score.Explain())
	}
	if p1.Score.Total != 50 || strings.Join(p1.Changed, ",") != "risk facts" || len(p1.Overdue) != 0 {
		t.Errorf("P-1: %+v %s", p1, p1.Score.Explain())
	}
}
