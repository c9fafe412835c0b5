package names

import (
	"math/bits"
	"sort"
	"strings"
	"sync"
	"unicode"
)

// A romanized name is first folded to a small alphabet so that the parser
// sees one spelling per sound: lower-case ASCII letters, 'O' for ŏ (with
// any of the marks people type for it: breve, caron, circumflex, tilde,
// diaeresis), 'U' for ŭ, 'V' for ü, '\” for any apostrophe-like mark and
// '-' for any hyphen or dash. Spaces, commas and dots separate tokens.

// token is one folded word of a romanized name.
type token struct {
	s       string // folded text
	foreign bool   // held letters this package cannot read (digits, other scripts)
}

// pinyinForm is the token as pinyin: the Korean-only marks are dropped and
// the passport spellings lyu/nyu for lü/nü are understood.
func (t token) pinyinForm() string {
	b := make([]byte, 0, len(t.s))
	for i := 0; i < len(t.s); i++ {
		c := t.s[i]
		switch c {
		case 'O':
			c = 'o'
		case 'U':
			c = 'u'
		case 'V':
			c = 'v'
		case 'y':
			// lyu, nyu: the y-u pair after l or n is ü
			if n := len(b); n > 0 && (b[n-1] == 'l' || b[n-1] == 'n') && i+1 < len(t.s) && t.s[i+1] == 'u' {
				b = append(b, 'v')
				i++
				continue
			}
		}
		b = append(b, c)
	}
	return string(b)
}

// plain is the token in lower-case letters only, for string comparison.
func (t token) plain() string {
	b := make([]byte, 0, len(t.s))
	for i := 0; i < len(t.s); i++ {
		switch c := t.s[i]; c {
		case 'O':
			b = append(b, 'o')
		case 'U', 'V':
			b = append(b, 'u')
		case '\'', '-':
		default:
			b = append(b, c)
		}
	}
	return string(b)
}

// foldTokens folds s into tokens and reports the index of the first token
// after a comma ("LEE, Young Ho" marks the family name), or -1.
func foldTokens(s string) (toks []token, comma int) {
	comma = -1
	var b []byte
	foreign := false
	flush := func() {
		if len(b) > 0 {
			toks = append(toks, token{s: string(b), foreign: foreign})
		}
		b, foreign = b[:0], false
	}
	for _, r := range s {
		switch {
		case r < 0x80 && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z'):
			b = append(b, byte(unicode.ToLower(r)))
			continue
		case r >= 0xFF21 && r <= 0xFF3A: // fullwidth A–Z
			b = append(b, byte(r-0xFF21+'a'))
			continue
		case r >= 0xFF41 && r <= 0xFF5A: // fullwidth a–z
			b = append(b, byte(r-0xFF41+'a'))
			continue
		}
		switch r {
		case '\'', '’', '‘', '`', 'ʼ', 'ʻ', '´', 'ʹ', '′':
			b = append(b, '\'')
		case '-', '‐', '‑', '‒', '–', '—', '_', '·':
			b = append(b, '-')
		case ',', '，':
			flush()
			if comma < 0 {
				comma = len(toks)
			}
		case '\u0306', '\u030C', '\u0302', '\u0303', '\u0308', '\u030B':
			// A combining mark: on o or u it makes ŏ or ŭ (ü for a
			// diaeresis on u); on anything else it is dropped.
			if n := len(b); n > 0 {
				switch b[n-1] {
				case 'o':
					b[n-1] = 'O'
				case 'u':
					b[n-1] = 'U'
					if r == '\u0308' {
						b[n-1] = 'V'
					}
				}
			}
		default:
			if f, ok := foldLetter(r); ok {
				b = append(b, f...)
			} else if unicode.Is(unicode.Mn, r) {
				// other combining marks (pinyin tones) carry nothing here
			} else if unicode.IsLetter(r) || unicode.IsDigit(r) {
				b = append(b, []byte(string(unicode.ToLower(r)))...)
				foreign = true
			} else {
				flush()
			}
		}
	}
	flush()
	return toks, comma
}

