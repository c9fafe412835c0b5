package main

import (
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"tumen"
	"tumen/approx"
	"tumen/estimate"
	"tumen/exchange"
)

const patterns = "../../estimate/testdata/"

// estimateJSON runs tumen estimate --json and decodes its output.
func estimateJSON(t *testing.T, c *cli, args ...string) map[string]any {
	t.Helper()
	out := c.ok(append([]string{"estimate", "--json"}, args...)...)
	var m map[string]any
	if err := json.Unmarshal([]byte(out), &m); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	for _, k := range []string{"method", "observed", "estimate", "median", "interval"} {
		if _, ok := m[k]; !ok {
			t.Errorf("JSON lacks %q", k)
		}
	}
	return m
}

func near(got any, want, tol float64) bool {
	v, ok := got.(float64)
	return ok && math.Abs(v-want) <= tol
}

// TestEstimatePublished reproduces the published estimates through the
// command line.
func TestEstimatePublished(t *testing.T) {
	t.Parallel()
	c := newCLI(t)
	for _, tc := range []struct {
		name  string
		args  []string
		model string
		want  float64
	}{
		// Ball et al. (2002): Kosovo, independence, best two-way and best
		// three-way models by BIC.
		{"Kosovo independence", []string{"--in", patterns + "kosovo.csv", "--model", "[1,2,3,4]"}, "[1,2,3,4]", 7394.6},
		{"Kosovo two-way", []string{"--in", patterns + "kosovo.csv"}, "[12,13,14,23,34]", 14341.7},
		{"Kosovo three-way", []string{"--in", patterns + "kosovo.csv", "--max-order", "3"}, "[123,14,34]", 10356.5},
		// UK modern slavery (Silverman 2014).
		{"UK", []string{"--in", patterns + "uk_5list.csv", "--model", "[12,13,24,25,35,45]"}, "[12,13,24,25,35,45]", 11313},
		// Palembang.
		{"Palembang", []string{"--in", patterns + "korean_women_palembang.csv", "--model", "[12,23]"}, "[12,23]", 157.17},
	} {
		m := estimateJSON(t, c, tc.args...)
		if m["method"] != "loglinear" || m["model"] != tc.model || !near(m["estimate"], tc.want, 0.1) || !near(m["median"], tc.want, 0.1) {
			t.Errorf("%s: method %v model %v estimate %v median %v, want %s %.1f", tc.name, m["method"], m["model"], m["estimate"], m["median"], tc.model, tc.want)
		}
		iv, _ := m["interval"].([]any)
		if len(iv) != 2 || !(iv[0].(float64) < tc.want && tc.want < iv[1].(float64)) {
			t.Errorf("%s: interval %v", tc.name, m["interval"])
		}
	}
}

