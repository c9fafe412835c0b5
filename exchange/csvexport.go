package exchange

import (
	"encoding/csv"
	"io"
	"sort"

	"tumen"
	"tumen/approx"
)

// CSVWriter writes a store's persons as a person list, one row a person:
// their first name, birth date, sex and origin, their earliest repatriation
// (a refoulement act's event, else any event they are the victim of), and
// the organisation and text of the first source that supports them. It is
// the lossy, spreadsheet-friendly export; the JSON bundle is the lossless
// one. It implements tumen.BundleWriter, holding what it needs until Close.
type CSVWriter struct {
	w       io.Writer
	persons []*tumen.Person
	events  map[string]*tumen.Event
	acts    map[string][]*tumen.Act // by victim
	sources map[string]*tumen.Source
	places  map[string]*tumen.Place
}

// NewCSVWriter returns a writer of a person list to w.
func NewCSVWriter(w io.Writer) *CSVWriter {
	return &CSVWriter{w: w, events: map[string]*tumen.Event{}, acts: map[string][]*tumen.Act{}, sources: map[string]*tumen.Source{}, places: map[string]*tumen.Place{}}
}

// Section implements tumen.BundleWriter.
func (c *CSVWriter) Section(string) error { return nil }

// Record implements tumen.BundleWriter.
func (c *CSVWriter) Record(v any) error {
	switch r := v.(type) {
	case *tumen.Person:
		c.persons = append(c.persons, r)
	case *tumen.Event:
		c.events[r.ID] = r
	case *tumen.Act:
		c.acts[r.VictimID] = append(c.acts[r.VictimID], r)
	case *tumen.Place:
		c.places[r.ID] = r
	case *tumen.Source:
		for _, l := range r.Supports {
			if l.Kind == tumen.RecordPerson {
				if _, ok := c.sources[l.ID]; !ok {
					c.sources[l.ID] = r
				}
			}
		}
	}
	return nil
}

// Close writes the rows.
func (c *CSVWriter) Close() error {
	cw := csv.NewWriter(c.w)
	if err := cw.Write(PersonListColumns); err != nil {
		return err
	}
	for _, p := range c.persons {
		row := make([]string, len(PersonListColumns))
		row[0] = p.ID
		row[2] = p.DisplayName()
		row[3] = p.BirthDate.String()
		row[4] = string(p.Sex)
		row[5] = p.Origin
		if e := c.repatriation(p.ID); e != nil {
			row[6] = e.Date.String()
			row[7] = e.PlaceText
			if pl := c.places[e.PlaceID]; pl != nil {
				row[7] = pl.NameEN
			} else if e.PlaceID != "" {
				row[7] = e.PlaceID
			}
		}
		if s := c.sources[p.ID]; s != nil {
			row[1] = s.Organisation
			row[8] = s.Text
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func (c *CSVWriter) repatriation(victim string) *tumen.Event {
	acts := c.acts[victim]
	var best *tumen.Event
	for pass := 0; pass < 2 && best == nil; pass++ {
		var evs []*tumen.Event
		for _, a := range acts {
			if pass == 0 && a.Type != "refoulement" {
				continue
			}
			if e := c.events[a.EventID]; e != nil {
				evs = append(evs, e)
			}
		}
		sort.SliceStable(evs, func(i, j int) bool { return approxLess(evs[i], evs[j]) })
		if len(evs) > 0 {
			best = evs[0]
		}
	}
	return best
}

func approxLess(a, b *tumen.Event) bool {
	if c := compareDates(a, b); c != 0 {
		return c < 0
	}
	return a.ID < b.ID
}

func compareDates(a, b *tumen.Event) int { return approx.Compare(a.Date, b.Date) }
