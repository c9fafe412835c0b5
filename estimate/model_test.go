package estimate

import (
	"math/bits"
	"strings"
	"testing"
)

func TestParseModelString(t *testing.T) {
	t.Parallel()
	lists4 := []string{"EXH", "ABA", "OSCE", "HRW"}
	tests := []struct {
		in    string
		lists []string
		want  string
		terms int
	}{
		{"[1,2,3,4]", lists4, "[1,2,3,4]", 0},
		{"[12,13,14,23,34]", lists4, "[12,13,14,23,34]", 5},
		{"[123,14,34]", lists4, "[123,14,34]", 6},
		{"[34,14,123]", lists4, "[123,14,34]", 6},
		{"[12,123]", lists4, "[123,4]", 4},
		{"EXH*ABA*OSCE, EXH*HRW, OSCE·HRW", lists4, "[123,14,34]", 6},
		{"[1:2, 3:4]", lists4, "[12,34]", 2},
		{"[12,3]", []string{"b", "c", "d"}, "[12,3]", 1},
		{"[123,124,134,234]", lists4, "[123,124,134,234]", 10},
		{"[1:10,2:3]", strings.Split("a,b,c,d,e,f,g,h,i,j", ","), "[1:10,2:3,4,5,6,7,8,9]", 2},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			t.Parallel()
			m, err := ParseModel(tc.in, tc.lists)
			if err != nil {
				t.Fatal(err)
			}
			if m.String() != tc.want || len(m.Terms) != tc.terms {
				t.Errorf("got %s with %d terms, want %s with %d", m, len(m.Terms), tc.want, tc.terms)
			}
			back, err := ParseModel(m.String(), tc.lists)
			if err != nil || back.String() != m.String() {
				t.Errorf("re-parse of %s: %v %v", m, back, err)
			}
		})
	}
	for _, bad := range []string{"", "[]", "[15]", "[1,,2]", "[11]", "[EXH*FOO]", "[0]", "[1234]"} {
		if _, err := ParseModel(bad, lists4); err == nil {
			t.Errorf("ParseModel(%q) succeeded", bad)
		}
	}
}

// bruteForceHierarchical counts, by checking every set of interaction
// terms, the hierarchical models over j lists with order at most maxOrder.
func bruteForceHierarchical(j, maxOrder int) int {
	var terms []uint32
	for m := uint32(1); m < 1<<uint(j); m++ {
		if o := bits.OnesCount32(m); o >= 2 && o <= maxOrder {
			terms = append(terms, m)
		}
	}
	// faces[i]: the bitmask (over term indices) of term i's faces of
	// order ≥ 2.
	idx := map[uint32]int{}
	for i, tm := range terms {
		idx[tm] = i
	}
	faces := make([]uint64, len(terms))
	for i, tm := range terms {
		for r := tm; r != 0; r &= r - 1 {
			if face := tm &^ (r & -r); bits.OnesCount32(face) >= 2 {
				faces[i] |= 1 << uint(idx[face])
			}
		}
	}
	count := 0
	for sub := uint64(0); sub < 1<<uint(len(terms)); sub++ {
		ok := true
		for i := range terms {
			if sub&(1<<uint(i)) != 0 && faces[i]&^sub != 0 {
				ok = false
				break
			}
		}
		if ok {
			count++
		}
	}
	return count
}

func TestEnumerateModels(t *testing.T) {
	t.Parallel()
	tests := []struct{ j, order, want int }{
		{2, 2, 1}, {3, 2, 8}, {3, 3, 8}, {4, 2, 64}, {5, 2, 1024},
		{4, 3, 113}, {4, 4, 113}, {5, 3, -1},
	}
	for _, tc := range tests {
		want := tc.want
		if want < 0 {
			want = bruteForceHierarchical(tc.j, min(tc.order, tc.j-1))
		}
		ms, err := EnumerateModels(tc.j, tc.order, 1<<20)
		if err != nil {
			t.Fatal(err)
		}
		if len(ms) != want {
			t.Errorf("J=%d order %d: %d models, want %d", tc.j, tc.order, len(ms), want)
		}
		seen := map[string]bool{}
		for _, m := range ms {
			s := m.String()
			if seen[s] {
				t.Errorf("J=%d order %d: %s twice", tc.j, tc.order, s)
			}
			seen[s] = true
			if closed := closeTerms(m.Terms); len(closed) != len(m.Terms) || m.Order() > max(min(tc.order, tc.j-1), 1) {
				t.Errorf("%s is not hierarchical of order ≤ %d", s, tc.order)
			}
		}
	}
	if _, err := EnumerateModels(7, 2, 1000); err == nil {
		t.Error("no error beyond the model limit")
	}
}
