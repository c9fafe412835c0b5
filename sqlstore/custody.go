package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"sort"
	"strconv"
	"time"

	"tumen"
	"tumen/approx"
)

var _ tumen.Store = (*DB)(nil)

// Urgent response: custody changes, risk facts, watch dates, the border's
// state, rubric versions, assessments, intervention follow-up and board
// views. Free text and risk codes are sealed; a person's custody history,
// risk facts and assessments are audited on read like the person.

const custodyCols = `id, person_id, status, date_text, place_id, source_id, recorded_by, created, note_enc`

func validateCustodyChange(c *tumen.CustodyChange) error {
	if err := validID("custody change", c.ID); err != nil {
		return err
	}
	if err := validID("person", c.PersonID); err != nil {
		return err
	}
	if !c.Status.Valid() {
		_, err := tumen.ParseCustodyStatus(string(c.Status))
		return err
	}
	if c.SourceID != "" {
		if err := validID("source", c.SourceID); err != nil {
			return err
		}
	}
	return nil
}

// AddCustodyChange records a change of a person's custody status.
func (db *DB) AddCustodyChange(ctx context.Context, c *tumen.CustodyChange) error {
	if err := db.mustKeys(); err != nil {
		return err
	}
	if err := validateCustodyChange(c); err != nil {
		return err
	}
	if c.Created.IsZero() {
		c.Created = db.Now().UTC()
	}
	if c.RecordedBy == "" {
		c.RecordedBy = tumen.Actor(ctx)
	}
	return db.tx(ctx, func(tx *sql.Tx) error {
		if err := db.mustExist(ctx, tx, "persons", "person", c.PersonID); err != nil {
			return err
		}
		if c.SourceID != "" {
			if err := db.mustExist(ctx, tx, "sources", "source", c.SourceID); err != nil {
				return err
			}
		}
		_, err := tx.ExecContext(ctx, db.q(insertSQL[insCustody]), db.encodeCustodyChange(c)...)
		if err != nil {
			return db.translate(err, "custody change", c.ID)
		}
		return db.audit(ctx, tx, "create", "custody", c.ID, "person "+c.PersonID+" "+string(c.Status))
	})
}

// encodeCustodyChange seals a custody change into the columns of
// insertSQL[insCustody]: AddCustodyChange and Import write the same bytes.
func (db *DB) encodeCustodyChange(c *tumen.CustodyChange) []any {
	lo, hi := c.Date.Bounds()
	return []any{c.ID, c.PersonID, string(c.Status), c.Date.String(), c.PlaceID, c.SourceID, c.RecordedBy, ms(c.Created),
		db.keys.SealString("custody_changes", c.ID, "note", c.Note), lo, hi}
}

// mustExist fails with KindNotFound unless table holds a row with id.
func (db *DB) mustExist(ctx context.Context, tx *sql.Tx, table, kind, id string) error {
	var one int
	err := tx.QueryRowContext(ctx, db.q(`SELECT 1 FROM `+table+` WHERE id = ?`), id).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return tumen.Errorf(tumen.KindNotFound, "no %s %q", kind, id)
	}
	return db.translate(err, "", "")
}

func (db *DB) scanCustody(s scanner, open bool) (*tumen.CustodyChange, error) {
	c := &tumen.CustodyChange{}
	var status, date string
	var created int64
	var note []byte
	if err := s.Scan(&c.ID, &c.PersonID, &status, &date, &c.PlaceID, &c.SourceID, &c.RecordedBy, &created, &note); err != nil {
		return nil, err
	}
	c.Status, c.Created = tumen.CustodyStatus(status), fromMS(created)
	var err error
	if c.Date, err = approx.Parse(date); err != nil {
		return nil, tumen.Wrap(err, "a stored custody date does not parse")
	}
	if open {
		c.Note, err = db.openString("custody_changes", c.ID, "note", note)
	}
	return c, err
}

// sortCustody orders changes by date, then by when they were recorded:
// the last is the status in force.
func sortCustody(cs []*tumen.CustodyChange) {
	sort.SliceStable(cs, func(i, j int) bool {
		if c := approx.Compare(cs[i].Date, cs[j].Date); c != 0 {
			return c < 0
		}
		if !cs[i].Created.Equal(cs[j].Created) {
			return cs[i].Created.Before(cs[j].Created)
		}
		return cs[i].ID < cs[j].ID
	})
}

