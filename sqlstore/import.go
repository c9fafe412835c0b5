package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"iter"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"

	"tumen"
)

// The insert statements an import uses, by table.
const (
	insTerm = iota
	insPlace
	insOrganisation
	insPerson
	insNameIndex
	insEvent
	insAct
	insSource
	insSourceLink
	insConsent
	insIntervention
	insAttachment
	insCount
)

var insertSQL = [insCount]string{
	insTerm:         `INSERT INTO terms (vocab, code, label_en, label_ko, extra) VALUES (?, ?, ?, ?, ?)`,
	insPlace:        `INSERT INTO places (id, parent_id, country, data) VALUES (?, ?, ?, ?)`,
	insOrganisation: `INSERT INTO organisations (id, parent_id, data) VALUES (?, ?, ?)`,
	insPerson:       `INSERT INTO persons (` + personCols + `) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
	insNameIndex:    `INSERT INTO name_index (key, person_id) VALUES (?, ?)`,
	insEvent:        `INSERT INTO events (` + eventCols + `) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
	insAct:          `INSERT INTO acts (` + actCols + `) VALUES (?, ?, ?, ?, ?, ?, ?)`,
	insSource:       `INSERT INTO sources (` + sourceCols + `) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
	insSourceLink:   `INSERT INTO source_links (kind, target_id, source_id) VALUES (?, ?, ?)`,
	insConsent:      `INSERT INTO consents (` + consentCols + `) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
	insIntervention: `INSERT INTO interventions (` + interventionCols + `) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
	insAttachment:   `INSERT INTO attachments (` + attachmentCols + `) VALUES (?, ?, ?, ?, ?, ?)`,
}

var insertKind = [insCount]string{"term", "place", "organisation", "person", "", "event", "act", "source", "", "consent", "intervention", "attachment"}

// row is one INSERT of an import.
type row struct {
	stmt int
	args []any
}

// batch is a run of records encoded by a worker, written in order.
type batch struct {
	records []any
	rows    []row
	err     error
	done    chan struct{}
}

const batchSize = 256

// encode validates and seals one record into rows.
func (db *DB) encode(r any, now time.Time, rows []row) ([]row, error) {
	switch v := r.(type) {
	case *tumen.Term:
		args, err := encodeTerm(v)
		return append(rows, row{insTerm, args}), err
	case *tumen.Place:
		args, err := encodePlace(v)
		return append(rows, row{insPlace, args}), err
	case *tumen.Organisation:
		args, err := encodeOrganisation(v)
		return append(rows, row{insOrganisation, args}), err
	case *tumen.Person:
		if err := validatePerson(v); err != nil {
			return rows, err
		}
		setTimes(&v.Created, now)
		setTimes(&v.Updated, now)
		pr := db.encodePerson(v)
		rows = append(rows, row{insPerson, pr.args})
		for _, k := range pr.keys {
			rows = append(rows, row{insNameIndex, []any{k, v.ID}})
		}
		return rows, nil
	case *tumen.Event:
		if err := validateEvent(v); err != nil {
			return rows, err
		}
		setTimes(&v.Created, now)
		return append(rows, row{insEvent, db.encodeEvent(v)}), nil
	case *tumen.Act:
		if err := validateAct(v); err != nil {
			return rows, err
		}
		setTimes(&v.Created, now)
		return append(rows, row{insAct, db.encodeAct(v)}), nil
	case *tumen.Source:
		if err := validateSource(v); err != nil {
			return rows, err
		}
		setTimes(&v.Created, now)
		sr := db.encodeSource(v)
		rows = append(rows, row{insSource, sr.args})
		for _, l := range sr.links {
			rows = append(rows, row{insSourceLink, []any{l[0], l[1], l[2]}})
		}
		return rows, nil
	case *tumen.Consent:
		if err := validateConsent(v); err != nil {
			return rows, err
		}
		return append(rows, row{insConsent, db.encodeConsent(v)}), nil
	case *tumen.Intervention:
		if err := validateIntervention(v); err != nil {
			return rows, err
		}
		setTimes(&v.Created, now)
		return append(rows, row{insIntervention, db.encodeIntervention(v)}), nil
	case *tumen.Attachment:
		if err := validateAttachment(v); err != nil {
			return rows, err
		}
		setTimes(&v.Created, now)
		args, err := db.encodeAttachment(v)
		return append(rows, row{insAttachment, args}), err
	}
	return rows, tumen.Errorf(tumen.KindInvalid, "cannot import a %T", r)
}

// Import writes every record in one transaction: all of them or nothing.
// Sealing runs on every core while one goroutine writes, in order.
func (db *DB) Import(ctx context.Context, records iter.Seq2[any, error], progress func(done int)) (err error) {
	if err := db.mustKeys(); err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	now := db.Now().UTC()

	work := make(chan *batch, 8)
	ordered := make(chan *batch, 16)
	var readErr error
	go func() {
		defer close(work)
		defer close(ordered)
		b := &batch{done: make(chan struct{})}
		send := func() bool {
			select {
			case work <- b:
			case <-ctx.Done():
				return false
			}
			select {
			case ordered <- b:
			case <-ctx.Done():
				return false
			}
			b = &batch{done: make(chan struct{})}
			return true
		}
		for r, err := range records {
			if err != nil {
				readErr = err
				return
			}
			b.records = append(b.records, r)
			if len(b.records) == batchSize && !send() {
				return
			}
		}
		if len(b.records) > 0 {
			send()
		}
	}()
	var wg sync.WaitGroup
	for range max(1, runtime.GOMAXPROCS(0)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for b := range work {
				for _, r := range b.records {
					if b.rows, b.err = db.encode(r, now, b.rows); b.err != nil {
						break
					}
				}
				close(b.done)
			}
		}()
	}
	defer func() {
		cancel()
		for b := range ordered {
			_ = b
		}
		wg.Wait()
	}()

	tx, err := db.db.BeginTx(ctx, nil)
	if err != nil {
		return tumen.Wrap(err, "cannot begin a transaction")
	}
	defer func() {
		if err != nil {
			_ = tx.Rollback()
		}
	}()
	w := &bulkWriter{db: db, tx: tx, counts: map[string]int{}}
	defer w.close()
	done := 0
	for b := range ordered {
		<-b.done
		if b.err != nil {
			return b.err
		}
		if err := ctx.Err(); err != nil {
			return tumen.Wrap(err, "import cancelled")
		}
		if err := w.write(b.rows); err != nil {
			return err
		}
		done += len(b.records)
		if progress != nil {
			progress(done)
		}
	}
	counts := w.counts
	if readErr != nil {
		return readErr
	}
	if err := ctx.Err(); err != nil {
		return tumen.Wrap(err, "import cancelled")
	}
	var parts []string
	for k, n := range counts {
		parts = append(parts, fmt.Sprintf("%d %ss", n, k))
	}
	sort.Strings(parts)
	if err := db.audit(ctx, tx, "import", "store", "", strings.Join(parts, ", ")); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return db.translate(err, "", "")
	}
	return nil
}

func setTimes(t *time.Time, now time.Time) {
	if t.IsZero() {
		*t = now
	}
}

// bulkRows is how many rows one multi-row INSERT carries: enough to spread
// the per-statement cost of database/sql and the driver, few enough to stay
// under every engine's limit on bind arguments.
const bulkRows = 32

// bulkWriter writes an import's rows with prepared multi-row INSERTs.
type bulkWriter struct {
	db     *DB
	tx     *sql.Tx
	single [insCount]*sql.Stmt
	multi  [insCount]*sql.Stmt
	args   []any
	counts map[string]int
}

func (w *bulkWriter) close() {
	for i := range w.single {
		if w.single[i] != nil {
			w.single[i].Close()
		}
		if w.multi[i] != nil {
			w.multi[i].Close()
		}
	}
}

// multiSQL repeats an INSERT's VALUES tuple n times.
func multiSQL(q string, n int) string {
	i := strings.Index(q, "VALUES ")
	tuple := q[i+len("VALUES "):]
	return q[:i+len("VALUES ")] + tuple + strings.Repeat(", "+tuple, n-1)
}

func (w *bulkWriter) stmt(kind int, n int) (*sql.Stmt, error) {
	slot := &w.single[kind]
	q := insertSQL[kind]
	if n > 1 {
		slot = &w.multi[kind]
		q = multiSQL(q, n)
	}
	if w.db.d.BulkInsert != "" {
		q = w.db.d.BulkInsert + strings.TrimPrefix(q, "INSERT")
	}
	if *slot == nil {
		// Statements run with a background context: the driver would start
		// a goroutine per statement to watch a cancellable one, and the
		// import checks for cancellation between batches instead.
		st, err := w.tx.PrepareContext(context.Background(), w.db.q(q))
		if err != nil {
			return nil, tumen.Wrap(err, "cannot prepare the import")
		}
		*slot = st
	}
	return *slot, nil
}

// write inserts a batch's rows, grouped by table; foreign keys are
// deferred, so the order between tables does not matter before commit.
func (w *bulkWriter) write(rows []row) error {
	var byKind [insCount][]row
	for _, r := range rows {
		byKind[r.stmt] = append(byKind[r.stmt], r)
	}
	for kind, rs := range byKind {
		for len(rs) > 0 {
			n := 1
			if len(rs) >= bulkRows {
				n = bulkRows
			}
			st, err := w.stmt(kind, n)
			if err != nil {
				return err
			}
			w.args = w.args[:0]
			for _, r := range rs[:n] {
				w.args = append(w.args, r.args...)
			}
			if _, err := st.ExecContext(context.Background(), w.args...); err != nil {
				return w.explain(kind, rs[:n], err)
			}
			if k := insertKind[kind]; k != "" {
				w.counts[k] += n
			}
			rs = rs[n:]
		}
	}
	return nil
}

// explain finds which row of a failed multi-row INSERT caused the error,
// so the message can name its id.
func (w *bulkWriter) explain(kind int, rs []row, err error) error {
	id := ""
	if len(rs) == 1 {
		id = rowID(kind, rs[0])
	} else if w.db.d.IsUnique(err) {
		seen := map[string]bool{}
		for _, r := range rs {
			k := rowID(kind, r)
			if seen[k] || w.exists(kind, r) {
				id = k
				break
			}
			seen[k] = true
		}
	}
	return w.db.translate(err, insertKind[kind], id)
}

func rowID(kind int, r row) string {
	if kind == insTerm {
		return fmt.Sprint(r.args[0], "/", r.args[1])
	}
	s, _ := r.args[0].(string)
	return s
}

var existsSQL = [insCount]string{
	insTerm: `SELECT 1 FROM terms WHERE vocab = ? AND code = ?`, insPlace: `SELECT 1 FROM places WHERE id = ?`,
	insOrganisation: `SELECT 1 FROM organisations WHERE id = ?`, insPerson: `SELECT 1 FROM persons WHERE id = ?`,
	insEvent: `SELECT 1 FROM events WHERE id = ?`, insAct: `SELECT 1 FROM acts WHERE id = ?`, insSource: `SELECT 1 FROM sources WHERE id = ?`,
	insConsent: `SELECT 1 FROM consents WHERE id = ?`, insIntervention: `SELECT 1 FROM interventions WHERE id = ?`,
	insAttachment: `SELECT 1 FROM attachments WHERE id = ?`,
}

// exists reports whether the row's id is already stored. Where a failed
// statement aborts the transaction (PostgreSQL) this asks outside it, and
// sees only committed rows.
func (w *bulkWriter) exists(kind int, r row) bool {
	q := existsSQL[kind]
	if q == "" {
		return false
	}
	args := r.args[:1]
	if kind == insTerm {
		args = r.args[:2]
	}
	var one int
	if w.db.d.TxAbortsOnError {
		return w.db.db.QueryRowContext(context.Background(), w.db.q(q), args...).Scan(&one) == nil
	}
	return w.tx.QueryRowContext(context.Background(), w.db.q(q), args...).Scan(&one) == nil
}

// CreateRecords writes records, as an import does, in one transaction,
// with an audit entry for each: the web entry screen records a victim, an
// event, acts and a source together, all or nothing.
func (db *DB) CreateRecords(ctx context.Context, records []any) error {
	if err := db.mustKeys(); err != nil {
		return err
	}
	now := db.Now().UTC()
	var rows []row
	for _, r := range records {
		var err error
		if rows, err = db.encode(r, now, rows); err != nil {
			return err
		}
	}
	return db.tx(ctx, func(tx *sql.Tx) error {
		for _, r := range rows {
			if _, err := tx.ExecContext(ctx, db.q(insertSQL[r.stmt]), r.args...); err != nil {
				return db.translate(err, insertKind[r.stmt], rowID(r.stmt, r))
			}
			if k := insertKind[r.stmt]; k != "" {
				if err := db.audit(ctx, tx, "create", k, rowID(r.stmt, r), ""); err != nil {
					return err
				}
			}
		}
		return nil
	})
}
