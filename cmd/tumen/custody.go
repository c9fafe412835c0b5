package main

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"fmt"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"tumen"
	"tumen/approx"
	"tumen/risk"
	"tumen/sqlstore"
)

// custodyFlags are the flags of tumen custody's subcommands.
type custodyFlags struct {
	person, status, date, place, source, note string
	code, label, load, versionNote            string
	open, closed, peek, explain               bool
	version                                   int
}

func custodyCommand() *command {
	f := &custodyFlags{}
	return &command{
		name:    "custody",
		args:    "set|history|board|fact|withdraw|border|watch|score|rubric [ID]",
		summary: "urgent response: custody status, risk facts, the urgent-cases board, the risk rubric",
		help: `
  set       record a change of custody status (dated, sourced, audited):
            --person ID --status S --date D [--place ID] [--source ID] [--note T]
            statuses: at-liberty-cn arrested detained-cn border-detention
            handed-over nk-custody released sentenced disappeared dead safe
  history   a person's custody changes: --person ID
  board     open cases by risk, what changed since you last looked (*),
            overdue follow-ups (!); --explain shows each score's facts;
            --peek does not mark the board as seen
  fact      record a risk fact: --person ID --code C [--date D] [--source ID]
            (codes: the rubric's severity factors, and sentence-end with
            --date the day a Chinese sentence ends)
  withdraw  withdraw a risk fact that does not hold: withdraw FACT-ID
  border    record whether the border is open to returns: --open|--closed --since D
  watch     flag a date around which returns cluster: --date D --label L
  score     a person's score with every fact and weight: --person ID
  rubric    print the rubric in force; --load FILE stores a new version
            (--version-note T); --version N prints a stored version

Dates are approximate: 2024-03-05, 2024-03, spring 2024, 2024년 3월.`,
		flags: func(fs *flag.FlagSet, o *opts) {
			fs.StringVar(&f.person, "person", "", "person id")
			fs.StringVar(&f.status, "status", "", "custody status")
			fs.StringVar(&f.date, "date", "", "date (approximate dates allowed)")
			fs.StringVar(&f.place, "place", "", "gazetteer place id: the facility or place")
			fs.StringVar(&f.source, "source", "", "source id the change or fact comes from")
			fs.StringVar(&f.note, "note", "", "note (encrypted at rest)")
			fs.StringVar(&f.code, "code", "", "risk fact code")
			fs.StringVar(&f.label, "label", "", "label of a flagged date")
			fs.BoolVar(&f.open, "open", false, "the border is open to returns")
			fs.BoolVar(&f.closed, "closed", false, "the border is closed to returns")
			fs.StringVar(&f.date, "since", "", "since when (border)")
			fs.BoolVar(&f.peek, "peek", false, "board: do not mark as seen")
			fs.BoolVar(&f.explain, "explain", false, "board: show the facts behind each score")
			fs.StringVar(&f.load, "load", "", "rubric: a rubric JSON file to store as a new version")
			fs.StringVar(&f.versionNote, "version-note", "", "rubric: why this version")
			fs.IntVar(&f.version, "version", 0, "rubric: a stored version to print")
			fs.BoolVar(&o.json, "json", false, "print JSON")
		},
		run: func(ctx context.Context, a *app, args []string) error {
			if len(args) == 0 {
				return usageError{"custody needs a subcommand: set, history, board, fact, withdraw, border, watch, score or rubric"}
			}
			sub, rest := args[0], args[1:]
			if sub != "withdraw" && len(rest) > 0 {
				return usageError{"custody " + sub + " takes no arguments"}
			}
			db, err := a.unlock(ctx)
			if err != nil {
				return err
			}
			defer db.Close()
			ctx = a.ctx(ctx)
			now := time.Now().UTC()
			switch sub {
			case "set":
				return custodySet(ctx, a, db, f)
			case "history":
				return custodyHistory(ctx, a, db, f)
			case "board":
				return custodyBoard(ctx, a, db, f, now)
			case "fact":
				return custodyFact(ctx, a, db, f)
			case "withdraw":
				if len(rest) != 1 {
					return usageError{"usage: tumen custody withdraw FACT-ID"}
				}
				if err := db.WithdrawRiskFact(ctx, rest[0], now); err != nil {
					return err
				}
				fmt.Fprintf(a.stdout, "withdrew risk fact %s\n", rest[0])
				return nil
			case "border":
				return custodyBorder(ctx, a, db, f)
			case "watch":
				return custodyWatch(ctx, a, db, f)
			case "score":
				return custodyScore(ctx, a, db, f, now)
			case "rubric":
				return custodyRubric(ctx, a, db, f)
			}
			return usageError{fmt.Sprintf("unknown custody subcommand %q", sub)}
		},
	}
}

