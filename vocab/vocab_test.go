package vocab

import (
	"io/fs"
	"path"
	"slices"
	"strings"
	"testing"

	"tumen"
)

// load loads the embedded data once per test; Load is cheap and each test
// gets its own copy, so tests stay independent when run in parallel.
func load(t *testing.T) *Data {
	t.Helper()
	d, err := Load()
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return d
}

func TestLoad(t *testing.T) {
	t.Parallel()
	d := load(t)
	if len(d.Places) == 0 || len(d.Organisations) == 0 {
		t.Fatalf("Load: %d places, %d organisations", len(d.Places), len(d.Organisations))
	}
	for _, v := range Vocabularies() {
		if n := len(d.Vocab(v)); n == 0 {
			t.Errorf("vocabulary %s is empty", v)
		} else {
			t.Logf("%-18s %3d terms", v, n)
		}
	}
	t.Logf("places %d, organisations %d", len(d.Places), len(d.Organisations))
}

// Every CSV file in data/ must be read by Load: a file added without being
// wired in would look shipped and never be used.
func TestEveryFileLoaded(t *testing.T) {
	t.Parallel()
	names, err := fs.Glob(files, "data/*.csv")
	if err != nil {
		t.Fatal(err)
	}
	known := map[string]bool{placesFile: true, organisationsFile: true}
	for _, vf := range vocabFiles {
		known[vf.file] = true
	}
	for _, n := range names {
		if !known[path.Base(n)] {
			t.Errorf("data/%s is embedded but not loaded", path.Base(n))
		}
	}
}

func TestTermLabels(t *testing.T) {
	t.Parallel()
	d := load(t)
	for _, v := range Vocabularies() {
		t.Run(v, func(t *testing.T) {
			t.Parallel()
			seen := map[string]bool{}
			for _, term := range d.Vocab(v) {
				if strings.TrimSpace(term.LabelEN) == "" || strings.TrimSpace(term.LabelKO) == "" {
					t.Errorf("%s/%s: missing label (en %q, ko %q)", v, term.Code, term.LabelEN, term.LabelKO)
				}
				if !containsHangul(term.LabelKO) {
					t.Errorf("%s/%s: Korean label %q has no Hangul", v, term.Code, term.LabelKO)
				}
				if seen[term.Code] {
					t.Errorf("%s/%s: code used twice", v, term.Code)
				}
				seen[term.Code] = true
				if got, ok := d.Term(v, term.Code); !ok || got.LabelEN != term.LabelEN {
					t.Errorf("Term(%s, %s) = %v, %v", v, term.Code, got, ok)
				}
			}
		})
	}
}

func containsHangul(s string) bool {
	for _, r := range s {
		if r >= 0xAC00 && r <= 0xD7A3 {
			return true
		}
	}
	return false
}

