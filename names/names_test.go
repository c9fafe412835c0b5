package names

import (
	"slices"
	"sort"
	"testing"
)

func TestParseRoman(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want []string // per token, one candidate that must be present
	}{
		{"Ri Yong Ho", []string{"리", "영", "호"}},
		{"Ri Yong Ho", []string{"리", "용", "허"}},
		{"Younghee", []string{"영희"}},
		{"Young-hee", []string{"영희"}},
		{"Young Hee", []string{"영", "희"}},
		{"Ch'ŏl-su", []string{"철수"}},
		{"Ch’ŏl-su", []string{"철수"}},      // typographic apostrophe
		{"Chǒl-su", []string{"철수"}},       // caron for breve
		{"Cho\u0306l-su", []string{"철수"}}, // combining breve
		{"Cholsu", []string{"철수"}},
		{"Chul-soo", []string{"철수"}},
		{"Jeong", []string{"정"}},
		{"Jung", []string{"정"}},
		{"Chung", []string{"정"}},
		{"Jong", []string{"정"}},
		{"Jong", []string{"종"}},
		{"Kim Jong Un", []string{"김", "정", "은"}},
		{"Lee", []string{"이"}},
		{"Lee", []string{"리"}},
		{"Park", []string{"박"}},
		{"Pak", []string{"박"}},
		{"Bak", []string{"박"}},
		{"Choi", []string{"최"}},
		{"Choe", []string{"최"}},
		{"Oh", []string{"오"}},
		{"Ahn", []string{"안"}},
		{"Sohn", []string{"손"}},
		{"Hur", []string{"허"}},
		{"Thae", []string{"태"}},
		{"Phyong", []string{"평"}},
		{"Kwon", []string{"권"}},
		{"Kweon", []string{"권"}},
		{"Hyun", []string{"현"}},
		{"Kyung", []string{"경"}},
		{"Yŏng", []string{"영"}},
		{"LEE, Young Ho", []string{"이", "영", "호"}},
		{"Oi", []string{"오이"}}, // every segmentation, not only the shortest
		{"Oi", []string{"외"}},
		{"Gat", []string{"갗"}}, // RR writes seven finals as t
	}
	for _, tt := range tests {
		got := ParseRoman(tt.in)
		if len(got) != len(tt.want) {
			t.Errorf("ParseRoman(%q) has %d tokens; want %d: %q", tt.in, len(got), len(tt.want), got)
			continue
		}
		for i, w := range tt.want {
			if !slices.Contains(got[i], w) {
				t.Errorf("ParseRoman(%q)[%d] = %q; missing %q", tt.in, i, got[i], w)
			}
		}
	}
	if got := ParseRoman("Younghee"); got[0][0] != "영희" {
		t.Errorf("ParseRoman(Younghee) starts with %q; want the likeliest reading 영희 first", got[0][0])
	}
	if got := ParseRoman("Smith 42"); len(got) != 2 || len(got[1]) != 0 {
		t.Errorf("ParseRoman(Smith 42) = %q; want an empty list for the unreadable token", got)
	}
}

func TestHanja(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, hangul, pinyin string }{
		{"李英浩", "이영호", "li ying hao"},
		{"金正恩", "김정은", "jin zheng en"}, // 金 is 김 as a surname, not 금
		{"朴槿惠", "박근혜", "piao jin hui"}, // 朴 read as a surname, not pǔ
		{"李龍男", "이용남", "li long nan"},  // South spelling: 룡 → 용 at the start of the given name
		{"崔龍海", "최용해", "cui long hai"},
		{"盧武鉉", "노무현", "lu wu xuan"},
		{"南宮民", "남궁민", "nan gong min"},
		{"\uF9E1英浩", "이영호", "li ying hao"}, // CJK compatibility ideograph for 李
		{"李영호", "이영호", "li"},
		{"呂", "여", "lü"},
	}
	for _, tt := range tests {
		if got := HanjaToHangul(tt.in); got != tt.hangul {
			t.Errorf("HanjaToHangul(%q) = %q; want %q", tt.in, got, tt.hangul)
		}
		if got := Pinyin(tt.in); got != tt.pinyin {
			t.Errorf("Pinyin(%q) = %q; want %q", tt.in, got, tt.pinyin)
		}
	}
}

func TestHangulFromPinyin(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want []string
	}{
		{"Li Yinghao", []string{"리", "영", "호"}},
		{"li ying hao", []string{"리", "영", "호"}},
		{"Jin Zheng'en", []string{"금", "정", "은"}},
		{"Piao Jinhui", []string{"박", "근", "혜"}},
		{"Lǚ", []string{"려"}},
		{"Lyu", []string{"려"}}, // passport spelling of lü
	}
	for _, tt := range tests {
		got := HangulFromPinyin(tt.in)
		if len(got) != len(tt.want) {
			t.Errorf("HangulFromPinyin(%q) = %q; want %d syllables", tt.in, got, len(tt.want))
			continue
		}
		for i, w := range tt.want {
			if !slices.Contains(got[i], w) {
				t.Errorf("HangulFromPinyin(%q)[%d] = %q; missing %q", tt.in, i, got[i], w)
			}
			if len(got[i]) > maxPinyinReadings {
				t.Errorf("HangulFromPinyin(%q)[%d] has %d candidates", tt.in, i, len(got[i]))
			}
		}
	}
	if got := HangulFromPinyin("Kim Chulsoo"); got != nil {
		t.Errorf("HangulFromPinyin(Kim Chulsoo) = %q; want nil, it is not pinyin", got)
	}
}