// foldLetter maps accented Latin letters to the folded alphabet.
func foldLetter(r rune) (string, bool) {
	switch r {
	case 'ŏ', 'Ŏ', 'ǒ', 'Ǒ', 'ô', 'Ô', 'ö', 'Ö', 'õ', 'Õ', 'ő', 'Ő':
		return "O", true
	case 'ŭ', 'Ŭ', 'ǔ', 'Ǔ', 'û', 'Û', 'ű', 'Ű':
		return "U", true
	case 'ü', 'Ü', 'ǖ', 'ǘ', 'ǚ', 'ǜ', 'Ǖ', 'Ǘ', 'Ǚ', 'Ǜ':
		return "V", true
	case 'á', 'à', 'â', 'ā', 'ä', 'ã', 'å', 'ǎ', 'ă', 'Á', 'À', 'Â', 'Ā', 'Ä', 'Ã', 'Å', 'Ǎ', 'Ă':
		return "a", true
	case 'é', 'è', 'ê', 'ē', 'ë', 'ě', 'ĕ', 'É', 'È', 'Ê', 'Ē', 'Ë', 'Ě', 'Ĕ':
		return "e", true
	case 'í', 'ì', 'î', 'ī', 'ï', 'ǐ', 'ĭ', 'Í', 'Ì', 'Î', 'Ī', 'Ï', 'Ǐ', 'Ĭ', 'ı':
		return "i", true
	case 'ó', 'ò', 'ō', 'ø', 'Ó', 'Ò', 'Ō', 'Ø':
		return "o", true
	case 'ú', 'ù', 'ū', 'ů', 'Ú', 'Ù', 'Ū', 'Ů':
		return "u", true
	case 'ý', 'ÿ', 'Ý':
		return "y", true
	case 'ñ', 'ń', 'ň', 'Ñ', 'Ń', 'Ň':
		return "n", true
	case 'ç', 'Ç':
		return "c", true
	case 'š', 'ś', 'Š', 'Ś':
		return "s", true
	case 'ž', 'Ž':
		return "z", true
	case 'ł', 'Ł':
		return "l", true
	case 'ß':
		return "ss", true
	}
	return "", false
}

// alt is one reading of a romanized syllable: every combination of the
// masked initials, vowels and finals is a possible Hangul syllable. The
// r-masks are the subset that Revised Romanization itself would spell this
// way, so that ParseRoman can list exact RR readings first.
type alt struct {
	l, v, t    uint32
	rl, rv, rt uint32
}

// sylEntry is what one spelling, taken as a whole syllable, may stand for.
type sylEntry struct {
	alts    []alt
	l, v, t uint32 // union of alts
}

type part struct {
	s        string
	all, rr  uint32
	endsWord bool // a coda only allowed at the end of a token (silent h)
}

func mask(xs ...int) uint32 {
	var m uint32
	for _, x := range xs {
		m |= 1 << x
	}
	return m
}

// onsets, vowels and codas list how each jamo is spelt across RR, MR (with
// and without diacritics and apostrophes), the North Korean system and
// practical spellings. all is every jamo a spelling may stand for, rr the
// one RR spells so.
var onsets = []part{
	{s: "", all: mask(leadO), rr: mask(leadO)},
	{s: "g", all: mask(leadG), rr: mask(leadG)},
	{s: "k", all: mask(leadG, leadK), rr: mask(leadK)},
	{s: "kk", all: mask(leadGG), rr: mask(leadGG)},
	{s: "gg", all: mask(leadGG)},
	{s: "k'", all: mask(leadK)},
	{s: "kh", all: mask(leadK)},
	{s: "n", all: mask(leadN), rr: mask(leadN)},
	{s: "d", all: mask(leadD), rr: mask(leadD)},
	{s: "t", all: mask(leadD, leadT), rr: mask(leadT)},
	{s: "tt", all: mask(leadDD), rr: mask(leadDD)},
	{s: "dd", all: mask(leadDD)},
	{s: "t'", all: mask(leadT)},
	{s: "th", all: mask(leadT)},
	{s: "r", all: mask(leadR), rr: mask(leadR)},
	{s: "l", all: mask(leadR)},
	{s: "rh", all: mask(leadR)},
	{s: "m", all: mask(leadM), rr: mask(leadM)},
	{s: "b", all: mask(leadB), rr: mask(leadB)},
	{s: "p", all: mask(leadB, leadP), rr: mask(leadP)},
	{s: "pp", all: mask(leadBB), rr: mask(leadBB)},
	{s: "bb", all: mask(leadBB)},
	{s: "p'", all: mask(leadP)},
	{s: "ph", all: mask(leadP)},
	{s: "s", all: mask(leadS), rr: mask(leadS)},
	{s: "ss", all: mask(leadSS), rr: mask(leadSS)},
	{s: "sh", all: mask(leadS)},
	{s: "j", all: mask(leadJ), rr: mask(leadJ)},
	{s: "ch", all: mask(leadJ, leadCH), rr: mask(leadCH)},
	{s: "jj", all: mask(leadJJ), rr: mask(leadJJ)},
	{s: "tch", all: mask(leadJJ)},
	{s: "ch'", all: mask(leadCH)},
	{s: "chh", all: mask(leadCH)},
	{s: "h", all: mask(leadH), rr: mask(leadH)},
}

