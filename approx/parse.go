package approx

import (
	"fmt"
	"hash/maphash"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
	"unicode"
	"unicode/utf8"
)

// MaxLen is the longest text, in bytes after trimming, that Parse accepts.
// No date needs more, and the limit keeps hostile input cheap to refuse.
const MaxLen = 100

// errInputLen is how much of a refused input an error echoes: enough to
// recognise it, not enough to flood a log with a huge or sensitive paste.
const errInputLen = 40

// ParseError reports text that Parse cannot read as a date.
type ParseError struct {
	Input  string // the trimmed input, cut to about 40 bytes when longer
	Cut    bool   // whether Input was cut
	Reason string // what is wrong, for the user
}

// Error names the input, quoted with %q so invalid bytes and control
// characters show escaped, and says why it was refused.
func (e *ParseError) Error() string {
	more := ""
	if e.Cut {
		more = "…"
	}
	return fmt.Sprintf("approx: cannot read date %q%s: %s", e.Input, more, e.Reason)
}

func parseError(input, format string, args ...any) error {
	e := &ParseError{Input: input, Reason: fmt.Sprintf(format, args...)}
	if len(input) > errInputLen {
		n := errInputLen
		// Cut on a rune boundary so a valid input stays valid in the message.
		for n > errInputLen-utf8.UTFMax && !utf8.RuneStart(input[n]) {
			n--
		}
		e.Input, e.Cut = input[:n], true
	}
	return e
}

// Parse reads an approximate date. Case and surrounding space are ignored.
// The empty string and words for "unknown" ("unknown", "?", "n/a", "모름",
// "미상", "불명") give an unknown date and no error. The package
// documentation lists the forms and how each is read.
//
// Dates read without error are remembered, the last few thousand texts
// (a direct-mapped table of cacheSlots): a store reads the same date
// texts again and again, one for each event it lists.
func Parse(s string) (Date, error) {
	slot := &cache[maphash.String(cacheSeed, s)%cacheSlots]
	if e := slot.Load(); e != nil && e.in == s {
		return e.d, nil
	}
	d, err := parse(s)
	if err == nil {
		slot.Store(&cached{s, d})
	}
	return d, err
}

// cacheSlots is how many texts Parse remembers at most.
const cacheSlots = 1 << 14

// cached is one remembered text and its date.
type cached struct {
	in string
	d  Date
}

var (
	cache     [cacheSlots]atomic.Pointer[cached]
	cacheSeed = maphash.MakeSeed()
)

func parse(s string) (Date, error) {
	t := strings.TrimSpace(s)
	if len(t) > MaxLen {
		return Date{}, parseError(t, "%d bytes, more than the %d a date may have", len(t), MaxLen)
	}
	if !utf8.ValidString(t) {
		return Date{}, parseError(t, "not valid UTF-8")
	}
	if isUnknown(t) {
		return Date{text: t}, nil
	}
	toks, err := tokenize(t)
	if err != nil {
		return Date{}, parseError(t, "%v", err)
	}
	sp, err := parseTokens(toks)
	if err != nil {
		return Date{}, parseError(t, "%v", err)
	}
	return Date{text: t, lo: sp.lo, hi: sp.hi, prec: sp.prec, est: sp.est}, nil
}

func isUnknown(t string) bool {
	if t == "" || strings.Trim(t, "?？") == "" {
		return true
	}
	switch strings.ToLower(t) {
	case "unknown", "n/a", "모름", "미상", "불명", "알 수 없음":
		return true
	}
	return false
}

// span is a parsed date without its text.
type span struct {
	lo, hi int32
	prec   Precision
	est    bool
}

type tokKind uint8

const (
	tNum    tokKind = iota // ASCII digits
	tWord                  // letters other than Hangul, lower-cased
	tHangul                // Hangul syllables
	tUnit                  // Korean 년, 년대, 월, 일 after a number
	tPunct                 // one punctuation rune
)

type token struct {
	kind tokKind
	s    string
}

