// Package count counts repatriations, acts and repatriation cases from the
// store by year and month, stage, place, facility, crossing, perpetrating
// agency, sex, age group, documenting organisation and act type, and
// cross-tabulates any two of these.
//
// Counts respect approximate dates: a record is counted in a year or month
// only when its whole date range lies in it, so a case known only as
// "2015" is never counted in March 2015. A record whose range covers
// several bins is counted in a separate "spans several" row, and it raises
// the upper bound (Cell.Max) of every bin it may fall in: the count N of a
// bin is what is known to have happened there, Max what may have. The same
// holds for age groups, computed from an approximate birth date and an
// approximate event date.
//
// Tables for publication (Options.Public) count only cases whose sources
// consent to publication, and withhold small cells so that no withheld
// cell can be recovered from the margins (estimate.Suppress).
package count

import (
	"context"
	"slices"
	"sort"
	"time"

	"tumen"
	"tumen/sqlstore"
)

// Unit is what a table counts.
type Unit string

// The units.
const (
	// Repatriations counts acts of refoulement: one per victim and
	// handover.
	Repatriations Unit = "repatriations"
	// Acts counts every act (violation against one victim in one event).
	Acts Unit = "acts"
	// Cases counts repatriation chains: a root event with the events under
	// it (arrest, detention, handover, interrogation, …), or a single event
	// with a stage. A case counts under every stage it reached.
	Cases Unit = "cases"
)

// Units lists the units.
var Units = []Unit{Repatriations, Acts, Cases}

// RefoulementAct is the act type counted as a repatriation.
const RefoulementAct = "refoulement"

// Options choose how a Counter counts.
type Options struct {
	// Public makes every table fit for publication: only records a source
	// with a consent for one of Consents documents are counted, and cells
	// below Threshold are withheld.
	Public bool
	// Threshold is the smallest count a public table shows; default 5.
	Threshold int
	// Consents are the consent uses that allow publication; default
	// publish-anonymous and publish-named.
	Consents []string
	// Ages reads the persons' birth dates for age groups, which decrypts
	// them (the read is audited). Without it ages are unknown.
	Ages bool
	// Now is when the consents must stand; default the store's clock.
	Now time.Time
	// MaxLevel, when set, counts only records at or below this
	// confidentiality (a user's clearance): what a user may not see is not
	// counted for them either.
	MaxLevel *tumen.Level
}

func (o Options) withDefaults() Options {
	if o.Threshold <= 0 {
		o.Threshold = 5
	}
	if len(o.Consents) == 0 {
		o.Consents = []string{tumen.UsePublishAnon, tumen.UsePublishNamed}
	}
	return o
}

// Reference is the gazetteer, organisations and vocabularies that label
// the bins.
type Reference struct {
	Places        []*tumen.Place
	Organisations []*tumen.Organisation
	Terms         []*tumen.Term
}

// Load reads the facts and reference data from the store and returns a
// Counter over them.
func Load(ctx context.Context, db *sqlstore.DB, o Options) (*Counter, error) {
	o = o.withDefaults()
	co := sqlstore.CountOptions{Births: o.Ages, Now: o.Now, MaxLevel: o.MaxLevel}
	if o.Public {
		co.Consents = o.Consents
	}
	d, err := db.CountData(ctx, co)
	if err != nil {
		return nil, err
	}
	var ref Reference
	if ref.Places, err = db.Places(ctx); err != nil {
		return nil, err
	}
	if ref.Organisations, err = db.Organisations(ctx); err != nil {
		return nil, err
	}
	if ref.Terms, err = db.Terms(ctx, ""); err != nil {
		return nil, err
	}
	return New(d, ref, o), nil
}