var vowels = []part{
	{s: "a", all: mask(vA), rr: mask(vA)},
	{s: "ae", all: mask(vAE), rr: mask(vAE)},
	{s: "ya", all: mask(vYA), rr: mask(vYA)},
	{s: "yae", all: mask(vYAE), rr: mask(vYAE)},
	{s: "eo", all: mask(vEO), rr: mask(vEO)},
	{s: "O", all: mask(vEO)},
	{s: "o", all: mask(vO, vEO), rr: mask(vO)},      // plain MR and NK write ㅓ as o
	{s: "u", all: mask(vU, vEU, vEO), rr: mask(vU)}, // ㅡ in plain MR and NK; ㅓ in practical (Sung, Jung)
	{s: "e", all: mask(vE), rr: mask(vE)},
	{s: "yeo", all: mask(vYEO), rr: mask(vYEO)},
	{s: "yO", all: mask(vYEO)},
	{s: "yo", all: mask(vYO, vYEO), rr: mask(vYO)}, // plain MR and NK yŏ
	{s: "you", all: mask(vYEO)},                    // Young
	{s: "yu", all: mask(vYU, vYEO), rr: mask(vYU)}, // Hyun, Kyung
	{s: "yoo", all: mask(vYU)},                     // Yoo, Yoon
	{s: "yeu", all: mask(vYEO)},                    // Hyeun
	{s: "ye", all: mask(vYE), rr: mask(vYE)},
	{s: "wa", all: mask(vWA), rr: mask(vWA)},
	{s: "wae", all: mask(vWAE), rr: mask(vWAE)},
	{s: "oe", all: mask(vOE), rr: mask(vOE)},
	{s: "oi", all: mask(vOE)}, // Choi
	{s: "we", all: mask(vWE, vOE), rr: mask(vWE)},
	{s: "wo", all: mask(vWO), rr: mask(vWO)},
	{s: "wO", all: mask(vWO)},
	{s: "weo", all: mask(vWO)}, // Kweon
	{s: "wi", all: mask(vWI), rr: mask(vWI)},
	{s: "eu", all: mask(vEU), rr: mask(vEU)},
	{s: "U", all: mask(vEU)},
	{s: "V", all: mask(vEU)},
	{s: "ui", all: mask(vUI), rr: mask(vUI)},
	{s: "Ui", all: mask(vUI)},
	{s: "Vi", all: mask(vUI)},
	{s: "eui", all: mask(vUI)},    // Heui
	{s: "ee", all: mask(vI, vUI)}, // Lee, Hee
	{s: "i", all: mask(vI), rr: mask(vI)},
	{s: "oo", all: mask(vU)},      // Soo, Hoon
	{s: "woo", all: mask(vU)},     // Woo
	{s: "ou", all: mask(vU, vEO)}, // Joung
}

