package exchange

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"tumen"
	"tumen/approx"
)

const hdr = "id,source,name,birth_date,sex,origin,event_date,event_place,narrative\n"

func readAll(t *testing.T, in string) ([]*Row, *Report, error) {
	t.Helper()
	pr := NewPersonListReader(strings.NewReader(in))
	var rows []*Row
	for {
		r, err := pr.Next()
		if err == io.EOF {
			return rows, pr.Report(), nil
		}
		if err != nil {
			return rows, pr.Report(), err
		}
		rows = append(rows, r)
	}
}

func TestPersonListRows(t *testing.T) {
	t.Parallel()
	in := "\xef\xbb\xbf" + hdr +
		"A1,TJWG,  이영호 ,1985,M,Hoeryong,2015-03,Tumen,Arrested.\n" +
		"A2,NKDB,\"Ri, Yong Ho\",around 1985,여,회령,2015년 봄,투먼,\"multi\nline\"\n" +
		"A3,NKDB,李英浩,,,,unknown,,\n"
	rows, rep, err := readAll(t, in)
	if err != nil || rep != nil {
		t.Fatalf("err %v, report %v", err, rep)
	}
	if len(rows) != 3 {
		t.Fatalf("%d rows", len(rows))
	}
	r := rows[0]
	if r.ID != "A1" || r.Name != "이영호" || r.Sex != tumen.SexMale || r.BirthDate.String() != "1985" || r.EventDate.Precision() != approx.Month || r.Narrative != "Arrested." || r.Line != 2 {
		t.Fatalf("row 1 = %+v", r)
	}
	if rows[1].Name != "Ri, Yong Ho" || rows[1].Sex != tumen.SexFemale || !rows[1].BirthDate.Estimated() || rows[1].Narrative != "multi\nline" {
		t.Fatalf("row 2 = %+v", rows[1])
	}
	if rows[2].Line != 5 || rows[2].EventDate.Known() || rows[2].BirthDate.Known() {
		t.Fatalf("row 3 = %+v", rows[2])
	}
	// Without the optional narrative column.
	rows, rep, err = readAll(t, "id,source,name,birth_date,sex,origin,event_date,event_place\nB1,X,김,1990,f,,2020,\n")
	if err != nil || rep != nil || len(rows) != 1 || rows[0].Narrative != "" {
		t.Fatalf("8 columns: %v %v %v", rows, rep, err)
	}
}

