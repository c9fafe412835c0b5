// Package storetest is the conformance suite every tumen store must pass:
// the SQLite store always, the PostgreSQL store when a server is at hand.
// Both stores run it through their own tests with a Harness.
package storetest

import (
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"testing"
	"time"

	"tumen"
	"tumen/approx"
	"tumen/crypt"
	"tumen/sqlstore"
)

// Passphrase is the passphrase the suite's stores are created with.
const Passphrase = "storetest passphrase"

// Harness tells the suite how to make stores of one engine.
type Harness struct {
	// Open returns a new, empty, migrated and locked store. Each call gets
	// a store of its own; the harness cleans it up.
	Open func(t *testing.T) *sqlstore.DB
	// Dump returns every byte the store wrote: database files on disk, or
	// a pg_dump. The marker test searches it for plaintext.
	Dump func(t *testing.T, db *sqlstore.DB) []byte
	// Corrupt runs a statement directly against the database, bypassing
	// the store, to simulate tampering.
	Exec func(t *testing.T, db *sqlstore.DB, query string, args ...any)
}

// MustOpen returns a fresh, initialised and unlocked store.
func (h Harness) MustOpen(t *testing.T) *sqlstore.DB {
	t.Helper()
	db := h.Open(t)
	if err := db.Init(ctx(), crypt.Secrets{Passphrase: []byte(Passphrase)}, crypt.TestParams); err != nil {
		t.Fatalf("Init: %v", err)
	}
	return db
}

func ctx() context.Context { return tumen.WithActor(context.Background(), "storetest") }

// Run runs the whole suite.
func Run(t *testing.T, h Harness) {
	for _, tc := range []struct {
		name string
		fn   func(*testing.T, Harness)
	}{
		{"PersonRoundTrip", testPersonRoundTrip},
		{"PersonInvalid", testPersonInvalid},
		{"PersonConflict", testPersonConflict},
		{"UpdatePerson", testUpdatePerson},
		{"FindByName", testFindByName},
		{"EventsActsSources", testEventsActsSources},
		{"Consents", testConsents},
		{"Interventions", testInterventions},
		{"Attachments", testAttachments},
		{"ListPersonsFilters", testListPersonsFilters},
		{"ImportAllOrNothing", testImportAllOrNothing},
		{"ExportImportRoundTrip", testExportImportRoundTrip},
		{"Stats", testStats},
		{"Locking", testLocking},
		{"Rekey", testRekey},
		{"MovedCiphertext", testMovedCiphertext},
		{"Audit", testAudit},
		{"AuditTamper", testAuditTamper},
		{"Markers", testMarkers},
		{"ReferenceData", testReferenceData},
		{"Users", testUsers},
		{"LinkReview", testLinkReview},
		{"LinkIdentityFold", testLinkIdentityFold},
		{"LinkInvalid", testLinkInvalid},
		{"LinkageRecords", testLinkageRecords},
		{"LinkSealed", testLinkSealed},
		{"Custody", testCustody},
		{"UrgentBackup", testUrgentBackup},
		{"UrgentImportInvalid", testUrgentImportInvalid},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tc.fn(t, h)
		})
	}
}

// Fixed returns a clock that starts at a fixed time and ticks a second per
// call, for deterministic timestamps.
func Fixed() func() time.Time {
	t := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
	return func() time.Time { t = t.Add(time.Second); return t }
}

func samplePerson(id string) *tumen.Person {
	return &tumen.Person{
		ID: id,
		Names: []tumen.Name{
			{Full: "이영호", Family: "이", Given: "영호", System: tumen.NameHangulSouth},
			{Full: "리영호", System: tumen.NameHangulNorth},
			{Full: "Ri Yong Ho", System: tumen.NameRoman},
			{Full: "李英浩", System: tumen.NameHanja},
		},
		BirthDate:       approx.MustParse("around 1985"),
		Sex:             tumen.SexMale,
		Origin:          "Hoeryong, North Hamgyong",
		HomePlaceID:     "KP-HOE",
		Relatives:       []tumen.Relative{{Name: "김순희", Relation: "mother", InNK: "yes"}},
		Contacts:        []tumen.Contact{{Kind: "phone", Value: "+82 10 0000 0000"}},
		Notes:           "Crossed at Musan in winter.",
		Confidentiality: tumen.Confidential,
	}
}

func testPersonRoundTrip(t *testing.T, h Harness) {
	db := h.MustOpen(t)
	db.Now = Fixed()
	p := samplePerson("P-1")
	if err := db.CreatePerson(ctx(), p); err != nil {
		t.Fatal(err)
	}
	got, err := db.Person(ctx(), "P-1")
	if err != nil {
		t.Fatal(err)
	}
	want := *p
	if d := diff(got, &want); d != "" {
		t.Fatalf("round trip differs: %s", d)
	}
	if got.BirthDate.String() != "around 1985" || got.BirthDate.Precision() != approx.Year || !got.BirthDate.Estimated() {
		t.Fatalf("birth date = %q %v", got.BirthDate, got.BirthDate.Precision())
	}
	if _, err := db.Person(ctx(), "P-404"); !tumen.IsNotFound(err) {
		t.Fatalf("missing person: err = %v, want not found", err)
	}
}

