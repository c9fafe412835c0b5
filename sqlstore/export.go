package sqlstore

import (
	"context"
	"database/sql"
	"fmt"

	"tumen"
)

const exportPage = 2000

// page reads a table in id order, exportPage rows at a time, and passes
// each scanned record to emit.
func page[T any](ctx context.Context, db *DB, cols, table string, scan func(scanner) (*T, error), id func(*T) string, emit func([]*T) error) error {
	after := ""
	for {
		rows, err := db.query(ctx, `SELECT `+cols+` FROM `+table+` WHERE id > ? ORDER BY id LIMIT ?`, after, exportPage)
		if err != nil {
			return db.translate(err, "", "")
		}
		var recs []*T
		for rows.Next() {
			r, err := scan(rows)
			if err != nil {
				rows.Close()
				return err
			}
			recs = append(recs, r)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return db.translate(err, "", "")
		}
		if len(recs) == 0 {
			return nil
		}
		if err := emit(recs); err != nil {
			return err
		}
		if len(recs) < exportPage {
			return nil
		}
		after = id(recs[len(recs)-1])
	}
}

// pageByNumber is page for a table keyed by an integer column, key, which
// the scan returns beside the record: the border's history and the rubric
// versions.
func pageByNumber[T any](ctx context.Context, db *DB, cols, table, key string, scan func(scanner) (*T, int64, error), emit func([]*T) error) error {
	var after int64
	for {
		rows, err := db.query(ctx, `SELECT `+cols+` FROM `+table+` WHERE `+key+` > ? ORDER BY `+key+` LIMIT ?`, after, exportPage)
		if err != nil {
			return db.translate(err, "", "")
		}
		var recs []*T
		for rows.Next() {
			r, k, err := scan(rows)
			if err != nil {
				rows.Close()
				return db.translate(err, "", "")
			}
			recs = append(recs, r)
			after = k
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return db.translate(err, "", "")
		}
		if len(recs) == 0 {
			return nil
		}
		if err := emit(recs); err != nil {
			return err
		}
		if len(recs) < exportPage {
			return nil
		}
	}
}

func each[T any](w tumen.BundleWriter) func([]*T) error {
	return func(rs []*T) error {
		for _, r := range rs {
			if err := w.Record(r); err != nil {
				return err
			}
		}
		return nil
	}
}

// Export streams the whole store, decrypted, to w, section by section in
// the order of tumen.Bundle's fields. The export is audited.
func (db *DB) Export(ctx context.Context, w tumen.BundleWriter) error {
	if err := db.mustKeys(); err != nil {
		return err
	}
	n := 0
	counting := countingWriter{w, &n}
	steps := []struct {
		name string
		fn   func() error
	}{
		{"terms", func() error {
			ts, err := db.Terms(ctx, "")
			if err != nil {
				return err
			}
			return each[tumen.Term](counting)(ts)
		}},
		{"places", func() error {
			ps, err := db.Places(ctx)
			if err != nil {
				return err
			}
			return each[tumen.Place](counting)(ps)
		}},
		{"organisations", func() error {
			os, err := db.Organisations(ctx)
			if err != nil {
				return err
			}
			return each[tumen.Organisation](counting)(os)
		}},
		{"persons", func() error {
			return page(ctx, db, personCols, "persons", db.scanPerson, func(p *tumen.Person) string { return p.ID }, each[tumen.Person](counting))
		}},
		{"events", func() error {
			return page(ctx, db, eventCols, "events", db.scanEvent, func(e *tumen.Event) string { return e.ID }, each[tumen.Event](counting))
		}},
		{"acts", func() error {
			return page(ctx, db, actCols, "acts", db.scanAct, func(a *tumen.Act) string { return a.ID }, each[tumen.Act](counting))
		}},
		{"sources", func() error {
			return page(ctx, db, sourceCols, "sources", db.scanSource, func(s *tumen.Source) string { return s.ID }, each[tumen.Source](counting))
		}},
		{"consents", func() error {
			return page(ctx, db, consentCols, "consents", db.scanConsent, func(c *tumen.Consent) string { return c.ID }, each[tumen.Consent](counting))
		}},
		{"interventions", func() error {
			return page(ctx, db, interventionCols, "interventions", db.scanIntervention, func(i *tumen.Intervention) string { return i.ID }, each[tumen.Intervention](counting))
		}},
		{"attachments", func() error {
			return page(ctx, db, attachmentCols, "attachments", db.scanAttachment, func(a *tumen.Attachment) string { return a.ID }, each[tumen.Attachment](counting))
		}},
		// The urgent-response records are read here without the per-person
		// read audits of CustodyHistory, RiskFacts and Assessments: the
		// export's own audit entry covers them, as it covers persons.
		{"custody_changes", func() error {
			scan := func(s scanner) (*tumen.CustodyChange, error) { return db.scanCustody(s, true) }
			return page(ctx, db, custodyCols, "custody_changes", scan, func(c *tumen.CustodyChange) string { return c.ID }, each[tumen.CustodyChange](counting))
		}},
		{"risk_facts", func() error {
			return page(ctx, db, riskFactCols, "risk_facts", db.scanRiskFact, func(f *tumen.RiskFact) string { return f.ID }, each[tumen.RiskFact](counting))
		}},
		{"watch_dates", func() error {
			return page(ctx, db, watchDateCols, "watch_dates", scanWatchDate, func(d *tumen.WatchDate) string { return d.ID }, each[tumen.WatchDate](counting))
		}},
		{"border_states", func() error {
			return pageByNumber(ctx, db, borderCols, "border_states", "seq", scanBorderState, each[tumen.BorderState](counting))
		}},
		{"rubric_versions", func() error {
			scan := func(s scanner) (*tumen.RubricVersion, int64, error) {
				r, err := scanRubric(s)
				if err != nil {
					return nil, 0, err
				}
				return r, int64(r.Version), nil
			}
			return pageByNumber(ctx, db, rubricCols, "risk_rubrics", "version", scan, each[tumen.RubricVersion](counting))
		}},
		{"assessments", func() error {
			return page(ctx, db, assessmentCols, "assessments", db.scanAssessment, func(a *tumen.Assessment) string { return a.ID }, each[tumen.Assessment](counting))
		}},
	}
	for _, s := range steps {
		if err := w.Section(s.name); err != nil {
			return err
		}
		if err := s.fn(); err != nil {
			return err
		}
	}
	return db.Audit(ctx, "export", "store", "", fmt.Sprintf("%d records", n))
}

