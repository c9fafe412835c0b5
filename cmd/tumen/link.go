package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"tumen"
	"tumen/exchange"
	"tumen/linkage"
	"tumen/synth"
	"tumen/vocab"
)

// linkOpts are the link command's own flags (opts belongs to main.go).
type linkOpts struct {
	in, truth, pairs string
	idColumn, ignore string
	threshold        float64
	workers          int
	verbose          bool
}

func linkCommand() *command {
	lo := &linkOpts{}
	return &command{
		name:    "link",
		args:    "[synth]",
		summary: "find the records of one person: in a person-list CSV, or in the store for review",
		help: `
With --in, links a person-list CSV (id,source,name,birth_date,sex,origin,
event_date,event_place[,narrative]) and writes id,cluster to --out, one row
for every input id; rows judged to be the same person share a cluster (the
id of the cluster's first row). Names may be in any script or spelling:
이영호, 리영호, Lee Young-ho, Yi Yŏng-ho, Ri Yong Ho, 李英浩 and Li Yinghao
are one name. Dates are approximate. The output holds ids only, is written
0600 and never over an existing file.

A CSV with another header (FEBRL, Splink's examples) is linked column by
column: the first column (or --id-column) is the id, every other column
not named in --ignore is compared as text, digits or a date.

How it decides: candidate pairs come from several blocking rules (name
readings with birth year, county or repatriation year; names with one
syllable left out; pinyin readings; repatriation month and crossing
without a name); each pair is compared field by field; a Fellegi–Sunter
model learns from the data itself, by EM, how much each level of agreement
is worth, with common names ("Kim") worth less than rare ones; pairs at or
above --threshold are joined into persons, strongest first, and two groups
are only joined when no record of one is a confident non-match of a record
of the other. --pairs writes every linked pair with what each field
contributed, and --truth scores the result against an id,cluster file.

Without --in, links the persons in the store and puts the likely pairs into
the review queue (see tumen review); decisions already made are kept and
are used as labels.

  tumen link synth --rows N --seed S --out persons.csv --truth truth.csv

writes a benchmark person list from five sources with their own habits
(South Korean NGO, North Korean documents, UN submissions, Chinese police
lists, English news) and the truth of who is who.`,
		flags: func(fs *flag.FlagSet, o *opts) {
			fs.StringVar(&lo.in, "in", "", "CSV to link (- for standard input); without it, link the store into the review queue")
			fs.StringVar(&o.out, "out", "", "where to write id,cluster (- for standard output); for synth, the person list")
			fs.Float64Var(&lo.threshold, "threshold", linkage.DefaultThreshold, "match probability at which two records are linked")
			fs.StringVar(&lo.truth, "truth", "", "an id,cluster CSV of the true persons, to print precision, recall and F1; for synth, where to write it")
			fs.StringVar(&lo.pairs, "pairs", "", "also write the linked pairs, with each field's weight, to this CSV")
			fs.StringVar(&lo.idColumn, "id-column", "", "for a CSV that is not a person list: the id column (default: the first)")
			fs.StringVar(&lo.ignore, "ignore", "", "for a CSV that is not a person list: comma-separated columns not to compare")
			fs.IntVar(&lo.workers, "workers", 0, "goroutines (default: one per core)")
			fs.BoolVar(&lo.verbose, "v", false, "print the blocking rules, training sessions and the model's weights")
			fs.Int64Var(&o.seed, "seed", 1, "random seed (the random pairs that estimate u; synth's data)")
			fs.IntVar(&o.rows, "rows", 20000, "synth: rows to write")
		},
		run: func(ctx context.Context, a *app, args []string) error {
			if lo.threshold <= 0 || lo.threshold >= 1 {
				return usageError{"--threshold must lie strictly between 0 and 1"}
			}
			switch {
			case len(args) == 1 && args[0] == "synth":
				return runLinkSynth(a, lo)
			case len(args) > 0:
				return usageError{"link takes no arguments but synth; use --in FILE"}
			case lo.in != "":
				return runLinkFile(ctx, a, lo)
			}
			return runLinkStore(ctx, a, lo)
		},
	}
}

// createOutput opens path for writing, mode 0600 and never over an
// existing file, or standard output for "-". done closes it, and removes
// it when the write failed: a partial result is worse than none.
func createOutput(a *app, path string) (w io.Writer, done func(error) error, err error) {
	if path == "-" {
		return a.stdout, func(err error) error { return err }, nil
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, nil, fmt.Errorf("cannot create %s: %v", path, errors.Unwrap(err))
	}
	bw := bufio.NewWriterSize(f, 1<<16)
	return bw, func(err error) error {
		if err == nil {
			err = bw.Flush()
		}
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			os.Remove(path)
		}
		return err
	}, nil
}

