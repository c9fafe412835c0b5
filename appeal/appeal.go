// Package appeal writes submissions to UN mechanisms from a person's
// records: an urgent appeal to Special Procedures (the Special Rapporteur
// on the DPRK, jointly with the Special Rapporteur on torture when
// chosen), a communication to the Working Group on Enforced or
// Involuntary Disappearances, and a petition to the Working Group on
// Arbitrary Detention; and the refugee-status assessment memo.
//
// A document is made only from what the records hold. Prepare first checks
// consent — a standing consent to UN submission on a source of the person,
// named or anonymous — then uses only the sources that consent covers and
// the records they support, then checks every element the mechanism
// requires. When anything is missing it returns a *Refusal listing it,
// and no document: nothing is invented to fill a gap. Relatives, contacts
// and notes never enter a document; records marked secret and fields the
// caller withholds are left out. Documents render as HTML, plain text for
// e-mail, and PDF with an embedded Korean font.
package appeal

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"tumen"
	"tumen/approx"
	"tumen/risk"
)

// Mechanism is a UN mechanism a document is addressed to.
type Mechanism string

// The mechanisms.
const (
	SP    Mechanism = "sp"    // Special Procedures urgent appeal
	WGEID Mechanism = "wgeid" // Working Group on Enforced or Involuntary Disappearances
	WGAD  Mechanism = "wgad"  // Working Group on Arbitrary Detention
)

// Mechanisms lists the mechanisms.
var Mechanisms = []Mechanism{SP, WGEID, WGAD}

// ParseMechanism parses sp, wgeid or wgad.
func ParseMechanism(s string) (Mechanism, error) {
	for _, m := range Mechanisms {
		if string(m) == s {
			return m, nil
		}
	}
	return "", tumen.Errorf(tumen.KindInvalid, "unknown mechanism %q (want sp, wgeid or wgad)", s)
}

// InterventionKind is the intervention-kind vocabulary's code for a
// document sent to the mechanism.
func (m Mechanism) InterventionKind() string {
	switch m {
	case WGEID:
		return "wgeid-communication"
	case WGAD:
		return "wgad-petition"
	}
	return "urgent-appeal"
}

// AllowsAnonymous reports whether the mechanism's document can be made
// without the victim's name. The working groups register individual cases
// only with the victim's identity; a Special Procedures appeal can
// describe a person it does not name.
func (m Mechanism) AllowsAnonymous() bool { return m == SP }

// Fields a caller may withhold from a document.
const (
	FieldBirthDate = "birth-date"
	FieldOrigin    = "origin"
	FieldHanja     = "hanja"      // names in Hanja
	FieldNarrative = "narrative"  // event narratives
	FieldRiskFacts = "risk-facts" // the facts behind the risk score
	FieldSources   = "sources"    // the list of sources relied on
)

// Fields lists the fields a caller may withhold.
var Fields = []string{FieldBirthDate, FieldOrigin, FieldHanja, FieldNarrative, FieldRiskFacts, FieldSources}

// Case is what a document is filled from: one person's records as read
// from the store. Consents are by source id.
type Case struct {
	Person        *tumen.Person
	Events        []*tumen.Event
	Acts          []*tumen.Act
	Sources       []*tumen.Source
	Consents      map[string][]*tumen.Consent
	Custody       []*tumen.CustodyChange // oldest first
	RiskFacts     []*tumen.RiskFact
	Interventions []*tumen.Intervention
	Places        map[string]*tumen.Place
	Organisations map[string]*tumen.Organisation
	// Score is the person's risk score, when the caller computed one.
	Score *risk.Score
}

// Submitter is who sends the document. Mechanisms keep the submitter's
// identity confidential, but require it.
type Submitter struct {
	Organisation string
	Name         string
	Email        string
	Address      string
	Relation     string // to the victim: "NGO documenting the case", "sister", …
}

// Options choose a document's mechanism and what the records do not hold.
type Options struct {
	Mechanism Mechanism
	// Joint addresses a Special Procedures appeal to the Special
	// Rapporteur on torture too.
	Joint     bool
	Submitter Submitter
	// Withhold names fields (Fields) to leave out.
	Withhold []string
	// Access: whether family, a lawyer or a doctor has had access to the
	// person (required for a joint appeal on torture risk).
	Access string
	// Steps: steps taken to locate the person beyond the recorded
	// interventions (WGEID).
	Steps string
	// LegalBasis: the legal basis the authorities claim for the detention,
	// or a statement that none was given (WGAD).
	LegalBasis string
	// Arbitrary: why the detention is arbitrary, with the Working Group's
	// categories (WGAD).
	Arbitrary string
	// Now dates the document and decides which consents stand.
	Now time.Time
}