func count(t *testing.T, db *sqlstore.DB, table string) int {
	t.Helper()
	var n int
	if err := db.SQL().QueryRow(`SELECT COUNT(*) FROM ` + table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func testPersonInvalid(t *testing.T, h Harness) {
	db := h.MustOpen(t)
	audit0 := count(t, db, "audit")
	for _, tc := range []struct {
		name string
		p    *tumen.Person
	}{
		{"no id", &tumen.Person{Names: []tumen.Name{{Full: "김"}}}},
		{"id with space", &tumen.Person{ID: "P 1", Names: []tumen.Name{{Full: "김"}}}},
		{"no name", &tumen.Person{ID: "P-2"}},
		{"empty name", &tumen.Person{ID: "P-2", Names: []tumen.Name{{Full: "  "}}}},
		{"bad system", &tumen.Person{ID: "P-2", Names: []tumen.Name{{Full: "김", System: "klingon"}}}},
		{"bad sex", &tumen.Person{ID: "P-2", Names: []tumen.Name{{Full: "김"}}, Sex: "q"}},
		{"bad in_nk", &tumen.Person{ID: "P-2", Names: []tumen.Name{{Full: "김"}}, Relatives: []tumen.Relative{{Relation: "son", InNK: "maybe"}}}},
	} {
		err := db.CreatePerson(ctx(), tc.p)
		if tumen.ErrorKind(err) != tumen.KindInvalid {
			t.Errorf("%s: err = %v, want invalid", tc.name, err)
		}
	}
	if n := count(t, db, "persons"); n != 0 {
		t.Fatalf("%d persons written by invalid creates", n)
	}
	if n := count(t, db, "audit"); n != audit0 {
		t.Fatalf("audit grew from %d to %d on invalid input", audit0, n)
	}
}

func testPersonConflict(t *testing.T, h Harness) {
	db := h.MustOpen(t)
	if err := db.CreatePerson(ctx(), samplePerson("P-1")); err != nil {
		t.Fatal(err)
	}
	other := samplePerson("P-1")
	other.Names = []tumen.Name{{Full: "박철수"}}
	err := db.CreatePerson(ctx(), other)
	if tumen.ErrorKind(err) != tumen.KindConflict {
		t.Fatalf("duplicate: err = %v, want conflict", err)
	}
	got, err := db.Person(ctx(), "P-1")
	if err != nil || got.Names[0].Full != "이영호" {
		t.Fatalf("first person changed by a failed duplicate: %v", err)
	}
	if n := count(t, db, "name_index"); n == 0 {
		t.Fatal("no blind index rows")
	}
}

func testUpdatePerson(t *testing.T, h Harness) {
	db := h.MustOpen(t)
	p := samplePerson("P-1")
	if err := db.CreatePerson(ctx(), p); err != nil {
		t.Fatal(err)
	}
	p.Names = []tumen.Name{{Full: "박철수", System: tumen.NameHangulSouth}}
	p.Sex = tumen.SexFemale
	if err := db.UpdatePerson(ctx(), p); err != nil {
		t.Fatal(err)
	}
	got, _ := db.Person(ctx(), "P-1")
	if got.Names[0].Full != "박철수" || got.Sex != tumen.SexFemale || len(got.Names) != 1 {
		t.Fatalf("update not applied: %+v", got.Names)
	}
	if ids, _ := db.FindByName(ctx(), "이영호"); len(ids) != 0 {
		t.Fatalf("old name still indexed: %v", ids)
	}
	if ids, _ := db.FindByName(ctx(), "박철수"); len(ids) != 1 {
		t.Fatalf("new name not indexed: %v", ids)
	}
	if err := db.UpdatePerson(ctx(), samplePerson("P-404")); !tumen.IsNotFound(err) {
		t.Fatalf("update of missing person: %v", err)
	}
}

func testFindByName(t *testing.T, h Harness) {
	db := h.MustOpen(t)
	for i, n := range []string{"이영호", "김철수", "이영호"} {
		p := samplePerson(fmt.Sprintf("P-%d", i))
		p.Names = []tumen.Name{{Full: n}}
		if err := db.CreatePerson(ctx(), p); err != nil {
			t.Fatal(err)
		}
	}
	ids, err := db.FindByName(ctx(), " 이영호 ")
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(ids) != "[P-0 P-2]" {
		t.Fatalf("FindByName = %v", ids)
	}
	if ids, _ := db.FindByName(ctx(), "최"); len(ids) != 0 {
		t.Fatalf("FindByName(unknown) = %v", ids)
	}
}

// chain records a small repatriation chain for victim P-1.
func chain(t *testing.T, db *sqlstore.DB) {
	t.Helper()
	c := ctx()
	must(t, db.CreatePerson(c, samplePerson("P-1")))
	must(t, db.CreateEvent(c, &tumen.Event{ID: "E-1", Title: "Repatriation of P-1", Date: approx.MustParse("spring 2015"), Stage: "S2", PlaceText: "Shenyang", Narrative: "Arrested at a station."}))
	must(t, db.CreateEvent(c, &tumen.Event{ID: "E-2", ParentID: "E-1", Date: approx.MustParse("2015-05"), Stage: "S5", Narrative: "Handed over at night."}))
	must(t, db.CreateAct(c, &tumen.Act{ID: "A-1", EventID: "E-1", VictimID: "P-1", Type: "arrest",
		Perpetrators: []tumen.Involvement{{OrganisationID: "cn-psb", Degree: "direct"}}}))
	must(t, db.CreateAct(c, &tumen.Act{ID: "A-2", EventID: "E-2", VictimID: "P-1", Type: "refoulement", Note: "with 30 others"}))
	must(t, db.CreateSource(c, &tumen.Source{ID: "S-1", Kind: "testimony", Organisation: "NKDB", Title: "Interview 7", Date: approx.MustParse("2019-06-01"),
		Text: "그는 선양에서 체포되었다.", Reliability: "high", Supports: []tumen.Link{{Kind: "person", ID: "P-1"}, {Kind: "event", ID: "E-1"}}}))
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func testEventsActsSources(t *testing.T, h Harness) {
	db := h.MustOpen(t)
	chain(t, db)
	c := ctx()
	e, err := db.Event(c, "E-1")
	must(t, err)
	if e.Narrative != "Arrested at a station." || e.PlaceText != "Shenyang" || e.Date.String() != "spring 2015" || e.Stage != "S2" {
		t.Fatalf("event = %+v", e)
	}
	// In any order, the same events as by date.
	byDate, err := db.ListEvents(c, tumen.EventFilter{})
	must(t, err)
	anyOrder, err := db.ListEvents(c, tumen.EventFilter{AnyOrder: true})
	must(t, err)
	seen := map[string]bool{}
	for _, e := range anyOrder {
		seen[e.ID] = true
	}
	if len(anyOrder) != len(byDate) || len(byDate) != 2 || !seen["E-1"] || !seen["E-2"] {
		t.Fatalf("events in any order: %d, by date: %d", len(anyOrder), len(byDate))
	}
	kids, err := db.ListEvents(c, tumen.EventFilter{ParentID: "E-1"})
	must(t, err)
	if len(kids) != 1 || kids[0].ID != "E-2" {
		t.Fatalf("children = %v", kids)
	}
	evs, err := db.ListEvents(c, tumen.EventFilter{VictimID: "P-1"})
	must(t, err)
	if len(evs) != 2 || evs[0].ID != "E-1" {
		t.Fatalf("victim's events not in date order: %v", evs)
	}
	acts, err := db.ListActs(c, tumen.ActFilter{VictimID: "P-1"})
	must(t, err)
	if len(acts) != 2 || acts[0].Perpetrators[0].OrganisationID != "cn-psb" || acts[1].Note != "with 30 others" {
		t.Fatalf("acts = %+v", acts)
	}
	if one, err := db.ListActs(c, tumen.ActFilter{ID: "A-2"}); err != nil || len(one) != 1 || one[0].ID != "A-2" {
		t.Fatalf("act by id = %v, %v", one, err)
	}
	s, err := db.Source(c, "S-1")
	must(t, err)
	if s.Text != "그는 선양에서 체포되었다." || len(s.Supports) != 2 || s.Organisation != "NKDB" {
		t.Fatalf("source = %+v", s)
	}
	ss, err := db.ListSources(c, tumen.SourceFilter{Supports: &tumen.Link{Kind: "person", ID: "P-1"}})
	must(t, err)
	if len(ss) != 1 {
		t.Fatalf("sources supporting P-1 = %d", len(ss))
	}
	for _, tc := range []struct {
		name string
		err  error
	}{
		{"self parent", db.CreateEvent(c, &tumen.Event{ID: "E-9", ParentID: "E-9"})},
		{"bad stage", db.CreateEvent(c, &tumen.Event{ID: "E-9", Stage: "S12"})},
		{"act without victim", db.CreateAct(c, &tumen.Act{ID: "A-9", EventID: "E-1", Type: "torture"})},
		{"act with missing event", db.CreateAct(c, &tumen.Act{ID: "A-9", EventID: "E-404", VictimID: "P-1", Type: "torture"})},
		{"source link kind", db.CreateSource(c, &tumen.Source{ID: "S-9", Kind: "testimony", Supports: []tumen.Link{{Kind: "planet", ID: "x"}}})},
		{"source without kind", db.CreateSource(c, &tumen.Source{ID: "S-9"})},
	} {
		if tc.err == nil {
			t.Errorf("%s: accepted", tc.name)
		}
	}
	if n := count(t, db, "acts"); n != 2 {
		t.Fatalf("acts = %d after rejected inserts", n)
	}
}

func testConsents(t *testing.T, h Harness) {
	db := h.MustOpen(t)
	chain(t, db)
	c := ctx()
	given := time.Date(2019, 6, 1, 0, 0, 0, 0, time.UTC)
	must(t, db.CreateConsent(c, &tumen.Consent{ID: "C-1", SourceID: "S-1", Use: tumen.UseUNNamed, Given: given, Details: "Signed form, kept in safe."}))
	must(t, db.CreateConsent(c, &tumen.Consent{ID: "C-2", SourceID: "S-1", Use: tumen.UsePartner, Partner: "TJWG", Given: given}))
	if err := db.CreateConsent(c, &tumen.Consent{ID: "C-3", SourceID: "S-1", Use: tumen.UsePartner, Given: given}); tumen.ErrorKind(err) != tumen.KindInvalid {
		t.Fatalf("partner consent without partner: %v", err)
	}
	if err := db.CreateConsent(c, &tumen.Consent{ID: "C-3", SourceID: "S-1", Use: "sell", Given: given}); tumen.ErrorKind(err) != tumen.KindInvalid {
		t.Fatalf("unknown use: %v", err)
	}
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	must(t, db.RevokeConsent(c, "C-1", now))
	cs, err := db.Consents(c, "S-1")
	must(t, err)
	if len(cs) != 2 || cs[0].Details != "Signed form, kept in safe." || cs[0].RecordedBy != "storetest" {
		t.Fatalf("consents = %+v", cs)
	}
	for _, cn := range cs {
		switch cn.ID {
		case "C-1":
			if cn.Active(now.Add(time.Hour)) || !cn.Active(now.Add(-time.Hour)) {
				t.Fatal("revocation not dated")
			}
		case "C-2":
			if !cn.Active(now) {
				t.Fatal("C-2 not active")
			}
		}
	}
	if err := db.RevokeConsent(c, "C-1", now); !tumen.IsNotFound(err) {
		t.Fatalf("second revocation: %v", err)
	}
}

func testInterventions(t *testing.T, h Harness) {
	db := h.MustOpen(t)
	chain(t, db)
	c := ctx()
	iv := &tumen.Intervention{ID: "I-1", VictimID: "P-1", Kind: "urgent-appeal", To: "SR DPRK", Date: approx.MustParse("2015-05-02"),
		Reference: "UA KP 1/2015", DocumentHash: "ab", Response: "Acknowledged.", FollowUp: approx.MustParse("2015-06"), Note: "sent by e-mail"}
	must(t, db.CreateIntervention(c, iv))
	ivs, err := db.Interventions(c, "P-1")
	must(t, err)
	if len(ivs) != 1 || ivs[0].Response != "Acknowledged." || ivs[0].FollowUp.String() != "2015-06" || ivs[0].Reference != "UA KP 1/2015" {
		t.Fatalf("interventions = %+v", ivs)
	}
	if err := db.CreateIntervention(c, &tumen.Intervention{ID: "I-2", VictimID: "P-404", Kind: "letter"}); err == nil {
		t.Fatal("intervention for a missing victim accepted")
	}
}

func testAttachments(t *testing.T, h Harness) {
	db := h.MustOpen(t)
	chain(t, db)
	c := ctx()
	data := []byte("%PDF-1.4 original testimony scan")
	a := &tumen.Attachment{ID: "F-1", SourceID: "S-1", Filename: "interview-7.pdf", MediaType: "application/pdf", Data: data}
	must(t, db.CreateAttachment(c, a))
	if a.SHA256 != "e0b1b3b4a8c7d6d0c3f3e5b1b68dbd18e0b0fa77c5c7e63ca5f6a2e3c1c0c7b1" && len(a.SHA256) != 64 {
		t.Fatalf("sha256 = %q", a.SHA256)
	}
	got, err := db.Attachment(c, "F-1")
	must(t, err)
	if !bytes.Equal(got.Data, data) || got.SHA256 != a.SHA256 || got.Filename != "interview-7.pdf" || got.Size != int64(len(data)) {
		t.Fatalf("attachment = %+v", got)
	}
	bad := &tumen.Attachment{ID: "F-2", SourceID: "S-1", Filename: "x", Data: data, SHA256: "00"}
	if err := db.CreateAttachment(c, bad); tumen.ErrorKind(err) != tumen.KindInvalid {
		t.Fatalf("hash mismatch accepted: %v", err)
	}
}

func testListPersonsFilters(t *testing.T, h Harness) {
	db := h.MustOpen(t)
	chain(t, db)
	c := ctx()
	q := samplePerson("P-2")
	q.Sex = tumen.SexFemale
	q.Confidentiality = tumen.Internal
	must(t, db.CreatePerson(c, q))
	for _, tc := range []struct {
		name string
		f    tumen.PersonFilter
		want string
	}{
		{"all", tumen.PersonFilter{}, "[P-1 P-2]"},
		{"sex", tumen.PersonFilter{Sex: tumen.SexFemale}, "[P-2]"},
		{"organisation", tumen.PersonFilter{Organisation: "NKDB"}, "[P-1]"},
		{"stage", tumen.PersonFilter{Stage: "S5"}, "[P-1]"},
		{"overlapping date", tumen.PersonFilter{From: 20150401, To: 20150415}, "[P-1]"},
		{"date outside", tumen.PersonFilter{From: 20160101, To: 20161231}, "[]"},
		{"level", tumen.PersonFilter{MaxLevel: ptr(tumen.Internal)}, "[P-2]"},
		{"after", tumen.PersonFilter{AfterID: "P-1"}, "[P-2]"},
		{"limit", tumen.PersonFilter{Limit: 1}, "[P-1]"},
	} {
		ps, err := db.ListPersons(c, tc.f)
		must(t, err)
		var ids []string
		for _, p := range ps {
			ids = append(ids, p.ID)
		}
		if got := fmt.Sprint(orEmpty(ids)); got != tc.want {
			t.Errorf("%s: %s, want %s", tc.name, got, tc.want)
		}
		if tc.name != "limit" && tc.name != "after" {
			n, err := db.CountPersons(c, tc.f)
			must(t, err)
			if n != len(ids) {
				t.Errorf("%s: count %d, list %d", tc.name, n, len(ids))
			}
		}
	}
}

func ptr[T any](v T) *T { return &v }

func orEmpty(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func bundle() *tumen.Bundle {
	b := &tumen.Bundle{}
	b.Terms = []*tumen.Term{{Vocab: "act-type", Code: "arrest", LabelEN: "Arbitrary arrest", LabelKO: "자의적 체포", Extra: map[string]string{"stage_hint": "S2"}}}
	lat, lon := 42.95722, 129.99333
	b.Places = []*tumen.Place{
		{ID: "KP-ONS", NameEN: "Onsong", NameKO: "온성", ParentID: "KP-NHG", Lat: &lat, Lon: &lon, Kinds: []string{"county-town"}, CrossingPair: "CN-TUM"},
		{ID: "KP-NHG", NameEN: "North Hamgyong", NameKO: "함경북도"},
	}
	b.Organisations = []*tumen.Organisation{{ID: "kp-mss", NameEN: "Ministry of State Security", NameKO: "국가보위성", ValidFrom: 2016}}
	for i := range 5 {
		id := fmt.Sprintf("P-%d", i)
		p := samplePerson(id)
		p.Created = time.Date(2026, 1, 1, 0, 0, i, 0, time.UTC)
		p.Updated = p.Created
		b.Persons = append(b.Persons, p)
		b.Events = append(b.Events, &tumen.Event{ID: "E-" + id, Date: approx.MustParse("2015년 3월"), PlaceID: "KP-ONS", Stage: "S5", Narrative: "narrative " + id, Created: p.Created})
		b.Acts = append(b.Acts, &tumen.Act{ID: "A-" + id, EventID: "E-" + id, VictimID: id, Type: "refoulement", Created: p.Created})
		b.Sources = append(b.Sources, &tumen.Source{ID: "S-" + id, Kind: "partner-list", Organisation: "TJWG", Date: approx.MustParse("2020"),
			Supports: []tumen.Link{{Kind: "event", ID: "E-" + id}, {Kind: "person", ID: id}}, Created: p.Created})
	}
	// A child event that names its parent before the parent appears.
	b.Events = append([]*tumen.Event{{ID: "E-child", ParentID: "E-P-0", Date: approx.MustParse("late 2015"), Created: time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC)}}, b.Events...)
	b.Consents = []*tumen.Consent{{ID: "C-1", SourceID: "S-P-0", Use: tumen.UseInternal, Given: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC), RecordedBy: "x"}}
	b.Interventions = []*tumen.Intervention{{ID: "I-1", VictimID: "P-0", Kind: "letter", Date: approx.MustParse("2016"), Created: time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC)}}
	b.Attachments = []*tumen.Attachment{{ID: "F-1", SourceID: "S-P-0", Filename: "a.txt", Data: []byte("hello"), Created: time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC)}}
	return b
}

