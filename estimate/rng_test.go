package estimate

import (
	"fmt"
	"math"
	"slices"
	"testing"
)

// chiSquare compares counts of draws with expected probabilities, pooling
// cells with expected count below 5 into their neighbour, and returns the
// statistic and its degrees of freedom.
func chiSquare(counts map[int]int, pmf func(int) float64, lo, hi int, draws int) (float64, int) {
	stat, df := 0.0, -1
	obs, exp := 0.0, 0.0
	for x := lo; x <= hi; x++ {
		obs += float64(counts[x])
		exp += pmf(x) * float64(draws)
		if exp >= 5 || x == hi {
			if exp > 0 {
				stat += (obs - exp) * (obs - exp) / exp
				df++
			}
			obs, exp = 0, 0
		}
	}
	return stat, df
}

// chiSquareOK accepts a statistic below df + 6·sqrt(2·df) (about 6 standard
// deviations): with fixed seeds the tests are deterministic, and a real
// error in a sampler shows as a statistic far above it.
func chiSquareOK(stat float64, df int) bool {
	return df <= 0 || stat < float64(df)+6*math.Sqrt(2*float64(df))
}

func binomialPMF(n int, p float64) func(int) float64 {
	return func(x int) float64 {
		if x < 0 || x > n {
			return 0
		}
		return math.Exp(logFactorial(float64(n)) - logFactorial(float64(x)) - logFactorial(float64(n-x)) +
			float64(x)*math.Log(p) + float64(n-x)*math.Log1p(-p))
	}
}

func TestBinomialExact(t *testing.T) {
	t.Parallel()
	cases := []struct {
		n int
		p float64
	}{
		{1, 0.3}, {5, 0.01}, {10, 0.5}, {30, 0.02}, {1000, 0.0005}, {2, 0.45},
		{100, 0.05}, {6000, 0.001}, {50, 0.19}, {50, 0.3}, {1000, 0.02},
		{5000, 0.4}, {200, 0.97}, {17, 0.5}, {40, 0.999}, {12, 0.9}, {100000, 0.3},
	}
	for i, c := range cases {
		t.Run(fmt.Sprintf("n=%d,p=%g", c.n, c.p), func(t *testing.T) {
			t.Parallel()
			// binomial from p; then binomialW from the weights p and 1 − p
			// scaled, as the sampler gives them (the larger side drawn
			// as the complement).
			for v, withTable := range []bool{false, true, true} {
				g := newRNG(uint64(100+i), 7)
				if withTable {
					g.tableLogFactorial(4096)
				}
				const draws = 200_000
				counts := map[int]int{}
				sum := 0.0
				wa, wb := 3.7*c.p, 3.7*(1-c.p)
				for range draws {
					var x int
					if v < 2 {
						x = g.binomial(c.n, c.p)
					} else {
						x = g.binomialW(c.n, wa, wb, 1/(wa+wb))
					}
					if x < 0 || x > c.n {
						t.Fatalf("draw %d outside [0,%d]", x, c.n)
					}
					counts[x]++
					sum += float64(x)
				}
				stat, df := chiSquare(counts, binomialPMF(c.n, c.p), 0, c.n, draws)
				if !chiSquareOK(stat, df) {
					t.Errorf("variant %d: chi-square %.1f on %d df; mean %.4f want %.4f", v, stat, df, sum/draws, float64(c.n)*c.p)
				}
			}
		})
	}
}

func TestPoissonExact(t *testing.T) {
	t.Parallel()
	for i, mu := range []float64{0.2, 3, 9.9, 10, 25, 400, 6000} {
		g := newRNG(uint64(200+i), 1)
		g.tableLogFactorial(1000)
		const draws = 200_000
		counts := map[int]int{}
		for range draws {
			counts[int(g.poisson(mu))]++
		}
		pmf := func(x int) float64 {
			return math.Exp(-mu + float64(x)*math.Log(mu) - logFactorial(float64(x)))
		}
		hi := int(mu + 12*math.Sqrt(mu) + 20)
		stat, df := chiSquare(counts, pmf, 0, hi, draws)
		if !chiSquareOK(stat, df) {
			t.Errorf("mu=%g: chi-square %.1f on %d df", mu, stat, df)
		}
	}
}

