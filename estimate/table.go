package estimate

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math/bits"
	"slices"
	"strconv"
	"strings"
)

// MaxLists is the largest number of lists a Table can hold: capture
// patterns are stored as uint32 bitmasks.
const MaxLists = 32

// maxCellCount bounds a single cell so that sums over 2^32 cells cannot
// overflow an int64; no documentation project comes near it.
const maxCellCount = 1_000_000_000

// Table holds capture histories over J lists as cells: for each observed
// capture pattern, the number of distinct people with exactly that pattern.
// Bit j of a pattern (1<<j) is set when the person is on list j (0-based,
// in the order of Lists). The all-zero pattern is never stored: it is the
// number of people no list caught, which is what the estimators estimate.
type Table struct {
	// Lists names the lists, in bit order.
	Lists []string
	// Cells maps a pattern to its count. Zero counts may be present or
	// absent; both mean the same.
	Cells map[uint32]int
}

// NewTable returns an empty table over the named lists.
func NewTable(lists ...string) *Table {
	return &Table{Lists: slices.Clone(lists), Cells: make(map[uint32]int)}
}

// J returns the number of lists.
func (t *Table) J() int { return len(t.Lists) }

// Add adds count people with the given pattern. It rejects the all-zero
// pattern, patterns naming lists the table does not have, and negative
// counts.
func (t *Table) Add(pattern uint32, count int) error {
	if err := t.checkPattern(pattern); err != nil {
		return err
	}
	if count < 0 {
		return fmt.Errorf("estimate: negative count %d", count)
	}
	if t.Cells == nil {
		t.Cells = make(map[uint32]int)
	}
	if t.Cells[pattern] > maxCellCount-count {
		return fmt.Errorf("estimate: count for pattern %s exceeds %d", t.PatternString(pattern), maxCellCount)
	}
	t.Cells[pattern] += count
	return nil
}

func (t *Table) checkPattern(p uint32) error {
	if p == 0 {
		return errors.New("estimate: the all-zero pattern cannot be observed")
	}
	if j := t.J(); j < MaxLists && p>>uint(j) != 0 {
		return fmt.Errorf("estimate: pattern %#x names a list beyond the %d lists", p, j)
	}
	return nil
}

// Validate checks a table built by hand: 2 to MaxLists distinct, non-empty
// list names; no all-zero or out-of-range pattern; no negative count.
func (t *Table) Validate() error {
	j := t.J()
	if j < 2 || j > MaxLists {
		return fmt.Errorf("estimate: need 2 to %d lists, have %d", MaxLists, j)
	}
	seen := make(map[string]bool, j)
	for _, name := range t.Lists {
		if name == "" {
			return errors.New("estimate: empty list name")
		}
		if seen[name] {
			return fmt.Errorf("estimate: duplicate list name %q", name)
		}
		seen[name] = true
	}
	for p, c := range t.Cells {
		if err := t.checkPattern(p); err != nil {
			return err
		}
		if c < 0 || c > maxCellCount {
			return fmt.Errorf("estimate: count %d for pattern %s out of range", c, t.PatternString(p))
		}
	}
	return nil
}

// Observed returns n, the number of distinct people on at least one list.
func (t *Table) Observed() int {
	n := 0
	for _, c := range t.Cells {
		n += c
	}
	return n
}

// Count returns the count of one pattern (0 when absent).
func (t *Table) Count(pattern uint32) int { return t.Cells[pattern] }

// Patterns returns the patterns with a positive count, in increasing order.
func (t *Table) Patterns() []uint32 {
	ps := make([]uint32, 0, len(t.Cells))
	for p, c := range t.Cells {
		if c > 0 {
			ps = append(ps, p)
		}
	}
	slices.Sort(ps)
	return ps
}

// ListTotal returns how many people list j holds.
func (t *Table) ListTotal(j int) int {
	n := 0
	for p, c := range t.Cells {
		if p&(1<<uint(j)) != 0 {
			n += c
		}
	}
	return n
}

// Overlapping returns how many people are on two or more lists; with none,
// the lists carry no information about each other and no estimate exists.
func (t *Table) Overlapping() int {
	n := 0
	for p, c := range t.Cells {
		if bits.OnesCount32(p) >= 2 {
			n += c
		}
	}
	return n
}

// Collapse returns the table of the chosen lists only (in the given order),
// summing over the others; people on none of the chosen lists drop out.
// It is how a two-list estimator is applied to a pair out of J lists.
func (t *Table) Collapse(lists ...int) (*Table, error) {
	names := make([]string, len(lists))
	seen := make(map[int]bool, len(lists))
	for i, j := range lists {
		if j < 0 || j >= t.J() {
			return nil, fmt.Errorf("estimate: list index %d out of range [0,%d)", j, t.J())
		}
		if seen[j] {
			return nil, fmt.Errorf("estimate: list %d chosen twice", j)
		}
		seen[j] = true
		names[i] = t.Lists[j]
	}
	out := NewTable(names...)
	for p, c := range t.Cells {
		var q uint32
		for i, j := range lists {
			if p&(1<<uint(j)) != 0 {
				q |= 1 << uint(i)
			}
		}
		if q != 0 && c > 0 {
			out.Cells[q] += c
		}
	}
	return out, nil
}

