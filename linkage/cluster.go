package linkage

import (
	"cmp"
	"slices"
)

// ScoredPair is a candidate pair with its match weight and probability.
type ScoredPair struct {
	A, B        int32
	Weight      float64
	Probability float64
}

// ClusterOptions tune the clustering of scored pairs into persons.
type ClusterOptions struct {
	// Threshold is the match probability a pair needs to link its records.
	Threshold float64
	// Veto is the match probability below which any pair of records across
	// two clusters keeps them apart: both clusters would then hold two
	// records the model is confident are different people.
	Veto float64
	// MinAverage is the average match probability over all pairs across
	// two clusters that a join needs.
	MinAverage float64
	// MaxCheck bounds the members of each cluster checked when two are
	// joined, so a join costs at most MaxCheck² comparisons.
	MaxCheck int
	// Must and Cannot are pairs reviewers decided: Must pairs are joined
	// first, whatever their score, and Cannot pairs veto any join that
	// would put them together.
	Must, Cannot [][2]int32
}

// DefaultClusterOptions returns the options the engine uses for a
// threshold.
func DefaultClusterOptions(threshold float64) ClusterOptions {
	return ClusterOptions{Threshold: threshold, Veto: 0.001, MinAverage: threshold / 2, MaxCheck: 12}
}

// ClusterStats tells what clustering did.
type ClusterStats struct {
	Links    int // pairs at or above the threshold
	Joins    int // joins made
	Refused  int // joins the guard refused
	Clusters int
	Largest  int
}

// Cluster groups n records into persons from scored pairs and returns each
// record's cluster number (0, 1, … in order of the cluster's first record).
//
// Plain connected components chain: A–B strong, B–C weak but above the
// threshold, and A and C — perhaps born ten years apart — become one
// person through B. Cluster guards against that: pairs are joined strongest
// first, so every cluster grows from its surest links, and before two
// clusters are joined every pair of records across them is scored (the
// model is cheap enough to score pairs blocking never proposed). The join is
// refused when any such pair is a confident non-match (below Veto: a
// different sex, birth years far apart, different home counties on top of
// a different name) or when the pairs' average probability is below
// MinAverage. This is average linkage with a complete-linkage veto; a
// single weak link can no longer carry two people into one.
func Cluster(m *Model, n int, pairs []ScoredPair, o ClusterOptions) ([]int32, ClusterStats) {
	var st ClusterStats
	if o.MaxCheck <= 0 {
		o.MaxCheck = 12
	}
	edges := make([]ScoredPair, 0, len(pairs))
	for _, p := range pairs {
		if p.Probability >= o.Threshold {
			edges = append(edges, p)
		}
	}
	st.Links = len(edges)
	slices.SortFunc(edges, func(x, y ScoredPair) int {
		if c := cmp.Compare(y.Weight, x.Weight); c != 0 {
			return c
		}
		if c := cmp.Compare(x.A, y.A); c != 0 {
			return c
		}
		return cmp.Compare(x.B, y.B)
	})
	c := newClusters(n)
	cannot := map[[2]int32]bool{}
	for _, p := range o.Cannot {
		cannot[ordered(p[0], p[1])] = true
	}
	for _, p := range o.Must {
		if ra, rb := c.find(p[0]), c.find(p[1]); ra != rb && !c.hasCannot(ra, rb, cannot) {
			c.union(ra, rb)
			st.Joins++
		}
	}
	for _, e := range edges {
		ra, rb := c.find(e.A), c.find(e.B)
		if ra == rb {
			continue
		}
		if !c.guard(m, ra, rb, o, cannot) {
			st.Refused++
			continue
		}
		c.union(ra, rb)
		st.Joins++
	}
	labels := make([]int32, n)
	num := make(map[int32]int32)
	size := map[int32]int{}
	for i := range n {
		r := c.find(int32(i))
		l, ok := num[r]
		if !ok {
			l = int32(len(num))
			num[r] = l
		}
		labels[i] = l
		size[r]++
		st.Largest = max(st.Largest, size[r])
	}
	st.Clusters = len(num)
	return labels, st
}

func ordered(a, b int32) [2]int32 {
	if a > b {
		a, b = b, a
	}
	return [2]int32{a, b}
}

// clusters is a union–find whose roots also keep their member lists.
type clusters struct {
	parent []int32
	size   []int32
	next   []int32 // members as a linked list from the root
	tail   []int32
}

func newClusters(n int) *clusters {
	c := &clusters{parent: make([]int32, n), size: make([]int32, n), next: make([]int32, n), tail: make([]int32, n)}
	for i := range n {
		c.parent[i], c.size[i], c.next[i], c.tail[i] = int32(i), 1, -1, int32(i)
	}
	return c
}

func (c *clusters) find(x int32) int32 {
	for c.parent[x] != x {
		c.parent[x] = c.parent[c.parent[x]]
		x = c.parent[x]
	}
	return x
}

func (c *clusters) union(a, b int32) {
	if c.size[a] < c.size[b] {
		a, b = b, a
	}
	c.parent[b] = a
	c.size[a] += c.size[b]
	c.next[c.tail[a]] = b
	c.tail[a] = c.tail[b]
}

// members returns up to limit members of root r.
func (c *clusters) members(r int32, limit int, dst []int32) []int32 {
	for x := r; x >= 0 && len(dst) < limit; x = c.next[x] {
		dst = append(dst, x)
	}
	return dst
}

func (c *clusters) hasCannot(ra, rb int32, cannot map[[2]int32]bool) bool {
	if len(cannot) == 0 {
		return false
	}
	for x := ra; x >= 0; x = c.next[x] {
		for y := rb; y >= 0; y = c.next[y] {
			if cannot[ordered(x, y)] {
				return true
			}
		}
	}
	return false
}

// guard decides whether clusters ra and rb may be joined.
func (c *clusters) guard(m *Model, ra, rb int32, o ClusterOptions, cannot map[[2]int32]bool) bool {
	if c.hasCannot(ra, rb, cannot) {
		return false
	}
	if c.size[ra] == 1 && c.size[rb] == 1 {
		return true // the linking pair itself is the only pair
	}
	as := c.members(ra, o.MaxCheck, nil)
	bs := c.members(rb, o.MaxCheck, nil)
	sum := 0.0
	for _, x := range as {
		for _, y := range bs {
			p := Probability(m.Score(int(x), int(y)))
			if p < o.Veto {
				return false
			}
			sum += p
		}
	}
	return sum/float64(len(as)*len(bs)) >= o.MinAverage
}
