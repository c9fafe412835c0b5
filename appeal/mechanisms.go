package appeal

import (
	"fmt"
	"strings"

	"tumen"
	"tumen/approx"
)

// What each mechanism requires, after its published guidance:
//
//   - Special Procedures (communications; urgent appeals): the alleged
//     victim's identity, the alleged perpetrators, the submitter, the date
//     and place of what happened or is feared and a description; for a
//     risk of torture, why it is imminent and whether family, a lawyer or
//     a doctor has had access. Domestic remedies need not be exhausted.
//   - WGEID (the six elements of a case): full name; date of the
//     disappearance, at least month and year; place of the arrest or
//     abduction, or where last seen; the parties presumed responsible;
//     steps taken to locate the person; who submits — and the family's
//     consent.
//   - WGAD (model questionnaire): identity; arrest — date, place, forces;
//     detention — since when, where, under which authority; the legal
//     basis claimed; why the detention is arbitrary; and, for urgent
//     action, the risk to life or health.

const nationality = "Democratic People's Republic of Korea (North Korea)"

func (s *selection) hangulName() string {
	for _, n := range s.c.Person.Names {
		if n.System == tumen.NameHangulSouth || n.System == tumen.NameHangulNorth {
			return n.Full
		}
	}
	return ""
}

func (s *selection) romanName() string {
	for _, n := range s.c.Person.Names {
		switch n.System {
		case tumen.NameRoman, tumen.NameRR, tumen.NameMR:
			return n.Full
		}
	}
	return ""
}

func (s *selection) hanjaName() string {
	if s.withheld[FieldHanja] {
		return ""
	}
	for _, n := range s.c.Person.Names {
		if n.System == tumen.NameHanja {
			return n.Full
		}
	}
	return ""
}

// displayName is the name a document uses: Hangul with a romanization.
func (s *selection) displayName() string {
	h, r := s.hangulName(), s.romanName()
	switch {
	case h != "" && r != "":
		return r + " (" + h + ")"
	case h != "":
		return h
	case r != "":
		return r
	}
	for _, n := range s.c.Person.Names {
		if n.System != tumen.NameAlias && n.System != tumen.NameHanja {
			return n.Full
		}
	}
	return ""
}

func (s *selection) victim() string {
	if s.named {
		return s.displayName()
	}
	return "the person concerned (name withheld at the family's request)"
}

func sexWord(x tumen.Sex) string {
	switch x {
	case tumen.SexFemale:
		return "female"
	case tumen.SexMale:
		return "male"
	}
	return "not known"
}

// identity lists who the person is, within consent and what is withheld.
func (s *selection) identity() []Item {
	p := s.c.Person
	var items []Item
	if s.named {
		items = append(items, Item{"Name", s.displayName()})
		for _, n := range p.Names {
			if n.System == tumen.NameHangulSouth && n.Family != "" {
				items = append(items, Item{"Family name / given name", n.Family + " / " + n.Given})
				break
			}
		}
		if h := s.hanjaName(); h != "" {
			items = append(items, Item{"Name in Chinese characters", h})
		}
	} else {
		items = append(items, Item{"Name", "withheld at the family's request; the submitter can give it to the mechanism in confidence if the family agrees"})
	}
	items = append(items, Item{"Sex", sexWord(p.Sex)})
	if !s.withheld[FieldBirthDate] && p.BirthDate.Known() {
		items = append(items, Item{"Date of birth", p.BirthDate.String()})
	}
	if !s.withheld[FieldOrigin] && p.Origin != "" {
		items = append(items, Item{"Home county", s.placeOr(p.HomePlaceID, p.Origin)})
	}
	items = append(items, Item{"Nationality", nationality})
	return items
}

func (s *selection) placeOr(id, text string) string {
	if n := s.place(id); n != "" {
		return n
	}
	return text
}

// place names a gazetteer place in English and Korean, with its country.
func (s *selection) place(id string) string {
	p := s.c.Places[id]
	if p == nil {
		return id
	}
	n := p.NameEN
	if p.NameKO != "" {
		n += " (" + p.NameKO + ")"
	}
	switch p.Country {
	case "CN":
		n += ", China"
	case "KP":
		n += ", North Korea"
	}
	return n
}

func (s *selection) org(id string) string {
	o := s.c.Organisations[id]
	if o == nil {
		return id
	}
	n := o.NameEN
	if o.NameKO != "" {
		n += " (" + o.NameKO + ")"
	}
	return n
}

