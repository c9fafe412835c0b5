package sqlstore

import (
	"context"
	"database/sql"
	"encoding/hex"
	"strconv"
	"strings"
	"sync"

	"tumen"
)

// canonical is the byte string an audit entry's MAC covers.
func canonical(e *tumen.AuditEntry) []byte {
	var b strings.Builder
	for i, f := range []string{strconv.FormatInt(e.Seq, 10), strconv.FormatInt(e.At.UnixMilli(), 10), e.Actor, e.Action, e.Kind, e.Target, e.Detail} {
		if i > 0 {
			b.WriteByte(0)
		}
		b.WriteString(f)
	}
	return []byte(b.String())
}

// Audit appends an entry to the audit log in its own transaction.
func (db *DB) Audit(ctx context.Context, action, kind, target, detail string) error {
	if err := db.mustKeys(); err != nil {
		return err
	}
	return db.tx(ctx, func(tx *sql.Tx) error { return db.audit(ctx, tx, action, kind, target, detail) })
}

// audit appends an entry inside tx. Locking the head row serialises
// appenders, so the chain never forks. detail must never hold personal data.
func (db *DB) audit(ctx context.Context, tx *sql.Tx, action, kind, target, detail string) error {
	return db.appendAudit(ctx, tx, tumen.Actor(ctx), action, kind, target, detail)
}

func (db *DB) appendAudit(ctx context.Context, tx *sql.Tx, actor, action, kind, target, detail string) error {
	return db.appendAudits(ctx, tx, []*auditRequest{{actor: actor, action: action, kind: kind, target: target, detail: detail}})
}

// appendAudits appends entries in order inside tx, reading and moving the
// head once for the whole batch.
func (db *DB) appendAudits(ctx context.Context, tx *sql.Tx, reqs []*auditRequest) error {
	if db.keys == nil {
		return tumen.Errorf(tumen.KindUnauthorized, "the store is locked")
	}
	var seq int64
	var prev string
	if err := tx.QueryRowContext(ctx, `SELECT seq, hash FROM audit_head WHERE id = 1`+db.d.ForUpdate).Scan(&seq, &prev); err != nil {
		return tumen.Wrap(err, "cannot read the audit head")
	}
	ins, err := tx.PrepareContext(ctx, db.q(`INSERT INTO audit (seq, at, actor, action, kind, target, detail, prev, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`))
	if err != nil {
		return tumen.Wrap(err, "cannot append to the audit log")
	}
	defer ins.Close()
	at := db.Now().UTC()
	for _, r := range reqs {
		e := &tumen.AuditEntry{Seq: seq + 1, At: at, Actor: r.actor, Action: r.action, Kind: r.kind, Target: r.target, Detail: r.detail, Prev: prev}
		pb, _ := hex.DecodeString(prev)
		e.Hash = hex.EncodeToString(db.keys.AuditMAC(pb, canonical(e)))
		if _, err := ins.ExecContext(ctx, e.Seq, e.At.UnixMilli(), e.Actor, e.Action, e.Kind, e.Target, e.Detail, e.Prev, e.Hash); err != nil {
			return tumen.Wrap(err, "cannot append to the audit log")
		}
		seq, prev = e.Seq, e.Hash
	}
	if _, err := tx.ExecContext(ctx, db.q(`UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1`), seq, prev); err != nil {
		return tumen.Wrap(err, "cannot append to the audit log")
	}
	return nil
}

// auditRequest is a read waiting for its audit entry to be committed.
type auditRequest struct {
	actor, action, kind, target, detail string
	done                                chan error
}

// auditQueue groups the audit entries of concurrent reads into one
// transaction, so a busy server pays one commit for many reads (group
// commit). Each read still returns only after its entry is durable.
type auditQueue struct {
	mu      sync.Mutex
	pending []*auditRequest
	running bool
}

// auditRead appends an audit entry for a read and waits until it is
// committed, sharing the commit with other reads that arrive meanwhile.
func (db *DB) auditRead(ctx context.Context, action, kind, target, detail string) error {
	if err := db.mustKeys(); err != nil {
		return err
	}
	req := &auditRequest{tumen.Actor(ctx), action, kind, target, detail, make(chan error, 1)}
	db.aq.mu.Lock()
	db.aq.pending = append(db.aq.pending, req)
	if !db.aq.running {
		db.aq.running = true
		go db.flushAudit()
	}
	db.aq.mu.Unlock()
	select {
	case err := <-req.done:
		return err
	case <-ctx.Done():
		return tumen.Wrap(ctx.Err(), "cancelled")
	}
}

