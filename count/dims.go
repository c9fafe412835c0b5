package count

import (
	"fmt"
	"strconv"

	"tumen"
)

// Dim is what records are counted by.
type Dim string

// The dimensions.
const (
	None Dim = ""
	// Year and Month place a record by its date; a date whose range
	// covers several bins is counted as spanning several.
	Year  Dim = "year"
	Month Dim = "month"
	// Stage is the stage (S0–S9) of the record's event; a case counts
	// under every stage it reached.
	Stage Dim = "stage"
	// Place is the gazetteer place of the event.
	Place Dim = "place"
	// Facility is the place when it is a facility (a detention centre,
	// holding centre, prison camp, …), else "other place".
	Facility Dim = "facility"
	// Crossing is the place when it is a border crossing, else "other
	// place".
	Crossing Dim = "crossing"
	// Region is the province of the event's place (a North Korean
	// province or a Chinese one).
	Region Dim = "region"
	// Agency is the perpetrating organisation; an act with several counts
	// under each.
	Agency Dim = "agency"
	// Sex is the victim's recorded sex.
	Sex Dim = "sex"
	// Age is the victim's age group at the date of the record, from the
	// approximate birth and event dates; it needs Options.Ages.
	Age Dim = "age"
	// Organisation is the documenting organisation of the sources; a
	// record documented by several counts under each.
	Organisation Dim = "organisation"
	// ActType is the type of the act.
	ActType Dim = "act"
)

// Dims lists the dimensions.
var Dims = []Dim{Year, Month, Stage, Place, Facility, Crossing, Region, Agency, Sex, Age, Organisation, ActType}

// ParseDim reads a dimension name.
func ParseDim(s string) (Dim, error) {
	for _, d := range Dims {
		if string(d) == s {
			return d, nil
		}
	}
	return None, tumen.Errorf(tumen.KindInvalid, "unknown dimension %q (want %s)", s, dimNames())
}

// ParseUnit reads a unit name.
func ParseUnit(s string) (Unit, error) {
	for _, u := range Units {
		if string(u) == s {
			return u, nil
		}
	}
	return "", tumen.Errorf(tumen.KindInvalid, "unknown unit %q (want repatriations, acts or cases)", s)
}

func dimNames() string {
	s := ""
	for i, d := range Dims {
		if i > 0 {
			s += ", "
		}
		s += string(d)
	}
	return s
}

// Kinds of bin besides an ordinary value.
const (
	KindValue   = ""
	KindOther   = "other"   // a place that is not a facility or crossing
	KindSeveral = "several" // the record may fall in several bins
	KindUnknown = "unknown" // the record has no value
)

// Bin is one row or column of a table.
type Bin struct {
	Key     string `json:"key"`
	Label   string `json:"label"`
	LabelKO string `json:"label_ko,omitempty"`
	// Kind is empty for a value, else KindOther, KindSeveral or
	// KindUnknown.
	Kind string `json:"kind,omitempty"`
}

// value is where a record falls along a dimension: surely in every one of
// bins (all = true: an act with two agencies is in both), or in exactly one
// of them, unknown which (all = false and several bins: a date spanning
// months). No bins means unknown.
type value struct {
	bins []string
	all  bool
	// outside: the record may also fall outside the table's window.
	outside bool
}

// sure returns the bins the record is known to be in.
func (v value) sure() []string {
	if v.all || (len(v.bins) == 1 && !v.outside) {
		return v.bins
	}
	return nil
}

// ageGroups are the lower bounds of the age groups.
var ageGroups = []int{0, 18, 30, 40, 50, 60}

func ageGroup(a int) int {
	g := 0
	for i, lo := range ageGroups {
		if a >= lo {
			g = i
		}
	}
	return g
}

func ageKey(g int) string {
	if g == len(ageGroups)-1 {
		return strconv.Itoa(ageGroups[g]) + "+"
	}
	return fmt.Sprintf("%d-%d", ageGroups[g], ageGroups[g+1]-1)
}

// value returns where r falls along d; window bounds the years of a date
// dimension (0 for none).
func (c *Counter) value(r *record, d Dim, w Window) value {
	switch d {
	case Year, Month:
		if r.lo == 0 {
			return value{}
		}
		lo, hi := r.lo, r.hi
		if w.From != 0 {
			lo = max(lo, w.From*10000+101)
		}
		if w.To != 0 {
			hi = min(hi, w.To*10000+1231)
		}
		if lo > hi {
			return value{outside: true} // not in the window: not counted
		}
		var bins []string
		if d == Year {
			for y := lo / 10000; y <= hi/10000; y++ {
				bins = append(bins, strconv.Itoa(y))
			}
		} else {
			for m := lo / 100; m <= hi/100; m = nextMonth(m) {
				bins = append(bins, fmt.Sprintf("%04d-%02d", m/100, m%100))
			}
		}
		// A range clipped by the window may also lie outside it.
		return value{bins: bins, outside: lo != r.lo || hi != r.hi}
	case Stage:
		return value{bins: r.stages, all: true}
	case Place:
		return value{bins: r.places, all: true}
	case Facility, Crossing:
		if len(r.places) == 0 {
			return value{}
		}
		var bins []string
		other := false
		for _, p := range r.places {
			pl := c.places[p]
			if pl != nil && ((d == Facility && pl.FacilityType != "") || (d == Crossing && hasKind(pl, "crossing"))) {
				bins = addUnique(bins, p)
			} else {
				other = true
			}
		}
		if len(bins) == 0 && other {
			bins = []string{KindOther}
		}
		return value{bins: bins, all: true}
	case Region:
		var bins []string
		for _, p := range r.places {
			if pr := c.province(p); pr != "" {
				bins = addUnique(bins, pr)
			}
		}
		return value{bins: bins, all: true}
	case Agency:
		return value{bins: r.agencies, all: true}
	case Sex:
		var bins []string
		for _, s := range r.sexes {
			if s != "" {
				bins = addUnique(bins, string(s))
			}
		}
		return value{bins: bins, all: true}
	case Age:
		if r.ageLo < 0 {
			return value{}
		}
		var bins []string
		for g := ageGroup(r.ageLo); g <= ageGroup(r.ageHi); g++ {
			bins = append(bins, ageKey(g))
		}
		return value{bins: bins}
	case Organisation:
		return value{bins: r.orgs, all: true}
	case ActType:
		return value{bins: r.types, all: true}
	}
	return value{}
}

