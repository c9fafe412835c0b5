package names

import "unicode/utf8"

// Costs of the jamo-level comparison, in fortieths of similarity: a name
// that differs from another by one similar jamo (ㅓ/ㅗ, ㄱ/ㅋ) scores 0.925,
// by one unrelated jamo 0.875 — a one-letter typo stays above 0.85 — and a
// wholly different syllable (two or more jamo) costs as much as a missing
// one, 0.5, so 김영호/김영수 and 김철수/박철수 fall below 0.6.
const (
	costSimilar  = 3
	costJamo     = 5
	costSyllable = 20
	costScale    = 40
)

// simLead, simVowel and simTail group the jamo that are easily confused,
// in writing or through romanization; each entry includes the jamo itself.
var simLead, simVowel, simTail = func() (l [lCount]uint32, v [vCount]uint32, t [tCount]uint32) {
	fill := func(dst []uint32, classes ...[]int) {
		for i := range dst {
			dst[i] = 1 << i
		}
		for _, c := range classes {
			m := mask(c...)
			for _, x := range c {
				dst[x] |= m
			}
		}
	}
	fill(l[:], []int{leadG, leadGG, leadK}, []int{leadD, leadDD, leadT}, []int{leadB, leadBB, leadP},
		[]int{leadJ, leadJJ, leadCH}, []int{leadS, leadSS}, []int{leadN, leadR}, []int{leadO, leadH})
	fill(v[:], []int{vEO, vO, vU, vEU}, []int{vYEO, vYO, vYU}, []int{vAE, vE}, []int{vYAE, vYE},
		[]int{vI, vUI, vWI}, []int{vWA, vWO}, []int{vWAE, vOE, vWE})
	fill(t[:], []int{tG, tGG, tK, tGS, tLG}, []int{tN, tNJ, tNH, tNG, tM, tLM},
		[]int{tD, tS, tSS, tJ, tCH, tT, tH}, []int{tL, tLB, tLS, tLT, tLH}, []int{tB, tP, tBS, tLP})
	return
}()

// Similarity scores how likely two strings are spellings of the same
// personal name, in [0,1]; see (*Parsed).Similarity. It parses both names:
// to compare one name with many, Parse it once.
func Similarity(a, b string) float64 {
	return Parse(a).Similarity(Parse(b))
}

// Similarity scores p against q in [0,1]. Spellings of one name score 1
// (이영호, 리영호, Lee Young-ho, Yi Yŏng-ho, Ri Yong Ho, YONGHO LEE, 李英浩).
// The comparison is an edit distance over syllables in which two syllables
// match when their jamo sets intersect, so romanization ambiguity costs
// nothing, one differing jamo costs a little and a different syllable a
// lot; the best pair of readings counts. For two romanized names that
// cannot be read, or read far apart, a Damerau–Levenshtein comparison of the
// letters is the fallback, so "Lee Yuong-ho" still scores 0.875 against
// "Lee Young-ho". The score is symmetric.
func (p *Parsed) Similarity(q *Parsed) float64 {
	best := -1
	for i := range p.readings {
		for j := range q.readings {
			c := seqCost(p.readings[i].slots, q.readings[j].slots)
			if best < 0 || c < best {
				best = c
			}
			if best == 0 {
				return 1
			}
		}
	}
	sim := 0.0
	if best >= 0 {
		sim = 1 - float64(best)/costScale
		if sim < 0 {
			sim = 0
		}
	}
	const oneTypo = 1 - float64(costJamo)/costScale
	switch {
	case sim >= oneTypo || p.fallback == "" || q.fallback == "":
	case best >= 0:
		// Both names were read as Korean: the letters only matter to rescue
		// a single typo that broke the romanization, which a linear check
		// finds without the quadratic edit distance.
		if max(len(p.fallback), len(q.fallback)) >= 5 && withinOneEdit(p.fallback, q.fallback) {
			sim = oneTypo
		}
	default:
		if f := letterSimilarity(p.fallback, q.fallback); f > sim {
			sim = f
		}
	}
	return sim
}

