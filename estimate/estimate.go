// Package estimate implements multiple systems estimation (capture–
// recapture) for counting what no list documented: the two-list
// Lincoln–Petersen and Chapman estimators, hierarchical log-linear models
// chosen by AIC/BIC with profile-likelihood intervals, and the Bayesian
// latent-class model of Manrique-Vallier (2016) fitted by a Gibbs sampler.
// It also stratifies estimation and suppresses small cells of published
// tables.
//
// Everything is written from the published equations (Seber 1982; Chao
// 1987; Fienberg 1972; Cormack 1992; Haberman 1974; Manrique-Vallier 2016)
// with the standard library only.
package estimate

import (
	"encoding/json"
	"fmt"
	"math"
	"strings"
)

// Method names accepted in Options.Method.
const (
	MethodLincolnPetersen = "lincoln-petersen"
	MethodChapman         = "chapman"
	MethodLogLinear       = "loglinear"
	MethodLCMCR           = "lcmcr"
)

// Criterion names accepted in Options.Criterion.
const (
	CriterionBIC = "bic"
	CriterionAIC = "aic"
)

// Options selects and tunes an estimator. The zero value of every field
// means its default.
type Options struct {
	// Method is one of the Method constants; default loglinear.
	Method string
	// Seed seeds the random number generator of lcmcr (chain c uses the
	// xoshiro256++ stream of Seed jumped c times), so a run is
	// reproducible.
	Seed uint64
	// K is the number of latent classes of lcmcr (truncation of the
	// stick-breaking prior); default 10.
	K int
	// Burnin is the number of lcmcr iterations discarded; default 10,000.
	Burnin int
	// Samples is the number of lcmcr draws kept per chain; default 1,000.
	Samples int
	// Thin keeps one lcmcr iteration in Thin; default 100.
	Thin int
	// Chains is the number of lcmcr chains (different streams of Seed);
	// default 2, the fewest for a Gelman–Rubin R-hat.
	Chains int
	// AlphaA and AlphaB are the shape and rate of the Gamma prior on the
	// Dirichlet process concentration; default 0.25 each.
	AlphaA, AlphaB float64
	// MaxOrder is the highest interaction order of the log-linear models
	// searched; default 2.
	MaxOrder int
	// Model fixes the log-linear model, in Rcapture's notation
	// ("[12,13,24]"); empty means search all hierarchical models.
	Model string
	// Criterion chooses the log-linear model: bic (default) or aic.
	Criterion string
	// Pair picks the two lists (0-based) for the two-list estimators when
	// the table has more than two; default lists 0 and 1.
	Pair [2]int
	// MinRecords is the fewest records a stratum needs before Stratify
	// estimates it; default 20.
	MinRecords int
}

func (o Options) withDefaults() Options {
	if o.Method == "" {
		o.Method = MethodLogLinear
	}
	o.Method = strings.ToLower(o.Method)
	if o.K == 0 {
		o.K = 10
	}
	if o.Burnin == 0 {
		o.Burnin = 10_000
	}
	if o.Samples == 0 {
		o.Samples = 1_000
	}
	if o.Thin == 0 {
		o.Thin = 100
	}
	if o.Chains == 0 {
		o.Chains = 2
	}
	if o.AlphaA == 0 {
		o.AlphaA = 0.25
	}
	if o.AlphaB == 0 {
		o.AlphaB = 0.25
	}
	if o.MaxOrder == 0 {
		o.MaxOrder = 2
	}
	if o.Criterion == "" {
		o.Criterion = CriterionBIC
	}
	o.Criterion = strings.ToLower(o.Criterion)
	if o.Pair == [2]int{} {
		o.Pair = [2]int{0, 1}
	}
	if o.MinRecords == 0 {
		o.MinRecords = 20
	}
	return o
}

// Interval is a 95% interval [lower, upper] for the population size. An
// unbounded end is +Inf (or NaN if unknown) and is written as null in JSON.
type Interval [2]float64

// MarshalJSON writes non-finite ends as null, which JSON can carry and
// Inf cannot.
func (iv Interval) MarshalJSON() ([]byte, error) {
	var parts [2]any
	for i, v := range iv {
		if math.IsInf(v, 0) || math.IsNaN(v) {
			parts[i] = nil
		} else {
			parts[i] = v
		}
	}
	return json.Marshal(parts)
}