// arrest returns the date and place of the arrest: the first custody
// change "arrested", else the first event at stage S2.
func (s *selection) arrest() (approx.Date, string, bool) {
	for _, ch := range s.custody {
		if ch.Status == tumen.CustodyArrested {
			return ch.Date, s.place(ch.PlaceID), ch.Date.Known() && ch.PlaceID != ""
		}
	}
	for _, e := range s.events {
		if e.Stage == "S2" {
			where := s.place(e.PlaceID)
			if e.PlaceID == "" {
				where = e.PlaceText
			}
			return e.Date, where, e.Date.Known() && where != ""
		}
	}
	return approx.Date{}, "", false
}

// current is the latest consented custody change.
func (s *selection) current() *tumen.CustodyChange {
	if len(s.custody) == 0 {
		return nil
	}
	return s.custody[len(s.custody)-1]
}

// perpetrators names the agencies of the consented acts and of the
// facility where the person is held.
func (s *selection) perpetrators() []string {
	var out []string
	seen := map[string]bool{}
	add := func(id string) {
		if id != "" && !seen[id] {
			seen[id] = true
			out = append(out, s.org(id))
		}
	}
	for _, id := range s.orgsOfAct {
		add(id)
	}
	if cur := s.current(); cur != nil {
		if p := s.c.Places[cur.PlaceID]; p != nil {
			add(p.AgencyID)
		}
	}
	return out
}

func humanCode(code string) string { return strings.ReplaceAll(code, "-", " ") }

// account is what happened, from the consented events.
func (s *selection) account() []string {
	var out []string
	for _, e := range s.events {
		if e.Stage == "" && e.ParentID == "" {
			continue // the chain's root only spans its steps
		}
		where := s.place(e.PlaceID)
		if e.PlaceID == "" {
			where = e.PlaceText
		}
		var acts []string
		for _, a := range s.acts {
			if a.EventID == e.ID {
				acts = append(acts, humanCode(a.Type))
			}
		}
		line := e.Date.String()
		if where != "" {
			line += ", " + where
		}
		line += ":"
		if len(acts) > 0 {
			line += " " + strings.Join(acts, ", ") + "."
		}
		// Free text may name people: an anonymous document leaves it out.
		if !s.withheld[FieldNarrative] && s.named && e.Narrative != "" {
			line += " " + e.Narrative
		}
		out = append(out, line)
	}
	return out
}

// custodyLines is the consented custody history.
func (s *selection) custodyLines() []string {
	var out []string
	for _, ch := range s.custody {
		line := ch.Date.String() + ": " + ch.Status.Label()
		if ch.PlaceID != "" {
			line += ", " + s.place(ch.PlaceID)
		}
		out = append(out, line+".")
	}
	return out
}

// riskLines are the facts of the risk score that consent covers.
func (s *selection) riskLines() []string {
	sc := s.c.Score
	if sc == nil || s.withheld[FieldRiskFacts] {
		return nil
	}
	var out []string
	for _, c := range sc.Contributions {
		if c.Fact.Source != "" && !s.usable[c.Fact.Source] {
			continue
		}
		if c.Fact.Source == "" && c.Dimension == "severity" && c.Code != "minor" && c.Code != "elderly" {
			continue // a recorded fact without a source: not covered by any consent
		}
		line := c.Label
		if c.Fact.Detail != "" && !strings.HasPrefix(c.Code, "facility:") && !strings.HasPrefix(c.Code, "status:") {
			line += " (" + c.Fact.Detail + ")"
		}
		out = append(out, line)
	}
	return out
}

func (s *selection) submitter(o Options, missing *[]string) []Item {
	sub := o.Submitter
	if sub.Organisation == "" && sub.Name == "" {
		*missing = append(*missing, "who submits: the submitting organisation or person (--submitter-org, --submitter-name)")
	}
	if sub.Email == "" && sub.Address == "" {
		*missing = append(*missing, "how to reach the submitter: an e-mail or postal address (--submitter-email)")
	}
	var items []Item
	for _, it := range []Item{{"Organisation", sub.Organisation}, {"Name", sub.Name}, {"E-mail", sub.Email}, {"Address", sub.Address}, {"Relation to the person", sub.Relation}} {
		if it.Value != "" {
			items = append(items, it)
		}
	}
	return items
}

