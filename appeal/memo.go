package appeal

import (
	"strconv"
	"strings"

	"tumen"
)

var groundLabels = map[string]string{
	tumen.GroundRace:        "race",
	tumen.GroundReligion:    "religion",
	tumen.GroundNationality: "nationality",
	tumen.GroundSocialGroup: "membership of a particular social group",
	tumen.GroundPolitical:   "political opinion (held or imputed)",
}

// Memo returns a refugee-status assessment as an internal memo: the
// elements of the 1951 Convention definition (art. 1A(2)) with their
// reasoning, the sur place reasoning, the facts relied on with their
// sources, the conclusion, the assessor and the date. Sources are looked
// up by id to describe them; an element left empty prints as not assessed.
func Memo(a *tumen.Assessment, p *tumen.Person, sources map[string]*tumen.Source) *Document {
	s := &selection{c: &Case{Person: p}, named: true, withheld: map[string]bool{}}
	or := func(v string) string {
		if strings.TrimSpace(v) == "" {
			return "Not assessed."
		}
		return v
	}
	var grounds []string
	for _, g := range a.Grounds {
		grounds = append(grounds, groundLabels[g])
	}
	groundText := "None found."
	if len(grounds) > 0 {
		groundText = "Grounds: " + strings.Join(grounds, "; ") + "."
	}
	var facts []string
	for i, f := range a.Facts {
		line := strconv.Itoa(i+1) + ". " + f.Text
		var refs []string
		for _, id := range f.SourceIDs {
			ref := id
			if src := sources[id]; src != nil {
				ref += ": " + humanCode(src.Kind)
				if src.Organisation != "" {
					ref += ", " + src.Organisation
				}
				if src.Date.Known() {
					ref += ", " + src.Date.String()
				}
			}
			refs = append(refs, ref)
		}
		if len(refs) > 0 {
			line += " [" + strings.Join(refs, "; ") + "]"
		} else {
			line += " [no source given]"
		}
		facts = append(facts, line)
	}
	if len(facts) == 0 {
		facts = []string{"No facts recorded."}
	}
	d := &Document{
		Title:      "Refugee-status assessment (1951 Convention)",
		Addressees: []string{"Internal: urgent-response file"},
		Date:       longDate(a.Date),
		At:         a.Date.UTC(),
		Reference:  p.ID,
		Named:      true,
		Intro:      "Assessment of whether " + s.displayName() + " is a refugee within article 1A(2) of the 1951 Convention relating to the Status of Refugees, and so protected against refoulement by its article 33.",
		Sections: []Section{
			{Heading: "The person", Items: s.identity()},
			{Heading: "1. Well-founded fear", Paras: []string{or(a.WellFoundedFear)}},
			{Heading: "2. Persecution feared", Paras: []string{or(a.Persecution)}},
			{Heading: "3. Convention ground", Paras: append([]string{groundText}, nonEmpty(a.GroundsReasoning)...)},
			{Heading: "4. Lack of State protection", Paras: []string{or(a.StateProtection)}},
			{Heading: "Refugee sur place", Paras: []string{or(a.SurPlace)}},
			{Heading: "Facts relied on", Paras: facts},
			{Heading: "Conclusion", Paras: []string{or(a.Conclusion)}},
			{Heading: "Assessment", Items: []Item{{"Assessor", a.Assessor}, {"Date", longDate(a.Date)}, {"Record", a.ID}}},
		},
		Footer: "Internal document: it names the person and holds sensitive facts. It leaves the organisation only with a consent that covers the use.",
	}
	return d
}

func nonEmpty(s string) []string {
	if strings.TrimSpace(s) == "" {
		return nil
	}
	return []string{s}
}
