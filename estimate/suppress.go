package estimate

import (
	"errors"
	"fmt"
)

// Suppress decides which cells of a two-way table of counts to withhold
// from a public table whose row and column totals are published. It
// returns a mask (true = suppress) of the same shape.
//
// Primary suppression withholds every count from 1 to threshold−1: small
// counts of victims can identify them. Zeros are not primary-suppressed (a
// zero names nobody). Secondary suppression then protects the primary
// cells from subtraction: a row or column with exactly one suppressed cell
// would give it away as the total minus the published cells, so a second
// cell of that row or column is suppressed too, and this repeats until no
// row or column has exactly one suppressed cell. The second cell is the
// smallest (the least information lost; the first on ties), preferring
// cells whose crossing line already has a suppressed cell: that closes a
// rectangle instead of starting a new chain of suppressions across the
// table.
//
// This is the classical rule, not an optimal or audited suppression: it
// prevents exact recovery from one row or column, but a determined reader
// solving the whole system of margins may still narrow a suppressed cell
// to an interval. It fails when a row or column has a suppressed cell and
// no other cell to pair it with (a one-column table): then the margin
// itself must be withheld.
func Suppress(cells [][]int, threshold int) ([][]bool, error) {
	rows := len(cells)
	if rows == 0 {
		return nil, nil
	}
	cols := len(cells[0])
	for i, r := range cells {
		if len(r) != cols {
			return nil, fmt.Errorf("estimate: row %d has %d cells, row 0 has %d", i, len(r), cols)
		}
		for j, v := range r {
			if v < 0 {
				return nil, fmt.Errorf("estimate: negative count %d at row %d, column %d", v, i, j)
			}
		}
	}
	mask := make([][]bool, rows)
	for i, r := range cells {
		mask[i] = make([]bool, cols)
		for j, v := range r {
			mask[i][j] = v > 0 && v < threshold
		}
	}
	// line walks row i (col = false) or column i (col = true).
	type line struct {
		col bool
		i   int
	}
	at := func(l line, k int) (int, int) {
		if l.col {
			return k, l.i
		}
		return l.i, k
	}
	length := func(l line) int {
		if l.col {
			return rows
		}
		return cols
	}
	for changed := true; changed; {
		changed = false
		var lines []line
		for i := range rows {
			lines = append(lines, line{false, i})
		}
		for j := range cols {
			lines = append(lines, line{true, j})
		}
		for _, l := range lines {
			n := 0
			for k := range length(l) {
				if r, c := at(l, k); mask[r][c] {
					n++
				}
			}
			if n != 1 {
				continue
			}
			// The complement: a cell whose crossing line already has a
			// suppressed cell, which closes a cycle instead of starting a
			// new chain of suppressions; the smallest such, else the
			// smallest of all.
			best, br, bc, bestCloses := -1, 0, 0, false
			for k := range length(l) {
				r, c := at(l, k)
				if mask[r][c] {
					continue
				}
				closes := false
				cross := line{!l.col, c}
				if l.col {
					cross = line{false, r}
				}
				for kk := range length(cross) {
					if rr, cc := at(cross, kk); mask[rr][cc] {
						closes = true
						break
					}
				}
				if best < 0 || (closes && !bestCloses) || (closes == bestCloses && cells[r][c] < best) {
					best, br, bc, bestCloses = cells[r][c], r, c, closes
				}
			}
			if best < 0 {
				what := "row"
				if l.col {
					what = "column"
				}
				return nil, errors.New("estimate: " + what + fmt.Sprintf(" %d has a suppressed cell and no other cell to protect it: withhold its total", l.i))
			}
			mask[br][bc] = true
			changed = true
		}
	}
	return mask, nil
}
