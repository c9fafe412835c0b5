package names

import (
	"strings"
	"unicode"
)

// compoundSurnames are two-syllable surnames. The value says how sure the
// reading is for a three-syllable name: 서문희 is far more often 서 + 문희
// than 서문 + 희, because 서 is a common surname and 서문 a rare one, so weak
// compounds are taken only when at least two syllables of given name remain.
var compoundSurnames = map[string]bool{
	"남궁": true, "황보": true, "제갈": true, "선우": true, "독고": true,
	"사공": true, "동방": true, "을지": true, "어금": true, "망절": true,
	"공손": true, "소봉": true, "장곡": true, "강전": true, "탁정": true,
	"서문": false,
}

// SplitHangul splits a Hangul full name into family name and given name.
// A space in the input is taken as the boundary. Otherwise the family name
// is the first syllable, or the first two when they form a known two-syllable
// surname (남궁, 황보, 제갈, 선우, 독고, 사공, 서문, 동방 …). Characters that
// are not Hangul syllables are kept in whichever part they fall.
func SplitHangul(full string) (family, given string) {
	full = strings.TrimSpace(composeJamo(full))
	if f, g, ok := strings.Cut(full, " "); ok {
		return f, strings.Join(strings.Fields(g), "")
	}
	rs := []rune(full)
	if len(rs) == 0 {
		return "", ""
	}
	if len(rs) >= 3 {
		if strong, ok := compoundSurnames[string(rs[:2])]; ok && (strong || len(rs) >= 4) {
			return string(rs[:2]), string(rs[2:])
		}
	}
	return string(rs[:1]), string(rs[1:])
}

// southInitial applies the initial-sound rule to one syllable: a word-initial
// ㄹ becomes ㅇ before a y-vowel and ㄴ elsewhere, and a word-initial ㄴ
// becomes ㅇ before a y-vowel (리 → 이, 로 → 노, 녀 → 여). Other runes are
// returned unchanged.
func southInitial(r rune) rune {
	l, v, t, ok := Decompose(r)
	if !ok || (l != leadR && l != leadN) {
		return r
	}
	switch {
	case yVowels&(1<<v) != 0:
		return Compose(leadO, v, t)
	case l == leadR:
		return Compose(leadN, v, t)
	}
	return r
}

// northSurnames maps the South form of a surname's syllable to the North
// form where the Hanja behind the South spelling are, in the great majority,
// ones the North writes with ㄹ or ㄴ. Ambiguous ones are left out: 연 (延
// stays 연; 連 is 련), and syllables that are also genuine ㅇ readings.
var northSurnames = map[rune]rune{
	'이': '리', // 李; 異 and 伊 are rare as surnames
	'임': '림', // 林; 任 (임) is also common: the convention follows 林
	'유': '류', // 柳, 劉; 兪 (유) stays 유 in the North but is the smaller clan
	'노': '로', // 盧, 魯
	'양': '량', // 梁; 楊 (양) is about as common: the convention follows 梁
	'나': '라', // 羅
	'여': '려', // 呂
	'염': '렴', // 廉
	'용': '룡', // 龍
	'육': '륙', // 陸
	'뇌': '뢰', // 雷
	'내': '래', // 來
	'예': '례', // 禮 is rare; 芮 (예) rarer still as a North spelling
}

// northGiven is the same for the first syllable of a given name. Only the
// syllables whose Hanja in names are overwhelmingly ㄹ readings are listed:
// 용 (龍 룡 but 容, 勇 용), 연 (蓮 련 but 延, 然 연), 예 (禮 례 but 藝, 睿
// 예), 영 (玲 령 but 英, 永 영) and 이, 유, 양, 여 are all genuinely split
// and are left as they are.
var northGiven = map[rune]rune{
	'낙': '락', // 樂, 洛
	'노': '로', // 魯, 露, 路
	'역': '력', // 力
	'육': '륙', // 陸, 六
	'율': '률', // 律
}

// ToSouth rewrites a Hangul name in South Korean spelling by applying the
// initial-sound rule (두음법칙) to the first syllable of the family name and
// to the first syllable of the given name: 리영호 → 이영호, 림 → 임,
// 류 → 유, 로 → 노, 량 → 양, 라 → 나, 리룡남 → 이용남. South Korean usage
// applies the rule to the start of a given name too (김용수, not 김룡수).
// Everything else, including non-Hangul text, is kept as it is.
func ToSouth(s string) string {
	return rewriteInitials(s, southInitial, southInitial)
}

// ToNorth rewrites a South Korean Hangul name in North Korean spelling
// where the reverse of the initial-sound rule is unambiguous for names:
// surnames 이 → 리, 임 → 림, 유 → 류, 노 → 로, 양 → 량, 나 → 라, 여 → 려,
// 염 → 렴 and a few more, and at the start of a given name only 낙 → 락,
// 노 → 로, 역 → 력, 육 → 륙, 율 → 률.
//
// The mapping cannot be exact without the Hanja: 이 may be 李 (리 in the
// North) or 異 (이 in both), 양 may be 梁 (량) or 楊 (양), and in given names
// 용, 연, 예, 영 are as often true ㅇ readings as hidden ㄹ ones. For surnames
// the common clan wins; given-name syllables that are genuinely split are
// left unchanged, so ToNorth(ToSouth(x)) is not always x.
func ToNorth(s string) string {
	return rewriteInitials(s, func(r rune) rune { return lookupRune(northSurnames, r) },
		func(r rune) rune { return lookupRune(northGiven, r) })
}

func lookupRune(m map[rune]rune, r rune) rune {
	if n, ok := m[r]; ok {
		return n
	}
	return r
}

// rewriteInitials applies fam to the first syllable of the family name and
// giv to the first syllable of the given name, keeping every other rune and
// the input's spacing.
func rewriteInitials(s string, fam, giv func(rune) rune) string {
	s = composeJamo(s)
	family, _ := SplitHangul(s)
	famLen := len([]rune(family))
	rs := []rune(s)
	n := 0 // Hangul or name runes seen, skipping leading space
	first := true
	for i, r := range rs {
		if unicode.IsSpace(r) {
			continue
		}
		switch {
		case first:
			rs[i] = fam(r)
			first = false
		case n == famLen:
			rs[i] = giv(r)
		}
		n++
	}
	return string(rs)
}
