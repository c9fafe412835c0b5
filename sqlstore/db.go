// Package sqlstore implements tumen.Store over database/sql, once for both
// engines. The sqlite and postgres packages open the database and pass a
// Dialect: the differences between the engines are named there and nowhere
// else. Sensitive fields are sealed with the store's keyring before they
// reach SQL, and opened after they come back.
package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"tumen"
	"tumen/crypt"
)

// Dialect is what differs between the database engines.
type Dialect struct {
	Name string
	// Migrations holds the numbered schema files, NNNN_name.sql.
	Migrations fs.FS
	// Dollar is true when placeholders are $1, $2 … rather than ?.
	Dollar bool
	// IsUnique reports whether err is a unique or primary key violation.
	IsUnique func(error) bool
	// IsForeignKey reports whether err is a foreign key violation.
	IsForeignKey func(error) bool
	// ForUpdate is appended to a SELECT that must lock its row.
	ForUpdate string
	// MaxArgs is the most bind arguments one statement may take.
	MaxArgs int
	// BulkInsert is the verb of an import's multi-row INSERTs. SQLite's
	// INSERT OR FAIL needs no statement journal (the import rolls back the
	// whole transaction on any error anyway).
	BulkInsert string
	// TxAbortsOnError is true when a failed statement aborts the whole
	// transaction, so nothing more can be asked inside it.
	TxAbortsOnError bool
}

// DB is a tumen store over a SQL database. It starts locked: Init creates
// the key of a new store, Unlock opens an existing one.
type DB struct {
	db   *sql.DB
	d    Dialect
	keys *crypt.Keyring

	// Now returns the current time; tests replace it.
	Now func() time.Time
	// NameKeys returns the lookup keys of a name for the blind index. The
	// default lower-cases and drops spaces and punctuation; cmd/tumen sets a
	// Korean-aware one.
	NameKeys func(name string) []string

	rebound sync.Map // query → query with the dialect's placeholders
	aq      auditQueue
	stmts   sync.Map // query → *sql.Stmt
	nstmts  atomic.Int64
}

// New returns a locked store over db.
func New(db *sql.DB, d Dialect) *DB {
	return &DB{db: db, d: d, Now: time.Now, NameKeys: PlainNameKeys}
}

// SQL returns the underlying database, for tests and tools.
func (db *DB) SQL() *sql.DB { return db.db }

// Dialect returns the engine's dialect.
func (db *DB) Dialect() Dialect { return db.d }

// Close closes the database.
func (db *DB) Close() error { return db.db.Close() }

// q rewrites a query written with ? placeholders for the dialect.
func (db *DB) q(query string) string {
	if !db.d.Dollar {
		return query
	}
	if v, ok := db.rebound.Load(query); ok {
		return v.(string)
	}
	var b strings.Builder
	n := 0
	for i := 0; i < len(query); i++ {
		if query[i] == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(query[i])
	}
	db.rebound.Store(query, b.String())
	return b.String()
}

// migration is one numbered schema file.
type migration struct {
	version int
	name    string
	sql     string
}

func (db *DB) migrations() ([]migration, error) {
	files, err := fs.Glob(db.d.Migrations, "*.sql")
	if err != nil {
		return nil, err
	}
	var ms []migration
	for _, f := range files {
		base := path.Base(f)
		num, _, ok := strings.Cut(base, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil {
			return nil, fmt.Errorf("migration %s: name must start with a number", base)
		}
		b, err := fs.ReadFile(db.d.Migrations, f)
		if err != nil {
			return nil, err
		}
		ms = append(ms, migration{v, base, string(b)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].version < ms[j].version })
	return ms, nil
}

// Migrate brings the schema up to date. It refuses a database whose schema
// has migrations this program does not know: a newer program wrote it.
func (db *DB) Migrate(ctx context.Context) error {
	ms, err := db.migrations()
	if err != nil {
		return err
	}
	if _, err := db.db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied BIGINT NOT NULL)`); err != nil {
		return tumen.Wrap(err, "cannot create the schema table")
	}
	applied := map[int]string{}
	rows, err := db.db.QueryContext(ctx, `SELECT version, name FROM schema_migrations`)
	if err != nil {
		return tumen.Wrap(err, "cannot read the schema version")
	}
	for rows.Next() {
		var v int
		var n string
		if err := rows.Scan(&v, &n); err != nil {
			rows.Close()
			return err
		}
		applied[v] = n
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	known := map[int]string{}
	for _, m := range ms {
		known[m.version] = m.name
	}
	for v, n := range applied {
		if known[v] != n {
			return tumen.Errorf(tumen.KindConflict, "the database has schema migration %d (%s), which this version of tumen does not know; use the tumen that wrote it", v, n)
		}
	}
	for _, m := range ms {
		if _, ok := applied[m.version]; ok {
			continue
		}
		err := db.tx(ctx, func(tx *sql.Tx) error {
			if _, err := tx.ExecContext(ctx, m.sql); err != nil {
				return fmt.Errorf("migration %s: %w", m.name, err)
			}
			_, err := tx.ExecContext(ctx, db.q(`INSERT INTO schema_migrations (version, name, applied) VALUES (?, ?, ?)`),
				m.version, m.name, db.Now().UnixMilli())
			return err
		})
		if err != nil {
			return tumen.Wrap(err, "cannot migrate the schema")
		}
	}
	return nil
}

// SchemaVersion returns the newest applied migration.
func (db *DB) SchemaVersion(ctx context.Context) (int, error) {
	var v sql.NullInt64
	err := db.db.QueryRowContext(ctx, `SELECT MAX(version) FROM schema_migrations`).Scan(&v)
	return int(v.Int64), err
}

// Initialized reports whether the store has a key.
func (db *DB) Initialized(ctx context.Context) (bool, error) {
	var n int
	if err := db.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM keyring`).Scan(&n); err != nil {
		return false, tumen.Wrap(err, "cannot read the keyring")
	}
	return n > 0, nil
}

