package estimate

import (
	"fmt"
	"math"
	"testing"
)

// TestMultinomialExact checks the cell multinomial sampler (conditional
// binomials with the per-person shortcut; the light classes drawn as a
// block, with the default threshold, two others, none light, or all
// light) against the exact law: the marginal of each class is
// Binomial(n, w_i/Σw), and for a small case the whole joint law. The
// case of 25 classes takes the categorical draws past 16 classes.
func TestMultinomialExact(t *testing.T) {
	t.Parallel()
	cases := []struct {
		n int64
		w []float64
	}{
		{3, []float64{0.5, 0.3, 0.2}},
		{7, []float64{0.6, 0.2, 0.1, 0.05, 0.05}},
		{40, []float64{0.4, 0.3, 0.1, 0.1, 0.05, 0.03, 0.01, 0.005, 0.004, 0.001}},
		{1131, []float64{0.7, 0.2, 0.05, 0.03, 0.01, 0.005, 0.003, 0.001, 0.0009, 0.0001}},
		{6000, []float64{1e-3, 0.5, 0.3, 1e-9, 0.1, 0.099, 0, 0, 0, 0}},
		{1000, []float64{3e-309, 1e-310, 2e-309, 0}}, // sums with infinite reciprocals
		{300, []float64{0.12, 0.1, 0.09, 0.08, 0.07, 0.06, 0.06, 0.05, 0.05, 0.04, 0.04, 0.03, 0.03,
			0.03, 0.02, 0.02, 0.02, 0.02, 0.01, 0.01, 0.01, 0.01, 0, 0.005, 0.005}},
	}
	for ci, c := range cases {
		for _, share := range []float64{defaultLightShare, 3, 0.1, 1e-9, 1e9} {
			t.Run(fmt.Sprintf("n=%d,share=%g", c.n, share), func(t *testing.T) {
				t.Parallel()
				k := len(c.w)
				ch := &lcChain{g: newRNG(uint64(ci), 11), k: k, tail: make([]float64, k+1),
					pos: make([]int, k), bw: make([]float64, k), cnt: make([]int64, k), ws: make([]float64, k), lightShare: share}
				draw := make([]int64, k)
				total := 0.0
				for _, v := range c.w {
					total += v
				}
				const draws = 100_000
				marg := make([]map[int]int, k)
				for i := range marg {
					marg[i] = map[int]int{}
				}
				joint := map[[3]int64]int{}
				for range draws {
					pos, cnt := ch.multinomial(c.n, c.w)
					clear(draw)
					for i, p := range pos {
						if draw[p] != 0 {
							t.Fatalf("class %d reported twice", p)
						}
						draw[p] = cnt[i]
					}
					var s int64
					for i, x := range draw {
						if x < 0 {
							t.Fatalf("negative count")
						}
						if c.w[i] == 0 && x != 0 {
							t.Fatalf("class %d of weight 0 got %d", i, x)
						}
						s += x
						marg[i][int(x)]++
					}
					if s != c.n {
						t.Fatalf("counts sum to %d, want %d", s, c.n)
					}
					if k == 3 {
						joint[[3]int64{draw[0], draw[1], draw[2]}]++
					}
				}
				for i := range k {
					p := c.w[i] / total
					if p == 0 {
						continue
					}
					stat, df := chiSquare(marg[i], binomialPMF(int(c.n), p), 0, int(c.n), draws)
					if !chiSquareOK(stat, df) {
						t.Errorf("class %d: chi-square %.1f on %d df", i, stat, df)
					}
				}
				if k == 3 {
					stat, df := 0.0, -1
					for a := int64(0); a <= c.n; a++ {
						for b := int64(0); a+b <= c.n; b++ {
							d := c.n - a - b
							lp := logFactorial(float64(c.n)) - logFactorial(float64(a)) - logFactorial(float64(b)) - logFactorial(float64(d)) +
								float64(a)*math.Log(c.w[0]/total) + float64(b)*math.Log(c.w[1]/total) + float64(d)*math.Log(c.w[2]/total)
							e := math.Exp(lp) * draws
							o := float64(joint[[3]int64{a, b, d}])
							stat += (o - e) * (o - e) / e
							df++
						}
					}
					if !chiSquareOK(stat, df) {
						t.Errorf("joint: chi-square %.1f on %d df", stat, df)
					}
				}
			})
		}
	}
}

