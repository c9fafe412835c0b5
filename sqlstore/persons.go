package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strings"

	"tumen"
	"tumen/approx"
)

const personCols = `id, sex, confidentiality, created, updated, names_enc, birth_enc, origin_enc, relatives_enc, contacts_enc, notes_enc`

// origin is the sealed form of where a person comes from.
type origin struct {
	Origin    string `json:"o,omitempty"`
	HomePlace string `json:"h,omitempty"`
}

// sealJSON seals the JSON of v, or returns nil for an empty value.
func (db *DB) sealJSON(table, id, field string, v any, empty bool) []byte {
	if empty {
		return nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // the model's types always marshal
	}
	return db.keys.Seal(nil, table, id, field, b)
}

func (db *DB) openJSON(table, id, field string, ct []byte, v any) error {
	if ct == nil {
		return nil
	}
	b, err := db.keys.Open(table, id, field, ct)
	if err != nil {
		return &tumen.Error{Kind: tumen.KindInternal, Message: "a " + table + " record does not decrypt", Err: err}
	}
	return json.Unmarshal(b, v)
}

func (db *DB) openString(table, id, field string, ct []byte) (string, error) {
	s, err := db.keys.OpenString(table, id, field, ct)
	if err != nil {
		return "", &tumen.Error{Kind: tumen.KindInternal, Message: "a " + table + " record does not decrypt", Err: err}
	}
	return s, nil
}

// validatePerson checks what the database cannot.
func validatePerson(p *tumen.Person) error {
	if err := validID("person", p.ID); err != nil {
		return err
	}
	if len(p.Names) == 0 {
		return tumen.Errorf(tumen.KindInvalid, "person %q has no name", p.ID)
	}
	for _, n := range p.Names {
		if strings.TrimSpace(n.Full) == "" {
			return tumen.Errorf(tumen.KindInvalid, "person %q has an empty name", p.ID)
		}
		if !n.System.Valid() {
			return tumen.Errorf(tumen.KindInvalid, "person %q: unknown name system %q", p.ID, n.System)
		}
	}
	if _, err := tumen.ParseSex(string(p.Sex)); err != nil {
		return err
	}
	for _, r := range p.Relatives {
		switch r.InNK {
		case "", "yes", "no":
		default:
			return tumen.Errorf(tumen.KindInvalid, "person %q: a relative's in_nk must be yes, no or empty", p.ID)
		}
	}
	return nil
}

// validID accepts ids of printable ASCII without spaces, up to 128 bytes:
// ids appear in URLs, logs and error messages, so they must never be names.
func validID(kind, id string) error {
	if id == "" {
		return tumen.Errorf(tumen.KindInvalid, "a %s needs an id", kind)
	}
	if len(id) > 128 {
		return tumen.Errorf(tumen.KindInvalid, "a %s id is longer than 128 bytes", kind)
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if c <= ' ' || c >= 0x7f || c == '"' || c == '\\' {
			return tumen.Errorf(tumen.KindInvalid, "%s id %q: use letters, digits and - _ . : / only", kind, id)
		}
	}
	return nil
}

// personRow is a person sealed for the database: its column values and its
// blind-index keys.
type personRow struct {
	args []any
	keys [][]byte
}

func (db *DB) encodePerson(p *tumen.Person) personRow {
	const t = "persons"
	args := []any{p.ID, string(p.Sex), int(p.Confidentiality), ms(p.Created), ms(p.Updated),
		db.sealJSON(t, p.ID, "names", p.Names, len(p.Names) == 0),
		db.keys.SealString(t, p.ID, "birth_date", p.BirthDate.String()),
		db.sealJSON(t, p.ID, "origin", origin{p.Origin, p.HomePlaceID}, p.Origin == "" && p.HomePlaceID == ""),
		db.sealJSON(t, p.ID, "relatives", p.Relatives, len(p.Relatives) == 0),
		db.sealJSON(t, p.ID, "contacts", p.Contacts, len(p.Contacts) == 0),
		db.keys.SealString(t, p.ID, "notes", p.Notes),
	}
	return personRow{args, db.nameIndexKeys(p.Names)}
}

