package web

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"tumen"
	"tumen/appeal"
	"tumen/approx"
	"tumen/risk"
)

// Appeals to UN mechanisms, made from a person's records by package
// appeal: the page sets the options the records cannot hold (submitter,
// access to the person, steps taken, legal basis), shows the document or
// what is missing, offers it as HTML, PDF and text, and records it as sent
// with the SHA-256 of the very bytes downloaded.
//
// A document is dated by the moment it was prepared ("at", carried by its
// links), so the download and the record of sending hash the same bytes.
// Consent is checked again at every request: a revocation takes effect at
// once, whatever the date on the document.

var mechanisms = appeal.Mechanisms

// appealFormats are the formats a document downloads in.
var appealFormats = []string{"html", "pdf", "txt"}

// appealRequest is an appeal's options as a form gives them.
type appealRequest struct {
	Mechanism                            appeal.Mechanism
	Joint                                bool
	Access, Steps, LegalBasis, Arbitrary string
	Org, Name, Email, Address, Relation  string
	Withhold                             []string
	At                                   time.Time
}

func (s *Server) readAppealRequest(r *http.Request) (*appealRequest, error) {
	q := r.Form
	m, err := appeal.ParseMechanism(q.Get("mechanism"))
	if err != nil {
		return nil, err
	}
	a := &appealRequest{Mechanism: m, Joint: q.Get("joint") == "1", Access: q.Get("access"), Steps: q.Get("steps"),
		LegalBasis: q.Get("legal_basis"), Arbitrary: q.Get("arbitrary"), Org: q.Get("org"), Name: q.Get("name"),
		Email: q.Get("email"), Address: q.Get("address"), Relation: q.Get("relation"), Withhold: q["withhold"], At: s.Now()}
	if v := q.Get("at"); v != "" {
		sec, err := strconv.ParseInt(v, 10, 64)
		at := time.Unix(sec, 0)
		if err != nil || at.After(s.Now()) || s.Now().Sub(at) > 24*time.Hour {
			return nil, tumen.Errorf(tumen.KindInvalid, "the document's date is not valid any more: prepare it again")
		}
		a.At = at
	}
	a.At = a.At.Truncate(time.Second)
	return a, nil
}

// query is the request as URL parameters, for the download links.
func (a *appealRequest) query() url.Values {
	q := url.Values{"mechanism": {string(a.Mechanism)}, "at": {strconv.FormatInt(a.At.Unix(), 10)}}
	for k, v := range map[string]string{"access": a.Access, "steps": a.Steps, "legal_basis": a.LegalBasis, "arbitrary": a.Arbitrary,
		"org": a.Org, "name": a.Name, "email": a.Email, "address": a.Address, "relation": a.Relation} {
		if v != "" {
			q.Set(k, v)
		}
	}
	if a.Joint {
		q.Set("joint", "1")
	}
	for _, w := range a.Withhold {
		q.Add("withhold", w)
	}
	return q
}

// appealCase reads a person's records for a document, within the user's
// clearance.
func (s *Server) appealCase(r *http.Request, id string) (*appeal.Case, error) {
	ctx := actorCtx(r)
	u := reqOf(r).user
	d, err := s.store.Dossier(ctx, id)
	if err != nil {
		return nil, err
	}
	if !mayView(u, d.Person.Confidentiality) {
		return nil, tumen.Errorf(tumen.KindNotFound, "no person %q", id)
	}
	c := &appeal.Case{Person: d.Person, Consents: d.Consents, Places: s.places, Organisations: s.orgs, Acts: d.Acts}
	for _, e := range d.Events {
		if mayView(u, e.Confidentiality) {
			c.Events = append(c.Events, e)
		}
	}
	for _, src := range d.Sources {
		if mayView(u, src.Confidentiality) {
			c.Sources = append(c.Sources, src)
		}
	}
	if c.Custody, err = s.store.CustodyHistory(ctx, id); err != nil {
		return nil, err
	}
	if c.RiskFacts, err = s.store.RiskFacts(ctx, id); err != nil {
		return nil, err
	}
	if c.Interventions, err = s.store.Interventions(ctx, id); err != nil {
		return nil, err
	}
	rb, err := s.rubric(r)
	if err != nil {
		return nil, err
	}
	sc, err := s.score(ctx, rb, d.Person, c.Custody, c.RiskFacts)
	if err != nil {
		return nil, err
	}
	c.Score = &sc
	return c, nil
}

// prepare makes the document, checking consent now as well as at the
// document's date.
func (s *Server) prepare(c *appeal.Case, a *appealRequest) (*appeal.Document, error) {
	o := appeal.Options{Mechanism: a.Mechanism, Joint: a.Joint, Access: a.Access, Steps: a.Steps, LegalBasis: a.LegalBasis,
		Arbitrary: a.Arbitrary, Withhold: a.Withhold,
		Submitter: appeal.Submitter{Organisation: a.Org, Name: a.Name, Email: a.Email, Address: a.Address, Relation: a.Relation}}
	if !a.At.Equal(s.Now().Truncate(time.Second)) {
		o.Now = s.Now()
		if _, err := appeal.Prepare(c, o); err != nil {
			return nil, err
		}
	}
	o.Now = a.At
	return appeal.Prepare(c, o)
}

