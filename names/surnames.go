package names

import (
	"strings"
	"sync"
)

// practicalSurnames lists, for the commonest Korean surnames (South
// spelling), the Latin spellings met in passports, press and NGO records,
// commonest first. It covers well over 90% of the population. North Korean
// spellings (Ri, Rim, Ryu, Ro, Ryang, Pak, Choe, Jong) are included since
// escapees' records carry them.
var practicalSurnames = map[string][]string{
	"김":  {"Kim", "Gim"},
	"이":  {"Lee", "Yi", "Rhee", "Ri", "Li", "Rhie", "I"},
	"박":  {"Park", "Pak", "Bak", "Bahk"},
	"최":  {"Choi", "Choe"},
	"정":  {"Jung", "Jeong", "Chung", "Jong", "Cheong", "Chong"},
	"강":  {"Kang", "Gang"},
	"조":  {"Cho", "Jo", "Joe", "Choh"},
	"윤":  {"Yoon", "Yun", "Youn"},
	"장":  {"Jang", "Chang"},
	"임":  {"Lim", "Im", "Rim", "Yim", "Lym"},
	"한":  {"Han"},
	"오":  {"Oh", "O"},
	"서":  {"Seo", "Suh", "So"},
	"신":  {"Shin", "Sin"},
	"권":  {"Kwon", "Gwon", "Kweon"},
	"황":  {"Hwang"},
	"안":  {"Ahn", "An"},
	"송":  {"Song"},
	"유":  {"Ryu", "Yu", "Yoo", "Rhyu", "Ryoo", "Lyu"},
	"전":  {"Jeon", "Jun", "Chon", "Chun", "Jon"},
	"홍":  {"Hong"},
	"고":  {"Ko", "Go", "Koh"},
	"문":  {"Moon", "Mun"},
	"양":  {"Yang", "Ryang"},
	"손":  {"Son", "Sohn"},
	"배":  {"Bae", "Pae"},
	"백":  {"Baek", "Paek", "Paik", "Baik"},
	"허":  {"Heo", "Hur", "Ho", "Huh"},
	"남":  {"Nam"},
	"노":  {"Noh", "No", "Roh", "Ro"},
	"심":  {"Shim", "Sim"},
	"하":  {"Ha"},
	"곽":  {"Kwak", "Gwak"},
	"성":  {"Sung", "Seong", "Song"},
	"차":  {"Cha"},
	"주":  {"Joo", "Ju", "Chu"},
	"우":  {"Woo", "U"},
	"구":  {"Koo", "Ku", "Gu"},
	"민":  {"Min"},
	"나":  {"Na", "Ra", "La"},
	"진":  {"Jin", "Chin"},
	"지":  {"Ji", "Chi"},
	"엄":  {"Eom", "Um", "Uhm", "Om"},
	"채":  {"Chae"},
	"원":  {"Won"},
	"천":  {"Cheon", "Chun", "Chon"},
	"방":  {"Bang", "Pang"},
	"공":  {"Gong", "Kong"},
	"현":  {"Hyun", "Hyeon", "Hyon"},
	"함":  {"Ham"},
	"변":  {"Byun", "Byeon", "Pyon"},
	"염":  {"Yeom", "Yum", "Yom", "Ryom"},
	"여":  {"Yeo", "Yo", "Ryo", "Ryeo"},
	"추":  {"Choo", "Chu"},
	"도":  {"Do", "Doh", "To"},
	"소":  {"So"},
	"석":  {"Seok", "Suk", "Sok"},
	"선":  {"Sun", "Seon", "Son"},
	"설":  {"Seol", "Sul", "Sol"},
	"마":  {"Ma"},
	"길":  {"Gil", "Kil"},
	"연":  {"Yeon", "Yon", "Youn"},
	"위":  {"Wi", "Wee"},
	"표":  {"Pyo", "Pyoh"},
	"명":  {"Myung", "Myeong", "Myong"},
	"기":  {"Ki", "Gi"},
	"반":  {"Ban", "Pan"},
	"왕":  {"Wang"},
	"금":  {"Keum", "Kum", "Geum"},
	"옥":  {"Ok"},
	"육":  {"Yook", "Yuk", "Ryuk"},
	"인":  {"In"},
	"맹":  {"Maeng"},
	"제":  {"Je", "Che"},
	"모":  {"Mo"},
	"탁":  {"Tak", "Tahk"},
	"국":  {"Kook", "Guk", "Kuk"},
	"태":  {"Tae", "Thae"},
	"용":  {"Yong", "Ryong"},
	"남궁": {"Namgung", "Namkung", "Namgoong"},
	"황보": {"Hwangbo", "Hwangpo"},
	"제갈": {"Jegal", "Chegal", "Jekal"},
	"선우": {"Sunwoo", "Seonu", "Sonu", "Seonwoo"},
	"독고": {"Dokgo", "Tokko", "Dokko"},
	"사공": {"Sagong", "Sakong"},
}

