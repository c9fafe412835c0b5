package browser

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"
)

// pngSignature opens every PNG file.
var pngSignature = []byte("\x89PNG\r\n\x1a\n")

var pages = template.Must(template.New("").Parse(`
{{define "form"}}<!doctype html><meta charset="utf-8"><title>Form</title>
<form method="post" action="/echo">
<label>이름 <input id="name" name="name" autocomplete="off"></label>
<button id="send" type="submit">보내기</button>
</form>{{end}}
{{define "echo"}}<!doctype html><meta charset="utf-8"><title>Echo</title>
<p id="echo">{{.}}</p>{{end}}
{{define "list"}}<!doctype html><meta charset="utf-8"><title>목록 — tumen</title>
<ul id="list"><li>one</li><li>two</li><li>three</li></ul>
<a id="link" href="/echo-again">link</a>
<script>setTimeout(() => {
	const p = document.createElement("p");
	p.id = "late";
	p.textContent = "late";
	document.body.append(p);
}, 300);</script>{{end}}
`))

// newServer serves the pages the tests drive: a form that posts back, the
// page echoing what was posted, and a list. The form sets a cookie.
func newServer(t *testing.T) *httptest.Server {
	t.Helper()
	render := func(w http.ResponseWriter, name string, data any) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		if err := pages.ExecuteTemplate(w, name, data); err != nil {
			t.Error(err)
		}
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		http.SetCookie(w, &http.Cookie{Name: "tumen_test", Value: "abc123", Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode})
		render(w, "form", nil)
	})
	mux.HandleFunc("POST /echo", func(w http.ResponseWriter, r *http.Request) {
		render(w, "echo", r.PostFormValue("name"))
	})
	mux.HandleFunc("GET /list", func(w http.ResponseWriter, r *http.Request) {
		render(w, "list", nil)
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

func TestBrowser(t *testing.T) {
	s := New(t)
	srv := newServer(t)

	t.Run("form posts Hangul", func(t *testing.T) {
		if err := s.Go(srv.URL + "/"); err != nil {
			t.Fatal(err)
		}
		in, err := s.Find("#name")
		if err != nil {
			t.Fatal(err)
		}
		if err := in.Type("지우기"); err != nil {
			t.Fatal(err)
		}
		if err := in.Clear(); err != nil {
			t.Fatal(err)
		}
		if err := in.Type("이영호"); err != nil {
			t.Fatal(err)
		}
		// The typed text is the field's property; its attribute stays as
		// the markup has it.
		v, err := s.Exec("return arguments[0].value", in)
		if err != nil {
			t.Fatal(err)
		}
		if v != "이영호" {
			t.Fatalf("input value = %q, want 이영호", v)
		}
		if value, err := in.Attr("value"); err != nil || value != "" {
			t.Fatalf(`Attr("value") = %q, %v; want the markup's ""`, value, err)
		}
		if name, err := in.Attr("name"); err != nil || name != "name" {
			t.Fatalf(`Attr("name") = %q, %v; want "name"`, name, err)
		}
		if none, err := in.Attr("data-none"); err != nil || none != "" {
			t.Fatalf(`Attr("data-none") = %q, %v; want ""`, none, err)
		}
		send, err := s.Find("form #send")
		if err != nil {
			t.Fatal(err)
		}
		if err := send.Click(); err != nil {
			t.Fatal(err)
		}
		echo, err := s.Find("#echo") // waits for the posted page
		if err != nil {
			t.Fatal(err)
		}
		if got, err := echo.Text(); err != nil || got != "이영호" {
			t.Fatalf("echoed %q, %v; want 이영호", got, err)
		}
		if u, err := s.URL(); err != nil || u != srv.URL+"/echo" {
			t.Fatalf("URL() = %q, %v; want %s/echo", u, err, srv.URL)
		}
		src, err := s.Source()
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(src, `<p id="echo">이영호</p>`) {
			t.Fatalf("source lacks the echoed name:\n%s", src)
		}
	})

	t.Run("cookies", func(t *testing.T) {
		if err := s.Go(srv.URL + "/"); err != nil {
			t.Fatal(err)
		}
		cs, err := s.Cookies()
		if err != nil {
			t.Fatal(err)
		}
		if len(cs) != 1 || cs[0].Name != "tumen_test" || cs[0].Value != "abc123" || !cs[0].HTTPOnly || cs[0].Path != "/" {
			t.Fatalf("Cookies() = %+v, want the HttpOnly tumen_test=abc123", cs)
		}
		if err := s.DeleteCookies(); err != nil {
			t.Fatal(err)
		}
		if cs, err := s.Cookies(); err != nil || len(cs) != 0 {
			t.Fatalf("after DeleteCookies: %+v, %v", cs, err)
		}
	})

	t.Run("title, FindAll and Element.Find", func(t *testing.T) {
		if err := s.Go(srv.URL + "/list"); err != nil {
			t.Fatal(err)
		}
		if title, err := s.Title(); err != nil || title != "목록 — tumen" {
			t.Fatalf("Title() = %q, %v", title, err)
		}
		items, err := s.FindAll("#list li")
		if err != nil {
			t.Fatal(err)
		}
		if len(items) != 3 {
			t.Fatalf("FindAll found %d items, want 3", len(items))
		}
		link, err := s.Find("#link")
		if err != nil {
			t.Fatal(err)
		}
		if href, err := link.Attr("href"); err != nil || href != "/echo-again" {
			t.Fatalf(`Attr("href") = %q, %v; want the markup's "/echo-again"`, href, err)
		}
		if text, err := items[2].Text(); err != nil || text != "three" {
			t.Fatalf("third item %q, %v", text, err)
		}
		list, err := s.Find("#list")
		if err != nil {
			t.Fatal(err)
		}
		first, err := list.Find("li")
		if err != nil {
			t.Fatal(err)
		}
		if text, err := first.Text(); err != nil || text != "one" {
			t.Fatalf("first item %q, %v", text, err)
		}
		// An element added by a script after load is waited for.
		late, err := s.Find("#late")
		if err != nil {
			t.Fatal(err)
		}
		if text, err := late.Text(); err != nil || text != "late" {
			t.Fatalf("late element %q, %v", text, err)
		}
		// Elements travel both ways through Exec.
		got, err := s.Exec("return document.querySelectorAll('#list li')")
		if err != nil {
			t.Fatal(err)
		}
		if els, ok := got.([]any); !ok || len(els) != 3 {
			t.Fatalf("Exec returned %#v, want 3 elements", got)
		} else if el, ok := els[1].(*Element); !ok {
			t.Fatalf("Exec returned %#v, want *Element", els[1])
		} else if text, err := el.Text(); err != nil || text != "two" {
			t.Fatalf("second item from Exec %q, %v", text, err)
		}
	})

	t.Run("no such element", func(t *testing.T) {
		if err := s.Go(srv.URL + "/list"); err != nil {
			t.Fatal(err)
		}
		// No point waiting five seconds for what will not come.
		if err := s.setTimeouts(0); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			if err := s.setTimeouts(implicitWait); err != nil {
				t.Error(err)
			}
		})
		_, err := s.Find("#missing")
		var we *Error
		if !errors.As(err, &we) || we.Code != "no such element" || we.Status != http.StatusNotFound {
			t.Fatalf("Find(#missing) = %v, want a no such element error", err)
		}
		if !strings.Contains(err.Error(), "no such element") || !strings.Contains(err.Error(), "#missing") {
			t.Fatalf("error text %q lacks the code or the selector", err)
		}
		if els, err := s.FindAll("#missing"); err != nil || len(els) != 0 {
			t.Fatalf("FindAll(#missing) = %v, %v; want none", els, err)
		}
		_, err = s.Exec("throw new Error('boom')")
		if !errors.As(err, &we) || we.Code != "javascript error" || !strings.Contains(we.Message, "boom") {
			t.Fatalf("Exec(throw) = %v, want a javascript error", err)
		}
	})

	t.Run("screenshot", func(t *testing.T) {
		if err := s.Go(srv.URL + "/"); err != nil {
			t.Fatal(err)
		}
		png, err := s.Screenshot()
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.HasPrefix(png, pngSignature) || len(png) < 1000 {
			t.Fatalf("Screenshot() returned %d bytes, not a PNG", len(png))
		}
		dir := t.TempDir()
		path, err := s.saveScreenshot(filepath.Join(dir, "shots"), "TestX/case: one")
		if err != nil {
			t.Fatal(err)
		}
		if want := filepath.Join(dir, "shots", "TestX_case_one.png"); path != want {
			t.Fatalf("saved to %s, want %s", path, want)
		}
		if b, err := os.ReadFile(path); err != nil || !bytes.HasPrefix(b, pngSignature) {
			t.Fatalf("saved file: %v", err)
		}
	})
}

