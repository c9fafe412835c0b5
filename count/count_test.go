package count

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"tumen"
	"tumen/approx"
	"tumen/crypt"
	"tumen/sqlite"
	"tumen/sqlstore"
	"tumen/synth"
	"tumen/vocab"
)

// reference returns the shipped gazetteer, organisations and
// vocabularies.
func reference(t testing.TB) Reference {
	t.Helper()
	d, err := vocab.Load()
	if err != nil {
		t.Fatal(err)
	}
	var ref Reference
	for i := range d.Places {
		ref.Places = append(ref.Places, &d.Places[i])
	}
	for i := range d.Organisations {
		ref.Organisations = append(ref.Organisations, &d.Organisations[i])
	}
	for i := range d.Terms {
		ref.Terms = append(ref.Terms, &d.Terms[i])
	}
	return ref
}

func bounds(s string) (int, int) {
	return approx.MustParse(s).Bounds()
}

// facts builds a small store's worth of facts: five repatriations with
// dates of every precision, chains, agencies and sources.
func facts() *sqlstore.CountData {
	d := &sqlstore.CountData{}
	ev := func(id, parent, place, stage, date string) {
		lo, hi := bounds(date)
		d.Events = append(d.Events, sqlstore.CountEvent{ID: id, ParentID: parent, PlaceID: place, Stage: stage, Lo: lo, Hi: hi})
	}
	act := func(id, event, victim, typ string, agencies ...string) {
		d.Acts = append(d.Acts, sqlstore.CountAct{ID: id, EventID: event, VictimID: victim, Type: typ, Agencies: agencies})
	}
	person := func(id string, sex tumen.Sex, birth string) {
		lo, hi := bounds(birth)
		d.Persons = append(d.Persons, sqlstore.CountPerson{ID: id, Sex: sex, BirthLo: lo, BirthHi: hi})
	}
	link := func(kind, target, source, org string) {
		d.Links = append(d.Links, sqlstore.CountLink{Kind: kind, TargetID: target, SourceID: source, Organisation: org})
	}
	// P1: a full chain in March 2015, born 1980: age 34 or 35.
	person("P1", tumen.SexFemale, "1980")
	ev("E1", "", "", "", "2015-03/2015-04")
	ev("E1-1", "E1", "CN-YAN", "S2", "2015-03-02")
	ev("E1-2", "E1", "CN-TUM-BDC", "S4", "2015-03")
	ev("E1-3", "E1", "CN-TUM", "S5", "2015-03-20")
	act("A1-1", "E1-1", "P1", "arrest", "cn-psb")
	act("A1-3", "E1-3", "P1", "refoulement", "cn-border-defence", "kp-mss")
	link("person", "P1", "S1", "Org A")
	link("act", "A1-3", "S2", "Org B")
	// P2: handed over in "2015", no more precise: never in March.
	person("P2", tumen.SexMale, "1997-06")
	ev("E2", "", "CN-DAN", "S5", "2015")
	act("A2", "E2", "P2", "refoulement", "cn-border-defence")
	link("person", "P2", "S3", "Org A")
	// P3: "winter 2015" spans two years.
	person("P3", tumen.SexFemale, "")
	ev("E3", "", "CN-TUM", "S5", "winter 2015")
	act("A3", "E3", "P3", "refoulement")
	link("person", "P3", "S4", "Org B")
	// P4: date unknown, sex unknown.
	person("P4", "", "1960")
	ev("E4", "", "", "S5", "unknown")
	act("A4", "E4", "P4", "refoulement", "cn-border-defence")
	// P5: spring 2016 at Dandong.
	person("P5", tumen.SexFemale, "1990-01")
	ev("E5", "", "CN-DAN", "S5", "spring 2016")
	act("A5", "E5", "P5", "refoulement", "cn-border-defence")
	link("person", "P5", "S5", "Org A")
	return d
}

func counter(t testing.TB, o Options) *Counter {
	return New(facts(), reference(t), o)
}