// CustodyHistory returns a person's custody changes, oldest first, and
// audits the read.
func (db *DB) CustodyHistory(ctx context.Context, personID string) ([]*tumen.CustodyChange, error) {
	if err := db.mustKeys(); err != nil {
		return nil, err
	}
	scan := func(s scanner) (*tumen.CustodyChange, error) { return db.scanCustody(s, true) }
	out, err := queryAll(ctx, db, scan, `SELECT `+custodyCols+` FROM custody_changes WHERE person_id = ?`, personID)
	if err != nil {
		return nil, err
	}
	sortCustody(out)
	if err := db.auditRead(ctx, "read", "custody", personID, ""); err != nil {
		return nil, err
	}
	return out, nil
}

// CustodyCases returns every person's current status, without the notes.
func (db *DB) CustodyCases(ctx context.Context) ([]*tumen.CustodyCase, error) {
	if err := db.mustKeys(); err != nil {
		return nil, err
	}
	rows, err := db.query(ctx, `SELECT `+custodyCols+` FROM custody_changes ORDER BY person_id`)
	if err != nil {
		return nil, db.translate(err, "", "")
	}
	defer rows.Close()
	by := map[string][]*tumen.CustodyChange{}
	var ids []string
	for rows.Next() {
		c, err := db.scanCustody(rows, false)
		if err != nil {
			return nil, err
		}
		if _, ok := by[c.PersonID]; !ok {
			ids = append(ids, c.PersonID)
		}
		by[c.PersonID] = append(by[c.PersonID], c)
	}
	if err := rows.Err(); err != nil {
		return nil, db.translate(err, "", "")
	}
	out := make([]*tumen.CustodyCase, 0, len(ids))
	for _, id := range ids {
		cs := by[id]
		sortCustody(cs)
		cc := &tumen.CustodyCase{PersonID: id, Latest: cs[len(cs)-1], Changes: len(cs)}
		for _, c := range cs {
			if c.Created.After(cc.Updated) {
				cc.Updated = c.Created
			}
		}
		out = append(out, cc)
	}
	return out, nil
}

const riskFactCols = `id, person_id, date_text, source_id, recorded_by, created, withdrawn, code_enc, note_enc`

func validateRiskFact(f *tumen.RiskFact) error {
	if err := validID("risk fact", f.ID); err != nil {
		return err
	}
	if err := validID("person", f.PersonID); err != nil {
		return err
	}
	if f.Code == "" {
		return tumen.Errorf(tumen.KindInvalid, "risk fact %q needs a code", f.ID)
	}
	return nil
}

// encodeRiskFact seals a risk fact into the columns of
// insertSQL[insRiskFact].
func (db *DB) encodeRiskFact(f *tumen.RiskFact) []any {
	const t = "risk_facts"
	return []any{f.ID, f.PersonID, f.Date.String(), f.SourceID, f.RecordedBy, ms(f.Created), ms(f.Withdrawn),
		db.keys.SealString(t, f.ID, "code", f.Code), db.keys.SealString(t, f.ID, "note", f.Note)}
}

func (db *DB) scanRiskFact(s scanner) (*tumen.RiskFact, error) {
	const t = "risk_facts"
	f := &tumen.RiskFact{}
	var date string
	var created, withdrawn int64
	var code, note []byte
	if err := s.Scan(&f.ID, &f.PersonID, &date, &f.SourceID, &f.RecordedBy, &created, &withdrawn, &code, &note); err != nil {
		return nil, db.translate(err, "", "")
	}
	f.Created, f.Withdrawn = fromMS(created), fromMS(withdrawn)
	var err error
	if f.Date, err = approx.Parse(date); err != nil {
		return nil, tumen.Wrap(err, "a stored risk fact date does not parse")
	}
	if f.Code, err = db.openString(t, f.ID, "code", code); err != nil {
		return nil, err
	}
	if f.Note, err = db.openString(t, f.ID, "note", note); err != nil {
		return nil, err
	}
	return f, nil
}