// newID returns a record id with prefix and a random suffix.
func newID(prefix string) string {
	var b [6]byte
	_, _ = rand.Read(b[:])
	return prefix + "-" + time.Now().UTC().Format("20060102") + "-" + hex.EncodeToString(b[:])
}

func parseDate(flagName, s string, required bool) (approx.Date, error) {
	if s == "" {
		if required {
			return approx.Date{}, usageError{"--" + flagName + " is required"}
		}
		return approx.Date{}, nil
	}
	d, err := approx.Parse(s)
	if err != nil {
		return approx.Date{}, usageError{"--" + flagName + ": " + err.Error()}
	}
	return d, nil
}

func custodySet(ctx context.Context, a *app, db *sqlstore.DB, f *custodyFlags) error {
	if f.person == "" || f.status == "" {
		return usageError{"custody set needs --person and --status"}
	}
	st, err := tumen.ParseCustodyStatus(f.status)
	if err != nil {
		return usageError{err.Error()}
	}
	d, err := parseDate("date", f.date, true)
	if err != nil {
		return err
	}
	if f.place != "" {
		if err := knownPlace(ctx, db, f.place); err != nil {
			return err
		}
	}
	c := &tumen.CustodyChange{ID: newID("K"), PersonID: f.person, Status: st, Date: d, PlaceID: f.place, SourceID: f.source, Note: f.note, RecordedBy: tumen.Actor(ctx)}
	if err := db.AddCustodyChange(ctx, c); err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "recorded %s: %s is %s since %s\n", c.ID, c.PersonID, st, d)
	if st.InChina() && f.source == "" {
		fmt.Fprintln(a.stderr, "note: without --source this change cannot go into a UN submission")
	}
	if st == tumen.CustodyBorderDetention {
		fmt.Fprintf(a.stdout, "urgent: write the appeal now: tumen appeal --person %s --mechanism sp --format pdf --out appeal.pdf\n", c.PersonID)
	}
	return nil
}

func knownPlace(ctx context.Context, db *sqlstore.DB, id string) error {
	places, err := db.Places(ctx)
	if err != nil {
		return err
	}
	for _, p := range places {
		if p.ID == id {
			return nil
		}
	}
	return usageError{fmt.Sprintf("--place %q is not in the gazetteer", id)}
}

func custodyHistory(ctx context.Context, a *app, db *sqlstore.DB, f *custodyFlags) error {
	if f.person == "" {
		return usageError{"custody history needs --person"}
	}
	hist, err := db.CustodyHistory(ctx, f.person)
	if err != nil {
		return err
	}
	if a.o.json {
		return printJSON(a.stdout, hist)
	}
	if len(hist) == 0 {
		fmt.Fprintf(a.stdout, "no custody changes recorded for %s\n", f.person)
		return nil
	}
	tw := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "DATE\tSTATUS\tPLACE\tSOURCE\tRECORDED BY\tID\tNOTE")
	for _, c := range hist {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", c.Date, c.Status, c.PlaceID, c.SourceID, c.RecordedBy, c.ID, c.Note)
	}
	return tw.Flush()
}

