package approx

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

type parseCase struct {
	in     string
	prec   Precision
	est    bool
	lo, hi int
}

var parseCases = []parseCase{
	// Unknown.
	{"", Unknown, false, 0, 0},
	{"unknown", Unknown, false, 0, 0},
	{"Unknown", Unknown, false, 0, 0},
	{"?", Unknown, false, 0, 0},
	{"???", Unknown, false, 0, 0},
	{"모름", Unknown, false, 0, 0},
	{"미상", Unknown, false, 0, 0},
	{"n/a", Unknown, false, 0, 0},
	{"N/A", Unknown, false, 0, 0},

	// Years, months, days.
	{"2015", Year, false, 20150101, 20151231},
	{"  2015\t", Year, false, 20150101, 20151231},
	{"1800", Year, false, 18000101, 18001231},
	{"2100", Year, false, 21000101, 21001231},
	{"2015-03", Month, false, 20150301, 20150331},
	{"2015-3", Month, false, 20150301, 20150331},
	{"2015/04", Month, false, 20150401, 20150430},
	{"2015.02", Month, false, 20150201, 20150228},
	{"2016-02", Month, false, 20160201, 20160229},
	{"2000-02", Month, false, 20000201, 20000229},
	{"1900-02", Month, false, 19000201, 19000228},
	{"2015-03-02", Day, false, 20150302, 20150302},
	{"2015/03/02", Day, false, 20150302, 20150302},
	{"2015.03.02", Day, false, 20150302, 20150302},
	{"2015.3.2", Day, false, 20150302, 20150302},
	{"2015. 3. 2.", Day, false, 20150302, 20150302},
	{"20150302", Day, false, 20150302, 20150302},
	{"2016-02-29", Day, false, 20160229, 20160229},
	{"2015-12-31", Day, false, 20151231, 20151231},
	{"March 2015", Month, false, 20150301, 20150331},
	{"MARCH 2015", Month, false, 20150301, 20150331},
	{"Mar 2015", Month, false, 20150301, 20150331},
	{"Mar. 2015", Month, false, 20150301, 20150331},
	{"Sept 2015", Month, false, 20150901, 20150930},
	{"February 2016", Month, false, 20160201, 20160229},
	{"2 March 2015", Day, false, 20150302, 20150302},
	{"2nd March 2015", Day, false, 20150302, 20150302},
	{"2nd of March 2015", Day, false, 20150302, 20150302},
	{"March 2, 2015", Day, false, 20150302, 20150302},
	{"March 2 2015", Day, false, 20150302, 20150302},
	{"March 21st, 2015", Day, false, 20150321, 20150321},

	// Seasons; winter Y runs into Y+1.
	{"spring 2015", Season, false, 20150301, 20150531},
	{"Summer 2015", Season, false, 20150601, 20150831},
	{"autumn 2015", Season, false, 20150901, 20151130},
	{"fall 2015", Season, false, 20150901, 20151130},
	{"winter 2015", Season, false, 20151201, 20160229},
	{"winter 2016", Season, false, 20161201, 20170228},
	{"spring of 2015", Season, false, 20150301, 20150531},

	// Parts of a year, a month, a decade.
	{"early 2015", Part, false, 20150101, 20150430},
	{"mid 2015", Part, false, 20150501, 20150831},
	{"mid-2015", Part, false, 20150501, 20150831},
	{"middle 2015", Part, false, 20150501, 20150831},
	{"late 2015", Part, false, 20150901, 20151231},
	{"early March 2015", Month, false, 20150301, 20150310},
	{"mid March 2015", Month, false, 20150311, 20150320},
	{"mid-March 2015", Month, false, 20150311, 20150320},
	{"late March 2015", Month, false, 20150321, 20150331},
	{"late February 2016", Month, false, 20160221, 20160229},
	{"1990s", Decade, false, 19900101, 19991231},
	{"the 1990s", Decade, false, 19900101, 19991231},
	{"1990's", Decade, false, 19900101, 19991231},
	{"early 1990s", Decade, false, 19900101, 19931231},
	{"the early 1990s", Decade, false, 19900101, 19931231},
	{"mid 1990s", Decade, false, 19940101, 19961231},
	{"mid-1990s", Decade, false, 19940101, 19961231},
	{"late 1990s", Decade, false, 19970101, 19991231},
	{"2000s", Decade, false, 20000101, 20091231},

	// Estimates widen by one unit each side.
	{"around 1998", Year, true, 19970101, 19991231},
	{"Around 1998", Year, true, 19970101, 19991231},
	{"c. 1998", Year, true, 19970101, 19991231},
	{"c.1998", Year, true, 19970101, 19991231},
	{"c 1998", Year, true, 19970101, 19991231},
	{"ca. 1998", Year, true, 19970101, 19991231},
	{"circa 1998", Year, true, 19970101, 19991231},
	{"about 1998", Year, true, 19970101, 19991231},
	{"approx. 1998", Year, true, 19970101, 19991231},
	{"approximately 1998", Year, true, 19970101, 19991231},
	{"1998?", Year, true, 19970101, 19991231},
	{"~1998", Year, true, 19970101, 19991231},
	{"～1998", Year, true, 19970101, 19991231},
	{"around March 2015", Month, true, 20150201, 20150430},
	{"2015-03?", Month, true, 20150201, 20150430},
	{"around January 2015", Month, true, 20141201, 20150228},
	{"around December 2015", Month, true, 20151101, 20160131},
	{"around March 2016", Month, true, 20160201, 20160430},
	{"around late March 2015", Month, true, 20150221, 20150430},
	{"around 2 March 2015", Day, true, 20150301, 20150303},
	{"around 1 March 2016", Day, true, 20160229, 20160302},
	{"around spring 2015", Season, true, 20150201, 20150630},
	{"around winter 2015", Season, true, 20151101, 20160331},
	{"around early 2015", Part, true, 20141201, 20150531},
	{"around the 1990s", Decade, true, 19890101, 20001231},
	{"late 1990s?", Decade, true, 19960101, 20001231},

	// Ranges.
	{"2015-2017", Year, false, 20150101, 20171231},
	{"2015–2017", Year, false, 20150101, 20171231},
	{"2015 — 2017", Year, false, 20150101, 20171231},
	{"2015 - 2017", Year, false, 20150101, 20171231},
	{"2015/2017", Year, false, 20150101, 20171231},
	{"2015~2017", Year, false, 20150101, 20171231},
	{"2015 to 2017", Year, false, 20150101, 20171231},
	{"from 2015 to 2017", Year, false, 20150101, 20171231},
	{"between 2015 and 2017", Year, false, 20150101, 20171231},
	{"Between March 2015 and 2017", Year, false, 20150301, 20171231},
	{"2015-03/2015-05", Month, false, 20150301, 20150531},
	{"2015-03-02/2015-05", Month, false, 20150302, 20150531},
	{"2015-03-02 - 2015-03-05", Day, false, 20150302, 20150305},
	{"mid-2015 - late 2016", Part, false, 20150501, 20161231},
	{"around 2015-2017", Year, true, 20140101, 20171231},
	{"2015-2015", Year, false, 20150101, 20151231},

	// Korean.
	{"2015년", Year, false, 20150101, 20151231},
	{"2015년도", Year, false, 20150101, 20151231},
	{"2015년 3월", Month, false, 20150301, 20150331},
	{"2015년3월", Month, false, 20150301, 20150331},
	{"2015년 3월 2일", Day, false, 20150302, 20150302},
	{"2015년3월2일", Day, false, 20150302, 20150302},
	{"２０１５년 ３월", Month, false, 20150301, 20150331},
	{"2015년 봄", Season, false, 20150301, 20150531},
	{"2015년 여름", Season, false, 20150601, 20150831},
	{"2015년 가을", Season, false, 20150901, 20151130},
	{"2015년 겨울", Season, false, 20151201, 20160229},
	{"2015년봄", Season, false, 20150301, 20150531},
	{"2015년 초", Part, false, 20150101, 20150430},
	{"2015년초", Part, false, 20150101, 20150430},
	{"2015년 초반", Part, false, 20150101, 20150430},
	{"2015년 중반", Part, false, 20150501, 20150831},
	{"2015년 중", Part, false, 20150501, 20150831},
	{"2015년 말", Part, false, 20150901, 20151231},
	{"2015년 말경", Part, false, 20150901, 20151231},
	{"2015년말경", Part, false, 20150901, 20151231},
	{"2015년 후반", Part, false, 20150901, 20151231},
	{"2015년 3월 초", Month, false, 20150301, 20150310},
	{"2015년 3월초", Month, false, 20150301, 20150310},
	{"2015년 3월 중순", Month, false, 20150311, 20150320},
	{"2015년 3월 하순", Month, false, 20150321, 20150331},
	{"2015년 3월 말", Month, false, 20150321, 20150331},
	{"1990년대", Decade, false, 19900101, 19991231},
	{"1990년대 초", Decade, false, 19900101, 19931231},
	{"1990년대 초반", Decade, false, 19900101, 19931231},
	{"1990년대 중반", Decade, false, 19940101, 19961231},
	{"1990년대 말", Decade, false, 19970101, 19991231},
	{"1990년대 후반", Decade, false, 19970101, 19991231},
	{"1998년경", Year, true, 19970101, 19991231},
	{"1998년 경", Year, true, 19970101, 19991231},
	{"1998년쯤", Year, true, 19970101, 19991231},
	{"1998년 무렵", Year, true, 19970101, 19991231},
	{"약 1998년", Year, true, 19970101, 19991231},
	{"약1998년", Year, true, 19970101, 19991231},
	{"2015년 3월경", Month, true, 20150201, 20150430},
	{"2015년 초경", Part, true, 20141201, 20150531},
	{"2015년부터 2017년까지", Year, false, 20150101, 20171231},
	{"2015년~2017년", Year, false, 20150101, 20171231},
	{"2015년 3월 ~ 2015년 5월", Month, false, 20150301, 20150531},
}

