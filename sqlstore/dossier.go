package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"sort"
	"strings"

	"tumen"
	"tumen/approx"
)

// Dossier is everything recorded about one person: the person, their
// events (with the parents of those events, so the whole chain), the acts
// against them, and the sources that support them with their consents.
type Dossier struct {
	Person   *tumen.Person
	Events   []*tumen.Event // in date order
	Acts     []*tumen.Act
	Sources  []*tumen.Source
	Consents map[string][]*tumen.Consent // by source id
}

// Dossier reads a person's whole record as one audited read: the audit
// entry names the person and the sources read with them.
func (db *DB) Dossier(ctx context.Context, id string) (*Dossier, error) {
	if err := db.mustKeys(); err != nil {
		return nil, err
	}
	p, err := db.scanPerson(db.queryRow(ctx, `SELECT `+personCols+` FROM persons WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, tumen.Errorf(tumen.KindNotFound, "no person %q", id)
	}
	if err != nil {
		return nil, db.translate(err, "", "")
	}
	d := &Dossier{Person: p, Consents: map[string][]*tumen.Consent{}}
	if d.Events, err = db.ListEvents(ctx, tumen.EventFilter{VictimID: id}); err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	for _, e := range d.Events {
		seen[e.ID] = true
	}
	for _, e := range d.Events {
		if e.ParentID != "" && !seen[e.ParentID] {
			pe, err := db.Event(ctx, e.ParentID)
			if err != nil {
				return nil, err
			}
			seen[pe.ID] = true
			d.Events = append(d.Events, pe)
		}
	}
	sort.SliceStable(d.Events, func(i, j int) bool { return approx.Compare(d.Events[i].Date, d.Events[j].Date) < 0 })
	if d.Acts, err = db.ListActs(ctx, tumen.ActFilter{VictimID: id}); err != nil {
		return nil, err
	}
	rows, err := db.query(ctx, `SELECT `+prefixed("s.", sourceCols)+` FROM sources s WHERE s.id IN (SELECT l.source_id FROM source_links l WHERE l.kind = 'person' AND l.target_id = ?) ORDER BY s.id`, id)
	if err != nil {
		return nil, db.translate(err, "", "")
	}
	for rows.Next() {
		s, err := db.scanSource(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		d.Sources = append(d.Sources, s)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, db.translate(err, "", "")
	}
	var ids []string
	for _, s := range d.Sources {
		ids = append(ids, s.ID)
	}
	if len(ids) > 0 {
		// The consents of every source at once: one query, not one a source.
		cs, err := queryAll(ctx, db, db.scanConsent, `SELECT `+consentCols+` FROM consents WHERE source_id IN (SELECT l.source_id FROM source_links l WHERE l.kind = 'person' AND l.target_id = ?) ORDER BY given, id`, id)
		if err != nil {
			return nil, err
		}
		for _, c := range cs {
			d.Consents[c.SourceID] = append(d.Consents[c.SourceID], c)
		}
	}
	detail := "with sources " + strings.Join(ids, ", ")
	if len(ids) == 0 {
		detail = "no sources"
	}
	// Nothing is returned before the read is in the audit log.
	if err := db.auditRead(ctx, "read", "person", id, detail); err != nil {
		return nil, err
	}
	return d, nil
}
