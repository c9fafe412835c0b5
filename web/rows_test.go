package web

import (
	"strings"
	"testing"

	"tumen"
	"tumen/approx"
)

// TestRowsEscape: the rows written in Go escape every value as the
// templates would, and show redactions.
func TestRowsEscape(t *testing.T) {
	t.Parallel()
	m := dictionary("en")
	ev := []*eventView{
		{E: &tumen.Event{Stage: "S4", Date: approx.MustParse("spring 2015"), PlaceText: `<img src=x onerror=alert(1)>`, Narrative: `<script>alert("n")</script> & more`},
			Acts: []*actView{{Perps: []string{`<b>agency</b>`}}}},
		{E: &tumen.Event{Stage: "S5", PlaceText: Redacted, Narrative: Redacted}, Place: nil},
	}
	got := string(eventRowsHTML(ev, "en", m))
	for _, bad := range []string{"<script", "<img", "<b>agency"} {
		if strings.Contains(got, bad) {
			t.Errorf("event rows hold %q unescaped:\n%s", bad, got)
		}
	}
	for _, want := range []string{"&lt;script&gt;", "&amp; more", "2015-03-01 – 2015-05-31", `<span class="redacted">redacted</span>`, "—"} {
		if !strings.Contains(got, want) {
			t.Errorf("event rows lack %q:\n%s", want, got)
		}
	}
	rows := string(personRowsHTML([]personRow{{ID: `P-1"><x`, Names: `<i>이영호</i>`, Born: "1985", Sex: "m", Origin: `a&b`}, {ID: "P-2", Redacted: true, Sex: "f"}}, "redacted"))
	for _, bad := range []string{`"><x`, "<i>"} {
		if strings.Contains(rows, bad) {
			t.Errorf("person rows hold %q unescaped:\n%s", bad, rows)
		}
	}
	if !strings.Contains(rows, "a&amp;b") || strings.Count(rows, `class="redacted"`) != 3 {
		t.Errorf("person rows:\n%s", rows)
	}
}
