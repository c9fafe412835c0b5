package storetest

import (
	"bytes"
	"testing"
	"time"

	"tumen"
	"tumen/approx"
)

// The urgent-response records: custody changes, risk facts, watch dates,
// the border, rubric versions, assessments, intervention follow-up and
// board views.

func testCustody(t *testing.T, h Harness) {
	db := h.MustOpen(t)
	db.Now = Fixed()
	chain(t, db)
	c := ctx()
	// Recorded out of order: the history sorts by date, then by recording.
	for _, ch := range []*tumen.CustodyChange{
		{ID: "K-2", PersonID: "P-1", Status: tumen.CustodyBorderDetention, Date: approx.MustParse("2024-03"), PlaceID: "CN-TUM-BDC", SourceID: "S-1", Note: "MARKERCUSTODYNOTE 변방"},
		{ID: "K-1", PersonID: "P-1", Status: tumen.CustodyArrested, Date: approx.MustParse("2024-02-10"), PlaceID: "CN-SHY"},
		{ID: "K-3", PersonID: "P-1", Status: tumen.CustodyDetained, Date: approx.MustParse("2024-02-20")},
	} {
		must(t, db.AddCustodyChange(c, ch))
	}
	hist, err := db.CustodyHistory(c, "P-1")
	must(t, err)
	if len(hist) != 3 || hist[0].ID != "K-1" || hist[1].ID != "K-3" || hist[2].ID != "K-2" || hist[2].Note != "MARKERCUSTODYNOTE 변방" || hist[2].RecordedBy != "storetest" {
		t.Fatalf("history = %+v", hist)
	}
	cases, err := db.CustodyCases(c)
	must(t, err)
	if len(cases) != 1 || cases[0].Latest.ID != "K-2" || cases[0].Changes != 3 || cases[0].Latest.Note != "" || cases[0].Updated.IsZero() {
		t.Fatalf("cases = %+v", cases)
	}
	for _, bad := range []*tumen.CustodyChange{
		{ID: "K-9", PersonID: "P-1", Status: "kidnapped"},
		{ID: "K-9", PersonID: "P-404", Status: tumen.CustodyArrested},
		{ID: "K-9", PersonID: "P-1", Status: tumen.CustodyArrested, SourceID: "S-404"},
		{ID: "K-1", PersonID: "P-1", Status: tumen.CustodyArrested},
	} {
		if err := db.AddCustodyChange(c, bad); err == nil {
			t.Errorf("accepted %+v", bad)
		}
	}
	if k := tumen.ErrorKind(db.AddCustodyChange(c, &tumen.CustodyChange{ID: "K-9", PersonID: "P-404", Status: tumen.CustodyArrested})); k != tumen.KindNotFound {
		t.Errorf("missing person: kind %v", k)
	}
	if n := count(t, db, "custody_changes"); n != 3 {
		t.Errorf("%d custody rows after refused writes", n)
	}
	es, err := db.SearchAudit(c, auditFilterTarget("P-1"))
	must(t, err)
	if !hasAudit(es, "read", "custody") {
		t.Errorf("custody read not audited: %+v", es)
	}

	// Risk facts: codes sealed, withdrawal kept.
	must(t, db.AddRiskFact(c, &tumen.RiskFact{ID: "R-1", PersonID: "P-1", Code: "MARKERRISKCODE", SourceID: "S-1", Note: "said so twice"}))
	must(t, db.AddRiskFact(c, &tumen.RiskFact{ID: "R-2", PersonID: "P-1", Code: "pregnant", Date: approx.MustParse("2024-03")}))
	must(t, db.WithdrawRiskFact(c, "R-1", time.Time{}))
	if err := db.WithdrawRiskFact(c, "R-1", time.Time{}); !tumen.IsNotFound(err) {
		t.Errorf("second withdrawal: %v", err)
	}
	fs, err := db.RiskFacts(c, "P-1")
	must(t, err)
	if len(fs) != 2 || fs[0].Code != "MARKERRISKCODE" || fs[0].Withdrawn.IsZero() || fs[0].Active(fs[0].Withdrawn) || !fs[1].Active(time.Now()) || fs[1].Date.String() != "2024-03" {
		t.Fatalf("risk facts = %+v", fs)
	}
	if err := db.AddRiskFact(c, &tumen.RiskFact{ID: "R-3", PersonID: "P-1"}); tumen.ErrorKind(err) != tumen.KindInvalid {
		t.Errorf("fact without code: %v", err)
	}

	// Watch dates and the border.
	if _, err := db.BorderState(c); !tumen.IsNotFound(err) {
		t.Errorf("border before any state: %v", err)
	}
	must(t, db.SetBorderState(c, &tumen.BorderState{Open: false, Since: approx.MustParse("2020-01")}))
	must(t, db.SetBorderState(c, &tumen.BorderState{Open: true, Since: approx.MustParse("2023-08"), Note: "returns resumed"}))
	b, err := db.BorderState(c)
	must(t, err)
	if !b.Open || b.Since.String() != "2023-08" || b.Note != "returns resumed" {
		t.Errorf("border = %+v", b)
	}
	must(t, db.AddWatchDate(c, &tumen.WatchDate{ID: "W-2", Date: approx.MustParse("2024-10-08"), Label: "end of the Games"}))
	must(t, db.AddWatchDate(c, &tumen.WatchDate{ID: "W-1", Date: approx.MustParse("2024-09"), Label: "summit"}))
	if err := db.AddWatchDate(c, &tumen.WatchDate{ID: "W-3", Label: "no date"}); err == nil {
		t.Error("watch date without a date accepted")
	}
	ws, err := db.WatchDates(c)
	must(t, err)
	if len(ws) != 2 || ws[0].ID != "W-1" || ws[1].Label != "end of the Games" {
		t.Errorf("watch dates = %+v", ws)
	}

	// Rubric versions are numbered and kept.
	if _, err := db.Rubric(c, 0); !tumen.IsNotFound(err) {
		t.Errorf("rubric before any: %v", err)
	}
	r1 := &tumen.RubricVersion{Body: []byte(`{"version":"a"}`), Note: "first"}
	r2 := &tumen.RubricVersion{Body: []byte(`{"version":"b"}`)}
	must(t, db.SaveRubric(c, r1))
	must(t, db.SaveRubric(c, r2))
	if r1.Version != 1 || r2.Version != 2 {
		t.Errorf("versions %d %d", r1.Version, r2.Version)
	}
	latest, err := db.Rubric(c, 0)
	must(t, err)
	first, err := db.Rubric(c, 1)
	must(t, err)
	all, err := db.Rubrics(c)
	must(t, err)
	if latest.Version != 2 || string(first.Body) != `{"version":"a"}` || first.Note != "first" || len(all) != 2 {
		t.Errorf("rubrics: latest %+v first %+v all %d", latest, first, len(all))
	}

	// Assessments: sealed, newest first.
	a1 := &tumen.Assessment{ID: "AS-1", PersonID: "P-1", WellFoundedFear: "MARKERASSESSMENT fear", Persecution: "torture on return",
		Grounds: []string{tumen.GroundPolitical}, StateProtection: "none", SurPlace: "illegal exit is punished", Conclusion: "refugee",
		Facts: []tumen.AssessedFact{{Text: "arrested in Shenyang", SourceIDs: []string{"S-1"}}}, Assessor: "analyst1", Date: time.Date(2024, 3, 2, 0, 0, 0, 0, time.UTC)}
	must(t, db.CreateAssessment(c, a1))
	must(t, db.CreateAssessment(c, &tumen.Assessment{ID: "AS-2", PersonID: "P-1", Conclusion: "refugee sur place", Assessor: "analyst2", Date: time.Date(2024, 4, 1, 0, 0, 0, 0, time.UTC)}))
	if err := db.CreateAssessment(c, &tumen.Assessment{ID: "AS-3", PersonID: "P-1", Grounds: []string{"economic"}, Assessor: "x", Date: time.Now()}); err == nil {
		t.Error("unknown ground accepted")
	}
	as, err := db.Assessments(c, "P-1")
	must(t, err)
	if len(as) != 2 || as[0].ID != "AS-2" || as[1].WellFoundedFear != a1.WellFoundedFear || len(as[1].Facts) != 1 || as[1].Facts[0].SourceIDs[0] != "S-1" || as[1].Grounds[0] != tumen.GroundPolitical {
		t.Fatalf("assessments = %+v", as)
	}

	// Interventions: follow-up recorded, open ones listed.
	must(t, db.CreateIntervention(c, &tumen.Intervention{ID: "I-1", VictimID: "P-1", Kind: "urgent-appeal", To: "SR DPRK", Date: approx.MustParse("2024-03-03"), FollowUp: approx.MustParse("2024-03-17")}))
	must(t, db.CreateIntervention(c, &tumen.Intervention{ID: "I-2", VictimID: "P-1", Kind: "letter", To: "embassy", Date: approx.MustParse("2024-03-03")}))
	open, err := db.OpenInterventions(c)
	must(t, err)
	if len(open) != 2 {
		t.Fatalf("open = %d", len(open))
	}
	must(t, db.UpdateIntervention(c, &tumen.Intervention{ID: "I-2", Response: "MARKERRESPONSE", ResponseDate: approx.MustParse("2024-03-20"), Outcome: "no reply on substance"}))
	if err := db.UpdateIntervention(c, &tumen.Intervention{ID: "I-404"}); !tumen.IsNotFound(err) {
		t.Errorf("update of a missing intervention: %v", err)
	}
	open, err = db.OpenInterventions(c)
	must(t, err)
	ivs, err := db.Interventions(c, "P-1")
	must(t, err)
	if len(open) != 1 || open[0].ID != "I-1" || len(ivs) != 2 || ivs[1].Response != "MARKERRESPONSE" || ivs[1].To != "embassy" {
		t.Errorf("after update: open %+v, all %+v", open, ivs)
	}

	// Board views are per actor.
	seen, err := db.BoardSeen(c)
	must(t, err)
	if !seen.IsZero() {
		t.Errorf("seen before any look: %v", seen)
	}
	at := time.Date(2024, 3, 4, 5, 6, 7, 0, time.UTC)
	must(t, db.MarkBoardSeen(c, at))
	must(t, db.MarkBoardSeen(c, at.Add(time.Hour)))
	other := tumen.WithActor(c, "someone-else")
	seen, err = db.BoardSeen(c)
	must(t, err)
	seen2, err := db.BoardSeen(other)
	must(t, err)
	if !seen.Equal(at.Add(time.Hour)) || !seen2.IsZero() {
		t.Errorf("seen %v, other %v", seen, seen2)
	}

	// Nothing sensitive in the store's files.
	dump := h.Dump(t, db)
	for _, m := range []string{"MARKERCUSTODYNOTE", "MARKERRISKCODE", "MARKERASSESSMENT", "MARKERRESPONSE", "pregnant"} {
		if bytes.Contains(dump, []byte(m)) {
			t.Errorf("%q in the store's files", m)
		}
	}
	if !bytes.Contains(dump, []byte("border-detention")) {
		t.Error("the dump lacks the clear status column: the marker search is not looking at the data")
	}
}

func hasAudit(es []*tumen.AuditEntry, action, kind string) bool {
	for _, e := range es {
		if e.Action == action && e.Kind == kind {
			return true
		}
	}
	return false
}
