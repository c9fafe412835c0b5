package estimate

// This file freezes the latent-class sampler and its random variates as
// they were before the speed work of issue 7 (commit a8ade1b), renamed
// v0…, so that TestLCMCRSameAsV0 can check that the faster sampler draws
// from the same posterior. Do not "improve" it: it is the reference.

import (
	"errors"
	"fmt"
	"math"
	"math/bits"
	"math/rand/v2"
	"os"
	"runtime"
	"slices"
	"sync"
	"testing"
	"time"
)

const v0MaxUnseen = 1e9

// v0Chain is one Markov chain of the latent-class model. The sampler works
// on capture-pattern cells rather than on people: within a cell people
// are exchangeable, so the class labels of the y_ω people in cell ω are a
// multinomial draw, and only the counts per (cell, class) matter. One
// iteration costs O(cells·K·J) plus the multinomial draws, whatever N is.
type v0Chain struct {
	g    *v0RNG
	j, k int
	// Observed cells: patterns and counts.
	pats  []uint32
	count []int
	n     int
	// tabulate: class weights of every pattern are built as a table (when
	// 2^J is small next to cells·J), else per cell.
	tabulate bool
	// Prior on the Dirichlet process concentration (shape, rate).
	aAlpha, bAlpha float64

	// State.
	lam   []float64 // λ_{jk}, probability list j captures a member of class k; index k*J+j
	pi    []float64 // π_k, class weights
	alpha float64
	n0    int64 // number unseen

	// Scratch, reused every iteration.
	nk    []int64   // people per class (observed and unseen)
	sjk   []int64   // captures per class and list; index k*J+j
	tab   []float64 // tab[i·2^J + ω] = π_k·P(pattern ω | class k), k = order[i]
	order []int     // classes by decreasing π
	w     []float64 // class weights of the current cell, in order
	tail  []float64 // suffix sums of w
	draw  []int64   // multinomial draw, by class
}

func newV0Chain(t *Table, k int, aAlpha, bAlpha float64, seed, stream uint64) *v0Chain {
	j := t.J()
	pats := t.Patterns()
	c := &v0Chain{
		g: newV0RNG(seed, stream), j: j, k: k,
		pats: pats, count: make([]int, len(pats)),
		aAlpha: aAlpha, bAlpha: bAlpha,
		lam: make([]float64, k*j), pi: make([]float64, k),
		nk: make([]int64, k), sjk: make([]int64, k*j),
		order: make([]int, k), w: make([]float64, k), tail: make([]float64, k+1), draw: make([]int64, k),
	}
	for i, p := range pats {
		c.count[i] = t.Count(p)
		c.n += c.count[i]
	}
	c.tabulate = j <= 16 && 2<<uint(j) <= len(pats)*j+16
	if c.tabulate {
		c.tab = make([]float64, k<<uint(j))
	}
	// ln k! by table for the binomial and Poisson rejection tests, up to
	// a few times the number observed (beyond it, Stirling's series).
	c.g.tableLogFactorial(min(4*c.n+64, 1<<16))
	// Start: equal class weights, α = 1, and capture probabilities drawn
	// near the observed list fractions as if half the population were
	// unseen. The burn-in forgets this.
	c.alpha = 1
	for kk := range k {
		c.pi[kk] = 1 / float64(k)
		for l := range j {
			nl := float64(t.ListTotal(l))
			c.lam[kk*j+l] = c.g.beta(1+nl, 1+2*float64(c.n)-nl)
		}
	}
	return c
}

