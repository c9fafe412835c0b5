package storetest

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	"tumen"
	"tumen/approx"
	"tumen/exchange"
	"tumen/sqlstore"
)

// A backup (export, then import into a fresh store) must carry the
// urgent-response records too, sealed as their Add methods seal them.

// urgentRecords fills db with every kind of urgent-response record, on top
// of chain's person and source and a second person.
func urgentRecords(t *testing.T, db *sqlstore.DB) {
	t.Helper()
	c := ctx()
	chain(t, db)
	must(t, db.CreatePerson(c, samplePerson("P-2")))
	for _, ch := range []*tumen.CustodyChange{
		{ID: "K-2", PersonID: "P-1", Status: tumen.CustodyBorderDetention, Date: approx.MustParse("2024-03"), PlaceID: "CN-TUM-BDC", SourceID: "S-1", Note: "MARKERCUSTODYNOTE 변방"},
		{ID: "K-1", PersonID: "P-1", Status: tumen.CustodyArrested, Date: approx.MustParse("2024-02-10"), PlaceID: "CN-SHY"},
		{ID: "K-3", PersonID: "P-2", Status: tumen.CustodyDetained, Date: approx.MustParse("around 2024"), RecordedBy: "fieldworker"},
	} {
		must(t, db.AddCustodyChange(c, ch))
	}
	must(t, db.AddRiskFact(c, &tumen.RiskFact{ID: "R-1", PersonID: "P-1", Code: "MARKERRISKCODE", SourceID: "S-1", Note: "said so twice"}))
	must(t, db.AddRiskFact(c, &tumen.RiskFact{ID: "R-2", PersonID: "P-1", Code: "pregnant", Date: approx.MustParse("2024-03")}))
	must(t, db.AddRiskFact(c, &tumen.RiskFact{ID: "R-3", PersonID: "P-2", Code: "earlier-repatriation"}))
	must(t, db.WithdrawRiskFact(c, "R-1", time.Time{}))
	must(t, db.AddWatchDate(c, &tumen.WatchDate{ID: "W-2", Date: approx.MustParse("2024-10-08"), Label: "end of the Games"}))
	must(t, db.AddWatchDate(c, &tumen.WatchDate{ID: "W-1", Date: approx.MustParse("2024-09"), Label: "summit"}))
	// The border's history: the last state is the one in force, and it
	// is not the one with the latest Since.
	must(t, db.SetBorderState(c, &tumen.BorderState{Open: false, Since: approx.MustParse("2020-01")}))
	must(t, db.SetBorderState(c, &tumen.BorderState{Open: true, Since: approx.MustParse("2023-08"), Note: "returns resumed"}))
	must(t, db.SetBorderState(c, &tumen.BorderState{Open: false, Since: approx.MustParse("2023-07"), Note: "correction: closed again"}))
	must(t, db.SaveRubric(c, &tumen.RubricVersion{Body: []byte(`{"version":"a"}`), Note: "first"}))
	must(t, db.SaveRubric(c, &tumen.RubricVersion{Body: []byte(`{"version":"b","factors":[{"code":"intent-south-korea","weight":3}]}`)}))
	must(t, db.CreateAssessment(c, &tumen.Assessment{ID: "AS-1", PersonID: "P-1", WellFoundedFear: "MARKERASSESSMENT fear", Persecution: "torture on return",
		Grounds: []string{tumen.GroundPolitical, tumen.GroundSocialGroup}, GroundsReasoning: "imputed disloyalty", StateProtection: "none",
		SurPlace: "illegal exit is punished", Conclusion: "refugee",
		Facts: []tumen.AssessedFact{{Text: "arrested in Shenyang", SourceIDs: []string{"S-1"}}}, Assessor: "analyst1", Date: time.Date(2024, 3, 2, 0, 0, 0, 0, time.UTC)}))
	must(t, db.CreateAssessment(c, &tumen.Assessment{ID: "AS-2", PersonID: "P-1", Conclusion: "refugee sur place", Assessor: "analyst2", Date: time.Date(2024, 4, 1, 0, 0, 0, 0, time.UTC)}))
	must(t, db.CreateIntervention(c, &tumen.Intervention{ID: "I-1", VictimID: "P-1", Kind: "urgent-appeal", To: "SR DPRK", Date: approx.MustParse("2024-03-03")}))
	must(t, db.UpdateIntervention(c, &tumen.Intervention{ID: "I-1", Response: "MARKERRESPONSE", ResponseDate: approx.MustParse("2024-03-20"),
		FollowUp: approx.MustParse("2024-04-01"), Outcome: "no reply on substance", Note: "chase"}))
}

