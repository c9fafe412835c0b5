package estimate

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"slices"
)

// MaxLogLinearLists is the most lists LogLinear accepts: the Poisson model
// is fitted to all 2^J − 1 possible patterns, observed or not.
const MaxLogLinearLists = 10

// maxModels bounds the model search (2^16 fits of at most a few hundred
// cells each take seconds, not minutes).
const maxModels = 1 << 16

// chi2_95 is the 95% quantile of χ² with one degree of freedom: the
// profile-likelihood interval is where the deviance stays below it.
const chi2_95 = 3.841458820694124

// llCells returns the 2^J − 1 non-zero patterns and their counts.
func llCells(t *Table) ([]uint32, []float64) {
	nc := 1<<uint(t.J()) - 1
	ps := make([]uint32, nc)
	y := make([]float64, nc)
	for i := range nc {
		ps[i] = uint32(i + 1)
		y[i] = float64(t.Count(uint32(i + 1)))
	}
	return ps, y
}

// fitModel fits m to the observed cells and fills one row of the models
// table. ok is false when the MLE does not exist (checked exactly by
// linear programming, then confirmed by IRLS convergence).
func fitModel(m Model, ps []uint32, y []float64, n int) (ModelFit, glmFit, bool) {
	d := newDesign(m, ps)
	if !mleExists(d, y) {
		return ModelFit{}, glmFit{}, false
	}
	f := fitPoisson(d, y, nil)
	if !f.converged || math.IsInf(f.beta[0], 0) || math.IsNaN(f.beta[0]) {
		return ModelFit{}, f, false
	}
	p := d.p
	// Rcapture's conventions: AIC from the deviance, BIC = AIC + (ln n − 2)·p
	// with n the number of people observed, p counting the intercept.
	aic := f.deviance + 2*float64(p)
	return ModelFit{
		Model:    m.String(),
		Params:   p,
		Deviance: f.deviance,
		DF:       len(ps) - p,
		AIC:      aic,
		BIC:      aic + (math.Log(float64(n))-2)*float64(p),
		Estimate: float64(n) + math.Exp(f.beta[0]),
	}, f, true
}

// LogLinear estimates N with a hierarchical log-linear model (Fienberg
// 1972; Bishop, Fienberg & Holland 1975). The Poisson model
// log μ_ω = Σ_{terms T ⊆ ω} u_T is fitted by IRLS to the 2^J − 1 observed
// cells (zero counts included); the unobserved all-zero cell's expected
// count is exp(u_∅), so N̂ = n + exp(u_∅).
//
// With opts.Model set, that model is fitted. Otherwise every hierarchical
// model with interactions up to opts.MaxOrder (default 2) is fitted and
// the one with the smallest criterion (opts.Criterion, BIC by default) is
// chosen, as in Rcapture: AIC = deviance + 2p, BIC = AIC + (ln n − 2)p,
// with n the people observed and p the parameters. Models whose MLE does
// not exist are left out and listed in NoMLE.
//
// The 95% interval is the multinomial profile-likelihood interval of
// Cormack (1992), the one Rcapture's closedpCI gives: for each candidate
// number unseen n0 the model is fitted to the complete 2^J table with n0
// in the all-zero cell, the multinomial log-likelihood
// ln N! − ln n0! + Σ_ω y_ω ln(μ̂_ω/N) (N = n + n0) is profiled, and the
// interval holds the N whose deviance from the maximum is below
// χ²₁(0.95) = 3.84.
func LogLinear(t *Table, opts Options) (Result, error) {
	if err := t.Validate(); err != nil {
		return Result{}, err
	}
	opts = opts.withDefaults()
	j := t.J()
	if j > MaxLogLinearLists {
		return Result{}, fmt.Errorf("estimate: log-linear models need at most %d lists, have %d", MaxLogLinearLists, j)
	}
	n := t.Observed()
	if n == 0 {
		return Result{}, errors.New("estimate: no records")
	}
	ps, y := llCells(t)
	res := Result{Method: MethodLogLinear, Lists: t.Lists, Observed: n}
	if t.Overlapping() == 0 {
		return Result{}, errors.New("estimate: no record is on two lists: the lists carry no information about each other and no estimate exists")
	}

	var chosen Model
	var chosenFit ModelFit
	var chosenGLM glmFit
	if opts.Model != "" {
		m, err := ParseModel(opts.Model, t.Lists)
		if err != nil {
			return Result{}, err
		}
		mf, g, ok := fitModel(m, ps, y, n)
		if !ok {
			return Result{}, fmt.Errorf("estimate: model %s has no maximum likelihood estimate for these data (empty cells let a parameter diverge)", m)
		}
		chosen, chosenFit, chosenGLM = m, mf, g
		res.Models = []ModelFit{mf}
	} else {
		if opts.Criterion != CriterionAIC && opts.Criterion != CriterionBIC {
			return Result{}, fmt.Errorf("estimate: unknown criterion %q (want bic or aic)", opts.Criterion)
		}
		if opts.MaxOrder < 1 {
			return Result{}, fmt.Errorf("estimate: maximum interaction order must be at least 1, have %d", opts.MaxOrder)
		}
		models, err := EnumerateModels(j, opts.MaxOrder, maxModels)
		if err != nil {
			return Result{}, err
		}
		crit := func(f ModelFit) float64 {
			if opts.Criterion == CriterionAIC {
				return f.AIC
			}
			return f.BIC
		}
		type cand struct {
			m   Model
			f   ModelFit
			glm glmFit
		}
		var fits []cand
		for _, m := range models {
			mf, g, ok := fitModel(m, ps, y, n)
			if !ok {
				res.NoMLE = append(res.NoMLE, m.String())
				continue
			}
			fits = append(fits, cand{m, mf, g})
		}
		if len(fits) == 0 {
			return Result{}, errors.New("estimate: no log-linear model has a maximum likelihood estimate for these data")
		}
		// Best first; ties go to the simpler model.
		slices.SortStableFunc(fits, func(a, b cand) int {
			if c := cmp.Compare(crit(a.f), crit(b.f)); c != 0 {
				return c
			}
			return cmp.Compare(a.f.Params, b.f.Params)
		})
		chosen, chosenFit, chosenGLM = fits[0].m, fits[0].f, fits[0].glm
		res.Criterion = opts.Criterion
		res.Models = make([]ModelFit, len(fits))
		for i, c := range fits {
			res.Models[i] = c.f
		}
	}
	res.Model = chosenFit.Model
	res.Estimate = chosenFit.Estimate
	lo, hi := profileInterval(chosen, n, y, chosenGLM.beta)
	res.Interval = Interval{lo, hi}
	res.IntervalMethod = "multinomial profile likelihood (Cormack 1992)"
	if chosenFit.DF == 0 {
		res.Warnings = append(res.Warnings, "the chosen model is saturated (no degrees of freedom left): its fit cannot be checked")
	}
	if math.IsInf(hi, 1) {
		res.Warnings = append(res.Warnings, "the profile likelihood does not fall by 3.84 above the estimate: the upper end is unbounded")
	}
	if len(res.NoMLE) > 0 {
		res.Warnings = append(res.Warnings, fmt.Sprintf("%d models left out: no maximum likelihood estimate (empty cells)", len(res.NoMLE)))
	}
	return res, nil
}