// step runs one Gibbs sweep (Manrique-Vallier 2016), with the
// number unseen and their classes drawn as one block:
//
//  1. n0 | λ, π ~ NegBin(n, 1 − π0) with π0 = Σ_k π_k Π_j (1 − λ_jk), the
//     full conditional under the prior p(N) ∝ 1/N, whose posterior is
//     ∝ C(N−1, n−1)·π0^{N−n}; then the unseen people's classes are a
//     Multinomial(n0; π_k Π_j(1−λ_jk)/π0) draw.
//  2. The classes of the people in each observed cell ω:
//     Multinomial(y_ω; ∝ π_k Π_j λ_jk^{ω_j}(1−λ_jk)^{1−ω_j}).
//  3. λ_jk ~ Beta(1 + s_jk, 1 + n_k − s_jk), the uniform prior updated by
//     the captures s_jk of the n_k people in class k.
//  4. Stick-breaking weights V_k ~ Beta(1 + n_k, α + Σ_{l>k} n_l) for
//     k < K, V_K = 1, π_k = V_k Π_{l<k}(1 − V_l).
//  5. α ~ Gamma(a_α + K − 1, b_α − Σ_{k<K} ln(1 − V_k)).
func (c *v0Chain) step() error {
	j, k := c.j, c.k
	// Classes by decreasing weight: the multinomial draws below take the
	// heavy classes first, so the count left over for the light ones is
	// usually 0 after a few binomials and the loop stops early.
	for i := range c.order {
		c.order[i] = i
	}
	for a := 1; a < k; a++ { // insertion sort: K is small
		for b := a; b > 0 && c.pi[c.order[b]] > c.pi[c.order[b-1]]; b-- {
			c.order[b], c.order[b-1] = c.order[b-1], c.order[b]
		}
	}
	clear(c.nk)
	clear(c.sjk)
	if c.tabulate {
		// π_k·Π_j λ^{ω_j}(1−λ)^{1−ω_j} for all 2^J patterns, list by list:
		// 2^{J+1} multiplications per class instead of J per cell.
		size := 1 << uint(j)
		for i, kk := range c.order {
			tb := c.tab[i*size : (i+1)*size]
			tb[0] = c.pi[kk]
			for l, h := 0, 1; l < j; l, h = l+1, h<<1 {
				lam := c.lam[kk*j+l]
				for w := range h {
					tb[w|h] = tb[w] * lam
					tb[w] *= 1 - lam
				}
			}
		}
	}

	// 1. Unseen people.
	pi0 := 0.0
	for i := range c.order {
		c.w[i] = c.weight(i, 0)
		pi0 += c.w[i]
	}
	if !(pi0 < 1) {
		return errors.New("estimate: lcmcr: probability of being unseen reached 1")
	}
	mean := float64(c.n) * pi0 / (1 - pi0)
	if mean > v0MaxUnseen {
		return fmt.Errorf("estimate: lcmcr: the expected number unseen exceeded %g: the posterior is not proper for these data", float64(v0MaxUnseen))
	}
	c.n0 = c.g.negBinomial(float64(c.n), pi0)
	c.multinomial(c.n0)
	for i, kk := range c.order {
		c.nk[kk] += c.draw[i]
	}

	// 2. Observed cells.
	for ci, pat := range c.pats {
		for i := range c.order {
			c.w[i] = c.weight(i, pat)
		}
		c.multinomial(int64(c.count[ci]))
		for i, kk := range c.order {
			m := c.draw[i]
			if m == 0 {
				continue
			}
			c.nk[kk] += m
			s := c.sjk[kk*j : kk*j+j]
			for b := pat; b != 0; b &= b - 1 {
				s[bits.TrailingZeros32(b)] += m
			}
		}
	}

	// 3. Capture probabilities.
	for kk := range k {
		nk := float64(c.nk[kk])
		for l := range j {
			s := float64(c.sjk[kk*j+l])
			c.lam[kk*j+l] = c.g.beta(1+s, 1+nk-s)
		}
	}

	// 4. Stick-breaking weights; 5. concentration.
	var rest int64
	for _, v := range c.nk {
		rest += v
	}
	stick, sumLog := 1.0, 0.0
	for kk := range k - 1 {
		rest -= c.nk[kk]
		v, l1mv := c.g.betaLog(1+float64(c.nk[kk]), c.alpha+float64(rest))
		c.pi[kk] = stick * v
		stick *= 1 - v
		sumLog += l1mv
	}
	c.pi[k-1] = stick
	if k > 1 {
		c.alpha = c.g.gamma(c.aAlpha+float64(k-1)) / (c.bAlpha - sumLog)
	}
	return nil
}

// weight returns π_k·P(pattern | class k) for k = order[i].
func (c *v0Chain) weight(i int, pat uint32) float64 {
	if c.tabulate {
		return c.tab[i<<uint(c.j)+int(pat)]
	}
	kk := c.order[i]
	q := c.pi[kk]
	lam := c.lam[kk*c.j : (kk+1)*c.j]
	for l, v := range lam {
		if pat&(1<<uint(l)) != 0 {
			q *= v
		} else {
			q *= 1 - v
		}
	}
	return q
}

