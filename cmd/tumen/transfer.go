package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"iter"
	"os"
	"path/filepath"
	"strings"
	"time"

	"tumen"
	"tumen/exchange"
	"tumen/names"
	"tumen/vocab"
)

func importCommand() *command {
	return &command{
		name:    "import",
		args:    "FILE",
		summary: "import a person-list CSV or a JSON bundle, all or nothing",
		help: `
FILE is a person-list CSV (UTF-8, header line):

  id,source,name,birth_date,sex,origin,event_date,event_place[,narrative]

Each row becomes a person, a repatriation event (stage S5) with a
refoulement act, and a source record of the listing organisation. Names may
be in any script or spelling; dates are approximate ("1985", "spring 2015",
"2015년 3월"). Places are matched to the gazetteer where they can be.

Or FILE is a JSON bundle written by tumen export, which carries the whole
model. Use - to read standard input.

Import is all or nothing: every row is checked, any problem is reported row
by row, and then nothing is imported. Error messages name rows and
columns but never repeat a name, birth date, origin or narrative.`,
		flags: func(fs *flag.FlagSet, o *opts) {
			fs.StringVar(&o.format, "format", "auto", "input format: auto, csv or json")
		},
		run: runImport,
	}
}

func detectFormat(path string, head []byte) string {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".json":
		return "json"
	case ".csv", ".tsv", ".txt":
		return "csv"
	}
	if t := bytes.TrimLeft(head, " \t\r\n\xef\xbb\xbf"); len(t) > 0 && t[0] == '{' {
		return "json"
	}
	return "csv"
}

func runImport(ctx context.Context, a *app, args []string) error {
	if len(args) != 1 {
		return usageError{"import takes one FILE (or - for standard input)"}
	}
	path := args[0]
	f, size, err := openInput(path, a.stdin)
	if err != nil {
		return err
	}
	defer f.Close()
	br := bufio.NewReaderSize(f, 1<<16)
	head, _ := br.Peek(512)
	format := a.o.format
	if format == "auto" {
		format = detectFormat(path, head)
	}
	if format != "csv" && format != "json" {
		return usageError{fmt.Sprintf("unknown format %q (csv or json)", format)}
	}
	db, err := a.unlock(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	ctx = a.ctx(ctx)
	start := time.Now()

	if format == "json" {
		cr := &countingReader{r: br}
		bar := a.progress("importing", size)
		err := db.Import(ctx, exchange.ReadBundle(cr), func(n int) { bar.update(cr.n, n) })
		bar.finish()
		if err != nil {
			return err
		}
		fmt.Fprintf(a.stdout, "imported the bundle in %.1f s\n", time.Since(start).Seconds())
		return nil
	}

	data, err := vocab.Load()
	if err != nil {
		return tumen.Wrap(err, "the shipped gazetteer does not load")
	}
	conv := exchange.Converter{
		FindPlace: func(name string) (string, bool) {
			p, ok := data.FindPlace(name)
			return p.ID, ok
		},
		NameSystem: nameSystem,
	}
	// Rows are checked as they stream into the import's transaction; a row
	// with a problem does not stop the reading, so the report lists every
	// problem, and then the whole import rolls back.
	cr := &countingReader{r: br}
	pr := exchange.NewPersonListReader(cr)
	bar := a.progress("importing", size)
	err = db.Import(ctx, personRecords(pr, conv), func(n int) { bar.update(cr.n, pr.Rows()) })
	bar.finish()
	if rep := pr.Report(); rep != nil {
		return rep
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "imported %d rows (persons, repatriation events, acts and sources) in %.1f s\n", pr.Rows(), time.Since(start).Seconds())
	return nil
}

// openInput opens a file to import, or standard input for "-", and returns
// its size when known (for progress).
func openInput(path string, stdin io.Reader) (io.ReadCloser, int64, error) {
	if path == "-" {
		return io.NopCloser(stdin), 0, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, 0, fmt.Errorf("cannot open %s: %v", path, errors.Unwrap(err))
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, 0, err
	}
	if st.IsDir() {
		f.Close()
		return nil, 0, fmt.Errorf("%s is a directory", path)
	}
	return f, st.Size(), nil
}

// personRecords yields the records of every row; a row with a problem
// ends the import with the report, so nothing is committed.
func personRecords(pr *exchange.PersonListReader, conv exchange.Converter) iter.Seq2[any, error] {
	return func(yield func(any, error) bool) {
		for {
			row, err := pr.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				yield(nil, tumen.Errorf(tumen.KindInvalid, "%s", err.Error()))
				return
			}
			for _, r := range conv.Records(row) {
				if !yield(r, nil) {
					return
				}
			}
		}
		if rep := pr.Report(); rep != nil {
			yield(nil, rep)
		}
	}
}

