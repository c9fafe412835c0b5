package web

import (
	"context"
	"encoding/json"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"tumen"
	"tumen/search"
	"tumen/storetest"
)

func TestSearchPagesAndAPI(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	doc, viewer, admin := e.login(tumen.RoleDocumenter), e.login(tumen.RoleViewer), e.login(tumen.RoleAdmin)
	find := func(c *client, q string) (int, string) {
		t.Helper()
		res, body := c.do("GET", "/search?q="+url.QueryEscape(q), nil)
		return res.StatusCode, body
	}
	// P-1 is recorded as 이영호 and Ri Yong Ho: every spelling finds them.
	for _, q := range []string{"이영호", "리영호", "Ri Yong Ho", "Lee Young-ho", "Yi Yŏng-ho", "李英浩"} {
		code, body := find(doc, q)
		if code != http.StatusOK || !strings.Contains(body, `data-person="P-1"`) {
			t.Errorf("search %q: %d, P-1 found: %v", q, code, strings.Contains(body, `data-person="P-1"`))
		}
	}
	// Full text, Korean without spaces, with the match marked.
	if _, body := find(doc, "투먼"); !strings.Contains(body, "<mark>투먼</mark>") {
		t.Errorf("no marked snippet for 투먼:\n%s", body)
	}
	// A secret person is found by an admin only.
	if _, body := find(doc, "비밀인물"); strings.Contains(body, "P-2") || !strings.Contains(body, `<b>0</b>`) {
		t.Error("the documenter's search shows or counts the secret person")
	}
	if _, body := find(admin, "비밀인물"); !strings.Contains(body, `data-person="P-2"`) {
		t.Error("the admin does not find the secret person")
	}
	// A viewer may filter but not search names.
	if code, body := find(viewer, "이영호"); code != http.StatusForbidden || strings.Contains(body, `data-person="P-1"`) {
		t.Errorf("a viewer searched names: %d", code)
	}
	if code, body := find(viewer, "sex:m"); code != http.StatusOK || !strings.Contains(body, `data-person="P-1"`) || strings.Contains(body, "hitname") || strings.Contains(body, "P-2") {
		t.Errorf("a viewer's filter: %d, %s", code, body)
	}
	// Bad queries: a clear error, no hits.
	if code, body := find(doc, `"unclosed phrase`); code != http.StatusBadRequest || !strings.Contains(body, `id="search-error"`) {
		t.Errorf("an unclosed phrase: %d", code)
	}
	// A person entered on the entry screen is found at once.
	form := url.Values{"csrf": {doc.csrf}, "name": {"박순옥"}, "name_system": {"hangul-south"}, "sex": {"f"}, "event_date": {"2023년 가을"},
		"place": {"CN-TUM-BDC"}, "stage": {"S4"}, "narrative": {"변방구류심사소에 구금되었다."}, "act_type": {"detention"},
		"perpetrator": {"cn-border-defence"}, "involvement": {"direct"}, "source_kind": {"testimony"}, "organisation": {"Test NGO"},
		"reliability": {"high"}, "testimony": {"언니가 전화로 알려왔다."}, "consent": {"internal"}}
	res, _ := doc.do("POST", "/entry", form)
	id := strings.TrimPrefix(strings.Split(res.Header.Get("Location"), "?")[0], "/persons/")
	if _, body := find(doc, "Pak Sun-ok"); !strings.Contains(body, `data-person="`+id+`"`) {
		t.Errorf("the new person %s is not found by a romanized name", id)
	}
	for _, q := range []string{"언니가", "전화로", "변방구류심사소에", `"전화로 알려왔다"`} {
		if _, body := find(doc, q); !strings.Contains(body, `data-person="`+id+`"`) {
			t.Errorf("the new records are not found by %s", q)
		}
	}
	// Facets link to the narrowed search.
	_, body := find(doc, "place:CN-TUM-BDC")
	if body = html.UnescapeString(body); !strings.Contains(body, `id="facets"`) || !strings.Contains(body, "/search?q=place%3ACN-TUM-BDC+") {
		t.Error("no facet links narrowing the search")
	}
	// The API: JSON hits with scores.
	res, js := doc.do("GET", "/api/v1/search?q="+url.QueryEscape("Ri Yong Ho"), nil)
	var out struct {
		Total int `json:"total"`
		Hits  []struct {
			ID    string  `json:"id"`
			Score float64 `json:"score"`
		} `json:"hits"`
	}
	if err := json.Unmarshal([]byte(js), &out); err != nil || res.StatusCode != http.StatusOK || out.Total < 1 || out.Hits[0].ID != "P-1" || out.Hits[0].Score <= 0 {
		t.Errorf("API search: %d %s %v", res.StatusCode, js, err)
	}
	if res, _ := viewer.do("GET", "/api/v1/search?q=Ri", nil); res.StatusCode != http.StatusForbidden {
		t.Errorf("API name search by a viewer: %d", res.StatusCode)
	}
}

func TestSearchWhileIndexBuilds(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	slow := storetest.HeldActs{Store: e.db, Release: make(chan struct{})}
	built := make(chan error, 1)
	e.srv.index = search.Start(context.Background(), slow, func(_ search.Stats, _ time.Duration, err error) { built <- err })
	doc := e.login(tumen.RoleDocumenter)
	// Search says it is not ready, with a time to come back; the API too.
	res, body := doc.do("GET", "/search?q="+url.QueryEscape("이영호"), nil)
	if res.StatusCode != http.StatusServiceUnavailable || res.Header.Get("Retry-After") == "" || !strings.Contains(body, "still being built") {
		t.Errorf("search during the build: %d, Retry-After %q", res.StatusCode, res.Header.Get("Retry-After"))
	}
	res, body = doc.do("GET", "/api/v1/search?q="+url.QueryEscape("이영호"), nil)
	if res.StatusCode != http.StatusServiceUnavailable || !strings.Contains(body, `"unavailable"`) {
		t.Errorf("API search during the build: %d %s", res.StatusCode, body)
	}
	// Everything else answers, and a new entry is kept for the index.
	if res, _ := doc.do("GET", "/persons/P-1", nil); res.StatusCode != http.StatusOK {
		t.Errorf("a person's page during the build: %d", res.StatusCode)
	}
	form := url.Values{"csrf": {doc.csrf}, "name": {"박순옥"}, "name_system": {"hangul-south"}, "sex": {"f"}, "event_date": {"2023년 가을"},
		"place": {"CN-TUM-BDC"}, "stage": {"S4"}, "narrative": {"변방구류심사소에 구금되었다."}, "act_type": {"detention"},
		"perpetrator": {"cn-border-defence"}, "involvement": {"direct"}, "source_kind": {"testimony"}, "organisation": {"Test NGO"},
		"reliability": {"high"}, "testimony": {"언니가 전화로 알려왔다."}, "consent": {"internal"}}
	res, _ = doc.do("POST", "/entry", form)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("entry during the build: %d", res.StatusCode)
	}
	id := strings.TrimPrefix(strings.Split(res.Header.Get("Location"), "?")[0], "/persons/")
	close(slow.Release)
	if err := <-built; err != nil {
		t.Fatal(err)
	}
	for q, want := range map[string]string{"이영호": "P-1", "Pak Sun-ok": id, `"전화로 알려왔다"`: id} {
		if res, body := doc.do("GET", "/search?q="+url.QueryEscape(q), nil); res.StatusCode != http.StatusOK || !strings.Contains(body, `data-person="`+want+`"`) {
			t.Errorf("search %q after the build: %d, %s not found", q, res.StatusCode, want)
		}
	}
}