func TestNegBinomialMoments(t *testing.T) {
	t.Parallel()
	g := newRNG(5, 5)
	const draws = 100_000
	r, q := 4400.0, 0.6
	var m, m2 float64
	for range draws {
		x := float64(g.negBinomial(r, q))
		m += x
		m2 += x * x
	}
	m /= draws
	v := m2/draws - m*m
	wantM, wantV := r*q/(1-q), r*q/((1-q)*(1-q))
	if math.Abs(m-wantM) > 5*math.Sqrt(wantV/draws) {
		t.Errorf("mean %.2f, want %.2f", m, wantM)
	}
	if math.Abs(v/wantV-1) > 0.03 {
		t.Errorf("variance %.1f, want %.1f", v, wantV)
	}
}

// TestBetaExact checks the beta draws of the capture probabilities
// against the exact law, for the integer shapes the sampler uses: for
// Beta(a, b) with integer a, b, P(X ≤ x) = P(Bin(a+b−1, x) ≥ a), which
// gives the probability of each of 40 bins of [0, 1]. (X/(X+Y) from two
// gamma variates for a, b > 1; the inversions when a or b is 1.)
func TestBetaExact(t *testing.T) {
	t.Parallel()
	cases := []struct{ a, b int }{{2, 2}, {1, 5}, {5, 1}, {2, 40}, {3, 2}, {30, 70}, {140, 1000}, {1000, 2}, {6, 6000}}
	for i, c := range cases {
		t.Run(fmt.Sprintf("Beta(%d,%d)", c.a, c.b), func(t *testing.T) {
			t.Parallel()
			g := newRNG(uint64(500+i), 4)
			const bins, draws = 40, 200_000
			// Bins of equal width in the middle 99.9% of the law: find
			// its ends by bisection on the exact distribution function.
			cdf := func(x float64) float64 {
				n := c.a + c.b - 1
				pmf := binomialPMF(n, x)
				s := 0.0
				for k := c.a; k <= n; k++ {
					s += pmf(k)
				}
				return s
			}
			quant := func(p float64) float64 {
				lo, hi := 0.0, 1.0
				for range 60 {
					if mid := (lo + hi) / 2; cdf(mid) < p {
						lo = mid
					} else {
						hi = mid
					}
				}
				return lo
			}
			lo, hi := quant(0.0005), quant(0.9995)
			// beta, then betaInt with and without the table of the
			// gamma sampler's constants.
			for v := range 3 {
				if v == 2 {
					g.tableGamma(64)
				}
				counts := map[int]int{}
				for range draws {
					var x float64
					if v == 0 {
						x = g.beta(float64(c.a), float64(c.b))
					} else {
						x = g.betaInt(int64(c.a), int64(c.b))
					}
					if !(x >= 0 && x <= 1) {
						t.Fatalf("draw %g", x)
					}
					bin := int(math.Floor((x - lo) / (hi - lo) * bins))
					counts[min(max(bin, -1), bins)]++
				}
				edge := func(i int) float64 {
					switch {
					case i < 0:
						return 0
					case i > bins:
						return 1
					}
					return cdf(lo + (hi-lo)*float64(i)/bins)
				}
				probs := func(i int) float64 { return edge(i+1) - edge(i) }
				stat, df := chiSquare(counts, probs, -1, bins, draws)
				if !chiSquareOK(stat, df) {
					t.Errorf("variant %d: chi-square %.1f on %d df", v, stat, df)
				}
			}
		})
	}
}