func TestParse(t *testing.T) {
	t.Parallel()
	for _, c := range parseCases {
		t.Run(c.in, func(t *testing.T) {
			t.Parallel()
			d, err := Parse(c.in)
			if err != nil {
				t.Fatalf("Parse(%q): %v", c.in, err)
			}
			lo, hi := d.Bounds()
			if d.Precision() != c.prec || d.Estimated() != c.est || lo != c.lo || hi != c.hi {
				t.Errorf("Parse(%q) = %v est=%v %d..%d, want %v est=%v %d..%d",
					c.in, d.Precision(), d.Estimated(), lo, hi, c.prec, c.est, c.lo, c.hi)
			}
			if want := strings.TrimSpace(c.in); d.String() != want {
				t.Errorf("Parse(%q).String() = %q, want %q", c.in, d.String(), want)
			}
			if d.Known() != (c.prec != Unknown) {
				t.Errorf("Parse(%q).Known() = %v", c.in, d.Known())
			}
			checkInvariants(t, c.in, d)
		})
	}
}

func TestParseErrors(t *testing.T) {
	t.Parallel()
	for _, in := range []string{
		"2015-13", "2015-00", "2015-02-30", "2015-02-29", "1900-02-29", "2015-04-31",
		"20155", "20155-03", "201503", "2015030", "spring", "early", "abc", "March",
		"98", "'98", "around 98", "15년", "1799", "2101", "0998", "9999",
		"1995s", "the 2015", "2017-2015", "between 2015", "between 2015 and",
		"2015-03-02/2015-03-01", "from", "2015 2016", "2015年", "2015년 13월",
		"2015년 3월 32일", "spring 2015 2016", "early spring 2015", "32 March 2015",
		"March 0, 2015", "2015-03-02-", "2015--03", "~", "about", "2015??",
		"02/03/2015", "2015-03-02T10:00", "2015\x00", "unknown 2015",
		"2015\xff", "\xff\xfe", "스프링 2015",
	} {
		t.Run(in, func(t *testing.T) {
			t.Parallel()
			d, err := Parse(in)
			if err == nil {
				lo, hi := d.Bounds()
				t.Fatalf("Parse(%q) = %v %d..%d, want error", in, d.Precision(), lo, hi)
			}
			msg := err.Error()
			want := fmt.Sprintf("approx: cannot read date %q: ", strings.TrimSpace(in))
			if !strings.HasPrefix(msg, want) {
				t.Errorf("error %q does not start with %q", msg, want)
			}
			if !utf8.ValidString(msg) {
				t.Errorf("error %q is not valid UTF-8", msg)
			}
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Errorf("error %T is not a *ParseError", err)
			}
			if d != (Date{}) {
				t.Errorf("Parse(%q) returned non-zero date %#v with error", in, d)
			}
		})
	}
}