func rows(t *Table) map[string]Cell {
	m := map[string]Cell{}
	for i, b := range t.RowBins {
		m[b.Key] = t.Cells[i][0]
	}
	return m
}

func TestApproximateDates(t *testing.T) {
	t.Parallel()
	c := counter(t, Options{})
	tests := []struct {
		name string
		spec Spec
		want map[string]Cell
		keys []string // the row keys, in order
	}{
		{"years", Spec{Unit: Repatriations, Rows: Year},
			map[string]Cell{"2015": {N: 2, Max: 3}, "2016": {N: 1, Max: 2}, KindSeveral: {N: 1, Max: 1}, KindUnknown: {N: 1, Max: 1}},
			[]string{"2015", "2016", KindSeveral, KindUnknown}},
		// "2015" and "winter 2015" are in no month; March counts only
		// the handover dated 20 March.
		{"months of 2015", Spec{Unit: Repatriations, Rows: Month, Window: Window{From: 2015, To: 2015}},
			map[string]Cell{"2015-03": {N: 1, Max: 2}, "2015-12": {N: 0, Max: 2}, KindSeveral: {N: 2, Max: 2}, KindUnknown: {N: 1, Max: 1}},
			nil},
		{"sex", Spec{Unit: Repatriations, Rows: Sex},
			map[string]Cell{"f": {N: 3, Max: 3}, "m": {N: 1, Max: 1}, KindUnknown: {N: 1, Max: 1}},
			[]string{"f", "m", KindUnknown}},
		// P1 is 34 or 35 (30–39); P2, born June 1997, is 17 or 18 in
		// 2015; P5 is 26; P3 and P4 have no age (no birth, no date).
		{"age", Spec{Unit: Repatriations, Rows: Age},
			map[string]Cell{"30-39": {N: 1, Max: 1}, "18-29": {N: 1, Max: 2}, "0-17": {N: 0, Max: 1}, KindSeveral: {N: 1, Max: 1}, KindUnknown: {N: 2, Max: 2}},
			[]string{"0-17", "18-29", "30-39", "40-49", "50-59", "60+", KindSeveral, KindUnknown}},
		// Two agencies on one handover: counted under each.
		{"agency", Spec{Unit: Repatriations, Rows: Agency},
			map[string]Cell{"cn-border-defence": {N: 4, Max: 4}, "kp-mss": {N: 1, Max: 1}, KindUnknown: {N: 1, Max: 1}},
			[]string{"cn-border-defence", "kp-mss", KindUnknown}},
		{"crossing", Spec{Unit: Repatriations, Rows: Crossing},
			map[string]Cell{"CN-TUM": {N: 2, Max: 2}, "CN-DAN": {N: 2, Max: 2}, KindUnknown: {N: 1, Max: 1}},
			[]string{"CN-DAN", "CN-TUM", KindUnknown}},
		{"facility of acts", Spec{Unit: Acts, Rows: Facility},
			map[string]Cell{KindOther: {N: 5, Max: 5}, KindUnknown: {N: 1, Max: 1}},
			[]string{KindOther, KindUnknown}},
		// The source of the act and the person's both count.
		{"organisation", Spec{Unit: Repatriations, Rows: Organisation},
			map[string]Cell{"Org A": {N: 3, Max: 3}, "Org B": {N: 2, Max: 2}, KindUnknown: {N: 1, Max: 1}},
			[]string{"Org A", "Org B", KindUnknown}},
		// Case E1 reached S2, S4 and S5; every other case S5 only.
		{"case stages", Spec{Unit: Cases, Rows: Stage},
			map[string]Cell{"S2": {N: 1, Max: 1}, "S4": {N: 1, Max: 1}, "S5": {N: 5, Max: 5}, "S0": {}},
			nil},
		{"case years", Spec{Unit: Cases, Rows: Year},
			map[string]Cell{"2015": {N: 2, Max: 3}, "2016": {N: 1, Max: 2}, KindSeveral: {N: 1, Max: 1}, KindUnknown: {N: 1, Max: 1}},
			nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tb, err := c.Table(tc.spec)
			if err != nil {
				t.Fatal(err)
			}
			got := rows(tb)
			for k, w := range tc.want {
				if got[k] != w {
					t.Errorf("%s: got %+v, want %+v", k, got[k], w)
				}
			}
			if tc.keys != nil {
				var keys []string
				for _, b := range tb.RowBins {
					keys = append(keys, b.Key)
				}
				if strings.Join(keys, " ") != strings.Join(tc.keys, " ") {
					t.Errorf("rows %v, want %v", keys, tc.keys)
				}
			}
			if tc.spec.Unit == Repatriations && tc.spec.Window == (Window{}) && tb.Total != 5 {
				t.Errorf("total %d, want 5", tb.Total)
			}
		})
	}
}