// AddRiskFact records a fact the risk rubric weighs.
func (db *DB) AddRiskFact(ctx context.Context, f *tumen.RiskFact) error {
	if err := db.mustKeys(); err != nil {
		return err
	}
	if err := validateRiskFact(f); err != nil {
		return err
	}
	if f.Created.IsZero() {
		f.Created = db.Now().UTC()
	}
	if f.RecordedBy == "" {
		f.RecordedBy = tumen.Actor(ctx)
	}
	return db.tx(ctx, func(tx *sql.Tx) error {
		if err := db.mustExist(ctx, tx, "persons", "person", f.PersonID); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, db.q(insertSQL[insRiskFact]), db.encodeRiskFact(f)...)
		if err != nil {
			return db.translate(err, "risk fact", f.ID)
		}
		return db.audit(ctx, tx, "create", "risk-fact", f.ID, "person "+f.PersonID)
	})
}

// WithdrawRiskFact marks a fact as no longer holding from at.
func (db *DB) WithdrawRiskFact(ctx context.Context, id string, at time.Time) error {
	if err := db.mustKeys(); err != nil {
		return err
	}
	if at.IsZero() {
		at = db.Now().UTC()
	}
	return db.end(ctx, "risk_facts", "withdrawn", id, at, "risk-fact", "withdraw")
}

// RiskFacts returns a person's risk facts, withdrawn ones included, and
// audits the read.
func (db *DB) RiskFacts(ctx context.Context, personID string) ([]*tumen.RiskFact, error) {
	if err := db.mustKeys(); err != nil {
		return nil, err
	}
	out, err := queryAll(ctx, db, db.scanRiskFact, `SELECT `+riskFactCols+` FROM risk_facts WHERE person_id = ? ORDER BY created, id`, personID)
	if err != nil {
		return nil, err
	}
	if err := db.auditRead(ctx, "read", "risk-facts", personID, ""); err != nil {
		return nil, err
	}
	return out, nil
}

func validateWatchDate(d *tumen.WatchDate) error {
	if err := validID("watch date", d.ID); err != nil {
		return err
	}
	if !d.Date.Known() || d.Label == "" {
		return tumen.Errorf(tumen.KindInvalid, "watch date %q needs a date and a label", d.ID)
	}
	return nil
}

const watchDateCols = `id, date_text, label, created_by, created`

func encodeWatchDate(d *tumen.WatchDate) []any {
	return []any{d.ID, d.Date.String(), d.Label, d.CreatedBy, ms(d.Created)}
}

func scanWatchDate(s scanner) (*tumen.WatchDate, error) {
	d := &tumen.WatchDate{}
	var date string
	var created int64
	if err := s.Scan(&d.ID, &date, &d.Label, &d.CreatedBy, &created); err != nil {
		return nil, err
	}
	d.Created = fromMS(created)
	var err error
	if d.Date, err = approx.Parse(date); err != nil {
		return nil, tumen.Wrap(err, "a stored watch date does not parse")
	}
	return d, nil
}

// AddWatchDate records a date staff flag.
func (db *DB) AddWatchDate(ctx context.Context, d *tumen.WatchDate) error {
	if err := db.mustKeys(); err != nil {
		return err
	}
	if err := validateWatchDate(d); err != nil {
		return err
	}
	if d.Created.IsZero() {
		d.Created = db.Now().UTC()
	}
	if d.CreatedBy == "" {
		d.CreatedBy = tumen.Actor(ctx)
	}
	return db.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, db.q(insertSQL[insWatchDate]), encodeWatchDate(d)...); err != nil {
			return db.translate(err, "watch date", d.ID)
		}
		return db.audit(ctx, tx, "create", "watch-date", d.ID, "")
	})
}

// WatchDates returns the flagged dates, earliest first.
func (db *DB) WatchDates(ctx context.Context) ([]*tumen.WatchDate, error) {
	if err := db.mustKeys(); err != nil {
		return nil, err
	}
	out, err := queryAll(ctx, db, scanWatchDate, `SELECT `+watchDateCols+` FROM watch_dates`)
	sort.SliceStable(out, func(i, j int) bool { return approx.Compare(out[i].Date, out[j].Date) < 0 })
	return out, err
}