func testImportAllOrNothing(t *testing.T, h Harness) {
	db := h.MustOpen(t)
	c := ctx()
	must(t, db.CreatePerson(c, samplePerson("P-3")))
	before := snapshot(t, db)
	var progressed int
	err := db.Import(c, bundle().All(), func(n int) { progressed = n })
	if tumen.ErrorKind(err) != tumen.KindConflict {
		t.Fatalf("import with an existing id: err = %v, want conflict", err)
	}
	if tumen.ErrorMessage(err) != `a person with id "P-3" already exists` {
		t.Fatalf("message = %q", tumen.ErrorMessage(err))
	}
	_ = progressed
	if after := snapshot(t, db); after != before {
		t.Fatalf("failed import changed the store:\n%s\n%s", before, after)
	}
	// A dangling reference fails at commit, and changes nothing either.
	b := bundle()
	b.Persons = b.Persons[:2]
	b.Acts = b.Acts[:1]
	b.Interventions = nil
	b.Acts = append(b.Acts, &tumen.Act{ID: "A-x", EventID: "E-P-0", VictimID: "P-404", Type: "arrest"})
	err = db.Import(c, b.All(), nil)
	if err == nil {
		t.Fatal("import with a dangling reference succeeded")
	}
	if after := snapshot(t, db); after != before {
		t.Fatal("failed import changed the store")
	}
}

