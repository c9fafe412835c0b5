package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"tumen"
	"tumen/appeal"
	"tumen/risk"
	"tumen/sqlstore"
)

// appealFlags are the flags of tumen appeal and tumen assess.
type appealFlags struct {
	person, mechanism, format, out                string
	org, name, email, address, relation           string
	access, steps, legalBasis, why, withhold, add string
	joint, force                                  bool
}

func parseMechanism(s string) (appeal.Mechanism, error) {
	m, err := appeal.ParseMechanism(s)
	if err != nil {
		return "", usageError{err.Error()}
	}
	return m, nil
}

func appealCommand() *command {
	f := &appealFlags{}
	return &command{
		name:    "appeal",
		args:    "--person ID --mechanism sp|wgeid|wgad",
		summary: "write a UN submission (urgent appeal, WGEID, WGAD) from a person's consented records",
		help: `
Writes one document for one mechanism from the records: sp, an urgent appeal
to the Special Rapporteur on the DPRK (with --joint, jointly with the Special
Rapporteur on torture); wgeid, a case for the Working Group on Enforced or
Involuntary Disappearances (its six elements); wgad, a petition to the
Working Group on Arbitrary Detention.

Only sources with a standing consent to UN submission are used: named
(un-named) or, for an sp appeal only, anonymous (un-anonymous), in which
case no name appears. Relatives, contacts and notes never appear; records
marked secret, and fields named with --withhold, are left out. When consent
or a required element is missing, nothing is written and the command exits
with status 1, listing what is missing.

The submitter is taken from the flags or from TUMEN_SUBMITTER_ORG,
TUMEN_SUBMITTER_NAME and TUMEN_SUBMITTER_EMAIL. The file is written 0600,
never over an existing one unless --force. Record it as sent with
tumen intervention sent --document FILE.`,
		flags: func(fs *flag.FlagSet, o *opts) {
			appealDefs(fs, f)
			fs.StringVar(&f.mechanism, "mechanism", "", "sp, wgeid or wgad (required)")
			fs.BoolVar(&f.joint, "joint", false, "sp: joint appeal with the Special Rapporteur on torture")
			fs.StringVar(&f.access, "access", "", "sp --joint: whether family, a lawyer or a doctor has had access")
			fs.StringVar(&f.steps, "steps", "", "wgeid: steps taken to locate the person, besides the recorded interventions")
			fs.StringVar(&f.legalBasis, "legal-basis", "", "wgad: the legal basis the authorities claim, or that none was given")
			fs.StringVar(&f.why, "why", "", "wgad: why the detention is arbitrary (the Working Group's categories)")
			fs.StringVar(&f.withhold, "withhold", "", "fields to leave out, comma-separated: "+strings.Join(appeal.Fields, ", "))
		},
		run: func(ctx context.Context, a *app, args []string) error {
			if len(args) > 0 {
				return usageError{"appeal takes no arguments; give --person and --mechanism"}
			}
			if f.person == "" || f.mechanism == "" {
				return usageError{"appeal needs --person ID and --mechanism sp|wgeid|wgad"}
			}
			m, err := parseMechanism(f.mechanism)
			if err != nil {
				return err
			}
			if err := checkFormat(f); err != nil {
				return err
			}
			db, err := a.unlock(ctx)
			if err != nil {
				return err
			}
			defer db.Close()
			ctx = a.ctx(ctx)
			now := time.Now().UTC()
			c, err := loadCase(ctx, db, f.person, now)
			if err != nil {
				return err
			}
			o := appeal.Options{Mechanism: m, Joint: f.joint, Now: now, Access: f.access, Steps: f.steps, LegalBasis: f.legalBasis, Arbitrary: f.why,
				Submitter: appeal.Submitter{Organisation: orEnv(f.org, a.env, "TUMEN_SUBMITTER_ORG"), Name: orEnv(f.name, a.env, "TUMEN_SUBMITTER_NAME"),
					Email: orEnv(f.email, a.env, "TUMEN_SUBMITTER_EMAIL"), Address: f.address, Relation: f.relation}}
			if f.withhold != "" {
				for _, w := range strings.Split(f.withhold, ",") {
					o.Withhold = append(o.Withhold, strings.TrimSpace(w))
				}
			}
			d, err := appeal.Prepare(c, o)
			var ref *appeal.Refusal
			if errors.As(err, &ref) {
				_ = db.Audit(ctx, "appeal-refused", "person", f.person, string(m))
				return err
			}
			if err != nil {
				return err
			}
			sum, err := writeDocument(a, d, f)
			if err != nil {
				return err
			}
			if err := db.Audit(ctx, "appeal", "person", f.person, fmt.Sprintf("%s %s sha256 %s", m, f.format, sum)); err != nil {
				return err
			}
			for _, l := range d.LeftOut {
				fmt.Fprintln(a.stderr, "left out: "+l)
			}
			if f.out != "" {
				fmt.Fprintf(a.stderr, "wrote %s (sha256 %s)\nwhen it is sent: tumen intervention sent --person %s --mechanism %s --to ADDRESSEE --document %s\n", f.out, sum, f.person, m, f.out)
			}
			return nil
		},
	}
}

