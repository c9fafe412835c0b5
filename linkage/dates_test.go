package linkage

import (
	"testing"
	"time"

	"tumen/approx"
)

func TestDayNumber(t *testing.T) {
	t.Parallel()
	// Day numbers must count days exactly as the calendar does, leap
	// years and centuries included.
	base := time.Date(1800, 1, 1, 0, 0, 0, 0, time.UTC)
	b := dayNumber(18000101)
	for d := base; d.Year() < 2101; d = d.AddDate(0, 0, 17) {
		got := dayNumber(d.Year()*10000+int(d.Month())*100+d.Day()) - b
		if want := int32((d.Unix() - base.Unix()) / 86400); got != want {
			t.Fatalf("%s: day %d, want %d", d.Format("2006-01-02"), got, want)
		}
	}
}

func TestGapAndCentreYear(t *testing.T) {
	t.Parallel()
	r := func(s string) dayRange { return rangeOf(approx.MustParse(s)) }
	for _, tc := range []struct {
		a, b string
		gap  int32
	}{
		{"1985", "1985-03", -89}, // overlap: negative, January to the end of March
		{"1985-03", "1985-04", 1},
		{"1985", "1987", 366},
		{"around 1985", "1986", -364},
	} {
		if g := gap(r(tc.a), r(tc.b)); g != tc.gap {
			t.Errorf("gap(%s, %s) = %d, want %d", tc.a, tc.b, g, tc.gap)
		}
	}
	if rangeOf(approx.MustParse("unknown")) != (dayRange{}) {
		t.Error("unknown date has a range")
	}
	y85, _ := centreYear(r("1985"), 400)
	y86, _ := centreYear(r("1986-06"), 400)
	if y86-y85 != 1 {
		t.Errorf("centre years %d, %d", y85, y86)
	}
	if _, ok := centreYear(r("1980s"), 400); ok {
		t.Error("a decade has a centre year for blocking")
	}
	w1, _ := years(r("1985"), 400)
	w2, _ := years(r("1986"), 400)
	if w1[0] != w2[0] && w1[1] != w2[1] {
		t.Errorf("years a year apart share no window: %v %v", w1, w2)
	}
}
