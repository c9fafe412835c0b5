package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"runtime/debug"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"tumen"
	"tumen/approx"
	"tumen/crypt"
	"tumen/sqlite"
	"tumen/sqlstore"
	"tumen/synth"
)

func demoCommand() *command {
	return &command{
		name:    "demo",
		summary: "fill a store with realistic synthetic data (creating the store if needed)",
		help: `
Generates persons with Korean names in several spellings (South and North
Hangul, RR, McCune–Reischauer, practical spellings, Hanja), repatriation
chains through real gazetteer places (arrest in China, border detention,
handover, State Security, holding centre, prison), acts with the agencies
responsible, testimonies of fictional organisations, and consents. The same
--seed gives the same data. None of it describes a real person.

When the store does not exist it is created first, as by tumen init (the
passphrase from TUMEN_PASSPHRASE, the admin password from
TUMEN_ADMIN_PASSWORD, or both asked on a terminal).`,
		flags: func(fs *flag.FlagSet, o *opts) {
			fs.IntVar(&o.persons, "persons", 1000, "number of persons")
			fs.Int64Var(&o.seed, "seed", 1, "random seed")
			fs.StringVar(&o.admin, "admin", "admin", "login name of the first administrator, when the store is created")
		},
		run: func(ctx context.Context, a *app, args []string) error {
			if len(args) > 0 {
				return usageError{"demo takes no arguments"}
			}
			return runDemo(ctx, a)
		},
	}
}

// runDemo fills the store with demo data, creating it if needed.
func runDemo(ctx context.Context, a *app) error {
	if a.o.persons < 1 || a.o.persons > 10_000_000 {
		return usageError{"--persons must be between 1 and 10000000"}
	}
	var db *sqlstore.DB
	var err error
	if a.env["TUMEN_DATABASE_URL"] == "" && !sqlite.Exists(a.o.data) {
		if db, err = a.initStore(ctx); err != nil {
			return err
		}
		fmt.Fprintf(a.stdout, "created an encrypted tumen store in %s with admin %q\n", a.o.data, a.o.admin)
	} else if db, err = a.unlock(ctx); err != nil {
		return err
	}
	defer db.Close()
	if n, err := db.CountPersons(ctx, tumen.PersonFilter{IDs: []string{synth.PersonID(1)}}); err == nil && n > 0 {
		fmt.Fprintf(a.stdout, "this store already holds demo data (person %s exists); use a new --data for another run\n", synth.PersonID(1))
		if err := printStats(a.ctx(ctx), a, db, false); err != nil {
			return err
		}
		demoHint(a)
		return nil
	}
	start := time.Now()
	g := synth.New(a.o.seed)
	bar := a.progress("generating", int64(a.o.persons))
	persons := 0
	records := func(yield func(any, error) bool) {
		for r, err := range g.Records(a.o.persons) {
			if _, ok := r.(*tumen.Person); ok {
				persons++
			}
			if !yield(r, err) {
				return
			}
		}
	}
	err = db.Import(a.ctx(ctx), records, func(int) { bar.update(int64(persons), persons) })
	bar.finish()
	if err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "generated %d persons with their repatriation chains, acts, testimonies and consents in %.1f s\n", a.o.persons, time.Since(start).Seconds())
	if n, err := seedUrgentCases(a.ctx(ctx), db, synth.PersonID, a.o.persons, time.Now().UTC()); err != nil {
		return err
	} else if n > 0 {
		fmt.Fprintf(a.stdout, "put %d of them in Chinese custody now, for the urgent-cases board: tumen custody board\n", n)
	}
	if err := printStats(a.ctx(ctx), a, db, false); err != nil {
		return err
	}
	demoHint(a)
	return nil
}

// demoHint tells a new user where to go next.
func demoHint(a *app) {
	data := ""
	if a.env["TUMEN_DATABASE_URL"] == "" && a.o.data != "./tumen-data" {
		data = " --data " + a.o.data
	}
	fmt.Fprintf(a.stdout, "\nnext: tumen show person %s%s    tumen list persons --stage S4%s    tumen help\n", synth.PersonID(1), data, data)
}