// nameIndexKeys returns the blind indexes of a person's names, without
// repeats.
func (db *DB) nameIndexKeys(names []tumen.Name) [][]byte {
	seen := map[string]bool{}
	var keys [][]byte
	for _, n := range names {
		for _, k := range db.NameKeys(n.Full) {
			if !seen[k] {
				seen[k] = true
				keys = append(keys, db.keys.Blind("name", k))
			}
		}
	}
	return keys
}

type scanner interface{ Scan(...any) error }

func (db *DB) scanPerson(s scanner) (*tumen.Person, error) {
	const t = "persons"
	p := &tumen.Person{}
	var sex string
	var level int
	var created, updated int64
	var names, birth, orig, rel, con, notes []byte
	if err := s.Scan(&p.ID, &sex, &level, &created, &updated, &names, &birth, &orig, &rel, &con, &notes); err != nil {
		return nil, err
	}
	p.Sex, p.Confidentiality, p.Created, p.Updated = tumen.Sex(sex), tumen.Level(level), fromMS(created), fromMS(updated)
	if names != nil {
		b, err := db.keys.Open(t, p.ID, "names", names)
		if err != nil {
			return nil, &tumen.Error{Kind: tumen.KindInternal, Message: "a persons record does not decrypt", Err: err}
		}
		if p.Names, err = decodeNames(b); err != nil {
			return nil, tumen.Wrap(err, "stored names do not parse")
		}
	}
	bd, err := db.openString(t, p.ID, "birth_date", birth)
	if err != nil {
		return nil, err
	}
	if p.BirthDate, err = approx.Parse(bd); err != nil {
		return nil, tumen.Wrap(err, "a stored birth date does not parse")
	}
	var o origin
	if orig != nil {
		b, err := db.keys.Open(t, p.ID, "origin", orig)
		if err != nil {
			return nil, &tumen.Error{Kind: tumen.KindInternal, Message: "a persons record does not decrypt", Err: err}
		}
		if o, err = decodeOrigin(b); err != nil {
			return nil, tumen.Wrap(err, "a stored origin does not parse")
		}
	}
	p.Origin, p.HomePlaceID = o.Origin, o.HomePlace
	if err := db.openJSON(t, p.ID, "relatives", rel, &p.Relatives); err != nil {
		return nil, err
	}
	if err := db.openJSON(t, p.ID, "contacts", con, &p.Contacts); err != nil {
		return nil, err
	}
	if p.Notes, err = db.openString(t, p.ID, "notes", notes); err != nil {
		return nil, err
	}
	return p, nil
}

