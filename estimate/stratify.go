package estimate

import "fmt"

// Stratum is one stratum (a region, a period, a sex…) and its table.
type Stratum struct {
	Name  string
	Table *Table
}

// StratumResult is the outcome for one stratum. Result is nil when the
// stratum was skipped as too sparse or the estimator failed.
type StratumResult struct {
	Name     string   `json:"name"`
	Result   *Result  `json:"result,omitempty"`
	Skipped  bool     `json:"skipped,omitempty"`
	Warnings []string `json:"warnings,omitempty"`
	Error    string   `json:"error,omitempty"`
}

// Stratify runs the estimator chosen by opts on every stratum, in order.
//
// Estimating by strata is the usual defence against heterogeneous capture
// (lists that cover regions or periods unevenly), but each stratum must
// hold enough information. A stratum is skipped, with a warning, when it
// has fewer than opts.MinRecords records (default 20) or when no record is
// on two lists (the lists' overlap is what every estimator uses; with none
// the estimate is infinite). For the two-list methods the chosen pair must
// overlap. Lists with no record in a stratum carry no information there
// and are left out of that stratum's log-linear or latent-class model,
// with a warning, since their main effect would diverge.
//
// The strata's estimates may be added for a total, but their intervals
// may not: for a total interval, sum lcmcr posterior draws or combine
// variances outside this function.
func Stratify(strata []Stratum, opts Options) []StratumResult {
	opts = opts.withDefaults()
	out := make([]StratumResult, len(strata))
	for i, s := range strata {
		r := &out[i]
		r.Name = s.Name
		t := s.Table
		if t == nil {
			r.Skipped = true
			r.Error = "no table"
			continue
		}
		if err := t.Validate(); err != nil {
			r.Error = err.Error()
			continue
		}
		n := t.Observed()
		if n < opts.MinRecords {
			r.Skipped = true
			r.Warnings = append(r.Warnings, fmt.Sprintf("only %d records (fewer than %d): too sparse to estimate", n, opts.MinRecords))
			continue
		}
		if t.Overlapping() == 0 {
			r.Skipped = true
			r.Warnings = append(r.Warnings, "no record is on two lists: no overlap, no estimate")
			continue
		}
		switch opts.Method {
		case MethodChapman, MethodLincolnPetersen:
			pair, err := t.Collapse(opts.Pair[0], opts.Pair[1])
			if err != nil {
				r.Error = err.Error()
				continue
			}
			if pair.Count(3) == 0 {
				r.Skipped = true
				r.Warnings = append(r.Warnings, fmt.Sprintf("lists %s and %s do not overlap: no two-list estimate", pair.Lists[0], pair.Lists[1]))
				continue
			}
		default:
			var keep []int
			for j := range t.J() {
				if t.ListTotal(j) > 0 {
					keep = append(keep, j)
				} else {
					r.Warnings = append(r.Warnings, fmt.Sprintf("list %s has no record in this stratum and is left out", t.Lists[j]))
				}
			}
			if len(keep) < 2 {
				r.Skipped = true
				r.Warnings = append(r.Warnings, "fewer than two lists have records: no estimate")
				continue
			}
			if len(keep) < t.J() {
				var err error
				if t, err = t.Collapse(keep...); err != nil {
					r.Error = err.Error()
					continue
				}
				if opts.Model != "" {
					r.Warnings = append(r.Warnings, "the fixed model refers to the full list set; it is parsed against the remaining lists")
				}
			}
		}
		res, err := Estimate(t, opts)
		if err != nil {
			r.Error = err.Error()
			continue
		}
		r.Result = &res
	}
	return out
}
