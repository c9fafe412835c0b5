package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestReport(t *testing.T) {
	t.Parallel()
	c := newCLI(t)
	c.ok("demo", "--persons", "150")
	dir := filepath.Join(c.dir, "report")
	out := c.ok("report", "--out", dir)
	if !strings.Contains(out, "internal report") || !strings.Contains(out, "10 charts") || !strings.Contains(out, "11 tables") {
		t.Errorf("output: %s", out)
	}
	page, err := os.ReadFile(filepath.Join(dir, "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	s := string(page)
	for _, want := range []string{"<!DOCTYPE html>", "INTERNAL", "Repatriations per year", "The flow of cases through the stages",
		"Cases by facility", "Violations by perpetrating agency", "Where: the border region", "No estimate: none of the"} {
		if !strings.Contains(s, want) {
			t.Errorf("index.html lacks %q", want)
		}
	}
	if n := strings.Count(s, "<svg "); n != 10 {
		t.Errorf("%d charts in the page", n)
	}
	for _, name := range []string{"index.html", "years.svg", "months.svg", "stages.svg", "facilities.svg", "agencies.svg", "crossings.svg", "map.svg", "sex.svg", "age.svg", "organisations.svg",
		"years.csv", "year-sex.csv", "tables.json"} {
		st, err := os.Stat(filepath.Join(dir, name))
		if err != nil || st.Mode().Perm() != 0o600 {
			t.Errorf("%s: %v %v", name, err, st)
		}
	}
	// No name or narrative of the store reaches the report.
	for _, marker := range []string{"Interview P-", "handcuffed", "beaten"} {
		if strings.Contains(s, marker) {
			t.Errorf("the report holds %q", marker)
		}
	}
	var tables map[string]struct {
		Title string `json:"title"`
		Total int    `json:"total"`
	}
	if b, err := os.ReadFile(filepath.Join(dir, "tables.json")); err != nil || json.Unmarshal(b, &tables) != nil || tables["years"].Title != "Repatriations by year" {
		t.Errorf("tables.json: %v %+v", err, tables["years"])
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "years.csv")); !strings.HasPrefix(string(b), "year,label,label_ko,col,") {
		t.Errorf("years.csv: %.80s", b)
	}
	// Never over an earlier report, unless asked.
	code, _, errs := c.run("", "report", "--out", dir)
	if code != 1 || !strings.Contains(errs, "already exists") {
		t.Errorf("second report: exit %d %s", code, errs)
	}
	c.ok("report", "--out", dir, "--force", "--public", "--threshold", "3")
	page, _ = os.ReadFile(filepath.Join(dir, "index.html"))
	if !strings.Contains(string(page), "PUBLIC — counts below 3 withheld") {
		t.Error("the public report is not marked public")
	}
	audit := c.ok("audit", "log")
	if !strings.Contains(audit, "report") {
		t.Errorf("the report is not audited:\n%s", audit)
	}
	for _, tc := range []struct {
		args []string
		msg  string
	}{
		{[]string{"report"}, "--out DIR is required"},
		{[]string{"report", "--out", dir, "--threshold", "1"}, "--threshold"},
		{[]string{"report", "--out", dir, "--months-from", "2020", "--months-to", "2010"}, "--months-from"},
		{[]string{"report", "--out", dir, "stray"}, "no arguments"},
	} {
		if code, _, errs := c.run("", tc.args...); code != 2 || !strings.Contains(errs, tc.msg) {
			t.Errorf("%v: exit %d %s", tc.args, code, errs)
		}
	}
}
