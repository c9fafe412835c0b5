package linkage

import (
	"context"
	"math"
	"math/rand/v2"
	"sort"
	"sync"
)

// Observation is one distinct comparison pattern among a session's
// pairs, with how many pairs showed it. A labelled observation carries
// what a reviewer decided.
type Observation struct {
	Pattern Pattern
	Count   float64
	// Class is 1 for pairs known to match, 0 for pairs known not to, and
	// -1 for pairs nobody has judged.
	Class int8
}

// Session is one EM training session: the pairs a training rule found,
// and which comparisons that rule's keys were made of.
type Session struct {
	Name         string
	Observations []Observation
	// Exclude marks the comparisons the session estimates nothing about.
	Exclude []bool
}

// SessionResult describes one session of EM.
type SessionResult struct {
	Name    string
	Pairs   float64
	Matches float64 // estimated matches among the pairs
	// Information is how far the session's m lies from u, in bits (the
	// Kullback–Leibler divergence summed over the comparisons it
	// estimated). A session whose pairs hold no matches to find ends with
	// m ≈ u and little information, and is not used.
	Information float64
	Iterations  int
	Converged   bool
}

// EMResult describes a run of EM.
type EMResult struct {
	Sessions []SessionResult
	// Matches is the estimated number of matches among all pairs, and
	// Lambda the prior they give (see EstimateLambda).
	Matches float64
	Lambda  float64
}

// Train estimates the match probabilities m by expectation–maximisation
// without labels, in sessions, as Splink does. A session takes the pairs
// one blocking rule finds as a mixture of matches and non-matches with
// every comparison independent of the others within a class, and holds u
// fixed at what random pairs showed (EstimateU must have run): only m and
// the share of matches move, which keeps EM on the right side of the
// mixture. The comparisons the rule blocked on are left out of the session,
// since its pairs were chosen for agreeing there and their non-matches
// agree far more than random pairs do. Each comparison's m is the average
// of the sessions that estimated it, weighted by their estimated matches.
//
// Labelled observations (Class 0 or 1) form one more session, over every
// comparison, whose responsibilities are fixed: the pairs reviewers
// judged pull m towards their decisions, each labelled match counting
// labelWeight times.
func (m *Model) Train(sessions []Session, labels []Observation, labelWeight float64, maxIter int) EMResult {
	if maxIter <= 0 {
		maxIter = 500
	}
	K := len(m.Comparisons)
	pooled := make([][]float64, K)
	for k := range K {
		pooled[k] = make([]float64, len(m.M[k]))
	}
	if len(labels) > 0 {
		sessions = append(sessions, Session{Name: "reviewed pairs", Observations: labels, Exclude: make([]bool, K)})
	}
	var res EMResult
	for si, s := range sessions {
		mk, matches, it, ok := m.em(s.Observations, s.Exclude, maxIter)
		var pairs float64
		for _, o := range s.Observations {
			pairs += o.Count
		}
		info := 0.0
		for k := range K {
			if s.Exclude[k] {
				continue
			}
			for l := 1; l < len(mk[k]); l++ {
				if mk[k][l] > 0 {
					info += mk[k][l] * math.Log2(clamp(mk[k][l])/clamp(m.U[k][l]))
				}
			}
		}
		res.Sessions = append(res.Sessions, SessionResult{Name: s.Name, Pairs: pairs, Matches: matches, Information: info, Iterations: it, Converged: ok})
		w := matches
		switch {
		case len(labels) > 0 && si == len(sessions)-1:
			w *= labelWeight
		case info < MinInformation:
			w = 0
		}
		for k := range K {
			if s.Exclude[k] {
				continue
			}
			for l := 1; l < len(mk[k]); l++ {
				pooled[k][l] += w * mk[k][l]
			}
		}
	}
	for k := range K {
		var t float64
		for l := 1; l < len(pooled[k]); l++ {
			t += pooled[k][l]
		}
		if t <= 0 {
			continue // no session estimated it: keep the neutral start
		}
		for l := 1; l < len(pooled[k]); l++ {
			m.M[k][l] = pooled[k][l] / t
		}
	}
	m.Finish()
	return res
}