func TestParseTooLong(t *testing.T) {
	t.Parallel()
	for _, in := range []string{
		strings.Repeat("2015", 26),
		strings.Repeat("9", 100<<20),
		strings.Repeat("봄", 40), // multibyte: the cut must not split a rune
		strings.Repeat("\xff", 200),
	} {
		_, err := Parse(in)
		if err == nil {
			t.Fatalf("Parse of %d bytes: no error", len(in))
		}
		msg := err.Error()
		if len(msg) > 300 {
			t.Errorf("error for %d bytes is %d bytes long: %.300q", len(in), len(msg), msg)
		}
		if !strings.HasPrefix(msg, "approx: cannot read date \"") || !strings.Contains(msg, "…") {
			t.Errorf("error %q does not name the cut input", msg)
		}
		if !strings.Contains(msg, fmt.Sprint(len(in))) {
			t.Errorf("error %q does not give the length %d", msg, len(in))
		}
		if utf8.ValidString(in) && !utf8.ValidString(msg) {
			t.Errorf("error %q cut a rune", msg)
		}
	}
	// The limit is on the trimmed text, and MaxLen bytes are still read.
	pad := strings.Repeat(" ", (MaxLen-9)/2)
	in := "2015" + pad + "-" + pad + " 2017"
	if len(in) != MaxLen {
		t.Fatalf("test input is %d bytes", len(in))
	}
	if _, err := Parse(in); err != nil {
		t.Errorf("Parse of %d bytes: %v", len(in), err)
	}
	if _, err := Parse(in + "7"); err == nil {
		t.Errorf("Parse of %d bytes: no error", len(in)+1)
	}
	if _, err := Parse(strings.Repeat(" ", 1000) + "2015" + strings.Repeat(" ", 1000)); err != nil {
		t.Errorf("surrounding space counted against the limit: %v", err)
	}
}

