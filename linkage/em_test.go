package linkage

import (
	"math"
	"math/rand/v2"
	"testing"
)

// fixed is a comparison whose levels a test sets directly.
type fixed struct {
	name   string
	levels []string
}

func (f fixed) Name() string         { return f.name }
func (f fixed) Levels() []string     { return f.levels }
func (f fixed) Compare(i, j int) int { return 0 }

// TestEMRecoversM draws pairs from a known two-class model and checks that
// EM, with u fixed at its true value, finds m and the share of matches
// again — both a common share and a rare one (one pair in fifty), where a
// poor start slides into the useless fixed point of "everything matches".
func TestEMRecoversM(t *testing.T) {
	t.Parallel()
	for _, share := range []float64{0.3, 0.02} {
		cs := []Comparison{fixed{"a", []string{"same", "close", "different"}}, fixed{"b", []string{"same", "different"}}, fixed{"c", []string{"same", "close", "different"}}}
		trueM := [][]float64{{0, 0.85, 0.1, 0.05}, {0, 0.95, 0.05}, {0, 0.7, 0.2, 0.1}}
		trueU := [][]float64{{0, 0.01, 0.09, 0.9}, {0, 0.5, 0.5}, {0, 0.05, 0.15, 0.8}}
		m, err := NewModel(cs)
		if err != nil {
			t.Fatal(err)
		}
		m.U = trueU
		rng := rand.New(rand.NewPCG(1, 2))
		draw := func(p []float64) Pattern {
			x := rng.Float64()
			for l := 1; l < len(p); l++ {
				if x < p[l] {
					return Pattern(l)
				}
				x -= p[l]
			}
			return Pattern(len(p) - 1)
		}
		counts := map[Pattern]float64{}
		for range 200000 {
			src := trueU
			if rng.Float64() < share {
				src = trueM
			}
			var p Pattern
			for k := range cs {
				p |= draw(src[k]) << (4 * k)
			}
			counts[p]++
		}
		var obs []Observation
		for p, c := range counts {
			obs = append(obs, Observation{Pattern: p, Count: c, Class: -1})
		}
		res := m.Train([]Session{{Name: "all", Observations: obs, Exclude: make([]bool, len(cs))}}, nil, 1, 0)
		s := res.Sessions[0]
		if !s.Converged || math.Abs(s.Matches/200000-share) > 0.01 {
			t.Fatalf("share %v: EM found %.4f (%+v)", share, s.Matches/200000, s)
		}
		for k := range cs {
			for l := 1; l < len(trueM[k]); l++ {
				if math.Abs(m.M[k][l]-trueM[k][l]) > 0.03 {
					t.Errorf("share %v: m[%d][%d] = %.3f, want %.3f", share, k, l, m.M[k][l], trueM[k][l])
				}
			}
		}
	}
}

// TestTrainExcludesAndLabels checks that a session estimates nothing about
// the comparisons it excludes, and that labelled pairs count with their
// class.
func TestTrainExcludesAndLabels(t *testing.T) {
	t.Parallel()
	cs := []Comparison{fixed{"a", []string{"same", "different"}}, fixed{"b", []string{"same", "different"}}}
	m, _ := NewModel(cs)
	m.U = [][]float64{{0, 0.1, 0.9}, {0, 0.1, 0.9}}
	before := append([]float64(nil), m.M[1]...)
	obs := []Observation{{Pattern: 1 | 1<<4, Count: 300, Class: -1}, {Pattern: 2 | 2<<4, Count: 700, Class: -1}, {Pattern: 1 | 2<<4, Count: 50, Class: -1}}
	m.Train([]Session{{Observations: obs, Exclude: []bool{false, true}}}, nil, 1, 0)
	if m.M[1][1] != before[1] {
		t.Fatalf("an excluded comparison moved: %v → %v", before, m.M[1])
	}
	// Labels only: every labelled match disagrees on a, so m(a differs)
	// must come out high.
	m2, _ := NewModel(cs)
	m2.U = m.U
	labels := []Observation{{Pattern: 2 | 1<<4, Count: 1, Class: 1}, {Pattern: 2 | 1<<4, Count: 1, Class: 1}, {Pattern: 1 | 1<<4, Count: 1, Class: 0}}
	m2.Train(nil, labels, 1, 0)
	if m2.M[0][2] < 0.5 {
		t.Fatalf("labelled matches ignored: m(a differs) = %.3f", m2.M[0][2])
	}
}

func TestEstimateLambda(t *testing.T) {
	t.Parallel()
	m, _ := NewModel([]Comparison{fixed{"a", []string{"same", "different"}}})
	// 100 pairs that are surely matches, 1000 surely not, among 1000
	// records: the prior is about 100 / (1000·999/2).
	ws := make([]float32, 0, 1100)
	for range 100 {
		ws = append(ws, 40)
	}
	for range 1000 {
		ws = append(ws, -20)
	}
	got := m.EstimateLambda(ws, 1000)
	if math.Abs(got-100) > 1 || math.Abs(m.Lambda-100/499500.0) > 1e-6 {
		t.Fatalf("expected matches %.2f, λ %.3g", got, m.Lambda)
	}
}

func TestModelLimits(t *testing.T) {
	t.Parallel()
	if _, err := NewModel(nil); err == nil {
		t.Error("a model without comparisons was accepted")
	}
	many := make([]string, MaxLevels)
	if _, err := NewModel([]Comparison{fixed{"x", many}}); err == nil {
		t.Error("a comparison with too many levels was accepted")
	}
	if p := Probability(WeightOf(0.9)); math.Abs(p-0.9) > 1e-12 {
		t.Errorf("Probability(WeightOf(0.9)) = %v", p)
	}
}
