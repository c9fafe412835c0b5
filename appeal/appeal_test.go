package appeal

import (
	"bytes"
	"compress/zlib"
	"encoding/xml"
	"errors"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"tumen"
	"tumen/approx"
	"tumen/risk"
)

var update = flag.Bool("update", false, "rewrite the golden files")

var now = time.Date(2026, 11, 29, 9, 0, 0, 0, time.UTC)

// markers are values of the case that must never reach a document.
var markers = []string{"MARKERRELATIVE", "MARKERPHONE", "MARKERNOTES", "MARKERSECRET", "MARKERNOCONSENT", "MARKERUNSOURCED"}

func fixture() *Case {
	given := now.AddDate(0, -1, 0)
	p := &tumen.Person{ID: "P-7", Names: []tumen.Name{
		{Full: "김영희", Family: "김", Given: "영희", System: tumen.NameHangulSouth},
		{Full: "Kim Yong Hui", System: tumen.NameRoman},
		{Full: "金英姬", System: tumen.NameHanja},
	}, BirthDate: approx.MustParse("1994-05"), Sex: tumen.SexFemale, Origin: "Hoeryong", HomePlaceID: "KP-HOE",
		Relatives: []tumen.Relative{{Name: "MARKERRELATIVE", Relation: "mother", InNK: "yes"}},
		Contacts:  []tumen.Contact{{Kind: "phone", Value: "MARKERPHONE"}}, Notes: "MARKERNOTES", Confidentiality: tumen.Confidential}
	c := &Case{
		Person: p,
		Events: []*tumen.Event{
			{ID: "E-7", Title: "Forced repatriation", Date: approx.MustParse("2026-11")},
			{ID: "E-7-1", ParentID: "E-7", Stage: "S2", PlaceID: "CN-SHY", Date: approx.MustParse("2026-11-02"), Narrative: "Arrested by Public Security during an identity check at the bus station."},
			{ID: "E-7-2", ParentID: "E-7", Stage: "S4", PlaceID: "CN-TUM-BDC", Date: approx.MustParse("2026-11-20"), Narrative: "Transferred to the border detention centre with about twenty others."},
			{ID: "E-7-3", ParentID: "E-7", Stage: "S3", PlaceID: "CN-SHY", Date: approx.MustParse("2026-11-05"), Narrative: "MARKERSECRET", Confidentiality: tumen.Secret},
			{ID: "E-7-4", ParentID: "E-7", Stage: "S3", Date: approx.MustParse("2026-11-06"), Narrative: "MARKERNOCONSENT"},
		},
		Acts: []*tumen.Act{
			{ID: "A-7-1", EventID: "E-7-1", VictimID: "P-7", Type: "arrest", Perpetrators: []tumen.Involvement{{OrganisationID: "cn-psb", Degree: "direct"}}},
			{ID: "A-7-2", EventID: "E-7-2", VictimID: "P-7", Type: "detention", Perpetrators: []tumen.Involvement{{OrganisationID: "cn-border-defence", Degree: "direct"}}},
			{ID: "A-7-3", EventID: "E-7-3", VictimID: "P-7", Type: "detention"},
		},
		Sources: []*tumen.Source{
			{ID: "S-7", Kind: "testimony", Organisation: "Hanul Documentation Centre", Reliability: "high", Date: approx.MustParse("2026-11-21"),
				Supports: []tumen.Link{{Kind: "person", ID: "P-7"}, {Kind: "event", ID: "E-7"}, {Kind: "act", ID: "A-7-1"}, {Kind: "act", ID: "A-7-2"}, {Kind: "act", ID: "A-7-3"}}},
			{ID: "S-8", Kind: "phone-call", Supports: []tumen.Link{{Kind: "event", ID: "E-7-4"}}},
		},
		Consents: map[string][]*tumen.Consent{
			"S-7": {{ID: "C-1", SourceID: "S-7", Use: tumen.UseInternal, Given: given}, {ID: "C-2", SourceID: "S-7", Use: tumen.UseUNNamed, Given: given}},
			"S-8": {{ID: "C-3", SourceID: "S-8", Use: tumen.UseInternal, Given: given}},
		},
		Custody: []*tumen.CustodyChange{
			{ID: "K-1", PersonID: "P-7", Status: tumen.CustodyArrested, Date: approx.MustParse("2026-11-02"), PlaceID: "CN-SHY", SourceID: "S-7"},
			{ID: "K-2", PersonID: "P-7", Status: tumen.CustodyDetained, Date: approx.MustParse("2026-11-06"), SourceID: "S-8", Note: "MARKERNOCONSENT"},
			{ID: "K-3", PersonID: "P-7", Status: tumen.CustodyBorderDetention, Date: approx.MustParse("2026-11-20"), PlaceID: "CN-TUM-BDC", SourceID: "S-7", Note: "MARKERNOTES"},
		},
		Interventions: []*tumen.Intervention{{ID: "I-1", VictimID: "P-7", Kind: "embassy-contact", To: "Consulate General of the Republic of Korea, Shenyang", Date: approx.MustParse("2026-11-03")}},
		Places: map[string]*tumen.Place{
			"CN-SHY":     {ID: "CN-SHY", NameEN: "Shenyang", NameKO: "선양", Country: "CN"},
			"CN-TUM-BDC": {ID: "CN-TUM-BDC", NameEN: "Tumen border defence detention centre", NameKO: "투먼 변방구류심사소", Country: "CN", FacilityType: "cn-border-detention", AgencyID: "cn-border-defence"},
			"KP-HOE":     {ID: "KP-HOE", NameEN: "Hoeryong", NameKO: "회령", Country: "KP"},
		},
		Organisations: map[string]*tumen.Organisation{
			"cn-psb":            {ID: "cn-psb", NameEN: "Public Security Bureau", NameKO: "공안국"},
			"cn-border-defence": {ID: "cn-border-defence", NameEN: "Border defence (border police)", NameKO: "변방대"},
		},
	}
	r := risk.Default()
	sc := r.Score(r.Gather(risk.Inputs{Person: p, Latest: c.Custody[2], Place: c.Places["CN-TUM-BDC"], Now: now,
		RiskFacts: []*tumen.RiskFact{
			{Code: "intent-south-korea", SourceID: "S-7", Created: given},
			{Code: "pregnant", SourceID: "S-8", Created: given, Note: "MARKERNOCONSENT"}, // source without UN consent
			{Code: "contact-church", Created: given, Note: "MARKERUNSOURCED"},            // no source at all
		},
		Border: &tumen.BorderState{Open: true, Since: approx.MustParse("2023-08")}}))
	c.Score = &sc
	return c
}

