package web

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"tumen"
	"tumen/approx"
	"tumen/risk"
)

// Urgent response: the board of people held in China ranked by risk, each
// person's custody history and risk score with the facts behind it, the
// risk facts staff record, the border's state and flagged dates, and the
// interventions sent with their follow-up. The appeals themselves are in
// appeal.go.

// boardCase is a row of the board as a user may see it.
type boardCase struct {
	*risk.Case
	Name    string // redacted for users who may not see identities
	Status  string
	Place   *tumen.Place
	Since   approx.Date
	Urgent  bool // held in China: an appeal can still prevent the return
	Overdue int
}

func (s *Server) rubric(r *http.Request) (*risk.Rubric, error) {
	rb, _, err := risk.Current(actorCtx(r), s.store)
	return rb, err
}

func statusLabel(st tumen.CustodyStatus, lang string) string {
	if lang == "ko" {
		return st.LabelKO()
	}
	return st.Label()
}

func (s *Server) board(w http.ResponseWriter, r *http.Request) {
	ctx := actorCtx(r)
	u := reqOf(r).user
	rb, err := s.rubric(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	seen, err := s.store.BoardSeen(ctx)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	now := s.Now()
	cases, err := risk.Board(ctx, s.store, rb, now, seen)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	// Only the persons the user may see: a case above their clearance is
	// not shown, not even as a row without a name.
	var ids []string
	for _, c := range cases {
		ids = append(ids, c.PersonID)
	}
	visible := map[string]*tumen.Person{}
	if len(ids) > 0 {
		ps, err := s.store.ListPersons(ctx, tumen.PersonFilter{IDs: ids, MaxLevel: level(u), Summary: true, Limit: len(ids)})
		if err != nil {
			s.fail(w, r, err)
			return
		}
		for _, p := range ps {
			visible[p.ID] = p
		}
	}
	lang := reqOf(r).lang
	var rows []boardCase
	overdue := 0
	for _, c := range cases {
		p := visible[c.PersonID]
		if p == nil {
			continue
		}
		rp, _ := redactPerson(u, p)
		bc := boardCase{Case: c, Name: rp.DisplayName(), Status: statusLabel(c.Latest.Status, lang), Place: s.places[c.Latest.PlaceID],
			Since: c.Latest.Date, Urgent: c.Latest.Status.InChina(), Overdue: len(c.Overdue)}
		overdue += len(c.Overdue)
		rows = append(rows, bc)
	}
	border, err := s.store.BorderState(ctx)
	if err != nil && !tumen.IsNotFound(err) {
		s.fail(w, r, err)
		return
	}
	watch, err := s.store.WatchDates(ctx)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.store.MarkBoardSeen(ctx, now); err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, "urgent", map[string]any{"Title": "urgent", "Cases": rows, "Seen": seen, "Border": border, "Watch": watch,
		"Overdue": overdue, "Rubric": rb.Version})
}

// caseView is one person's urgent-response page.
type caseView struct {
	Person      *tumen.Person
	Red         []string
	History     []*custodyRow
	Latest      *tumen.CustodyChange
	Score       risk.Score
	Facts       []*tumen.RiskFact
	Codes       []risk.Factor
	Ivs         []*ivRow
	Assessments []*tumen.Assessment
	Identity    bool
}

type custodyRow struct {
	C      *tumen.CustodyChange
	Status string
	Place  *tumen.Place
}

type ivRow struct {
	I       *tumen.Intervention
	Kind    *tumen.Term
	Overdue bool
}

// score scores person p's risk by rubric rb from their custody history
// and risk facts, the border's state and the flagged dates, as of now.
func (s *Server) score(ctx context.Context, rb *risk.Rubric, p *tumen.Person, hist []*tumen.CustodyChange, facts []*tumen.RiskFact) (risk.Score, error) {
	border, err := s.store.BorderState(ctx)
	if err != nil && !tumen.IsNotFound(err) {
		return risk.Score{}, err
	}
	watch, err := s.store.WatchDates(ctx)
	if err != nil {
		return risk.Score{}, err
	}
	var latest *tumen.CustodyChange
	var place *tumen.Place
	if n := len(hist); n > 0 {
		latest = hist[n-1]
		place = s.places[latest.PlaceID]
	}
	return rb.Score(rb.Gather(risk.Inputs{Person: p, Latest: latest, Place: place, RiskFacts: facts, Border: border, WatchDates: watch, Now: s.Now()})), nil
}

