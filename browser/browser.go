// Package browser is a small WebDriver (W3C) client over Debian's
// chromedriver, so that the web app's tests can drive a real headless
// Chromium: what a person sees, typed input in Korean included, is tested in
// the browser and not only in the HTML the server sends.
//
// It speaks the protocol with net/http and encoding/json and nothing else, to
// keep the project's dependency list short.
package browser

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"time"
)

// The Debian packages chromium and chromium-driver put their programs here.
// The paths are fixed rather than looked up in PATH so that a test never
// drives some other browser by accident.
const (
	chromiumPath     = "/usr/bin/chromium"
	chromedriverPath = "/usr/bin/chromedriver"
)

const (
	// startTimeout bounds chromedriver's start and the browser's: generous,
	// because a loaded two-core CI machine is slow to start Chromium.
	startTimeout = 60 * time.Second
	// implicitWait is how long Find waits for an element to appear, so
	// tests need no sleeps between a click and the page it leads to.
	implicitWait = 5 * time.Second
	// pageLoadTimeout and scriptTimeout bound a hung page, well under the
	// test binary's own timeout so that the failure names the command.
	pageLoadTimeout = 30 * time.Second
	scriptTimeout   = 30 * time.Second
	// commandTimeout bounds one HTTP round trip to chromedriver; it must be
	// longer than any of the WebDriver timeouts above.
	commandTimeout = 90 * time.Second
	// closeTimeout bounds the graceful end of a session before the process
	// group is killed.
	closeTimeout = 10 * time.Second
)

// chromiumArgs are the flags Chromium needs on a machine with no network
// but loopback and no display, run as root in a container: no sandbox, no
// GPU, no /dev/shm, and nothing that would reach for the network.
var chromiumArgs = []string{
	"--headless=new",
	"--no-sandbox",
	"--disable-gpu",
	"--disable-dev-shm-usage",
	"--disable-background-networking",
	"--disable-component-update",
	"--disable-sync",
	"--disable-default-apps",
	"--no-first-run",
	"--disable-quic",
	"--window-size=1280,1000",
}

// elementKey is the W3C web element identifier: the JSON key under which an
// element reference travels in both directions.
const elementKey = "element-6066-11e4-a52e-4f735466cecf"

// Available reports whether chromium and chromedriver are installed. Tests
// call it (through New) to skip rather than fail on a machine without them.
func Available() bool {
	for _, p := range []string{chromiumPath, chromedriverPath} {
		fi, err := os.Stat(p)
		if err != nil || fi.IsDir() || fi.Mode().Perm()&0o111 == 0 {
			return false
		}
	}
	return true
}

// Error is a WebDriver error response. Code is the W3C error code ("no such
// element", "stale element reference", "timeout" …), stable across drivers,
// for callers to compare; Message is the driver's own detail.
type Error struct {
	Op      string // the command, such as "POST /element"
	Status  int    // the HTTP status
	Code    string
	Message string
}

// Error returns the command, the W3C code and the driver's message.
func (e *Error) Error() string {
	msg := "browser: " + e.Op + ": " + e.Code
	if e.Message != "" {
		msg += ": " + e.Message
	}
	return msg
}

// Session is one chromedriver process and the browser session it drives. It
// is not safe for concurrent use: a browser window does one thing at a time.
type Session struct {
	ctx    context.Context
	client *http.Client
	base   string // chromedriver's URL, "http://127.0.0.1:PORT"
	id     string // the WebDriver session id

	cmd     *exec.Cmd
	exited  chan struct{} // closed when chromedriver has exited
	waitErr error         // chromedriver's exit status, set before exited closes
	dir     string        // the temporary profile, TMPDIR and log

	closeOnce sync.Once
	closeErr  error
}