func render(doc *appeal.Document, format string) ([]byte, string, error) {
	var b bytes.Buffer
	var err error
	ctype := ""
	switch format {
	case "html":
		err, ctype = doc.HTML(&b), "text/html; charset=utf-8"
	case "pdf":
		err, ctype = doc.PDF(&b), "application/pdf"
	case "txt":
		err, ctype = doc.Text(&b), "text/plain; charset=utf-8"
	default:
		return nil, "", tumen.Errorf(tumen.KindInvalid, "unknown format %q (want html, pdf or txt)", format)
	}
	if err != nil {
		return nil, "", tumen.Wrap(err, "cannot write the document")
	}
	return b.Bytes(), ctype, nil
}

func (s *Server) appealPage(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	_ = r.ParseForm()
	data := map[string]any{"Title": "appeal", "ID": id, "Mechanisms": mechanisms, "Fields": appeal.Fields, "Q": r.Form}
	if r.Form.Get("mechanism") == "" {
		if err := s.visiblePerson(r, id); err != nil {
			s.fail(w, r, err)
			return
		}
		s.render(w, r, "appeal", data)
		return
	}
	a, err := s.readAppealRequest(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	c, err := s.appealCase(r, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	doc, err := s.prepare(c, a)
	var refusal *appeal.Refusal
	if errors.As(err, &refusal) {
		_ = s.store.Audit(actorCtx(r), "appeal-refused", "person", id, string(a.Mechanism)+": "+strconv.Itoa(len(refusal.Consent))+" consents and "+strconv.Itoa(len(refusal.Missing))+" elements missing")
		w.WriteHeader(http.StatusUnprocessableEntity)
		data["Refusal"] = refusal
		s.render(w, r, "appeal", data)
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	text, _, err := render(doc, "txt")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	hashes := map[string]string{}
	for _, f := range appealFormats {
		b, _, err := render(doc, f)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		sum := sha256.Sum256(b)
		hashes[f] = hex.EncodeToString(sum[:])
	}
	data["Doc"], data["Text"], data["Hashes"], data["Formats"] = doc, string(text), hashes, appealFormats
	// Built by url.Values.Encode, so safe as the query of a link.
	data["Query"] = template.URL(a.query().Encode())
	data["Today"] = s.Now().UTC().Format("2006-01-02")
	data["Kind"] = a.Mechanism.InterventionKind()
	s.render(w, r, "appeal", data)
}

// documentOf makes the document a request asks for, in the format of its
// form, from the person's records: what the download and the record of
// sending share.
func (s *Server) documentOf(r *http.Request) (a *appealRequest, b []byte, ctype string, doc *appeal.Document, err error) {
	_ = r.ParseForm()
	if a, err = s.readAppealRequest(r); err != nil {
		return nil, nil, "", nil, err
	}
	c, err := s.appealCase(r, r.PathValue("id"))
	if err != nil {
		return nil, nil, "", nil, err
	}
	if doc, err = s.prepare(c, a); err != nil {
		return nil, nil, "", nil, err
	}
	b, ctype, err = render(doc, r.Form.Get("format"))
	return a, b, ctype, doc, err
}

// appealDocument downloads the document in one format; the download is
// an export of the person's records, audited.
func (s *Server) appealDocument(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	a, b, ctype, _, err := s.documentOf(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	format := r.Form.Get("format")
	sum := sha256.Sum256(b)
	if err := s.store.Audit(actorCtx(r), "export", "appeal", id, string(a.Mechanism)+" "+format+" sha256 "+hex.EncodeToString(sum[:])); err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Content-Disposition", `attachment; filename="`+id+"-"+string(a.Mechanism)+"."+format+`"`)
	w.Write(b)
}

// appealSent records the document as sent: the intervention carries the
// SHA-256 of the bytes of the format that was sent, made again here from
// the same records and date.
func (s *Server) appealSent(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	a, b, _, doc, err := s.documentOf(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	sum := sha256.Sum256(b)
	sent, err := approx.Parse(strings.TrimSpace(r.Form.Get("date")))
	if err != nil || !sent.Known() {
		sent = approx.MustParse(s.Now().UTC().Format("2006-01-02"))
	}
	iv := &tumen.Intervention{ID: newID("IV"), VictimID: id, Kind: a.Mechanism.InterventionKind(), To: strings.Join(doc.Addressees, "; "),
		Date: sent, Reference: strings.TrimSpace(r.Form.Get("reference")), DocumentHash: hex.EncodeToString(sum[:]),
		FollowUp: risk.FollowUpAfter(s.Now(), followUpDays), Note: strings.TrimSpace(r.Form.Get("note")), Created: s.Now()}
	if err := s.store.CreateIntervention(actorCtx(r), iv); err != nil {
		s.fail(w, r, err)
		return
	}
	back(w, r, id, "")
}

// memo prints a refugee-status assessment as a memo.
func (s *Server) memo(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	c, err := s.appealCase(r, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	as, err := s.store.Assessments(actorCtx(r), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	a, err := ofPerson(as, r.PathValue("aid"), func(a *tumen.Assessment) string { return a.ID }, "assessment")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	sources := map[string]*tumen.Source{}
	for _, src := range c.Sources {
		sources[src.ID] = src
	}
	format := r.URL.Query().Get("format")
	if format == "" {
		format = "html"
	}
	b, ctype, err := render(appeal.Memo(a, c.Person, sources), format)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if format == "html" {
		// The memo's own page carries inline CSS, which this site's policy
		// forbids: it downloads, like the appeals.
		w.Header().Set("Content-Disposition", `attachment; filename="`+id+"-assessment.html"+`"`)
	}
	w.Header().Set("Content-Type", ctype)
	w.Write(b)
}