const borderCols = `seq, is_open, since_text, note, recorded_by, created`

// encodeBorderState returns the columns of insertSQL[insBorderState]: the
// state as the seq-th of the border's history.
func encodeBorderState(b *tumen.BorderState, seq int64) []any {
	open := 0
	if b.Open {
		open = 1
	}
	return []any{seq, open, b.Since.String(), b.Note, b.RecordedBy, ms(b.Created)}
}

// lastBorderSeq returns the number of the newest border state, 0 if none.
func (db *DB) lastBorderSeq(ctx context.Context, tx *sql.Tx) (int64, error) {
	var seq int64
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(seq), 0) FROM border_states`).Scan(&seq); err != nil {
		return 0, db.translate(err, "", "")
	}
	return seq, nil
}

// scanBorderState reads the columns of borderCols.
func scanBorderState(s scanner) (*tumen.BorderState, int64, error) {
	b := &tumen.BorderState{}
	var seq int64
	var open int
	var since string
	var created int64
	if err := s.Scan(&seq, &open, &since, &b.Note, &b.RecordedBy, &created); err != nil {
		return nil, 0, err
	}
	b.Open, b.Created = open == 1, fromMS(created)
	var err error
	if b.Since, err = approx.Parse(since); err != nil {
		return nil, 0, tumen.Wrap(err, "a stored border date does not parse")
	}
	return b, seq, nil
}

// SetBorderState records the border's state; earlier states are kept.
func (db *DB) SetBorderState(ctx context.Context, b *tumen.BorderState) error {
	if err := db.mustKeys(); err != nil {
		return err
	}
	if b.Created.IsZero() {
		b.Created = db.Now().UTC()
	}
	if b.RecordedBy == "" {
		b.RecordedBy = tumen.Actor(ctx)
	}
	return db.tx(ctx, func(tx *sql.Tx) error {
		seq, err := db.lastBorderSeq(ctx, tx)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, db.q(insertSQL[insBorderState]), encodeBorderState(b, seq+1)...); err != nil {
			return db.translate(err, "border state", "")
		}
		detail := "closed"
		if b.Open {
			detail = "open"
		}
		return db.audit(ctx, tx, "update", "border", "", detail)
	})
}

// BorderState returns the state in force.
func (db *DB) BorderState(ctx context.Context) (*tumen.BorderState, error) {
	if err := db.mustKeys(); err != nil {
		return nil, err
	}
	b, _, err := scanBorderState(db.queryRow(ctx, `SELECT `+borderCols+` FROM border_states ORDER BY seq DESC LIMIT 1`))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, tumen.Errorf(tumen.KindNotFound, "the border's state was never recorded")
	}
	if err != nil {
		return nil, db.translate(err, "", "")
	}
	return b, nil
}

// SaveRubric stores a new rubric version.
func (db *DB) SaveRubric(ctx context.Context, r *tumen.RubricVersion) error {
	if err := db.mustKeys(); err != nil {
		return err
	}
	if len(r.Body) == 0 {
		return tumen.Errorf(tumen.KindInvalid, "a rubric version needs a body")
	}
	if r.Created.IsZero() {
		r.Created = db.Now().UTC()
	}
	if r.CreatedBy == "" {
		r.CreatedBy = tumen.Actor(ctx)
	}
	return db.tx(ctx, func(tx *sql.Tx) error {
		var v int
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) + 1 FROM risk_rubrics`).Scan(&v); err != nil {
			return db.translate(err, "", "")
		}
		if _, err := tx.ExecContext(ctx, db.q(insertSQL[insRubric]), encodeRubric(r, v)...); err != nil {
			return db.translate(err, "rubric version", "")
		}
		r.Version = v
		return db.audit(ctx, tx, "create", "rubric", "", "version "+strconv.Itoa(v))
	})
}

const rubricCols = `version, body, note, created_by, created`

// encodeRubric returns the columns of insertSQL[insRubric] for r as
// version v.
func encodeRubric(r *tumen.RubricVersion, v int) []any {
	return []any{v, string(r.Body), r.Note, r.CreatedBy, ms(r.Created)}
}

