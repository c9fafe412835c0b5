package web

import (
	"bytes"
	"fmt"
	"html"
	"time"

	"tumen"
)

// esc escapes text for SVG; every text these functions write goes through
// it, which is what lets the templates include their output as HTML.
func esc(s string) string { return html.EscapeString(s) }

func dayOf(v int) time.Time {
	return time.Date(v/10000, time.Month(v/100%100), v%100, 0, 0, 0, 0, time.UTC)
}

// timeline draws a repatriation chain: one row an event, its date drawn
// as what it is — a bar over the whole range when the day is not known, a
// dot only for a known day, a dashed outline when the date is an estimate.
func (s *Server) timeline(events []*eventView, lang string) []byte {
	var known []*eventView
	lo, hi := 0, 0
	for _, ev := range events {
		if !ev.E.Date.Known() {
			continue
		}
		a, b := ev.E.Date.Bounds()
		if lo == 0 || a < lo {
			lo = a
		}
		if b > hi {
			hi = b
		}
		known = append(known, ev)
	}
	if len(known) == 0 {
		return nil
	}
	start, end := dayOf(lo), dayOf(hi).AddDate(0, 0, 1)
	span := end.Sub(start).Hours() / 24
	if span < 30 {
		end = start.AddDate(0, 0, 30)
		span = 30
	}
	const left, width, row = 230.0, 520.0, 28.0
	h := float64(len(known))*row + 40
	x := func(t time.Time) float64 { return left + width*t.Sub(start).Hours()/24/span }
	var b bytes.Buffer
	fmt.Fprintf(&b, `<svg class="timeline" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %.0f %.0f" role="img" aria-labelledby="tl-title">`, left+width+20, h)
	title := "Repatriation chain: events with their dates drawn as ranges"
	if lang == "ko" {
		title = "강제송환 경로: 날짜 범위로 표시한 사건"
	}
	fmt.Fprintf(&b, `<title id="tl-title">%s</title>`, esc(title))
	// Axis: a tick per year, or per month for a short chain.
	for t := time.Date(start.Year(), start.Month(), 1, 0, 0, 0, 0, time.UTC); !t.After(end); {
		next := t.AddDate(0, 1, 0)
		label := t.Format("2006-01")
		if span > 400 {
			t = time.Date(t.Year(), 1, 1, 0, 0, 0, 0, time.UTC)
			next = t.AddDate(1, 0, 0)
			label = t.Format("2006")
		}
		if !t.Before(start) {
			fmt.Fprintf(&b, `<line x1="%.1f" y1="4" x2="%.1f" y2="%.0f" class="tick"/><text x="%.1f" y="%.0f" class="axis">%s</text>`, x(t), x(t), h-16, x(t)+2, h-4, label)
		}
		t = next
	}
	for i, ev := range known {
		y := 10 + float64(i)*row
		a, z := ev.E.Date.Bounds()
		stage := ev.E.Stage
		if stage == "" {
			stage = "—"
		}
		place := ev.E.PlaceText
		if ev.Place != nil {
			place = ev.Place.NameEN
			if lang == "ko" && ev.Place.NameKO != "" {
				place = ev.Place.NameKO
			}
		}
		if place == Redacted {
			place = ""
		}
		fmt.Fprintf(&b, `<text x="4" y="%.0f" class="label">%s %s</text>`, y+14, esc(stage), esc(truncate(place, 24)))
		x0, x1 := x(dayOf(a)), x(dayOf(z).AddDate(0, 0, 1))
		cls := "range"
		if ev.E.Date.Estimated() {
			cls += " estimated"
		}
		desc := fmt.Sprintf("%s: %s (%s – %s)", stage, ev.E.Date.String(), ymd(a), ymd(z))
		if a == z {
			fmt.Fprintf(&b, `<circle cx="%.1f" cy="%.0f" r="5" class="%s"><title>%s</title></circle>`, (x0+x1)/2, y+10, cls, esc(desc))
		} else {
			fmt.Fprintf(&b, `<rect x="%.1f" y="%.0f" width="%.1f" height="14" rx="3" class="%s"><title>%s</title></rect>`, x0, y+3, max(x1-x0, 2), cls, esc(desc))
		}
		// The date's text goes after the bar, or inside its end when the bar
		// reaches the right edge.
		if x1+90 < left+width {
			fmt.Fprintf(&b, `<text x="%.1f" y="%.0f" class="date">%s</text>`, x1+4, y+14, esc(ev.E.Date.String()))
		} else {
			fmt.Fprintf(&b, `<text x="%.1f" y="%.0f" class="date" text-anchor="end">%s</text>`, x1-4, y+14, esc(ev.E.Date.String()))
		}
	}
	b.WriteString(`</svg>`)
	return b.Bytes()
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// The border region's box, in degrees.
const (
	mapW, mapH                     = 760.0, 420.0
	lonMin, lonMax, latMin, latMax = 123.0, 131.0, 39.7, 43.4
)

// borderMap draws the gazetteer's places with known coordinates in the
// border region, crossing pairs joined, from their coordinates alone: no
// tile server, no external resource.
func (s *Server) borderMap(lang string) []byte {
	px := func(p *tumen.Place) (float64, float64, bool) {
		if p.Lat == nil || p.Lon == nil || *p.Lon < lonMin || *p.Lon > lonMax || *p.Lat < latMin || *p.Lat > latMax {
			return 0, 0, false
		}
		return (*p.Lon - lonMin) / (lonMax - lonMin) * mapW, (latMax - *p.Lat) / (latMax - latMin) * mapH, true
	}
	var b bytes.Buffer
	title := "Map of the China–North Korea border region: crossings and facilities from the gazetteer"
	if lang == "ko" {
		title = "북중 국경 지역 지도: 지명사전의 통로와 시설"
	}
	fmt.Fprintf(&b, `<svg class="map" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %.0f %.0f" role="img" aria-labelledby="map-title"><title id="map-title">%s</title>`, mapW, mapH, esc(title))
	fmt.Fprintf(&b, `<rect x="0" y="0" width="%.0f" height="%.0f" class="sea"/>`, mapW, mapH)
	for lon := 124.0; lon <= 130; lon += 2 {
		xx := (lon - lonMin) / (lonMax - lonMin) * mapW
		fmt.Fprintf(&b, `<line x1="%.1f" y1="0" x2="%.1f" y2="%.0f" class="grid"/><text x="%.1f" y="%.0f" class="axis">%.0f°E</text>`, xx, xx, mapH, xx+2, mapH-4, lon)
	}
	for lat := 40.0; lat <= 43; lat++ {
		yy := (latMax - lat) / (latMax - latMin) * mapH
		fmt.Fprintf(&b, `<line x1="0" y1="%.1f" x2="%.0f" y2="%.1f" class="grid"/><text x="2" y="%.1f" class="axis">%.0f°N</text>`, yy, mapW, yy, yy-2, lat)
	}
	drawn := map[string]bool{}
	for _, p := range s.placeList {
		q := s.places[p.CrossingPair]
		if q == nil || drawn[q.ID] {
			continue
		}
		x1, y1, ok1 := px(p)
		x2, y2, ok2 := px(q)
		if ok1 && ok2 {
			fmt.Fprintf(&b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" class="crossing"/>`, x1, y1, x2, y2)
			drawn[p.ID] = true
		}
	}
	for _, p := range s.placeList {
		x, y, ok := px(p)
		if !ok {
			continue
		}
		cls := "place " + p.Country
		for _, k := range p.Kinds {
			if k == "crossing" {
				cls += " crossing-point"
			}
		}
		if p.FacilityType != "" {
			cls += " facility"
		}
		name := p.NameEN
		if lang == "ko" && p.NameKO != "" {
			name = p.NameKO
		}
		fmt.Fprintf(&b, `<circle cx="%.1f" cy="%.1f" r="4" class="%s"><title>%s</title></circle><text x="%.1f" y="%.1f" class="plabel">%s</text>`,
			x, y, esc(cls), esc(p.NameEN+" "+p.NameKO+" "+p.NameZH), x+6, y+4, esc(truncate(name, 22)))
	}
	b.WriteString(`</svg>`)
	return b.Bytes()
}