var codas = []part{
	{s: "", all: mask(tNone), rr: mask(tNone)},
	{s: "k", all: mask(tG, tGG, tGS, tK, tLG), rr: mask(tG, tGG, tGS, tK, tLG)},
	{s: "n", all: mask(tN, tNJ, tNH), rr: mask(tN, tNJ, tNH)},
	{s: "t", all: mask(tD, tS, tSS, tJ, tCH, tT, tH), rr: mask(tD, tS, tSS, tJ, tCH, tT, tH)},
	{s: "l", all: mask(tL, tLB, tLS, tLT, tLH), rr: mask(tL, tLB, tLS, tLT, tLH)},
	{s: "m", all: mask(tM, tLM), rr: mask(tM, tLM)},
	{s: "p", all: mask(tB, tP, tBS, tLP), rr: mask(tB, tP, tBS, tLP)},
	{s: "ng", all: mask(tNG), rr: mask(tNG)},
	{s: "b", all: mask(tB)},                    // Seob
	{s: "h", all: mask(tNone), endsWord: true}, // Oh, Noh, Suh
	{s: "hn", all: mask(tN), endsWord: true},   // Ahn, Sohn
	{s: "hk", all: mask(tG), endsWord: true},   // Bahk, Tahk
	{s: "hm", all: mask(tM), endsWord: true},   // Uhm
	{s: "r", all: mask(tNone), endsWord: true}, // Hur
	{s: "rk", all: mask(tG), endsWord: true},   // Park
}

// specials are whole-syllable spellings that the parts above do not build.
var specials = []struct {
	s       string
	l, v, t int
}{
	{"lee", leadO, vI, tNone}, {"yi", leadO, vI, tNone}, {"yee", leadO, vI, tNone},
	{"rhie", leadR, vI, tNone}, {"rie", leadR, vI, tNone},
	{"yim", leadO, vI, tM}, {"lim", leadO, vI, tM}, {"lym", leadO, vI, tM},
	{"joe", leadJ, vO, tNone},
	{"suh", leadS, vEO, tNone}, {"huh", leadH, vEO, tNone},
	{"paik", leadB, vAE, tG}, {"baik", leadB, vAE, tG},
	{"choo", leadCH, vU, tNone},
}

// lexicon maps each spelling of a syllable to what it may stand for;
// endLexicon holds the spellings allowed only at the end of a token.
type lexicon struct {
	mid, end map[string]*sylEntry
	maxLen   int
}

var lex = sync.OnceValue(func() *lexicon {
	x := &lexicon{mid: make(map[string]*sylEntry, 16000), end: make(map[string]*sylEntry, 4000)}
	add := func(m map[string]*sylEntry, s string, a alt) {
		e := m[s]
		if e == nil {
			e = &sylEntry{}
			m[s] = e
		}
		for _, old := range e.alts {
			if old == a {
				return
			}
		}
		e.alts = append(e.alts, a)
		e.l |= a.l
		e.v |= a.v
		e.t |= a.t
		if len(s) > x.maxLen {
			x.maxLen = len(s)
		}
	}
	for _, on := range onsets {
		for _, vo := range vowels {
			for _, co := range codas {
				a := alt{l: on.all, v: vo.all, t: co.all, rl: on.rr, rv: vo.rr, rt: co.rr}
				if on.rr == 0 || vo.rr == 0 || co.rr == 0 {
					a.rl, a.rv, a.rt = 0, 0, 0
				}
				s := on.s + vo.s + co.s
				if co.endsWord {
					add(x.end, s, a)
				} else {
					add(x.mid, s, a)
				}
			}
		}
	}
	for _, sp := range specials {
		add(x.mid, sp.s, alt{l: mask(sp.l), v: mask(sp.v), t: mask(sp.t)})
	}
	// At the end of a token both kinds apply: make each end entry whole.
	for s := range x.end {
		if m, ok := x.mid[s]; ok {
			for _, a := range m.alts {
				add(x.end, s, a)
			}
		}
	}
	return x
})

// lookup finds a syllable spelling; atEnd allows the token-final ones.
func (x *lexicon) lookup(s string, atEnd bool) *sylEntry {
	if atEnd {
		if e, ok := x.end[s]; ok {
			return e
		}
	}
	return x.mid[s]
}

// maxTokenLen bounds the work spent on one token; no name part is longer.
const maxTokenLen = 40