// Refusal is why a document was not made: the consents and the elements
// that are missing. Its message lists them and holds no personal data.
type Refusal struct {
	Mechanism Mechanism
	Consent   []string // what is missing of consent
	Missing   []string // required elements the records do not hold
}

// Error lists what is missing.
func (r *Refusal) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "cannot write the %s document:", r.Mechanism.Short())
	for _, c := range r.Consent {
		b.WriteString("\n  consent: " + c)
	}
	for _, m := range r.Missing {
		b.WriteString("\n  missing: " + m)
	}
	return b.String()
}

// Short returns the mechanism's short name.
func (m Mechanism) Short() string {
	switch m {
	case SP:
		return "Special Procedures urgent appeal"
	case WGEID:
		return "WGEID"
	case WGAD:
		return "WGAD"
	}
	return string(m)
}

// Item is a labelled value of a document section.
type Item struct {
	Label string
	Value string
}

// Section is one numbered part of a document.
type Section struct {
	Heading string
	Items   []Item
	Paras   []string
}

// Document is a filled document, ready to render.
type Document struct {
	Mechanism  Mechanism
	Title      string
	Addressees []string
	Date       string
	At         time.Time // when the document was made; dates the PDF
	Reference  string    // the person's id, for the submitter's own files
	Named      bool
	Intro      string
	Sections   []Section
	Footer     string
	// LeftOut says what was left out and why, for the person sending the
	// document; it is not part of the document.
	LeftOut []string
}

// selection is the part of a case a document may use.
type selection struct {
	c         *Case
	named     bool
	sources   []*tumen.Source
	usable    map[string]bool // source ids
	events    []*tumen.Event  // supported, not secret, by date
	acts      []*tumen.Act
	custody   []*tumen.CustodyChange
	withheld  map[string]bool
	leftOut   []string
	orgsOfAct []string
}

// consentFor returns the UN uses standing at now among a source's consents.
func consentFor(cs []*tumen.Consent, now time.Time) (named, anonymous bool) {
	for _, c := range cs {
		if !c.Active(now) {
			continue
		}
		switch c.Use {
		case tumen.UseUNNamed:
			named = true
		case tumen.UseUNAnonymous:
			anonymous = true
		}
	}
	return
}

// supports reports whether s supports the record kind/id.
func supports(s *tumen.Source, kind, id string) bool {
	for _, l := range s.Supports {
		if l.Kind == kind && l.ID == id {
			return true
		}
	}
	return false
}