// snapshot summarises a store's row counts.
func snapshot(t *testing.T, db *sqlstore.DB) string {
	t.Helper()
	var s []string
	for _, table := range []string{"persons", "name_index", "events", "acts", "sources", "source_links", "consents", "interventions", "attachments", "places", "organisations", "terms", "audit",
		"custody_changes", "risk_facts", "watch_dates", "border_states", "risk_rubrics", "assessments"} {
		s = append(s, fmt.Sprintf("%s=%d", table, count(t, db, table)))
	}
	return fmt.Sprint(s)
}

// collector is a BundleWriter that gathers records into a Bundle.
type collector struct{ b tumen.Bundle }

func (c *collector) Section(string) error { return nil }
func (c *collector) Record(v any) error {
	if !c.b.Add(v) {
		return fmt.Errorf("unexpected record %T", v)
	}
	return nil
}

func testExportImportRoundTrip(t *testing.T, h Harness) {
	a := h.MustOpen(t)
	c := ctx()
	in := bundle()
	must(t, a.Import(c, in.All(), nil))
	var first collector
	must(t, a.Export(c, &first))
	if first.b.Len() != in.Len() {
		t.Fatalf("exported %d records, imported %d", first.b.Len(), in.Len())
	}
	b := h.MustOpen(t)
	must(t, b.Import(c, first.b.All(), nil))
	var second collector
	must(t, b.Export(c, &second))
	if d := diff(&first.b, &second.b); d != "" {
		t.Fatalf("export → import → export differs: %s", d)
	}
	p, err := b.Person(c, "P-0")
	must(t, err)
	if d := diff(p, in.Persons[0]); d != "" {
		t.Fatalf("person differs after round trip: %s", d)
	}
}

