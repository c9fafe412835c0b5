package estimate

import (
	"math"
	"math/bits"
	"math/rand/v2"
)

// rng draws the random variates the Gibbs sampler needs, exactly (no
// normal approximations), from a PCG generator (O'Neill 2014) of
// math/rand/v2. Each chain owns one, so runs are reproducible from a seed.
type rng struct {
	// hi, lo is the 128-bit state of the PCG-DXSM generator of
	// math/rand/v2, held here rather than behind *rand.PCG so that
	// uniform inlines: the sampler draws about a hundred uniforms a sweep.
	// The stream is the one rand.NewPCG(hi, lo) gives.
	hi, lo uint64
	r      *rand.Rand  // normals (math/rand/v2's ziggurat) over this generator
	inv    [64]float64 // inv[k] = 1/k
	lf     []float64   // lf[k] = ln k!, optional
}

// Uint64 returns the next output of the generator: math/rand/v2's
// (*PCG).Uint64, a 128-bit LCG step and the DXSM output permutation.
func (g *rng) Uint64() uint64 {
	const (
		mulHi = 2549297995355413924
		mulLo = 4865540595714422341
		incHi = 6364136223846793005
		incLo = 1442695040888963407
	)
	hi, lo := bits.Mul64(g.lo, mulLo)
	hi += g.hi*mulLo + g.lo*mulHi
	lo, c := bits.Add64(lo, incLo, 0)
	hi, _ = bits.Add64(hi, incHi, c)
	g.lo, g.hi = lo, hi
	const cheapMul = 0xda942042e4dd58b5
	hi ^= hi >> 32
	hi *= cheapMul
	hi ^= hi >> 48
	return hi * (lo | 1)
}

// tableLogFactorial tabulates ln k! for k < size, for the rejection
// tests of the binomial and Poisson samplers.
func (g *rng) tableLogFactorial(size int) {
	g.lf = make([]float64, size)
	for k := range size {
		// Each entry on its own (not a running sum, whose rounding
		// errors would accumulate).
		g.lf[k] = logFactorial(float64(k))
	}
}

// logFact returns ln k! from the table when it has k.
func (g *rng) logFact(k float64) float64 {
	if k < float64(len(g.lf)) {
		return g.lf[int(k)]
	}
	return logFactorial(k)
}

func newRNG(seed, stream uint64) *rng {
	// Mix the stream index so that chains 0, 1, 2… of one seed get
	// unrelated PCG states (splitmix64 finaliser constants).
	s2 := stream*0x9E3779B97F4A7C15 + 0xD1B54A32D192ED03
	s2 ^= s2 >> 31
	g := &rng{hi: seed, lo: s2}
	g.r = rand.New(g)
	for k := 1; k < len(g.inv); k++ {
		g.inv[k] = 1 / float64(k)
	}
	return g
}

// uniform returns a uniform variate on the open interval (0, 1), so that
// its logarithm is finite.
func (g *rng) uniform() float64 {
	return (float64(g.Uint64()>>11) + 0.5) * 0x1p-53
}

// normal returns a standard normal variate (math/rand/v2's ziggurat).
func (g *rng) normal() float64 { return g.r.NormFloat64() }