// Init creates the store's data key, wrapped under secrets. It fails on a
// store that already has one.
func (db *DB) Init(ctx context.Context, s crypt.Secrets, p crypt.Params) error {
	dk := crypt.NewDataKey()
	defer clear(dk)
	env, err := crypt.Wrap(dk, s, p)
	if err != nil {
		return tumen.Errorf(tumen.KindInvalid, "%s", err.Error())
	}
	b, err := env.Marshal()
	if err != nil {
		return err
	}
	keys, err := crypt.NewKeyring(dk)
	if err != nil {
		return err
	}
	err = db.tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, db.q(`INSERT INTO keyring (id, envelope) VALUES (1, ?)`), b)
		return err
	})
	if err != nil {
		if db.d.IsUnique(err) {
			return tumen.Errorf(tumen.KindConflict, "this store is already initialised")
		}
		return tumen.Wrap(err, "cannot save the key")
	}
	db.keys = keys
	return db.Audit(ctx, "init", "store", "", "store created")
}

func (db *DB) envelope(ctx context.Context) (*crypt.Envelope, error) {
	var b []byte
	err := db.db.QueryRowContext(ctx, `SELECT envelope FROM keyring WHERE id = 1`).Scan(&b)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, tumen.Errorf(tumen.KindNotFound, "no tumen store here: run tumen init first")
	}
	if err != nil {
		return nil, tumen.Wrap(err, "cannot read the keyring")
	}
	return crypt.UnmarshalEnvelope(b)
}

// Unlock unwraps the data key with secrets. A wrong passphrase or key file
// gets KindUnauthorized and the store stays locked.
func (db *DB) Unlock(ctx context.Context, s crypt.Secrets) error {
	env, err := db.envelope(ctx)
	if err != nil {
		return err
	}
	dk, err := env.Unwrap(s)
	if err != nil {
		return &tumen.Error{Kind: tumen.KindUnauthorized, Message: err.Error(), Err: err}
	}
	defer clear(dk)
	keys, err := crypt.NewKeyring(dk)
	if err != nil {
		return err
	}
	db.keys = keys
	return nil
}

// Needs reports which secrets the store needs to unlock.
func (db *DB) Needs(ctx context.Context) (passphrase, keyFile bool, err error) {
	env, err := db.envelope(ctx)
	if err != nil {
		return false, false, err
	}
	return env.Passphrase, env.KeyFile, nil
}

// Rekey re-wraps the data key under new secrets, after checking the old
// ones. The data is not re-encrypted: only the envelope changes.
func (db *DB) Rekey(ctx context.Context, old, new crypt.Secrets, p crypt.Params) error {
	env, err := db.envelope(ctx)
	if err != nil {
		return err
	}
	dk, err := env.Unwrap(old)
	if err != nil {
		return &tumen.Error{Kind: tumen.KindUnauthorized, Message: err.Error(), Err: err}
	}
	defer clear(dk)
	if db.keys == nil {
		if db.keys, err = crypt.NewKeyring(dk); err != nil {
			return err
		}
	}
	nenv, err := crypt.Wrap(dk, new, p)
	if err != nil {
		return tumen.Errorf(tumen.KindInvalid, "%s", err.Error())
	}
	b, err := nenv.Marshal()
	if err != nil {
		return err
	}
	return db.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, db.q(`UPDATE keyring SET envelope = ? WHERE id = 1`), b); err != nil {
			return err
		}
		return db.audit(ctx, tx, "rekey", "store", "", "data key re-wrapped")
	})
}

