package sqlstore

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"tumen"
	"tumen/approx"
)

const sourceCols = `id, kind, organisation, reliability, date_text, date_lo, date_hi, confidentiality, created, title_enc, given_by_enc, text_enc, supports`

func validateSource(s *tumen.Source) error {
	if err := validID("source", s.ID); err != nil {
		return err
	}
	if s.Kind == "" {
		return tumen.Errorf(tumen.KindInvalid, "source %q needs a kind", s.ID)
	}
	for _, l := range s.Supports {
		switch l.Kind {
		case tumen.RecordPerson, tumen.RecordEvent, tumen.RecordAct:
		default:
			return tumen.Errorf(tumen.KindInvalid, "source %q supports a record of unknown kind %q", s.ID, l.Kind)
		}
		if err := validID(l.Kind, l.ID); err != nil {
			return err
		}
	}
	return nil
}

type sourceRow struct {
	args  []any
	links [][3]string
}

func (db *DB) encodeSource(s *tumen.Source) sourceRow {
	const t = "sources"
	lo, hi := s.Date.Bounds()
	r := sourceRow{args: []any{s.ID, s.Kind, s.Organisation, s.Reliability, s.Date.String(), lo, hi, int(s.Confidentiality), ms(s.Created),
		db.keys.SealString(t, s.ID, "title", s.Title),
		db.keys.SealString(t, s.ID, "given_by", s.GivenBy),
		db.keys.SealString(t, s.ID, "text", s.Text), "[]"}}
	if len(s.Supports) > 0 {
		b, _ := json.Marshal(s.Supports)
		r.args[12] = string(b)
	}
	for _, l := range s.Supports {
		r.links = append(r.links, [3]string{l.Kind, l.ID, s.ID})
	}
	return r
}

func (db *DB) scanSource(sc scanner) (*tumen.Source, error) {
	const t = "sources"
	s := &tumen.Source{}
	var dateText string
	var lo, hi, created int64
	var level int
	var title, given, text []byte
	var supports string
	if err := sc.Scan(&s.ID, &s.Kind, &s.Organisation, &s.Reliability, &dateText, &lo, &hi, &level, &created, &title, &given, &text, &supports); err != nil {
		return nil, err
	}
	if supports != "[]" {
		if err := json.Unmarshal([]byte(supports), &s.Supports); err != nil {
			return nil, tumen.Wrap(err, "a stored source's links do not parse")
		}
	}
	s.Confidentiality, s.Created = tumen.Level(level), fromMS(created)
	var err error
	if s.Date, err = approx.Parse(dateText); err != nil {
		return nil, tumen.Wrap(err, "a stored source date does not parse")
	}
	if s.Title, err = db.openString(t, s.ID, "title", title); err != nil {
		return nil, err
	}
	if s.GivenBy, err = db.openString(t, s.ID, "given_by", given); err != nil {
		return nil, err
	}
	if s.Text, err = db.openString(t, s.ID, "text", text); err != nil {
		return nil, err
	}
	return s, nil
}