func TestParseErrorQuotesInvalidUTF8(t *testing.T) {
	t.Parallel()
	_, err := Parse("2015\xff")
	if err == nil || !strings.Contains(err.Error(), `"2015\xff"`) {
		t.Fatalf("error %v does not quote the input with escapes", err)
	}
}

func TestMustParse(t *testing.T) {
	t.Parallel()
	if d := MustParse("2015-03"); d.Precision() != Month {
		t.Errorf("MustParse: %v", d.Precision())
	}
	defer func() {
		if recover() == nil {
			t.Error("MustParse(\"abc\") did not panic")
		}
	}()
	MustParse("abc")
}

func TestZero(t *testing.T) {
	t.Parallel()
	var d Date
	lo, hi := d.Bounds()
	if d.Known() || !d.IsZero() || d.String() != "" || d.Precision() != Unknown || d.Estimated() ||
		lo != 0 || hi != 0 || !d.Lo().IsZero() || !d.Hi().IsZero() {
		t.Errorf("zero Date is not unknown: %#v", d)
	}
	if _, ok := d.Year(); ok {
		t.Error("zero Date has a year")
	}
	if d.Overlaps(0, 99999999) || d.Within(0, 99999999) {
		t.Error("zero Date overlaps or lies within a range")
	}
	if p, _ := Parse(""); p != d {
		t.Errorf(`Parse("") = %#v, want zero`, p)
	}
	u := MustParse("unknown")
	if u.IsZero() || u.Known() || u.String() != "unknown" {
		t.Errorf(`Parse("unknown") = %#v: want a non-zero unknown date keeping its text`, u)
	}
}