// TestSureCountsAddUp: along a dimension where a record has one value,
// the sure counts of the bins plus "spans several" plus "unknown" make up
// the total, and no upper bound is below its count.
func TestSureCountsAddUp(t *testing.T) {
	t.Parallel()
	c := counter(t, Options{})
	for _, d := range []Dim{Year, Month, Age, Sex} {
		tb, err := c.Table(Spec{Unit: Repatriations, Rows: d})
		if err != nil {
			t.Fatal(err)
		}
		sum := 0
		for i := range tb.RowBins {
			sum += tb.Row(i).N
			if tb.Row(i).Max < tb.Row(i).N {
				t.Errorf("%s %s: max %d below n %d", d, tb.RowBins[i].Key, tb.Row(i).Max, tb.Row(i).N)
			}
		}
		if sum != tb.Total {
			t.Errorf("%s: rows add up to %d, total %d", d, sum, tb.Total)
		}
	}
}

func TestCrossTab(t *testing.T) {
	t.Parallel()
	c := counter(t, Options{})
	tb, err := c.Table(Spec{Unit: Repatriations, Rows: Year, Cols: Sex})
	if err != nil {
		t.Fatal(err)
	}
	cell := func(r, col string) Cell {
		for i, rb := range tb.RowBins {
			for j, cb := range tb.ColBins {
				if rb.Key == r && cb.Key == col {
					return tb.Cells[i][j]
				}
			}
		}
		t.Fatalf("no cell %s × %s", r, col)
		return Cell{}
	}
	for _, tc := range []struct {
		r, c string
		want Cell
	}{
		{"2015", "f", Cell{N: 1, Max: 2}}, // P1 surely, P3 (winter 2015) maybe
		{"2015", "m", Cell{N: 1, Max: 1}},
		{"2016", "f", Cell{N: 1, Max: 2}},
		{KindSeveral, "f", Cell{N: 1, Max: 1}},
		{KindUnknown, KindUnknown, Cell{N: 1, Max: 1}},
	} {
		if got := cell(tc.r, tc.c); got != tc.want {
			t.Errorf("%s × %s: %+v, want %+v", tc.r, tc.c, got, tc.want)
		}
	}
	if !strings.Contains(tb.Title, "by year and sex") || tb.TitleKO == "" {
		t.Errorf("title %q / %q", tb.Title, tb.TitleKO)
	}
}

func TestErrors(t *testing.T) {
	t.Parallel()
	c := counter(t, Options{})
	for _, s := range []Spec{
		{Unit: "people", Rows: Year},
		{Unit: Acts},
		{Unit: Acts, Rows: "colour"},
		{Unit: Acts, Rows: Year, Cols: Year},
		{Unit: Acts, Rows: Year, Window: Window{From: 2020, To: 2010}},
	} {
		if _, err := c.Table(s); err == nil || tumen.ErrorKind(err) != tumen.KindInvalid {
			t.Errorf("%+v: %v", s, err)
		}
	}
}