func scanRubric(s scanner) (*tumen.RubricVersion, error) {
	r := &tumen.RubricVersion{}
	var body string
	var created int64
	if err := s.Scan(&r.Version, &body, &r.Note, &r.CreatedBy, &created); err != nil {
		return nil, err
	}
	r.Body, r.Created = []byte(body), fromMS(created)
	return r, nil
}

// Rubric returns one rubric version, or the newest for version 0.
func (db *DB) Rubric(ctx context.Context, version int) (*tumen.RubricVersion, error) {
	if err := db.mustKeys(); err != nil {
		return nil, err
	}
	var r *tumen.RubricVersion
	var err error
	if version == 0 {
		r, err = scanRubric(db.queryRow(ctx, `SELECT `+rubricCols+` FROM risk_rubrics ORDER BY version DESC LIMIT 1`))
	} else {
		r, err = scanRubric(db.queryRow(ctx, `SELECT `+rubricCols+` FROM risk_rubrics WHERE version = ?`, version))
	}
	if errors.Is(err, sql.ErrNoRows) {
		return nil, tumen.Errorf(tumen.KindNotFound, "no stored rubric version %d", version)
	}
	return r, db.translate(err, "", "")
}

// Rubrics returns every stored rubric version, oldest first.
func (db *DB) Rubrics(ctx context.Context) ([]*tumen.RubricVersion, error) {
	if err := db.mustKeys(); err != nil {
		return nil, err
	}
	return queryAll(ctx, db, scanRubric, `SELECT `+rubricCols+` FROM risk_rubrics ORDER BY version`)
}

// assessmentBody is the sealed part of an assessment.
type assessmentBody struct {
	WellFoundedFear  string               `json:"w"`
	Persecution      string               `json:"p"`
	Grounds          []string             `json:"g,omitempty"`
	GroundsReasoning string               `json:"gr,omitempty"`
	StateProtection  string               `json:"s"`
	SurPlace         string               `json:"sp,omitempty"`
	Conclusion       string               `json:"c"`
	Facts            []tumen.AssessedFact `json:"f,omitempty"`
}

func validateAssessment(a *tumen.Assessment) error {
	if err := validID("assessment", a.ID); err != nil {
		return err
	}
	if err := validID("person", a.PersonID); err != nil {
		return err
	}
	if a.Assessor == "" || a.Date.IsZero() {
		return tumen.Errorf(tumen.KindInvalid, "assessment %q needs an assessor and a date", a.ID)
	}
	for _, g := range a.Grounds {
		ok := false
		for _, k := range tumen.ConventionGrounds {
			ok = ok || g == k
		}
		if !ok {
			return tumen.Errorf(tumen.KindInvalid, "assessment %q: unknown Convention ground %q", a.ID, g)
		}
	}
	return nil
}

const assessmentCols = `id, person_id, assessor, assessed, created, body_enc`

// encodeAssessment seals an assessment into the columns of
// insertSQL[insAssessment].
func (db *DB) encodeAssessment(a *tumen.Assessment) []any {
	body := db.sealJSON("assessments", a.ID, "body", assessmentBody{a.WellFoundedFear, a.Persecution, a.Grounds, a.GroundsReasoning,
		a.StateProtection, a.SurPlace, a.Conclusion, a.Facts}, false)
	return []any{a.ID, a.PersonID, a.Assessor, ms(a.Date), ms(a.Created), body}
}

func (db *DB) scanAssessment(s scanner) (*tumen.Assessment, error) {
	a := &tumen.Assessment{}
	var date, created int64
	var body []byte
	if err := s.Scan(&a.ID, &a.PersonID, &a.Assessor, &date, &created, &body); err != nil {
		return nil, db.translate(err, "", "")
	}
	a.Date, a.Created = fromMS(date), fromMS(created)
	var b assessmentBody
	if err := db.openJSON("assessments", a.ID, "body", body, &b); err != nil {
		return nil, err
	}
	a.WellFoundedFear, a.Persecution, a.Grounds, a.GroundsReasoning = b.WellFoundedFear, b.Persecution, b.Grounds, b.GroundsReasoning
	a.StateProtection, a.SurPlace, a.Conclusion, a.Facts = b.StateProtection, b.SurPlace, b.Conclusion, b.Facts
	return a, nil
}

