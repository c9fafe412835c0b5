package linkage

import (
	"cmp"
	"context"
	"runtime"
	"slices"
	"time"
)

// Dataset is a set of records prepared for linkage: Persons for person
// lists and the store, Table for any other CSV.
type Dataset interface {
	Len() int
	ID(i int) string
	Comparisons() []Comparison
	Rules() []Rule
}

// Label is a reviewer's decision on a pair of records, by index.
type Label struct {
	A, B  int32
	Match bool
}

// Options tune Link. The zero value works.
type Options struct {
	// Threshold is the match probability that links two records; 0 means
	// DefaultThreshold.
	Threshold float64
	// Keep is the lowest probability of the pairs returned in
	// Result.Pairs, for review queues and explanations; 0 means Threshold.
	Keep float64
	// Workers is the number of goroutines; 0 means GOMAXPROCS.
	Workers int
	// Seed seeds the random pairs that estimate u.
	Seed uint64
	// USamples is the number of random pairs that estimate u; 0 means
	// a hundred per record, at most DefaultUSamples.
	USamples int
	// MaxIter bounds EM's iterations; 0 means 500.
	MaxIter int
	// Labels are pairs reviewers decided. They enter EM with their class
	// fixed and bind the clustering: matches are joined, non-matches kept
	// apart.
	Labels []Label
	// TrainingPairs bounds the pairs of each training session; 0 means
	// DefaultTrainingPairs.
	TrainingPairs int
	// LabelWeight is how many unlabelled matches one labelled match counts
	// for in m; 0 means 1.
	LabelWeight float64
	// Cluster overrides the clustering options derived from Threshold.
	Cluster *ClusterOptions
}

// DefaultThreshold is the match probability Link uses when none is given.
const DefaultThreshold = 0.5

// DefaultUSamples is how many random pairs estimate u by default.
const DefaultUSamples = 1_000_000

// DefaultTrainingPairs bounds each training session's pairs by default.
const DefaultTrainingPairs = 1_000_000

// Trainer is implemented by a Dataset whose training sessions differ from
// its blocking rules; without it, Link trains on every blocking rule.
type Trainer interface {
	TrainingRules() []Rule
}

func trainingRules(d Dataset) []Rule {
	if t, ok := d.(Trainer); ok {
		return t.TrainingRules()
	}
	return d.Rules()
}

// Stats tells what a run of Link did and how long each step took.
type Stats struct {
	Records    int
	Candidates int
	Rules      []RuleStats
	EM         EMResult
	Cluster    ClusterStats
	// Blocking is the time to find the candidate pairs and Score the
	// time to compare and weigh them; Workers goroutines shared each.
	Blocking, U, Train, Score, Clustering time.Duration
	Workers                               int
}

// PairsPerSecond is how many candidate pairs were compared and weighed
// per second per worker.
func (s Stats) PairsPerSecond() float64 {
	if s.Score <= 0 || s.Workers == 0 {
		return 0
	}
	return float64(s.Candidates) / s.Score.Seconds() / float64(s.Workers)
}

// Result is what Link found.
type Result struct {
	Model *Model
	// Clusters labels every record with its person, 0, 1, … in order of
	// each person's first record.
	Clusters []int32
	// Pairs are the candidate pairs at or above Options.Keep, strongest
	// first.
	Pairs []ScoredPair
	Stats Stats
}

