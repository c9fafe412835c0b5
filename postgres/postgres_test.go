package postgres_test

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib"

	"tumen/postgres"
	"tumen/sqlstore"
	"tumen/storetest"
)

// serverURL returns the test server's URL from TUMEN_TEST_DATABASE_URL. The
// tests skip without one, unless TUMEN_REQUIRE_POSTGRES is set, as it is in
// CI, where a skip would hide a failure.
func serverURL(t *testing.T) string {
	t.Helper()
	u := os.Getenv("TUMEN_TEST_DATABASE_URL")
	if u == "" {
		if os.Getenv("TUMEN_REQUIRE_POSTGRES") != "" {
			t.Fatal("TUMEN_REQUIRE_POSTGRES is set but TUMEN_TEST_DATABASE_URL is not")
		}
		t.Skip("TUMEN_TEST_DATABASE_URL not set: PostgreSQL tests skipped (.ci/run starts a server)")
	}
	return u
}

// withSchema returns the URL with its search_path set to schema.
func withSchema(t *testing.T, base, schema string) string {
	t.Helper()
	if strings.HasPrefix(base, "postgres://") || strings.HasPrefix(base, "postgresql://") {
		u, err := url.Parse(base)
		if err != nil {
			t.Fatal(err)
		}
		q := u.Query()
		q.Set("search_path", schema)
		u.RawQuery = q.Encode()
		return u.String()
	}
	return base + " search_path=" + schema
}

// newSchema creates a schema of its own for one test and drops it after.
func newSchema(t *testing.T, base string) string {
	t.Helper()
	b := make([]byte, 6)
	rand.Read(b)
	schema := "tumen_test_" + hex.EncodeToString(b)
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := admin.Exec(`CREATE SCHEMA ` + schema); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		admin.Exec(`DROP SCHEMA ` + schema + ` CASCADE`)
		admin.Close()
	})
	return schema
}

func pgDump() string {
	if p, err := exec.LookPath("pg_dump"); err == nil {
		return p
	}
	m, _ := filepath.Glob("/usr/lib/postgresql/*/bin/pg_dump")
	if len(m) > 0 {
		return m[len(m)-1]
	}
	return "pg_dump"
}

func harness(t *testing.T) storetest.Harness {
	base := serverURL(t)
	return storetest.Harness{
		Open: func(t *testing.T) *sqlstore.DB {
			t.Helper()
			schema := newSchema(t, base)
			db, err := postgres.Open(context.Background(), withSchema(t, base, schema))
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			return db
		},
		Dump: func(t *testing.T, db *sqlstore.DB) []byte {
			t.Helper()
			var schema string
			if err := db.SQL().QueryRow(`SELECT current_schema()`).Scan(&schema); err != nil {
				t.Fatal(err)
			}
			out, err := exec.Command(pgDump(), "--dbname", base, "--schema", schema).Output()
			if err != nil {
				t.Fatalf("pg_dump: %v", err)
			}
			return out
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
	storetest.Run(t, harness(t))
}

func TestConformanceAccounts(t *testing.T) {
	storetest.RunAccounts(t, harness(t))
}

func TestRefusesUnknownSchema(t *testing.T) {
	base := serverURL(t)
	u := withSchema(t, base, newSchema(t, base))
	db, err := postgres.Open(context.Background(), u)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.SQL().Exec(`INSERT INTO schema_migrations (version, name, applied) VALUES (9999, '9999_future.sql', 0)`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if _, err := postgres.Open(context.Background(), u); err == nil {
		t.Fatal("opened a database with a schema from the future")
	}
}

func TestConnectErrorHidesPassword(t *testing.T) {
	t.Parallel()
	_, err := postgres.Open(context.Background(), "postgres://tumen:SECRETPW@127.0.0.1:1/none?connect_timeout=2")
	if err == nil {
		t.Fatal("connected to nothing")
	}
	if strings.Contains(err.Error(), "SECRETPW") {
		t.Fatalf("error shows the password: %v", err)
	}
}
