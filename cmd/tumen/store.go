package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"

	"golang.org/x/term"

	"tumen"
	"tumen/crypt"
	"tumen/names"
	"tumen/postgres"
	"tumen/sqlite"
	"tumen/sqlstore"
)

// terminal returns the file descriptor of r when it is a terminal.
func terminal(r any) (int, bool) {
	f, ok := r.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return 0, false
	}
	return int(f.Fd()), true
}

// prompt reads a secret from the terminal without echo.
func (a *app) prompt(label string) ([]byte, error) {
	fd, ok := terminal(a.stdin)
	if !ok {
		return nil, fmt.Errorf("%s is needed: set it in the environment or run on a terminal", label)
	}
	fmt.Fprintf(a.stderr, "%s: ", label)
	b, err := term.ReadPassword(fd)
	fmt.Fprintln(a.stderr)
	if err != nil {
		return nil, err
	}
	return b, nil
}

// newSecret asks for a new secret twice, or takes it from the environment.
func (a *app) newSecret(envName, label string, minLen int) ([]byte, error) {
	if v := a.env[envName]; v != "" {
		if len(v) < minLen {
			return nil, fmt.Errorf("%s must be at least %d characters", envName, minLen)
		}
		return []byte(v), nil
	}
	s, err := a.prompt(label + " (" + envName + ")")
	if err != nil {
		return nil, err
	}
	if len(s) < minLen {
		return nil, fmt.Errorf("%s must be at least %d characters", label, minLen)
	}
	again, err := a.prompt("again")
	if err != nil {
		return nil, err
	}
	if string(again) != string(s) {
		return nil, fmt.Errorf("the two entries differ")
	}
	return s, nil
}

// keyFile reads the key file, refusing one inside the data directory:
// a key kept beside the data protects nothing.
func (a *app) keyFile(create bool) ([]byte, error) {
	path := a.o.keyFile
	if path == "" {
		return nil, nil
	}
	if a.env["TUMEN_DATABASE_URL"] == "" {
		absKey, err1 := filepath.Abs(path)
		absData, err2 := filepath.Abs(a.o.data)
		if err1 == nil && err2 == nil && (absKey == absData || strings.HasPrefix(absKey, absData+string(filepath.Separator))) {
			return nil, fmt.Errorf("the key file must be kept outside the data directory")
		}
	}
	b, err := os.ReadFile(path)
	if os.IsNotExist(err) && create {
		b = crypt.NewKeyFile()
		if err := os.WriteFile(path, b, 0o400); err != nil {
			return nil, fmt.Errorf("cannot write the key file: %v", err)
		}
		fmt.Fprintf(a.stderr, "wrote a new key file to %s: keep a copy apart from the data; without it the store cannot be opened\n", path)
		return b, nil
	}
	if err != nil {
		return nil, fmt.Errorf("cannot read the key file: %v", err)
	}
	if len(b) < 32 {
		return nil, fmt.Errorf("the key file is too short to be a tumen key file")
	}
	return b, nil
}

// kdfParams reads TUMEN_ARGON2 ("t=3,m=65536,p=2"), for tuning the key
// derivation's cost; the default follows RFC 9106.
func (a *app) kdfParams() (crypt.Params, error) {
	v := a.env["TUMEN_ARGON2"]
	if v == "" {
		return crypt.DefaultParams, nil
	}
	p := crypt.Params{}
	for _, part := range strings.Split(v, ",") {
		k, val, _ := strings.Cut(part, "=")
		n, err := strconv.ParseUint(val, 10, 32)
		if err != nil || n == 0 {
			return p, fmt.Errorf("TUMEN_ARGON2: %q is not k=number", part)
		}
		switch k {
		case "t":
			p.Time = uint32(n)
		case "m":
			p.Memory = uint32(n)
		case "p":
			p.Threads = uint8(min(n, 255))
		default:
			return p, fmt.Errorf("TUMEN_ARGON2: unknown parameter %q (t, m, p)", k)
		}
	}
	if p.Time == 0 || p.Memory == 0 || p.Threads == 0 {
		return p, fmt.Errorf("TUMEN_ARGON2 needs t, m and p")
	}
	return p, nil
}

