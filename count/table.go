package count

import (
	"encoding/json"
	"fmt"
	"sort"
	"strconv"

	"tumen"
	"tumen/estimate"
)

// Window limits a table to the years From to To, inclusive; 0 leaves an
// end open. A record that may fall outside the window is counted as
// spanning several bins; one surely outside it is not counted.
type Window struct {
	From int `json:"from,omitempty"`
	To   int `json:"to,omitempty"`
}

// Spec says what a table counts.
type Spec struct {
	Unit Unit
	Rows Dim
	// Cols is None for a one-way table.
	Cols   Dim
	Window Window
}

// Cell is one count of a table.
type Cell struct {
	// N is the number of records known to be in the cell.
	N int
	// Max is N plus the records whose range of values (a date spanning
	// months, an age spanning groups) includes the cell: what may be in
	// it. For the "spans several" and "unknown" bins it is N.
	Max int
	// Withheld marks a cell suppressed in a public table; N and Max are
	// then 0 and mean nothing.
	Withheld bool
	// MaxWithheld marks an upper bound withheld in a public table because
	// the records it adds to N are fewer than the threshold.
	MaxWithheld bool
}

// MarshalJSON writes withheld numbers as null.
func (c Cell) MarshalJSON() ([]byte, error) {
	var n, m *int
	if !c.Withheld {
		n = &c.N
		if !c.MaxWithheld {
			m = &c.Max
		}
	}
	return json.Marshal(struct {
		N        *int `json:"n"`
		Max      *int `json:"max"`
		Withheld bool `json:"withheld,omitempty"`
	}{n, m, c.Withheld})
}

// Table is a one- or two-way table of counts.
type Table struct {
	Title   string `json:"title"`
	TitleKO string `json:"title_ko"`
	Unit    Unit   `json:"unit"`
	Rows    Dim    `json:"rows"`
	Cols    Dim    `json:"cols,omitempty"`
	Window  Window `json:"window,omitzero"`
	RowBins []Bin  `json:"row_bins"`
	// ColBins is nil for a one-way table, whose cells have one column.
	ColBins []Bin    `json:"col_bins,omitempty"`
	Cells   [][]Cell `json:"cells"`
	// Total is the number of records counted. Along a dimension where a
	// record can have several values (agencies, organisations, the stages
	// of a case) the cells add up to more.
	Total         int  `json:"total"`
	TotalWithheld bool `json:"total_withheld,omitempty"`
	// Public marks a table fit for publication.
	Public    bool     `json:"public"`
	Threshold int      `json:"threshold,omitempty"`
	Notes     []string `json:"notes,omitempty"`
}

// Row returns the one-way count of row i.
func (t *Table) Row(i int) Cell { return t.Cells[i][0] }

// Find returns the index of the row with the given key, or −1.
func (t *Table) Find(key string) int {
	for i, b := range t.RowBins {
		if b.Key == key {
			return i
		}
	}
	return -1
}

