// Package web is tumen's web application and JSON API: server-rendered
// pages (html/template, assets embedded, no JavaScript, nothing loaded from
// third parties) in Korean and English, and /api/v1 with the same
// permissions. routes.go lists the whole surface.
package web

import (
	"context"
	"crypto/subtle"
	"embed"
	"encoding/json"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"tumen"
	"tumen/approx"
	"tumen/auth"
	"tumen/search"
	"tumen/sqlstore"
	"tumen/vocab"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

var redactedDate = approx.Date{}

// Options configure a Server.
type Options struct {
	// Insecure drops the Secure flag from cookies, for plain HTTP on a
	// network other than loopback. Browsers accept Secure cookies from
	// http://localhost and http://127.0.0.1.
	Insecure bool
	// SessionIdle and SessionMax bound a session's life.
	SessionIdle, SessionMax time.Duration
	// MaxFailures failed logins in a row lock an account for LockFor.
	MaxFailures int
	LockFor     time.Duration
	// LoginRate is how many login attempts one address may make a minute.
	LoginRate int
	// Index is the search index, built when the store was unlocked; New
	// builds one when it is nil.
	Index *search.Index
}

// Server serves the web application.
type Server struct {
	store *sqlstore.DB
	data  *vocab.Data
	log   *slog.Logger
	opts  Options
	pages map[string]*template.Template
	// Now returns the time; tests replace it.
	Now func() time.Time

	mu         sync.Mutex
	attempts   map[string][]time.Time // login attempts by client address
	statsMu    sync.Mutex
	statsCache *tumen.Stats
	statsAt    time.Time
	statsDone  chan struct{} // closed when the running count ends; nil when none runs
	statsErr   error
	index      *search.Index
	reportMu   sync.Mutex
	reports    map[reportKey]*builtReport

	reference
}

// New returns a server over an unlocked store. It parses every template
// now, so a broken view fails the start, not a request.
func New(store *sqlstore.DB, data *vocab.Data, log *slog.Logger, opts Options) (*Server, error) {
	if opts.SessionIdle == 0 {
		opts.SessionIdle = 30 * time.Minute
	}
	if opts.SessionMax == 0 {
		opts.SessionMax = 12 * time.Hour
	}
	if opts.MaxFailures == 0 {
		opts.MaxFailures = 5
	}
	if opts.LockFor == 0 {
		opts.LockFor = 15 * time.Minute
	}
	if opts.LoginRate == 0 {
		opts.LoginRate = 20
	}
	s := &Server{store: store, data: data, log: log, opts: opts, Now: time.Now, attempts: map[string][]time.Time{}, index: opts.Index}
	if err := s.parseTemplates(); err != nil {
		return nil, err
	}
	if s.index == nil {
		ix, err := search.Build(tumen.WithActor(context.Background(), "search-index"), store)
		if err != nil {
			return nil, err
		}
		s.index = ix
	}
	if err := s.loadReference(context.Background()); err != nil {
		return nil, err
	}
	// Count once now, so no visitor waits for the first count.
	go s.statsCtx(context.Background())
	return s, nil
}

func (s *Server) parseTemplates() error {
	layout, err := fs.ReadFile(templateFS, "templates/layout.html")
	if err != nil {
		return err
	}
	files, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return err
	}
	s.pages = map[string]*template.Template{}
	for _, f := range files {
		name := strings.TrimSuffix(strings.TrimPrefix(f, "templates/"), ".html")
		if name == "layout" {
			continue
		}
		body, err := fs.ReadFile(templateFS, f)
		if err != nil {
			return err
		}
		t, err := template.New("layout").Funcs(funcs).Parse(string(layout))
		if err == nil {
			_, err = t.New(name).Parse(string(body))
		}
		if err != nil {
			return fmt.Errorf("template %s: %w", name, err)
		}
		s.pages[name] = t
	}
	return nil
}

// Handler returns the server's handler with every protection applied.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	s.routes(mux)
	return s.headers(s.limitBody(mux))
}