// MinInformation is the least information, in bits, a training session's
// m must carry to be used (see SessionResult.Information).
const MinInformation = 1.0

// em runs EM on one session with u fixed and returns m, the number of
// matches, the iterations and whether it converged. It starts twice — with
// a third of the pairs taken as matches, and with one in fifty — and keeps
// the fit with the higher likelihood: when matches are rare among a
// session's pairs, a start far from the truth can slide into the useless
// fixed point where every pair is a "match" and m equals u.
func (m *Model) em(obs []Observation, exclude []bool, maxIter int) ([][]float64, float64, int, bool) {
	var best emFit
	for i, start := range []float64{0.3, 0.02} {
		f := m.emFrom(obs, exclude, maxIter, start)
		if i == 0 || f.loglik > best.loglik {
			best = f
		}
	}
	return best.m, best.matches, best.iterations, best.converged
}

type emFit struct {
	m          [][]float64
	matches    float64
	iterations int
	converged  bool
	loglik     float64
}

func (m *Model) emFrom(obs []Observation, exclude []bool, maxIter int, share float64) emFit {
	K := len(m.Comparisons)
	mk := make([][]float64, K)
	am := make([][]float64, K)
	// Log u per level, fixed for the session.
	lu := make([][]float64, K)
	for k := range K {
		mk[k] = append([]float64(nil), m.M[k]...)
		am[k] = make([]float64, len(mk[k]))
		lu[k] = make([]float64, len(mk[k]))
		for l := 1; l < len(lu[k]); l++ {
			lu[k][l] = math.Log(clamp(m.U[k][l]))
		}
	}
	g := make([]float64, len(obs))
	var sg, ll float64
	it, converged := 0, false
	for it = 1; it <= maxIter; it++ {
		// E step, in log space: with a dozen comparisons the products
		// underflow otherwise.
		var sn float64
		sg, ll = 0, 0
		for i, o := range obs {
			a, b := math.Log(share), math.Log(1-share)
			for k := range K {
				if l := o.Pattern.Level(k); l > 0 && !exclude[k] {
					a += math.Log(clamp(mk[k][l]))
					b += lu[k][l]
				}
			}
			switch o.Class {
			case 1:
				g[i] = 1
				ll += o.Count * a
			case 0:
				g[i] = 0
				ll += o.Count * b
			default:
				g[i] = 1 / (1 + math.Exp(b-a))
				ll += o.Count * (max(a, b) + math.Log1p(math.Exp(-math.Abs(a-b))))
			}
			sg += g[i] * o.Count
			sn += o.Count
		}
		// M step, with one pseudo-pair per comparison spread over its
		// levels, so that a level no match showed keeps a small
		// probability instead of zero.
		for k := range K {
			clear(am[k])
		}
		for i, o := range obs {
			for k := range K {
				if l := o.Pattern.Level(k); l > 0 {
					am[k][l] += g[i] * o.Count
				}
			}
		}
		delta := 0.0
		for k := range K {
			if exclude[k] {
				continue
			}
			var tm float64
			n := float64(len(am[k]) - 1)
			for l := 1; l < len(am[k]); l++ {
				tm += am[k][l]
			}
			for l := 1; l < len(am[k]); l++ {
				nm := (am[k][l] + 1/n) / (tm + 1)
				delta = max(delta, math.Abs(nm-mk[k][l]))
				mk[k][l] = nm
			}
		}
		ns := sg / max(sn, 1)
		ns = min(max(ns, 1e-9), 1-1e-9)
		delta = max(delta, math.Abs(ns-share))
		share = ns
		if delta < 1e-7 {
			converged = true
			break
		}
	}
	return emFit{m: mk, matches: sg, iterations: min(it, maxIter), converged: converged, loglik: ll}
}

