package estimate

import (
	"math"
	"os"
	"testing"
)

// capClass is a latent class of a simulated population: its share and
// the probability each list captures a member.
type capClass struct {
	share float64
	p     []float64
}

// simulate draws the capture table of a closed population of size n.
func simulate(g *rng, n int, classes []capClass) *Table {
	j := len(classes[0].p)
	lists := make([]string, j)
	for i := range lists {
		lists[i] = string(rune('A' + i))
	}
	t := NewTable(lists...)
	for range n {
		u := g.uniform()
		c := classes[len(classes)-1]
		for _, cl := range classes {
			if u < cl.share {
				c = cl
				break
			}
			u -= cl.share
		}
		var pat uint32
		for l, p := range c.p {
			if g.uniform() < p {
				pat |= 1 << uint(l)
			}
		}
		if pat != 0 {
			t.Cells[pat]++
		}
	}
	return t
}

// TestCoverage measures how often the 95% intervals cover the true
// population size in simulated data. It is slow, so it runs only when
// ESTIMATE_COVERAGE=1 (and never with -short):
//
//	ESTIMATE_COVERAGE=1 go test ./estimate/ -run Coverage -v -timeout 30m
//
// Scenarios: a homogeneous population with independent lists (where
// Chapman and the independence model are correct), and heterogeneous
// populations of two latent classes — some people easy for every list to
// find, the rest hard — where independence-based estimates are biased low
// and the latent-class model is the true one. Only the methods whose
// assumptions hold are held to a minimum coverage; the others are
// reported, since showing how they fail is the point.
func TestCoverage(t *testing.T) {
	if testing.Short() || os.Getenv("ESTIMATE_COVERAGE") == "" {
		t.Skip("set ESTIMATE_COVERAGE=1 to run the coverage simulation")
	}
	const truth = 2000
	homog := []capClass{{1, []float64{0.3, 0.25, 0.2, 0.35}}}
	// Hard: J=4, the hard class (three quarters) is seen with probability
	// 0.39 only, mostly by one list.
	hard := []capClass{
		{0.75, []float64{0.10, 0.15, 0.10, 0.12}},
		{0.25, []float64{0.50, 0.45, 0.60, 0.50}},
	}
	// Five lists, milder heterogeneity.
	five := []capClass{
		{0.6, []float64{0.15, 0.2, 0.15, 0.2, 0.15}},
		{0.4, []float64{0.5, 0.45, 0.6, 0.5, 0.4}},
	}
	type method struct {
		name, label string
		reps        int
		scen        []capClass
		minCoverage float64
		run         func(*Table, uint64) (Result, error)
	}
	chapman := func(tb *Table, _ uint64) (Result, error) {
		return Estimate(tb, Options{Method: MethodChapman, Pair: [2]int{0, 1}})
	}
	loglin := func(tb *Table, _ uint64) (Result, error) { return LogLinear(tb, Options{}) }
	lcmcr := func(tb *Table, seed uint64) (Result, error) {
		return LCMCR(tb, Options{Seed: seed, Burnin: 2000, Samples: 1000, Thin: 10, Chains: 2})
	}
	methods := []method{
		{"chapman", "homogeneous", 200, homog, 0.9, chapman},
		{"loglinear BIC", "homogeneous", 200, homog, 0.9, loglin},
		{"chapman", "hard J=4", 200, hard, 0, chapman},
		{"loglinear BIC", "hard J=4", 200, hard, 0, loglin},
		{"lcmcr", "hard J=4", 100, hard, 0, lcmcr},
		{"loglinear BIC", "two-class J=5", 200, five, 0, loglin},
		{"lcmcr", "two-class J=5", 100, five, 0.8, lcmcr},
	}
	for mi, m := range methods {
		g := newRNG(uint64(1000+mi), 0)
		covered, failed := 0, 0
		var sumEst, sumWidth float64
		for rep := range m.reps {
			tb := simulate(g, truth, m.scen)
			r, err := m.run(tb, uint64(rep))
			if err != nil {
				failed++
				continue
			}
			if r.Interval[0] <= truth && truth <= r.Interval[1] {
				covered++
			}
			sumEst += r.Estimate
			sumWidth += r.Interval[1] - r.Interval[0]
		}
		ok := m.reps - failed
		cov := float64(covered) / float64(ok)
		t.Logf("%-14s %-14s reps %3d (failed %d): coverage %.3f (±%.3f), mean estimate %.0f (truth %d), mean width %.0f",
			m.name, m.label, m.reps, failed, cov, 1.96*math.Sqrt(cov*(1-cov)/float64(ok)), sumEst/float64(ok), truth, sumWidth/float64(ok))
		if cov < m.minCoverage {
			t.Errorf("%s, %s: coverage %.3f below %.2f", m.name, m.label, cov, m.minCoverage)
		}
	}
}
