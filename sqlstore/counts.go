package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"tumen"
	"tumen/approx"
)

// Counting reads what it needs of events, acts and sources from the
// columns stored in the clear (dates, stages, places, act types,
// perpetrating organisations, documenting organisations, consent uses)
// with one query a table. Only birth dates, for age groups, need the
// persons decrypted; that read is asked for explicitly and audited.

// CountEvent is what counting needs of an event.
type CountEvent struct {
	ID, ParentID, PlaceID, Stage string
	// Lo and Hi bound the approximate date as YYYYMMDD; both 0 when the
	// date is unknown.
	Lo, Hi int
}

// CountAct is what counting needs of an act.
type CountAct struct {
	ID, EventID, VictimID, Type string
	// Agencies are the organisations among the perpetrators, in order,
	// without repeats.
	Agencies []string
}

// CountPerson is what counting needs of a person.
type CountPerson struct {
	ID  string
	Sex tumen.Sex
	// BirthLo and BirthHi bound the birth date as YYYYMMDD; both 0 when it
	// is unknown or was not read (CountOptions.Births).
	BirthLo, BirthHi int
	level            tumen.Level
}

// CountLink says that a source of an organisation supports a person, an
// event or an act.
type CountLink struct {
	Kind, TargetID, SourceID, Organisation string
}

// CountData is every fact counting needs, with no name, narrative or
// other sealed text.
type CountData struct {
	Events  []CountEvent
	Acts    []CountAct
	Persons []CountPerson
	Links   []CountLink
	// Consented holds the sources with a consent for one of
	// CountOptions.Consents standing at CountOptions.Now; nil when no use
	// was asked for.
	Consented map[string]bool
}

// CountOptions selects what CountData reads.
type CountOptions struct {
	// Births decrypts the persons' birth dates, for age groups. The read
	// is audited.
	Births bool
	// Consents, when set, fills CountData.Consented with the sources that
	// have a consent for one of these uses (tumen.UsePublishAnon, …)
	// standing at Now.
	Consents []string
	Now      time.Time
	// MaxLevel, when set, leaves out every person, event and source above
	// this confidentiality, and the acts and links that touch one: a user
	// is never counted a record they may not see.
	MaxLevel *tumen.Level
}

// CountData reads the facts for counting. It needs the store unlocked
// only when o.Births asks for birth dates.
func (db *DB) CountData(ctx context.Context, o CountOptions) (*CountData, error) {
	d := &CountData{}
	level := tumen.Secret
	if o.MaxLevel != nil {
		level = *o.MaxLevel
	}
	if err := db.countEvents(ctx, d, level); err != nil {
		return nil, err
	}
	if err := db.countActs(ctx, d); err != nil {
		return nil, err
	}
	if err := db.countLinks(ctx, d, level); err != nil {
		return nil, err
	}
	if err := db.countPersons(ctx, d, o.Births, level); err != nil {
		return nil, err
	}
	if level < tumen.Secret {
		d.dropHidden()
	}
	if len(o.Consents) > 0 {
		now := o.Now
		if now.IsZero() {
			now = db.Now()
		}
		d.Consented = map[string]bool{}
		args := []any{ms(now), ms(now)}
		for _, u := range o.Consents {
			args = append(args, u)
		}
		in := "?" + strings.Repeat(", ?", len(o.Consents)-1)
		rows, err := db.db.QueryContext(ctx, db.q(`SELECT DISTINCT source_id FROM consents WHERE given <= ? AND (revoked = 0 OR revoked > ?) AND use IN (`+in+`)`), args...)
		if err != nil {
			return nil, db.translate(err, "", "")
		}
		defer rows.Close()
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				return nil, db.translate(err, "", "")
			}
			d.Consented[id] = true
		}
		if err := rows.Err(); err != nil {
			return nil, db.translate(err, "", "")
		}
	}
	return d, nil
}

// dropHidden removes the acts whose event or victim was left out for its
// level, and the links to records left out.
func (d *CountData) dropHidden() {
	events := make(map[string]bool, len(d.Events))
	for _, e := range d.Events {
		events[e.ID] = true
	}
	persons := make(map[string]bool, len(d.Persons))
	for _, p := range d.Persons {
		persons[p.ID] = true
	}
	acts := make(map[string]bool, len(d.Acts))
	d.Acts = slices.DeleteFunc(d.Acts, func(a CountAct) bool {
		keep := events[a.EventID] && persons[a.VictimID]
		if keep {
			acts[a.ID] = true
		}
		return !keep
	})
	d.Links = slices.DeleteFunc(d.Links, func(l CountLink) bool {
		switch l.Kind {
		case tumen.RecordPerson:
			return !persons[l.TargetID]
		case tumen.RecordEvent:
			return !events[l.TargetID]
		case tumen.RecordAct:
			return !acts[l.TargetID]
		}
		return true
	})
}

