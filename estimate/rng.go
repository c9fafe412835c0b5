package estimate

import (
	"math"
	"math/bits"
	"slices"
)

// rng draws the random variates the Gibbs sampler needs, exactly (no
// normal approximations), from the xoshiro256++ generator (Blackman &
// Vigna 2021): 256 bits of state, period 2^256 − 1, a few shifts and
// additions an output where PCG-DXSM needs a 128-bit multiplication, which
// matters because the sampler draws some three hundred variates a sweep.
// Each chain owns one, so runs are reproducible from a seed.
type rng struct {
	s   [4]uint64
	inv [64]float64 // inv[k] = 1/k
	lf  []float64   // lf[k] = ln k!, optional
	thr [16]uint64  // scratch of categorical: 15 boundaries (the 16th is never used)
	cum []float64   // scratch of categoricalMany
	gc  []float64   // gc[a] = 1/√(9(a − 1/3)), c of gamma for integer shapes a ≥ 1, optional
}

// Uint64 returns the next output of xoshiro256++.
func (g *rng) Uint64() uint64 {
	s0, s1, s2, s3 := g.s[0], g.s[1], g.s[2], g.s[3]
	r := bits.RotateLeft64(s0+s3, 23) + s0
	s2 ^= s0
	s3 ^= s1
	g.s = [4]uint64{s0 ^ s3, s1 ^ s2, s2 ^ s1<<17, bits.RotateLeft64(s3, 45)}
	return r
}