func testStats(t *testing.T, h Harness) {
	db := h.MustOpen(t)
	c := ctx()
	must(t, db.Import(c, bundle().All(), nil))
	s, err := db.Stats(c)
	must(t, err)
	if s.Persons != 5 || s.Events != 6 || s.Acts != 5 || s.Sources != 5 || s.Attachments != 1 {
		t.Fatalf("stats = %+v", s)
	}
	if s.ByYear["2015"] != 6 || s.BySourceOrg["TJWG"] != 5 || s.ByStage["S5"] != 5 || s.BySex["m"] != 5 {
		t.Fatalf("stats = %+v", s)
	}
	must(t, db.CreateEvent(c, &tumen.Event{ID: "E-w", Date: approx.MustParse("winter 2015")}))
	must(t, db.CreateEvent(c, &tumen.Event{ID: "E-u", Date: approx.MustParse("unknown")}))
	s, _ = db.Stats(c)
	if s.ByYear["2015"] != 6 || s.ByYear["uncertain"] != 1 || s.ByYear["unknown"] != 1 {
		t.Fatalf("a date spanning two years was counted in one: %v", s.ByYear)
	}
}

func testLocking(t *testing.T, h Harness) {
	db := h.Open(t)
	c := ctx()
	if err := db.CreatePerson(c, samplePerson("P-1")); tumen.ErrorKind(err) != tumen.KindUnauthorized {
		t.Fatalf("write to a locked store: %v", err)
	}
	if err := db.Unlock(c, crypt.Secrets{Passphrase: []byte("x")}); !tumen.IsNotFound(err) {
		t.Fatalf("unlock of an uninitialised store: %v", err)
	}
	must(t, db.Init(c, crypt.Secrets{Passphrase: []byte(Passphrase)}, crypt.TestParams))
	if err := db.Init(c, crypt.Secrets{Passphrase: []byte(Passphrase)}, crypt.TestParams); tumen.ErrorKind(err) != tumen.KindConflict {
		t.Fatalf("second init: %v", err)
	}
	must(t, db.CreatePerson(c, samplePerson("P-1")))
	// A second handle on the same database, as a second process would have.
	db2 := sqlstore.New(db.SQL(), db.Dialect())
	if err := db2.Unlock(c, crypt.Secrets{Passphrase: []byte("wrong passphrase")}); tumen.ErrorKind(err) != tumen.KindUnauthorized {
		t.Fatalf("wrong passphrase: %v", err)
	}
	if _, err := db2.Person(c, "P-1"); tumen.ErrorKind(err) != tumen.KindUnauthorized {
		t.Fatalf("read after wrong passphrase: %v", err)
	}
	must(t, db2.Unlock(c, crypt.Secrets{Passphrase: []byte(Passphrase)}))
	if _, err := db2.Person(c, "P-1"); err != nil {
		t.Fatal(err)
	}
}

