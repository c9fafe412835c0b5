package estimate

import "math"

// quantile returns the q-quantile of sorted data by linear interpolation
// between order statistics (Hyndman & Fan 1996, definition 7, R's
// default).
func quantile(sorted []float64, q float64) float64 {
	if len(sorted) == 0 {
		return math.NaN()
	}
	h := q * float64(len(sorted)-1)
	lo := int(math.Floor(h))
	if lo >= len(sorted)-1 {
		return sorted[len(sorted)-1]
	}
	return sorted[lo] + (h-float64(lo))*(sorted[lo+1]-sorted[lo])
}

func meanVar(x []float64) (m, v float64) {
	for _, xi := range x {
		m += xi
	}
	m /= float64(len(x))
	for _, xi := range x {
		v += (xi - m) * (xi - m)
	}
	if len(x) > 1 {
		v /= float64(len(x) - 1)
	}
	return m, v
}

// ess returns the effective sample size of one chain, M/τ with the
// integrated autocorrelation time τ = −1 + 2·Σ_m Γ_m estimated by Geyer's
// (1992) initial monotone sequence: Γ_m = ρ_{2m} + ρ_{2m+1} summed while
// positive, each made no larger than the one before. A constant chain has
// no information about spread; its ESS is reported as M.
func ess(x []float64) float64 {
	n := len(x)
	if n < 4 {
		return float64(n)
	}
	m, _ := meanVar(x)
	acov := func(lag int) float64 {
		s := 0.0
		for i := 0; i+lag < n; i++ {
			s += (x[i] - m) * (x[i+lag] - m)
		}
		return s / float64(n)
	}
	g0 := acov(0)
	if g0 == 0 {
		return float64(n)
	}
	sum := 0.0
	prev := math.Inf(1)
	for k := 0; 2*k+1 < n; k++ {
		gamma := (acov(2*k) + acov(2*k+1)) / g0
		if gamma <= 0 {
			break
		}
		gamma = math.Min(gamma, prev)
		prev = gamma
		sum += gamma
	}
	tau := -1 + 2*sum
	if tau < 1/math.Log10(float64(n)) {
		// Guard as Stan does against absurd super-efficiency estimates.
		tau = 1 / math.Log10(float64(n))
	}
	return float64(n) / tau
}

// splitRHat returns the split-chain potential scale reduction factor
// (Gelman & Rubin 1992; Gelman et al., Bayesian Data Analysis, 3rd ed.):
// each chain is cut in halves, and with W the mean within-half
// variance and B/n the variance of the half means,
// R̂ = √(((n−1)/n·W + B/n) / W). Splitting also catches a single chain
// that has not settled. With one chain of fewer than 4 draws it is NaN.
func splitRHat(chains [][]float64) float64 {
	var halves [][]float64
	for _, c := range chains {
		h := len(c) / 2
		if h < 2 {
			return math.NaN()
		}
		halves = append(halves, c[:h], c[len(c)-h:])
	}
	n := float64(len(halves[0]))
	for _, h := range halves {
		n = math.Min(n, float64(len(h)))
	}
	means := make([]float64, len(halves))
	w := 0.0
	for i, h := range halves {
		mu, v := meanVar(h[:int(n)])
		means[i] = mu
		w += v
	}
	w /= float64(len(halves))
	_, bOverN := meanVar(means)
	if w == 0 {
		if bOverN == 0 {
			return 1
		}
		return math.Inf(1)
	}
	return math.Sqrt(((n-1)/n*w + bOverN) / w)
}
