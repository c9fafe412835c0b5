package web

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"tumen"
	"tumen/auth"
	"tumen/browser"
	"tumen/sqlstore"
)

// find returns the element matching css, failing the test without one.
func find(t *testing.T, b *browser.Session, css string) *browser.Element {
	t.Helper()
	el, err := b.Find(css)
	if err != nil {
		t.Fatal(err)
	}
	return el
}

func findAll(t *testing.T, b *browser.Session, css string) []*browser.Element {
	t.Helper()
	els, err := b.FindAll(css)
	if err != nil {
		t.Fatal(err)
	}
	return els
}

func text(t *testing.T, b *browser.Session, css string) string {
	t.Helper()
	s, err := find(t, b, css).Text()
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func currentURL(t *testing.T, b *browser.Session) string {
	t.Helper()
	u, err := b.URL()
	ok(t, err)
	return u
}

func source(t *testing.T, b *browser.Session) string {
	t.Helper()
	s, err := b.Source()
	ok(t, err)
	return s
}

func ok(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// browserLogin logs in through the real login pages, entering the second
// factor from the enrolment page's key as a person would from their app.
func browserLogin(t *testing.T, e *env, b *browser.Session, role tumen.Role) {
	t.Helper()
	ok(t, b.DeleteCookies())
	ok(t, b.Go(e.ts.URL+"/login"))
	ok(t, find(t, b, "#name").Type(string(role)))
	ok(t, find(t, b, "#password").Type(e.pw))
	ok(t, find(t, b, "#login").Click())
	if !needsTwoFactor(role) {
		// A click returns before the next page has loaded: wait for the
		// dashboard, or the test's next Go races the login's redirect.
		find(t, b, "#dashboard")
		return
	}
	key := text(t, b, "#secret")
	e.now = e.now.Add(auth.Period)
	code, err := auth.Code(key, e.now)
	ok(t, err)
	ok(t, find(t, b, "#code").Type(code))
	ok(t, find(t, b, "#verify").Click())
	// A click returns before the next page has loaded: wait for the
	// dashboard.
	find(t, b, "#dashboard")
	if u := currentURL(t, b); !strings.HasSuffix(u, "/") {
		t.Fatalf("after the second factor the browser is at %s", u)
	}
}

func selectOption(t *testing.T, b *browser.Session, css string) {
	t.Helper()
	ok(t, find(t, b, css).Click())
}

// TestBrowserTestimonyAndRedaction drives headless Chromium: a documenter
// logs in with two factors, records a person with a Hangul name and a
// testimony with an act at a gazetteer place, sees it on the timeline; a
// viewer then sees redactions where the documenter saw the name.
func TestBrowserTestimonyAndRedaction(t *testing.T) {
	e := newEnv(t)
	b := browser.New(t)
	browserLogin(t, e, b, tumen.RoleDocumenter)

	ok(t, b.Go(e.ts.URL+"/entry"))
	ok(t, find(t, b, "#name").Type("강순옥"))
	ok(t, find(t, b, "#birth_date").Type("1988년 봄"))
	ok(t, find(t, b, "#origin").Type("회령"))
	selectOption(t, b, `#sex option[value="f"]`)
	ok(t, find(t, b, "#event_date").Type("2023년 10월"))
	selectOption(t, b, `#place option[value="CN-TUM-BDC"]`)
	selectOption(t, b, `#stage option[value="S4"]`)
	ok(t, find(t, b, "#narrative").Type("투먼 변방구류심사소로 옮겨졌다."))
	selectOption(t, b, `#act_type option[value="detention"]`)
	selectOption(t, b, `#perpetrator option[value="cn-border-defence"]`)
	ok(t, find(t, b, "#organisation").Type("Seoul NGO"))
	ok(t, find(t, b, "#testimony").Type("동생이 10월 초에 체포되었다고 전화했다."))
	ok(t, find(t, b, "#save").Click())
	find(t, b, "#names")

	url := currentURL(t, b)
	if !strings.Contains(url, "/persons/P-") {
		t.Fatalf("after saving, the browser is at %s", url)
	}
	names := text(t, b, "#names")
	if !strings.Contains(names, "강순옥") {
		t.Fatalf("names table: %q", names)
	}
	events := text(t, b, "#events")
	for _, want := range []string{"S4", "2023년 10월", "2023-10-01 – 2023-10-31", "Tumen border defence detention centre", "Arbitrary detention"} {
		if !strings.Contains(events, want) {
			t.Errorf("events table lacks %q: %q", want, events)
		}
	}
	// The timeline draws the month as a range (a bar), not as a day (a dot).
	bars := findAll(t, b, "svg.timeline rect.range")
	if len(bars) == 0 {
		t.Fatal("no range bar on the timeline")
	}

	browserLogin(t, e, b, tumen.RoleViewer)
	find(t, b, "#dashboard")
	ok(t, b.Go(url))
	src := source(t, b)
	if strings.Contains(src, "강순옥") || strings.Contains(src, "동생이") {
		t.Fatal("the viewer sees the name or the testimony")
	}
	red := findAll(t, b, "#names .redacted")
	if len(red) == 0 {
		t.Fatal("the viewer sees no redaction in the names table")
	}
	if ev := text(t, b, "#events"); !strings.Contains(ev, "Tumen border defence detention centre") {
		t.Errorf("the viewer does not see the place: %q", ev)
	}

	// The audit log records the documenter's creation and both reads.
	es, err := e.db.SearchAudit(context.Background(), searchTarget(url))
	if err != nil {
		t.Fatal(err)
	}
	who := map[string]bool{}
	for _, en := range es {
		who[en.Actor+" "+en.Action] = true
	}
	if !who["web:documenter create"] || !who["web:documenter read"] || !who["web:viewer read"] {
		t.Fatalf("audit entries: %v", who)
	}

}

func searchTarget(url string) sqlstore.AuditFilter {
	id := url[strings.LastIndex(url, "/")+1:]
	id, _, _ = strings.Cut(id, "?")
	return sqlstore.AuditFilter{Target: id}
}

// TestBrowserStats: a viewer opens the statistics page and sees every
// chart drawn (laid out with a size, not only present in the HTML), then
// the public version.
func TestBrowserStats(t *testing.T) {
	e := newEnv(t)
	addDemo(t, e, 120)
	b := browser.New(t)
	browserLogin(t, e, b, tumen.RoleViewer)
	ok(t, b.Go(e.ts.URL+"/stats"))
	figs := findAll(t, b, ".stats figure svg")
	if len(figs) < 6 {
		t.Fatalf("%d charts on the statistics page, want at least 6", len(figs))
	}
	for _, id := range []string{"#years-h", "#months-h", "#stages-h", "#map-h"} {
		find(t, b, id)
	}
	w, err := b.Exec(`return document.querySelector(".stats figure svg").getBoundingClientRect().width`)
	ok(t, err)
	if f, _ := w.(float64); f < 200 {
		t.Errorf("the first chart is %v px wide", w)
	}
	if dir := os.Getenv("TUMEN_STATS_SHOT"); dir != "" {
		png, err := b.Screenshot()
		ok(t, err)
		ok(t, os.WriteFile(filepath.Join(dir, "stats.png"), png, 0o600))
		for _, id := range []string{"stages-h", "map-h"} {
			_, err := b.Exec(`document.getElementById(arguments[0]).scrollIntoView()`, id)
			ok(t, err)
			png, err := b.Screenshot()
			ok(t, err)
			ok(t, os.WriteFile(filepath.Join(dir, "stats-"+id+".png"), png, 0o600))
		}
	}
	ok(t, find(t, b, "#to-public").Click())
	if txt := text(t, b, ".badge"); !strings.Contains(txt, "Public") {
		t.Errorf("after the switch the badge says %q", txt)
	}
}

// TestBrowserUrgentAppeal drives the urgent-response work in Chromium: a
// documenter records an arrest, then the move to a border detention
// centre, sees the risk rise with its reasons, prepares the urgent appeal
// and records it as sent.
func TestBrowserUrgentAppeal(t *testing.T) {
	e := newEnv(t)
	ctx := tumen.WithActor(context.Background(), "test")
	ok(t, e.db.CreateConsent(ctx, &tumen.Consent{ID: "C-UN", SourceID: "S-1", Use: tumen.UseUNNamed, Given: e.now.Add(-time.Hour)}))
	b := browser.New(t)
	browserLogin(t, e, b, tumen.RoleDocumenter)

	ok(t, b.Go(e.ts.URL+"/persons/P-1"))
	ok(t, find(t, b, "#urgent-link").Click())
	find(t, b, "#custody-form")
	record := func(status, date, place string) {
		t.Helper()
		selectOption(t, b, `#status option[value="`+status+`"]`)
		ok(t, find(t, b, "#custody-date").Type(date))
		selectOption(t, b, `#custody-place option[value="`+place+`"]`)
		ok(t, find(t, b, "#custody-source").Type("S-1"))
		ok(t, find(t, b, "#custody-save").Click())
		find(t, b, ".flash")
	}
	score := func() int {
		t.Helper()
		n, err := strconv.Atoi(text(t, b, "#score"))
		ok(t, err)
		return n
	}
	record("arrested", "2025-03-12", "CN-TUM")
	before := score()
	record("border-detention", "2025-03-20", "CN-TUM-BDC")
	after := score()
	if after <= before {
		t.Errorf("risk %d → %d after the move to a border detention centre", before, after)
	}
	if c := text(t, b, "#contributions"); !strings.Contains(strings.ToLower(c), "border") {
		t.Errorf("the reasons do not name the border detention: %q", c)
	}
	if h := text(t, b, "#custody"); !strings.Contains(h, "Tumen border defence detention centre") {
		t.Errorf("custody history: %q", h)
	}

	ok(t, find(t, b, "#prepare-appeal").Click())
	ok(t, find(t, b, "#org").Type("Seoul NGO"))
	ok(t, find(t, b, `input[name="name"]`).Type("김지원"))
	ok(t, find(t, b, `input[name="email"]`).Type("urgent@example.org"))
	ok(t, find(t, b, `textarea[name="access"]`).Type("가족과 변호사 모두 접견하지 못함"))
	ok(t, find(t, b, "#prepare").Click())
	doc := text(t, b, "#text")
	if !strings.Contains(doc, "이영호") || !strings.Contains(doc, "Tumen") {
		t.Fatalf("the appeal lacks the name or the place: %q", doc)
	}
	ok(t, find(t, b, "#reference").Type("UA PRK 2/2025"))
	ok(t, find(t, b, "#record-sent").Click())
	find(t, b, ".flash")
	if iv := text(t, b, "#interventions"); !strings.Contains(iv, "UA PRK 2/2025") {
		t.Errorf("interventions after recording: %q", iv)
	}
	ivs, err := e.db.Interventions(ctx, "P-1")
	ok(t, err)
	if len(ivs) != 1 || len(ivs[0].DocumentHash) != 64 {
		t.Fatalf("interventions: %+v", ivs)
	}
}
