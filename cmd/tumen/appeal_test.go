package main

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"tumen/risk"
)

// TestUrgentResponse takes demo persons through custody, the board, the
// three mechanisms' documents in every format, refusals, interventions,
// the rubric and an assessment memo, all through run.
func TestUrgentResponse(t *testing.T) {
	t.Parallel()
	c := newCLI(t)
	out := c.ok("demo", "--persons", "60")
	if !strings.Contains(out, "in Chinese custody now") {
		t.Fatalf("demo seeded no urgent cases:\n%s", out)
	}
	board := c.ok("custody", "board")
	if n := strings.Count(board, "border-detention"); n != 5 {
		t.Fatalf("board has %d cases:\n%s", n, board)
	}
	if !strings.Contains(board, "\n*  ") || !strings.Contains(board, "(never)") {
		t.Errorf("first look marks nothing as changed:\n%s", board)
	}
	if again := c.ok("custody", "board"); strings.Contains(again, "\n*") || strings.Contains(again, "(never)") {
		t.Errorf("second look still marks changes:\n%s", again)
	}

	// Find a person with a named UN consent and no custody record, and one
	// without any UN consent.
	var withConsent, without string
	for n := 10; n <= 60 && (withConsent == "" || without == ""); n++ {
		id := fmt.Sprintf("P-%07d", n)
		code, _, errs := c.run("", "appeal", "--person", id, "--mechanism", "sp")
		if code != 1 {
			t.Fatalf("%s: exit %d %s", id, code, errs)
		}
		switch {
		case strings.Contains(errs, "consent: no source of this person has a standing consent"):
			without = id
		case strings.Contains(errs, "current custody status") && !strings.Contains(errs, "consent:"):
			withConsent = id
		}
	}
	if withConsent == "" || without == "" {
		t.Fatalf("no test persons found: %q %q", withConsent, without)
	}
	src := "S-" + withConsent[2:]

	// Through the stages.
	for _, step := range [][]string{
		{"--status", "arrested", "--date", "2026-11-02", "--place", "CN-SHY"},
		{"--status", "detained-cn", "--date", "2026-11-05", "--place", "CN-YAN-DC"},
		{"--status", "border-detention", "--date", "2026-11", "--place", "CN-TUM-BDC"},
	} {
		c.ok(append([]string{"custody", "set", "--person", withConsent, "--source", src, "--note", "call from her sister"}, step...)...)
	}
	hist := c.ok("custody", "history", "--person", withConsent)
	if strings.Count(hist, src) != 3 || !strings.Contains(hist, "border-detention") || !strings.Contains(hist, "call from her sister") {
		t.Errorf("history:\n%s", hist)
	}
	c.ok("custody", "fact", "--person", withConsent, "--code", "intent-south-korea", "--source", src)
	score := c.ok("custody", "score", "--person", withConsent)
	r := risk.Default()
	f, _, _ := r.Factor("intent-south-korea")
	if !strings.Contains(score, fmt.Sprintf("+%-3d Intended to reach South Korea", f.Weight)) {
		t.Errorf("score:\n%s", score)
	}
	for _, bad := range [][]string{
		{"custody", "set", "--person", withConsent, "--status", "kidnapped", "--date", "2026"},
		{"custody", "set", "--person", withConsent, "--status", "arrested"},
		{"custody", "set", "--person", withConsent, "--status", "arrested", "--date", "2026", "--place", "NOWHERE"},
		{"custody", "fact", "--person", withConsent, "--code", "likes-tea"},
		{"custody", "border"},
		{"appeal", "--person", withConsent, "--mechanism", "un"},
		{"appeal", "--person", withConsent, "--mechanism", "sp", "--format", "pdf"},
	} {
		if code, _, errs := c.run("", bad...); code != 2 {
			t.Errorf("%v: exit %d %s", bad, code, errs)
		}
	}

	// Refusals list what is missing, and name no one.
	code, _, errs := c.run("", "appeal", "--person", without, "--mechanism", "wgeid")
	if code != 1 || !strings.Contains(errs, "consent: no source of this person has a standing consent") {
		t.Errorf("no consent: exit %d %s", code, errs)
	}
	code, _, errs = c.run("", "appeal", "--person", withConsent, "--mechanism", "sp")
	if code != 1 || !strings.Contains(errs, "missing: who submits") || !strings.Contains(errs, "missing: how to reach the submitter") {
		t.Errorf("no submitter: exit %d %s", code, errs)
	}
	c.setenv("TUMEN_SUBMITTER_ORG=Hanul Documentation Centre")
	c.setenv("TUMEN_SUBMITTER_EMAIL=urgent@example.org")
	code, _, errs = c.run("", "appeal", "--person", withConsent, "--mechanism", "wgad")
	if code != 1 || !strings.Contains(errs, "--legal-basis") || !strings.Contains(errs, "--why") {
		t.Errorf("wgad without reasons: exit %d %s", code, errs)
	}
	code, _, errs = c.run("", "appeal", "--person", withConsent, "--mechanism", "wgeid")
	if code != 1 || !strings.Contains(errs, "5. steps taken") {
		t.Errorf("wgeid without steps: exit %d %s", code, errs)
	}

	// Each mechanism in each format.
	txt := c.ok("appeal", "--person", withConsent, "--mechanism", "sp", "--joint", "--access", "None.")
	if !strings.Contains(txt, "Joint urgent appeal") || !strings.Contains(txt, "Tumen border defence detention centre (투먼 변방구류심사소)") || strings.Contains(txt, "call from her sister") {
		t.Errorf("sp text:\n%s", txt)
	}
	docs := map[string]string{}
	for _, m := range []string{"sp", "wgeid", "wgad"} {
		for _, format := range []string{"html", "pdf", "txt"} {
			path := filepath.Join(c.dir, m+"."+format)
			c.ok("appeal", "--person", withConsent, "--mechanism", m, "--format", format, "--out", path,
				"--steps", "The family asked the police.", "--legal-basis", "None given.", "--why", "Category II.")
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if st, _ := os.Stat(path); st.Mode().Perm() != 0o600 {
				t.Errorf("%s mode %v", path, st.Mode())
			}
			switch format {
			case "pdf":
				if !strings.HasPrefix(string(b), "%PDF-") {
					t.Errorf("%s is not a PDF", path)
				}
			case "html":
				if !strings.Contains(string(b), "<!DOCTYPE html>") {
					t.Errorf("%s is not HTML", path)
				}
			}
			docs[m+"."+format] = path
		}
	}
	if code, _, errs := c.run("", "appeal", "--person", withConsent, "--mechanism", "sp", "--out", docs["sp.txt"]); code != 1 || !strings.Contains(errs, "already exists") {
		t.Errorf("overwrite: exit %d %s", code, errs)
	}

	// Recorded as sent, with the document's hash; overdue on the board.
	b, _ := os.ReadFile(docs["sp.pdf"])
	sum := sha256.Sum256(b)
	sent := c.ok("intervention", "sent", "--person", withConsent, "--mechanism", "sp", "--to", "SR DPRK", "--document", docs["sp.pdf"],
		"--reference", "UA KP 9/2026", "--date", "2026-11-06", "--follow-up", "2026-11-13")
	if !strings.Contains(sent, hex.EncodeToString(sum[:])) {
		t.Errorf("sent: %s", sent)
	}
	board = c.ok("custody", "board")
	if !strings.Contains(board, "overdue: "+withConsent) {
		t.Errorf("no overdue follow-up on the board:\n%s", board)
	}
	id := strings.Fields(strings.TrimPrefix(sent, "recorded "))[0]
	id = strings.TrimSuffix(id, ":")
	c.ok("intervention", "update", id, "--response", "Acknowledged", "--response-date", "2026-11-14", "--outcome", "communication sent to China")
	if list := c.ok("intervention", "list", "--person", withConsent); !strings.Contains(list, "communication sent to China") || strings.Contains(list, "overdue") {
		t.Errorf("list after update:\n%s", list)
	}

	// A new rubric version changes the score, and the old one is kept.
	rub := c.ok("custody", "rubric")
	edited := strings.Replace(rub, `"version": "`+r.Version+`"`, `"version": "test-2"`, 1)
	edited = strings.Replace(edited, fmt.Sprintf(`"code": "intent-south-korea",
        "label": "Intended to reach South Korea",
        "label_ko": "한국행 의도",
        "weight": %d`, f.Weight), `"code": "intent-south-korea",
        "label": "Intended to reach South Korea",
        "label_ko": "한국행 의도",
        "weight": 33`, 1)
	if edited == rub || !strings.Contains(edited, `"weight": 33`) {
		t.Fatalf("could not edit the rubric:\n%s", rub)
	}
	c.ok("custody", "rubric", "--load", c.write("rubric.json", edited), "--version-note", "test")
	if s := c.ok("custody", "score", "--person", withConsent); !strings.Contains(s, "+33  Intended to reach South Korea") || !strings.Contains(s, "rubric test-2") {
		t.Errorf("score with the new rubric:\n%s", s)
	}
	if v1 := c.ok("custody", "rubric", "--version", "1"); !strings.Contains(v1, "test-2") {
		t.Errorf("stored version 1:\n%s", v1)
	}

	// An assessment, printed as a memo.
	c.ok("assess", "add", "--person", withConsent, "--file", c.write("as.json", `{"well_founded_fear": "Returnees are tortured.",
		"persecution": "Torture and forced labour.", "grounds": ["political-opinion"], "state_protection": "None.",
		"sur_place": "Illegal exit is punished.", "conclusion": "Refugee sur place.",
		"facts": [{"text": "Arrested in Shenyang.", "sources": ["`+src+`"]}], "assessor": "analyst1"}`))
	memo := c.ok("assess", "memo", "--person", withConsent)
	if !strings.Contains(memo, "Refugee sur place.") || !strings.Contains(memo, "analyst1") || !strings.Contains(memo, src+": testimony") {
		t.Errorf("memo:\n%s", memo)
	}
	if code, _, _ := c.run("", "assess", "add", "--person", withConsent, "--file", c.write("bad.json", `{"grounds": ["economic"]}`)); code != 1 {
		t.Errorf("bad ground: exit %d", code)
	}

	audit := c.ok("audit", "log", "--limit", "100000")
	for _, want := range []string{"appeal person " + withConsent, "appeal-refused person " + without, "create custody", "read custody " + withConsent, "memo person"} {
		if !strings.Contains(audit, want) {
			t.Errorf("audit lacks %q", want)
		}
	}
}
