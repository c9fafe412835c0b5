package linkage

import "tumen/approx"

// dayRange is an approximate date as a range of day numbers; lo == 0 means
// unknown.
type dayRange struct{ lo, hi int32 }

// dayNumber counts days from 1 March of year 0 to the YYYYMMDD date d
// (the civil-from-days algorithm run backwards), so that subtracting two
// day numbers gives the days between them without time zones.
func dayNumber(d int) int32 {
	y, m, day := d/10000, d/100%100, d%100
	if m <= 2 {
		y--
		m += 12
	}
	era := y / 400
	yoe := y - era*400
	doy := (153*(m-3)+2)/5 + day - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return int32(era*146097 + doe + 1) // +1 keeps every real date above 0
}

func rangeOf(d approx.Date) dayRange {
	if !d.Known() {
		return dayRange{}
	}
	lo, hi := d.Bounds()
	if lo == 0 {
		return dayRange{}
	}
	return dayRange{dayNumber(lo), dayNumber(hi)}
}

// gap returns the days between two ranges: 0 or less when they overlap.
func gap(a, b dayRange) int32 {
	return max(a.lo-b.hi, b.lo-a.hi)
}

// centreYear numbers the year around the middle of a range, for blocking
// keys (years counted from March, which only shifts where a year starts);
// ok is false when the range is unknown or wider than maxDays.
func centreYear(r dayRange, maxDays int32) (int, bool) {
	if r.lo == 0 || r.hi-r.lo > maxDays {
		return 0, false
	}
	return int((int64(r.lo) + int64(r.hi)) / 2 * 400 / 146097), true
}
