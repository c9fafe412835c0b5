package sqlite_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"tumen/sqlite"
	"tumen/sqlstore"
	"tumen/storetest"
)

func harness() storetest.Harness {
	return storetest.Harness{
		Open: func(t *testing.T) *sqlstore.DB {
			t.Helper()
			dir := t.TempDir()
			db, err := sqlite.Open(context.Background(), dir)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			return db
		},
		Dump: func(t *testing.T, db *sqlstore.DB) []byte {
			t.Helper()
			// The database's own files, read while the store is open so the
			// WAL is still there, then everything in the directory.
			var all bytes.Buffer
			dir := ""
			if err := db.SQL().QueryRow(`SELECT file FROM pragma_database_list WHERE name = 'main'`).Scan(&dir); err != nil {
				t.Fatal(err)
			}
			dir = filepath.Dir(dir)
			files := sqlite.Files(dir)
			if len(files) < 2 {
				t.Fatalf("expected the database and its WAL, found %v", files)
			}
			err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
				if err != nil || d.IsDir() {
					return err
				}
				b, err := os.ReadFile(path)
				all.Write(b)
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			return all.Bytes()
		},
		Exec: func(t *testing.T, db *sqlstore.DB, query string, args ...any) {
			t.Helper()
			if _, err := db.SQL().Exec(query, args...); err != nil {
				t.Fatal(err)
			}
		},
	}
}

func TestConformance(t *testing.T) {
	t.Parallel()
	storetest.Run(t, harness())
}

func TestConformanceAccounts(t *testing.T) {
	t.Parallel()
	storetest.RunAccounts(t, harness())
}

func TestFilePermissions(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "data")
	db, err := sqlite.Open(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	st, _ := os.Stat(dir)
	if st.Mode().Perm() != 0o700 {
		t.Errorf("data directory mode %v", st.Mode().Perm())
	}
	for _, f := range sqlite.Files(dir) {
		st, _ := os.Stat(f)
		if st.Mode().Perm()&0o077 != 0 {
			t.Errorf("%s mode %v: readable by others", filepath.Base(f), st.Mode().Perm())
		}
	}
}

func TestRefusesUnknownSchema(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	db, err := sqlite.Open(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.SQL().Exec(`INSERT INTO schema_migrations (version, name, applied) VALUES (9999, '9999_future.sql', 0)`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if _, err := sqlite.Open(context.Background(), dir); err == nil {
		t.Fatal("opened a database with a schema from the future")
	}
}