func custodyBoard(ctx context.Context, a *app, db *sqlstore.DB, f *custodyFlags, now time.Time) error {
	r, _, err := risk.Current(ctx, db)
	if err != nil {
		return err
	}
	seen, err := db.BoardSeen(ctx)
	if err != nil {
		return err
	}
	cases, err := risk.Board(ctx, db, r, now, seen)
	if err != nil {
		return err
	}
	if !f.peek {
		if err := db.MarkBoardSeen(ctx, now); err != nil {
			return err
		}
	}
	if a.o.json {
		return printJSON(a.stdout, cases)
	}
	if len(cases) == 0 {
		fmt.Fprintln(a.stdout, "no open custody cases: record one with tumen custody set")
		return nil
	}
	since := "never"
	if !seen.IsZero() {
		since = seen.Format("2006-01-02 15:04 UTC")
	}
	fmt.Fprintf(a.stdout, "urgent cases, by risk (rubric %s); * changed since you last looked (%s); ! follow-up overdue\n\n", r.Version, since)
	tw := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "\tRISK\tIMM\tSEV\tPERSON\tSTATUS\tSINCE\tPLACE\tOPEN\tOVERDUE\tNAME")
	for _, c := range cases {
		mark := ""
		if len(c.Changed) > 0 {
			mark = "*"
		}
		if len(c.Overdue) > 0 {
			mark += "!"
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%s\t%s\t%s\t%s\t%d\t%d\t%s\n", mark, c.Score.Total, c.Score.Imminence, c.Score.Severity, c.PersonID,
			c.Latest.Status, c.Latest.Date, c.Latest.PlaceID, len(c.Open), len(c.Overdue), c.Name)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, c := range cases {
		if f.explain {
			fmt.Fprintf(a.stdout, "\n%s: %s", c.PersonID, c.Score.Explain())
		}
		for _, iv := range c.Overdue {
			fmt.Fprintf(a.stdout, "overdue: %s %s to %s sent %s, follow up by %s\n", c.PersonID, iv.ID, iv.To, iv.Date, iv.FollowUp)
		}
	}
	return nil
}

func custodyFact(ctx context.Context, a *app, db *sqlstore.DB, f *custodyFlags) error {
	if f.person == "" || f.code == "" {
		return usageError{"custody fact needs --person and --code"}
	}
	r, _, err := risk.Current(ctx, db)
	if err != nil {
		return err
	}
	ok := false
	for _, c := range r.RecordableCodes() {
		ok = ok || c == f.code
	}
	if !ok {
		return usageError{fmt.Sprintf("--code %q is not a fact the rubric weighs; use one of: %s", f.code, strings.Join(r.RecordableCodes(), ", "))}
	}
	d, err := parseDate("date", f.date, f.code == risk.CodeSentenceEnd)
	if err != nil {
		return err
	}
	rf := &tumen.RiskFact{ID: newID("R"), PersonID: f.person, Code: f.code, Date: d, SourceID: f.source, Note: f.note}
	if err := db.AddRiskFact(ctx, rf); err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "recorded risk fact %s for %s\n", rf.ID, rf.PersonID)
	return nil
}

func custodyBorder(ctx context.Context, a *app, db *sqlstore.DB, f *custodyFlags) error {
	if f.open == f.closed {
		return usageError{"custody border needs --open or --closed"}
	}
	d, err := parseDate("since", f.date, true)
	if err != nil {
		return err
	}
	if err := db.SetBorderState(ctx, &tumen.BorderState{Open: f.open, Since: d, Note: f.note}); err != nil {
		return err
	}
	state := "closed to"
	if f.open {
		state = "open to"
	}
	fmt.Fprintf(a.stdout, "recorded: the border is %s returns since %s\n", state, d)
	return nil
}

func custodyWatch(ctx context.Context, a *app, db *sqlstore.DB, f *custodyFlags) error {
	d, err := parseDate("date", f.date, true)
	if err != nil {
		return err
	}
	if f.label == "" {
		return usageError{"custody watch needs --label"}
	}
	w := &tumen.WatchDate{ID: newID("W"), Date: d, Label: f.label}
	if err := db.AddWatchDate(ctx, w); err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "flagged %s: %s\n", d, f.label)
	return nil
}

