package search

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// The text analysis: Latin script (and any other alphabet) is split into
// lower-cased, diacritic-folded words with a light plural stemming; Hangul
// and Han characters, which Korean and Chinese write without spaces between
// words, are indexed as overlapping character bigrams, and a run of one
// character as that character alone. A query word of three or more Hangul
// syllables is then the AND of its bigrams, checked against the text for
// contiguity, so 집결소 finds 온성집결소에서 and 온성 집결소.

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

// stem strips a plural ending: "centres" and "centre" meet, as do
// "testimonies" and "testimony". It leaves short words and "-ss" alone.
func stem(w string) string {
	switch {
	case len(w) > 4 && strings.HasSuffix(w, "ies"):
		return w[:len(w)-3] + "y"
	case len(w) > 3 && strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss") && !strings.HasSuffix(w, "us"):
		return w[:len(w)-1]
	}
	return w
}

// token is one indexed term of a text, with its span in bytes.
type token struct {
	term       string
	start, end int
}

// tokenize splits text into its index terms. emit is called for each, in
// order; for CJK runs the bigrams overlap.
func tokenize(text string, emit func(token)) {
	var word strings.Builder
	wordStart := -1
	flush := func(end int) {
		if wordStart >= 0 {
			if w := word.String(); w != "" {
				emit(token{term: stem(w), start: wordStart, end: end})
			}
			word.Reset()
			wordStart = -1
		}
	}
	// The current CJK run: start of the previous rune and the rune.
	prevStart, prev := -1, rune(0)
	runLen := 0
	endRun := func(end int) {
		if runLen == 1 {
			emit(token{term: string(prev), start: prevStart, end: end})
		}
		runLen, prevStart = 0, -1
	}
	for i, r := range text {
		switch {
		case isCJK(r):
			flush(i)
			if runLen > 0 {
				emit(token{term: string(prev) + string(r), start: prevStart, end: i + utf8.RuneLen(r)})
			}
			prevStart, prev = i, r
			runLen++
		case isWord(r):
			endRun(i)
			if wordStart < 0 {
				wordStart = i
			}
			word.WriteRune(fold(r))
		case isJoiner(r) && wordStart >= 0:
			// kept inside the word, dropped from the term
		default:
			endRun(i)
			flush(i)
		}
	}
	endRun(len(text))
	flush(len(text))
}

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

// contains reports whether the normalized phrase p occurs in n.
func (n normalized) contains(p string) bool { return len(n.find(p, 1)) > 0 }