func (db *DB) insertSource(ctx context.Context, tx *sql.Tx, r sourceRow) error {
	if _, err := tx.ExecContext(ctx, db.q(`INSERT INTO sources (`+sourceCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`), r.args...); err != nil {
		return db.translate(err, "source", r.args[0].(string))
	}
	for _, l := range r.links {
		if _, err := tx.ExecContext(ctx, db.q(`INSERT INTO source_links (kind, target_id, source_id) VALUES (?, ?, ?)`), l[0], l[1], l[2]); err != nil {
			return db.translate(err, "", "")
		}
	}
	return nil
}

// CreateSource stores a new source.
func (db *DB) CreateSource(ctx context.Context, s *tumen.Source) error {
	if err := db.mustKeys(); err != nil {
		return err
	}
	if err := validateSource(s); err != nil {
		return err
	}
	if s.Created.IsZero() {
		s.Created = db.Now().UTC()
	}
	r := db.encodeSource(s)
	return db.tx(ctx, func(tx *sql.Tx) error {
		if err := db.insertSource(ctx, tx, r); err != nil {
			return err
		}
		return db.audit(ctx, tx, "create", "source", s.ID, "")
	})
}

// Source returns one source and audits the read.
func (db *DB) Source(ctx context.Context, id string) (*tumen.Source, error) {
	if err := db.mustKeys(); err != nil {
		return nil, err
	}
	s, err := db.scanSource(db.queryRow(ctx, `SELECT `+sourceCols+` FROM sources WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, tumen.Errorf(tumen.KindNotFound, "no source %q", id)
	}
	if err != nil {
		return nil, db.translate(err, "", "")
	}
	if err := db.auditRead(ctx, "read", "source", id, ""); err != nil {
		return nil, err
	}
	return s, nil
}

// ListSources returns sources matching f, ordered by id; the listing is
// audited as one entry.
func (db *DB) ListSources(ctx context.Context, f tumen.SourceFilter) ([]*tumen.Source, error) {
	if err := db.mustKeys(); err != nil {
		return nil, err
	}
	var conds []string
	var args []any
	if f.Supports != nil {
		conds = append(conds, "s.id IN (SELECT l.source_id FROM source_links l WHERE l.kind = ? AND l.target_id = ?)")
		args = append(args, f.Supports.Kind, f.Supports.ID)
	}
	if f.Organisation != "" {
		conds = append(conds, "s.organisation = ?")
		args = append(args, f.Organisation)
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
	rows, err := db.query(ctx, `SELECT `+prefixed("s.", sourceCols)+` FROM sources s`+where+` ORDER BY s.id LIMIT ?`, args...)
	if err != nil {
		return nil, db.translate(err, "", "")
	}
	var out []*tumen.Source
	for rows.Next() {
		s, err := db.scanSource(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, s)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, db.translate(err, "", "")
	}
	if len(out) > 0 {
		if err := db.auditRead(ctx, "list", "source", "", itoa(len(out))+" sources"); err != nil {
			return nil, err
		}
	}
	return out, nil
}

var consentUses = map[string]bool{tumen.UseInternal: true, tumen.UsePartner: true, tumen.UseUNNamed: true,
	tumen.UseUNAnonymous: true, tumen.UsePublishAnon: true, tumen.UsePublishNamed: true}

func validateConsent(c *tumen.Consent) error {
	if err := validID("consent", c.ID); err != nil {
		return err
	}
	if c.SourceID == "" {
		return tumen.Errorf(tumen.KindInvalid, "consent %q needs a source", c.ID)
	}
	if !consentUses[c.Use] {
		return tumen.Errorf(tumen.KindInvalid, "consent %q: unknown use %q", c.ID, c.Use)
	}
	if c.Use == tumen.UsePartner && c.Partner == "" {
		return tumen.Errorf(tumen.KindInvalid, "consent %q: sharing with a partner names the partner", c.ID)
	}
	if c.Given.IsZero() {
		return tumen.Errorf(tumen.KindInvalid, "consent %q needs the date it was given", c.ID)
	}
	return nil
}

const consentCols = `id, source_id, use, partner, given, revoked, recorded_by, details_enc`

func (db *DB) encodeConsent(c *tumen.Consent) []any {
	return []any{c.ID, c.SourceID, c.Use, c.Partner, ms(c.Given), ms(c.Revoked), c.RecordedBy, db.keys.SealString("consents", c.ID, "details", c.Details)}
}

func (db *DB) scanConsent(s scanner) (*tumen.Consent, error) {
	c := &tumen.Consent{}
	var given, revoked int64
	var details []byte
	if err := s.Scan(&c.ID, &c.SourceID, &c.Use, &c.Partner, &given, &revoked, &c.RecordedBy, &details); err != nil {
		return nil, err
	}
	c.Given, c.Revoked = fromMS(given), fromMS(revoked)
	var err error
	c.Details, err = db.openString("consents", c.ID, "details", details)
	return c, err
}

// CreateConsent records a consent.
func (db *DB) CreateConsent(ctx context.Context, c *tumen.Consent) error {
	if err := db.mustKeys(); err != nil {
		return err
	}
	if c.Given.IsZero() {
		c.Given = db.Now().UTC()
	}
	if c.RecordedBy == "" {
		c.RecordedBy = tumen.Actor(ctx)
	}
	if err := validateConsent(c); err != nil {
		return err
	}
	args := db.encodeConsent(c)
	return db.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, db.q(`INSERT INTO consents (`+consentCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`), args...); err != nil {
			return db.translate(err, "consent", c.ID)
		}
		return db.audit(ctx, tx, "create", "consent", c.ID, c.Use)
	})
}

// RevokeConsent revokes a consent from at; it takes effect at once.
func (db *DB) RevokeConsent(ctx context.Context, id string, at time.Time) error {
	if err := db.mustKeys(); err != nil {
		return err
	}
	if at.IsZero() {
		at = db.Now().UTC()
	}
	return db.end(ctx, "consents", "revoked", id, at, "consent", "revoke")
}

// end sets the time column of a standing record (a consent's revoked, a
// risk fact's withdrawn) and audits it as action; a record that is not
// there or already ended is not found. table and column are constants of
// this package.
func (db *DB) end(ctx context.Context, table, column, id string, at time.Time, kind, action string) error {
	return db.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, db.q(`UPDATE `+table+` SET `+column+` = ? WHERE id = ? AND `+column+` = 0`), ms(at), id)
		if err != nil {
			return db.translate(err, "", "")
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return tumen.Errorf(tumen.KindNotFound, "no standing %s %q", strings.ReplaceAll(kind, "-", " "), id)
		}
		return db.audit(ctx, tx, action, kind, id, "")
	})
}

// Consents returns the consents recorded for a source.
func (db *DB) Consents(ctx context.Context, sourceID string) ([]*tumen.Consent, error) {
	if err := db.mustKeys(); err != nil {
		return nil, err
	}
	return queryAll(ctx, db, db.scanConsent, `SELECT `+consentCols+` FROM consents WHERE source_id = ? ORDER BY given, id`, sourceID)
}

const interventionCols = `id, victim_id, kind, addressee, date_text, reference, document_hash, response_date, follow_up, outcome, created, response_enc, note_enc`

func validateIntervention(iv *tumen.Intervention) error {
	if err := validID("intervention", iv.ID); err != nil {
		return err
	}
	if iv.VictimID == "" || iv.Kind == "" {
		return tumen.Errorf(tumen.KindInvalid, "intervention %q needs a victim and a kind", iv.ID)
	}
	return nil
}

func (db *DB) encodeIntervention(iv *tumen.Intervention) []any {
	const t = "interventions"
	return []any{iv.ID, iv.VictimID, iv.Kind, iv.To, iv.Date.String(), iv.Reference, iv.DocumentHash, iv.ResponseDate.String(), iv.FollowUp.String(), iv.Outcome, ms(iv.Created),
		db.keys.SealString(t, iv.ID, "response", iv.Response), db.keys.SealString(t, iv.ID, "note", iv.Note)}
}

func (db *DB) scanIntervention(s scanner) (*tumen.Intervention, error) {
	const t = "interventions"
	iv := &tumen.Intervention{}
	var date, rdate, follow string
	var created int64
	var resp, note []byte
	if err := s.Scan(&iv.ID, &iv.VictimID, &iv.Kind, &iv.To, &date, &iv.Reference, &iv.DocumentHash, &rdate, &follow, &iv.Outcome, &created, &resp, &note); err != nil {
		return nil, err
	}
	iv.Created = fromMS(created)
	var err error
	for _, d := range []struct {
		dst *approx.Date
		s   string
	}{{&iv.Date, date}, {&iv.ResponseDate, rdate}, {&iv.FollowUp, follow}} {
		if *d.dst, err = approx.Parse(d.s); err != nil {
			return nil, tumen.Wrap(err, "a stored intervention date does not parse")
		}
	}
	if iv.Response, err = db.openString(t, iv.ID, "response", resp); err != nil {
		return nil, err
	}
	iv.Note, err = db.openString(t, iv.ID, "note", note)
	return iv, err
}

// CreateIntervention records an intervention.
func (db *DB) CreateIntervention(ctx context.Context, iv *tumen.Intervention) error {
	if err := db.mustKeys(); err != nil {
		return err
	}
	if err := validateIntervention(iv); err != nil {
		return err
	}
	if iv.Created.IsZero() {
		iv.Created = db.Now().UTC()
	}
	args := db.encodeIntervention(iv)
	return db.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, db.q(`INSERT INTO interventions (`+interventionCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`), args...); err != nil {
			return db.translate(err, "intervention", iv.ID)
		}
		return db.audit(ctx, tx, "create", "intervention", iv.ID, "")
	})
}

