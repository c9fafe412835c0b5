package search

import (
	"bytes"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The text analysis: Latin script (and any other alphabet) is split into
// lower-cased, diacritic-folded words with a light plural stemming; Hangul
// and Han characters, which Korean and Chinese write without spaces between
// words, are indexed as overlapping character bigrams, and a run of one
// character as that character alone. The index also holds every run of
// three and four CJK characters standing together (minGram, maxGram), so a
// query word of three or four syllables is the AND of its bigrams and of
// itself, and 집결소 finds 온성집결소에서 and 온성 집결소 without reading
// either; a longer word is the AND of its bigrams and runs of four,
// checked against the text for contiguity.

// isCJK reports whether r is written without spaces between words.
func isCJK(r rune) bool {
	return (r >= 0xAC00 && r <= 0xD7A3) || unicode.Is(unicode.Han, r)
}

// isWord reports whether r belongs to a word.
func isWord(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

// isJoiner reports whether r may stand inside a Latin word without ending
// it: "Ch'ŏl", "O’Brien".
func isJoiner(r rune) bool { return r == '\'' || r == '’' }

var foldTable = map[rune]rune{
	'à': 'a', 'á': 'a', 'â': 'a', 'ã': 'a', 'ä': 'a', 'å': 'a', 'ā': 'a', 'ǎ': 'a',
	'è': 'e', 'é': 'e', 'ê': 'e', 'ë': 'e', 'ē': 'e', 'ě': 'e',
	'ì': 'i', 'í': 'i', 'î': 'i', 'ï': 'i', 'ī': 'i', 'ǐ': 'i',
	'ò': 'o', 'ó': 'o', 'ô': 'o', 'õ': 'o', 'ö': 'o', 'ō': 'o', 'ŏ': 'o', 'ǒ': 'o',
	'ù': 'u', 'ú': 'u', 'û': 'u', 'ü': 'u', 'ū': 'u', 'ŭ': 'u', 'ǔ': 'u', 'ǖ': 'u', 'ǘ': 'u', 'ǚ': 'u', 'ǜ': 'u',
	'ñ': 'n', 'ç': 'c', 'ý': 'y', 'ÿ': 'y',
}

// fold lower-cases r and drops its diacritics.
func fold(r rune) rune {
	r = unicode.ToLower(r)
	if f, ok := foldTable[r]; ok {
		return f
	}
	return r
}

// stem strips a plural ending in place: "centres" and "centre" meet, as
// do "testimonies" and "testimony". It leaves short words and "-ss" alone.
func stem(w []byte) []byte {
	n := len(w)
	switch {
	case n > 4 && w[n-3] == 'i' && w[n-2] == 'e' && w[n-1] == 's':
		return append(w[:n-3], 'y')
	case n > 3 && w[n-1] == 's' && w[n-2] != 's' && w[n-2] != 'u':
		return w[:n-1]
	}
	return w
}

// token is one term of a text, with its span in bytes. latin is false for
// CJK characters and bigrams.
type token struct {
	term       string
	start, end int
	latin      bool
}

// scanner splits texts into terms without allocating: the term passed to
// emit lives in a buffer that the next call overwrites.
type scanner struct {
	word, pair, prev, cjk []byte
}

// scan calls emit for each term of text in order: Latin words (folded,
// stemmed), CJK bigrams (and a lone CJK character as itself), and, when
// pairs is set (the index's terms), each two adjacent Latin words as one
// term "a b", which makes a two-word phrase one lookup, and every run of
// three and of four CJK characters that stand together in the text's
// normalized form, which makes a word of three or four syllables one exact
// lookup (see grams).
func (sc *scanner) scan(text string, pairs bool, emit func(term []byte, start, end int, latin bool)) {
	// The CJK terms are built in sc.cjk without storing the appends back:
	// room for four characters of up to four bytes keeps them from ever
	// allocating.
	if cap(sc.cjk) < 4*utf8.UTFMax {
		sc.cjk = make([]byte, 0, 4*utf8.UTFMax)
	}
	wordStart := -1
	havePrev := false
	flush := func(end int) {
		if wordStart < 0 {
			return
		}
		w := stem(sc.word)
		if len(w) > 0 {
			emit(w, wordStart, end, true)
			if pairs {
				if havePrev {
					sc.pair = append(append(append(sc.pair[:0], sc.prev...), ' '), w...)
					emit(sc.pair, wordStart, end, true)
				}
				sc.prev = append(sc.prev[:0], w...)
				havePrev = true
			}
		}
		sc.word = sc.word[:0]
		wordStart = -1
	}
	prevStart, prevEnd := -1, 0
	runLen := 0
	// Korean spacing varies between writers (전화로 알려왔다, 전화로알려왔다),
	// so the two characters either side of a space between CJK runs are a
	// bigram too: a phrase then finds the text however either is spaced.
	bridge := false
	bridgeStart, bridgeEnd := 0, 0
	endRun := func() {
		if runLen == 1 {
			emit(append(sc.cjk[:0], text[prevStart:prevEnd]...), prevStart, prevEnd, false)
		}
		if runLen > 0 {
			havePrev = false
		}
		runLen = 0
	}
	// chain holds the spans of the last CJK characters (up to three) with
	// nothing but non-word characters since: adjacent in normalize's form.
	var chain [3][2]int
	chainLen := 0
	for i, r := range text {
		switch {
		case isCJK(r):
			flush(i)
			end := i + utf8.RuneLen(r)
			if pairs {
				if chainLen >= 2 {
					g := append(append(sc.cjk[:0], text[chain[1][0]:chain[1][1]]...), text[chain[0][0]:chain[0][1]]...)
					emit(append(g, text[i:end]...), chain[1][0], end, false)
				}
				if chainLen >= 3 {
					g := append(append(sc.cjk[:0], text[chain[2][0]:chain[2][1]]...), text[chain[1][0]:chain[1][1]]...)
					g = append(append(g, text[chain[0][0]:chain[0][1]]...), text[i:end]...)
					emit(g, chain[2][0], end, false)
				}
				chain[2], chain[1], chain[0] = chain[1], chain[0], [2]int{i, end}
				chainLen = min(chainLen+1, 3)
			}
			if runLen > 0 {
				emit(append(sc.cjk[:0], text[prevStart:end]...), prevStart, end, false)
			} else if bridge {
				emit(append(append(sc.cjk[:0], text[bridgeStart:bridgeEnd]...), text[i:end]...), bridgeStart, end, false)
			}
			bridge = false
			prevStart, prevEnd = i, end
			runLen++
		case isWord(r):
			bridge = false
			chainLen = 0
			endRun()
			if wordStart < 0 {
				wordStart = i
			}
			if r < utf8.RuneSelf {
				if 'A' <= r && r <= 'Z' {
					r += 'a' - 'A'
				}
				sc.word = append(sc.word, byte(r))
			} else {
				sc.word = utf8.AppendRune(sc.word, fold(r))
			}
		case isJoiner(r) && wordStart >= 0:
			// kept inside the word, dropped from the term
		default:
			if unicode.IsSpace(r) {
				if runLen > 0 {
					bridge, bridgeStart, bridgeEnd = true, prevStart, prevEnd
				}
			} else {
				bridge = false
			}
			endRun()
			flush(i)
		}
	}
	endRun()
	flush(len(text))
}

// tokenize returns the terms of text, without pairs, as strings.
func tokenize(text string) []token {
	var sc scanner
	var out []token
	sc.scan(text, false, func(t []byte, start, end int, latin bool) {
		out = append(out, token{string(t), start, end, latin})
	})
	return out
}

// minGram and maxGram bound the runs of CJK characters that the index
// holds as terms besides bigrams. scan emits them over the characters that
// normalize puts side by side (across spaces and punctuation, not across
// a Latin word or a digit), so a text holds such a term exactly when its
// normalized form contains it: the test a query word of three or four
// syllables would otherwise make by reading every candidate text.
const minGram, maxGram = 3, 4

// normalized is a text brought to the form phrases are matched in: words
// folded to lower case and separated by one space, punctuation dropped,
// and no space between two CJK characters, so that Korean spacing does
// not matter. For each byte of norm, start and end give the span of the
// text's rune it came from.
type normalized struct {
	norm       string
	start, end []int
}

func normalize(text string) normalized {
	var b strings.Builder
	n := normalized{start: make([]int, 0, len(text)), end: make([]int, 0, len(text))}
	pendingSpace := false
	spaceAt := 0
	var last rune
	for i, r := range text {
		if !isWord(r) {
			if isJoiner(r) && last != 0 && !isCJK(last) {
				continue
			}
			if b.Len() > 0 {
				if !pendingSpace {
					spaceAt = i
				}
				pendingSpace = true
			}
			continue
		}
		if pendingSpace && !(isCJK(last) && isCJK(r)) {
			b.WriteByte(' ')
			n.start = append(n.start, spaceAt)
			n.end = append(n.end, spaceAt)
		}
		pendingSpace = false
		f := fold(r)
		b.WriteRune(f)
		for range utf8.RuneLen(f) {
			n.start = append(n.start, i)
			n.end = append(n.end, i+utf8.RuneLen(r))
		}
		last = r
	}
	n.norm = b.String()
	return n
}

// find returns up to limit spans, in bytes of the original text, where
// the normalized phrase p occurs in n at word boundaries.
func (n normalized) find(p string, limit int) [][2]int {
	if p == "" {
		return nil
	}
	var out [][2]int
	first, _ := utf8.DecodeRuneInString(p)
	lastR, _ := utf8.DecodeLastRuneInString(p)
	from := 0
	for len(out) < limit {
		i := strings.Index(n.norm[from:], p)
		if i < 0 {
			break
		}
		i += from
		j := i + len(p)
		okStart := isCJK(first) || i == 0 || n.norm[i-1] == ' '
		okEnd := isCJK(lastR) || j == len(n.norm) || n.norm[j] == ' '
		if okStart && okEnd {
			out = append(out, [2]int{n.start[i], n.end[j-1]})
		}
		_, size := utf8.DecodeRuneInString(n.norm[i:])
		from = i + size
	}
	return out
}

// appendNorm appends the normalized form of text (as normalize makes it,
// without the offsets) to buf: the cheap form for checking candidates.
func appendNorm(buf []byte, text string) []byte {
	pendingSpace := false
	var last rune
	for _, r := range text {
		if !isWord(r) {
			if isJoiner(r) && last != 0 && !isCJK(last) {
				continue
			}
			if len(buf) > 0 {
				pendingSpace = true
			}
			continue
		}
		if pendingSpace && !(isCJK(last) && isCJK(r)) {
			buf = append(buf, ' ')
		}
		pendingSpace = false
		buf = utf8.AppendRune(buf, fold(r))
		last = r
	}
	return buf
}

// containsNorm reports whether the normalized phrase p occurs in the
// normalized text n at word boundaries, as normalized.find does.
func containsNorm(n []byte, p string) bool {
	if p == "" {
		return false
	}
	first, _ := utf8.DecodeRuneInString(p)
	lastR, _ := utf8.DecodeLastRuneInString(p)
	from := 0
	for {
		i := bytes.Index(n[from:], []byte(p))
		if i < 0 {
			return false
		}
		i += from
		j := i + len(p)
		if (isCJK(first) || i == 0 || n[i-1] == ' ') && (isCJK(lastR) || j == len(n) || n[j] == ' ') {
			return true
		}
		_, size := utf8.DecodeRune(n[i:])
		from = i + size
	}
}