// segment is one way to read a token piece as syllables.
type segment []*sylEntry

// segmentations returns ways to split piece into syllables. With all false
// it returns only those with the fewest syllables (romanization units are
// long, so the shortest reading is nearly always the intended one: yeong-ho
// rather than ye-ong-ho), at most limit of them; with all true it returns
// every reading, fewest syllables first, up to limit.
func segmentations(piece string, all bool, limit int) []segment {
	x := lex()
	n := len(piece)
	if n == 0 || n > maxTokenLen {
		return nil
	}
	// can[i] has bit c set when piece[i:] splits into exactly c syllables;
	// edges[i] lists the syllables that start at i.
	type edge struct {
		to int
		e  *sylEntry
	}
	var can [maxTokenLen + 1]uint64
	var edges [maxTokenLen][]edge
	var edgeBuf [4 * maxTokenLen]edge
	free := edgeBuf[:0]
	can[n] = 1
	for i := n - 1; i >= 0; i-- {
		start := len(free)
		if piece[i] == '\'' {
			// an apostrophe between syllables (MR han'guk) is a boundary
			can[i] |= can[i+1]
			free = append(free, edge{to: i + 1})
		}
		for l := 1; l <= x.maxLen && i+l <= n; l++ {
			if can[i+l] == 0 {
				continue
			}
			if e := x.lookup(piece[i:i+l], i+l == n); e != nil {
				can[i] |= can[i+l] << 1
				free = append(free, edge{i + l, e})
			}
		}
		edges[i] = free[start:len(free):len(free)]
	}
	if can[0] == 0 {
		return nil
	}
	var out []segment
	var cur [maxTokenLen]*sylEntry
	var walk func(i, depth, c int)
	walk = func(i, depth, c int) {
		if len(out) >= limit {
			return
		}
		if i == n {
			if c == 0 {
				out = append(out, append(segment(nil), cur[:depth]...))
			}
			return
		}
		for _, ed := range edges[i] {
			switch {
			case ed.e == nil:
				if can[ed.to]&(1<<c) != 0 {
					walk(ed.to, depth, c)
				}
			case c > 0 && can[ed.to]&(1<<(c-1)) != 0:
				cur[depth] = ed.e
				walk(ed.to, depth+1, c-1)
			}
		}
	}
	for c := 1; c < 64 && len(out) < limit; c++ {
		if can[0]&(1<<c) == 0 {
			continue
		}
		walk(0, 0, c)
		if !all && len(out) > 0 {
			break
		}
	}
	return out
}

// MaxRomanCandidates bounds the candidates ParseRoman returns per token.
const MaxRomanCandidates = 2048

// ParseRoman reads a romanized name back into Hangul. The result has one
// element per token of the input (tokens are separated by spaces or
// commas; a hyphen or an apostrophe only separates syllables, so
// "Young-hee" is one token), and each element lists every Hangul string the
// token may stand for. It knows RR, MR with and without diacritics and
// apostrophes, the North Korean system and practical spellings, so "Jong"
// yields 정 and 종, "Chong" also 청 and 총 (plain MR writes ㅈ and ㅊ alike),
// "Young-hee", "Younghee" and "Young Hee" all yield 영희, and "Lee" yields
// 이 and 리. The candidates are raw readings: the initial-sound rule is not
// applied (Ri gives 리; ToSouth gives 이), and every segmentation is listed
// (oi is 외 and 오이).
//
// Candidates are ordered by number of syllables, then by how common the
// syllables are in Sino-Korean names. A token with more than
// MaxRomanCandidates readings (long tokens of ambiguous syllables: RR
// writes seven different finals as t) is cut there, keeping first the
// readings that Revised Romanization itself spells this way, so RR output
// always finds its way back. A token that cannot be read gets an empty
// list.
func ParseRoman(s string) [][]string {
	toks, _ := foldTokens(s)
	out := make([][]string, 0, len(toks))
	for _, tk := range toks {
		out = append(out, tokenCandidates(tk))
	}
	return out
}