// TestPublic: a public counter counts only consented records and
// withholds small counts, with a second count where the total would give
// one away.
func TestPublic(t *testing.T) {
	t.Parallel()
	d := facts()
	d.Consented = map[string]bool{"S1": true, "S3": true, "S5": true, "S4": true}
	c := New(d, reference(t), Options{Public: true, Threshold: 2})
	tb, err := c.Table(Spec{Unit: Repatriations, Rows: Year})
	if err != nil {
		t.Fatal(err)
	}
	// P4 has no source at all: not counted.
	if tb.Total != 4 || !tb.Public || tb.Threshold != 2 {
		t.Fatalf("total %d public %v threshold %d", tb.Total, tb.Public, tb.Threshold)
	}
	got := rows(tb)
	// 2015: P1, P2 (2); 2016: P5 (1, withheld); several: P3 (1,
	// withheld). Two withheld: nothing more to hide. The upper bound of
	// 2015 adds one record (P3): withheld too.
	if got["2015"] != (Cell{N: 2, MaxWithheld: true}) || !got["2016"].Withheld || !got[KindSeveral].Withheld {
		t.Errorf("rows %+v", got)
	}
	var buf bytes.Buffer
	if err := tb.WriteJSON(&buf); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), `"n": null`) || !strings.Contains(buf.String(), `"withheld": true`) {
		t.Errorf("JSON does not show withheld cells as null:\n%s", buf.String())
	}
	// One small count alone would be the total minus the others.
	one := New(facts(), reference(t), Options{Threshold: 2})
	one.o.Public = true
	one.d.Consented = map[string]bool{"S1": true, "S2": true, "S3": true, "S4": true, "S5": true}
	tb, err = one.Table(Spec{Unit: Repatriations, Rows: Sex})
	if err != nil {
		t.Fatal(err)
	}
	withheld := 0
	for i := range tb.RowBins {
		if tb.Row(i).Withheld {
			withheld++
		}
	}
	if withheld != 2 && withheld != 0 {
		t.Errorf("%d cells withheld; one alone is recoverable from the total", withheld)
	}
	// A total below the threshold withholds everything.
	tiny := New(facts(), reference(t), Options{Public: true, Threshold: 50})
	tiny.d.Consented = map[string]bool{"S1": true}
	tb, _ = tiny.Table(Spec{Unit: Repatriations, Rows: Year})
	if !tb.TotalWithheld || tb.Total != 0 {
		t.Errorf("tiny table: total %d withheld %v", tb.Total, tb.TotalWithheld)
	}
}

func TestCSV(t *testing.T) {
	t.Parallel()
	c := counter(t, Options{})
	tb, err := c.Table(Spec{Unit: Repatriations, Rows: Year})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := tb.WriteCSV(&buf); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		{"year", "label", "label_ko", "col", "col_label", "col_label_ko", "n", "max", "withheld"},
		{"2015", "2015", "2015년", "", "", "", "2", "3", ""},
		{"2016", "2016", "2016년", "", "", "", "1", "2", ""},
		{"several", "date spans several years", "여러 해에 걸친 날짜", "", "", "", "1", "1", ""},
		{"unknown", "date unknown", "날짜 미상", "", "", "", "1", "1", ""},
		{"total", "total", "합계", "", "", "", "5", "5", ""},
	}
	if len(recs) != len(want) {
		t.Fatalf("got %d lines, want %d: %v", len(recs), len(want), recs)
	}
	for i := range want {
		if strings.Join(recs[i], "|") != strings.Join(want[i], "|") {
			t.Errorf("line %d: %v, want %v", i, recs[i], want[i])
		}
	}
	var js map[string]any
	buf.Reset()
	if err := tb.WriteJSON(&buf); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(buf.Bytes(), &js); err != nil || js["title"] != "Repatriations by year" {
		t.Errorf("JSON %v: %v", js["title"], err)
	}
}