func TestPersonListErrors(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, in string
		fatal    string   // an error that stops reading
		report   []string // row errors, in order
	}{
		{"empty", "", "empty", nil},
		{"header only", hdr, "", nil},
		{"wrong header", "id,naam\n", "header", nil},
		{"header order", "source,id,name,birth_date,sex,origin,event_date,event_place\n", `column 1 of the header is "source"`, nil},
		{"columns", hdr + "A1,X,김,1990,f,,2020\nA2,X,김,1990,f,,2020,,,extra\n", "", []string{"row 2: has 7 columns", "row 3: has 10 columns"}},
		{"dates", hdr + "A1,X,김,1990-13,f,,2020,,\nA2,X,김,1990,f,,spring,,\n", "", []string{"row 2: birth_date", `row 3: event_date: approx: cannot read date "spring"`}},
		{"dup", hdr + "A1,X,김,1990,f,,2020,,\nA1,X,이,1990,f,,2020,,\n", "", []string{`row 3: id: "A1" repeats the id of row 2`}},
		{"utf8", hdr + "A1,X,\xc3\x28,1990,f,,2020,,\n", "", []string{"row 2: name: is not valid UTF-8"}},
		{"nul", hdr + "A1,X,a\x00b,1990,f,,2020,,\n", "", []string{"row 2: name: contains a NUL"}},
		{"quote", hdr + "A1,X,\"open,1990,f,,2020,,\n", "", []string{"row 2: a quote"}},
		{"bare quote", hdr + "A1,X,a\"b,1990,f,,2020,,\n", "", []string{"row 2: a bare quote"}},
		{"sex", hdr + "A1,X,김,1990,x,,2020,,\n", "", []string{`row 2: sex: "x" is not f, m or empty`}},
		{"long", hdr + "A1,X,김,1990,f,,2020,," + strings.Repeat("a", MaxField+1) + "\n", "", []string{"row 2: narrative: is 1048577 bytes"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rows, rep, err := readAll(t, tc.in)
			if tc.fatal != "" {
				if err == nil || !strings.Contains(err.Error(), tc.fatal) {
					t.Fatalf("err = %v, want %q", err, tc.fatal)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(tc.report) == 0 {
				if rep != nil {
					t.Fatalf("report: %v", rep)
				}
				return
			}
			if rep == nil || len(rep.Errors) != len(tc.report) {
				t.Fatalf("report = %v, want %d errors", rep, len(tc.report))
			}
			for i, want := range tc.report {
				if got := rep.Errors[i].Error(); !strings.Contains(got, want) {
					t.Errorf("error %d = %q, want %q", i, got, want)
				}
			}
			_ = rows
		})
	}
}

func TestReportStopsAtMaxErrors(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	b.WriteString(hdr)
	for range 500 {
		b.WriteString("A,X,,1990,f,,2020,,\n")
	}
	_, rep, err := readAll(t, b.String())
	if err != nil || rep == nil {
		t.Fatal(err)
	}
	if len(rep.Errors) != MaxErrors || rep.Omitted == 0 || !strings.Contains(rep.Error(), "… and") {
		t.Fatalf("errors %d, omitted %d", len(rep.Errors), rep.Omitted)
	}
}

func TestBirthDateNeverEchoed(t *testing.T) {
	t.Parallel()
	_, rep, _ := readAll(t, hdr+"A1,X,김,19x85-SECRET,f,,2020,,\n")
	if rep == nil || strings.Contains(rep.Error(), "SECRET") {
		t.Fatalf("report = %v", rep)
	}
}

func TestConverter(t *testing.T) {
	t.Parallel()
	c := Converter{
		FindPlace: func(n string) (string, bool) {
			return map[string]string{"Tumen": "CN-TUM", "Hoeryong": "KP-HOE"}[n], n == "Tumen" || n == "Hoeryong"
		},
		NameSystem: func(string) tumen.NameSystem { return tumen.NameHangulSouth },
	}
	rows, _, _ := readAll(t, hdr+"A1,TJWG,이영호,1985,m,Hoeryong,2015-03,Tumen,text\nA2,X,김,,,,,Nowhere,\n")
	recs := c.Records(rows[0])
	p, e, a, s := recs[0].(*tumen.Person), recs[1].(*tumen.Event), recs[2].(*tumen.Act), recs[3].(*tumen.Source)
	if p.HomePlaceID != "KP-HOE" || p.Names[0].System != tumen.NameHangulSouth || e.PlaceID != "CN-TUM" || e.Stage != "S5" || a.Type != "refoulement" ||
		a.VictimID != "A1" || a.EventID != e.ID || s.Organisation != "TJWG" || s.Text != "text" || len(s.Supports) != 3 {
		t.Fatalf("records = %+v %+v %+v %+v", p, e, a, s)
	}
	e2 := c.Records(rows[1])[1].(*tumen.Event)
	if e2.PlaceID != "" || e2.PlaceText != "Nowhere" {
		t.Fatalf("unmatched place: %+v", e2)
	}
}

func TestBundleRoundTrip(t *testing.T) {
	t.Parallel()
	b := &tumen.Bundle{
		Terms:       []*tumen.Term{{Vocab: "stage", Code: "S5", LabelEN: "Handover", LabelKO: "강제북송"}},
		Persons:     []*tumen.Person{{ID: "P1", Names: []tumen.Name{{Full: "이영호", System: tumen.NameHangulSouth}}, BirthDate: approx.MustParse("around 1985")}},
		Events:      []*tumen.Event{{ID: "E1", Date: approx.MustParse("2015년 봄"), Stage: "S5"}, {ID: "E2", ParentID: "E1"}},
		Attachments: []*tumen.Attachment{{ID: "F1", SourceID: "S1", Data: []byte{0, 1, 2, 255}}},
	}
	var buf bytes.Buffer
	w := NewJSONWriter(&buf)
	for _, sec := range []struct {
		name string
		recs []any
	}{{"terms", []any{b.Terms[0]}}, {"persons", []any{b.Persons[0]}}, {"events", []any{b.Events[0], b.Events[1]}}, {"attachments", []any{b.Attachments[0]}}} {
		w.Section(sec.name)
		for _, r := range sec.recs {
			if err := w.Record(r); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	var got tumen.Bundle
	for r, err := range ReadBundle(&buf) {
		if err != nil {
			t.Fatal(err)
		}
		got.Add(r)
	}
	if got.Len() != 5 || got.Persons[0].BirthDate != b.Persons[0].BirthDate || got.Events[0].Date.String() != "2015년 봄" || !bytes.Equal(got.Attachments[0].Data, []byte{0, 1, 2, 255}) {
		t.Fatalf("got %+v", got)
	}
}

func TestBundleErrors(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ name, in, want string }{
		{"not json", "hello", "not a tumen JSON bundle"},
		{"array", "[]", "not a tumen JSON bundle"},
		{"no format", `{"persons": []}`, "must start with its format"},
		{"wrong format", `{"format": "other"}`, "format is not"},
		{"version", `{"format": "tumen-bundle", "version": 9}`, "version 9"},
		{"section", `{"format": "tumen-bundle", "planets": []}`, `unknown section "planets"`},
		{"unknown field", `{"format": "tumen-bundle", "persons": [{"id": "x", "shoe_size": 3}]}`, "persons record 1"},
		{"bad date", `{"format": "tumen-bundle", "persons": [{"id": "x", "birth_date": "SECRETDATE"}]}`, "value withheld"},
		{"truncated", `{"format": "tumen-bundle", "persons": [{"id": "x"}, {"id": `, "truncated"},
		{"wrong type", `{"format": "tumen-bundle", "persons": [{"id": 3}]}`, "wrong type"},
	} {
		var err error
		for _, e := range ReadBundle(strings.NewReader(tc.in)) {
			if e != nil {
				err = e
			}
		}
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want %q", tc.name, err, tc.want)
		}
		if err != nil && strings.Contains(err.Error(), "SECRETDATE") {
			t.Errorf("%s: error echoes a date", tc.name)
		}
	}
}

// FuzzPersonList feeds arbitrary bytes to the person-list reader: it must
// never panic, every row it returns must be valid, and its errors must name
// a row and stay short.
func FuzzPersonList(f *testing.F) {
	f.Add([]byte(hdr + "A1,TJWG,이영호,1985,m,Hoeryong,2015-03,Tumen,x\n"))
	f.Add([]byte(hdr + "A1,X,\"a\nb\",around 1985,f,,2015년 봄,,\"\"\"q\"\"\"\n"))
	f.Add([]byte(hdr + "A1,X,\xff,1985,m,,2015,,\n"))
	f.Add([]byte(hdr + "A1,X,\"unterminated"))
	f.Add([]byte("id,source,name,birth_date,sex,origin,event_date,event_place\nB,X,y,,,,,\n"))
	f.Fuzz(func(t *testing.T, in []byte) {
		pr := NewPersonListReader(bytes.NewReader(in))
		seen := map[string]bool{}
		for n := 0; ; n++ {
			r, err := pr.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				if !strings.HasPrefix(err.Error(), "row 1") && !strings.Contains(err.Error(), "empty") {
					t.Fatalf("fatal error without a row: %v", err)
				}
				return
			}
			if r.ID == "" || r.Name == "" || seen[r.ID] || !utf8.ValidString(r.Name+r.Narrative+r.Origin) {
				t.Fatalf("invalid row returned: %+v", r)
			}
			seen[r.ID] = true
			if _, err := approx.Parse(r.BirthDate.String()); err != nil {
				t.Fatalf("row date does not re-parse: %v", err)
			}
			if n > len(in) {
				t.Fatal("more rows than bytes")
			}
		}
		if rep := pr.Report(); rep != nil {
			for _, e := range rep.Errors {
				if e.Row < 1 || len(e.Error()) > 400 {
					t.Fatalf("bad row error: %q", e.Error())
				}
			}
		}
	})
}

