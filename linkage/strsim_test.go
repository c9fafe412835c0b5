package linkage

import (
	"math"
	"testing"
)

func TestJaroWinkler(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		a, b string
		want float64
	}{
		// Winkler's own examples.
		{"martha", "marhta", 0.9611},
		{"dwayne", "duane", 0.84},
		{"dixon", "dicksonx", 0.8133},
		{"same", "same", 1},
		{"", "abc", 0},
		{"abc", "xyz", 0},
	} {
		for _, ab := range [][2]string{{tc.a, tc.b}, {tc.b, tc.a}} {
			if got := JaroWinkler(ab[0], ab[1]); math.Abs(got-tc.want) > 0.001 {
				t.Errorf("JaroWinkler(%q, %q) = %.4f, want %.4f", ab[0], ab[1], got, tc.want)
			}
		}
	}
	long := "a very long value of more than sixty-four bytes, which takes the slice path"
	if got := JaroWinkler(long, long+"!"); got < 0.98 || got >= 1 {
		t.Errorf("long strings: %v", got)
	}
}

func TestEditDistance(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		a, b  string
		limit int
		want  int
	}{
		{"4881", "4881", 2, 0},
		{"4881", "4818", 2, 1}, // adjacent transposition
		{"4881", "4891", 2, 1},
		{"4881", "881", 2, 1},
		{"4881", "4918", 2, 2},
		{"4881", "1234", 2, 3}, // beyond the limit: limit+1
		{"19560409", "19650409", 1, 1},
		{"", "12", 2, 2},
		{"1234567", "12", 2, 3},
	} {
		for _, ab := range [][2]string{{tc.a, tc.b}, {tc.b, tc.a}} {
			if got := EditDistance(ab[0], ab[1], tc.limit); got != tc.want {
				t.Errorf("EditDistance(%q, %q, %d) = %d, want %d", ab[0], ab[1], tc.limit, got, tc.want)
			}
		}
	}
}
