package estimate

import (
	"math"
	"math/bits"
)

// design is the model matrix of a log-linear model over capture patterns
// with 0/1 (corner-point) coding: the column of a term is 1 in the cells
// whose pattern contains every list of the term. The intercept is the term
// with no list, so the all-zero pattern's expected count is exp(β₀) and
// N̂ = n + exp(β₀). Since every entry is 0 or 1, each row is stored as the
// list of its non-zero columns.
type design struct {
	p      int
	rows   int
	active [][]int // active[i] lists the columns equal to 1 in row i
}

// newDesign builds the design of model m over the given patterns.
func newDesign(m Model, patterns []uint32) *design {
	cols := make([]uint32, 0, m.Params())
	cols = append(cols, 0)
	for j := range m.J {
		cols = append(cols, 1<<uint(j))
	}
	cols = append(cols, m.Terms...)
	d := &design{p: len(cols), rows: len(patterns), active: make([][]int, len(patterns))}
	for i, w := range patterns {
		act := make([]int, 0, 1<<uint(min(bits.OnesCount32(w), 10)))
		for c, t := range cols {
			if w&t == t {
				act = append(act, c)
			}
		}
		d.active[i] = act
	}
	return d
}

// dense returns the design as a row-major 0/1 matrix.
func (d *design) dense(rows []int) []float64 {
	x := make([]float64, len(rows)*d.p)
	for r, i := range rows {
		for _, c := range d.active[i] {
			x[r*d.p+c] = 1
		}
	}
	return x
}

// glmFit is a fitted Poisson log-linear model.
type glmFit struct {
	beta      []float64
	mu        []float64
	deviance  float64
	iter      int
	converged bool
}

// poissonDeviance is 2·Σ[y·ln(y/μ) − (y − μ)], with 0·ln 0 = 0.
func poissonDeviance(y, mu []float64) float64 {
	d := 0.0
	for i, yi := range y {
		if yi > 0 {
			d += yi*math.Log(yi/mu[i]) - (yi - mu[i])
		} else {
			d += mu[i]
		}
	}
	return 2 * d
}

// fitPoisson fits log μ = Xβ to the counts y by iteratively reweighted
// least squares (Nelder & Wedderburn 1972; McCullagh & Nelder 1989):
// with W = diag(μ) and working response z = η + (y − μ)/μ, repeat
// β ← (XᵀWX)⁻¹XᵀWz. For the canonical log link this is Newton's method on
// the Poisson log-likelihood. Steps that raise the deviance are halved.
// start, if not nil, is a warm start for β. Convergence means the
// deviance changed by less than 1e-12 relative and β by less than 1e-10.
func fitPoisson(d *design, y []float64, start []float64) glmFit {
	p := d.p
	beta := make([]float64, p)
	mu := make([]float64, d.rows)
	eta := make([]float64, d.rows)
	xtwx := make([]float64, p*p)
	xtwz := make([]float64, p)
	if start != nil {
		copy(beta, start)
		linpred(d, beta, eta, mu)
	} else {
		// The usual start: μ = y + 0.1, so that log μ exists.
		for i := range y {
			mu[i] = y[i] + 0.1
			eta[i] = math.Log(mu[i])
		}
	}
	dev := poissonDeviance(y, mu)
	newBeta := make([]float64, p)
	newEta := make([]float64, d.rows)
	newMu := make([]float64, d.rows)
	fit := glmFit{beta: beta, mu: mu, deviance: dev}
	for it := 1; it <= 200; it++ {
		clear(xtwx)
		clear(xtwz)
		for i, act := range d.active {
			w := mu[i]
			z := eta[i] + (y[i]-mu[i])/mu[i]
			for _, a := range act {
				xtwz[a] += w * z
				row := xtwx[a*p:]
				for _, b := range act {
					if b <= a {
						row[b] += w
					}
				}
			}
		}
		for a := range p {
			for b := a + 1; b < p; b++ {
				xtwx[a*p+b] = xtwx[b*p+a]
			}
		}
		if !cholesky(xtwx, p) {
			fit.iter = it
			return fit
		}
		copy(newBeta, xtwz)
		cholSolve(xtwx, p, newBeta)
		// Step halving (as R's glm.fit does) when the full Newton step
		// overshoots; rarely needed for the canonical link.
		step := 1.0
		var newDev float64
		for h := 0; ; h++ {
			if step != 1 {
				for k := range p {
					newBeta[k] = beta[k] + step*(newBeta[k]-beta[k])
				}
			}
			linpred(d, newBeta, newEta, newMu)
			newDev = poissonDeviance(y, newMu)
			finite := !math.IsNaN(newDev) && !math.IsInf(newDev, 0)
			// The first step from μ = y + 0.1 may raise the deviance: that
			// start is not a fit of the model.
			if finite && (newDev <= dev*(1+1e-10)+1e-10 || (it == 1 && start == nil)) {
				break
			}
			if h == 30 {
				fit.iter = it
				return fit
			}
			step = 0.5
		}
		maxStep := 0.0
		for k := range p {
			maxStep = math.Max(maxStep, math.Abs(newBeta[k]-beta[k]))
		}
		beta, newBeta = newBeta, beta
		eta, newEta = newEta, eta
		mu, newMu = newMu, mu
		change := math.Abs(newDev-dev) / (math.Abs(newDev) + 0.1)
		dev = newDev
		fit = glmFit{beta: beta, mu: mu, deviance: dev, iter: it}
		if change < 1e-12 && maxStep < 1e-10 {
			fit.converged = true
			return fit
		}
	}
	return fit
}

