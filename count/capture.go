package count

import (
	"fmt"
	"sort"
	"strconv"

	"tumen"
	"tumen/estimate"
	"tumen/sqlstore"
)

// Populations that multiple systems estimation can count.
const (
	// PopulationRepatriated is the people documented as handed over to
	// North Korea (victims of a refoulement act).
	PopulationRepatriated = "repatriated"
	// PopulationVictims is the people documented as victims of any act.
	PopulationVictims = "victims"
)

// CaptureOptions say how to build capture histories.
type CaptureOptions struct {
	// Identity maps a person record to the person it documents, so that
	// records of one person from several organisations count once, on
	// each of their lists. Nil treats every record as its own person (no
	// linkage).
	Identity func(personID string) string
	// Population is PopulationRepatriated (default) or PopulationVictims.
	Population string
	// Stratify splits the people by Year (of their first handover, when
	// its whole date range lies in one year), Sex or Region (the province
	// of the handover); None keeps one table.
	Stratify Dim
}

// Captures builds the capture histories of multiple systems estimation:
// one list per documenting organisation, and for each person the lists
// whose sources support them (the person record, or an act against
// them). It returns one stratum, or one per value of o.Stratify with a
// stratum for the people whose value is unknown or uncertain, and the
// lists in bit order. A person documented by no organisation is on no
// list and cannot be counted; their number is reported in the warnings.
func (c *Counter) Captures(o CaptureOptions) ([]estimate.Stratum, []string, error) {
	if o.Population == "" {
		o.Population = PopulationRepatriated
	}
	if o.Population != PopulationRepatriated && o.Population != PopulationVictims {
		return nil, nil, tumen.Errorf(tumen.KindInvalid, "unknown population %q (want %s or %s)", o.Population, PopulationRepatriated, PopulationVictims)
	}
	switch o.Stratify {
	case None, Year, Sex, Region:
	default:
		return nil, nil, tumen.Errorf(tumen.KindInvalid, "cannot stratify by %s (want year, sex or region)", o.Stratify)
	}
	identity := o.Identity
	if identity == nil {
		identity = func(id string) string { return id }
	}
	// The people and, for each, the handover (or first act) that dates
	// and places them.
	type person struct {
		orgs    map[string]bool
		stratum map[string]bool
	}
	people := map[string]*person{}
	var order []string
	for i := range c.d.Acts {
		a := &c.d.Acts[i]
		if o.Population == PopulationRepatriated && a.Type != RefoulementAct {
			continue
		}
		id := identity(a.VictimID)
		p := people[id]
		if p == nil {
			p = &person{orgs: map[string]bool{}, stratum: map[string]bool{}}
			people[id] = p
			order = append(order, id)
		}
		keys := []string{key(tumen.RecordAct, a.ID), key(tumen.RecordPerson, a.VictimID)}
		for _, org := range c.organisations(keys) {
			p.orgs[org] = true
		}
		if o.Stratify != None {
			p.stratum[c.stratum(a, o.Stratify)] = true
		}
	}
	// Also the person records' own sources, when a person has several
	// records of which only one carries the act.
	for _, l := range c.d.Links {
		if l.Kind != tumen.RecordPerson || l.Organisation == "" {
			continue
		}
		if p := people[identity(l.TargetID)]; p != nil {
			p.orgs[l.Organisation] = true
		}
	}
	listSet := map[string]bool{}
	for _, p := range people {
		for org := range p.orgs {
			listSet[org] = true
		}
	}
	var lists []string
	for org := range listSet {
		lists = append(lists, org)
	}
	sort.Strings(lists)
	if len(lists) > estimate.MaxLists {
		return nil, nil, tumen.Errorf(tumen.KindInvalid, "%d documenting organisations is more lists than estimation can use (%d)", len(lists), estimate.MaxLists)
	}
	bit := map[string]uint32{}
	for i, l := range lists {
		bit[l] = 1 << uint(i)
	}
	var warnings []string
	tables := map[string]*estimate.Table{}
	var names []string
	unlisted := 0
	sort.Strings(order)
	for _, id := range order {
		p := people[id]
		var pat uint32
		for org := range p.orgs {
			pat |= bit[org]
		}
		if pat == 0 {
			unlisted++
			continue
		}
		name := "all"
		if o.Stratify != None {
			name = "unknown"
			if len(p.stratum) == 1 {
				for s := range p.stratum {
					name = s
				}
			}
		}
		t := tables[name]
		if t == nil {
			t = estimate.NewTable(lists...)
			tables[name] = t
			names = append(names, name)
		}
		t.Cells[pat]++
	}
	if unlisted > 0 {
		warnings = append(warnings, fmt.Sprintf("%d people are supported by no source of a documenting organisation and are on no list: they are left out", unlisted))
	}
	sort.Slice(names, func(i, j int) bool {
		if (names[i] == "unknown") != (names[j] == "unknown") {
			return names[j] == "unknown"
		}
		return names[i] < names[j]
	})
	var strata []estimate.Stratum
	for _, n := range names {
		label := n
		if o.Stratify == Region || o.Stratify == Sex {
			if en, _ := c.label(regionOrSex(o.Stratify), n); en != "" && n != "unknown" {
				label = en
			}
		}
		strata = append(strata, estimate.Stratum{Name: label, Table: tables[n]})
	}
	return strata, warnings, nil
}

func regionOrSex(d Dim) Dim {
	if d == Region {
		return Place
	}
	return d
}

// stratum is the stratum of one act: its year when its whole date range
// lies in one year, its victim's sex, or the province of its place.
func (c *Counter) stratum(a *sqlstore.CountAct, d Dim) string {
	ev := c.events[a.EventID]
	switch d {
	case Year:
		if ev != nil && ev.Lo != 0 && ev.Lo/10000 == ev.Hi/10000 {
			return strconv.Itoa(ev.Lo / 10000)
		}
	case Sex:
		if p := c.persons[a.VictimID]; p != nil && p.Sex != "" {
			return string(p.Sex)
		}
	case Region:
		if ev != nil {
			if r := c.province(ev.PlaceID); r != "" {
				return r
			}
		}
	}
	return "unknown"
}

// province returns the province of a gazetteer place, or "".
func (c *Counter) province(id string) string {
	p := c.places[id]
	if p == nil {
		return ""
	}
	if p.Province != "" {
		return p.Province
	}
	if hasKind(p, "province") {
		return p.ID
	}
	return ""
}
