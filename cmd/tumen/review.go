package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"

	"tumen"
	"tumen/sqlstore"
	"tumen/vocab"
)

func reviewCommand() *command {
	var status string
	return &command{
		name:    "review",
		args:    "list | show PAIR | merge PAIR | reject PAIR | unmerge IDENTITY | identity PERSON",
		summary: "review the pairs tumen link proposed: merge or reject them, undo a merge",
		help: `
tumen link (without --in) proposes pairs of person records it judges to be
one person. Here a reviewer decides:

  tumen review list [--status pending] [--limit N]   the queue, likeliest first
  tumen review show PAIR          both records side by side and why they match
  tumen review merge PAIR         they are one person
  tumen review reject PAIR        they are two people
  tumen review unmerge IDENTITY   undo the merges of an identity
  tumen review identity PERSON    which identity a person belongs to

A merge never changes a record: both records join an identity that links
them, and unmerging dissolves the identity, leaving the records as they
were. Every decision is audited and kept as a label that the next tumen link
learns from. Showing a pair reads both persons, and is audited as such.`,
		flags: func(fs *flag.FlagSet, o *opts) {
			fs.StringVar(&status, "status", "pending", "list: pending, merged, rejected, implied, unmerged, or all")
			fs.IntVar(&o.limit, "limit", 20, "list: at most this many")
			fs.BoolVar(&o.json, "json", false, "print JSON")
		},
		run: func(ctx context.Context, a *app, args []string) error {
			if len(args) == 0 {
				return usageError{"review needs list, show, merge, reject, unmerge or identity"}
			}
			verb, rest := args[0], args[1:]
			want := 1
			if verb == "list" {
				want = 0
			}
			if len(rest) != want {
				return usageError{fmt.Sprintf("usage: tumen review %s", map[bool]string{true: verb, false: verb + " ID"}[want == 0])}
			}
			var id int64
			if want == 1 && verb != "identity" {
				var err error
				if id, err = strconv.ParseInt(rest[0], 10, 64); err != nil || id <= 0 {
					return usageError{fmt.Sprintf("%q is not a pair or identity number", rest[0])}
				}
			}
			switch verb {
			case "list", "show", "merge", "reject", "unmerge", "identity":
			default:
				return usageError{fmt.Sprintf("unknown review action %q (list, show, merge, reject, unmerge, identity)", verb)}
			}
			if verb == "list" && status != "all" && !tumen.LinkStatus(status).Valid() {
				return usageError{fmt.Sprintf("unknown --status %q", status)}
			}
			db, err := a.unlock(ctx)
			if err != nil {
				return err
			}
			defer db.Close()
			ctx = a.ctx(ctx)
			switch verb {
			case "list":
				return reviewList(ctx, a, db, status)
			case "show":
				return reviewShow(ctx, a, db, id)
			case "merge":
				c, err := db.LinkCandidate(ctx, id)
				if err != nil {
					return err
				}
				ident, err := db.MergeCandidate(ctx, id)
				if err != nil {
					return err
				}
				if a.o.json {
					return printJSON(a.stdout, ident)
				}
				fmt.Fprintf(a.stdout, "merged pair %d (%s, %s): identity %d links %s\n", id, c.PersonA, c.PersonB, ident.ID, strings.Join(ident.Members, ", "))
				fmt.Fprintf(a.stdout, "the records are unchanged; to undo: tumen review unmerge %d\n", ident.ID)
			case "reject":
				c, err := db.LinkCandidate(ctx, id)
				if err != nil {
					return err
				}
				if err := db.RejectCandidate(ctx, id); err != nil {
					return err
				}
				fmt.Fprintf(a.stdout, "rejected pair %d: %s and %s are two people\n", id, c.PersonA, c.PersonB)
			case "unmerge":
				ident, err := db.Identity(ctx, id)
				if err != nil {
					return err
				}
				if err := db.Unmerge(ctx, id); err != nil {
					return err
				}
				fmt.Fprintf(a.stdout, "unmerged identity %d: %s stand alone again, unchanged\n", id, strings.Join(ident.Members, ", "))
			case "identity":
				ident, err := db.IdentityOf(ctx, rest[0])
				if err != nil {
					return err
				}
				if a.o.json {
					return printJSON(a.stdout, ident)
				}
				fmt.Fprintf(a.stdout, "identity %d: %s (since %s, by %s)\n", ident.ID, strings.Join(ident.Members, ", "), ident.Created.Format("2006-01-02"), ident.CreatedBy)
			}
			return nil
		},
	}
}

func printJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

