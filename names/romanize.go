package names

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

var (
	leadRR  = [lCount]string{"g", "kk", "n", "d", "tt", "r", "m", "b", "pp", "s", "ss", "", "j", "jj", "ch", "k", "t", "p", "h"}
	vowelRR = [vCount]string{"a", "ae", "ya", "yae", "eo", "e", "yeo", "ye", "o", "wa", "wae", "oe", "yo", "u", "wo", "we", "wi", "yu", "eu", "ui", "i"}
	// tailRR gives each final its representative sound, as RR writes it at
	// the end of a syllable: several finals share one spelling (갓, 갖, 같 →
	// gat), which is why ParseRoman returns sets.
	tailRR = [tCount]string{"", "k", "k", "k", "n", "n", "n", "t", "l", "k", "m", "l", "l", "l", "p", "l", "m", "p", "p", "t", "t", "ng", "t", "t", "k", "t", "p", "t"}

	leadMR   = [lCount]string{"k", "kk", "n", "t", "tt", "r", "m", "p", "pp", "s", "ss", "", "ch", "tch", "ch'", "k'", "t'", "p'", "h"}
	vowelMR  = [vCount]string{"a", "ae", "ya", "yae", "ŏ", "e", "yŏ", "ye", "o", "wa", "wae", "oe", "yo", "u", "wŏ", "we", "wi", "yu", "ŭ", "ŭi", "i"}
	leadNK   = [lCount]string{"k", "kk", "n", "t", "tt", "r", "m", "p", "pp", "s", "ss", "", "j", "jj", "ch", "kh", "th", "ph", "h"}
	vowelNK  = [vCount]string{"a", "ae", "ya", "yae", "o", "e", "yo", "ye", "o", "wa", "wae", "oe", "yo", "u", "wo", "we", "wi", "yu", "u", "ui", "i"}
	leadPrac = [lCount]string{"k", "kk", "n", "d", "tt", "r", "m", "b", "pp", "s", "ss", "", "j", "jj", "ch", "k", "t", "p", "h"}
)

// voicedAfter reports whether a syllable with this final ends in a voiced
// sound, after which McCune–Reischauer and the North Korean system write the
// plain stops ㄱ ㄷ ㅂ ㅈ as g d b j.
func voicedAfter(tail int) bool {
	switch tail {
	case tNone, tN, tNJ, tNH, tL, tLM, tM, tNG:
		return true
	}
	return false
}

// RomanizeRR writes Hangul in Revised Romanization, syllable by syllable,
// lower case and without separators: 영호 → "yeongho", 이 → "i". As in
// South Korean practice for personal names, no sound change is carried
// across syllables (신라 stays "sinra"). Spaces and other runes are kept.
func RomanizeRR(hangul string) string {
	var b strings.Builder
	for _, r := range composeJamo(hangul) {
		l, v, t, ok := Decompose(r)
		if !ok {
			b.WriteRune(r)
			continue
		}
		b.WriteString(leadRR[l])
		b.WriteString(vowelRR[v])
		b.WriteString(tailRR[t])
	}
	return b.String()
}

// RomanizeMR writes Hangul in McCune–Reischauer: 영호 → "yŏngho", 철 →
// "ch'ŏl". With diacritics false the breves and the aspiration apostrophes
// are dropped, as most people type it: "yongho", "chol". Each space-separated
// word starts voiceless (k, t, p, ch) and the plain stops are voiced (g, d,
// b, j) after a vowel or a voiced final (대중 → "taejung"); other sound
// changes are not applied, which matches how names are written.
func RomanizeMR(hangul string, diacritics bool) string {
	var b strings.Builder
	prev := -1 // tail of the previous syllable in this word, -1 at a word start
	for _, r := range composeJamo(hangul) {
		l, v, t, ok := Decompose(r)
		if !ok {
			b.WriteRune(r)
			prev = -1
			continue
		}
		b.WriteString(mrSyllable(l, v, t, prev))
		prev = t
	}
	if diacritics {
		return b.String()
	}
	return plainMR(b.String())
}

func mrSyllable(l, v, t, prev int) string {
	lead := leadMR[l]
	switch {
	case prev >= 0 && voicedAfter(prev) && (l == leadG || l == leadD || l == leadB || l == leadJ):
		lead = [...]string{leadG: "g", leadD: "d", leadB: "b", leadJ: "j"}[l]
	case l == leadS && (v == vI || v == vWI):
		lead = "sh"
	case l == leadR && (prev == tL):
		lead = "l"
	}
	return lead + vowelMR[v] + tailRR[t]
}

// plainMR drops McCune–Reischauer's diacritics and apostrophes.
func plainMR(s string) string {
	return strings.NewReplacer("ŏ", "o", "ŭ", "u", "Ŏ", "O", "Ŭ", "U", "'", "").Replace(s)
}

