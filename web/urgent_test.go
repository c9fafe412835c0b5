package web

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"tumen"
	"tumen/approx"
)

// scoreOf reads the total risk score from a person's urgent page.
func scoreOf(t *testing.T, body string) int {
	t.Helper()
	m := regexp.MustCompile(`id="score">(\d+)<`).FindStringSubmatch(body)
	if m == nil {
		t.Fatal("no score on the page")
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

func TestUrgentCustodyRiskAndBoard(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	doc, viewer, admin := e.login(tumen.RoleDocumenter), e.login(tumen.RoleViewer), e.login(tumen.RoleAdmin)
	post := func(c *client, path string, form url.Values) string {
		t.Helper()
		form.Set("csrf", c.csrf)
		res, _ := c.do("POST", path, form)
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("POST %s: %d", path, res.StatusCode)
		}
		loc, _ := url.Parse(res.Header.Get("Location"))
		return loc.Query().Get("e")
	}
	if msg := post(doc, "/persons/P-1/custody", url.Values{"status": {"arrested"}, "date": {"2025-03"}, "note": {"전화로 알림"}}); msg != "" {
		t.Fatalf("custody change refused: %s", msg)
	}
	_, body := doc.do("GET", "/persons/P-1/urgent", nil)
	before := scoreOf(t, body)
	if msg := post(doc, "/persons/P-1/custody", url.Values{"status": {"border-detention"}, "date": {"2025-03-20"}, "place": {"CN-TUM-BDC"}}); msg != "" {
		t.Fatalf("custody change refused: %s", msg)
	}
	_, body = doc.do("GET", "/persons/P-1/urgent", nil)
	after := scoreOf(t, body)
	if after <= before {
		t.Errorf("moving to a border detention centre: score %d → %d, want a rise", before, after)
	}
	if !strings.Contains(body, "전화로 알림") {
		t.Error("the documenter does not see the custody note")
	}
	// A recorded risk fact raises severity and shows with its note.
	if msg := post(doc, "/persons/P-1/risk-facts", url.Values{"code": {"intent-south-korea"}, "note": {"언니가 한국에 있음"}}); msg != "" {
		t.Fatalf("risk fact refused: %s", msg)
	}
	_, body = doc.do("GET", "/persons/P-1/urgent", nil)
	if s := scoreOf(t, body); s <= after || !strings.Contains(body, "언니가 한국에 있음") {
		t.Errorf("after a risk fact the score is %d (was %d)", s, after)
	}
	// Bad input: nothing recorded, a clear message.
	if msg := post(doc, "/persons/P-1/custody", url.Values{"status": {"teleported"}, "date": {"2025"}}); !strings.Contains(msg, "unknown custody status") {
		t.Errorf("a bad status: %q", msg)
	}
	if msg := post(doc, "/persons/P-1/custody", url.Values{"status": {"released"}, "date": {"soon"}}); msg == "" {
		t.Error("a bad date was accepted")
	}
	if h, _ := e.db.CustodyHistory(context.Background(), "P-1"); len(h) != 2 {
		t.Errorf("%d custody changes, want 2", len(h))
	}
	// The viewer sees the score and its reasons but not the notes.
	res, body := viewer.do("GET", "/persons/P-1/urgent", nil)
	if res.StatusCode != http.StatusOK || scoreOf(t, body) == 0 || strings.Contains(body, "언니가") || strings.Contains(body, "전화로") {
		t.Errorf("viewer's urgent page: %d, notes shown: %v", res.StatusCode, strings.Contains(body, "언니가"))
	}
	if res, _ := viewer.do("POST", "/persons/P-1/custody", url.Values{"csrf": {viewer.csrf}, "status": {"released"}, "date": {"2025"}}); res.StatusCode != http.StatusForbidden {
		t.Errorf("a viewer changed custody: %d", res.StatusCode)
	}
	// P-2 is secret: held too, but only the admin's board shows the case.
	if msg := post(admin, "/persons/P-2/custody", url.Values{"status": {"detained-cn"}, "date": {"2025-04"}}); msg != "" {
		t.Fatalf("admin custody change: %s", msg)
	}
	if res, _ := doc.do("GET", "/persons/P-2/urgent", nil); res.StatusCode != http.StatusNotFound {
		t.Errorf("documenter on a secret person's urgent page: %d", res.StatusCode)
	}
	if res, _ := doc.do("POST", "/persons/P-2/custody", url.Values{"csrf": {doc.csrf}, "status": {"released"}, "date": {"2025"}}); res.StatusCode != http.StatusNotFound {
		t.Errorf("documenter wrote a secret person's custody: %d", res.StatusCode)
	}
	_, board := admin.do("GET", "/urgent", nil)
	if !strings.Contains(board, `data-person="P-2"`) || !strings.Contains(board, `data-person="P-1"`) {
		t.Error("the admin's board lacks a case")
	}
	_, board = doc.do("GET", "/urgent", nil)
	if strings.Contains(board, "P-2") || !strings.Contains(board, `data-person="P-1"`) {
		t.Error("the documenter's board shows the secret case or lacks P-1")
	}
	// The dashboard lists who is held in China, within clearance.
	if _, dash := admin.do("GET", "/", nil); !strings.Contains(dash, `href="/persons/P-2/urgent"`) || !strings.Contains(dash, `href="/persons/P-1/urgent"`) {
		t.Error("the admin's dashboard lacks a person held in China")
	}
	if _, dash := viewer.do("GET", "/", nil); strings.Contains(dash, "P-2") || !strings.Contains(dash, `href="/persons/P-1/urgent"`) || strings.Contains(dash, "이영호") {
		t.Error("the viewer's dashboard shows the secret case, lacks P-1, or shows a name")
	}
	// Changes since the last look: marked once, gone on the next look.
	_, board = doc.do("GET", "/urgent", nil)
	if strings.Contains(board, `class="changed"`) {
		t.Error("changes still marked on a second look")
	}
	e.now = e.now.Add(time.Minute)
	post(admin, "/persons/P-1/custody", url.Values{"status": {"handed-over"}, "date": {"2025-04-02"}})
	_, board = doc.do("GET", "/urgent", nil)
	if !strings.Contains(board, `class="changed"`) {
		t.Error("a new custody change is not marked on the board")
	}
}

func TestUrgentAppealAndIntervention(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := tumen.WithActor(context.Background(), "test")
	doc, viewer := e.login(tumen.RoleDocumenter), e.login(tumen.RoleViewer)
	if err := e.db.AddCustodyChange(ctx, &tumen.CustodyChange{ID: "CC-0", PersonID: "P-1", Status: tumen.CustodyArrested,
		Date: mustDate("2025-03-12"), PlaceID: "CN-TUM", SourceID: "S-1", Created: e.now}); err != nil {
		t.Fatal(err)
	}
	if err := e.db.AddCustodyChange(ctx, &tumen.CustodyChange{ID: "CC-1", PersonID: "P-1", Status: tumen.CustodyBorderDetention,
		Date: mustDate("2025-03-20"), PlaceID: "CN-TUM-BDC", SourceID: "S-1", Created: e.now}); err != nil {
		t.Fatal(err)
	}
	q := "mechanism=sp&org=Seoul+NGO&name=Kim&email=kim%40example.org&relation=NGO+documenting+the+case&access=No+access+since+the+arrest"
	// S-1 allows internal use only: refused, with the consent listed.
	res, body := doc.do("GET", "/persons/P-1/appeal?"+q, nil)
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `id="missing-consent"`) {
		t.Fatalf("appeal without consent: %d\n%s", res.StatusCode, body)
	}
	if res, _ := doc.do("GET", "/persons/P-1/appeal/document?"+q+"&format=pdf", nil); res.StatusCode == http.StatusOK {
		t.Fatal("the document downloaded without consent")
	}
	if res, _ := viewer.do("GET", "/persons/P-1/appeal?"+q, nil); res.StatusCode != http.StatusForbidden {
		t.Errorf("a viewer prepared an appeal: %d", res.StatusCode)
	}
	if err := e.db.CreateConsent(ctx, &tumen.Consent{ID: "C-2", SourceID: "S-1", Use: tumen.UseUNNamed, Given: e.now.Add(-time.Hour)}); err != nil {
		t.Fatal(err)
	}
	res, body = doc.do("GET", "/persons/P-1/appeal?"+q, nil)
	if res.StatusCode != http.StatusOK {
		m := regexp.MustCompile(`(?s)<div class="card" id="refusal">.*?</div>`).FindString(body)
		t.Fatalf("appeal with consent: %d %s", res.StatusCode, m)
	}
	if !strings.Contains(body, "이영호") {
		t.Error("the named appeal lacks the name")
	}
	// The downloaded PDF has the hash the page shows.
	link := regexp.MustCompile(`href="(/persons/P-1/appeal/document\?[^"]*format=pdf)"`).FindStringSubmatch(body)
	if link == nil {
		t.Fatal("no PDF link")
	}
	href := html.UnescapeString(link[1])
	res, pdf := doc.do("GET", href, nil)
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(pdf, "%PDF") {
		t.Fatalf("PDF download %s: %d %s", href, res.StatusCode, regexp.MustCompile(`(?s)<main>.*</main>`).FindString(pdf))
	}
	sum := sha256.Sum256([]byte(pdf))
	hash := hex.EncodeToString(sum[:])
	if !strings.Contains(body, hash) {
		t.Error("the page does not show the downloaded PDF's SHA-256")
	}
	// Recorded as sent: the intervention carries that hash.
	action := regexp.MustCompile(`action="(/persons/P-1/appeal/sent\?[^"]*)"`).FindStringSubmatch(body)
	if action == nil {
		t.Fatal("no record-as-sent form")
	}
	res, _ = doc.do("POST", html.UnescapeString(action[1]), url.Values{"csrf": {doc.csrf}, "format": {"pdf"}, "reference": {"UA KOR 1/2025"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("record as sent: %d", res.StatusCode)
	}
	ivs, err := e.db.Interventions(ctx, "P-1")
	if err != nil || len(ivs) != 1 || ivs[0].DocumentHash != hash || ivs[0].Kind != "urgent-appeal" || ivs[0].Reference != "UA KOR 1/2025" || !ivs[0].FollowUp.Known() {
		t.Fatalf("interventions: %+v %v", ivs, err)
	}
	// Two weeks and a day later the follow-up is overdue on the board.
	e.now = e.now.Add(16 * 24 * time.Hour)
	_, board := doc.do("GET", "/urgent", nil)
	if !strings.Contains(board, `class="overdue"`) {
		t.Error("the overdue follow-up is not on the board")
	}
	// Revoking the consent stops the document at once, whatever its date.
	if err := e.db.RevokeConsent(ctx, "C-2", e.now); err != nil {
		t.Fatal(err)
	}
	e.now = e.now.Add(time.Second)
	if res, _ := doc.do("GET", "/persons/P-1/appeal?"+q, nil); res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("appeal after the consent was revoked: %d", res.StatusCode)
	}
}

func mustDate(s string) approx.Date { return approx.MustParse(s) }

// TestRubricVersions: the rubric is shown factor by factor; an admin
// stores a new version, which is in force at once; bad JSON changes
// nothing.
func TestRubricVersions(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := tumen.WithActor(context.Background(), "test")
	viewer, doc, admin := e.login(tumen.RoleViewer), e.login(tumen.RoleDocumenter), e.login(tumen.RoleAdmin)
	if err := e.db.AddCustodyChange(ctx, &tumen.CustodyChange{ID: "CC-1", PersonID: "P-1", Status: tumen.CustodyBorderDetention,
		Date: mustDate("2025-03-20"), PlaceID: "CN-TUM-BDC", Created: e.now}); err != nil {
		t.Fatal(err)
	}
	res, body := viewer.do("GET", "/urgent/rubric", nil)
	if res.StatusCode != http.StatusOK || !strings.Contains(body, `id="rubric-imminence"`) || strings.Contains(body, `id="rubric-json"`) {
		t.Fatalf("rubric page as viewer: %d", res.StatusCode)
	}
	_, page := doc.do("GET", "/persons/P-1/urgent", nil)
	before := scoreOf(t, page)
	if res, _ := doc.do("POST", "/urgent/rubric", url.Values{"csrf": {doc.csrf}, "rubric": {"{}"}}); res.StatusCode != http.StatusForbidden {
		t.Errorf("a documenter stored a rubric: %d", res.StatusCode)
	}
	_, body = admin.do("GET", "/urgent/rubric", nil)
	m := regexp.MustCompile(`(?s)<textarea name="rubric"[^>]*>(.*?)</textarea>`).FindStringSubmatch(body)
	if m == nil {
		t.Fatal("no rubric form for the admin")
	}
	var rb map[string]any
	if err := json.Unmarshal([]byte(html.UnescapeString(m[1])), &rb); err != nil {
		t.Fatal(err)
	}
	// Double every imminence weight (and the cap) in a new version.
	imm := rb["imminence"].(map[string]any)
	imm["cap"] = imm["cap"].(float64) * 2
	for _, f := range imm["factors"].([]any) {
		f.(map[string]any)["weight"] = f.(map[string]any)["weight"].(float64) * 2
	}
	rb["version"] = "test-2"
	b, _ := json.Marshal(rb)
	res, _ = admin.do("POST", "/urgent/rubric", url.Values{"csrf": {admin.csrf}, "rubric": {string(b)}, "note": {"double imminence"}})
	if loc := res.Header.Get("Location"); res.StatusCode != http.StatusSeeOther || strings.Contains(loc, "e=") {
		t.Fatalf("storing a rubric: %d %s", res.StatusCode, loc)
	}
	_, page = doc.do("GET", "/persons/P-1/urgent", nil)
	if after := scoreOf(t, page); after <= before || !strings.Contains(page, "test-2") {
		t.Errorf("after doubling imminence the score went %d → %d", before, after)
	}
	res, _ = admin.do("POST", "/urgent/rubric", url.Values{"csrf": {admin.csrf}, "rubric": {`{"version": ""}`}})
	if loc := res.Header.Get("Location"); !strings.Contains(loc, "e=") {
		t.Errorf("a bad rubric: %s", loc)
	}
	if vs, _ := e.db.Rubrics(ctx); len(vs) != 1 {
		t.Errorf("%d rubric versions stored, want 1", len(vs))
	}
}
