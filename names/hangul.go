package names

import "unicode/utf8"

// The standard arrangement of the Hangul Syllables block: a syllable is
// sBase + (lead*vCount+vowel)*tCount + tail.
const (
	sBase  = 0xAC00
	lCount = 19
	vCount = 21
	tCount = 28
	nCount = vCount * tCount
	sCount = lCount * nCount
)

// Lead (initial consonant) indices used by the rules in this package.
const (
	leadG  = 0  // ㄱ
	leadGG = 1  // ㄲ
	leadN  = 2  // ㄴ
	leadD  = 3  // ㄷ
	leadDD = 4  // ㄸ
	leadR  = 5  // ㄹ
	leadM  = 6  // ㅁ
	leadB  = 7  // ㅂ
	leadBB = 8  // ㅃ
	leadS  = 9  // ㅅ
	leadSS = 10 // ㅆ
	leadO  = 11 // ㅇ (silent)
	leadJ  = 12 // ㅈ
	leadJJ = 13 // ㅉ
	leadCH = 14 // ㅊ
	leadK  = 15 // ㅋ
	leadT  = 16 // ㅌ
	leadP  = 17 // ㅍ
	leadH  = 18 // ㅎ
)

// Vowel indices.
const (
	vA   = 0  // ㅏ
	vAE  = 1  // ㅐ
	vYA  = 2  // ㅑ
	vYAE = 3  // ㅒ
	vEO  = 4  // ㅓ
	vE   = 5  // ㅔ
	vYEO = 6  // ㅕ
	vYE  = 7  // ㅖ
	vO   = 8  // ㅗ
	vWA  = 9  // ㅘ
	vWAE = 10 // ㅙ
	vOE  = 11 // ㅚ
	vYO  = 12 // ㅛ
	vU   = 13 // ㅜ
	vWO  = 14 // ㅝ
	vWE  = 15 // ㅞ
	vWI  = 16 // ㅟ
	vYU  = 17 // ㅠ
	vEU  = 18 // ㅡ
	vUI  = 19 // ㅢ
	vI   = 20 // ㅣ
)

// Tail (final consonant) indices; 0 is no final.
const (
	tNone = 0
	tG    = 1  // ㄱ
	tGG   = 2  // ㄲ
	tGS   = 3  // ㄳ
	tN    = 4  // ㄴ
	tNJ   = 5  // ㄵ
	tNH   = 6  // ㄶ
	tD    = 7  // ㄷ
	tL    = 8  // ㄹ
	tLG   = 9  // ㄺ
	tLM   = 10 // ㄻ
	tLB   = 11 // ㄼ
	tLS   = 12 // ㄽ
	tLT   = 13 // ㄾ
	tLP   = 14 // ㄿ
	tLH   = 15 // ㅀ
	tM    = 16 // ㅁ
	tB    = 17 // ㅂ
	tBS   = 18 // ㅄ
	tS    = 19 // ㅅ
	tSS   = 20 // ㅆ
	tNG   = 21 // ㅇ
	tJ    = 22 // ㅈ
	tCH   = 23 // ㅊ
	tK    = 24 // ㅋ
	tT    = 25 // ㅌ
	tP    = 26 // ㅍ
	tH    = 27 // ㅎ
)

// yVowels are the vowels that begin with a y (or i) glide; before them the
// initial-sound rule drops ㄹ and ㄴ to silence (리 → 이, 녀 → 여).
const yVowels = 1<<vYA | 1<<vYAE | 1<<vYEO | 1<<vYE | 1<<vYO | 1<<vYU | 1<<vI

// Decompose splits a precomposed Hangul syllable into the indices of its
// initial consonant (0–18), vowel (0–20) and final consonant (0–27, 0 for
// none) in the standard jamo order of the Unicode Hangul Syllables block.
// ok is false, and the indices zero, for any other rune.
func Decompose(r rune) (lead, vowel, tail int, ok bool) {
	s := int(r) - sBase
	if s < 0 || s >= sCount {
		return 0, 0, 0, false
	}
	return s / nCount, (s % nCount) / tCount, s % tCount, true
}

// Compose is the inverse of Decompose. It returns utf8.RuneError when an
// index is out of range, so a caller's arithmetic slip cannot produce an
// unrelated character.
func Compose(lead, vowel, tail int) rune {
	if lead < 0 || lead >= lCount || vowel < 0 || vowel >= vCount || tail < 0 || tail >= tCount {
		return utf8.RuneError
	}
	return rune(sBase + (lead*vCount+vowel)*tCount + tail)
}

// IsHangul reports whether s contains at least one precomposed Hangul
// syllable.
func IsHangul(s string) bool {
	for _, r := range s {
		if isSyllable(r) {
			return true
		}
	}
	return false
}

func isSyllable(r rune) bool { return r >= sBase && r < sBase+sCount }

// composeJamo turns sequences of conjoining jamo (U+1100 block), which text
// that went through NFD normalisation carries, into precomposed syllables so
// that they compare equal to ordinary Hangul. Everything else is kept.
func composeJamo(s string) string {
	has := false
	for _, r := range s {
		if r >= 0x1100 && r <= 0x11FF {
			has = true
			break
		}
	}
	if !has {
		return s
	}
	rs := []rune(s)
	out := make([]rune, 0, len(rs))
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		if r >= 0x1100 && r < 0x1100+lCount && i+1 < len(rs) && rs[i+1] >= 0x1161 && rs[i+1] < 0x1161+vCount {
			l, v, t := int(r-0x1100), int(rs[i+1]-0x1161), 0
			i++
			if i+1 < len(rs) && rs[i+1] >= 0x11A8 && rs[i+1] < 0x11A8+tCount-1 {
				t = int(rs[i+1]-0x11A8) + 1
				i++
			}
			out = append(out, Compose(l, v, t))
			continue
		}
		if t := int(r) - 0x11A8 + 1; t >= 1 && t < tCount && len(out) > 0 {
			// A trailing consonant after an already composed open syllable.
			if l, v, t0, ok := Decompose(out[len(out)-1]); ok && t0 == 0 {
				out[len(out)-1] = Compose(l, v, t)
				continue
			}
		}
		out = append(out, r)
	}
	return string(out)
}
