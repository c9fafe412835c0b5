package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"

	"tumen"
	"tumen/count"
	"tumen/estimate"
	"tumen/sqlstore"
)

// estimateFlags are the flags of tumen estimate; opts holds only the
// flags several commands share.
type estimateFlags struct {
	in, method, model, criterion, stratify, population, pair string
	seed                                                     uint64
	k, burnin, samples, thin, chains, maxOrder, minRecords   int
}

func estimateCommand() *command {
	f := &estimateFlags{}
	return &command{
		name:    "estimate",
		summary: "estimate how many were never documented (multiple systems estimation)",
		help: `
Multiple systems estimation (capture–recapture): the overlap between lists
kept independently by several organisations tells how many people no list
caught. Estimates are always reported with a 95% interval.

With --in FILE the lists come from a CSV of capture patterns: one 0/1
column per list and a final count column, one row per pattern, e.g.

  EXH,ABA,OSCE,HRW,count
  1,0,0,0,1131
  0,1,0,0,845
  …

Without --in they come from the store: one list per documenting
organisation, a person counting as on an organisation's list when one of
its sources supports them (their record or an act against them); records
that linkage merged into one identity count once.

Methods:
  chapman     two lists (Chapman 1951, Seber's variance, Chao's interval);
              with more lists, --pair chooses two (default the first two)
  loglinear   hierarchical log-linear models over all capture patterns,
              chosen by BIC (--criterion aic for AIC), up to two-way
              interactions (--max-order 3 for three-way), or one --model
              such as [12,13,24,25,35,45]; profile-likelihood interval;
              models with no MLE are left out and listed
  lcmcr       the Bayesian latent-class model of Manrique-Vallier (2016):
              K classes, burn-in, samples thinned, two chains, seeded

Different log-linear models can fit about equally well and still give very
different totals; the output says so when the two-way and three-way
searches disagree. Report the range, not one number.`,
		args: "[--in FILE.csv]",
		flags: func(fs *flag.FlagSet, o *opts) {
			fs.StringVar(&f.in, "in", "", "CSV of capture patterns (default: build the lists from the store)")
			fs.StringVar(&f.method, "method", estimate.MethodLogLinear, "chapman, lincoln-petersen, loglinear or lcmcr")
			fs.Uint64Var(&f.seed, "seed", 1, "lcmcr: random seed")
			fs.IntVar(&f.k, "K", 10, "lcmcr: number of latent classes")
			fs.IntVar(&f.burnin, "burnin", 10000, "lcmcr: sweeps discarded")
			fs.IntVar(&f.samples, "samples", 1000, "lcmcr: draws kept per chain")
			fs.IntVar(&f.thin, "thin", 100, "lcmcr: keep one sweep in this many")
			fs.IntVar(&f.chains, "chains", 2, "lcmcr: number of chains")
			fs.IntVar(&f.maxOrder, "max-order", 2, "loglinear: highest interaction order searched (2 or 3)")
			fs.StringVar(&f.model, "model", "", "loglinear: fit this model only, e.g. [12,13,24]")
			fs.StringVar(&f.criterion, "criterion", estimate.CriterionBIC, "loglinear: bic or aic")
			fs.StringVar(&f.pair, "pair", "", "chapman: the two lists, by name or 1-based number, e.g. 1,3")
			fs.StringVar(&f.stratify, "stratify", "", "store only: estimate by year, sex or region")
			fs.StringVar(&f.population, "population", count.PopulationRepatriated, "store only: repatriated or victims")
			fs.IntVar(&f.minRecords, "min-records", 20, "with --stratify: fewest people a stratum needs")
			fs.BoolVar(&o.json, "json", false, "print JSON")
		},
		run: func(ctx context.Context, a *app, args []string) error {
			if len(args) > 0 {
				return usageError{"estimate takes no arguments; give the file with --in"}
			}
			opts, err := f.options()
			if err != nil {
				return err
			}
			if f.in != "" {
				if f.stratify != "" {
					return usageError{"--stratify needs the store: a pattern CSV has no years, sexes or regions"}
				}
				t, err := readPatterns(f.in, a.stdin)
				if err != nil {
					return err
				}
				if opts.Pair, err = parsePair(f.pair, t); err != nil {
					return err
				}
				return a.estimateOne(t, opts, "file "+f.in, nil)
			}
			return a.estimateStore(ctx, f, opts)
		},
	}
}