type countingWriter struct {
	tumen.BundleWriter
	n *int
}

func (c countingWriter) Record(v any) error {
	*c.n++
	return c.BundleWriter.Record(v)
}

// Stats counts the store's records.
func (db *DB) Stats(ctx context.Context) (*tumen.Stats, error) {
	s := &tumen.Stats{BySex: map[string]int{}, ByStage: map[string]int{}, ByActType: map[string]int{}, BySourceOrg: map[string]int{}, ByYear: map[string]int{}}
	for _, c := range []struct {
		dst   *int
		table string
	}{{&s.Persons, "persons"}, {&s.Events, "events"}, {&s.Acts, "acts"}, {&s.Sources, "sources"}, {&s.Consents, "consents"},
		{&s.Interventions, "interventions"}, {&s.Attachments, "attachments"}, {&s.Places, "places"}, {&s.Organisations, "organisations"},
		{&s.Terms, "terms"}, {&s.Users, "users"}, {&s.AuditEntries, "audit"}} {
		if err := db.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM `+c.table).Scan(c.dst); err != nil {
			return nil, db.translate(err, "", "")
		}
	}
	for _, g := range []struct {
		m     map[string]int
		query string
		empty string // the key for an empty value
	}{
		{s.BySex, `SELECT sex, COUNT(*) FROM persons GROUP BY sex`, "unknown"},
		// A chain's parent event has no stage of its own.
		{s.ByStage, `SELECT stage, COUNT(*) FROM events GROUP BY stage`, "none"},
		{s.ByActType, `SELECT type, COUNT(*) FROM acts GROUP BY type`, "unknown"},
		{s.BySourceOrg, `SELECT organisation, COUNT(*) FROM sources GROUP BY organisation`, "unknown"},
	} {
		if err := groupCount(ctx, db.db, g.query, g.m, func(k string) string {
			if k == "" {
				return g.empty
			}
			return k
		}); err != nil {
			return nil, db.translate(err, "", "")
		}
	}
	// An event counts in a year only when its whole range lies in that
	// year: a date known as "late 1990s" is not counted in 1998.
	rows, err := db.db.QueryContext(ctx, `SELECT date_lo / 10000, date_hi / 10000, COUNT(*) FROM events GROUP BY date_lo / 10000, date_hi / 10000`)
	if err != nil {
		return nil, db.translate(err, "", "")
	}
	defer rows.Close()
	for rows.Next() {
		var lo, hi, n int
		if err := rows.Scan(&lo, &hi, &n); err != nil {
			return nil, err
		}
		switch {
		case lo == 0:
			s.ByYear["unknown"] += n
		case lo == hi:
			s.ByYear[fmt.Sprint(lo)] += n
		default:
			s.ByYear["uncertain"] += n
		}
	}
	return s, rows.Err()
}

func groupCount(ctx context.Context, db *sql.DB, query string, m map[string]int, key func(string) string) error {
	rows, err := db.QueryContext(ctx, query)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var k string
		var n int
		if err := rows.Scan(&k, &n); err != nil {
			return err
		}
		m[key(k)] += n
	}
	return rows.Err()
}
