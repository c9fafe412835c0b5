package linkage

import (
	"testing"
)

// table is a comparison whose level for each pair a test sets.
type table struct {
	levels map[[2]int]int
}

func (table) Name() string     { return "t" }
func (table) Levels() []string { return []string{"strong", "weak", "conflict"} }
func (t table) Compare(i, j int) int {
	if i > j {
		i, j = j, i
	}
	return t.levels[[2]int{i, j}]
}

// chainModel scores pairs of four records: 0–1 strong, 1–2 weak but above
// the threshold, 0–2 a confident non-match (born ten years apart, say),
// 2–3 strong.
func chainModel(t *testing.T) *Model {
	t.Helper()
	m, err := NewModel([]Comparison{table{map[[2]int]int{{0, 1}: 1, {1, 2}: 2, {0, 2}: 3, {2, 3}: 1, {0, 3}: 3, {1, 3}: 3}}})
	if err != nil {
		t.Fatal(err)
	}
	m.M = [][]float64{{0, 0.7, 0.299, 0.001}}
	m.U = [][]float64{{0, 0.00001, 0.0001, 0.99989}}
	m.Lambda = 0.001
	m.Finish()
	return m
}

func scored(m *Model, pairs ...[2]int32) []ScoredPair {
	var out []ScoredPair
	for _, p := range pairs {
		w := m.Score(int(p[0]), int(p[1]))
		out = append(out, ScoredPair{A: p[0], B: p[1], Weight: w, Probability: Probability(w)})
	}
	return out
}

func TestClusterGuardsAgainstChaining(t *testing.T) {
	t.Parallel()
	m := chainModel(t)
	pairs := scored(m, [2]int32{0, 1}, [2]int32{1, 2}, [2]int32{2, 3})
	for _, p := range pairs {
		if p.Probability < 0.5 {
			t.Fatalf("pair %v below the threshold: %v", p, p.Probability)
		}
	}
	// Without the guard, the weak link chains all four into one person.
	plain, _ := Cluster(m, 4, pairs, ClusterOptions{Threshold: 0.5})
	if plain[0] != plain[3] {
		t.Fatalf("without a guard: %v, want one cluster", plain)
	}
	got, st := Cluster(m, 4, pairs, DefaultClusterOptions(0.5))
	if got[0] != got[1] || got[2] != got[3] || got[0] == got[2] {
		t.Fatalf("guarded clusters = %v, want {0,1} and {2,3}", got)
	}
	if st.Refused != 1 || st.Joins != 2 || st.Clusters != 2 || st.Largest != 2 {
		t.Fatalf("stats = %+v", st)
	}
}

func TestClusterLabels(t *testing.T) {
	t.Parallel()
	m := chainModel(t)
	pairs := scored(m, [2]int32{0, 1}, [2]int32{2, 3})
	o := DefaultClusterOptions(0.5)
	o.Cannot = [][2]int32{{1, 0}}     // a reviewer rejected the strongest pair
	o.Must = [][2]int32{{3, 1}}       // and merged a pair nobody proposed
	got, _ := Cluster(m, 4, pairs, o) // 1–3 joins first; 0 may not join 1
	if got[1] != got[3] || got[0] == got[1] {
		t.Fatalf("clusters = %v", got)
	}
}