func showCommand() *command {
	return &command{
		name:    "show",
		args:    "person ID",
		summary: "show one person: names, relatives, repatriation chain, sources (audited)",
		flags: func(fs *flag.FlagSet, o *opts) {
			fs.BoolVar(&o.json, "json", false, "print JSON")
		},
		run: func(ctx context.Context, a *app, args []string) error {
			if len(args) != 2 || args[0] != "person" {
				return usageError{"usage: tumen show person ID"}
			}
			db, err := a.unlock(ctx)
			if err != nil {
				return err
			}
			defer db.Close()
			ctx = a.ctx(ctx)
			d, err := db.Dossier(ctx, args[1])
			if err != nil {
				return err
			}
			p, events, acts, sources := d.Person, d.Events, d.Acts, d.Sources
			if a.o.json {
				enc := json.NewEncoder(a.stdout)
				enc.SetIndent("", "  ")
				return enc.Encode(map[string]any{"person": p, "events": events, "acts": acts, "sources": sources})
			}
			places := map[string]*tumen.Place{}
			if ps, err := db.Places(ctx); err == nil {
				for _, pl := range ps {
					places[pl.ID] = pl
				}
			}
			printPerson(a.stdout, p, events, acts, sources, places)
			return nil
		},
	}
}

func printPerson(w io.Writer, p *tumen.Person, events []*tumen.Event, acts []*tumen.Act, sources []*tumen.Source, places map[string]*tumen.Place) {
	fmt.Fprintf(w, "Person %s  (%s)\n", p.ID, p.Confidentiality)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for _, n := range p.Names {
		sys := string(n.System)
		if sys == "" {
			sys = "unknown"
		}
		fmt.Fprintf(tw, "  name\t%s\t%s\n", n.Full, sys)
	}
	fmt.Fprintf(tw, "  born\t%s\t%s\n", orDash(p.BirthDate.String()), p.BirthDate.Precision())
	fmt.Fprintf(tw, "  sex\t%s\t\n", orDash(string(p.Sex)))
	home := p.Origin
	if pl := places[p.HomePlaceID]; pl != nil {
		home = fmt.Sprintf("%s (%s, %s)", p.Origin, pl.NameEN, pl.NameKO)
	}
	fmt.Fprintf(tw, "  from\t%s\t\n", orDash(home))
	for _, r := range p.Relatives {
		in := "whereabouts unknown"
		switch r.InNK {
		case "yes":
			in = "in North Korea"
		case "no":
			in = "outside North Korea"
		}
		fmt.Fprintf(tw, "  relative\t%s %s\t%s\n", r.Relation, r.Name, in)
	}
	for _, c := range p.Contacts {
		fmt.Fprintf(tw, "  contact\t%s\t%s\n", c.Kind, c.Value)
	}
	tw.Flush()
	if len(events) > 0 {
		fmt.Fprintln(w, "\nRepatriation chain:")
		actsBy := map[string][]string{}
		for _, a := range acts {
			actsBy[a.EventID] = append(actsBy[a.EventID], a.Type)
		}
		tw = tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		for _, e := range events {
			place := e.PlaceText
			if pl := places[e.PlaceID]; pl != nil {
				place = pl.NameEN + " " + pl.NameKO
			}
			lo, hi := e.Date.Bounds()
			rng := ""
			if e.Date.Known() && lo != hi {
				rng = fmt.Sprintf("[%s … %s]", ymd(lo), ymd(hi))
			}
			stage := e.Stage
			if stage == "" {
				stage = "--"
			}
			fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%s\t%s\n", stage, orDash(e.Date.String()), rng, orDash(place), strings.Join(actsBy[e.ID], ", "), e.Title)
		}
		tw.Flush()
	}
	if len(sources) > 0 {
		fmt.Fprintln(w, "\nSources:")
		for _, s := range sources {
			fmt.Fprintf(w, "  %s  %s, %s, reliability %s, %s\n", s.ID, s.Kind, orDash(s.Organisation), orDash(s.Reliability), orDash(s.Date.String()))
			if s.Text != "" {
				fmt.Fprintf(w, "    %s\n", s.Text)
			}
		}
	}
}