// openDB opens the configured database without unlocking it.
func (a *app) openDB(ctx context.Context, create bool) (*sqlstore.DB, error) {
	var db *sqlstore.DB
	var err error
	if u := a.env["TUMEN_DATABASE_URL"]; u != "" {
		db, err = postgres.Open(ctx, u)
	} else {
		if !create && !sqlite.Exists(a.o.data) {
			return nil, tumen.Errorf(tumen.KindNotFound, "no tumen store in %s: run tumen init --data %s first", a.o.data, a.o.data)
		}
		db, err = sqlite.Open(ctx, a.o.data)
	}
	if err != nil {
		return nil, err
	}
	db.NameKeys = nameKeys
	return db, nil
}

// unlock opens the store and unlocks it with the passphrase and/or key file.
func (a *app) unlock(ctx context.Context) (*sqlstore.DB, error) {
	db, err := a.openDB(ctx, false)
	if err != nil {
		return nil, err
	}
	needPass, needFile, err := db.Needs(ctx)
	if err != nil {
		db.Close()
		return nil, err
	}
	var s crypt.Secrets
	if needFile {
		if a.o.keyFile == "" {
			db.Close()
			return nil, fmt.Errorf("this store needs its key file: pass --key-file or set TUMEN_KEY_FILE")
		}
		if s.KeyFile, err = a.keyFile(false); err != nil {
			db.Close()
			return nil, err
		}
	}
	if needPass {
		if s.Passphrase, err = a.passphrase(); err != nil {
			db.Close()
			return nil, err
		}
	}
	if err := db.Unlock(ctx, s); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

func (a *app) passphrase() ([]byte, error) {
	if v := a.env["TUMEN_PASSPHRASE"]; v != "" {
		return []byte(v), nil
	}
	return a.prompt("passphrase (TUMEN_PASSPHRASE)")
}

// actor names the CLI user for the audit log.
func (a *app) ctx(ctx context.Context) context.Context {
	who := a.env["USER"]
	if who == "" {
		if u, err := user.Current(); err == nil {
			who = u.Username
		} else {
			who = "unknown"
		}
	}
	return tumen.WithActor(ctx, "cli:"+who)
}

// progress draws a progress line on a terminal; elsewhere it stays quiet.
type progress struct {
	w     io.Writer
	on    bool
	label string
	total int64
	last  int
}

func (a *app) progress(label string, total int64) *progress {
	_, on := terminal(a.stderr)
	return &progress{w: a.stderr, on: on, label: label, total: total}
}

// update shows done out of total (bytes or rows, as the caller counts).
func (p *progress) update(done int64, rows int) {
	if !p.on {
		return
	}
	if rows-p.last < 5000 && done < p.total {
		return
	}
	p.last = rows
	pct := 0.0
	if p.total > 0 {
		pct = float64(done) / float64(p.total)
	}
	width := 30
	fill := int(pct * float64(width))
	fill = max(0, min(fill, width))
	fmt.Fprintf(p.w, "\r%s [%s%s] %3.0f%% %d rows", p.label, strings.Repeat("#", fill), strings.Repeat(" ", width-fill), pct*100, rows)
}

func (p *progress) finish() {
	if p.on {
		fmt.Fprintln(p.w)
	}
}

// countingReader counts the bytes read through it, for progress.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// nameKeys are the blind-index keys of a name: its plain form, with Hangul
// brought to South Korean spelling so that 리영호 finds 이영호. Search across
// romanizations and scripts goes through the names package's keys in memory,
// not through the stored index, which holds one key a name.
func nameKeys(name string) []string {
	if names.IsHangul(name) {
		name = names.ToSouth(name)
	}
	return sqlstore.PlainNameKeys(name)
}
