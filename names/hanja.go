package names

import (
	_ "embed"
	"slices"
	"sort"
	"strings"
	"sync"
	"unicode/utf8"
)

// hanjaData is extracted from Unicode's Unihan database by ./gen; see the
// header of the file and data/LICENSE-Unicode.txt.
//
//go:embed data/hanja.txt
var hanjaData string

// hanjaReading is what the data file says about one Hanja.
type hanjaReading struct {
	readings []rune  // Hangul readings in Unihan's order
	flags    []uint8 // per reading: flagE, flagN
	pinyin   string  // toneless, ü written v; may be empty
}

const (
	flagE = 1 << iota // a basic educational reading: the ordinary one
	flagN             // a reading approved for personal names
)

// hanjaTables holds everything derived from the data file.
type hanjaTables struct {
	byRune map[rune]hanjaReading
	// weight ranks Hangul syllables by how many Hanja read so, favouring
	// educational and name readings: a cheap stand-in for "how likely is
	// this syllable in a Sino-Korean name". Indexed by syllable - sBase.
	weight []uint16
	// pinyin maps a toneless pinyin syllable to the Hangul readings of the
	// Hanja it spells, best first, at most maxPinyinReadings.
	pinyin map[string][]rune
	// pinyinSurname is the same restricted to surname readings, where the
	// reading for names counts most: "jin" is 金 김 as a surname, though
	// 진 and 금 as a word.
	pinyinSurname map[string][]rune
}

// maxPinyinReadings bounds the Hangul candidates kept per pinyin syllable:
// pinyin of a Korean name is lossy and a long tail of rare readings would
// only slow matching and crowd the keys.
const maxPinyinReadings = 4

var tables = sync.OnceValue(func() *hanjaTables {
	t := &hanjaTables{
		byRune:        make(map[rune]hanjaReading, 8600),
		weight:        make([]uint16, sCount),
		pinyin:        make(map[string][]rune, 420),
		pinyinSurname: make(map[string][]rune, 200),
	}
	pyWeight := make(map[string]map[rune]int)
	bump := func(m map[string]map[rune]int, py string, r rune, w int) {
		if m[py] == nil {
			m[py] = make(map[rune]int)
		}
		m[py][r] += w
	}
	for _, line := range strings.Split(hanjaData, "\n") {
		if line == "" || line[0] == '#' {
			continue
		}
		head, py, _ := strings.Cut(line, "\t")
		cp, n := utf8.DecodeRuneInString(head)
		var hr hanjaReading
		for _, r := range head[n:] {
			switch r {
			case 'E':
				hr.flags[len(hr.flags)-1] |= flagE
			case 'N':
				hr.flags[len(hr.flags)-1] |= flagN
			default:
				hr.readings = append(hr.readings, r)
				hr.flags = append(hr.flags, 0)
			}
		}
		hr.pinyin = py
		t.byRune[cp] = hr
		for i, r := range hr.readings {
			w := 1
			if hr.flags[i]&flagE != 0 {
				w += 2
			}
			if hr.flags[i]&flagN != 0 {
				w += 2
			}
			if isSyllable(r) && int(t.weight[r-sBase])+w < 1<<16 {
				t.weight[r-sBase] += uint16(w)
			}
			if py == "" {
				continue
			}
			if i == 0 {
				w++ // the first reading is the usual one
			}
			bump(pyWeight, py, r, w)
		}
	}
	for h, py := range surnamePinyin {
		if hr, ok := t.byRune[h]; ok {
			bump(pyWeight, py, hr.readings[0], 10)
		}
	}
	rank(pyWeight, t.pinyin)
	// Surnames: the clan Hanja, commonest first, read as surnames.
	for _, h := range surnameHanja {
		py := surnamePinyin[h]
		if py == "" {
			py = t.byRune[h].pinyin
		}
		if r, ok := readHanjaIn(t, h, true); ok && py != "" && len(t.pinyinSurname[py]) < maxPinyinReadings {
			r = southInitial(r)
			if !slices.Contains(t.pinyinSurname[py], r) {
				t.pinyinSurname[py] = append(t.pinyinSurname[py], r)
			}
		}
	}
	return t
})

