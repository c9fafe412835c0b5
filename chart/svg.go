// Package chart draws tumen's statistics as SVG on the server: counts by
// year and month with approximate dates shown as uncertainty, bars by
// facility, agency or any other dimension, the flow of cases through the
// stages S0–S9, and a map of the border region from the gazetteer's
// coordinates.
//
// Every function returns one <svg> element, ready to be written to a file
// or placed inline in an HTML page. The charts need no JavaScript, no
// fonts or tiles from elsewhere, and no colour to be read: they carry
// role="img", a <title> and a <desc> that states the numbers in words, text
// labels with every count, and hatching rather than hue for uncertainty, so
// they print in black and white and read aloud in a screen reader.
package chart

import (
	"bytes"
	"fmt"
	"html"
	"math"
	"strconv"
	"strings"
	"unicode"
)

// Options are the settings every chart takes.
type Options struct {
	// ID prefixes the ids of the chart's elements (its title,
	// description and patterns). Charts placed in one HTML page need
	// different IDs; default "chart".
	ID string
	// Width is the width of the drawing in SVG units (CSS pixels);
	// default 760.
	Width int
}

func (o Options) withDefaults(id string) Options {
	if o.ID == "" {
		o.ID = id
	}
	o.ID = safeID(o.ID)
	if o.Width < 320 {
		o.Width = 760
	}
	return o
}

// safeID keeps letters, digits, '-' and '_', so the id is valid in XML and
// CSS.
func safeID(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r < 128 && (unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-' || r == '_') {
			b.WriteRune(r)
		}
	}
	if b.Len() == 0 || !unicode.IsLetter(rune(b.String()[0])) {
		return "c" + b.String()
	}
	return b.String()
}

// The look: one font stack with Korean faces, a dark ink for what is
// known and hatching for what may be.
const (
	fontFamily = `'Noto Sans CJK KR','Noto Sans KR','Source Han Sans KR','Malgun Gothic','Apple SD Gothic Neo',sans-serif`
	ink        = "#1f3b57" // bars: known counts
	inkLight   = "#6d8fb0" // hatching: possible counts
	grey       = "#767676" // axes, notes (4.5:1 on white)
	gridGrey   = "#d8d8d8"
	special    = "#9a9a9a" // "spans several", "unknown"
)

// svg builds one SVG element.
type svg struct {
	b    bytes.Buffer
	id   string
	w, h int
}

func newSVG(id string, w, h int, title, desc string) *svg {
	s := &svg{id: id, w: w, h: h}
	fmt.Fprintf(&s.b, `<svg xmlns="http://www.w3.org/2000/svg" class="tumen-chart" id="%s" role="img" aria-labelledby="%s-title %s-desc" viewBox="0 0 %d %d" width="%d" height="%d" font-family="%s" font-size="13">`,
		id, id, id, w, h, w, h, esc(fontFamily))
	fmt.Fprintf(&s.b, "\n<title id=\"%s-title\">%s</title>\n<desc id=\"%s-desc\">%s</desc>\n", id, esc(title), id, esc(desc))
	// The hatching that marks a possible count: diagonal lines, visible
	// in print without colour.
	fmt.Fprintf(&s.b, `<defs><pattern id="%s-hatch" patternUnits="userSpaceOnUse" width="6" height="6" patternTransform="rotate(45)"><rect width="6" height="6" fill="#ffffff"/><line x1="0" y1="0" x2="0" y2="6" stroke="%s" stroke-width="2.2"/></pattern>`+
		`<pattern id="%s-dots" patternUnits="userSpaceOnUse" width="5" height="5"><rect width="5" height="5" fill="#ffffff"/><circle cx="2.5" cy="2.5" r="1.1" fill="%s"/></pattern></defs>`+"\n",
		id, inkLight, id, special)
	fmt.Fprintf(&s.b, `<rect x="0" y="0" width="%d" height="%d" fill="#ffffff"/>`+"\n", w, h)
	return s
}

