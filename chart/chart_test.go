package chart

import (
	"bytes"
	"encoding/xml"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"tumen"
	"tumen/count"
	"tumen/synth"
	"tumen/vocab"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// demo returns a counter over 300 synthetic persons, the same on every
// run.
func demo(t testing.TB, o count.Options) (*count.Counter, *tumen.Bundle) {
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
	g := synth.New(7)
	for i := 1; i <= 300; i++ {
		g.Person(i, b)
	}
	o.Now = g.Now
	return count.FromBundle(b, o), b
}

func table(t testing.TB, c *count.Counter, s count.Spec) *count.Table {
	t.Helper()
	tb, err := c.Table(s)
	if err != nil {
		t.Fatal(err)
	}
	return tb
}

// element is a parsed SVG element.
type element struct {
	name     string
	attrs    map[string]string
	text     string
	children []*element
}

// parse reads an SVG document with encoding/xml, failing on anything
// that is not well-formed.
func parse(t *testing.T, b []byte) *element {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(b))
	var stack []*element
	var root *element
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("not well-formed XML: %v", err)
		}
		switch tk := tok.(type) {
		case xml.StartElement:
			e := &element{name: tk.Name.Local, attrs: map[string]string{}}
			for _, a := range tk.Attr {
				e.attrs[a.Name.Local] = a.Value
			}
			if len(stack) > 0 {
				p := stack[len(stack)-1]
				p.children = append(p.children, e)
			} else if root == nil {
				root = e
			} else {
				t.Fatal("more than one root element")
			}
			stack = append(stack, e)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) > 0 {
				stack[len(stack)-1].text += string(tk)
			}
		}
	}
	if root == nil {
		t.Fatal("empty document")
	}
	return root
}

func (e *element) walk(fn func(*element)) {
	fn(e)
	for _, c := range e.children {
		c.walk(fn)
	}
}

// texts returns every text element's content.
func (e *element) texts() []string {
	var out []string
	e.walk(func(x *element) {
		if x.name == "text" {
			out = append(out, x.text)
		}
	})
	return out
}

// checkAccessible checks what every chart must be: an svg with role img,
// labelled by its title and description, ids unique and prefixed, nothing
// that runs or loads.
func checkAccessible(t *testing.T, b []byte, id string) *element {
	t.Helper()
	root := parse(t, b)
	if root.name != "svg" || root.attrs["role"] != "img" || root.attrs["viewBox"] == "" || root.attrs["id"] != id {
		t.Fatalf("root %s role=%q viewBox=%q id=%q", root.name, root.attrs["role"], root.attrs["viewBox"], root.attrs["id"])
	}
	ids := map[string]bool{}
	var title, desc string
	root.walk(func(e *element) {
		if v := e.attrs["id"]; v != "" {
			if ids[v] {
				t.Errorf("id %q twice", v)
			}
			ids[v] = true
			if !strings.HasPrefix(v, id) {
				t.Errorf("id %q not prefixed with %q", v, id)
			}
		}
		switch e.name {
		case "script", "foreignObject", "image", "a", "use", "style":
			t.Errorf("element %s in a chart", e.name)
		case "title":
			title = e.text
		case "desc":
			desc = e.text
		}
		for k, v := range e.attrs {
			if strings.HasPrefix(k, "on") || strings.Contains(v, "javascript:") || (strings.Contains(v, "http") && k != "xmlns") {
				t.Errorf("attribute %s=%q", k, v)
			}
		}
	})
	for _, ref := range strings.Fields(root.attrs["aria-labelledby"]) {
		if !ids[ref] {
			t.Errorf("aria-labelledby names %q, which is not there", ref)
		}
	}
	if strings.TrimSpace(title) == "" || len(desc) < 40 {
		t.Errorf("title %q, desc %q", title, desc)
	}
	return root
}

// golden compares b with testdata/name, or rewrites it with -update.
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
		t.Fatalf("%v (run go test ./chart -update to create it)", err)
	}
	if !bytes.Equal(b, want) {
		t.Errorf("%s differs from the golden file; if the change is meant, run go test ./chart -update and look at the SVG", name)
	}
}

