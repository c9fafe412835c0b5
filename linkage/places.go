package linkage

import (
	"strings"
	"unicode"

	"tumen"
	"tumen/vocab"
)

// places resolves place names to gazetteer places and knows how two
// places relate: the same, across the river from each other, one inside
// the other, in the same province. Names the gazetteer does not know get
// indexes of their own, equal only to the same folded text.
type places struct {
	gaz   *vocab.Data
	byID  map[string]int32
	byRaw map[string]int32 // a name as written → index, a cache of lookups
	byKey map[string]int32 // folded text of unknown names → index
	n     int32            // gazetteer places; indexes from n up are unknown names
	rel   []uint8          // n×n relation levels
	// site maps a gazetteer place to its crossing site: the lower index of
	// the two towns facing each other across the river, found through the
	// place or a place above it, so that Tumen, its detention centre and
	// Namyang share one site. Other places are their own site.
	site []int32
}

// The relations of two places, as the levels of a place comparison.
const (
	placeSame     = 1
	placeCrossing = 2
	placeWithin   = 3
	placeProvince = 4
	placeOther    = 5
)

var placeLevels = []string{"same place", "across the river", "one within the other", "same province", "different"}

func newPlaces(gaz *vocab.Data) *places {
	p := &places{gaz: gaz, byID: map[string]int32{}, byRaw: map[string]int32{}, byKey: map[string]int32{}}
	if gaz == nil {
		return p
	}
	ps := gaz.Places
	p.n = int32(len(ps))
	for i, pl := range ps {
		p.byID[pl.ID] = int32(i)
	}
	// ancestors[i] lists i and the places above it, below country level:
	// "in North Korea" says nothing worth a level of its own.
	anc := make([][]int32, len(ps))
	for i := range ps {
		seen := map[int32]bool{}
		for x := int32(i); x >= 0 && !seen[x]; {
			seen[x] = true
			if isCountry(ps[x]) {
				break
			}
			anc[i] = append(anc[i], x)
			par, ok := p.byID[ps[x].ParentID]
			if !ok {
				break
			}
			x = par
		}
	}
	crossing := func(a, b int32) bool {
		for _, x := range anc[a] {
			if c, ok := p.byID[ps[x].CrossingPair]; ok {
				for _, y := range anc[b] {
					if y == c {
						return true
					}
				}
			}
		}
		return false
	}
	contains := func(a, b int32) bool { // a is b or above it
		for _, y := range anc[b] {
			if y == a {
				return true
			}
		}
		return false
	}
	p.site = make([]int32, len(ps))
	for i := range ps {
		p.site[i] = int32(i)
		for _, x := range anc[i] {
			if c, ok := p.byID[ps[x].CrossingPair]; ok {
				p.site[i] = min(x, c)
				break
			}
		}
	}
	p.rel = make([]uint8, len(ps)*len(ps))
	for a := range int32(len(ps)) {
		for b := range int32(len(ps)) {
			r := uint8(placeOther)
			switch {
			case a == b:
				r = placeSame
			case crossing(a, b) || crossing(b, a):
				r = placeCrossing
			case contains(a, b) || contains(b, a):
				r = placeWithin
			case ps[a].Province != "" && ps[a].Province == ps[b].Province:
				r = placeProvince
			}
			p.rel[int(a)*len(ps)+int(b)] = r
		}
	}
	return p
}

func isCountry(pl tumen.Place) bool {
	for _, k := range pl.Kinds {
		if k == "country" {
			return true
		}
	}
	return pl.ParentID == "" && len(pl.ID) == 2
}

// resolve returns the index of a place given by gazetteer id or by name,
// or -1 when neither is given.
func (p *places) resolve(id, name string) int32 {
	if id != "" {
		if i, ok := p.byID[id]; ok {
			return i
		}
	}
	if name == "" {
		return -1
	}
	if i, ok := p.byRaw[name]; ok {
		return i
	}
	i := int32(-1)
	if p.gaz != nil {
		if pl, ok := p.gaz.FindPlace(name); ok {
			i = p.byID[pl.ID]
		}
	}
	if i < 0 {
		k := foldPlace(name)
		if k == "" {
			i = -1
		} else if j, ok := p.byKey[k]; ok {
			i = j
		} else {
			i = p.n + int32(len(p.byKey))
			p.byKey[k] = i
		}
	}
	p.byRaw[name] = i
	return i
}

// relation returns the comparison level of two resolved places.
func (p *places) relation(a, b int32) int {
	switch {
	case a < 0 || b < 0:
		return 0
	case a == b:
		return placeSame
	case a >= p.n || b >= p.n:
		return placeOther
	}
	return int(p.rel[int(a)*int(p.n)+int(b)])
}

// siteOf returns the crossing site of a resolved place (see places.site),
// or -1 when the place is unknown.
func (p *places) siteOf(a int32) int32 {
	switch {
	case a < 0:
		return -1
	case a < p.n:
		return p.site[a]
	}
	return a
}

// foldPlace folds a place name the gazetteer does not know: lower case,
// letters and digits only.
func foldPlace(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}