func testRekey(t *testing.T, h Harness) {
	db := h.MustOpen(t)
	c := ctx()
	must(t, db.CreatePerson(c, samplePerson("P-1")))
	var before []byte
	must(t, db.SQL().QueryRow(`SELECT names_enc FROM persons WHERE id = 'P-1'`).Scan(&before))
	newPass := crypt.Secrets{Passphrase: []byte("a new passphrase")}
	if err := db.Rekey(c, crypt.Secrets{Passphrase: []byte("wrong")}, newPass, crypt.TestParams); tumen.ErrorKind(err) != tumen.KindUnauthorized {
		t.Fatalf("rekey with a wrong passphrase: %v", err)
	}
	must(t, db.Rekey(c, crypt.Secrets{Passphrase: []byte(Passphrase)}, newPass, crypt.TestParams))
	var after []byte
	must(t, db.SQL().QueryRow(`SELECT names_enc FROM persons WHERE id = 'P-1'`).Scan(&after))
	if !bytes.Equal(before, after) {
		t.Fatal("rekey re-encrypted the data")
	}
	db2 := sqlstore.New(db.SQL(), db.Dialect())
	if err := db2.Unlock(c, crypt.Secrets{Passphrase: []byte(Passphrase)}); err == nil {
		t.Fatal("old passphrase still unlocks")
	}
	must(t, db2.Unlock(c, newPass))
	p, err := db2.Person(c, "P-1")
	must(t, err)
	if p.Names[0].Full != "이영호" {
		t.Fatal("data unreadable after rekey")
	}
}

