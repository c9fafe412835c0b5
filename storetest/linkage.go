package storetest

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"tumen"
	"tumen/approx"
	"tumen/sqlstore"
)

// linkPersons stores n sample persons P-1 … P-n.
func linkPersons(t *testing.T, db *sqlstore.DB, n int) {
	t.Helper()
	for i := 1; i <= n; i++ {
		must(t, db.CreatePerson(ctx(), samplePerson(fmt.Sprintf("P-%d", i))))
	}
}

func candidate(a, b string, p float64) *tumen.LinkCandidate {
	return &tumen.LinkCandidate{PersonA: a, PersonB: b, Probability: p, Weight: 3.5, Prior: -12,
		Explanation: []tumen.FieldWeight{{Field: "name", Level: "exact (any spelling)", Weight: 11.2, TermFrequency: 0.0004}, {Field: "birth_date", Level: "LEVELMARKER", Weight: 4.3}}}
}

// candidateID finds the id of the candidate pair a, b.
func candidateID(t *testing.T, db *sqlstore.DB, a, b string) int64 {
	t.Helper()
	cs, err := db.LinkCandidates(ctx(), tumen.LinkCandidateFilter{PersonID: a, Limit: 1000})
	must(t, err)
	for _, c := range cs {
		if c.PersonA == a && c.PersonB == b {
			return c.ID
		}
	}
	t.Fatalf("no candidate pair %s, %s", a, b)
	return 0
}

func statusOf(t *testing.T, db *sqlstore.DB, a, b string) tumen.LinkStatus {
	t.Helper()
	c, err := db.LinkCandidate(ctx(), candidateID(t, db, a, b))
	must(t, err)
	return c.Status
}

func labelsOf(t *testing.T, db *sqlstore.DB) string {
	t.Helper()
	ls, err := db.LinkLabels(ctx())
	must(t, err)
	var out []string
	for _, l := range ls {
		out = append(out, fmt.Sprintf("%s~%s=%v", l.PersonA, l.PersonB, l.Match))
		if l.By != "storetest" || l.At.IsZero() {
			t.Errorf("label %+v: want actor and time", l)
		}
	}
	return strings.Join(out, " ")
}

