package linkage

import (
	"slices"
	"strings"
	"unicode"

	"tumen/names"
)

// pinyinTable reads pinyin back into every Hangul syllable it may stand
// for. The names package reads a name as pinyin only when it cannot be
// Korean, and then keeps the four readings likeliest in Chinese, which
// loses Korean name characters (姬 is ji, read 희): a Chinese list's "Jin
// Shunji" for 金順姬 finds nothing. Linkage needs the opposite trade-off:
// every reading, checked position by position against a Hangul name, since
// three syllables that all fit are strong evidence even when each fits
// many characters.
type pinyinTable struct {
	surname map[string][]rune // pinyin → Hangul surnames it may spell
	given   map[string][]rune // pinyin → Hangul readings of its Hanja (South and original forms)
	longest int
}

// newPinyinTable builds the table from the names package's Hanja readings,
// over the CJK Unified Ideographs: for each character its pinyin, its
// reading as a surname (kept when it is a Korean surname) and its readings
// inside a given name, the likeliest first.
func newPinyinTable() *pinyinTable {
	t := &pinyinTable{surname: map[string][]rune{}, given: map[string][]rune{}}
	add := func(m map[string][]rune, k string, r rune) {
		if !slices.Contains(m[k], r) {
			m[k] = append(m[k], r)
		}
	}
	for c := rune(0x4E00); c <= 0x9FFF; c++ {
		py := names.Pinyin(string(c))
		if py == "" || strings.Contains(py, " ") {
			continue
		}
		first := []rune(names.HanjaToHangul(string(c)))
		if len(first) != 1 || !isSyllable(first[0]) {
			continue
		}
		t.longest = max(t.longest, len(py))
		if names.PracticalSurnames(string(first)) != nil {
			add(t.surname, py, first[0])
		}
		add(t.given, py, first[0])
		// The reading after two others keeps its original initial (련, not
		// 연), as the second syllable of a given name does.
		if inner := []rune(names.HanjaToHangul("一一" + string(c))); len(inner) == 3 {
			add(t.given, py, inner[2])
		}
	}
	// Put the readings the names package finds likeliest (the commonest
	// characters in Chinese) first; the rest follow in code point order.
	for py, cands := range t.given {
		var first []rune
		if rs := names.HangulFromPinyin(py); len(rs) == 1 {
			for _, h := range rs[0] {
				for _, r := range []rune{[]rune(h)[0], []rune(names.ToSouth(h))[0]} {
					if slices.Contains(cands, r) && !slices.Contains(first, r) {
						first = append(first, r)
					}
				}
			}
		}
		rest := slices.DeleteFunc(slices.Clone(cands), func(r rune) bool { return slices.Contains(first, r) })
		t.given[py] = append(first, rest...)
	}
	return t
}

func isSyllable(r rune) bool { return r >= 0xAC00 && r <= 0xD7A3 }

// pinyinName is a name read as pinyin: the Hangul syllables each position
// may be, family name first, for each way to segment it.
type pinyinName [][][]rune

// read segments a Latin name as pinyin, family name first (Chinese lists
// write it so), keeping up to four segmentations; nil when it is not
// pinyin.
func (t *pinyinTable) read(name string) pinyinName {
	tokens := strings.FieldsFunc(strings.ToLower(name), func(r rune) bool {
		return unicode.IsSpace(r) || r == '-' || r == '\'' || r == '’' || r == ','
	})
	if len(tokens) == 0 {
		return nil
	}
	segs := [][]string{nil}
	for _, tok := range tokens {
		ways := t.segment(tok, 4)
		if len(ways) == 0 {
			return nil
		}
		var next [][]string
		for _, s := range segs {
			for _, w := range ways {
				if len(next) < 4 {
					next = append(next, append(slices.Clone(s), w...))
				}
			}
		}
		segs = next
	}
	var out pinyinName
	for _, s := range segs {
		var pos [][]rune
		for i, py := range s {
			var cands []rune
			if i == 0 {
				cands = t.surname[py]
			}
			if len(cands) == 0 {
				cands = t.given[py]
			}
			pos = append(pos, cands)
		}
		out = append(out, pos)
	}
	return out
}

// segment splits one token into pinyin syllables, fewest syllables first.
func (t *pinyinTable) segment(tok string, limit int) [][]string {
	var out [][]string
	var cur []string
	var rec func(rest string)
	rec = func(rest string) {
		if len(out) >= limit {
			return
		}
		if rest == "" {
			out = append(out, slices.Clone(cur))
			return
		}
		for n := min(len(rest), t.longest); n >= 1; n-- {
			if _, ok := t.given[rest[:n]]; ok {
				cur = append(cur, rest[:n])
				rec(rest[n:])
				cur = cur[:len(cur)-1]
			}
		}
	}
	rec(tok)
	return out
}

// fit counts how many positions of the best segmentation do not fit the
// Hangul syllables h (South spelling, family name first); -1 when no
// segmentation has as many syllables.
func (p pinyinName) misfits(h []rune) int {
	best := -1
	for _, seg := range p {
		if len(seg) != len(h) {
			continue
		}
		miss := 0
		for i, cands := range seg {
			if !slices.Contains(cands, h[i]) {
				miss++
			}
		}
		if best < 0 || miss < best {
			best = miss
		}
	}
	return best
}