// Start launches chromedriver on a free loopback port and opens a browser
// session with a fresh temporary profile. ctx bounds the whole session:
// cancelling it kills chromedriver and the browser. Close ends both and
// removes the profile.
func Start(ctx context.Context) (_ *Session, err error) {
	if !Available() {
		return nil, fmt.Errorf("browser: %s or %s is not installed (Debian packages chromium and chromium-driver)", chromiumPath, chromedriverPath)
	}
	dir, err := os.MkdirTemp("", "tumen-browser-")
	if err != nil {
		return nil, fmt.Errorf("browser: %w", err)
	}
	// Chromium writes shared memory files (with --disable-dev-shm-usage)
	// and other scraps under TMPDIR, and its crash handler keeps a database
	// under HOME whatever the profile: keeping them all in dir means Close
	// removes them too, and the user's home is left alone.
	tmp, home := filepath.Join(dir, "tmp"), filepath.Join(dir, "home")
	for _, d := range []string{tmp, home} {
		if err := os.Mkdir(d, 0o700); err != nil {
			return nil, errors.Join(fmt.Errorf("browser: %w", err), os.RemoveAll(dir))
		}
	}
	logPath := filepath.Join(dir, "chromedriver.log")
	logFile, err := os.Create(logPath)
	if err != nil {
		return nil, errors.Join(fmt.Errorf("browser: %w", err), os.RemoveAll(dir))
	}

	// --port=0 lets chromedriver pick a free port itself and print it, so
	// there is no window between choosing a port and binding it. It listens
	// on loopback only unless told otherwise.
	cmd := exec.CommandContext(ctx, chromedriverPath, "--port=0")
	cmd.Stdout = logFile
	cmd.Stderr = logFile
	cmd.Env = append(os.Environ(), "TMPDIR="+tmp, "HOME="+home)
	inOwnGroup(cmd)
	if err := cmd.Start(); err != nil {
		return nil, errors.Join(fmt.Errorf("browser: starting chromedriver: %w", err), logFile.Close(), os.RemoveAll(dir))
	}
	// chromedriver has its own copy of the file; a close error on ours,
	// never written to, would say nothing.
	_ = logFile.Close()

	s := &Session{
		ctx: ctx,
		// Its own transport, with no proxy: chromedriver is on loopback.
		client: &http.Client{Transport: &http.Transport{}, Timeout: commandTimeout},
		cmd:    cmd,
		exited: make(chan struct{}),
		dir:    dir,
	}
	go func() {
		s.waitErr = cmd.Wait()
		close(s.exited)
	}()
	defer func() {
		if err != nil {
			err = errors.Join(err, s.Close())
		}
	}()

	startCtx, cancel := context.WithTimeout(ctx, startTimeout)
	defer cancel()
	if err := s.waitReady(startCtx, logPath); err != nil {
		return nil, err
	}
	if err := s.newSession(startCtx, filepath.Join(dir, "profile")); err != nil {
		return nil, fmt.Errorf("%w\nchromedriver log:\n%s", err, tail(logPath))
	}
	if err := s.setTimeouts(implicitWait); err != nil {
		return nil, err
	}
	return s, nil
}

// portLine is chromedriver's start-up banner, the only place it says which
// port --port=0 chose.
var portLine = regexp.MustCompile(`started successfully on port (\d+)`)

// waitReady waits for chromedriver to print its port and then to answer
// /status with ready, failing early if it exits.
func (s *Session) waitReady(ctx context.Context, logPath string) error {
	tick := time.NewTicker(25 * time.Millisecond)
	defer tick.Stop()
	for {
		if s.base == "" {
			if b, err := os.ReadFile(logPath); err == nil {
				if m := portLine.FindSubmatch(b); m != nil {
					s.base = "http://127.0.0.1:" + string(m[1])
				}
			}
		}
		if s.base != "" {
			var st struct {
				Ready bool `json:"ready"`
			}
			if err := s.do(ctx, http.MethodGet, "/status", nil, &st); err == nil && st.Ready {
				return nil
			}
		}
		select {
		case <-s.exited:
			return fmt.Errorf("browser: chromedriver exited before it was ready (%v):\n%s", s.waitErr, tail(logPath))
		case <-ctx.Done():
			return fmt.Errorf("browser: chromedriver not ready: %w:\n%s", context.Cause(ctx), tail(logPath))
		case <-tick.C:
		}
	}
}

// newSession asks chromedriver for a browser session on Debian's Chromium.
func (s *Session) newSession(ctx context.Context, profile string) error {
	args := append([]string{"--user-data-dir=" + profile}, chromiumArgs...)
	req := map[string]any{
		"capabilities": map[string]any{
			"alwaysMatch": map[string]any{
				"browserName": "chrome",
				"goog:chromeOptions": map[string]any{
					"binary": chromiumPath,
					"args":   args,
				},
			},
		},
	}
	var resp struct {
		SessionID string `json:"sessionId"`
	}
	if err := s.do(ctx, http.MethodPost, "/session", req, &resp); err != nil {
		return err
	}
	if resp.SessionID == "" {
		return errors.New("browser: chromedriver returned no session id")
	}
	s.id = resp.SessionID
	return nil
}

// setTimeouts sets the implicit wait that Find uses, along with the page
// load and script timeouts. Tests of this package shorten the wait to check
// a missing element without waiting the full five seconds.
func (s *Session) setTimeouts(implicit time.Duration) error {
	return s.command(http.MethodPost, "/timeouts", map[string]int64{
		"implicit": implicit.Milliseconds(),
		"pageLoad": pageLoadTimeout.Milliseconds(),
		"script":   scriptTimeout.Milliseconds(),
	}, nil)
}

