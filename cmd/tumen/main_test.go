package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib"

	"tumen"
	"tumen/exchange"
)

// cli runs the program in-process with a private environment.
type cli struct {
	t    *testing.T
	dir  string // holds the data directory and everything else the run may write
	data string
	env  []string
}

func newCLI(t *testing.T) *cli {
	t.Helper()
	dir := t.TempDir()
	c := &cli{t: t, dir: dir, data: filepath.Join(dir, "data")}
	c.env = []string{
		"TUMEN_PASSPHRASE=test passphrase 123",
		"TUMEN_ADMIN_PASSWORD=admin password 123",
		// Cheap key derivation: the tests open the store many times.
		"TUMEN_ARGON2=t=1,m=1024,p=1",
		"TUMEN_DATA=" + filepath.Join(dir, "data"),
		"HOME=" + dir,
		"TMPDIR=" + filepath.Join(dir, "tmp"),
		"USER=tester",
	}
	os.MkdirAll(filepath.Join(dir, "tmp"), 0o700)
	return c
}

func (c *cli) setenv(kv string) { c.env = append(c.env, kv) }

// run runs tumen with args and returns its exit code, stdout and stderr.
func (c *cli) run(stdin string, args ...string) (int, string, string) {
	c.t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), args, c.env, strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

// ok runs tumen and fails the test unless it succeeds.
func (c *cli) ok(args ...string) string {
	c.t.Helper()
	code, out, errs := c.run("", args...)
	if code != 0 {
		c.t.Fatalf("tumen %s: exit %d\n%s%s", strings.Join(args, " "), code, out, errs)
	}
	return out
}

func (c *cli) write(name, content string) string {
	c.t.Helper()
	p := filepath.Join(c.dir, name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		c.t.Fatal(err)
	}
	return p
}

const header = "id,source,name,birth_date,sex,origin,event_date,event_place,narrative\n"

const goodCSV = header +
	"A1,TJWG,이영호,1985,m,Hoeryong,2015-03,Tumen,Arrested in Yanji and handed over at Tumen.\n" +
	"A2,NKDB,Ri Yong Ho,around 1985,m,회령,spring 2015,투먼,\"Quoted, with a comma\"\n" +
	"A3,NKDB,김순희,1990년 3월,f,Musan,2016년 봄,Dandong,\n" +
	"A4,UN,\"KIM SUN HUI\",,F,,2017,Somewhere unknown,\n"

func TestInitImportShow(t *testing.T) {
	t.Parallel()
	c := newCLI(t)
	out := c.ok("init")
	if !strings.Contains(out, "created an encrypted tumen store") {
		t.Fatalf("init: %s", out)
	}
	f := c.write("list.csv", goodCSV)
	out = c.ok("import", f)
	if !strings.Contains(out, "imported 4 rows") {
		t.Fatalf("import: %s", out)
	}
	out = c.ok("show", "person", "A2")
	for _, want := range []string{"Ri Yong Ho", "around 1985", "Hoeryong", "S5", "spring 2015", "[2015-03-01 … 2015-05-31]", "Tumen", "refoulement", "NKDB", "Quoted, with a comma"} {
		if !strings.Contains(out, want) {
			t.Errorf("show person A2 lacks %q:\n%s", want, out)
		}
	}
	out = c.ok("show", "person", "A4", "--json")
	var shown struct {
		Person struct {
			Names []struct{ Full, System string }
			Sex   string
		}
		Events []struct {
			PlaceText string `json:"place_text"`
		}
	}
	if err := json.Unmarshal([]byte(out), &shown); err != nil {
		t.Fatal(err)
	}
	if shown.Person.Names[0].Full != "KIM SUN HUI" || shown.Person.Names[0].System != "roman" || shown.Person.Sex != "f" || shown.Events[0].PlaceText != "Somewhere unknown" {
		t.Fatalf("A4 = %+v", shown)
	}
	out = c.ok("list", "persons", "--sex", "f")
	if !strings.Contains(out, "A3") || !strings.Contains(out, "A4") || strings.Contains(out, "A1") || !strings.Contains(out, "2 of 2 persons") {
		t.Fatalf("list --sex f:\n%s", out)
	}
	out = c.ok("list", "persons", "--source", "NKDB", "--from", "2016", "--to", "2016")
	if !strings.Contains(out, "A3") || strings.Contains(out, "A2") {
		t.Fatalf("list --source NKDB --from 2016:\n%s", out)
	}
	out = c.ok("stats")
	if !strings.Contains(out, "persons 4, events 4, acts 4, sources 4") {
		t.Fatalf("stats: %s", out)
	}
	if code, _, errs := c.run("", "show", "person", "nobody"); code != 1 || !strings.Contains(errs, `no person "nobody"`) {
		t.Fatalf("show missing: %d %s", code, errs)
	}
	out = c.ok("audit", "verify")
	if !strings.Contains(out, "audit log intact") {
		t.Fatal(out)
	}
}