// romanizeNorth writes one syllable in the North Korean system as names
// appear in DPRK publications ("Ri Yong Ho", "Choe Ryong Hae", "Thae Yong
// Ho"): ㅓ and ㅗ are both o, ㅡ and ㅜ both u, aspirates are kh th ph ch,
// and ㄱ ㄷ ㅂ are voiced after a voiced sound within the given name.
func romanizeNorth(l, v, t, prev int) string {
	lead := leadNK[l]
	if prev >= 0 && voicedAfter(prev) {
		switch l {
		case leadG:
			lead = "g"
		case leadD:
			lead = "d"
		case leadB:
			lead = "b"
		}
	}
	if l == leadR && prev == tL {
		lead = "l"
	}
	return lead + vowelNK[v] + tailRR[t]
}

// romanizePractical writes one syllable the way South Koreans commonly spell
// their own names outside any official system: 영 → young, 정 → jung,
// 수 → soo, 희 → hee, 철 → chul, 현 → hyun, 경 → kyung, 윤 → yoon.
func romanizePractical(l, v, t int) string {
	lead := leadPrac[l]
	if l == leadS && v == vI {
		lead = "sh"
	}
	var vowel string
	switch v {
	case vEO:
		vowel = "eo"
		if t != tNone {
			vowel = "u" // 성 sung, 정 jung, 철 chul, 선 sun
		}
	case vYEO:
		switch {
		case l == leadO && t == tNG:
			vowel = "you" // 영 young
		case l != leadO && t != tNone:
			vowel = "yu" // 현 hyun, 경 kyung, 명 myung
		default:
			vowel = "yeo"
		}
	case vU:
		vowel = "oo" // 수 soo, 훈 hoon
		if l == leadO {
			vowel = "woo"
			if t != tNone {
				vowel = "u" // 운 un, 웅 ung
			}
		}
	case vYU:
		vowel = "yu"
		if l == leadO {
			vowel = "yoo" // 유 yoo, 윤 yoon
		}
	case vUI:
		vowel = "ee" // 희 hee
		if l == leadO {
			vowel = "eui"
		}
	default:
		vowel = vowelRR[v]
	}
	return lead + vowel + tailRR[t]
}

// Style selects how FormatName writes a name.
type Style int

// The styles FormatName knows. The South Korean styles write the South form
// of the Hangul (ToSouth), StyleNorth the North form (ToNorth).
const (
	// StyleRR is strict Revised Romanization, family name first, given name
	// as one word, the surname romanized like any syllable: "I Yeongho".
	StyleRR Style = iota
	// StyleRRHyphen is Revised Romanization with the given name's syllables
	// joined by hyphens, which the RR rules allow for names: "I Yeong-ho".
	StyleRRHyphen
	// StyleMR is McCune–Reischauer with diacritics and the conventional MR
	// surname spellings (이 → Yi): "Yi Yŏng-ho", "Ch'oe Ch'ŏl-su".
	StyleMR
	// StyleMRPlain is StyleMR without breves and apostrophes, as most
	// English-language press writes it: "Yi Yong-ho", "Choe Chol-su".
	StyleMRPlain
	// StyleNorth is the DPRK's own style: North Hangul, every syllable a
	// capitalised word: "Ri Yong Ho", "Choe Ryong Hae".
	StyleNorth
	// StylePassport is given name first, upper case, the given name in RR
	// as one word and the family name in its commonest practical spelling,
	// as in a South Korean passport's machine-readable zone: "YEONGHO LEE".
	StylePassport
	// StylePractical is the spelling most South Koreans choose for
	// themselves: "Lee Young-ho", "Park Chul-soo", "Choi Jung-hee".
	StylePractical
)

// Styles lists every Style, for callers that want all spellings.
func Styles() []Style {
	return []Style{StyleRR, StyleRRHyphen, StyleMR, StyleMRPlain, StyleNorth, StylePassport, StylePractical}
}

// String returns the style's constant name without the prefix.
func (s Style) String() string {
	switch s {
	case StyleRR:
		return "RR"
	case StyleRRHyphen:
		return "RRHyphen"
	case StyleMR:
		return "MR"
	case StyleMRPlain:
		return "MRPlain"
	case StyleNorth:
		return "North"
	case StylePassport:
		return "Passport"
	case StylePractical:
		return "Practical"
	}
	return "Style(?)"
}

// mrSurnames are the McCune–Reischauer spellings that convention uses for
// surnames where plain MR would give something odd ("I").
var mrSurnames = map[string]string{"이": "yi", "리": "ri"}

