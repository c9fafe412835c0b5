// Package names makes the many spellings of one Korean personal name
// comparable.
//
// The same person appears as 이영호 (South Korean Hangul), 리영호 (North
// Korean Hangul, which keeps the initial ㄹ), Lee Young-ho, Yi Yŏng-ho,
// Ri Yong Ho, YONGHO LEE, 李英浩 and Li Yinghao. Plain string similarity
// cannot see that these are one name (Lee, Yi and Ri share no letter), so
// every input is brought back to Hangul, where the spellings agree:
//
//   - Hangul is split into its jamo (Decompose) so that 영 and 용 differ by
//     one vowel, not by a whole syllable.
//   - North and South Hangul are reconciled by the initial-sound rule
//     (두음법칙, ToSouth): the South form is the canonical one.
//   - A romanized name is segmented into syllables and each syllable is read
//     back into the set of Hangul syllables it may stand for under Revised
//     Romanization, McCune–Reischauer with or without diacritics, the North
//     Korean system and common practical spellings (Lee, Park, Choi, Young,
//     Soo …). The set is kept as three bit masks (initial consonants, vowels,
//     final consonants), so "Chong" is {ㅈ,ㅊ}×{ㅓ,ㅗ}×{ㅇ} and comparing two
//     romanized names needs no enumeration.
//   - Name order is recognised from known surname spellings, so YONGHO LEE
//     is read as Lee Yong-ho.
//   - Hanja are read through Unicode's Unihan readings (HanjaToHangul), and
//     pinyin is mapped back to the Hangul readings of the Hanja it may spell.
//
// Two uses follow: Keys gives a few South-normalised Hangul strings for
// blocking (two spellings of one name share at least one key), and
// Similarity compares two names at the jamo level, taking the best pair of
// readings. Parse precomputes everything Similarity needs, for the linkage
// engine's hot loop.
//
// The other direction — writing one name in many spellings for the demo
// data — is served by RomanizeRR, RomanizeMR, FormatName, PracticalSurnames
// and Spellings.
//
// # Limits
//
//   - Keys guarantee a shared key for spellings of one name, not for typos:
//     a typo changes the Hangul and so the key. Similarity scores typos.
//   - A romanized syllable is read as Sino-Korean when it can be (su as 수
//     or 서, not 스), since North Korean names are overwhelmingly so; a rare
//     native syllable spelled like a Sino-Korean one may then miss its key,
//     though Similarity still scores it high through the similar vowels.
//   - Ambiguous romanizations read generously: "Kim Yong-ho" and "Kim
//     Yong-su" may both be North Korean spellings of 김영허/김영서, so they
//     score 0.875, not below 0.6 as 김영호/김영수 do.
//   - Name order is guessed from surname spellings only; when both ends look
//     like surnames both orders are tried.
//   - Pinyin is read back through the Hanja that spell each syllable, four
//     readings at most; a given-name syllable whose Hanja is rare in Chinese
//     may be missed. Surnames are read through a list of clan Hanja.
//   - Archaic spellings outside the tables ("Syngman") are not read; they
//     fall back to comparing letters.
//   - Only the first 64 letters of an input are read.
//
// All lookup tables are built once, on first use, from constants and from
// the embedded data file (data/hanja.txt, extracted from Unicode's Unihan
// database by ./gen; licence in data/LICENSE-Unicode.txt) and are never
// written afterwards, so every function is safe for concurrent use.
package names

//go:generate go run ./gen -out data/hanja.txt