func TestFlagsAnywhere(t *testing.T) {
	t.Parallel()
	c := newCLI(t)
	other := filepath.Join(c.dir, "elsewhere")
	c.ok("--data", other, "init")
	c.ok("import", c.write("l.csv", goodCSV), "--data", other)
	a := c.ok("list", "persons", "--data", other, "--sex", "m")
	b := c.ok("--data", other, "list", "--sex=m", "persons")
	d := c.ok("--data="+other, "list", "persons", "--sex", "m")
	if a != b || a != d || !strings.Contains(a, "A1") {
		t.Fatalf("flag positions change the result:\n%s\n%s\n%s", a, b, d)
	}
	if _, err := os.Stat(c.data); err == nil {
		t.Fatal("the default data directory was created although --data was given")
	}
}

func TestHelp(t *testing.T) {
	t.Parallel()
	c := newCLI(t)
	_, out, _ := c.run("", "help")
	for _, cmd := range commands() {
		if !strings.Contains(out, cmd.name) {
			t.Errorf("help does not mention %s", cmd.name)
		}
		code, h, _ := c.run("", cmd.name, "--help")
		if code != 0 || !strings.Contains(h, "Usage: tumen "+cmd.name) || !strings.Contains(h, "-data") {
			t.Errorf("%s --help: %d %s", cmd.name, code, h)
		}
		code, h2, _ := c.run("", "help", cmd.name)
		if code != 0 || h2 != h {
			t.Errorf("help %s differs from %s --help", cmd.name, cmd.name)
		}
	}
	if code, _, errs := c.run("", "frobnicate"); code != 2 || !strings.Contains(errs, "no command") {
		t.Fatalf("unknown command: %d %s", code, errs)
	}
	if code, _, errs := c.run("", "list", "--bogus"); code != 2 || !strings.Contains(errs, "bogus") {
		t.Fatalf("unknown flag: %d %s", code, errs)
	}
	if code, _, _ := c.run(""); code != 2 {
		t.Fatal("no command: want exit 2")
	}
}

func TestWrongPassphrase(t *testing.T) {
	t.Parallel()
	c := newCLI(t)
	c.ok("init")
	c.ok("import", c.write("l.csv", goodCSV))
	c.setenv("TUMEN_PASSPHRASE=not the passphrase")
	code, out, errs := c.run("", "show", "person", "A1")
	if code != 1 || !strings.Contains(errs, "wrong passphrase") || strings.Contains(out, "이영호") {
		t.Fatalf("wrong passphrase: %d %q %q", code, out, errs)
	}
	c.setenv("TUMEN_PASSPHRASE=")
	code, _, errs = c.run("", "stats")
	if code != 1 || !strings.Contains(errs, "passphrase") {
		t.Fatalf("no passphrase, no terminal: %d %s", code, errs)
	}
	if code, _, errs := c.run("", "stats", "--data", filepath.Join(c.dir, "nothing")); code != 1 || !strings.Contains(errs, "tumen init") {
		t.Fatalf("missing store: %d %s", code, errs)
	}
}

func TestRekey(t *testing.T) {
	t.Parallel()
	c := newCLI(t)
	c.ok("init")
	c.ok("import", c.write("l.csv", goodCSV))
	c.setenv("TUMEN_NEW_PASSPHRASE=the new passphrase")
	c.ok("rekey")
	if code, _, _ := c.run("", "stats"); code == 0 {
		t.Fatal("the old passphrase still opens the store")
	}
	c.setenv("TUMEN_PASSPHRASE=the new passphrase")
	if out := c.ok("show", "person", "A1"); !strings.Contains(out, "이영호") {
		t.Fatal(out)
	}
}

