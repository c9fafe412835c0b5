package names

import (
	"math/bits"
	"sort"
	"strings"
	"unicode"
)

// slot is one syllable position of a name reading: the Hangul syllables it
// may be (cands, likeliest first) and, for matching, the union of their jamo
// as bit masks plus the masks widened to similar jamo.
type slot struct {
	l, v, t    uint32
	ls, vs, ts uint32
	cands      []rune
}

// reading is one way to read a name: its syllables in family-then-given
// order, South spelling.
type reading struct {
	slots  []slot
	famLen int
}

// Parsed is a name prepared for repeated comparison: Parse does the
// segmentation, romanization look-ups and Hanja readings once, so that
// Similarity on the result only compares bit masks. A Parsed is immutable
// and safe for concurrent use.
type Parsed struct {
	readings []reading
	// fallback is the folded Latin (or other-script) text, tokens sorted,
	// for names that cannot be read as Korean and for typos that break the
	// romanization ("Yuong-ho").
	fallback string
}

const (
	maxReadings = 8 // per name: orders × segmentations
	maxSegs     = 4 // per token
)

// MaxKeys bounds the number of keys Keys returns for one name.
const MaxKeys = 64

// maxNameRunes bounds the letters and digits Parse looks at: no personal
// name is longer, and the comparison is quadratic in its length.
const maxNameRunes = 64

// Parse reads a name in any supported form — Hangul (South or North),
// Hanja, a romanization in either name order, or pinyin — into its possible
// Hangul readings. It never fails: input it cannot read still compares
// equal to itself through its folded text. Only the first 64 letters and
// digits are read.
func Parse(name string) *Parsed {
	if len(name) > maxNameRunes {
		name = name[:significantPrefix(name, maxNameRunes)]
	}
	s := composeJamo(strings.TrimSpace(name))
	hasHangul, hasHanja := false, false
	for _, r := range s {
		switch {
		case isSyllable(r):
			hasHangul = true
		case isHanja(r):
			hasHanja = true
		}
	}
	if hasHanja {
		s = HanjaToHangul(s)
		hasHangul = IsHangul(s)
	}
	if hasHangul {
		return parseHangul(s)
	}
	return parseRoman(s)
}

// significantPrefix is the length in bytes of the prefix of s that holds
// its first n letters and digits (and the marks that follow them).
func significantPrefix(s string, n int) int {
	for i, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if n == 0 {
				return i
			}
			n--
		}
	}
	return len(s)
}

func parseHangul(s string) *Parsed {
	var kept []rune
	space := false
	for _, r := range s {
		switch {
		case isSyllable(r):
			if space && len(kept) > 0 {
				kept = append(kept, ' ')
			}
			kept = append(kept, r)
			space = false
		case unicode.IsSpace(r) || r == ',':
			space = true
		}
	}
	family, given := SplitHangul(string(kept))
	fam, giv := []rune(family), []rune(given)
	syl := make([]rune, 0, len(fam)+len(giv))
	syl = append(syl, fam...)
	syl = append(syl, giv...)
	if len(syl) == 0 {
		return &Parsed{}
	}
	syl[0] = southInitial(syl[0])
	if len(fam) < len(syl) {
		syl[len(fam)] = southInitial(syl[len(fam)])
	}
	slots := make([]slot, len(syl))
	for i := range syl {
		slots[i] = makeSlot(syl[i : i+1 : i+1])
	}
	return &Parsed{readings: []reading{{slots: slots, famLen: len(fam)}}}
}

func makeSlot(cands []rune) slot {
	var s slot
	for _, r := range cands {
		l, v, t, _ := Decompose(r)
		s.l |= 1 << l
		s.v |= 1 << v
		s.t |= 1 << t
	}
	s.ls, s.vs, s.ts = widen(s.l, simLead[:]), widen(s.v, simVowel[:]), widen(s.t, simTail[:])
	s.cands = cands
	return s
}

func widen(m uint32, sim []uint32) uint32 {
	w := m
	for b := m; b != 0; b &= b - 1 {
		w |= sim[bits.TrailingZeros32(b)]
	}
	return w
}

// rtoken is a token of a romanized name with its possible syllable
// sequences.
type rtoken struct {
	seqs    [][]*sylEntry // Korean readings, fewest syllables
	pinyin  [][]string    // pinyin readings (segmentations), nil if not pinyin
	surname bool
}

