package linkage

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Table is a CSV of records with any columns, for linking data that is not
// a person list (FEBRL, Splink's example data): the first column, or the
// one named, is the id, and every other column is compared, as text, as a
// number code or as a date, whichever its values look like.
type Table struct {
	ids  []string
	cols []*column
}

// columnKind is how a table column is compared.
type columnKind int

const (
	kindText columnKind = iota // names, streets, towns: exact, Jaro–Winkler
	kindCode                   // digits: postcodes, house numbers, ids: exact, edit distance
	kindDate                   // YYYYMMDD or YYYY-MM-DD: exact, one typo, days apart
)

func (k columnKind) String() string { return [...]string{"text", "code", "date"}[k] }

type column struct {
	name   string
	kind   columnKind
	value  []int32 // per record, into distinct; -1 when empty
	text   []string
	tf     []float64
	days   []int32 // per distinct value, for dates; 0 when it does not parse
	blocks bool    // distinct enough to block on
}

// MaxTableColumns is the most columns a table may have besides its id (and
// truth) column: one comparison each.
const MaxTableColumns = MaxComparisons

// TableOptions say how to read a table.
type TableOptions struct {
	// ID names the id column; "" means the first.
	ID string
	// Ignore names columns that are not compared, such as a truth column.
	Ignore []string
}

// ReadTable reads a CSV with a header line. Values are trimmed and folded
// to lower case. Errors name lines and columns, never values.
func ReadTable(r io.Reader, o TableOptions) (*Table, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	cr.TrimLeadingSpace = true
	head, err := cr.Read()
	if err == io.EOF {
		return nil, errors.New("the file is empty: it needs a header line")
	}
	if err != nil {
		return nil, fmt.Errorf("line 1: %v", csvErr(err))
	}
	idCol := 0
	var cols []*column
	var use []int // header position of each compared column
	for i, h := range head {
		h = strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))
		switch {
		case o.ID != "" && h == o.ID, o.ID == "" && i == 0:
			idCol = i
			continue
		case contains(o.Ignore, h):
			continue
		}
		cols = append(cols, &column{name: h})
		use = append(use, i)
	}
	if o.ID != "" && strings.TrimSpace(head[idCol]) != o.ID {
		return nil, fmt.Errorf("line 1: no column %q for the ids", o.ID)
	}
	if len(cols) == 0 {
		return nil, errors.New("line 1: no column to compare besides the id")
	}
	if len(cols) > MaxTableColumns {
		return nil, fmt.Errorf("line 1: %d columns to compare; at most %d (leave some out)", len(cols), MaxTableColumns)
	}
	t := &Table{cols: cols}
	index := make([]map[string]int32, len(cols))
	for c := range cols {
		index[c] = map[string]int32{}
	}
	seen := map[string]int{}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("line %d: %v", errLine(err), csvErr(err))
		}
		line, _ := cr.FieldPos(0)
		if len(rec) != len(head) {
			return nil, fmt.Errorf("line %d: %d fields, want %d", line, len(rec), len(head))
		}
		id := strings.TrimSpace(rec[idCol])
		if id == "" {
			return nil, fmt.Errorf("line %d: the id is empty", line)
		}
		if !utf8.ValidString(id) || len(id) > 128 {
			return nil, fmt.Errorf("line %d: the id is not valid UTF-8 of at most 128 bytes", line)
		}
		if first, dup := seen[id]; dup {
			return nil, fmt.Errorf("line %d: the id repeats that of line %d", line, first)
		}
		seen[id] = line
		t.ids = append(t.ids, id)
		for c, col := range cols {
			v := strings.ToLower(strings.TrimSpace(rec[use[c]]))
			if v == "" {
				col.value = append(col.value, -1)
				continue
			}
			x, ok := index[c][v]
			if !ok {
				x = int32(len(col.text))
				index[c][v] = x
				col.text = append(col.text, v)
			}
			col.value = append(col.value, x)
		}
	}
	n := float64(max(len(t.ids), 1))
	for _, col := range cols {
		col.kind = inferKind(col.text)
		count := make([]int, len(col.text))
		filled := 0
		for _, v := range col.value {
			if v >= 0 {
				count[v]++
				filled++
			}
		}
		col.tf = make([]float64, len(col.text))
		for i, c := range count {
			col.tf[i] = float64(c) / n
		}
		if col.kind == kindDate {
			col.days = make([]int32, len(col.text))
			for i, s := range col.text {
				col.days[i] = parseDay(s)
			}
		}
		// A column blocks when its values are varied enough that a
		// shared value says something: at least one distinct value per
		// twenty filled records.
		col.blocks = filled > 0 && len(col.text)*20 >= filled
	}
	return t, nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// inferKind picks a column's comparison from its values: dates when nine