func options(m Mechanism) Options {
	return Options{Mechanism: m, Now: now,
		Submitter:  Submitter{Organisation: "Hanul Documentation Centre", Name: "Urgent response desk", Email: "urgent@example.org", Relation: "NGO documenting the case"},
		Access:     "No family member, lawyer or doctor has been allowed to see her since the arrest.",
		LegalBasis: "None was given to the family. Chinese practice treats North Koreans as illegal migrants under the Exit and Entry Administration Law and returns them under the 1986 border protocol with the DPRK.",
		Arbitrary:  "Category II: she is detained for exercising the right to leave any country, including her own (UDHR art. 13(2), ICCPR art. 12(2)). Category IV: she has had no access to UNHCR or to any procedure to claim asylum.",
		Steps:      "The family asked the local police station in Shenyang on 4 November 2026 and were told nothing.",
	}
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (go test -update to accept):\n%s", name, got)
	}
}

func TestGolden(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		opt  func(o *Options)
	}{
		{"sp", nil},
		{"sp-joint", func(o *Options) { o.Joint = true }},
		{"wgeid", nil},
		{"wgad", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, _, _ := strings.Cut(tc.name, "-")
			o := options(Mechanism(m))
			if tc.opt != nil {
				tc.opt(&o)
			}
			d, err := Prepare(fixture(), o)
			if err != nil {
				t.Fatal(err)
			}
			var txt, page bytes.Buffer
			if err := d.Text(&txt); err != nil {
				t.Fatal(err)
			}
			if err := d.HTML(&page); err != nil {
				t.Fatal(err)
			}
			golden(t, tc.name+".txt.golden", txt.Bytes())
			golden(t, tc.name+".html.golden", page.Bytes())
			checkHTML(t, page.Bytes())
			for _, out := range []string{txt.String(), page.String()} {
				for _, m := range markers {
					if strings.Contains(out, m) {
						t.Errorf("the document holds %q", m)
					}
				}
				if !strings.Contains(out, "김영희") || !strings.Contains(out, "Kim Yong Hui") {
					t.Error("the document lacks the person's name")
				}
			}
			// The left-out list explains the gaps to the sender.
			left := strings.Join(d.LeftOut, "\n")
			for _, want := range []string{"source S-8: no standing consent", "event E-7-3: marked secret", "custody change K-2: no consented source"} {
				if !strings.Contains(left, want) {
					t.Errorf("left out lacks %q:\n%s", want, left)
				}
			}
		})
	}
}

