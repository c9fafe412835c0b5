package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	"tumen"
	"tumen/approx"
)

// Record linkage: candidate pairs in a review queue, identities that link
// merged records, and the labels every decision leaves (see identity.go in
// package tumen). A merge or unmerge changes no person: only
// identity_members says which records are one person.

const candidateCols = `id, person_a, person_b, probability, weight, prior, status, identity_id, created, updated, decided, decided_by, explanation_enc`

// pairKey binds a candidate's sealed explanation to its pair; ids never
// hold spaces (validID), so the key is unambiguous.
func pairKey(a, b string) string { return a + " " + b }

func (db *DB) scanCandidate(s scanner) (*tumen.LinkCandidate, error) {
	c := &tumen.LinkCandidate{}
	var status string
	var created, updated, decided int64
	var expl []byte
	if err := s.Scan(&c.ID, &c.PersonA, &c.PersonB, &c.Probability, &c.Weight, &c.Prior, &status, &c.IdentityID, &created, &updated, &decided, &c.DecidedBy, &expl); err != nil {
		return nil, err
	}
	c.Status, c.Created, c.Updated, c.Decided = tumen.LinkStatus(status), fromMS(created), fromMS(updated), fromMS(decided)
	if err := db.openJSON("link_candidates", pairKey(c.PersonA, c.PersonB), "explanation", expl, &c.Explanation); err != nil {
		return nil, err
	}
	return c, nil
}

// LinkageRecords streams every person with what the linkage engine
// compares — the person decrypted, the organisations whose sources support
// them, and their repatriation (the handover, stage S5, when recorded,
// else their earliest dated event) — to fn, a page at a time in id order.
// The read is audited as one entry.
func (db *DB) LinkageRecords(ctx context.Context, fn func([]*tumen.LinkageRecord) error) error {
	if err := db.mustKeys(); err != nil {
		return err
	}
	n := 0
	err := page(ctx, db, personCols, "persons", db.scanPerson, func(p *tumen.Person) string { return p.ID }, func(ps []*tumen.Person) error {
		recs, err := db.linkageFacts(ctx, ps)
		if err != nil {
			return err
		}
		n += len(recs)
		return fn(recs)
	})
	if err != nil {
		return err
	}
	return db.Audit(ctx, "read", "person", "", fmt.Sprintf("%d persons for linkage", n))
}