func TestKeyFile(t *testing.T) {
	t.Parallel()
	c := newCLI(t)
	key := filepath.Join(c.dir, "keys", "tumen.key")
	os.MkdirAll(filepath.Dir(key), 0o700)
	// Inside the data directory: refused.
	if code, _, errs := c.run("", "init", "--key-file", filepath.Join(c.data, "k")); code == 0 || !strings.Contains(errs, "outside the data directory") {
		t.Fatalf("key file inside data dir: %d %s", code, errs)
	}
	os.RemoveAll(c.data)
	c.ok("init", "--key-file", key)
	c.ok("import", c.write("l.csv", goodCSV), "--key-file", key)
	if code, _, errs := c.run("", "stats"); code == 0 || !strings.Contains(errs, "key file") {
		t.Fatalf("opened without the key file: %s", errs)
	}
	c.setenv("TUMEN_KEY_FILE=" + key)
	c.ok("stats")
	c.setenv("TUMEN_PASSPHRASE=wrong passphrase")
	if code, _, _ := c.run("", "stats"); code == 0 {
		t.Fatal("opened with the key file and a wrong passphrase")
	}
}

func TestBadInputChangesNothing(t *testing.T) {
	t.Parallel()
	c := newCLI(t)
	c.ok("init")
	c.ok("import", c.write("good.csv", goodCSV))
	before := c.ok("export", "--format", "csv")
	stats := c.ok("stats", "--json")
	big := strings.Repeat("x", 100<<20)
	for _, tc := range []struct {
		name, content string
		want          []string
		withheld      []string // personal values that must not be echoed
	}{
		{"bad dates", header + "B1,X,박철수,19855,m,,2015,,\nB2,X,박영희,1990,f,,2015-13,,\n", []string{"row 2: birth_date", "row 3: event_date", `"2015-13"`}, []string{"19855", "박철수"}},
		{"missing column", header + "B1,X,박철수,1985,m,,2015\n", []string{"row 2", "missing"}, []string{"박철수"}},
		{"invalid UTF-8", header + "B1,X,\xff\xfe,1985,m,,2015,,\n", []string{"row 2: name", "UTF-8"}, nil},
		{"duplicate in file", header + "B1,X,박철수,1985,m,,2015,,\nB1,X,박영희,1990,f,,2015,,\n", []string{"row 3: id", "repeats the id of row 2"}, []string{"박영희"}},
		{"duplicate of stored", header + "A1,X,박철수,1985,m,,2015,,\n", []string{`person with id "A1" already exists`}, []string{"박철수"}},
		{"100 MB field", header + "B1,X,박철수,1985,m,,2015,," + big + "\n", []string{"row 2: narrative", "longer than"}, []string{"xxxxxxxxxx"}},
		{"truncated", header + "B1,X,박철수,1985,m,,2015,,\"an unfinished quote\nB2,X,", []string{"row 2", "truncated"}, []string{"unfinished"}},
		{"truncated mid row", header + "B1,X,박철수,1985,m,,2015,,\nB2,X,김", []string{"row 3", "missing"}, nil},
		{"bad header", "id,name\nB1,x\n", []string{"row 1", "header"}, nil},
		{"empty", "", []string{"empty"}, nil},
		{"bad sex", header + "B1,X,박철수,1985,q,,2015,,\n", []string{"row 2: sex", `"q"`}, nil},
		{"empty name", header + "B1,X,,1985,m,,2015,,\n", []string{"row 2: name", "empty"}, nil},
		{"bad id", header + "B 1,X,박철수,1985,m,,2015,,\n", []string{"row 2: id"}, []string{"박철수"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := c.write(strings.ReplaceAll(tc.name, " ", "_")+".csv", tc.content)
			code, out, errs := c.run("", "import", f)
			if code == 0 {
				t.Fatalf("import succeeded: %s", out)
			}
			for _, w := range tc.want {
				if !strings.Contains(errs, w) {
					t.Errorf("error lacks %q:\n%s", w, errs)
				}
			}
			for _, w := range tc.withheld {
				if strings.Contains(errs+out, w) {
					t.Errorf("error repeats the personal value %q:\n%s", w, errs)
				}
			}
			if len(errs) > 10000 {
				t.Errorf("error is %d bytes long", len(errs))
			}
		})
	}
	// The same through standard input, which is checked as it streams.
	code, _, errs := c.run(header+"C1,X,박철수,1985,m,,2015,,\nC2,X,박영희,1990,f,,2015-13,,\n", "import", "-")
	if code == 0 || !strings.Contains(errs, "row 3: event_date") {
		t.Fatalf("stdin with a bad row: %d %s", code, errs)
	}
	if after := c.ok("export", "--format", "csv"); after != before {
		t.Fatalf("failed imports changed the store:\n%s\n---\n%s", before, after)
	}
	var s1, s2 map[string]any
	json.Unmarshal([]byte(stats), &s1)
	json.Unmarshal([]byte(c.ok("stats", "--json")), &s2)
	delete(s1, "audit_entries")
	delete(s2, "audit_entries")
	if fmt.Sprint(s1) != fmt.Sprint(s2) {
		t.Fatalf("stats changed:\n%v\n%v", s1, s2)
	}
}

