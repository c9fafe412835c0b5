// Package synth generates realistic synthetic records for demos and
// benchmarks: escapees with Korean names written in the several spellings
// that different organisations use, repatriation chains through real
// gazetteer places, acts with perpetrating agencies, testimonies and
// consents. The same seed always gives the same data. None of it describes a
// real person.
package synth

import (
	"fmt"
	"iter"
	"math/rand/v2"
	"time"

	"tumen"
	"tumen/approx"
	"tumen/names"
	"tumen/vocab"
)

// Generator makes synthetic persons and their records.
type Generator struct {
	rng    *rand.Rand
	places map[string]string // gazetteer id → English name
	// Now anchors creation timestamps, so output depends on the seed only.
	Now time.Time
}

// New returns a generator for seed.
func New(seed int64) *Generator {
	g := &Generator{rng: rand.New(rand.NewPCG(uint64(seed), 0x7475_6d65_6e)), Now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), places: map[string]string{}}
	if d, err := vocab.Load(); err == nil {
		for _, p := range d.Places {
			g.places[p.ID] = p.NameEN
		}
	}
	return g
}

// Records yields the records of n persons, generated one at a time so that
// any number streams into an import in constant memory.
func (g *Generator) Records(n int) iter.Seq2[any, error] {
	return func(yield func(any, error) bool) {
		var b tumen.Bundle
		for i := 1; i <= n; i++ {
			b = tumen.Bundle{Persons: b.Persons[:0], Events: b.Events[:0], Acts: b.Acts[:0], Sources: b.Sources[:0], Consents: b.Consents[:0]}
			g.Person(i, &b)
			for r := range b.All() {
				if !yield(r, nil) {
					return
				}
			}
		}
	}
}

// weighted picks an index with the given weights.
func (g *Generator) weighted(w []float64, total float64) int {
	x := g.rng.Float64() * total
	for i, v := range w {
		if x < v {
			return i
		}
		x -= v
	}
	return len(w) - 1
}

// surnames with their approximate share of the population, after the
// South Korean census (North Korean shares are similar for the commonest).
var surnames = []struct {
	hangul, hanja string
	share         float64
}{
	{"김", "金", 21.5}, {"이", "李", 14.7}, {"박", "朴", 8.4}, {"최", "崔", 4.7}, {"정", "鄭", 4.3},
	{"강", "姜", 2.3}, {"조", "趙", 2.1}, {"윤", "尹", 2.0}, {"장", "張", 2.0}, {"임", "林", 1.7},
	{"한", "韓", 1.5}, {"오", "吳", 1.5}, {"서", "徐", 1.4}, {"신", "申", 1.4}, {"권", "權", 1.4},
	{"황", "黃", 1.4}, {"안", "安", 1.4}, {"송", "宋", 1.3}, {"유", "柳", 1.3}, {"전", "全", 1.1},
	{"홍", "洪", 1.1}, {"고", "高", 0.9}, {"문", "文", 0.9}, {"양", "梁", 0.9}, {"손", "孫", 0.9},
	{"배", "裵", 0.8}, {"백", "白", 0.7}, {"허", "許", 0.6}, {"남", "南", 0.5}, {"노", "盧", 0.4},
}

// given-name syllables by sex, with Hanja, from common North Korean names.
var femaleSyllables = []syl{
	{"순", "順"}, {"영", "英"}, {"희", "姬"}, {"미", "美"}, {"옥", "玉"}, {"정", "貞"}, {"숙", "淑"}, {"춘", "春"},
	{"화", "花"}, {"향", "香"}, {"금", "錦"}, {"선", "善"}, {"은", "銀"}, {"혜", "惠"}, {"경", "京"}, {"련", "蓮"},
	{"실", "實"}, {"애", "愛"}, {"월", "月"}, {"자", "子"}, {"명", "明"}, {"란", "蘭"}, {"주", "珠"}, {"진", "眞"},
}
var maleSyllables = []syl{
	{"철", "哲"}, {"영", "永"}, {"호", "浩"}, {"성", "成"}, {"광", "光"}, {"명", "明"}, {"수", "洙"}, {"진", "鎭"},
	{"일", "日"}, {"남", "男"}, {"혁", "赫"}, {"국", "國"}, {"용", "龍"}, {"학", "學"}, {"석", "錫"}, {"준", "俊"},
	{"세", "世"}, {"동", "東"}, {"현", "賢"}, {"기", "基"}, {"원", "元"}, {"봉", "鳳"}, {"룡", "龍"}, {"식", "植"},
}

type syl struct{ hangul, hanja string }

