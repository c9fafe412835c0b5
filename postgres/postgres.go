// Package postgres opens a tumen store on a PostgreSQL server through pgx,
// for teams that outgrow one machine.
package postgres

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"io/fs"

	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver

	"tumen"
	"tumen/sqlstore"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Dialect is PostgreSQL's dialect for sqlstore.
func Dialect() sqlstore.Dialect {
	sub, _ := fs.Sub(migrations, "migrations")
	return sqlstore.Dialect{
		Name:            "postgres",
		Migrations:      sub,
		Dollar:          true,
		IsUnique:        func(err error) bool { return state(err) == "23505" },
		IsForeignKey:    func(err error) bool { return state(err) == "23503" },
		ForUpdate:       " FOR UPDATE",
		MaxArgs:         65535,
		TxAbortsOnError: true,
	}
}

func state(err error) string {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code
	}
	return ""
}

// Open connects to the database at url (a PostgreSQL connection URL or
// keyword/value string) and brings its schema up to date.
func Open(ctx context.Context, url string) (*sqlstore.DB, error) {
	db, err := sql.Open("pgx", url)
	if err != nil {
		return nil, tumen.Errorf(tumen.KindInvalid, "TUMEN_DATABASE_URL is not a PostgreSQL connection string")
	}
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		// The driver's message may echo the URL with its password: keep it
		// for the cause only.
		return nil, &tumen.Error{Kind: tumen.KindInternal, Message: "cannot connect to PostgreSQL", Err: errors.New(safeCause(err))}
	}
	db.SetMaxOpenConns(8)
	db.SetMaxIdleConns(8)
	s := sqlstore.New(db, Dialect())
	if err := s.Migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

// safeCause keeps the PostgreSQL error code and message, which never hold
// the password, and drops anything else.
func safeCause(err error) string {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code + " " + pe.Message
	}
	var ce *pgconn.ConnectError
	if errors.As(err, &ce) {
		return "connection refused or unreachable"
	}
	return "connection failed"
}