// Counter counts over one read of the store.
type Counter struct {
	o   Options
	d   *sqlstore.CountData
	ref Reference

	places  map[string]*tumen.Place
	orgs    map[string]*tumen.Organisation
	terms   map[string]*tumen.Term // vocab + "\x00" + code
	events  map[string]*sqlstore.CountEvent
	persons map[string]*sqlstore.CountPerson
	roots   map[string]string   // event id → root of its chain
	chains  map[string][]string // root → events of the chain, root first
	acts    map[string][]*sqlstore.CountAct
	links   map[string][]string // kind + "\x00" + id → sources
	srcOrg  map[string]string   // source → organisation
}

// New returns a Counter over facts read from the store. Load calls it;
// tests and callers holding the facts already call it directly.
func New(d *sqlstore.CountData, ref Reference, o Options) *Counter {
	c := &Counter{o: o.withDefaults(), d: d, ref: ref,
		places: map[string]*tumen.Place{}, orgs: map[string]*tumen.Organisation{}, terms: map[string]*tumen.Term{},
		events: map[string]*sqlstore.CountEvent{}, persons: map[string]*sqlstore.CountPerson{},
		roots: map[string]string{}, chains: map[string][]string{}, acts: map[string][]*sqlstore.CountAct{},
		links: map[string][]string{}, srcOrg: map[string]string{}}
	for _, p := range ref.Places {
		c.places[p.ID] = p
	}
	for _, o := range ref.Organisations {
		c.orgs[o.ID] = o
	}
	for _, t := range ref.Terms {
		c.terms[t.Vocab+"\x00"+t.Code] = t
	}
	for i := range d.Events {
		c.events[d.Events[i].ID] = &d.Events[i]
	}
	for i := range d.Persons {
		c.persons[d.Persons[i].ID] = &d.Persons[i]
	}
	for i := range d.Acts {
		a := &d.Acts[i]
		c.acts[a.EventID] = append(c.acts[a.EventID], a)
	}
	for _, l := range d.Links {
		k := l.Kind + "\x00" + l.TargetID
		c.links[k] = append(c.links[k], l.SourceID)
		c.srcOrg[l.SourceID] = l.Organisation
	}
	for i := range d.Events {
		id := d.Events[i].ID
		r := c.root(id)
		c.chains[r] = append(c.chains[r], id)
	}
	for r, evs := range c.chains {
		// Root first, then the chain's events in date order.
		sort.SliceStable(evs, func(i, j int) bool {
			if (evs[i] == r) != (evs[j] == r) {
				return evs[i] == r
			}
			return c.events[evs[i]].Lo < c.events[evs[j]].Lo
		})
	}
	return c
}

// root follows parent links to the top of an event's chain. A cycle or a
// missing parent ends the walk at the last event found.
func (c *Counter) root(id string) string {
	if r, ok := c.roots[id]; ok {
		return r
	}
	seen := map[string]bool{}
	cur := id
	for {
		e := c.events[cur]
		if e == nil || e.ParentID == "" || seen[cur] || c.events[e.ParentID] == nil {
			break
		}
		seen[cur] = true
		cur = e.ParentID
	}
	c.roots[id] = cur
	return cur
}

// Options returns the options the counter counts with.
func (c *Counter) Options() Options { return c.o }

// Places returns the gazetteer.
func (c *Counter) Places() []*tumen.Place { return c.ref.Places }

// Term returns a vocabulary term, or nil.
func (c *Counter) Term(vocab, code string) *tumen.Term { return c.terms[vocab+"\x00"+code] }

// record is one counted thing with everything a dimension asks of it.
type record struct {
	lo, hi   int // date bounds, 0 when unknown
	stages   []string
	places   []string
	agencies []string
	orgs     []string
	types    []string
	sexes    []tumen.Sex
	// ageLo, ageHi bound the age at the record's date; ageLo < 0 when
	// unknown.
	ageLo, ageHi int
}