func runLinkSynth(a *app, lo *linkOpts) error {
	if a.o.out == "" || lo.truth == "" {
		return usageError{"synth needs --out FILE for the person list and --truth FILE for the truth"}
	}
	if a.o.rows < 1 || a.o.rows > 10_000_000 {
		return usageError{"--rows must be between 1 and 10000000"}
	}
	start := time.Now()
	lw, ldone, err := createOutput(a, a.o.out)
	if err != nil {
		return err
	}
	tw, tdone, err := createOutput(a, lo.truth)
	if err != nil {
		return ldone(err)
	}
	err = synth.New(a.o.seed).WriteLinkageList(lw, tw, a.o.rows)
	err = ldone(err)
	if terr := tdone(err); err == nil {
		err = terr
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(a.stderr, "wrote %d rows and their truth in %.1f s\n", a.o.rows, time.Since(start).Seconds())
	return nil
}

// isPersonList tells a person list from another CSV by its header.
func isPersonList(head []byte) bool {
	line, _, _ := bytes.Cut(bytes.TrimPrefix(head, []byte("\xef\xbb\xbf")), []byte("\n"))
	return strings.HasPrefix(strings.ReplaceAll(strings.ToLower(string(line)), " ", ""), "id,source,name,birth_date")
}

func runLinkFile(ctx context.Context, a *app, lo *linkOpts) (err error) {
	if a.o.out == "" {
		return usageError{"--out FILE is needed (- for standard output)"}
	}
	// The truth and the outputs are checked first: a wrong path should not
	// cost a whole run.
	var truth map[string]string
	if lo.truth != "" {
		tf, _, err := openInput(lo.truth, a.stdin)
		if err != nil {
			return err
		}
		truth, err = linkage.ReadClusters(tf)
		tf.Close()
		if err != nil {
			return tumen.Errorf(tumen.KindInvalid, "%s: %s", lo.truth, err.Error())
		}
	}
	f, size, err := openInput(lo.in, a.stdin)
	if err != nil {
		return err
	}
	defer f.Close()
	w, done, err := createOutput(a, a.o.out)
	if err != nil {
		return err
	}
	pdone := func(err error) error { return err }
	var pw io.Writer
	if lo.pairs != "" {
		if pw, pdone, err = createOutput(a, lo.pairs); err != nil {
			return done(err)
		}
	}
	finished := false
	finish := func(err error) error {
		if finished {
			return err
		}
		finished = true
		err = done(err)
		return pdone(err)
	}
	// On any failure before the end, the outputs are removed.
	defer func() { err = finish(err) }()

	br := bufio.NewReaderSize(f, 1<<16)
	head, _ := br.Peek(512)
	start := time.Now()
	var d linkage.Dataset
	note := ""
	if isPersonList(head) {
		p, err := readPersonList(ctx, a, br, size, lo.workers)
		if err != nil {
			return err
		}
		d, note = p, fmt.Sprintf(" (%d distinct names)", p.DistinctNames())
	} else {
		var ignore []string
		if lo.ignore != "" {
			ignore = strings.Split(lo.ignore, ",")
		}
		t, err := linkage.ReadTable(br, linkage.TableOptions{ID: lo.idColumn, Ignore: ignore})
		if err != nil {
			return tumen.Errorf(tumen.KindInvalid, "%s: %s", lo.in, err.Error())
		}
		d, note = t, " (columns: "+strings.Join(t.Columns(), ", ")+")"
	}
	read := time.Since(start)
	res, err := linkage.Link(ctx, d, linkage.Options{Threshold: lo.threshold, Workers: lo.workers, Seed: uint64(a.o.seed)})
	if err != nil {
		return err
	}
	if err := writeClusters(w, d, res.Clusters); err != nil {
		return err
	}
	if pw != nil {
		if err := writePairs(pw, d, res); err != nil {
			return err
		}
	}
	if err := finish(nil); err != nil {
		return err
	}
	out := a.stdout
	if a.o.out == "-" {
		out = a.stderr // keep the clusters clean
	}
	printLinkSummary(out, res, read, time.Since(start), note)
	if lo.verbose {
		printLinkDetails(out, res)
	}
	if truth != nil {
		pred := make(map[string]string, d.Len())
		for i := range d.Len() {
			pred[d.ID(i)] = fmt.Sprint(res.Clusters[i])
		}
		s, err := linkage.EvaluateMaps(pred, truth)
		if err != nil {
			return tumen.Errorf(tumen.KindInvalid, "%s: %s", lo.truth, err.Error())
		}
		fmt.Fprintf(out, "against %s: %s\n", lo.truth, s)
	}
	return nil
}

// readPersonList reads and prepares a person list; a list with problems is
// refused with the row-by-row report, which names rows and columns only.
func readPersonList(ctx context.Context, a *app, r io.Reader, size int64, workers int) (*linkage.Persons, error) {
	gaz, err := vocab.Load()
	if err != nil {
		return nil, tumen.Wrap(err, "the shipped gazetteer does not load")
	}
	p := linkage.NewPersons(gaz)
	cr := &countingReader{r: r}
	pr := exchange.NewPersonListReader(cr)
	bar := a.progress("reading", size)
	// Parsing the CSV and preparing the records take about as long as each
	// other: one goroutine reads while this one adds.
	type batch struct {
		rows []*exchange.Row
		err  error
	}
	batches := make(chan batch, 4)
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		defer close(batches)
		var rows []*exchange.Row
		for {
			row, err := pr.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				select {
				case batches <- batch{rows, err}:
				case <-stop:
				}
				return
			}
			if rows = append(rows, row); len(rows) == 4096 {
				select {
				case batches <- batch{rows: rows}:
				case <-stop:
					return
				}
				rows = nil
			}
		}
		if len(rows) > 0 {
			select {
			case batches <- batch{rows: rows}:
			case <-stop:
			}
		}
	}()
	for b := range batches {
		for _, row := range b.rows {
			rec := linkage.RowRecord(row)
			p.Add(&rec)
		}
		if b.err != nil {
			bar.finish()
			return nil, tumen.Errorf(tumen.KindInvalid, "%s", b.err.Error())
		}
		bar.update(cr.n, p.Len())
	}
	bar.finish()
	if rep := pr.Report(); rep != nil {
		return nil, tumen.Errorf(tumen.KindInvalid, "%s", strings.Replace(rep.Error(), "nothing was imported", "nothing was linked", 1))
	}
	if p.Len() == 0 {
		return nil, tumen.Errorf(tumen.KindInvalid, "the person list has no rows")
	}
	if err := p.Prepare(ctx, workers); err != nil {
		return nil, err
	}
	return p, nil
}