// TestLoadFromStore counts the demo data in a real store and checks the
// counts against the facts it was generated from.
func TestLoadFromStore(t *testing.T) {
	t.Parallel()
	ctx := tumen.WithActor(context.Background(), "counttest")
	db, err := sqlite.Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Init(ctx, crypt.Secrets{Passphrase: []byte("count test passphrase")}, crypt.TestParams); err != nil {
		t.Fatal(err)
	}
	data, err := vocab.Load()
	if err != nil {
		t.Fatal(err)
	}
	b := &tumen.Bundle{}
	for i := range data.Terms {
		b.Terms = append(b.Terms, &data.Terms[i])
	}
	for i := range data.Places {
		b.Places = append(b.Places, &data.Places[i])
	}
	for i := range data.Organisations {
		b.Organisations = append(b.Organisations, &data.Organisations[i])
	}
	const n = 150
	g := synth.New(3)
	for i := 1; i <= n; i++ {
		g.Person(i, b)
	}
	if err := db.Import(ctx, b.All(), nil); err != nil {
		t.Fatal(err)
	}
	c, err := Load(ctx, db, Options{Ages: true})
	if err != nil {
		t.Fatal(err)
	}
	refoul := 0
	for _, a := range b.Acts {
		if a.Type == RefoulementAct {
			refoul++
		}
	}
	tb, err := c.Table(Spec{Unit: Repatriations, Rows: Year})
	if err != nil {
		t.Fatal(err)
	}
	if tb.Total != refoul {
		t.Errorf("repatriations %d, want %d", tb.Total, refoul)
	}
	// Every handover whose date lies in one year is counted in it.
	sure := map[string]int{}
	for _, a := range b.Acts {
		if a.Type != RefoulementAct {
			continue
		}
		for _, e := range b.Events {
			if e.ID == a.EventID {
				if y, ok := e.Date.Year(); ok {
					sure[strconv.Itoa(y)]++
				}
			}
		}
	}
	for i, rb := range tb.RowBins {
		if rb.Kind == KindValue && tb.Row(i).N != sure[rb.Key] {
			t.Errorf("%s: %d, want %d", rb.Key, tb.Row(i).N, sure[rb.Key])
		}
	}
	cases, err := c.Table(Spec{Unit: Cases, Rows: Stage})
	if err != nil {
		t.Fatal(err)
	}
	if cases.Total != n || cases.Row(cases.Find("S2")).N != n {
		t.Errorf("cases %d, at S2 %d; want %d each", cases.Total, cases.Row(cases.Find("S2")).N, n)
	}
	ages, err := c.Table(Spec{Unit: Repatriations, Rows: Age})
	if err != nil {
		t.Fatal(err)
	}
	if ages.Row(ages.Find("60+")).Max == 0 && ages.Row(ages.Find("18-29")).Max == 0 {
		t.Errorf("no ages read: %+v", ages.Cells)
	}
	// Public: the demo gives a third of the sources consent to anonymous
	// publication.
	pub, err := Load(ctx, db, Options{Public: true})
	if err != nil {
		t.Fatal(err)
	}
	pt, err := pub.Table(Spec{Unit: Repatriations, Rows: Year})
	if err != nil {
		t.Fatal(err)
	}
	if pt.Total == 0 || pt.Total >= tb.Total {
		t.Errorf("public total %d of %d", pt.Total, tb.Total)
	}
	for i := range pt.RowBins {
		if c := pt.Row(i); !c.Withheld && c.N > 0 && c.N < 5 {
			t.Errorf("public row %s shows %d", pt.RowBins[i].Key, c.N)
		}
	}
	// A user cleared to confidential is not counted the secret persons'
	// repatriations, nor their sources.
	secret := map[string]bool{}
	for i, p := range b.Persons {
		if i%3 == 0 {
			secret[p.ID] = true
			p.Confidentiality = tumen.Secret
			if err := db.UpdatePerson(ctx, p); err != nil {
				t.Fatal(err)
			}
		}
	}
	visible := 0
	for _, a := range b.Acts {
		if a.Type == RefoulementAct && !secret[a.VictimID] {
			visible++
		}
	}
	conf := tumen.Confidential
	cl, err := Load(ctx, db, Options{MaxLevel: &conf})
	if err != nil {
		t.Fatal(err)
	}
	ct, err := cl.Table(Spec{Unit: Repatriations, Rows: Year})
	if err != nil {
		t.Fatal(err)
	}
	if ct.Total != visible || visible == refoul {
		t.Errorf("cleared to confidential: %d repatriations counted, want %d of %d", ct.Total, visible, refoul)
	}
	all, err := Load(ctx, db, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if at, _ := all.Table(Spec{Unit: Repatriations, Rows: Year}); at.Total != refoul {
		t.Errorf("without a level: %d repatriations, want %d", at.Total, refoul)
	}
	// The birth dates were read, and the read audited.
	log, err := db.AuditLog(ctx, 0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, e := range log {
		if e.Action == "read" && strings.Contains(e.Detail, "birth dates") {
			found = true
		}
	}
	if !found {
		t.Error("reading birth dates was not audited")
	}
}

// TestCaptures builds capture histories: one list per organisation, a
// person on every list whose source supports them, records that linkage
// merged counted once.
func TestCaptures(t *testing.T) {
	t.Parallel()
	d := facts()
	// P6 is P1 as Org C recorded them, in a record of their own.
	d.Persons = append(d.Persons, sqlstore.CountPerson{ID: "P6", Sex: tumen.SexFemale})
	lo, hi := bounds("2015-03")
	d.Events = append(d.Events, sqlstore.CountEvent{ID: "E6", PlaceID: "CN-TUM", Stage: "S5", Lo: lo, Hi: hi})
	d.Acts = append(d.Acts, sqlstore.CountAct{ID: "A6", EventID: "E6", VictimID: "P6", Type: RefoulementAct})
	d.Links = append(d.Links, sqlstore.CountLink{Kind: "person", TargetID: "P6", SourceID: "S6", Organisation: "Org C"})
	c := New(d, reference(t), Options{})
	identity := func(id string) string {
		if id == "P6" {
			return "P1"
		}
		return id
	}
	strata, warnings, err := c.Captures(CaptureOptions{Identity: identity})
	if err != nil {
		t.Fatal(err)
	}
	if len(strata) != 1 {
		t.Fatalf("%d strata", len(strata))
	}
	tab := strata[0].Table
	if strings.Join(tab.Lists, ",") != "Org A,Org B,Org C" {
		t.Fatalf("lists %v", tab.Lists)
	}
	// P1 (with P6): A, B and C; P2: A; P3: B; P5: A; P4 is on no list.
	want := map[uint32]int{0b111: 1, 0b001: 2, 0b010: 1}
	for p, n := range want {
		if tab.Count(p) != n {
			t.Errorf("pattern %s: %d, want %d", tab.PatternString(p), tab.Count(p), n)
		}
	}
	if tab.Observed() != 4 || len(warnings) != 1 || !strings.Contains(warnings[0], "1 people") {
		t.Errorf("observed %d, warnings %v", tab.Observed(), warnings)
	}
	// Without linkage P1 and P6 are two people.
	strata, _, _ = c.Captures(CaptureOptions{})
	if strata[0].Table.Observed() != 5 {
		t.Errorf("unlinked: observed %d, want 5", strata[0].Table.Observed())
	}
	// By year: 2015 (P1, P2), 2016 (P5), and P3 ("winter 2015") in no
	// single year.
	strata, _, err = c.Captures(CaptureOptions{Identity: identity, Stratify: Year})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, s := range strata {
		names = append(names, s.Name+"="+strconv.Itoa(s.Table.Observed()))
	}
	if strings.Join(names, " ") != "2015=2 2016=1 unknown=1" {
		t.Errorf("strata %v", names)
	}
	strata, _, _ = c.Captures(CaptureOptions{Stratify: Region})
	names = names[:0]
	for _, s := range strata {
		names = append(names, s.Name)
	}
	if strings.Join(names, " ") != "Jilin Liaoning" {
		t.Errorf("regions %v", names)
	}
	strata, _, _ = c.Captures(CaptureOptions{Population: PopulationVictims, Stratify: Sex})
	if len(strata) != 2 || strata[0].Name != "female" {
		t.Errorf("by sex: %+v", strata)
	}
	for _, o := range []CaptureOptions{{Population: "everyone"}, {Stratify: Month}} {
		if _, _, err := c.Captures(o); err == nil {
			t.Errorf("%+v accepted", o)
		}
	}
}