// records returns the records of a unit, only the publishable ones for a
// public counter.
func (c *Counter) records(u Unit) ([]record, error) {
	var out []record
	switch u {
	case Repatriations, Acts:
		for i := range c.d.Acts {
			a := &c.d.Acts[i]
			if u == Repatriations && a.Type != RefoulementAct {
				continue
			}
			ev := c.events[a.EventID]
			keys := []string{key(tumen.RecordAct, a.ID), key(tumen.RecordPerson, a.VictimID)}
			r := record{types: []string{a.Type}, agencies: a.Agencies, ageLo: -1}
			if ev != nil {
				keys = append(keys, key(tumen.RecordEvent, ev.ID), key(tumen.RecordEvent, c.root(ev.ID)))
				r.lo, r.hi = ev.Lo, ev.Hi
				r.stages = nonEmpty(ev.Stage)
				r.places = nonEmpty(ev.PlaceID)
			}
			if c.o.Public && !c.consented(keys) {
				continue
			}
			r.orgs = c.organisations(keys)
			if p := c.persons[a.VictimID]; p != nil {
				r.sexes = []tumen.Sex{p.Sex}
				r.ageLo, r.ageHi = age(p.BirthLo, p.BirthHi, r.lo, r.hi)
			}
			out = append(out, r)
		}
	case Cases:
		roots := make([]string, 0, len(c.chains))
		for r := range c.chains {
			roots = append(roots, r)
		}
		sort.Strings(roots)
		for _, root := range roots {
			r, keys, ok := c.caseRecord(root)
			if !ok || (c.o.Public && !c.consented(keys)) {
				continue
			}
			r.orgs = c.organisations(keys)
			out = append(out, r)
		}
	default:
		return nil, tumen.Errorf(tumen.KindInvalid, "unknown unit %q (want %s, %s or %s)", u, Repatriations, Acts, Cases)
	}
	return out, nil
}

// caseRecord builds the record of a chain. A chain is a case when one of
// its events has a stage or an act; its date is the root's, or else the
// span of its events' dates.
func (c *Counter) caseRecord(root string) (record, []string, bool) {
	r := record{ageLo: -1}
	var keys []string
	var victims []string
	isCase := false
	rootEv := c.events[root]
	r.lo, r.hi = rootEv.Lo, rootEv.Hi
	lo, hi := 0, 0
	for _, id := range c.chains[root] {
		ev := c.events[id]
		keys = append(keys, key(tumen.RecordEvent, id))
		if ev.Stage != "" {
			isCase = true
			r.stages = addUnique(r.stages, ev.Stage)
		}
		if ev.PlaceID != "" {
			r.places = addUnique(r.places, ev.PlaceID)
		}
		if ev.Lo != 0 {
			if lo == 0 || ev.Lo < lo {
				lo = ev.Lo
			}
			hi = max(hi, ev.Hi)
		}
		for _, a := range c.acts[id] {
			isCase = true
			keys = append(keys, key(tumen.RecordAct, a.ID))
			r.types = addUnique(r.types, a.Type)
			for _, ag := range a.Agencies {
				r.agencies = addUnique(r.agencies, ag)
			}
			if !slices.Contains(victims, a.VictimID) {
				victims = append(victims, a.VictimID)
				keys = append(keys, key(tumen.RecordPerson, a.VictimID))
			}
		}
	}
	if r.lo == 0 {
		r.lo, r.hi = lo, hi
	}
	for _, v := range victims {
		if p := c.persons[v]; p != nil {
			if !slices.Contains(r.sexes, p.Sex) {
				r.sexes = append(r.sexes, p.Sex)
			}
		}
	}
	// An age belongs to one person: a chain of several victims has none.
	if len(victims) == 1 {
		if p := c.persons[victims[0]]; p != nil {
			r.ageLo, r.ageHi = age(p.BirthLo, p.BirthHi, r.lo, r.hi)
		}
	}
	sort.Strings(r.stages)
	return r, keys, isCase
}

func key(kind, id string) string { return kind + "\x00" + id }

// consented reports whether a source with a publication consent supports
// any of the records.
func (c *Counter) consented(keys []string) bool {
	for _, k := range keys {
		for _, s := range c.links[k] {
			if c.d.Consented[s] {
				return true
			}
		}
	}
	return false
}