func TestExportImportRoundTrip(t *testing.T) {
	t.Parallel()
	c := newCLI(t)
	c.ok("init")
	c.ok("demo", "--persons", "40", "--seed", "7")
	bundle := filepath.Join(c.dir, "out.json")
	c.ok("export", "--out", bundle)
	st, err := os.Stat(bundle)
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("export file mode: %v %v", st.Mode(), err)
	}
	// Exporting over an existing file is refused rather than overwriting it.
	if code, _, _ := c.run("", "export", "--out", bundle); code == 0 {
		t.Fatal("export overwrote a file")
	}
	other := filepath.Join(c.dir, "copy")
	c.ok("init", "--data", other)
	// The new store already has the vocabularies and gazetteer from init:
	// import only the records that are not reference data.
	b, _ := os.ReadFile(bundle)
	if !json.Valid(b) {
		t.Fatal("export is not JSON")
	}
	var nb bytes.Buffer
	w := exchange.NewJSONWriter(&nb)
	section := ""
	var all tumen.Bundle
	for r, err := range exchange.ReadBundle(bytes.NewReader(b)) {
		if err != nil {
			t.Fatal(err)
		}
		all.Add(r)
		switch r.(type) {
		case *tumen.Term, *tumen.Place, *tumen.Organisation:
			continue
		}
		if s := exchange.SectionOf(r); s != section {
			section = s
			w.Section(s)
		}
		w.Record(r)
	}
	w.Close()
	// The demo's urgent cases are in the bundle, so the round trip below
	// covers them.
	if len(all.CustodyChanges) == 0 || len(all.RiskFacts) == 0 || len(all.BorderStates) == 0 {
		t.Fatalf("the export lacks the demo's urgent cases: %d custody changes, %d risk facts, %d border states",
			len(all.CustodyChanges), len(all.RiskFacts), len(all.BorderStates))
	}
	c.write("records.json", nb.String())
	c.ok("import", filepath.Join(c.dir, "records.json"), "--data", other)
	again := filepath.Join(c.dir, "again.json")
	c.ok("export", "--out", again, "--data", other)
	b2, _ := os.ReadFile(again)
	if !bytes.Equal(b, b2) {
		t.Fatal("export → import → export is not identical")
	}
	// A truncated bundle fails and changes nothing.
	c.write("cut.json", nb.String()[:nb.Len()/2])
	other = filepath.Join(c.dir, "third")
	c.ok("init", "--data", other)
	before := c.ok("stats", "--data", other)
	if code, _, errs := c.run("", "import", filepath.Join(c.dir, "cut.json"), "--data", other); code == 0 || !strings.Contains(errs, "truncated") {
		t.Fatalf("truncated bundle: %d %s", code, errs)
	}
	if after := c.ok("stats", "--data", other); after != before {
		t.Fatal("a failed bundle import changed the store")
	}
	// CSV export is the person list, readable back.
	csvOut := c.ok("export", "--format", "csv")
	if !strings.HasPrefix(csvOut, "id,source,name,birth_date,sex,origin,event_date,event_place,narrative\n") || strings.Count(csvOut, "\nP-") != 40 {
		t.Fatalf("csv export:\n%.500s", csvOut)
	}
}

func TestDemoDeterministic(t *testing.T) {
	t.Parallel()
	c := newCLI(t)
	c.ok("demo", "--persons", "30", "--seed", "3")
	c.ok("demo", "--persons", "30", "--seed", "3", "--data", filepath.Join(c.dir, "two"))
	a := c.ok("export", "--format", "csv")
	b := c.ok("export", "--format", "csv", "--data", filepath.Join(c.dir, "two"))
	if a != b {
		t.Fatal("the same seed gave different data")
	}
	c.ok("demo", "--persons", "30", "--seed", "4", "--data", filepath.Join(c.dir, "three"))
	if c.ok("export", "--format", "csv", "--data", filepath.Join(c.dir, "three")) == a {
		t.Fatal("different seeds gave the same data")
	}
	// Demo data again into the same store is not generated twice.
	if out := c.ok("demo", "--persons", "30", "--seed", "3"); !strings.Contains(out, "already holds demo data") || !strings.Contains(out, "persons 30,") {
		t.Fatalf("second demo: %s", out)
	}
}