// TestEstimateKosovoLesson: the human output shows that the best two-way
// and three-way models disagree.
func TestEstimateKosovoLesson(t *testing.T) {
	t.Parallel()
	c := newCLI(t)
	out := c.ok("estimate", "--in", patterns+"kosovo.csv")
	for _, want := range []string{"Model: [12,13,14,23,34] (chosen by BIC)", "Estimated total: 14,342", "14,341.7",
		"BIC chooses [123,14,34]: 10,356.5", "CAUTION: the two best models differ by 38%", "Models fitted, best first by BIC (64)"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	m := estimateJSON(t, c, "--in", patterns+"kosovo.csv")
	sens, _ := m["sensitivity"].(map[string]any)
	if sens == nil || sens["model"] != "[123,14,34]" || !near(sens["estimate"], 10356.5, 0.1) {
		t.Errorf("sensitivity %v", sens)
	}
	// Models with no MLE are listed.
	out = c.ok("estimate", "--in", patterns+"uk_5list.csv")
	if !strings.Contains(out, "no maximum likelihood estimate") {
		t.Errorf("UK output does not list the models with no MLE:\n%s", out)
	}
}

func TestEstimateMethods(t *testing.T) {
	t.Parallel()
	c := newCLI(t)
	m := estimateJSON(t, c, "--in", patterns+"kosovo.csv", "--method", "chapman", "--pair", "EXH,HRW")
	if m["method"] != "chapman" || fmt.Sprint(m["lists"]) != "[EXH HRW]" || !(m["estimate"].(float64) > 6000) {
		t.Errorf("chapman: %v", m)
	}
	args := []string{"--in", patterns + "kosovo.csv", "--method", "lcmcr", "--burnin", "300", "--samples", "50", "--thin", "2", "--seed", "9", "--K", "5"}
	a := estimateJSON(t, c, args...)
	b := estimateJSON(t, c, args...)
	if a["method"] != "lcmcr" || a["diagnostics"] == nil || fmt.Sprint(a) != fmt.Sprint(b) {
		t.Errorf("lcmcr: %v\n%v", a, b)
	}
	if !(a["median"].(float64) > 4400) {
		t.Errorf("lcmcr median %v", a["median"])
	}
	out := c.ok(append([]string{"estimate"}, args...)...)
	if !strings.Contains(out, "Latent-class (LCMCR)") || !strings.Contains(out, "R-hat") {
		t.Errorf("lcmcr output:\n%s", out)
	}
	// The pattern file from standard input.
	b2, _ := os.ReadFile(patterns + "korean_women_palembang.csv")
	code, out, errs := c.run(string(b2), "estimate", "--in", "-", "--model", "[12,23]")
	if code != 0 || !strings.Contains(out, "157.2") && !strings.Contains(out, "157") {
		t.Errorf("stdin: %d %s %s", code, out, errs)
	}
}

func TestEstimateErrors(t *testing.T) {
	t.Parallel()
	c := newCLI(t)
	bad := c.write("bad.csv", "A,B,count\n1,0,5\n0,1,x\n")
	for _, tc := range []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"--in", patterns + "kosovo.csv", "--method", "magic"}, 2, "unknown --method"},
		{[]string{"--in", patterns + "kosovo.csv", "--max-order", "4"}, 2, "--max-order"},
		{[]string{"--in", patterns + "kosovo.csv", "--method", "lcmcr", "--model", "[12]"}, 2, "--model applies"},
		{[]string{"--in", patterns + "kosovo.csv", "--stratify", "year"}, 2, "--stratify needs the store"},
		{[]string{"--in", patterns + "kosovo.csv", "--method", "chapman", "--pair", "EXH,EXH"}, 2, "two different lists"},
		{[]string{"--in", filepath.Join(c.dir, "missing.csv")}, 1, "cannot read"},
		{[]string{"--in", bad}, 1, "line 3"},
		{[]string{"--in", patterns + "kosovo.csv", "--model", "[19]"}, 1, ""},
		{[]string{"extra-argument"}, 2, "no arguments"},
	} {
		code, _, errs := c.run("", append([]string{"estimate"}, tc.args...)...)
		if code != tc.code || !strings.Contains(errs, tc.msg) {
			t.Errorf("%v: exit %d, %q", tc.args, code, errs)
		}
	}
}

// captureBundle simulates three organisations documenting, independently,
// a population of n repatriated people, and returns the bundle of what
// they documented and the table of capture patterns it should give.
func captureBundle(t *testing.T, n int) (*tumen.Bundle, *estimate.Table) {
	t.Helper()
	orgs := []string{"Org A", "Org B", "Org C"}
	p := []float64{0.3, 0.25, 0.35}
	g := rand.New(rand.NewPCG(1, 2))
	b := &tumen.Bundle{}
	tab := estimate.NewTable(orgs...)
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range n {
		var pat uint32
		for j := range orgs {
			if g.Float64() < p[j] {
				pat |= 1 << j
			}
		}
		if pat == 0 {
			continue
		}
		tab.Cells[pat]++
		id := fmt.Sprintf("P-%05d", i)
		date := "2015"
		if i%2 == 1 {
			date = "spring 2016"
		}
		b.Persons = append(b.Persons, &tumen.Person{ID: id, Names: []tumen.Name{{Full: fmt.Sprintf("Person %d", i)}}, Sex: []tumen.Sex{tumen.SexFemale, tumen.SexMale}[i%2], Created: at, Updated: at})
		b.Events = append(b.Events, &tumen.Event{ID: "E-" + id, Date: approx.MustParse(date), PlaceID: "CN-TUM", Stage: "S5", Created: at})
		b.Acts = append(b.Acts, &tumen.Act{ID: "A-" + id, EventID: "E-" + id, VictimID: id, Type: "refoulement", Created: at})
		for j, org := range orgs {
			if pat&(1<<j) != 0 {
				b.Sources = append(b.Sources, &tumen.Source{ID: fmt.Sprintf("S-%s-%d", id, j), Kind: "testimony", Organisation: org,
					Supports: []tumen.Link{{Kind: tumen.RecordPerson, ID: id}}, Created: at})
			}
		}
	}
	return b, tab
}