func (db *DB) insertPerson(ctx context.Context, tx *sql.Tx, r personRow) error {
	if _, err := tx.ExecContext(ctx, db.q(`INSERT INTO persons (`+personCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`), r.args...); err != nil {
		return db.translate(err, "person", r.args[0].(string))
	}
	for _, k := range r.keys {
		if _, err := tx.ExecContext(ctx, db.q(`INSERT INTO name_index (key, person_id) VALUES (?, ?)`), k, r.args[0]); err != nil {
			return db.translate(err, "", "")
		}
	}
	return nil
}

// CreatePerson stores a new person.
func (db *DB) CreatePerson(ctx context.Context, p *tumen.Person) error {
	if err := db.mustKeys(); err != nil {
		return err
	}
	if err := validatePerson(p); err != nil {
		return err
	}
	now := db.Now().UTC()
	if p.Created.IsZero() {
		p.Created = now
	}
	p.Updated = now
	r := db.encodePerson(p)
	return db.tx(ctx, func(tx *sql.Tx) error {
		if err := db.insertPerson(ctx, tx, r); err != nil {
			return err
		}
		return db.audit(ctx, tx, "create", "person", p.ID, "")
	})
}

// UpdatePerson replaces a stored person.
func (db *DB) UpdatePerson(ctx context.Context, p *tumen.Person) error {
	if err := db.mustKeys(); err != nil {
		return err
	}
	if err := validatePerson(p); err != nil {
		return err
	}
	p.Updated = db.Now().UTC()
	r := db.encodePerson(p)
	return db.tx(ctx, func(tx *sql.Tx) error {
		var oldNames []byte
		err := tx.QueryRowContext(ctx, db.q(`SELECT names_enc FROM persons WHERE id = ?`+db.d.ForUpdate), p.ID).Scan(&oldNames)
		if errors.Is(err, sql.ErrNoRows) {
			return tumen.Errorf(tumen.KindNotFound, "no person %q", p.ID)
		}
		if err != nil {
			return db.translate(err, "", "")
		}
		var names []tumen.Name
		if err := db.openJSON("persons", p.ID, "names", oldNames, &names); err != nil {
			return err
		}
		old := db.nameIndexKeys(names)
		res, err := tx.ExecContext(ctx, db.q(`UPDATE persons SET sex = ?, confidentiality = ?, updated = ?, names_enc = ?, birth_enc = ?, origin_enc = ?, relatives_enc = ?, contacts_enc = ?, notes_enc = ? WHERE id = ?`),
			r.args[1], r.args[2], r.args[4], r.args[5], r.args[6], r.args[7], r.args[8], r.args[9], r.args[10], p.ID)
		if err != nil {
			return db.translate(err, "person", p.ID)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return tumen.Errorf(tumen.KindNotFound, "no person %q", p.ID)
		}
		// The old keys come from the old names: the index is keyed for
		// lookups by name only.
		for _, k := range old {
			if _, err := tx.ExecContext(ctx, db.q(`DELETE FROM name_index WHERE key = ? AND person_id = ?`), k, p.ID); err != nil {
				return db.translate(err, "", "")
			}
		}
		for _, k := range r.keys {
			if _, err := tx.ExecContext(ctx, db.q(`INSERT INTO name_index (key, person_id) VALUES (?, ?)`), k, p.ID); err != nil {
				return db.translate(err, "", "")
			}
		}
		return db.audit(ctx, tx, "update", "person", p.ID, "")
	})
}

// Person returns one person and audits the read.
func (db *DB) Person(ctx context.Context, id string) (*tumen.Person, error) {
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
	// The person is returned only once the read is in the audit log.
	if err := db.auditRead(ctx, "read", "person", id, ""); err != nil {
		return nil, err
	}
	return p, nil
}

// personWhere builds the WHERE clause of a person filter.
func personWhere(f tumen.PersonFilter) (string, []any) {
	var conds []string
	var args []any
	if f.Sex != "" {
		conds = append(conds, "p.sex = ?")
		args = append(args, string(f.Sex))
	}
	if f.MaxLevel != nil {
		conds = append(conds, "p.confidentiality <= ?")
		args = append(args, int(*f.MaxLevel))
	}
	if f.Organisation != "" {
		conds = append(conds, "EXISTS (SELECT 1 FROM source_links l JOIN sources s ON s.id = l.source_id WHERE l.kind = 'person' AND l.target_id = p.id AND s.organisation = ?)")
		args = append(args, f.Organisation)
	}
	if f.PlaceID != "" || f.Stage != "" || f.From != 0 || f.To != 0 {
		ev := []string{"a.victim_id = p.id"}
		if f.PlaceID != "" {
			ev = append(ev, "e.place_id = ?")
			args = append(args, f.PlaceID)
		}
		if f.Stage != "" {
			ev = append(ev, "e.stage = ?")
			args = append(args, f.Stage)
		}
		if f.From != 0 || f.To != 0 {
			to := f.To
			if to == 0 {
				to = 99991231
			}
			// An approximate date matches when its range overlaps.
			ev = append(ev, "e.date_lo <> 0 AND e.date_lo <= ? AND e.date_hi >= ?")
			args = append(args, to, f.From)
		}
		conds = append(conds, "EXISTS (SELECT 1 FROM acts a JOIN events e ON e.id = a.event_id WHERE "+strings.Join(ev, " AND ")+")")
	}
	if len(f.IDs) > 0 {
		conds = append(conds, "p.id IN (?"+strings.Repeat(", ?", len(f.IDs)-1)+")")
		for _, id := range f.IDs {
			args = append(args, id)
		}
	}
	if len(conds) == 0 {
		return "", nil
	}
	return " WHERE " + strings.Join(conds, " AND "), args
}

// ListPersons returns persons matching f, ordered by id. Listing is
// audited as one entry.
func (db *DB) ListPersons(ctx context.Context, f tumen.PersonFilter) ([]*tumen.Person, error) {
	if err := db.mustKeys(); err != nil {
		return nil, err
	}
	where, args := personWhere(f)
	if f.AfterID != "" {
		if where == "" {
			where = " WHERE p.id > ?"
		} else {
			where += " AND p.id > ?"
		}
		args = append(args, f.AfterID)
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 100
	}
	args = append(args, limit)
	cols := prefixed("p.", personCols)
	if f.Summary {
		cols = strings.Replace(cols, "p.relatives_enc, p.contacts_enc, p.notes_enc", "NULL, NULL, NULL", 1)
	}
	rows, err := db.query(ctx, `SELECT `+cols+` FROM persons p`+where+` ORDER BY p.id LIMIT ?`, args...)
	if err != nil {
		return nil, db.translate(err, "", "")
	}
	defer rows.Close()
	var out []*tumen.Person
	for rows.Next() {
		p, err := db.scanPerson(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, db.translate(err, "", "")
	}
	if len(out) > 0 {
		if err := db.auditRead(ctx, "list", "person", "", itoa(len(out))+" persons"); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// CountPersons counts persons matching f.
func (db *DB) CountPersons(ctx context.Context, f tumen.PersonFilter) (int, error) {
	return db.CountPersonsUpTo(ctx, f, 0)
}

// CountPersonsUpTo counts persons matching f, stopping at most (0: no
// limit): a page that shows "1,000+" need not scan a million rows.
func (db *DB) CountPersonsUpTo(ctx context.Context, f tumen.PersonFilter, most int) (int, error) {
	where, args := personWhere(f)
	q := `SELECT COUNT(*) FROM persons p` + where
	if most > 0 {
		q = `SELECT COUNT(*) FROM (SELECT 1 FROM persons p` + where + ` LIMIT ?) capped`
		args = append(args, most)
	}
	var n int
	err := db.queryRow(ctx, q, args...).Scan(&n)
	return n, db.translate(err, "", "")
}

// FindByName returns the ids of persons with a name sharing a lookup key
// with name.
func (db *DB) FindByName(ctx context.Context, name string) ([]string, error) {
	if err := db.mustKeys(); err != nil {
		return nil, err
	}
	keys := db.NameKeys(name)
	if len(keys) == 0 {
		return nil, nil
	}
	args := make([]any, len(keys))
	for i, k := range keys {
		args[i] = db.keys.Blind("name", k)
	}
	rows, err := db.query(ctx, `SELECT DISTINCT person_id FROM name_index WHERE key IN (?`+strings.Repeat(", ?", len(keys)-1)+`) ORDER BY person_id`, args...)
	if err != nil {
		return nil, db.translate(err, "", "")
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return ids, db.auditRead(ctx, "search", "person", "", itoa(len(ids))+" found by name")
}

func prefixed(prefix, cols string) string {
	parts := strings.Split(cols, ", ")
	for i := range parts {
		parts[i] = prefix + parts[i]
	}
	return strings.Join(parts, ", ")
}
