package linkage

import (
	"fmt"
	"math"
)

// MaxLevels is the most agreement levels a Comparison may have, counting
// level 0 (missing): a pattern keeps four bits per comparison.
const MaxLevels = 16

// MaxComparisons is the most comparisons a Model may have.
const MaxComparisons = 16

// Comparison compares one attribute of two records and says how well they
// agree, as a level: 0 when either value is missing (no evidence either
// way), then 1 for the strongest agreement down to the weakest. Compare is
// called concurrently and must not change anything.
type Comparison interface {
	// Name names the attribute in explanations: "name", "birth_date".
	Name() string
	// Levels labels levels 1, 2, …: "exact", "within a year", …; it has at
	// most MaxLevels-1 entries.
	Levels() []string
	// Compare returns the level of records i and j.
	Compare(i, j int) int
}

// TermFrequencies is implemented by a Comparison whose strongest level is
// worth more for a rare value than for a common one: two records that
// agree on "Kim Yong-ho" prove less than two that agree on a rare name.
type TermFrequencies interface {
	// TermFrequency returns the share of records whose value equals record
	// i's, or 0 when unknown.
	TermFrequency(i int) float64
}

// Pattern holds a pair's level for each comparison, four bits each, the
// first comparison in the lowest bits.
type Pattern uint64

// Level returns the level of comparison k.
func (p Pattern) Level(k int) int { return int(p>>(4*k)) & (MaxLevels - 1) }

// Model is a Fellegi–Sunter model: for each comparison and level, the
// probability m that a matching pair agrees at that level and the
// probability u that a non-matching pair does. The weight of a level is
// log2(m/u), the evidence it gives in bits; a pair's weight is the prior
// log-odds plus the weights of its levels, and its match probability
// follows from that.
type Model struct {
	Comparisons []Comparison
	// M[k][l] and U[k][l] are the probabilities of level l of comparison k
	// among matches and non-matches; index 0 (missing) is unused.
	M, U [][]float64
	// Lambda is the prior probability that two records drawn at random
	// are the same person.
	Lambda float64
	// TFMin bounds term frequencies from below, so that a value seen once
	// is not taken as proof; 0 means no bound beyond the data's own.
	TFMin float64

	weights [][]float64
	tf      []TermFrequencies
	prior   float64
}

// probability bounds keep every weight finite.
const (
	minProb = 1e-6
	maxProb = 1 - 1e-6
)

// NewModel returns a model over cs with neutral starting values: m falls
// and u rises from the strongest level to the weakest.
func NewModel(cs []Comparison) (*Model, error) {
	if len(cs) == 0 || len(cs) > MaxComparisons {
		return nil, fmt.Errorf("linkage: a model needs 1 to %d comparisons, not %d", MaxComparisons, len(cs))
	}
	m := &Model{Comparisons: cs, Lambda: 1e-4}
	for _, c := range cs {
		n := len(c.Levels())
		if n < 1 || n >= MaxLevels {
			return nil, fmt.Errorf("linkage: comparison %s has %d levels; want 1 to %d", c.Name(), n, MaxLevels-1)
		}
		mk, uk := make([]float64, n+1), make([]float64, n+1)
		// A geometric start: matches mostly agree, non-matches mostly do
		// not. EM moves these; the start only has to be on the right side.
		var sm, su float64
		for l := 1; l <= n; l++ {
			mk[l] = math.Pow(0.25, float64(l-1))
			uk[l] = math.Pow(0.25, float64(n-l))
			sm += mk[l]
			su += uk[l]
		}
		for l := 1; l <= n; l++ {
			mk[l] /= sm
			uk[l] /= su
		}
		m.M, m.U = append(m.M, mk), append(m.U, uk)
		tf, _ := c.(TermFrequencies)
		m.tf = append(m.tf, tf)
	}
	m.Finish()
	return m, nil
}

// Finish recomputes the weights after M, U or Lambda changed.
func (m *Model) Finish() {
	m.weights = m.weights[:0]
	for k := range m.Comparisons {
		w := make([]float64, len(m.M[k]))
		for l := 1; l < len(w); l++ {
			w[l] = math.Log2(clamp(m.M[k][l]) / clamp(m.U[k][l]))
		}
		m.weights = append(m.weights, w)
	}
	lam := clamp(m.Lambda)
	m.prior = math.Log2(lam / (1 - lam))
}