// Interventions returns the interventions for a victim.
func (db *DB) Interventions(ctx context.Context, victimID string) ([]*tumen.Intervention, error) {
	if err := db.mustKeys(); err != nil {
		return nil, err
	}
	rows, err := db.query(ctx, `SELECT `+interventionCols+` FROM interventions WHERE victim_id = ? ORDER BY created, id`, victimID)
	if err != nil {
		return nil, db.translate(err, "", "")
	}
	defer rows.Close()
	var out []*tumen.Intervention
	for rows.Next() {
		iv, err := db.scanIntervention(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, iv)
	}
	return out, db.translate(rows.Err(), "", "")
}

// attachmentMeta is the sealed description of an attachment.
type attachmentMeta struct {
	Filename  string `json:"f"`
	MediaType string `json:"t,omitempty"`
	SHA256    string `json:"h"`
}

const attachmentCols = `id, source_id, size, created, meta_enc, data_enc`

// MaxAttachment is the largest attachment a store accepts.
const MaxAttachment = 256 << 20

func validateAttachment(a *tumen.Attachment) error {
	if err := validID("attachment", a.ID); err != nil {
		return err
	}
	if a.SourceID == "" {
		return tumen.Errorf(tumen.KindInvalid, "attachment %q needs a source", a.ID)
	}
	if len(a.Data) > MaxAttachment {
		return tumen.Errorf(tumen.KindInvalid, "attachment %q is larger than %d MiB", a.ID, MaxAttachment>>20)
	}
	return nil
}