func writeBundle(t *testing.T, path string, b *tumen.Bundle) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	w := exchange.NewJSONWriter(f)
	for _, s := range []struct {
		name string
		recs []any
	}{{"persons", anys(b.Persons)}, {"events", anys(b.Events)}, {"acts", anys(b.Acts)}, {"sources", anys(b.Sources)}} {
		if err := w.Section(s.name); err != nil {
			t.Fatal(err)
		}
		for _, r := range s.recs {
			if err := w.Record(r); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
}

func anys[T any](s []*T) []any {
	out := make([]any, len(s))
	for i, v := range s {
		out[i] = v
	}
	return out
}

// TestEstimateFromStore builds the lists from the store: one per
// organisation, people on several lists once.
func TestEstimateFromStore(t *testing.T) {
	t.Parallel()
	c := newCLI(t)
	c.ok("init")
	b, tab := captureBundle(t, 1500)
	path := filepath.Join(c.dir, "bundle.json")
	writeBundle(t, path, b)
	c.ok("import", path)
	want, err := estimate.LogLinear(tab, estimate.Options{})
	if err != nil {
		t.Fatal(err)
	}
	m := estimateJSON(t, c)
	if !near(m["estimate"], want.Estimate, 1e-6) || m["observed"].(float64) != float64(tab.Observed()) || fmt.Sprint(m["lists"]) != "[Org A Org B Org C]" {
		t.Errorf("store estimate %v observed %v lists %v; from the table %.1f, %d", m["estimate"], m["observed"], m["lists"], want.Estimate, tab.Observed())
	}
	iv := m["interval"].([]any)
	if !(iv[0].(float64) < 1500 && 1500 < iv[1].(float64)) {
		t.Errorf("interval %v does not cover the truth 1,500", iv)
	}
	// By year: "2015" is one year, "spring 2016" another.
	out := c.ok("estimate", "--stratify", "year", "--method", "chapman")
	for _, want := range []string{"2015", "2016", "Sum of the stratum estimates"} {
		if !strings.Contains(out, want) {
			t.Errorf("stratified output lacks %q:\n%s", want, out)
		}
	}
	out = c.ok("estimate", "--stratify", "sex", "--min-records", "100000")
	if !strings.Contains(out, "too sparse") || !strings.Contains(out, "female") {
		t.Errorf("sparse strata not reported:\n%s", out)
	}
	var js map[string]any
	if err := json.Unmarshal([]byte(c.ok("estimate", "--stratify", "region", "--json")), &js); err != nil || js["strata"] == nil {
		t.Errorf("stratified JSON: %v %v", err, js)
	}
	if code, _, errs := c.run("", "estimate", "--stratify", "colour"); code != 2 || !strings.Contains(errs, "year, sex or region") {
		t.Errorf("bad --stratify: %d %s", code, errs)
	}
	// The report carries the estimate.
	dir := filepath.Join(c.dir, "report")
	c.ok("report", "--out", dir)
	page, err := os.ReadFile(filepath.Join(dir, "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(page), "Estimated total: <b>") || !strings.Contains(string(page), "Org A, Org B, Org C") {
		t.Error("the report lacks the estimate")
	}
}

// TestEstimateNoOverlap: the demo's organisations document different
// people, and the command says why it cannot estimate.
func TestEstimateNoOverlap(t *testing.T) {
	t.Parallel()
	c := newCLI(t)
	c.ok("demo", "--persons", "60")
	code, _, errs := c.run("", "estimate")
	if code != 1 || !strings.Contains(errs, "no person is on two lists") {
		t.Errorf("exit %d: %s", code, errs)
	}
}
