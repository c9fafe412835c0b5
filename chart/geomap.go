package chart

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"tumen"
	"tumen/count"
)

// Map draws the border region from the gazetteer's coordinates: border
// crossings (diamonds, with a line to the place across the river),
// facilities (squares) and towns (dots), each labelled in English and
// Korean, with a circle whose area is the count of t (a one-way table by
// count.Place) at that place. No tiles and no borders are drawn: only
// what the gazetteer knows, on a latitude–longitude grid (equirectangular,
// scaled for the region's latitude).
//
// The region is the box around the crossings and facilities with a
// position. Places whose position is not known (coord_basis "unknown")
// are never guessed: the crossings and facilities among them, and any
// place with a count, are listed under the map, as are counted places
// outside the box. A dashed outline marks a position that is
// approximate or the town's point rather than the place's own. t may be
// nil for a map of the gazetteer alone.
func Map(places []*tumen.Place, t *count.Table, o Options) []byte {
	o = o.withDefaults("map")
	w := float64(o.Width)
	counts := map[string]count.Cell{}
	if t != nil {
		for i, b := range t.RowBins {
			if b.Kind == count.KindValue {
				counts[b.Key] = t.Row(i)
			}
		}
	}
	byID := map[string]*tumen.Place{}
	for _, p := range places {
		byID[p.ID] = p
	}
	isCrossing := func(p *tumen.Place) bool { return hasKind(p, "crossing") }
	isFacility := func(p *tumen.Place) bool { return p.FacilityType != "" }
	// The box: crossings and facilities with a position, padded.
	latMin, latMax, lonMin, lonMax := math.Inf(1), math.Inf(-1), math.Inf(1), math.Inf(-1)
	for _, p := range places {
		if p.Lat == nil || p.Lon == nil || !(isCrossing(p) || isFacility(p)) {
			continue
		}
		latMin, latMax = math.Min(latMin, *p.Lat), math.Max(latMax, *p.Lat)
		lonMin, lonMax = math.Min(lonMin, *p.Lon), math.Max(lonMax, *p.Lon)
	}
	if math.IsInf(latMin, 1) {
		latMin, latMax, lonMin, lonMax = 39.8, 43.3, 124, 130.8 // the Yalu and Tumen
	}
	latMin, latMax = latMin-0.35, latMax+0.35
	lonMin, lonMax = lonMin-0.45, lonMax+0.45
	kx := math.Cos((latMin + latMax) / 2 * math.Pi / 180)
	mx0, mx1 := 16.0, w-16
	scale := (mx1 - mx0) / ((lonMax - lonMin) * kx)
	my0 := 64.0
	my1 := my0 + (latMax-latMin)*scale
	px := func(lon float64) float64 { return mx0 + (lon-lonMin)*kx*scale }
	py := func(lat float64) float64 { return my0 + (latMax-lat)*scale }
	inside := func(p *tumen.Place) bool {
		return p.Lat != nil && p.Lon != nil && *p.Lat >= latMin && *p.Lat <= latMax && *p.Lon >= lonMin && *p.Lon <= lonMax
	}

	// Drawn: places inside the box that are crossings, facilities, or
	// counted, or towns (cities and county towns) for orientation.
	var drawn, unplaced, outside []*tumen.Place
	for _, p := range places {
		relevant := isCrossing(p) || isFacility(p) || counts[p.ID].N > 0 || counts[p.ID].Withheld
		town := hasKind(p, "city") || hasKind(p, "county-town") || hasKind(p, "border-settlement") || hasKind(p, "town")
		switch {
		case inside(p) && (relevant || town):
			drawn = append(drawn, p)
		case p.Lat == nil && relevant:
			unplaced = append(unplaced, p)
		case p.Lat != nil && !inside(p) && (counts[p.ID].N > 0 || counts[p.ID].Withheld):
			outside = append(outside, p)
		}
	}
	// The lists under the map: two columns when every entry fits half
	// the width, else one.
	entry := func(p *tumen.Place) string {
		txt := p.NameEN
		if p.NameKO != "" {
			txt += " " + p.NameKO
		}
		if c, ok := counts[p.ID]; ok && (c.N > 0 || c.Withheld) {
			if c.Withheld {
				txt += " (–)"
			} else {
				txt += " (" + thousands(c.N) + ")"
			}
		}
		if par := byID[p.ParentID]; par != nil && p.Lat == nil {
			txt += ", in " + par.NameEN
		}
		return txt
	}
	cols := 2.0
	for _, p := range append(append([]*tumen.Place{}, unplaced...), outside...) {
		if textWidth(entry(p), 11) > (w-32)/2-10 {
			cols = 1
		}
	}
	rowsOf := func(n int) float64 { return math.Ceil(float64(n) / cols) }
	listH := 0.0
	if len(unplaced) > 0 {
		listH += 30 + 16*rowsOf(len(unplaced))
	}
	if len(outside) > 0 {
		listH += 30 + 16*rowsOf(len(outside))
	}
	h := my1 + 56 + listH
	title := "Border region: crossings and facilities"
	titleKO := "국경 지역: 도강 지점과 시설"
	if t != nil {
		title = fmt.Sprintf("Border region: %s at each place", strings.ToLower(string(t.Unit)))
		titleKO = "국경 지역: 장소별 " + t.TitleKO
	}
	s := newSVG(o.ID, int(w), int(math.Ceil(h)), title+" · "+titleKO, mapDesc(drawn, unplaced, outside, counts, byID, t))
	s.text(16, 24, "", 15, "bold", "", title)
	s.text(16+textWidth(title, 15)+12, 24, "", 13, "", grey, titleKO)
	// Legend.
	lx := 16.0
	legend := func(draw func(x, y float64), label string) {
		draw(lx+7, 44)
		s.text(lx+18, 48.5, "", 12, "", "", label)
		lx += 18 + textWidth(label, 12) + 16
	}
	legend(func(x, y float64) { s.raw(`%s`, diamond(x, y, 6, ink, ink)) }, "crossing · 도강 지점")
	legend(func(x, y float64) { s.rect(x-5, y-5, 10, 10, ink, "") }, "facility · 시설")
	legend(func(x, y float64) { s.raw(`<circle cx="%s" cy="%s" r="3" fill="#444444"/>`, num(x), num(y)) }, "town · 도시")
	legend(func(x, y float64) {
		s.raw(`<circle cx="%s" cy="%s" r="6" fill="none" stroke="#444444" stroke-dasharray="2 2"/>`, num(x), num(y))
	}, "approximate position · 대략적 위치")
	if t != nil {
		legend(func(x, y float64) {
			s.raw(`<circle cx="%s" cy="%s" r="6" fill="%s" fill-opacity="0.18" stroke="%s"/>`, num(x), num(y), ink, ink)
		}, "area: count · 면적: 건수")
	}

	// Frame and grid.
	s.rect(mx0, my0, mx1-mx0, my1-my0, "#fbfbf8", "#999999")
	for lat := math.Ceil(latMin); lat <= latMax; lat++ {
		s.line(mx0, py(lat), mx1, py(lat), gridGrey, 1, "2 3")
		s.text(mx0+3, py(lat)-3, "", 10, "", grey, fmt.Sprintf("%.0f°N", lat))
	}
	for lon := math.Ceil(lonMin); lon <= lonMax; lon++ {
		s.line(px(lon), my0, px(lon), my1, gridGrey, 1, "2 3")
		s.text(px(lon)+3, my1-4, "", 10, "", grey, fmt.Sprintf("%.0f°E", lon))
	}
	// Crossing pairs: the bridge or customs post between two banks.
	for _, p := range drawn {
		q := byID[p.CrossingPair]
		if !isCrossing(p) || q == nil || !inside(q) || p.ID > q.ID {
			continue
		}
		s.line(px(*p.Lon), py(*p.Lat), px(*q.Lon), py(*q.Lat), "#444444", 1.5, "")
	}
	// Count circles, largest first so small ones stay visible.
	top := 1
	for _, c := range counts {
		top = max(top, c.N)
	}
	maxR := 28.0
	circles := append([]*tumen.Place{}, drawn...)
	sort.SliceStable(circles, func(i, j int) bool { return counts[circles[i].ID].N > counts[circles[j].ID].N })
	for _, p := range circles {
		if c := counts[p.ID]; c.N > 0 {
			r := maxR * math.Sqrt(float64(c.N)/float64(top))
			s.raw(`<circle cx="%s" cy="%s" r="%s" fill="%s" fill-opacity="0.18" stroke="%s" stroke-width="1"/>`, num(px(*p.Lon)), num(py(*p.Lat)), num(math.Max(r, 3)), ink, ink)
		}
	}
	// Markers, then labels placed where they overlap nothing placed
	// before: crossings and facilities first, then the busiest places.
	sort.SliceStable(drawn, func(i, j int) bool {
		ri, rj := rank(drawn[i], counts), rank(drawn[j], counts)
		if ri != rj {
			return ri > rj
		}
		return drawn[i].ID < drawn[j].ID
	})
	var taken []box
	for _, p := range drawn {
		x, y := px(*p.Lon), py(*p.Lat)
		fill := "#ffffff"
		if p.Country == "KP" {
			fill = ink
		}
		switch {
		case isCrossing(p):
			s.raw(`%s`, diamond(x, y, 6, fill, ink))
		case isFacility(p):
			s.rect(x-5, y-5, 10, 10, fill, ink)
		default:
			s.raw(`<circle cx="%s" cy="%s" r="3" fill="#444444"/>`, num(x), num(y))
		}
		if p.CoordBasis != "facility_published" && (isCrossing(p) || isFacility(p)) {
			s.raw(`<circle cx="%s" cy="%s" r="10" fill="none" stroke="#444444" stroke-dasharray="2 2"/>`, num(x), num(y))
		}
		taken = append(taken, box{x - 6, y - 6, x + 6, y + 6})
	}
	for _, p := range drawn {
		x, y := px(*p.Lon), py(*p.Lat)
		label := p.NameEN
		if p.NameKO != "" {
			label += " " + p.NameKO
		}
		if c, ok := counts[p.ID]; ok {
			if c.Withheld {
				label += " (–)"
			} else if c.N > 0 {
				label += " (" + thousands(c.N) + ")"
			}
		}
		size := 11.0
		if !(isCrossing(p) || isFacility(p)) && counts[p.ID].N == 0 {
			size = 10
		}
		lw, lh := textWidth(label, size), size+2
		for _, off := range labelOffsets {
			bx := x + off[0]
			if off[0] < 0 {
				bx -= lw
			} else if off[0] == 0 {
				bx -= lw / 2
			}
			by := y + off[1] - lh/2
			b := box{bx, by, bx + lw, by + lh}
			if b.x0 < mx0+2 || b.x1 > mx1-2 || b.y0 < my0+2 || b.y1 > my1-14 || overlaps(b, taken) {
				continue
			}
			taken = append(taken, b)
			if math.Abs(off[0]) > 10 || math.Abs(off[1]) > 14 {
				// Far from its marker: a leader line says whose it is.
				lx := math.Max(b.x0, math.Min(x, b.x1))
				ly := b.y1 - 2
				if off[1] > 0 {
					ly = b.y0 + 2
				}
				s.line(x, y, lx, ly, "#888888", 0.8, "")
			}
			fill := "#111111"
			if size == 10 {
				fill = "#444444"
			}
			s.raw(`<text x="%s" y="%s" font-size="%s" fill="%s" stroke="#ffffff" stroke-width="3" paint-order="stroke">%s</text>`, num(b.x0), num(b.y1-3), num(size), fill, esc(label))
			break
		}
		// A label with no free place is left out: the description and
		// the report's table still name the place.
	}
	// What the map cannot show.
	ly := my1 + 22
	note := "Filled markers: North Korea; open markers: China. A line joins the two banks of a crossing."
	for _, l := range wrap(note, w-32, 12) {
		s.text(16, ly, "", 12, "", "", l)
		ly += 16
	}
	list := func(heading string, ps []*tumen.Place) {
		if len(ps) == 0 {
			return
		}
		ly += 12
		s.text(16, ly, "", 12, "bold", "", heading)
		ly += 18
		colW := (w - 32) / cols
		for i, p := range ps {
			col, row := i%int(cols), i/int(cols)
			s.text(16+colW*float64(col), ly+16*float64(row), "", 11, "", "", clip(entry(p), colW-10, 11))
		}
		ly += 16 * rowsOf(len(ps))
	}
	list("Position not known, not drawn · 위치 미상", unplaced)
	list("Outside the region · 지역 밖", outside)
	return s.bytes()
}