// Truth is the true identity behind a synthetic person's records.
type Truth struct {
	Family, Given string // Hangul, South spelling
	Hanja         string
	Sex           tumen.Sex
	BirthYear     int
	BirthMonth    int
	HomeID        string // gazetteer id of the home county
}

// Identity draws a true identity.
func (g *Generator) Identity() Truth {
	var total float64
	ws := make([]float64, len(surnames))
	for i, s := range surnames {
		ws[i] = s.share
		total += s.share
	}
	s := surnames[g.weighted(ws, total)]
	t := Truth{Family: s.hangul, Hanja: s.hanja}
	// About seven in ten escapees are women.
	t.Sex = tumen.SexMale
	pool := maleSyllables
	if g.rng.Float64() < 0.72 {
		t.Sex, pool = tumen.SexFemale, femaleSyllables
	}
	a, b := pool[g.rng.IntN(len(pool))], pool[g.rng.IntN(len(pool))]
	for b.hangul == a.hangul {
		b = pool[g.rng.IntN(len(pool))]
	}
	t.Given = a.hangul + b.hangul
	t.Hanja += a.hanja + b.hanja
	t.Given = names.ToSouth(t.Family + t.Given)[len(t.Family):]
	t.BirthYear = 1950 + g.rng.IntN(56)
	t.BirthMonth = 1 + g.rng.IntN(12)
	t.HomeID = homeCounties[g.rng.IntN(len(homeCounties))]
	return t
}

var homeCounties = []string{"KP-HOE", "KP-MUS", "KP-ONS", "KP-CHJ", "KP-HYE", "KP-SIN", "KP-MAN", "KP-KANGGYE", "KP-KAE", "KP-RASON", "KP-PYO", "KP-HOE", "KP-MUS", "KP-HYE"}

// Names writes one identity's name the way several organisations would:
// South and North Hangul, a romanization, sometimes Hanja.
func (g *Generator) Names(t Truth) []tumen.Name {
	south := t.Family + t.Given
	out := []tumen.Name{{Full: south, Family: t.Family, Given: t.Given, System: tumen.NameHangulSouth}}
	if north := names.ToNorth(south); north != south {
		fam, giv := names.SplitHangul(north)
		out = append(out, tumen.Name{Full: north, Family: fam, Given: giv, System: tumen.NameHangulNorth})
	}
	styles := names.Styles()
	st := styles[g.rng.IntN(len(styles))]
	sys := tumen.NameRoman
	switch st.String() {
	case "rr", "rr-hyphen":
		sys = tumen.NameRR
	case "mr", "mr-plain":
		sys = tumen.NameMR
	}
	out = append(out, tumen.Name{Full: names.FormatName(t.Family, t.Given, st), System: sys})
	if g.rng.Float64() < 0.3 {
		out = append(out, tumen.Name{Full: t.Hanja, System: tumen.NameHanja})
	}
	return out
}

// Date writes a date the way a witness would: sometimes a day, often a
// month or season, sometimes only a year or "around" a year.
func (g *Generator) Date(y, m, d int) approx.Date {
	var s string
	switch x := g.rng.IntN(20); {
	case x < 5:
		s = fmt.Sprintf("%04d-%02d-%02d", y, m, d)
	case x < 11:
		s = fmt.Sprintf("%04d-%02d", y, m)
	case x < 13:
		s = fmt.Sprintf("%d년 %d월", y, m)
	case x < 15:
		s = fmt.Sprintf("%s %d", season(m), y)
		if m == 12 || m <= 2 {
			s = fmt.Sprintf("%d", y)
		}
	case x < 17:
		s = fmt.Sprintf("%d", y)
	case x < 18:
		s = fmt.Sprintf("around %d", y)
	case x < 19:
		s = fmt.Sprintf("%d년 %s", y, part(m))
	default:
		s = fmt.Sprintf("%s %d", partEN(m), y)
	}
	return approx.MustParse(s)
}

func season(m int) string {
	switch {
	case m >= 3 && m <= 5:
		return "spring"
	case m >= 6 && m <= 8:
		return "summer"
	case m >= 9 && m <= 11:
		return "autumn"
	}
	return "winter"
}

func part(m int) string {
	switch {
	case m <= 4:
		return "초"
	case m <= 8:
		return "중반"
	}
	return "말"
}

func partEN(m int) string {
	switch {
	case m <= 4:
		return "early"
	case m <= 8:
		return "mid"
	}
	return "late"
}