// tokenize splits t into runs of digits, letters and Hangul, and single
// punctuation marks, folding look-alike runes (full-width digits, dashes,
// tildes) to one spelling. Commas are dropped: they only separate.
func tokenize(t string) ([]token, error) {
	var toks []token
	var run strings.Builder
	runKind := tokKind(255)
	flush := func() {
		if run.Len() > 0 {
			toks = append(toks, token{runKind, run.String()})
			run.Reset()
		}
		runKind = 255
	}
	add := func(k tokKind, r rune) {
		if k != runKind {
			flush()
			runKind = k
		}
		run.WriteRune(r)
	}
	for _, r := range t {
		r = fold(r)
		switch {
		case r >= '0' && r <= '9':
			add(tNum, r)
		case unicode.Is(unicode.Hangul, r):
			add(tHangul, r)
		case unicode.IsLetter(r):
			add(tWord, unicode.ToLower(r))
		case unicode.IsSpace(r) || r == ',':
			flush()
		case strings.ContainsRune("-/.?~'", r):
			flush()
			toks = append(toks, token{tPunct, string(r)})
		default:
			return nil, fmt.Errorf("unexpected %q", r)
		}
	}
	flush()
	return tidy(toks), nil
}

func fold(r rune) rune {
	switch {
	case r >= '０' && r <= '９':
		return '0' + (r - '０')
	case r >= '\u2010' && r <= '\u2015', r == '\u2212', r == '\uFF0D':
		return '-'
	case r == '\uFF5E', r == '\u301C', r == '\u223C':
		return '~'
	case r == '\u2018', r == '\u2019':
		return '\''
	case r == '\uFF0E', r == '\u3002':
		return '.'
	case r == '\uFF0F':
		return '/'
	case r == '\uFF1F':
		return '?'
	case r == '\uFF0C', r == '\u3001':
		return ','
	}
	return r
}

var koUnits = []string{"년대", "년도", "년", "월", "일"} // longest first

// koMarkers are Korean suffixes meaning "about".
var koMarkers = []string{"경", "쯤", "무렵", "께", "전후"}

// tidy splits Korean units and suffixes off their Hangul runs, so that
// "2015년3월초" and "2015년 3월 초" read alike, and drops punctuation and
// words that carry nothing: the dot of an abbreviation ("Mar.", "c."), "of",
// and the hyphen of "mid-2015".
func tidy(in []token) []token {
	var out []token
	for i, tk := range in {
		prev := token{kind: 255}
		if len(out) > 0 {
			prev = out[len(out)-1]
		}
		switch {
		case tk.kind == tHangul:
			w := tk.s
			if i > 0 && in[i-1].kind == tNum {
				for _, u := range koUnits {
					if strings.HasPrefix(w, u) {
						unit := u
						if unit == "년도" {
							unit = "년"
						}
						out = append(out, token{tUnit, unit})
						w = w[len(u):]
						break
					}
				}
			}
			if w == "" {
				continue
			}
			out = append(out, splitKoMarker(w)...)
		case tk.kind == tPunct && tk.s == "." && prev.kind == tWord:
		case tk.kind == tPunct && tk.s == "-" && isPart(prev):
		case tk.kind == tWord && tk.s == "of":
		default:
			out = append(out, tk)
		}
	}
	return out
}

func splitKoMarker(w string) []token {
	if koKnown(w) {
		return []token{{tHangul, w}}
	}
	for _, m := range koMarkers {
		if base, ok := strings.CutSuffix(w, m); ok && koKnown(base) {
			return []token{{tHangul, base}, {tHangul, m}}
		}
	}
	return []token{{tHangul, w}}
}

func koKnown(w string) bool {
	_, season := seasons[w]
	_, part := parts[w]
	switch w {
	case "약", "대략", "부터", "까지":
		return true
	}
	for _, m := range koMarkers {
		if w == m {
			return true
		}
	}
	return season || part
}

func isPart(tk token) bool {
	_, ok := parts[tk.s]
	return ok && (tk.kind == tWord || tk.kind == tHangul)
}

