package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"tumen/synth"
)

func benchCommand() *command {
	return &command{
		name:    "bench",
		summary: "measure import, demo and open-and-show times and peak memory",
		help: `
Runs tumen's own commands as child processes, exactly as a user would, and
reports each one's wall time and peak resident memory:

  1. writes a synthetic person-list CSV of --rows rows (not timed as a target)
  2. tumen init, then tumen import of that CSV into an encrypted SQLite store
  3. tumen show person on that store (opening it and showing one person), 3 times
  4. tumen demo --persons N into a fresh store

Everything happens under --dir (a temporary directory by default), which is
removed afterwards unless --keep is given.`,
		flags: func(fs *flag.FlagSet, o *opts) {
			fs.IntVar(&o.rows, "rows", 1_000_000, "person-list rows to import")
			fs.IntVar(&o.persons, "persons", 100_000, "persons for the demo run")
			fs.StringVar(&o.dir, "dir", "", "working directory (default: a new temporary directory)")
			fs.BoolVar(&o.keep, "keep", false, "keep the working directory")
		},
		run: runBench,
	}
}

type benchResult struct {
	name   string
	wall   time.Duration
	maxRSS int64 // KiB
	target string
}

func runBench(ctx context.Context, a *app, args []string) error {
	if len(args) > 0 {
		return usageError{"bench takes no arguments"}
	}
	exe, err := os.Executable()
	if err != nil {
		return err
	}
	dir := a.o.dir
	if dir == "" {
		if dir, err = os.MkdirTemp("", "tumen-bench-"); err != nil {
			return err
		}
	} else if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	if !a.o.keep {
		defer os.RemoveAll(dir)
	}
	env := append(os.Environ(), "TUMEN_PASSPHRASE=bench passphrase, not a real one", "TUMEN_ADMIN_PASSWORD=bench admin password", "TUMEN_DATABASE_URL=")
	child := func(name, target string, args ...string) (benchResult, error) {
		cmd := exec.CommandContext(ctx, exe, args...)
		cmd.Env = env
		var out strings.Builder
		cmd.Stdout, cmd.Stderr = &out, &out
		start := time.Now()
		err := cmd.Run()
		r := benchResult{name: name, wall: time.Since(start), target: target}
		if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
			r.maxRSS = ru.Maxrss
		}
		if err != nil {
			return r, fmt.Errorf("%s: %v\n%s", name, err, out.String())
		}
		fmt.Fprintf(a.stderr, "  %-40s %8.2f s  %7.0f MiB peak\n", name, r.wall.Seconds(), float64(r.maxRSS)/1024)
		return r, nil
	}
	var results []benchResult

	rows := a.o.rows
	csvPath := filepath.Join(dir, "persons.csv")
	start := time.Now()
	f, err := os.Create(csvPath)
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(f, 1<<20)
	if err := synth.New(42).WritePersonList(bw, rows); err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	f.Close()
	st, _ := os.Stat(csvPath)
	fmt.Fprintf(a.stderr, "wrote %d person-list rows (%.0f MiB) in %.1f s\n", rows, float64(st.Size())/(1<<20), time.Since(start).Seconds())

	store := filepath.Join(dir, "store")
	steps := []struct {
		name, target string
		args         []string
		times        int
	}{
		{"init", "", []string{"init", "--data", store}, 1},
		{fmt.Sprintf("import %d rows", rows), "≤ 60 s for 1,000,000", []string{"import", csvPath, "--data", store}, 1},
		{fmt.Sprintf("open %d-person store, show one", rows), "≤ 1 s", []string{"show", "person", fmt.Sprintf("R-%07d", (rows+1)/2), "--data", store}, 3},
		{fmt.Sprintf("demo --persons %d", a.o.persons), "≤ 30 s for 100,000", []string{"demo", "--persons", fmt.Sprint(a.o.persons), "--data", filepath.Join(dir, "demo")}, 1},
	}
	for _, s := range steps {
		for range s.times {
			r, err := child(s.name, s.target, s.args...)
			if err != nil {
				return err
			}
			results = append(results, r)
		}
	}
	var size int64
	filepath.Walk(store, func(_ string, fi os.FileInfo, err error) error {
		if err == nil && !fi.IsDir() {
			size += fi.Size()
		}
		return nil
	})
	fmt.Fprintf(a.stdout, "\n%-40s %10s %12s  %s\n", "step", "wall", "peak RSS", "target")
	for _, r := range results {
		fmt.Fprintf(a.stdout, "%-40s %8.2f s %8.0f MiB  %s\n", r.name, r.wall.Seconds(), float64(r.maxRSS)/1024, r.target)
	}
	fmt.Fprintf(a.stdout, "store of %d rows on disk: %.0f MiB\n", rows, float64(size)/(1<<20))
	return nil
}