func TestCharts(t *testing.T) {
	t.Parallel()
	c, _ := demo(t, count.Options{Ages: true})
	pub, _ := demo(t, count.Options{Public: true, Threshold: 10})
	flows, err := c.StageFlows()
	if err != nil {
		t.Fatal(err)
	}
	cases := table(t, c, count.Spec{Unit: count.Cases, Rows: count.Stage})
	places := table(t, c, count.Spec{Unit: count.Cases, Rows: count.Place})
	tests := []struct {
		name, id string
		svg      []byte
		want     []string // texts that must appear
	}{
		{"years.svg", "years", Years(table(t, c, count.Spec{Unit: count.Repatriations, Rows: count.Year})),
			[]string{"Repatriations by year", "연도별 강제송환", "2000", "In no year:"}},
		{"months.svg", "months", Months(table(t, c, count.Spec{Unit: count.Repatriations, Rows: count.Month, Window: count.Window{From: 2022, To: 2024}})),
			[]string{"2022", "2023", "2024", "whose date spans several months"}},
		{"facilities.svg", "facilities", Facilities(table(t, c, count.Spec{Unit: count.Cases, Rows: count.Facility})),
			[]string{"Tumen border defence detention centre", "투먼 변방구류심사소", "not at a recorded facility"}},
		{"agencies.svg", "agencies", Agencies(table(t, c, count.Spec{Unit: count.Acts, Rows: count.Agency})),
			[]string{"Ministry of Social Security", "사회안전성"}},
		{"stages.svg", "stages", Flow(cases, flows, Options{ID: "stages"}),
			[]string{"S4 Border detention centre", "S4 변방구류심사소 이송", "300"}},
		{"map.svg", "map", Map(c.Places(), places, Options{ID: "map"}),
			[]string{"Dandong 단둥", "Sinuiju 신의주", "Position not known, not drawn · 위치 미상"}},
		{"public-years.svg", "pub", Timeline(table(t, pub, count.Spec{Unit: count.Repatriations, Rows: count.Year}), Options{ID: "pub"}),
			[]string{"– withheld · 비공개", "Public table: counts below 10 withheld"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			root := checkAccessible(t, tc.svg, tc.id)
			all := strings.Join(root.texts(), "\n")
			for _, w := range tc.want {
				if !strings.Contains(all, w) {
					t.Errorf("no text %q", w)
				}
			}
			golden(t, tc.name, tc.svg)
		})
	}
}

// TestTimelineNeverInventsPrecision: the bars hold the sure counts only;
// a year-only date shows in no month bar, and the description says so.
func TestTimelineDescribesUncertainty(t *testing.T) {
	t.Parallel()
	c, _ := demo(t, count.Options{})
	tb := table(t, c, count.Spec{Unit: count.Repatriations, Rows: count.Year})
	root := checkAccessible(t, Years(tb), "years")
	var desc string
	root.walk(func(e *element) {
		if e.name == "desc" {
			desc = e.text
		}
	})
	for i, b := range tb.RowBins {
		c := tb.Row(i)
		switch {
		case b.Kind == count.KindSeveral:
			if !strings.Contains(desc, b.Label+": "+strconv.Itoa(c.N)) {
				t.Errorf("desc does not say %q: %d", b.Label, c.N)
			}
		case c.Max > c.N:
			if !strings.Contains(desc, b.Key+": "+strconv.Itoa(c.N)+" (up to "+strconv.Itoa(c.Max)+")") {
				t.Errorf("desc does not give %s as %d up to %d", b.Key, c.N, c.Max)
			}
		}
	}
}

// TestMapNeverGuesses: a place whose position is not known is listed
// under the map, never drawn on it.
func TestMapNeverGuesses(t *testing.T) {
	t.Parallel()
	c, b := demo(t, count.Options{})
	places := table(t, c, count.Spec{Unit: count.Cases, Rows: count.Place})
	root := checkAccessible(t, Map(b.Places, places, Options{}), "map")
	// The frame's bottom edge.
	bottom := 0.0
	root.walk(func(e *element) {
		if e.name == "rect" && e.attrs["fill"] == "#fbfbf8" {
			y, _ := strconv.ParseFloat(e.attrs["y"], 64)
			h, _ := strconv.ParseFloat(e.attrs["height"], 64)
			bottom = y + h
		}
	})
	if bottom == 0 {
		t.Fatal("no map frame")
	}
	for _, p := range b.Places {
		if p.Lat != nil || p.FacilityType == "" {
			continue
		}
		found := false
		root.walk(func(e *element) {
			if e.name == "text" && strings.HasPrefix(e.text, p.NameEN) {
				y, _ := strconv.ParseFloat(e.attrs["y"], 64)
				if y < bottom {
					t.Errorf("%s, with no position, is labelled on the map", p.NameEN)
				}
				found = true
			}
		})
		if !found {
			t.Errorf("%s, with no position, is not listed", p.NameEN)
		}
	}
}

func TestHelpers(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		n    int
		want string
	}{{0, "0"}, {999, "999"}, {1000, "1,000"}, {1234567, "1,234,567"}, {-4500, "-4,500"}} {
		if got := thousands(tc.n); got != tc.want {
			t.Errorf("thousands(%d) = %q", tc.n, got)
		}
	}
	for _, tc := range []struct {
		top  float64
		want float64
	}{{0, 1}, {7, 2}, {38, 10}, {94, 20}, {1200, 500}} {
		if got := niceStep(tc.top, 5); got != tc.want {
			t.Errorf("niceStep(%g) = %g, want %g", tc.top, got, tc.want)
		}
	}
	if textWidth("투먼", 10) <= textWidth("Tu", 10) {
		t.Error("Hangul should be wider than Latin")
	}
	lines := wrap("one two three four five six", textWidth("one two three", 12), 12)
	if len(lines) != 2 || lines[0] != "one two three" {
		t.Errorf("wrap: %q", lines)
	}
	if got := clip("Tumen border defence detention centre", 60, 12); !strings.HasSuffix(got, "…") || textWidth(got, 12) > 60 {
		t.Errorf("clip: %q", got)
	}
	if safeID("1 bad id!") != "c1badid" || safeID("years") != "years" {
		t.Errorf("safeID: %q %q", safeID("1 bad id!"), safeID("years"))
	}
}