func linpred(d *design, beta, eta, mu []float64) {
	for i, act := range d.active {
		s := 0.0
		for _, c := range act {
			s += beta[c]
		}
		eta[i] = s
		mu[i] = math.Exp(s)
	}
}

// mleExists decides, for the Poisson log-linear model with design d and
// counts y, whether the maximum likelihood estimate exists, by the
// criterion of Haberman (1974) in the linear-programming form
// of Fienberg & Rinaldo (2012): the MLE fails to exist exactly when some
// direction δ in parameter space leaves the expected counts of all
// positive cells unchanged (X_P δ = 0) and lowers some zero cells without
// raising any (X_Z δ ≤ 0, X_Z δ ≠ 0); along δ the likelihood rises for
// ever and the parameter diverges. Writing δ = B·w with B a basis of the
// null space of X_P, we maximise Σ −(X_Z B w) subject to
// −1 ≤ X_Z B w ≤ 0; a positive optimum is such a direction.
func mleExists(d *design, y []float64) bool {
	var pos, zero []int
	for i, v := range y {
		if v > 0 {
			pos = append(pos, i)
		} else {
			zero = append(zero, i)
		}
	}
	if len(zero) == 0 {
		return true
	}
	basis := nullSpace(d.dense(pos), len(pos), d.p)
	r := len(basis)
	if r == 0 {
		return true
	}
	nz := len(zero)
	// A = X_Z·B (nz × r).
	a := make([]float64, nz*r)
	for zi, i := range zero {
		for k, v := range basis {
			s := 0.0
			for _, c := range d.active[i] {
				s += v[c]
			}
			a[zi*r+k] = s
		}
	}
	// Variables w⁺, w⁻ ≥ 0 (w = w⁺ − w⁻). Rows: A·w ≤ 0 and −A·w ≤ 1.
	n := 2 * r
	m := 2 * nz
	lp := make([]float64, m*n)
	b := make([]float64, m)
	c := make([]float64, n)
	for zi := range nz {
		for k := range r {
			v := a[zi*r+k]
			lp[zi*n+k], lp[zi*n+r+k] = v, -v
			lp[(nz+zi)*n+k], lp[(nz+zi)*n+r+k] = -v, v
			c[k] -= v
			c[r+k] += v
		}
		b[nz+zi] = 1
	}
	val, _, ok := lpMaxLE(lp, b, c, m, n)
	if !ok {
		// Cannot happen (the objective is bounded by nz); treat a
		// numerical failure as non-existence, the safe side.
		return false
	}
	return val < 1e-7
}