// sameName lists groups of spellings of one person; every member must
// share the key and score 1 against every other.
var sameName = []struct {
	key      string
	spelling []string
}{
	{"이영호", []string{"이영호", "리영호", "Lee Young-ho", "Yi Yŏng-ho", "Yi Yong-ho", "Ri Yong Ho", "YONGHO LEE",
		"李英浩", "Li Yinghao", "Lee Yeong-ho", "I Yeongho", "Rhee Young Ho", "LEE, Young Ho", "Young-ho Lee",
		"YEONGHO LEE", "Lee Younghee"[:0] + "Lee Youngho", "lee young ho", "리 영호"}},
	// The seed article's ambassador, spelt two ways in one text.
	{"이정훈", []string{"Lee Jeong-hoon", "Lee Jung Hoon", "이정훈", "Jung Hoon Lee", "Yi Chŏng-hun", "Ri Jong Hun"}},
	{"정민호", []string{"정민호", "Jeong Min-ho", "Chung Min-ho", "Jung Min Ho", "Jong Min Ho", "Cheong Minho", "Chŏng Min-ho"}},
	{"박철수", []string{"박철수", "Park Chul-soo", "Pak Chol Su", "Bak Cheolsu", "Pak Ch'ŏl-su", "CHULSOO PARK", "Bahk Cheol-su"}},
	{"최용해", []string{"최룡해", "최용해", "Choe Ryong Hae", "Choi Yong-hae", "Ch'oe Ryong-hae", "崔龍海"}},
	{"김영희", []string{"김영희", "Kim Younghee", "Kim Young-hee", "Kim Young Hee", "Kim Yŏng-hŭi", "Kim Yong Hui", "Gim Yeonghui"}},
	{"김철수", []string{"김철수", "Kim Ch'ŏl-su", "Kim Chol-su", "Kim Cholsu", "Kim Chul-soo", "Kim Cheol-su", "Cheolsu Kim"}},
	{"임철", []string{"림철", "임철", "Rim Chol", "Lim Chul", "Im Cheol", "Yim Chul"}},
	{"유경희", []string{"류경희", "유경희", "Ryu Kyong Hui", "Yoo Kyung-hee", "Yu Gyeong-hui", "Rhyu Kyung Hee"}},
	{"노동철", []string{"로동철", "노동철", "Ro Tong Chol", "Roh Dong-chul", "No Tong-ch'ŏl", "Noh Dongcheol"}},
	{"양만길", []string{"량만길", "양만길", "Ryang Man Gil", "Yang Man-gil", "Yang Mankil"}},
	{"이용남", []string{"리룡남", "이용남", "Ri Ryong Nam", "Lee Yong-nam", "李龍男"}},
	{"김정은", []string{"김정은", "金正恩", "Jin Zhengen", "Kim Jong Un", "Kim Jong-un", "Kim Chŏng-ŭn", "Gim Jeongeun", "Jong-un Kim"}},
	{"태영호", []string{"태영호", "Thae Yong Ho", "Tae Young-ho", "T'ae Yŏng-ho"}},
	{"현송월", []string{"현송월", "Hyon Song Wol", "Hyun Song-wol", "Hyeon Songwol"}},
	{"남궁민", []string{"남궁민", "Namgung Min", "Namgoong Min", "Min Namgung", "南宮民"}},
	{"반기문", []string{"반기문", "Ban Ki-moon", "Pan Ki Mun", "潘基文"}},
	{"황장엽", []string{"황장엽", "Hwang Jang-yop", "Hwang Jang-yeop", "Hwang Chang-yŏp", "黃長燁"}},
	{"신동혁", []string{"신동혁", "Shin Dong-hyuk", "Sin Tong-hyok", "Dong-hyuk Shin"}},
	{"최선희", []string{"최선희", "Choe Son Hui", "Choi Sun-hee", "Ch'oe Sŏn-hŭi"}},
	{"오진우", []string{"오진우", "O Jin U", "Oh Jin-woo", "O Chin-u"}},
}

func TestKeysShared(t *testing.T) {
	t.Parallel()
	for _, g := range sameName {
		for _, s := range g.spelling {
			keys := Keys(s)
			if !slices.Contains(keys, g.key) {
				t.Errorf("Keys(%q) = %q; want it to contain %q", s, keys, g.key)
			}
		}
	}
}