func nextMonth(ym int) int {
	if ym%100 == 12 {
		return (ym/100+1)*100 + 1
	}
	return ym + 1
}

func hasKind(p *tumen.Place, k string) bool {
	for _, x := range p.Kinds {
		if x == k {
			return true
		}
	}
	return false
}

// label returns the English and Korean labels of a bin of d.
func (c *Counter) label(d Dim, k string) (string, string) {
	switch d {
	case Year:
		return k, k + "년"
	case Month:
		y, m := k[:4], k[5:]
		mi, _ := strconv.Atoi(m)
		return k, fmt.Sprintf("%s년 %d월", y, mi)
	case Stage:
		if t := c.Term(tumen.VocabStage, k); t != nil {
			return k + " " + t.LabelEN, k + " " + t.LabelKO
		}
	case Place, Facility, Crossing, Region:
		if k == KindOther {
			if d == Facility {
				return "not at a recorded facility", "시설 외 장소"
			}
			return "not at a crossing", "도강 지점 외 장소"
		}
		if p := c.places[k]; p != nil {
			return p.NameEN, p.NameKO
		}
	case Agency:
		if o := c.orgs[k]; o != nil {
			return o.NameEN, o.NameKO
		}
	case Sex:
		switch k {
		case "f":
			return "female", "여성"
		case "m":
			return "male", "남성"
		}
	case Age:
		for g := range ageGroups {
			if ageKey(g) == k {
				switch {
				case g == 0:
					return "under 18", "18세 미만"
				case g == len(ageGroups)-1:
					return fmt.Sprintf("%d and over", ageGroups[g]), fmt.Sprintf("%d세 이상", ageGroups[g])
				}
				return fmt.Sprintf("%d–%d", ageGroups[g], ageGroups[g+1]-1), fmt.Sprintf("%d–%d세", ageGroups[g], ageGroups[g+1]-1)
			}
		}
	case ActType:
		if t := c.Term(tumen.VocabActType, k); t != nil {
			return t.LabelEN, t.LabelKO
		}
	}
	return k, ""
}

// specialLabel returns the labels of the "spans several" and "unknown"
// bins of d.
func specialLabel(d Dim, kind string) (string, string) {
	if kind == KindSeveral {
		switch d {
		case Year:
			return "date spans several years", "여러 해에 걸친 날짜"
		case Month:
			return "date spans several months", "여러 달에 걸친 날짜"
		case Age:
			return "age spans several groups", "여러 연령대에 걸친 나이"
		}
		return "several", "여러 값"
	}
	switch d {
	case Year, Month:
		return "date unknown", "날짜 미상"
	case Stage:
		return "no stage", "단계 미상"
	case Place, Facility, Crossing, Region:
		return "place unknown", "장소 미상"
	case Agency:
		return "no agency recorded", "가해 기관 미상"
	case Sex:
		return "sex not recorded", "성별 미상"
	case Age:
		return "age unknown", "나이 미상"
	case Organisation:
		return "no documenting organisation", "기록 단체 미상"
	case ActType:
		return "type unknown", "유형 미상"
	}
	return "unknown", "미상"
}

// dimTitle names a dimension in a table title.
func dimTitle(d Dim) (string, string) {
	switch d {
	case Year:
		return "year", "연도"
	case Month:
		return "month", "월"
	case Stage:
		return "stage", "단계"
	case Place:
		return "place", "장소"
	case Facility:
		return "facility", "시설"
	case Crossing:
		return "crossing", "도강 지점"
	case Region:
		return "region", "지역"
	case Agency:
		return "perpetrating agency", "가해 기관"
	case Sex:
		return "sex", "성별"
	case Age:
		return "age group", "연령대"
	case Organisation:
		return "documenting organisation", "기록 단체"
	case ActType:
		return "act type", "행위 유형"
	}
	return string(d), string(d)
}

func unitTitle(u Unit) (string, string) {
	switch u {
	case Repatriations:
		return "Repatriations", "강제송환"
	case Acts:
		return "Acts", "행위"
	case Cases:
		return "Cases", "사건"
	}
	return string(u), string(u)
}