// withinOneEdit reports whether a and b differ by at most one insertion,
// deletion, substitution or transposition of adjacent bytes.
func withinOneEdit(a, b string) bool {
	if len(a) > len(b) {
		a, b = b, a
	}
	if len(b)-len(a) > 1 {
		return false
	}
	i := 0
	for i < len(a) && a[i] == b[i] {
		i++
	}
	if i == len(a) {
		return true
	}
	if len(a) == len(b) {
		if a[i+1:] == b[i+1:] {
			return true // substitution
		}
		return i+1 < len(a) && a[i] == b[i+1] && a[i+1] == b[i] && a[i+2:] == b[i+2:]
	}
	return a[i:] == b[i+1:] // insertion into a
}

// slotCost compares two syllable positions.
func slotCost(a, b *slot) int {
	diffs, c := 0, 0
	if a.l&b.l == 0 {
		diffs++
		c += jamoCost(a.ls&b.l != 0)
	}
	if a.v&b.v == 0 {
		diffs++
		c += jamoCost(a.vs&b.v != 0)
	}
	if a.t&b.t == 0 {
		diffs++
		c += jamoCost(a.ts&b.t != 0)
	}
	if diffs > 1 {
		return costSyllable
	}
	return c
}

func jamoCost(similar bool) int {
	if similar {
		return costSimilar
	}
	return costJamo
}

// seqCost is the edit distance between two syllable sequences.
func seqCost(a, b []slot) int {
	var rowBuf [2][17]int
	prev, cur := rowBuf[0][:], rowBuf[1][:]
	if len(b)+1 > len(prev) {
		prev, cur = make([]int, len(b)+1), make([]int, len(b)+1)
	}
	for j := 0; j <= len(b); j++ {
		prev[j] = j * costSyllable
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i * costSyllable
		for j := 1; j <= len(b); j++ {
			c := prev[j-1] + slotCost(&a[i-1], &b[j-1])
			if d := prev[j] + costSyllable; d < c {
				c = d
			}
			if d := cur[j-1] + costSyllable; d < c {
				c = d
			}
			cur[j] = c
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// letterSimilarity compares folded letter strings: identical 1, one edit
// (insertion, deletion, substitution or transposition) 0.875 for strings of
// five letters or more, anything else at most 0.5. Only the one-typo case is
// meant to rescue a match; larger differences are left to the Korean
// comparison, since two letters apart in a romanized name is often a
// different name (youngho, youngsu).
func letterSimilarity(a, b string) float64 {
	if a == b {
		return 1
	}
	ra, rb := []rune(a), []rune(b)
	d := osa(ra, rb)
	n := utf8.RuneCountInString(a)
	if m := utf8.RuneCountInString(b); m > n {
		n = m
	}
	if d == 1 && n >= 5 {
		return 1 - float64(costJamo)/costScale
	}
	s := 0.5 * (1 - float64(d)/float64(n))
	if s < 0 {
		s = 0
	}
	return s
}

// osa is the optimal string alignment distance (Levenshtein plus adjacent
// transpositions).
func osa(a, b []rune) int {
	n, m := len(a), len(b)
	d := make([]int, (n+1)*(m+1))
	at := func(i, j int) *int { return &d[i*(m+1)+j] }
	for i := 0; i <= n; i++ {
		*at(i, 0) = i
	}
	for j := 0; j <= m; j++ {
		*at(0, j) = j
	}
	for i := 1; i <= n; i++ {
		for j := 1; j <= m; j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			v := *at(i-1, j-1) + cost
			if x := *at(i-1, j) + 1; x < v {
				v = x
			}
			if x := *at(i, j-1) + 1; x < v {
				v = x
			}
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				if x := *at(i-2, j-2) + 1; x < v {
					v = x
				}
			}
			*at(i, j) = v
		}
	}
	return *at(n, m)
}
