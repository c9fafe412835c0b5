package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"time"
)

func loadCommand() *command {
	return &command{
		name:    "load",
		args:    "[URL]",
		summary: "load-test a running web server, or start one on demo data and load it",
		help: `
Logs in to the web application as a user with password login (a viewer:
roles that see identities need a second factor) and requests, from
--concurrency clients for --duration, a mix of persons list pages (at random
positions) and person pages (random persons). It reports page views per
second and the latency percentiles of each page, measured here, in a process
apart from the server, over loopback.

Without a URL it builds the whole set-up itself: a store with --persons demo
persons under --dir, a viewer account, and tumen serve as a child process.
The password comes from TUMEN_LOAD_PASSWORD (set for you when it starts the
server itself).`,
		flags: func(fs *flag.FlagSet, o *opts) {
			fs.IntVar(&o.persons, "persons", 100_000, "demo persons, when starting the server")
			fs.StringVar(&o.dir, "dir", "", "working directory when starting the server (default: temporary)")
			fs.StringVar(&o.admin, "user", "loadviewer", "user to log in as")
			fs.DurationVar(&o.duration, "duration", 20*time.Second, "how long to load")
			fs.IntVar(&o.limit, "concurrency", 16, "concurrent clients")
		},
		run: runLoad,
	}
}

func runLoad(ctx context.Context, a *app, args []string) error {
	if len(args) > 1 {
		return usageError{"load takes at most one URL"}
	}
	base := ""
	password := a.env["TUMEN_LOAD_PASSWORD"]
	persons := a.o.persons
	if len(args) == 1 {
		base = strings.TrimSuffix(args[0], "/")
		if password == "" {
			return fmt.Errorf("set TUMEN_LOAD_PASSWORD to the password of %s", a.o.admin)
		}
	} else {
		var stop func()
		var err error
		base, stop, err = startLoadServer(ctx, a)
		if err != nil {
			return err
		}
		defer stop()
		password = loadPassword
	}
	c, err := loadLogin(base, a.o.admin, password)
	if err != nil {
		return err
	}
	// Warm up: let the server count its records (the dashboard waits for
	// that) and fill its caches before anything is timed.
	if res, err := c.Get(base + "/"); err == nil {
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
	}
	for i := 0; i < 20; i++ {
		if res, err := c.Get(fmt.Sprintf("%s/persons/P-%07d", base, 1+i)); err == nil {
			io.Copy(io.Discard, res.Body)
			res.Body.Close()
		}
	}
	time.Sleep(2 * time.Second)
	fmt.Fprintf(a.stderr, "loading %s with %d clients for %s\n", base, a.o.limit, a.o.duration)
	type sample struct {
		page string
		d    time.Duration
		ok   bool
	}
	var mu sync.Mutex
	var samples []sample
	deadline := time.Now().Add(a.o.duration)
	var wg sync.WaitGroup
	for w := range a.o.limit {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(w), 7))
			var local []sample
			for time.Now().Before(deadline) && ctx.Err() == nil {
				page, path := "person", fmt.Sprintf("/persons/P-%07d", 1+rng.IntN(persons))
				if rng.IntN(2) == 0 {
					page, path = "list", fmt.Sprintf("/persons?after=P-%07d", rng.IntN(persons))
				}
				t0 := time.Now()
				res, err := c.Get(base + path)
				ok := err == nil && res.StatusCode == http.StatusOK
				if err == nil {
					io.Copy(io.Discard, res.Body)
					res.Body.Close()
				}
				local = append(local, sample{page, time.Since(t0), ok})
			}
			mu.Lock()
			samples = append(samples, local...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	byPage := map[string][]time.Duration{}
	failed := 0
	for _, s := range samples {
		if !s.ok {
			failed++
			continue
		}
		byPage[s.page] = append(byPage[s.page], s.d)
		byPage["all"] = append(byPage["all"], s.d)
	}
	fmt.Fprintf(a.stdout, "%d page views in %s: %.0f views/s, %d failed\n", len(samples), a.o.duration, float64(len(samples))/a.o.duration.Seconds(), failed)
	for _, p := range []string{"list", "person", "all"} {
		ds := byPage[p]
		if len(ds) == 0 {
			continue
		}
		sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
		q := func(f float64) float64 { return float64(ds[int(f*float64(len(ds)-1))].Microseconds()) / 1000 }
		fmt.Fprintf(a.stdout, "  %-7s n=%-7d p50 %6.1f ms  p95 %6.1f ms  p99 %6.1f ms  max %6.1f ms\n", p, len(ds), q(.5), q(.95), q(.99), q(1))
	}
	if failed > 0 {
		return fmt.Errorf("%d requests failed", failed)
	}
	return nil
}

