package storetest

import (
	"bytes"
	"fmt"
	"testing"
	"time"

	"tumen"
	"tumen/approx"
	"tumen/crypt"
	"tumen/sqlstore"
)

func auditFilterTarget(id string) sqlstore.AuditFilter { return sqlstore.AuditFilter{Target: id} }

// RunAccounts runs the conformance tests of dossiers, accounts, sessions
// and tokens: what the web application needs of a store.
func RunAccounts(t *testing.T, h Harness) {
	for _, tc := range []struct {
		name string
		fn   func(*testing.T, Harness)
	}{
		{"Dossier", testDossier},
		{"Sessions", testSessions},
		{"TOTPAndLockout", testTOTPAndLockout},
		{"Permissions", testPermissions},
		{"Tokens", testTokens},
		{"GroupedReadAudit", testGroupedReadAudit},
		{"CountData", testCountData},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tc.fn(t, h)
		})
	}
}

func testDossier(t *testing.T, h Harness) {
	db := h.MustOpen(t)
	chain(t, db)
	c := ctx()
	must(t, db.CreateConsent(c, &tumen.Consent{ID: "C-1", SourceID: "S-1", Use: tumen.UseInternal, Given: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)}))
	// A second source with two consents, and one about nobody in the
	// dossier whose consent must stay out of it.
	must(t, db.CreateSource(c, &tumen.Source{ID: "S-2", Kind: "testimony", Supports: []tumen.Link{{Kind: tumen.RecordPerson, ID: "P-1"}}}))
	must(t, db.CreateSource(c, &tumen.Source{ID: "S-3", Kind: "testimony"}))
	for _, k := range []struct{ id, src, use string }{{"C-3", "S-2", tumen.UseUNNamed}, {"C-2", "S-2", tumen.UseInternal}, {"C-4", "S-3", tumen.UseInternal}} {
		must(t, db.CreateConsent(c, &tumen.Consent{ID: k.id, SourceID: k.src, Use: k.use, Given: time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC)}))
	}
	d, err := db.Dossier(c, "P-1")
	must(t, err)
	if d.Person.Names[0].Full != "이영호" || len(d.Events) != 2 || d.Events[0].ID != "E-1" || len(d.Acts) != 2 || len(d.Sources) != 2 || len(d.Consents["S-1"]) != 1 {
		t.Fatalf("dossier = %+v", d)
	}
	if cs := d.Consents["S-2"]; len(cs) != 2 || cs[0].ID != "C-2" || cs[1].ID != "C-3" || len(d.Consents) != 2 {
		t.Fatalf("dossier consents = %+v", d.Consents)
	}
	es, err := db.SearchAudit(c, auditFilterTarget("P-1"))
	must(t, err)
	if len(es) == 0 || es[0].Action != "read" || es[0].Detail != "with sources S-1, S-2" {
		t.Fatalf("dossier read not audited: %+v", es)
	}
	// A summary list leaves relatives, contacts and notes sealed.
	ps, err := db.ListPersons(c, tumen.PersonFilter{Summary: true})
	must(t, err)
	if len(ps) != 1 || ps[0].Names[0].Full != "이영호" || ps[0].Relatives != nil || ps[0].Contacts != nil || ps[0].Notes != "" || !ps[0].BirthDate.Known() {
		t.Fatalf("summary = %+v", ps[0])
	}
	if _, err := db.Dossier(c, "P-404"); !tumen.IsNotFound(err) {
		t.Fatalf("missing person: %v", err)
	}
}

func testSessions(t *testing.T, h Harness) {
	db := h.MustOpen(t)
	db.Now = Fixed()
	c := ctx()
	hash, _ := crypt.HashPassword("pw", crypt.TestParams)
	must(t, db.CreateUser(c, &tumen.User{ID: "U-1", Name: "kim", Role: tumen.RoleDocumenter, Clearance: tumen.Confidential, PasswordHash: hash}))
	now := db.Now()
	sh := []byte("0123456789abcdef0123456789abcdef")
	must(t, db.CreateSession(c, sh, &tumen.Session{UserID: "U-1", CSRF: "csrf", Stage: tumen.StageFull, Created: now, Expires: now.Add(time.Hour), LastSeen: now}))
	s, err := db.SessionByHash(c, sh)
	must(t, err)
	if s.UserID != "U-1" || s.CSRF != "csrf" || s.Stage != tumen.StageFull {
		t.Fatalf("session = %+v", s)
	}
	must(t, db.TouchSession(c, sh, now.Add(2*time.Hour)))
	if s, _ := db.SessionByHash(c, sh); !s.Expires.Equal(now.Add(2 * time.Hour).Truncate(time.Millisecond)) {
		t.Fatalf("touch: %v", s.Expires)
	}
	if _, err := db.SessionByHash(c, []byte("other")); tumen.ErrorKind(err) != tumen.KindUnauthorized {
		t.Fatalf("unknown session: %v", err)
	}
	// An expired session is gone.
	db.Now = func() time.Time { return now.Add(3 * time.Hour) }
	if _, err := db.SessionByHash(c, sh); err == nil {
		t.Fatal("an expired session is still valid")
	}
	db.Now = func() time.Time { return now }
	must(t, db.DeleteSession(c, sh, "U-1", true))
	if _, err := db.SessionByHash(c, sh); err == nil {
		t.Fatal("a deleted session is still valid")
	}
	// The store keeps only the hash: the token itself is nowhere.
	var n int
	must(t, db.SQL().QueryRow(`SELECT COUNT(*) FROM sessions`).Scan(&n))
	if n != 0 {
		t.Fatalf("%d sessions left", n)
	}
}