// markers are names and narrative that must never be found in any file
// the program writes.
var markers = []string{"QMARKERLATINQ", "마커홍길동", "QMARKERNARRATIVEQ", "증언마커문장"}

func markerCSV() string {
	return header +
		"M1,ORG,QMARKERLATINQ,1971,m,,2015,Tumen,QMARKERNARRATIVEQ\n" +
		"M2,ORG,마커홍길동,1972,f,,2016,,증언마커문장 그리고 QMARKERNARRATIVEQ\n"
}

// scan fails the test when a marker is in a file under root (except skip).
func scan(t *testing.T, root, skip string) int {
	t.Helper()
	n := 0
	filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || path == skip {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		n++
		for _, m := range markers {
			for _, form := range [][]byte{[]byte(m), []byte(hex.EncodeToString([]byte(m)))} {
				if bytes.Contains(b, form) {
					t.Errorf("marker %q found in %s", m, path)
				}
			}
		}
		return nil
	})
	return n
}

func TestMarkersSQLite(t *testing.T) {
	t.Parallel()
	c := newCLI(t)
	c.ok("init")
	input := c.write("markers.csv", markerCSV())
	c.ok("import", input)
	// Reading, listing and finding leave nothing in the clear either.
	c.ok("show", "person", "M1")
	c.ok("list", "persons")
	c.ok("stats")
	files := scan(t, c.dir, input)
	if files < 1 {
		t.Fatalf("scanned only %d files", files)
	}
	// The database must hold the rows, or the scan proves nothing.
	b, _ := os.ReadFile(filepath.Join(c.data, "tumen.db"))
	w, _ := os.ReadFile(filepath.Join(c.data, "tumen.db-wal"))
	if !bytes.Contains(append(b, w...), []byte("M2")) {
		t.Fatal("the database files do not contain the imported ids")
	}
}

func TestMarkersPostgres(t *testing.T) {
	t.Parallel()
	base := os.Getenv("TUMEN_TEST_DATABASE_URL")
	if base == "" {
		if os.Getenv("TUMEN_REQUIRE_POSTGRES") != "" {
			t.Fatal("TUMEN_REQUIRE_POSTGRES is set but TUMEN_TEST_DATABASE_URL is not")
		}
		t.Skip("TUMEN_TEST_DATABASE_URL not set")
	}
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	rb := make([]byte, 6)
	rand.Read(rb)
	schema := "tumen_cli_" + hex.EncodeToString(rb)
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		t.Fatal(err)
	}
	defer admin.Exec("DROP SCHEMA " + schema + " CASCADE")
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()

	c := newCLI(t)
	c.setenv("TUMEN_DATABASE_URL=" + u.String())
	c.ok("init")
	input := c.write("markers.csv", markerCSV())
	c.ok("import", input)
	c.ok("show", "person", "M1")
	if out := c.ok("stats"); !strings.Contains(out, "persons 2") {
		t.Fatal(out)
	}
	pgDump := "pg_dump"
	if m, _ := filepath.Glob("/usr/lib/postgresql/*/bin/pg_dump"); len(m) > 0 {
		pgDump = m[len(m)-1]
	}
	dump, err := exec.Command(pgDump, "--dbname", base, "--schema", schema).Output()
	if err != nil {
		t.Fatalf("pg_dump: %v", err)
	}
	dumpFile := filepath.Join(c.dir, "dump.sql")
	os.WriteFile(dumpFile, dump, 0o600)
	if !bytes.Contains(dump, []byte("M2")) {
		t.Fatal("the dump does not contain the imported ids")
	}
	scan(t, c.dir, input)
	if _, err := os.Stat(c.data); err == nil {
		t.Fatal("a data directory was made although TUMEN_DATABASE_URL was set")
	}
}

// TestFailedInitLeavesNothing: a store that could not be made (here, a
// passphrase too short) leaves no file behind, so the next try works.
func TestFailedInitLeavesNothing(t *testing.T) {
	t.Parallel()
	c := newCLI(t)
	c.setenv("TUMEN_PASSPHRASE=short")
	if code, _, errs := c.run("", "demo", "--persons", "3"); code != 1 || !strings.Contains(errs, "at least 12") {
		t.Fatalf("short passphrase: %d %s", code, errs)
	}
	if _, err := os.Stat(c.data); !os.IsNotExist(err) {
		entries, _ := os.ReadDir(c.data)
		t.Fatalf("a failed demo left %d files in the data directory", len(entries))
	}
	c.setenv("TUMEN_PASSPHRASE=a long enough passphrase")
	c.ok("demo", "--persons", "3")
}