func TestPrecisionString(t *testing.T) {
	t.Parallel()
	want := []string{"unknown", "decade", "year", "part", "season", "month", "day"}
	for p := Unknown; p <= Day; p++ {
		if p.String() != want[p] {
			t.Errorf("Precision(%d).String() = %q, want %q", p, p.String(), want[p])
		}
	}
	if s := Precision(42).String(); s != "Precision(42)" {
		t.Errorf("Precision(42).String() = %q", s)
	}
}

func TestLoHi(t *testing.T) {
	t.Parallel()
	d := MustParse("winter 2015")
	if want := time.Date(2015, 12, 1, 0, 0, 0, 0, time.UTC); !d.Lo().Equal(want) || d.Lo().Location() != time.UTC {
		t.Errorf("Lo = %v, want %v", d.Lo(), want)
	}
	if want := time.Date(2016, 2, 29, 0, 0, 0, 0, time.UTC); !d.Hi().Equal(want) {
		t.Errorf("Hi = %v, want %v", d.Hi(), want)
	}
}

func TestYear(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		in string
		y  int
		ok bool
	}{
		{"2015", 2015, true},
		{"spring 2015", 2015, true},
		{"late 2015", 2015, true},
		{"2015-03-02", 2015, true},
		{"around March 2015", 2015, true},
		{"winter 2015", 0, false},
		{"around 1998", 0, false},
		{"around January 2015", 0, false},
		{"1990s", 0, false},
		{"2015-2016", 0, false},
		{"unknown", 0, false},
	} {
		y, ok := MustParse(c.in).Year()
		if y != c.y || ok != c.ok {
			t.Errorf("%q.Year() = %d, %v; want %d, %v", c.in, y, ok, c.y, c.ok)
		}
	}
}

func TestOverlapsWithin(t *testing.T) {
	t.Parallel()
	const marLo, marHi = 20150301, 20150331
	for _, c := range []struct {
		in               string
		overlaps, within bool
	}{
		{"2015-03-02", true, true},
		{"2015-03", true, true},
		{"March 2015", true, true},
		{"early March 2015", true, true},
		{"spring 2015", true, false},
		{"2015", true, false},
		{"around March 2015", true, false},
		{"2015-02", false, false},
		{"2015-04-01", false, false},
		{"2015-02-28", false, false},
		{"winter 2014", false, false}, // Dec 2014 – Feb 2015 stops short of March
		{"winter 2015", false, false},
		{"1990s", false, false},
		{"unknown", false, false},
		{"", false, false},
	} {
		d := MustParse(c.in)
		if got := d.Overlaps(marLo, marHi); got != c.overlaps {
			t.Errorf("%q.Overlaps(March 2015) = %v", c.in, got)
		}
		if got := d.Within(marLo, marHi); got != c.within {
			t.Errorf("%q.Within(March 2015) = %v", c.in, got)
		}
	}
	// Edges are inclusive.
	d := MustParse("2015-03")
	if !d.Overlaps(20150331, 20150401) || !d.Overlaps(20150201, 20150301) || d.Overlaps(20150401, 20150430) {
		t.Error("Overlaps edges are not inclusive")
	}
	if !d.Within(20150301, 20150331) || d.Within(20150302, 20150331) || d.Within(20150301, 20150330) {
		t.Error("Within edges are not inclusive")
	}
}

