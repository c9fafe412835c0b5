package linkage

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

// keyed returns a rule whose keys for record i are keys[i].
func keyed(name string, keys [][]uint64) Rule {
	return Rule{Name: name, Keys: func(i int, dst []uint64) []uint64 { return append(dst, keys[i]...) }}
}

func unpacked(pairs []uint64) string {
	var s []string
	for _, p := range pairs {
		a, b := UnpackPair(p)
		s = append(s, fmt.Sprintf("%d-%d", a, b))
	}
	return fmt.Sprint(s)
}

func TestCandidates(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	// Records 0, 1, 2 share key 1 in rule a; 1 and 2 share key 2 in rule a
	// too (one pair, counted once); rule b pairs 2 with 3 and, again, 0
	// with 1.
	a := keyed("a", [][]uint64{{1}, {1, 2}, {1, 2}, {9}})
	b := keyed("b", [][]uint64{{5}, {5}, {7}, {7}})
	pairs, stats, err := Candidates(ctx, 4, []Rule{a, b}, 2)
	if err != nil {
		t.Fatal(err)
	}
	if got := unpacked(pairs); got != "[0-1 0-2 1-2 2-3]" {
		t.Fatalf("pairs = %s", got)
	}
	if stats[0].Pairs != 4 || stats[1].Pairs != 2 || stats[0].Blocks != 2 {
		t.Fatalf("stats = %+v", stats)
	}
	// A block above MaxBlock pairs nothing.
	big := keyed("big", [][]uint64{{1}, {1}, {1}, {2}})
	big.MaxBlock = 2
	pairs, stats, _ = Candidates(ctx, 4, []Rule{big}, 1)
	if len(pairs) != 0 || stats[0].Skipped != 1 {
		t.Fatalf("oversized block: %s %+v", unpacked(pairs), stats)
	}
	// A probe rule pairs only pairs with a probe in them.
	probe := keyed("probe", [][]uint64{{1}, {1}, {1}, {1}})
	probe.Probe = func(i int) bool { return i == 3 }
	pairs, stats, _ = Candidates(ctx, 4, []Rule{probe}, 2)
	if got := unpacked(pairs); got != "[0-3 1-3 2-3]" || stats[0].Pairs != 3 {
		t.Fatalf("probe: %s %+v", got, stats)
	}
}

// TestBudget checks that a rule over budget pairs its smallest blocks
// first.
func TestBudget(t *testing.T) {
	t.Parallel()
	n := 2000
	keys := make([][]uint64, n)
	for i := range keys {
		switch {
		case i < 1000:
			keys[i] = []uint64{1} // one block of 1000: 499,500 pairs
		default:
			keys[i] = []uint64{uint64(2 + i/2)} // 500 blocks of two
		}
	}
	r := keyed("budget", keys)
	r.MaxBlock = 5000
	r.Budget = 1
	pairs, stats, err := Candidates(context.Background(), n, []Rule{r}, 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(pairs) != 500 || stats[0].Skipped != 1 {
		t.Fatalf("%d pairs, %+v: want the 500 small blocks only", len(pairs), stats)
	}
}

func TestRadixSortPairs(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(3, 4))
	for _, n := range []int{10, 5000, 1 << 21} {
		a := make([]uint64, 50000)
		for i := range a {
			x, y := int32(rng.IntN(n)), int32(rng.IntN(n))
			a[i] = PackPair(min(x, y), max(x, y))
		}
		want := slices.Clone(a)
		slices.Sort(want)
		if got := radixSortPairs(a, n); !slices.Equal(got, want) {
			t.Fatalf("n = %d: radix sort differs from sort", n)
		}
	}
}

func TestTrainingPairs(t *testing.T) {
	t.Parallel()
	n := 3000
	keys := make([][]uint64, n)
	for i := range keys {
		keys[i] = []uint64{uint64(i % 3)} // three blocks of 1000
	}
	r := keyed("train", keys)
	r.MaxBlock = 100000
	m, _ := NewModel([]Comparison{fixed{"x", []string{"same"}}})
	pairs, err := TrainingPairs(context.Background(), m, n, r, 1_000_000, 2)
	if err != nil {
		t.Fatal(err)
	}
	// Each block gives the pairs of about SampleBlock of its records.
	per := SampleBlock * (SampleBlock - 1) / 2
	if len(pairs) < 3*per/2 || len(pairs) > 3*per*2 {
		t.Fatalf("%d training pairs, want about %d", len(pairs), 3*per)
	}
	limited, _ := TrainingPairs(context.Background(), m, n, r, 10, 2)
	if len(limited) >= len(pairs) {
		t.Fatalf("limit ignored: %d pairs", len(limited))
	}
}

func TestRadixSortEntries(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(5, 6))
	for _, n := range []int{100, 50000} {
		a := make([]entry, n)
		for i := range a {
			// Few distinct keys, so that blocks are long and stability
			// shows; some sharing their top bits only.
			k := mix(uint64(rng.IntN(n / 10)))
			if rng.IntN(4) == 0 {
				k = k&^0xffff | uint64(rng.IntN(3))
			}
			a[i] = entry{k, int32(i)}
		}
		want := slices.Clone(a)
		slices.SortStableFunc(want, func(x, y entry) int {
			switch {
			case x.key < y.key:
				return -1
			case x.key > y.key:
				return 1
			}
			return 0
		})
		if got := radixSort(a); !slices.Equal(got, want) {
			t.Fatalf("n = %d: radix sort differs from a stable sort", n)
		}
	}
}