func clamp(p float64) float64 {
	if p < minProb || math.IsNaN(p) {
		return minProb
	}
	if p > maxProb {
		return maxProb
	}
	return p
}

// Pattern compares records i and j on every comparison.
func (m *Model) Pattern(i, j int) Pattern {
	var p Pattern
	for k, c := range m.Comparisons {
		p |= Pattern(c.Compare(i, j)) << (4 * k)
	}
	return p
}

// Weight returns the match weight of records i and j, whose pattern is p:
// the prior log-odds plus each level's weight, in bits, the strongest level
// of a term-frequency comparison adjusted for how common the value is.
func (m *Model) Weight(i, j int, p Pattern) float64 {
	w := m.prior
	for k, wk := range m.weights {
		l := p.Level(k)
		if l == 0 {
			continue
		}
		if l == 1 && m.tf[k] != nil {
			if a, ok := m.tfWeight(k, i, j); ok {
				w += a
				continue
			}
		}
		w += wk[l]
	}
	return w
}

// tfWeight is the weight of an exact agreement on the value of records i
// and j: log2(m/tf) instead of log2(m/u), where tf is the chance that a
// random record shares the value — the larger of the two records' term
// frequencies, since the pair may agree on either reading.
func (m *Model) tfWeight(k, i, j int) (float64, bool) {
	tf := max(m.tf[k].TermFrequency(i), m.tf[k].TermFrequency(j))
	if tf <= 0 {
		return 0, false
	}
	tf = max(tf, m.TFMin, minProb)
	return math.Log2(clamp(m.M[k][1]) / min(tf, maxProb)), true
}

// Score returns the match weight of records i and j.
func (m *Model) Score(i, j int) float64 { return m.Weight(i, j, m.Pattern(i, j)) }

// Probability turns a match weight into a match probability.
func Probability(w float64) float64 { return 1 / (1 + math.Exp2(-w)) }

// WeightOf turns a match probability into a match weight.
func WeightOf(p float64) float64 {
	p = clamp(p)
	return math.Log2(p / (1 - p))
}

// FieldWeight is what one comparison contributed to a pair's weight.
type FieldWeight struct {
	Field  string  // the comparison's name
	Level  string  // the level's label, "missing" for level 0
	Weight float64 // in bits; 0 for a missing value
	// TermFrequency is the term frequency the weight was adjusted for, or
	// 0 when no adjustment applied.
	TermFrequency float64
}

// Explanation tells why a pair scored as it did: the prior, then what each
// field contributed. The weights add up to Weight.
type Explanation struct {
	Prior       float64
	Fields      []FieldWeight
	Weight      float64
	Probability float64
}

// Explain explains the score of records i and j. It holds level labels and
// weights only, never the records' values.
func (m *Model) Explain(i, j int) Explanation {
	p := m.Pattern(i, j)
	e := Explanation{Prior: m.prior, Weight: m.prior}
	for k, c := range m.Comparisons {
		l := p.Level(k)
		f := FieldWeight{Field: c.Name(), Level: "missing"}
		if l > 0 {
			f.Level = c.Levels()[l-1]
			f.Weight = m.weights[k][l]
			if l == 1 && m.tf[k] != nil {
				if a, ok := m.tfWeight(k, i, j); ok {
					f.Weight = a
					f.TermFrequency = max(m.tf[k].TermFrequency(i), m.tf[k].TermFrequency(j))
				}
			}
		}
		e.Weight += f.Weight
		e.Fields = append(e.Fields, f)
	}
	e.Probability = Probability(e.Weight)
	return e
}

// String writes the model's parameters, one level a line, for reports.
func (m *Model) String() string {
	s := fmt.Sprintf("prior λ = %.3g (%+.2f bits)\n", m.Lambda, m.prior)
	for k, c := range m.Comparisons {
		for l, name := range c.Levels() {
			s += fmt.Sprintf("  %-12s %-28s m=%.4f u=%.6f w=%+6.2f\n", c.Name(), name, m.M[k][l+1], m.U[k][l+1], m.weights[k][l+1])
		}
	}
	return s
}