// refLCMCR is a deliberately plain per-person Gibbs sampler of the same
// model (Manrique-Vallier 2016): one class label per person, observed and
// unseen, drawn one at a time. It shares nothing with lcChain except the
// gamma/beta/negative-binomial variates (tested on their own) and serves
// to check that working on cells instead of people changes nothing.
func refLCMCR(tab *Table, k int, seed uint64, burn, iters int) []float64 {
	g := newRNG(seed, 99)
	j := tab.J()
	var obs []uint32
	for _, p := range tab.Patterns() {
		for range tab.Count(p) {
			obs = append(obs, p)
		}
	}
	n := len(obs)
	lam := make([]float64, k*j)
	pi := make([]float64, k)
	for i := range lam {
		lam[i] = 0.2 + 0.6*g.uniform()
	}
	for i := range pi {
		pi[i] = 1 / float64(k)
	}
	alpha := 1.0
	prob := make([]float64, k)
	nk := make([]float64, k)
	sjk := make([]float64, k*j)
	draw := func(pat uint32) int {
		tot := 0.0
		for c := range k {
			q := pi[c]
			for l := range j {
				if pat&(1<<uint(l)) != 0 {
					q *= lam[c*j+l]
				} else {
					q *= 1 - lam[c*j+l]
				}
			}
			prob[c] = q
			tot += q
		}
		u := g.uniform() * tot
		for c := range k - 1 {
			if u < prob[c] {
				return c
			}
			u -= prob[c]
		}
		return k - 1
	}
	var out []float64
	for it := range burn + iters {
		pi0 := 0.0
		for c := range k {
			q := pi[c]
			for l := range j {
				q *= 1 - lam[c*j+l]
			}
			pi0 += q
		}
		n0 := int(g.negBinomial(float64(n), pi0))
		clear(nk)
		clear(sjk)
		for _, p := range obs {
			c := draw(p)
			nk[c]++
			for l := range j {
				if p&(1<<uint(l)) != 0 {
					sjk[c*j+l]++
				}
			}
		}
		for range n0 {
			nk[draw(0)]++
		}
		for c := range k {
			for l := range j {
				lam[c*j+l] = g.beta(1+sjk[c*j+l], 1+nk[c]-sjk[c*j+l])
			}
		}
		rest := 0.0
		for _, v := range nk {
			rest += v
		}
		stick, sumLog := 1.0, 0.0
		for c := range k - 1 {
			rest -= nk[c]
			v, l1 := g.betaLog(1+nk[c], alpha+rest)
			pi[c] = stick * v
			stick *= 1 - v
			sumLog += l1
		}
		pi[k-1] = stick
		alpha = g.gamma(0.25+float64(k-1)) / (0.25 - sumLog)
		if it >= burn {
			out = append(out, float64(n+n0))
		}
	}
	return out
}

// TestLCMCRStepAllocs: a Gibbs sweep allocates nothing. (Not parallel:
// AllocsPerRun forbids it.)
func TestLCMCRStepAllocs(t *testing.T) {
	tb := load(t, "kosovo.csv")
	// K = 40 puts more than 16 classes in the light blocks.
	for _, k := range []int{10, 40} {
		c := newLCChain(tb, k, 0.25, 0.25, 1, 0)
		if a := testing.AllocsPerRun(1000, func() { _ = c.step() }); a != 0 {
			t.Errorf("K=%d: %v allocations per sweep", k, a)
		}
	}
}