func tokenCandidates(tk token) []string {
	if tk.foreign {
		return nil
	}
	var pieceSegs [][]segment
	for _, piece := range strings.Split(tk.s, "-") {
		if piece == "" {
			continue
		}
		segs := segmentations(piece, true, 64)
		if segs == nil {
			return nil
		}
		pieceSegs = append(pieceSegs, segs)
	}
	if len(pieceSegs) == 0 {
		return nil
	}
	seen := make(map[string]bool)
	var tiers [2][]string
	full := false
	for k, exact := range []bool{true, false} {
		if full {
			break
		}
		forEachCombination(pieceSegs, func(seq []*sylEntry) bool {
			expandSyllables(seq, exact, func(s string) bool {
				if !seen[s] {
					seen[s] = true
					tiers[k] = append(tiers[k], s)
				}
				full = len(tiers[0])+len(tiers[1]) >= MaxRomanCandidates
				return !full
			})
			return !full
		})
	}
	if !full {
		// Everything fitted: one ordering by plausibility.
		out := append(tiers[0], tiers[1]...)
		sortByPlausibility(out)
		return out
	}
	// Cut at the cap: exact RR readings first so that RR round-trips.
	sortByPlausibility(tiers[0])
	sortByPlausibility(tiers[1])
	return append(tiers[0], tiers[1]...)
}

// forEachCombination calls f with each concatenation of one segmentation per
// piece, until f returns false.
func forEachCombination(pieceSegs [][]segment, f func([]*sylEntry) bool) {
	var seq []*sylEntry
	var rec func(i int) bool
	rec = func(i int) bool {
		if i == len(pieceSegs) {
			return f(seq)
		}
		for _, sg := range pieceSegs[i] {
			n := len(seq)
			seq = append(seq, sg...)
			if !rec(i + 1) {
				return false
			}
			seq = seq[:n]
		}
		return true
	}
	rec(0)
}

// expandSyllables calls f with every Hangul string a sequence of syllable
// entries spells (only exact RR readings when exact), until f returns false.
func expandSyllables(seq []*sylEntry, exact bool, f func(string) bool) {
	options := make([][]rune, len(seq))
	for i, e := range seq {
		seen := make(map[rune]bool)
		for _, a := range e.alts {
			l, v, t := a.l, a.v, a.t
			if exact {
				l, v, t = a.rl, a.rv, a.rt
			}
			eachSyllable(l, v, t, func(r rune) {
				if !seen[r] {
					seen[r] = true
					options[i] = append(options[i], r)
				}
			})
		}
		if len(options[i]) == 0 {
			return
		}
	}
	buf := make([]rune, len(seq))
	var rec func(i int) bool
	rec = func(i int) bool {
		if i == len(seq) {
			return f(string(buf))
		}
		for _, r := range options[i] {
			buf[i] = r
			if !rec(i + 1) {
				return false
			}
		}
		return true
	}
	rec(0)
}

// eachSyllable calls f for every syllable in the cross product of the masks.
func eachSyllable(l, v, t uint32, f func(rune)) {
	for lm := l; lm != 0; lm &= lm - 1 {
		li := bits.TrailingZeros32(lm)
		for vm := v; vm != 0; vm &= vm - 1 {
			vi := bits.TrailingZeros32(vm)
			for tm := t; tm != 0; tm &= tm - 1 {
				f(Compose(li, vi, bits.TrailingZeros32(tm)))
			}
		}
	}
}

// sortByPlausibility orders candidate strings by the summed weight of
// their syllables, most plausible first; ties by fewer syllables, then by
// code point so the order is stable.
func sortByPlausibility(cs []string) {
	type scored struct {
		s    string
		n, w int
	}
	xs := make([]scored, len(cs))
	for i, c := range cs {
		w, n := 0, 0
		for _, r := range c {
			n++
			if sylWeight(r) > 0 {
				w += 1000 + sylWeight(r)
			}
		}
		xs[i] = scored{c, n, w}
	}
	sort.SliceStable(xs, func(i, j int) bool {
		if xs[i].n != xs[j].n {
			return xs[i].n < xs[j].n
		}
		if xs[i].w != xs[j].w {
			return xs[i].w > xs[j].w
		}
		return xs[i].s < xs[j].s
	})
	for i := range xs {
		cs[i] = xs[i].s
	}
}