// route is one documented way back: where people are arrested, held and
// handed over, and which facilities receive them.
type route struct {
	arrest    []string
	detention string
	border    string // S4 border detention centre
	handover  string // S5 crossing place on the North Korean side
	mss       string // S6
	holding   string // S7
	prison    string // S8
	mssOrg    string
}

var routes = []route{
	{[]string{"CN-YAN", "CN-LON", "CN-HEL", "CN-CHANGCHUN", "CN-HARBIN", "CN-TUM", "CN-HUN", "CN-BJ", "CN-KUN"}, "CN-YAN-DC", "CN-TUM-BDC", "KP-NAM", "KP-ONS-MSS", "KP-NONGPO", "KP-KHS12", "kp-mss-onsong"},
	{[]string{"CN-SHY", "CN-DAN", "CN-BJ", "CN-KUN"}, "CN-SHY", "CN-DAN-BDC", "KP-SIN", "KP-SIN-MSS", "KP-SIN-JKS", "KP-KHS1", "kp-mss-npg"},
	{[]string{"CN-CHB", "CN-BAI", "CN-TONGHUA", "CN-LINJIANG"}, "CN-BAI", "CN-BAI", "KP-HYE", "KP-HYE-MSS", "KP-HYE-JKS", "KP-KHS12", "kp-mss-ryg"},
	{[]string{"CN-LON", "CN-HEL", "CN-YAN"}, "CN-YAN-DC", "CN-TUM-BDC", "KP-HOE", "KP-HOE-MSS", "KP-NONGPO", "KP-KHS12", "kp-mss-hoeryong"},
}

// Organisations are the fictional documenting organisations of the demo.
var Organisations = []string{"Hanul Documentation Centre", "Bridge Watch", "Yalu Records Project", "Partner list 2023"}

