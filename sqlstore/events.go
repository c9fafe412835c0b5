package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strconv"
	"strings"

	"tumen"
	"tumen/approx"
)

const eventCols = `id, parent_id, place_id, stage, date_text, date_lo, date_hi, confidentiality, created, title_enc, place_text_enc, narrative_enc`

func itoa(n int) string { return strconv.Itoa(n) }

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func validStage(s string) error {
	if s == "" {
		return nil
	}
	if len(s) == 2 && s[0] == 'S' && s[1] >= '0' && s[1] <= '9' {
		return nil
	}
	return tumen.Errorf(tumen.KindInvalid, "unknown stage %q (want S0 to S9)", s)
}

func (db *DB) encodeEvent(e *tumen.Event) []any {
	const t = "events"
	lo, hi := e.Date.Bounds()
	return []any{e.ID, nullable(e.ParentID), nullable(e.PlaceID), e.Stage, e.Date.String(), lo, hi, int(e.Confidentiality), ms(e.Created),
		db.keys.SealString(t, e.ID, "title", e.Title),
		db.keys.SealString(t, e.ID, "place_text", e.PlaceText),
		db.keys.SealString(t, e.ID, "narrative", e.Narrative)}
}

func (db *DB) scanEvent(s scanner) (*tumen.Event, error) {
	const t = "events"
	e := &tumen.Event{}
	var parent, place sql.NullString
	var dateText string
	var lo, hi, created int64
	var level int
	var title, ptext, narr []byte
	if err := s.Scan(&e.ID, &parent, &place, &e.Stage, &dateText, &lo, &hi, &level, &created, &title, &ptext, &narr); err != nil {
		return nil, err
	}
	e.ParentID, e.PlaceID, e.Confidentiality, e.Created = parent.String, place.String, tumen.Level(level), fromMS(created)
	var err error
	if e.Date, err = approx.Parse(dateText); err != nil {
		return nil, tumen.Wrap(err, "a stored event date does not parse")
	}
	if e.Title, err = db.openString(t, e.ID, "title", title); err != nil {
		return nil, err
	}
	if e.PlaceText, err = db.openString(t, e.ID, "place_text", ptext); err != nil {
		return nil, err
	}
	if e.Narrative, err = db.openString(t, e.ID, "narrative", narr); err != nil {
		return nil, err
	}
	return e, nil
}

func validateEvent(e *tumen.Event) error {
	if err := validID("event", e.ID); err != nil {
		return err
	}
	if e.ParentID == e.ID {
		return tumen.Errorf(tumen.KindInvalid, "event %q cannot be its own parent", e.ID)
	}
	return validStage(e.Stage)
}

// CreateEvent stores a new event.
func (db *DB) CreateEvent(ctx context.Context, e *tumen.Event) error {
	if err := db.mustKeys(); err != nil {
		return err
	}
	if err := validateEvent(e); err != nil {
		return err
	}
	if e.Created.IsZero() {
		e.Created = db.Now().UTC()
	}
	args := db.encodeEvent(e)
	return db.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, db.q(`INSERT INTO events (`+eventCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`), args...); err != nil {
			return db.translate(err, "event", e.ID)
		}
		return db.audit(ctx, tx, "create", "event", e.ID, "")
	})
}

// Event returns one event.
func (db *DB) Event(ctx context.Context, id string) (*tumen.Event, error) {
	if err := db.mustKeys(); err != nil {
		return nil, err
	}
	e, err := db.scanEvent(db.queryRow(ctx, `SELECT `+eventCols+` FROM events WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, tumen.Errorf(tumen.KindNotFound, "no event %q", id)
	}
	return e, db.translate(err, "", "")
}

