package estimate

import (
	"reflect"
	"testing"
)

func TestSuppress(t *testing.T) {
	t.Parallel()
	const X, o = true, false
	tests := []struct {
		name      string
		cells     [][]int
		threshold int
		want      [][]bool
		wantErr   bool
	}{
		{"nothing small", [][]int{{10, 20}, {30, 40}}, 5, [][]bool{{o, o}, {o, o}}, false},
		{"zeros are not primary", [][]int{{0, 20}, {30, 40}}, 5, [][]bool{{o, o}, {o, o}}, false},
		{
			// 3 is primary; row 0 adds 9 (smallest), column 0 adds 8;
			// column 2 then prefers 60, whose row already has 8, over 12,
			// closing the rectangle 3, 9, 8, 60.
			"one small cell needs a rectangle",
			[][]int{{3, 20, 9}, {30, 40, 12}, {8, 50, 60}},
			5,
			[][]bool{{X, o, X}, {o, o, o}, {X, o, X}}, false,
		},
		{"two small in a row", [][]int{{2, 3, 50}, {40, 41, 42}}, 5, [][]bool{{X, X, o}, {X, X, o}}, false},
		{"one column", [][]int{{3}, {40}}, 5, nil, true},
		{"ragged", [][]int{{3, 4}, {40}}, 5, nil, true},
		{"negative", [][]int{{-3, 4}, {40, 1}}, 5, nil, true},
		{"empty", nil, 5, nil, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := Suppress(tc.cells, tc.threshold)
			if (err != nil) != tc.wantErr {
				t.Fatalf("error %v", err)
			}
			if err != nil {
				return
			}
			if tc.want != nil && !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
			checkProtected(t, tc.cells, tc.threshold, got)
		})
	}
}

// checkProtected verifies the properties Suppress promises: every small
// count is suppressed, and no row or column has exactly one suppressed
// cell (which its total would give away).
func checkProtected(t *testing.T, cells [][]int, threshold int, mask [][]bool) {
	t.Helper()
	if len(cells) == 0 {
		return
	}
	for i, r := range cells {
		n := 0
		for j, v := range r {
			if v > 0 && v < threshold && !mask[i][j] {
				t.Errorf("small cell (%d,%d)=%d published", i, j, v)
			}
			if mask[i][j] {
				n++
			}
		}
		if n == 1 {
			t.Errorf("row %d has one suppressed cell", i)
		}
	}
	for j := range cells[0] {
		n := 0
		for i := range cells {
			if mask[i][j] {
				n++
			}
		}
		if n == 1 {
			t.Errorf("column %d has one suppressed cell", j)
		}
	}
}

func TestSuppressRandom(t *testing.T) {
	t.Parallel()
	g := newRNG(77, 0)
	for range 500 {
		rows, cols := 2+int(g.uniform()*6), 2+int(g.uniform()*6)
		cells := make([][]int, rows)
		for i := range cells {
			cells[i] = make([]int, cols)
			for j := range cells[i] {
				cells[i][j] = int(g.uniform() * 30)
			}
		}
		mask, err := Suppress(cells, 5)
		if err != nil {
			t.Fatal(err)
		}
		checkProtected(t, cells, 5, mask)
	}
}