func (s *svg) bytes() []byte {
	s.b.WriteString("</svg>\n")
	return s.b.Bytes()
}

func (s *svg) raw(format string, args ...any) {
	fmt.Fprintf(&s.b, format, args...)
	s.b.WriteByte('\n')
}

// text writes a text element; anchor is start, middle or end.
func (s *svg) text(x, y float64, anchor string, size float64, weight, fill, txt string) {
	attrs := ""
	if anchor != "" && anchor != "start" {
		attrs += ` text-anchor="` + anchor + `"`
	}
	if size != 0 && size != 13 {
		attrs += ` font-size="` + num(size) + `"`
	}
	if weight != "" {
		attrs += ` font-weight="` + weight + `"`
	}
	if fill == "" {
		fill = "#111111"
	}
	fmt.Fprintf(&s.b, `<text x="%s" y="%s"%s fill="%s">%s</text>`+"\n", num(x), num(y), attrs, fill, esc(txt))
}

func (s *svg) rect(x, y, w, h float64, fill, stroke string) {
	st := ""
	if stroke != "" {
		st = ` stroke="` + stroke + `" stroke-width="1"`
	}
	fmt.Fprintf(&s.b, `<rect x="%s" y="%s" width="%s" height="%s" fill="%s"%s/>`+"\n", num(x), num(y), num(math.Max(w, 0)), num(math.Max(h, 0)), fill, st)
}

func (s *svg) line(x1, y1, x2, y2 float64, stroke string, width float64, dash string) {
	d := ""
	if dash != "" {
		d = ` stroke-dasharray="` + dash + `"`
	}
	fmt.Fprintf(&s.b, `<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s" stroke-width="%s"%s/>`+"\n", num(x1), num(y1), num(x2), num(y2), stroke, num(width), d)
}

func (s *svg) hatch() string { return "url(#" + s.id + "-hatch)" }
func (s *svg) dots() string  { return "url(#" + s.id + "-dots)" }

// num writes a coordinate with at most one decimal, so the output is
// short and the same on every machine.
func num(v float64) string {
	return strconv.FormatFloat(math.Round(v*10)/10, 'f', -1, 64)
}

func esc(s string) string { return html.EscapeString(s) }

// textWidth estimates the width of s at the given font size: Hangul and
// Han characters are about one em wide, Latin letters and digits a little
// over half. It is used to lay labels out without measuring fonts.
func textWidth(s string, size float64) float64 {
	w := 0.0
	for _, r := range s {
		switch {
		case r >= 0x1100 && (unicode.Is(unicode.Hangul, r) || unicode.Is(unicode.Han, r)):
			w += 1.0
		case r == ' ' || r == '.' || r == ',' || r == '·' || r == 'i' || r == 'l' || r == 'j' || r == '\'' || r == '|':
			w += 0.3
		case unicode.IsUpper(r) || r == 'm' || r == 'w' || r == '—' || r == '–':
			w += 0.72
		default:
			w += 0.56
		}
	}
	return w * size
}

// niceStep returns a round step (1, 2 or 5 times a power of ten) for an
// axis from 0 to top with about n ticks.
func niceStep(top float64, n int) float64 {
	if top <= 0 {
		return 1
	}
	raw := top / float64(n)
	p := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 5, 10} {
		if m*p >= raw {
			return math.Max(1, m*p)
		}
	}
	return 10 * p
}

// thousands writes n with comma separators.
func thousands(n int) string {
	s := strconv.Itoa(n)
	if n < 0 {
		return "-" + thousands(-n)
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// wrap breaks s into lines of at most width units at the given size.
func wrap(s string, width, size float64) []string {
	var lines []string
	cur := ""
	for _, w := range strings.Fields(s) {
		next := w
		if cur != "" {
			next = cur + " " + w
		}
		if cur != "" && textWidth(next, size) > width {
			lines = append(lines, cur)
			cur = w
			continue
		}
		cur = next
	}
	if cur != "" {
		lines = append(lines, cur)
	}
	return lines
}
