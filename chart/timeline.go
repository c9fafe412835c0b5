package chart

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"tumen/count"
)

// Years draws a one-way table by year (count.Year) as a timeline; see
// Timeline.
func Years(t *count.Table) []byte { return Timeline(t, Options{ID: "years"}) }

// Months draws a one-way table by month (count.Month) as a timeline; see
// Timeline.
func Months(t *count.Table) []byte { return Timeline(t, Options{ID: "months"}) }

// Timeline draws a one-way table by year or month as vertical bars in
// time order. A solid bar is the count known to fall in its year or month
// (the record's whole date range lies in it); a hatched extension above it
// reaches the upper bound, adding the records whose date range spans
// several bins and includes this one. The records spanning several bins
// and those with no date are counted below the axis, never in a bin.
// Withheld counts of a public table show as a dotted stub marked "–".
func Timeline(t *count.Table, o Options) []byte {
	o = o.withDefaults("timeline")
	w := float64(o.Width)
	const h = 360.0
	var bins []int // indexes of value rows
	var several, unknown count.Cell
	hasSeveral, hasUnknown := false, false
	for i, b := range t.RowBins {
		switch b.Kind {
		case count.KindValue:
			bins = append(bins, i)
		case count.KindSeveral:
			several, hasSeveral = t.Row(i), true
		case count.KindUnknown:
			unknown, hasUnknown = t.Row(i), true
		}
	}
	unitWord, binWord, binWordKO := "records", "year", "해"
	switch t.Unit {
	case count.Repatriations:
		unitWord = "repatriations"
	case count.Acts:
		unitWord = "acts"
	case count.Cases:
		unitWord = "cases"
	}
	if t.Rows == count.Month {
		binWord, binWordKO = "month", "달"
	}
	s := newSVG(o.ID, int(w), int(h), t.Title+" · "+t.TitleKO, timelineDesc(t, bins, unitWord, binWord))
	// Title and legend.
	s.text(16, 24, "", 15, "bold", "", t.Title)
	s.text(16+textWidth(t.Title, 15)+12, 24, "", 13, "", grey, t.TitleKO)
	lx := 16.0
	s.rect(lx, 38, 14, 12, ink, "")
	lab := fmt.Sprintf("known to fall in the %s · 확정", binWord)
	s.text(lx+20, 48.5, "", 12, "", "", lab)
	lx += 20 + textWidth(lab, 12) + 18
	s.rect(lx, 38, 14, 12, s.hatch(), inkLight)
	lab = fmt.Sprintf("may fall in it: date spans several %ss · 여러 %s에 걸친 날짜", binWord, binWordKO)
	s.text(lx+20, 48.5, "", 12, "", "", lab)
	withheld := false
	for _, i := range bins {
		if t.Row(i).Withheld {
			withheld = true
		}
	}
	if withheld {
		lx += 20 + textWidth(lab, 12) + 18
		if lx+160 > w {
			lx = 16
		}
		s.rect(lx, 58, 14, 12, s.dots(), special)
		s.text(lx+20, 68.5, "", 12, "", "", "– withheld · 비공개")
	}

	x0, x1, y0, y1 := 56.0, w-16, 84.0, h-78
	top := 0
	for _, i := range bins {
		c := t.Row(i)
		top = max(top, c.N, c.Max)
	}
	step := niceStep(float64(max(top, 1)), 5)
	ymax := math.Ceil(float64(max(top, 1))/step) * step
	y := func(v float64) float64 { return y1 - (y1-y0)*v/ymax }
	// Grid and axis labels.
	for v := 0.0; v <= ymax+step/2; v += step {
		s.line(x0, y(v), x1, y(v), gridGrey, 1, "")
		s.text(x0-6, y(v)+4, "end", 11, "", grey, thousands(int(v)))
	}
	n := len(bins)
	if n == 0 {
		s.text((x0+x1)/2, (y0+y1)/2, "middle", 14, "", grey, "No "+unitWord+" with a date · 날짜가 있는 기록 없음")
	}
	slot := (x1 - x0) / float64(max(n, 1))
	bw := math.Max(1, slot*0.78)
	labelBars := slot >= 26
	for k, i := range bins {
		c := t.Row(i)
		bx := x0 + slot*float64(k) + (slot-bw)/2
		if c.Withheld {
			s.rect(bx, y1-8, bw, 8, s.dots(), special)
			if labelBars {
				s.text(bx+bw/2, y1-12, "middle", 11, "", grey, "–")
			}
			continue
		}
		if c.Max > c.N && !c.MaxWithheld {
			s.rect(bx, y(float64(c.Max)), bw, y(float64(c.N))-y(float64(c.Max)), s.hatch(), inkLight)
		}
		if c.N > 0 {
			s.rect(bx, y(float64(c.N)), bw, y1-y(float64(c.N)), ink, "")
		}
		if labelBars {
			lab := thousands(c.N)
			topV := c.N
			if c.Max > c.N && !c.MaxWithheld {
				lab += "–" + thousands(c.Max)
				topV = c.Max
			}
			size := 11.0
			if textWidth(lab, size) > slot {
				size = 9
			}
			s.text(bx+bw/2, y(float64(topV))-4, "middle", size, "", "", lab)
		}
	}
	s.line(x0, y1, x1, y1, "#444444", 1, "")
	// Time axis: every bin when there is room, else every k-th; months
	// are labelled at each January with the year.
	if n > 0 {
		// Label every 1, 2, 5 or 10 years, on years divisible by it.
		every := 1
		keyW := textWidth(t.RowBins[bins[0]].Key, 11) + 6
		for _, e := range []int{1, 2, 5, 10, 20, 50} {
			every = e
			if slot*float64(e) >= keyW {
				break
			}
		}
		for k, i := range bins {
			key := t.RowBins[i].Key
			cx := x0 + slot*(float64(k)+0.5)
			if t.Rows == count.Month {
				if strings.HasSuffix(key, "-01") || k == 0 {
					s.line(x0+slot*float64(k), y1, x0+slot*float64(k), y1+5, "#444444", 1, "")
					s.text(x0+slot*float64(k)+2, y1+16, "", 11, "", "", key[:4])
				}
				continue
			}
			if y, err := strconv.Atoi(key); (err == nil && y%every == 0) || (err != nil && k%every == 0) {
				s.line(cx, y1, cx, y1+4, "#444444", 1, "")
				s.text(cx, y1+16, "middle", 11, "", "", key)
			}
		}
	}
	// What no bar holds.
	var parts []string
	if hasSeveral {
		parts = append(parts, cellText(several)+" whose date spans several "+binWord+"s (hatched where they may fall)")
	}
	if hasUnknown {
		parts = append(parts, cellText(unknown)+" with no date")
	}
	note := fmt.Sprintf("Total %s %s.", totalText(t), unitWord)
	if len(parts) > 0 {
		note += " In no " + binWord + ": " + strings.Join(parts, "; ") + "."
	}
	ly := y1 + 36
	for _, l := range wrap(note, w-32, 12) {
		s.text(16, ly, "", 12, "", "", l)
		ly += 16
	}
	if t.Public {
		s.text(16, ly, "", 11, "", grey, fmt.Sprintf("Public table: counts below %d withheld · 공개용: %d 미만 비공개", t.Threshold, t.Threshold))
	}
	return s.bytes()
}