// urgentView is what the read methods return of the urgent-response
// records.
type urgentView struct {
	Custody       map[string][]*tumen.CustodyChange
	Cases         []*tumen.CustodyCase
	RiskFacts     map[string][]*tumen.RiskFact
	Assessments   map[string][]*tumen.Assessment
	Interventions []*tumen.Intervention
	WatchDates    []*tumen.WatchDate
	Border        *tumen.BorderState
	Rubrics       []*tumen.RubricVersion
}

func readUrgent(t *testing.T, db *sqlstore.DB) *urgentView {
	t.Helper()
	c := ctx()
	v := &urgentView{Custody: map[string][]*tumen.CustodyChange{}, RiskFacts: map[string][]*tumen.RiskFact{}, Assessments: map[string][]*tumen.Assessment{}}
	var err error
	for _, id := range []string{"P-1", "P-2"} {
		v.Custody[id], err = db.CustodyHistory(c, id)
		must(t, err)
		v.RiskFacts[id], err = db.RiskFacts(c, id)
		must(t, err)
		v.Assessments[id], err = db.Assessments(c, id)
		must(t, err)
	}
	v.Cases, err = db.CustodyCases(c)
	must(t, err)
	v.Interventions, err = db.Interventions(c, "P-1")
	must(t, err)
	v.WatchDates, err = db.WatchDates(c)
	must(t, err)
	v.Border, err = db.BorderState(c)
	must(t, err)
	v.Rubrics, err = db.Rubrics(c)
	must(t, err)
	return v
}

func exportJSON(t *testing.T, db *sqlstore.DB) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := exchange.NewJSONWriter(&buf)
	must(t, db.Export(ctx(), w))
	must(t, w.Close())
	return buf.Bytes()
}

func testUrgentBackup(t *testing.T, h Harness) {
	a := h.MustOpen(t)
	a.Now = Fixed()
	urgentRecords(t, a)
	want := readUrgent(t, a)
	first := exportJSON(t, a)
	for _, section := range []string{"custody_changes", "risk_facts", "watch_dates", "border_states", "rubric_versions", "assessments"} {
		if !bytes.Contains(first, []byte(`"`+section+`": [`)) {
			t.Errorf("the export has no %s section", section)
		}
	}
	es, err := a.SearchAudit(ctx(), sqlstore.AuditFilter{Action: "export"})
	must(t, err)
	if len(es) != 1 || es[0].Kind != "store" {
		t.Errorf("export audit = %+v", es)
	}

	// Restored by someone else, on another day: ids, times and who
	// recorded what must come from the bundle, not from the restore.
	b := h.MustOpen(t)
	b.Now = func() time.Time { return time.Date(2031, 1, 1, 0, 0, 0, 0, time.UTC) }
	restorer := tumen.WithActor(ctx(), "restorer")
	must(t, b.Import(restorer, exchange.ReadBundle(bytes.NewReader(first)), nil))
	second := exportJSON(t, b)
	if !bytes.Equal(first, second) {
		t.Fatalf("export → import → export differs: %s", firstDifference(second, first))
	}
	got := readUrgent(t, b)
	if d := diff(got, want); d != "" {
		t.Fatalf("read methods differ after the round trip: %s", d)
	}
	// The comparison is only as good as what was read: check it holds the
	// records and the fields a restore could lose.
	k := got.Custody["P-1"]
	if len(k) != 2 || k[1].ID != "K-2" || k[1].Note != "MARKERCUSTODYNOTE 변방" || k[1].SourceID != "S-1" || k[1].PlaceID != "CN-TUM-BDC" ||
		k[1].RecordedBy != "storetest" || k[1].Created.Year() != 2026 || got.Custody["P-2"][0].RecordedBy != "fieldworker" {
		t.Errorf("custody history = %+v", k)
	}
	if len(got.Cases) != 2 || got.Cases[0].Latest.ID != "K-2" {
		t.Errorf("custody cases = %+v", got.Cases)
	}
	rf := got.RiskFacts["P-1"]
	if len(rf) != 2 || rf[0].Code != "MARKERRISKCODE" || rf[0].Withdrawn.IsZero() || rf[0].Note != "said so twice" || rf[1].Code != "pregnant" || !rf[1].Withdrawn.IsZero() {
		t.Errorf("risk facts = %+v", rf)
	}
	as := got.Assessments["P-1"]
	if len(as) != 2 || as[1].WellFoundedFear != "MARKERASSESSMENT fear" || len(as[1].Grounds) != 2 || as[1].Facts[0].SourceIDs[0] != "S-1" || as[0].Created.Year() != 2026 {
		t.Errorf("assessments = %+v", as)
	}
	if len(got.Interventions) != 1 || got.Interventions[0].Response != "MARKERRESPONSE" || got.Interventions[0].Outcome != "no reply on substance" || got.Interventions[0].FollowUp.String() != "2024-04-01" {
		t.Errorf("interventions = %+v", got.Interventions)
	}
	if len(got.WatchDates) != 2 || got.WatchDates[0].ID != "W-1" || got.WatchDates[0].CreatedBy != "storetest" {
		t.Errorf("watch dates = %+v", got.WatchDates)
	}
	if got.Border.Open || got.Border.Note != "correction: closed again" || got.Border.RecordedBy != "storetest" {
		t.Errorf("border = %+v", got.Border)
	}
	if len(got.Rubrics) != 2 || got.Rubrics[0].Version != 1 || got.Rubrics[1].Version != 2 || got.Rubrics[0].Note != "first" || !strings.Contains(string(got.Rubrics[1].Body), `"weight":3`) {
		t.Errorf("rubrics = %+v", got.Rubrics)
	}
	if n := count(t, b, "border_states"); n != 3 {
		t.Errorf("%d border states restored, want the whole history of 3", n)
	}
	// The next rubric version follows the restored ones.
	r := &tumen.RubricVersion{Body: []byte(`{}`)}
	must(t, b.SaveRubric(ctx(), r))
	if r.Version != 3 {
		t.Errorf("rubric saved after a restore is version %d, want 3", r.Version)
	}
	es, err = b.SearchAudit(ctx(), sqlstore.AuditFilter{Action: "import"})
	must(t, err)
	if len(es) != 1 || es[0].Actor != "restorer" || !strings.Contains(es[0].Detail, "3 custody changes") || !strings.Contains(es[0].Detail, "3 border states") {
		t.Errorf("import audit = %+v", es)
	}
	// Sealed on import as on entry.
	dump := h.Dump(t, b)
	for _, m := range []string{"MARKERCUSTODYNOTE", "MARKERRISKCODE", "MARKERASSESSMENT", "MARKERRESPONSE", "pregnant"} {
		if bytes.Contains(dump, []byte(m)) {
			t.Errorf("%q in the restored store's files", m)
		}
	}
	if !bytes.Contains(dump, []byte("border-detention")) {
		t.Error("the dump lacks the clear status column: the marker search is not looking at the data")
	}
}