// The codes other packages rely on must be present; consent uses must be
// exactly the six of the model, since exports check consent against them.
func TestRequiredCodes(t *testing.T) {
	t.Parallel()
	d := load(t)
	tests := []struct {
		vocab string
		codes []string
		exact bool
	}{
		{tumen.VocabStage, []string{"S0", "S1", "S2", "S3", "S4", "S5", "S6", "S7", "S8", "S9"}, true},
		{tumen.VocabConsentUse, []string{tumen.UseInternal, tumen.UsePartner, tumen.UseUNNamed, tumen.UseUNAnonymous, tumen.UsePublishAnon, tumen.UsePublishNamed}, true},
		{VocabCustodyStatus, []string{"at-liberty-cn", "arrested", "detained-cn", "border-detention", "handed-over", "nk-custody", "released", "sentenced", "disappeared", "dead", "safe"}, true},
		{tumen.VocabReliability, []string{"high", "medium", "low", "unknown"}, false},
		{tumen.VocabInvolvement, []string{"direct", "ordered", "assisted", "failed-to-act", "unknown"}, false},
		{tumen.VocabSourceKind, []string{"testimony", "interview", "document", "court-record", "news-article", "partner-list", "report", "photo", "video", "social-media"}, false},
		{tumen.VocabRelation, []string{"mother", "father", "sister", "brother", "spouse", "son", "daughter", "child", "grandparent", "grandchild", "in-law", "other"}, false},
		{tumen.VocabIntervention, []string{"urgent-appeal", "wgeid-communication", "wgad-petition", "letter", "embassy-contact", "media", "other"}, false},
		{tumen.VocabActType, []string{"arrest", "detention", "refoulement", "torture", "forced-abortion", "disappearance", "death-in-custody"}, false},
		{tumen.VocabFacilityType, []string{"kuryujang", "jipkyulso", "rodong-danryondae", "rodong-kyoyangso", "kyohwaso", "kwalliso", "cn-detention-centre", "cn-border-detention"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.vocab, func(t *testing.T) {
			t.Parallel()
			for _, c := range tt.codes {
				if _, ok := d.Term(tt.vocab, c); !ok {
					t.Errorf("%s: missing code %q", tt.vocab, c)
				}
			}
			if tt.exact {
				if n := len(d.Vocab(tt.vocab)); n != len(tt.codes) {
					t.Errorf("%s: %d terms, want exactly %d", tt.vocab, n, len(tt.codes))
				}
			}
		})
	}
}

// Extra columns that hold codes of another vocabulary or of organisations
// must point at something that exists.
func TestTermReferences(t *testing.T) {
	t.Parallel()
	d := load(t)
	tests := []struct {
		vocab, column string
		exists        func(code string) bool
	}{
		{tumen.VocabActType, "stage_hint", func(c string) bool { _, ok := d.Term(tumen.VocabStage, c); return ok }},
		{VocabCustodyStatus, "stage_hint", func(c string) bool { _, ok := d.Term(tumen.VocabStage, c); return ok }},
		{tumen.VocabFacilityType, "stage_hint", func(c string) bool { _, ok := d.Term(tumen.VocabStage, c); return ok }},
		{tumen.VocabStage, "facility_types", func(c string) bool { _, ok := d.Term(tumen.VocabFacilityType, c); return ok }},
		{tumen.VocabFacilityType, "agencies", func(c string) bool { _, ok := d.Organisation(c); return ok }},
		{tumen.VocabRelation, "inverse", func(c string) bool { _, ok := d.Term(tumen.VocabRelation, c); return ok }},
	}
	for _, tt := range tests {
		t.Run(tt.vocab+"/"+tt.column, func(t *testing.T) {
			t.Parallel()
			used := 0
			for _, term := range d.Vocab(tt.vocab) {
				for _, c := range splitList(term.Extra[tt.column]) {
					used++
					if !tt.exists(c) {
						t.Errorf("%s/%s: %s %q does not exist", tt.vocab, term.Code, tt.column, c)
					}
				}
			}
			if used == 0 {
				t.Errorf("%s: column %s is never filled (renamed?)", tt.vocab, tt.column)
			}
		})
	}
}

func TestPlaces(t *testing.T) {
	t.Parallel()
	d := load(t)
	kinds := map[string]bool{}
	for _, v := range []string{VocabPlaceKind, tumen.VocabFacilityType} {
		for _, term := range d.Vocab(v) {
			kinds[term.Code] = true
		}
	}
	for _, p := range d.Places {
		if !containsHangul(p.NameKO) {
			t.Errorf("%s: Korean name %q", p.ID, p.NameKO)
		}
		if len(p.Kinds) == 0 {
			t.Errorf("%s: no kinds", p.ID)
		}
		for _, k := range p.Kinds {
			if !kinds[k] {
				t.Errorf("%s: kind %q is neither a place kind nor a facility type", p.ID, k)
			}
		}
		if p.Country == "" {
			t.Errorf("%s: no country", p.ID)
		}
		if p.ParentID == "" && !slices.Contains(p.Kinds, "country") {
			t.Errorf("%s: only countries may have no parent", p.ID)
		}
		if p.ParentID != "" {
			parent, ok := d.Place(p.ParentID)
			if !ok {
				t.Errorf("%s: parent %q does not exist", p.ID, p.ParentID)
			} else if parent.Country != p.Country {
				t.Errorf("%s: country %s but parent %s is in %s", p.ID, p.Country, parent.ID, parent.Country)
			}
		}
		if p.Province != "" {
			prov, ok := d.Place(p.Province)
			switch {
			case !ok:
				t.Errorf("%s: province %q does not exist", p.ID, p.Province)
			case !slices.Contains(prov.Kinds, "province"):
				t.Errorf("%s: province %s is not of kind province", p.ID, prov.ID)
			case !slices.Contains(d.Descendants(prov.ID), p.ID):
				t.Errorf("%s: not under its province %s in the hierarchy", p.ID, prov.ID)
			}
		}
		if p.FacilityType != "" {
			if _, ok := d.Term(tumen.VocabFacilityType, p.FacilityType); !ok {
				t.Errorf("%s: facility_type %q does not exist", p.ID, p.FacilityType)
			}
			if !slices.Contains(p.Kinds, p.FacilityType) {
				t.Errorf("%s: facility_type %s missing from kinds", p.ID, p.FacilityType)
			}
		}
		if p.AgencyID != "" {
			if _, ok := d.Organisation(p.AgencyID); !ok {
				t.Errorf("%s: agency %q does not exist", p.ID, p.AgencyID)
			}
		}
		if !slices.Contains(CoordBases, p.CoordBasis) {
			t.Errorf("%s: coord_basis %q", p.ID, p.CoordBasis)
		}
	}
}

func TestCrossingPairs(t *testing.T) {
	t.Parallel()
	d := load(t)
	pairs := 0
	for _, p := range d.Places {
		if p.CrossingPair == "" {
			continue
		}
		pairs++
		q, ok := d.Place(p.CrossingPair)
		if !ok {
			t.Errorf("%s: crossing_pair %q does not exist", p.ID, p.CrossingPair)
			continue
		}
		if q.CrossingPair != p.ID {
			t.Errorf("%s pairs with %s, but %s pairs with %q", p.ID, q.ID, q.ID, q.CrossingPair)
		}
		if q.Country == p.Country {
			t.Errorf("%s and its pair %s are both in %s", p.ID, q.ID, p.Country)
		}
		if !slices.Contains(p.Kinds, "crossing") {
			t.Errorf("%s has a crossing pair but not the kind crossing", p.ID)
		}
	}
	if pairs == 0 {
		t.Error("no crossing pairs")
	}
}

// Coordinates in the border provinces must fall in the border region: a
// swapped lat/lon or a dropped minus sign shows up here.
func TestCoordinatesInRegion(t *testing.T) {
	t.Parallel()
	d := load(t)
	for _, root := range []string{"KP", "CN-JL", "CN-LN"} {
		ids := d.Descendants(root)
		if len(ids) < 2 {
			t.Errorf("Descendants(%s) = %v", root, ids)
		}
		for _, id := range ids {
			p, _ := d.Place(id)
			if p.Lat == nil {
				continue
			}
			if *p.Lat < 37.5 || *p.Lat > 44 || *p.Lon < 123 || *p.Lon > 131 {
				t.Errorf("%s (%s): %.4f, %.4f is outside the border region", p.ID, root, *p.Lat, *p.Lon)
			}
		}
	}
}

func TestNoParentCycles(t *testing.T) {
	t.Parallel()
	d := load(t)
	for _, p := range d.Places {
		seen := map[string]bool{}
		for id := p.ID; id != ""; {
			if seen[id] {
				t.Errorf("place %s: parent cycle through %s", p.ID, id)
				break
			}
			seen[id] = true
			q, _ := d.Place(id)
			id = q.ParentID
		}
	}
	for _, o := range d.Organisations {
		seen := map[string]bool{}
		for id := o.ID; id != ""; {
			if seen[id] {
				t.Errorf("organisation %s: parent cycle through %s", o.ID, id)
				break
			}
			seen[id] = true
			q, _ := d.Organisation(id)
			id = q.ParentID
		}
	}
}

func TestOrganisations(t *testing.T) {
	t.Parallel()
	d := load(t)
	for _, o := range d.Organisations {
		if !containsHangul(o.NameKO) {
			t.Errorf("%s: Korean name %q", o.ID, o.NameKO)
		}
		if o.Country == "" {
			t.Errorf("%s: no country", o.ID)
		}
		if o.ParentID != "" {
			parent, ok := d.Organisation(o.ParentID)
			if !ok {
				t.Errorf("%s: parent %q does not exist", o.ID, o.ParentID)
			} else if parent.Country != o.Country {
				t.Errorf("%s: country %s but parent %s is in %s", o.ID, o.Country, parent.ID, parent.Country)
			}
		}
	}
}

// Every name and variant must lead to one place only, or FindPlace would
// give up on it.
func TestNameKeysUnambiguous(t *testing.T) {
	t.Parallel()
	d := load(t)
	owner := map[string]string{}
	for _, p := range d.Places {
		names := append([]string{p.ID, p.NameEN, p.NameKO, p.NameZH}, p.Variants...)
		for _, n := range names {
			k := normalize(n)
			if k == "" {
				continue
			}
			if o, ok := owner[k]; ok && o != p.ID {
				t.Errorf("name %q of %s also names %s", n, p.ID, o)
			}
			owner[k] = p.ID
		}
		for _, n := range names {
			if n == "" {
				continue
			}
			if got, ok := d.FindPlace(n); !ok || got.ID != p.ID {
				t.Errorf("FindPlace(%q) = %s, %v; want %s", n, got.ID, ok, p.ID)
			}
		}
	}
}

func TestFindPlace(t *testing.T) {
	t.Parallel()
	d := load(t)
	tests := []struct {
		name, want string // want "" for no match
	}{
		{"Onsŏng", "KP-ONS"},
		{"온성", "KP-ONS"},
		{"穩城", "KP-ONS"},
		{"onsong", "KP-ONS"},
		{"ONSONG", "KP-ONS"},
		{"KP-ONS", "KP-ONS"},
		{"kp ons", "KP-ONS"},
		{"Onsong County", "KP-ONS"},
		{"온성군", "KP-ONS"},
		{"\u110b\u1169\u11ab\u1109\u1165\u11bc", "KP-ONS"}, // 온성 decomposed (NFD)
		{"  Ch'ŏngjin ", "KP-CHJ"},
		{"Chʼŏngjin", "KP-CHJ"}, // modifier-letter apostrophe
		{"Cheongjin", "KP-CHJ"},
		{"청진시", "KP-CHJ"},
		{"Sinŭiju", "KP-SIN"},
		{"Shinuiju", "KP-SIN"},
		{"Hoeryŏng", "KP-HOE"},
		{"회령시", "KP-HOE"},
		{"Tumen", "CN-TUM"},
		{"图们", "CN-TUM"},
		{"图们市", "CN-TUM"},
		{"도문", "CN-TUM"},
		{"Tumen City", "CN-TUM"},
		{"Ji'an", "CN-JIA"},
		{"Jian", "CN-JIA"},
		{"集安", "CN-JIA"},
		{"연길", "CN-YAN"},
		{"Yanji city", "CN-YAN"},
		{"Ｙａｎｊｉ", "CN-YAN"}, // full-width
		{"Shěnyáng", "CN-SHY"},
		{"심양", "CN-SHY"},
		{"Mukden", "CN-SHY"},
		{"단동", "CN-DAN"},
		{"North Hamgyong", "KP-NHG"},
		{"Hamgyŏng-pukto", "KP-NHG"},
		{"함경북도", "KP-NHG"},
		{"량강도", "KP-RYG"},
		{"吉林省", "CN-JL"},
		{"길림성", "CN-JL"},
		{"연변", "CN-YB"},
		{"Nongpo", "KP-NONGPO"},
		{"Chongori", "KP-KHS12"},
		{"Jŏngŏ-ri", "KP-KHS12"},
		{"Musan-ŭp", "KP-MUS"},
		{"무산군", "KP-MUS"},
		{"Tumen border detention", "CN-TUM-BDC"},
		{"", ""},
		{"   ", ""},
		{"Atlantis", ""},
		{"시", ""},
		{"군", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, ok := d.FindPlace(tt.name)
			if tt.want == "" {
				if ok {
					t.Errorf("FindPlace(%q) = %s, want no match", tt.name, got.ID)
				}
				return
			}
			if !ok || got.ID != tt.want {
				t.Errorf("FindPlace(%q) = %q, %v; want %s", tt.name, got.ID, ok, tt.want)
			}
		})
	}
}