func TestCompare(t *testing.T) {
	t.Parallel()
	// In order: by lo, then hi, then finer precision, then exact first;
	// unknown last.
	ordered := []string{
		"early 1990s",
		"1990s",
		"around 2014",
		"2014-2016",
		"around 2015", // same bounds and precision as 2014-2016, but estimated
		"2015-01-01",
		"2015-01",
		"early 2015",
		"2015-01/2015-12", // same bounds as 2015, finer precision
		"2015",
		"2015-03",
		"spring 2015",
		"2015-03-02",
		"winter 2015",
		"2016-02-29",
		"",
	}
	var ds []Date
	for _, s := range ordered {
		ds = append(ds, MustParse(s))
	}
	for i := range ds {
		for j := range ds {
			want := 0
			if i < j {
				want = -1
			} else if i > j {
				want = 1
			}
			if got := Compare(ds[i], ds[j]); got != want {
				t.Errorf("Compare(%q, %q) = %d, want %d", ds[i], ds[j], got, want)
			}
		}
	}
	shuffled := slices.Clone(ds)
	slices.Reverse(shuffled)
	slices.SortFunc(shuffled, Compare)
	if !slices.Equal(shuffled, ds) {
		t.Errorf("sorted: %q\nwant %q", shuffled, ds)
	}

	// Same range and precision, different texts: Compare gives 0 and a
	// stable sort keeps input order.
	same := []Date{MustParse("March 2015"), MustParse("2015-03"), MustParse("2015년 3월"), MustParse("Mar 2015")}
	in := []Date{MustParse("unknown"), same[0], MustParse("2014"), same[1], MustParse(""), same[2], same[3]}
	slices.SortStableFunc(in, Compare)
	want := []Date{MustParse("2014"), same[0], same[1], same[2], same[3], MustParse("unknown"), MustParse("")}
	if !slices.Equal(in, want) {
		t.Errorf("stable sort: %q\nwant %q", in, want)
	}

	if Compare(MustParse("1998"), MustParse("around 1998")) != 1 {
		t.Error("around 1998 should sort after 1998: it may start a year earlier")
	}
}

func TestJSON(t *testing.T) {
	t.Parallel()
	type rec struct {
		D Date `json:"d"`
	}
	type recOmit struct {
		D Date `json:"d,omitzero"`
	}
	for _, s := range []string{"", "unknown", "spring 2015", "2015년 3월 초", "around 1998", "2015-03/2015-05"} {
		d := MustParse(s)
		b, err := json.Marshal(rec{d})
		if err != nil {
			t.Fatal(err)
		}
		want, _ := json.Marshal(map[string]string{"d": s})
		if string(b) != string(want) {
			t.Errorf("Marshal(%q) = %s, want %s", s, b, want)
		}
		var got rec
		if err := json.Unmarshal(b, &got); err != nil || got.D != d {
			t.Errorf("round trip of %q: %#v, %v", s, got.D, err)
		}

		b, err = json.Marshal(recOmit{d})
		if err != nil {
			t.Fatal(err)
		}
		if s == "" {
			if string(b) != "{}" {
				t.Errorf("omitzero Marshal of zero = %s, want {}", b)
			}
		} else if string(b) != string(want) {
			t.Errorf("omitzero Marshal(%q) = %s, want %s", s, b, want)
		}
		var gotOmit recOmit
		if err := json.Unmarshal(b, &gotOmit); err != nil || gotOmit.D != d {
			t.Errorf("omitzero round trip of %q: %#v, %v", s, gotOmit.D, err)
		}
	}

	var r rec
	err := json.Unmarshal([]byte(`{"d":"2015-13"}`), &r)
	if err == nil || !strings.Contains(err.Error(), `"2015-13"`) {
		t.Errorf("Unmarshal of a bad date: %v", err)
	}
	if err := json.Unmarshal([]byte(`{"d":null}`), &r); err != nil || !r.D.IsZero() {
		t.Errorf("Unmarshal of null: %#v, %v", r.D, err)
	}
}

func TestFromTime(t *testing.T) {
	t.Parallel()
	seoul := time.FixedZone("KST", 9*3600)
	d, err := FromTime(time.Date(2015, 3, 2, 23, 30, 0, 0, seoul))
	if err != nil {
		t.Fatal(err)
	}
	if d != MustParse("2015-03-02") {
		t.Errorf("FromTime = %#v", d)
	}
	if _, err := FromTime(time.Date(1500, 1, 1, 0, 0, 0, 0, time.UTC)); err == nil {
		t.Error("FromTime(1500) gave no error")
	}
}

