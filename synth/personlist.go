package synth

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
)

// handoverPlaces are where people are returned, written the ways lists
// write them: English, Korean, Chinese.
var handoverPlaces = [][]string{
	{"Tumen", "투먼", "图们"}, {"Namyang", "남양"}, {"Dandong", "단둥", "丹东"}, {"Sinuiju", "신의주"},
	{"Hyesan", "혜산"}, {"Changbai", "창바이"}, {"Onsong", "온성"}, {"Hoeryong", "회령"}, {"Musan", "무산"}, {"Hunchun", "훈춘"},
}

// PersonListRow returns row n of a person list: one synthetic person and
// their repatriation, with the name in one of the spellings organisations
// use.
func (g *Generator) PersonListRow(n int) []string {
	t := g.Identity()
	ns := g.Names(t)
	name := ns[g.rng.IntN(len(ns))].Full
	year := 2000 + g.rng.IntN(25)
	ev := g.Date(year, 1+g.rng.IntN(12), 1+g.rng.IntN(28))
	birth := strconv.Itoa(t.BirthYear)
	if g.rng.IntN(3) == 0 {
		birth = fmt.Sprintf("%d-%02d", t.BirthYear, t.BirthMonth)
	}
	sex := string(t.Sex)
	if g.rng.IntN(20) == 0 {
		sex = ""
	}
	ps := handoverPlaces[g.rng.IntN(len(handoverPlaces))]
	place := ps[g.rng.IntN(len(ps))]
	origin := g.placeName(t.HomeID)
	narr := fmt.Sprintf("Returned through %s after arrest; held %d days at the border; family in %s not informed.", place, 7+g.rng.IntN(30), origin)
	return []string{fmt.Sprintf("R-%07d", n), Organisations[g.rng.IntN(len(Organisations))], name, birth, sex, origin, ev.String(), place, narr}
}

// WritePersonList writes a person-list CSV of n rows.
func (g *Generator) WritePersonList(w io.Writer, n int) error {
	cw := csv.NewWriter(w)
	if err := cw.Write([]string{"id", "source", "name", "birth_date", "sex", "origin", "event_date", "event_place", "narrative"}); err != nil {
		return err
	}
	for i := 1; i <= n; i++ {
		if err := cw.Write(g.PersonListRow(i)); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