func (s *selection) sourceLines() []string {
	if s.withheld[FieldSources] {
		return nil
	}
	var out []string
	for _, src := range s.sources {
		line := humanCode(src.Kind)
		if src.Organisation != "" {
			line += " documented by " + src.Organisation
		}
		if src.Date.Known() {
			line += ", " + src.Date.String()
		}
		if src.Reliability != "" {
			line += " (reliability: " + src.Reliability + ")"
		}
		out = append(out, line)
	}
	return out
}

var legalParas = []string{
	"China is bound by the Convention against Torture, article 3 of which forbids returning anyone to a State where there are substantial grounds for believing that they would be in danger of being subjected to torture, and by the 1951 Refugee Convention and its 1967 Protocol, article 33 of which forbids refoulement.",
	"North Koreans returned from China are interrogated by the Ministry of State Security, held in holding centres and sent to labour camps, prisons or political prison camps; torture, sexual violence, forced abortion and deaths in custody are documented. The Commission of Inquiry on human rights in the DPRK (A/HRC/25/63, 2014) found these practices systematic, and UN experts called on China on 17 October 2023 to stop the forced returns.",
	"Because leaving North Korea without permission is itself punished on return, a North Korean in China is a refugee sur place whatever the reason for leaving.",
}

func (s *selection) common(missing *[]string) (arrestDate approx.Date, arrestPlace string, cur *tumen.CustodyChange, perps []string) {
	var ok bool
	arrestDate, arrestPlace, ok = s.arrest()
	if !ok {
		*missing = append(*missing, "date and place of the arrest, from a consented source (a custody change 'arrested' with --date and --place, or an arrest event)")
	}
	cur = s.current()
	perps = s.perpetrators()
	if len(perps) == 0 {
		*missing = append(*missing, "the authorities responsible: an act with a perpetrating agency, or a facility with its operating agency")
	}
	return
}

func custodyItems(s *selection, cur *tumen.CustodyChange) []Item {
	items := []Item{{"Status", cur.Status.Label()}, {"Since", cur.Date.String()}}
	if cur.PlaceID != "" {
		items = append(items, Item{"Where", s.place(cur.PlaceID)})
		if p := s.c.Places[cur.PlaceID]; p != nil && p.AgencyID != "" {
			items = append(items, Item{"Authority holding the person", s.org(p.AgencyID)})
		}
	}
	return items
}

func (s *selection) sp(o Options) (*Document, []string) {
	var missing []string
	if s.named && s.displayName() == "" {
		missing = append(missing, "the person's name")
	}
	if !s.named && (s.c.Person.Sex == tumen.SexUnknown || !s.c.Person.BirthDate.Known()) {
		missing = append(missing, "for an appeal without the name: the person's sex and approximate birth date, so the mandate can identify the case")
	}
	arrestDate, arrestPlace, cur, perps := s.common(&missing)
	if cur == nil || !cur.Status.Open() {
		missing = append(missing, "the person's current custody status, from a consented source (tumen custody set)")
	} else if !cur.Status.InChina() && cur.Status != tumen.CustodyAtLiberty {
		if s.c.Score == nil || s.c.Score.Imminence == 0 {
			missing = append(missing, "why the risk is imminent: the person is not recorded in Chinese custody")
		}
	}
	account := s.account()
	if len(account) == 0 && len(s.custody) == 0 {
		missing = append(missing, "a description of what happened: an event or custody change from a consented source")
	}
	if o.Joint && strings.TrimSpace(o.Access) == "" {
		missing = append(missing, "for the Special Rapporteur on torture: whether family, a lawyer or a doctor has had access to the person (--access)")
	}
	sub := s.submitter(o, &missing)
	if len(missing) > 0 {
		return nil, missing
	}
	d := &Document{
		Title:      "Urgent appeal: imminent forced return of a North Korean national from China",
		Addressees: []string{"Special Rapporteur on the situation of human rights in the Democratic People's Republic of Korea"},
	}
	if o.Joint {
		d.Title = "Joint urgent appeal: imminent forced return of a North Korean national from China and risk of torture"
		d.Addressees = append(d.Addressees, "Special Rapporteur on torture and other cruel, inhuman or degrading treatment or punishment")
	}
	d.Addressees = append(d.Addressees, "c/o Special Procedures Branch, OHCHR, Geneva")
	d.Intro = fmt.Sprintf("We ask for your urgent intervention with the Government of the People's Republic of China to prevent the forced return to the Democratic People's Republic of Korea of %s, who is held by the Chinese authorities and faces torture and other grave violations if returned.", s.victim())
	d.Sections = []Section{
		{Heading: "The person concerned", Items: s.identity()},
		{Heading: "Current situation", Items: custodyItems(s, cur)},
		{Heading: "Arrest", Items: []Item{{"Date", arrestDate.String()}, {"Place", arrestPlace}, {"Authorities responsible", strings.Join(perps, "; ")}}},
		{Heading: "What happened", Paras: account},
		{Heading: "Custody history", Paras: s.custodyLines()},
	}
	risks := s.riskLines()
	why := []string{"Stays in a border defence detention centre last about a week to a month before the handover to North Korean State Security; an appeal can matter only before the handover."}
	if len(risks) > 0 {
		why = append(why, "Facts that make the return imminent and its consequences grave: "+strings.Join(risks, "; ")+".")
	}
	d.Sections = append(d.Sections, Section{Heading: "Why the risk is imminent and grave", Paras: why})
	if o.Joint {
		d.Sections = append(d.Sections, Section{Heading: "Access to the person", Paras: []string{o.Access}})
	}
	d.Sections = append(d.Sections,
		Section{Heading: "Legal framework", Paras: legalParas},
		Section{Heading: "Request", Paras: []string{"We ask that you urgently call on the Government of China to halt the return, to grant UNHCR access to the person, and to allow the person to leave for a country of their choice; and that you seek assurances from the Government of the DPRK about the person's safety should the return already have taken place."}},
	)
	if src := s.sourceLines(); len(src) > 0 {
		d.Sections = append(d.Sections, Section{Heading: "Sources of this information", Paras: src})
	}
	d.Sections = append(d.Sections, Section{Heading: "Submitted by (confidential)", Items: sub})
	d.Footer = "The submitter asks that its identity be kept confidential."
	if s.named {
		d.Footer += " The family consents to this submission with the person's name."
	} else {
		d.Footer += " The family consents to this submission without the person's name."
	}
	return d, nil
}

