package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"runtime/debug"
	"time"

	"tumen/search"
	"tumen/sqlite"
	"tumen/sqlstore"
	"tumen/vocab"
	"tumen/web"
)

func serveCommand() *command {
	return &command{
		name:    "serve",
		summary: "serve the web application and JSON API",
		help: `
Serves the web application (Korean and English) and the JSON API under
/api/v1, described at /api/v1/openapi.json. With --demo, a store that does
not exist yet is created and filled with demo data first (as tumen demo).

Log in with the admin's name and password (TUMEN_ADMIN_PASSWORD when the
store was made by init or demo). Roles that see identities need a second
factor: the first login shows a key to add to an authenticator app.

Cookies are Secure: browsers accept them over plain HTTP only from localhost
and 127.0.0.1. To serve another address without TLS in front, pass
--insecure-cookies (and put TLS in front of it).`,
		flags: func(fs *flag.FlagSet, o *opts) {
			fs.StringVar(&o.addr, "addr", "127.0.0.1:8080", "address to listen on")
			fs.BoolVar(&o.demo, "demo", false, "create the store with demo data when it does not exist")
			fs.IntVar(&o.persons, "persons", 1000, "demo persons, with --demo")
			fs.Int64Var(&o.seed, "seed", 1, "demo seed, with --demo")
			fs.StringVar(&o.admin, "admin", "admin", "first administrator, when --demo creates the store")
			fs.BoolVar(&o.insecure, "insecure-cookies", false, "send cookies without the Secure flag")
		},
		run: runServe,
	}
}

func runServe(ctx context.Context, a *app, args []string) error {
	if len(args) > 0 {
		return usageError{"serve takes no arguments"}
	}
	var db *sqlstore.DB
	var err error
	if a.o.demo && a.env["TUMEN_DATABASE_URL"] == "" && !sqlite.Exists(a.o.data) {
		if err := runDemo(ctx, a); err != nil {
			return err
		}
	}
	if db, err = a.unlock(ctx); err != nil {
		return err
	}
	defer db.Close()
	data, err := vocab.Load()
	if err != nil {
		return err
	}
	// A server's heap is small and steady: collecting less often trades a
	// little memory for less CPU per request, unless GOGC says otherwise.
	if a.env["GOGC"] == "" {
		debug.SetGCPercent(400)
	}
	log := slog.New(slog.NewTextHandler(a.stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	// The search index lives in memory only, built now that the store is
	// unlocked, in the background: the server answers meanwhile, and
	// search says it is not ready yet. The log says how big the index
	// is, never what is in it.
	ix := search.Start(a.ctx(ctx), db, func(st search.Stats, took time.Duration, err error) {
		if err != nil {
			log.Error("search index not built: search is unavailable until the server restarts", "took", took.Round(time.Millisecond), "err", err)
			return
		}
		log.Info("search index built", "took", took.Round(time.Millisecond), "index", st.String())
	})
	srv, err := web.New(db, data, log, web.Options{Insecure: a.o.insecure, Index: ix})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", a.o.addr)
	if err != nil {
		return fmt.Errorf("cannot listen on %s: %v", a.o.addr, errors.Unwrap(err))
	}
	hs := srv.HTTPServer(a.o.addr)
	fmt.Fprintf(a.stdout, "tumen is serving at http://%s/\n", ln.Addr())
	fmt.Fprintf(a.stdout, "log in as %q with the admin password (TUMEN_ADMIN_PASSWORD).\n", a.o.admin)
	fmt.Fprintf(a.stdout, "the first login shows a two-factor key for an authenticator app; without one, run in another terminal:\n  tumen user code %s --data %s\n", a.o.admin, a.o.data)
	done := make(chan error, 1)
	go func() { done <- hs.Serve(ln) }()
	select {
	case err := <-done:
		if errors.Is(err, http.ErrServerClosed) {
			return nil
		}
		return err
	case <-ctx.Done():
		sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		return hs.Shutdown(sctx)
	}
}
