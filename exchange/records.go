package exchange

import (
	"tumen"
)

// PlaceFinder matches a place name written any way to a gazetteer place.
type PlaceFinder func(name string) (id string, ok bool)

// NameSystemer tells the system a name is written in.
type NameSystemer func(name string) tumen.NameSystem

// Converter turns person-list rows into records of the model.
type Converter struct {
	FindPlace  PlaceFinder
	NameSystem NameSystemer
}

// The ids of the records a row becomes, derived from the row's id so that
// they are stable and never collide with each other.
func EventID(rowID string) string  { return "ev:" + rowID }
func ActID(rowID string) string    { return "act:" + rowID }
func SourceID(rowID string) string { return "src:" + rowID }

// Records returns what one row becomes: a person, their repatriation event
// (stage S5, handover) with a refoulement act, and a source record from the
// listing organisation that supports them.
func (c Converter) Records(r *Row) []any {
	sys := tumen.NameUnknown
	if c.NameSystem != nil {
		sys = c.NameSystem(r.Name)
	}
	p := &tumen.Person{ID: r.ID, Names: []tumen.Name{{Full: r.Name, System: sys}}, BirthDate: r.BirthDate, Sex: r.Sex, Origin: r.Origin,
		Confidentiality: tumen.Confidential}
	if r.Origin != "" && c.FindPlace != nil {
		if id, ok := c.FindPlace(r.Origin); ok {
			p.HomePlaceID = id
		}
	}
	e := &tumen.Event{ID: EventID(r.ID), Title: "Forced repatriation", Date: r.EventDate, Stage: "S5", Confidentiality: tumen.Internal}
	if r.EventPlace != "" {
		if id, ok := c.place(r.EventPlace); ok {
			e.PlaceID = id
		} else {
			e.PlaceText = r.EventPlace
		}
	}
	a := &tumen.Act{ID: ActID(r.ID), EventID: e.ID, VictimID: r.ID, Type: "refoulement"}
	s := &tumen.Source{ID: SourceID(r.ID), Kind: "partner-list", Organisation: r.Source, Text: r.Narrative, Confidentiality: tumen.Confidential,
		Supports: []tumen.Link{{Kind: tumen.RecordPerson, ID: r.ID}, {Kind: tumen.RecordEvent, ID: e.ID}, {Kind: tumen.RecordAct, ID: a.ID}}}
	return []any{p, e, a, s}
}

func (c Converter) place(name string) (string, bool) {
	if c.FindPlace == nil {
		return "", false
	}
	return c.FindPlace(name)
}
