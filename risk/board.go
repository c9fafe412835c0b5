package risk

import (
	"context"
	"sort"
	"time"

	"tumen"
	"tumen/approx"
)

// Store is what the board reads; tumen.Store satisfies it.
type Store interface {
	CustodyCases(ctx context.Context) ([]*tumen.CustodyCase, error)
	RiskFacts(ctx context.Context, personID string) ([]*tumen.RiskFact, error)
	BorderState(ctx context.Context) (*tumen.BorderState, error)
	WatchDates(ctx context.Context) ([]*tumen.WatchDate, error)
	OpenInterventions(ctx context.Context) ([]*tumen.Intervention, error)
	Places(ctx context.Context) ([]*tumen.Place, error)
	ListPersons(ctx context.Context, f tumen.PersonFilter) ([]*tumen.Person, error)
	Rubric(ctx context.Context, version int) (*tumen.RubricVersion, error)
}

// Current returns the newest stored rubric and its stored version, or the
// default rubric and version 0 when none was stored.
func Current(ctx context.Context, st interface {
	Rubric(ctx context.Context, version int) (*tumen.RubricVersion, error)
}) (*Rubric, int, error) {
	rv, err := st.Rubric(ctx, 0)
	if tumen.IsNotFound(err) {
		return Default(), 0, nil
	}
	if err != nil {
		return nil, 0, err
	}
	r, err := Parse(rv.Body)
	return r, rv.Version, err
}

// Case is one row of the urgent-cases board.
type Case struct {
	PersonID string               `json:"person"`
	Name     string               `json:"name"` // the person's first name
	Latest   *tumen.CustodyChange `json:"latest"`
	Changes  int                  `json:"changes"`
	Score    Score                `json:"score"`
	// Changed lists what changed since the user last looked: "custody",
	// "risk facts".
	Changed []string `json:"changed,omitempty"`
	// Open are the interventions without an outcome; Overdue those of
	// them whose follow-up date has certainly passed.
	Open    []*tumen.Intervention `json:"open,omitempty"`
	Overdue []*tumen.Intervention `json:"overdue,omitempty"`
}

// Board returns the open custody cases (all but dead and reached safety),
// scored with r at now and sorted by total score, then imminence, then
// person id; seen is when the user last looked (zero: never), for Changed.
func Board(ctx context.Context, st Store, r *Rubric, now, seen time.Time) ([]*Case, error) {
	ccs, err := st.CustodyCases(ctx)
	if err != nil {
		return nil, err
	}
	border, err := st.BorderState(ctx)
	if err != nil && !tumen.IsNotFound(err) {
		return nil, err
	}
	watch, err := st.WatchDates(ctx)
	if err != nil {
		return nil, err
	}
	places, err := st.Places(ctx)
	if err != nil {
		return nil, err
	}
	placeByID := make(map[string]*tumen.Place, len(places))
	for _, p := range places {
		placeByID[p.ID] = p
	}
	open, err := st.OpenInterventions(ctx)
	if err != nil {
		return nil, err
	}
	ivs := map[string][]*tumen.Intervention{}
	for _, iv := range open {
		ivs[iv.VictimID] = append(ivs[iv.VictimID], iv)
	}
	var ids []string
	for _, cc := range ccs {
		if cc.Latest.Status.Open() {
			ids = append(ids, cc.PersonID)
		}
	}
	persons := map[string]*tumen.Person{}
	if len(ids) > 0 {
		ps, err := st.ListPersons(ctx, tumen.PersonFilter{IDs: ids, Summary: true, Limit: len(ids)})
		if err != nil {
			return nil, err
		}
		for _, p := range ps {
			persons[p.ID] = p
		}
	}
	var out []*Case
	for _, cc := range ccs {
		if !cc.Latest.Status.Open() {
			continue
		}
		facts, err := st.RiskFacts(ctx, cc.PersonID)
		if err != nil {
			return nil, err
		}
		p := persons[cc.PersonID]
		c := &Case{PersonID: cc.PersonID, Latest: cc.Latest, Changes: cc.Changes, Open: ivs[cc.PersonID]}
		if p != nil {
			c.Name = p.DisplayName()
		}
		c.Score = r.Score(r.Gather(Inputs{Person: p, Latest: cc.Latest, Place: placeByID[cc.Latest.PlaceID], RiskFacts: facts,
			Border: border, WatchDates: watch, Now: now}))
		if cc.Updated.After(seen) {
			c.Changed = append(c.Changed, "custody")
		}
		for _, f := range facts {
			if f.Created.After(seen) || f.Withdrawn.After(seen) {
				c.Changed = append(c.Changed, "risk facts")
				break
			}
		}
		for _, iv := range c.Open {
			if Overdue(iv, now) {
				c.Overdue = append(c.Overdue, iv)
			}
		}
		out = append(out, c)
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Score.Total != b.Score.Total {
			return a.Score.Total > b.Score.Total
		}
		if a.Score.Imminence != b.Score.Imminence {
			return a.Score.Imminence > b.Score.Imminence
		}
		return a.PersonID < b.PersonID
	})
	return out, nil
}

// Overdue reports whether an intervention without an outcome has a
// follow-up date whose whole range lies before now's day.
func Overdue(iv *tumen.Intervention, now time.Time) bool {
	if iv.Outcome != "" || !iv.FollowUp.Known() {
		return false
	}
	return iv.FollowUp.Hi().Before(dayOf(now))
}

// FollowUpAfter is the follow-up date the CLI and web set for a new
// intervention when none is given: days after the day it was sent.
func FollowUpAfter(sent time.Time, days int) approx.Date {
	d, err := approx.FromTime(sent.AddDate(0, 0, days))
	if err != nil {
		return approx.Date{}
	}
	return d
}
