package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
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
--insecure-cookies (and put TLS in front of it).

The search index is kept between runs in a file, sealed under the store's
key: search.index in the data directory, or the file --index names (none
by default with PostgreSQL; --index none keeps no file). At start the
server reads it and the records written since, as the audit log names
them; it builds the index from the store when there is no file, when the
file does not open, or after an import. The file is written once a build
from the store ends and when the server stops.`,
		flags: func(fs *flag.FlagSet, o *opts) {
			fs.StringVar(&o.addr, "addr", "127.0.0.1:8080", "address to listen on")
			fs.BoolVar(&o.demo, "demo", false, "create the store with demo data when it does not exist")
			fs.IntVar(&o.persons, "persons", 1000, "demo persons, with --demo")
			fs.Int64Var(&o.seed, "seed", 1, "demo seed, with --demo")
			fs.StringVar(&o.admin, "admin", "admin", "first administrator, when --demo creates the store")
			fs.BoolVar(&o.insecure, "insecure-cookies", false, "send cookies without the Secure flag")
			fs.StringVar(&o.index, "index", "", "file the search index is kept in between runs, sealed (default search.index in the data directory; none for no file)")
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
	// The search index is readied in the background, from its sealed file
	// or from the store: the server answers meanwhile, and search says it
	// is not ready yet. The log says how big the index is, never what is
	// in it.
	indexFile := a.indexFile()
	var ix *search.Index
	assigned := make(chan struct{}) // ix is set
	ready := func(r search.Report) {
		took := r.Took.Round(time.Millisecond)
		if r.Why != "" {
			log.Warn("saved search index not used", "why", r.Why)
		}
		if r.Err != nil {
			log.Error("search index not built: search is unavailable until the server restarts", "took", took, "err", r.Err)
			return
		}
		if r.From == "file" {
			log.Info("search index read", "took", took, "reread", r.Replayed, "index", r.Stats.String())
			return
		}
		log.Info("search index built", "took", took, "index", r.Stats.String())
		if indexFile != "" {
			<-assigned
			saveIndex(a.ctx(context.Background()), log, ix, db, indexFile)
		}
	}
	if indexFile != "" {
		ix = search.Keep(a.ctx(ctx), db, db, indexFile, ready)
	} else {
		ix = search.Start(a.ctx(ctx), db, func(st search.Stats, took time.Duration, err error) {
			ready(search.Report{From: "store", Stats: st, Took: took, Err: err})
		})
	}
	close(assigned)
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
		err := hs.Shutdown(sctx)
		if indexFile != "" {
			saveIndex(a.ctx(context.Background()), log, ix, db, indexFile)
		}
		return err
	}
}

// indexFile is the file the search index is kept in, "" for none.
func (a *app) indexFile() string {
	switch {
	case a.o.index == "none":
		return ""
	case a.o.index != "":
		return a.o.index
	case a.env["TUMEN_DATABASE_URL"] != "":
		return ""
	}
	return filepath.Join(a.o.data, "search.index")
}

// saveIndex writes the search index to its file, and logs how it went.
func saveIndex(ctx context.Context, log *slog.Logger, ix *search.Index, db *sqlstore.DB, file string) {
	start := time.Now()
	written, err := ix.SaveFile(ctx, db, db, file)
	switch {
	case err != nil:
		log.Warn("search index not saved", "err", err)
		return
	case !written:
		log.Info("search index unchanged since its file was read or written")
		return
	}
	var size int64
	if st, err := os.Stat(file); err == nil {
		size = st.Size()
	}
	log.Info("search index saved", "took", time.Since(start).Round(time.Millisecond), "bytes", size)
}