// A name shared by two places at the same tier must find neither.
func TestFindPlaceAmbiguous(t *testing.T) {
	t.Parallel()
	d := &Data{Places: []tumen.Place{
		{ID: "A", NameEN: "Alpha", Variants: []string{"Shared"}},
		{ID: "B", NameEN: "Beta", Variants: []string{"Shared"}},
		{ID: "C", NameEN: "Shared Town"},
		{ID: "D", NameEN: "Delta", Variants: []string{"Alpha"}},
	}}
	if p, ok := d.FindPlace("shared"); ok {
		t.Errorf("FindPlace(shared) = %s, want no match", p.ID)
	}
	if p, ok := d.FindPlace("Alpha"); !ok || p.ID != "A" {
		t.Errorf("FindPlace(Alpha) = %s, %v; want A (a name beats a variant)", p.ID, ok)
	}
	if p, ok := d.FindPlace("Shared Town"); !ok || p.ID != "C" {
		t.Errorf("FindPlace(Shared Town) = %s, %v; want C", p.ID, ok)
	}
}

func TestDescendants(t *testing.T) {
	t.Parallel()
	d := load(t)
	tests := []struct {
		id       string
		contains []string
		excludes []string
	}{
		{"KP-NHG", []string{"KP-NHG", "KP-ONS", "KP-NAM", "KP-JONGSONG", "KP-CHJ", "KP-NONGPO", "KP-KHS12"}, []string{"KP-HYE", "CN-TUM", "KP"}},
		{"KP-ONS", []string{"KP-ONS", "KP-NAM", "KP-SAMBONG", "KP-ONS-MSS"}, []string{"KP-NHG", "KP-HOE"}},
		{"CN-JL", []string{"CN-YB", "CN-TUM", "CN-TUM-BDC", "CN-NANP", "CN-JIA"}, []string{"CN-DAN", "CN-SHY"}},
		{"CN", []string{"CN-DAN-BDC", "CN-KUN"}, []string{"KP-SIN"}},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			t.Parallel()
			got := d.Descendants(tt.id)
			if len(got) == 0 || got[0] != tt.id {
				t.Fatalf("Descendants(%s) = %v, want it to start with the place itself", tt.id, got)
			}
			for _, c := range tt.contains {
				if !slices.Contains(got, c) {
					t.Errorf("Descendants(%s) lacks %s", tt.id, c)
				}
			}
			for _, c := range tt.excludes {
				if slices.Contains(got, c) {
					t.Errorf("Descendants(%s) has %s", tt.id, c)
				}
			}
		})
	}
	if got := d.Descendants("NOWHERE"); got != nil {
		t.Errorf("Descendants(NOWHERE) = %v, want nil", got)
	}
}