// gamma returns a Gamma(a, 1) variate by Marsaglia & Tsang (2000): for
// a ≥ 1, with d = a − 1/3 and c = 1/√(9d), propose v = (1 + c·x)³ for a
// standard normal x and accept with the squeeze u < 1 − 0.0331x⁴ or else
// ln u < x²/2 + d − d·v + d·ln v; return d·v. For a < 1 it uses
// Gamma(a) = Gamma(a+1)·U^{1/a}.
func (g *rng) gamma(a float64) float64 {
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
func (g *rng) logGamma(a float64) float64 {
	if a < 1 {
		return math.Log(g.gamma(a+1)) + math.Log(g.uniform())/a
	}
	return math.Log(g.gamma(a))
}

// beta returns a Beta(a, b) variate as X/(X+Y) with X ~ Gamma(a),
// Y ~ Gamma(b); Beta(1, 1) is the uniform.
func (g *rng) beta(a, b float64) float64 {
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
func (g *rng) betaLog(a, b float64) (v, log1mv float64) {
	if a == 1 {
		// Beta(1, b) has distribution function 1 − (1 − v)^b, so
		// 1 − V = U^{1/b} by inversion: one logarithm instead of two
		// gamma variates. Empty classes, most of them, take this path.
		l := math.Log(g.uniform()) / b
		return -math.Expm1(l), l
	}
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

// logFactorial returns ln k! for k ≥ 0: math.Lgamma for small k and the
// Stirling series ln k! = (k+½)ln k − k + ½ln 2π + 1/(12k) − 1/(360k³) +
// 1/(1260k⁵) − 1/(1680k⁷) for k ≥ 10, whose error is below 1e-13 there.
func logFactorial(k float64) float64 {
	if k < 10 {
		v, _ := math.Lgamma(k + 1)
		return v
	}
	r := 1 / k
	r2 := r * r
	return (k+0.5)*math.Log(k) - k + 0.9189385332046728 +
		r*(1.0/12-r2*(1.0/360-r2*(1.0/1260-r2/1680)))
}

// binomial returns a Binomial(n, p) variate. For n·min(p, 1−p) < 20 it
// inverts the distribution function by sequential search from 0 (BINV of
// Kachitvichyanukul & Schmeiser 1988), whose cost is about n·p; otherwise
// it uses Hörmann's (1993) BTRS transformed rejection with squeeze, whose
// cost does not grow with n. Both are exact.
func (g *rng) binomial(n int, p float64) int {
	return g.binomialPQ(n, p, 1-p)
}

// binomialPQ is binomial with q = 1 − p given by the caller, who may know
// it more accurately than 1 − p (the sampler has it as a ratio of sums of
// class weights, exact even when p rounds to 1).
func (g *rng) binomialPQ(n int, p, q float64) int {
	if n <= 0 || !(p > 0) {
		return 0
	}
	if !(q > 0) {
		return n
	}
	flip := p > q
	if flip {
		p, q = q, p
	}
	var x int
	// Up to np = 20 inversion (np + 1 short steps) beats BTRS, whose
	// squeeze accepts only about half its proposals there and the rest
	// need two logarithms.
	if float64(n)*p < 20 {
		x = g.binomialInv(n, p, q)
	} else {
		x = g.binomialBTRS(n, p, q)
	}
	if flip {
		return n - x
	}
	return x
}

// binomialInv inverts the Binomial(n, p) distribution function from 0:
// with r_x = P(X = x), r_0 = q^n and r_{x+1} = r_x·((n+1)s/(x+1) − s),
// s = p/q, X is the first x where the uniform u ≤ r_0 + … + r_x. The
// expected number of steps is np + 1; r_0 comes from powInt, since
// exp(n·log1p(−p)) used to dominate the sampler's run time.
func (g *rng) binomialInv(n int, p, q float64) int {
	s := p / q
	nf := float64(n)
	a := (nf + 1) * s
	u := g.uniform()
	// Bernoulli's inequality (1−p)^n ≥ 1 − np decides X = 0 without r_0
	// for most draws with small np, the commonest case in the sampler.
	if u <= 1-nf*p {
		return 0
	}
	r0 := powInt(q, n)
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
func (g *rng) recip(k int) float64 {
	if k < len(g.inv) {
		return g.inv[k]
	}
	return 1 / float64(k)
}

// binomialBTRS is Hörmann's (1993) BTRS algorithm for np ≥ 10, p ≤ 0.5.
func (g *rng) binomialBTRS(n int, p, q float64) int {
	nf := float64(n)
	spq := math.Sqrt(nf * p * q)
	b := 1.15 + 2.53*spq
	ib := 1 / b
	a := -0.0873 + 0.0248*b + 0.01*p
	a2 := 2 * a
	c := nf*p + 0.5
	vr := 0.92 - 4.2*ib
	// The constants of the exact acceptance test cost a logarithm and
	// a division; about half the draws are accepted by the squeeze before
	// they are needed.
	var lpq, m, h, alpha float64
	ready := false
	for {
		u := g.uniform() - 0.5
		v := g.uniform()
		us := 0.5 - math.Abs(u)
		k := math.Floor((a2/us+b)*u + c)
		if k < 0 || k > nf {
			continue
		}
		if us >= 0.07 && v <= vr {
			return int(k)
		}
		if !ready {
			alpha = (2.83 + 5.1*ib) * spq
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
func (g *rng) poisson(mu float64) int64 {
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
func (g *rng) negBinomial(r float64, q float64) int64 {
	if !(q > 0) {
		return 0
	}
	return g.poisson(g.gamma(r) * q / (1 - q))
}

// powInt returns q^n by repeated squaring: about 2·log₂ n multiplications,
// a third of the time of exp(n·log1p(−p)), with a relative error of at most
// about 2·log₂ n units in the last place (1e-14 for n = 10⁶).
func powInt(q float64, n int) float64 {
	r := 1.0
	for ; n > 0; n >>= 1 {
		if n&1 != 0 {
			r *= q
		}
		q *= q
	}
	return r
}