// FormatName writes a name given in Hangul (family and given parts, South
// or North spelling) in the given style; see the Style constants for
// examples. An empty part is left out. Syllables that are not Hangul are
// copied through.
func FormatName(family, given string, style Style) string {
	family = strings.TrimSpace(composeJamo(family))
	given = strings.Join(strings.Fields(composeJamo(given)), "")
	family, given = convertParts(family, given, style == StyleNorth)
	var fam, giv string
	switch style {
	case StyleRR, StyleRRHyphen:
		fam = capitalize(RomanizeRR(family))
		sep := ""
		if style == StyleRRHyphen {
			sep = "-"
		}
		giv = capitalize(joinSyllables(given, sep, func(l, v, t, _ int) string {
			return leadRR[l] + vowelRR[v] + tailRR[t]
		}))
	case StyleMR, StyleMRPlain:
		if s, ok := mrSurnames[family]; ok {
			fam = s
		} else {
			fam = RomanizeMR(family, true)
		}
		giv = joinSyllables(given, "-", mrSyllable)
		if style == StyleMRPlain {
			fam, giv = plainMR(fam), plainMR(giv)
		}
		fam, giv = capitalize(fam), capitalize(giv)
	case StyleNorth:
		fam = capitalize(joinSyllables(family, "", func(l, v, t, prev int) string { return romanizeNorth(l, v, t, prev) }))
		var parts []string
		prev := -1
		for _, r := range given {
			l, v, t, ok := Decompose(r)
			if !ok {
				parts = append(parts, string(r))
				prev = -1
				continue
			}
			parts = append(parts, capitalize(romanizeNorth(l, v, t, prev)))
			prev = t
		}
		giv = strings.Join(parts, " ")
	case StylePassport:
		giv = strings.ToUpper(RomanizeRR(given))
		fam = strings.ToUpper(practicalFamily(family))
		return joinNonEmpty(giv, fam)
	case StylePractical:
		fam = practicalFamily(family)
		giv = capitalize(joinSyllables(given, "-", func(l, v, t, _ int) string { return romanizePractical(l, v, t) }))
		// Practical spellings hyphenate once: "Young-ho", "Min-jung".
		if i := strings.Index(giv, "-"); i >= 0 {
			giv = giv[:i+1] + strings.ReplaceAll(giv[i+1:], "-", "")
		}
	}
	return joinNonEmpty(fam, giv)
}

// convertParts brings a name to its South (or North) spelling, applying the
// initial-sound rule to each part separately so that an empty family name
// does not make the given name's first syllable count as a surname.
func convertParts(family, given string, north bool) (string, string) {
	fam, giv := southInitial, southInitial
	if north {
		fam = func(r rune) rune { return lookupRune(northSurnames, r) }
		giv = func(r rune) rune { return lookupRune(northGiven, r) }
	}
	return mapFirst(family, fam), mapFirst(given, giv)
}

func mapFirst(s string, f func(rune) rune) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	return string(f(r)) + s[n:]
}

func practicalFamily(family string) string {
	if ps := PracticalSurnames(family); len(ps) > 0 {
		return ps[0]
	}
	return capitalize(joinSyllables(family, "", func(l, v, t, _ int) string { return romanizePractical(l, v, t) }))
}

// joinSyllables romanizes each syllable of s with f (which sees the previous
// syllable's final, or -1 at the start) and joins them with sep.
func joinSyllables(s, sep string, f func(l, v, t, prev int) string) string {
	var b strings.Builder
	prev := -1
	for i, r := range []rune(s) {
		if i > 0 {
			b.WriteString(sep)
		}
		l, v, t, ok := Decompose(r)
		if !ok {
			b.WriteRune(r)
			prev = -1
			continue
		}
		b.WriteString(f(l, v, t, prev))
		prev = t
	}
	return b.String()
}

func joinNonEmpty(a, b string) string {
	switch {
	case a == "":
		return b
	case b == "":
		return a
	}
	return a + " " + b
}

func capitalize(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}

// Spellings returns the distinct ways one name is commonly written in Latin
// letters: every Style, each practical surname spelling with the practical
// and the RR given name, and given-name-first forms. It is meant for the
// demo data generator, which picks among them; the order is stable.
func Spellings(family, given string) []string {
	var out []string
	seen := make(map[string]bool)
	add := func(s string) {
		if s != "" && !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	for _, st := range Styles() {
		add(FormatName(family, given, st))
	}
	sf, sg := convertParts(strings.TrimSpace(family), strings.Join(strings.Fields(given), ""), false)
	prac := FormatName("", sg, StylePractical)
	rr := FormatName("", sg, StyleRRHyphen)
	plain := FormatName("", sg, StyleMRPlain)
	for _, s := range PracticalSurnames(sf) {
		add(s + " " + prac)
		add(s + " " + rr)
		add(s + " " + plain)
		add(prac + " " + s)
		add(strings.ReplaceAll(rr, "-", "") + " " + s)
	}
	return out
}