// Person generates one person with a repatriation chain and appends every
// record to b. n numbers the person; ids derive from it.
func (g *Generator) Person(n int, b *tumen.Bundle) {
	t := g.Identity()
	id := PersonID(n)
	created := g.Now.Add(time.Duration(n) * time.Second)
	birth := fmt.Sprintf("%d", t.BirthYear)
	switch g.rng.IntN(4) {
	case 0:
		birth = fmt.Sprintf("%d-%02d", t.BirthYear, t.BirthMonth)
	case 1:
		birth = fmt.Sprintf("around %d", t.BirthYear)
	case 2:
		birth = fmt.Sprintf("%d년 %d월", t.BirthYear, t.BirthMonth)
	}
	p := &tumen.Person{ID: id, Names: g.Names(t), BirthDate: approx.MustParse(birth), Sex: t.Sex, HomePlaceID: t.HomeID,
		Origin: g.placeName(t.HomeID), Confidentiality: tumen.Confidential, Created: created, Updated: created}
	for range g.rng.IntN(3) {
		rel := []string{"mother", "father", "sister", "brother", "son", "daughter", "spouse"}[g.rng.IntN(7)]
		fam := t.Family
		if rel == "mother" || rel == "spouse" {
			fam = surnames[g.rng.IntN(len(surnames))].hangul
		}
		in := "yes"
		if g.rng.IntN(3) == 0 {
			in = "no"
		}
		pool := femaleSyllables
		if rel == "father" || rel == "brother" || rel == "son" {
			pool = maleSyllables
		}
		p.Relatives = append(p.Relatives, tumen.Relative{Name: fam + pool[g.rng.IntN(len(pool))].hangul + pool[g.rng.IntN(len(pool))].hangul, Relation: rel, InNK: in})
	}
	b.Persons = append(b.Persons, p)

	r := routes[g.rng.IntN(len(routes))]
	year := 2000 + g.rng.IntN(25)
	if g.rng.IntN(5) == 0 {
		year = 2020 + g.rng.IntN(5) // the post-2020 wave of returns
	}
	day := time.Date(year, time.Month(1+g.rng.IntN(12)), 1+g.rng.IntN(28), 0, 0, 0, 0, time.UTC)
	arrestAt := r.arrest[g.rng.IntN(len(r.arrest))]
	root := &tumen.Event{ID: "E-" + id[2:], Title: "Forced repatriation", Date: g.Date(day.Year(), int(day.Month()), day.Day()), Confidentiality: tumen.Internal, Created: created}
	b.Events = append(b.Events, root)
	type step struct {
		stage, place, act, org, text string
		days                         int
	}
	steps := []step{
		{"S2", arrestAt, "arrest", "cn-psb", "Arrested by Public Security during an identity check.", 0},
		{"S4", r.border, "detention", "cn-border-defence", "Transferred to the border defence detention centre with others awaiting return.", 10 + g.rng.IntN(20)},
		{"S5", r.handover, "refoulement", "cn-border-defence", "Handed over across the river to State Security, handcuffed, at night.", 7 + g.rng.IntN(25)},
		{"S6", r.mss, "torture", r.mssOrg, "Interrogated by State Security about contacts with South Koreans and churches; beaten.", 1},
		{"S7", r.holding, "forced-labour", "kp-msos", "Held at the holding centre and made to work until collected by the home district.", 30 + g.rng.IntN(60)},
		{"S8", r.prison, "forced-labour", "kp-msos", "Sentenced for illegal border crossing and sent to a prison camp.", 60 + g.rng.IntN(60)},
	}
	if g.rng.IntN(3) == 0 {
		steps = append(steps[:1], append([]step{{"S3", r.detention, "detention", "cn-psb", "Held in a Chinese detention centre and questioned.", 3 + g.rng.IntN(10)}}, steps[1:]...)...)
	}
	// Many testimonies end before a sentence: the person escaped again or
	// does not know.
	keep := 3 + g.rng.IntN(len(steps)-2)
	steps = steps[:keep]
	var supports []tumen.Link
	supports = append(supports, tumen.Link{Kind: tumen.RecordPerson, ID: id}, tumen.Link{Kind: tumen.RecordEvent, ID: root.ID})
	for i, s := range steps {
		day = day.AddDate(0, 0, s.days)
		eid := fmt.Sprintf("%s-%d", root.ID, i+1)
		ev := &tumen.Event{ID: eid, ParentID: root.ID, Stage: s.stage, PlaceID: s.place, Date: g.Date(day.Year(), int(day.Month()), day.Day()),
			Narrative: s.text, Confidentiality: tumen.Internal, Created: created}
		b.Events = append(b.Events, ev)
		if s.act == "torture" && g.rng.IntN(2) == 0 {
			continue // not every interrogation is reported as torture
		}
		aid := "A-" + eid[2:]
		b.Acts = append(b.Acts, &tumen.Act{ID: aid, EventID: eid, VictimID: id, Type: s.act, Created: created,
			Perpetrators: []tumen.Involvement{{OrganisationID: s.org, Degree: "direct"}}})
		supports = append(supports, tumen.Link{Kind: tumen.RecordAct, ID: aid})
	}
	// The chain as a whole spans its first step to its last, at month
	// precision: a range, not an invented day.
	first, last := b.Events[len(b.Events)-len(steps)].Date, b.Events[len(b.Events)-1].Date
	flo, _ := first.Bounds()
	_, lhi := last.Bounds()
	root.Date = approx.MustParse(fmt.Sprintf("%04d-%02d/%04d-%02d", flo/10000, flo/100%100, lhi/10000, lhi/100%100))
	org := Organisations[g.rng.IntN(len(Organisations))]
	src := &tumen.Source{ID: "S-" + id[2:], Kind: "testimony", Organisation: org, Reliability: []string{"high", "medium", "medium", "low"}[g.rng.IntN(4)],
		Date: approx.MustParse(fmt.Sprintf("%d", min(2026, day.Year()+1+g.rng.IntN(3)))), Title: "Interview " + id,
		Text:            fmt.Sprintf("The witness describes arrest in %s and return through %s. %s", g.placeName(arrestAt), g.placeName(r.handover), steps[len(steps)-1].text),
		Supports:        supports,
		Confidentiality: tumen.Confidential, Created: created}
	b.Sources = append(b.Sources, src)
	given := created.Add(-time.Hour)
	b.Consents = append(b.Consents, &tumen.Consent{ID: "C-" + id[2:] + "-1", SourceID: src.ID, Use: tumen.UseInternal, Given: given, RecordedBy: "demo"})
	if g.rng.IntN(2) == 0 {
		b.Consents = append(b.Consents, &tumen.Consent{ID: "C-" + id[2:] + "-2", SourceID: src.ID, Use: tumen.UseUNNamed, Given: given, RecordedBy: "demo"})
	}
	if g.rng.IntN(3) == 0 {
		b.Consents = append(b.Consents, &tumen.Consent{ID: "C-" + id[2:] + "-3", SourceID: src.ID, Use: tumen.UsePublishAnon, Given: given, RecordedBy: "demo"})
	}
}

// PersonID is the id of the n-th generated person.
func PersonID(n int) string { return fmt.Sprintf("P-%07d", n) }

// placeName returns a gazetteer place's English name for narratives.
func (g *Generator) placeName(id string) string {
	if n, ok := g.places[id]; ok {
		return n
	}
	return id
}