// linkageFacts adds the events and organisations of a page of persons,
// with one query each.
func (db *DB) linkageFacts(ctx context.Context, ps []*tumen.Person) ([]*tumen.LinkageRecord, error) {
	recs := make([]*tumen.LinkageRecord, len(ps))
	byID := make(map[string]*tumen.LinkageRecord, len(ps))
	args := make([]any, len(ps))
	for i, p := range ps {
		recs[i] = &tumen.LinkageRecord{Person: p}
		byID[p.ID] = recs[i]
		args[i] = p.ID
	}
	in := "(?" + strings.Repeat(", ?", len(ps)-1) + ")"
	rows, err := db.db.QueryContext(ctx, db.q(`SELECT a.victim_id, e.stage, e.date_text, e.date_lo, e.place_id FROM acts a JOIN events e ON e.id = a.event_id WHERE a.victim_id IN `+in+` ORDER BY a.victim_id, e.date_lo, e.id`), args...)
	if err != nil {
		return nil, db.translate(err, "", "")
	}
	type best struct {
		s5     bool
		lo     int64
		date   string
		place  string
		picked bool
	}
	chosen := map[string]*best{}
	for rows.Next() {
		var victim, stage, date string
		var lo int64
		var place sql.NullString
		if err := rows.Scan(&victim, &stage, &date, &lo, &place); err != nil {
			rows.Close()
			return nil, db.translate(err, "", "")
		}
		b := chosen[victim]
		if b == nil {
			b = &best{}
			chosen[victim] = b
		}
		// The handover wins; otherwise the earliest dated event (rows come
		// in date order, undated ones with date_lo 0 first).
		switch {
		case b.s5:
		case stage == "S5":
			*b = best{s5: true, lo: lo, date: date, place: place.String, picked: true}
		case !b.picked || (b.lo == 0 && lo != 0):
			*b = best{lo: lo, date: date, place: place.String, picked: true}
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, db.translate(err, "", "")
	}
	for id, b := range chosen {
		r := byID[id]
		if d, err := approx.Parse(b.date); err == nil {
			r.EventDate = d
		}
		r.EventPlaceID = b.place
	}
	rows, err = db.db.QueryContext(ctx, db.q(`SELECT l.target_id, s.organisation FROM source_links l JOIN sources s ON s.id = l.source_id WHERE l.kind = 'person' AND l.target_id IN `+in+` ORDER BY l.target_id, s.organisation`), args...)
	if err != nil {
		return nil, db.translate(err, "", "")
	}
	defer rows.Close()
	for rows.Next() {
		var id, org string
		if err := rows.Scan(&id, &org); err != nil {
			return nil, db.translate(err, "", "")
		}
		if r := byID[id]; org != "" && (len(r.Organisations) == 0 || r.Organisations[len(r.Organisations)-1] != org) {
			r.Organisations = append(r.Organisations, org)
		}
	}
	return recs, db.translate(rows.Err(), "", "")
}

func validCandidate(c *tumen.LinkCandidate) error {
	if err := validID("person", c.PersonA); err != nil {
		return err
	}
	if err := validID("person", c.PersonB); err != nil {
		return err
	}
	if c.PersonA == c.PersonB {
		return tumen.Errorf(tumen.KindInvalid, "a candidate pair needs two different persons, not %q twice", c.PersonA)
	}
	if math.IsNaN(c.Probability) || c.Probability < 0 || c.Probability > 1 || math.IsNaN(c.Weight) || math.IsInf(c.Weight, 0) || math.IsNaN(c.Prior) || math.IsInf(c.Prior, 0) {
		return tumen.Errorf(tumen.KindInvalid, "candidate pair %s, %s: the probability must lie in [0,1] and the weights be finite", c.PersonA, c.PersonB)
	}
	return nil
}

// ProposeLinks puts candidate pairs into the review queue, in one
// transaction. A new pair is pending; a pending pair gets the new score and
// explanation; a pair already decided keeps its decision, and a pair whose
// persons already share an identity is left out. It returns how many pairs
// were new.
func (db *DB) ProposeLinks(ctx context.Context, cands []*tumen.LinkCandidate) (int, error) {
	if err := db.mustKeys(); err != nil {
		return 0, err
	}
	for _, c := range cands {
		if c.PersonA > c.PersonB {
			c.PersonA, c.PersonB = c.PersonB, c.PersonA
		}
		if err := validCandidate(c); err != nil {
			return 0, err
		}
	}
	now := ms(db.Now().UTC())
	added := 0
	err := db.tx(ctx, func(tx *sql.Tx) error {
		members, err := allMembers(ctx, db, tx)
		if err != nil {
			return err
		}
		before, err := countTx(ctx, tx, `SELECT COUNT(*) FROM link_candidates`)
		if err != nil {
			return err
		}
		q := db.q(`INSERT INTO link_candidates (person_a, person_b, probability, weight, prior, status, created, updated, explanation_enc) VALUES (?, ?, ?, ?, ?, 'pending', ?, ?, ?)
			ON CONFLICT (person_a, person_b) DO UPDATE SET probability = excluded.probability, weight = excluded.weight, prior = excluded.prior,
			updated = excluded.updated, explanation_enc = excluded.explanation_enc WHERE link_candidates.status = 'pending'`)
		stmt, err := tx.PrepareContext(ctx, q)
		if err != nil {
			return db.translate(err, "", "")
		}
		defer stmt.Close()
		proposed := 0
		for _, c := range cands {
			if ia, ok := members[c.PersonA]; ok && ia == members[c.PersonB] {
				continue
			}
			expl := db.sealJSON("link_candidates", pairKey(c.PersonA, c.PersonB), "explanation", c.Explanation, len(c.Explanation) == 0)
			if _, err := stmt.ExecContext(ctx, c.PersonA, c.PersonB, c.Probability, c.Weight, c.Prior, now, now, expl); err != nil {
				return db.translate(err, "", "")
			}
			proposed++
		}
		after, err := countTx(ctx, tx, `SELECT COUNT(*) FROM link_candidates`)
		if err != nil {
			return err
		}
		added = after - before
		return db.audit(ctx, tx, "propose", "link", "", fmt.Sprintf("%d candidate pairs proposed, %d new", proposed, added))
	})
	return added, err
}

func countTx(ctx context.Context, tx *sql.Tx, q string, args ...any) (int, error) {
	var n int
	if err := tx.QueryRowContext(ctx, q, args...).Scan(&n); err != nil {
		return 0, tumen.Wrap(err, "database error")
	}
	return n, nil
}

// allMembers maps every person in an identity to it.
func allMembers(ctx context.Context, db *DB, tx *sql.Tx) (map[string]int64, error) {
	rows, err := tx.QueryContext(ctx, `SELECT person_id, identity_id FROM identity_members`)
	if err != nil {
		return nil, db.translate(err, "", "")
	}
	defer rows.Close()
	m := map[string]int64{}
	for rows.Next() {
		var p string
		var id int64
		if err := rows.Scan(&p, &id); err != nil {
			return nil, db.translate(err, "", "")
		}
		m[p] = id
	}
	return m, db.translate(rows.Err(), "", "")
}

// LinkCandidates lists candidate pairs matching f, likeliest first. The
// listing is audited as one entry.
func (db *DB) LinkCandidates(ctx context.Context, f tumen.LinkCandidateFilter) ([]*tumen.LinkCandidate, error) {
	if err := db.mustKeys(); err != nil {
		return nil, err
	}
	var conds []string
	var args []any
	if f.Status != "" {
		if !f.Status.Valid() {
			return nil, tumen.Errorf(tumen.KindInvalid, "unknown status %q", f.Status)
		}
		conds = append(conds, "status = ?")
		args = append(args, string(f.Status))
	}
	if f.PersonID != "" {
		conds = append(conds, "(person_a = ? OR person_b = ?)")
		args = append(args, f.PersonID, f.PersonID)
	}
	if f.MinProbability > 0 {
		conds = append(conds, "probability >= ?")
		args = append(args, f.MinProbability)
	}
	where := ""
	if len(conds) > 0 {
		where = " WHERE " + strings.Join(conds, " AND ")
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 100
	}
	args = append(args, limit, max(f.Offset, 0))
	rows, err := db.db.QueryContext(ctx, db.q(`SELECT `+candidateCols+` FROM link_candidates`+where+` ORDER BY probability DESC, id LIMIT ? OFFSET ?`), args...)
	if err != nil {
		return nil, db.translate(err, "", "")
	}
	defer rows.Close()
	var out []*tumen.LinkCandidate
	for rows.Next() {
		c, err := db.scanCandidate(rows)
		if err != nil {
			return nil, db.translate(err, "", "")
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, db.translate(err, "", "")
	}
	if len(out) > 0 {
		if err := db.Audit(ctx, "list", "link", "", itoa(len(out))+" candidate pairs"); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// LinkQueue counts candidate pairs by status.
func (db *DB) LinkQueue(ctx context.Context) (map[tumen.LinkStatus]int, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT status, COUNT(*) FROM link_candidates GROUP BY status`)
	if err != nil {
		return nil, db.translate(err, "", "")
	}
	defer rows.Close()
	out := map[tumen.LinkStatus]int{}
	for rows.Next() {
		var s string
		var n int
		if err := rows.Scan(&s, &n); err != nil {
			return nil, db.translate(err, "", "")
		}
		out[tumen.LinkStatus(s)] = n
	}
	return out, db.translate(rows.Err(), "", "")
}

// LinkCandidate returns one candidate pair and audits the read.
func (db *DB) LinkCandidate(ctx context.Context, id int64) (*tumen.LinkCandidate, error) {
	if err := db.mustKeys(); err != nil {
		return nil, err
	}
	var c *tumen.LinkCandidate
	err := db.tx(ctx, func(tx *sql.Tx) error {
		var err error
		if c, err = db.candidateTx(ctx, tx, id, false); err != nil {
			return err
		}
		return db.audit(ctx, tx, "read", "link", strconv.FormatInt(id, 10), c.PersonA+" "+c.PersonB)
	})
	return c, err
}

func (db *DB) candidateTx(ctx context.Context, tx *sql.Tx, id int64, lock bool) (*tumen.LinkCandidate, error) {
	q := `SELECT ` + candidateCols + ` FROM link_candidates WHERE id = ?`
	if lock {
		q += db.d.ForUpdate
	}
	c, err := db.scanCandidate(tx.QueryRowContext(ctx, db.q(q), id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, tumen.Errorf(tumen.KindNotFound, "no candidate pair %d", id)
	}
	if err != nil {
		return nil, db.translate(err, "", "")
	}
	return c, nil
}

func (db *DB) label(ctx context.Context, tx *sql.Tx, a, b string, match bool, candidate int64, now int64) error {
	m := 0
	if match {
		m = 1
	}
	_, err := tx.ExecContext(ctx, db.q(`INSERT INTO link_labels (person_a, person_b, is_match, candidate_id, at, actor) VALUES (?, ?, ?, ?, ?, ?)`),
		a, b, m, candidate, now, tumen.Actor(ctx))
	return db.translate(err, "", "")
}

// identityOf returns the identity a person belongs to, or 0.
func (db *DB) identityOf(ctx context.Context, tx *sql.Tx, person string) (int64, error) {
	var id int64
	err := tx.QueryRowContext(ctx, db.q(`SELECT identity_id FROM identity_members WHERE person_id = ?`), person).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return id, db.translate(err, "", "")
}

// MergeCandidate records a reviewer's judgement that a candidate pair is
// one person. Neither record changes: both join one identity — a new one,
// the one either already belongs to, or, when each belongs to another, the
// older of the two, into which the younger is folded. Pending pairs whose
// records are now in the same identity become implied. The decision is
// stored as a label and audited. A pair already merged is a conflict.
func (db *DB) MergeCandidate(ctx context.Context, id int64) (*tumen.Identity, error) {
	if err := db.mustKeys(); err != nil {
		return nil, err
	}
	var target int64
	err := db.tx(ctx, func(tx *sql.Tx) error {
		c, err := db.candidateTx(ctx, tx, id, true)
		if err != nil {
			return err
		}
		if c.Status == tumen.LinkMerged || c.Status == tumen.LinkImplied {
			return tumen.Errorf(tumen.KindConflict, "candidate pair %d is already merged (identity %d)", id, c.IdentityID)
		}
		now := ms(db.Now().UTC())
		actor := tumen.Actor(ctx)
		ia, err := db.identityOf(ctx, tx, c.PersonA)
		if err != nil {
			return err
		}
		ib, err := db.identityOf(ctx, tx, c.PersonB)
		if err != nil {
			return err
		}
		detail := fmt.Sprintf("candidate %d: %s + %s", id, c.PersonA, c.PersonB)
		switch {
		case ia == 0 && ib == 0:
			if err := tx.QueryRowContext(ctx, db.q(`INSERT INTO identities (created, created_by) VALUES (?, ?) RETURNING id`), now, actor).Scan(&target); err != nil {
				return db.translate(err, "", "")
			}
			for _, p := range []string{c.PersonA, c.PersonB} {
				if err := db.addMember(ctx, tx, target, p); err != nil {
					return err
				}
			}
		case ia == ib:
			target = ia
		case ia == 0 || ib == 0:
			target = max(ia, ib)
			p := c.PersonA
			if ia != 0 {
				p = c.PersonB
			}
			if err := db.addMember(ctx, tx, target, p); err != nil {
				return err
			}
		default:
			// Two identities become one: the older keeps its id.
			target = min(ia, ib)
			old := max(ia, ib)
			for _, s := range []string{
				`UPDATE identity_members SET identity_id = ? WHERE identity_id = ?`,
				`UPDATE link_candidates SET identity_id = ? WHERE identity_id = ?`,
			} {
				if _, err := tx.ExecContext(ctx, db.q(s), target, old); err != nil {
					return db.translate(err, "", "")
				}
			}
			if _, err := tx.ExecContext(ctx, db.q(`UPDATE identities SET dissolved = ?, dissolved_by = ?, merged_into = ? WHERE id = ?`), now, actor, target, old); err != nil {
				return db.translate(err, "", "")
			}
			detail += fmt.Sprintf(", identity %d folded in", old)
		}
		if _, err := tx.ExecContext(ctx, db.q(`UPDATE link_candidates SET status = 'merged', identity_id = ?, decided = ?, decided_by = ?, updated = ? WHERE id = ?`),
			target, now, actor, now, id); err != nil {
			return db.translate(err, "", "")
		}
		members := `(SELECT person_id FROM identity_members WHERE identity_id = ?)`
		if _, err := tx.ExecContext(ctx, db.q(`UPDATE link_candidates SET status = 'implied', identity_id = ?, updated = ? WHERE status = 'pending' AND person_a IN `+members+` AND person_b IN `+members),
			target, now, target, target); err != nil {
			return db.translate(err, "", "")
		}
		if err := db.label(ctx, tx, c.PersonA, c.PersonB, true, id, now); err != nil {
			return err
		}
		return db.audit(ctx, tx, "merge", "identity", strconv.FormatInt(target, 10), detail)
	})
	if err != nil {
		return nil, err
	}
	return db.Identity(ctx, target)
}

func (db *DB) addMember(ctx context.Context, tx *sql.Tx, identity int64, person string) error {
	_, err := tx.ExecContext(ctx, db.q(`INSERT INTO identity_members (person_id, identity_id) VALUES (?, ?)`), person, identity)
	return db.translate(err, "person", person)
}

// RejectCandidate records a reviewer's judgement that a candidate pair is
// two people. The decision is stored as a label and audited. A merged pair
// must be unmerged first: that is a conflict.
func (db *DB) RejectCandidate(ctx context.Context, id int64) error {
	if err := db.mustKeys(); err != nil {
		return err
	}
	return db.tx(ctx, func(tx *sql.Tx) error {
		c, err := db.candidateTx(ctx, tx, id, true)
		if err != nil {
			return err
		}
		switch c.Status {
		case tumen.LinkMerged, tumen.LinkImplied:
			return tumen.Errorf(tumen.KindConflict, "candidate pair %d is merged into identity %d: unmerge the identity first", id, c.IdentityID)
		case tumen.LinkRejected:
			return tumen.Errorf(tumen.KindConflict, "candidate pair %d is already rejected", id)
		}
		now := ms(db.Now().UTC())
		if _, err := tx.ExecContext(ctx, db.q(`UPDATE link_candidates SET status = 'rejected', decided = ?, decided_by = ?, updated = ? WHERE id = ?`),
			now, tumen.Actor(ctx), now, id); err != nil {
			return db.translate(err, "", "")
		}
		if err := db.label(ctx, tx, c.PersonA, c.PersonB, false, id, now); err != nil {
			return err
		}
		return db.audit(ctx, tx, "reject", "link", strconv.FormatInt(id, 10), c.PersonA+" "+c.PersonB)
	})
}

// Unmerge dissolves an identity: its records stand alone again, exactly
// as they were, since a merge never changed them. Every pair merged into
// it becomes unmerged and is labelled a non-match — the reviewer has
// judged the merge wrong — and pairs it had implied return to pending. The
// identity itself is kept, dissolved, for the record.
func (db *DB) Unmerge(ctx context.Context, identityID int64) error {
	if err := db.mustKeys(); err != nil {
		return err
	}
	return db.tx(ctx, func(tx *sql.Tx) error {
		var dissolved int64
		err := tx.QueryRowContext(ctx, db.q(`SELECT dissolved FROM identities WHERE id = ?`+db.d.ForUpdate), identityID).Scan(&dissolved)
		if errors.Is(err, sql.ErrNoRows) {
			return tumen.Errorf(tumen.KindNotFound, "no identity %d", identityID)
		}
		if err != nil {
			return db.translate(err, "", "")
		}
		if dissolved != 0 {
			return tumen.Errorf(tumen.KindConflict, "identity %d is already dissolved", identityID)
		}
		now := ms(db.Now().UTC())
		rows, err := tx.QueryContext(ctx, db.q(`SELECT id, person_a, person_b FROM link_candidates WHERE identity_id = ? AND status = 'merged' ORDER BY id`), identityID)
		if err != nil {
			return db.translate(err, "", "")
		}
		type pair struct {
			id   int64
			a, b string
		}
		var merged []pair
		for rows.Next() {
			var p pair
			if err := rows.Scan(&p.id, &p.a, &p.b); err != nil {
				rows.Close()
				return db.translate(err, "", "")
			}
			merged = append(merged, p)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return db.translate(err, "", "")
		}
		for _, p := range merged {
			if err := db.label(ctx, tx, p.a, p.b, false, p.id, now); err != nil {
				return err
			}
		}
		members, err := countTx(ctx, tx, db.q(`SELECT COUNT(*) FROM identity_members WHERE identity_id = ?`), identityID)
		if err != nil {
			return err
		}
		for _, s := range []struct {
			q    string
			args []any
		}{
			{`UPDATE link_candidates SET status = 'unmerged', identity_id = 0, updated = ? WHERE identity_id = ? AND status = 'merged'`, []any{now, identityID}},
			{`UPDATE link_candidates SET status = 'pending', identity_id = 0, updated = ? WHERE identity_id = ? AND status = 'implied'`, []any{now, identityID}},
			{`DELETE FROM identity_members WHERE identity_id = ?`, []any{identityID}},
			{`UPDATE identities SET dissolved = ?, dissolved_by = ? WHERE id = ?`, []any{now, tumen.Actor(ctx), identityID}},
		} {
			if _, err := tx.ExecContext(ctx, db.q(s.q), s.args...); err != nil {
				return db.translate(err, "", "")
			}
		}
		return db.audit(ctx, tx, "unmerge", "identity", strconv.FormatInt(identityID, 10),
			fmt.Sprintf("%d records separated, %d merge decisions undone", members, len(merged)))
	})
}

// Identity returns an identity with its members.
func (db *DB) Identity(ctx context.Context, id int64) (*tumen.Identity, error) {
	i := &tumen.Identity{ID: id}
	var created, dissolved int64
	err := db.db.QueryRowContext(ctx, db.q(`SELECT created, created_by, dissolved, dissolved_by, merged_into FROM identities WHERE id = ?`), id).
		Scan(&created, &i.CreatedBy, &dissolved, &i.DissolvedBy, &i.MergedInto)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, tumen.Errorf(tumen.KindNotFound, "no identity %d", id)
	}
	if err != nil {
		return nil, db.translate(err, "", "")
	}
	i.Created, i.Dissolved = fromMS(created), fromMS(dissolved)
	rows, err := db.db.QueryContext(ctx, db.q(`SELECT person_id FROM identity_members WHERE identity_id = ? ORDER BY person_id`), id)
	if err != nil {
		return nil, db.translate(err, "", "")
	}
	defer rows.Close()
	for rows.Next() {
		var p string
		if err := rows.Scan(&p); err != nil {
			return nil, db.translate(err, "", "")
		}
		i.Members = append(i.Members, p)
	}
	return i, db.translate(rows.Err(), "", "")
}

// IdentityOf returns the identity a person belongs to; not found when the
// person stands alone.
func (db *DB) IdentityOf(ctx context.Context, personID string) (*tumen.Identity, error) {
	var id int64
	err := db.db.QueryRowContext(ctx, db.q(`SELECT identity_id FROM identity_members WHERE person_id = ?`), personID).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, tumen.Errorf(tumen.KindNotFound, "person %q belongs to no identity", personID)
	}
	if err != nil {
		return nil, db.translate(err, "", "")
	}
	return db.Identity(ctx, id)
}

// LinkLabels returns the reviewers' decisions for the linkage engine: the
// newest label of each pair, in pair order.
func (db *DB) LinkLabels(ctx context.Context) ([]*tumen.LinkLabel, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT person_a, person_b, is_match, candidate_id, at, actor FROM link_labels ORDER BY seq`)
	if err != nil {
		return nil, db.translate(err, "", "")
	}
	defer rows.Close()
	latest := map[[2]string]*tumen.LinkLabel{}
	for rows.Next() {
		l := &tumen.LinkLabel{}
		var m int
		var at int64
		if err := rows.Scan(&l.PersonA, &l.PersonB, &m, &l.CandidateID, &at, &l.By); err != nil {
			return nil, db.translate(err, "", "")
		}
		l.Match, l.At = m == 1, fromMS(at)
		latest[[2]string{l.PersonA, l.PersonB}] = l
	}
	if err := rows.Err(); err != nil {
		return nil, db.translate(err, "", "")
	}
	out := make([]*tumen.LinkLabel, 0, len(latest))
	for _, l := range latest {
		out = append(out, l)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].PersonA != out[j].PersonA {
			return out[i].PersonA < out[j].PersonA
		}
		return out[i].PersonB < out[j].PersonB
	})
	return out, nil
}