// rank keeps, for each pinyin syllable, the best-weighted readings.
func rank(weights map[string]map[rune]int, dst map[string][]rune) {
	for py, m := range weights {
		rs := make([]rune, 0, len(m))
		for r := range m {
			rs = append(rs, r)
		}
		sort.Slice(rs, func(i, j int) bool {
			if m[rs[i]] != m[rs[j]] {
				return m[rs[i]] > m[rs[j]]
			}
			return rs[i] < rs[j]
		})
		if len(rs) > maxPinyinReadings {
			rs = rs[:maxPinyinReadings]
		}
		dst[py] = rs
	}
}

// sylWeight is the Sino-Korean plausibility of a syllable; 0 means no Hanja
// is read so (native words, or spellings no name uses).
func sylWeight(r rune) int {
	if !isSyllable(r) {
		return 0
	}
	return int(tables().weight[r-sBase])
}

func isHanja(r rune) bool {
	return (r >= 0x4E00 && r <= 0x9FFF) || (r >= 0x3400 && r <= 0x4DBF) ||
		(r >= 0xF900 && r <= 0xFAFF) || (r >= 0x20000 && r <= 0x3134F)
}

// readHanja returns the Hangul reading of one Hanja: for a surname the
// reading marked for names, else the educational one, else the first listed
// (金 is 김 as a surname, 금 elsewhere); for other positions the educational
// reading, else the first listed (樂 → 락).
func readHanja(r rune, surname bool) (rune, bool) {
	return readHanjaIn(tables(), r, surname)
}

func readHanjaIn(t *hanjaTables, r rune, surname bool) (rune, bool) {
	hr, ok := t.byRune[r]
	if !ok || len(hr.readings) == 0 {
		return 0, false
	}
	if surname {
		for i, f := range hr.flags {
			if f&flagN != 0 {
				return hr.readings[i], true
			}
		}
	}
	for i, f := range hr.flags {
		if f&flagE != 0 {
			return hr.readings[i], true
		}
	}
	return hr.readings[0], true
}

// compoundHanjaSurnames are two-character surnames written in Hanja; their
// first character alone would be read with the wrong reading or split.
var compoundHanjaSurnames = map[string]string{
	"南宮": "남궁", "皇甫": "황보", "諸葛": "제갈", "鮮于": "선우", "獨孤": "독고",
	"司空": "사공", "西門": "서문", "東方": "동방", "乙支": "을지",
}

// HanjaToHangul reads a name written in Hanja in Hangul: 李英浩 → 이영호.
// The surname takes its name reading (金 → 김, not 금) and the other
// characters their ordinary reading; the result is in South Korean spelling
// (the initial-sound rule is applied to the surname and the start of the
// given name, so 李龍男 → 이용남). Hangul and other characters are kept, so
// mixed input such as 李영호 works. Hanja without a Korean reading in
// Unihan are kept as they are.
func HanjaToHangul(s string) string {
	s = strings.TrimSpace(s)
	var b strings.Builder
	rs := []rune(s)
	start := 0
	if len(rs) >= 3 {
		if h, ok := compoundHanjaSurnames[string(rs[:2])]; ok {
			b.WriteString(h)
			start = 2
		}
	}
	converted := false
	for i := start; i < len(rs); i++ {
		r := rs[i]
		if isHanja(r) {
			if h, ok := readHanja(r, i == 0); ok {
				b.WriteRune(h)
				converted = true
				continue
			}
		}
		b.WriteRune(r)
	}
	if !converted && start == 0 {
		return s
	}
	return ToSouth(b.String())
}

// surnameHanja are the Hanja of the commonest Korean surnames, commonest
// first; Unihan does not say which characters are surnames, and pinyin of a
// family name must be read back through these (jin is 金 김, not 進 진).
var surnameHanja = []rune("金李朴崔鄭姜趙尹張林韓吳徐申權黃安宋柳劉全田洪高文孫梁楊裵裴白許南盧沈河郭成車朱周禹具閔羅陳秦池嚴蔡元千方孔玄咸卞廉呂秋都蘇石宣薛馬吉延魏表明奇潘王琴玉陸印孟諸牟卓鞠太龍慶丁康曺兪任辛魯慎邊景唐陰余")