// writeClusters writes id,cluster for every record; a cluster is named by
// the id of its first record.
func writeClusters(w io.Writer, d linkage.Dataset, clusters []int32) error {
	cw := csv.NewWriter(w)
	if err := cw.Write([]string{"id", "cluster"}); err != nil {
		return err
	}
	first := map[int32]string{}
	for i := range d.Len() {
		c := clusters[i]
		name, ok := first[c]
		if !ok {
			name = d.ID(i)
			first[c] = name
		}
		if err := cw.Write([]string{d.ID(i), name}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// writePairs writes every linked pair with its explanation: each field's
// level and weight, never a value.
func writePairs(w io.Writer, d linkage.Dataset, res *linkage.Result) error {
	cw := csv.NewWriter(w)
	head := []string{"id_a", "id_b", "probability", "weight", "prior"}
	for _, c := range res.Model.Comparisons {
		head = append(head, c.Name(), c.Name()+"_weight")
	}
	if err := cw.Write(head); err != nil {
		return err
	}
	for _, p := range res.Pairs {
		e := res.Model.Explain(int(p.A), int(p.B))
		rec := []string{d.ID(int(p.A)), d.ID(int(p.B)), fmt.Sprintf("%.6f", e.Probability), fmt.Sprintf("%.3f", e.Weight), fmt.Sprintf("%.3f", e.Prior)}
		for _, f := range e.Fields {
			rec = append(rec, f.Level, fmt.Sprintf("%.3f", f.Weight))
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func printLinkSummary(w io.Writer, res *linkage.Result, read, total time.Duration, note string) {
	s := res.Stats
	fmt.Fprintf(w, "linked %d records into %d persons in %.1f s\n", s.Records, s.Cluster.Clusters, total.Seconds())
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "  read and prepare\t%.2f s\t%s\n", read.Seconds(), strings.TrimSpace(note))
	fmt.Fprintf(tw, "  u from random pairs\t%.2f s\t\n", s.U.Seconds())
	fmt.Fprintf(tw, "  train m by EM\t%.2f s\t%d sessions\n", s.Train.Seconds(), len(s.EM.Sessions))
	fmt.Fprintf(tw, "  find candidate pairs\t%.2f s\t%d pairs from %d blocking rules\n", s.Blocking.Seconds(), s.Candidates, len(s.Rules))
	fmt.Fprintf(tw, "  compare and weigh\t%.2f s\t%.0f pairs/s per worker, %d workers; prior λ = %.3g (%.0f expected matches)\n",
		s.Score.Seconds(), s.PairsPerSecond(), s.Workers, s.EM.Lambda, s.EM.Matches)
	fmt.Fprintf(tw, "  cluster\t%.2f s\t%d links, %d joins, %d refused by the chaining guard, largest person %d records\n",
		s.Clustering.Seconds(), s.Cluster.Links, s.Cluster.Joins, s.Cluster.Refused, s.Cluster.Largest)
	tw.Flush()
}

func printLinkDetails(w io.Writer, res *linkage.Result) {
	fmt.Fprintln(w, "blocking rules:")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "  rule\tkeys\tblocks\tskipped\tpairs\t\n")
	for _, r := range res.Stats.Rules {
		fmt.Fprintf(tw, "  %s\t%d\t%d\t%d\t%d\t\n", r.Name, r.Keys, r.Blocks, r.Skipped, r.Pairs)
	}
	tw.Flush()
	fmt.Fprintln(w, "training sessions:")
	for _, s := range res.Stats.EM.Sessions {
		fmt.Fprintf(w, "  %-28s %9.0f pairs, %9.0f matches, %5.1f bits, %d iterations, converged %v\n", s.Name, s.Pairs, s.Matches, s.Information, s.Iterations, s.Converged)
	}
	fmt.Fprint(w, "model:\n", res.Model)
}

// runLinkStore links the store's persons and proposes the likely pairs for
// review.
func runLinkStore(ctx context.Context, a *app, lo *linkOpts) error {
	db, err := a.unlock(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	ctx = a.ctx(ctx)
	start := time.Now()
	gaz, err := vocab.Load()
	if err != nil {
		return tumen.Wrap(err, "the shipped gazetteer does not load")
	}
	p := linkage.NewPersons(gaz)
	index := map[string]int32{}
	err = db.LinkageRecords(ctx, func(rs []*tumen.LinkageRecord) error {
		for _, r := range rs {
			index[r.Person.ID] = int32(p.Len())
			rec := linkageRecord(r)
			p.Add(&rec)
		}
		return nil
	})
	if err != nil {
		return err
	}
	if p.Len() < 2 {
		fmt.Fprintf(a.stdout, "the store holds %d person(s): nothing to link\n", p.Len())
		return nil
	}
	if err := p.Prepare(ctx, lo.workers); err != nil {
		return err
	}
	stored, err := db.LinkLabels(ctx)
	if err != nil {
		return err
	}
	var labels []linkage.Label
	for _, l := range stored {
		ia, oka := index[l.PersonA]
		ib, okb := index[l.PersonB]
		if oka && okb {
			labels = append(labels, linkage.Label{A: ia, B: ib, Match: l.Match})
		}
	}
	read := time.Since(start)
	res, err := linkage.Link(ctx, p, linkage.Options{Threshold: lo.threshold, Workers: lo.workers, Seed: uint64(a.o.seed), Labels: labels})
	if err != nil {
		return err
	}
	cands := make([]*tumen.LinkCandidate, 0, len(res.Pairs))
	for _, sp := range res.Pairs {
		e := res.Model.Explain(int(sp.A), int(sp.B))
		c := &tumen.LinkCandidate{PersonA: p.ID(int(sp.A)), PersonB: p.ID(int(sp.B)), Probability: e.Probability, Weight: e.Weight, Prior: e.Prior}
		for _, f := range e.Fields {
			c.Explanation = append(c.Explanation, tumen.FieldWeight{Field: f.Field, Level: f.Level, Weight: f.Weight, TermFrequency: f.TermFrequency})
		}
		cands = append(cands, c)
	}
	added, err := db.ProposeLinks(ctx, cands)
	if err != nil {
		return err
	}
	printLinkSummary(a.stdout, res, read, time.Since(start), fmt.Sprintf("(%d persons, %d reviewer labels)", p.Len(), len(labels)))
	if lo.verbose {
		printLinkDetails(a.stdout, res)
	}
	fmt.Fprintf(a.stdout, "%d pairs at or above probability %g; %d new in the review queue (tumen review list)\n", len(cands), lo.threshold, added)
	return nil
}

// linkageRecord is what the engine compares of a stored person.
func linkageRecord(r *tumen.LinkageRecord) linkage.Record {
	p := r.Person
	rec := linkage.Record{ID: p.ID, BirthDate: p.BirthDate, Sex: p.Sex, Origin: p.Origin, OriginPlaceID: p.HomePlaceID,
		EventDate: r.EventDate, EventPlaceID: r.EventPlaceID}
	for _, n := range p.Names {
		rec.Names = append(rec.Names, n.Full)
	}
	if len(r.Organisations) > 0 {
		rec.Source = r.Organisations[0]
	}
	return rec
}