// in ten parse as dates, codes when nine in ten are digits.
func inferKind(values []string) columnKind {
	if len(values) == 0 {
		return kindText
	}
	dates, digits := 0, 0
	for _, v := range values {
		if parseDay(v) != 0 {
			dates++
		}
		if isDigits(v) {
			digits++
		}
	}
	switch {
	case dates*10 >= len(values)*9:
		return kindDate
	case digits*10 >= len(values)*9:
		return kindCode
	}
	return kindText
}

func isDigits(s string) bool {
	for _, r := range s {
		if !unicode.IsDigit(r) {
			return false
		}
	}
	return s != ""
}

// parseDay reads YYYYMMDD or YYYY-MM-DD (or with slashes) as a day number;
// 0 when it is not a plausible date.
func parseDay(s string) int32 {
	var digits []byte
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
			digits = append(digits, c)
		case c == '-' || c == '/':
			if i != 4 && i != 7 {
				return 0
			}
		default:
			return 0
		}
	}
	if len(digits) != 8 {
		return 0
	}
	v := 0
	for _, c := range digits {
		v = v*10 + int(c-'0')
	}
	y, m, d := v/10000, v/100%100, v%100
	if y < 1800 || y > 2100 || m < 1 || m > 12 || d < 1 || d > 31 {
		return 0
	}
	return dayNumber(v)
}

// Len returns the number of records.
func (t *Table) Len() int { return len(t.ids) }

// ID returns the id of record i.
func (t *Table) ID(i int) string { return t.ids[i] }

// Columns describes the compared columns: name and kind, for reports.
func (t *Table) Columns() []string {
	var out []string
	for _, c := range t.cols {
		out = append(out, c.name+" ("+c.kind.String()+")")
	}
	return out
}

// Comparisons returns one comparison per column.
func (t *Table) Comparisons() []Comparison {
	var out []Comparison
	for _, c := range t.cols {
		switch c.kind {
		case kindDate:
			out = append(out, dateColumn{c})
		case kindCode:
			out = append(out, codeColumn{c})
		default:
			out = append(out, textColumn{c})
		}
	}
	return out
}

// Rules returns a blocking rule on each column whose values are varied
// enough: two records that share any such value exactly become a
// candidate pair, so a pair is missed only when every one of those fields
// was changed.
func (t *Table) Rules() []Rule {
	var out []Rule
	for k, c := range t.cols {
		if !c.blocks {
			continue
		}
		out = append(out, Rule{Name: c.name, Uses: []string{c.name}, MaxBlock: 100, Keys: func(i int, dst []uint64) []uint64 {
			if v := c.value[i]; v >= 0 {
				dst = append(dst, Combine(uint64(k), uint64(v)))
			}
			return dst
		}})
	}
	return out
}

type textColumn struct{ c *column }

func (x textColumn) Name() string { return x.c.name }
func (textColumn) Levels() []string {
	return []string{"exact", "Jaro–Winkler ≥ 0.92", "Jaro–Winkler ≥ 0.8", "different"}
}

func (x textColumn) Compare(i, j int) int {
	a, b := x.c.value[i], x.c.value[j]
	switch {
	case a < 0 || b < 0:
		return 0
	case a == b:
		return 1
	}
	switch s := JaroWinkler(x.c.text[a], x.c.text[b]); {
	case s >= 0.92:
		return 2
	case s >= 0.8:
		return 3
	}
	return 4
}

func (x textColumn) TermFrequency(i int) float64 { return tfOf(x.c, i) }

func tfOf(c *column, i int) float64 {
	if v := c.value[i]; v >= 0 {
		return c.tf[v]
	}
	return 0
}

type codeColumn struct{ c *column }

func (x codeColumn) Name() string { return x.c.name }
func (codeColumn) Levels() []string {
	return []string{"exact", "one digit off", "two digits off", "different"}
}

func (x codeColumn) Compare(i, j int) int {
	a, b := x.c.value[i], x.c.value[j]
	switch {
	case a < 0 || b < 0:
		return 0
	case a == b:
		return 1
	}
	switch EditDistance(x.c.text[a], x.c.text[b], 2) {
	case 1:
		return 2
	case 2:
		return 3
	}
	return 4
}

func (x codeColumn) TermFrequency(i int) float64 { return tfOf(x.c, i) }

type dateColumn struct{ c *column }

func (x dateColumn) Name() string { return x.c.name }
func (dateColumn) Levels() []string {
	return []string{"exact", "one typo", "within a month", "within a year", "within ten years", "further apart"}
}

func (x dateColumn) Compare(i, j int) int {
	a, b := x.c.value[i], x.c.value[j]
	switch {
	case a < 0 || b < 0:
		return 0
	case a == b:
		return 1
	case EditDistance(x.c.text[a], x.c.text[b], 1) <= 1:
		return 2
	}
	da, db := x.c.days[a], x.c.days[b]
	if da == 0 || db == 0 {
		return 6
	}
	switch d := abs(int(da - db)); {
	case d <= 31:
		return 3
	case d <= 366:
		return 4
	case d <= 3653:
		return 5
	}
	return 6
}

func (x dateColumn) TermFrequency(i int) float64 { return tfOf(x.c, i) }