// surnamePinyin gives the Mandarin reading of Hanja that read differently
// as a surname than in Unihan's first kMandarin value: 朴 is Piáo as a
// name (Park Geun-hye is Piáo Jǐnhuì), pǔ as a word.
var surnamePinyin = map[rune]string{
	'朴': "piao", '單': "shan", '解': "xie", '曾': "zeng", '區': "ou", '仇': "qiu",
}

// Pinyin writes Hanja in toneless Hanyu Pinyin, one lower-case syllable per
// character separated by spaces: 李英浩 → "li ying hao". It uses Unihan's
// first Mandarin reading, except for the few surnames read otherwise (朴 →
// piao); characters without a reading, and anything that is not Hanja, are
// left out.
func Pinyin(hanja string) string {
	var parts []string
	for i, r := range []rune(strings.TrimSpace(hanja)) {
		if !isHanja(r) {
			continue
		}
		if py, ok := surnamePinyin[r]; ok && i == 0 {
			parts = append(parts, py)
			continue
		}
		if hr, ok := tables().byRune[r]; ok && hr.pinyin != "" {
			parts = append(parts, strings.ReplaceAll(hr.pinyin, "v", "ü"))
		}
	}
	return strings.Join(parts, " ")
}

// HangulFromPinyin reads a name written in pinyin back into Hangul. Each
// token ("Li", "Yinghao") is segmented into pinyin syllables, and for each
// syllable the result holds the Hangul readings of the Hanja that syllable
// spells, likeliest first and at most four (pinyin of a Korean name is
// lossy: "li" is 李 리, 理 리, 麗 려 …). The readings are Unihan's, in
// original form (리, not the South 이). It returns nil when some token is
// not pinyin.
func HangulFromPinyin(s string) [][]string {
	toks, _ := foldTokens(s)
	var out [][]string
	for _, tk := range toks {
		sylls := segmentPinyin(tk.pinyinForm())
		if sylls == nil {
			return nil
		}
		for _, py := range sylls {
			var c []string
			for _, r := range tables().pinyin[py] {
				c = append(c, string(r))
			}
			out = append(out, c)
		}
	}
	return out
}

// segmentPinyin splits a lower-case token into pinyin syllables with as few
// syllables as possible; nil when it cannot. Where two splits tie
// ("zhengen": zhen-gen or zheng-en) the first syllable is kept short, as
// pinyin orthography requires an apostrophe before a vowel-initial
// syllable; pinyinSegmentations gives both.
func segmentPinyin(tok string) []string {
	if segs := pinyinSegmentations(tok, 1); len(segs) > 0 {
		return segs[0]
	}
	return nil
}

// pinyinSegmentations returns up to limit splits of tok into the fewest
// pinyin syllables.
func pinyinSegmentations(tok string, limit int) [][]string {
	t := tables()
	n := len(tok)
	if n == 0 || n > maxTokenLen {
		return nil
	}
	const inf = 1 << 30
	var best [maxTokenLen + 1]int
	for i := n - 1; i >= 0; i-- {
		best[i] = inf
		if tok[i] == '\'' || tok[i] == '-' {
			best[i] = best[i+1]
			continue
		}
		for l := 1; l <= 6 && i+l <= n; l++ {
			if _, ok := t.pinyin[tok[i:i+l]]; ok && best[i+l] < inf && best[i+l]+1 < best[i] {
				best[i] = best[i+l] + 1
			}
		}
	}
	if best[0] >= inf || best[0] == 0 {
		return nil
	}
	var out [][]string
	var cur []string
	var walk func(i int)
	walk = func(i int) {
		if len(out) >= limit {
			return
		}
		if i == n {
			out = append(out, append([]string(nil), cur...))
			return
		}
		if tok[i] == '\'' || tok[i] == '-' {
			walk(i + 1)
			return
		}
		for l := 1; l <= 6 && i+l <= n; l++ {
			if _, ok := t.pinyin[tok[i:i+l]]; ok && best[i+l]+1 == best[i] {
				cur = append(cur, tok[i:i+l])
				walk(i + l)
				cur = cur[:len(cur)-1]
			}
		}
	}
	walk(0)
	return out
}