func ymd(v int) string { return fmt.Sprintf("%04d-%02d-%02d", v/10000, v/100%100, v%100) }

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func listCommand() *command {
	return &command{
		name:    "list",
		args:    "persons",
		summary: "list persons, with filters (the listing is audited)",
		flags: func(fs *flag.FlagSet, o *opts) {
			fs.StringVar(&o.sex, "sex", "", "f or m")
			fs.StringVar(&o.source, "source", "", "documented by this organisation")
			fs.StringVar(&o.place, "place", "", "with an event at this gazetteer place id")
			fs.StringVar(&o.stage, "stage", "", "with an event at this stage (S0–S9)")
			fs.StringVar(&o.from, "from", "", "with an event that may fall on or after this approximate date")
			fs.StringVar(&o.to, "to", "", "with an event that may fall on or before this approximate date")
			fs.IntVar(&o.limit, "limit", 50, "at most this many")
			fs.BoolVar(&o.json, "json", false, "print JSON")
		},
		run: func(ctx context.Context, a *app, args []string) error {
			if len(args) != 1 || args[0] != "persons" {
				return usageError{"usage: tumen list persons [filters]"}
			}
			f := tumen.PersonFilter{Organisation: a.o.source, PlaceID: a.o.place, Stage: a.o.stage, Limit: a.o.limit}
			var err error
			if f.Sex, err = tumen.ParseSex(a.o.sex); err != nil {
				return usageError{tumen.ErrorMessage(err)}
			}
			if a.o.from != "" {
				d, err := approx.Parse(a.o.from)
				if err != nil {
					return usageError{err.Error()}
				}
				f.From, _ = d.Bounds()
			}
			if a.o.to != "" {
				d, err := approx.Parse(a.o.to)
				if err != nil {
					return usageError{err.Error()}
				}
				_, f.To = d.Bounds()
			}
			if f.Limit < 1 || f.Limit > 100000 {
				return usageError{"--limit must be between 1 and 100000"}
			}
			db, err := a.unlock(ctx)
			if err != nil {
				return err
			}
			defer db.Close()
			ctx = a.ctx(ctx)
			ps, err := db.ListPersons(ctx, f)
			if err != nil {
				return err
			}
			total, err := db.CountPersons(ctx, f)
			if err != nil {
				return err
			}
			if a.o.json {
				return json.NewEncoder(a.stdout).Encode(map[string]any{"total": total, "persons": ps})
			}
			tw := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "ID\tNAME\tOTHER NAMES\tBORN\tSEX\tFROM")
			for _, p := range ps {
				var other []string
				for _, n := range p.Names[1:] {
					other = append(other, n.Full)
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", p.ID, p.DisplayName(), strings.Join(other, "; "), orDash(p.BirthDate.String()), orDash(string(p.Sex)), orDash(p.Origin))
			}
			tw.Flush()
			fmt.Fprintf(a.stdout, "%d of %d persons\n", len(ps), total)
			return nil
		},
	}
}

func statsCommand() *command {
	return &command{
		name:    "stats",
		summary: "count the records in the store",
		flags: func(fs *flag.FlagSet, o *opts) {
			fs.BoolVar(&o.json, "json", false, "print JSON")
		},
		run: func(ctx context.Context, a *app, args []string) error {
			if len(args) > 0 {
				return usageError{"stats takes no arguments"}
			}
			db, err := a.unlock(ctx)
			if err != nil {
				return err
			}
			defer db.Close()
			return printStats(a.ctx(ctx), a, db, a.o.json)
		},
	}
}