// Table counts s.Unit by s.Rows (and s.Cols).
func (c *Counter) Table(s Spec) (*Table, error) {
	if s.Rows == None {
		return nil, tumen.Errorf(tumen.KindInvalid, "a table needs a dimension for its rows")
	}
	if _, err := ParseDim(string(s.Rows)); err != nil {
		return nil, err
	}
	if s.Cols != None {
		if _, err := ParseDim(string(s.Cols)); err != nil {
			return nil, err
		}
		if s.Cols == s.Rows {
			return nil, tumen.Errorf(tumen.KindInvalid, "rows and columns are both %s", s.Rows)
		}
	}
	if s.Window.From != 0 && s.Window.To != 0 && s.Window.From > s.Window.To {
		return nil, tumen.Errorf(tumen.KindInvalid, "the window starts after it ends (%d to %d)", s.Window.From, s.Window.To)
	}
	recs, err := c.records(s.Unit)
	if err != nil {
		return nil, err
	}
	type pair struct{ r, c string }
	sure := map[pair]int{}
	upper := map[pair]int{}
	rowSeen, colSeen := map[string]int{}, map[string]int{}
	t := &Table{Unit: s.Unit, Rows: s.Rows, Cols: s.Cols, Window: s.Window, Public: c.o.Public}
	multi := false
	for i := range recs {
		r := &recs[i]
		rv := c.value(r, s.Rows, s.Window)
		cv := value{bins: []string{""}}
		if s.Cols != None {
			cv = c.value(r, s.Cols, s.Window)
		}
		if (rv.outside && len(rv.bins) == 0) || (cv.outside && len(cv.bins) == 0) {
			continue // surely outside the window
		}
		t.Total++
		if (rv.all && len(rv.bins) > 1) || (cv.all && len(cv.bins) > 1) {
			multi = true
		}
		rs, cs := slots(rv), slots(cv)
		for _, a := range rs {
			for _, b := range cs {
				sure[pair{a, b}]++
			}
			rowSeen[a]++
		}
		for _, b := range cs {
			colSeen[b]++
		}
		for _, a := range candidates(rv) {
			for _, b := range candidates(cv) {
				upper[pair{a, b}]++
			}
			if _, ok := rowSeen[a]; !ok {
				rowSeen[a] = 0
			}
		}
		for _, b := range candidates(cv) {
			if _, ok := colSeen[b]; !ok {
				colSeen[b] = 0
			}
		}
	}
	t.RowBins = c.bins(s.Rows, rowSeen)
	if s.Cols != None {
		t.ColBins = c.bins(s.Cols, colSeen)
	}
	cols := t.ColBins
	if cols == nil {
		cols = []Bin{{}}
	}
	t.Cells = make([][]Cell, len(t.RowBins))
	for i, rb := range t.RowBins {
		t.Cells[i] = make([]Cell, len(cols))
		for j, cb := range cols {
			p := pair{rb.Key, cb.Key}
			cell := Cell{N: sure[p], Max: sure[p]}
			if rb.Kind == KindValue && cb.Kind == KindValue {
				cell.Max = max(upper[p], cell.N)
			}
			t.Cells[i][j] = cell
		}
	}
	ut, uk := unitTitle(s.Unit)
	rt, rk := dimTitle(s.Rows)
	t.Title, t.TitleKO = fmt.Sprintf("%s by %s", ut, rt), fmt.Sprintf("%s별 %s", rk, uk)
	if s.Cols != None {
		ct, ck := dimTitle(s.Cols)
		t.Title, t.TitleKO = fmt.Sprintf("%s by %s and %s", ut, rt, ct), fmt.Sprintf("%s·%s별 %s", rk, ck, uk)
	}
	if s.Window != (Window{}) {
		t.Title += ", " + windowText(s.Window)
		t.TitleKO += ", " + windowTextKO(s.Window)
	}
	t.notes(s, multi)
	if c.o.Public {
		t.Threshold = c.o.Threshold
		t.suppress(c.o.Threshold)
		t.Notes = append(t.Notes, fmt.Sprintf("Public table: only records documented by a source whose giver consented to publication are counted; counts from 1 to %d are withheld, and so is a second count wherever the total or a margin would give a withheld count away.", c.o.Threshold-1))
	}
	return t, nil
}

// slots are the bins a record is counted in.
func slots(v value) []string {
	switch {
	case len(v.bins) == 0:
		return []string{KindUnknown}
	case len(v.sure()) == 0:
		return []string{KindSeveral}
	}
	return v.sure()
}

// candidates are the value bins a record may be in, for the upper bounds.
func candidates(v value) []string {
	return v.bins
}

func windowText(w Window) string {
	switch {
	case w.From != 0 && w.To != 0 && w.From == w.To:
		return strconv.Itoa(w.From)
	case w.From != 0 && w.To != 0:
		return fmt.Sprintf("%d–%d", w.From, w.To)
	case w.From != 0:
		return fmt.Sprintf("from %d", w.From)
	}
	return fmt.Sprintf("to %d", w.To)
}

func windowTextKO(w Window) string {
	switch {
	case w.From != 0 && w.To != 0 && w.From == w.To:
		return fmt.Sprintf("%d년", w.From)
	case w.From != 0 && w.To != 0:
		return fmt.Sprintf("%d–%d년", w.From, w.To)
	case w.From != 0:
		return fmt.Sprintf("%d년부터", w.From)
	}
	return fmt.Sprintf("%d년까지", w.To)
}

// bins orders the bins of d: dates and ages in their natural order with
// the gaps filled, stages S0–S9 and sexes always, other values by count,
// largest first; then "other place", "spans several" and "unknown".
func (c *Counter) bins(d Dim, seen map[string]int) []Bin {
	var keys []string
	for k := range seen {
		if k != KindOther && k != KindSeveral && k != KindUnknown && k != "" {
			keys = append(keys, k)
		}
	}
	switch d {
	case Year:
		if len(keys) > 0 {
			sort.Strings(keys)
			lo, _ := strconv.Atoi(keys[0])
			hi, _ := strconv.Atoi(keys[len(keys)-1])
			keys = keys[:0]
			for y := lo; y <= hi; y++ {
				keys = append(keys, strconv.Itoa(y))
			}
		}
	case Month:
		if len(keys) > 0 {
			sort.Strings(keys)
			lo, hi := monthInt(keys[0]), monthInt(keys[len(keys)-1])
			keys = keys[:0]
			for m := lo; m <= hi; m = nextMonth(m) {
				keys = append(keys, fmt.Sprintf("%04d-%02d", m/100, m%100))
			}
		}
	case Stage:
		all := []string{"S0", "S1", "S2", "S3", "S4", "S5", "S6", "S7", "S8", "S9"}
		for _, k := range keys {
			all = addUnique(all, k)
		}
		keys = all
	case Sex:
		all := []string{"f", "m"}
		for _, k := range keys {
			all = addUnique(all, k)
		}
		keys = all
	case Age:
		keys = keys[:0]
		for g := range ageGroups {
			keys = append(keys, ageKey(g))
		}
	default:
		sort.Slice(keys, func(i, j int) bool {
			if seen[keys[i]] != seen[keys[j]] {
				return seen[keys[i]] > seen[keys[j]]
			}
			return keys[i] < keys[j]
		})
	}
	if d == None {
		return nil
	}
	out := make([]Bin, 0, len(keys)+3)
	for _, k := range keys {
		en, ko := c.label(d, k)
		out = append(out, Bin{Key: k, Label: en, LabelKO: ko})
	}
	if _, ok := seen[KindOther]; ok {
		en, ko := c.label(d, KindOther)
		out = append(out, Bin{Key: KindOther, Label: en, LabelKO: ko, Kind: KindOther})
	}
	for _, kind := range []string{KindSeveral, KindUnknown} {
		if seen[kind] > 0 {
			en, ko := specialLabel(d, kind)
			out = append(out, Bin{Key: kind, Label: en, LabelKO: ko, Kind: kind})
		}
	}
	return out
}