// checkHTML parses the page and checks its shape.
func checkHTML(t *testing.T, page []byte) {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(bytes.TrimPrefix(page, []byte("<!DOCTYPE html>"))))
	dec.Strict = false
	dec.AutoClose = xml.HTMLAutoClose
	dec.Entity = xml.HTMLEntity
	count := map[string]int{}
	for {
		tok, err := dec.Token()
		if err != nil {
			break
		}
		if se, ok := tok.(xml.StartElement); ok {
			count[se.Name.Local]++
		}
	}
	for _, tag := range []string{"script", "link", "img", "iframe"} {
		if count[tag] > 0 {
			t.Errorf("the page loads something: <%s>", tag)
		}
	}
	if count["h1"] != 1 || count["h2"] < 5 || count["dt"] < 5 || count["body"] != 1 {
		t.Errorf("page shape: %v", count)
	}
}

func TestPDF(t *testing.T) {
	t.Parallel()
	d, err := Prepare(fixture(), options(SP))
	if err != nil {
		t.Fatal(err)
	}
	var a, b bytes.Buffer
	if err := d.PDF(&a); err != nil {
		t.Fatal(err)
	}
	if err := d.PDF(&b); err != nil {
		t.Fatal(err)
	}
	pdf := a.Bytes()
	// APPEAL_PDF_OUT=FILE keeps the PDF, to render it and look.
	if out := os.Getenv("APPEAL_PDF_OUT"); out != "" {
		if err := os.WriteFile(out, pdf, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if !bytes.HasPrefix(pdf, []byte("%PDF-")) || !bytes.Contains(pdf, []byte("/FontFile2")) {
		t.Fatal("not a PDF with an embedded TrueType font")
	}
	// The page draws the name's Hangul as code points (Identity-H with
	// CID = Unicode), and the embedded font maps each of them to a glyph:
	// the name shows as Korean, not as empty boxes.
	name := []byte{0xAE, 0x40, 0xC6, 0x01, 0xD7, 0x6C} // 김영희 in UTF-16BE
	var drawn, mapped bool
	for _, st := range pdfStreams(t, pdf) {
		if bytes.Contains(st, name) {
			drawn = true
		}
		if len(st) == 2*65536 { // the CIDToGIDMap: a glyph id per code point
			mapped = true
			for _, cp := range []int{0xAE40, 0xC601, 0xD76C, 0x91D1} { // 김 영 희 金
				if st[2*cp] == 0 && st[2*cp+1] == 0 {
					t.Errorf("U+%04X has no glyph in the embedded font", cp)
				}
			}
		}
	}
	if !drawn || !mapped {
		t.Errorf("Korean name drawn %v, glyph map found %v", drawn, mapped)
	}
	if len(pdf) > 400_000 {
		t.Errorf("PDF of %d bytes: the font is not subset", len(pdf))
	}
	if !bytes.Equal(pdf, b.Bytes()) {
		t.Error("the same document gives different PDFs")
	}
}

func TestRefusals(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name    string
		m       Mechanism
		change  func(c *Case, o *Options)
		consent string
		missing []string
	}{
		{"no UN consent", SP, func(c *Case, o *Options) {
			c.Consents["S-7"] = c.Consents["S-7"][:1]
		}, "no source of this person has a standing consent", nil},
		{"consent revoked", WGEID, func(c *Case, o *Options) {
			c.Consents["S-7"][1].Revoked = now.Add(-time.Hour)
		}, "no source of this person has a standing consent", nil},
		{"consent given later", WGAD, func(c *Case, o *Options) {
			c.Consents["S-7"][1].Given = now.Add(time.Hour)
		}, "no source of this person has a standing consent", nil},
		{"anonymous only, WGEID", WGEID, func(c *Case, o *Options) {
			c.Consents["S-7"][1].Use = tumen.UseUNAnonymous
		}, "covers only anonymous UN submission", nil},
		{"no submitter", SP, func(c *Case, o *Options) { o.Submitter = Submitter{} }, "",
			[]string{"who submits", "how to reach the submitter"}},
		{"joint without access", SP, func(c *Case, o *Options) { o.Joint, o.Access = true, "" }, "", []string{"whether family, a lawyer or a doctor has had access"}},
		{"no custody", SP, func(c *Case, o *Options) { c.Custody = nil; c.Score = nil }, "", []string{"current custody status"}},
		{"WGEID six elements", WGEID, func(c *Case, o *Options) {
			c.Custody, c.Events, c.Acts, c.Interventions, o.Steps, o.Submitter = nil, nil, nil, nil, "", Submitter{}
			c.Person.Names = nil
		}, "", []string{"1. full name", "2. date of the disappearance", "3. place of the arrest", "4. the State forces", "5. steps taken", "who submits", "how to reach"}},
		{"WGEID year only", WGEID, func(c *Case, o *Options) {
			c.Custody[0].Date = approx.MustParse("2026")
		}, "", []string{`the records say only "2026"`}},
		{"WGAD reasons", WGAD, func(c *Case, o *Options) { o.LegalBasis, o.Arbitrary = "", "" }, "", []string{"legal basis", "why the detention is arbitrary"}},
		{"WGAD at liberty", WGAD, func(c *Case, o *Options) {
			c.Custody = append(c.Custody, &tumen.CustodyChange{ID: "K-4", Status: tumen.CustodySafe, Date: approx.MustParse("2026-11-28"), SourceID: "S-7"})
		}, "", []string{"detention: a current custody status"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, o := fixture(), options(tc.m)
			tc.change(c, &o)
			d, err := Prepare(c, o)
			var ref *Refusal
			if !errors.As(err, &ref) || d != nil {
				t.Fatalf("not refused: %v", err)
			}
			msg := ref.Error()
			if tc.consent != "" && (len(ref.Consent) != 1 || !strings.Contains(ref.Consent[0], tc.consent)) {
				t.Errorf("consent: %q", ref.Consent)
			}
			if len(ref.Missing) != len(tc.missing) {
				t.Errorf("missing %d, want %d:\n%s", len(ref.Missing), len(tc.missing), msg)
			}
			for i, m := range tc.missing {
				if i < len(ref.Missing) && !strings.Contains(ref.Missing[i], m) {
					t.Errorf("missing[%d] = %q, want %q", i, ref.Missing[i], m)
				}
			}
			for _, n := range []string{"김영희", "Kim Yong Hui", "MARKER"} {
				if strings.Contains(msg, n) {
					t.Errorf("the refusal names %q", n)
				}
			}
		})
	}
}

func TestAnonymousSP(t *testing.T) {
	t.Parallel()
	c := fixture()
	c.Consents["S-7"][1].Use = tumen.UseUNAnonymous
	d, err := Prepare(c, options(SP))
	if err != nil {
		t.Fatal(err)
	}
	var txt bytes.Buffer
	if err := d.Text(&txt); err != nil {
		t.Fatal(err)
	}
	golden(t, "sp-anonymous.txt.golden", txt.Bytes())
	for _, n := range []string{"김영희", "Kim Yong Hui", "金英姬", "김 / 영희", "bus station"} {
		if strings.Contains(txt.String(), n) {
			t.Errorf("the anonymous appeal names %q", n)
		}
	}
	if d.Named || !strings.Contains(txt.String(), "name withheld") {
		t.Error("the anonymous appeal does not say the name is withheld")
	}
}

func TestWithhold(t *testing.T) {
	t.Parallel()
	o := options(SP)
	o.Withhold = []string{FieldBirthDate, FieldOrigin, FieldHanja, FieldNarrative, FieldRiskFacts, FieldSources}
	d, err := Prepare(fixture(), o)
	if err != nil {
		t.Fatal(err)
	}
	var txt bytes.Buffer
	if err := d.Text(&txt); err != nil {
		t.Fatal(err)
	}
	for _, n := range []string{"1994-05", "Hoeryong", "金英姬", "bus station", "Intended to reach South Korea", "Hanul Documentation Centre, 2026", "testimony documented"} {
		if strings.Contains(txt.String(), n) {
			t.Errorf("withheld %q is in the document", n)
		}
	}
	o.Withhold = []string{"contacts"}
	if _, err := Prepare(fixture(), o); tumen.ErrorKind(err) != tumen.KindInvalid {
		t.Errorf("unknown field: %v", err)
	}
}

func TestMemo(t *testing.T) {
	t.Parallel()
	c := fixture()
	a := &tumen.Assessment{ID: "AS-1", PersonID: "P-7",
		WellFoundedFear: "She fears torture and imprisonment on return; returnees from China are interrogated and punished.",
		Persecution:     "Torture during interrogation, forced labour, and forced abortion if pregnant.",
		Grounds:         []string{tumen.GroundPolitical}, GroundsReasoning: "Leaving the country and contact with South Koreans are treated as political disloyalty.",
		StateProtection: "The persecutor is the State; China returns rather than protects.",
		SurPlace:        "Illegal exit is punished on return whatever her reason for leaving.",
		Conclusion:      "She is a refugee sur place; her return would breach article 33.",
		Facts:           []tumen.AssessedFact{{Text: "Arrested in Shenyang on 2 November 2026.", SourceIDs: []string{"S-7"}}, {Text: "Intends to reach South Korea."}},
		Assessor:        "analyst1", Date: time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)}
	d := Memo(a, c.Person, map[string]*tumen.Source{"S-7": c.Sources[0]})
	var txt bytes.Buffer
	if err := d.Text(&txt); err != nil {
		t.Fatal(err)
	}
	golden(t, "memo.txt.golden", txt.Bytes())
	var pdf bytes.Buffer
	if err := d.PDF(&pdf); err != nil || !bytes.HasPrefix(pdf.Bytes(), []byte("%PDF-")) {
		t.Fatalf("memo PDF: %v", err)
	}
}

// pdfStreams returns the PDF's streams, inflated where they are
// compressed.
func pdfStreams(t *testing.T, pdf []byte) [][]byte {
	t.Helper()
	var out [][]byte
	rest := pdf
	for {
		i := bytes.Index(rest, []byte("stream\n"))
		if i < 0 {
			return out
		}
		rest = rest[i+len("stream\n"):]
		j := bytes.Index(rest, []byte("endstream"))
		if j < 0 {
			return out
		}
		raw := rest[:j]
		rest = rest[j+len("endstream"):]
		if r, err := zlib.NewReader(bytes.NewReader(raw)); err == nil {
			if b, err := io.ReadAll(r); err == nil {
				raw = b
			}
		}
		out = append(out, raw)
	}
}