// FuzzBundle feeds arbitrary bytes to the bundle reader: it must never
// panic, and must end with an error or with records of the model's types.
func FuzzBundle(f *testing.F) {
	f.Add([]byte(`{"format": "tumen-bundle", "version": 1, "persons": [{"id": "P1", "names": [{"full": "김"}], "birth_date": "1985"}]}`))
	f.Add([]byte(`{"format": "tumen-bundle", "events": [{"id": "E", "date": "spring 2015"}], "acts": []}`))
	f.Add([]byte(`{"format": "tumen-bundle", "persons": [`))
	f.Fuzz(func(t *testing.T, in []byte) {
		var b tumen.Bundle
		for r, err := range ReadBundle(bytes.NewReader(in)) {
			if err != nil {
				var te *tumen.Error
				if !errors.As(err, &te) || te.Kind != tumen.KindInvalid {
					t.Fatalf("error of the wrong kind: %v", err)
				}
				return
			}
			if !b.Add(r) {
				t.Fatalf("record of unknown type %T", r)
			}
		}
	})
}

// fullBundle holds one record of every section.
func fullBundle() *tumen.Bundle {
	at := time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)
	return &tumen.Bundle{
		Terms:          []*tumen.Term{{Vocab: "stage", Code: "S5"}},
		Places:         []*tumen.Place{{ID: "CN-TUM"}},
		Organisations:  []*tumen.Organisation{{ID: "cn-psb"}},
		Persons:        []*tumen.Person{{ID: "P1", Names: []tumen.Name{{Full: "김"}}}},
		Events:         []*tumen.Event{{ID: "E1"}},
		Acts:           []*tumen.Act{{ID: "A1", EventID: "E1", VictimID: "P1"}},
		Sources:        []*tumen.Source{{ID: "S1"}},
		Consents:       []*tumen.Consent{{ID: "C1", SourceID: "S1"}},
		Interventions:  []*tumen.Intervention{{ID: "I1", VictimID: "P1", Outcome: "released", FollowUp: approx.MustParse("2024-04")}},
		Attachments:    []*tumen.Attachment{{ID: "F1", SourceID: "S1"}},
		CustodyChanges: []*tumen.CustodyChange{{ID: "K1", PersonID: "P1", Status: tumen.CustodyDetained, Date: approx.MustParse("2024-02"), PlaceID: "CN-TUM", SourceID: "S1", Note: "n", RecordedBy: "u", Created: at}},
		RiskFacts:      []*tumen.RiskFact{{ID: "R1", PersonID: "P1", Code: "pregnant", Created: at, Withdrawn: at.Add(time.Hour)}},
		WatchDates:     []*tumen.WatchDate{{ID: "W1", Date: approx.MustParse("2024-10-08"), Label: "end of the Games", Created: at}},
		BorderStates:   []*tumen.BorderState{{Open: false, Since: approx.MustParse("2020-01"), Created: at}, {Open: true, Since: approx.MustParse("2023-08"), Note: "resumed", Created: at}},
		RubricVersions: []*tumen.RubricVersion{{Version: 3, Body: []byte(`{"factors":[]}`), Note: "third", Created: at}},
		Assessments: []*tumen.Assessment{{ID: "AS1", PersonID: "P1", Grounds: []string{tumen.GroundPolitical}, Conclusion: "refugee",
			Facts: []tumen.AssessedFact{{Text: "t", SourceIDs: []string{"S1"}}}, Assessor: "a", Date: at, Created: at}},
	}
}