func (s *selection) wgeid(o Options) (*Document, []string) {
	var missing []string
	p := s.c.Person
	if s.displayName() == "" {
		missing = append(missing, "1. full name of the disappeared person")
	}
	arrestDate, arrestPlace, _ := s.arrest()
	switch {
	case !arrestDate.Known():
		missing = append(missing, "2. date of the disappearance, at least month and year: record a custody change 'arrested' with --date, or an arrest event")
	case arrestDate.Precision() < approx.Month:
		missing = append(missing, fmt.Sprintf("2. date of the disappearance to at least the month and year (the records say only %q)", arrestDate.String()))
	}
	if arrestPlace == "" {
		missing = append(missing, "3. place of the arrest or abduction, or where the person was last seen: record it with --place")
	}
	perps := s.perpetrators()
	if len(perps) == 0 {
		missing = append(missing, "4. the State forces or agents believed responsible: an act with a perpetrating agency, or a facility with its operating agency")
	}
	var steps []string
	for _, iv := range s.c.Interventions {
		line := iv.Date.String() + ": " + humanCode(iv.Kind)
		if iv.To != "" {
			line += " to " + iv.To
		}
		if iv.Reference != "" {
			line += " (reference " + iv.Reference + ")"
		}
		steps = append(steps, line)
	}
	if strings.TrimSpace(o.Steps) != "" {
		steps = append(steps, o.Steps)
	}
	if len(steps) == 0 {
		missing = append(missing, "5. steps taken to locate the person: record an intervention, or describe them with --steps")
	}
	sub := s.submitter(o, &missing)
	if len(missing) > 0 {
		return nil, missing
	}
	cur := s.current()
	name := []Item{{"1. Full name", s.displayName()}}
	for _, n := range p.Names {
		if n.System == tumen.NameHangulSouth && n.Family != "" {
			name = append(name, Item{"Family name / given name", n.Family + " / " + n.Given})
			break
		}
	}
	d := &Document{
		Title:      "Communication of a case of enforced disappearance",
		Addressees: []string{"Working Group on Enforced or Involuntary Disappearances", "c/o OHCHR, Geneva"},
		Intro:      fmt.Sprintf("We submit the case of %s, a national of the DPRK arrested in China and handed over, or about to be handed over, to the authorities of the DPRK, whose fate and whereabouts the authorities have not disclosed.", s.displayName()),
	}
	var ident []Item // the name is element 1, above
	for _, it := range s.identity() {
		if it.Label != "Name" && it.Label != "Family name / given name" {
			ident = append(ident, it)
		}
	}
	d.Sections = []Section{
		{Heading: "The disappeared person", Items: append(name, ident...)},
		{Heading: "The disappearance", Items: []Item{
			{"2. Date of the arrest or disappearance", arrestDate.String()},
			{"3. Place of the arrest, or where last seen", arrestPlace},
			{"4. Parties presumed responsible", strings.Join(perps, "; ")},
		}},
	}
	if cur != nil {
		d.Sections = append(d.Sections, Section{Heading: "Last known situation", Items: custodyItems(s, cur)})
	}
	d.Sections = append(d.Sections,
		Section{Heading: "What happened", Paras: s.account()},
		Section{Heading: "Custody history", Paras: s.custodyLines()},
		Section{Heading: "5. Steps taken to locate the person", Paras: steps},
	)
	if src := s.sourceLines(); len(src) > 0 {
		d.Sections = append(d.Sections, Section{Heading: "Sources of this information", Paras: src})
	}
	d.Sections = append(d.Sections,
		Section{Heading: "6. Submitted by (confidential)", Items: sub},
		Section{Heading: "Consent", Paras: []string{"The family of the disappeared person consents to the submission of this case to the Working Group with the person's name."}},
	)
	d.Footer = "The submitter asks that its identity be kept confidential."
	return d, nil
}

