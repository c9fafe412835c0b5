package linkage

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"testing"

	"tumen/exchange"
	"tumen/synth"
	"tumen/vocab"
)

// synthRecords generates n rows of the multi-source benchmark list with
// seed and reads them back through the person-list reader, as tumen link
// does; it returns the records and each record's true person.
func synthRecords(tb testing.TB, n int, seed int64) ([]Record, []string) {
	tb.Helper()
	var list, truth bytes.Buffer
	if err := synth.New(seed).WriteLinkageList(&list, &truth, n); err != nil {
		tb.Fatal(err)
	}
	tr, err := ReadClusters(&truth)
	if err != nil {
		tb.Fatal(err)
	}
	pr := exchange.NewPersonListReader(&list)
	var recs []Record
	var labels []string
	for {
		row, err := pr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			tb.Fatal(err)
		}
		recs = append(recs, RowRecord(row))
		labels = append(labels, tr[row.ID])
	}
	if rep := pr.Report(); rep != nil {
		tb.Fatal(rep)
	}
	return recs, labels
}

// synthPersons is synthRecords, prepared.
func synthPersons(tb testing.TB, n int, seed int64) (*Persons, []string) {
	tb.Helper()
	recs, labels := synthRecords(tb, n, seed)
	gaz, err := vocab.Load()
	if err != nil {
		tb.Fatal(err)
	}
	p := NewPersons(gaz)
	for i := range recs {
		p.Add(&recs[i])
	}
	if err := p.Prepare(context.Background(), 0); err != nil {
		tb.Fatal(err)
	}
	return p, labels
}

// BenchmarkScorePairs measures the hot loop alone: comparing a candidate
// pair on every field and weighing it, one pair per op, on one core.
// The candidate pairs of a 20,000-record benchmark list are cycled through.
func BenchmarkScorePairs(b *testing.B) {
	p, _ := synthPersons(b, 20000, 1)
	ctx := context.Background()
	res, err := Link(ctx, p, Options{Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	m := res.Model
	pairs, _, err := Candidates(ctx, p.Len(), p.Rules(), 1)
	if err != nil {
		b.Fatal(err)
	}
	var sink float64
	for i := 0; b.Loop(); i++ {
		x, y := UnpackPair(pairs[i%len(pairs)])
		sink += m.Score(int(x), int(y))
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "pairs/s")
	_ = sink
}

// BenchmarkLink links benchmark lists end to end in memory (reading the
// CSV not included) and reports F1 and the scoring rate per worker.
func BenchmarkLink(b *testing.B) {
	for _, n := range []int{20000, 100000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			p, truth := synthPersons(b, n, 1)
			var res *Result
			for b.Loop() {
				var err error
				if res, err = Link(context.Background(), p, Options{Seed: 1}); err != nil {
					b.Fatal(err)
				}
			}
			s := Evaluate(res.Clusters, truth)
			b.ReportMetric(s.F1, "F1")
			b.ReportMetric(s.Precision, "precision")
			b.ReportMetric(s.Recall, "recall")
			b.ReportMetric(float64(res.Stats.Candidates), "pairs")
			b.ReportMetric(res.Stats.PairsPerSecond(), "pairs/s/worker")
		})
	}
}

// BenchmarkFEBRL3 links FEBRL data set 3 and reports F1.
func BenchmarkFEBRL3(b *testing.B) {
	var s Scores
	var res *Result
	for b.Loop() {
		s, res = linkFEBRL3(b)
	}
	b.ReportMetric(s.F1, "F1")
	b.ReportMetric(s.Precision, "precision")
	b.ReportMetric(s.Recall, "recall")
	b.ReportMetric(float64(res.Stats.Candidates), "pairs")
}