// A cycle in hand-edited data must not hang Descendants.
func TestDescendantsCycle(t *testing.T) {
	t.Parallel()
	d := &Data{Places: []tumen.Place{{ID: "A", ParentID: "B"}, {ID: "B", ParentID: "A"}}}
	if got := d.Descendants("A"); !slices.Equal(got, []string{"A", "B"}) {
		t.Errorf("Descendants(A) = %v", got)
	}
}

func TestTermExtra(t *testing.T) {
	t.Parallel()
	d := load(t)
	torture, ok := d.Term(tumen.VocabActType, "torture")
	if !ok {
		t.Fatal("no act type torture")
	}
	if torture.Vocab != tumen.VocabActType || torture.Extra["huridocs_ref"] != "020111110000" || torture.Extra["stage_hint"] != "S6" {
		t.Errorf("torture = %+v", torture)
	}
	if _, ok := torture.Extra["label_en"]; ok {
		t.Error("label_en went into Extra")
	}
	if _, ok := d.Term(tumen.VocabActType, "S6"); ok {
		t.Error("Term found a stage code in the act-type vocabulary")
	}
	if v := d.Vocab("no-such-vocab"); v != nil {
		t.Errorf("Vocab(no-such-vocab) = %v", v)
	}
	ons, _ := d.Place("KP-ONS")
	if ons.Lat == nil || ons.Lon == nil || *ons.Lat < 42 || *ons.Lon < 129 {
		t.Errorf("KP-ONS coordinates %v %v", ons.Lat, ons.Lon)
	}
	bdc, _ := d.Place("CN-TUM-BDC")
	if bdc.Lat != nil || bdc.CoordBasis != CoordUnknown {
		t.Errorf("CN-TUM-BDC: lat %v basis %q; its position is not known", bdc.Lat, bdc.CoordBasis)
	}
	if len(ons.Variants) < 3 || !slices.Contains(ons.Kinds, "county-town") {
		t.Errorf("KP-ONS variants %q kinds %q", ons.Variants, ons.Kinds)
	}
}

