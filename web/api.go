package web

import (
	"encoding/json"
	"net/http"

	"tumen"
)

// apiPerson is a person as the API returns it: the record with what the
// user may not see blanked, and the list of what was.
type apiPerson struct {
	*tumen.Person
	Redacted []string `json:"redacted,omitempty"`
}

func (s *Server) apiPersons(w http.ResponseWriter, r *http.Request) {
	f, err := s.personFilter(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	ps, err := s.store.ListPersons(actorCtx(r), f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	u := reqOf(r).user
	out := make([]apiPerson, len(ps))
	for i, p := range ps {
		rp, red := redactPerson(u, p)
		out[i] = apiPerson{rp, red}
	}
	writeJSON(w, http.StatusOK, map[string]any{"persons": out})
}

func (s *Server) apiPerson(w http.ResponseWriter, r *http.Request) {
	d, err := s.loadDossier(r, r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var events []*tumen.Event
	var acts []*tumen.Act
	for _, ev := range d.Events {
		events = append(events, ev.E)
		for _, a := range ev.Acts {
			acts = append(acts, a.A)
		}
	}
	var sources []*tumen.Source
	for _, sv := range d.Sources {
		sources = append(sources, sv.S)
	}
	writeJSON(w, http.StatusOK, map[string]any{"person": apiPerson{d.Person, d.Red}, "events": events, "acts": acts, "sources": sources})
}

// newPerson is the body of POST /api/v1/persons.
type newPerson struct {
	ID              string       `json:"id"`
	Names           []tumen.Name `json:"names"`
	BirthDate       string       `json:"birth_date"`
	Sex             string       `json:"sex"`
	Origin          string       `json:"origin"`
	Confidentiality string       `json:"confidentiality"`
}

func (s *Server) apiCreatePerson(w http.ResponseWriter, r *http.Request) {
	var in newPerson
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&in); err != nil {
		s.fail(w, r, tumen.Errorf(tumen.KindInvalid, "the body is not a person in JSON"))
		return
	}
	p := &tumen.Person{ID: in.ID, Names: in.Names, Origin: in.Origin, Confidentiality: tumen.Confidential}
	if p.ID == "" {
		p.ID = newID("P")
	}
	var err error
	if p.Sex, err = tumen.ParseSex(in.Sex); err != nil {
		s.fail(w, r, err)
		return
	}
	if in.Confidentiality != "" {
		if p.Confidentiality, err = tumen.ParseLevel(in.Confidentiality); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	if err := p.BirthDate.UnmarshalText([]byte(in.BirthDate)); err != nil {
		s.fail(w, r, tumen.Errorf(tumen.KindInvalid, "birth_date is not a date tumen can read"))
		return
	}
	if err := s.store.CreatePerson(actorCtx(r), p); err != nil {
		s.fail(w, r, err)
		return
	}
	s.index.PutPerson(p)
	writeJSON(w, http.StatusCreated, map[string]any{"id": p.ID})
}

func (s *Server) apiSource(w http.ResponseWriter, r *http.Request) {
	u := reqOf(r).user
	src, err := s.store.Source(actorCtx(r), r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if !mayView(u, src.Confidentiality) {
		s.fail(w, r, tumen.Errorf(tumen.KindNotFound, "no source %q", src.ID))
		return
	}
	writeJSON(w, http.StatusOK, redactSource(u, src))
}

func (s *Server) apiPlaces(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{"places": s.placeList})
}

func (s *Server) apiTerms(w http.ResponseWriter, r *http.Request) {
	v := r.URL.Query().Get("vocab")
	if v == "" {
		writeJSON(w, http.StatusOK, map[string]any{"terms": s.termList})
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"terms": s.vocabList(v)})
}

func (s *Server) apiAudit(w http.ResponseWriter, r *http.Request) {
	es, err := s.store.SearchAudit(actorCtx(r), s.auditFilter(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"entries": es})
}