// multinomial draws Multinomial(n; c.w normalised) into c.draw (both in
// c.order) by sequential conditional binomials: x_1 ~ Bin(n, w_1/Σw),
// x_2 ~ Bin(n − x_1, w_2/Σ_{i≥2} w_i), … — exact, and cheap when the
// first classes take almost everything.
func (c *v0Chain) multinomial(n int64) {
	k := c.k
	w, draw := c.w, c.draw
	c.tail[k] = 0
	for i := k - 1; i >= 0; i-- {
		c.tail[i] = c.tail[i+1] + w[i]
	}
	clear(draw)
	// The last class with positive weight: it takes whatever is left, so
	// that rounding can never put anyone in a class of weight 0.
	last := k - 1
	for last > 0 && !(w[last] > 0) {
		last--
	}
	rem := n
	for i := 0; i < last && rem > 0; i++ {
		tail := c.tail[i] // ≥ w[last] > 0
		if rem <= int64(last-i) {
			// Few people left for many classes: a categorical draw per
			// person (one uniform and a short scan of the classes, heavy
			// first) is cheaper than the remaining binomials and has the
			// same law, Multinomial(rem; w_i.../tail).
			for ; rem > 0; rem-- {
				u := c.g.uniform() * tail
				l := i
				for l < last && u >= w[l] {
					u -= w[l]
					l++
				}
				draw[l]++
			}
			return
		}
		x := int64(c.g.binomial(int(rem), w[i]/tail))
		draw[i] = x
		rem -= x
	}
	draw[last] += rem
}

// run performs burnin sweeps, then keeps samples draws of N, one every
// thin sweeps.
func (c *v0Chain) run(burnin, samples, thin int) ([]float64, error) {
	for range burnin {
		if err := c.step(); err != nil {
			return nil, err
		}
	}
	out := make([]float64, samples)
	for s := range samples {
		for range thin {
			if err := c.step(); err != nil {
				return nil, err
			}
		}
		out[s] = float64(c.n) + float64(c.n0)
	}
	return out, nil
}

// v0RNG draws the random variates the Gibbs sampler needs, exactly (no
// normal approximations), from a PCG generator (O'Neill 2014) of
// math/rand/v2. Each chain owns one, so runs are reproducible from a seed.
type v0RNG struct {
	src *rand.PCG
	r   *rand.Rand
	inv [64]float64 // inv[k] = 1/k
	lf  []float64   // lf[k] = ln k!, optional
}

// tableLogFactorial tabulates ln k! for k < size, for the rejection
// tests of the binomial and Poisson samplers.
func (g *v0RNG) tableLogFactorial(size int) {
	g.lf = make([]float64, size)
	for k := range size {
		// Each entry on its own (not a running sum, whose rounding
		// errors would accumulate).
		g.lf[k] = v0LogFactorial(float64(k))
	}
}

// logFact returns ln k! from the table when it has k.
func (g *v0RNG) logFact(k float64) float64 {
	if k < float64(len(g.lf)) {
		return g.lf[int(k)]
	}
	return v0LogFactorial(k)
}

func newV0RNG(seed, stream uint64) *v0RNG {
	// Mix the stream index so that chains 0, 1, 2… of one seed get
	// unrelated PCG states (splitmix64 finaliser constants).
	s2 := stream*0x9E3779B97F4A7C15 + 0xD1B54A32D192ED03
	s2 ^= s2 >> 31
	src := rand.NewPCG(seed, s2)
	g := &v0RNG{src: src, r: rand.New(src)}
	for k := 1; k < len(g.inv); k++ {
		g.inv[k] = 1 / float64(k)
	}
	return g
}

// uniform returns a uniform variate on the open interval (0, 1), so that
// its logarithm is finite.
func (g *v0RNG) uniform() float64 {
	return (float64(g.src.Uint64()>>11) + 0.5) * 0x1p-53
}

// normal returns a standard normal variate (math/rand/v2's ziggurat).
func (g *v0RNG) normal() float64 { return g.r.NormFloat64() }

