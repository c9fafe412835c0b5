// Command tumen is the tumen documentation system: an encrypted store for
// testimonies of forced repatriation, with import, export, demo data and
// (in later commands) the web application, linkage and estimation.
//
// Usage: tumen COMMAND [flags] [arguments]; flags may stand anywhere on the
// line. Run "tumen help" for the commands.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/pprof"
	"sort"
	"strings"
	"syscall"
	"time"

	"tumen"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	// TUMEN_CPUPROFILE=FILE profiles a run, for performance work.
	if path := os.Getenv("TUMEN_CPUPROFILE"); path != "" {
		if f, err := os.Create(path); err == nil {
			if pprof.StartCPUProfile(f) == nil {
				defer pprof.StopCPUProfile()
			}
		}
	}
	code := run(ctx, os.Args[1:], os.Environ(), os.Stdin, os.Stdout, os.Stderr)
	pprof.StopCPUProfile()
	stop()
	os.Exit(code)
}

// command is one subcommand.
type command struct {
	name    string
	args    string // argument synopsis, after the flags
	summary string
	help    string // longer text for "tumen help CMD"
	flags   func(fs *flag.FlagSet, o *opts)
	run     func(ctx context.Context, a *app, args []string) error
}

// opts holds every flag's value; each command defines the ones it takes.
type opts struct {
	data    string
	keyFile string
	json    bool
	// init
	admin string
	// demo
	persons int
	seed    int64
	// import/export
	format string
	out    string
	// list
	sex, source, place, stage, from, to string
	limit                               int
	// user
	role, clearance string
	// load
	duration time.Duration
	// serve
	addr     string
	demo     bool
	insecure bool
	index    string
	// bench
	rows int
	dir  string
	keep bool
}

// app is what a command runs with.
type app struct {
	env    map[string]string
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	o      *opts
}

// usageError is a mistake on the command line: exit status 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func commands() []*command {
	return []*command{
		initCommand(), demoCommand(), importCommand(), exportCommand(), showCommand(), listCommand(),
		statsCommand(), rekeyCommand(), auditCommand(), benchCommand(), versionCommand(),
		linkCommand(), estimateCommand(), reportCommand(), serveCommand(), userCommand(), loadCommand(),
		reviewCommand(), searchCommand(),
		custodyCommand(), interventionCommand(), appealCommand(), assessCommand(),
	}
}

func findCommand(name string) *command {
	for _, c := range commands() {
		if c.name == name {
			return c
		}
	}
	return nil
}

// globalFlags take a value and may stand before the command name.
var globalFlags = map[string]bool{"data": true, "key-file": true}

func globalDefs(fs *flag.FlagSet, o *opts, env map[string]string) {
	def := env["TUMEN_DATA"]
	if def == "" {
		def = "./tumen-data"
	}
	fs.StringVar(&o.data, "data", def, "data directory of the embedded store (ignored when TUMEN_DATABASE_URL is set)")
	fs.StringVar(&o.keyFile, "key-file", env["TUMEN_KEY_FILE"], "key file, kept outside the data directory (or TUMEN_KEY_FILE)")
}

// splitCommand finds the command name among args, skipping global flags
// and their values, and returns it with the other arguments.
func splitCommand(args []string) (string, []string) {
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			break
		}
		if strings.HasPrefix(a, "-") && a != "-" {
			name := strings.TrimLeft(a, "-")
			if !strings.Contains(name, "=") && globalFlags[name] {
				i++
			}
			continue
		}
		rest := append(append([]string{}, args[:i]...), args[i+1:]...)
		return a, rest
	}
	return "", args
}

// parseInterspersed parses flags that may stand before, between or after
// the positional arguments, as git and kubectl users expect. Everything
// after "--" is positional.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var tail []string
	for i, a := range args {
		if a == "--" {
			tail = args[i+1:]
			args = args[:i]
			break
		}
	}
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			break
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
	return append(pos, tail...), nil
}

func envMap(environ []string) map[string]string {
	m := make(map[string]string, len(environ))
	for _, kv := range environ {
		if k, v, ok := strings.Cut(kv, "="); ok {
			m[k] = v
		}
	}
	return m
}