// Malformed input is an error that names the file and the line to fix.
func TestMalformed(t *testing.T) {
	t.Parallel()
	const termHead = "code,label_en,label_ko,note\n"
	const placeHead = "id,name_en,name_ko,lat,lon,coord_basis\n"
	const orgHead = "id,name_en,name_ko,valid_from,valid_to\n"
	tests := []struct {
		name, kind, input, want string
	}{
		{"empty file", "terms", "", "t.csv: empty file"},
		{"missing label column", "terms", "code,label_en\nx,X\n", "line 1: missing column \"label_ko\""},
		{"duplicate column", "terms", "code,label_en,label_ko,code\n", "line 1: column \"code\" appears twice"},
		{"too many fields", "terms", termHead + "a,A,가,\nb,B,나,n,extra\n", "t.csv line 3: wrong number of fields"},
		{"too few fields", "terms", termHead + "a,A,가\n", "t.csv line 2: wrong number of fields"},
		{"bare quote", "terms", termHead + "a,A,가,x\"y\n", "t.csv line 2:"},
		{"empty code", "terms", termHead + "a,A,가,\n,B,나,\n", "t.csv line 3: code \"\""},
		{"space in code", "terms", termHead + "a b,A,가,\n", "t.csv line 2: code \"a b\""},
		{"no korean label", "terms", termHead + "a,A,가,\nb,B,,\n", "t.csv line 3: term \"b\" needs both"},
		{"duplicate code", "terms", termHead + "a,A,가,\n\nb,B,나,\na,C,다,\n", "t.csv line 5: code \"a\" already used on line 2"},
		{"quoted newline counts lines", "terms", termHead + "a,A,가,\"two\nlines\"\n,B,나,\n", "t.csv line 4:"},
		{"unknown place column", "places", "id,name_en,nmae_ko\n", "line 1: unknown column \"nmae_ko\""},
		{"place without name", "places", placeHead + "P1,,가,,,unknown\n", "t.csv line 2: place P1 has no name_en"},
		{"lat without lon", "places", placeHead + "P1,One,가,42.1,,settlement_point\n", "t.csv line 2: place P1 has only one of lat and lon"},
		{"coordinate with unknown basis", "places", placeHead + "P1,One,가,42.1,130,unknown\n", "t.csv line 2: place P1 has a coordinate"},
		{"unparsable lat", "places", placeHead + "P2,Two,나,north,130,approximate\n", "t.csv line 2: place P2: lat \"north\""},
		{"lat out of range", "places", placeHead + "P2,Two,나,142,130,approximate\n", "lat \"142\": out of range"},
		{"basis without coordinate", "places", placeHead + "P2,Two,나,,,settlement_point\n", "t.csv line 2: place P2: coord_basis \"settlement_point\" needs lat and lon"},
		{"unknown basis", "places", placeHead + "P2,Two,나,1,2,guess\n", "unknown coord_basis \"guess\""},
		{"duplicate place", "places", placeHead + "P1,One,가,,,unknown\nP1,Two,나,,,unknown\n", "t.csv line 3: id \"P1\" already used on line 2"},
		{"own parent", "places", "id,name_en,parent\nP1,One,P1\n", "t.csv line 2: place P1 is its own parent"},
		{"bad year", "orgs", orgHead + "o1,One,하나,1990,later\n", "t.csv line 2: organisation o1: valid_to"},
		{"years reversed", "orgs", orgHead + "o1,One,하나,2020,2016\n", "t.csv line 2: organisation o1: valid_from 2020 is after valid_to 2016"},
		{"duplicate org", "orgs", orgHead + "o1,One,하나,,\no1,Two,둘,,\n", "t.csv line 3: id \"o1\" already used"},
		{"unknown org column", "orgs", "id,name_en,parent_id\n", "unknown column \"parent_id\""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := strings.NewReader(tt.input)
			var err error
			switch tt.kind {
			case "terms":
				_, err = ReadTerms(r, "t.csv", "test")
			case "places":
				_, err = ReadPlaces(r, "t.csv")
			case "orgs":
				_, err = ReadOrganisations(r, "t.csv")
			}
			if err == nil {
				t.Fatalf("no error, want one containing %q", tt.want)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q, want it to contain %q", err, tt.want)
			}
			if tumen.ErrorKind(err) != tumen.KindInvalid {
				t.Errorf("error kind %v, want invalid", tumen.ErrorKind(err))
			}
		})
	}
}