func testMovedCiphertext(t *testing.T, h Harness) {
	db := h.MustOpen(t)
	c := ctx()
	must(t, db.CreatePerson(c, samplePerson("P-1")))
	q := samplePerson("P-2")
	q.Names = []tumen.Name{{Full: "박철수"}}
	must(t, db.CreatePerson(c, q))
	// Copy P-1's names onto P-2: the ciphertext is bound to P-1.
	h.Exec(t, db, `UPDATE persons SET names_enc = (SELECT names_enc FROM persons WHERE id = 'P-1') WHERE id = 'P-2'`)
	if _, err := db.Person(c, "P-2"); err == nil {
		t.Fatal("a ciphertext moved to another record decrypted")
	}
	// And a field moved to another field of the same record.
	h.Exec(t, db, `UPDATE persons SET notes_enc = names_enc WHERE id = 'P-1'`)
	if _, err := db.Person(c, "P-1"); err == nil {
		t.Fatal("a ciphertext moved to another field decrypted")
	}
}

func testAudit(t *testing.T, h Harness) {
	db := h.MustOpen(t)
	c := ctx()
	chain(t, db)
	_, err := db.Person(c, "P-1")
	must(t, err)
	log, err := db.AuditLog(c, 0, 1000)
	must(t, err)
	var actions []string
	for _, e := range log {
		if e.Actor != "storetest" && e.Action != "init" {
			t.Errorf("entry %d actor %q", e.Seq, e.Actor)
		}
		actions = append(actions, e.Action+" "+e.Kind+" "+e.Target)
	}
	want := []string{"init store ", "create person P-1", "create event E-1", "create event E-2", "create act A-1", "create act A-2", "create source S-1", "read person P-1"}
	if fmt.Sprint(actions) != fmt.Sprint(want) {
		t.Fatalf("audit = %q\nwant %q", actions, want)
	}
	bad, n, err := db.VerifyAudit(c)
	must(t, err)
	if bad != 0 || n != int64(len(want)) {
		t.Fatalf("verify = bad %d, n %d", bad, n)
	}
	if head, err := db.AuditHead(c); err != nil || head != log[len(log)-1].Seq {
		t.Fatalf("audit head = %d, %v; the last entry is %d", head, err, log[len(log)-1].Seq)
	}
	// A sealed stream of the store's key opens with it, for its purpose only.
	var buf bytes.Buffer
	w, err := db.SealStream(&buf, "storetest")
	must(t, err)
	_, err = w.Write([]byte("QMARKERSTREAMQ"))
	must(t, err)
	must(t, w.Close())
	if bytes.Contains(buf.Bytes(), []byte("QMARKERSTREAMQ")) {
		t.Fatal("a sealed stream holds its plaintext")
	}
	r, err := db.OpenStream(bytes.NewReader(buf.Bytes()), "storetest")
	must(t, err)
	got, err := io.ReadAll(r)
	r.Close()
	if err != nil || string(got) != "QMARKERSTREAMQ" {
		t.Fatalf("sealed stream read back %q, %v", got, err)
	}
	if _, err := db.OpenStream(bytes.NewReader(buf.Bytes()), "other"); err == nil {
		t.Fatal("a sealed stream opened for another purpose")
	}
}

func testAuditTamper(t *testing.T, h Harness) {
	c := ctx()
	for _, tc := range []struct {
		name  string
		query string
		bad   int64
	}{
		{"edited", `UPDATE audit SET actor = 'someone else' WHERE seq = 3`, 3},
		{"deleted", `DELETE FROM audit WHERE seq = 4`, 4},
		{"deleted last", `DELETE FROM audit WHERE seq = (SELECT MAX(seq) FROM audit)`, 8},
		{"swapped", `UPDATE audit SET seq = -5 WHERE seq = 5; UPDATE audit SET seq = 5 WHERE seq = 6; UPDATE audit SET seq = 6 WHERE seq = -5`, 5},
		{"detail changed", `UPDATE audit SET detail = 'x' WHERE seq = 2`, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			db := h.MustOpen(t)
			chain(t, db)
			_, err := db.Person(c, "P-1")
			must(t, err)
			if bad, _, err := db.VerifyAudit(c); bad != 0 || err != nil {
				t.Fatalf("untouched log: bad %d, %v", bad, err)
			}
			h.Exec(t, db, tc.query)
			bad, _, err := db.VerifyAudit(c)
			must(t, err)
			if bad != tc.bad {
				t.Fatalf("first bad entry = %d, want %d", bad, tc.bad)
			}
		})
	}
}

// Markers are strings that must never appear in what a store writes.
var Markers = []string{"MARKERNAMEQX", "마커이름", "MARKERNARRATIVEZV", "마커증언", "MARKERRELATIVE", "MARKERPHONE", "1977-07-07"}