// Close ends the browser session, stops chromedriver and everything it
// started, and removes the temporary profile. It may be called more than
// once; later calls return the first call's result.
func (s *Session) Close() error {
	s.closeOnce.Do(func() { s.closeErr = s.close() })
	return s.closeErr
}

func (s *Session) close() error {
	var errs []error
	// With ctx cancelled, chromedriver is being killed already, and with
	// chromedriver gone (a crash), so is the session.
	alive := s.ctx.Err() == nil
	select {
	case <-s.exited:
		alive = false
	default:
	}
	if s.id != "" && alive {
		// Deleting the session first has chromedriver quit Chromium as a
		// user would, so that nothing is half-way through writing the
		// profile when the group is killed; the kill is for what is left.
		ctx, cancel := context.WithTimeout(context.WithoutCancel(s.ctx), closeTimeout)
		err := s.do(ctx, http.MethodDelete, "/session/"+s.id, nil, nil)
		cancel()
		if err != nil {
			errs = append(errs, fmt.Errorf("browser: ending the session: %w", err))
		}
	}
	// Then the whole process group, whatever was left of it.
	if err := killGroup(s.cmd.Process); err != nil {
		errs = append(errs, fmt.Errorf("browser: stopping chromedriver: %w", err))
	}
	select {
	case <-s.exited:
	case <-time.After(closeTimeout):
		errs = append(errs, errors.New("browser: chromedriver did not exit"))
	}
	s.client.CloseIdleConnections()
	if err := removeAll(s.dir); err != nil {
		errs = append(errs, fmt.Errorf("browser: removing the profile: %w", err))
	}
	return errors.Join(errs...)
}

// removeAll removes dir, trying again for up to two seconds. Chromium's
// processes cannot be waited for (once chromedriver is gone they are
// orphans, for init to reap), and its crash handler leaves the process
// group, so escapes the kill: it exits by itself a moment after the browser
// and may still be writing under dir/home at the first try.
func removeAll(dir string) error {
	var err error
	for range 50 {
		if err = os.RemoveAll(dir); err == nil {
			return nil
		}
		time.Sleep(40 * time.Millisecond)
	}
	return err
}

// Go navigates to url and waits for the page to load.
func (s *Session) Go(url string) error {
	return s.command(http.MethodPost, "/url", map[string]string{"url": url}, nil)
}

// URL returns the address of the current page, after any redirects.
func (s *Session) URL() (string, error) {
	var u string
	err := s.command(http.MethodGet, "/url", nil, &u)
	return u, err
}

// Title returns the current page's title.
func (s *Session) Title() (string, error) {
	var t string
	err := s.command(http.MethodGet, "/title", nil, &t)
	return t, err
}

// Source returns the current page's DOM serialized as HTML: the document as
// scripts have left it, not the bytes the server sent.
func (s *Session) Source() (string, error) {
	var src string
	err := s.command(http.MethodGet, "/source", nil, &src)
	return src, err
}

// Find returns the first element matching the CSS selector, waiting up to
// five seconds for one to appear. With none, the error is an *Error with
// Code "no such element".
func (s *Session) Find(css string) (*Element, error) {
	return s.find("", css)
}

// FindAll returns every element matching the CSS selector, waiting up to
// five seconds for at least one to appear; none is an empty slice, not an
// error.
func (s *Session) FindAll(css string) ([]*Element, error) {
	var refs []map[string]string
	if err := s.command(http.MethodPost, "/elements", locator(css), &refs); err != nil {
		return nil, err
	}
	els := make([]*Element, 0, len(refs))
	for _, r := range refs {
		el, err := s.element(r)
		if err != nil {
			return nil, err
		}
		els = append(els, el)
	}
	return els, nil
}

// find looks for css on the page, or inside the element with id from.
func (s *Session) find(from, css string) (*Element, error) {
	path := "/element"
	if from != "" {
		path = "/element/" + url.PathEscape(from) + "/element"
	}
	var ref map[string]string
	if err := s.command(http.MethodPost, path, locator(css), &ref); err != nil {
		return nil, err
	}
	return s.element(ref)
}

func locator(css string) map[string]string {
	return map[string]string{"using": "css selector", "value": css}
}

func (s *Session) element(ref map[string]string) (*Element, error) {
	id := ref[elementKey]
	if id == "" {
		return nil, fmt.Errorf("browser: not an element reference: %v", ref)
	}
	return &Element{s: s, id: id}, nil
}

// Screenshot returns a PNG of the browser's viewport.
func (s *Session) Screenshot() ([]byte, error) {
	var b64 string
	if err := s.command(http.MethodGet, "/screenshot", nil, &b64); err != nil {
		return nil, err
	}
	png, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		return nil, fmt.Errorf("browser: screenshot: %w", err)
	}
	return png, nil
}