// ListEvents returns events matching f, ordered by date then id unless
// f.AnyOrder.
func (db *DB) ListEvents(ctx context.Context, f tumen.EventFilter) ([]*tumen.Event, error) {
	if err := db.mustKeys(); err != nil {
		return nil, err
	}
	var conds []string
	var args []any
	if f.VictimID != "" {
		// IN, not a correlated EXISTS: the planner then starts from the
		// victim's acts through their index instead of scanning every event.
		conds = append(conds, "e.id IN (SELECT a.event_id FROM acts a WHERE a.victim_id = ?)")
		args = append(args, f.VictimID)
	}
	if f.ParentID != "" {
		conds = append(conds, "e.parent_id = ?")
		args = append(args, f.ParentID)
	}
	if f.PlaceID != "" {
		conds = append(conds, "e.place_id = ?")
		args = append(args, f.PlaceID)
	}
	if f.Stage != "" {
		conds = append(conds, "e.stage = ?")
		args = append(args, f.Stage)
	}
	if f.From != 0 || f.To != 0 {
		to := f.To
		if to == 0 {
			to = 99991231
		}
		conds = append(conds, "e.date_lo <> 0 AND e.date_lo <= ? AND e.date_hi >= ?")
		args = append(args, to, f.From)
	}
	where := ""
	if len(conds) > 0 {
		where = " WHERE " + strings.Join(conds, " AND ")
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 1000
	}
	args = append(args, limit)
	// Unknown dates (date_lo = 0) sort last.
	order := ` ORDER BY CASE WHEN e.date_lo = 0 THEN 1 ELSE 0 END, e.date_lo, e.date_hi, e.id`
	if f.AnyOrder {
		order = ""
	}
	rows, err := db.query(ctx, `SELECT `+prefixed("e.", eventCols)+` FROM events e`+where+order+` LIMIT ?`, args...)
	if err != nil {
		return nil, db.translate(err, "", "")
	}
	defer rows.Close()
	var out []*tumen.Event
	for rows.Next() {
		e, err := db.scanEvent(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, db.translate(rows.Err(), "", "")
}

const actCols = `id, event_id, victim_id, type, created, perpetrators, note_enc`

func validateAct(a *tumen.Act) error {
	if err := validID("act", a.ID); err != nil {
		return err
	}
	if a.EventID == "" || a.VictimID == "" || a.Type == "" {
		return tumen.Errorf(tumen.KindInvalid, "act %q needs an event, a victim and a type", a.ID)
	}
	for _, p := range a.Perpetrators {
		if (p.PersonID == "") == (p.OrganisationID == "") {
			return tumen.Errorf(tumen.KindInvalid, "act %q: a perpetrator is a person or an organisation", a.ID)
		}
	}
	return nil
}

func (db *DB) encodeAct(a *tumen.Act) []any {
	perps := "[]"
	if len(a.Perpetrators) > 0 {
		b, _ := json.Marshal(a.Perpetrators)
		perps = string(b)
	}
	return []any{a.ID, a.EventID, a.VictimID, a.Type, ms(a.Created), perps, db.keys.SealString("acts", a.ID, "note", a.Note)}
}

func (db *DB) scanAct(s scanner) (*tumen.Act, error) {
	a := &tumen.Act{}
	var created int64
	var perps string
	var note []byte
	if err := s.Scan(&a.ID, &a.EventID, &a.VictimID, &a.Type, &created, &perps, &note); err != nil {
		return nil, err
	}
	a.Created = fromMS(created)
	if perps != "[]" {
		if err := json.Unmarshal([]byte(perps), &a.Perpetrators); err != nil {
			return nil, tumen.Wrap(err, "stored perpetrators do not parse")
		}
	}
	var err error
	a.Note, err = db.openString("acts", a.ID, "note", note)
	return a, err
}

// CreateAct stores a new act.
func (db *DB) CreateAct(ctx context.Context, a *tumen.Act) error {
	if err := db.mustKeys(); err != nil {
		return err
	}
	if err := validateAct(a); err != nil {
		return err
	}
	if a.Created.IsZero() {
		a.Created = db.Now().UTC()
	}
	args := db.encodeAct(a)
	return db.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, db.q(`INSERT INTO acts (`+actCols+`) VALUES (?, ?, ?, ?, ?, ?, ?)`), args...); err != nil {
			return db.translate(err, "act", a.ID)
		}
		return db.audit(ctx, tx, "create", "act", a.ID, "")
	})
}

// ListActs returns acts matching f, ordered by id.
func (db *DB) ListActs(ctx context.Context, f tumen.ActFilter) ([]*tumen.Act, error) {
	if err := db.mustKeys(); err != nil {
		return nil, err
	}
	var conds []string
	var args []any
	for _, c := range []struct{ col, v string }{{"id", f.ID}, {"victim_id", f.VictimID}, {"event_id", f.EventID}, {"type", f.Type}} {
		if c.v != "" {
			conds = append(conds, c.col+" = ?")
			args = append(args, c.v)
		}
	}
	where := ""
	if len(conds) > 0 {
		where = " WHERE " + strings.Join(conds, " AND ")
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 1000
	}
	args = append(args, limit)
	rows, err := db.query(ctx, `SELECT `+actCols+` FROM acts`+where+` ORDER BY id LIMIT ?`, args...)
	if err != nil {
		return nil, db.translate(err, "", "")
	}
	defer rows.Close()
	var out []*tumen.Act
	for rows.Next() {
		a, err := db.scanAct(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, db.translate(rows.Err(), "", "")
}
