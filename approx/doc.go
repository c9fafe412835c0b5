// Package approx holds approximate dates as witnesses give them: "spring
// 2015", "around 1998", "2015년 3월", "late 1990s".
//
// A Date is an inclusive range of calendar days (lo..hi), the precision the
// text was given in, and whether the text marked it as an estimate. The range
// is what sorting, filtering and counting use; nothing ever picks a day inside
// it, because a report that says "2 March" when the witness said "spring" puts
// words in the witness's mouth. The original text is kept and printed back
// unchanged, so an editor sees exactly what was recorded.
//
// Bounds are exposed as YYYYMMDD integers because that is what the stores
// index: integer order is calendar order, and a range filter is two integer
// comparisons.
//
// The forms read, case-insensitively, with full-width digits and any dash
// accepted:
//
//	2015  2015-03  2015-03-02  2015/03/02  2015.3.2  20150302
//	March 2015  Mar 2015  2 March 2015  March 2, 2015
//	spring 2015  early 2015  mid-2015  late March 2015
//	1990s  the 1990s  early 1990s  late 1990s
//	around 1998  c. 1998  ca. 1998  circa 1998  approx. 1998  1998?  ~1998
//	2015-2017  between 2015 and 2017  from 2015 to 2017  2015-03/2015-05
//	2015년  2015년 3월  2015년 3월 2일  2015년 봄  2015년 초  2015년 3월 말
//	1990년대  1990년대 중반  1998년경  1998년쯤  약 1998년  2015년부터 2017년까지
//
// Readings the package has to choose, fixed here so that every store and
// report agrees:
//
//   - Seasons are northern-hemisphere meteorological seasons: spring is
//     March–May, summer June–August, autumn September–November. Winter Y is
//     December Y to the end of February Y+1, so "winter 2015" runs from
//     2015-12-01 to 2016-02-29 and lies in no single year.
//   - Parts of a year: early is January–April, mid May–August, late
//     September–December. Parts of a month: early is days 1–10, mid 11–20,
//     late 21 to the month's end. Parts of a decade: early is years 0–3, mid
//     4–6, late 7–9. Korean 초/초반/초순/상순/초기 read as early,
//     중/중반/중순/중엽/중기 as mid, 말/말경/후반/하순/말엽/말기 as late.
//   - A part keeps the precision of what it divides, except a part of a year,
//     which is Part: "late 1990s" is Decade and "early March 2015" is Month.
//   - An estimate ("around", "c.", "approx.", "~", a trailing "?", 경, 쯤,
//     약, …) widens the range by one unit on each side and keeps the
//     precision: one year for decades and years ("around 1998" is
//     1997-01-01..1999-12-31), one month for parts, seasons and months
//     ("around March 2015" is 2015-02-01..2015-04-30), one day for days. A
//     witness's "around" is a statement about doubt, and a filter that asks
//     "surely in 1998?" must not count it.
//   - A range ("2015-2017", "between 2015 and 2017", "2015-03/2015-05",
//     "2015년부터 2017년까지") runs from the start of its first date to the end of
//     its second, has the coarser of the two precisions and is an estimate if
//     either end is.
//   - Years have four digits and lie in 1800–2100; only an estimate's
//     widening or a winter may reach past them. Two-digit years and
//     day-first numeric forms such as 02/03/2015 are refused rather than
//     guessed.
package approx