// testLinkReview walks a review through the store: proposals, merges that
// grow one identity, an implied pair, a rejection, re-proposals that keep
// decisions, and an unmerge that restores every record untouched, with
// the labels and audit entries each step leaves.
func testLinkReview(t *testing.T, h Harness) {
	db := h.MustOpen(t)
	db.Now = Fixed()
	c := ctx()
	linkPersons(t, db, 4)
	before := map[string]*tumen.Person{}
	for i := 1; i <= 4; i++ {
		id := fmt.Sprintf("P-%d", i)
		p, err := db.Person(c, id)
		must(t, err)
		before[id] = p
	}
	// P-2, P-1 is given out of order: the store orders pairs.
	added, err := db.ProposeLinks(c, []*tumen.LinkCandidate{candidate("P-2", "P-1", 0.99), candidate("P-2", "P-3", 0.9), candidate("P-1", "P-3", 0.8), candidate("P-3", "P-4", 0.6)})
	must(t, err)
	if added != 4 {
		t.Fatalf("added = %d, want 4", added)
	}
	queue, err := db.LinkCandidates(c, tumen.LinkCandidateFilter{Status: tumen.LinkPending})
	must(t, err)
	var order []string
	for _, q := range queue {
		order = append(order, q.PersonA+"~"+q.PersonB)
	}
	if got := strings.Join(order, " "); got != "P-1~P-2 P-2~P-3 P-1~P-3 P-3~P-4" {
		t.Fatalf("queue = %s", got)
	}
	first, err := db.LinkCandidate(c, queue[0].ID)
	must(t, err)
	if first.Status != tumen.LinkPending || len(first.Explanation) != 2 || first.Explanation[0].Weight != 11.2 || first.Explanation[0].TermFrequency != 0.0004 ||
		first.Prior != -12 || first.Weight != 3.5 || first.Created.IsZero() {
		t.Fatalf("candidate = %+v", first)
	}
	// A new run refreshes a pending pair's score and adds nothing twice.
	added, err = db.ProposeLinks(c, []*tumen.LinkCandidate{candidate("P-1", "P-2", 0.97)})
	must(t, err)
	if added != 0 {
		t.Fatalf("re-proposal added %d", added)
	}
	if got, _ := db.LinkCandidate(c, first.ID); got.Probability != 0.97 {
		t.Fatalf("pending pair not refreshed: %v", got.Probability)
	}

	id1, err := db.MergeCandidate(c, candidateID(t, db, "P-1", "P-2"))
	must(t, err)
	if fmt.Sprint(id1.Members) != "[P-1 P-2]" || !id1.Active() || id1.CreatedBy != "storetest" {
		t.Fatalf("identity = %+v", id1)
	}
	id2, err := db.MergeCandidate(c, candidateID(t, db, "P-2", "P-3"))
	must(t, err)
	if id2.ID != id1.ID || fmt.Sprint(id2.Members) != "[P-1 P-2 P-3]" {
		t.Fatalf("second merge: identity %+v, want %d with three members", id2, id1.ID)
	}
	if s := statusOf(t, db, "P-1", "P-3"); s != tumen.LinkImplied {
		t.Fatalf("P-1~P-3 = %s, want implied", s)
	}
	if _, err := db.MergeCandidate(c, candidateID(t, db, "P-1", "P-2")); tumen.ErrorKind(err) != tumen.KindConflict {
		t.Fatalf("merging twice: %v, want conflict", err)
	}
	if err := db.RejectCandidate(c, candidateID(t, db, "P-1", "P-3")); tumen.ErrorKind(err) != tumen.KindConflict {
		t.Fatalf("rejecting an implied pair: %v, want conflict", err)
	}
	must(t, db.RejectCandidate(c, candidateID(t, db, "P-3", "P-4")))
	if err := db.RejectCandidate(c, candidateID(t, db, "P-3", "P-4")); tumen.ErrorKind(err) != tumen.KindConflict {
		t.Fatalf("rejecting twice: %v, want conflict", err)
	}
	// Decided pairs keep their decision, and a pair already in one
	// identity is not proposed again.
	added, err = db.ProposeLinks(c, []*tumen.LinkCandidate{candidate("P-3", "P-4", 0.99), candidate("P-1", "P-2", 0.5)})
	must(t, err)
	if added != 0 || statusOf(t, db, "P-3", "P-4") != tumen.LinkRejected || statusOf(t, db, "P-1", "P-2") != tumen.LinkMerged {
		t.Fatalf("re-proposal changed decisions: added %d", added)
	}
	if got, want := labelsOf(t, db), "P-1~P-2=true P-2~P-3=true P-3~P-4=false"; got != want {
		t.Fatalf("labels = %s, want %s", got, want)
	}
	of, err := db.IdentityOf(c, "P-3")
	must(t, err)
	if of.ID != id1.ID {
		t.Fatalf("identity of P-3 = %d", of.ID)
	}
	if _, err := db.IdentityOf(c, "P-4"); !tumen.IsNotFound(err) {
		t.Fatalf("identity of P-4: %v, want not found", err)
	}

	must(t, db.Unmerge(c, id1.ID))
	gone, err := db.Identity(c, id1.ID)
	must(t, err)
	if gone.Active() || len(gone.Members) != 0 || gone.DissolvedBy != "storetest" {
		t.Fatalf("unmerged identity = %+v", gone)
	}
	for _, pair := range [][3]string{{"P-1", "P-2", "unmerged"}, {"P-2", "P-3", "unmerged"}, {"P-1", "P-3", "pending"}, {"P-3", "P-4", "rejected"}} {
		if s := statusOf(t, db, pair[0], pair[1]); string(s) != pair[2] {
			t.Errorf("%s~%s = %s after unmerge, want %s", pair[0], pair[1], s, pair[2])
		}
	}
	if _, err := db.IdentityOf(c, "P-1"); !tumen.IsNotFound(err) {
		t.Fatalf("P-1 still in an identity: %v", err)
	}
	if got, want := labelsOf(t, db), "P-1~P-2=false P-2~P-3=false P-3~P-4=false"; got != want {
		t.Fatalf("labels after unmerge = %s, want %s", got, want)
	}
	if err := db.Unmerge(c, id1.ID); tumen.ErrorKind(err) != tumen.KindConflict {
		t.Fatalf("unmerging twice: %v, want conflict", err)
	}
	for id, want := range before {
		got, err := db.Person(c, id)
		must(t, err)
		if d := diff(got, want); d != "" {
			t.Fatalf("person %s changed by merge and unmerge: %s", id, d)
		}
	}
	// A reviewer may merge an unmerged pair again.
	again, err := db.MergeCandidate(c, candidateID(t, db, "P-1", "P-2"))
	must(t, err)
	if again.ID == id1.ID || fmt.Sprint(again.Members) != "[P-1 P-2]" {
		t.Fatalf("re-merge = %+v, want a new identity", again)
	}

	log, err := db.AuditLog(c, 0, 1000)
	must(t, err)
	var steps []string
	for _, e := range log {
		switch e.Action {
		case "propose", "merge", "reject", "unmerge":
			steps = append(steps, e.Action+" "+e.Kind+" "+e.Target)
			for _, m := range []string{"이영호", "Ri Yong", "1985", "Hoeryong", "LEVELMARKER"} {
				if strings.Contains(e.Detail, m) {
					t.Errorf("audit entry %d holds %q: %q", e.Seq, m, e.Detail)
				}
			}
		}
	}
	want := fmt.Sprintf("[propose link  propose link  merge identity %d merge identity %d reject link %d propose link  unmerge identity %d merge identity %d]",
		id1.ID, id1.ID, candidateID(t, db, "P-3", "P-4"), id1.ID, again.ID)
	if fmt.Sprint(steps) != want {
		t.Fatalf("audit = %v\nwant %s", steps, want)
	}
	if bad, _, err := db.VerifyAudit(c); bad != 0 || err != nil {
		t.Fatalf("audit verify: bad %d, %v", bad, err)
	}
}