func cellText(c count.Cell) string {
	if c.Withheld {
		return "a withheld number"
	}
	return thousands(c.N)
}

func totalText(t *count.Table) string {
	if t.TotalWithheld {
		return "(withheld)"
	}
	return thousands(t.Total)
}

// timelineDesc states the chart's numbers in words for a screen reader.
func timelineDesc(t *count.Table, bins []int, unitWord, binWord string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Bar chart of %s. ", strings.ToLower(t.Title))
	if len(bins) > 0 {
		fmt.Fprintf(&b, "From %s to %s. ", t.RowBins[bins[0]].Key, t.RowBins[bins[len(bins)-1]].Key)
	}
	fmt.Fprintf(&b, "Counted in a %s only when the whole date range lies in it; the upper bound adds %s whose date range spans several %ss including it. ", binWord, unitWord, binWord)
	var items []string
	for _, i := range bins {
		c := t.Row(i)
		switch {
		case c.Withheld:
			items = append(items, t.RowBins[i].Key+": withheld")
		case c.N == 0 && c.Max == 0 && t.Rows == count.Month:
			continue
		case c.Max > c.N && !c.MaxWithheld:
			items = append(items, fmt.Sprintf("%s: %s (up to %s)", t.RowBins[i].Key, thousands(c.N), thousands(c.Max)))
		default:
			items = append(items, fmt.Sprintf("%s: %s", t.RowBins[i].Key, thousands(c.N)))
		}
	}
	b.WriteString(strings.Join(items, ", "))
	b.WriteString(". ")
	for i, rb := range t.RowBins {
		if rb.Kind != count.KindValue {
			fmt.Fprintf(&b, "%s: %s. ", rb.Label, cellText(t.Row(i)))
		}
	}
	fmt.Fprintf(&b, "Total %s.", totalText(t))
	return b.String()
}