// gamma returns a Gamma(a, 1) variate by Marsaglia & Tsang (2000): for
// a ≥ 1, with d = a − 1/3 and c = 1/√(9d), propose v = (1 + c·x)³ for a
// standard normal x and accept with the squeeze u < 1 − 0.0331x⁴ or else
// ln u < x²/2 + d − d·v + d·ln v; return d·v. For a < 1 it uses
// Gamma(a) = Gamma(a+1)·U^{1/a}.
func (g *v0RNG) gamma(a float64) float64 {
	if a < 1 {
		return g.gamma(a+1) * math.Pow(g.uniform(), 1/a)
	}
	d := a - 1.0/3
	c := 1 / math.Sqrt(9*d)
	for {
		var x, v float64
		for {
			x = g.normal()
			v = 1 + c*x
			if v > 0 {
				break
			}
		}
		v = v * v * v
		u := g.uniform()
		x2 := x * x
		if u < 1-0.0331*x2*x2 {
			return d * v
		}
		if math.Log(u) < 0.5*x2+d*(1-v+math.Log(v)) {
			return d * v
		}
	}
}

// logGamma returns the logarithm of a Gamma(a, 1) variate, computed so
// that it stays finite for tiny shapes where the variate itself underflows
// (a stick-breaking weight with concentration α ≈ 0.01 needs this).
func (g *v0RNG) logGamma(a float64) float64 {
	if a < 1 {
		return math.Log(g.gamma(a+1)) + math.Log(g.uniform())/a
	}
	return math.Log(g.gamma(a))
}

// beta returns a Beta(a, b) variate as X/(X+Y) with X ~ Gamma(a),
// Y ~ Gamma(b); Beta(1, 1) is the uniform.
func (g *v0RNG) beta(a, b float64) float64 {
	if a == 1 && b == 1 {
		return g.uniform()
	}
	if a < 1 || b < 1 {
		la, lb := g.logGamma(a), g.logGamma(b)
		return 1 / (1 + math.Exp(lb-la))
	}
	x := g.gamma(a)
	return x / (x + g.gamma(b))
}

// betaLog returns a Beta(a, b) variate V together with ln(1 − V), the
// latter computed in log space so that it stays finite when V rounds
// to 1.
func (g *v0RNG) betaLog(a, b float64) (v, log1mv float64) {
	if a >= 1 && b >= 1 {
		// Both gammas are then well away from underflow.
		x, y := g.gamma(a), g.gamma(b)
		s := x + y
		return x / s, math.Log(y / s)
	}
	la, lb := g.logGamma(a), g.logGamma(b)
	m := math.Max(la, lb)
	lse := m + math.Log(math.Exp(la-m)+math.Exp(lb-m))
	return math.Exp(la - lse), lb - lse
}

// v0LogFactorial returns ln k! for k ≥ 0: math.Lgamma for small k and the
// Stirling series ln k! = (k+½)ln k − k + ½ln 2π + 1/(12k) − 1/(360k³) +
// 1/(1260k⁵) − 1/(1680k⁷) for k ≥ 10, whose error is below 1e-13 there.
func v0LogFactorial(k float64) float64 {
	if k < 10 {
		v, _ := math.Lgamma(k + 1)
		return v
	}
	r := 1 / k
	r2 := r * r
	return (k+0.5)*math.Log(k) - k + 0.9189385332046728 +
		r*(1.0/12-r2*(1.0/360-r2*(1.0/1260-r2/1680)))
}

// binomial returns a Binomial(n, p) variate. For n·min(p, 1−p) < 10 it
// inverts the distribution function by sequential search from 0 (BINV of
// Kachitvichyanukul & Schmeiser 1988), whose cost is about n·p; otherwise
// it uses Hörmann's (1993) BTRS transformed rejection with squeeze, whose
// cost does not grow with n. Both are exact.
func (g *v0RNG) binomial(n int, p float64) int {
	if n <= 0 || !(p > 0) {
		return 0
	}
	if p >= 1 {
		return n
	}
	if p > 0.5 {
		return n - g.binomialLow(n, 1-p)
	}
	return g.binomialLow(n, p)
}

// binomialLow is binomial for 0 < p ≤ 0.5.
func (g *v0RNG) binomialLow(n int, p float64) int {
	nf := float64(n)
	if nf*p < 10 {
		return g.binomialInv(n, p)
	}
	return g.binomialBTRS(n, p)
}

