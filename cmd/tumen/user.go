package main

import (
	"context"
	"flag"
	"fmt"
	"time"

	"tumen"
	"tumen/auth"
	"tumen/crypt"
)

func userCommand() *command {
	return &command{
		name:    "user",
		args:    "add NAME | list | code NAME",
		summary: "add or list accounts (the web app's users page does the same)",
		help: `
tumen user add NAME --role ROLE --clearance LEVEL creates an account; its
password comes from TUMEN_USER_PASSWORD or is asked twice.

tumen user code NAME prints the account's current two-factor code, for a
demo or for someone who lost their phone: it needs the store's passphrase,
which opens everything anyway, and it is audited. Roles: admin,
documenter, analyst, viewer. Clearances: public, internal, confidential,
secret. Every account creation is audited.`,
		flags: func(fs *flag.FlagSet, o *opts) {
			fs.StringVar(&o.role, "role", "viewer", "admin, documenter, analyst or viewer")
			fs.StringVar(&o.clearance, "clearance", "internal", "public, internal, confidential or secret")
		},
		run: func(ctx context.Context, a *app, args []string) error {
			if len(args) == 1 && args[0] == "list" {
				db, err := a.unlock(ctx)
				if err != nil {
					return err
				}
				defer db.Close()
				us, err := db.Users(a.ctx(ctx))
				if err != nil {
					return err
				}
				for _, u := range us {
					tf := ""
					if u.TOTPEnabled {
						tf = ", two-factor"
					}
					dis := ""
					if u.Disabled {
						dis = ", disabled"
					}
					fmt.Fprintf(a.stdout, "%s\t%s\t%s%s%s\n", u.Name, u.Role, u.Clearance, tf, dis)
				}
				return nil
			}
			if len(args) == 2 && args[0] == "code" {
				return showCode(ctx, a, args[1])
			}
			if len(args) != 2 || args[0] != "add" {
				return usageError{"usage: tumen user add NAME --role ROLE --clearance LEVEL, tumen user list, or tumen user code NAME"}
			}
			role := tumen.Role(a.o.role)
			if !role.Valid() {
				return usageError{fmt.Sprintf("unknown role %q", a.o.role)}
			}
			lvl, err := tumen.ParseLevel(a.o.clearance)
			if err != nil {
				return usageError{tumen.ErrorMessage(err)}
			}
			pw, err := a.newSecret("TUMEN_USER_PASSWORD", "password for "+args[1], 10)
			if err != nil {
				return err
			}
			db, err := a.unlock(ctx)
			if err != nil {
				return err
			}
			defer db.Close()
			hash, err := crypt.HashPassword(string(pw), crypt.DefaultParams)
			if err != nil {
				return err
			}
			if err := db.CreateUser(a.ctx(ctx), &tumen.User{ID: "U-" + randomID(), Name: args[1], Role: role, Clearance: lvl, PasswordHash: hash}); err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "created %s (%s, clearance %s)\n", args[1], role, lvl)
			return nil
		},
	}
}

// showCode prints a user's current TOTP code.
func showCode(ctx context.Context, a *app, name string) error {
	db, err := a.unlock(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	ctx = a.ctx(ctx)
	u, err := db.UserByName(ctx, name)
	if err != nil {
		return err
	}
	secret, _, _, err := db.TOTP(ctx, u.ID)
	if err != nil {
		return err
	}
	if secret == "" {
		return fmt.Errorf("%s has not started two-factor set-up: log in with the password first", name)
	}
	code, err := auth.Code(secret, time.Now())
	if err != nil {
		return err
	}
	if err := db.Audit(ctx, "totp-code-shown", "user", u.ID, "code printed by the command line"); err != nil {
		return err
	}
	left := auth.Period - time.Duration(time.Now().Unix()%int64(auth.Period/time.Second))*time.Second
	fmt.Fprintf(a.stdout, "%s (valid for %d more seconds)\n", code, int(left.Seconds()))
	return nil
}
