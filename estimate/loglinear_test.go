package estimate

import (
	"encoding/json"
	"math"
	"strings"
	"testing"
)

// TestLogLinearPublished reproduces the published log-linear estimates of
// the datasets' README.
func TestLogLinearPublished(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		file      string
		model     string // fixed model, or "" to search
		maxOrder  int
		wantModel string
		want      float64
		digits    int // decimals published
	}{
		{"kosovo independence", "kosovo.csv", "[1,2,3,4]", 0, "[1,2,3,4]", 7394.6, 1},
		{"kosovo best BIC two-way", "kosovo.csv", "", 2, "[12,13,14,23,34]", 14341.7, 1},
		{"kosovo best BIC three-way", "kosovo.csv", "", 3, "[123,14,34]", 10356.5, 1},
		{"kosovo Ball et al. 2002, by list names", "kosovo.csv", "EXH*ABA*OSCE,EXH*HRW,OSCE*HRW", 0, "[123,14,34]", 10356.5, 1},
		{"UK Silverman 2014", "uk_5list.csv", "[12,13,24,25,35,45]", 0, "[12,13,24,25,35,45]", 11313, 0},
		{"Palembang [12,23]", "korean_women_palembang.csv", "[12,23]", 0, "[12,23]", 157.17, 2},
		{"Palembang [12,3]", "korean_women_palembang.csv", "[12,3]", 0, "[12,3]", 268.78, 2},
		{"Palembang independence", "korean_women_palembang.csv", "[1,2,3]", 0, "[1,2,3]", 141.99, 2},
		// The same data without the explicit zero row.
		{"Palembang [12,23] (extra)", "extra/korea_palembang.csv", "[12,23]", 0, "[12,23]", 157.17, 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r, err := LogLinear(load(t, tc.file), Options{Model: tc.model, MaxOrder: tc.maxOrder})
			if err != nil {
				t.Fatal(err)
			}
			scale := math.Pow(10, float64(tc.digits))
			if got := math.Round(r.Estimate*scale) / scale; got != tc.want || r.Model != tc.wantModel {
				t.Errorf("got %s N=%.4f, want %s N=%v", r.Model, r.Estimate, tc.wantModel, tc.want)
			}
			if !(r.Interval[0] <= r.Estimate && r.Estimate <= r.Interval[1]) || r.Interval[0] < float64(r.Observed) {
				t.Errorf("interval %v does not hold the estimate %.1f above n=%d", r.Interval, r.Estimate, r.Observed)
			}
		})
	}
}

// TestLogLinearSelection checks the criteria's arithmetic and the order
// of the models table.
func TestLogLinearSelection(t *testing.T) {
	t.Parallel()
	tb := load(t, "kosovo.csv")
	for _, crit := range []string{CriterionBIC, CriterionAIC} {
		r, err := LogLinear(tb, Options{Criterion: crit})
		if err != nil {
			t.Fatal(err)
		}
		if len(r.Models) != 64 || len(r.NoMLE) != 0 {
			t.Fatalf("%s: %d models, %d without MLE; want 64, 0", crit, len(r.Models), len(r.NoMLE))
		}
		lnN := math.Log(4400)
		for i, m := range r.Models {
			if math.Abs(m.AIC-(m.Deviance+2*float64(m.Params))) > 1e-9 || math.Abs(m.BIC-(m.AIC+(lnN-2)*float64(m.Params))) > 1e-9 {
				t.Errorf("%s: AIC/BIC arithmetic", m.Model)
			}
			if m.DF != 15-m.Params {
				t.Errorf("%s: df %d", m.Model, m.DF)
			}
			if i > 0 {
				prev, cur := r.Models[i-1].BIC, m.BIC
				if crit == CriterionAIC {
					prev, cur = r.Models[i-1].AIC, m.AIC
				}
				if cur < prev {
					t.Errorf("%s: models not sorted by criterion", crit)
				}
			}
		}
		if r.Model != r.Models[0].Model || r.Criterion != crit {
			t.Errorf("%s: chosen %s, first row %s", crit, r.Model, r.Models[0].Model)
		}
	}
}

// TestMLEExistence checks the linear-programming criterion against what
// IRLS does when left alone: where no MLE exists, a parameter runs away
// and IRLS never meets its convergence test (β still moving after 200
// Newton steps) while the fitted zero cells go towards 0; where it
// exists, IRLS converges.
func TestMLEExistence(t *testing.T) {
	t.Parallel()
	for _, file := range []string{"uk_5list.csv", "korean_women_palembang.csv", "extra/neworleans_5list.csv", "extra/western_us.csv"} {
		tb := load(t, file)
		ps, y := llCells(tb)
		models, err := EnumerateModels(tb.J(), 2, maxModels)
		if err != nil {
			t.Fatal(err)
		}
		var none, some int
		for _, m := range models {
			d := newDesign(m, ps)
			exists := mleExists(d, y)
			f := fitPoisson(d, y, nil)
			minMu := math.Inf(1)
			for _, v := range f.mu {
				minMu = math.Min(minMu, v)
			}
			if exists {
				some++
				if !f.converged || !(minMu > 0) {
					t.Errorf("%s %s: LP says the MLE exists, IRLS converged=%v min μ=%g", file, m, f.converged, minMu)
				}
			} else {
				none++
				if f.converged || minMu > 1e-6 {
					t.Errorf("%s %s: LP says no MLE, but IRLS converged=%v with min μ=%g", file, m, f.converged, minMu)
				}
			}
		}
		t.Logf("%s: %d models with an MLE, %d without", file, some, none)
		if file == "uk_5list.csv" && none != 512 {
			// LA and GP (lists 1 and 5) never overlap: every model with
			// the term 15 has no MLE, and only those.
			t.Errorf("UK: %d models without MLE, want 512", none)
		}
	}
}