// testLinkIdentityFold merges a pair whose records belong to two
// identities: the older identity takes every member, the younger is
// dissolved into it, and unmerging the older separates all four records.
func testLinkIdentityFold(t *testing.T, h Harness) {
	db := h.MustOpen(t)
	c := ctx()
	linkPersons(t, db, 4)
	_, err := db.ProposeLinks(c, []*tumen.LinkCandidate{candidate("P-1", "P-2", 0.9), candidate("P-3", "P-4", 0.9), candidate("P-2", "P-3", 0.7)})
	must(t, err)
	a, err := db.MergeCandidate(c, candidateID(t, db, "P-1", "P-2"))
	must(t, err)
	b, err := db.MergeCandidate(c, candidateID(t, db, "P-3", "P-4"))
	must(t, err)
	if a.ID == b.ID {
		t.Fatal("two separate merges made one identity")
	}
	folded, err := db.MergeCandidate(c, candidateID(t, db, "P-2", "P-3"))
	must(t, err)
	if folded.ID != a.ID || fmt.Sprint(folded.Members) != "[P-1 P-2 P-3 P-4]" {
		t.Fatalf("folded identity = %+v, want %d with four members", folded, a.ID)
	}
	old, err := db.Identity(c, b.ID)
	must(t, err)
	if old.Active() || old.MergedInto != a.ID || len(old.Members) != 0 {
		t.Fatalf("younger identity = %+v", old)
	}
	must(t, db.Unmerge(c, a.ID))
	for i := 1; i <= 4; i++ {
		if _, err := db.IdentityOf(c, fmt.Sprintf("P-%d", i)); !tumen.IsNotFound(err) {
			t.Fatalf("P-%d still in an identity after unmerge: %v", i, err)
		}
	}
	if got := labelsOf(t, db); got != "P-1~P-2=false P-2~P-3=false P-3~P-4=false" {
		t.Fatalf("labels = %s", got)
	}
}

