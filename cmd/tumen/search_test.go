package main

import (
	"encoding/json"
	"strings"
	"testing"
)

// searchIDs runs tumen search and returns the printed person ids.
func searchIDs(t *testing.T, c *cli, args ...string) []string {
	t.Helper()
	out := c.ok(append([]string{"search"}, args...)...)
	var ids []string
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		if line == "" {
			continue
		}
		id, score, ok := strings.Cut(line, "\t")
		if !ok || score == "" {
			t.Fatalf("bad output line of %d bytes", len(line))
		}
		ids = append(ids, id)
	}
	return ids
}

func has(ids []string, want ...string) bool {
	for _, w := range want {
		found := false
		for _, id := range ids {
			found = found || id == w
		}
		if !found {
			return false
		}
	}
	return true
}

func TestSearchCommand(t *testing.T) {
	t.Parallel()
	c := newCLI(t)
	c.ok("init")
	c.ok("import", c.write("good.csv", goodCSV))
	// A1 is recorded as 이영호, A2 as Ri Yong Ho: every spelling finds both.
	for _, q := range []string{"이영호", "리영호", "Ri Yong Ho", "Lee Young-ho", "Yi Yŏng-ho", "李英浩"} {
		if got := searchIDs(t, c, q); !has(got, "A1", "A2") || has(got, "A3") {
			t.Errorf("query %d bytes: %v, want A1 and A2", len(q), got)
		}
	}
	// A3 is 김순희, A4 KIM SUN HUI; the sex filter keeps both, not the men.
	if got := searchIDs(t, c, "Kim Sun-hui", "--sex", "f"); !has(got, "A3", "A4") || has(got, "A1") {
		t.Errorf("Kim Sun-hui --sex f: %v", got)
	}
	if got := searchIDs(t, c, "sex:m"); len(got) != 2 || !has(got, "A1", "A2") {
		t.Errorf("sex:m: %v", got)
	}
	// Full text and phrases over the narratives.
	if got := searchIDs(t, c, `"handed over"`); len(got) != 1 || got[0] != "A1" {
		t.Errorf("phrase: %v", got)
	}
	if got := searchIDs(t, c, `"over handed"`); len(got) != 0 {
		t.Errorf("reversed phrase: %v", got)
	}
	// JSON names the matched records, not their text.
	out := c.ok("search", "yanji", "--json")
	var rows []struct {
		ID      string  `json:"id"`
		Score   float64 `json:"score"`
		Matched []struct {
			Kind, Record, Field string
		} `json:"matched"`
	}
	if err := json.Unmarshal([]byte(out), &rows); err != nil {
		t.Fatalf("json: %v", err)
	}
	if len(rows) != 1 || rows[0].ID != "A1" || rows[0].Score <= 0 || len(rows[0].Matched) == 0 {
		t.Fatalf("json rows %+v", rows)
	}
	if strings.Contains(out, "Yanji") {
		t.Errorf("the JSON output carries text")
	}
	if out := c.ok("search", "nothing-like-this", "--json"); strings.TrimSpace(out) != "[]" {
		t.Errorf("no match should print []")
	}
	// Bad queries are usage errors with a clear message.
	for _, args := range [][]string{{"search"}, {"search", `"open`}, {"search", "x", "--sex", "q"}, {"search", "x", "--limit", "0"}, {"search", "place:Atlantis"}} {
		code, _, errs := c.run("", args...)
		if code != 2 || !strings.Contains(errs, "tumen search:") {
			t.Errorf("%v: exit %d, %q", args, code, errs)
		}
	}
}

func TestSearchMarkers(t *testing.T) {
	t.Parallel()
	c := newCLI(t)
	c.ok("init")
	input := c.write("markers.csv", markerCSV())
	c.ok("import", input)
	// The index is built and queried with every marker; it lives in memory,
	// so nothing in the data directory or anywhere else under the test's
	// directory may hold a marker afterwards.
	for _, m := range markers {
		if got := searchIDs(t, c, m, "--stats"); len(got) == 0 {
			t.Errorf("marker %d not found", len(m))
		}
	}
	if files := scan(t, c.dir, input); files < 1 {
		t.Fatalf("scanned only %d files", files)
	}
}