// organisations returns the documenting organisations of the sources
// supporting any of the records, sorted.
func (c *Counter) organisations(keys []string) []string {
	var out []string
	for _, k := range keys {
		for _, s := range c.links[k] {
			if o := c.srcOrg[s]; o != "" {
				out = addUnique(out, o)
			}
		}
	}
	sort.Strings(out)
	return out
}

func addUnique(s []string, v string) []string {
	if slices.Contains(s, v) {
		return s
	}
	return append(s, v)
}

func nonEmpty(s string) []string {
	if s == "" {
		return nil
	}
	return []string{s}
}

// age returns the least and greatest age in whole years a person born in
// [bLo, bHi] can have had on a day in [eLo, eHi] (YYYYMMDD), or −1, −1
// when either date is unknown.
func age(bLo, bHi, eLo, eHi int) (int, int) {
	if bLo == 0 || eLo == 0 {
		return -1, -1
	}
	return max(0, years(bHi, eLo)), max(0, years(bLo, eHi))
}

// years is the age in whole years on day e of someone born on day b.
func years(b, e int) int {
	y := e/10000 - b/10000
	if e%10000 < b%10000 {
		y--
	}
	return y
}

// StageFlows counts, for each pair of consecutive stages S0–S9 ("S4>S5"),
// the cases known to have reached both: how many of the cases at one stage
// are documented at the next. A public counter leaves out pairs with
// fewer cases than the threshold.
func (c *Counter) StageFlows() (map[string]int, error) {
	recs, err := c.records(Cases)
	if err != nil {
		return nil, err
	}
	out := map[string]int{}
	for i := 0; i < 9; i++ {
		a, b := "S"+string(rune('0'+i)), "S"+string(rune('1'+i))
		n := 0
		for _, r := range recs {
			if slices.Contains(r.stages, a) && slices.Contains(r.stages, b) {
				n++
			}
		}
		if c.o.Public && n > 0 && n < c.o.Threshold {
			continue
		}
		out[a+">"+b] = n
	}
	return out, nil
}

// FromBundle returns a Counter over the records of a bundle, as Load
// would over a store holding them: for tests, and for counting an export
// without a store.
func FromBundle(b *tumen.Bundle, o Options) *Counter {
	o = o.withDefaults()
	d := &sqlstore.CountData{}
	for _, e := range b.Events {
		lo, hi := e.Date.Bounds()
		d.Events = append(d.Events, sqlstore.CountEvent{ID: e.ID, ParentID: e.ParentID, PlaceID: e.PlaceID, Stage: e.Stage, Lo: lo, Hi: hi})
	}
	for _, a := range b.Acts {
		ca := sqlstore.CountAct{ID: a.ID, EventID: a.EventID, VictimID: a.VictimID, Type: a.Type}
		for _, p := range a.Perpetrators {
			if p.OrganisationID != "" {
				ca.Agencies = addUnique(ca.Agencies, p.OrganisationID)
			}
		}
		d.Acts = append(d.Acts, ca)
	}
	for _, p := range b.Persons {
		cp := sqlstore.CountPerson{ID: p.ID, Sex: p.Sex}
		if o.Ages {
			cp.BirthLo, cp.BirthHi = p.BirthDate.Bounds()
		}
		d.Persons = append(d.Persons, cp)
	}
	for _, s := range b.Sources {
		for _, l := range s.Supports {
			d.Links = append(d.Links, sqlstore.CountLink{Kind: l.Kind, TargetID: l.ID, SourceID: s.ID, Organisation: s.Organisation})
		}
	}
	if o.Public {
		now := o.Now
		if now.IsZero() {
			now = time.Now()
		}
		d.Consented = map[string]bool{}
		for _, c := range b.Consents {
			if c.Active(now) && slices.Contains(o.Consents, c.Use) {
				d.Consented[c.SourceID] = true
			}
		}
	}
	return New(d, Reference{Places: b.Places, Organisations: b.Organisations, Terms: b.Terms}, o)
}
