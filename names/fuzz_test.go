package names

import (
	"slices"
	"sort"
	"strings"
	"testing"
	"unicode"
)

var fuzzSeeds = []string{"이영호", "리영호", "Lee Young-ho", "Yi Yŏng-ho", "Ri Yong Ho", "YONGHO LEE", "李英浩", "Li Yinghao",
	"Ch'ŏl-su", "LEE, Young Ho", "남궁민", "x", "ʼ", "\u1100\u1161", "Gat-gat'gat", "'-'", "ㄱ", ""}

func FuzzKeys(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		keys := Keys(s)
		if len(keys) > MaxKeys {
			t.Fatalf("Keys(%q) has %d keys", s, len(keys))
		}
		if !sort.StringsAreSorted(keys) {
			t.Fatalf("Keys(%q) = %q is not sorted", s, keys)
		}
		for i, k := range keys {
			if k == "" || (i > 0 && keys[i-1] == k) {
				t.Fatalf("Keys(%q) = %q has an empty or repeated key", s, keys)
			}
		}
		if !slices.Equal(keys, Keys(s)) {
			t.Fatalf("Keys(%q) is not deterministic", s)
		}
	})
}

func FuzzSimilarity(f *testing.F) {
	for i, a := range fuzzSeeds {
		f.Add(a, fuzzSeeds[(i+1)%len(fuzzSeeds)])
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		s := Similarity(a, b)
		if s < 0 || s > 1 || s != s {
			t.Fatalf("Similarity(%q, %q) = %v, outside [0,1]", a, b, s)
		}
		if r := Similarity(b, a); r != s {
			t.Fatalf("Similarity(%q, %q) = %v but reversed %v", a, b, s, r)
		}
		if strings.IndexFunc(a, unicode.IsLetter) >= 0 {
			if self := Similarity(a, a); self != 1 {
				t.Fatalf("Similarity(%q, itself) = %v", a, self)
			}
		}
	})
}

// FuzzRomanize checks that romanizing never panics and that RR output
// reads back: cut into tokens of at most three syllables (a given name's
// length), every token's original Hangul is among ParseRoman's candidates.
func FuzzRomanize(f *testing.F) {
	for _, s := range append(fuzzSeeds, "갔갖같갛", "오이", "으으으", "앙아", "읽읊", "꽃님이", "쀓쀓쀓") {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		RomanizeRR(s)
		RomanizeMR(s, true)
		RomanizeMR(s, false)
		for _, st := range Styles() {
			FormatName(s, s, st)
		}
		var syl []rune
		for _, r := range s {
			if isSyllable(r) && len(syl) < 24 { // a few names' worth keeps the fuzzer fast
				syl = append(syl, r)
			}
		}
		var toks []string
		for len(syl) > 0 {
			n := min(3, len(syl))
			toks = append(toks, string(syl[:n]))
			syl = syl[n:]
		}
		if len(toks) == 0 {
			return
		}
		rr := RomanizeRR(strings.Join(toks, " "))
		got := ParseRoman(rr)
		if len(got) != len(toks) {
			t.Fatalf("ParseRoman(%q) gave %d tokens; want %d", rr, len(got), len(toks))
		}
		for i, tok := range toks {
			if !slices.Contains(got[i], tok) {
				t.Fatalf("ParseRoman(%q): token %d (%q) not among %d candidates", rr, i, tok, len(got[i]))
			}
		}
	})
}