// loadCase reads what the urgent-response page of a person shows, for a
// user allowed to see the person.
func (s *Server) loadCase(r *http.Request, id string) (*caseView, error) {
	ctx := actorCtx(r)
	u := reqOf(r).user
	p, err := s.store.Person(ctx, id)
	if err != nil {
		return nil, err
	}
	if !mayView(u, p.Confidentiality) {
		return nil, tumen.Errorf(tumen.KindNotFound, "no person %q", id)
	}
	rb, err := s.rubric(r)
	if err != nil {
		return nil, err
	}
	v := &caseView{Identity: seesIdentity(u)}
	v.Person, v.Red = redactPerson(u, p)
	hist, err := s.store.CustodyHistory(ctx, id)
	if err != nil {
		return nil, err
	}
	lang := reqOf(r).lang
	for _, c := range hist {
		v.History = append(v.History, &custodyRow{C: c, Status: statusLabel(c.Status, lang), Place: s.places[c.PlaceID]})
	}
	if len(hist) > 0 {
		v.Latest = hist[len(hist)-1]
	}
	facts, err := s.store.RiskFacts(ctx, id)
	if err != nil {
		return nil, err
	}
	if v.Score, err = s.score(ctx, rb, p, hist, facts); err != nil {
		return nil, err
	}
	if !v.Identity {
		// The facts' notes and sources are staff knowledge about a person;
		// the rubric's labels and weights are not.
		for i := range v.Score.Contributions {
			v.Score.Contributions[i].Fact.Detail, v.Score.Contributions[i].Fact.Source = "", ""
		}
		for i := range v.Score.Unweighed {
			v.Score.Unweighed[i].Detail, v.Score.Unweighed[i].Source = "", ""
		}
	} else {
		v.Facts = facts
		if v.Assessments, err = s.store.Assessments(ctx, id); err != nil {
			return nil, err
		}
	}
	for _, code := range rb.RecordableCodes() {
		f, _, ok := rb.Factor(code)
		if !ok {
			f = risk.Factor{Code: code, Label: code}
		}
		v.Codes = append(v.Codes, f)
	}
	ivs, err := s.store.Interventions(ctx, id)
	if err != nil {
		return nil, err
	}
	for _, iv := range ivs {
		row := &ivRow{I: iv, Kind: s.term(tumen.VocabIntervention, iv.Kind), Overdue: risk.Overdue(iv, s.Now())}
		if !v.Identity {
			c := *iv
			c.Response, c.Note = redactText(c.Response), redactText(c.Note)
			row.I = &c
		}
		v.Ivs = append(v.Ivs, row)
	}
	return v, nil
}

func redactText(s string) string {
	if s == "" {
		return ""
	}
	return Redacted
}

