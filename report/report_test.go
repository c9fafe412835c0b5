package report

import (
	"bytes"
	"encoding/xml"
	"flag"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"tumen"
	"tumen/count"
	"tumen/estimate"
	"tumen/synth"
	"tumen/vocab"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// demo returns a counter over 400 synthetic persons, the same every run.
func demo(t testing.TB, o count.Options) *count.Counter {
	t.Helper()
	d, err := vocab.Load()
	if err != nil {
		t.Fatal(err)
	}
	b := &tumen.Bundle{}
	for i := range d.Terms {
		b.Terms = append(b.Terms, &d.Terms[i])
	}
	for i := range d.Places {
		b.Places = append(b.Places, &d.Places[i])
	}
	for i := range d.Organisations {
		b.Organisations = append(b.Organisations, &d.Organisations[i])
	}
	g := synth.New(5)
	for i := 1; i <= 400; i++ {
		g.Person(i, b)
	}
	o.Now = g.Now
	return count.FromBundle(b, o)
}

var now = time.Date(2026, 1, 2, 3, 4, 0, 0, time.UTC)

func build(t *testing.T, c *count.Counter, o Options) []byte {
	t.Helper()
	o.Now = now
	r, err := Build(c, o)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := r.WriteHTML(&buf); err != nil {
		t.Fatal(err)
	}
	if len(r.Charts()) != 10 {
		t.Errorf("%d charts, want 10", len(r.Charts()))
	}
	return buf.Bytes()
}

// checkPage parses the page as HTML through encoding/xml in its lenient
// mode (HTML void elements closed automatically): the tags must balance,
// and nothing may run or load from elsewhere.
func checkPage(t *testing.T, page []byte) map[string]int {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(page))
	dec.Strict = false
	dec.AutoClose = xml.HTMLAutoClose
	dec.Entity = xml.HTMLEntity
	var stack []string
	elements := map[string]int{}
	ids := map[string]bool{}
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("page does not parse: %v", err)
		}
		switch tk := tok.(type) {
		case xml.StartElement:
			name := strings.ToLower(tk.Name.Local)
			elements[name]++
			stack = append(stack, name)
			for _, a := range tk.Attr {
				k := strings.ToLower(a.Name.Local)
				if k == "id" {
					if ids[a.Value] {
						t.Errorf("id %q twice in the page", a.Value)
					}
					ids[a.Value] = true
				}
				if k == "src" || k == "href" || strings.HasPrefix(k, "on") || (strings.Contains(a.Value, "http") && k != "xmlns") {
					t.Errorf("<%s %s=%q>: the page must load and run nothing", name, k, a.Value)
				}
			}
		case xml.EndElement:
			name := strings.ToLower(tk.Name.Local)
			if len(stack) == 0 || stack[len(stack)-1] != name {
				t.Fatalf("</%s> does not close <%v>", name, stack)
			}
			stack = stack[:len(stack)-1]
		}
	}
	if len(stack) != 0 {
		t.Errorf("unclosed %v", stack)
	}
	for _, bad := range []string{"script", "iframe", "img", "link", "object", "embed"} {
		if elements[bad] > 0 {
			t.Errorf("%d <%s> in the page", elements[bad], bad)
		}
	}
	if !bytes.HasPrefix(page, []byte("<!DOCTYPE html>")) || elements["title"] != 1+elements["svg"] || elements["style"] != 1 {
		t.Errorf("doctype %v, titles %d for %d svgs, styles %d", bytes.HasPrefix(page, []byte("<!DOCTYPE html>")), elements["title"], elements["svg"], elements["style"])
	}
	return elements
}

func golden(t *testing.T, name string, b []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./report -update to create it)", err)
	}
	if !bytes.Equal(b, want) {
		t.Errorf("%s differs from the golden file; if the change is meant, run go test ./report -update and look at the page", name)
	}
}

func TestInternalReport(t *testing.T) {
	t.Parallel()
	kosovo := estimate.NewTable("EXH", "ABA", "OSCE", "HRW")
	for p, n := range map[uint32]int{8: 306, 4: 936, 12: 123, 2: 845, 10: 31, 6: 217, 14: 32, 1: 1131, 9: 106, 5: 228, 13: 42, 3: 177, 11: 18, 7: 181, 15: 27} {
		kosovo.Cells[p] = n
	}
	est, err := estimate.LogLinear(kosovo, estimate.Options{})
	if err != nil {
		t.Fatal(err)
	}
	page := build(t, demo(t, count.Options{Ages: true}), Options{Source: "test data", Estimate: &est, EstimateNote: "Kosovo's lists, for the test."})
	el := checkPage(t, page)
	if el["svg"] != 10 || el["table"] != 11 || el["figure"] != 10 {
		t.Errorf("%d svg, %d tables, %d figures", el["svg"], el["table"], el["figure"])
	}
	s := string(page)
	for _, want := range []string{
		"INTERNAL — not for publication", "Repatriations per year", "연도별 강제송환", "The flow of cases through the stages",
		"Cases by facility", "Violations by perpetrating agency", "Where: the border region", "Repatriations by age group",
		"date spans several years", "14,342", "[12,13,14,23,34]", "test data", "2 January 2026",
	} {
		if !strings.Contains(s, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	golden(t, "internal.html", page)
}

// TestPublicReport: a public report shows no count from 1 to the
// threshold − 1 anywhere in its tables.
func TestPublicReport(t *testing.T) {
	t.Parallel()
	page := build(t, demo(t, count.Options{Public: true, Threshold: 5}), Options{})
	checkPage(t, page)
	s := string(page)
	if !strings.Contains(s, "PUBLIC — counts below 5 withheld") || strings.Contains(s, "INTERNAL") {
		t.Error("public badge missing")
	}
	cell := regexp.MustCompile(`<td[^>]*>([^<]*)`)
	for _, m := range cell.FindAllStringSubmatch(s, -1) {
		v := strings.TrimSpace(strings.ReplaceAll(m[1], ",", ""))
		if n, err := strconv.Atoi(v); err == nil && n > 0 && n < 5 {
			t.Errorf("public table cell shows %d", n)
		}
	}
	bound := regexp.MustCompile(`\(≤(\d+)\)`)
	for _, m := range bound.FindAllStringSubmatch(s, -1) {
		if n, _ := strconv.Atoi(m[1]); n > 0 && n < 5 {
			t.Errorf("public upper bound %d", n)
		}
	}
}

func TestNoEstimate(t *testing.T) {
	t.Parallel()
	page := build(t, demo(t, count.Options{}), Options{EstimateNote: "No estimate: nobody is on two lists."})
	if !strings.Contains(string(page), "No estimate: nobody is on two lists.") {
		t.Error("the reason for no estimate is missing")
	}
}