func appealDefs(fs *flag.FlagSet, f *appealFlags) {
	fs.StringVar(&f.person, "person", "", "person id (required)")
	fs.StringVar(&f.format, "format", "txt", "html, pdf or txt")
	fs.StringVar(&f.out, "out", "", "file to write (required for pdf; default standard output)")
	fs.BoolVar(&f.force, "force", false, "replace an existing --out file")
	fs.StringVar(&f.org, "submitter-org", "", "submitting organisation (or TUMEN_SUBMITTER_ORG)")
	fs.StringVar(&f.name, "submitter-name", "", "submitting person or desk (or TUMEN_SUBMITTER_NAME)")
	fs.StringVar(&f.email, "submitter-email", "", "submitter's e-mail (or TUMEN_SUBMITTER_EMAIL)")
	fs.StringVar(&f.address, "submitter-address", "", "submitter's postal address")
	fs.StringVar(&f.relation, "submitter-relation", "", "the submitter's relation to the person")
}

func orEnv(v string, env map[string]string, name string) string {
	if v != "" {
		return v
	}
	return env[name]
}

func checkFormat(f *appealFlags) error {
	switch f.format {
	case "html", "txt":
	case "pdf":
		if f.out == "" {
			return usageError{"--format pdf needs --out FILE"}
		}
	default:
		return usageError{"--format must be html, pdf or txt"}
	}
	return nil
}

// writeDocument renders d to --out or standard output and returns the
// SHA-256 of the bytes written.
func writeDocument(a *app, d *appeal.Document, f *appealFlags) (string, error) {
	var buf bytes.Buffer
	var err error
	switch f.format {
	case "html":
		err = d.HTML(&buf)
	case "pdf":
		err = d.PDF(&buf)
	default:
		err = d.Text(&buf)
	}
	if err != nil {
		return "", tumen.Wrap(err, "cannot render the document")
	}
	sum := sha256.Sum256(buf.Bytes())
	hexSum := hex.EncodeToString(sum[:])
	if f.out == "" {
		_, err := a.stdout.Write(buf.Bytes())
		return hexSum, err
	}
	flags := os.O_WRONLY | os.O_CREATE | os.O_EXCL
	if f.force {
		flags = os.O_WRONLY | os.O_CREATE | os.O_TRUNC
	}
	out, err := os.OpenFile(f.out, flags, 0o600)
	if errors.Is(err, os.ErrExist) {
		return "", fmt.Errorf("%s already exists; use --force to replace it", f.out)
	}
	if err != nil {
		return "", fmt.Errorf("cannot write the document: %v", err)
	}
	if _, err := out.Write(buf.Bytes()); err != nil {
		out.Close()
		return "", fmt.Errorf("cannot write the document: %v", err)
	}
	return hexSum, out.Close()
}

