// Package sqlite opens tumen's embedded default store: a SQLite database in
// a data directory, through the pure-Go modernc.org/sqlite driver (no cgo).
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"tumen"
	"tumen/sqlstore"
)

//go:embed migrations/*.sql
var migrations embed.FS

// FileName is the database's name inside the data directory.
const FileName = "tumen.db"

// Dialect is SQLite's dialect for sqlstore.
func Dialect() sqlstore.Dialect {
	sub, _ := fs.Sub(migrations, "migrations")
	return sqlstore.Dialect{
		Name:       "sqlite",
		Migrations: sub,
		IsUnique: func(err error) bool {
			return code(err) == sqlite3.SQLITE_CONSTRAINT_UNIQUE || code(err) == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY
		},
		IsForeignKey: func(err error) bool { return code(err) == sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY },
		MaxArgs:      32766,
		BulkInsert:   "INSERT OR FAIL",
	}
}

func code(err error) int {
	var se *sqlite.Error
	if errors.As(err, &se) {
		return se.Code()
	}
	return 0
}

// Open opens (creating if needed) the store in dir and brings its schema up
// to date. The directory is made private to the user (0700) and the database
// file 0600; SQLite gives its WAL and shared-memory files the same mode.
func Open(ctx context.Context, dir string) (*sqlstore.DB, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, tumen.Errorf(tumen.KindInvalid, "cannot create the data directory %s: %v", dir, errors.Unwrap(err))
	}
	path := filepath.Join(dir, FileName)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, tumen.Errorf(tumen.KindInvalid, "cannot open %s: %v", path, errors.Unwrap(err))
	}
	f.Close()
	q := url.Values{}
	for _, p := range []string{
		// Set before the first table is made; 8 KiB pages cut the
		// b-tree depth of a million-person store.
		"page_size(8192)",
		"foreign_keys(1)",
		"journal_mode(WAL)",
		// FULL makes every commit durable before it is acknowledged.
		"synchronous(FULL)",
		"busy_timeout(10000)",
		// Sorts and temporary tables stay in memory: no temp files.
		"temp_store(MEMORY)",
		// Up to 128 MiB of pages a connection: a busy server's reads are
		// then mostly from memory rather than a pread each. Pages are
		// cached as stored, so encrypted fields stay sealed in it.
		"cache_size(-131072)",
	} {
		q.Add("_pragma", p)
	}
	q.Set("_txlock", "immediate")
	db, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		return nil, tumen.Wrap(err, "cannot open the database")
	}
	// One writer at a time is all SQLite allows; readers share WAL snapshots.
	db.SetMaxOpenConns(8)
	// Keep them open: a new connection parses the schema and runs the
	// pragmas again, which a busy server would do on every request.
	db.SetMaxIdleConns(8)
	s := sqlstore.New(db, Dialect())
	if err := s.Migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

// Exists reports whether dir holds a tumen database.
func Exists(dir string) bool {
	st, err := os.Stat(filepath.Join(dir, FileName))
	return err == nil && st.Size() > 0
}

// Files lists the database's files on disk (database, WAL, journal).
func Files(dir string) []string {
	var out []string
	for _, suffix := range []string{"", "-wal", "-shm", "-journal"} {
		p := filepath.Join(dir, FileName+suffix)
		if _, err := os.Stat(p); err == nil {
			out = append(out, p)
		}
	}
	return out
}