// profileInterval returns the 95% multinomial profile-likelihood interval
// for N under model m (Cormack 1992). y holds the observed cells (patterns
// 1..2^J−1) and beta the fit to them, used as a warm start.
func profileInterval(m Model, n int, y []float64, beta []float64) (lo, hi float64) {
	nc := len(y) + 1
	ps := make([]uint32, nc)
	for i := range nc {
		ps[i] = uint32(i)
	}
	d := newDesign(m, ps)
	full := make([]float64, nc)
	copy(full[1:], y)
	warm := slices.Clone(beta)
	nf := float64(n)
	// loglik is the multinomial log-likelihood maximised over the model's
	// parameters for n0 unseen, up to a constant: with μ̂ the Poisson fit
	// to the complete table (whose cells sum to N because of the
	// intercept), μ̂/N are the fitted cell probabilities.
	loglik := func(n0 float64) float64 {
		full[0] = n0
		f := fitPoisson(d, full, warm)
		if !f.converged {
			f = fitPoisson(d, full, nil)
		}
		if f.converged {
			copy(warm, f.beta)
		}
		big := nf + n0
		lg1, _ := math.Lgamma(big + 1)
		lg2, _ := math.Lgamma(n0 + 1)
		l := lg1 - lg2
		for i, v := range full {
			if v > 0 {
				l += v * math.Log(f.mu[i]/big)
			}
		}
		return l
	}
	// Maximise over n0: bracket around the Poisson estimate exp(β₀), then
	// golden-section search.
	f0 := math.Exp(beta[0])
	h := math.Max(1, 0.05*f0)
	b := f0
	lb := loglik(b)
	a, c := math.Max(0, b-h), b+h
	la, lc := loglik(a), loglik(c)
	for lc > lb && c < 1e15 { // uphill to the right
		a, la, b, lb = b, lb, c, lc
		h *= 2
		c = b + h
		lc = loglik(c)
	}
	for la > lb && a > 0 { // uphill to the left
		c, b, lb = b, a, la
		h *= 2
		a = math.Max(0, b-h)
		la = loglik(a)
	}
	const g = 0.3819660112501051
	x1, x2 := a+g*(c-a), c-g*(c-a)
	l1, l2 := loglik(x1), loglik(x2)
	for c-a > 1e-7*(1+math.Abs(x1)) {
		if l1 > l2 {
			c, x2, l2 = x2, x1, l1
			x1 = a + g*(c-a)
			l1 = loglik(x1)
		} else {
			a, x1, l1 = x1, x2, l2
			x2 = c - g*(c-a)
			l2 = loglik(x2)
		}
	}
	best, lbest := x1, l1
	if l2 > l1 {
		best, lbest = x2, l2
	}
	dev := func(n0 float64) float64 { return 2 * (lbest - loglik(n0)) }
	root := func(inside, outside float64) float64 {
		for range 200 {
			mid := 0.5 * (inside + outside)
			if math.Abs(outside-inside) < 1e-6*(1+math.Abs(mid)) {
				break
			}
			if dev(mid) < chi2_95 {
				inside = mid
			} else {
				outside = mid
			}
		}
		return 0.5 * (inside + outside)
	}
	lo = 0
	if dev(0) > chi2_95 {
		lo = root(best, 0)
	}
	hi = math.Inf(1)
	step := math.Max(10, best)
	prev := best
	for x := best + step; x < 1e12; x = best + step {
		if dev(x) > chi2_95 {
			hi = root(prev, x)
			break
		}
		prev = x
		step *= 2
	}
	return nf + lo, nf + hi
}
