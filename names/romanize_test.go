package names

import (
	"slices"
	"testing"
)

func TestRomanizeRR(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"영호", "yeongho"},
		{"이", "i"},
		{"철수", "cheolsu"},
		{"정훈", "jeonghun"},
		{"박", "bak"},
		{"최", "choe"},
		{"희", "hui"},
		{"신라", "sinra"}, // no sound change across syllables
		{"같", "gat"},
		{"꽃님", "kkotnim"},
		{"이 영호", "i yeongho"},
		{"Kim", "Kim"},
	}
	for _, tt := range tests {
		if got := RomanizeRR(tt.in); got != tt.want {
			t.Errorf("RomanizeRR(%q) = %q; want %q", tt.in, got, tt.want)
		}
	}
}

func TestRomanizeMR(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, dia, plain string }{
		{"영호", "yŏngho", "yongho"},
		{"철", "ch'ŏl", "chol"},
		{"철수", "ch'ŏlsu", "cholsu"},
		{"대중", "taejung", "taejung"}, // ㅈ voiced after a vowel
		{"정희", "chŏnghŭi", "chonghui"},
		{"시", "shi", "shi"},
		{"은", "ŭn", "un"},
		{"김", "kim", "kim"},
		{"평", "p'yŏng", "pyong"},
		{"근혜", "kŭnhye", "kunhye"},
	}
	for _, tt := range tests {
		if got := RomanizeMR(tt.in, true); got != tt.dia {
			t.Errorf("RomanizeMR(%q, true) = %q; want %q", tt.in, got, tt.dia)
		}
		if got := RomanizeMR(tt.in, false); got != tt.plain {
			t.Errorf("RomanizeMR(%q, false) = %q; want %q", tt.in, got, tt.plain)
		}
	}
}

func TestFormatName(t *testing.T) {
	t.Parallel()
	tests := []struct {
		fam, giv string
		style    Style
		want     string
	}{
		{"이", "영호", StyleRR, "I Yeongho"},
		{"이", "영호", StyleRRHyphen, "I Yeong-ho"},
		{"이", "영호", StyleMR, "Yi Yŏng-ho"},
		{"이", "영호", StyleMRPlain, "Yi Yong-ho"},
		{"이", "영호", StyleNorth, "Ri Yong Ho"},
		{"이", "영호", StylePassport, "YEONGHO LEE"},
		{"이", "영호", StylePractical, "Lee Young-ho"},
		{"리", "영호", StylePractical, "Lee Young-ho"}, // North input, South style
		{"최", "철수", StyleMR, "Ch'oe Ch'ŏl-su"},
		{"최", "철수", StyleMRPlain, "Choe Chol-su"},
		{"최", "철수", StylePractical, "Choi Chul-soo"},
		{"최", "룡해", StyleNorth, "Choe Ryong Hae"},
		{"최", "룡해", StyleRRHyphen, "Choe Yong-hae"},
		{"박", "봉주", StyleNorth, "Pak Pong Ju"},
		{"리", "선권", StyleNorth, "Ri Son Gwon"}, // ㄱ voiced after n
		{"태", "영호", StyleNorth, "Thae Yong Ho"},
		{"김", "대중", StyleMR, "Kim Tae-jung"},
		{"정", "희", StylePractical, "Jung Hee"},
		{"김", "", StyleRR, "Gim"},
		{"", "영호", StyleNorth, "Yong Ho"},
	}
	for _, tt := range tests {
		if got := FormatName(tt.fam, tt.giv, tt.style); got != tt.want {
			t.Errorf("FormatName(%q, %q, %v) = %q; want %q", tt.fam, tt.giv, tt.style, got, tt.want)
		}
	}
}

func TestSpellingsRoundTrip(t *testing.T) {
	t.Parallel()
	// Every spelling the generator may write must read back to the name.
	for _, name := range [][2]string{{"이", "영호"}, {"최", "룡해"}, {"박", "철수"}, {"정", "희"}, {"김", "정은"}, {"류", "경희"}} {
		want := ToSouth(name[0] + name[1])
		sp := Spellings(name[0], name[1])
		if len(sp) < 7 {
			t.Errorf("Spellings(%v) = %q; want at least one per style", name, sp)
		}
		for _, s := range sp {
			if got := Similarity(s, want); got < 0.99 {
				t.Errorf("Similarity(%q, %q) = %.3f; want 1", s, want, got)
			}
			if !slices.Contains(Keys(s), want) {
				t.Errorf("Keys(%q) = %q; want it to contain %q", s, Keys(s), want)
			}
		}
	}
}

func TestPracticalSurnames(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want []string // must be contained, first one first
	}{
		{"이", []string{"Lee", "Yi", "Rhee", "Ri", "Li", "Rhie"}},
		{"리", []string{"Lee", "Ri"}},
		{"박", []string{"Park", "Pak", "Bak"}},
		{"최", []string{"Choi", "Choe"}},
		{"정", []string{"Jung", "Jeong", "Chung", "Jong", "Cheong"}},
		{"강", []string{"Kang", "Gang"}},
		{"신", []string{"Shin", "Sin"}},
		{"김", []string{"Kim", "Gim"}},
		{"조", []string{"Cho", "Jo", "Joe"}},
		{"윤", []string{"Yoon", "Yun"}},
		{"장", []string{"Jang", "Chang"}},
		{"임", []string{"Lim", "Im", "Rim", "Yim"}},
		{"림", []string{"Lim", "Rim"}},
		{"한", []string{"Han"}},
		{"오", []string{"Oh", "O"}},
		{"서", []string{"Seo", "Suh", "So"}},
		{"권", []string{"Kwon", "Gwon"}},
		{"류", []string{"Ryu", "Yu", "Yoo", "Rhyu"}},
		{"유", []string{"Ryu", "Yu", "Yoo", "Rhyu"}},
		{"전", []string{"Jeon", "Jun", "Chon", "Chun"}},
		{"고", []string{"Ko", "Go"}},
		{"문", []string{"Moon", "Mun"}},
		{"손", []string{"Son", "Sohn"}},
		{"양", []string{"Yang", "Ryang"}},
		{"배", []string{"Bae", "Pae"}},
		{"백", []string{"Baek", "Paek", "Paik"}},
		{"허", []string{"Heo", "Hur", "Ho"}},
		{"노", []string{"Noh", "No", "Roh", "Ro"}},
		{"로", []string{"Noh", "Roh"}},
		{"안", []string{"Ahn", "An"}},
	}
	for _, tt := range tests {
		got := PracticalSurnames(tt.in)
		if len(got) == 0 || got[0] != tt.want[0] {
			t.Errorf("PracticalSurnames(%q) = %q; want it to start with %q", tt.in, got, tt.want[0])
			continue
		}
		for _, w := range tt.want {
			if !slices.Contains(got, w) {
				t.Errorf("PracticalSurnames(%q) = %q; missing %q", tt.in, got, w)
			}
		}
	}
	if got := PracticalSurnames("뷁"); got != nil {
		t.Errorf("PracticalSurnames(뷁) = %q; want nil", got)
	}
	if n := len(practicalSurnames); n < 40 {
		t.Errorf("only %d surnames in the table; want at least 40", n)
	}
	// The caller may change the slice without harm to the table.
	PracticalSurnames("이")[0] = "X"
	if PracticalSurnames("이")[0] != "Lee" {
		t.Error("PracticalSurnames returned the table's own slice")
	}
}
