package estimate

import (
	"errors"
	"fmt"
	"math"
	"math/bits"
	"slices"
	"sync"
)

// maxUnseen caps the number unseen a chain may draw. A draw beyond it
// means the posterior has drifted off to a latent class that almost never
// captures anyone, which can absorb any number of people; the run is then
// reported as failed rather than trusted.
const maxUnseen = 1e9

// lcChain is one Markov chain of the latent-class model. The sampler works
// on capture-pattern cells rather than on people: within a cell people
// are exchangeable, so the class labels of the y_ω people in cell ω are a
// multinomial draw, and only the counts per (cell, class) matter. One
// iteration costs O(cells·K·J) plus the multinomial draws, whatever N is.
type lcChain struct {
	g    *rng
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
	tab   []float64 // tab[ω·K + i] = π_k·P(pattern ω | class k), k = order[i]
	order []int     // classes by decreasing π
	w     []float64 // class weights of the current cell, in order (when not tabulated)
	// The multinomial draw of a cell, as class positions (in order) and
	// counts; tail is scratch for suffix sums.
	pos  []int
	bw   []float64
	cnt  []int64
	tail []float64
	ws   []float64 // weights scaled up (multinomial)
	// lightShare is defaultLightShare; tests vary it.
	lightShare float64
}

func newLCChain(t *Table, k int, aAlpha, bAlpha float64, seed, stream uint64) *lcChain {
	j := t.J()
	pats := t.Patterns()
	c := &lcChain{
		g: newRNG(seed, stream), j: j, k: k,
		pats: pats, count: make([]int, len(pats)),
		aAlpha: aAlpha, bAlpha: bAlpha,
		lam: make([]float64, k*j), pi: make([]float64, k),
		nk: make([]int64, k), sjk: make([]int64, k*j),
		order: make([]int, k), w: make([]float64, k),
		pos: make([]int, k), bw: make([]float64, k), cnt: make([]int64, k), tail: make([]float64, k+1), ws: make([]float64, k),
		lightShare: defaultLightShare,
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
	c.g.tableGamma(min(4*c.n+64, 1<<16))
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
func (c *lcChain) step() error {
	j, k := c.j, c.k
	// Classes by decreasing weight: the multinomial draws below take the
	// heavy classes first, so what is left for the last ones is small.
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
		// 2^{J+1} multiplications per class instead of J per cell. The
		// weights of one pattern lie side by side, in class order.
		size := 1 << uint(j)
		tab := c.tab[:size*k]
		for i, kk := range c.order {
			tab[i] = c.pi[kk]
			for l, h := 0, 1; l < j; l, h = l+1, h<<1 {
				lam := c.lam[kk*j+l]
				for w := range h {
					tab[(w|h)*k+i] = tab[w*k+i] * lam
					tab[w*k+i] *= 1 - lam
				}
			}
		}
	}

	// 1. Unseen people.
	w := c.weights(0)
	pi0 := 0.0
	for _, v := range w {
		pi0 += v
	}
	if !(pi0 < 1) {
		return errors.New("estimate: lcmcr: probability of being unseen reached 1")
	}
	mean := float64(c.n) * pi0 / (1 - pi0)
	if mean > maxUnseen {
		return fmt.Errorf("estimate: lcmcr: the expected number unseen exceeded %g: the posterior is not proper for these data", float64(maxUnseen))
	}
	c.n0 = c.g.negBinomial(float64(c.n), pi0)
	pos, cnt := c.multinomial(c.n0, w)
	for i, p := range pos {
		c.nk[c.order[p]] += cnt[i]
	}

	// 2. Observed cells.
	for ci, pat := range c.pats {
		pos, cnt := c.multinomial(int64(c.count[ci]), c.weights(pat))
		for i, p := range pos {
			// No test for m = 0: adding nothing costs less than the
			// mispredicted branch.
			m := cnt[i]
			kk := c.order[p]
			c.nk[kk] += m
			s := c.sjk[kk*j : kk*j+j]
			for b := pat; b != 0; b &= b - 1 {
				s[bits.TrailingZeros32(b)] += m
			}
		}
	}

	// 3. Capture probabilities.
	for kk := range k {
		nk := c.nk[kk]
		for l := range j {
			s := c.sjk[kk*j+l]
			c.lam[kk*j+l] = c.g.betaInt(1+s, 1+nk-s)
		}
	}

	// 4. Stick-breaking weights; 5. concentration.
	var rest int64
	for _, v := range c.nk {
		rest += v
	}
	// Σ ln(1 − V_k) for the concentration: where both shapes are at
	// least 1 the factors 1 − V_k = Y/(X+Y) are multiplied and the
	// logarithm taken once (folding the product into the sum before it
	// could underflow), instead of one logarithm a class.
	stick, sumLog, prod := 1.0, 0.0, 1.0
	for kk := range k - 1 {
		rest -= c.nk[kk]
		a, b := 1+float64(c.nk[kk]), c.alpha+float64(rest)
		var v, omv float64
		if a > 1 && b >= 1 {
			x, y := c.g.gammaInt(1+c.nk[kk]), c.g.gamma(b)
			sum := x + y
			v, omv = x/sum, y/sum
			if prod *= omv; prod < 1e-200 {
				sumLog += math.Log(prod)
				prod = 1
			}
		} else {
			var l1mv float64
			v, l1mv = c.g.betaLog(a, b)
			omv = 1 - v
			sumLog += l1mv
		}
		c.pi[kk] = stick * v
		stick *= omv
	}
	sumLog += math.Log(prod)
	c.pi[k-1] = stick
	if k > 1 {
		c.alpha = c.g.gamma(c.aAlpha+float64(k-1)) / (c.bAlpha - sumLog)
	}
	return nil
}

// weights returns π_k·P(pattern | class k) for every class, in c.order.
func (c *lcChain) weights(pat uint32) []float64 {
	k := c.k
	if c.tabulate {
		o := int(pat) * k
		return c.tab[o : o+k]
	}
	for i, kk := range c.order {
		q := c.pi[kk]
		for l, v := range c.lam[kk*c.j : (kk+1)*c.j] {
			if pat&(1<<uint(l)) != 0 {
				q *= v
			} else {
				q *= 1 - v
			}
		}
		c.w[i] = q
	}
	return c.w
}

// defaultLightShare: a class whose expected count in a cell is below
// this many people is drawn in the light block of that cell (see
// multinomial). Any value gives the same law. A person of the block costs
// about a tenth of a binomial draw (rng.categorical), so a class expected
// to get fewer than about ten people is cheaper drawn person by person.
// Timed from fixed chain states, taken from 16 seeds and from chains where
// α is large and all classes are used: 10, 15, 20 and 25 tie on the first
// (5 and 30 are slower); on the second 15, 20 and 25 tie, 3.5–5% faster
// than 10.
const defaultLightShare = 15

// multinomial draws Multinomial(n; w normalised), w the weights of the
// classes in c.order, and returns the draw as the positions of the classes
// that may have drawn someone and their counts (slices of c's scratch,
// valid until the next call).
//
// It splits the classes into heavy ones, expected to get at least
// c.lightShare people, and the light rest, and first draws the number in
// the light block, x_L ~ Bin(n, w_L/w) with w_L the block's weight. The
// n − x_L others are spread over the heavy classes by sequential
// conditional binomials, and the x_L over the light ones one person at a
// time (a categorical draw each). Splitting a multinomial into blocks and
// then within blocks is exact in any order. After burn-in the people of a
// cell spread over several classes, many of which get a few people or
// none: one binomial and a categorical draw for each of the block's
// people is cheaper than a binomial for each class.
func (c *lcChain) multinomial(n int64, w []float64) ([]int, []int64) {
	if n == 0 {
		return nil, nil
	}
	k := len(w)
	light, heavy := 0.0, 0.0
	for _, v := range w {
		light += v
	}
	if !(light > 0x1p-900) {
		// Weights so small that the reciprocals of their sums would
		// overflow: the same weights scaled up, which is the same law.
		ws := c.ws[:k]
		for i, v := range w {
			ws[i] = v * 0x1p600
		}
		return c.multinomial(n, ws)
	}
	// Partition the class positions: heavy first (in π order), then light.
	thr := c.lightShare * light / float64(n)
	pos, bw, cnt := c.pos[:k], c.bw[:k], c.cnt[:k]
	nh, nl := 0, k
	light = 0
	for i, v := range w {
		if v >= thr {
			pos[nh], bw[nh] = i, v
			nh++
			heavy += v
		} else {
			nl--
			pos[nl], bw[nl] = i, v
			light += v
		}
	}
	var xl int64
	switch {
	case nh == 0:
		xl = n // every class is light: the block is everyone
	case light > 0:
		xl = int64(c.g.binomialW(int(n), light, heavy, 1/(heavy+light)))
	}
	m := c.sequential(n-xl, bw[:nh], cnt[:nh])
	if xl == 0 {
		return pos[:m], cnt[:m]
	}
	for i := m; i < nh; i++ {
		cnt[i] = 0
	}
	// The light block's people one at a time (up to about lightShare a
	// light class): a categorical draw each, cheaper than a binomial per
	// class.
	lc := cnt[nh:]
	clear(lc)
	c.g.categorical(xl, bw[nh:], light, lc)
	return pos, cnt
}

// sequential draws Multinomial(n; w normalised) into draw by conditional
// binomials in the order of w: x_1 ~ Bin(n, w_1/Σw), x_2 ~ Bin(n − x_1,
// w_2/Σ_{i≥2} w_i), … — exact. It returns m and sets draw[:m]; the
// entries from m on are all 0 in the draw and are left as they were in
// the slice. The weights must not all be 0 when n > 0.
func (c *lcChain) sequential(n int64, w []float64, draw []int64) int {
	if n == 0 {
		return 0
	}
	k := len(w)
	// Suffix sums in a register: storing and reloading tail[i+1] costs
	// a store-to-load round trip per class.
	tails := c.tail[:k+1]
	tails[k] = 0
	s := 0.0
	for i := k - 1; i >= 0; i-- {
		s += w[i]
		tails[i] = s
	}
	// The last class with positive weight takes whatever is left, so that
	// rounding can never put anyone in a class of weight 0.
	last := k - 1
	for last > 0 && !(w[last] > 0) {
		last--
	}
	rem := n
	i := 0
	for ; i < last && rem > 0; i++ {
		tail := tails[i] // ≥ w[last] > 0
		if rem <= int64(last-i) {
			// Few people left for many classes: a categorical draw per
			// person is cheaper than the remaining binomials and has the
			// same law, Multinomial(rem; w_i.../tail).
			clear(draw[i : last+1])
			c.g.categorical(rem, w[i:last+1], tail, draw[i:last+1])
			return last + 1
		}
		// q = 1 − p as the ratio of the remaining weights: exact where
		// 1 − w_i/tail would cancel.
		x := int64(c.g.binomialW(int(rem), w[i], tails[i+1], 1/tail))
		draw[i] = x
		rem -= x
	}
	if rem > 0 {
		draw[last] = rem
		return last + 1
	}
	return i
}

// run performs burnin sweeps, then keeps samples draws of N, one every
// thin sweeps.
func (c *lcChain) run(burnin, samples, thin int) ([]float64, error) {
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

// LCMCR estimates N with the Bayesian latent-class model of
// Manrique-Vallier (2016): people fall into latent classes with weights
// from a truncated stick-breaking (Dirichlet process) prior with K classes
// and concentration α ~ Gamma(a_α, b_α); within a class the lists capture
// independently with probabilities λ_jk ~ Beta(1, 1); the prior on N is
// p(N) ∝ 1/N. Heterogeneous capture — some people easy for every list to
// find, others hard — is what the classes absorb, and it is the usual
// reason independence-based estimates are too low.
//
// opts.Chains chains (default 2) run concurrently, chain c from stream c
// of opts.Seed, each with opts.Burnin sweeps (default 10,000) then
// opts.Samples draws (1,000) thinned by opts.Thin (100); defaults K = 10,
// a_α = b_α = 0.25 as in the LCMCR R package. The estimate is the pooled
// posterior mean, with the median and the 2.5% and 97.5% quantiles (an
// equal-tailed 95% interval); diagnostics give each chain's effective
// sample size and the split-chain R-hat.
func LCMCR(t *Table, opts Options) (Result, error) {
	if err := t.Validate(); err != nil {
		return Result{}, err
	}
	opts = opts.withDefaults()
	switch {
	case opts.K < 1 || opts.K > 1000:
		return Result{}, fmt.Errorf("estimate: lcmcr: K must be 1 to 1000, have %d", opts.K)
	case opts.Burnin < 0 || opts.Samples < 4 || opts.Thin < 1 || opts.Chains < 1 || opts.Chains > 64:
		return Result{}, fmt.Errorf("estimate: lcmcr: need burn-in ≥ 0, samples ≥ 4, thin ≥ 1 and 1–64 chains (have %d, %d, %d, %d)",
			opts.Burnin, opts.Samples, opts.Thin, opts.Chains)
	case !(opts.AlphaA > 0) || !(opts.AlphaB > 0):
		return Result{}, errors.New("estimate: lcmcr: the Gamma prior on α needs positive shape and rate")
	}
	n := t.Observed()
	if n == 0 {
		return Result{}, errors.New("estimate: no records")
	}
	if t.Overlapping() == 0 {
		return Result{}, errors.New("estimate: no record is on two lists: the lists carry no information about each other and no estimate exists")
	}
	draws := make([][]float64, opts.Chains)
	errs := make([]error, opts.Chains)
	var wg sync.WaitGroup
	for ch := range opts.Chains {
		wg.Go(func() {
			c := newLCChain(t, opts.K, opts.AlphaA, opts.AlphaB, opts.Seed, uint64(ch))
			draws[ch], errs[ch] = c.run(opts.Burnin, opts.Samples, opts.Thin)
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return Result{}, err
	}
	pooled := slices.Concat(draws...)
	sorted := slices.Clone(pooled)
	slices.Sort(sorted)
	mean := 0.0
	for _, v := range pooled {
		mean += v
	}
	mean /= float64(len(pooled))
	diag := &Diagnostics{Chains: opts.Chains, Draws: opts.Samples}
	for _, d := range draws {
		e := ess(d)
		diag.ChainESS = append(diag.ChainESS, e)
		diag.ESS += e
		s := slices.Clone(d)
		slices.Sort(s)
		diag.ChainMedians = append(diag.ChainMedians, quantile(s, 0.5))
	}
	diag.RHat = splitRHat(draws)
	res := Result{
		Method:         MethodLCMCR,
		Lists:          t.Lists,
		Observed:       n,
		Estimate:       mean,
		Median:         quantile(sorted, 0.5),
		Interval:       Interval{quantile(sorted, 0.025), quantile(sorted, 0.975)},
		IntervalMethod: "posterior 2.5% and 97.5% quantiles",
		Diagnostics:    diag,
	}
	if opts.Chains > 1 && (diag.RHat > 1.05 || math.IsNaN(diag.RHat)) {
		res.Warnings = append(res.Warnings, fmt.Sprintf("chains disagree (R-hat %.3f > 1.05): run longer", diag.RHat))
	}
	if diag.ESS < 100*float64(opts.Chains) {
		res.Warnings = append(res.Warnings, fmt.Sprintf("effective sample size %.0f is small: the interval ends are uncertain", diag.ESS))
	}
	return res, nil
}