func testTOTPAndLockout(t *testing.T, h Harness) {
	db := h.MustOpen(t)
	c := ctx()
	hash, _ := crypt.HashPassword("pw", crypt.TestParams)
	must(t, db.CreateUser(c, &tumen.User{ID: "U-1", Name: "kim", Role: tumen.RoleAdmin, Clearance: tumen.Secret, PasswordHash: hash}))
	must(t, db.SetTOTP(c, "U-1", "JBSWY3DPEHPK3PXP"))
	secret, enabled, step, err := db.TOTP(c, "U-1")
	must(t, err)
	if secret != "JBSWY3DPEHPK3PXP" || enabled || step != 0 {
		t.Fatalf("totp = %q %v %d", secret, enabled, step)
	}
	var raw []byte
	must(t, db.SQL().QueryRow(`SELECT totp_enc FROM users WHERE id = 'U-1'`).Scan(&raw))
	if bytes.Contains(raw, []byte("JBSWY3DPEHPK3PXP")) {
		t.Fatal("the TOTP secret is stored in the clear")
	}
	must(t, db.UseTOTP(c, "U-1", 100))
	if err := db.UseTOTP(c, "U-1", 100); err == nil {
		t.Fatal("a time step was used twice")
	}
	if _, enabled, step, _ := db.TOTP(c, "U-1"); !enabled || step != 100 {
		t.Fatal("second factor not enabled after use")
	}
	for i := 1; i <= 3; i++ {
		n, err := db.LoginFailed(c, "U-1", 3, time.Hour)
		must(t, err)
		if n != i {
			t.Fatalf("failures = %d, want %d", n, i)
		}
	}
	u, err := db.UserByName(c, "kim")
	must(t, err)
	if !u.LockedUntil.After(time.Now()) || u.FailedLogins != 3 {
		t.Fatalf("not locked: %+v", u)
	}
	must(t, db.SetPassword(c, "U-1", hash))
	if u, _ := db.UserByName(c, "kim"); u.FailedLogins != 0 || !u.LockedUntil.IsZero() {
		t.Fatal("a new password does not unlock the account")
	}
}

func testPermissions(t *testing.T, h Harness) {
	db := h.MustOpen(t)
	c := ctx()
	hash, _ := crypt.HashPassword("pw", crypt.TestParams)
	must(t, db.CreateUser(c, &tumen.User{ID: "U-1", Name: "kim", Role: tumen.RoleViewer, Clearance: tumen.Internal, PasswordHash: hash}))
	sh := []byte("session-hash-of-kim")
	now := time.Now()
	must(t, db.CreateSession(c, sh, &tumen.Session{UserID: "U-1", CSRF: "x", Stage: tumen.StageFull, Created: now, Expires: now.Add(time.Hour), LastSeen: now}))
	must(t, db.SetPermissions(c, "U-1", tumen.RoleAnalyst, tumen.Confidential, false))
	u, err := db.User(c, "U-1")
	must(t, err)
	if u.Role != tumen.RoleAnalyst || u.Clearance != tumen.Confidential {
		t.Fatalf("user = %+v", u)
	}
	must(t, db.SetPermissions(c, "U-1", tumen.RoleAnalyst, tumen.Confidential, true))
	if _, err := db.SessionByHash(c, sh); err == nil {
		t.Fatal("disabling an account left its session alive")
	}
	if err := db.SetPermissions(c, "U-1", "king", tumen.Secret, false); tumen.ErrorKind(err) != tumen.KindInvalid {
		t.Fatalf("unknown role: %v", err)
	}
	if err := db.SetPermissions(c, "U-404", tumen.RoleViewer, tumen.Public, false); !tumen.IsNotFound(err) {
		t.Fatalf("missing user: %v", err)
	}
	es, err := db.SearchAudit(c, auditFilterTarget("U-1"))
	must(t, err)
	found := false
	for _, e := range es {
		if e.Action == "permissions" && e.Detail == "role analyst, clearance confidential, disabled" {
			found = true
		}
	}
	if !found {
		t.Fatal("permission change not audited")
	}
	us, err := db.Users(c)
	must(t, err)
	if len(us) != 1 || !us[0].Disabled {
		t.Fatalf("users = %+v", us)
	}
}