// failedTB is a test that has already failed, whose cleanups wait to be
// run by hand: it lets TestNewAndClose watch what New does at the end of a
// failed test.
type failedTB struct {
	testing.TB
	cleanups []func()
	logs     []string
}

func (f *failedTB) Name() string      { return "TestPage/a case" }
func (f *failedTB) Failed() bool      { return true }
func (f *failedTB) Cleanup(fn func()) { f.cleanups = append(f.cleanups, fn) }
func (f *failedTB) Logf(format string, args ...any) {
	f.logs = append(f.logs, fmt.Sprintf(format, args...))
}

// TestNewAndClose checks that New's cleanup saves a screenshot of a failed
// test and that Close leaves nothing behind: no chromedriver, no Chromium
// process, no profile.
func TestNewAndClose(t *testing.T) {
	shots := t.TempDir()
	t.Setenv("TUMEN_SCREENSHOT_DIR", shots)
	tb := &failedTB{TB: t}
	s := New(tb)
	t.Cleanup(func() { s.Close() }) // in case the test stops early
	if _, err := s.Title(); err != nil {
		t.Fatal(err)
	}
	// The check below must see the browser while it runs, or it could not
	// fail: chromedriver, the browser, its zygotes and renderers.
	if live := running(t, s); len(live) < 3 {
		t.Fatalf("only processes %v found for a running browser", live)
	}
	if len(tb.cleanups) != 1 {
		t.Fatalf("New registered %d cleanups, want 1", len(tb.cleanups))
	}
	tb.cleanups[0]()

	shot := filepath.Join(shots, "TestPage_a_case.png")
	if b, err := os.ReadFile(shot); err != nil || !bytes.HasPrefix(b, pngSignature) {
		t.Errorf("no screenshot of the failed test: %v", err)
	}
	if len(tb.logs) != 1 || !strings.Contains(tb.logs[0], shot) {
		t.Errorf("logged %q, want the screenshot's path", tb.logs)
	}
	assertGone(t, s)
	if err := s.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	if _, err := s.Title(); err == nil {
		t.Error("Title after Close succeeded")
	}
}