func (db *DB) countEvents(ctx context.Context, d *CountData, level tumen.Level) error {
	rows, err := db.db.QueryContext(ctx, db.q(`SELECT id, parent_id, place_id, stage, date_lo, date_hi FROM events WHERE confidentiality <= ? ORDER BY id`), int(level))
	if err != nil {
		return db.translate(err, "", "")
	}
	defer rows.Close()
	for rows.Next() {
		var e CountEvent
		var parent, place *string
		if err := rows.Scan(&e.ID, &parent, &place, &e.Stage, &e.Lo, &e.Hi); err != nil {
			return db.translate(err, "", "")
		}
		if parent != nil {
			e.ParentID = *parent
		}
		if place != nil {
			e.PlaceID = *place
		}
		d.Events = append(d.Events, e)
	}
	return db.translate(rows.Err(), "", "")
}

func (db *DB) countActs(ctx context.Context, d *CountData) error {
	rows, err := db.db.QueryContext(ctx, `SELECT id, event_id, victim_id, type, perpetrators FROM acts ORDER BY id`)
	if err != nil {
		return db.translate(err, "", "")
	}
	defer rows.Close()
	var perps []tumen.Involvement
	for rows.Next() {
		var a CountAct
		var pj string
		if err := rows.Scan(&a.ID, &a.EventID, &a.VictimID, &a.Type, &pj); err != nil {
			return db.translate(err, "", "")
		}
		perps = perps[:0]
		if pj != "[]" && pj != "" {
			if err := json.Unmarshal([]byte(pj), &perps); err != nil {
				return tumen.Wrap(err, "stored perpetrators do not parse")
			}
		}
		for _, p := range perps {
			if p.OrganisationID != "" && !slices.Contains(a.Agencies, p.OrganisationID) {
				a.Agencies = append(a.Agencies, p.OrganisationID)
			}
		}
		d.Acts = append(d.Acts, a)
	}
	return db.translate(rows.Err(), "", "")
}

func (db *DB) countLinks(ctx context.Context, d *CountData, level tumen.Level) error {
	rows, err := db.db.QueryContext(ctx, db.q(`SELECT l.kind, l.target_id, s.id, s.organisation FROM source_links l JOIN sources s ON s.id = l.source_id WHERE s.confidentiality <= ? ORDER BY l.kind, l.target_id, s.id`), int(level))
	if err != nil {
		return db.translate(err, "", "")
	}
	defer rows.Close()
	for rows.Next() {
		var l CountLink
		if err := rows.Scan(&l.Kind, &l.TargetID, &l.SourceID, &l.Organisation); err != nil {
			return db.translate(err, "", "")
		}
		d.Links = append(d.Links, l)
	}
	return db.translate(rows.Err(), "", "")
}

// countPersons reads every person's sex, and with births their birth
// date, decrypting a page at a time as Export does.
func (db *DB) countPersons(ctx context.Context, d *CountData, births bool, level tumen.Level) error {
	cols := `id, sex`
	if births {
		if err := db.mustKeys(); err != nil {
			return err
		}
		cols = `id, sex, birth_enc`
	}
	scan := func(s scanner) (*CountPerson, error) {
		p := &CountPerson{}
		var sex string
		var birth []byte
		dst := []any{&p.ID, &sex}
		if births {
			dst = append(dst, &birth)
		}
		dst = append(dst, &p.level)
		if err := s.Scan(dst...); err != nil {
			return nil, db.translate(err, "", "")
		}
		p.Sex = tumen.Sex(sex)
		if births && birth != nil {
			text, err := db.openString("persons", p.ID, "birth_date", birth)
			if err != nil {
				return nil, err
			}
			bd, err := approx.Parse(text)
			if err != nil {
				return nil, tumen.Wrap(err, "a stored birth date does not parse")
			}
			p.BirthLo, p.BirthHi = bd.Bounds()
		}
		return p, nil
	}
	cols += `, confidentiality`
	err := page(ctx, db, cols, "persons", scan, func(p *CountPerson) string { return p.ID }, func(ps []*CountPerson) error {
		for _, p := range ps {
			if p.level > level {
				continue
			}
			d.Persons = append(d.Persons, *p)
		}
		return nil
	})
	if err != nil || !births {
		return err
	}
	return db.Audit(ctx, "read", "person", "", fmt.Sprintf("birth dates of %d persons for counts by age", len(d.Persons)))
}