// CreateAssessment stores a refugee-status assessment.
func (db *DB) CreateAssessment(ctx context.Context, a *tumen.Assessment) error {
	if err := db.mustKeys(); err != nil {
		return err
	}
	if err := validateAssessment(a); err != nil {
		return err
	}
	if a.Created.IsZero() {
		a.Created = db.Now().UTC()
	}
	args := db.encodeAssessment(a)
	return db.tx(ctx, func(tx *sql.Tx) error {
		if err := db.mustExist(ctx, tx, "persons", "person", a.PersonID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, db.q(insertSQL[insAssessment]), args...); err != nil {
			return db.translate(err, "assessment", a.ID)
		}
		return db.audit(ctx, tx, "create", "assessment", a.ID, "person "+a.PersonID)
	})
}

// Assessments returns a person's assessments, newest first, and audits
// the read.
func (db *DB) Assessments(ctx context.Context, personID string) ([]*tumen.Assessment, error) {
	if err := db.mustKeys(); err != nil {
		return nil, err
	}
	out, err := queryAll(ctx, db, db.scanAssessment, `SELECT `+assessmentCols+` FROM assessments WHERE person_id = ? ORDER BY assessed DESC, created DESC, id`, personID)
	if err != nil {
		return nil, err
	}
	if err := db.auditRead(ctx, "read", "assessments", personID, ""); err != nil {
		return nil, err
	}
	return out, nil
}

// UpdateIntervention records the response, follow-up and outcome of an
// intervention. What was sent — addressee, date, reference, hash — stays
// as recorded.
func (db *DB) UpdateIntervention(ctx context.Context, iv *tumen.Intervention) error {
	if err := db.mustKeys(); err != nil {
		return err
	}
	if err := validID("intervention", iv.ID); err != nil {
		return err
	}
	const t = "interventions"
	return db.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, db.q(`UPDATE interventions SET response_date = ?, follow_up = ?, outcome = ?, response_enc = ?, note_enc = ? WHERE id = ?`),
			iv.ResponseDate.String(), iv.FollowUp.String(), iv.Outcome,
			db.keys.SealString(t, iv.ID, "response", iv.Response), db.keys.SealString(t, iv.ID, "note", iv.Note), iv.ID)
		if err != nil {
			return db.translate(err, "", "")
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return tumen.Errorf(tumen.KindNotFound, "no intervention %q", iv.ID)
		}
		return db.audit(ctx, tx, "update", "intervention", iv.ID, "")
	})
}

// OpenInterventions returns the interventions without an outcome.
func (db *DB) OpenInterventions(ctx context.Context) ([]*tumen.Intervention, error) {
	if err := db.mustKeys(); err != nil {
		return nil, err
	}
	return queryAll(ctx, db, db.scanIntervention, `SELECT `+interventionCols+` FROM interventions WHERE outcome = '' ORDER BY created, id`)
}

// BoardSeen returns when the actor last looked at the board.
func (db *DB) BoardSeen(ctx context.Context) (time.Time, error) {
	if err := db.mustKeys(); err != nil {
		return time.Time{}, err
	}
	var seen int64
	err := db.queryRow(ctx, `SELECT seen FROM board_views WHERE actor = ?`, tumen.Actor(ctx)).Scan(&seen)
	if errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, nil
	}
	if err != nil {
		return time.Time{}, db.translate(err, "", "")
	}
	return fromMS(seen), nil
}

// MarkBoardSeen records that the actor looked at the board at at.
func (db *DB) MarkBoardSeen(ctx context.Context, at time.Time) error {
	if err := db.mustKeys(); err != nil {
		return err
	}
	actor := tumen.Actor(ctx)
	return db.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, db.q(`UPDATE board_views SET seen = ? WHERE actor = ?`), ms(at), actor)
		if err != nil {
			return db.translate(err, "", "")
		}
		if n, _ := res.RowsAffected(); n > 0 {
			return nil
		}
		_, err = tx.ExecContext(ctx, db.q(`INSERT INTO board_views (actor, seen) VALUES (?, ?)`), actor, ms(at))
		return db.translate(err, "", "")
	})
}