// jump advances the generator by 2^128 outputs (the published jump
// polynomial), so that the chains of one seed use disjoint stretches of
// the sequence.
func (g *rng) jump() {
	var s0, s1, s2, s3 uint64
	for _, j := range [...]uint64{0x180ec6d33cfd0aba, 0xd5a61266f0c9392c, 0xa9582618e03fc9aa, 0x39abdc4529b1661c} {
		for b := range 64 {
			if j&(1<<uint(b)) != 0 {
				s0 ^= g.s[0]
				s1 ^= g.s[1]
				s2 ^= g.s[2]
				s3 ^= g.s[3]
			}
			g.Uint64()
		}
	}
	g.s = [4]uint64{s0, s1, s2, s3}
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

// tableGamma tabulates the constant c = 1/√(9(a − 1/3)) of the gamma
// sampler for the integer shapes a < size, which the Gibbs sampler's
// capture probabilities and stick-breaking weights have: a square root
// and a division less a variate.
func (g *rng) tableGamma(size int) {
	g.gc = make([]float64, size)
	for a := 1; a < size; a++ {
		g.gc[a] = 1 / math.Sqrt(9*(float64(a)-1.0/3))
	}
}

// gammaInt is gamma for an integer shape a ≥ 1, with c from the table
// when it has a.
func (g *rng) gammaInt(a int64) float64 {
	d := float64(a) - 1.0/3
	if a < int64(len(g.gc)) {
		return g.gammaDC(d, g.gc[a])
	}
	return g.gammaDC(d, 1/math.Sqrt(9*d))
}

// betaInt is beta for integer shapes a, b ≥ 1, with the gamma variates
// of gammaInt.
func (g *rng) betaInt(a, b int64) float64 {
	if a == 1 || b == 1 {
		return g.beta(float64(a), float64(b)) // by inversion, no gamma
	}
	x := g.gammaInt(a)
	return x / (x + g.gammaInt(b))
}

// logFact returns ln k! from the table when it has k.
func (g *rng) logFact(k float64) float64 {
	if k < float64(len(g.lf)) {
		return g.lf[int(k)]
	}
	return logFactorial(k)
}

// newRNG returns the generator of chain stream of seed: the state is
// filled from seed by splitmix64 (Steele, Lea & Flood 2014), as the
// xoshiro authors recommend, and jumped stream times.
func newRNG(seed, stream uint64) *rng {
	g := &rng{}
	x := seed
	for i := range g.s {
		x += 0x9E3779B97F4A7C15
		z := x
		z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9
		z = (z ^ (z >> 27)) * 0x94D049BB133111EB
		g.s[i] = z ^ (z >> 31)
	}
	for range stream {
		g.jump()
	}
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

// normal returns a standard normal variate by the ziggurat method of
// Marsaglia & Tsang (2000) with 128 layers, as math/rand/v2 draws it,
// from this generator directly.
func (g *rng) normal() float64 {
	x, _ := g.normalFrom(g.Uint64())
	return x
}

// normalFrom is normal from the generator's output u, and returns too
// the 25 top bits of the output the variate was taken from, which the
// ziggurat does not look at: they are uniform and independent of the
// variate, and gammaDC uses them as the leading bits of its uniform.
func (g *rng) normalFrom(u uint64) (float64, uint64) {
	for {
		j := int32(u)
		i := int(u>>32) & 127
		x := float64(j) * float64(zigW[i])
		if absInt32(j) < zigK[i] {
			return x, u >> 39
		}
		if i == 0 {
			// The tail beyond zigR, by Marsaglia's (1964) method.
			for {
				x = -math.Log(g.uniform()) * (1 / zigR)
				y := -math.Log(g.uniform())
				if y+y >= x*x {
					break
				}
			}
			if j > 0 {
				return zigR + x, u >> 39
			}
			return -zigR - x, u >> 39
		}
		if zigF[i]+float32(g.uniform())*(zigF[i-1]-zigF[i]) < float32(math.Exp(-0.5*x*x)) {
			return x, u >> 39
		}
		u = g.Uint64()
	}
}

func absInt32(j int32) uint32 {
	if j < 0 {
		return uint32(-j)
	}
	return uint32(j)
}

// The ziggurat's tables for the normal: zigR is where the tail starts;
// layer i has width zigW[i]·2^31, density zigF[i] at its edge, and
// zigK[i] is the share of it (scaled by 2^31) inside the layer above. They
// are computed once from Marsaglia & Tsang's recurrence, never changed.
const zigR = 3.442619855899

var zigK, zigW, zigF = zigguratTables()

func zigguratTables() (k [128]uint32, w, f [128]float32) {
	const m1 = 2147483648.0 // 2^31
	const vn = 9.91256303526217e-3
	dn := zigR
	tn := dn
	q := vn / math.Exp(-0.5*dn*dn)
	k[0] = uint32((dn / q) * m1)
	k[1] = 0
	w[0] = float32(q / m1)
	w[127] = float32(dn / m1)
	f[0] = 1
	f[127] = float32(math.Exp(-0.5 * dn * dn))
	for i := 126; i >= 1; i-- {
		dn = math.Sqrt(-2 * math.Log(vn/dn+math.Exp(-0.5*dn*dn)))
		k[i+1] = uint32((dn / tn) * m1)
		tn = dn
		f[i] = float32(math.Exp(-0.5 * dn * dn))
		w[i] = float32(dn / m1)
	}
	return k, w, f
}

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
	return g.gammaDC(d, 1/math.Sqrt(9*d))
}

// gammaDC is the rejection loop of Marsaglia & Tsang for d = a − 1/3 and
// c = 1/√(9d).
//
// Its uniform u is drawn lazily: its leading 25 bits are the normal
// variate's spare bits (normalFrom), u = (spare + f)·2^−25 with f uniform,
// and f is drawn only when the squeeze u < 1 − 0.0331x⁴ is not decided by
// the leading bits alone — in about one draw in twelve. The law is that of
// a full uniform u, and most variates cost one output of the generator
// instead of two.
func (g *rng) gammaDC(d, c float64) float64 {
	for {
		var x, v float64
		var lead uint64
		for {
			// normalFrom's common case, inside the layer's rectangle,
			// written out here: a call a variate costs more than the
			// test.
			r := g.Uint64()
			if j, i := int32(r), int(r>>32)&127; absInt32(j) < zigK[i] {
				x, lead = float64(j)*float64(zigW[i]), r>>39
			} else {
				x, lead = g.normalFrom(r)
			}
			v = 1 + c*x
			if v > 0 {
				break
			}
		}
		v = v * v * v
		x2 := x * x
		squeeze := 1 - 0.0331*x2*x2
		lo := float64(lead) * 0x1p-25
		if lo+0x1p-25 <= squeeze {
			return d * v // u < lo + 2^−25 ≤ the squeeze, whatever f
		}
		u := lo + g.uniform()*0x1p-25
		if u < squeeze {
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
	switch {
	case a == 1 && b == 1:
		return g.uniform()
	case a == 1:
		// Beta(1, b) by inversion of its distribution function
		// 1 − (1 − v)^b: one logarithm and one exponential instead of two
		// gamma variates. A list that caught nobody of a class, or
		// everybody, gives these shapes.
		return -math.Expm1(math.Log(g.uniform()) / b)
	case b == 1:
		return math.Exp(math.Log(g.uniform()) / a)
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

// binomial returns a Binomial(n, p) variate. For n·min(p, 1−p) < 15 it
// inverts the distribution function by sequential search from 0 (BINV of
// Kachitvichyanukul & Schmeiser 1988), whose cost is about n·p; otherwise
// it uses Hörmann's (1993) BTRS transformed rejection with squeeze, whose
// cost does not grow with n. Both are exact.
func (g *rng) binomial(n int, p float64) int {
	switch {
	case n <= 0 || !(p > 0):
		return 0
	case !(p < 1):
		return n
	}
	return g.binomialW(n, p, 1-p, 1)
}

// binomialW is binomial for n ≥ 1 with p and q = 1 − p given as weights,
// p = a·inv and q = b·inv with inv = 1/(a+b) finite, a ≥ 0 and b > 0:
// the sampler has them as sums of class weights, and q is then exact even
// where p rounds to 1. The odds s = p/q, which the draws need, is a/b, a
// division that need not wait for inv.
//
// It draws the smaller side and flips. Up to np = 15 inversion (np + 1
// short steps) beats BTRS, whose squeeze accepts only about half its
// proposals there. The test for X = 0 by Bernoulli's inequality is made
// here, before another call: many of the sampler's draws have a small
// mean and end there, and a call costs as much as the test, every live
// register being saved and restored around it.
func (g *rng) binomialW(n int, a, b, inv float64) int {
	flip := a > b
	if flip {
		a, b = b, a
	}
	p, q := a*inv, b*inv
	nf := float64(n)
	var x int
	if nf*p >= 15 {
		x = g.binomialBTRS(n, p, q)
	} else if u := g.uniform(); u > 1-nf*p {
		x = g.binomialInvU(u, n, p, q, a/b)
	}
	if flip {
		return n - x
	}
	return x
}

// binomialInvU inverts the Binomial(n, p) distribution function from 0,
// for the uniform u: with r_x = P(X = x), r_0 = q^n and r_{x+1} =
// r_x·((n+1)s/(x+1) − s), s = p/q, X is the first x where u ≤ r_0 + … +
// r_x. The expected number of steps is np + 1; r_0 comes from powInt,
// since exp(n·log1p(−p)) used to dominate the sampler's run time. The
// caller (binomialW) has already decided X = 0 where Bernoulli's
// inequality (1−p)^n ≥ 1 − np does, without r_0.
func (g *rng) binomialInvU(u float64, n int, p, q, s float64) int {
	a := (float64(n) + 1) * s
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
	a := -0.0873 + 0.0248*b + 0.01*p
	a2 := 2 * a
	c := nf*p + 0.5
	// The squeeze v ≤ 0.92 − 4.2/b, tested as v·b ≤ vb without a
	// division.
	vb := 0.92*b - 4.2
	// The constants of the exact tests are computed when first needed:
	// the squeeze accepts about half the proposals (in the sampler, a draw
	// takes 1.27 proposals and 0.57 exact tests on average). Those of the
	// test in logarithms cost a logarithm, and most of the other draws
	// are decided by the test in products before they are needed.
	var alpha, m, s, lpq, h float64
	ready, logReady := false, false
	for {
		// u from the top 53 bits of an output; the low 11 are the
		// leading bits of v = (lead + f)·2^−11, f uniform, drawn only
		// when the squeeze is not decided without it (as in gammaDC).
		r := g.Uint64()
		u := (float64(r>>11)+0.5)*0x1p-53 - 0.5
		lo := float64(r&(1<<11-1)) * 0x1p-11
		us := 0.5 - math.Abs(u)
		k := math.Floor((a2/us+b)*u + c)
		if k < 0 || k > nf {
			continue
		}
		if us >= 0.07 && (lo+0x1p-11)*b <= vb {
			return int(k) // v < lo + 2^−11, in the squeeze whatever f
		}
		v := lo + g.uniform()*0x1p-11
		if us >= 0.07 && v*b <= vb {
			return int(k)
		}
		if !ready {
			alpha = (2.83 + 5.1/b) * spq
			m = math.Floor((nf + 1) * p) // the mode
			s = p / q
			ready = true
		}
		// Accept when v·α/(a/us² + b) ≤ f(k)/f(m), f the binomial
		// probabilities. Near the mode the ratio is a short product,
		// f(k)/f(m) = Π_{i=m+1..k} (n−i+1)s/i for k > m (the reciprocal
		// of the like product for k < m), s = p/q, compared without a
		// division; otherwise in logarithms, by ln k! from the table.
		v *= alpha / (a/(us*us) + b)
		if d := k - m; d > -maxBTRSProduct && d < maxBTRSProduct {
			num, den := 1.0, 1.0
			if d > 0 {
				for i := m + 1; i <= k; i++ {
					num *= (nf - i + 1) * s
					den *= i
				}
			} else {
				for i := k + 1; i <= m; i++ {
					num *= i
					den *= (nf - i + 1) * s
				}
			}
			if v*den <= num {
				return int(k)
			}
			continue
		}
		if !logReady {
			lpq = math.Log(s)
			h = g.logFact(m) + g.logFact(nf-m)
			logReady = true
		}
		if math.Log(v) <= h-g.logFact(k)-g.logFact(nf-k)+(k-m)*lpq {
			return int(k)
		}
	}
}

// maxBTRSProduct bounds the length of the products of the exact test in
// binomialBTRS: the factors are at most n, so for any n below 2^40 (the
// sampler stops far below, at maxUnseen) a product of 23 stays below
// 2^920, clear of overflow; and a longer product would cost more than the
// two logarithms it saves.
const maxBTRSProduct = 24

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

// powInt returns q^n by repeated squaring: about 2·log₂ n
// multiplications, with a relative error of at most about 2·log₂ n units
// in the last place (1e-14 for n = 10⁶). The factor of each bit of n is
// selected without a branch: the bits are random, and a mispredicted
// branch per bit cost more than the multiplications.
func powInt(q float64, n int) float64 {
	r := 1.0
	one := math.Float64bits(1)
	for ; n > 0; n >>= 1 {
		mask := -uint64(n & 1)
		r *= math.Float64frombits(one ^ (one^math.Float64bits(q))&mask)
		q *= q
	}
	return r
}

// categorical adds to cnt[l] the number of x people, each independently
// of class l with probability w[l]/total (total = Σ w, w ≥ 0, some w > 0).
// Each person costs one output of the generator and no unpredictable
// branch: the output's top 63 bits u are compared with all the class
// boundaries, Σ_{i≤l} w_i/total scaled to 2^63, and the class is the
// number of boundaries at or below u. The generator's state stays in
// registers for the whole loop. Classes after the last of positive weight
// never get anyone, nor does any class of weight 0 (its interval is
// empty).
func (g *rng) categorical(x int64, w []float64, total float64, cnt []int64) {
	last := len(w) - 1
	for last > 0 && !(w[last] > 0) {
		last--
	}
	if last == 0 {
		cnt[0] += x
		return
	}
	if last >= len(g.thr) || !(total > 0x1p-900) {
		// Many classes; or weights so small that 2^63/total would
		// overflow.
		g.categoricalMany(x, w[:last+1], total, cnt)
		return
	}
	// The boundaries, padded with 2^63, which no u reaches, to 15
	// entries: one comparison picks the half, and seven more, made side
	// by side, the class within it.
	thr := &g.thr
	scale := 0x1p63 / total
	cum := 0.0
	for l := range last {
		cum += w[l]
		// At most 2^63 (rounding can carry cum·scale there).
		thr[l] = uint64(min(cum*scale, 0x1p63))
	}
	for l := last; l < 15; l++ {
		thr[l] = 1 << 63
	}
	cnt = cnt[:last+1]
	s0, s1, s2, s3 := g.s[0], g.s[1], g.s[2], g.s[3]
	for ; x > 0; x-- {
		u := (bits.RotateLeft64(s0+s3, 23) + s0) >> 1
		s0, s1, s2, s3 = xoshiroNext(s0, s1, s2, s3)
		// The class is the number of boundaries at or below u; a
		// boundary above u shows as the borrow of u − boundary.
		_, b := bits.Sub64(u, thr[7], 0)
		base := 8 & int(b-1)
		h := (*[7]uint64)(thr[base : base+7])
		_, b0 := bits.Sub64(u, h[0], 0)
		_, b1 := bits.Sub64(u, h[1], 0)
		_, b2 := bits.Sub64(u, h[2], 0)
		_, b3 := bits.Sub64(u, h[3], 0)
		_, b4 := bits.Sub64(u, h[4], 0)
		_, b5 := bits.Sub64(u, h[5], 0)
		_, b6 := bits.Sub64(u, h[6], 0)
		cnt[base+7-int((b0+b1)+(b2+b3)+(b4+b5)+b6)]++
	}
	g.s = [4]uint64{s0, s1, s2, s3}
}

// categoricalMany is categorical for more classes than g.thr holds (or
// for a total below 2^−900), by a binary search of the cumulative weights
// a person.
func (g *rng) categoricalMany(x int64, w []float64, total float64, cnt []int64) {
	if cap(g.cum) < len(w) {
		g.cum = make([]float64, len(w))
	}
	cum := g.cum[:len(w)-1]
	c := 0.0
	for l := range cum {
		c += w[l]
		cum[l] = c
	}
	for ; x > 0; x-- {
		u := g.uniform() * total
		// The number of boundaries at or below u; the last class (of
		// positive weight) takes whatever rounding leaves beyond them.
		l, _ := slices.BinarySearch(cum, u)
		for l < len(cum) && cum[l] <= u {
			l++
		}
		cnt[l]++
	}
}

// xoshiroNext is the state transition of xoshiro256++.
func xoshiroNext(s0, s1, s2, s3 uint64) (uint64, uint64, uint64, uint64) {
	t := s1 << 17
	s2 ^= s0
	s3 ^= s1
	s1 ^= s2
	s0 ^= s3
	s2 ^= t
	return s0, s1, s2, bits.RotateLeft64(s3, 45)
}