// HTTPServer returns an http.Server with timeouts on every phase.
func (s *Server) HTTPServer(addr string) *http.Server {
	return &http.Server{
		Addr:              addr,
		Handler:           s.Handler(),
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    32 << 10,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
	}
}

// csp allows only the application's own stylesheet and images, forms to
// itself, and no scripts at all: the pages need none.
const csp = "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

func (s *Server) headers(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", csp)
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Cross-Origin-Resource-Policy", "same-origin")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
		if !strings.HasPrefix(r.URL.Path, "/static/") {
			h.Set("Cache-Control", "no-store")
		}
		next.ServeHTTP(w, r)
	})
}

// Request size limits: forms and JSON are small; uploads may be large.
const (
	maxBody   = 1 << 20
	maxUpload = 64 << 20
)

func (s *Server) limitBody(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		limit := int64(maxBody)
		if strings.HasSuffix(r.URL.Path, "/attachments") {
			limit = maxUpload
		}
		if r.ContentLength > limit {
			http.Error(w, "request too large", http.StatusRequestEntityTooLarge)
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, limit)
		next.ServeHTTP(w, r)
	})
}

// request is what a handler knows about who is asking.
type request struct {
	user    *tumen.User
	session *tumen.Session
	hash    []byte // the session token's hash
	api     bool   // authenticated by an API token
	lang    string
}

type ctxKey struct{}

func reqOf(r *http.Request) *request {
	if v, ok := r.Context().Value(ctxKey{}).(*request); ok {
		return v
	}
	return &request{lang: "en"}
}

// actorCtx names the user in the context, for the audit log.
func actorCtx(r *http.Request) context.Context {
	rq := reqOf(r)
	if rq.user == nil {
		return tumen.WithActor(r.Context(), "web:anonymous")
	}
	return tumen.WithActor(r.Context(), "web:"+rq.user.Name)
}

const sessionCookie = "tumen_session"

// authenticate finds the session or API token of a request.
func (s *Server) authenticate(r *http.Request) *request {
	rq := &request{lang: language(r)}
	if h := r.Header.Get("Authorization"); strings.HasPrefix(h, "Bearer ") {
		u, err := s.store.TokenUser(r.Context(), auth.HashToken(strings.TrimPrefix(h, "Bearer ")))
		if err == nil && !u.Disabled {
			rq.user, rq.api = u, true
		}
		return rq
	}
	c, err := r.Cookie(sessionCookie)
	if err != nil || c.Value == "" {
		return rq
	}
	hash := auth.HashToken(c.Value)
	sess, u, err := s.store.SessionUser(r.Context(), hash)
	if err != nil || u.Disabled {
		return rq
	}
	rq.user, rq.session, rq.hash = u, sess, hash
	return rq
}

// guard wraps a handler: it requires a full login with permission p
// (PermRead for any logged-in page) and, on state-changing requests from a
// browser, a valid CSRF token.
func (s *Server) guard(p Perm, h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		rq := s.authenticate(r)
		api := strings.HasPrefix(r.URL.Path, "/api/")
		if rq.user == nil || (rq.session != nil && rq.session.Stage != tumen.StageFull) {
			if api {
				s.fail(w, r, tumen.Errorf(tumen.KindUnauthorized, "log in or send an API token"))
				return
			}
			http.Redirect(w, r, "/login", http.StatusSeeOther)
			return
		}
		if !can(rq.user, p) {
			s.fail(w, r.WithContext(context.WithValue(r.Context(), ctxKey{}, rq)), tumen.Errorf(tumen.KindForbidden, "your role may not do this"))
			return
		}
		if r.Method != http.MethodGet && r.Method != http.MethodHead && !rq.api {
			if !s.checkCSRF(r, rq.session.CSRF) {
				s.fail(w, r, tumen.Errorf(tumen.KindForbidden, "the form expired or came from elsewhere: reload the page and try again"))
				return
			}
		}
		if rq.session != nil {
			// Sliding idle expiry, never beyond the session's maximum age.
			exp := s.Now().Add(s.opts.SessionIdle)
			if max := rq.session.Created.Add(s.opts.SessionMax); exp.After(max) {
				exp = max
			}
			if exp.Sub(rq.session.Expires) > time.Minute {
				_ = s.store.TouchSession(r.Context(), rq.hash, exp)
			}
		}
		h(w, r.WithContext(context.WithValue(r.Context(), ctxKey{}, rq)))
	}
}