// encodeAttachment hashes the bytes at ingest (or checks a hash that came
// with them, as in an import) and seals bytes and description.
func (db *DB) encodeAttachment(a *tumen.Attachment) ([]any, error) {
	sum := sha256.Sum256(a.Data)
	h := hex.EncodeToString(sum[:])
	if a.SHA256 != "" && a.SHA256 != h {
		return nil, tumen.Errorf(tumen.KindInvalid, "attachment %q: its bytes do not match its SHA-256", a.ID)
	}
	a.SHA256, a.Size = h, int64(len(a.Data))
	meta, _ := json.Marshal(attachmentMeta{a.Filename, a.MediaType, a.SHA256})
	return []any{a.ID, a.SourceID, a.Size, ms(a.Created),
		db.keys.Seal(nil, "attachments", a.ID, "meta", meta),
		db.keys.Seal(nil, "attachments", a.ID, "data", a.Data)}, nil
}

// CreateAttachment stores an evidence file, hashing it at ingest.
func (db *DB) CreateAttachment(ctx context.Context, a *tumen.Attachment) error {
	if err := db.mustKeys(); err != nil {
		return err
	}
	if err := validateAttachment(a); err != nil {
		return err
	}
	if a.Created.IsZero() {
		a.Created = db.Now().UTC()
	}
	args, err := db.encodeAttachment(a)
	if err != nil {
		return err
	}
	return db.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, db.q(`INSERT INTO attachments (`+attachmentCols+`) VALUES (?, ?, ?, ?, ?, ?)`), args...); err != nil {
			return db.translate(err, "attachment", a.ID)
		}
		return db.audit(ctx, tx, "create", "attachment", a.ID, "sha256 "+a.SHA256)
	})
}

func (db *DB) scanAttachment(s scanner) (*tumen.Attachment, error) {
	a := &tumen.Attachment{}
	var created int64
	var meta, data []byte
	if err := s.Scan(&a.ID, &a.SourceID, &a.Size, &created, &meta, &data); err != nil {
		return nil, err
	}
	a.Created = fromMS(created)
	var m attachmentMeta
	if err := db.openJSON("attachments", a.ID, "meta", meta, &m); err != nil {
		return nil, err
	}
	a.Filename, a.MediaType, a.SHA256 = m.Filename, m.MediaType, m.SHA256
	b, err := db.keys.Open("attachments", a.ID, "data", data)
	if err != nil {
		return nil, &tumen.Error{Kind: tumen.KindInternal, Message: "an attachment does not decrypt", Err: err}
	}
	sum := sha256.Sum256(b)
	if !bytes.Equal([]byte(hex.EncodeToString(sum[:])), []byte(a.SHA256)) {
		return nil, tumen.Errorf(tumen.KindInternal, "attachment %q no longer matches the hash taken at ingest", a.ID)
	}
	a.Data = b
	return a, nil
}

// Attachment returns an evidence file with its bytes, checked against the
// hash taken at ingest, and audits the read.
func (db *DB) Attachment(ctx context.Context, id string) (*tumen.Attachment, error) {
	if err := db.mustKeys(); err != nil {
		return nil, err
	}
	var a *tumen.Attachment
	err := db.tx(ctx, func(tx *sql.Tx) error {
		var err error
		a, err = db.scanAttachment(tx.QueryRowContext(ctx, db.q(`SELECT `+attachmentCols+` FROM attachments WHERE id = ?`), id))
		if errors.Is(err, sql.ErrNoRows) {
			return tumen.Errorf(tumen.KindNotFound, "no attachment %q", id)
		}
		if err != nil {
			return db.translate(err, "", "")
		}
		return db.audit(ctx, tx, "read", "attachment", id, "")
	})
	return a, err
}

// AttachmentsOf lists a source's attachments without their bytes.
func (db *DB) AttachmentsOf(ctx context.Context, sourceID string) ([]*tumen.Attachment, error) {
	if err := db.mustKeys(); err != nil {
		return nil, err
	}
	rows, err := db.query(ctx, `SELECT id, source_id, size, created, meta_enc FROM attachments WHERE source_id = ? ORDER BY created, id`, sourceID)
	if err != nil {
		return nil, db.translate(err, "", "")
	}
	defer rows.Close()
	var out []*tumen.Attachment
	for rows.Next() {
		a := &tumen.Attachment{}
		var created int64
		var meta []byte
		if err := rows.Scan(&a.ID, &a.SourceID, &a.Size, &created, &meta); err != nil {
			return nil, err
		}
		a.Created = fromMS(created)
		var m attachmentMeta
		if err := db.openJSON("attachments", a.ID, "meta", meta, &m); err != nil {
			return nil, err
		}
		a.Filename, a.MediaType, a.SHA256 = m.Filename, m.MediaType, m.SHA256
		out = append(out, a)
	}
	return out, rows.Err()
}
