package vocab

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Tiers rank how a name key was indexed: a match on an id is surer than
// on a name, and a name surer than a variant.
const (
	tierID = iota
	tierName
	tierVariant
)

// nameHits is the places a name key leads to, at the best tier seen.
type nameHits struct {
	tier   int
	places []int // indexes into Data.Places, no repeats
}

// unique returns the single place of h, if there is exactly one.
func (h nameHits) unique() (int, bool) {
	if len(h.places) != 1 {
		return 0, false
	}
	return h.places[0], true
}

// addName indexes name for place i at tier.
func (x *index) addName(name string, tier, i int) {
	key := normalize(name)
	if key == "" {
		return
	}
	h, ok := x.names[key]
	switch {
	case !ok || tier < h.tier:
		h = nameHits{tier: tier, places: []int{i}}
	case tier == h.tier:
		for _, p := range h.places {
			if p == i {
				return
			}
		}
		h.places = append(h.places, i)
	default: // a worse tier than what the key already has
		return
	}
	x.names[key] = h
}

// fold maps lower-case Latin letters with diacritics to their base letters.
// Romanized Korean (McCune–Reischauer ŏ ŭ), pinyin tone marks and the odd
// European spelling in partner files all reduce to plain ASCII this way.
// The standard library has no Unicode decomposition, so the table is
// written out; decomposed input is handled by dropping combining marks.
var fold = func() map[rune]string {
	m := map[rune]string{}
	for base, letters := range map[string]string{
		"a":  "àáâãäåāăąǎạảấầẩẫậắằẳẵặ",
		"e":  "èéêëēĕėęěẹẻẽếềểễệ",
		"i":  "ìíîïĩīĭįǐıịỉ",
		"o":  "òóôõöøōŏőǒọỏơốồổỗộớờởỡợ",
		"u":  "ùúûüũūŭůűųǔǖǘǚǜụủưứừửữự",
		"c":  "çćĉċč",
		"d":  "ďđ",
		"g":  "ĝğġģ",
		"h":  "ĥħ",
		"j":  "ĵ",
		"k":  "ķ",
		"l":  "ĺļľŀł",
		"n":  "ñńņňŉ",
		"r":  "ŕŗř",
		"s":  "śŝşš",
		"t":  "ţťŧ",
		"w":  "ŵ",
		"y":  "ýÿŷỳỹỵ",
		"z":  "źżž",
		"ss": "ß",
		"ae": "æ",
		"oe": "œ",
	} {
		for _, r := range letters {
			m[r] = base
		}
	}
	return m
}()

// normalize reduces a name to a matching key: Hangul jamo composed into
// syllables, full-width forms made ASCII, lower case, diacritics folded, and
// everything but letters and digits dropped (spaces, hyphens, apostrophes
// such as MR's Ch'ŏngjin, dots, brackets).
func normalize(s string) string {
	s = composeHangul(s)
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if r >= 0xFF01 && r <= 0xFF5E { // full-width ASCII, common in CJK input
			r -= 0xFEE0
		}
		if r >= 0x02B0 && r <= 0x02FF {
			// Spacing modifier letters: ʼ and ʻ stand for MR's apostrophe and
			// are letters to unicode.IsLetter, but not part of the name.
			continue
		}
		r = unicode.ToLower(r)
		if f, ok := fold[r]; ok {
			b.WriteString(f)
			continue
		}
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
		// Everything else, combining marks included, is dropped.
	}
	return b.String()
}

// composeHangul composes conjoining Hangul jamo (U+1100–U+11FF, as in text
// decomposed to NFD, e.g. file names from macOS) into precomposed syllables,
// so that decomposed "온성" matches the gazetteer's composed spelling.
func composeHangul(s string) string {
	hasJamo := false
	for _, r := range s {
		if r >= 0x1100 && r <= 0x11FF {
			hasJamo = true
			break
		}
	}
	if !hasJamo {
		return s
	}
	const (
		sBase, lBase, vBase, tBase = 0xAC00, 0x1100, 0x1161, 0x11A7
		lCount, vCount, tCount     = 19, 21, 28
	)
	rs := []rune(s)
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(rs); i++ {
		l := rs[i] - lBase
		if l >= 0 && l < lCount && i+1 < len(rs) {
			if v := rs[i+1] - vBase; v >= 0 && v < vCount {
				syl := sBase + (l*vCount+v)*tCount
				i++
				if i+1 < len(rs) {
					if t := rs[i+1] - tBase; t > 0 && t < tCount {
						syl += t
						i++
					}
				}
				b.WriteRune(syl)
				continue
			}
		}
		b.WriteRune(rs[i])
	}
	return b.String()
}

// suffixes are administrative words that imported rows add to a place name
// ("Onsong County", "온성군", "图们市"), already normalized. Longer ones come
// first so that "특별시" is tried before "시".
var suffixes = []string{
	"prefecture", "province", "district", "county", "village", "sheng", "city", "town", "zhen", "xian",
	"eup", "gun", "kun", "shi", "si", "up", "ri", "do",
	"노동자구", "특별시", "직할시", "자치주", "자치현", "시", "군", "읍", "리", "구", "도", "성", "현", "진",
	"特别市", "自治州", "自治县", "市", "县", "郡", "区", "镇", "乡", "村", "省", "州",
}

// stripSuffix returns key without each administrative suffix it ends with,
// keeping only remainders of two letters or more, so "도" alone or "do" of
// a two-letter name is never all that is left to match.
func stripSuffix(key string) []string {
	var out []string
	for _, s := range suffixes {
		if rest, ok := strings.CutSuffix(key, s); ok && utf8.RuneCountInString(rest) >= 2 {
			out = append(out, rest)
		}
	}
	return out
}
