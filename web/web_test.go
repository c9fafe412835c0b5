package web

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"tumen"
	"tumen/approx"
	"tumen/auth"
	"tumen/crypt"
	"tumen/sqlite"
	"tumen/sqlstore"
	"tumen/vocab"
)

// env is a running server over a fresh store with one user per role.
type env struct {
	t     *testing.T
	db    *sqlstore.DB
	srv   *Server
	ts    *httptest.Server
	now   time.Time
	pw    string
	users map[tumen.Role]*tumen.User
}

const testPassword = "correct horse battery"

func newEnv(t *testing.T) *env {
	t.Helper()
	ctx := tumen.WithActor(context.Background(), "test")
	db, err := sqlite.Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.Init(ctx, crypt.Secrets{Passphrase: []byte("test passphrase")}, crypt.TestParams); err != nil {
		t.Fatal(err)
	}
	data, err := vocab.Load()
	if err != nil {
		t.Fatal(err)
	}
	b := data.Bundle()
	// P-1 confidential with a consent for internal use only; P-2 secret.
	b.Persons = []*tumen.Person{
		{ID: "P-1", Names: []tumen.Name{{Full: "이영호", System: tumen.NameHangulSouth}, {Full: "Ri Yong Ho", System: tumen.NameRoman}}, BirthDate: approx.MustParse("around 1985"),
			Sex: tumen.SexMale, Origin: "Hoeryong", Relatives: []tumen.Relative{{Name: "김순희", Relation: "mother", InNK: "yes"}}, Confidentiality: tumen.Confidential},
		{ID: "P-2", Names: []tumen.Name{{Full: "비밀인물"}}, Confidentiality: tumen.Secret},
	}
	b.Events = []*tumen.Event{{ID: "E-1", Date: approx.MustParse("spring 2015"), PlaceID: "CN-TUM-BDC", Stage: "S4", Narrative: "Held at the border centre."},
		{ID: "E-2", Date: approx.MustParse("2015-05-20"), PlaceID: "KP-NAM", Stage: "S5"}}
	b.Acts = []*tumen.Act{{ID: "A-1", EventID: "E-1", VictimID: "P-1", Type: "detention", Perpetrators: []tumen.Involvement{{OrganisationID: "cn-border-defence", Degree: "direct"}}},
		{ID: "A-2", EventID: "E-2", VictimID: "P-1", Type: "refoulement"}}
	b.Sources = []*tumen.Source{{ID: "S-1", Kind: "testimony", Organisation: "NGO", Text: "그는 투먼에서 넘겨졌다.", Confidentiality: tumen.Confidential,
		Supports: []tumen.Link{{Kind: "person", ID: "P-1"}, {Kind: "event", ID: "E-1"}}}}
	b.Consents = []*tumen.Consent{{ID: "C-1", SourceID: "S-1", Use: tumen.UseInternal, Given: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)}}
	if err := db.Import(ctx, b.All(), nil); err != nil {
		t.Fatal(err)
	}
	e := &env{t: t, db: db, now: time.Now(), pw: testPassword, users: map[tumen.Role]*tumen.User{}}
	hash, _ := crypt.HashPassword(testPassword, crypt.TestParams)
	for _, r := range []struct {
		role tumen.Role
		lvl  tumen.Level
	}{{tumen.RoleAdmin, tumen.Secret}, {tumen.RoleDocumenter, tumen.Confidential}, {tumen.RoleAnalyst, tumen.Confidential}, {tumen.RoleViewer, tumen.Confidential}} {
		u := &tumen.User{ID: "U-" + string(r.role), Name: string(r.role), Role: r.role, Clearance: r.lvl, PasswordHash: hash}
		if err := db.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		e.users[r.role] = u
	}
	e.srv, err = New(db, data, slog.New(slog.NewTextHandler(io.Discard, nil)), Options{})
	if err != nil {
		t.Fatal(err)
	}
	e.srv.Now = func() time.Time { return e.now }
	e.ts = httptest.NewServer(e.srv.Handler())
	t.Cleanup(e.ts.Close)
	return e
}

// client is a browser-like client with a cookie jar that does not follow
// redirects, so tests see them.
type client struct {
	e    *env
	http *http.Client
	csrf string
}