func testUrgentImportInvalid(t *testing.T, h Harness) {
	db := h.MustOpen(t)
	db.Now = Fixed()
	c := ctx()
	chain(t, db)
	must(t, db.AddCustodyChange(c, &tumen.CustodyChange{ID: "K-1", PersonID: "P-1", Status: tumen.CustodyArrested}))
	must(t, db.SaveRubric(c, &tumen.RubricVersion{Body: []byte(`{}`)}))
	must(t, db.SetBorderState(c, &tumen.BorderState{Open: true, Note: "first"}))
	before := snapshot(t, db)
	const secret = "SECRETNOTE 비밀"
	// Every bundle holds good records too: a failure must leave none of them.
	good := func() []any {
		return []any{
			&tumen.Person{ID: "P-new", Names: []tumen.Name{{Full: "김"}}},
			&tumen.CustodyChange{ID: "K-ok", PersonID: "P-new", Status: tumen.CustodyDetained, Note: secret},
			&tumen.RiskFact{ID: "R-ok", PersonID: "P-1", Code: "pregnant", Note: secret},
			&tumen.WatchDate{ID: "W-ok", Date: approx.MustParse("2024-10"), Label: "summit"},
			&tumen.BorderState{Open: false, Note: secret},
			&tumen.RubricVersion{Version: 9, Body: []byte(`{}`)},
			&tumen.Assessment{ID: "AS-ok", PersonID: "P-1", Assessor: "x", Date: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), Conclusion: secret},
		}
	}
	for _, tc := range []struct {
		name string
		bad  any
		kind tumen.Kind
		want string
	}{
		{"custody missing person", &tumen.CustodyChange{ID: "K-x", PersonID: "P-404", Status: tumen.CustodyArrested, Note: secret},
			tumen.KindInvalid, `custody change "K-x" refers to person "P-404", which does not exist`},
		{"custody unknown status", &tumen.CustodyChange{ID: "K-x", PersonID: "P-1", Status: "kidnapped", Note: secret},
			tumen.KindInvalid, `custody change "K-x": unknown custody status "kidnapped"`},
		{"custody missing source", &tumen.CustodyChange{ID: "K-x", PersonID: "P-1", Status: tumen.CustodyArrested, SourceID: "S-404", Note: secret},
			tumen.KindInvalid, `custody change "K-x" refers to source "S-404", which does not exist`},
		{"custody bad person id", &tumen.CustodyChange{ID: "K-x", PersonID: "P 1", Status: tumen.CustodyArrested},
			tumen.KindInvalid, `custody change "K-x": person id "P 1"`},
		{"custody existing id", &tumen.CustodyChange{ID: "K-1", PersonID: "P-1", Status: tumen.CustodyArrested, Note: secret},
			tumen.KindConflict, `a custody change with id "K-1" already exists`},
		{"risk fact without code", &tumen.RiskFact{ID: "R-x", PersonID: "P-1", Note: secret}, tumen.KindInvalid, `risk fact "R-x" needs a code`},
		{"risk fact missing person", &tumen.RiskFact{ID: "R-x", PersonID: "P-404", Code: "pregnant", Note: secret},
			tumen.KindInvalid, `risk fact "R-x" refers to person "P-404"`},
		{"watch date without date", &tumen.WatchDate{ID: "W-x", Label: "x"}, tumen.KindInvalid, `watch date "W-x" needs a date`},
		{"rubric without number", &tumen.RubricVersion{Body: []byte(`{}`), Note: secret}, tumen.KindInvalid, "version number"},
		{"rubric without body", &tumen.RubricVersion{Version: 4, Note: secret}, tumen.KindInvalid, "rubric version 4 needs a body"},
		{"rubric existing number", &tumen.RubricVersion{Version: 1, Body: []byte(`{}`), Note: secret}, tumen.KindConflict, `a rubric version with id "1" already exists`},
		{"assessment unknown ground", &tumen.Assessment{ID: "AS-x", PersonID: "P-1", Grounds: []string{"economic"}, Assessor: "x", Date: time.Now(), Conclusion: secret},
			tumen.KindInvalid, `assessment "AS-x": unknown Convention ground "economic"`},
		{"assessment missing person", &tumen.Assessment{ID: "AS-x", PersonID: "P-404", Assessor: "x", Date: time.Now(), Conclusion: secret},
			tumen.KindInvalid, `assessment "AS-x" refers to person "P-404"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// The bad record last, and first: after the good ones have
			// been written, and before any is.
			for _, recs := range [][]any{append(good(), tc.bad), append([]any{tc.bad}, good()...)} {
				b := &tumen.Bundle{}
				for _, r := range recs {
					b.Add(r)
				}
				err := db.Import(c, b.All(), nil)
				if tumen.ErrorKind(err) != tc.kind || !strings.Contains(tumen.ErrorMessage(err), tc.want) {
					t.Fatalf("err = %v (%v), want %v %q", err, tumen.ErrorKind(err), tc.kind, tc.want)
				}
				if strings.Contains(err.Error(), "SECRETNOTE") || strings.Contains(err.Error(), "비밀") {
					t.Fatalf("the error repeats a note: %v", err)
				}
				if after := snapshot(t, db); after != before {
					t.Fatalf("failed import changed the store:\n%s\n%s", before, after)
				}
			}
		})
	}
	if t.Failed() {
		return
	}
	// The good records alone import, with a custody change that names a
	// person coming later in the import; the rubric keeps its number and
	// the border states follow those already stored.
	recs := good()
	recs[0], recs[1] = recs[1], recs[0]
	must(t, db.Import(c, func(yield func(any, error) bool) {
		for _, r := range recs {
			if !yield(r, nil) {
				return
			}
		}
	}, nil))
	if _, err := db.Rubric(c, 9); err != nil {
		t.Errorf("imported rubric version 9: %v", err)
	}
	bs, err := db.BorderState(c)
	must(t, err)
	if bs.Open || bs.Note != secret {
		t.Errorf("border after import = %+v, want the imported state in force", bs)
	}
	k, err := db.CustodyHistory(c, "P-new")
	must(t, err)
	if len(k) != 1 || k[0].Note != secret || k[0].RecordedBy != "" {
		t.Errorf("imported custody = %+v", k)
	}
}

// firstDifference names the first line where two exports differ, with its
// number only: the lines hold the records' decrypted contents.
func firstDifference(a, b []byte) string {
	la, lb := splitLines(string(a)), splitLines(string(b))
	for i := 0; i < len(la) && i < len(lb); i++ {
		if la[i] != lb[i] {
			return fmt.Sprintf("line %d differs", i+1)
		}
	}
	return fmt.Sprintf("%d lines and %d", len(la), len(lb))
}