// binomialInv inverts the Binomial(n, p) distribution function from 0:
// with r_x = P(X = x), r_0 = (1−p)^n and r_{x+1} = r_x·((n+1)s/(x+1) − s),
// s = p/(1−p), X is the first x where the uniform u ≤ r_0 + … + r_x.
//
// Computing r_0 costs a logarithm and an exponential, which dominate the
// sampler's run time, so for small np the search first runs with cheap
// exact bounds L ≤ r_0 ≤ U and only computes r_0 if u falls between the
// bounded partial sums. The bounds: −n(p + p²/2 + p³/(3(1−p))) ≤
// n·ln(1−p) ≤ −n(p + p²/2 + p³/3) (from the series of ln(1−p)); then
// for small exponents the alternating Taylor series of e^{−x}, which stops
// above it after a positive term and below it after a negative one, and
// otherwise one exponential.
func (g *v0RNG) binomialInv(n int, p float64) int {
	nf := float64(n)
	q := 1 - p
	s := p / q
	a := (nf + 1) * s
	u := g.uniform()
	// Bounds e^{−x} ≤ r_0 ≤ e^{−y}.
	y := nf * p * (1 + p*(0.5+p*(1.0/3)))
	x := nf * p * (1 + p*(0.5+p*(1.0/(3*q))))
	var lo, hi float64
	switch {
	case y < 1:
		// No exponential at all.
		lo = 1 - x*(1-x*(0.5-x*(1.0/6-x*(1.0/24-x*(1.0/120)))))
		hi = 1 - y*(1-y*(0.5-y*(1.0/6-y*(1.0/24))))
	case x-y < 1e-3:
		// One exponential, no logarithm: e^{−x} ≥ e^{−y}·(1 − (x − y)).
		hi = math.Exp(-y)
		lo = hi * (1 - (x - y))
	}
	if hi > 0 {
		sum, r := 1.0, 1.0 // partial sum and term, in units of r_0
		for k := 0; k <= n; k++ {
			if u <= lo*sum {
				return k
			}
			if u <= hi*sum {
				break // undecided: compute r_0
			}
			r *= a*g.recip(k+1) - s
			sum += r
		}
	}
	r0 := math.Exp(nf * math.Log1p(-p))
	for try := 0; ; try++ {
		if try > 0 {
			u = g.uniform()
		}
		r := r0
		for x := 0; x <= n; x++ {
			if u <= r {
				return x
			}
			u -= r
			r *= a*g.recip(x+1) - s
		}
		// Round-off left u beyond the total mass: draw again.
	}
}

// recip returns 1/k from a small table: the inversion loop would
// otherwise divide at every step.
func (g *v0RNG) recip(k int) float64 {
	if k < len(g.inv) {
		return g.inv[k]
	}
	return 1 / float64(k)
}

// binomialBTRS is Hörmann's (1993) BTRS algorithm for np ≥ 10, p ≤ 0.5.
func (g *v0RNG) binomialBTRS(n int, p float64) int {
	nf := float64(n)
	q := 1 - p
	spq := math.Sqrt(nf * p * q)
	b := 1.15 + 2.53*spq
	a := -0.0873 + 0.0248*b + 0.01*p
	c := nf*p + 0.5
	vr := 0.92 - 4.2/b
	alpha := (2.83 + 5.1/b) * spq
	// The constants of the exact acceptance test cost three logarithms;
	// most draws are accepted by the squeeze before they are needed.
	var lpq, m, h float64
	ready := false
	for {
		u := g.uniform() - 0.5
		v := g.uniform()
		us := 0.5 - math.Abs(u)
		k := math.Floor((2*a/us+b)*u + c)
		if k < 0 || k > nf {
			continue
		}
		if us >= 0.07 && v <= vr {
			return int(k)
		}
		if !ready {
			lpq = math.Log(p / q)
			m = math.Floor((nf + 1) * p)
			h = g.logFact(m) + g.logFact(nf-m)
			ready = true
		}
		v = math.Log(v * alpha / (a/(us*us) + b))
		if v <= h-g.logFact(k)-g.logFact(nf-k)+(k-m)*lpq {
			return int(k)
		}
	}
}

// poisson returns a Poisson(mu) variate: by sequential search for
// mu < 10, and by Hörmann's (1993) PTRS transformed rejection otherwise.
func (g *v0RNG) poisson(mu float64) int64 {
	if !(mu > 0) {
		return 0
	}
	if mu < 10 {
		for {
			u := g.uniform()
			p := math.Exp(-mu)
			for k := int64(0); k < 1000; k++ {
				if u <= p {
					return k
				}
				u -= p
				p *= mu / float64(k+1)
			}
		}
	}
	smu := math.Sqrt(mu)
	b := 0.931 + 2.53*smu
	a := -0.059 + 0.02483*b
	logInvAlpha := math.Log(1.1239 + 1.1328/(b-3.4))
	vr := 0.9277 - 3.6224/(b-2)
	logMu := math.Log(mu)
	for {
		u := g.uniform() - 0.5
		v := g.uniform()
		us := 0.5 - math.Abs(u)
		k := math.Floor((2*a/us+b)*u + mu + 0.43)
		if us >= 0.07 && v <= vr {
			return int64(k)
		}
		if k < 0 || (us < 0.013 && v > us) {
			continue
		}
		if math.Log(v)+logInvAlpha-math.Log(a/(us*us)+b) <= -mu+k*logMu-g.logFact(k) {
			return int64(k)
		}
	}
}

