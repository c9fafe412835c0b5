package web

import (
	"net/http"
	"net/url"
	"strconv"
	"time"

	"tumen"
	"tumen/auth"
	"tumen/crypt"
	"tumen/sqlstore"
)

func (s *Server) usersPage(w http.ResponseWriter, r *http.Request) {
	us, err := s.store.Users(actorCtx(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, "users", map[string]any{"Title": "users", "Users": us, "Roles": tumen.Roles,
		"Levels": []tumen.Level{tumen.Public, tumen.Internal, tumen.Confidential, tumen.Secret},
		"Error":  r.URL.Query().Get("e"), "Token": r.URL.Query().Get("token"), "Matrix": roleMatrix()})
}

// roleRow is one row of the roles table shown to admins and in the docs.
type roleRow struct {
	Perm  string
	Roles []bool
}

func roleMatrix() []roleRow {
	var rows []roleRow
	for _, p := range []Perm{PermRead, PermIdentity, PermWrite, PermReview, PermAppeal, PermExport, PermAdmin} {
		row := roleRow{Perm: permNames[p]}
		for _, role := range tumen.Roles {
			row.Roles = append(row.Roles, can(&tumen.User{Role: role}, p))
		}
		rows = append(rows, row)
	}
	return rows
}

func (s *Server) createUser(w http.ResponseWriter, r *http.Request) {
	back := func(msg string) { http.Redirect(w, r, "/admin/users?e="+url.QueryEscape(msg), http.StatusSeeOther) }
	name, pw := r.PostFormValue("name"), r.PostFormValue("password")
	role := tumen.Role(r.PostFormValue("role"))
	lvl, err := tumen.ParseLevel(r.PostFormValue("clearance"))
	if err != nil || !role.Valid() {
		back("Pick a role and a clearance.")
		return
	}
	if len(pw) < 10 {
		back("A password has at least 10 characters.")
		return
	}
	hash, err := crypt.HashPassword(pw, crypt.DefaultParams)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	u := &tumen.User{ID: newID("U"), Name: name, Role: role, Clearance: lvl, PasswordHash: hash}
	if err := s.store.CreateUser(actorCtx(r), u); err != nil {
		back(tumen.ErrorMessage(err))
		return
	}
	http.Redirect(w, r, "/admin/users?ok=saved", http.StatusSeeOther)
}

func (s *Server) updateUser(w http.ResponseWriter, r *http.Request) {
	role := tumen.Role(r.PostFormValue("role"))
	lvl, err := tumen.ParseLevel(r.PostFormValue("clearance"))
	if err != nil || !role.Valid() {
		s.fail(w, r, tumen.Errorf(tumen.KindInvalid, "pick a role and a clearance"))
		return
	}
	id := r.PathValue("id")
	if id == reqOf(r).user.ID && (role != tumen.RoleAdmin || r.PostFormValue("disabled") != "") {
		s.fail(w, r, tumen.Errorf(tumen.KindInvalid, "an administrator cannot demote or disable their own account"))
		return
	}
	if err := s.store.SetPermissions(actorCtx(r), id, role, lvl, r.PostFormValue("disabled") != ""); err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/admin/users?ok=saved", http.StatusSeeOther)
}

// createToken makes an API token for the admin's own account, shown once.
func (s *Server) createToken(w http.ResponseWriter, r *http.Request) {
	u := reqOf(r).user
	token, hash := auth.NewToken()
	name := r.PostFormValue("name")
	if name == "" {
		name = "script"
	}
	if err := s.store.CreateToken(actorCtx(r), hash, u.ID, name, s.Now().Add(90*24*time.Hour)); err != nil {
		s.fail(w, r, err)
		return
	}
	// The token goes in the page once and is never stored in the clear.
	s.render(w, r, "token", map[string]any{"Title": "users", "Token": token})
}

func (s *Server) auditFilter(r *http.Request) sqlstore.AuditFilter {
	q := r.URL.Query()
	f := sqlstore.AuditFilter{Actor: q.Get("actor"), Action: q.Get("action"), Kind: q.Get("kind"), Target: q.Get("target"), Limit: 100}
	f.BeforeSeq, _ = strconv.ParseInt(q.Get("before"), 10, 64)
	return f
}

func (s *Server) auditPage(w http.ResponseWriter, r *http.Request) {
	ctx := actorCtx(r)
	es, err := s.store.SearchAudit(ctx, s.auditFilter(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	bad, n, err := s.store.VerifyAudit(ctx)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	next := ""
	if len(es) == 100 {
		q := r.URL.Query()
		q.Set("before", strconv.FormatInt(es[len(es)-1].Seq, 10))
		next = "/admin/audit?" + q.Encode()
	}
	s.render(w, r, "audit", map[string]any{"Title": "audit", "Entries": es, "Bad": bad, "N": n, "Q": r.URL.Query(), "Next": next})
}