// Link links the records of d: it estimates u from random pairs and m by
// EM in training sessions, finds the candidate pairs by blocking, compares
// and weighs each with term-frequency adjustment, estimates the prior, and
// clusters the pairs above the threshold into persons with a guard against
// chaining.
func Link(ctx context.Context, d Dataset, o Options) (*Result, error) {
	if o.Threshold <= 0 || o.Threshold >= 1 {
		o.Threshold = DefaultThreshold
	}
	if o.Keep <= 0 || o.Keep > o.Threshold {
		o.Keep = o.Threshold
	}
	if o.Workers <= 0 {
		o.Workers = runtime.GOMAXPROCS(0)
	}
	if o.TrainingPairs <= 0 {
		o.TrainingPairs = DefaultTrainingPairs
	}
	if o.LabelWeight <= 0 {
		o.LabelWeight = 1
	}
	n := d.Len()
	if o.USamples <= 0 {
		o.USamples = min(DefaultUSamples, 100*n)
	}
	m, err := NewModel(d.Comparisons())
	if err != nil {
		return nil, err
	}
	res := &Result{Model: m, Stats: Stats{Records: n, Workers: o.Workers}}
	st := &res.Stats
	if n < 2 {
		res.Clusters = make([]int32, n)
		st.Cluster.Clusters = n
		return res, nil
	}

	t := time.Now()
	if err := m.EstimateU(ctx, n, o.USamples, o.Seed, o.Workers); err != nil {
		return nil, err
	}
	st.U = time.Since(t)

	// Training needs pairs of its own (see Trainer), so m is known before
	// the candidate pairs are found, and each candidate is weighed once.
	t = time.Now()
	var sessions []Session
	for _, r := range trainingRules(d) {
		tp, err := TrainingPairs(ctx, m, n, r, o.TrainingPairs, o.Workers)
		if err != nil {
			return nil, err
		}
		ex := make([]bool, len(m.Comparisons))
		for k, c := range m.Comparisons {
			ex[k] = slices.Contains(r.Uses, c.Name())
		}
		sessions = append(sessions, Session{Name: r.Name, Observations: observations(tp), Exclude: ex})
	}
	var labels []Observation
	for _, l := range o.Labels {
		c := int8(0)
		if l.Match {
			c = 1
		}
		labels = append(labels, Observation{Pattern: m.Pattern(int(l.A), int(l.B)), Count: 1, Class: c})
	}
	st.EM = m.Train(sessions, labels, o.LabelWeight, o.MaxIter)
	m.TFMin = 1 / float64(n)
	m.Finish()
	st.Train = time.Since(t)

	t = time.Now()
	pairs, rules, err := Candidates(ctx, n, d.Rules(), o.Workers)
	if err != nil {
		return nil, err
	}
	st.Blocking, st.Candidates, st.Rules = time.Since(t), len(pairs), rules

	t = time.Now()
	ws := weigh(ctx, m, pairs, o.Workers)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	st.EM.Matches = m.EstimateLambda(ws, n)
	st.EM.Lambda = m.Lambda
	copts := DefaultClusterOptions(o.Threshold)
	if o.Cluster != nil {
		copts = *o.Cluster
	}
	scored := selectPairs(m, pairs, ws, min(o.Keep, copts.Threshold))
	pairs, ws = nil, nil
	fixed := map[[2]int32]bool{}
	for _, l := range o.Labels {
		p := ordered(l.A, l.B)
		fixed[p] = l.Match
		if l.Match {
			copts.Must = append(copts.Must, p)
		} else {
			copts.Cannot = append(copts.Cannot, p)
		}
	}
	st.Score = time.Since(t)

	t = time.Now()
	res.Clusters, st.Cluster = Cluster(m, n, scored, copts)
	st.Clustering = time.Since(t)
	for _, p := range scored {
		if _, decided := fixed[ordered(p.A, p.B)]; decided {
			continue
		}
		if p.Probability >= o.Keep {
			res.Pairs = append(res.Pairs, p)
		}
	}
	slices.SortFunc(res.Pairs, func(x, y ScoredPair) int {
		if c := cmp.Compare(y.Weight, x.Weight); c != 0 {
			return c
		}
		if c := cmp.Compare(x.A, y.A); c != 0 {
			return c
		}
		return cmp.Compare(x.B, y.B)
	})
	return res, nil
}

// weigh compares and weighs every candidate pair, in parallel: its match
// weight without the prior, which is not known yet.
func weigh(ctx context.Context, m *Model, pairs []uint64, workers int) []float32 {
	ws := make([]float32, len(pairs))
	parallel(len(pairs), workers, func(from, to int) {
		if ctx.Err() != nil {
			return
		}
		for i := from; i < to; i++ {
			a, b := UnpackPair(pairs[i])
			ws[i] = float32(m.Score(int(a), int(b)) - m.prior)
		}
	})
	return ws
}

// selectPairs keeps the pairs whose probability is at least lowest.
func selectPairs(m *Model, pairs []uint64, ws []float32, lowest float64) []ScoredPair {
	minW := WeightOf(lowest) - m.prior
	var out []ScoredPair
	for i, w := range ws {
		if float64(w) >= minW {
			a, b := UnpackPair(pairs[i])
			wt := float64(w) + m.prior
			out = append(out, ScoredPair{A: a, B: b, Weight: wt, Probability: Probability(wt)})
		}
	}
	return out
}