func testTokens(t *testing.T, h Harness) {
	db := h.MustOpen(t)
	c := ctx()
	hash, _ := crypt.HashPassword("pw", crypt.TestParams)
	must(t, db.CreateUser(c, &tumen.User{ID: "U-1", Name: "kim", Role: tumen.RoleAnalyst, Clearance: tumen.Internal, PasswordHash: hash}))
	th := []byte("token-hash")
	must(t, db.CreateToken(c, th, "U-1", "script", time.Now().Add(time.Hour)))
	u, err := db.TokenUser(c, th)
	must(t, err)
	if u.Name != "kim" {
		t.Fatal(u.Name)
	}
	must(t, db.CreateToken(c, []byte("old"), "U-1", "old", time.Now().Add(-time.Hour)))
	if _, err := db.TokenUser(c, []byte("old")); tumen.ErrorKind(err) != tumen.KindUnauthorized {
		t.Fatalf("expired token: %v", err)
	}
}

// testGroupedReadAudit reads concurrently: every read gets its own entry,
// and the chain stays intact.
func testGroupedReadAudit(t *testing.T, h Harness) {
	db := h.MustOpen(t)
	chain(t, db)
	c := ctx()
	errs := make(chan error, 40)
	for i := range 40 {
		go func() {
			_, err := db.Person(tumen.WithActor(c, fmt.Sprintf("reader-%d", i)), "P-1")
			errs <- err
		}()
	}
	for range 40 {
		must(t, <-errs)
	}
	es, err := db.SearchAudit(c, auditFilterTarget("P-1"))
	must(t, err)
	readers := map[string]bool{}
	for _, e := range es {
		if e.Action == "read" {
			readers[e.Actor] = true
		}
	}
	if len(readers) != 40 {
		t.Fatalf("%d distinct readers audited, want 40", len(readers))
	}
	if bad, _, err := db.VerifyAudit(c); bad != 0 || err != nil {
		t.Fatalf("chain broken at %d: %v", bad, err)
	}
}

// testCountData: counting reads dates, stages, places, acts, agencies and
// links without decrypting, leaves out what is above a clearance, and
// finds the sources with a standing consent.
func testCountData(t *testing.T, h Harness) {
	db := h.MustOpen(t)
	chain(t, db)
	c := ctx()
	secret := samplePerson("P-2")
	secret.Confidentiality = tumen.Secret
	must(t, db.CreatePerson(c, secret))
	must(t, db.CreateEvent(c, &tumen.Event{ID: "E-3", Date: approx.MustParse("2016"), Stage: "S5"}))
	must(t, db.CreateAct(c, &tumen.Act{ID: "A-3", EventID: "E-3", VictimID: "P-2", Type: "refoulement"}))
	must(t, db.CreateSource(c, &tumen.Source{ID: "S-2", Kind: "testimony", Organisation: "TJWG", Supports: []tumen.Link{{Kind: "person", ID: "P-2"}, {Kind: "act", ID: "A-3"}}}))
	must(t, db.CreateConsent(c, &tumen.Consent{ID: "C-1", SourceID: "S-1", Use: tumen.UsePublishAnon, Given: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)}))
	all, err := db.CountData(c, sqlstore.CountOptions{Consents: []string{tumen.UsePublishAnon}, Now: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)})
	must(t, err)
	if len(all.Persons) != 2 || len(all.Events) != 3 || len(all.Acts) != 3 || len(all.Links) != 4 || !all.Consented["S-1"] || all.Consented["S-2"] {
		t.Fatalf("count data: %d persons, %d events, %d acts, %d links, consented %v", len(all.Persons), len(all.Events), len(all.Acts), len(all.Links), all.Consented)
	}
	for _, e := range all.Events {
		if e.ID == "E-1" {
			lo, hi := approx.MustParse("spring 2015").Bounds()
			if e.Lo != lo || e.Hi != hi || e.Stage != "S2" {
				t.Errorf("E-1 counted as %+v", e)
			}
		}
	}
	for _, a := range all.Acts {
		if a.ID == "A-1" && (len(a.Agencies) != 1 || a.Agencies[0] != "cn-psb") {
			t.Errorf("A-1 agencies %v", a.Agencies)
		}
	}
	conf := tumen.Confidential
	cl, err := db.CountData(c, sqlstore.CountOptions{MaxLevel: &conf})
	must(t, err)
	if len(cl.Persons) != 1 || len(cl.Acts) != 2 || len(cl.Links) != 2 {
		t.Fatalf("cleared to confidential: %d persons, %d acts, %d links; want 1, 2, 2", len(cl.Persons), len(cl.Acts), len(cl.Links))
	}
	for _, l := range cl.Links {
		if l.SourceID == "S-2" {
			t.Errorf("a link of the secret person's source is counted: %+v", l)
		}
	}
}