// UnmarshalJSON reads null as +Inf for the upper end and NaN for the lower.
func (iv *Interval) UnmarshalJSON(b []byte) error {
	var parts [2]*float64
	if err := json.Unmarshal(b, &parts); err != nil {
		return err
	}
	iv[0], iv[1] = math.NaN(), math.Inf(1)
	if parts[0] != nil {
		iv[0] = *parts[0]
	}
	if parts[1] != nil {
		iv[1] = *parts[1]
	}
	return nil
}

// ModelFit is one row of the table of log-linear models fitted.
type ModelFit struct {
	Model    string  `json:"model"`
	Params   int     `json:"params"`
	Deviance float64 `json:"deviance"`
	DF       int     `json:"df"`
	AIC      float64 `json:"aic"`
	BIC      float64 `json:"bic"`
	Estimate float64 `json:"estimate"`
}

// Diagnostics describes the convergence of an MCMC run.
type Diagnostics struct {
	// Chains is the number of chains pooled.
	Chains int `json:"chains"`
	// Draws is the number of kept draws per chain.
	Draws int `json:"draws"`
	// ESS is the effective sample size of N pooled over chains (Geyer's
	// initial positive sequence estimator per chain, summed).
	ESS float64 `json:"ess"`
	// ChainESS is the effective sample size of each chain.
	ChainESS []float64 `json:"chain_ess"`
	// RHat is the split-chain Gelman–Rubin potential scale reduction of N
	// (Gelman et al., Bayesian Data Analysis, 3rd ed.); values
	// above about 1.05 mean the chains disagree.
	RHat float64 `json:"rhat"`
	// ChainMedians is the posterior median of N in each chain.
	ChainMedians []float64 `json:"chain_medians"`
}

// Result is the outcome of an estimator, shaped for the CLI's --json.
type Result struct {
	// Method is the estimator used.
	Method string `json:"method"`
	// Lists names the lists used.
	Lists []string `json:"lists,omitempty"`
	// Observed is n, the number of distinct people on at least one list.
	Observed int `json:"observed"`
	// Estimate is the estimated population size N (posterior mean for
	// lcmcr).
	Estimate float64 `json:"estimate"`
	// Median is the posterior median of N (lcmcr only).
	Median float64 `json:"median,omitempty"`
	// SE is the standard error of the estimate, when the method gives one.
	SE float64 `json:"se,omitempty"`
	// Interval is the 95% interval for N.
	Interval Interval `json:"interval"`
	// IntervalMethod says how Interval was computed.
	IntervalMethod string `json:"interval_method"`
	// Model is the log-linear model used, in Rcapture notation.
	Model string `json:"model,omitempty"`
	// Criterion is the criterion that chose Model (empty if Model was
	// given).
	Criterion string `json:"criterion,omitempty"`
	// Models is the table of log-linear models fitted, best first.
	Models []ModelFit `json:"models,omitempty"`
	// NoMLE lists the models left out because their maximum likelihood
	// estimate does not exist (empty cells make a parameter diverge).
	NoMLE []string `json:"no_mle,omitempty"`
	// Diagnostics describes MCMC convergence (lcmcr only).
	Diagnostics *Diagnostics `json:"diagnostics,omitempty"`
	// Warnings are caveats a reader of the estimate must see.
	Warnings []string `json:"warnings,omitempty"`
}

// Estimate runs the estimator chosen by opts.Method on t.
func Estimate(t *Table, opts Options) (Result, error) {
	if err := t.Validate(); err != nil {
		return Result{}, err
	}
	opts = opts.withDefaults()
	switch opts.Method {
	case MethodChapman, MethodLincolnPetersen:
		pair := t
		if t.J() != 2 || opts.Pair != [2]int{0, 1} {
			var err error
			if pair, err = t.Collapse(opts.Pair[0], opts.Pair[1]); err != nil {
				return Result{}, err
			}
		}
		if opts.Method == MethodChapman {
			return Chapman(pair)
		}
		return LincolnPetersen(pair)
	case MethodLogLinear:
		return LogLinear(t, opts)
	case MethodLCMCR:
		return LCMCR(t, opts)
	}
	return Result{}, fmt.Errorf("estimate: unknown method %q (want %s, %s, %s or %s)", opts.Method,
		MethodChapman, MethodLincolnPetersen, MethodLogLinear, MethodLCMCR)
}