// scoreOf scores one person with the rubric in force.
func scoreOf(ctx context.Context, db *sqlstore.DB, r *risk.Rubric, p *tumen.Person, hist []*tumen.CustodyChange, facts []*tumen.RiskFact, now time.Time) (risk.Score, error) {
	in := risk.Inputs{Person: p, RiskFacts: facts, Now: now}
	if len(hist) > 0 {
		in.Latest = hist[len(hist)-1]
	}
	border, err := db.BorderState(ctx)
	if err != nil && !tumen.IsNotFound(err) {
		return risk.Score{}, err
	}
	in.Border = border
	if in.WatchDates, err = db.WatchDates(ctx); err != nil {
		return risk.Score{}, err
	}
	if in.Latest != nil && in.Latest.PlaceID != "" {
		places, err := db.Places(ctx)
		if err != nil {
			return risk.Score{}, err
		}
		for _, pl := range places {
			if pl.ID == in.Latest.PlaceID {
				in.Place = pl
			}
		}
	}
	return r.Score(r.Gather(in)), nil
}

func custodyScore(ctx context.Context, a *app, db *sqlstore.DB, f *custodyFlags, now time.Time) error {
	if f.person == "" {
		return usageError{"custody score needs --person"}
	}
	r, _, err := risk.Current(ctx, db)
	if err != nil {
		return err
	}
	p, err := db.Person(ctx, f.person)
	if err != nil {
		return err
	}
	hist, err := db.CustodyHistory(ctx, f.person)
	if err != nil {
		return err
	}
	facts, err := db.RiskFacts(ctx, f.person)
	if err != nil {
		return err
	}
	s, err := scoreOf(ctx, db, r, p, hist, facts, now)
	if err != nil {
		return err
	}
	if a.o.json {
		return printJSON(a.stdout, s)
	}
	fmt.Fprintf(a.stdout, "%s: %s", f.person, s.Explain())
	return nil
}

func custodyRubric(ctx context.Context, a *app, db *sqlstore.DB, f *custodyFlags) error {
	if f.load != "" {
		b, err := os.ReadFile(f.load)
		if err != nil {
			return fmt.Errorf("cannot read the rubric file: %v", err)
		}
		r, err := risk.Parse(b)
		if err != nil {
			return err
		}
		rv := &tumen.RubricVersion{Body: r.JSON(), Note: f.versionNote}
		if err := db.SaveRubric(ctx, rv); err != nil {
			return err
		}
		fmt.Fprintf(a.stdout, "stored rubric %q as version %d; it is now in force\n", r.Version, rv.Version)
		return nil
	}
	if f.version != 0 {
		rv, err := db.Rubric(ctx, f.version)
		if err != nil {
			return err
		}
		_, err = a.stdout.Write(rv.Body)
		return err
	}
	r, v, err := risk.Current(ctx, db)
	if err != nil {
		return err
	}
	if v == 0 {
		fmt.Fprintln(a.stderr, "the default rubric (no version stored)")
	} else {
		fmt.Fprintf(a.stderr, "stored version %d\n", v)
	}
	_, err = a.stdout.Write(r.JSON())
	return err
}

// interventionFlags are the flags of tumen intervention.
type interventionFlags struct {
	person, mechanism, kind, to, date, reference, document, followUp string
	response, responseDate, outcome, note                            string
	followDays                                                       int
}