// Cookie is a cookie as WebDriver reports it. It is not an http.Cookie
// because the wire names and the expiry's form differ.
type Cookie struct {
	Name     string `json:"name"`
	Value    string `json:"value"`
	Path     string `json:"path,omitempty"`
	Domain   string `json:"domain,omitempty"`
	Secure   bool   `json:"secure,omitempty"`
	HTTPOnly bool   `json:"httpOnly,omitempty"`
	Expiry   int64  `json:"expiry,omitempty"` // Unix seconds; zero for a session cookie
	SameSite string `json:"sameSite,omitempty"`
}

// Cookies returns the cookies visible to the current page, HttpOnly ones
// included, which a script on the page could not see.
func (s *Session) Cookies() ([]Cookie, error) {
	var cs []Cookie
	err := s.command(http.MethodGet, "/cookie", nil, &cs)
	return cs, err
}

// DeleteCookies deletes the cookies visible to the current page, to log a
// test's user out without a new session.
func (s *Session) DeleteCookies() error {
	return s.command(http.MethodDelete, "/cookie", nil, nil)
}

// Exec runs script as the body of a function in the page and returns what
// it returns, decoded from JSON; elements among the arguments and the
// result travel as *Element. It is for tests that need to look at state no
// other command shows; a test that drives the page should click and type.
func (s *Session) Exec(script string, args ...any) (any, error) {
	if args == nil {
		args = []any{} // the protocol wants an array, not null
	}
	var result any
	err := s.command(http.MethodPost, "/execute/sync", map[string]any{"script": script, "args": args}, &result)
	if err != nil {
		return nil, err
	}
	return s.elements(result), nil
}

// elements replaces element references in a decoded script result with
// *Element values.
func (s *Session) elements(v any) any {
	switch v := v.(type) {
	case map[string]any:
		if id, ok := v[elementKey].(string); ok && len(v) == 1 {
			return &Element{s: s, id: id}
		}
		for k, x := range v {
			v[k] = s.elements(x)
		}
	case []any:
		for i, x := range v {
			v[i] = s.elements(x)
		}
	}
	return v
}

// command sends a command to this session's endpoint path (such as
// "/title") and decodes the response's value into out, if out is not nil.
func (s *Session) command(method, path string, body, out any) error {
	if s.id == "" {
		return errors.New("browser: no session")
	}
	return s.do(s.ctx, method, "/session/"+s.id+path, body, out)
}

// do makes one WebDriver request to chromedriver's endpoint path. Every
// response is a JSON object whose "value" holds either the result or, with
// an error status, the error.
func (s *Session) do(ctx context.Context, method, path string, body, out any) error {
	// Errors name the command as the specification does, without the
	// session id that every command but the session's own start and end
	// has in common.
	op := method + " " + path
	if short, ok := strings.CutPrefix(path, "/session/"+s.id+"/"); ok && s.id != "" {
		op = method + " /" + short
	}
	var rd io.Reader
	if method == http.MethodPost {
		if body == nil {
			body = struct{}{} // POST bodies must be a JSON object
		}
		b, err := json.Marshal(body)
		if err != nil {
			return fmt.Errorf("browser: %s: %w", op, err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, s.base+path, rd)
	if err != nil {
		return fmt.Errorf("browser: %s: %w", op, err)
	}
	if rd != nil {
		req.Header.Set("Content-Type", "application/json; charset=utf-8")
	}
	resp, err := s.client.Do(req)
	if err != nil {
		return fmt.Errorf("browser: %s: %w", op, err)
	}
	raw, err := io.ReadAll(resp.Body)
	if cerr := resp.Body.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("browser: %s: %w", op, err)
	}
	var env struct {
		Value json.RawMessage `json:"value"`
	}
	jsonErr := json.Unmarshal(raw, &env)
	if resp.StatusCode != http.StatusOK {
		var e struct {
			Error   string `json:"error"`
			Message string `json:"message"`
		}
		if jsonErr != nil || json.Unmarshal(env.Value, &e) != nil || e.Error == "" {
			// Not a WebDriver error: an unknown path, a proxy, a crash.
			e.Error = "unknown error"
			e.Message = fmt.Sprintf("HTTP %s: %.200s", resp.Status, raw)
		}
		return &Error{Op: op, Status: resp.StatusCode, Code: e.Error, Message: strings.TrimSpace(e.Message)}
	}
	if jsonErr != nil {
		return fmt.Errorf("browser: %s: decoding the response: %w", op, jsonErr)
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(env.Value, out); err != nil {
		return fmt.Errorf("browser: %s: decoding the value: %w", op, err)
	}
	return nil
}

// tail returns the end of chromedriver's log, for start-up errors.
func tail(path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return "(no log: " + err.Error() + ")"
	}
	const limit = 4000
	if len(b) > limit {
		b = b[len(b)-limit:]
	}
	return string(b)
}