func TestGammaBetaMoments(t *testing.T) {
	t.Parallel()
	tests := []struct{ a, b float64 }{{0.05, 1}, {0.5, 3}, {1, 1}, {1, 20}, {20, 1}, {1, 4400}, {3.5, 0.7}, {120, 4000}, {0.01, 0.02}}
	for i, c := range tests {
		g := newRNG(uint64(300+i), 2)
		const draws = 200_000
		var m, m2, ml float64
		for range draws {
			x := g.beta(c.a, c.b)
			if !(x >= 0 && x <= 1) {
				t.Fatalf("Beta(%g,%g) draw %g", c.a, c.b, x)
			}
			v, l1mv := g.betaLog(c.a, c.b)
			if math.Abs(math.Exp(l1mv)-(1-v)) > 1e-12 {
				t.Fatalf("betaLog: exp(log(1-v)) = %g, 1-v = %g", math.Exp(l1mv), 1-v)
			}
			m += x
			m2 += x * x
			ml += v
		}
		m /= draws
		ml /= draws
		v := m2/draws - m*m
		wantM := c.a / (c.a + c.b)
		wantV := c.a * c.b / ((c.a + c.b) * (c.a + c.b) * (c.a + c.b + 1))
		se := math.Sqrt(wantV / draws)
		if math.Abs(m-wantM) > 6*se || math.Abs(ml-wantM) > 6*se {
			t.Errorf("Beta(%g,%g): mean %g / %g, want %g", c.a, c.b, m, ml, wantM)
		}
		if math.Abs(v/wantV-1) > 0.05 {
			t.Errorf("Beta(%g,%g): variance %g, want %g", c.a, c.b, v, wantV)
		}
	}
	for i, a := range []float64{0.1, 0.7, 1, 2.5, 30, 4400} {
		g := newRNG(uint64(400+i), 3)
		const draws = 200_000
		var m, m2 float64
		for range draws {
			x := g.gamma(a)
			m += x
			m2 += x * x
		}
		m /= draws
		v := m2/draws - m*m
		if math.Abs(m-a) > 6*math.Sqrt(a/draws) || math.Abs(v/a-1) > 0.05 {
			t.Errorf("Gamma(%g): mean %g var %g", a, m, v)
		}
	}
}

func TestLogFactorial(t *testing.T) {
	t.Parallel()
	for k := 0; k < 3000; k++ {
		want, _ := math.Lgamma(float64(k) + 1)
		if got := logFactorial(float64(k)); math.Abs(got-want) > 1e-12*math.Max(1, want) {
			t.Fatalf("logFactorial(%d) = %.15g, want %.15g", k, got, want)
		}
	}
}

// TestNormalExact checks the ziggurat against the normal distribution
// function on bins of width 0.2, out to the tail beyond 3.44.
func TestNormalExact(t *testing.T) {
	t.Parallel()
	g := newRNG(17, 4)
	const draws = 1_000_000
	counts := map[int]int{}
	var m, m2, m4 float64
	for range draws {
		x := g.normal()
		m += x
		m2 += x * x
		m4 += x * x * x * x
		counts[int(math.Floor(x*5))]++ // bin [k/5, (k+1)/5)
	}
	cdf := func(x float64) float64 { return 0.5 * math.Erfc(-x/math.Sqrt2) }
	pmf := func(k int) float64 {
		switch k {
		case -30:
			return cdf(-29.0 / 5)
		case 29:
			return 1 - cdf(29.0/5)
		}
		return cdf(float64(k+1)/5) - cdf(float64(k)/5)
	}
	// Fold the far tails into the end bins.
	for k, n := range counts {
		if k < -30 {
			counts[-30] += n
			delete(counts, k)
		} else if k > 29 {
			counts[29] += n
			delete(counts, k)
		}
	}
	stat, df := chiSquare(counts, pmf, -30, 29, draws)
	if !chiSquareOK(stat, df) {
		t.Errorf("chi-square %.1f on %d df", stat, df)
	}
	m /= draws
	if math.Abs(m) > 5/math.Sqrt(draws) || math.Abs(m2/draws-1) > 0.01 || math.Abs(m4/draws-3) > 0.05 {
		t.Errorf("moments: mean %g, E x² %g, E x⁴ %g", m, m2/draws, m4/draws)
	}
}

// TestStreams: the chains of one seed, and the same chain of two seeds,
// draw different sequences; a generator is reproducible.
func TestStreams(t *testing.T) {
	t.Parallel()
	first := func(seed, stream uint64) [4]uint64 {
		g := newRNG(seed, stream)
		return [4]uint64{g.Uint64(), g.Uint64(), g.Uint64(), g.Uint64()}
	}
	seen := map[[4]uint64]bool{}
	for seed := range uint64(3) {
		for stream := range uint64(4) {
			f := first(seed, stream)
			if seen[f] {
				t.Errorf("seed %d stream %d repeats another's sequence", seed, stream)
			}
			seen[f] = true
			if first(seed, stream) != f {
				t.Errorf("seed %d stream %d is not reproducible", seed, stream)
			}
		}
	}
}

