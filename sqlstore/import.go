package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"iter"
	"runtime"
	"sort"
	"strconv"
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
	insCustody
	insRiskFact
	insWatchDate
	insBorderState
	insRubric
	insAssessment
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
	insCustody:      `INSERT INTO custody_changes (` + custodyCols + `, date_lo, date_hi) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
	insRiskFact:     `INSERT INTO risk_facts (` + riskFactCols + `) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
	insWatchDate:    `INSERT INTO watch_dates (` + watchDateCols + `) VALUES (?, ?, ?, ?, ?)`,
	insBorderState:  `INSERT INTO border_states (` + borderCols + `) VALUES (?, ?, ?, ?, ?, ?)`,
	insRubric:       `INSERT INTO risk_rubrics (` + rubricCols + `) VALUES (?, ?, ?, ?, ?)`,
	insAssessment:   `INSERT INTO assessments (` + assessmentCols + `) VALUES (?, ?, ?, ?, ?, ?)`,
}

var insertKind = [insCount]string{"term", "place", "organisation", "person", "", "event", "act", "source", "", "consent", "intervention", "attachment",
	"custody change", "risk fact", "watch date", "border state", "rubric version", "assessment"}

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
	case *tumen.CustodyChange:
		if err := validateCustodyChange(v); err != nil {
			return rows, named("custody change", v.ID, err)
		}
		setTimes(&v.Created, now)
		return append(rows, row{insCustody, db.encodeCustodyChange(v)}), nil
	case *tumen.RiskFact:
		if err := validateRiskFact(v); err != nil {
			return rows, named("risk fact", v.ID, err)
		}
		setTimes(&v.Created, now)
		return append(rows, row{insRiskFact, db.encodeRiskFact(v)}), nil
	case *tumen.WatchDate:
		if err := validateWatchDate(v); err != nil {
			return rows, err
		}
		setTimes(&v.Created, now)
		return append(rows, row{insWatchDate, encodeWatchDate(v)}), nil
	case *tumen.BorderState:
		// A border state has no id: the writer numbers the states after
		// those already stored, in the order they come.
		setTimes(&v.Created, now)
		return append(rows, row{insBorderState, encodeBorderState(v, 0)}), nil
	case *tumen.RubricVersion:
		// Assessments and scores cite rubric versions by number, so the
		// numbers are kept rather than assigned afresh.
		if v.Version < 1 {
			return rows, tumen.Errorf(tumen.KindInvalid, "a rubric version needs a version number from 1 up")
		}
		if len(v.Body) == 0 {
			return rows, tumen.Errorf(tumen.KindInvalid, "rubric version %d needs a body", v.Version)
		}
		setTimes(&v.Created, now)
		return append(rows, row{insRubric, encodeRubric(v, v.Version)}), nil
	case *tumen.Assessment:
		if err := validateAssessment(v); err != nil {
			return rows, named("assessment", v.ID, err)
		}
		setTimes(&v.Created, now)
		return append(rows, row{insAssessment, db.encodeAssessment(v)}), nil
	}
	return rows, tumen.Errorf(tumen.KindInvalid, "cannot import a %T", r)
}