func reviewList(ctx context.Context, a *app, db *sqlstore.DB, status string) error {
	f := tumen.LinkCandidateFilter{Limit: a.o.limit}
	if status != "all" {
		f.Status = tumen.LinkStatus(status)
	}
	cs, err := db.LinkCandidates(ctx, f)
	if err != nil {
		return err
	}
	if a.o.json {
		if cs == nil {
			cs = []*tumen.LinkCandidate{}
		}
		return printJSON(a.stdout, cs)
	}
	q, err := db.LinkQueue(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "%d pending, %d merged, %d rejected, %d implied by merges, %d unmerged\n",
		q[tumen.LinkPending], q[tumen.LinkMerged], q[tumen.LinkRejected], q[tumen.LinkImplied], q[tumen.LinkUnmerged])
	if len(cs) == 0 {
		return nil
	}
	tw := tabwriter.NewWriter(a.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "PAIR\tPROBABILITY\tWEIGHT\tPERSON A\tPERSON B\tSTATUS")
	for _, c := range cs {
		fmt.Fprintf(tw, "%d\t%.4f\t%+.1f\t%s\t%s\t%s\n", c.ID, c.Probability, c.Weight, c.PersonA, c.PersonB, c.Status)
	}
	tw.Flush()
	fmt.Fprintln(a.stdout, "\nnext: tumen review show PAIR")
	return nil
}

// reviewSide is what the reviewer sees of one record.
type reviewSide struct {
	Person  *tumen.Person  `json:"person"`
	Events  []*tumen.Event `json:"events"`
	Sources []string       `json:"listed_by"`
}

func reviewShow(ctx context.Context, a *app, db *sqlstore.DB, id int64) error {
	c, err := db.LinkCandidate(ctx, id)
	if err != nil {
		return err
	}
	var sides [2]reviewSide
	for i, pid := range []string{c.PersonA, c.PersonB} {
		p, err := db.Person(ctx, pid)
		if err != nil {
			return err
		}
		evs, err := db.ListEvents(ctx, tumen.EventFilter{VictimID: pid})
		if err != nil {
			return err
		}
		srcs, err := db.ListSources(ctx, tumen.SourceFilter{Supports: &tumen.Link{Kind: tumen.RecordPerson, ID: pid}})
		if err != nil {
			return err
		}
		sides[i] = reviewSide{Person: p, Events: evs}
		for _, s := range srcs {
			if s.Organisation != "" {
				sides[i].Sources = append(sides[i].Sources, s.Organisation)
			}
		}
	}
	if a.o.json {
		return printJSON(a.stdout, struct {
			Candidate *tumen.LinkCandidate `json:"candidate"`
			A         reviewSide           `json:"a"`
			B         reviewSide           `json:"b"`
		}{c, sides[0], sides[1]})
	}
	gaz, _ := vocab.Load()
	place := func(id string) string {
		if gaz != nil {
			if p, ok := gaz.Place(id); ok {
				return p.NameEN
			}
		}
		return id
	}
	fmt.Fprintf(a.stdout, "pair %d: %s and %s, probability %.4f (%+.1f bits), %s\n\n", c.ID, c.PersonA, c.PersonB, c.Probability, c.Weight, c.Status)
	tw := tabwriter.NewWriter(a.stdout, 0, 0, 3, ' ', 0)
	row := func(label string, f func(s reviewSide) string) {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", label, orDash(f(sides[0])), orDash(f(sides[1])))
	}
	row("", func(s reviewSide) string { return s.Person.ID })
	row("names", func(s reviewSide) string {
		var ns []string
		for _, n := range s.Person.Names {
			ns = append(ns, n.Full)
		}
		return strings.Join(ns, "; ")
	})
	row("birth date", func(s reviewSide) string { return s.Person.BirthDate.String() })
	row("sex", func(s reviewSide) string { return string(s.Person.Sex) })
	row("origin", func(s reviewSide) string {
		if s.Person.HomePlaceID != "" && s.Person.Origin == "" {
			return place(s.Person.HomePlaceID)
		}
		return s.Person.Origin
	})
	row("events", func(s reviewSide) string {
		var es []string
		for _, e := range s.Events {
			where := e.PlaceText
			if e.PlaceID != "" {
				where = place(e.PlaceID)
			}
			es = append(es, strings.TrimSpace(fmt.Sprintf("%s %s %s", e.Stage, e.Date, where)))
		}
		return strings.Join(es, "; ")
	})
	row("listed by", func(s reviewSide) string { return strings.Join(s.Sources, ", ") })
	tw.Flush()
	fmt.Fprintln(a.stdout, "\nwhy (weights in bits; positive is evidence of one person):")
	tw = tabwriter.NewWriter(a.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "  prior\t\t%+7.2f\t\n", c.Prior)
	for _, f := range c.Explanation {
		tf := ""
		if f.TermFrequency > 0 {
			tf = fmt.Sprintf("(shared by %.3g%% of records)", 100*f.TermFrequency)
		}
		fmt.Fprintf(tw, "  %s\t%s\t%+7.2f\t%s\n", f.Field, f.Level, f.Weight, tf)
	}
	fmt.Fprintf(tw, "  total\t\t%+7.2f\tprobability %.4f\n", c.Weight, c.Probability)
	tw.Flush()
	switch c.Status {
	case tumen.LinkPending, tumen.LinkUnmerged:
		fmt.Fprintf(a.stdout, "\nnext: tumen review merge %d    tumen review reject %d\n", c.ID, c.ID)
	case tumen.LinkRejected:
		fmt.Fprintf(a.stdout, "\nrejected; to merge after all: tumen review merge %d\n", c.ID)
	default:
		fmt.Fprintf(a.stdout, "\nin identity %d; to undo: tumen review unmerge %d\n", c.IdentityID, c.IdentityID)
	}
	return nil
}
