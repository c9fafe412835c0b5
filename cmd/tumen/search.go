package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"strings"
	"time"

	"tumen"
	"tumen/search"
)

// searchFlags holds the flags of tumen search.
type searchFlags struct {
	json                     bool
	limit                    int
	sex, stage, place, typ   string
	agency, org, level, from string
	to, year                 string
	minName                  float64
	stats                    bool
}

func searchCommand() *command {
	f := &searchFlags{}
	return &command{
		name:    "search",
		args:    "QUERY...",
		summary: "find persons by any spelling of a name and by the text of their records",
		help: `
Reads the search index the server keeps (search.index in the data
directory, sealed) with the records written since, or builds it in memory
from the store when there is none; it writes nothing. Prints the matching
persons, best first, one "ID SCORE" line each; --json prints
an array of {id, score, name_score, text_score, matched} instead, where
matched names the records whose text matched, never their content.

The query is read both as a name, in any script or romanization (이영호,
리영호, Ri Yong Ho, Lee Young-ho, Yi Yŏng-ho, 李英浩, Li Yinghao all find the
same person, ranked by closeness), and as words that must all occur in one
text (narratives, testimonies, source titles, notes); Korean is matched
without regard to spacing. "Quoted phrases" must occur together, in order. Filters
may be written in the query (sex:f stage:S5 place:Dandong type:arrest
agency:cn-psb org:"Bridge Watch" level:confidential year:2023 from:2020
to:2023-06) or given as flags; an approximate date matches when its range
overlaps. A place filter takes in everything under the place.

The search is audited without its query, which may hold a name.`,
		flags: func(fs *flag.FlagSet, _ *opts) {
			fs.BoolVar(&f.json, "json", false, "print JSON")
			fs.IntVar(&f.limit, "limit", 20, "most persons to print (1–1000)")
			fs.StringVar(&f.sex, "sex", "", "only persons of this sex (f or m)")
			fs.StringVar(&f.stage, "stage", "", "with an event at this stage (S0–S9)")
			fs.StringVar(&f.place, "place", "", "with an event at this place or under it (gazetteer id or name)")
			fs.StringVar(&f.typ, "type", "", "with an act of this type")
			fs.StringVar(&f.agency, "agency", "", "with an act by this organisation (id)")
			fs.StringVar(&f.org, "org", "", "documented by a source of this organisation")
			fs.StringVar(&f.level, "level", "", "of this confidentiality")
			fs.StringVar(&f.from, "from", "", "with an event on or after this date")
			fs.StringVar(&f.to, "to", "", "with an event on or before this date")
			fs.StringVar(&f.year, "year", "", "with an event in this year")
			fs.Float64Var(&f.minName, "min-name", search.DefaultMinName, "least name similarity that matches (0–1)")
			fs.BoolVar(&f.stats, "stats", false, "print the index's size, where it came from and how long it took, to stderr")
		},
		run: func(ctx context.Context, a *app, args []string) error {
			return runSearch(ctx, a, f, args)
		},
	}
}

// query joins the arguments and the filter flags into one query string.
func (f *searchFlags) query(args []string) string {
	parts := []string{strings.Join(args, " ")}
	for _, kv := range []struct{ k, v string }{{"sex", f.sex}, {"stage", f.stage}, {"place", f.place}, {"type", f.typ},
		{"agency", f.agency}, {"org", f.org}, {"level", f.level}, {"from", f.from}, {"to", f.to}, {"year", f.year}} {
		if kv.v != "" {
			parts = append(parts, kv.k+`:"`+strings.ReplaceAll(kv.v, `"`, "")+`"`)
		}
	}
	return strings.TrimSpace(strings.Join(parts, " "))
}

func runSearch(ctx context.Context, a *app, f *searchFlags, args []string) error {
	if f.limit < 1 || f.limit > 1000 {
		return usageError{"--limit must be between 1 and 1000"}
	}
	if f.minName <= 0 || f.minName > 1 {
		return usageError{"--min-name must be above 0 and at most 1"}
	}
	q, err := search.ParseQuery(f.query(args))
	if err != nil {
		return usageError{message(err)}
	}
	db, err := a.unlock(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	ctx = a.ctx(ctx)
	start := time.Now()
	// The index the server keeps, when there is one, with the writes
	// since; it is read, never written, here.
	var ix *search.Index
	from := "built from the store"
	if file := a.indexFile(); file != "" {
		ready := make(chan search.Report, 1)
		ix = search.Keep(ctx, db, db, file, func(r search.Report) { ready <- r })
		r := <-ready
		if r.Err != nil {
			return r.Err
		}
		if r.From == "file" {
			from = "read from " + file
		}
	} else if ix, err = search.Build(ctx, db); err != nil {
		return err
	}
	if f.stats {
		fmt.Fprintf(a.stderr, "index: %s; %s in %s\n", ix.Stats(), from, time.Since(start).Round(time.Millisecond))
	}
	// Whoever holds the passphrase may see everything.
	res, err := ix.Search(ctx, q, search.Access{Clearance: tumen.Secret, Identity: true}, search.Options{Limit: f.limit, Snippets: 3, MinName: f.minName, NoFacets: true})
	if tumen.ErrorKind(err) == tumen.KindInvalid {
		return usageError{message(err)}
	}
	if err != nil {
		return err
	}
	if err := db.Audit(ctx, "search", "person", "", fmt.Sprintf("%d matches", res.Total)); err != nil {
		return err
	}
	if f.json {
		type matched struct {
			Kind   string `json:"kind"`
			Record string `json:"record"`
			Field  string `json:"field"`
		}
		type row struct {
			ID        string    `json:"id"`
			Score     float64   `json:"score"`
			NameScore float64   `json:"name_score,omitempty"`
			TextScore float64   `json:"text_score,omitempty"`
			Matched   []matched `json:"matched,omitempty"`
		}
		rows := []row{}
		for _, h := range res.Hits {
			r := row{ID: h.PersonID, Score: h.Score, NameScore: h.NameScore, TextScore: h.TextScore}
			for _, s := range h.Snippets {
				r.Matched = append(r.Matched, matched{s.Kind, s.RecordID, s.Field})
			}
			rows = append(rows, r)
		}
		enc := json.NewEncoder(a.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(rows)
	}
	for _, h := range res.Hits {
		fmt.Fprintf(a.stdout, "%s\t%.4f\n", h.PersonID, h.Score)
	}
	if res.Total > len(res.Hits) {
		fmt.Fprintf(a.stderr, "%d of %d matching persons shown; --limit shows more\n", len(res.Hits), res.Total)
	}
	return nil
}