// TestXoshiro checks the generator against the reference
// implementation's first outputs from the state {1, 2, 3, 4}.
func TestXoshiro(t *testing.T) {
	t.Parallel()
	g := &rng{s: [4]uint64{1, 2, 3, 4}}
	for i, want := range []uint64{41943041, 58720359} {
		if got := g.Uint64(); got != want {
			t.Errorf("output %d: %d, want %d", i, got, want)
		}
	}
}

// TestCategoricalExact checks the per-person class draws against their
// law, for both forms of the search (up to 16 classes, padded or not;
// more, or a tiny total), with classes of weight 0 among and after the
// others.
func TestCategoricalExact(t *testing.T) {
	t.Parallel()
	cases := [][]float64{
		{0.5, 0.5},
		{0.2, 0, 0.3, 0.5, 0},
		{1e-6, 0.3, 0.3, 0.2, 0.1, 0.05, 0.04, 0.01},
		{0.22, 0.18, 0.15, 0.12, 0.1, 0.08, 0.07, 0.05, 0.02},
		{0.22, 0.18, 0.15, 0.12, 0.1, 0.08, 0.07, 0.05, 0.02, 0.01, 0, 0.003},
		{0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.05, 0.02, 0.02, 0.02, 0.02, 0.02},
		{0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.05, 0.05, 0.02, 0.02, 0.02, 0.02, 0.01, 0.01, 0.01, 0, 0.01},
		{0, 0, 1},
		{3e-300, 0, 1e-300, 2e-300}, // total below 2^−900
	}
	for ci, w := range cases {
		t.Run(fmt.Sprint(len(w)), func(t *testing.T) {
			t.Parallel()
			g := newRNG(uint64(900+ci), 3)
			total := 0.0
			for _, v := range w {
				total += v
			}
			cnt := make([]int64, len(w))
			const calls, per = 20_000, 13
			for range calls {
				g.categorical(per, w, total, cnt)
			}
			obs := map[int]int{}
			for l, c := range cnt {
				if w[l] == 0 && c != 0 {
					t.Fatalf("class %d of weight 0 got %d", l, c)
				}
				obs[l] = int(c)
			}
			stat, df := chiSquare(obs, func(l int) float64 { return w[l] / total }, 0, len(w)-1, calls*per)
			if !chiSquareOK(stat, df) {
				t.Errorf("chi-square %.1f on %d df; counts %v", stat, df, cnt)
			}
		})
	}
}

// TestCategoricalStream: categorical takes one output of the generator a
// person, the class of output r being the number of boundaries at or
// below r>>1, and leaves the generator where as many Uint64 calls would.
func TestCategoricalStream(t *testing.T) {
	t.Parallel()
	w := []float64{0.3, 0, 0.25, 0.2, 0.15, 0.05, 0.03, 0.01, 0.01}
	g, h := newRNG(42, 2), newRNG(42, 2)
	for _, x := range []int64{0, 1, 7, 100} {
		cnt := make([]int64, len(w))
		g.categorical(x, w, 1, cnt)
		want := make([]int64, len(w))
		for range x {
			u := h.Uint64() >> 1
			l, cum := 0, 0.0
			for i, v := range w[:len(w)-1] {
				cum += v
				if uint64(min(cum*0x1p63, 0x1p63)) <= u {
					l = i + 1
				}
			}
			want[l]++
		}
		if !slices.Equal(cnt, want) || g.s != h.s {
			t.Fatalf("x=%d: counts %v, want %v; state %x, want %x", x, cnt, want, g.s, h.s)
		}
	}
}

// TestGammaTable: the tabled constants of gammaInt are those gamma
// computes, so both give the same variate from the same generator.
func TestGammaTable(t *testing.T) {
	t.Parallel()
	g, h := newRNG(3, 0), newRNG(3, 0)
	g.tableGamma(100)
	for _, a := range []int64{1, 2, 3, 63, 99, 100, 101, 5000, 1e9} {
		for range 50 {
			if x, y := g.gammaInt(a), h.gamma(float64(a)); x != y {
				t.Fatalf("shape %d: gammaInt %v, gamma %v", a, x, y)
			}
		}
	}
}
