package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"tumen"
	"tumen/count"
	"tumen/estimate"
	"tumen/report"
)

// reportFlags are the flags of tumen report.
type reportFlags struct {
	public     bool
	threshold  int
	force      bool
	from, to   int
	noEstimate bool
}

func reportCommand() *command {
	f := &reportFlags{}
	return &command{
		name:    "report",
		summary: "write an HTML report with every chart (counts, stages, facilities, map, estimate)",
		help: `
Writes DIR/index.html: one page with every chart — repatriations per year and
per month with approximate dates shown as uncertainty, the flow of cases
through the stages S0–S9, cases by facility, violations by perpetrating
agency, repatriations by crossing, a map of the border region, sex, age
group and documenting organisation — each with the table of its numbers,
and the multiple systems estimate when the lists overlap. Each chart is also
written as DIR/NAME.svg, each table as DIR/NAME.csv (one line per cell, with
its upper bound), and all tables as DIR/tables.json. The page loads nothing
from anywhere and prints on A4.

By default the report is internal: it counts every record and shows small
numbers. --public counts only cases whose source consented to publication
and withholds counts below --threshold (5), so that no withheld count can be
recovered from a total or margin.

Files are written 0600 and never over existing ones; --force replaces them.`,
		args: "--out DIR",
		flags: func(fs *flag.FlagSet, o *opts) {
			fs.StringVar(&o.out, "out", "", "directory to write the report to (required)")
			fs.BoolVar(&f.public, "public", false, "fit for publication: consented cases only, small counts withheld")
			fs.IntVar(&f.threshold, "threshold", 5, "with --public: the smallest count shown")
			fs.BoolVar(&f.force, "force", false, "replace the files of an earlier report")
			fs.IntVar(&f.from, "months-from", 0, "first year of the month chart (default: two years before --months-to)")
			fs.IntVar(&f.to, "months-to", 0, "last year of the month chart (default: the last year with data)")
			fs.BoolVar(&f.noEstimate, "no-estimate", false, "leave out the multiple systems estimate")
		},
		run: func(ctx context.Context, a *app, args []string) error {
			if len(args) > 0 {
				return usageError{"report takes no arguments; give the directory with --out"}
			}
			if a.o.out == "" {
				return usageError{"--out DIR is required"}
			}
			if f.threshold < 2 || f.threshold > 1000 {
				return usageError{"--threshold must be between 2 and 1000"}
			}
			if f.from < 0 || f.to < 0 || (f.from != 0 && f.to != 0 && f.from > f.to) {
				return usageError{"--months-from must not come after --months-to"}
			}
			db, err := a.unlock(ctx)
			if err != nil {
				return err
			}
			defer db.Close()
			ctx = a.ctx(ctx)
			c, err := count.Load(ctx, db, count.Options{Public: f.public, Threshold: f.threshold, Ages: true})
			if err != nil {
				return err
			}
			o := report.Options{Source: a.storeName(), MonthsFrom: f.from, MonthsTo: f.to}
			if f.from != 0 && f.to == 0 {
				o.MonthsTo = f.from + 2
			}
			if !f.noEstimate {
				all, err := count.Load(ctx, db, count.Options{})
				if err != nil {
					return err
				}
				ids := &identityMap{ctx: ctx, db: db, cache: map[string]string{}}
				o.Estimate, o.EstimateNote = storeEstimate(all, ids)
				if ids.err != nil {
					return ids.err
				}
			}
			r, err := report.Build(c, o)
			if err != nil {
				return err
			}
			var page bytes.Buffer
			if err := r.WriteHTML(&page); err != nil {
				return err
			}
			files := map[string][]byte{"index.html": page.Bytes()}
			for _, ch := range r.Charts() {
				files[ch.Name] = ch.SVG
			}
			// The numbers as CSV, one file a table, and all of them as
			// one JSON document.
			all := map[string]*count.Table{}
			for _, nt := range r.Tables() {
				var b bytes.Buffer
				if err := nt.Table.WriteCSV(&b); err != nil {
					return err
				}
				files[nt.Name+".csv"] = b.Bytes()
				all[nt.Name] = nt.Table
			}
			js, err := json.MarshalIndent(all, "", "  ")
			if err != nil {
				return err
			}
			files["tables.json"] = append(js, '\n')
			if err := writeFiles(a.o.out, files, f.force); err != nil {
				return err
			}
			mode := "internal"
			if f.public {
				mode = "public"
			}
			if err := db.Audit(ctx, "export", "report", "", fmt.Sprintf("%s report, %d charts", mode, len(r.Charts()))); err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "wrote %s (%s report), %d charts as SVG and %d tables as CSV and tables.json in %s\n",
				filepath.Join(a.o.out, "index.html"), mode, len(r.Charts()), len(r.Tables()), a.o.out)
			return nil
		},
	}
}

