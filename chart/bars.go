package chart

import (
	"fmt"
	"math"
	"strings"

	"tumen/count"
)

// Facilities draws a one-way table by facility as horizontal bars; see
// Bars.
func Facilities(t *count.Table) []byte { return Bars(t, Options{ID: "facilities"}) }

// Agencies draws a one-way table by agency as horizontal bars; see Bars.
func Agencies(t *count.Table) []byte { return Bars(t, Options{ID: "agencies"}) }

// maxBars is the most value rows Bars draws; the rest are summarised.
const maxBars = 16

// Bars draws a one-way table as horizontal bars, one row per bin with its
// English and Korean label and its count, largest first as the table
// orders them. The rows that hold no value ("not at a recorded facility",
// "spans several", "unknown") follow in grey. An upper bound above the
// count is hatched; a withheld count is a dotted stub marked "–".
func Bars(t *count.Table, o Options) []byte {
	o = o.withDefaults("bars")
	w := float64(o.Width)
	var rows, rest []int
	shown := 0
	for i, b := range t.RowBins {
		if b.Kind == count.KindValue {
			if shown >= maxBars {
				rest = append(rest, i)
				continue
			}
			shown++
		}
		rows = append(rows, i)
	}
	const rowH = 36.0
	var hatched, withheld bool
	for _, i := range rows {
		c := t.Row(i)
		withheld = withheld || c.Withheld
		hatched = hatched || (c.Max > c.N && !c.MaxWithheld)
	}
	legend := hatched || withheld
	y0 := 44.0
	if legend {
		y0 = 64
	}
	h := y0 + rowH*float64(len(rows)) + 56
	if len(rows) == 0 {
		h += rowH
	}
	s := newSVG(o.ID, int(w), int(math.Ceil(h)), t.Title+" · "+t.TitleKO, barsDesc(t, rows, rest))
	s.text(16, 24, "", 15, "bold", "", t.Title)
	s.text(16+textWidth(t.Title, 15)+12, 24, "", 13, "", grey, t.TitleKO)
	if legend {
		lx := 16.0
		s.rect(lx, 38, 14, 12, ink, "")
		s.text(lx+20, 48.5, "", 12, "", "", "count · 건수")
		lx += 20 + textWidth("count · 건수", 12) + 18
		if hatched {
			s.rect(lx, 38, 14, 12, s.hatch(), inkLight)
			s.text(lx+20, 48.5, "", 12, "", "", "may be more (imprecise dates) · 최대")
			lx += 20 + textWidth("may be more (imprecise dates) · 최대", 12) + 18
		}
		if withheld {
			s.rect(lx, 38, 14, 12, s.dots(), special)
			s.text(lx+20, 48.5, "", 12, "", "", "– withheld · 비공개")
		}
	}
	// Label column: as wide as the longest label, within reason.
	labelW := 120.0
	for _, i := range rows {
		b := t.RowBins[i]
		labelW = math.Max(labelW, math.Max(textWidth(b.Label, 12), textWidth(b.LabelKO, 11)))
	}
	labelW = math.Min(labelW, w*0.45)
	bx0 := 16 + labelW + 10
	bx1 := w - 70
	top := 1
	for _, i := range rows {
		c := t.Row(i)
		top = max(top, c.N, c.Max)
	}
	scale := (bx1 - bx0) / float64(top)
	if len(rows) == 0 {
		s.text(w/2, y0+rowH/2, "middle", 14, "", grey, "Nothing to count · 기록 없음")
	}
	first := true
	for k, i := range rows {
		b := t.RowBins[i]
		c := t.Row(i)
		ry := y0 + rowH*float64(k)
		if b.Kind != count.KindValue && first {
			s.line(16, ry+1, w-16, ry+1, gridGrey, 1, "")
			first = false
		}
		fill := ink
		if b.Kind != count.KindValue {
			fill = special
		}
		label := clip(b.Label, labelW, 12)
		s.text(16, ry+16, "", 12, "", "", label)
		if b.LabelKO != "" {
			s.text(16, ry+30, "", 11, "", grey, clip(b.LabelKO, labelW, 11))
		}
		barY, barH := ry+8, rowH-14
		if c.Withheld {
			s.rect(bx0, barY, 10, barH, s.dots(), special)
			s.text(bx0+16, barY+barH/2+4, "", 12, "", grey, "–")
			continue
		}
		if c.Max > c.N && !c.MaxWithheld {
			s.rect(bx0+scale*float64(c.N), barY, scale*float64(c.Max-c.N), barH, s.hatch(), inkLight)
		}
		s.rect(bx0, barY, scale*float64(c.N), barH, fill, "")
		lab := thousands(c.N)
		end := scale * float64(c.N)
		if c.Max > c.N && !c.MaxWithheld {
			lab += "–" + thousands(c.Max)
			end = scale * float64(c.Max)
		}
		s.text(bx0+end+6, barY+barH/2+4, "", 12, "", "", lab)
	}
	s.line(bx0, y0, bx0, y0+rowH*float64(len(rows)), "#444444", 1, "")
	note := fmt.Sprintf("Total %s.", totalText(t))
	if len(rest) > 0 {
		note += fmt.Sprintf(" %d smaller rows are not drawn; the table lists them.", len(rest))
	}
	for _, n := range t.Notes {
		if strings.Contains(n, "counted under each") {
			note += " A record with several values counts under each, so the bars add up to more than the total."
		}
	}
	ly := y0 + rowH*float64(len(rows)) + 22
	for _, l := range wrap(note, w-32, 12) {
		s.text(16, ly, "", 12, "", "", l)
		ly += 16
	}
	if t.Public {
		s.text(16, ly, "", 11, "", grey, fmt.Sprintf("Public table: counts below %d withheld · 공개용: %d 미만 비공개", t.Threshold, t.Threshold))
	}
	return s.bytes()
}

// clip shortens s with an ellipsis to fit width.
func clip(s string, width, size float64) string {
	if textWidth(s, size) <= width {
		return s
	}
	r := []rune(s)
	for len(r) > 1 && textWidth(string(r)+"…", size) > width {
		r = r[:len(r)-1]
	}
	return string(r) + "…"
}

func barsDesc(t *count.Table, rows, rest []int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Bar chart of %s. ", strings.ToLower(t.Title))
	var items []string
	for _, i := range append(append([]int{}, rows...), rest...) {
		rb := t.RowBins[i]
		c := t.Row(i)
		name := rb.Label
		if rb.LabelKO != "" {
			name += " (" + rb.LabelKO + ")"
		}
		switch {
		case c.Withheld:
			items = append(items, name+": withheld")
		case c.Max > c.N && !c.MaxWithheld:
			items = append(items, fmt.Sprintf("%s: %s (up to %s)", name, thousands(c.N), thousands(c.Max)))
		default:
			items = append(items, fmt.Sprintf("%s: %s", name, thousands(c.N)))
		}
	}
	b.WriteString(strings.Join(items, "; "))
	fmt.Fprintf(&b, ". Total %s.", totalText(t))
	return b.String()
}