func parseRoman(s string) *Parsed {
	toks, comma := foldTokens(s)
	if len(toks) == 0 {
		return &Parsed{}
	}
	p := &Parsed{fallback: fallbackForm(toks)}
	rts := make([]rtoken, len(toks))
	korean := true
	for i, tk := range toks {
		if tk.foreign {
			return p
		}
		rts[i].surname = isSurnameSpelling(tk.s)
		rts[i].seqs = tokenSeqs(tk.s)
		if rts[i].seqs == nil {
			korean = false
		}
	}
	if !korean {
		// Pinyin is tried only when the Korean reading fails ("Yinghao"):
		// short pinyin syllables (han, song, min) are valid romanized Korean
		// too, and reading them as pinyin as well would only add noise.
		for i, tk := range toks {
			rts[i].seqs = nil
			rts[i].pinyin = pinyinSegmentations(tk.pinyinForm(), 2)
			if rts[i].pinyin == nil {
				return p
			}
		}
	}
	for _, o := range nameOrders(rts, comma) {
		p.readings = appendReadings(p.readings, rts, o)
	}
	return p
}

// tokenSeqs returns up to maxSegs syllable sequences for a token whose
// hyphen-separated pieces are segmented on their own.
func tokenSeqs(s string) [][]*sylEntry {
	var pieceSegs [][]segment
	for _, piece := range strings.Split(s, "-") {
		if piece == "" {
			continue
		}
		segs := segmentations(piece, false, maxSegs)
		if segs == nil {
			return nil
		}
		pieceSegs = append(pieceSegs, segs)
	}
	if len(pieceSegs) == 0 {
		return nil
	}
	var out [][]*sylEntry
	forEachCombination(pieceSegs, func(seq []*sylEntry) bool {
		out = append(out, append([]*sylEntry(nil), seq...))
		return len(out) < maxSegs
	})
	return out
}

// order says which tokens hold the family name: tokens[famFrom:famTo].
type order struct{ famFrom, famTo int }

// nameOrders decides which end of the name is the family name. A comma
// marks it outright ("LEE, Young Ho"). Otherwise a known surname spelling
// at exactly one end decides (YONGHO LEE); when both ends or neither look
// like surnames (Jung Hoon Lee) both orders are kept and matching takes the
// better one.
func nameOrders(rts []rtoken, comma int) []order {
	n := len(rts)
	switch {
	case comma > 0 && comma < n:
		return []order{{0, comma}}
	case n == 1:
		return []order{{0, 1}}
	}
	first, last := rts[0].surname, rts[n-1].surname
	switch {
	case first && !last:
		return []order{{0, 1}}
	case last && !first:
		return []order{{n - 1, n}}
	}
	return []order{{0, 1}, {n - 1, n}}
}

// appendReadings adds the readings of one name order: every combination of
// the tokens' segmentations, up to maxReadings in all.
func appendReadings(dst []reading, rts []rtoken, o order) []reading {
	idx := make([]int, 0, len(rts))
	for i := o.famFrom; i < o.famTo; i++ {
		idx = append(idx, i)
	}
	for i := range rts {
		if i < o.famFrom || i >= o.famTo {
			idx = append(idx, i)
		}
	}
	var cur [][]rune
	famLen := -1
	var rec func(k int)
	rec = func(k int) {
		if len(dst) >= maxReadings {
			return
		}
		if k == len(idx) {
			fl := famLen
			if fl < 0 {
				fl = 1 // a single token: first syllable as family name, like SplitHangul
			}
			if len(cur) > 0 {
				dst = append(dst, finishReading(cur, fl))
			}
			return
		}
		if k == o.famTo-o.famFrom {
			famLen = len(cur)
		}
		rt := rts[idx[k]]
		for _, seg := range rt.pinyin {
			n := len(cur)
			for j, py := range seg {
				c := tables().pinyin[py]
				if k == 0 && j == 0 && len(seg) == 1 {
					// a one-syllable family name: read it as a surname
					if sc := tables().pinyinSurname[py]; len(sc) > 0 {
						c = sc
					}
				}
				cur = append(cur, c)
			}
			rec(k + 1)
			cur = cur[:n]
		}
		for _, seq := range rt.seqs {
			n := len(cur)
			for _, e := range seq {
				cur = append(cur, entryCands(e))
			}
			rec(k + 1)
			cur = cur[:n]
		}
	}
	rec(0)
	return dst
}

// entryCands lists the syllables a lexicon entry may stand for.
func entryCands(e *sylEntry) []rune {
	var rs []rune
	for _, a := range e.alts {
		eachSyllable(a.l, a.v, a.t, func(r rune) { rs = append(rs, r) })
	}
	return rs
}