// negBinomial returns the number of failures before the r-th success in
// trials with success probability 1−q: P(x) = C(x+r−1, x)·q^x·(1−q)^r.
// It draws the gamma–Poisson mixture x ~ Poisson(G·q/(1−q)),
// G ~ Gamma(r, 1), which is exact.
func (g *v0RNG) negBinomial(r float64, q float64) int64 {
	if !(q > 0) {
		return 0
	}
	return g.poisson(g.gamma(r) * q / (1 - q))
}

// BenchmarkLCMCRKosovoV0 times the frozen sampler on the run of
// BenchmarkLCMCRKosovo (one chain, 110,000 sweeps), so that the speed-up is
// measured under the same machine load.
func BenchmarkLCMCRKosovoV0(b *testing.B) {
	tb := load(b, "kosovo.csv")
	cpu := cpuTime()
	for b.Loop() {
		c := newV0Chain(tb, 10, 0.25, 0.25, 1, 0)
		if _, err := c.run(10_000, 1000, 100); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(cpuTime()-cpu)/1e6/float64(b.N), "cpu-ms/op")
}

// TestLCMCRSameAsV0 checks that the faster sampler draws from the same
// posterior as the frozen v0 sampler. For each of several seeds both
// samplers run one chain, and each chain's 5%, 25%, 50%, 75% and 95%
// quantiles of N are taken. The chains of different seeds are
// independent, so the spread of a quantile between seeds is its Monte
// Carlo error, autocorrelation included, whatever the mixing; the mean
// over S seeds has standard error sd/√S. For each quantile the two means
// must agree within four standard errors of their difference (Welch):
// under the null that is a 1-in-10,000 event for a normal mean, and with
// the seeds fixed the test is deterministic anyway, so a failure means a
// difference in law, not bad luck.
//
// Palembang's 123 women (32 seeds; a chain mixes in a few thousand
// sweeps) give the sharp comparison — a standard error of about 0.4% of N
// at the median — and exercise the small counts; Kosovo (12 seeds,
// shorter than its mixing time, so a looser check) the large ones. The
// test fails when the sampler is broken: giving λ a Beta(1, 1.5) prior in
// lcChain instead of Beta(1, 1) moved Palembang's 5% and 25% quantiles by
// 10 standard errors.
//
// With ESTIMATE_V0_FULL=1 it runs the default configuration (burn-in
// 10,000, 1,000 draws thinned by 100) on Kosovo for 8 seeds instead:
//
//	ESTIMATE_V0_FULL=1 go test ./estimate -run SameAsV0 -v -timeout 20m
func TestLCMCRSameAsV0(t *testing.T) {
	if testing.Short() {
		t.Skip("runs 88 chains")
	}
	t.Parallel()
	qs := []float64{0.05, 0.25, 0.5, 0.75, 0.95}
	type config struct {
		file                       string
		seeds, burn, samples, thin int
	}
	configs := []config{
		{"korean_women_palembang.csv", 32, 1000, 500, 10},
		{"kosovo.csv", 12, 1500, 400, 20},
	}
	if os.Getenv("ESTIMATE_V0_FULL") != "" {
		configs = []config{{"kosovo.csv", 8, 10_000, 1000, 100}}
	}
	for _, c := range configs {
		t.Run(c.file, func(t *testing.T) {
			t.Parallel()
			tab := load(t, c.file)
			// Per seed and sampler (0 v0, 1 new): the chain's draws.
			draws := make([][2][]float64, c.seeds)
			errs := make([]error, 2*c.seeds)
			var wg sync.WaitGroup
			for s := range c.seeds {
				seed := uint64(100 + s)
				wg.Go(func() {
					draws[s][0], errs[2*s] = newV0Chain(tab, 10, 0.25, 0.25, seed, 0).run(c.burn, c.samples, c.thin)
				})
				wg.Go(func() {
					draws[s][1], errs[2*s+1] = newLCChain(tab, 10, 0.25, 0.25, seed, 0).run(c.burn, c.samples, c.thin)
				})
			}
			wg.Wait()
			if err := errors.Join(errs...); err != nil {
				t.Fatal(err)
			}
			var pooled [2][]float64
			perSeed := [2][][]float64{}
			for s := range c.seeds {
				for v := range 2 {
					pooled[v] = append(pooled[v], draws[s][v]...)
					perSeed[v] = append(perSeed[v], quantiles(draws[s][v], qs))
				}
			}
			pq := [2][]float64{quantiles(pooled[0], qs), quantiles(pooled[1], qs)}
			for qi, q := range qs {
				var x [2][]float64
				for s := range c.seeds {
					for v := range 2 {
						x[v] = append(x[v], perSeed[v][s][qi])
					}
				}
				m0, var0 := meanVar(x[0])
				m1, var1 := meanVar(x[1])
				se := math.Sqrt(var1/float64(len(x[1])) + var0/float64(len(x[0])))
				z := (m1 - m0) / se
				t.Logf("q%.2f: pooled new %.0f, v0 %.0f; mean over seeds new %.1f, v0 %.1f, difference %+.1f ± %.1f (%+.1f standard errors)",
					q, pq[1][qi], pq[0][qi], m1, m0, m1-m0, se, z)
				if !(math.Abs(z) <= 4) {
					t.Errorf("quantile %.2f: new %.1f, v0 %.1f: %.1f standard errors apart", q, m1, m0, z)
				}
			}
		})
	}
}