// Unlocked reports whether the store has its key.
func (db *DB) Unlocked() bool { return db.keys != nil }

// SealStream returns a writer that seals a large value for purpose under
// the store's key (see crypt.Keyring.SealStream): what the store keeps
// outside its tables, such as a saved search index.
func (db *DB) SealStream(w io.Writer, purpose string) (io.WriteCloser, error) {
	if err := db.mustKeys(); err != nil {
		return nil, err
	}
	return db.keys.SealStream(w, purpose)
}

// OpenStream opens a value sealed by SealStream for the same purpose.
func (db *DB) OpenStream(r io.Reader, purpose string) (io.ReadCloser, error) {
	if err := db.mustKeys(); err != nil {
		return nil, err
	}
	return db.keys.OpenStream(r, purpose)
}

func (db *DB) mustKeys() error {
	if db.keys == nil {
		return tumen.Errorf(tumen.KindUnauthorized, "the store is locked")
	}
	return nil
}

// tx runs fn in a transaction and commits it, or rolls it back when fn
// fails.
func (db *DB) tx(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := db.db.BeginTx(ctx, nil)
	if err != nil {
		return tumen.Wrap(err, "cannot begin a transaction")
	}
	if err := fn(tx); err != nil {
		_ = tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return db.translate(err, "", "")
	}
	return nil
}

// translate turns driver errors into tumen errors with safe messages.
func (db *DB) translate(err error, kind, id string) error {
	if err == nil {
		return nil
	}
	var te *tumen.Error
	if errors.As(err, &te) {
		return err
	}
	switch {
	case db.d.IsUnique(err):
		if kind != "" {
			return &tumen.Error{Kind: tumen.KindConflict, Message: fmt.Sprintf("a %s with id %q already exists", kind, id), Err: err}
		}
		return &tumen.Error{Kind: tumen.KindConflict, Message: "a record with the same id already exists", Err: err}
	case db.d.IsForeignKey(err):
		return &tumen.Error{Kind: tumen.KindInvalid, Message: "a record refers to a record that does not exist", Err: err}
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return &tumen.Error{Kind: tumen.KindInternal, Message: "cancelled", Err: err}
	}
	return tumen.Wrap(err, "database error")
}

func ms(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}

func fromMS(v int64) time.Time {
	if v == 0 {
		return time.Time{}
	}
	return time.UnixMilli(v).UTC()
}

// PlainNameKeys is the default blind-index key of a name: lower case, with
// spaces, hyphens, apostrophes and dots removed.
func PlainNameKeys(name string) []string {
	var b strings.Builder
	for _, r := range strings.ToLower(name) {
		switch r {
		case ' ', '-', '\'', '’', '.', ',', '\t', '·':
			continue
		}
		b.WriteRune(r)
	}
	if b.Len() == 0 {
		return nil
	}
	return []string{b.String()}
}

// maxStmts bounds the statement cache; queries are built from a small set
// of shapes, so it is never reached in practice.
const maxStmts = 512

// stmt returns a prepared statement for query, preparing it once: SQLite
// parses a query each time it is not prepared, which is most of the cost
// of a small read.
func (db *DB) stmt(ctx context.Context, query string) (*sql.Stmt, error) {
	if st, ok := db.stmts.Load(query); ok {
		return st.(*sql.Stmt), nil
	}
	st, err := db.db.PrepareContext(ctx, db.q(query))
	if err != nil {
		return nil, err
	}
	if db.nstmts.Add(1) > maxStmts {
		return st, nil // the caller closes nothing: it is garbage collected
	}
	if prev, loaded := db.stmts.LoadOrStore(query, st); loaded {
		st.Close()
		return prev.(*sql.Stmt), nil
	}
	return st, nil
}

// query runs a cached prepared query.
func (db *DB) query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	st, err := db.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	return st.QueryContext(ctx, args...)
}

// errRow is a *sql.Row stand-in for a statement that did not prepare.
type errRow struct{ err error }

func (r errRow) Scan(...any) error { return r.err }

// queryRow runs a cached prepared query for one row.
func (db *DB) queryRow(ctx context.Context, query string, args ...any) scanner {
	st, err := db.stmt(ctx, query)
	if err != nil {
		return errRow{err}
	}
	return st.QueryRowContext(ctx, args...)
}

// queryAll runs a query and scans every row with scan: the loop every
// list read of the store shares.
func queryAll[T any](ctx context.Context, db *DB, scan func(scanner) (*T, error), query string, args ...any) ([]*T, error) {
	rows, err := db.query(ctx, query, args...)
	if err != nil {
		return nil, db.translate(err, "", "")
	}
	defer rows.Close()
	var out []*T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, db.translate(err, "", "")
		}
		out = append(out, v)
	}
	return out, db.translate(rows.Err(), "", "")
}
