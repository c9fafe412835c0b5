package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"tumen"
	"tumen/crypt"
	"tumen/sqlite"
	"tumen/sqlstore"
	"tumen/vocab"
)

func initCommand() *command {
	return &command{
		name:    "init",
		summary: "create an encrypted store, load the vocabularies and gazetteer, create the first admin",
		help: `
The store's data key is random; it is wrapped by a key derived with Argon2id
from the passphrase (TUMEN_PASSPHRASE, or asked twice on a terminal) and, with
--key-file, by a key file too: then both are needed to open the store. A key
file that does not exist yet is created. Keep it outside the data directory,
and keep copies of the passphrase and key file: without them the data cannot
be recovered by anyone.

The first admin's password comes from TUMEN_ADMIN_PASSWORD or is asked twice.`,
		flags: func(fs *flag.FlagSet, o *opts) {
			fs.StringVar(&o.admin, "admin", "admin", "login name of the first administrator")
		},
		run: func(ctx context.Context, a *app, args []string) error {
			if len(args) > 0 {
				return usageError{"init takes no arguments"}
			}
			db, err := a.initStore(ctx)
			if err != nil {
				return err
			}
			defer db.Close()
			fmt.Fprintf(a.stdout, "created an encrypted tumen store%s with admin %q\n", a.where(), a.o.admin)
			return nil
		},
	}
}

// where describes the store for messages.
func (a *app) where() string {
	if a.env["TUMEN_DATABASE_URL"] != "" {
		return " in PostgreSQL"
	}
	return " in " + a.o.data
}

// initStore creates a store: key, vocabularies, gazetteer, first admin.
func (a *app) initStore(ctx context.Context) (*sqlstore.DB, error) {
	ctx = a.ctx(ctx)
	// A store that fails to be made (a short passphrase, a bad key file)
	// leaves nothing behind: the next attempt starts clean.
	fresh := a.env["TUMEN_DATABASE_URL"] == "" && !sqlite.Exists(a.o.data)
	_, statErr := os.Stat(a.o.data)
	newDir := fresh && os.IsNotExist(statErr)
	db, err := a.openDB(ctx, true)
	if err != nil {
		return nil, err
	}
	ok := false
	defer func() {
		if !ok {
			db.Close()
			if fresh {
				for _, suffix := range []string{"", "-wal", "-shm", "-journal"} {
					os.Remove(filepath.Join(a.o.data, sqlite.FileName+suffix))
				}
				if newDir {
					os.Remove(a.o.data) // only when empty
				}
			}
		}
	}()
	done, err := db.Initialized(ctx)
	if err != nil {
		return nil, err
	}
	if done {
		return nil, tumen.Errorf(tumen.KindConflict, "there is already a tumen store%s", a.where())
	}
	params, err := a.kdfParams()
	if err != nil {
		return nil, err
	}
	var s crypt.Secrets
	if s.KeyFile, err = a.keyFile(true); err != nil {
		return nil, err
	}
	if s.KeyFile == nil || a.env["TUMEN_PASSPHRASE"] != "" {
		if s.Passphrase, err = a.newSecret("TUMEN_PASSPHRASE", "new passphrase", 12); err != nil {
			return nil, err
		}
	}
	adminPW, err := a.newSecret("TUMEN_ADMIN_PASSWORD", "password for "+a.o.admin, 10)
	if err != nil {
		return nil, err
	}
	data, err := vocab.Load()
	if err != nil {
		return nil, tumen.Wrap(err, "the shipped vocabularies do not load")
	}
	if err := db.Init(ctx, s, params); err != nil {
		return nil, err
	}
	b := data.Bundle()
	if err := db.Import(ctx, b.All(), nil); err != nil {
		return nil, err
	}
	hash, err := crypt.HashPassword(string(adminPW), crypt.DefaultParams)
	if err != nil {
		return nil, err
	}
	if err := db.CreateUser(ctx, &tumen.User{ID: "U-" + randomID(), Name: a.o.admin, Role: tumen.RoleAdmin, Clearance: tumen.Secret, PasswordHash: hash}); err != nil {
		return nil, err
	}
	ok = true
	return db, nil
}

func randomID() string {
	b := make([]byte, 8)
	rand.Read(b)
	return hex.EncodeToString(b)
}