func TestKeysShape(t *testing.T) {
	t.Parallel()
	for _, s := range []string{"이영호", "Lee Young-ho", "Li Yinghao", "Ri Yong Ho", "Jung Hoon Lee", "Gat Gat Gat", "Smith", "X Æ A-12", ""} {
		keys := Keys(s)
		if len(keys) > MaxKeys {
			t.Errorf("Keys(%q) has %d keys; want at most %d", s, len(keys), MaxKeys)
		}
		if !sort.StringsAreSorted(keys) {
			t.Errorf("Keys(%q) = %q is not sorted", s, keys)
		}
		if !slices.Equal(keys, Keys(s)) {
			t.Errorf("Keys(%q) is not deterministic", s)
		}
	}
	if got := Keys("리영호"); !slices.Equal(got, []string{"이영호"}) {
		t.Errorf("Keys(리영호) = %q; want exactly the South form", got)
	}
	if got := Keys("Smith"); !slices.Equal(got, []string{"~smith"}) {
		t.Errorf("Keys(Smith) = %q; want the folded fallback key", got)
	}
	if got := Keys(""); got != nil {
		t.Errorf("Keys(\"\") = %q; want none", got)
	}
}

func TestSimilaritySameName(t *testing.T) {
	t.Parallel()
	for _, g := range sameName {
		for i, a := range g.spelling {
			for _, b := range g.spelling[i+1:] {
				if got := Similarity(a, b); got < 0.99 {
					t.Errorf("Similarity(%q, %q) = %.3f; want 1", a, b, got)
				}
			}
		}
	}
}

func TestSimilarity(t *testing.T) {
	t.Parallel()
	tests := []struct {
		a, b     string
		min, max float64
	}{
		// The seed article's pair.
		{"Lee Jeong-hoon", "Lee Jung Hoon", 0.9, 1},
		// One-letter typos.
		{"이영호", "이영후", 0.85, 0.99},
		{"이영호", "이영조", 0.85, 0.99},
		{"이영호", "이형호", 0.85, 0.99},
		{"김철수", "김철구", 0.85, 0.99},
		{"Lee Young-ho", "Lee Yuong-ho", 0.85, 0.99}, // transposition breaks the romanization
		{"Lee Young-ho", "Lee Youngo", 0.85, 0.99},
		{"Park Chul-soo", "Park Chul-soo", 1, 1},
		// Different people with the same surname or given name.
		{"김영호", "김영수", 0, 0.6},
		{"김철수", "박철수", 0, 0.6},
		{"김영호", "김철수", 0, 0.6},
		{"Kim Young-ho", "Kim Young-soo", 0, 0.6},
		{"Park Chul-soo", "Kim Chul-soo", 0, 0.6},
		{"Kim Chul-soo", "박철수", 0, 0.6},
		{"이영호", "박지성", 0, 0.3},
		{"Lee Young-ho", "Smith", 0, 0.3},
		// A missing given-name syllable is a large difference.
		{"이영호", "이영", 0, 0.6},
	}
	for _, tt := range tests {
		got := Similarity(tt.a, tt.b)
		if got < tt.min || got > tt.max {
			t.Errorf("Similarity(%q, %q) = %.3f; want in [%.2f, %.2f]", tt.a, tt.b, got, tt.min, tt.max)
		}
		if back := Similarity(tt.b, tt.a); back != got {
			t.Errorf("Similarity is not symmetric for %q, %q: %v vs %v", tt.a, tt.b, got, back)
		}
	}
}

func TestParsedReuse(t *testing.T) {
	t.Parallel()
	p := Parse("Ri Yong Ho")
	for _, s := range []string{"이영호", "Lee Young-ho", "YONGHO LEE"} {
		q := Parse(s)
		if p.Similarity(q) != Similarity("Ri Yong Ho", s) {
			t.Errorf("Parsed.Similarity and Similarity disagree on %q", s)
		}
	}
	if got := Parse("").Similarity(Parse("")); got != 0 {
		t.Errorf("two empty names score %v; want 0", got)
	}
}

func TestNameOrder(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want Order
	}{
		{"Lee Young-ho", FamilyFirst},
		{"YONGHO LEE", GivenFirst},
		{"Young-ho Lee", GivenFirst},
		{"LEE, Young Ho", FamilyFirst},
		{"Ri Yong Ho", OrderUnknown}, // Ho is also a spelling of 허
		{"Jung Hoon Lee", OrderUnknown},
		{"Kim Chul-soo", FamilyFirst},
		{"Ch'ŏl-su Ch'oe", GivenFirst},
		{"Kim", OrderUnknown},
		{"", OrderUnknown},
	}
	for _, tt := range tests {
		if got := NameOrder(tt.in); got != tt.want {
			t.Errorf("NameOrder(%q) = %v; want %v", tt.in, got, tt.want)
		}
	}
	for w, want := range map[string]bool{"Lee": true, "Ch'oe": true, "Pak": true, "RHEE": true, "Namgung": true, "Young": false, "Lee Park": false, "": false} {
		if got := IsSurnameSpelling(w); got != want {
			t.Errorf("IsSurnameSpelling(%q) = %v; want %v", w, got, want)
		}
	}
}