// loadCase reads what a document is filled from; every read of the
// person is audited by the store.
func loadCase(ctx context.Context, db *sqlstore.DB, id string, now time.Time) (*appeal.Case, error) {
	d, err := db.Dossier(ctx, id)
	if err != nil {
		return nil, err
	}
	c := &appeal.Case{Person: d.Person, Events: d.Events, Acts: d.Acts, Sources: d.Sources, Consents: d.Consents,
		Places: map[string]*tumen.Place{}, Organisations: map[string]*tumen.Organisation{}}
	if c.Custody, err = db.CustodyHistory(ctx, id); err != nil {
		return nil, err
	}
	if c.RiskFacts, err = db.RiskFacts(ctx, id); err != nil {
		return nil, err
	}
	if c.Interventions, err = db.Interventions(ctx, id); err != nil {
		return nil, err
	}
	places, err := db.Places(ctx)
	if err != nil {
		return nil, err
	}
	for _, p := range places {
		c.Places[p.ID] = p
	}
	orgs, err := db.Organisations(ctx)
	if err != nil {
		return nil, err
	}
	for _, o := range orgs {
		c.Organisations[o.ID] = o
	}
	r, _, err := risk.Current(ctx, db)
	if err != nil {
		return nil, err
	}
	s, err := scoreOf(ctx, db, r, d.Person, c.Custody, c.RiskFacts, now)
	if err != nil {
		return nil, err
	}
	c.Score = &s
	return c, nil
}

func assessCommand() *command {
	f := &appealFlags{}
	return &command{
		name:    "assess",
		args:    "add|memo --person ID",
		summary: "refugee-status assessments: record one from a JSON file, print the latest as a memo",
		help: `
  add   --person ID --file FILE: record an assessment. FILE is JSON with
        well_founded_fear, persecution, grounds (race, religion, nationality,
        social-group, political-opinion), grounds_reasoning,
        state_protection, sur_place, conclusion, facts ([{"text": …,
        "sources": ["S-…"]}]) and assessor; the date is today unless given
        as "date" (RFC 3339).
  memo  --person ID [--format html|pdf|txt] [--out FILE]: the latest
        assessment as a memo.`,
		flags: func(fs *flag.FlagSet, o *opts) {
			appealDefs(fs, f)
			fs.StringVar(&f.add, "file", "", "add: the assessment as JSON")
		},
		run: func(ctx context.Context, a *app, args []string) error {
			if len(args) != 1 || (args[0] != "add" && args[0] != "memo") {
				return usageError{"usage: tumen assess add|memo --person ID"}
			}
			if f.person == "" {
				return usageError{"assess needs --person"}
			}
			if args[0] == "add" && f.add == "" {
				return usageError{"assess add needs --file"}
			}
			if args[0] == "memo" {
				if err := checkFormat(f); err != nil {
					return err
				}
			}
			db, err := a.unlock(ctx)
			if err != nil {
				return err
			}
			defer db.Close()
			ctx = a.ctx(ctx)
			if args[0] == "add" {
				return assessAdd(ctx, a, db, f)
			}
			as, err := db.Assessments(ctx, f.person)
			if err != nil {
				return err
			}
			if len(as) == 0 {
				return tumen.Errorf(tumen.KindNotFound, "no assessment of %s: record one with tumen assess add", f.person)
			}
			p, err := db.Person(ctx, f.person)
			if err != nil {
				return err
			}
			srcs := map[string]*tumen.Source{}
			for _, fact := range as[0].Facts {
				for _, id := range fact.SourceIDs {
					if s, err := db.Source(ctx, id); err == nil {
						srcs[id] = s
					}
				}
			}
			sum, err := writeDocument(a, appeal.Memo(as[0], p, srcs), f)
			if err != nil {
				return err
			}
			if f.out != "" {
				fmt.Fprintf(a.stderr, "wrote %s (sha256 %s)\n", f.out, sum)
			}
			return db.Audit(ctx, "memo", "person", f.person, "assessment "+as[0].ID)
		},
	}
}

func assessAdd(ctx context.Context, a *app, db *sqlstore.DB, f *appealFlags) error {
	fh, err := os.Open(f.add)
	if err != nil {
		return fmt.Errorf("cannot read the assessment file: %v", err)
	}
	defer fh.Close()
	as := &tumen.Assessment{}
	dec := json.NewDecoder(io.LimitReader(fh, 1<<20))
	dec.DisallowUnknownFields()
	if err := dec.Decode(as); err != nil {
		return usageError{"the assessment file is not JSON of an assessment: " + err.Error()}
	}
	as.ID, as.PersonID = newID("AS"), f.person
	if as.Date.IsZero() {
		as.Date = time.Now().UTC()
	}
	if as.Assessor == "" {
		as.Assessor = tumen.Actor(ctx)
	}
	if err := db.CreateAssessment(ctx, as); err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "recorded assessment %s of %s by %s\n", as.ID, as.PersonID, as.Assessor)
	return nil
}
