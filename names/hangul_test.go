package names

import "testing"

func TestDecomposeCompose(t *testing.T) {
	t.Parallel()
	tests := []struct {
		r        rune
		l, v, tl int
		ok       bool
	}{
		{'가', 0, 0, 0, true},
		{'각', 0, 0, 1, true},
		{'이', leadO, vI, tNone, true},
		{'영', leadO, vYEO, tNG, true},
		{'용', leadO, vYO, tNG, true},
		{'힣', 18, 20, 27, true},
		{'A', 0, 0, 0, false},
		{'ㄱ', 0, 0, 0, false},
		{'李', 0, 0, 0, false},
	}
	for _, tt := range tests {
		l, v, tl, ok := Decompose(tt.r)
		if l != tt.l || v != tt.v || tl != tt.tl || ok != tt.ok {
			t.Errorf("Decompose(%q) = %d,%d,%d,%v; want %d,%d,%d,%v", tt.r, l, v, tl, ok, tt.l, tt.v, tt.tl, tt.ok)
		}
		if tt.ok {
			if got := Compose(tt.l, tt.v, tt.tl); got != tt.r {
				t.Errorf("Compose(%d,%d,%d) = %q; want %q", tt.l, tt.v, tt.tl, got, tt.r)
			}
		}
	}
	for r := rune(sBase); r < sBase+sCount; r++ {
		l, v, tl, ok := Decompose(r)
		if !ok || Compose(l, v, tl) != r {
			t.Fatalf("round trip of %q failed", r)
		}
	}
	for _, bad := range [][3]int{{-1, 0, 0}, {19, 0, 0}, {0, 21, 0}, {0, 0, 28}} {
		if got := Compose(bad[0], bad[1], bad[2]); got != '\uFFFD' {
			t.Errorf("Compose(%v) = %q; want U+FFFD", bad, got)
		}
	}
}

func TestIsHangul(t *testing.T) {
	t.Parallel()
	for s, want := range map[string]bool{"이영호": true, "Lee 영호": true, "Lee": false, "李英浩": false, "ㄱㄴ": false, "": false} {
		if got := IsHangul(s); got != want {
			t.Errorf("IsHangul(%q) = %v; want %v", s, got, want)
		}
	}
}

func TestComposeJamo(t *testing.T) {
	t.Parallel()
	// 이영호 in conjoining jamo, as NFD-normalised text carries it.
	nfd := "\u110B\u1175\u110B\u1167\u11BC\u1112\u1169"
	if got := composeJamo(nfd); got != "이영호" {
		t.Errorf("composeJamo(NFD 이영호) = %q", got)
	}
	if got := Keys(nfd); len(got) != 1 || got[0] != "이영호" {
		t.Errorf("Keys(NFD 이영호) = %q", got)
	}
}

func TestToSouth(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"리영호", "이영호"},
		{"림", "임"},
		{"류", "유"},
		{"로", "노"},
		{"량", "양"},
		{"려", "여"},
		{"련", "연"},
		{"룡", "용"},
		{"라", "나"},
		{"뇨", "요"},
		{"녀", "여"},
		{"니", "이"},
		{"락", "낙"},
		{"란", "난"},
		{"리룡남", "이용남"},
		{"류경희", "유경희"},
		{"로동철", "노동철"},
		{"량만길", "양만길"},
		{"림철", "임철"},
		{"리 영호", "이 영호"},
		{"김영란", "김영란"}, // ㄹ inside a given name stays
		{"김란희", "김난희"}, // ...but not at its start
		{"남궁련", "남궁연"}, // two-syllable surname: the rule hits the given name
		{"이영호", "이영호"},
		{"남", "남"}, // ㄴ before a plain vowel stays
		{"Kim", "Kim"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := ToSouth(tt.in); got != tt.want {
			t.Errorf("ToSouth(%q) = %q; want %q", tt.in, got, tt.want)
		}
	}
}

func TestToNorth(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"이영호", "리영호"},
		{"임철", "림철"},
		{"유경희", "류경희"},
		{"노동철", "로동철"},
		{"양만길", "량만길"},
		{"나", "라"},
		{"여", "려"},
		{"이낙연", "리락연"},
		{"김영호", "김영호"},
		{"이용남", "리용남"}, // 용 is 容 as often as 龍: left alone
		{"남궁민", "남궁민"},
	}
	for _, tt := range tests {
		if got := ToNorth(tt.in); got != tt.want {
			t.Errorf("ToNorth(%q) = %q; want %q", tt.in, got, tt.want)
		}
	}
}

func TestSplitHangul(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, fam, giv string }{
		{"이영호", "이", "영호"},
		{"김철", "김", "철"},
		{"남궁민", "남궁", "민"},
		{"황보관", "황보", "관"},
		{"제갈성렬", "제갈", "성렬"},
		{"선우용녀", "선우", "용녀"},
		{"독고영재", "독고", "영재"},
		{"서문희", "서", "문희"},   // 서 is common, 서문 rare
		{"서문영희", "서문", "영희"}, // ...unless two given syllables remain
		{"김 정은", "김", "정은"},
		{" 리 영 호 ", "리", "영호"},
		{"김", "김", ""},
		{"", "", ""},
	}
	for _, tt := range tests {
		f, g := SplitHangul(tt.in)
		if f != tt.fam || g != tt.giv {
			t.Errorf("SplitHangul(%q) = %q, %q; want %q, %q", tt.in, f, g, tt.fam, tt.giv)
		}
	}
}