// storeName says where the data came from, without a database URL's
// credentials.
func (a *app) storeName() string {
	if a.env["TUMEN_DATABASE_URL"] != "" {
		return "the PostgreSQL store"
	}
	return "the store in " + a.o.data
}

// storeEstimate estimates the repatriated people not documented, by the
// default log-linear search, from the store's lists; when it cannot, it
// says why instead.
func storeEstimate(c *count.Counter, ids *identityMap) (*estimate.Result, string) {
	strata, warnings, err := c.Captures(count.CaptureOptions{Identity: ids.of})
	if err != nil {
		return nil, "No estimate: " + tumen.ErrorMessage(err)
	}
	if len(strata) == 0 || strata[0].Table.J() < 2 {
		return nil, "No estimate: multiple systems estimation needs people documented by at least two organisations."
	}
	t := strata[0].Table
	if t.Overlapping() == 0 {
		return nil, fmt.Sprintf("No estimate: none of the %d repatriated people is on the lists of two organisations, so the lists say nothing about whom they all missed. Link duplicate records across organisations first (tumen link).", t.Observed())
	}
	if t.J() > estimate.MaxLogLinearLists {
		return nil, fmt.Sprintf("No estimate in this report: %d lists are too many for the log-linear search; run tumen estimate --method lcmcr.", t.J())
	}
	r, err := estimate.LogLinear(t, estimate.Options{})
	if err != nil {
		return nil, "No estimate: " + strings.TrimPrefix(err.Error(), "estimate: ")
	}
	note := "Log-linear models up to two-way interactions, chosen by BIC; other models can give rather different totals: see tumen estimate."
	if len(warnings) > 0 {
		note += " " + strings.Join(warnings, "; ") + "."
	}
	return &r, note
}

// writeFiles writes the report's files into dir, 0600, creating dir 0700
// when needed. Without force it refuses to replace any file, and checks
// them all before writing one.
func writeFiles(dir string, files map[string][]byte, force bool) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return tumen.Errorf(tumen.KindInvalid, "cannot create %s: %v", dir, errors.Unwrap(err))
	}
	if !force {
		for name := range files {
			if _, err := os.Stat(filepath.Join(dir, name)); err == nil {
				return tumen.Errorf(tumen.KindConflict, "%s already exists: use --force to replace the report, or another --out", filepath.Join(dir, name))
			}
		}
	}
	for name, b := range files {
		path := filepath.Join(dir, name)
		flags := os.O_WRONLY | os.O_CREATE | os.O_EXCL
		if force {
			flags = os.O_WRONLY | os.O_CREATE | os.O_TRUNC
		}
		fh, err := os.OpenFile(path, flags, 0o600)
		if err != nil {
			var pe *fs.PathError
			if errors.As(err, &pe) {
				err = pe.Err
			}
			return tumen.Errorf(tumen.KindInvalid, "cannot write %s: %v", path, err)
		}
		_, werr := fh.Write(b)
		cerr := fh.Close()
		if werr != nil || cerr != nil {
			return tumen.Errorf(tumen.KindInternal, "cannot write %s: %v", path, errors.Join(werr, cerr))
		}
	}
	return nil
}