// TestStartCancel checks that cancelling Start's context kills the browser.
func TestStartCancel(t *testing.T) {
	if !Available() {
		New(t)
	}
	ctx, cancel := context.WithCancel(context.Background())
	s, err := Start(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	cancel()
	// Close finds chromedriver gone and only cleans up.
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	assertGone(t, s)
}

// running returns the ids of the live processes that belong to s: those
// whose command line names its temporary directory (Chromium's profile,
// the crash handler's database) and chromedriver. Zombies are dead, waiting
// for init to reap them, and do not count.
func running(t *testing.T, s *Session) []string {
	t.Helper()
	if runtime.GOOS != "linux" {
		t.Skip("process check reads /proc")
	}
	procs, err := filepath.Glob("/proc/[0-9]*")
	if err != nil {
		t.Fatal(err)
	}
	var live []string
	for _, p := range procs {
		cmdline, err1 := os.ReadFile(p + "/cmdline")
		stat, err2 := os.ReadFile(p + "/stat")
		if err1 != nil || err2 != nil {
			continue // gone meanwhile
		}
		// The state follows the command name, which is in parentheses.
		if i := bytes.LastIndexByte(stat, ')'); i < 0 || i+2 >= len(stat) || stat[i+2] == 'Z' {
			continue
		}
		pid := filepath.Base(p)
		if bytes.Contains(cmdline, []byte(s.dir)) || pid == strconv.Itoa(s.cmd.Process.Pid) {
			live = append(live, pid)
		}
	}
	return live
}

// assertGone fails unless the session's processes and directory are gone.
func assertGone(t *testing.T, s *Session) {
	t.Helper()
	select {
	case <-s.exited:
	default:
		t.Error("chromedriver still running after Close")
	}
	// The crash handler is not in the process group: it exits by itself
	// when the browser has gone, which may take a moment.
	live := running(t, s)
	for deadline := time.Now().Add(5 * time.Second); len(live) > 0 && time.Now().Before(deadline); {
		time.Sleep(50 * time.Millisecond)
		live = running(t, s)
	}
	if len(live) > 0 {
		t.Errorf("processes %v still running after Close", live)
	}
	if _, err := os.Stat(s.dir); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("%s left after Close: %v", s.dir, err)
	}
}

// TestErrors checks how responses become errors, against a fake driver, so
// it runs without Chromium too.
func TestErrors(t *testing.T) {
	t.Parallel()
	fake := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/session/s1/element":
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusNotFound)
			w.Write([]byte(`{"value":{"error":"no such element","message":"no such element: Unable to locate element: {\"method\":\"css selector\",\"selector\":\"#x\"}\n  (Session info: chrome=156.0)","stacktrace":"#0 ..."}}`))
		case "/session/s1/title":
			w.Write([]byte(`{"value":"A title"}`))
		default:
			http.Error(w, "nothing here", http.StatusNotFound)
		}
	}))
	t.Cleanup(fake.Close)
	s := &Session{ctx: context.Background(), client: fake.Client(), base: fake.URL, id: "s1"}

	if title, err := s.Title(); err != nil || title != "A title" {
		t.Fatalf("Title() = %q, %v", title, err)
	}
	_, err := s.Find("#x")
	var we *Error
	if !errors.As(err, &we) {
		t.Fatalf("Find: %v is not an *Error", err)
	}
	if we.Code != "no such element" || we.Status != 404 || we.Op != "POST /element" || !strings.Contains(we.Message, `"#x"`) {
		t.Fatalf("Find: %+v", we)
	}
	if got := err.Error(); !strings.HasPrefix(got, "browser: POST /element: no such element: no such element: Unable to locate") {
		t.Fatalf("Error() = %q", got)
	}
	// A response that is not WebDriver's still names the command and status.
	_, err = s.Source()
	if !errors.As(err, &we) || we.Code != "unknown error" || !strings.Contains(we.Message, "404") || we.Op != "GET /source" {
		t.Fatalf("Source against a plain 404: %v", err)
	}
}