func interventionCommand() *command {
	f := &interventionFlags{}
	return &command{
		name:    "intervention",
		args:    "sent|update|list [ID]",
		summary: "record appeals and letters sent, with the document's SHA-256, and what came back",
		help: `
  sent    record a document as sent: --person ID (--mechanism sp|wgeid|wgad |
          --kind K) --to WHOM --document FILE [--date D] [--reference R]
          [--follow-up D | --follow-up-days N (default 14)]; the SHA-256 of
          FILE is recorded, so the document sent can be proved later
  update  record a response or outcome: update ID [--response T]
          [--response-date D] [--follow-up D] [--outcome T] [--note T]
  list    a person's interventions: --person ID`,
		flags: func(fs *flag.FlagSet, o *opts) {
			fs.StringVar(&f.person, "person", "", "victim's person id")
			fs.StringVar(&f.mechanism, "mechanism", "", "sp, wgeid or wgad: sets the kind")
			fs.StringVar(&f.kind, "kind", "", "intervention kind (intervention-kind vocabulary)")
			fs.StringVar(&f.to, "to", "", "addressee")
			fs.StringVar(&f.date, "date", "", "date sent (default today)")
			fs.StringVar(&f.reference, "reference", "", "reference number")
			fs.StringVar(&f.document, "document", "", "the file sent, to hash")
			fs.StringVar(&f.followUp, "follow-up", "", "follow-up date")
			fs.IntVar(&f.followDays, "follow-up-days", 14, "follow up this many days after sending, when --follow-up is not given")
			fs.StringVar(&f.response, "response", "", "response received (encrypted at rest)")
			fs.StringVar(&f.responseDate, "response-date", "", "date of the response")
			fs.StringVar(&f.outcome, "outcome", "", "outcome; an intervention with an outcome is closed")
			fs.StringVar(&f.note, "note", "", "note (encrypted at rest)")
			fs.BoolVar(&o.json, "json", false, "print JSON")
		},
		run: func(ctx context.Context, a *app, args []string) error {
			if len(args) == 0 {
				return usageError{"intervention needs a subcommand: sent, update or list"}
			}
			db, err := a.unlock(ctx)
			if err != nil {
				return err
			}
			defer db.Close()
			ctx = a.ctx(ctx)
			switch args[0] {
			case "sent":
				return interventionSent(ctx, a, db, f)
			case "update":
				if len(args) != 2 {
					return usageError{"usage: tumen intervention update ID [flags]"}
				}
				return interventionUpdate(ctx, a, db, f, args[1])
			case "list":
				if f.person == "" {
					return usageError{"intervention list needs --person"}
				}
				ivs, err := db.Interventions(ctx, f.person)
				if err != nil {
					return err
				}
				if a.o.json {
					return printJSON(a.stdout, ivs)
				}
				now := time.Now().UTC()
				tw := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
				fmt.Fprintln(tw, "ID\tKIND\tTO\tSENT\tREFERENCE\tFOLLOW UP\tOUTCOME\tSHA-256")
				for _, iv := range ivs {
					fu := iv.FollowUp.String()
					if risk.Overdue(iv, now) {
						fu += " (overdue)"
					}
					fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%.16s\n", iv.ID, iv.Kind, iv.To, iv.Date, iv.Reference, fu, iv.Outcome, iv.DocumentHash)
				}
				return tw.Flush()
			}
			return usageError{fmt.Sprintf("unknown intervention subcommand %q", args[0])}
		},
	}
}

func interventionSent(ctx context.Context, a *app, db *sqlstore.DB, f *interventionFlags) error {
	if f.person == "" || f.to == "" || f.document == "" {
		return usageError{"intervention sent needs --person, --to and --document"}
	}
	kind := f.kind
	if f.mechanism != "" {
		m, err := parseMechanism(f.mechanism)
		if err != nil {
			return err
		}
		kind = m.InterventionKind()
	}
	if kind == "" {
		return usageError{"intervention sent needs --mechanism or --kind"}
	}
	b, err := os.ReadFile(f.document)
	if err != nil {
		return fmt.Errorf("cannot read the document: %v", err)
	}
	sum := sha256.Sum256(b)
	now := time.Now().UTC()
	date, err := parseDate("date", f.date, false)
	if err != nil {
		return err
	}
	if !date.Known() {
		date, _ = approx.FromTime(now)
	}
	follow, err := parseDate("follow-up", f.followUp, false)
	if err != nil {
		return err
	}
	if !follow.Known() && f.followDays > 0 {
		follow = risk.FollowUpAfter(date.Lo(), f.followDays)
	}
	iv := &tumen.Intervention{ID: newID("I"), VictimID: f.person, Kind: kind, To: f.to, Date: date, Reference: f.reference,
		DocumentHash: hex.EncodeToString(sum[:]), FollowUp: follow, Note: f.note}
	if err := db.CreateIntervention(ctx, iv); err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "recorded %s: %s to %s on %s, sha256 %s, follow up by %s\n", iv.ID, kind, iv.To, iv.Date, iv.DocumentHash, iv.FollowUp)
	return nil
}