// options checks the flags and turns them into estimate.Options.
func (f *estimateFlags) options() (estimate.Options, error) {
	o := estimate.Options{Method: f.method, Seed: f.seed, K: f.k, Burnin: f.burnin, Samples: f.samples, Thin: f.thin,
		Chains: f.chains, MaxOrder: f.maxOrder, Model: f.model, Criterion: f.criterion, MinRecords: f.minRecords}
	switch f.method {
	case estimate.MethodChapman, estimate.MethodLincolnPetersen, estimate.MethodLogLinear, estimate.MethodLCMCR:
	default:
		return o, usageError{fmt.Sprintf("unknown --method %q (want chapman, loglinear or lcmcr)", f.method)}
	}
	switch {
	case f.maxOrder != 2 && f.maxOrder != 3:
		return o, usageError{"--max-order must be 2 or 3"}
	case f.criterion != estimate.CriterionBIC && f.criterion != estimate.CriterionAIC:
		return o, usageError{"--criterion must be bic or aic"}
	case f.k < 1 || f.k > 1000:
		return o, usageError{"--K must be between 1 and 1000"}
	case f.burnin < 0 || f.samples < 4 || f.thin < 1:
		return o, usageError{"--burnin must be 0 or more, --samples at least 4 and --thin at least 1"}
	case f.chains < 1 || f.chains > 64:
		return o, usageError{"--chains must be between 1 and 64"}
	case f.minRecords < 1:
		return o, usageError{"--min-records must be at least 1"}
	case f.model != "" && f.method != estimate.MethodLogLinear:
		return o, usageError{"--model applies to --method loglinear"}
	}
	return o, nil
}

// readPatterns reads a capture-pattern CSV; "-" is standard input.
func readPatterns(path string, stdin io.Reader) (*estimate.Table, error) {
	r := stdin
	if path != "-" {
		f, err := os.Open(path)
		if err != nil {
			return nil, tumen.Errorf(tumen.KindNotFound, "cannot read %s: %v", path, errors.Unwrap(err))
		}
		defer f.Close()
		r = f
	}
	t, err := estimate.ReadCSV(r)
	if err != nil {
		return nil, tumen.Errorf(tumen.KindInvalid, "%s: %s", path, strings.TrimPrefix(err.Error(), "estimate: "))
	}
	return t, nil
}

// parsePair reads --pair: two lists by name or 1-based number.
func parsePair(s string, t *estimate.Table) ([2]int, error) {
	if s == "" {
		return [2]int{0, 1}, nil
	}
	parts := strings.Split(s, ",")
	if len(parts) != 2 {
		return [2]int{}, usageError{"--pair takes two lists, e.g. 1,3 or EXH,HRW"}
	}
	var p [2]int
	for i, part := range parts {
		part = strings.TrimSpace(part)
		p[i] = -1
		if n, err := strconv.Atoi(part); err == nil && n >= 1 && n <= t.J() {
			p[i] = n - 1
		}
		for j, l := range t.Lists {
			if l == part {
				p[i] = j
			}
		}
		if p[i] < 0 {
			return p, usageError{fmt.Sprintf("--pair: no list %q", part)}
		}
	}
	if p[0] == p[1] {
		return p, usageError{"--pair needs two different lists"}
	}
	return p, nil
}