// EstimateLambda sets Lambda, the prior that two random records match,
// with M and U fixed: it is the expected number of matches among the
// candidate pairs (every pair outside them taken as a non-match) over all
// n(n-1)/2 pairs, found by iterating the posterior to a fixed point. ws are
// the candidates' weights without the prior. It returns the expected
// number of matches.
func (m *Model) EstimateLambda(ws []float32, n int) float64 {
	all := float64(n) * float64(n-1) / 2
	// The fixed point iterates over a histogram of the weights, in
	// 1/64-bit bins, not over millions of pairs: the posterior hardly
	// changes within a bin.
	const scale, span = 64, 128
	hist := make([]float64, 2*span*scale+1)
	for _, w := range ws {
		b := int(math.Round(float64(w) * scale))
		hist[min(max(b+span*scale, 0), len(hist)-1)]++
	}
	lam := min(float64(len(ws))*0.1/all, 0.5)
	expected := 0.0
	for range 200 {
		prior := math.Log2(lam / (1 - lam))
		expected = 0
		for b, c := range hist {
			if c > 0 {
				expected += c * Probability(float64(b-span*scale)/scale+prior)
			}
		}
		next := min(max(expected/all, 1e-12), 0.5)
		done := math.Abs(next-lam) <= 1e-6*lam
		lam = next
		if done {
			break
		}
	}
	m.Lambda = lam
	m.Finish()
	return expected
}

// parallel runs fn over [0,n) in chunks on workers goroutines.
func parallel(n, workers int, fn func(from, to int)) {
	const chunk = 1 << 15
	var wg sync.WaitGroup
	sem := make(chan struct{}, max(workers, 1))
	for from := 0; from < n; from += chunk {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			fn(from, min(n, from+chunk))
		}()
	}
	wg.Wait()
}

// uChunks is how many independent streams random pair sampling uses: a
// fixed number, so the sample depends on the seed and not on the number of
// workers.
const uChunks = 16

// EstimateU sets U from record pairs drawn at random: almost every random
// pair is a non-match, so how often they agree at each level is u. With
// fewer than samples pairs in all, every pair is used. One pseudo-pair per
// level keeps unseen levels above zero.
func (m *Model) EstimateU(ctx context.Context, n, samples int, seed uint64, workers int) error {
	K := len(m.Comparisons)
	total := float64(n) * float64(n-1) / 2
	exhaustive := total <= float64(samples)
	counts := make([][][]float64, uChunks)
	var wg sync.WaitGroup
	sem := make(chan struct{}, max(workers, 1))
	for c := range uChunks {
		counts[c] = make([][]float64, K)
		for k := range K {
			counts[c][k] = make([]float64, len(m.U[k]))
		}
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			cnt := counts[c]
			add := func(i, j int) {
				p := m.Pattern(i, j)
				for k := range K {
					if l := p.Level(k); l > 0 {
						cnt[k][l]++
					}
				}
			}
			if exhaustive {
				for i := c; i < n; i += uChunks {
					if i%1024 == 0 && ctx.Err() != nil {
						return
					}
					for j := i + 1; j < n; j++ {
						add(i, j)
					}
				}
				return
			}
			rng := rand.New(rand.NewPCG(seed, uint64(c)))
			for s := 0; s < samples/uChunks; s++ {
				if s%4096 == 0 && ctx.Err() != nil {
					return
				}
				i, j := rng.IntN(n), rng.IntN(n-1)
				if j >= i {
					j++
				}
				add(i, j)
			}
		}()
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return err
	}
	for k := range K {
		var t float64
		sum := make([]float64, len(m.U[k]))
		for c := range uChunks {
			for l := 1; l < len(sum); l++ {
				sum[l] += counts[c][k][l]
				t += counts[c][k][l]
			}
		}
		nl := float64(len(sum) - 1)
		for l := 1; l < len(sum); l++ {
			m.U[k][l] = (sum[l] + 1/nl) / (t + 1)
		}
	}
	m.Finish()
	return nil
}

// observations counts the distinct patterns of pairs, in a stable order.
func observations(pairs []Pair) []Observation {
	idx := map[Pattern]int{}
	var obs []Observation
	for _, p := range pairs {
		i, ok := idx[p.Pattern]
		if !ok {
			i = len(obs)
			idx[p.Pattern] = i
			obs = append(obs, Observation{Pattern: p.Pattern, Class: -1})
		}
		obs[i].Count++
	}
	sort.Slice(obs, func(i, j int) bool { return obs[i].Pattern < obs[j].Pattern })
	return obs
}