func testMarkers(t *testing.T, h Harness) {
	db := h.MustOpen(t)
	c := ctx()
	p := &tumen.Person{ID: "P-m", Names: []tumen.Name{{Full: "MARKERNAMEQX"}, {Full: "마커이름"}}, BirthDate: approx.MustParse("1977-07-07"),
		Relatives: []tumen.Relative{{Name: "MARKERRELATIVE", Relation: "sister", InNK: "yes"}}, Contacts: []tumen.Contact{{Kind: "phone", Value: "MARKERPHONE"}}}
	must(t, db.CreatePerson(c, p))
	must(t, db.CreateEvent(c, &tumen.Event{ID: "E-m", Narrative: "MARKERNARRATIVEZV 마커증언"}))
	must(t, db.CreateSource(c, &tumen.Source{ID: "S-m", Kind: "testimony", Text: "MARKERNARRATIVEZV 마커증언", Title: "마커이름"}))
	must(t, db.CreateAttachment(c, &tumen.Attachment{ID: "F-m", SourceID: "S-m", Filename: "MARKERNAMEQX.txt", Data: []byte("MARKERNARRATIVEZV")}))
	// A read, a search and an export too: nothing they do may leave plaintext.
	_, err := db.Person(c, "P-m")
	must(t, err)
	_, err = db.FindByName(c, "MARKERNAMEQX")
	must(t, err)
	must(t, db.Export(c, &collector{}))
	dump := h.Dump(t, db)
	if len(dump) == 0 {
		t.Fatal("empty dump")
	}
	for _, m := range Markers {
		// As written, upper-cased, in UTF-16, and hex-encoded as a text dump
		// prints binary columns.
		for _, form := range [][]byte{[]byte(m), []byte(toUpperASCII(m)), utf16(m), []byte(hex.EncodeToString([]byte(m)))} {
			if bytes.Contains(dump, form) {
				t.Errorf("marker %q found in the store's files", m)
			}
		}
	}
	// The dump must hold the non-sensitive data, or the search proves nothing.
	if !bytes.Contains(dump, []byte("P-m")) || !bytes.Contains(dump, []byte("testimony")) {
		t.Fatal("dump does not contain the clear columns: the marker search is not looking at the data")
	}
}

func toUpperASCII(s string) string { return string(bytes.ToUpper([]byte(s))) }

func utf16(s string) []byte {
	var b []byte
	for _, r := range s {
		if r < 0x10000 {
			b = append(b, byte(r), byte(r>>8))
		}
	}
	return b
}

func testReferenceData(t *testing.T, h Harness) {
	db := h.MustOpen(t)
	c := ctx()
	b := bundle()
	must(t, db.Import(c, (&tumen.Bundle{Terms: b.Terms, Places: b.Places, Organisations: b.Organisations}).All(), nil))
	ps, err := db.Places(c)
	must(t, err)
	if len(ps) != 2 || ps[1].ID != "KP-ONS" || *ps[1].Lat != 42.95722 || ps[1].ParentID != "KP-NHG" {
		t.Fatalf("places = %+v", ps)
	}
	ts, err := db.Terms(c, "act-type")
	must(t, err)
	if len(ts) != 1 || ts[0].LabelKO != "자의적 체포" || ts[0].Extra["stage_hint"] != "S2" {
		t.Fatalf("terms = %+v", ts)
	}
	os, err := db.Organisations(c)
	must(t, err)
	if len(os) != 1 || os[0].ValidFrom != 2016 {
		t.Fatalf("organisations = %+v", os)
	}
	bad := &tumen.Bundle{Terms: []*tumen.Term{{Vocab: "act-type", Code: "x", LabelEN: "X"}}}
	if err := db.Import(c, bad.All(), nil); tumen.ErrorKind(err) != tumen.KindInvalid {
		t.Fatalf("term without Korean label: %v", err)
	}
}

func testUsers(t *testing.T, h Harness) {
	db := h.MustOpen(t)
	c := ctx()
	hash, err := crypt.HashPassword("pw", crypt.TestParams)
	must(t, err)
	must(t, db.CreateUser(c, &tumen.User{ID: "U-1", Name: "admin", Role: tumen.RoleAdmin, Clearance: tumen.Secret, PasswordHash: hash}))
	u, err := db.UserByName(c, "admin")
	must(t, err)
	if u.Role != tumen.RoleAdmin || !crypt.VerifyPassword(u.PasswordHash, "pw") || crypt.VerifyPassword(u.PasswordHash, "wrong") {
		t.Fatalf("user = %+v", u)
	}
	if err := db.CreateUser(c, &tumen.User{ID: "U-2", Name: "admin", Role: tumen.RoleViewer, PasswordHash: hash}); tumen.ErrorKind(err) != tumen.KindConflict {
		t.Fatalf("duplicate user name: %v", err)
	}
	if err := db.CreateUser(c, &tumen.User{ID: "U-3", Name: "x", Role: "god", PasswordHash: hash}); tumen.ErrorKind(err) != tumen.KindInvalid {
		t.Fatalf("unknown role: %v", err)
	}
	if _, err := db.UserByName(c, "nobody"); !tumen.IsNotFound(err) {
		t.Fatalf("missing user: %v", err)
	}
}

// diff compares two values by their JSON, sorted, and describes the first
// difference.
func diff(a, b any) string {
	ja, jb := canonicalJSON(a), canonicalJSON(b)
	if ja == jb {
		return ""
	}
	la, lb := splitLines(ja), splitLines(jb)
	for i := 0; i < len(la) && i < len(lb); i++ {
		if la[i] != lb[i] {
			return fmt.Sprintf("line %d:\n got %s\nwant %s", i+1, la[i], lb[i])
		}
	}
	return fmt.Sprintf("lengths %d and %d", len(la), len(lb))
}

func splitLines(s string) []string {
	var out []string
	start := 0
	for i := 0; i < len(s); i++ {
		if s[i] == '\n' {
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return append(out, s[start:])
}

func canonicalJSON(v any) string {
	b, err := json.MarshalIndent(v, "", " ")
	if err != nil {
		return "unmarshalable: " + err.Error()
	}
	return string(b)
}