// checkInvariants holds for every date Parse returns.
func checkInvariants(t *testing.T, in string, d Date) {
	t.Helper()
	lo, hi := d.Bounds()
	if d.Known() != (d.Precision() != Unknown) {
		t.Errorf("Parse(%q): Known %v but precision %v", in, d.Known(), d.Precision())
	}
	if !d.Known() {
		if lo != 0 || hi != 0 || d.Estimated() {
			t.Errorf("Parse(%q): unknown with bounds %d..%d est=%v", in, lo, hi, d.Estimated())
		}
	} else {
		if lo > hi {
			t.Errorf("Parse(%q): lo %d > hi %d", in, lo, hi)
		}
		for _, v := range []int{lo, hi} {
			y, m, day := v/10000, v/100%100, v%100
			tm := time.Date(y, time.Month(m), day, 0, 0, 0, 0, time.UTC)
			if tm.Year() != y || int(tm.Month()) != m || tm.Day() != day {
				t.Errorf("Parse(%q): bound %d is not a calendar day", in, v)
			}
		}
		if !d.Lo().Equal(toTime(int32(lo))) || d.Hi().Before(d.Lo()) {
			t.Errorf("Parse(%q): Lo %v Hi %v disagree with bounds", in, d.Lo(), d.Hi())
		}
		if !d.Within(lo, hi) || !d.Overlaps(lo, hi) || d.Within(lo+1, hi) || d.Overlaps(hi+1, hi+10000) {
			t.Errorf("Parse(%q): Within/Overlaps disagree with bounds", in)
		}
	}
	if d.String() != strings.TrimSpace(in) {
		t.Errorf("Parse(%q).String() = %q", in, d.String())
	}
	again, err := Parse(d.String())
	if err != nil || again != d {
		t.Errorf("Parse(Parse(%q).String()) = %#v, %v; want %#v", in, again, err, d)
	}
	text, err := d.MarshalText()
	if err != nil {
		t.Errorf("MarshalText(%q): %v", in, err)
	}
	var u Date
	if err := u.UnmarshalText(text); err != nil || u != d {
		t.Errorf("UnmarshalText(MarshalText(%q)) = %#v, %v", in, u, err)
	}
	if Compare(d, d) != 0 {
		t.Errorf("Compare(%q, itself) != 0", in)
	}
	if y, ok := d.Year(); ok && (lo/10000 != y || hi/10000 != y) {
		t.Errorf("Parse(%q).Year() = %d but bounds %d..%d", in, y, lo, hi)
	}
}

func FuzzParse(f *testing.F) {
	for _, c := range parseCases {
		f.Add(c.in)
	}
	for _, s := range []string{
		"2015-13", "2015-02-30", "2015-02-29", "20155", "spring", "abc",
		"2015\xff", "between 2015 and", "from", "2017-2015", "2015년부터",
		"까지", "the", "1990년대 초경", "~~1998", "around around 1998",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		d, err := Parse(in)
		if err != nil {
			msg := err.Error()
			if !strings.HasPrefix(msg, "approx: cannot read date \"") {
				t.Errorf("Parse(%q): error %q lacks the prefix", in, msg)
			}
			if len(msg) > 400 {
				t.Errorf("Parse(%q): error is %d bytes", in, len(msg))
			}
			if d != (Date{}) {
				t.Errorf("Parse(%q): non-zero date with error", in)
			}
			return
		}
		checkInvariants(t, in, d)
		// What Parse remembers is what it reads.
		if again, err := parse(in); err != nil || again != d {
			t.Errorf("Parse(%q) = %v remembered, %v, %v read again", in, d, again, err)
		}
	})
}

func TestParseRemembers(t *testing.T) {
	// More texts than the table holds, each read twice: the second
	// read, remembered or not, gives the same date.
	day := time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC)
	for range 3 * cacheSlots {
		s := day.Format("2006-01-02")
		d, err := Parse(s)
		if err != nil || d.String() != s {
			t.Fatalf("Parse(%q) = %v, %v", s, d, err)
		}
		if again, _ := Parse(s); again != d {
			t.Fatalf("Parse(%q) the second time: %v, first %v", s, again, d)
		}
		day = day.AddDate(0, 0, 1)
	}
	// An error is not remembered: the text still fails.
	for range 2 {
		if _, err := Parse("2015-13"); err == nil {
			t.Error("2015-13 read as a date")
		}
	}
}