var months = map[string]int{
	"january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3,
	"april": 4, "apr": 4, "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7,
	"august": 8, "aug": 8, "september": 9, "sep": 9, "sept": 9,
	"october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}

// seasons maps a season word to its first month; each season is three
// months, winter running into the next year.
var seasons = map[string]int{
	"spring": 3, "summer": 6, "autumn": 9, "fall": 9, "winter": 12,
	"봄": 3, "여름": 6, "가을": 9, "겨울": 12,
}

const (
	early = iota
	mid
	late
)

var parts = map[string]int{
	"early": early, "mid": mid, "middle": mid, "late": late,
	"초": early, "초반": early, "초순": early, "상순": early, "초기": early,
	"중": mid, "중반": mid, "중순": mid, "중엽": mid, "중기": mid,
	"말": late, "말경": late, "후반": late, "하순": late, "말엽": late, "말기": late,
}

var prefixMarkers = map[string]bool{
	"around": true, "about": true, "circa": true, "c": true, "ca": true,
	"approx": true, "approximately": true, "abt": true, "roughly": true,
	"약": true, "대략": true, "~": true,
}

// parseTokens reads a single date or a range of two.
func parseTokens(toks []token) (span, error) {
	if len(toks) == 0 {
		return span{}, fmt.Errorf("no date")
	}
	first := toks[0]
	switch {
	case first.kind == tWord && first.s == "between":
		for i, tk := range toks {
			if tk.kind == tWord && tk.s == "and" {
				return parseRange(toks[1:i], toks[i+1:])
			}
		}
		return span{}, fmt.Errorf(`"between" without "and"`)
	case first.kind == tWord && first.s == "from":
		toks = toks[1:]
		if len(toks) == 0 {
			return span{}, fmt.Errorf("no date")
		}
	}
	if last := toks[len(toks)-1]; last.kind == tHangul && last.s == "까지" {
		toks = toks[:len(toks)-1]
	}
	sp, err := parseSingle(toks)
	if err == nil {
		return sp, nil
	}
	// A hyphen or slash may belong to a single date or separate two, so
	// each separator is tried as the split and the first that gives two
	// dates wins.
	var rangeErr error
	for i, tk := range toks {
		if !isRangeSep(tk) {
			continue
		}
		sp, err := parseRange(toks[:i], toks[i+1:])
		if err == nil {
			return sp, nil
		}
		if _, ok := err.(orderError); ok && rangeErr == nil {
			rangeErr = err
		}
	}
	if rangeErr != nil {
		return span{}, rangeErr
	}
	return span{}, err
}

func isRangeSep(tk token) bool {
	switch tk.kind {
	case tPunct:
		return tk.s == "-" || tk.s == "/" || tk.s == "~"
	case tWord:
		return tk.s == "to" || tk.s == "until" || tk.s == "till" || tk.s == "through"
	case tHangul:
		return tk.s == "부터"
	}
	return false
}

type orderError struct{}

func (orderError) Error() string { return "the range ends before it starts" }

func parseRange(a, b []token) (span, error) {
	x, err := parseSingle(a)
	if err != nil {
		return span{}, err
	}
	y, err := parseSingle(b)
	if err != nil {
		return span{}, err
	}
	if x.lo > y.lo || x.hi > y.hi {
		return span{}, orderError{}
	}
	return span{lo: x.lo, hi: y.hi, prec: min(x.prec, y.prec), est: x.est || y.est}, nil
}

// parseSingle reads one date: an optional estimate marker, then one of the
// forms, recognised by the shape of its tokens.
func parseSingle(toks []token) (span, error) {
	est := false
	if len(toks) > 0 && prefixMarkers[toks[0].s] && toks[0].kind != tNum {
		est, toks = true, toks[1:]
	}
	if n := len(toks); n > 0 {
		if last := toks[n-1]; (last.kind == tPunct && last.s == "?") ||
			(last.kind == tHangul && contains(koMarkers, last.s)) {
			est, toks = true, toks[:n-1]
		}
	}
	the := false
	if len(toks) > 0 && toks[0].kind == tWord && toks[0].s == "the" {
		the, toks = true, toks[1:]
	}
	if len(toks) == 0 {
		return span{}, fmt.Errorf("no 4-digit year")
	}

	var (
		shape       []string
		nums        []string
		month, part int
		season      int
		hasYear     bool
	)
	for _, tk := range toks {
		var sym string
		switch tk.kind {
		case tNum:
			switch len(tk.s) {
			case 4:
				sym, hasYear = "Y", true
			case 8:
				sym, hasYear = "8", true
			case 1, 2:
				sym = "n"
			default:
				return span{}, fmt.Errorf("%s is neither a 4-digit year nor a month or day", tk.s)
			}
			nums = append(nums, tk.s)
		case tWord, tHangul:
			if m, ok := months[tk.s]; ok && tk.kind == tWord {
				sym, month = "M", m
			} else if s, ok := seasons[tk.s]; ok {
				sym, season = "S", s
			} else if p, ok := parts[tk.s]; ok {
				sym, part = "P", p
			} else if tk.s == "s" || tk.s == "st" || tk.s == "nd" || tk.s == "rd" || tk.s == "th" {
				sym = tk.s // decade plural or ordinal; the shape decides which fits
			} else {
				return span{}, fmt.Errorf("unexpected %q", tk.s)
			}
		case tUnit, tPunct:
			sym = tk.s
		}
		shape = append(shape, sym)
	}
	if !hasYear {
		return span{}, fmt.Errorf("no 4-digit year")
	}

	num := func(i int) int { v, _ := strconv.Atoi(nums[i]); return v }
	var sp span
	var err error
	switch strings.Join(shape, " ") {
	case "Y", "Y 년":
		sp, err = yearSpan(num(0))
	case "Y - n", "Y / n", "Y . n", "Y . n .", "Y 년 n 월":
		sp, err = monthSpan(num(0), num(1))
	case "M Y":
		sp, err = monthSpan(num(0), month)
	case "Y - n - n", "Y / n / n", "Y . n . n", "Y . n . n .", "Y 년 n 월 n 일":
		sp, err = daySpan(num(0), num(1), num(2))
	case "8":
		s := nums[0]
		y, _ := strconv.Atoi(s[:4])
		m, _ := strconv.Atoi(s[4:6])
		d, _ := strconv.Atoi(s[6:])
		sp, err = daySpan(y, m, d)
	case "n M Y", "n st M Y", "n nd M Y", "n rd M Y", "n th M Y",
		"M n Y", "M n st Y", "M n nd Y", "M n rd Y", "M n th Y":
		sp, err = daySpan(num(1), month, num(0))
	case "S Y", "Y 년 S":
		sp, err = seasonSpan(num(0), season)
	case "P Y", "Y 년 P":
		sp, err = yearPartSpan(num(0), part)
	case "P M Y":
		sp, err = monthPartSpan(num(0), month, part)
	case "Y 년 n 월 P":
		sp, err = monthPartSpan(num(0), num(1), part)
	case "Y s", "Y ' s", "Y 년대":
		sp, err = decadeSpan(num(0), -1)
	case "P Y s", "P Y ' s", "Y 년대 P":
		sp, err = decadeSpan(num(0), part)
	default:
		return span{}, fmt.Errorf("not a date form this package reads")
	}
	if err != nil {
		return span{}, err
	}
	if the && sp.prec != Decade {
		return span{}, fmt.Errorf(`"the" goes only with a decade`)
	}
	if est {
		sp = widen(sp)
	}
	return sp, nil
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

const minYear, maxYear = 1800, 2100

func checkYear(y int) error {
	if y < minYear || y > maxYear {
		return fmt.Errorf("year %d is outside %d–%d", y, minYear, maxYear)
	}
	return nil
}

func checkMonth(y, m int) error {
	if err := checkYear(y); err != nil {
		return err
	}
	if m < 1 || m > 12 {
		return fmt.Errorf("there is no month %d", m)
	}
	return nil
}

func yearSpan(y int) (span, error) {
	if err := checkYear(y); err != nil {
		return span{}, err
	}
	return span{lo: ymd(y, 1, 1), hi: ymd(y, 12, 31), prec: Year}, nil
}

func monthSpan(y, m int) (span, error) {
	if err := checkMonth(y, m); err != nil {
		return span{}, err
	}
	return span{lo: ymd(y, m, 1), hi: ymd(y, m, daysIn(y, m)), prec: Month}, nil
}

func daySpan(y, m, d int) (span, error) {
	if err := checkMonth(y, m); err != nil {
		return span{}, err
	}
	if d < 1 || d > daysIn(y, m) {
		return span{}, fmt.Errorf("%s %d has no day %d", time.Month(m), y, d)
	}
	return span{lo: ymd(y, m, d), hi: ymd(y, m, d), prec: Day}, nil
}

func seasonSpan(y, first int) (span, error) {
	if err := checkYear(y); err != nil {
		return span{}, err
	}
	lo := ymd(y, first, 1)
	return span{lo: lo, hi: addMonths(lo, 2, true), prec: Season}, nil
}

func yearPartSpan(y, part int) (span, error) {
	if err := checkYear(y); err != nil {
		return span{}, err
	}
	lo := ymd(y, 1+4*part, 1) // four months each: Jan, May, Sep
	return span{lo: lo, hi: addMonths(lo, 3, true), prec: Part}, nil
}

func monthPartSpan(y, m, part int) (span, error) {
	sp, err := monthSpan(y, m)
	if err != nil {
		return span{}, err
	}
	switch part {
	case early:
		sp.hi = ymd(y, m, 10)
	case mid:
		sp.lo, sp.hi = ymd(y, m, 11), ymd(y, m, 20)
	case late:
		sp.lo = ymd(y, m, 21)
	}
	return sp, nil
}

// decadeSpan reads the decade starting in y, or its early, mid or late part
// when part is not -1.
func decadeSpan(y, part int) (span, error) {
	if err := checkYear(y); err != nil {
		return span{}, err
	}
	if y%10 != 0 {
		return span{}, fmt.Errorf("%d does not start a decade", y)
	}
	first, last := 0, 9
	switch part {
	case early:
		last = 3
	case mid:
		first, last = 4, 6
	case late:
		first = 7
	}
	return span{lo: ymd(y+first, 1, 1), hi: ymd(y+last, 12, 31), prec: Decade}, nil
}

// widen applies an estimate: one unit of the field the text named, on each
// side. See the package documentation.
func widen(sp span) span {
	switch sp.prec {
	case Decade, Year:
		sp.lo, sp.hi = addMonths(sp.lo, -12, false), addMonths(sp.hi, 12, isMonthEnd(sp.hi))
	case Part, Season, Month:
		sp.lo, sp.hi = addMonths(sp.lo, -1, false), addMonths(sp.hi, 1, isMonthEnd(sp.hi))
	case Day:
		sp.lo, sp.hi = addDays(sp.lo, -1), addDays(sp.hi, 1)
	}
	sp.est = true
	return sp
}

func ymd(y, m, d int) int32 { return int32(y*10000 + m*100 + d) }

func splitYMD(v int32) (y, m, d int) {
	return int(v / 10000), int(v / 100 % 100), int(v % 100)
}

func daysIn(y, m int) int {
	switch m {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

func isMonthEnd(v int32) bool {
	y, m, d := splitYMD(v)
	return d == daysIn(y, m)
}

// addMonths moves v by k months. With toEnd the result is the last day of
// its month, so that the end of February moved on is the end of March, not
// the 28th; otherwise the day is clamped to the month's length.
func addMonths(v int32, k int, toEnd bool) int32 {
	y, m, d := splitYMD(v)
	n := y*12 + m - 1 + k
	y, m = n/12, n%12+1
	if toEnd || d > daysIn(y, m) {
		d = daysIn(y, m)
	}
	return ymd(y, m, d)
}

func addDays(v int32, k int) int32 {
	y, m, d := splitYMD(v)
	t := time.Date(y, time.Month(m), d+k, 0, 0, 0, 0, time.UTC)
	return ymd(t.Year(), int(t.Month()), t.Day())
}
