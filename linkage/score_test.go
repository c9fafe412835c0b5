package linkage

import (
	"strings"
	"testing"
)

func TestEvaluate(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name          string
		pred, truth   []int
		p, r, f1      float64
		predicted, tp int64
	}{
		{"perfect", []int{1, 1, 2, 3, 3, 3}, []int{7, 7, 8, 9, 9, 9}, 1, 1, 1, 4, 4},
		// Truth has pairs 0-1 and 3-4-5 (4 pairs); the prediction joins 2
		// with 0-1 (3 predicted pairs, 1 right) and splits 5 off.
		{"mixed", []int{1, 1, 1, 3, 3, 4}, []int{7, 7, 8, 9, 9, 9}, 2.0 / 4, 2.0 / 4, 0.5, 4, 2},
		{"all apart", []int{1, 2, 3}, []int{1, 1, 1}, 1, 0, 0, 0, 0},
		{"no true pairs", []int{1, 1}, []int{1, 2}, 0, 1, 0, 1, 0},
	} {
		s := Evaluate(tc.pred, tc.truth)
		if s.PredictedPairs != tc.predicted || s.Correct != tc.tp || !near(s.Precision, tc.p) || !near(s.Recall, tc.r) || !near(s.F1, tc.f1) {
			t.Errorf("%s: %s", tc.name, s)
		}
	}
}

func near(a, b float64) bool { return a-b < 1e-9 && b-a < 1e-9 }

func TestEvaluateMaps(t *testing.T) {
	t.Parallel()
	truth := map[string]string{"a": "1", "b": "1", "c": "2"}
	s, err := EvaluateMaps(map[string]string{"a": "x", "b": "x", "c": "y"}, truth)
	if err != nil || s.F1 != 1 {
		t.Fatalf("%v %v", s, err)
	}
	// An id missing from the prediction stands alone.
	s, err = EvaluateMaps(map[string]string{"a": "x", "c": "x"}, truth)
	if err != nil || s.Correct != 0 || s.PredictedPairs != 1 {
		t.Fatalf("%v %v", s, err)
	}
	if _, err := EvaluateMaps(map[string]string{"zz": "x"}, truth); err == nil {
		t.Fatal("an id outside the truth was accepted")
	}
}

func TestReadClusters(t *testing.T) {
	t.Parallel()
	got, err := ReadClusters(strings.NewReader("\ufeffid,cluster,extra\nA1,c1,x\nA2, c1 \n"))
	if err != nil || len(got) != 2 || got["A2"] != "c1" {
		t.Fatalf("%v %v", got, err)
	}
	for _, tc := range []struct{ in, want string }{
		{"", "empty"},
		{"name,cluster\nA,1\n", "header"},
		{"id,cluster\nA,1\nA,2\n", "line 3: id \"A\" appears twice"},
		{"id,cluster\n,1\n", "line 2: the id is empty"},
		{"id,cluster\nA\n", "line 2: want id,cluster"},
		{"id,cluster\n\"A,1\n", "line 2"},
	} {
		if _, err := ReadClusters(strings.NewReader(tc.in)); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: err = %v, want %q", tc.in, err, tc.want)
		}
	}
}

func FuzzReadClusters(f *testing.F) {
	f.Add("id,cluster\nA1,c1\nA2,c1\n")
	f.Add("id,cluster\n\"A\"\"1\",c\n")
	f.Add("id,cluster\nA,1\nA,2\n")
	f.Fuzz(func(t *testing.T, in string) {
		got, err := ReadClusters(strings.NewReader(in))
		if err != nil {
			return
		}
		for id := range got {
			if id == "" || strings.TrimSpace(id) != id {
				t.Fatalf("id %q accepted", id)
			}
		}
	})
}
