package linkage

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// Scores are the pairwise quality of a clustering against the truth: a
// pair of records is predicted when the clustering puts them together and
// true when the truth does.
type Scores struct {
	TruePairs      int64 // pairs of records that are the same person
	PredictedPairs int64 // pairs the clustering put together
	Correct        int64 // pairs both agree on
	Precision      float64
	Recall         float64
	F1             float64
}

func (s Scores) String() string {
	return fmt.Sprintf("precision %.4f, recall %.4f, F1 %.4f (%d true pairs, %d predicted, %d correct)",
		s.Precision, s.Recall, s.F1, s.TruePairs, s.PredictedPairs, s.Correct)
}

// Evaluate scores predicted cluster labels against true ones, record by
// record: predicted[i] and truth[i] label record i. It counts pairs from
// cluster sizes, so it takes linear time however large the clusters.
func Evaluate[P, T comparable](predicted []P, truth []T) Scores {
	type both struct {
		p P
		t T
	}
	pc, tc, bc := map[P]int64{}, map[T]int64{}, map[both]int64{}
	for i := range min(len(predicted), len(truth)) {
		pc[predicted[i]]++
		tc[truth[i]]++
		bc[both{predicted[i], truth[i]}]++
	}
	pairs := func(n int64) int64 { return n * (n - 1) / 2 }
	var s Scores
	for _, n := range pc {
		s.PredictedPairs += pairs(n)
	}
	for _, n := range tc {
		s.TruePairs += pairs(n)
	}
	for _, n := range bc {
		s.Correct += pairs(n)
	}
	s.Precision, s.Recall = 1, 1
	if s.PredictedPairs > 0 {
		s.Precision = float64(s.Correct) / float64(s.PredictedPairs)
	}
	if s.TruePairs > 0 {
		s.Recall = float64(s.Correct) / float64(s.TruePairs)
	}
	if s.Precision+s.Recall > 0 {
		s.F1 = 2 * s.Precision * s.Recall / (s.Precision + s.Recall)
	}
	return s
}

// EvaluateMaps scores a clustering given as id → cluster against a truth
// given the same way. Ids missing from the clustering count as records of
// their own; ids missing from the truth are an error, since a truth file
// that does not cover the list is the wrong file.
func EvaluateMaps(predicted, truth map[string]string) (Scores, error) {
	var ps, ts []string
	for id, t := range truth {
		p, ok := predicted[id]
		if !ok {
			p = "\x00" + id
		}
		ps = append(ps, p)
		ts = append(ts, t)
	}
	for id := range predicted {
		if _, ok := truth[id]; !ok {
			return Scores{}, fmt.Errorf("id %q is not in the truth file", id)
		}
	}
	return Evaluate(ps, ts), nil
}

// ReadClusters reads a CSV of id,cluster with a header line (the form tumen
// link writes, and the truth files of the benchmarks), returning id →
// cluster. Further columns are ignored. Errors name the line, never a
// value beyond the id.
func ReadClusters(r io.Reader) (map[string]string, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	head, err := cr.Read()
	if err == io.EOF {
		return nil, errors.New("the cluster file is empty: it needs a header line id,cluster")
	}
	if err != nil {
		return nil, fmt.Errorf("line 1: %v", csvErr(err))
	}
	if len(head) < 2 || strings.TrimSpace(strings.TrimPrefix(head[0], "\ufeff")) != "id" || strings.TrimSpace(head[1]) != "cluster" {
		return nil, errors.New("line 1: the header must start with id,cluster")
	}
	out := map[string]string{}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("line %d: %v", errLine(err), csvErr(err))
		}
		line, _ := cr.FieldPos(0)
		if len(rec) < 2 {
			return nil, fmt.Errorf("line %d: want id,cluster", line)
		}
		id := strings.TrimSpace(rec[0])
		if id == "" {
			return nil, fmt.Errorf("line %d: the id is empty", line)
		}
		if _, dup := out[id]; dup {
			return nil, fmt.Errorf("line %d: id %q appears twice", line, truncateID(id))
		}
		out[id] = strings.TrimSpace(rec[1])
	}
}

// errLine is the line a CSV error names, or 0.
func errLine(err error) int {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return pe.StartLine
	}
	return 0
}

func csvErr(err error) string {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

func truncateID(id string) string {
	if len(id) <= 40 {
		return id
	}
	cut := 40
	for cut > 0 && !utf8.RuneStart(id[cut]) {
		cut--
	}
	return id[:cut] + "…"
}