// selectRecords applies consent and confidentiality to a case.
func selectRecords(c *Case, o Options) (*selection, *Refusal) {
	s := &selection{c: c, usable: map[string]bool{}, withheld: map[string]bool{}}
	for _, f := range o.Withhold {
		s.withheld[f] = true
	}
	ref := &Refusal{Mechanism: o.Mechanism}
	if c.Person == nil {
		ref.Missing = append(ref.Missing, "the person's record")
		return nil, ref
	}
	personNamed, personAnon := false, false
	for _, src := range c.Sources {
		named, anon := consentFor(c.Consents[src.ID], o.Now)
		if !named && !anon {
			s.leftOut = append(s.leftOut, fmt.Sprintf("source %s: no standing consent to UN submission", src.ID))
			continue
		}
		if src.Confidentiality >= tumen.Secret {
			s.leftOut = append(s.leftOut, fmt.Sprintf("source %s: marked secret", src.ID))
			continue
		}
		s.usable[src.ID] = true
		s.sources = append(s.sources, src)
		if supports(src, tumen.RecordPerson, c.Person.ID) {
			personNamed = personNamed || named
			personAnon = personAnon || anon
		}
	}
	switch {
	case personNamed:
		s.named = true
	case personAnon && o.Mechanism.AllowsAnonymous():
		s.named = false
	case personAnon:
		ref.Consent = append(ref.Consent, fmt.Sprintf("the standing consent covers only anonymous UN submission; the %s registers a case only with the victim's name: record a consent for UN submission with names (un-named)", o.Mechanism.Short()))
	default:
		ref.Consent = append(ref.Consent, "no source of this person has a standing consent to UN submission (un-named, or un-anonymous for a Special Procedures appeal): record the family's consent first")
	}
	if len(ref.Consent) > 0 {
		return nil, ref
	}
	if c.Person.Confidentiality >= tumen.Secret && s.named {
		ref.Consent = append(ref.Consent, "the person's record is marked secret: lower its confidentiality or use an anonymous appeal")
		return nil, ref
	}
	// Acts and events count when a usable source supports them; an event
	// also counts through an act in it.
	actOK := map[string]bool{}
	for _, a := range c.Acts {
		for _, src := range s.sources {
			if supports(src, tumen.RecordAct, a.ID) {
				actOK[a.ID] = true
			}
		}
	}
	eventOK := map[string]bool{}
	for _, e := range c.Events {
		for _, src := range s.sources {
			if supports(src, tumen.RecordEvent, e.ID) {
				eventOK[e.ID] = true
			}
		}
	}
	for _, a := range c.Acts {
		if actOK[a.ID] {
			eventOK[a.EventID] = true
		}
	}
	for _, e := range c.Events {
		switch {
		case !eventOK[e.ID]:
			s.leftOut = append(s.leftOut, fmt.Sprintf("event %s: no consented source supports it", e.ID))
		case e.Confidentiality >= tumen.Secret:
			s.leftOut = append(s.leftOut, fmt.Sprintf("event %s: marked secret", e.ID))
		default:
			s.events = append(s.events, e)
		}
	}
	sort.SliceStable(s.events, func(i, j int) bool { return approx.Compare(s.events[i].Date, s.events[j].Date) < 0 })
	inEvents := map[string]bool{}
	for _, e := range s.events {
		inEvents[e.ID] = true
	}
	orgs := map[string]bool{}
	for _, a := range c.Acts {
		if actOK[a.ID] && inEvents[a.EventID] {
			s.acts = append(s.acts, a)
			for _, p := range a.Perpetrators {
				if p.OrganisationID != "" && !orgs[p.OrganisationID] {
					orgs[p.OrganisationID] = true
					s.orgsOfAct = append(s.orgsOfAct, p.OrganisationID)
				}
			}
		}
	}
	for _, ch := range c.Custody {
		if ch.SourceID == "" || !s.usable[ch.SourceID] {
			s.leftOut = append(s.leftOut, fmt.Sprintf("custody change %s: no consented source", ch.ID))
			continue
		}
		s.custody = append(s.custody, ch)
	}
	if !s.named {
		s.leftOut = append(s.leftOut, "event narratives: free text may name people, so an anonymous document leaves it out")
	}
	for f := range s.withheld {
		s.leftOut = append(s.leftOut, "withheld by request: "+f)
	}
	sort.Strings(s.leftOut)
	return s, nil
}

// Prepare checks consent and the mechanism's required elements, and fills
// the document. It returns a *Refusal when consent or an element is
// missing.
func Prepare(c *Case, o Options) (*Document, error) {
	if _, err := ParseMechanism(string(o.Mechanism)); err != nil {
		return nil, err
	}
	for _, f := range o.Withhold {
		ok := false
		for _, k := range Fields {
			ok = ok || f == k
		}
		if !ok {
			return nil, tumen.Errorf(tumen.KindInvalid, "unknown field to withhold %q (want %s)", f, strings.Join(Fields, ", "))
		}
	}
	if o.Now.IsZero() {
		o.Now = time.Now()
	}
	s, ref := selectRecords(c, o)
	if ref != nil {
		return nil, ref
	}
	var d *Document
	var missing []string
	switch o.Mechanism {
	case SP:
		d, missing = s.sp(o)
	case WGEID:
		d, missing = s.wgeid(o)
	case WGAD:
		d, missing = s.wgad(o)
	}
	if len(missing) > 0 {
		return nil, &Refusal{Mechanism: o.Mechanism, Missing: missing}
	}
	d.Mechanism, d.Named, d.LeftOut = o.Mechanism, s.named, s.leftOut
	d.Date, d.At = longDate(o.Now), o.Now.UTC()
	d.Reference = c.Person.ID
	return d, nil
}

func longDate(t time.Time) string { return t.Format("2 January 2006") }