func (db *DB) flushAudit() {
	for {
		db.aq.mu.Lock()
		batch := db.aq.pending
		db.aq.pending = nil
		if len(batch) == 0 {
			db.aq.running = false
			db.aq.mu.Unlock()
			return
		}
		db.aq.mu.Unlock()
		ctx := context.Background()
		err := db.tx(ctx, func(tx *sql.Tx) error { return db.appendAudits(ctx, tx, batch) })
		for _, r := range batch {
			r.done <- err
		}
	}
}

// AuditLog returns up to limit entries after afterSeq, oldest first.
func (db *DB) AuditLog(ctx context.Context, afterSeq int64, limit int) ([]*tumen.AuditEntry, error) {
	if limit <= 0 {
		limit = 100
	}
	rows, err := db.query(ctx, `SELECT seq, at, actor, action, kind, target, detail, prev, hash FROM audit WHERE seq > ? ORDER BY seq LIMIT ?`, afterSeq, limit)
	return scanAudit(rows, err)
}

// AuditHead returns the sequence number of the last audit entry, 0 for
// an empty log. Every write to the store appends an entry in its own
// transaction, so a reader that saw the head has seen every write up to it.
func (db *DB) AuditHead(ctx context.Context) (int64, error) {
	var seq int64
	if err := db.db.QueryRowContext(ctx, `SELECT seq FROM audit_head WHERE id = 1`).Scan(&seq); err != nil {
		return 0, db.translate(err, "", "")
	}
	return seq, nil
}

// VerifyAudit checks the whole chain: every entry's MAC, its link to the
// one before, consecutive numbering, and the head. It returns the sequence
// number of the first bad entry, or 0 when the log is intact.
func (db *DB) VerifyAudit(ctx context.Context) (bad int64, n int64, err error) {
	if err := db.mustKeys(); err != nil {
		return 0, 0, err
	}
	prev := ""
	var last int64
	for {
		es, err := db.AuditLog(ctx, last, 1000)
		if err != nil {
			return 0, n, err
		}
		for _, e := range es {
			pb, _ := hex.DecodeString(prev)
			want := hex.EncodeToString(db.keys.AuditMAC(pb, canonical(e)))
			if e.Seq != last+1 || e.Prev != prev || e.Hash != want {
				return last + 1, n, nil
			}
			prev, last = e.Hash, e.Seq
			n++
		}
		if len(es) < 1000 {
			break
		}
	}
	var hseq int64
	var hhash string
	if err := db.db.QueryRowContext(ctx, `SELECT seq, hash FROM audit_head WHERE id = 1`).Scan(&hseq, &hhash); err != nil {
		return 0, n, tumen.Wrap(err, "cannot read the audit head")
	}
	if hseq != last || hhash != prev {
		// Entries after the last good one were removed, or the head edited.
		return last + 1, n, nil
	}
	return 0, n, nil
}

// AuditFilter selects audit entries. Zero fields do not filter.
type AuditFilter struct {
	Actor, Action, Kind, Target string
	BeforeSeq                   int64 // entries older than this (paging back)
	Limit                       int
}

// SearchAudit returns the newest entries matching f, newest first.
func (db *DB) SearchAudit(ctx context.Context, f AuditFilter) ([]*tumen.AuditEntry, error) {
	var conds []string
	var args []any
	for _, c := range []struct{ col, v string }{{"actor", f.Actor}, {"action", f.Action}, {"kind", f.Kind}, {"target", f.Target}} {
		if c.v != "" {
			conds = append(conds, c.col+" = ?")
			args = append(args, c.v)
		}
	}
	if f.BeforeSeq > 0 {
		conds = append(conds, "seq < ?")
		args = append(args, f.BeforeSeq)
	}
	where := ""
	if len(conds) > 0 {
		where = " WHERE " + strings.Join(conds, " AND ")
	}
	limit := f.Limit
	if limit <= 0 || limit > 1000 {
		limit = 100
	}
	args = append(args, limit)
	rows, err := db.query(ctx, `SELECT seq, at, actor, action, kind, target, detail, prev, hash FROM audit`+where+` ORDER BY seq DESC LIMIT ?`, args...)
	return scanAudit(rows, err)
}

// scanAudit reads the rows of a query for audit entries.
func scanAudit(rows *sql.Rows, err error) ([]*tumen.AuditEntry, error) {
	if err != nil {
		return nil, tumen.Wrap(err, "cannot read the audit log")
	}
	defer rows.Close()
	var out []*tumen.AuditEntry
	for rows.Next() {
		e := &tumen.AuditEntry{}
		var at int64
		if err := rows.Scan(&e.Seq, &at, &e.Actor, &e.Action, &e.Kind, &e.Target, &e.Detail, &e.Prev, &e.Hash); err != nil {
			return nil, err
		}
		e.At = fromMS(at)
		out = append(out, e)
	}
	return out, rows.Err()
}