// TestBundleSections checks that every section of tumen.Bundle has a JSON
// section, in the order of Bundle's fields, and that each carries its
// records through a write and a read without loss.
func TestBundleSections(t *testing.T) {
	t.Parallel()
	b := fullBundle()
	if n := reflect.TypeOf(*b).NumField(); n != len(sections) || b.Len() != n+1 {
		t.Fatalf("Bundle has %d sections, the JSON bundle %d; the test bundle %d records", n, len(sections), b.Len())
	}
	var buf bytes.Buffer
	w := NewJSONWriter(&buf)
	last, order := "", -1
	for r := range b.All() {
		name := SectionOf(r)
		if name == "" {
			t.Fatalf("no section for %T", r)
		}
		if name != last {
			i := slices.IndexFunc(sections, func(s struct {
				name string
				new  func() any
			}) bool {
				return s.name == name
			})
			if i <= order {
				t.Fatalf("section %s comes out of the order of Bundle's fields", name)
			}
			order, last = i, name
			if err := w.Section(name); err != nil {
				t.Fatal(err)
			}
		}
		if err := w.Record(r); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if SectionOf(42) != "" {
		t.Error("SectionOf accepts an int")
	}
	var got tumen.Bundle
	for r, err := range ReadBundle(bytes.NewReader(buf.Bytes())) {
		if err != nil {
			t.Fatal(err)
		}
		if !got.Add(r) {
			t.Fatalf("record of unknown type %T", r)
		}
	}
	want, _ := json.Marshal(b)
	have, _ := json.Marshal(&got)
	if !bytes.Equal(want, have) {
		t.Fatalf("bundle differs after a write and a read:\n got %s\nwant %s", have, want)
	}
	if !got.RiskFacts[0].Withdrawn.Equal(b.RiskFacts[0].Withdrawn) || got.BorderStates[1].Note != "resumed" || string(got.RubricVersions[0].Body) != `{"factors":[]}` {
		t.Fatalf("got %+v %+v %+v", got.RiskFacts[0], got.BorderStates[1], got.RubricVersions[0])
	}
}