// TestLCMCRTabulatedSameAsPerCell: the tabulated class weights and the
// per-cell ones multiply the same factors in the same order, so a chain
// gives the same draws either way.
func TestLCMCRTabulatedSameAsPerCell(t *testing.T) {
	t.Parallel()
	tab := load(t, "kosovo.csv")
	a := newLCChain(tab, 10, 0.25, 0.25, 7, 0)
	b := newLCChain(tab, 10, 0.25, 0.25, 7, 0)
	if !a.tabulate {
		t.Fatal("Kosovo's four lists should be tabulated")
	}
	b.tabulate = false
	da, err1 := a.run(200, 50, 2)
	db, err2 := b.run(200, 50, 2)
	if err1 != nil || err2 != nil || !slices.Equal(da, db) {
		t.Errorf("tabulated %v… and per-cell %v… differ (%v, %v)", da[:3], db[:3], err1, err2)
	}
}

// quantiles returns the qs-quantiles of draws.
func quantiles(draws []float64, qs []float64) []float64 {
	s := slices.Clone(draws)
	slices.Sort(s)
	out := make([]float64, len(qs))
	for i, q := range qs {
		out[i] = quantile(s, q)
	}
	return out
}

// BenchmarkLCMCRKosovoVsV0 measures the speed-up over the frozen sampler
// on a shared machine: it alternates the two samplers, a tenth of the
// default run each (11,000 sweeps) for seeds 1 to 8, on one locked
// thread, and compares their CPU time, so that a change in the machine's
// load falls on both alike. It reports each sampler's CPU time per full
// Kosovo run (110,000 sweeps) and their ratio.
func BenchmarkLCMCRKosovoVsV0(b *testing.B) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	tab := load(b, "kosovo.csv")
	var tNew, tV0 time.Duration
	runs := 0
	for b.Loop() {
		for seed := uint64(1); seed <= 8; seed++ {
			t0 := threadCPUTime()
			if _, err := newLCChain(tab, 10, 0.25, 0.25, seed, 0).run(1000, 1000, 10); err != nil {
				b.Fatal(err)
			}
			t1 := threadCPUTime()
			if _, err := newV0Chain(tab, 10, 0.25, 0.25, seed, 0).run(1000, 1000, 10); err != nil {
				b.Fatal(err)
			}
			t2 := threadCPUTime()
			tNew += t1 - t0
			tV0 += t2 - t1
			runs++
		}
	}
	b.ReportMetric(float64(tNew)/1e6/float64(runs)*10, "new-cpu-ms/run")
	b.ReportMetric(float64(tV0)/1e6/float64(runs)*10, "v0-cpu-ms/run")
	b.ReportMetric(float64(tNew)/float64(tV0), "ratio")
}