// labelOffsets are the candidate label positions around a marker: right,
// left, above, below, then further out.
var labelOffsets = [][2]float64{{9, 0}, {-9, 0}, {0, -13}, {0, 13}, {9, -12}, {9, 12}, {-9, -12}, {-9, 12},
	{16, -24}, {16, 24}, {-16, -24}, {-16, 24}, {0, -30}, {0, 30}, {26, -36}, {26, 36}, {-26, -36}, {-26, 36}, {40, 0}, {-40, 0}}

type box struct{ x0, y0, x1, y1 float64 }

func overlaps(b box, taken []box) bool {
	for _, t := range taken {
		if b.x0 < t.x1 && t.x0 < b.x1 && b.y0 < t.y1 && t.y0 < b.y1 {
			return true
		}
	}
	return false
}

func rank(p *tumen.Place, counts map[string]count.Cell) int {
	r := counts[p.ID].N
	if hasKind(p, "crossing") || p.FacilityType != "" {
		r += 1 << 30
	}
	return r
}

func diamond(x, y, r float64, fill, stroke string) string {
	return fmt.Sprintf(`<path d="M%s %s L%s %s L%s %s L%s %s Z" fill="%s" stroke="%s" stroke-width="1.2"/>`,
		num(x), num(y-r), num(x+r), num(y), num(x), num(y+r), num(x-r), num(y), fill, stroke)
}