func printStats(ctx context.Context, a *app, db *sqlstore.DB, asJSON bool) error {
	s, err := db.Stats(ctx)
	if err != nil {
		return err
	}
	if asJSON {
		enc := json.NewEncoder(a.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(s)
	}
	w := a.stdout
	fmt.Fprintf(w, "persons %d, events %d, acts %d, sources %d, consents %d, interventions %d, attachments %d\n",
		s.Persons, s.Events, s.Acts, s.Sources, s.Consents, s.Interventions, s.Attachments)
	fmt.Fprintf(w, "gazetteer places %d, organisations %d, vocabulary terms %d, users %d, audit entries %d\n",
		s.Places, s.Organisations, s.Terms, s.Users, s.AuditEntries)
	for _, g := range []struct {
		title string
		m     map[string]int
	}{{"persons by sex", s.BySex}, {"events by stage", s.ByStage}, {"acts by type", s.ByActType}, {"sources by organisation", s.BySourceOrg}, {"events by year (whole range in the year)", s.ByYear}} {
		if len(g.m) == 0 {
			continue
		}
		keys := make([]string, 0, len(g.m))
		for k := range g.m {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		var parts []string
		for _, k := range keys {
			parts = append(parts, fmt.Sprintf("%s %d", k, g.m[k]))
		}
		fmt.Fprintf(w, "%s: %s\n", g.title, strings.Join(parts, ", "))
	}
	return nil
}

func rekeyCommand() *command {
	return &command{
		name:    "rekey",
		summary: "change the passphrase (or key file) without re-encrypting the data",
		help: `
Unlocks the store with the current passphrase (TUMEN_PASSPHRASE) and key file
(--key-file), then wraps the data key under the new passphrase
(TUMEN_NEW_PASSPHRASE, or asked twice) and, with --new-key-file, a new key
file. The data is not re-encrypted: only the wrapped key changes.`,
		flags: func(fs *flag.FlagSet, o *opts) {
			fs.StringVar(&o.out, "new-key-file", "", "protect the store with this key file from now on (created when missing)")
		},
		run: func(ctx context.Context, a *app, args []string) error {
			if len(args) > 0 {
				return usageError{"rekey takes no arguments"}
			}
			db, err := a.openDB(ctx, false)
			if err != nil {
				return err
			}
			defer db.Close()
			needPass, needFile, err := db.Needs(ctx)
			if err != nil {
				return err
			}
			var old, nw crypt.Secrets
			if needFile {
				if old.KeyFile, err = a.keyFile(false); err != nil {
					return err
				}
			}
			if needPass {
				if old.Passphrase, err = a.passphrase(); err != nil {
					return err
				}
			}
			if a.o.out != "" {
				saved := a.o.keyFile
				a.o.keyFile = a.o.out
				nw.KeyFile, err = a.keyFile(true)
				a.o.keyFile = saved
				if err != nil {
					return err
				}
			}
			if nw.KeyFile == nil || a.env["TUMEN_NEW_PASSPHRASE"] != "" {
				if nw.Passphrase, err = a.newSecret("TUMEN_NEW_PASSPHRASE", "new passphrase", 12); err != nil {
					return err
				}
			}
			params, err := a.kdfParams()
			if err != nil {
				return err
			}
			if err := db.Rekey(a.ctx(ctx), old, nw, params); err != nil {
				return err
			}
			fmt.Fprintln(a.stdout, "the data key is now wrapped under the new secrets; the old ones no longer open the store")
			return nil
		},
	}
}

func auditCommand() *command {
	return &command{
		name:    "audit",
		args:    "verify | log",
		summary: "verify the hash-chained audit log, or print its newest entries",
		flags: func(fs *flag.FlagSet, o *opts) {
			fs.IntVar(&o.limit, "limit", 20, "entries to print with log")
		},
		run: func(ctx context.Context, a *app, args []string) error {
			if len(args) != 1 || (args[0] != "verify" && args[0] != "log") {
				return usageError{"usage: tumen audit verify | tumen audit log"}
			}
			db, err := a.unlock(ctx)
			if err != nil {
				return err
			}
			defer db.Close()
			if args[0] == "log" {
				s, err := db.Stats(ctx)
				if err != nil {
					return err
				}
				es, err := db.AuditLog(ctx, int64(max(0, s.AuditEntries-a.o.limit)), a.o.limit)
				if err != nil {
					return err
				}
				tw := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
				for _, e := range es {
					fmt.Fprintf(tw, "%d\t%s\t%s\t%s %s %s\t%s\n", e.Seq, e.At.Format(time.RFC3339), e.Actor, e.Action, e.Kind, e.Target, e.Detail)
				}
				return tw.Flush()
			}
			bad, n, err := db.VerifyAudit(ctx)
			if err != nil {
				return err
			}
			if bad != 0 {
				return tumen.Errorf(tumen.KindConflict, "the audit log is broken at entry %d: it was edited, deleted or reordered (%d entries before it verify)", bad, n)
			}
			fmt.Fprintf(a.stdout, "audit log intact: %d entries verify\n", n)
			return nil
		},
	}
}

func versionCommand() *command {
	return &command{
		name:    "version",
		summary: "print the version",
		run: func(ctx context.Context, a *app, args []string) error {
			v := "devel"
			if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" {
				v = bi.Main.Version
			}
			fmt.Fprintf(a.stdout, "tumen %s (schema %d)\n", v, 1)
			return nil
		},
	}
}
