package web

import (
	"io/fs"
	"net/http"
)

// routes lists the whole surface of the web application and API, with the
// permission each route needs. The route × role tests walk this list.
func (s *Server) routes(mux *http.ServeMux) {
	static, _ := fs.Sub(staticFS, "static")
	mux.Handle("GET /static/", http.StripPrefix("/static/", http.FileServerFS(static)))
	mux.HandleFunc("GET /lang/{lang}", s.setLanguage)

	// Login: password, then the second factor for roles that see identities.
	mux.HandleFunc("GET /login", s.loginPage)
	mux.HandleFunc("POST /login", s.login)
	mux.HandleFunc("GET /login/totp", s.totpPage)
	mux.HandleFunc("POST /login/totp", s.totp)
	mux.HandleFunc("POST /logout", s.logout)

	for _, rt := range s.table() {
		mux.HandleFunc(rt.pattern, s.guard(rt.perm, rt.h))
	}
}

// route is one guarded route.
type route struct {
	pattern string
	perm    Perm
	h       http.HandlerFunc
}

// table is every route that needs a login, with its permission.
func (s *Server) table() []route {
	return []route{
		{"GET /{$}", PermRead, s.dashboard},
		{"GET /persons", PermRead, s.persons},
		{"GET /persons/{id}", PermRead, s.person},
		{"GET /persons/{id}/export", PermExport, s.exportPerson},
		{"GET /entry", PermWrite, s.entryPage},
		{"POST /entry", PermWrite, s.entry},
		{"GET /sources/{id}", PermRead, s.source},
		{"POST /sources/{id}/attachments", PermWrite, s.upload},
		{"POST /consents/{id}/revoke", PermWrite, s.revokeConsent},
		{"GET /attachments/{id}", PermIdentity, s.download},
		{"GET /review", PermReview, s.reviewPage},
		{"GET /review/{id}", PermReview, s.pairPage},
		{"POST /review/{id}/merge", PermReview, s.decide(true)},
		{"POST /review/{id}/reject", PermReview, s.decide(false)},
		{"POST /identities/{id}/unmerge", PermReview, s.unmerge},
		{"GET /search", PermRead, s.searchPage},
		{"GET /urgent", PermRead, s.board},
		{"POST /urgent/border", PermWrite, s.setBorder},
		{"GET /urgent/rubric", PermRead, s.rubricPage},
		{"POST /urgent/rubric", PermAdmin, s.saveRubric},
		{"POST /urgent/watch-dates", PermWrite, s.addWatchDate},
		{"GET /persons/{id}/urgent", PermRead, s.casePage},
		{"POST /persons/{id}/custody", PermWrite, s.addCustody},
		{"POST /persons/{id}/risk-facts", PermWrite, s.addRiskFact},
		{"POST /risk-facts/{id}/withdraw", PermWrite, s.withdrawRiskFact},
		{"POST /persons/{id}/interventions", PermWrite, s.addIntervention},
		{"POST /interventions/{id}", PermWrite, s.updateIntervention},
		{"POST /persons/{id}/assessments", PermWrite, s.addAssessment},
		{"GET /persons/{id}/assessments/{aid}", PermIdentity, s.memo},
		{"GET /persons/{id}/appeal", PermAppeal, s.appealPage},
		{"GET /persons/{id}/appeal/document", PermAppeal, s.appealDocument},
		{"POST /persons/{id}/appeal/sent", PermAppeal, s.appealSent},
		{"GET /stats", PermRead, s.statsPage},
		{"GET /stats/{file}", PermRead, s.statsFile},
		{"GET /places", PermRead, s.placesPage},
		{"GET /vocab", PermRead, s.vocabPage},
		{"GET /admin/users", PermAdmin, s.usersPage},
		{"POST /admin/users", PermAdmin, s.createUser},
		{"POST /admin/users/{id}", PermAdmin, s.updateUser},
		{"POST /admin/tokens", PermAdmin, s.createToken},
		{"GET /admin/audit", PermAdmin, s.auditPage},

		{"GET /api/v1/openapi.json", PermRead, s.openapi},
		{"GET /api/v1/persons", PermRead, s.apiPersons},
		{"POST /api/v1/persons", PermWrite, s.apiCreatePerson},
		{"GET /api/v1/persons/{id}", PermRead, s.apiPerson},
		{"GET /api/v1/persons/{id}/export", PermExport, s.exportPerson},
		{"GET /api/v1/sources/{id}", PermRead, s.apiSource},
		{"GET /api/v1/search", PermRead, s.apiSearch},
		{"GET /api/v1/places", PermRead, s.apiPlaces},
		{"GET /api/v1/terms", PermRead, s.apiTerms},
		{"GET /api/v1/audit", PermAdmin, s.apiAudit},
	}
}