// Well-formed input that exercises the optional parts: BOM, blank cells,
// quoted commas, lists with stray spaces.
func TestReadWellFormed(t *testing.T) {
	t.Parallel()
	terms, err := ReadTerms(strings.NewReader("\uFEFFcode,label_en,label_ko,note,empty\na,\"A, with comma\",가, n ,\n"), "t.csv", "v")
	if err != nil {
		t.Fatal(err)
	}
	want := tumen.Term{Vocab: "v", Code: "a", LabelEN: "A, with comma", LabelKO: "가", Extra: map[string]string{"note": "n"}}
	if len(terms) != 1 || terms[0].LabelEN != want.LabelEN || terms[0].Vocab != "v" || len(terms[0].Extra) != 1 || terms[0].Extra["note"] != "n" {
		t.Errorf("ReadTerms = %+v, want %+v", terms, want)
	}
	places, err := ReadPlaces(strings.NewReader("id,name_en,variants,kinds,lat,lon,coord_basis\nP1,One, x ; ;y ,city,42.5,-1.25,approximate\nP2,Two,,,,,\n"), "t.csv")
	if err != nil {
		t.Fatal(err)
	}
	if len(places) != 2 || !slices.Equal(places[0].Variants, []string{"x", "y"}) || *places[0].Lat != 42.5 || *places[0].Lon != -1.25 || places[1].Lat != nil || places[1].Variants != nil {
		t.Errorf("ReadPlaces = %+v", places)
	}
}

func TestNormalize(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"Onsŏng", "onsong"},
		{"Ch'ŏngjin", "chongjin"},
		{"Chʼŏngjin", "chongjin"},
		{"Hamgyŏng-pukto", "hamgyongpukto"},
		{"Sinŭiju", "sinuiju"},
		{"Shěnyáng", "shenyang"},
		{"Nanping (Helong)", "nanpinghelong"},
		{"온성 군", "온성군"},
		{"\u110b\u1169\u11ab\u1109\u1165\u11bc", "온성"},
		{"Ｔｕｍｅｎ", "tumen"},
		{"Kyo-hwa-so No. 12", "kyohwasono12"},
		{"O\u0306nso\u0306ng", "onsong"}, // decomposed breves
		{"", ""},
	}
	for _, tt := range tests {
		if got := normalize(tt.in); got != tt.want {
			t.Errorf("normalize(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