// run is the whole program; tests call it directly.
func run(ctx context.Context, args []string, environ []string, stdin io.Reader, stdout, stderr io.Writer) int {
	env := envMap(environ)
	name, rest := splitCommand(args)
	switch name {
	case "", "help":
		if name == "help" && len(rest) > 0 {
			if c := findCommand(rest[0]); c != nil {
				commandHelp(stdout, c, env)
				return 0
			}
			fmt.Fprintf(stderr, "tumen: no command %q\n", rest[0])
			return 2
		}
		for _, a := range rest {
			if a == "-h" || a == "--help" || a == "-help" {
				name = "help"
			}
		}
		usage(stdout)
		if name == "" {
			return 2
		}
		return 0
	}
	c := findCommand(name)
	if c == nil {
		fmt.Fprintf(stderr, "tumen: no command %q; run tumen help\n", name)
		return 2
	}
	o := &opts{}
	fs := flag.NewFlagSet("tumen "+c.name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	globalDefs(fs, o, env)
	if c.flags != nil {
		c.flags(fs, o)
	}
	pos, err := parseInterspersed(fs, rest)
	if errors.Is(err, flag.ErrHelp) {
		commandHelp(stdout, c, env)
		return 0
	}
	if err != nil {
		fmt.Fprintf(stderr, "tumen %s: %v\nrun tumen help %s\n", c.name, err, c.name)
		return 2
	}
	a := &app{env: env, stdin: stdin, stdout: stdout, stderr: stderr, o: o}
	if err := c.run(ctx, a, pos); err != nil {
		var ue usageError
		if errors.As(err, &ue) {
			fmt.Fprintf(stderr, "tumen %s: %s\nrun tumen help %s\n", c.name, ue.msg, c.name)
			return 2
		}
		fmt.Fprintf(stderr, "tumen %s: %s\n", c.name, message(err))
		return 1
	}
	return 0
}

// message is what a user sees of an error: the safe message, and for
// internal errors the cause, which never carries personal data because no
// layer puts it there (values are sealed before SQL sees them).
func message(err error) string {
	var te *tumen.Error
	if errors.As(err, &te) {
		if te.Kind == tumen.KindInternal && te.Err != nil {
			return te.Message + ": " + te.Err.Error()
		}
		return te.Message
	}
	return err.Error()
}

func usage(w io.Writer) {
	fmt.Fprint(w, `tumen documents the forced repatriation of North Korean escapees, in an
encrypted store: persons, events, acts, sources, consents and interventions.

Usage: tumen COMMAND [flags] [arguments]   (flags may stand anywhere)

Commands:
`)
	cs := commands()
	sort.Slice(cs, func(i, j int) bool { return cs[i].name < cs[j].name })
	width := len("help")
	for _, c := range cs {
		width = max(width, len(c.name))
	}
	for _, c := range cs {
		fmt.Fprintf(w, "  %-*s %s\n", width, c.name, c.summary)
	}
	fmt.Fprintf(w, "  %-*s %s\n", width, "help", "this text; tumen help COMMAND explains one command")
	fmt.Fprint(w, `
Every command takes --data DIR (default ./tumen-data), the embedded SQLite
store, or uses PostgreSQL when TUMEN_DATABASE_URL is set.

Environment:
  TUMEN_PASSPHRASE      the store's passphrase (asked on a terminal when unset)
  TUMEN_KEY_FILE        a key file, kept outside the data directory
  TUMEN_ADMIN_PASSWORD  the first admin's password, for init and demo
  TUMEN_DATABASE_URL    a PostgreSQL connection URL instead of --data
  TUMEN_DATA            the default data directory
`)
}

func commandHelp(w io.Writer, c *command, env map[string]string) {
	fmt.Fprintf(w, "Usage: tumen %s [flags] %s\n\n%s\n", c.name, c.args, c.summary)
	if c.help != "" {
		fmt.Fprintf(w, "\n%s\n", strings.TrimSpace(c.help))
	}
	fs := flag.NewFlagSet(c.name, flag.ContinueOnError)
	o := &opts{}
	globalDefs(fs, o, env)
	if c.flags != nil {
		c.flags(fs, o)
	}
	fmt.Fprintln(w, "\nFlags:")
	fs.SetOutput(w)
	fs.PrintDefaults()
}
