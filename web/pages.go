package web

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"html"
	"html/template"
	"io"
	"iter"
	"mime"
	"net/http"
	"net/url"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	"tumen"
	"tumen/approx"
	"tumen/sqlstore"
)

func newID(prefix string) string {
	b := make([]byte, 6)
	rand.Read(b)
	return prefix + "-" + strings.ToUpper(hex.EncodeToString(b))
}

// level is the highest confidentiality a user may see.
func level(u *tumen.User) *tumen.Level { l := u.Clearance; return &l }

func (s *Server) dashboard(w http.ResponseWriter, r *http.Request) {
	ctx := actorCtx(r)
	u := reqOf(r).user
	st, err := s.stats(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	// Detentions documented lately: victims of a detention-stage event
	// (arrest, detention in China, border detention centre) in the last 90
	// days.
	now := s.Now()
	from := now.AddDate(0, 0, -90)
	evs, err := s.store.ListEvents(ctx, tumen.EventFilter{From: dayInt(from), To: dayInt(now), Limit: 200})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	type custody struct {
		Person *tumen.Person
		Event  *tumen.Event
		Place  *tumen.Place
		Red    []string
	}
	var held []custody
	for _, e := range evs {
		if e.Stage != "S2" && e.Stage != "S3" && e.Stage != "S4" {
			continue
		}
		acts, err := s.store.ListActs(ctx, tumen.ActFilter{EventID: e.ID, Limit: 5})
		if err != nil || len(acts) == 0 {
			continue
		}
		ps, err := s.store.ListPersons(ctx, tumen.PersonFilter{IDs: []string{acts[0].VictimID}, MaxLevel: level(u)})
		if err != nil || len(ps) == 0 {
			continue
		}
		p, red := redactPerson(u, ps[0])
		held = append(held, custody{p, e, s.places[e.PlaceID], red})
	}
	// Held now: the tracked custody cases whose latest status is custody
	// in China, which the urgent-cases board ranks by risk.
	type tracked struct {
		Person *tumen.Person
		Status string
		Place  *tumen.Place
		Since  approx.Date
	}
	var inChina []tracked
	ccs, err := s.store.CustodyCases(ctx)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var ids []string
	byID := map[string]*tumen.CustodyCase{}
	for _, c := range ccs {
		if c.Latest.Status.InChina() {
			ids = append(ids, c.PersonID)
			byID[c.PersonID] = c
		}
	}
	if len(ids) > 0 {
		ps, err := s.store.ListPersons(ctx, tumen.PersonFilter{IDs: ids, MaxLevel: level(u), Summary: true, Limit: len(ids)})
		if err != nil {
			s.fail(w, r, err)
			return
		}
		for _, p := range ps {
			c := byID[p.ID]
			rp, _ := redactPerson(u, p)
			inChina = append(inChina, tracked{rp, statusLabel(c.Latest.Status, reqOf(r).lang), s.places[c.Latest.PlaceID], c.Latest.Date})
		}
	}
	var recent []*tumen.AuditEntry
	if can(u, PermAdmin) {
		recent, _ = s.store.SearchAudit(ctx, sqlstore.AuditFilter{Limit: 10})
	}
	s.render(w, r, "dashboard", map[string]any{"Title": "dashboard", "Stats": st, "Held": held, "InChina": inChina, "Recent": recent})
}

func dayInt(t time.Time) int { return t.Year()*10000 + int(t.Month())*100 + t.Day() }

// personRow is a person as a list shows them, formatted here rather than
// in the template: the list is the busiest page, and Go formats a row far
// faster than a template's reflection does.
type personRow struct {
	ID       string
	Names    string // joined with " · "; empty when redacted
	Born     string
	Sex      string
	Origin   string
	Redacted bool // identity fields are redacted
}

// personRowsHTML writes the rows of the persons table. Every value is
// escaped here; ids are checked by the store to be of the form prefix-123,
// and are escaped too all the same.
func personRowsHTML(rows []personRow, redactedWord string) template.HTML {
	var b strings.Builder
	b.Grow(len(rows) * 256)
	red := `<span class="redacted">` + html.EscapeString(redactedWord) + `</span>`
	for _, r := range rows {
		id := html.EscapeString(r.ID)
		b.WriteString(`<tr><td><a href="/persons/`)
		b.WriteString(html.EscapeString(url.PathEscape(r.ID)))
		b.WriteString(`">`)
		b.WriteString(id)
		b.WriteString(`</a></td>`)
		if r.Redacted {
			b.WriteString(`<td class="names">` + red + `</td><td>` + red + `</td><td>`)
			b.WriteString(html.EscapeString(r.Sex))
			b.WriteString(`</td><td>` + red + `</td></tr>` + "\n")
			continue
		}
		for i, v := range []string{r.Names, r.Born, r.Sex, r.Origin} {
			if i == 0 {
				b.WriteString(`<td class="names" lang="ko">`)
			} else {
				b.WriteString(`<td>`)
			}
			b.WriteString(html.EscapeString(v))
			b.WriteString(`</td>`)
		}
		b.WriteString("</tr>\n")
	}
	return template.HTML(b.String())
}

func newPersonRow(p *tumen.Person, red []string) personRow {
	r := personRow{ID: p.ID, Sex: string(p.Sex), Redacted: slices.Contains(red, "names")}
	if !r.Redacted {
		parts := make([]string, len(p.Names))
		for i, n := range p.Names {
			parts[i] = n.Full
		}
		r.Names, r.Origin = strings.Join(parts, " · "), p.Origin
		r.Born = "—"
		if p.BirthDate.Known() {
			r.Born = p.BirthDate.String()
		}
	}
	return r
}

func (s *Server) personFilter(r *http.Request) (tumen.PersonFilter, error) {
	q := r.URL.Query()
	f := tumen.PersonFilter{Stage: q.Get("stage"), PlaceID: q.Get("place"), Organisation: q.Get("source"), AfterID: q.Get("after"), Limit: 50, MaxLevel: level(reqOf(r).user), Summary: true}
	var err error
	if f.Sex, err = tumen.ParseSex(q.Get("sex")); err != nil {
		return f, err
	}
	for _, d := range []struct {
		key string
		lo  bool
		dst *int
	}{{"from", true, &f.From}, {"to", false, &f.To}} {
		if v := q.Get(d.key); v != "" {
			ad, err := approx.Parse(v)
			if err != nil {
				return f, tumen.Errorf(tumen.KindInvalid, "%s", err.Error())
			}
			lo, hi := ad.Bounds()
			if d.lo {
				*d.dst = lo
			} else {
				*d.dst = hi
			}
		}
	}
	return f, nil
}

func (s *Server) persons(w http.ResponseWriter, r *http.Request) {
	ctx := actorCtx(r)
	u := reqOf(r).user
	f, err := s.personFilter(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	ps, err := s.store.ListPersons(ctx, f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	f.AfterID, f.Limit = "", 0
	var total int
	filtered := f.Sex != "" || f.Stage != "" || f.PlaceID != "" || f.Organisation != "" || f.From != 0 || f.To != 0
	if !filtered {
		// Unfiltered: the cached count (every record's level is counted;
		// the list itself is filtered by clearance).
		st, err := s.stats(r)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		total = st.Persons
	} else if total, err = s.store.CountPersonsUpTo(ctx, f, maxCount+1); err != nil {
		s.fail(w, r, err)
		return
	}
	rows := make([]personRow, len(ps))
	for i, p := range ps {
		rp, red := redactPerson(u, p)
		rows[i] = newPersonRow(rp, red)
	}
	next := ""
	if len(ps) == 50 {
		q := r.URL.Query()
		q.Set("after", ps[len(ps)-1].ID)
		next = "/persons?" + q.Encode()
	}
	shown := fmt.Sprint(total)
	if filtered && total > maxCount {
		shown = fmt.Sprintf("%d+", maxCount)
	}
	s.render(w, r, "persons", map[string]any{"Title": "persons", "Rows": personRowsHTML(rows, dictionary(reqOf(r).lang)["redacted"]), "Total": shown, "Next": next, "Q": r.URL.Query(),
		"Stages": s.vocabList(tumen.VocabStage), "Orgs": s.sourceOrgs(r)})
}

// maxCount is where the persons page stops counting filtered matches.
const maxCount = 1000

// statsAge is how old the dashboard's counts may be.
const statsAge = 2 * time.Minute

// stats returns the store's counts, read again when older than statsAge,
// in the background: they scan whole tables, which no page view should
// wait for.
func (s *Server) stats(r *http.Request) (*tumen.Stats, error) { return s.statsCtx(r.Context()) }

func (s *Server) statsCtx(ctx context.Context) (*tumen.Stats, error) {
	s.statsMu.Lock()
	st, at := s.statsCache, s.statsAt
	if st == nil || s.Now().Sub(at) >= statsAge {
		// One count at a time: a second caller waits for the running one
		// (when there is nothing to serve yet) instead of counting again.
		if s.statsDone == nil {
			done := make(chan struct{})
			s.statsDone = done
			go func() {
				fresh, err := s.store.Stats(context.Background())
				s.statsMu.Lock()
				if err == nil {
					s.statsCache, s.statsAt = fresh, s.Now()
				}
				s.statsErr = err
				s.statsDone = nil
				s.statsMu.Unlock()
				close(done)
			}()
		}
		if st == nil {
			done := s.statsDone
			s.statsMu.Unlock()
			select {
			case <-done:
			case <-ctx.Done():
				return nil, tumen.Wrap(ctx.Err(), "cancelled")
			}
			s.statsMu.Lock()
			st, err := s.statsCache, s.statsErr
			s.statsMu.Unlock()
			if st == nil {
				return nil, tumen.Wrap(err, "cannot count the records")
			}
			return st, nil
		}
	}
	s.statsMu.Unlock()
	return st, nil
}

// sourceOrgs lists the documenting organisations for the filter.
func (s *Server) sourceOrgs(r *http.Request) []string {
	st, err := s.stats(r)
	if err != nil {
		return nil
	}
	out := []string{}
	for k := range st.BySourceOrg {
		if k != "unknown" {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

// dossier is everything about one person that a user may see.
type dossier struct {
	Person    *tumen.Person
	Red       []string
	Events    []*eventView
	Sources   []*sourceView
	Timeline  []byte
	Relatives bool
}

type eventView struct {
	E     *tumen.Event
	Place *tumen.Place
	Stage *tumen.Term
	Acts  []*actView
}

type actView struct {
	A     *tumen.Act
	Type  *tumen.Term
	Perps []string
}

type sourceView struct {
	S        *tumen.Source
	Consents []*tumen.Consent
}

// loadDossier reads a person and their chain, acts and sources, applying
// clearance and redaction. The read of the person is audited by the store.
func (s *Server) loadDossier(r *http.Request, id string) (*dossier, error) {
	ctx := actorCtx(r)
	u := reqOf(r).user
	all, err := s.store.Dossier(ctx, id)
	if err != nil {
		return nil, err
	}
	p := all.Person
	if !mayView(u, p.Confidentiality) {
		return nil, tumen.Errorf(tumen.KindNotFound, "no person %q", id)
	}
	d := &dossier{}
	d.Person, d.Red = redactPerson(u, p)
	events, acts := all.Events, all.Acts
	byEvent := map[string][]*actView{}
	for _, a := range acts {
		av := &actView{A: a, Type: s.term(tumen.VocabActType, a.Type)}
		for _, pp := range a.Perpetrators {
			name := pp.OrganisationID
			if o := s.orgs[pp.OrganisationID]; o != nil {
				name = o.NameEN
				if reqOf(r).lang == "ko" && o.NameKO != "" {
					name = o.NameKO
				}
			}
			if pp.PersonID != "" {
				name = pp.PersonID
			}
			av.Perps = append(av.Perps, name)
		}
		byEvent[a.EventID] = append(byEvent[a.EventID], av)
	}
	for _, e := range events {
		if !mayView(u, e.Confidentiality) {
			continue
		}
		d.Events = append(d.Events, &eventView{E: redactEvent(u, e), Place: s.places[e.PlaceID], Stage: s.term(tumen.VocabStage, e.Stage), Acts: byEvent[e.ID]})
	}
	for _, src := range all.Sources {
		if !mayView(u, src.Confidentiality) {
			continue
		}
		d.Sources = append(d.Sources, &sourceView{S: redactSource(u, src), Consents: all.Consents[src.ID]})
	}
	d.Timeline = s.timeline(d.Events, reqOf(r).lang)
	return d, nil
}

// eventRowsHTML writes the rows of a person page's events table, every
// value escaped here: with the persons list, the busiest page, and Go
// writes a row far faster than the template's reflection.
func eventRowsHTML(events []*eventView, lang string, m map[string]string) template.HTML {
	var b strings.Builder
	red := `<span class="redacted">` + html.EscapeString(m["redacted"]) + `</span>`
	esc := html.EscapeString
	for _, ev := range events {
		e := ev.E
		b.WriteString("<tr>\n<td>" + esc(e.Stage) + " " + esc(termLabel(ev.Stage, lang)) + "</td>\n<td>")
		if e.Date.Known() {
			b.WriteString(esc(e.Date.String()))
		} else {
			b.WriteString("—")
		}
		if bt := boundsText(e.Date); bt != "" {
			b.WriteString(`<br><span class="muted">` + esc(bt) + `</span>`)
		}
		if e.Date.Estimated() {
			b.WriteString(` <span class="muted">(` + esc(m["estimated"]) + `)</span>`)
		}
		b.WriteString("</td>\n<td>")
		switch {
		case ev.Place != nil:
			b.WriteString(esc(placeName(ev.Place, lang)))
		case e.PlaceText == Redacted:
			b.WriteString(red)
		default:
			b.WriteString(esc(e.PlaceText))
		}
		b.WriteString("</td>\n<td>")
		for _, a := range ev.Acts {
			b.WriteString("<div>" + esc(termLabel(a.Type, lang)))
			for _, p := range a.Perps {
				b.WriteString(" — " + esc(p))
			}
			b.WriteString("</div>")
		}
		b.WriteString("</td>\n<td>")
		if e.Narrative == Redacted {
			b.WriteString(red)
		} else {
			b.WriteString(esc(e.Narrative))
		}
		b.WriteString("</td>\n</tr>")
	}
	return template.HTML(b.String())
}

func (s *Server) person(w http.ResponseWriter, r *http.Request) {
	d, err := s.loadDossier(r, r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	lang := reqOf(r).lang
	s.render(w, r, "person", map[string]any{"Title": "person", "D": d, "EventRows": eventRowsHTML(d.Events, lang, dictionary(lang)), "Uses": s.vocabList(tumen.VocabConsentUse), "CanExport": can(reqOf(r).user, PermExport)})
}

// missingConsents lists, for each source of a dossier, whether a standing
// consent covers use (for a partner, the named partner).
func missingConsents(d *dossier, use, partner string, now time.Time) []string {
	var missing []string
	if len(d.Sources) == 0 {
		return []string{"no source records this person, so no consent can cover the use"}
	}
	for _, sv := range d.Sources {
		ok := false
		for _, c := range sv.Consents {
			if c.Use == use && c.Active(now) && (use != tumen.UsePartner || strings.EqualFold(c.Partner, partner)) {
				ok = true
			}
		}
		if !ok {
			what := use
			if use == tumen.UsePartner {
				what += " (" + partner + ")"
			}
			missing = append(missing, fmt.Sprintf("source %s has no standing consent for %s", sv.S.ID, what))
		}
	}
	return missing
}

// exportPerson is the consent gate: a person's dossier leaves the system
// only when every source about them consents to the use asked for.
func (s *Server) exportPerson(w http.ResponseWriter, r *http.Request) {
	use, partner := r.URL.Query().Get("use"), r.URL.Query().Get("partner")
	if s.term(tumen.VocabConsentUse, use) == nil {
		s.fail(w, r, tumen.Errorf(tumen.KindInvalid, "say which use the export is for: use=internal, partner, un-named, un-anonymous, publish-anonymous or publish-named"))
		return
	}
	if use == tumen.UsePartner && partner == "" {
		s.fail(w, r, tumen.Errorf(tumen.KindInvalid, "an export for a partner names the partner"))
		return
	}
	d, err := s.loadDossier(r, r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	ctx := actorCtx(r)
	if missing := missingConsents(d, use, partner, s.Now()); len(missing) > 0 {
		_ = s.store.Audit(ctx, "export-refused", "person", d.Person.ID, "use "+use+": consent missing")
		if strings.HasPrefix(r.URL.Path, "/api/") {
			writeJSON(w, http.StatusForbidden, map[string]any{"error": "the consents recorded do not cover this use", "kind": "forbidden", "missing": missing})
			return
		}
		w.WriteHeader(http.StatusForbidden)
		s.render(w, r, "refused", map[string]any{"Title": "person", "Missing": missing, "ID": d.Person.ID, "Use": use})
		return
	}
	// Anonymous uses leave names out, whatever the user could see.
	if use == tumen.UseUNAnonymous || use == tumen.UsePublishAnon {
		d.Person.Names, d.Person.Contacts, d.Person.Relatives, d.Person.BirthDate = nil, nil, nil, approx.Date{}
		d.Person.Origin, d.Person.HomePlaceID, d.Person.Notes = "", "", ""
	}
	if err := s.store.Audit(ctx, "export", "person", d.Person.ID, "use "+use+" "+partner); err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Disposition", `attachment; filename="`+d.Person.ID+`.json"`)
	writeJSON(w, http.StatusOK, map[string]any{"use": use, "partner": partner, "person": d.Person, "redacted": d.Red, "events": d.Events, "sources": d.Sources})
}

func (s *Server) revokeConsent(w http.ResponseWriter, r *http.Request) {
	if err := s.store.RevokeConsent(actorCtx(r), r.PathValue("id"), s.Now()); err != nil {
		s.fail(w, r, err)
		return
	}
	back := r.PostFormValue("back")
	if !strings.HasPrefix(back, "/persons/") {
		back = "/persons"
	}
	http.Redirect(w, r, back+"?ok=revoked", http.StatusSeeOther)
}

func (s *Server) entryPage(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, "entry", map[string]any{"Title": "entry", "Places": s.placeList, "Stages": s.vocabList(tumen.VocabStage),
		"ActTypes": s.vocabList(tumen.VocabActType), "Orgs": s.orgList, "Involvement": s.vocabList(tumen.VocabInvolvement),
		"Kinds": s.vocabList(tumen.VocabSourceKind), "Reliability": s.vocabList(tumen.VocabReliability), "Uses": s.vocabList(tumen.VocabConsentUse),
		"Error": r.URL.Query().Get("e")})
}

// entry records, from one testimony, the victim, the event, the act with
// its perpetrator, the source and its consents: all of it or nothing.
func (s *Server) entry(w http.ResponseWriter, r *http.Request) {
	f := r.PostFormValue
	bad := func(msg string) {
		http.Redirect(w, r, "/entry?e="+url.QueryEscape(msg), http.StatusSeeOther)
	}
	victim := strings.TrimSpace(f("victim_id"))
	var recs []any
	if victim == "" {
		name := strings.TrimSpace(f("name"))
		if name == "" {
			bad("Give the victim's name, or the id of a person already recorded.")
			return
		}
		sex, err := tumen.ParseSex(f("sex"))
		if err != nil {
			bad(tumen.ErrorMessage(err))
			return
		}
		birth, err := approx.Parse(f("birth_date"))
		if err != nil {
			bad("The birth date is not one tumen can read: write e.g. 1985, 1985-03, around 1985, 1985년 3월.")
			return
		}
		sys := tumen.NameSystem(f("name_system"))
		if !sys.Valid() {
			bad("Unknown name system.")
			return
		}
		victim = newID("P")
		p := &tumen.Person{ID: victim, Names: []tumen.Name{{Full: name, System: sys}}, BirthDate: birth, Sex: sex, Origin: strings.TrimSpace(f("origin")), Confidentiality: tumen.Confidential}
		if pl, ok := s.data.FindPlace(p.Origin); ok && p.Origin != "" {
			p.HomePlaceID = pl.ID
		}
		if alias := strings.TrimSpace(f("alias")); alias != "" {
			p.Names = append(p.Names, tumen.Name{Full: alias, System: tumen.NameAlias})
		}
		recs = append(recs, p)
	} else if _, err := s.store.ListPersons(actorCtx(r), tumen.PersonFilter{IDs: []string{victim}, Limit: 1}); err != nil {
		s.fail(w, r, err)
		return
	}
	date, err := approx.Parse(f("event_date"))
	if err != nil {
		bad("The event date is not one tumen can read.")
		return
	}
	stage := f("stage")
	if stage != "" && s.term(tumen.VocabStage, stage) == nil {
		bad("Unknown stage.")
		return
	}
	place := f("place")
	if place != "" && s.places[place] == nil {
		bad("Pick the place from the gazetteer.")
		return
	}
	ev := &tumen.Event{ID: newID("E"), Date: date, PlaceID: place, Stage: stage, Narrative: strings.TrimSpace(f("narrative")), Title: strings.TrimSpace(f("title")), Confidentiality: tumen.Internal}
	recs = append(recs, ev)
	var act *tumen.Act
	if t := f("act_type"); t != "" {
		if s.term(tumen.VocabActType, t) == nil {
			bad("Unknown violation type.")
			return
		}
		act = &tumen.Act{ID: newID("A"), EventID: ev.ID, VictimID: victim, Type: t}
		if org := f("perpetrator"); org != "" {
			if s.orgs[org] == nil {
				bad("Pick the perpetrating agency from the list.")
				return
			}
			deg := f("involvement")
			if deg == "" {
				deg = "unknown"
			}
			act.Perpetrators = []tumen.Involvement{{OrganisationID: org, Degree: deg}}
		}
		recs = append(recs, act)
	}
	kind := f("source_kind")
	if kind == "" {
		kind = "testimony"
	}
	src := &tumen.Source{ID: newID("S"), Kind: kind, Organisation: strings.TrimSpace(f("organisation")), Reliability: f("reliability"),
		Text: strings.TrimSpace(f("testimony")), Title: strings.TrimSpace(f("source_title")), Confidentiality: tumen.Confidential,
		Date:     approx.MustParse(s.Now().Format("2006-01-02")),
		Supports: []tumen.Link{{Kind: tumen.RecordPerson, ID: victim}, {Kind: tumen.RecordEvent, ID: ev.ID}}}
	if act != nil {
		src.Supports = append(src.Supports, tumen.Link{Kind: tumen.RecordAct, ID: act.ID})
	}
	recs = append(recs, src)
	for _, use := range r.PostForm["consent"] {
		if s.term(tumen.VocabConsentUse, use) == nil || use == tumen.UsePartner {
			continue
		}
		recs = append(recs, &tumen.Consent{ID: newID("C"), SourceID: src.ID, Use: use, Given: s.Now().UTC(), RecordedBy: "web:" + reqOf(r).user.Name})
	}
	if err := s.store.CreateRecords(actorCtx(r), recs); err != nil {
		if tumen.ErrorKind(err) == tumen.KindInvalid {
			bad(tumen.ErrorMessage(err))
			return
		}
		s.fail(w, r, err)
		return
	}
	// Searchable at once: the index is updated with what was committed.
	if err := s.index.Load(seqOf(recs)); err != nil {
		s.log.Error("search index", "err", err)
	}
	http.Redirect(w, r, "/persons/"+url.PathEscape(victim)+"?ok=saved", http.StatusSeeOther)
}

func (s *Server) source(w http.ResponseWriter, r *http.Request) {
	ctx := actorCtx(r)
	u := reqOf(r).user
	src, err := s.store.Source(ctx, r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if !mayView(u, src.Confidentiality) {
		s.fail(w, r, tumen.Errorf(tumen.KindNotFound, "no source %q", src.ID))
		return
	}
	atts, err := s.store.AttachmentsOf(ctx, src.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if !seesIdentity(u) {
		for _, a := range atts {
			a.Filename = Redacted
		}
	}
	cs, err := s.store.Consents(ctx, src.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, "source", map[string]any{"Title": "source", "S": redactSource(u, src), "Attachments": atts, "Consents": cs, "Identity": seesIdentity(u)})
}

// upload stores a document: its SHA-256 is taken as it arrives and the
// original bytes are kept unaltered.
func (s *Server) upload(w http.ResponseWriter, r *http.Request) {
	ctx := actorCtx(r)
	id := r.PathValue("id")
	src, err := s.store.Source(ctx, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if !mayView(reqOf(r).user, src.Confidentiality) {
		s.fail(w, r, tumen.Errorf(tumen.KindNotFound, "no source %q", id))
		return
	}
	file, hdr, err := r.FormFile("file")
	if err != nil {
		s.fail(w, r, tumen.Errorf(tumen.KindInvalid, "choose a file to upload (at most %d MiB)", maxUpload>>20))
		return
	}
	defer file.Close()
	data, err := io.ReadAll(file)
	if err != nil {
		s.fail(w, r, tumen.Errorf(tumen.KindInvalid, "the upload did not arrive whole"))
		return
	}
	name := filepath.Base(strings.ReplaceAll(hdr.Filename, "\\", "/"))
	mt := hdr.Header.Get("Content-Type")
	if _, _, err := mime.ParseMediaType(mt); err != nil {
		mt = "application/octet-stream"
	}
	a := &tumen.Attachment{ID: newID("F"), SourceID: id, Filename: name, MediaType: mt, Data: data}
	if err := s.store.CreateAttachment(ctx, a); err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/sources/"+url.PathEscape(id)+"?ok="+a.SHA256, http.StatusSeeOther)
}

// download serves the original bytes. They are always sent as a download
// of type octet-stream, never rendered, so an uploaded page cannot run in
// the application's origin.
func (s *Server) download(w http.ResponseWriter, r *http.Request) {
	a, err := s.store.Attachment(actorCtx(r), r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": a.Filename}))
	w.Header().Set("X-Content-SHA256", a.SHA256)
	w.Write(a.Data)
}

func (s *Server) placesPage(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, "places", map[string]any{"Title": "places", "Places": s.placeList, "Map": s.borderMap(reqOf(r).lang)})
}

func (s *Server) vocabPage(w http.ResponseWriter, r *http.Request) {
	type group struct {
		Name  string
		Terms []*tumen.Term
	}
	var groups []group
	for _, v := range s.vocabNames {
		groups = append(groups, group{v, s.vocabList(v)})
	}
	s.render(w, r, "vocab", map[string]any{"Title": "vocab", "Groups": groups, "Orgs": s.orgList})
}

// seqOf yields records as an import reads them.
func seqOf(recs []any) iter.Seq2[any, error] {
	return func(yield func(any, error) bool) {
		for _, r := range recs {
			if !yield(r, nil) {
				return
			}
		}
	}
}