// estimateOutput is the JSON of one estimate: the estimator's result, with
// the median always present (the point estimate for chapman and
// loglinear, which have no posterior), and for loglinear the best model
// of the other interaction order, whose disagreement is the analyst's to
// weigh.
type estimateOutput struct {
	estimate.Result
	Median      float64          `json:"median"`
	Source      string           `json:"source,omitempty"`
	Sensitivity *estimate.Result `json:"sensitivity,omitempty"`
	Notes       []string         `json:"notes,omitempty"`
}

// estimateOne runs one estimate and prints it.
func (a *app) estimateOne(t *estimate.Table, o estimate.Options, source string, notes []string) error {
	res, err := estimate.Estimate(t, o)
	if err != nil {
		return tumen.Errorf(tumen.KindInvalid, "%s", strings.TrimPrefix(err.Error(), "estimate: "))
	}
	out := estimateOutput{Result: res, Median: res.Median, Source: source, Notes: notes}
	if res.Method != estimate.MethodLCMCR {
		out.Median = res.Estimate
	}
	if res.Method == estimate.MethodLogLinear && o.Model == "" && t.J() >= 4 {
		// The other interaction order: where it disagrees, the analyst
		// must see it (Kosovo: 14,342 with two-way terms, 10,357 with
		// three-way).
		alt := o
		alt.MaxOrder = 5 - o.MaxOrder
		if r, err := estimate.LogLinear(t, alt); err == nil {
			r.Models, r.NoMLE = nil, nil
			out.Sensitivity = &r
		}
	}
	if a.o.json {
		enc := json.NewEncoder(a.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}
	printEstimate(a.stdout, t, out, o)
	return nil
}

func printEstimate(w io.Writer, t *estimate.Table, out estimateOutput, o estimate.Options) {
	r := out.Result
	fmt.Fprintf(w, "%s estimate from %s\n", methodName(r.Method), out.Source)
	fmt.Fprintf(w, "Lists (%d): %s\n", len(r.Lists), strings.Join(r.Lists, ", "))
	fmt.Fprintf(w, "People on at least one list: %s\n", thousands(r.Observed))
	if r.Method == estimate.MethodLogLinear {
		how := "chosen by " + strings.ToUpper(r.Criterion)
		if r.Criterion == "" {
			how = "given"
		}
		fmt.Fprintf(w, "Model: %s (%s)\n", r.Model, how)
	}
	fmt.Fprintf(w, "\nEstimated total: %s", num0(r.Estimate))
	if r.Method == estimate.MethodLCMCR {
		fmt.Fprintf(w, " (posterior mean; median %s)", num0(r.Median))
	}
	fmt.Fprintf(w, "\n95%% interval:    %s to %s (%s)\n", num0(r.Interval[0]), num0(r.Interval[1]), r.IntervalMethod)
	if r.SE > 0 {
		fmt.Fprintf(w, "Standard error:  %s\n", num0(r.SE))
	}
	unseen := r.Estimate - float64(r.Observed)
	fmt.Fprintf(w, "That is about %s people on no list, %s to %s at 95%%.\n", num0(unseen), num0(r.Interval[0]-float64(r.Observed)), num0(r.Interval[1]-float64(r.Observed)))
	if d := r.Diagnostics; d != nil {
		fmt.Fprintf(w, "\nChains: %d × %d draws; effective sample size %.0f (per chain %s); R-hat %.3f; chain medians %s\n",
			d.Chains, d.Draws, d.ESS, joinFloats(d.ChainESS, "%.0f"), d.RHat, joinFloats(d.ChainMedians, "%.0f"))
	}
	if len(r.Models) > 0 {
		fmt.Fprintf(w, "\nModels fitted, best first by %s (%d):\n", strings.ToUpper(orDash(r.Criterion)), len(r.Models))
		tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintln(tw, "model\tparams\tdeviance\tdf\tAIC\tBIC\testimate\t")
		for i, m := range r.Models {
			if i == 15 {
				fmt.Fprintf(tw, "… %d more\t\t\t\t\t\t\t\n", len(r.Models)-15)
				break
			}
			fmt.Fprintf(tw, "%s\t%d\t%.2f\t%d\t%.2f\t%.2f\t%s\t\n", m.Model, m.Params, m.Deviance, m.DF, m.AIC, m.BIC, num1(m.Estimate))
		}
		tw.Flush()
	}
	if len(r.NoMLE) > 0 {
		show := r.NoMLE
		more := ""
		if len(show) > 12 {
			show, more = show[:12], fmt.Sprintf(" … and %d more", len(r.NoMLE)-12)
		}
		fmt.Fprintf(w, "\nModels left out, no maximum likelihood estimate (empty cells let a parameter diverge), %d:\n  %s%s\n", len(r.NoMLE), strings.Join(show, " "), more)
	}
	if s := out.Sensitivity; s != nil {
		fmt.Fprintf(w, "\nWith interactions up to order %d instead, %s chooses %s: %s (95%% interval %s to %s).\n",
			5-o.MaxOrder, strings.ToUpper(s.Criterion), s.Model, num1(s.Estimate), num0(s.Interval[0]), num0(s.Interval[1]))
		diff := math.Abs(s.Estimate-r.Estimate) / math.Min(s.Estimate, r.Estimate)
		if diff > 0.1 {
			fmt.Fprintf(w, "CAUTION: the two best models differ by %.0f%%. Both are defensible fits of the observed patterns; they disagree on the one\n"+
				"cell no list can see. The data cannot settle which is right: report the range (%s to %s), look for\n"+
				"why lists depend on each other, and compare with --method lcmcr, which models heterogeneous capture.\n",
				100*diff, num0(math.Min(s.Estimate, r.Estimate)), num0(math.Max(s.Estimate, r.Estimate)))
		} else {
			fmt.Fprintln(w, "The two searches agree within 10%.")
		}
	}
	for _, n := range out.Notes {
		fmt.Fprintf(w, "Note: %s\n", n)
	}
	for _, warn := range r.Warnings {
		fmt.Fprintf(w, "Warning: %s\n", warn)
	}
}

func methodName(m string) string {
	switch m {
	case estimate.MethodChapman:
		return "Chapman two-list"
	case estimate.MethodLincolnPetersen:
		return "Lincoln–Petersen two-list"
	case estimate.MethodLogLinear:
		return "Log-linear"
	case estimate.MethodLCMCR:
		return "Latent-class (LCMCR)"
	}
	return m
}

func num0(v float64) string {
	switch {
	case math.IsInf(v, 1):
		return "unbounded"
	case math.IsNaN(v):
		return "unknown"
	}
	return thousands(int(math.Round(v)))
}

func num1(v float64) string {
	if math.IsInf(v, 0) || math.IsNaN(v) {
		return num0(v)
	}
	whole := math.Floor(v)
	return fmt.Sprintf("%s.%d", thousands(int(whole)), int(math.Round((v-whole)*10))%10)
}

func thousands(n int) string {
	if n < 0 {
		return "-" + thousands(-n)
	}
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

func joinFloats(v []float64, format string) string {
	var parts []string
	for _, x := range v {
		parts = append(parts, fmt.Sprintf(format, x))
	}
	return strings.Join(parts, ", ")
}

// estimateStore builds the capture histories from the store and
// estimates, by stratum when asked.
func (a *app) estimateStore(ctx context.Context, f *estimateFlags, o estimate.Options) error {
	var strat count.Dim
	if f.stratify != "" {
		switch f.stratify {
		case "year", "sex", "region":
			strat = count.Dim(f.stratify)
		default:
			return usageError{"--stratify must be year, sex or region"}
		}
	}
	if f.population != count.PopulationRepatriated && f.population != count.PopulationVictims {
		return usageError{"--population must be repatriated or victims"}
	}
	db, err := a.unlock(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	ctx = a.ctx(ctx)
	c, err := count.Load(ctx, db, count.Options{})
	if err != nil {
		return err
	}
	ids := &identityMap{ctx: ctx, db: db, cache: map[string]string{}}
	strata, warnings, err := c.Captures(count.CaptureOptions{Identity: ids.of, Population: f.population, Stratify: strat})
	if err != nil {
		return err
	}
	if ids.err != nil {
		return ids.err
	}
	if len(strata) == 0 {
		return tumen.Errorf(tumen.KindInvalid, "no %s people are documented by any organisation: nothing to estimate", f.population)
	}
	lists := strata[0].Table.Lists
	if len(lists) < 2 {
		return tumen.Errorf(tumen.KindInvalid, "the %s people are documented by %d organisation; estimation needs at least two lists", f.population, len(lists))
	}
	source := fmt.Sprintf("the store: %s people, one list per documenting organisation", f.population)
	if strat == count.None {
		t := strata[0].Table
		if o.Pair, err = parsePair(f.pair, t); err != nil {
			return err
		}
		if t.Overlapping() == 0 {
			return tumen.Errorf(tumen.KindInvalid, "no person is on two lists: each organisation documented different people (or duplicates are not linked yet: run tumen link), and the lists carry no information about what they missed")
		}
		return a.estimateOne(t, o, source, warnings)
	}
	if f.pair != "" {
		if o.Pair, err = parsePair(f.pair, strata[0].Table); err != nil {
			return err
		}
	}
	results := estimate.Stratify(strata, o)
	if a.o.json {
		enc := json.NewEncoder(a.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(map[string]any{"method": o.Method, "stratify": f.stratify, "source": source, "lists": lists, "strata": results, "warnings": warnings})
	}
	fmt.Fprintf(a.stdout, "%s estimates by %s from %s\nLists (%d): %s\n\n", methodName(o.Method), f.stratify, source, len(lists), strings.Join(lists, ", "))
	tw := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "stratum\tobserved\testimate\t95% interval\tnote")
	total, sparse := 0.0, 0
	for i, sr := range results {
		obs := strata[i].Table.Observed()
		if sr.Result == nil {
			sparse++
			why := sr.Error
			if len(sr.Warnings) > 0 {
				why = strings.Join(sr.Warnings, "; ")
			}
			fmt.Fprintf(tw, "%s\t%s\t–\t–\t%s\n", sr.Name, thousands(obs), why)
			continue
		}
		r := sr.Result
		total += r.Estimate
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s to %s\t%s\n", sr.Name, thousands(obs), num0(r.Estimate), num0(r.Interval[0]), num0(r.Interval[1]), strings.Join(append(append([]string{}, sr.Warnings...), r.Warnings...), "; "))
	}
	tw.Flush()
	if sparse > 0 {
		fmt.Fprintf(a.stdout, "\nWarning: %d of %d strata are too sparse to estimate (fewer than %d people, or nobody on two lists); their people are not in the sum below.\n", sparse, len(results), o.MinRecords)
	}
	if sparse < len(results) {
		fmt.Fprintf(a.stdout, "\nSum of the stratum estimates: %s. Intervals of strata do not add up; estimate the whole for a total interval.\n", num0(total))
	} else {
		fmt.Fprintln(a.stdout, "\nNo stratum could be estimated.")
	}
	for _, w := range warnings {
		fmt.Fprintf(a.stdout, "Warning: %s\n", w)
	}
	return nil
}

// identityMap maps each person record to the identity that linkage
// merged it into, so that one person documented by several organisations
// counts once; a record in no identity stands for itself.
type identityMap struct {
	ctx   context.Context
	db    *sqlstore.DB
	cache map[string]string
	err   error
}

func (m *identityMap) of(id string) string {
	if v, ok := m.cache[id]; ok {
		return v
	}
	v := id
	ident, err := m.db.IdentityOf(m.ctx, id)
	switch {
	case err == nil && ident.Active():
		v = "identity:" + strconv.FormatInt(ident.ID, 10)
	case err != nil && !tumen.IsNotFound(err) && m.err == nil:
		m.err = err
	}
	m.cache[id] = v
	return v
}