// PracticalSurnames returns the common Latin spellings of a surname given in
// Hangul (South or North spelling: 리 and 이 give the same list), commonest
// first: 이 → Lee, Yi, Rhee, Ri, Li, Rhie, I. It returns nil for surnames
// outside its table of about eighty. The caller owns the returned slice.
func PracticalSurnames(familyHangul string) []string {
	f := ToSouth(strings.TrimSpace(familyHangul))
	ps, ok := practicalSurnames[f]
	if !ok {
		return nil
	}
	return append([]string(nil), ps...)
}

// surnameSpellings is the set of lower-case Latin spellings of the surnames
// above, in every system this package writes, used to tell which end of a
// romanized name is the family name.
var surnameSpellings = sync.OnceValue(func() map[string]bool {
	m := make(map[string]bool)
	add := func(spelling string) {
		if toks, _ := foldTokens(spelling); len(toks) == 1 {
			m[toks[0].s] = true
		}
	}
	for hangul, ps := range practicalSurnames {
		for _, p := range ps {
			add(p)
		}
		for _, st := range []Style{StyleRR, StyleMR, StyleMRPlain, StyleNorth, StylePractical} {
			add(FormatName(hangul, "", st))
		}
	}
	return m
})

// isSurnameSpelling reports whether a folded romanized token is a known
// spelling of a surname.
func isSurnameSpelling(tok string) bool {
	return surnameSpellings()[tok]
}

// IsSurnameSpelling reports whether a romanized word is a known spelling of
// a Korean surname in any system this package reads: "Lee", "Yi", "Ri",
// "Pak", "Ch'oe", "Choe", "Namgung".
func IsSurnameSpelling(word string) bool {
	toks, _ := foldTokens(word)
	return len(toks) == 1 && isSurnameSpelling(toks[0].s)
}

// Order is the order of family and given name in a romanized name.
type Order int

// The orders NameOrder tells apart.
const (
	// OrderUnknown: one token, or both or neither end a known surname
	// ("Jung Hoon Lee"). Matching then tries both orders.
	OrderUnknown Order = iota
	// FamilyFirst is the Korean order: "Lee Young-ho", "LEE, Young Ho".
	FamilyFirst
	// GivenFirst is the Western order: "Young-ho Lee", "YONGHO LEE".
	GivenFirst
)

// String returns the order's constant name.
func (o Order) String() string {
	switch o {
	case FamilyFirst:
		return "FamilyFirst"
	case GivenFirst:
		return "GivenFirst"
	}
	return "OrderUnknown"
}

// NameOrder tells which end of a romanized name holds the family name: a
// comma after the first part marks it ("LEE, Young Ho"); otherwise a known
// surname spelling at exactly one end decides. Keys and Similarity use the
// same rule and try both orders when it is OrderUnknown.
func NameOrder(name string) Order {
	toks, comma := foldTokens(name)
	rts := make([]rtoken, len(toks))
	for i, tk := range toks {
		rts[i].surname = isSurnameSpelling(tk.s)
	}
	if len(toks) < 2 {
		return OrderUnknown
	}
	os := nameOrders(rts, comma)
	switch {
	case len(os) != 1:
		return OrderUnknown
	case os[0].famFrom == 0:
		return FamilyFirst
	}
	return GivenFirst
}