// finishReading turns per-position candidate lists into slots: it applies
// the initial-sound rule where it holds (start of family and given name),
// keeps only real surnames in a one-syllable family name when any
// candidate is one, and drops syllables no Hanja reads when a candidate is
// Sino-Korean, since North Korean names are overwhelmingly Sino-Korean;
// this removes much of the ambiguity that romanization adds (su is 수 or
// 서, hardly 스).
func finishReading(cands [][]rune, famLen int) reading {
	slots := make([]slot, len(cands))
	for i, cs := range cands {
		dueum := i == 0 || i == famLen
		out := make([]rune, 0, len(cs))
		anySino, anySurname := false, false
		for _, r := range cs {
			if dueum {
				r = southInitial(r)
			}
			dup := false
			for _, o := range out {
				if o == r {
					dup = true
					break
				}
			}
			if dup {
				continue
			}
			out = append(out, r)
			anySino = anySino || sylWeight(r) > 0
			anySurname = anySurname || (i == 0 && famLen == 1 && isSurnameSyllable(r))
		}
		kept := out[:0]
		for _, r := range out {
			if (anySurname && !isSurnameSyllable(r)) || (anySino && sylWeight(r) == 0) {
				continue
			}
			kept = append(kept, r)
		}
		sort.SliceStable(kept, func(a, b int) bool {
			wa, wb := sylWeight(kept[a]), sylWeight(kept[b])
			if wa != wb {
				return wa > wb
			}
			return kept[a] < kept[b]
		})
		slots[i] = makeSlot(kept)
	}
	if famLen > len(slots) {
		famLen = len(slots)
	}
	return reading{slots: slots, famLen: famLen}
}

func isSurnameSyllable(r rune) bool {
	_, ok := practicalSurnames[string(r)]
	return ok
}

// fallbackForm is the name's folded text with tokens sorted, so that name
// order does not matter.
func fallbackForm(toks []token) string {
	parts := make([]string, 0, len(toks))
	for _, t := range toks {
		p := t.plain()
		if p == "" {
			p = t.s
		}
		parts = append(parts, p)
	}
	sort.Strings(parts)
	return strings.Join(parts, " ")
}

// Keys returns a small, sorted set of normalised keys for name such that
// two spellings of the same name share at least one key; see
// (*Parsed).Keys.
func Keys(name string) []string {
	return Parse(name).Keys()
}

// Keys returns the name's blocking keys: South-normalised Hangul, family
// name first, without spaces ("이영호"). A Hangul or Hanja name has exactly
// one. A romanized name has one per plausible reading — "Lee Young-ho"
// gives 이영호 and 이영허, since ho may be 호 or 허 — ranked by how common
// the syllables are in names and cut at MaxKeys. A name that cannot be read
// as Korean gets one key, "~" followed by its folded letters with tokens
// sorted. The result is sorted and deterministic.
func (p *Parsed) Keys() []string {
	if len(p.readings) == 0 {
		if p.fallback == "" {
			return nil
		}
		return []string{"~" + p.fallback}
	}
	budget := MaxKeys / len(p.readings)
	var keys []string
	for _, rd := range p.readings {
		keys = appendKeys(keys, rd, budget)
	}
	sort.Strings(keys)
	out := keys[:0]
	for i, k := range keys {
		if i == 0 || k != keys[i-1] {
			out = append(out, k)
		}
	}
	return out
}

// appendKeys expands one reading into at most budget keys, dropping the
// least plausible candidates of the most ambiguous positions first.
func appendKeys(dst []string, rd reading, budget int) []string {
	lens := make([]int, len(rd.slots))
	for i, s := range rd.slots {
		lens[i] = len(s.cands)
		if lens[i] == 0 {
			return dst
		}
	}
	for product(lens, budget) > budget {
		longest := 0
		for i := range lens {
			if lens[i] > lens[longest] {
				longest = i
			}
		}
		if lens[longest] == 1 {
			break
		}
		lens[longest]--
	}
	buf := make([]rune, len(lens))
	var rec func(i int)
	rec = func(i int) {
		if i == len(lens) {
			dst = append(dst, string(buf))
			return
		}
		for _, r := range rd.slots[i].cands[:lens[i]] {
			buf[i] = r
			rec(i + 1)
		}
	}
	rec(0)
	return dst
}

// product multiplies lens, saturating just above limit.
func product(lens []int, limit int) int {
	p := 1
	for _, n := range lens {
		p *= n
		if p > limit {
			return limit + 1
		}
	}
	return p
}