func monthInt(k string) int {
	y, _ := strconv.Atoi(k[:4])
	m, _ := strconv.Atoi(k[5:])
	return y*100 + m
}

// notes explain a table's uncertainty to its reader.
func (t *Table) notes(s Spec, multi bool) {
	for _, d := range []Dim{s.Rows, s.Cols} {
		var bins []Bin
		if d == s.Rows {
			bins = t.RowBins
		} else {
			bins = t.ColBins
		}
		for _, b := range bins {
			if b.Kind != KindSeveral {
				continue
			}
			what, unit := "value spans several", "bin"
			switch d {
			case Year:
				what, unit = "date spans several years", "year"
			case Month:
				what, unit = "date spans several months", "month"
			case Age:
				what, unit = "age spans several age groups", "age group"
			}
			t.Notes = append(t.Notes, fmt.Sprintf("Records whose %s are counted in none of them but under “%s”; each raises the upper bound (max) of every %s it may fall in. Nothing is counted in a finer bin than its date or age allows.",
				what, b.Label, unit))
		}
	}
	if multi {
		t.Notes = append(t.Notes, "A record with several values here (agencies, documenting organisations, places or stages of one case) is counted under each, so the counts add up to more than the total.")
	}
}

// suppress withholds small counts of a public table: every count from 1
// to threshold−1, and enough others that no withheld count can be
// recovered from the published total and margins (estimate.Suppress for
// two-way tables). Upper bounds that add fewer than threshold records to
// their count are withheld too.
func (t *Table) suppress(threshold int) {
	if t.Total > 0 && t.Total < threshold {
		t.Total, t.TotalWithheld = 0, true
		for i := range t.Cells {
			for j := range t.Cells[i] {
				t.Cells[i][j] = Cell{Withheld: true}
			}
		}
		return
	}
	cells := make([][]int, len(t.Cells))
	for i, r := range t.Cells {
		cells[i] = make([]int, len(r))
		for j, c := range r {
			cells[i][j] = c.N
		}
	}
	var mask [][]bool
	if t.ColBins == nil {
		mask = suppressOneWay(cells, threshold)
	} else {
		var err error
		mask, err = estimate.Suppress(cells, threshold)
		if err != nil {
			// A line with one withheld cell and nothing to pair it with:
			// withhold the whole table rather than let a margin give it
			// away.
			mask = make([][]bool, len(cells))
			for i := range mask {
				mask[i] = make([]bool, len(cells[i]))
				for j := range mask[i] {
					mask[i][j] = true
				}
			}
			t.Notes = append(t.Notes, "Every cell is withheld: a small count could not be protected from the margins.")
		}
	}
	for i := range t.Cells {
		for j := range t.Cells[i] {
			c := &t.Cells[i][j]
			if mask[i][j] {
				*c = Cell{Withheld: true}
				continue
			}
			if d := c.Max - c.N; d > 0 && d < threshold {
				c.Max, c.MaxWithheld = 0, true
			}
		}
	}
}

// suppressOneWay is the rule for a column of counts whose total is
// published: withhold counts 1 to threshold−1, and when exactly one is
// withheld, the smallest other count too, so the total minus the
// published counts does not give it away.
func suppressOneWay(cells [][]int, threshold int) [][]bool {
	mask := make([][]bool, len(cells))
	n := 0
	for i, r := range cells {
		mask[i] = []bool{r[0] > 0 && r[0] < threshold}
		if mask[i][0] {
			n++
		}
	}
	if n == 1 {
		best := -1
		for i, r := range cells {
			if !mask[i][0] && (best < 0 || r[0] < cells[best][0]) {
				best = i
			}
		}
		if best >= 0 {
			mask[best][0] = true
		}
	}
	return mask
}
