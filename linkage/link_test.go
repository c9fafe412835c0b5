package linkage

import (
	"context"
	"slices"
	"testing"
)

// TestSynthF1 holds the engine to the target on the benchmark
// generator: pairwise F1 ≥ 0.95 at 20,000 records.
func TestSynthF1(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("20,000 records")
	}
	p, truth := synthPersons(t, 20000, 1)
	res, err := Link(context.Background(), p, Options{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	s := Evaluate(res.Clusters, truth)
	t.Logf("20,000 records: %s; %d candidate pairs", s, res.Stats.Candidates)
	if s.F1 < 0.95 {
		t.Fatalf("F1 %.4f < 0.95: %s", s.F1, s)
	}
}

// TestLinkDeterministic links the same list twice: same clusters, same
// pairs, whatever the number of workers.
func TestLinkDeterministic(t *testing.T) {
	t.Parallel()
	run := func(workers int) *Result {
		p, _ := synthPersons(t, 2000, 3)
		res, err := Link(context.Background(), p, Options{Seed: 5, Workers: workers, Keep: 0.1})
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	a, b := run(1), run(3)
	if !slices.Equal(a.Clusters, b.Clusters) || !slices.Equal(a.Pairs, b.Pairs) {
		t.Fatal("two runs differ")
	}
	if len(a.Pairs) == 0 || a.Pairs[0].Probability < a.Pairs[len(a.Pairs)-1].Probability {
		t.Fatal("pairs not strongest first")
	}
}

// TestLinkLabels checks that reviewers' decisions bind the clustering: a
// rejected pair stays apart, a merged pair is joined, and neither comes
// back in Result.Pairs for review.
func TestLinkLabels(t *testing.T) {
	t.Parallel()
	p, truth := synthPersons(t, 2000, 4)
	res, err := Link(context.Background(), p, Options{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	// The strongest pair and two records the model keeps apart.
	strong := res.Pairs[0]
	var apart [2]int32
	for i := 1; i < p.Len(); i++ {
		if res.Clusters[i] != res.Clusters[0] && truth[i] != truth[0] {
			apart = [2]int32{0, int32(i)}
			break
		}
	}
	labels := []Label{{A: strong.A, B: strong.B, Match: false}, {A: apart[0], B: apart[1], Match: true}}
	res2, err := Link(context.Background(), p, Options{Seed: 1, Labels: labels})
	if err != nil {
		t.Fatal(err)
	}
	if res2.Clusters[strong.A] == res2.Clusters[strong.B] {
		t.Error("a rejected pair was linked")
	}
	if res2.Clusters[apart[0]] != res2.Clusters[apart[1]] {
		t.Error("a merged pair was kept apart")
	}
	for _, q := range res2.Pairs {
		if (q.A == strong.A && q.B == strong.B) || (q.A == apart[0] && q.B == apart[1]) {
			t.Errorf("a decided pair is proposed again: %+v", q)
		}
	}
	if n := len(res2.Stats.EM.Sessions); n != len(res.Stats.EM.Sessions)+1 {
		t.Errorf("labels did not enter training: %d sessions", n)
	}
}

func TestLinkTiny(t *testing.T) {
	t.Parallel()
	for _, n := range []int{0, 1} {
		recs := make([]Record, n)
		for i := range recs {
			recs[i].Names = []string{"김영희"}
		}
		p := prepared(t, recs)
		res, err := Link(context.Background(), p, Options{})
		if err != nil || len(res.Clusters) != n {
			t.Fatalf("%d records: %v %v", n, res, err)
		}
	}
}