// nameSystem tells the script or romanization a name is written in.
func nameSystem(name string) tumen.NameSystem {
	hangul, han, latin, diacritic := false, false, false, false
	for _, r := range name {
		switch {
		case r >= 0xAC00 && r <= 0xD7A3:
			hangul = true
		case r >= 0x4E00 && r <= 0x9FFF, r >= 0x3400 && r <= 0x4DBF, r >= 0xF900 && r <= 0xFAFF:
			han = true
		case r == 'ŏ' || r == 'ŭ' || r == 'Ŏ' || r == 'Ŭ':
			diacritic = true
		case r < 0x250 && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z'):
			latin = true
		}
	}
	switch {
	case hangul:
		if names.ToSouth(name) != name {
			return tumen.NameHangulNorth
		}
		return tumen.NameHangulSouth
	case han:
		return tumen.NameHanja
	case diacritic:
		return tumen.NameMR
	case latin:
		return tumen.NameRoman
	}
	return tumen.NameUnknown
}

func exportCommand() *command {
	return &command{
		name:    "export",
		summary: "export the store as a JSON bundle (lossless) or a person-list CSV",
		help: `
The JSON bundle carries the whole model and imports back without loss:
vocabularies, places and organisations; persons, events, acts, sources,
consents, interventions and attachments; and the urgent-response records
(custody changes, risk facts, watch dates, the border's history, rubric
versions and assessments). The CSV is the person list (one row a person,
their first repatriation and source), for spreadsheets. Both are
decrypted: the output holds names and testimonies in the clear, so it is
written with mode 0600 and the export is audited. Write it to encrypted
media only.`,
		flags: func(fs *flag.FlagSet, o *opts) {
			fs.StringVar(&o.format, "format", "json", "json or csv")
			fs.StringVar(&o.out, "out", "-", "output file (- for standard output)")
		},
		run: func(ctx context.Context, a *app, args []string) error {
			if len(args) > 0 {
				return usageError{"export takes no arguments; use --out FILE"}
			}
			if a.o.format != "json" && a.o.format != "csv" {
				return usageError{fmt.Sprintf("unknown format %q (json or csv)", a.o.format)}
			}
			db, err := a.unlock(ctx)
			if err != nil {
				return err
			}
			defer db.Close()
			w := a.stdout
			var f *os.File
			if a.o.out != "-" {
				if f, err = os.OpenFile(a.o.out, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600); err != nil {
					return fmt.Errorf("cannot create %s: %v", a.o.out, errors.Unwrap(err))
				}
				w = f
			}
			var bw interface {
				tumen.BundleWriter
				Close() error
			}
			if a.o.format == "csv" {
				bw = exchange.NewCSVWriter(w)
			} else {
				bw = exchange.NewJSONWriter(w)
			}
			err = db.Export(a.ctx(ctx), bw)
			if err == nil {
				err = bw.Close()
			}
			if f != nil {
				if cerr := f.Close(); err == nil {
					err = cerr
				}
				if err != nil {
					os.Remove(a.o.out) // a partial export is worse than none
				}
			}
			return err
		},
	}
}
