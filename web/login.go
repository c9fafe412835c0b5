package web

import (
	"context"
	"net/http"
	"net/url"
	"sync"
	"time"

	"tumen"
	"tumen/auth"
	"tumen/crypt"
)

// preCookie carries the CSRF token of the login form, before any session
// exists (double-submit: the form must echo the cookie).
const preCookie = "tumen_pre"

func (s *Server) cookie(name, value string, maxAge int) *http.Cookie {
	return &http.Cookie{Name: name, Value: value, Path: "/", MaxAge: maxAge, HttpOnly: true, Secure: !s.opts.Insecure, SameSite: http.SameSiteStrictMode}
}

func (s *Server) setLanguage(w http.ResponseWriter, r *http.Request) {
	lang := r.PathValue("lang")
	if lang != "ko" && lang != "en" {
		lang = "en"
	}
	http.SetCookie(w, &http.Cookie{Name: "lang", Value: lang, Path: "/", MaxAge: 365 * 24 * 3600, Secure: !s.opts.Insecure, SameSite: http.SameSiteLaxMode})
	next := r.URL.Query().Get("next")
	// Only local paths: an open redirect would help phishing.
	if u, err := url.Parse(next); err != nil || next == "" || u.IsAbs() || u.Host != "" || len(next) > 0 && next[0] != '/' || len(next) > 1 && (next[1] == '/' || next[1] == '\\') {
		next = "/"
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}

func (s *Server) loginPage(w http.ResponseWriter, r *http.Request) {
	token, _ := auth.NewToken()
	http.SetCookie(w, s.cookie(preCookie, token, 600))
	rq := &request{lang: language(r)}
	r = r.WithContext(context.WithValue(r.Context(), ctxKey{}, rq))
	s.render(w, r, "login", map[string]any{"Title": "login", "CSRF": token, "Error": r.URL.Query().Get("e")})
}

func (s *Server) preCSRF(r *http.Request) bool {
	c, err := r.Cookie(preCookie)
	return err == nil && c.Value != "" && auth.Equal(c.Value, r.PostFormValue("csrf"))
}

// loginError sends the user back to the form with one message for every
// failure, so the answer does not tell which accounts exist.
func loginError(w http.ResponseWriter, r *http.Request, msg string) {
	http.Redirect(w, r, "/login?e="+url.QueryEscape(msg), http.StatusSeeOther)
}

const badLogin = "Wrong user name or password, or the account is locked."

func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	if !s.preCSRF(r) {
		loginError(w, r, "The form expired: try again.")
		return
	}
	ip := clientIP(r)
	if !s.allowLogin(ip) {
		s.store.Audit(tumen.WithActor(r.Context(), "web:"+ip), "login-throttled", "user", "", "too many attempts from one address")
		loginError(w, r, "Too many attempts: wait a minute.")
		return
	}
	name, password := r.PostFormValue("name"), r.PostFormValue("password")
	ctx := tumen.WithActor(r.Context(), "web:"+name)
	u, err := s.store.UserByName(r.Context(), name)
	if err != nil {
		// Hash anyway, so timing does not reveal whether the name exists.
		crypt.VerifyPassword(dummyHash(), password)
		loginError(w, r, badLogin)
		return
	}
	if u.Disabled || u.LockedUntil.After(s.Now()) {
		crypt.VerifyPassword(dummyHash(), password)
		s.store.Audit(ctx, "login-refused", "user", u.ID, "account disabled or locked")
		loginError(w, r, badLogin)
		return
	}
	if !crypt.VerifyPassword(u.PasswordHash, password) {
		if _, err := s.store.LoginFailed(ctx, u.ID, s.opts.MaxFailures, s.opts.LockFor); err != nil {
			s.fail(w, r, err)
			return
		}
		loginError(w, r, badLogin)
		return
	}
	stage := tumen.StageFull
	if needsTwoFactor(u.Role) {
		stage = tumen.StagePassword
	}
	s.startSession(w, r, ctx, u, stage)
	if stage == tumen.StagePassword {
		http.Redirect(w, r, "/login/totp", http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

// dummyHash is verified against when there is no real hash, to keep the
// time of a failed login the same.
var dummyHash = sync.OnceValue(func() string { h, _ := crypt.HashPassword("no such user", crypt.DefaultParams); return h })

func (s *Server) startSession(w http.ResponseWriter, r *http.Request, ctx context.Context, u *tumen.User, stage string) {
	token, hash := auth.NewToken()
	csrf, _ := auth.NewToken()
	now := s.Now()
	life := s.opts.SessionIdle
	if stage == tumen.StagePassword {
		life = 5 * time.Minute // time to type the code
	}
	sess := &tumen.Session{UserID: u.ID, CSRF: csrf, Stage: stage, Created: now, Expires: now.Add(life), LastSeen: now}
	if err := s.store.CreateSession(ctx, hash, sess); err != nil {
		s.fail(w, r, err)
		return
	}
	http.SetCookie(w, s.cookie(sessionCookie, token, int(s.opts.SessionMax/time.Second)))
	http.SetCookie(w, s.cookie(preCookie, "", -1))
}

// halfSession returns the session of a user who passed the password step.
func (s *Server) halfSession(r *http.Request) *request {
	rq := s.authenticate(r)
	if rq.user == nil || rq.session == nil || rq.session.Stage != tumen.StagePassword {
		return nil
	}
	return rq
}

func (s *Server) totpPage(w http.ResponseWriter, r *http.Request) {
	rq := s.halfSession(r)
	if rq == nil {
		http.Redirect(w, r, "/login", http.StatusSeeOther)
		return
	}
	secret, enabled, _, err := s.store.TOTP(r.Context(), rq.user.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	data := map[string]any{"Title": "login", "Error": r.URL.Query().Get("e")}
	if !enabled {
		// First login: show a new key until a code from it is entered.
		if secret == "" {
			secret = auth.NewSecret()
			if err := s.store.SetTOTP(tumen.WithActor(r.Context(), "web:"+rq.user.Name), rq.user.ID, secret); err != nil {
				s.fail(w, r, err)
				return
			}
		}
		data["Enrol"] = true
		data["Secret"] = secret
		data["URI"] = auth.URI("tumen", rq.user.Name, secret)
	}
	r = r.WithContext(context.WithValue(r.Context(), ctxKey{}, rq))
	s.render(w, r, "totp", data)
}

func (s *Server) totp(w http.ResponseWriter, r *http.Request) {
	rq := s.halfSession(r)
	if rq == nil {
		http.Redirect(w, r, "/login", http.StatusSeeOther)
		return
	}
	if !auth.Equal(r.PostFormValue("csrf"), rq.session.CSRF) {
		http.Redirect(w, r, "/login/totp?e="+url.QueryEscape("The form expired: try again."), http.StatusSeeOther)
		return
	}
	ctx := tumen.WithActor(r.Context(), "web:"+rq.user.Name)
	if !s.allowLogin(clientIP(r)) {
		http.Redirect(w, r, "/login/totp?e="+url.QueryEscape("Too many attempts: wait a minute."), http.StatusSeeOther)
		return
	}
	secret, _, last, err := s.store.TOTP(r.Context(), rq.user.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	step, ok := auth.Verify(secret, r.PostFormValue("code"), s.Now(), last)
	if ok {
		ok = s.store.UseTOTP(ctx, rq.user.ID, step) == nil
	}
	if !ok {
		n, err := s.store.LoginFailed(ctx, rq.user.ID, s.opts.MaxFailures, s.opts.LockFor)
		if err == nil && n >= s.opts.MaxFailures {
			_ = s.store.DeleteSession(ctx, rq.hash, rq.user.ID, false)
			loginError(w, r, badLogin)
			return
		}
		http.Redirect(w, r, "/login/totp?e="+url.QueryEscape("Wrong or used code: try the next one."), http.StatusSeeOther)
		return
	}
	// A new session for the full login: the half one is thrown away, so a
	// token seen before the second factor is worth nothing after it.
	_ = s.store.DeleteSession(ctx, rq.hash, rq.user.ID, false)
	s.startSession(w, r, ctx, rq.user, tumen.StageFull)
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request) {
	rq := s.authenticate(r)
	if rq.session != nil && auth.Equal(r.PostFormValue("csrf"), rq.session.CSRF) {
		_ = s.store.DeleteSession(tumen.WithActor(r.Context(), "web:"+rq.user.Name), rq.hash, rq.user.ID, true)
	}
	http.SetCookie(w, s.cookie(sessionCookie, "", -1))
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}
