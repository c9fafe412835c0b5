package web

import (
	"net/http"
	"strconv"

	"tumen"
)

// pairSide is one record of a candidate pair, as the reviewer may see it.
type pairSide struct {
	D   *dossier
	Err string
}

func (s *Server) reviewPage(w http.ResponseWriter, r *http.Request) {
	ctx := actorCtx(r)
	status := tumen.LinkStatus(r.URL.Query().Get("status"))
	if status == "" {
		status = tumen.LinkPending
	}
	if !status.Valid() {
		s.fail(w, r, tumen.Errorf(tumen.KindInvalid, "unknown status %q", status))
		return
	}
	counts, err := s.store.LinkQueue(ctx)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	cands, err := s.store.LinkCandidates(ctx, tumen.LinkCandidateFilter{Status: status, Limit: 100})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, "review", map[string]any{"Title": "review", "Counts": counts, "Statuses": tumen.LinkStatuses, "Status": status, "Cands": cands})
}

// pairPage shows a candidate pair side by side with the weight each field
// contributed. Each side is read as its own audited dossier, with the
// reviewer's clearance and redaction applied.
func (s *Server) pairPage(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.fail(w, r, tumen.Errorf(tumen.KindNotFound, "no candidate pair %q", r.PathValue("id")))
		return
	}
	c, err := s.store.LinkCandidate(actorCtx(r), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var sides []pairSide
	for _, pid := range []string{c.PersonA, c.PersonB} {
		d, err := s.loadDossier(r, pid)
		if err != nil {
			sides = append(sides, pairSide{Err: tumen.ErrorMessage(err)})
			continue
		}
		sides = append(sides, pairSide{D: d})
	}
	s.render(w, r, "pair", map[string]any{"Title": "review", "C": c, "Sides": sides, "Pending": c.Status == tumen.LinkPending || c.Status == tumen.LinkUnmerged})
}

func (s *Server) decide(merge bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
		if err != nil {
			s.fail(w, r, tumen.Errorf(tumen.KindNotFound, "no candidate pair %q", r.PathValue("id")))
			return
		}
		if merge {
			_, err = s.store.MergeCandidate(actorCtx(r), id)
		} else {
			err = s.store.RejectCandidate(actorCtx(r), id)
		}
		if err != nil {
			s.fail(w, r, err)
			return
		}
		http.Redirect(w, r, "/review/"+strconv.FormatInt(id, 10)+"?ok=saved", http.StatusSeeOther)
	}
}

func (s *Server) unmerge(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.fail(w, r, tumen.Errorf(tumen.KindNotFound, "no identity %q", r.PathValue("id")))
		return
	}
	if err := s.store.Unmerge(actorCtx(r), id); err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/review?status=unmerged&ok=saved", http.StatusSeeOther)
}