func interventionUpdate(ctx context.Context, a *app, db *sqlstore.DB, f *interventionFlags, id string) error {
	// Start from the stored record, so that flags not given keep their values.
	var cur *tumen.Intervention
	open, err := db.OpenInterventions(ctx)
	if err != nil {
		return err
	}
	for _, iv := range open {
		if iv.ID == id {
			cur = iv
		}
	}
	if cur == nil {
		return tumen.Errorf(tumen.KindNotFound, "no open intervention %q", id)
	}
	if f.response != "" {
		cur.Response = f.response
	}
	if f.note != "" {
		cur.Note = f.note
	}
	if f.outcome != "" {
		cur.Outcome = f.outcome
	}
	for _, d := range []struct {
		name, val string
		dst       *approx.Date
	}{{"response-date", f.responseDate, &cur.ResponseDate}, {"follow-up", f.followUp, &cur.FollowUp}} {
		if d.val != "" {
			v, err := parseDate(d.name, d.val, true)
			if err != nil {
				return err
			}
			*d.dst = v
		}
	}
	if err := db.UpdateIntervention(ctx, cur); err != nil {
		return err
	}
	state := "open, follow up by " + cur.FollowUp.String()
	if cur.Outcome != "" {
		state = "closed"
	}
	fmt.Fprintf(a.stdout, "updated %s: %s\n", id, state)
	return nil
}

// seedUrgentCases puts a few demo persons into Chinese custody now, so
// that the board, the risk scores and the appeals have something to show:
// among the first demo persons, up to five whose testimony consents to
// named UN submission and whose chain has an arrest (S2) and a border
// detention centre (S4) are recorded as arrested three weeks ago and moved
// to the border centre four days ago, sourced to that testimony, with a
// risk fact or two; and the border is recorded as open.
func seedUrgentCases(ctx context.Context, db *sqlstore.DB, first func(n int) string, persons int, now time.Time) (int, error) {
	women := [][]string{{"chinese-husband", "child-chinese-father"}, {"intent-south-korea", "contact-church"}, {"pregnant"}}
	men := [][]string{{"intent-south-korea"}, {"earlier-repatriation"}, {"contact-south-koreans"}}
	seeded := 0
	for n := 1; n <= min(persons, 60) && seeded < 5; n++ {
		d, err := db.Dossier(ctx, first(n))
		if err != nil {
			return seeded, err
		}
		var src *tumen.Source
		for _, s := range d.Sources {
			for _, c := range d.Consents[s.ID] {
				if c.Use == tumen.UseUNNamed && c.Active(now) {
					src = s
				}
			}
		}
		var arrest, border *tumen.Event
		for _, e := range d.Events {
			switch e.Stage {
			case "S2":
				arrest = e
			case "S4":
				border = e
			}
		}
		if src == nil || arrest == nil || border == nil || border.PlaceID == "" {
			continue
		}
		id := d.Person.ID
		for i, step := range []struct {
			status tumen.CustodyStatus
			days   int
			place  string
		}{{tumen.CustodyArrested, 21, arrest.PlaceID}, {tumen.CustodyBorderDetention, 4, border.PlaceID}} {
			date, _ := approx.FromTime(now.AddDate(0, 0, -step.days))
			c := &tumen.CustodyChange{ID: fmt.Sprintf("K-%s-%d", id[2:], i+1), PersonID: id, Status: step.status, Date: date, PlaceID: step.place,
				SourceID: src.ID, RecordedBy: "demo", Created: now.Add(time.Duration(i-2) * time.Hour)}
			if err := db.AddCustodyChange(ctx, c); err != nil {
				return seeded, err
			}
		}
		facts := men[seeded%len(men)]
		if d.Person.Sex == tumen.SexFemale {
			facts = women[seeded%len(women)]
			if y, ok := d.Person.BirthDate.Year(); facts[0] == "pregnant" && (!ok || y < 1980) {
				facts = []string{"long-stay-china"}
			}
		}
		for i, code := range facts {
			if err := db.AddRiskFact(ctx, &tumen.RiskFact{ID: fmt.Sprintf("R-%s-%d", id[2:], i+1), PersonID: id, Code: code, SourceID: src.ID, RecordedBy: "demo"}); err != nil {
				return seeded, err
			}
		}
		seeded++
	}
	if seeded > 0 {
		since, _ := approx.Parse("2023-08")
		if err := db.SetBorderState(ctx, &tumen.BorderState{Open: true, Since: since, Note: "demo", RecordedBy: "demo"}); err != nil {
			return seeded, err
		}
	}
	return seeded, nil
}