func hasKind(p *tumen.Place, k string) bool {
	for _, x := range p.Kinds {
		if x == k {
			return true
		}
	}
	return false
}

func mapDesc(drawn, unplaced, outside []*tumen.Place, counts map[string]count.Cell, byID map[string]*tumen.Place, t *count.Table) string {
	var b strings.Builder
	b.WriteString("Map of the border region between China and North Korea, drawn from the gazetteer's coordinates. ")
	name := func(p *tumen.Place) string {
		n := p.NameEN
		if p.NameKO != "" {
			n += " (" + p.NameKO + ")"
		}
		if c, ok := counts[p.ID]; ok {
			if c.Withheld {
				n += ": withheld"
			} else if c.N > 0 {
				n += ": " + thousands(c.N)
			}
		}
		return n
	}
	var cross, fac []string
	for _, p := range drawn {
		switch {
		case hasKind(p, "crossing"):
			pair := ""
			if q := byID[p.CrossingPair]; q != nil {
				pair = ", across from " + q.NameEN
			}
			cross = append(cross, name(p)+pair)
		case p.FacilityType != "":
			fac = append(fac, name(p))
		}
	}
	sort.Strings(cross)
	sort.Strings(fac)
	if t != nil {
		fmt.Fprintf(&b, "Numbers are %s at each place. ", strings.ToLower(string(t.Unit)))
	}
	if len(cross) > 0 {
		b.WriteString("Crossings: " + strings.Join(cross, "; ") + ". ")
	}
	if len(fac) > 0 {
		b.WriteString("Facilities: " + strings.Join(fac, "; ") + ". ")
	}
	var un []string
	for _, p := range unplaced {
		un = append(un, name(p))
	}
	if len(un) > 0 {
		b.WriteString("Position not known, not drawn: " + strings.Join(un, "; ") + ". ")
	}
	var out []string
	for _, p := range outside {
		out = append(out, name(p))
	}
	if len(out) > 0 {
		b.WriteString("Outside the region, not drawn: " + strings.Join(out, "; ") + ".")
	}
	return strings.TrimSpace(b.String())
}