func (s *Server) casePage(w http.ResponseWriter, r *http.Request) {
	v, err := s.loadCase(r, r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	u := reqOf(r).user
	s.render(w, r, "case", map[string]any{"Title": "urgent", "V": v, "Statuses": tumen.CustodyStatuses, "Places": s.placeList,
		"Kinds": s.vocabList(tumen.VocabIntervention), "Grounds": tumen.ConventionGrounds, "CanAppeal": can(u, PermAppeal),
		"Mechanisms": mechanisms, "Error": r.URL.Query().Get("e")})
}

// back sends the browser to the person's urgent-response page, with a
// message when something was refused.
func back(w http.ResponseWriter, r *http.Request, id, problem string) {
	to := "/persons/" + url.PathEscape(id) + "/urgent"
	if problem != "" {
		to += "?e=" + url.QueryEscape(problem)
	} else {
		to += "?ok=1"
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
}

// ofPerson returns the record with id among a person's records: a form
// about one person can touch only that person's records.
func ofPerson[T any](list []*T, id string, idOf func(*T) string, kind string) (*T, error) {
	for _, v := range list {
		if idOf(v) == id {
			return v, nil
		}
	}
	return nil, tumen.Errorf(tumen.KindNotFound, "no %s %q for this person", kind, id)
}

// after ends a write about a person: back to their page, with the
// message of an error the user can act on, or the error page.
func (s *Server) after(w http.ResponseWriter, r *http.Request, id string, err error) {
	switch {
	case err == nil:
		back(w, r, id, "")
	case tumen.ErrorKind(err) == tumen.KindInvalid || tumen.IsNotFound(err):
		back(w, r, id, tumen.ErrorMessage(err))
	default:
		s.fail(w, r, err)
	}
}

// formDate parses an optional approximate date from a form field.
func formDate(r *http.Request, field string) (approx.Date, error) {
	v := strings.TrimSpace(r.PostFormValue(field))
	if v == "" {
		return approx.Date{}, nil
	}
	d, err := approx.Parse(v)
	if err != nil {
		return approx.Date{}, tumen.Errorf(tumen.KindInvalid, "%s", err.Error())
	}
	return d, nil
}

// visiblePerson checks that the user may see the person a write is about.
func (s *Server) visiblePerson(r *http.Request, id string) error {
	ps, err := s.store.ListPersons(actorCtx(r), tumen.PersonFilter{IDs: []string{id}, MaxLevel: level(reqOf(r).user), Summary: true, Limit: 1})
	if err != nil {
		return err
	}
	if len(ps) == 0 {
		return tumen.Errorf(tumen.KindNotFound, "no person %q", id)
	}
	return nil
}

func (s *Server) addCustody(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if err := s.visiblePerson(r, id); err != nil {
		s.fail(w, r, err)
		return
	}
	st, err := tumen.ParseCustodyStatus(r.PostFormValue("status"))
	if err != nil {
		back(w, r, id, tumen.ErrorMessage(err))
		return
	}
	d, err := formDate(r, "date")
	if err != nil || !d.Known() {
		back(w, r, id, "the date of the change is required (approximate dates allowed: 2024-03, 2024년 봄)")
		return
	}
	c := &tumen.CustodyChange{ID: newID("CC"), PersonID: id, Status: st, Date: d, PlaceID: r.PostFormValue("place"),
		SourceID: strings.TrimSpace(r.PostFormValue("source")), Note: strings.TrimSpace(r.PostFormValue("note")),
		RecordedBy: reqOf(r).user.Name, Created: s.Now()}
	if c.PlaceID != "" && s.places[c.PlaceID] == nil {
		back(w, r, id, "unknown place")
		return
	}
	s.after(w, r, id, s.store.AddCustodyChange(actorCtx(r), c))
}

func (s *Server) addRiskFact(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if err := s.visiblePerson(r, id); err != nil {
		s.fail(w, r, err)
		return
	}
	d, err := formDate(r, "date")
	if err != nil {
		back(w, r, id, tumen.ErrorMessage(err))
		return
	}
	f := &tumen.RiskFact{ID: newID("RF"), PersonID: id, Code: r.PostFormValue("code"), Date: d,
		SourceID: strings.TrimSpace(r.PostFormValue("source")), Note: strings.TrimSpace(r.PostFormValue("note")),
		RecordedBy: reqOf(r).user.Name, Created: s.Now()}
	s.after(w, r, id, s.store.AddRiskFact(actorCtx(r), f))
}

func (s *Server) withdrawRiskFact(w http.ResponseWriter, r *http.Request) {
	person := r.PostFormValue("person")
	if err := s.visiblePerson(r, person); err != nil {
		s.fail(w, r, err)
		return
	}
	// The fact must be this person's: a form cannot withdraw another's.
	facts, err := s.store.RiskFacts(actorCtx(r), person)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if _, err := ofPerson(facts, r.PathValue("id"), func(f *tumen.RiskFact) string { return f.ID }, "risk fact"); err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.store.WithdrawRiskFact(actorCtx(r), r.PathValue("id"), s.Now()); err != nil {
		s.fail(w, r, err)
		return
	}
	back(w, r, person, "")
}

func (s *Server) setBorder(w http.ResponseWriter, r *http.Request) {
	d, err := formDate(r, "since")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	b := &tumen.BorderState{Open: r.PostFormValue("open") == "yes", Since: d, Note: strings.TrimSpace(r.PostFormValue("note")),
		RecordedBy: reqOf(r).user.Name, Created: s.Now()}
	if err := s.store.SetBorderState(actorCtx(r), b); err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/urgent?ok=1", http.StatusSeeOther)
}

func (s *Server) addWatchDate(w http.ResponseWriter, r *http.Request) {
	d, err := formDate(r, "date")
	if err == nil && !d.Known() {
		err = tumen.Errorf(tumen.KindInvalid, "a flagged date needs a date")
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	wd := &tumen.WatchDate{ID: newID("WD"), Date: d, Label: strings.TrimSpace(r.PostFormValue("label")), CreatedBy: reqOf(r).user.Name, Created: s.Now()}
	if err := s.store.AddWatchDate(actorCtx(r), wd); err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/urgent?ok=1", http.StatusSeeOther)
}

// followUpDays is when an intervention is followed up by default.
const followUpDays = 14

// addIntervention records a submission or letter as sent: to whom, when,
// the reference number and the SHA-256 of the document sent, given as a
// hash (from the appeal page) or taken here from the uploaded file.
func (s *Server) addIntervention(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if err := r.ParseMultipartForm(maxUpload); err != nil && err != http.ErrNotMultipart {
		back(w, r, id, "the form or its file is too large")
		return
	}
	if err := s.visiblePerson(r, id); err != nil {
		s.fail(w, r, err)
		return
	}
	kind := r.FormValue("kind")
	if s.term(tumen.VocabIntervention, kind) == nil {
		back(w, r, id, "choose the kind of intervention")
		return
	}
	sent, err := formDate(r, "date")
	if err != nil || !sent.Known() {
		back(w, r, id, "the date it was sent is required")
		return
	}
	hash := strings.ToLower(strings.TrimSpace(r.FormValue("sha256")))
	if f, _, err := r.FormFile("document"); err == nil {
		h := sha256.New()
		_, err := io.Copy(h, f)
		f.Close()
		if err != nil {
			back(w, r, id, "the document could not be read")
			return
		}
		hash = hex.EncodeToString(h.Sum(nil))
	}
	if hash != "" {
		if b, err := hex.DecodeString(hash); err != nil || len(b) != sha256.Size {
			back(w, r, id, "the document hash is not a SHA-256 (64 hexadecimal digits)")
			return
		}
	}
	follow, err := formDate(r, "follow_up")
	if err != nil {
		back(w, r, id, tumen.ErrorMessage(err))
		return
	}
	if !follow.Known() {
		follow = risk.FollowUpAfter(s.Now(), followUpDays)
	}
	iv := &tumen.Intervention{ID: newID("IV"), VictimID: id, Kind: kind, To: strings.TrimSpace(r.FormValue("to")), Date: sent,
		Reference: strings.TrimSpace(r.FormValue("reference")), DocumentHash: hash, FollowUp: follow,
		Note: strings.TrimSpace(r.FormValue("note")), Created: s.Now()}
	if iv.To == "" {
		back(w, r, id, "say to whom it was sent")
		return
	}
	if err := s.store.CreateIntervention(actorCtx(r), iv); err != nil {
		s.fail(w, r, err)
		return
	}
	back(w, r, id, "")
}

// updateIntervention records what came back: a response, its date, the
// next follow-up, the outcome.
func (s *Server) updateIntervention(w http.ResponseWriter, r *http.Request) {
	person := r.PostFormValue("person")
	if err := s.visiblePerson(r, person); err != nil {
		s.fail(w, r, err)
		return
	}
	ivs, err := s.store.Interventions(actorCtx(r), person)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	iv, err := ofPerson(ivs, r.PathValue("id"), func(iv *tumen.Intervention) string { return iv.ID }, "intervention")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	rd, err := formDate(r, "response_date")
	if err != nil {
		back(w, r, person, tumen.ErrorMessage(err))
		return
	}
	fu, err := formDate(r, "follow_up")
	if err != nil {
		back(w, r, person, tumen.ErrorMessage(err))
		return
	}
	if v := strings.TrimSpace(r.PostFormValue("response")); v != "" {
		iv.Response = v
	}
	if rd.Known() {
		iv.ResponseDate = rd
	}
	if fu.Known() {
		iv.FollowUp = fu
	}
	if v := strings.TrimSpace(r.PostFormValue("outcome")); v != "" {
		iv.Outcome = v
	}
	if err := s.store.UpdateIntervention(actorCtx(r), iv); err != nil {
		s.fail(w, r, err)
		return
	}
	back(w, r, person, "")
}

// addAssessment records a refugee-status assessment.
func (s *Server) addAssessment(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if err := s.visiblePerson(r, id); err != nil {
		s.fail(w, r, err)
		return
	}
	f := func(k string) string { return strings.TrimSpace(r.PostFormValue(k)) }
	a := &tumen.Assessment{ID: newID("RA"), PersonID: id, WellFoundedFear: f("fear"), Persecution: f("persecution"),
		Grounds: r.PostForm["grounds"], GroundsReasoning: f("grounds_reasoning"), StateProtection: f("protection"),
		SurPlace: f("sur_place"), Conclusion: f("conclusion"), Assessor: reqOf(r).user.Name, Date: s.Now(), Created: s.Now()}
	for _, line := range strings.Split(f("facts"), "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		// "fact text [S-1, S-2]": the sources in brackets at the end.
		fact := tumen.AssessedFact{Text: line}
		if i := strings.LastIndex(line, "["); i > 0 && strings.HasSuffix(line, "]") {
			fact.Text = strings.TrimSpace(line[:i])
			for _, sid := range strings.Split(line[i+1:len(line)-1], ",") {
				if sid = strings.TrimSpace(sid); sid != "" {
					fact.SourceIDs = append(fact.SourceIDs, sid)
				}
			}
		}
		a.Facts = append(a.Facts, fact)
	}
	s.after(w, r, id, s.store.CreateAssessment(actorCtx(r), a))
}

// dayTime is a time's date, for templates.
func dayTime(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.UTC().Format("2006-01-02 15:04")
}

// rubricPage shows the rubric in force, factor by factor, its stored
// versions, and for admins a form to store a new version.
func (s *Server) rubricPage(w http.ResponseWriter, r *http.Request) {
	ctx := actorCtx(r)
	rb, v, err := risk.Current(ctx, s.store)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	versions, err := s.store.Rubrics(ctx)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, "rubric", map[string]any{"Title": "rubric", "R": rb, "Version": v, "Versions": versions, "JSON": string(rb.JSON()),
		"CanAdmin": can(reqOf(r).user, PermAdmin), "Error": r.URL.Query().Get("e")})
}

// saveRubric stores a new rubric version from the form's JSON; it is in
// force at once, and every score shows the version it used.
func (s *Server) saveRubric(w http.ResponseWriter, r *http.Request) {
	rb, err := risk.Parse([]byte(r.PostFormValue("rubric")))
	if err != nil {
		http.Redirect(w, r, "/urgent/rubric?e="+url.QueryEscape(tumen.ErrorMessage(err)), http.StatusSeeOther)
		return
	}
	rv := &tumen.RubricVersion{Body: rb.JSON(), Note: strings.TrimSpace(r.PostFormValue("note")), CreatedBy: reqOf(r).user.Name, Created: s.Now()}
	if err := s.store.SaveRubric(actorCtx(r), rv); err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/urgent/rubric?ok=1", http.StatusSeeOther)
}