func (e *env) client() *client {
	jar, _ := cookiejar.New(nil)
	return &client{e: e, http: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

func (c *client) do(method, path string, form url.Values) (*http.Response, string) {
	c.e.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, _ := http.NewRequest(method, c.e.ts.URL+path, body)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	// httptest serves plain HTTP on 127.0.0.1; the jar keeps Secure
	// cookies for it only when told the origin is trustworthy, so send
	// them by hand.
	for _, ck := range c.http.Jar.Cookies(req.URL) {
		req.AddCookie(ck)
	}
	res, err := c.http.Do(req)
	if err != nil {
		c.e.t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	u, _ := url.Parse(c.e.ts.URL)
	c.http.Jar.SetCookies(u, insecureCopies(res.Cookies()))
	return res, string(b)
}

// insecureCopies strips the Secure flag so the test jar keeps cookies on
// plain-HTTP 127.0.0.1, as a browser does for loopback.
func insecureCopies(cs []*http.Cookie) []*http.Cookie {
	out := make([]*http.Cookie, len(cs))
	for i, c := range cs {
		cc := *c
		cc.Secure = false
		out[i] = &cc
	}
	return out
}

var csrfRE = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

func formCSRF(body string) string {
	m := csrfRE.FindStringSubmatch(body)
	if m == nil {
		return ""
	}
	return m[1]
}

// login logs in as role, through the second factor when the role needs it.
func (e *env) login(role tumen.Role) *client {
	e.t.Helper()
	c := e.client()
	_, body := c.do("GET", "/login", nil)
	res, _ := c.do("POST", "/login", url.Values{"csrf": {formCSRF(body)}, "name": {string(role)}, "password": {e.pw}})
	if res.StatusCode != http.StatusSeeOther {
		e.t.Fatalf("login %s: %d", role, res.StatusCode)
	}
	if loc := res.Header.Get("Location"); loc == "/login/totp" {
		_, body := c.do("GET", "/login/totp", nil)
		secret, _, _, err := e.db.TOTP(context.Background(), e.users[role].ID)
		if err != nil || secret == "" {
			e.t.Fatalf("no TOTP secret after enrolment page: %v", err)
		}
		// Each login uses the next time step: a code is never accepted twice.
		e.now = e.now.Add(auth.Period)
		code, _ := auth.Code(secret, e.now)
		res, _ = c.do("POST", "/login/totp", url.Values{"csrf": {formCSRF(body)}, "code": {code}})
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/" {
			e.t.Fatalf("totp %s: %d %s", role, res.StatusCode, res.Header.Get("Location"))
		}
	} else if loc != "/" {
		e.t.Fatalf("login %s went to %s", role, loc)
	}
	_, body = c.do("GET", "/", nil)
	c.csrf = formCSRF(body)
	if c.csrf == "" {
		e.t.Fatalf("%s: no CSRF token on the dashboard", role)
	}
	return c
}

func TestLoginNeedsSecondFactorForIdentityRoles(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	for _, role := range tumen.Roles {
		c := e.client()
		_, body := c.do("GET", "/login", nil)
		res, _ := c.do("POST", "/login", url.Values{"csrf": {formCSRF(body)}, "name": {string(role)}, "password": {e.pw}})
		want := "/login/totp"
		if role == tumen.RoleViewer {
			want = "/"
		}
		if got := res.Header.Get("Location"); got != want {
			t.Errorf("%s after password: %s, want %s", role, got, want)
		}
		// Between the two factors, no page is served.
		if role != tumen.RoleViewer {
			if res, _ := c.do("GET", "/persons", nil); res.StatusCode != http.StatusSeeOther {
				t.Errorf("%s reached /persons with the password alone: %d", role, res.StatusCode)
			}
		}
	}
}

func TestLoginFailuresAndLockout(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.client()
	try := func(name, pw string) string {
		_, body := c.do("GET", "/login", nil)
		res, _ := c.do("POST", "/login", url.Values{"csrf": {formCSRF(body)}, "name": {name}, "password": {pw}})
		return res.Header.Get("Location")
	}
	if loc := try("nobody", "x"); !strings.HasPrefix(loc, "/login?e=") {
		t.Fatalf("unknown user: %s", loc)
	}
	if loc := try("viewer", "wrong"); !strings.HasPrefix(loc, "/login?e=") || !strings.Contains(loc, "Wrong") {
		t.Fatalf("wrong password: %s", loc)
	}
	for range e.srv.opts.MaxFailures {
		try("viewer", "wrong")
	}
	if loc := try("viewer", e.pw); !strings.HasPrefix(loc, "/login?e=") {
		t.Fatalf("locked account logged in: %s", loc)
	}
	e.now = e.now.Add(e.srv.opts.LockFor + time.Minute)
	if loc := try("viewer", e.pw); loc != "/" {
		t.Fatalf("account still locked after the lock time: %s", loc)
	}
	// Without the form's token the login is refused.
	res, _ := c.do("POST", "/login", url.Values{"name": {"viewer"}, "password": {e.pw}})
	if !strings.Contains(res.Header.Get("Location"), "expired") {
		t.Fatalf("login without CSRF: %s", res.Header.Get("Location"))
	}
	es, _ := e.db.SearchAudit(context.Background(), sqlstore.AuditFilter{Action: "login-failed"})
	if len(es) < 2 {
		t.Fatalf("failed logins not audited: %d", len(es))
	}
}

func TestLoginThrottle(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.client()
	var loc string
	for range e.srv.opts.LoginRate + 1 {
		_, body := c.do("GET", "/login", nil)
		res, _ := c.do("POST", "/login", url.Values{"csrf": {formCSRF(body)}, "name": {"nobody"}, "password": {"x"}})
		loc = res.Header.Get("Location")
	}
	if !strings.Contains(loc, "Too+many") {
		t.Fatalf("not throttled: %s", loc)
	}
}

func TestTOTPReplayRefused(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.login(tumen.RoleDocumenter) // enrols and uses the code of e.now
	c := e.client()
	_, body := c.do("GET", "/login", nil)
	c.do("POST", "/login", url.Values{"csrf": {formCSRF(body)}, "name": {"documenter"}, "password": {e.pw}})
	_, body = c.do("GET", "/login/totp", nil)
	secret, _, _, _ := e.db.TOTP(context.Background(), e.users[tumen.RoleDocumenter].ID)
	code, _ := auth.Code(secret, e.now) // the same step as the first login
	res, _ := c.do("POST", "/login/totp", url.Values{"csrf": {formCSRF(body)}, "code": {code}})
	if res.Header.Get("Location") == "/" {
		t.Fatal("a used code logged in again")
	}
}

// TestRouteRoleMatrix requests every guarded route as every role and as
// nobody, and checks the answer against the policy in rolePerms.
func TestRouteRoleMatrix(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	clients := map[tumen.Role]*client{}
	for _, r := range tumen.Roles {
		clients[r] = e.login(r)
	}
	anon := e.client()
	for _, rt := range e.srv.table() {
		method, path, _ := strings.Cut(rt.pattern, " ")
		path = strings.NewReplacer("{$}", "", "{id}", "P-1", "{aid}", "RA-404").Replace(path)
		switch {
		case strings.HasPrefix(path, "/sources/"):
			path = strings.Replace(path, "P-1", "S-1", 1)
		case strings.HasPrefix(path, "/consents/"):
			path = strings.Replace(path, "P-1", "C-404", 1)
		case strings.HasPrefix(path, "/attachments/"), strings.HasPrefix(path, "/admin/users/"):
			path = strings.Replace(path, "P-1", "X-404", 1)
		case strings.HasSuffix(path, "/export"):
			path += "?use=internal"
		case strings.HasPrefix(path, "/stats/"):
			path = strings.Replace(path, "{file}", "years.svg", 1)
		}
		api := strings.HasPrefix(path, "/api/")
		// Nobody: pages send to the login, the API answers 401.
		res, _ := anon.do(method, path, url.Values{})
		if api && res.StatusCode != http.StatusUnauthorized || !api && (res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/login") {
			t.Errorf("%s as nobody: %d %s", rt.pattern, res.StatusCode, res.Header.Get("Location"))
		}
		for _, role := range tumen.Roles {
			c := clients[role]
			var form url.Values
			if method == "POST" {
				form = url.Values{"csrf": {c.csrf}}
			}
			res, _ := c.do(method, path, form)
			allowed := can(e.users[role], rt.perm)
			if !allowed && res.StatusCode != http.StatusForbidden {
				t.Errorf("%s as %s: %d, want 403", rt.pattern, role, res.StatusCode)
			}
			if allowed && (res.StatusCode == http.StatusForbidden || res.StatusCode == http.StatusUnauthorized || res.StatusCode >= 500) {
				t.Errorf("%s as %s: %d, want access", rt.pattern, role, res.StatusCode)
			}
			if method == "POST" && allowed {
				// The same request without the CSRF token is refused.
				res, _ := c.do(method, path, url.Values{})
				if res.StatusCode != http.StatusForbidden {
					t.Errorf("%s as %s without CSRF: %d", rt.pattern, role, res.StatusCode)
				}
			}
		}
	}
}

func TestRedactionAndClearance(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	viewer, doc, admin := e.login(tumen.RoleViewer), e.login(tumen.RoleDocumenter), e.login(tumen.RoleAdmin)
	for _, path := range []string{"/persons", "/persons/P-1", "/api/v1/persons", "/api/v1/persons/P-1", "/sources/S-1", "/api/v1/sources/S-1"} {
		_, vb := viewer.do("GET", path, nil)
		_, db := doc.do("GET", path, nil)
		for _, secret := range []string{"이영호", "Ri Yong Ho", "around 1985", "Hoeryong", "김순희", "그는 투먼에서"} {
			if strings.Contains(vb, secret) {
				t.Errorf("viewer sees %q on %s", secret, path)
			}
		}
		if !strings.Contains(vb, "redacted") && !strings.Contains(vb, Redacted) {
			t.Errorf("viewer's %s shows no redaction", path)
		}
		if path != "/sources/S-1" && path != "/api/v1/sources/S-1" && !strings.Contains(db, "이영호") {
			t.Errorf("documenter does not see the name on %s", path)
		}
		// Relatives need Secret clearance: the documenter does not see them.
		if strings.Contains(db, "김순희") {
			t.Errorf("documenter sees a relative on %s", path)
		}
	}
	_, ab := admin.do("GET", "/persons/P-1", nil)
	if !strings.Contains(ab, "김순희") {
		t.Error("admin does not see the relative")
	}
	// A record above one's clearance does not exist: 404 on every route,
	// and it is not listed.
	for _, c := range []*client{viewer, doc} {
		for _, path := range []string{"/persons/P-2", "/api/v1/persons/P-2"} {
			if res, body := c.do("GET", path, nil); res.StatusCode != http.StatusNotFound || strings.Contains(body, "비밀인물") {
				t.Errorf("%s reached a secret record: %d", path, res.StatusCode)
			}
		}
		if _, body := c.do("GET", "/persons", nil); strings.Contains(body, "P-2") {
			t.Error("a secret record is listed")
		}
	}
	if res, body := admin.do("GET", "/persons/P-2", nil); res.StatusCode != 200 || !strings.Contains(body, "비밀인물") {
		t.Error("admin cannot see the secret record")
	}
}

func TestConsentGate(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	an := e.login(tumen.RoleAnalyst)
	res, body := an.do("GET", "/api/v1/persons/P-1/export?use=un-named", nil)
	if res.StatusCode != http.StatusForbidden || !strings.Contains(body, "source S-1 has no standing consent for un-named") {
		t.Fatalf("export without consent: %d %s", res.StatusCode, body)
	}
	if res, _ := an.do("GET", "/api/v1/persons/P-1/export?use=internal", nil); res.StatusCode != 200 {
		t.Fatalf("export with consent: %d", res.StatusCode)
	}
	ctx := tumen.WithActor(context.Background(), "test")
	if err := e.db.CreateConsent(ctx, &tumen.Consent{ID: "C-2", SourceID: "S-1", Use: tumen.UseUNAnonymous, Given: e.now.Add(-time.Hour)}); err != nil {
		t.Fatal(err)
	}
	res, body = an.do("GET", "/api/v1/persons/P-1/export?use=un-anonymous", nil)
	if res.StatusCode != 200 || strings.Contains(body, "이영호") {
		t.Fatalf("anonymous export: %d, names present: %v", res.StatusCode, strings.Contains(body, "이영호"))
	}
	// Revoking takes effect at once.
	doc := e.login(tumen.RoleDocumenter)
	if res, _ := doc.do("POST", "/consents/C-2/revoke", url.Values{"csrf": {doc.csrf}, "back": {"/persons/P-1"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("revoke: %d", res.StatusCode)
	}
	if res, _ := an.do("GET", "/api/v1/persons/P-1/export?use=un-anonymous", nil); res.StatusCode != http.StatusForbidden {
		t.Fatalf("export after revocation: %d", res.StatusCode)
	}
	es, _ := e.db.SearchAudit(ctx, sqlstore.AuditFilter{Target: "P-1"})
	var actions []string
	for _, en := range es {
		actions = append(actions, en.Action)
	}
	if !strings.Contains(strings.Join(actions, " "), "export-refused") || !strings.Contains(strings.Join(actions, " "), "export") {
		t.Fatalf("exports not audited: %v", actions)
	}
}

func TestEntryScreen(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	doc := e.login(tumen.RoleDocumenter)
	form := url.Values{"csrf": {doc.csrf}, "name": {"박순옥"}, "name_system": {"hangul-south"}, "sex": {"f"}, "birth_date": {"1990년 3월"}, "origin": {"무산"},
		"event_date": {"2023년 가을"}, "place": {"CN-TUM-BDC"}, "stage": {"S4"}, "narrative": {"투먼 변방구류심사소에 구금되었다."},
		"act_type": {"detention"}, "perpetrator": {"cn-border-defence"}, "involvement": {"direct"},
		"source_kind": {"testimony"}, "organisation": {"Test NGO"}, "reliability": {"high"}, "testimony": {"언니가 전화로 알려왔다."}, "consent": {"internal", "un-named"}}
	res, _ := doc.do("POST", "/entry", form)
	loc := res.Header.Get("Location")
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/persons/P-") {
		t.Fatalf("entry: %d %s", res.StatusCode, loc)
	}
	_, body := doc.do("GET", strings.Split(loc, "?")[0], nil)
	for _, want := range []string{"박순옥", "1990년 3월", "2023년 가을", "2023-09-01 – 2023-11-30", "Tumen border defence detention centre", "Arbitrary detention", "Border defence", "언니가 전화로", "<svg class=\"timeline\""} {
		if !strings.Contains(body, want) {
			t.Errorf("person page lacks %q", want)
		}
	}
	// A bad date changes nothing.
	before, _ := e.db.Stats(context.Background())
	form.Set("event_date", "the 33rd of Smarch")
	res, _ = doc.do("POST", "/entry", form)
	if !strings.HasPrefix(res.Header.Get("Location"), "/entry?e=") {
		t.Fatalf("bad date accepted: %s", res.Header.Get("Location"))
	}
	after, _ := e.db.Stats(context.Background())
	if before.Persons != after.Persons || before.Events != after.Events || before.Sources != after.Sources {
		t.Fatal("a rejected entry wrote records")
	}
}

func TestUploadAndDownload(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	doc := e.login(tumen.RoleDocumenter)
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("csrf", doc.csrf)
	fw, _ := mw.CreateFormFile("file", "scan.pdf")
	content := []byte("%PDF-1.4 the original scan <script>alert(1)</script>")
	fw.Write(content)
	mw.Close()
	req, _ := http.NewRequest("POST", e.ts.URL+"/sources/S-1/attachments", &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	for _, ck := range doc.http.Jar.Cookies(req.URL) {
		req.AddCookie(ck)
	}
	res, err := doc.http.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("upload: %d", res.StatusCode)
	}
	_, body := doc.do("GET", "/sources/S-1", nil)
	want := fmt.Sprintf("%x", sha256sum(content))
	if !strings.Contains(body, want) {
		t.Fatal("source page does not show the SHA-256 taken at ingest")
	}
	id := regexp.MustCompile(`/attachments/(F-[0-9A-F]+)`).FindStringSubmatch(body)[1]
	res, got := doc.do("GET", "/attachments/"+id, nil)
	if got != string(content) || res.Header.Get("Content-Type") != "application/octet-stream" || !strings.HasPrefix(res.Header.Get("Content-Disposition"), "attachment") {
		t.Fatalf("download: %q %v", got, res.Header)
	}
	if res, _ := e.login(tumen.RoleViewer).do("GET", "/attachments/"+id, nil); res.StatusCode != http.StatusForbidden {
		t.Fatalf("viewer downloaded: %d", res.StatusCode)
	}
	es, _ := e.db.SearchAudit(context.Background(), sqlstore.AuditFilter{Kind: "attachment", Target: id})
	if len(es) < 2 {
		t.Fatalf("upload and download not audited: %d entries", len(es))
	}
}

func TestHeadersAndLimits(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.client()
	res, _ := c.do("GET", "/login", nil)
	for k, want := range map[string]string{"Content-Security-Policy": "frame-ancestors 'none'", "Referrer-Policy": "no-referrer", "X-Frame-Options": "DENY", "X-Content-Type-Options": "nosniff"} {
		if !strings.Contains(res.Header.Get(k), want) {
			t.Errorf("%s = %q", k, res.Header.Get(k))
		}
	}
	if strings.Contains(res.Header.Get("Content-Security-Policy"), "unsafe-inline") || strings.Contains(res.Header.Get("Content-Security-Policy"), "script-src") {
		t.Error("CSP allows scripts")
	}
	var sc *http.Cookie
	for _, ck := range res.Cookies() {
		sc = ck
	}
	if sc == nil || !sc.Secure || !sc.HttpOnly || sc.SameSite != http.SameSiteStrictMode {
		t.Fatalf("cookie flags: %+v", sc)
	}
	big := url.Values{"name": {strings.Repeat("x", 2<<20)}}
	if res, _ := c.do("POST", "/login", big); res.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("2 MiB form: %d", res.StatusCode)
	}
	// Internal errors do not reach the client; open redirects are refused.
	res, _ = c.do("GET", "/lang/ko?next=//evil.example/", nil)
	if res.Header.Get("Location") != "/" {
		t.Errorf("open redirect: %s", res.Header.Get("Location"))
	}
}

func TestPlacesPage(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	_, body := e.login(tumen.RoleViewer).do("GET", "/places", nil)
	for _, want := range []string{`<svg class="map"`, "Onsong", "온성", "42.957, 129.993", `class="crossing"`} {
		if !strings.Contains(body, want) {
			t.Errorf("places page lacks %q", want)
		}
	}
	if strings.Contains(body, "%!") {
		t.Error("a formatting error on the places page")
	}
}

func TestKoreanInterface(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.login(tumen.RoleDocumenter)
	c.do("GET", "/lang/ko?next=/persons", nil)
	_, body := c.do("GET", "/persons", nil)
	if !strings.Contains(body, `lang="ko"`) || !strings.Contains(body, "인물") || !strings.Contains(body, "필터") {
		t.Fatal("Korean interface not shown")
	}
	for k, m := range messages {
		if m[1] == "" {
			t.Errorf("message %q has no Korean", k)
		}
	}
}

func TestAuditLogPageAndOpenAPI(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	admin := e.login(tumen.RoleAdmin)
	admin.do("GET", "/persons/P-1", nil)
	_, body := admin.do("GET", "/admin/audit?target=P-1", nil)
	if !strings.Contains(body, "read person") || !strings.Contains(body, "web:admin") || !strings.Contains(body, `id="chain"`) {
		t.Fatal("audit page lacks the read of P-1")
	}
	_, body = admin.do("GET", "/api/v1/openapi.json", nil)
	var doc struct {
		OpenAPI string                    `json:"openapi"`
		Paths   map[string]map[string]any `json:"paths"`
	}
	if err := json.Unmarshal([]byte(body), &doc); err != nil || doc.OpenAPI != "3.1.0" {
		t.Fatalf("openapi: %v", err)
	}
	for _, rt := range e.srv.table() {
		method, path, _ := strings.Cut(rt.pattern, " ")
		if strings.HasPrefix(path, "/api/") {
			if _, ok := apiDocs[rt.pattern]; !ok || doc.Paths[path][strings.ToLower(method)] == nil {
				t.Errorf("%s is not documented", rt.pattern)
			}
		}
	}
}

func TestAPIToken(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	admin := e.login(tumen.RoleAdmin)
	_, body := admin.do("POST", "/admin/tokens", url.Values{"csrf": {admin.csrf}, "name": {"script"}})
	m := regexp.MustCompile(`<code id="token">([^<]+)</code>`).FindStringSubmatch(body)
	if m == nil {
		t.Fatal("no token shown")
	}
	req, _ := http.NewRequest("GET", e.ts.URL+"/api/v1/persons/P-1", nil)
	req.Header.Set("Authorization", "Bearer "+m[1])
	res, err := http.DefaultClient.Do(req)
	if err != nil || res.StatusCode != 200 {
		t.Fatalf("token request: %v %d", err, res.StatusCode)
	}
	res.Body.Close()
	req.Header.Set("Authorization", "Bearer not-a-token")
	res, _ = http.DefaultClient.Do(req)
	res.Body.Close()
	if res.StatusCode != http.StatusUnauthorized {
		t.Fatalf("bad token: %d", res.StatusCode)
	}
	// A token creates through the API without CSRF (no cookie involved).
	req, _ = http.NewRequest("POST", e.ts.URL+"/api/v1/persons", strings.NewReader(`{"names":[{"full":"최철수","system":"hangul-south"}],"birth_date":"1970","sex":"m"}`))
	req.Header.Set("Authorization", "Bearer "+m[1])
	res, _ = http.DefaultClient.Do(req)
	res.Body.Close()
	if res.StatusCode != http.StatusCreated {
		t.Fatalf("create by API: %d", res.StatusCode)
	}
}

func sha256sum(b []byte) []byte {
	h := sha256.Sum256(b)
	return h[:]
}

func TestReviewMergeUnmerge(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := tumen.WithActor(context.Background(), "test")
	if err := e.db.CreatePerson(ctx, &tumen.Person{ID: "P-3", Names: []tumen.Name{{Full: "리영호", System: tumen.NameHangulNorth}}, Confidentiality: tumen.Confidential}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.db.ProposeLinks(ctx, []*tumen.LinkCandidate{{PersonA: "P-1", PersonB: "P-3", Probability: 0.97, Weight: 5.1,
		Explanation: []tumen.FieldWeight{{Field: "name", Level: "same name, North spelling", Weight: 9.2}}}}); err != nil {
		t.Fatal(err)
	}
	an := e.login(tumen.RoleAnalyst)
	_, body := an.do("GET", "/review", nil)
	m := regexp.MustCompile(`href="/review/(\d+)"`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no candidate listed:\n%s", body)
	}
	_, body = an.do("GET", "/review/"+m[1], nil)
	for _, want := range []string{"이영호", "리영호", "same name, North spelling", "&#43;9.20", `id="merge"`} {
		if !strings.Contains(body, want) {
			t.Errorf("pair page lacks %q", want)
		}
	}
	if res, _ := an.do("POST", "/review/"+m[1]+"/merge", url.Values{"csrf": {an.csrf}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("merge: %d", res.StatusCode)
	}
	id, _ := strconv.ParseInt(m[1], 10, 64)
	c, err := e.db.LinkCandidate(ctx, id)
	if err != nil || c.Status != tumen.LinkMerged || c.IdentityID == 0 {
		t.Fatalf("after merge: %+v %v", c, err)
	}
	// Both records are untouched by the merge.
	if p, _ := e.db.Person(ctx, "P-3"); p.Names[0].Full != "리영호" {
		t.Fatal("a merge changed a record")
	}
	if res, _ := an.do("POST", fmt.Sprintf("/identities/%d/unmerge", c.IdentityID), url.Values{"csrf": {an.csrf}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("unmerge: %d", res.StatusCode)
	}
	if c, _ := e.db.LinkCandidate(ctx, id); c.Status != tumen.LinkUnmerged {
		t.Fatalf("after unmerge: %s", c.Status)
	}
	es, _ := e.db.SearchAudit(ctx, sqlstore.AuditFilter{Actor: "web:analyst"})
	var acts []string
	for _, en := range es {
		acts = append(acts, en.Action)
	}
	if !strings.Contains(strings.Join(acts, " "), "merge") || !strings.Contains(strings.Join(acts, " "), "unmerge") {
		t.Fatalf("review decisions not audited: %v", acts)
	}
	if res, _ := e.login(tumen.RoleViewer).do("GET", "/review", nil); res.StatusCode != http.StatusForbidden {
		t.Fatalf("viewer reached the review: %d", res.StatusCode)
	}
}
