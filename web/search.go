package web

import (
	"html"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"tumen"
	"tumen/search"
)

// Search: one box for names in any spelling, the full text of narratives
// and testimonies, and filters written key:value, over the in-memory index
// of package search. Facet counts link to the same search narrowed by
// their value. Everything shown is within the user's access: the index
// leaves out what is above their clearance, and names and text are
// searched only for users who may see identities.

// searchPageSize is how many persons a result page shows.
const searchPageSize = 20

func (s *Server) access(r *http.Request) search.Access {
	u := reqOf(r).user
	return search.Access{Clearance: u.Clearance, Identity: seesIdentity(u)}
}

// runSearch parses and runs the q parameter, and audits the search (the
// audit keeps that a search ran and how many it found, not what was
// asked: a query may hold a name).
func (s *Server) runSearch(r *http.Request) (*search.Query, *search.Result, int, error) {
	q, err := search.ParseQuery(r.URL.Query().Get("q"))
	if err != nil {
		return nil, nil, 0, err
	}
	page, _ := strconv.Atoi(r.URL.Query().Get("page"))
	page = max(page, 0)
	res, err := s.index.Search(r.Context(), q, s.access(r), search.Options{Limit: searchPageSize, Offset: page * searchPageSize})
	if err != nil {
		return nil, nil, 0, err
	}
	if err := s.store.Audit(actorCtx(r), "search", "person", "", strconv.Itoa(res.Total)+" persons found"); err != nil {
		return nil, nil, 0, err
	}
	return q, res, page, nil
}

// snippetHTML escapes a snippet and marks its matched spans.
func snippetHTML(sn search.Snippet) template.HTML {
	var b strings.Builder
	at := 0
	for _, m := range sn.Marks {
		if m.Start < at || m.End > len(sn.Text) || m.Start > m.End {
			break // the index promises ordered spans; never trust it with the page
		}
		b.WriteString(html.EscapeString(sn.Text[at:m.Start]))
		b.WriteString("<mark>")
		b.WriteString(html.EscapeString(sn.Text[m.Start:m.End]))
		b.WriteString("</mark>")
		at = m.End
	}
	b.WriteString(html.EscapeString(sn.Text[at:]))
	return template.HTML(b.String())
}

type hitView struct {
	search.Hit
	Snippets []snippetView
}

type snippetView struct {
	Kind, RecordID, Field string
	HTML                  template.HTML
}

type facetView struct {
	Name   string
	Values []facetValueView
}

type facetValueView struct {
	Label string
	Count int
	URL   string
}

func (s *Server) searchPage(w http.ResponseWriter, r *http.Request) {
	raw := r.URL.Query().Get("q")
	data := map[string]any{"Title": "search", "Q": raw, "Identity": seesIdentity(reqOf(r).user)}
	if strings.TrimSpace(raw) == "" {
		s.render(w, r, "search", data)
		return
	}
	q, res, page, err := s.runSearch(r)
	if err != nil {
		if k := tumen.ErrorKind(err); k == tumen.KindInvalid || k == tumen.KindForbidden || k == tumen.KindUnavailable {
			if k == tumen.KindUnavailable {
				w.Header().Set("Retry-After", "10")
			}
			w.WriteHeader(status(err))
			data["Error"] = tumen.ErrorMessage(err)
			s.render(w, r, "search", data)
			return
		}
		s.fail(w, r, err)
		return
	}
	lang := reqOf(r).lang
	hits := make([]hitView, len(res.Hits))
	for i, h := range res.Hits {
		hits[i].Hit = h
		for _, sn := range h.Snippets {
			hits[i].Snippets = append(hits[i].Snippets, snippetView{sn.Kind, sn.RecordID, sn.Field, snippetHTML(sn)})
		}
	}
	var facets []facetView
	for _, f := range res.Facets {
		fv := facetView{Name: f.Name}
		for _, v := range f.Values {
			narrowed := q.String() + " " + f.Name + ":" + quoteValue(v.Value)
			fv.Values = append(fv.Values, facetValueView{Label: s.facetLabel(f.Name, v.Value, lang), Count: v.Count,
				URL: "/search?q=" + url.QueryEscape(strings.TrimSpace(narrowed))})
		}
		facets = append(facets, fv)
	}
	data["Result"], data["Hits"], data["Facets"] = res, hits, facets
	if (page+1)*searchPageSize < res.Total {
		data["Next"] = "/search?q=" + url.QueryEscape(raw) + "&page=" + strconv.Itoa(page+1)
	}
	s.render(w, r, "search", data)
}

// quoteValue quotes a filter value that holds a space.
func quoteValue(v string) string {
	if strings.ContainsAny(v, " \t\"") {
		return `"` + strings.ReplaceAll(v, `"`, "") + `"`
	}
	return v
}

// facetLabel names a facet value for people: a place, agency or term by
// its label, in the page's language.
func (s *Server) facetLabel(facet, v, lang string) string {
	pick := func(en, ko string) string {
		if lang == "ko" && ko != "" {
			return ko
		}
		return en
	}
	switch facet {
	case "place":
		if p := s.places[v]; p != nil {
			return pick(p.NameEN, p.NameKO)
		}
	case "agency":
		if o := s.orgs[v]; o != nil {
			return pick(o.NameEN, o.NameKO)
		}
	case "stage":
		if t := s.term(tumen.VocabStage, v); t != nil {
			return v + " " + pick(t.LabelEN, t.LabelKO)
		}
	case "type":
		if t := s.term(tumen.VocabActType, v); t != nil {
			return pick(t.LabelEN, t.LabelKO)
		}
	}
	return v
}

// apiSearch answers GET /api/v1/search?q=…: the hits with their scores and
// snippets (marks as byte offsets), the total and the facets.
func (s *Server) apiSearch(w http.ResponseWriter, r *http.Request) {
	_, res, _, err := s.runSearch(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, res)
}