// TestProfileInterval checks that the interval ends are where the
// profile deviance crosses 3.84.
func TestProfileInterval(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ file, model string }{
		{"kosovo.csv", "[1,2,3,4]"}, {"kosovo.csv", "[123,14,34]"}, {"korean_women_palembang.csv", "[12,23]"},
	} {
		tb := load(t, tc.file)
		m, err := ParseModel(tc.model, tb.Lists)
		if err != nil {
			t.Fatal(err)
		}
		ps, y := llCells(tb)
		n := tb.Observed()
		_, g, ok := fitModel(m, ps, y, n)
		if !ok {
			t.Fatal("no fit")
		}
		lo, hi := profileInterval(m, n, y, g.beta)
		// Recompute the profile log-likelihood independently on a grid.
		full := append([]float64{0}, y...)
		fps := make([]uint32, len(full))
		for i := range fps {
			fps[i] = uint32(i)
		}
		d := newDesign(m, fps)
		ll := func(bigN float64) float64 {
			full[0] = bigN - float64(n)
			f := fitPoisson(d, full, nil)
			a, _ := math.Lgamma(bigN + 1)
			b, _ := math.Lgamma(full[0] + 1)
			l := a - b
			for i, v := range full {
				if v > 0 {
					l += v * math.Log(f.mu[i]/bigN)
				}
			}
			return l
		}
		best := math.Inf(-1)
		for x := lo; x <= hi; x += (hi - lo) / 400 {
			best = math.Max(best, ll(x))
		}
		for _, end := range []float64{lo, hi} {
			if d := 2 * (best - ll(end)); math.Abs(d-chi2_95) > 0.01 {
				t.Errorf("%s %s: deviance %.4f at end %.2f, want 3.84", tc.file, tc.model, d, end)
			}
		}
	}
}

func TestLogLinearErrors(t *testing.T) {
	t.Parallel()
	noOverlap := &Table{Lists: []string{"a", "b", "c"}, Cells: map[uint32]int{1: 5, 2: 7, 4: 9}}
	if _, err := LogLinear(noOverlap, Options{}); err == nil || !strings.Contains(err.Error(), "no record is on two lists") {
		t.Errorf("no overlap: %v", err)
	}
	pal := load(t, "korean_women_palembang.csv")
	if _, err := LogLinear(pal, Options{Model: "[12,13,23]"}); err == nil || !strings.Contains(err.Error(), "no maximum likelihood estimate") {
		t.Errorf("saturated model with an empty cell: %v", err)
	}
	if _, err := LogLinear(pal, Options{Criterion: "dic"}); err == nil {
		t.Error("unknown criterion accepted")
	}
	if _, err := LogLinear(pal, Options{MaxOrder: -1}); err == nil {
		t.Error("negative order accepted")
	}
	if _, err := LogLinear(load(t, "extra/verdata_r1_hombre_1999.csv"), Options{}); err == nil {
		t.Error("20 lists accepted")
	}
}

// TestLogLinearTwoLists: with two lists the only model is independence,
// whose estimate is Lincoln–Petersen's n1·n2/m.
func TestLogLinearTwoLists(t *testing.T) {
	t.Parallel()
	tb := &Table{Lists: []string{"A", "B"}, Cells: map[uint32]int{1: 80, 2: 60, 3: 20}}
	r, err := LogLinear(tb, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if r.Model != "[1,2]" || len(r.Models) != 1 || math.Abs(r.Estimate-400) > 1e-6 {
		t.Errorf("got %s N=%v (%d models)", r.Model, r.Estimate, len(r.Models))
	}
}

func TestResultJSON(t *testing.T) {
	t.Parallel()
	r := Result{Method: MethodLogLinear, Observed: 10, Estimate: 12, Interval: Interval{10.5, math.Inf(1)}}
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `"interval":[10.5,null]`) {
		t.Errorf("JSON %s", b)
	}
	var back Result
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if back.Interval[0] != 10.5 || !math.IsInf(back.Interval[1], 1) {
		t.Errorf("interval back %v", back.Interval)
	}
	for _, key := range []string{`"method"`, `"observed"`, `"estimate"`, `"interval_method"`} {
		if !strings.Contains(string(b), key) {
			t.Errorf("JSON lacks %s: %s", key, b)
		}
	}
}