func (s *selection) wgad(o Options) (*Document, []string) {
	var missing []string
	if s.displayName() == "" {
		missing = append(missing, "the detained person's name")
	}
	arrestDate, arrestPlace, cur, perps := s.common(&missing)
	detained := cur != nil && (cur.Status.InChina() || cur.Status == tumen.CustodyHandedOver || cur.Status == tumen.CustodyNKCustody || cur.Status == tumen.CustodySentenced)
	switch {
	case !detained:
		missing = append(missing, "detention: a current custody status of arrested, detained, border detention, handed over, North Korean custody or sentenced, from a consented source")
	case cur.PlaceID == "":
		missing = append(missing, "detention: the place where the person is held (tumen custody set --place)")
	}
	if strings.TrimSpace(o.LegalBasis) == "" {
		missing = append(missing, "the legal basis the authorities claim for the detention, or a statement that none was given (--legal-basis)")
	}
	if strings.TrimSpace(o.Arbitrary) == "" {
		missing = append(missing, "why the detention is arbitrary, with the Working Group's categories (--why)")
	}
	sub := s.submitter(o, &missing)
	if len(missing) > 0 {
		return nil, missing
	}
	d := &Document{
		Title:      "Request for an opinion and urgent action: arbitrary detention",
		Addressees: []string{"Working Group on Arbitrary Detention", "c/o OHCHR, Geneva"},
		Intro:      fmt.Sprintf("We ask the Working Group to consider the detention of %s under its urgent action procedure and to render an opinion on its arbitrariness.", s.displayName()),
	}
	d.Sections = []Section{
		{Heading: "I. Identity", Items: s.identity()},
		{Heading: "II. Arrest", Items: []Item{{"Date", arrestDate.String()}, {"Place", arrestPlace}, {"Forces who carried out the arrest", strings.Join(perps, "; ")}}},
		{Heading: "III. Detention", Items: custodyItems(s, cur)},
		{Heading: "What happened", Paras: s.account()},
		{Heading: "Custody history", Paras: s.custodyLines()},
		{Heading: "IV. Legal basis claimed by the authorities", Paras: []string{o.LegalBasis}},
		{Heading: "V. Why the detention is arbitrary", Paras: []string{o.Arbitrary}},
	}
	urgent := []string{"The person faces forced return to the DPRK, where returnees are tortured and held in conditions that endanger life and health."}
	if r := s.riskLines(); len(r) > 0 {
		urgent = append(urgent, "Facts that raise the risk: "+strings.Join(r, "; ")+".")
	}
	d.Sections = append(d.Sections, Section{Heading: "Urgent action: risk to life and health", Paras: urgent})
	if src := s.sourceLines(); len(src) > 0 {
		d.Sections = append(d.Sections, Section{Heading: "Sources of this information", Paras: src})
	}
	d.Sections = append(d.Sections, Section{Heading: "VI. Submitted by (confidential)", Items: sub})
	d.Footer = "The submitter asks that its identity be kept confidential. The family consents to this submission with the person's name."
	return d, nil
}