// checkCSRF compares the form's or header's token with the session's.
func (s *Server) checkCSRF(r *http.Request, want string) bool {
	got := r.Header.Get("X-CSRF-Token")
	if got == "" {
		if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
			if err := r.ParseMultipartForm(maxUpload); err != nil {
				return false
			}
		}
		got = r.PostFormValue("csrf")
	}
	return want != "" && subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}

// clientIP is the address login throttling counts by. tumen serves
// directly; behind a proxy, run it on loopback and let the proxy throttle.
func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// allowLogin applies the per-address login rate.
func (s *Server) allowLogin(ip string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.Now()
	var kept []time.Time
	for _, t := range s.attempts[ip] {
		if now.Sub(t) < time.Minute {
			kept = append(kept, t)
		}
	}
	if len(kept) >= s.opts.LoginRate {
		s.attempts[ip] = kept
		return false
	}
	s.attempts[ip] = append(kept, now)
	return true
}

// status maps an error's kind to an HTTP status.
func status(err error) int {
	switch tumen.ErrorKind(err) {
	case tumen.KindInvalid:
		return http.StatusBadRequest
	case tumen.KindNotFound:
		return http.StatusNotFound
	case tumen.KindConflict:
		return http.StatusConflict
	case tumen.KindUnauthorized:
		return http.StatusUnauthorized
	case tumen.KindForbidden:
		return http.StatusForbidden
	case tumen.KindUnavailable:
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}

// fail is the one place errors become responses: the user sees the safe
// message (internal errors read "internal error"), the log gets the detail.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	code := status(err)
	msg := tumen.ErrorMessage(err)
	switch code {
	case http.StatusInternalServerError:
		s.log.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	case http.StatusServiceUnavailable:
		w.Header().Set("Retry-After", "10")
	}
	if strings.HasPrefix(r.URL.Path, "/api/") {
		writeJSON(w, code, map[string]any{"error": msg, "kind": tumen.ErrorKind(err).String()})
		return
	}
	w.WriteHeader(code)
	s.render(w, r, "error", map[string]any{"Status": code, "Message": msg})
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(code)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(v)
}

// page is what every template receives.
type page struct {
	T         func(string) string
	M         map[string]string // the interface's words in the page's language
	Lang      string
	User      *tumen.User
	CSRF      string
	Path      string
	Title     string
	Data      any
	Flash     string
	IsAdmin   bool
	CanEdit   bool
	CanReview bool
}

// render executes a page template in the layout.
func (s *Server) render(w http.ResponseWriter, r *http.Request, name string, data any) {
	rq := reqOf(r)
	user := rq.user
	if rq.session != nil && rq.session.Stage != tumen.StageFull {
		user = nil // between the two factors nobody is logged in yet
	}
	p := page{T: translator(rq.lang), M: dictionary(rq.lang), Lang: rq.lang, User: user, Path: r.URL.Path, Data: data,
		IsAdmin: can(rq.user, PermAdmin), CanEdit: can(rq.user, PermWrite), CanReview: can(rq.user, PermReview), Flash: r.URL.Query().Get("ok")}
	if rq.session != nil {
		p.CSRF = rq.session.CSRF
	}
	if m, ok := data.(map[string]any); ok {
		if t, ok := m["Title"].(string); ok {
			p.Title = t
		}
		if c, ok := m["CSRF"].(string); ok && p.CSRF == "" {
			p.CSRF = c
		}
	}
	t := s.pages[name]
	if t == nil {
		s.log.Error("no template", "name", name)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if err := t.ExecuteTemplate(w, "layout", p); err != nil {
		s.log.Error("render", "template", name, "err", err)
	}
}