const loadPassword = "load test viewer password"

// startLoadServer builds a demo store with a viewer and starts tumen serve
// on it as a child process, returning its URL and a stop function.
func startLoadServer(ctx context.Context, a *app) (string, func(), error) {
	exe, err := os.Executable()
	if err != nil {
		return "", nil, err
	}
	dir := a.o.dir
	if dir == "" {
		if dir, err = os.MkdirTemp("", "tumen-load-"); err != nil {
			return "", nil, err
		}
	}
	data := filepath.Join(dir, "store")
	env := append(os.Environ(), "TUMEN_PASSPHRASE=load passphrase, not a real one", "TUMEN_ADMIN_PASSWORD=load admin password", "TUMEN_USER_PASSWORD="+loadPassword, "TUMEN_DATABASE_URL=")
	run := func(args ...string) error {
		cmd := exec.CommandContext(ctx, exe, args...)
		cmd.Env = env
		out, err := cmd.CombinedOutput()
		if err != nil {
			return fmt.Errorf("tumen %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return nil
	}
	if _, err := os.Stat(data); err != nil {
		fmt.Fprintf(a.stderr, "creating a store with %d demo persons\n", a.o.persons)
		if err := run("demo", "--persons", fmt.Sprint(a.o.persons), "--data", data); err != nil {
			return "", nil, err
		}
		if err := run("user", "add", a.o.admin, "--role", "viewer", "--clearance", "confidential", "--data", data); err != nil {
			return "", nil, err
		}
	}
	addr := "127.0.0.1:18473"
	srv := exec.Command(exe, "serve", "--data", data, "--addr", addr)
	srv.Env = env
	if err := srv.Start(); err != nil {
		return "", nil, err
	}
	stop := func() {
		srv.Process.Signal(os.Interrupt)
		srv.Wait()
		if a.o.dir == "" {
			os.RemoveAll(dir)
		}
	}
	base := "http://" + addr
	for i := 0; ; i++ {
		if res, err := http.Get(base + "/login"); err == nil {
			res.Body.Close()
			break
		}
		if i > 100 {
			stop()
			return "", nil, fmt.Errorf("the server did not start")
		}
		time.Sleep(100 * time.Millisecond)
	}
	return base, stop, nil
}

// loadLogin logs in with a password and returns a client with the session.
func loadLogin(base, user, password string) (*http.Client, error) {
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: &loopbackJar{jar}, Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	res, err := c.Get(base + "/login")
	if err != nil {
		return nil, err
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	m := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindSubmatch(b)
	if m == nil {
		return nil, fmt.Errorf("no login form at %s", base)
	}
	res, err = c.PostForm(base+"/login", url.Values{"csrf": {string(m[1])}, "name": {user}, "password": {password}})
	if err != nil {
		return nil, err
	}
	res.Body.Close()
	if !strings.HasSuffix(res.Request.URL.Path, "/") || strings.HasPrefix(res.Request.URL.Path, "/login") {
		return nil, fmt.Errorf("login as %s failed (a role that needs a second factor cannot be used here)", user)
	}
	return c, nil
}

// loopbackJar keeps Secure cookies over plain HTTP to loopback, as
// browsers do; Go's jar would drop them.
type loopbackJar struct{ http.CookieJar }

func (j *loopbackJar) SetCookies(u *url.URL, cs []*http.Cookie) {
	for _, c := range cs {
		c.Secure = false
	}
	j.CookieJar.SetCookies(u, cs)
}