// testLinkInvalid checks that bad input changes nothing.
func testLinkInvalid(t *testing.T, h Harness) {
	db := h.MustOpen(t)
	c := ctx()
	linkPersons(t, db, 2)
	for _, tc := range []struct {
		name string
		cand *tumen.LinkCandidate
		kind tumen.Kind
	}{
		{"same person", candidate("P-1", "P-1", 0.9), tumen.KindInvalid},
		{"probability above one", candidate("P-1", "P-2", 1.5), tumen.KindInvalid},
		{"bad id", candidate("P 1", "P-2", 0.9), tumen.KindInvalid},
		{"unknown person", candidate("P-1", "P-404", 0.9), tumen.KindInvalid},
	} {
		if _, err := db.ProposeLinks(c, []*tumen.LinkCandidate{candidate("P-1", "P-2", 0.5), tc.cand}); tumen.ErrorKind(err) != tc.kind {
			t.Errorf("%s: err = %v, want %v", tc.name, err, tc.kind)
		}
	}
	if n := count(t, db, "link_candidates"); n != 0 {
		t.Fatalf("%d candidates stored from rejected proposals", n)
	}
	if _, err := db.MergeCandidate(c, 404); !tumen.IsNotFound(err) {
		t.Fatalf("merge of a missing pair: %v", err)
	}
	if err := db.RejectCandidate(c, 404); !tumen.IsNotFound(err) {
		t.Fatalf("reject of a missing pair: %v", err)
	}
	if err := db.Unmerge(c, 404); !tumen.IsNotFound(err) {
		t.Fatalf("unmerge of a missing identity: %v", err)
	}
	if _, err := db.LinkCandidates(c, tumen.LinkCandidateFilter{Status: "maybe"}); tumen.ErrorKind(err) != tumen.KindInvalid {
		t.Fatalf("unknown status: %v", err)
	}
}

// testLinkageRecords checks what the linkage engine reads of a person: the
// handover event's date and place, the documenting organisations.
func testLinkageRecords(t *testing.T, h Harness) {
	db := h.MustOpen(t)
	c := ctx()
	chain(t, db) // P-1: events E-1 (S2, spring 2015) and E-2 (S5, 2015-05); source of NKDB
	b := bundle()
	must(t, db.Import(c, (&tumen.Bundle{Places: b.Places}).All(), nil)) // KP-NHG, KP-ONS
	must(t, db.CreatePerson(c, samplePerson("P-2")))
	must(t, db.CreateEvent(c, &tumen.Event{ID: "E-3", Date: approx.MustParse("2019"), Stage: "S2", PlaceID: "KP-ONS"}))
	must(t, db.CreateAct(c, &tumen.Act{ID: "A-3", EventID: "E-3", VictimID: "P-2", Type: "arrest"}))
	must(t, db.CreatePerson(c, samplePerson("P-3")))
	var got []*tumen.LinkageRecord
	must(t, db.LinkageRecords(c, func(rs []*tumen.LinkageRecord) error {
		got = append(got, rs...)
		return nil
	}))
	if len(got) != 3 {
		t.Fatalf("%d records, want 3", len(got))
	}
	r1, r2, r3 := got[0], got[1], got[2]
	if r1.Person.ID != "P-1" || r1.Person.Names[0].Full != "이영호" || r1.EventDate.String() != "2015-05" || fmt.Sprint(r1.Organisations) != "[NKDB]" {
		t.Errorf("P-1 = %+v (event %q)", r1, r1.EventDate)
	}
	if r2.EventDate.String() != "2019" || r2.EventPlaceID != "KP-ONS" || len(r2.Organisations) != 0 {
		t.Errorf("P-2 = %+v", r2)
	}
	if r3.EventDate.Known() || r3.EventPlaceID != "" {
		t.Errorf("P-3 = %+v", r3)
	}
	log, err := db.AuditLog(c, 0, 1000)
	must(t, err)
	if last := log[len(log)-1]; last.Action != "read" || last.Kind != "person" || last.Detail != "3 persons for linkage" {
		t.Fatalf("last audit entry = %+v", last)
	}
}

// testLinkSealed checks that a pair's explanation is stored sealed.
func testLinkSealed(t *testing.T, h Harness) {
	db := h.MustOpen(t)
	c := ctx()
	linkPersons(t, db, 2)
	_, err := db.ProposeLinks(c, []*tumen.LinkCandidate{candidate("P-1", "P-2", 0.9)})
	must(t, err)
	var raw []byte
	must(t, db.SQL().QueryRow(`SELECT explanation_enc FROM link_candidates`).Scan(&raw))
	if len(raw) == 0 || bytes.Contains(raw, []byte("LEVELMARKER")) || bytes.Contains(raw, []byte("birth_date")) {
		t.Fatalf("explanation stored in the clear: %q", raw)
	}
}
