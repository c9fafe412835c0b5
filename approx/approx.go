package approx

import (
	"fmt"
	"time"
)

// Precision is how finely a date was given. It describes the text, not the
// width of the range: "early March 2015" is Month although it spans ten days.
type Precision uint8

// Precisions, from coarsest to finest.
const (
	Unknown Precision = iota // no date known
	Decade                   // 1990s, late 1990s
	Year                     // 2015, around 1998
	Part                     // early/mid/late 2015, 2015년 초
	Season                   // spring 2015, 2015년 봄
	Month                    // 2015-03, March 2015, 2015년 3월
	Day                      // 2015-03-02, 2015년 3월 2일
)

var precisionNames = [...]string{"unknown", "decade", "year", "part", "season", "month", "day"}

// String returns the precision's lower-case name.
func (p Precision) String() string {
	if int(p) < len(precisionNames) {
		return precisionNames[p]
	}
	return fmt.Sprintf("Precision(%d)", uint8(p))
}

// Date is an approximate date. The zero value is the unknown date.
//
// Date is comparable, and two Dates are == exactly when they were parsed from
// the same text, so Parse(d.String()) == d.
type Date struct {
	text   string // as given, trimmed; printed back unchanged
	lo, hi int32  // inclusive bounds as YYYYMMDD; 0 when unknown
	prec   Precision
	est    bool
}

// MustParse is like Parse but panics on error. It is meant for tests and
// literals, where a bad date is a programming error.
func MustParse(s string) Date {
	d, err := Parse(s)
	if err != nil {
		panic(err)
	}
	return d
}

// FromTime returns the day of t, in t's own location, as a Day-precision
// Date written YYYY-MM-DD. It fails for years Parse would refuse.
func FromTime(t time.Time) (Date, error) {
	return Parse(t.Format(time.DateOnly))
}

// String returns the text the date was parsed from, trimmed of surrounding
// space, so what the user wrote is what they see again. It is "" for the zero
// Date.
func (d Date) String() string { return d.text }

// Known reports whether the date says anything about when: false for the
// zero Date and for texts such as "unknown" or "모름".
func (d Date) Known() bool { return d.prec != Unknown }

// IsZero reports whether d is the zero Date, for json's omitzero. A date
// written "unknown" is not zero: the text is a statement worth keeping.
func (d Date) IsZero() bool { return d == Date{} }

// Precision returns how finely the date was given.
func (d Date) Precision() Precision { return d.prec }

// Estimated reports whether the text marked the date as an estimate
// ("around 1998", "c. 1998", "1998?", "1998년경", …). The bounds already
// include the widening; this is for display and for weighing sources.
func (d Date) Estimated() bool { return d.est }

// Bounds returns the first and last day the date may be, inclusive, as
// YYYYMMDD integers: spring 2015 gives 20150301, 20150531. It returns 0, 0
// for an unknown date.
func (d Date) Bounds() (lo, hi int) { return int(d.lo), int(d.hi) }

// Lo returns UTC midnight of the first day the date may be, or the zero
// time when the date is unknown.
func (d Date) Lo() time.Time { return toTime(d.lo) }

// Hi returns UTC midnight of the last day the date may be, or the zero time
// when the date is unknown. Callers wanting an exclusive end add a day.
func (d Date) Hi() time.Time { return toTime(d.hi) }

func toTime(v int32) time.Time {
	if v == 0 {
		return time.Time{}
	}
	y, m, day := splitYMD(v)
	return time.Date(y, time.Month(m), day, 0, 0, 0, 0, time.UTC)
}

// Overlaps reports whether the date may fall in the inclusive YYYYMMDD range
// lo..hi: whether the two ranges share a day. An unknown date overlaps
// nothing, since nothing is known to place it there.
func (d Date) Overlaps(lo, hi int) bool {
	return d.Known() && int(d.lo) <= hi && lo <= int(d.hi)
}

// Within reports whether the date surely falls in the inclusive YYYYMMDD
// range lo..hi: whether its whole range lies inside. Counts such as "events
// in March" use this, so that "spring 2015" is not counted in March.
func (d Date) Within(lo, hi int) bool {
	return d.Known() && lo <= int(d.lo) && int(d.hi) <= hi
}

// Year returns the year of the date when its whole range lies in one year.
// "winter 2015" and "around 1998" have no single year.
func (d Date) Year() (y int, ok bool) {
	if !d.Known() || d.lo/10000 != d.hi/10000 {
		return 0, false
	}
	return int(d.lo / 10000), true
}

// Compare orders dates by first possible day, then last possible day, then
// precision, finer first, then exact before estimated; unknown dates sort
// last. Dates equal in all of these compare 0 even when their texts differ
// ("2015-03" and "March 2015"), so a stable sort keeps their input order.
func Compare(a, b Date) int {
	switch {
	case a.Known() != b.Known():
		if a.Known() {
			return -1
		}
		return 1
	case a.lo != b.lo:
		return cmpInt32(a.lo, b.lo)
	case a.hi != b.hi:
		return cmpInt32(a.hi, b.hi)
	case a.prec != b.prec:
		if a.prec > b.prec {
			return -1
		}
		return 1
	case a.est != b.est:
		if b.est {
			return -1
		}
		return 1
	}
	return 0
}

func cmpInt32(a, b int32) int {
	if a < b {
		return -1
	}
	return 1
}

// MarshalText returns the date's text, so JSON and forms carry what the user
// wrote and the bounds are recomputed on reading. The zero Date gives "".
func (d Date) MarshalText() ([]byte, error) { return []byte(d.text), nil }

// UnmarshalText parses text as Parse does. On error d is left unchanged.
func (d *Date) UnmarshalText(text []byte) error {
	v, err := Parse(string(text))
	if err != nil {
		return err
	}
	*d = v
	return nil
}
