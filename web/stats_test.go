package web

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"tumen"
	"tumen/approx"
	"tumen/synth"
)

// addDemo adds n synthetic persons with their chains and sources.
func addDemo(t *testing.T, e *env, n int) {
	t.Helper()
	b := &tumen.Bundle{}
	g := synth.New(7)
	for i := 1; i <= n; i++ {
		g.Person(i, b)
	}
	if err := e.db.Import(tumen.WithActor(context.Background(), "test"), b.All(), nil); err != nil {
		t.Fatal(err)
	}
}

// TestStatsPages: the charts as a page for every reader, the tables as
// exports for those who may export (and the public tables for all), and
// counts that leave out what a user may not see.
func TestStatsPages(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := tumen.WithActor(context.Background(), "test")
	// A repatriation in 2016 of P-2, a secret person.
	if err := e.db.CreateEvent(ctx, &tumen.Event{ID: "E-3", Date: approx.MustParse("2016-03-01"), PlaceID: "KP-NAM", Stage: "S5"}); err != nil {
		t.Fatal(err)
	}
	if err := e.db.CreateAct(ctx, &tumen.Act{ID: "A-3", EventID: "E-3", VictimID: "P-2", Type: "refoulement"}); err != nil {
		t.Fatal(err)
	}
	viewer, analyst, admin := e.login(tumen.RoleViewer), e.login(tumen.RoleAnalyst), e.login(tumen.RoleAdmin)

	res, body := viewer.do("GET", "/stats", nil)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("stats page as viewer: %d", res.StatusCode)
	}
	for _, want := range []string{`<svg`, `id="years-h"`, `id="stages-h"`, `id="map-h"`, `/stats/years.svg`} {
		if !strings.Contains(body, want) {
			t.Errorf("stats page lacks %s", want)
		}
	}
	if strings.Contains(body, "/stats/years.csv") {
		t.Error("the stats page offers a viewer the internal tables")
	}
	if res, _ := viewer.do("GET", "/stats/years.csv", nil); res.StatusCode != http.StatusForbidden {
		t.Errorf("internal CSV as viewer: %d, want 403", res.StatusCode)
	}
	if res, body := viewer.do("GET", "/stats/years.csv?public=1", nil); res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/csv") || body == "" {
		t.Errorf("public CSV as viewer: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	if res, body := viewer.do("GET", "/stats/years.svg", nil); res.StatusCode != http.StatusOK || !strings.Contains(body, "<svg") {
		t.Errorf("chart as viewer: %d", res.StatusCode)
	}
	if res, _ := viewer.do("GET", "/stats/nothing.csv?public=1", nil); res.StatusCode != http.StatusNotFound {
		t.Errorf("a table that does not exist: %d", res.StatusCode)
	}

	total := func(c *client, query string) int {
		t.Helper()
		res, body := c.do("GET", "/stats/tables.json"+query, nil)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("tables.json: %d", res.StatusCode)
		}
		var tables map[string]struct {
			Total int `json:"total"`
		}
		if err := json.Unmarshal([]byte(body), &tables); err != nil {
			t.Fatal(err)
		}
		y, ok := tables["years"]
		if !ok {
			t.Fatalf("no years table in %s", body)
		}
		return y.Total
	}
	// The admin is cleared to secret and counts both repatriations; the
	// analyst, cleared to confidential, only P-1's.
	if got := total(admin, ""); got != 2 {
		t.Errorf("admin counts %d repatriations, want 2", got)
	}
	if got := total(analyst, ""); got != 1 {
		t.Errorf("analyst counts %d repatriations, want 1 (P-2 is secret)", got)
	}
	// Public: S-1 allows internal use only, so nothing is published.
	if got := total(viewer, "?public=1"); got != 0 {
		t.Errorf("public counts %d repatriations, want 0 (no consent to publish)", got)
	}
	// Downloads of tables are audited.
	log, err := e.db.AuditLog(ctx, 0, 10000)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, a := range log {
		if a.Action == "export" && a.Kind == "report" {
			n++
		}
	}
	if n < 4 {
		t.Errorf("%d table downloads audited, want at least 4", n)
	}
}
