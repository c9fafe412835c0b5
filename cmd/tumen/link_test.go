package main

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

func readCSV(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

func TestLinkFile(t *testing.T) {
	t.Parallel()
	c := newCLI(t)
	list, truth := filepath.Join(c.dir, "p.csv"), filepath.Join(c.dir, "t.csv")
	c.ok("link", "synth", "--rows", "1500", "--seed", "2", "--out", list, "--truth", truth)
	out, pairs := filepath.Join(c.dir, "c.csv"), filepath.Join(c.dir, "pairs.csv")
	stdout := c.ok("link", "--in", list, "--out", out, "--truth", truth, "--pairs", pairs)
	m := regexp.MustCompile(`F1 (0\.\d+)`).FindStringSubmatch(stdout)
	if !strings.Contains(stdout, "linked 1500 records into") || m == nil {
		t.Fatalf("link output:\n%s", stdout)
	}
	if f1, _ := strconv.ParseFloat(m[1], 64); f1 < 0.9 {
		t.Errorf("F1 %v on 1,500 benchmark rows:\n%s", f1, stdout)
	}
	in := readCSV(t, list)
	got := readCSV(t, out)
	if len(got) != len(in) || got[0][0] != "id" || got[0][1] != "cluster" {
		t.Fatalf("clusters: %d rows for %d input rows, header %v", len(got), len(in), got[0])
	}
	seen := map[string]bool{}
	ids := map[string]bool{}
	for _, r := range in[1:] {
		ids[r[0]] = true
	}
	for _, r := range got[1:] {
		if !ids[r[0]] || seen[r[0]] || !ids[r[1]] {
			t.Fatalf("bad output row %v", r)
		}
		seen[r[0]] = true
	}
	if st, _ := os.Stat(out); st.Mode().Perm() != 0o600 {
		t.Errorf("output mode %v", st.Mode())
	}
	// The pairs file explains with levels and weights, never values.
	ps := readCSV(t, pairs)
	if len(ps) < 100 || strings.Join(ps[0][:5], ",") != "id_a,id_b,probability,weight,prior" || ps[0][5] != "name" {
		t.Fatalf("pairs file: %d rows, header %v", len(ps), ps[0])
	}
	raw, _ := os.ReadFile(pairs)
	for _, r := range in[1:50] {
		for _, v := range []string{r[2], r[5], r[7]} {
			if len(v) > 3 && strings.Contains(string(raw), v) {
				t.Fatalf("pairs file holds a value: %q", v)
			}
		}
	}
	// Never over an existing file; bad thresholds are usage errors.
	before, _ := os.ReadFile(out)
	if code, _, errs := c.run("", "link", "--in", list, "--out", out); code != 1 || !strings.Contains(errs, "cannot create") {
		t.Fatalf("existing output: %d %s", code, errs)
	}
	if after, _ := os.ReadFile(out); string(after) != string(before) {
		t.Fatal("an existing output was touched")
	}
	// A truth file that does not cover the list is an error, but the
	// clusters written stay.
	short := c.write("short.csv", "id,cluster\nL-0000001,x\n")
	out2 := filepath.Join(c.dir, "c2.csv")
	if code, _, errs := c.run("", "link", "--in", list, "--out", out2, "--truth", short); code != 1 || !strings.Contains(errs, "not in the truth file") {
		t.Fatalf("short truth: %d %s", code, errs)
	}
	if _, err := os.Stat(out2); err != nil {
		t.Fatalf("clusters removed after a truth error: %v", err)
	}
	if code, _, _ := c.run("", "link", "--in", list, "--out", "-", "--threshold", "1.5"); code != 2 {
		t.Fatalf("threshold 1.5: exit %d", code)
	}
	if code, _, _ := c.run("", "link", "--in", list); code != 2 {
		t.Fatalf("no --out: exit %d", code)
	}
	if code, _, _ := c.run("", "link", "synth", "--out", filepath.Join(c.dir, "x.csv")); code != 2 {
		t.Fatalf("synth without --truth: exit %d", code)
	}
}

// TestLinkRefusesBadList checks that a list with problems is refused row by
// row, without repeating a value, and writes nothing.
func TestLinkRefusesBadList(t *testing.T) {
	t.Parallel()
	c := newCLI(t)
	f := c.write("bad.csv", header+
		"B1,X,이영호,1985,m,Hoeryong,2015-03,Tumen,\n"+
		"B2,X,MARKERNAMEQX,MARKERBIRTH1985,m,Hoeryong,2015-03,Tumen,\n")
	out := filepath.Join(c.dir, "c.csv")
	code, stdout, errs := c.run("", "link", "--in", f, "--out", out)
	if code != 1 || !strings.Contains(errs, "row 3: birth_date") || !strings.Contains(errs, "nothing was linked") {
		t.Fatalf("bad list: %d %s %s", code, stdout, errs)
	}
	if strings.Contains(errs+stdout, "MARKER") {
		t.Fatalf("a value reached the error: %s", errs)
	}
	if _, err := os.Stat(out); err == nil {
		t.Fatal("an output was written for a refused list")
	}
}

// TestLinkTable links a CSV that is not a person list, column by column.
func TestLinkTable(t *testing.T) {
	t.Parallel()
	c := newCLI(t)
	var b strings.Builder
	b.WriteString("rec,given,surname,dob,postcode,truth\n")
	syl := []string{"ma", "ri", "ko", "ta", "ne", "lu", "si", "da", "ve", "pa", "no", "ge"}
	word := func(x int) string { return syl[x%12] + syl[(x/12)%12] + syl[(x/144)%12] }
	x := 12345
	next := func() int { x = (x*1103515245 + 12345) % (1 << 31); return x }
	for i := range 300 {
		g, s := word(next()), word(next())
		dob := fmt.Sprintf("19%02d%02d%02d", 40+next()%50, 1+next()%12, 1+next()%28)
		pc := fmt.Sprint(2000 + next()%7000)
		fmt.Fprintf(&b, "r%d-a,%s,%s,%s,%s,%d\n", i, g, s, dob, pc, i)
		if i%3 == 0 { // a duplicate with a typo in the given name
			fmt.Fprintf(&b, "r%d-b,%s,%s,%s,%s,%d\n", i, g[:len(g)-1], s, dob, pc, i)
		}
	}
	in := c.write("table.csv", b.String())
	out := filepath.Join(c.dir, "c.csv")
	stdout := c.ok("link", "--in", in, "--out", out, "--id-column", "rec", "--ignore", "truth")
	if !strings.Contains(stdout, "given (text), surname (text), dob (date), postcode (code)") {
		t.Fatalf("columns not reported:\n%s", stdout)
	}
	got := readCSV(t, out)
	cl := map[string]string{}
	for _, r := range got[1:] {
		cl[r[0]] = r[1]
	}
	if len(cl) != 400 || cl["r3-a"] != cl["r3-b"] || cl["r3-a"] == cl["r4-a"] {
		t.Fatalf("%d rows; r3-a %s, r3-b %s, r4-a %s", len(cl), cl["r3-a"], cl["r3-b"], cl["r4-a"])
	}
}

// TestLinkStoreReview runs the review cycle on a store: link proposes,
// a reviewer merges, looks the identity up, unmerges and rejects, and
// every decision is audited; a second link keeps the decisions.
func TestLinkStoreReview(t *testing.T) {
	t.Parallel()
	c := newCLI(t)
	c.ok("init")
	list, truth := filepath.Join(c.dir, "p.csv"), filepath.Join(c.dir, "t.csv")
	c.ok("link", "synth", "--rows", "600", "--out", list, "--truth", truth)
	c.ok("import", list)
	out := c.ok("link")
	if !strings.Contains(out, "linked 600 records") || !strings.Contains(out, "new in the review queue") {
		t.Fatalf("link on the store:\n%s", out)
	}
	var queue []struct {
		ID      int64  `json:"id"`
		PersonA string `json:"person_a"`
		PersonB string `json:"person_b"`
		Status  string `json:"status"`
	}
	if err := json.Unmarshal([]byte(c.ok("review", "list", "--json", "--limit", "5")), &queue); err != nil || len(queue) < 3 {
		t.Fatalf("queue: %v %+v", err, queue)
	}
	first, second := queue[0], queue[1]
	show := c.ok("review", "show", fmt.Sprint(first.ID))
	for _, want := range []string{first.PersonA, first.PersonB, "names", "birth date", "why", "prior", "name", "total", "review merge"} {
		if !strings.Contains(show, want) {
			t.Errorf("review show lacks %q:\n%s", want, show)
		}
	}
	merged := c.ok("review", "merge", fmt.Sprint(first.ID))
	m := regexp.MustCompile(`identity (\d+) links`).FindStringSubmatch(merged)
	if m == nil || !strings.Contains(merged, first.PersonA) {
		t.Fatalf("merge: %s", merged)
	}
	if who := c.ok("review", "identity", first.PersonB); !strings.Contains(who, "identity "+m[1]) || !strings.Contains(who, first.PersonA) {
		t.Fatalf("identity of %s: %s", first.PersonB, who)
	}
	if code, _, errs := c.run("", "review", "merge", fmt.Sprint(first.ID)); code != 1 || !strings.Contains(errs, "already merged") {
		t.Fatalf("second merge: %d %s", code, errs)
	}
	c.ok("review", "unmerge", m[1])
	if code, _, errs := c.run("", "review", "identity", first.PersonB); code != 1 || !strings.Contains(errs, "belongs to no identity") {
		t.Fatalf("identity after unmerge: %d %s", code, errs)
	}
	c.ok("review", "reject", fmt.Sprint(second.ID))
	// A second run keeps every decision and learns from them.
	out = c.ok("link")
	if !strings.Contains(out, "2 reviewer labels") || !strings.Contains(out, "0 new in the review queue") {
		t.Fatalf("second link:\n%s", out)
	}
	var after []struct {
		ID     int64  `json:"id"`
		Status string `json:"status"`
	}
	if err := json.Unmarshal([]byte(c.ok("review", "list", "--json", "--status", "all", "--limit", "1000")), &after); err != nil {
		t.Fatal(err)
	}
	status := map[int64]string{}
	for _, a := range after {
		status[a.ID] = a.Status
	}
	if status[first.ID] != "unmerged" || status[second.ID] != "rejected" {
		t.Fatalf("statuses after a second link: %s, %s", status[first.ID], status[second.ID])
	}
	log := c.ok("audit", "log", "--limit", "200")
	for _, want := range []string{"propose", "merge", "unmerge", "reject"} {
		if !strings.Contains(log, want) {
			t.Errorf("audit log lacks %s", want)
		}
	}
	if out := c.ok("audit", "verify"); !strings.Contains(out, "intact") {
		t.Fatal(out)
	}
	for _, bad := range [][]string{{"review"}, {"review", "merge"}, {"review", "merge", "x"}, {"review", "frob", "1"}, {"review", "list", "--status", "maybe"}} {
		if code, _, _ := c.run("", bad...); code != 2 {
			t.Errorf("%v: exit %d, want 2", bad, code)
		}
	}
	if code, _, errs := c.run("", "review", "show", "99999"); code != 1 || !strings.Contains(errs, "no candidate pair 99999") {
		t.Errorf("missing pair: %d %s", code, errs)
	}
}
