package chart

import (
	"fmt"
	"math"
	"strings"

	"tumen/count"
)

// Flow draws the cases by stage (a count.Cases table by count.Stage) as a
// flow from exit (S0) to aftermath (S9): one centred band per stage, as
// wide as the number of cases that reached it, with arrows between
// stages and, beside each arrow, how many of the cases at one stage are
// known to have reached the next. A case counts at every stage it reached,
// so the bands do not add up to the total.
//
// flows gives the cases known at each consecutive pair of stages (key
// "S4>S5"); a missing pair leaves its arrow unlabelled.
// count.Counter.StageFlows computes it.
func Flow(t *count.Table, flows map[string]int, o Options) []byte {
	o = o.withDefaults("flow")
	w := float64(o.Width)
	var rows []int
	var unknown *count.Cell
	for i, b := range t.RowBins {
		switch b.Kind {
		case count.KindValue:
			rows = append(rows, i)
		case count.KindUnknown:
			c := t.Row(i)
			unknown = &c
		}
	}
	const rowH, gap = 34.0, 18.0
	y0 := 48.0
	h := y0 + float64(len(rows))*(rowH+gap) - gap + 56
	s := newSVG(o.ID, int(w), int(math.Ceil(h)), t.Title+" · "+t.TitleKO, flowDesc(t, rows, flows))
	s.text(16, 24, "", 15, "bold", "", t.Title)
	s.text(16+textWidth(t.Title, 15)+12, 24, "", 13, "", grey, t.TitleKO)
	labelW := 0.0
	for _, i := range rows {
		b := t.RowBins[i]
		labelW = math.Max(labelW, math.Max(textWidth(b.Label, 12), textWidth(b.LabelKO, 11)))
	}
	labelW = math.Min(labelW, w*0.38)
	cx0, cx1 := 16+labelW+16, w-80
	mid := (cx0 + cx1) / 2
	top := 1
	for _, i := range rows {
		top = max(top, t.Row(i).N)
	}
	scale := (cx1 - cx0) / float64(top)
	for k, i := range rows {
		b := t.RowBins[i]
		c := t.Row(i)
		ry := y0 + float64(k)*(rowH+gap)
		s.text(16, ry+15, "", 12, "bold", "", clip(b.Label, labelW, 12))
		s.text(16, ry+29, "", 11, "", grey, clip(b.LabelKO, labelW, 11))
		switch {
		case c.Withheld:
			s.rect(mid-5, ry+4, 10, rowH-8, s.dots(), special)
			s.text(mid+12, ry+rowH/2+4, "", 12, "", grey, "–")
		case c.N == 0:
			s.line(cx0, ry+rowH/2, cx1, ry+rowH/2, gridGrey, 1, "4 4")
			s.text(cx1+8, ry+rowH/2+4, "", 12, "", grey, "0")
		default:
			bw := math.Max(2, scale*float64(c.N))
			s.rect(mid-bw/2, ry+4, bw, rowH-8, ink, "")
			s.text(cx1+8, ry+rowH/2+4, "", 12, "bold", "", thousands(c.N))
		}
		if k+1 < len(rows) {
			ay := ry + rowH
			s.line(mid, ay+1, mid, ay+gap-5, "#444444", 1.5, "")
			s.raw(`<path d="M%s %s L%s %s L%s %s Z" fill="#444444"/>`, num(mid-4), num(ay+gap-7), num(mid+4), num(ay+gap-7), num(mid), num(ay+gap-1))
			if flows != nil {
				key := b.Key + ">" + t.RowBins[rows[k+1]].Key
				if v, ok := flows[key]; ok && c.N > 0 {
					s.text(mid+10, ay+gap/2+4, "", 11, "", grey, thousands(v)+" on")
				}
			}
		}
	}
	note := fmt.Sprintf("Total %s cases; a case counts at every stage it is known to have reached.", totalText(t))
	if unknown != nil {
		note += fmt.Sprintf(" %s with no stage recorded.", cellText(*unknown))
	}
	ly := y0 + float64(len(rows))*(rowH+gap) - gap + 24
	for _, l := range wrap(note, w-32, 12) {
		s.text(16, ly, "", 12, "", "", l)
		ly += 16
	}
	if t.Public {
		s.text(16, ly, "", 11, "", grey, fmt.Sprintf("Public table: counts below %d withheld · 공개용: %d 미만 비공개", t.Threshold, t.Threshold))
	}
	return s.bytes()
}

func flowDesc(t *count.Table, rows []int, flows map[string]int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Flow of cases through the stages of a repatriation. ")
	var items []string
	for k, i := range rows {
		rb := t.RowBins[i]
		c := t.Row(i)
		item := rb.Label + ": " + cellText(c)
		if k+1 < len(rows) && flows != nil {
			if v, ok := flows[rb.Key+">"+t.RowBins[rows[k+1]].Key]; ok {
				item += fmt.Sprintf(", of whom %s are known to have reached the next stage", thousands(v))
			}
		}
		items = append(items, item)
	}
	b.WriteString(strings.Join(items, "; "))
	fmt.Fprintf(&b, ". Total %s cases.", totalText(t))
	return b.String()
}
