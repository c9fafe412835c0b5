package estimate

import (
	"math"
	"strings"
	"testing"
)

func TestTwoList(t *testing.T) {
	t.Parallel()
	// n1 = 100, n2 = 80, m = 20; values computed by hand from the formulas.
	tb := &Table{Lists: []string{"A", "B"}, Cells: map[uint32]int{1: 80, 2: 60, 3: 20}}
	tests := []struct {
		name     string
		f        func(*Table) (Result, error)
		est, se  float64
		lo, hi   float64
		warnings int
	}{
		{"chapman", Chapman, 388.57142857142856, math.Sqrt(4047.495361781076), 293.8155231202513, 0, 0},
		{"lincoln-petersen", LincolnPetersen, 400, 69.2820323027551, 400 - z975*69.2820323027551, 400 + z975*69.2820323027551, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r, err := tc.f(tb)
			if err != nil {
				t.Fatal(err)
			}
			if r.Observed != 160 || math.Abs(r.Estimate-tc.est) > 1e-9 || math.Abs(r.SE-tc.se) > 1e-9 {
				t.Errorf("got n=%d N=%.10g se=%.10g", r.Observed, r.Estimate, r.SE)
			}
			if math.Abs(r.Interval[0]-tc.lo) > 1e-6 || (tc.hi > 0 && math.Abs(r.Interval[1]-tc.hi) > 1e-6) {
				t.Errorf("interval %v", r.Interval)
			}
			if len(r.Warnings) != tc.warnings {
				t.Errorf("warnings %v", r.Warnings)
			}
		})
	}
	// Chao's interval: f0 = N − n, C = exp(1.96·sqrt(ln(1+var/f0²))).
	r, _ := Chapman(tb)
	f0 := r.Estimate - 160
	c := math.Exp(z975 * math.Sqrt(math.Log(1+r.SE*r.SE/(f0*f0))))
	if math.Abs(r.Interval[1]-(160+f0*c)) > 1e-9 {
		t.Errorf("upper %v", r.Interval[1])
	}
}

func TestTwoListEdgeCases(t *testing.T) {
	t.Parallel()
	none := &Table{Lists: []string{"A", "B"}, Cells: map[uint32]int{1: 8, 2: 6}}
	if _, err := LincolnPetersen(none); err == nil {
		t.Error("Lincoln–Petersen without overlap succeeded")
	}
	r, err := Chapman(none)
	if err != nil || len(r.Warnings) == 0 || !strings.Contains(r.Warnings[0], "do not overlap") {
		t.Errorf("Chapman without overlap: %v %v", r.Warnings, err)
	}
	all := &Table{Lists: []string{"A", "B"}, Cells: map[uint32]int{3: 12}}
	r, err = Chapman(all)
	if err != nil || r.Estimate != 12 || r.Interval != (Interval{12, 12}) {
		t.Errorf("complete overlap: %+v %v", r, err)
	}
	if _, err := Chapman(load(t, "kosovo.csv")); err == nil {
		t.Error("Chapman on 4 lists succeeded")
	}
	// Estimate picks the pair.
	r, err = Estimate(load(t, "kosovo.csv"), Options{Method: MethodChapman, Pair: [2]int{0, 2}})
	if err != nil || r.Lists[0] != "EXH" || r.Lists[1] != "OSCE" {
		t.Errorf("pair: %+v %v", r, err)
	}
	if _, err := Estimate(all, Options{Method: "magic"}); err == nil {
		t.Error("unknown method accepted")
	}
}