// Import writes every record in one transaction: all of them or nothing.
// Sealing runs on every core while one goroutine writes, in order. Records
// keep their ids, times and who recorded them; rubric versions keep their
// numbers, and border states, which have no id, are added after those
// already stored, in the order they come, so the last is in force.
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
	w := &bulkWriter{db: db, tx: tx, counts: map[string]int{}, borderSeq: -1}
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
	if err := db.checkReferences(ctx, tx, counts); err != nil {
		return err
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

// named prefixes a validation error with the record it concerns, unless its
// message already names it: a custody change's unknown status, or a bad
// person id, would otherwise not say which record of an import is wrong.
func named(kind, id string, err error) error {
	msg := tumen.ErrorMessage(err)
	if id == "" || strings.Contains(msg, strconv.Quote(id)) {
		return err
	}
	return &tumen.Error{Kind: tumen.ErrorKind(err), Message: fmt.Sprintf("%s %q: %s", kind, id, msg), Err: err}
}

// danglingSQL finds a record, of a kind an import wrote, that refers to a
// record that does not exist: the urgent-response records are checked as
// their Add methods check them, so that the error names the record rather
// than failing at commit on a foreign key. A custody change's source has no
// foreign key at all.
var danglingSQL = []struct {
	kind, target, query string
}{
	{"custody change", "person", `SELECT c.id, c.person_id FROM custody_changes c WHERE NOT EXISTS (SELECT 1 FROM persons p WHERE p.id = c.person_id) ORDER BY c.id LIMIT 1`},
	{"custody change", "source", `SELECT c.id, c.source_id FROM custody_changes c WHERE c.source_id <> '' AND NOT EXISTS (SELECT 1 FROM sources s WHERE s.id = c.source_id) ORDER BY c.id LIMIT 1`},
	{"risk fact", "person", `SELECT f.id, f.person_id FROM risk_facts f WHERE NOT EXISTS (SELECT 1 FROM persons p WHERE p.id = f.person_id) ORDER BY f.id LIMIT 1`},
	{"assessment", "person", `SELECT a.id, a.person_id FROM assessments a WHERE NOT EXISTS (SELECT 1 FROM persons p WHERE p.id = a.person_id) ORDER BY a.id LIMIT 1`},
}

// checkReferences fails with KindInvalid, naming the record, when an
// import left a record referring to a missing one.
func (db *DB) checkReferences(ctx context.Context, tx *sql.Tx, counts map[string]int) error {
	for _, d := range danglingSQL {
		if counts[d.kind] == 0 {
			continue
		}
		var id, target string
		err := tx.QueryRowContext(ctx, db.q(d.query)).Scan(&id, &target)
		if errors.Is(err, sql.ErrNoRows) {
			continue
		}
		if err != nil {
			return db.translate(err, "", "")
		}
		return tumen.Errorf(tumen.KindInvalid, "%s %q refers to %s %q, which does not exist", d.kind, id, d.target, target)
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
	// borderSeq is the number of the last border state written; -1 until
	// read from the store.
	borderSeq int64
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
		if r.stmt == insBorderState {
			if w.borderSeq < 0 {
				seq, err := w.db.lastBorderSeq(context.Background(), w.tx)
				if err != nil {
					return err
				}
				w.borderSeq = seq
			}
			w.borderSeq++
			r.args[0] = w.borderSeq
		}
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
	switch kind {
	case insTerm:
		return fmt.Sprint(r.args[0], "/", r.args[1])
	case insBorderState, insRubric:
		return fmt.Sprint(r.args[0]) // seq or version number
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
	insCustody:    `SELECT 1 FROM custody_changes WHERE id = ?`, insRiskFact: `SELECT 1 FROM risk_facts WHERE id = ?`,
	insWatchDate: `SELECT 1 FROM watch_dates WHERE id = ?`, insBorderState: `SELECT 1 FROM border_states WHERE seq = ?`,
	insRubric: `SELECT 1 FROM risk_rubrics WHERE version = ?`, insAssessment: `SELECT 1 FROM assessments WHERE id = ?`,
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
	counts := map[string]int{}
	return db.tx(ctx, func(tx *sql.Tx) error {
		for _, r := range rows {
			counts[insertKind[r.stmt]]++
			if r.stmt == insBorderState {
				seq, err := db.lastBorderSeq(ctx, tx)
				if err != nil {
					return err
				}
				r.args[0] = seq + 1
			}
			if _, err := tx.ExecContext(ctx, db.q(insertSQL[r.stmt]), r.args...); err != nil {
				return db.translate(err, insertKind[r.stmt], rowID(r.stmt, r))
			}
			if k := insertKind[r.stmt]; k != "" {
				if err := db.audit(ctx, tx, "create", k, rowID(r.stmt, r), ""); err != nil {
					return err
				}
			}
		}
		return db.checkReferences(ctx, tx, counts)
	})
}