// PatternString renders a pattern as 0/1 digits in list order ("1011").
func (t *Table) PatternString(p uint32) string {
	var b strings.Builder
	for j := range t.J() {
		if p&(1<<uint(j)) != 0 {
			b.WriteByte('1')
		} else {
			b.WriteByte('0')
		}
	}
	return b.String()
}

// ReadCSV reads a capture-pattern table: a header with one column per list
// (the list names) and a final column named "count"; then one row per
// observed pattern with 0/1 in the list columns and a non-negative integer
// count. Fields may be padded with spaces; a leading UTF-8 byte-order mark
// is ignored.
//
// Every error names the line. Rejected: fewer than 2 or more than
// MaxLists lists, empty or duplicate list names, a last column not named
// count, a row with the wrong number of fields, a value other than 0/1, a
// count that is not a non-negative integer (or exceeds 10^9), and an
// all-zero pattern with a nonzero count (nobody can be observed on no
// list; an all-zero row with count 0 is accepted and ignored).
//
// Duplicate patterns are rejected, not summed: a table of patterns is an
// aggregate, and a repeated row almost always means two exports were
// concatenated or a digit was mistyped, both of which would silently
// change the estimate if summed.
func ReadCSV(r io.Reader) (*Table, error) {
	br := bufio.NewReader(r)
	if b, err := br.Peek(3); err == nil && bytes.Equal(b, []byte{0xEF, 0xBB, 0xBF}) {
		_, _ = br.Discard(3)
	}
	cr := csv.NewReader(br)
	cr.FieldsPerRecord = -1 // checked here, to name the line ourselves
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err == io.EOF {
		return nil, errors.New("estimate: empty input: want a header of list names and count")
	}
	if err != nil {
		return nil, fmt.Errorf("estimate: %w", err)
	}
	header = slices.Clone(header)
	for i := range header {
		header[i] = strings.TrimSpace(header[i])
	}
	if len(header) < 3 {
		return nil, fmt.Errorf("estimate: line 1: need at least 2 list columns and a count column, have %d columns", len(header))
	}
	if !strings.EqualFold(header[len(header)-1], "count") {
		return nil, fmt.Errorf("estimate: line 1: last column must be named count, not %q", header[len(header)-1])
	}
	t := NewTable(header[:len(header)-1]...)
	if err := t.Validate(); err != nil {
		return nil, fmt.Errorf("estimate: line 1: %s", strings.TrimPrefix(err.Error(), "estimate: "))
	}
	j := t.J()
	firstLine := make(map[uint32]int)
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("estimate: %w", err)
		}
		line, _ := cr.FieldPos(0)
		if len(rec) != j+1 {
			return nil, fmt.Errorf("estimate: line %d: have %d fields, want %d (%d lists and count)", line, len(rec), j+1, j)
		}
		var p uint32
		for i := range j {
			switch strings.TrimSpace(rec[i]) {
			case "0":
			case "1":
				p |= 1 << uint(i)
			default:
				return nil, fmt.Errorf("estimate: line %d: column %q: want 0 or 1, have %q", line, t.Lists[i], rec[i])
			}
		}
		cs := strings.TrimSpace(rec[j])
		c, err := strconv.Atoi(cs)
		if err != nil || c < 0 || c > maxCellCount {
			return nil, fmt.Errorf("estimate: line %d: count must be an integer from 0 to %d, have %q", line, maxCellCount, rec[j])
		}
		if p == 0 {
			if c != 0 {
				return nil, fmt.Errorf("estimate: line %d: all-zero pattern with count %d: nobody is observed on no list (that count is what is estimated)", line, c)
			}
			continue
		}
		if prev, dup := firstLine[p]; dup {
			return nil, fmt.Errorf("estimate: line %d: pattern %s repeats line %d (duplicates are rejected, not summed)", line, t.PatternString(p), prev)
		}
		firstLine[p] = line
		if c > 0 {
			t.Cells[p] = c
		}
	}
	return t, nil
}

// WriteCSV writes the table in the format ReadCSV reads, patterns with a
// positive count in increasing order.
func (t *Table) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	rec := make([]string, t.J()+1)
	copy(rec, t.Lists)
	rec[t.J()] = "count"
	if err := cw.Write(rec); err != nil {
		return err
	}
	for _, p := range t.Patterns() {
		for j := range t.J() {
			rec[j] = strconv.Itoa(int(p>>uint(j)) & 1)
		}
		rec[t.J()] = strconv.Itoa(t.Cells[p])
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
