package vocab

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"tumen"
)

// Coordinate bases: how precise a place's coordinate is. A coordinate is
// never invented: a place whose position is not known has the basis
// CoordUnknown and no lat/lon.
const (
	CoordSettlement = "settlement_point"   // the published point of a town, not of a facility in it
	CoordFacility   = "facility_published" // the facility's own position as published (e.g. satellite imagery reports)
	CoordApprox     = "approximate"        // roughly right: a district point, a bridge, or a town's position from general knowledge
	CoordUnknown    = "unknown"            // position not known; lat/lon empty
)

// CoordBases lists the valid coordinate bases.
var CoordBases = []string{CoordSettlement, CoordFacility, CoordApprox, CoordUnknown}

// table reads a CSV file with a header line. It keeps the file name so that
// every error names the file and the line a user must fix.
type table struct {
	name   string
	cr     *csv.Reader
	header []string
	col    map[string]int
}

// newTable reads the header of r and checks that the required columns are
// there and that no column is named twice.
func newTable(r io.Reader, name string, required ...string) (*table, error) {
	cr := csv.NewReader(r)
	cr.ReuseRecord = false
	// FieldsPerRecord 0: every row must have as many fields as the header,
	// so a stray comma is an error rather than a silently shifted column.
	cr.FieldsPerRecord = 0
	header, err := cr.Read()
	if err == io.EOF {
		return nil, tumen.Errorf(tumen.KindInvalid, "%s: empty file (want a header line)", name)
	}
	if err != nil {
		return nil, csvError(name, err)
	}
	t := &table{name: name, cr: cr, header: header, col: make(map[string]int, len(header))}
	for i, h := range header {
		if i == 0 {
			h = strings.TrimPrefix(h, "\uFEFF") // spreadsheets save a byte-order mark
		}
		h = strings.TrimSpace(h)
		header[i] = h
		if h == "" {
			return nil, tumen.Errorf(tumen.KindInvalid, "%s line 1: column %d has no name", name, i+1)
		}
		if _, dup := t.col[h]; dup {
			return nil, tumen.Errorf(tumen.KindInvalid, "%s line 1: column %q appears twice", name, h)
		}
		t.col[h] = i
	}
	for _, c := range required {
		if _, ok := t.col[c]; !ok {
			return nil, tumen.Errorf(tumen.KindInvalid, "%s line 1: missing column %q", name, c)
		}
	}
	return t, nil
}

// row is one record of a table with its line number.
type row struct {
	t      *table
	fields []string
	line   int
}

// next returns the next row, or io.EOF after the last one.
func (t *table) next() (row, error) {
	rec, err := t.cr.Read()
	if err != nil {
		if err == io.EOF {
			return row{}, io.EOF
		}
		return row{}, csvError(t.name, err)
	}
	line, _ := t.cr.FieldPos(0)
	for i := range rec {
		rec[i] = strings.TrimSpace(rec[i])
	}
	return row{t: t, fields: rec, line: line}, nil
}

// get returns the trimmed value of column c, or "" when the table has no
// such column.
func (r row) get(c string) string {
	i, ok := r.t.col[c]
	if !ok {
		return ""
	}
	return r.fields[i]
}

// errorf returns an invalid-data error naming the file and line of r.
func (r row) errorf(format string, args ...any) error {
	return tumen.Errorf(tumen.KindInvalid, "%s line %d: %s", r.t.name, r.line, fmt.Sprintf(format, args...))
}

// csvError turns an encoding/csv error into one that names the file and line.
func csvError(name string, err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return tumen.Errorf(tumen.KindInvalid, "%s line %d: %v", name, pe.Line, pe.Err)
	}
	return &tumen.Error{Kind: tumen.KindInvalid, Message: name + ": cannot read", Err: err}
}

// isCode reports whether s can be a code or id: ASCII letters, digits and
// hyphens only. Codes end up in URLs, exports and other systems' files, so
// they must not carry spaces or punctuation that needs quoting.
func isCode(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-') {
			return false
		}
	}
	return true
}

// splitList splits a semicolon-separated cell, trimming each item and
// dropping empty ones.
func splitList(s string) []string {
	if s == "" {
		return nil
	}
	var out []string
	for _, p := range strings.Split(s, ";") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// ReadTerms reads one vocabulary from r: a CSV file with the columns code,
// label_en and label_ko, and any further columns, which go into Term.Extra
// (empty cells are left out). name is the file name used in errors; vocab is
// set as every term's Vocab. A row with an empty or malformed code, an empty
// label or a code already used is an error naming the line.
func ReadTerms(r io.Reader, name, vocab string) ([]tumen.Term, error) {
	t, err := newTable(r, name, "code", "label_en", "label_ko")
	if err != nil {
		return nil, err
	}
	seen := map[string]int{}
	var terms []tumen.Term
	for {
		rw, err := t.next()
		if err == io.EOF {
			return terms, nil
		}
		if err != nil {
			return nil, err
		}
		code := rw.get("code")
		if !isCode(code) {
			return nil, rw.errorf("code %q is empty or has characters other than letters, digits and hyphens", code)
		}
		if first, dup := seen[code]; dup {
			return nil, rw.errorf("code %q already used on line %d", code, first)
		}
		seen[code] = rw.line
		term := tumen.Term{Vocab: vocab, Code: code, LabelEN: rw.get("label_en"), LabelKO: rw.get("label_ko")}
		if term.LabelEN == "" || term.LabelKO == "" {
			return nil, rw.errorf("term %q needs both label_en and label_ko", code)
		}
		for i, h := range t.header {
			switch h {
			case "code", "label_en", "label_ko":
				continue
			}
			if v := rw.fields[i]; v != "" {
				if term.Extra == nil {
					term.Extra = map[string]string{}
				}
				term.Extra[h] = v
			}
		}
		terms = append(terms, term)
	}
}

// placeColumns are the columns a gazetteer file may have. Any other column
// is an error: a Place has nowhere to keep it, and a misspelt header would
// otherwise drop a whole column without a word.
var placeColumns = map[string]bool{
	"id": true, "name_en": true, "name_ko": true, "name_zh": true, "variants": true, "kinds": true,
	"country": true, "province": true, "parent": true, "lat": true, "lon": true, "coord_basis": true,
	"crossing_pair": true, "facility_type": true, "agency": true, "note": true,
}

// ReadPlaces reads a gazetteer from r: a CSV file with at least the columns
// id and name_en, and optionally name_ko, name_zh, variants and kinds
// (semicolon-separated), country, province, parent, lat, lon (decimal
// degrees), coord_basis (one of CoordBases), crossing_pair, facility_type,
// agency and note. name is the file name used in errors.
//
// A row is malformed, and an error names its line, when its id is empty,
// malformed or already used, name_en is empty, only one of lat and lon is
// given, a coordinate does not parse or is out of range, or coord_basis is
// unknown or contradicts the coordinate (a coordinate needs a basis other
// than "unknown"; "unknown" needs no coordinate). References to other places,
// facility types and agencies are checked by the package's tests, not here,
// so that a file can be read on its own.
func ReadPlaces(r io.Reader, name string) ([]tumen.Place, error) {
	t, err := newTable(r, name, "id", "name_en")
	if err != nil {
		return nil, err
	}
	for _, h := range t.header {
		if !placeColumns[h] {
			return nil, tumen.Errorf(tumen.KindInvalid, "%s line 1: unknown column %q", name, h)
		}
	}
	seen := map[string]int{}
	var places []tumen.Place
	for {
		rw, err := t.next()
		if err == io.EOF {
			return places, nil
		}
		if err != nil {
			return nil, err
		}
		p := tumen.Place{
			ID:           rw.get("id"),
			NameEN:       rw.get("name_en"),
			NameKO:       rw.get("name_ko"),
			NameZH:       rw.get("name_zh"),
			Variants:     splitList(rw.get("variants")),
			Kinds:        splitList(rw.get("kinds")),
			Country:      rw.get("country"),
			Province:     rw.get("province"),
			ParentID:     rw.get("parent"),
			CoordBasis:   rw.get("coord_basis"),
			CrossingPair: rw.get("crossing_pair"),
			FacilityType: rw.get("facility_type"),
			AgencyID:     rw.get("agency"),
			Note:         rw.get("note"),
		}
		if !isCode(p.ID) {
			return nil, rw.errorf("id %q is empty or has characters other than letters, digits and hyphens", p.ID)
		}
		if first, dup := seen[p.ID]; dup {
			return nil, rw.errorf("id %q already used on line %d", p.ID, first)
		}
		seen[p.ID] = rw.line
		if p.NameEN == "" {
			return nil, rw.errorf("place %s has no name_en", p.ID)
		}
		if p.ParentID == p.ID && p.ID != "" {
			return nil, rw.errorf("place %s is its own parent", p.ID)
		}
		lat, lon := rw.get("lat"), rw.get("lon")
		if (lat == "") != (lon == "") {
			return nil, rw.errorf("place %s has only one of lat and lon", p.ID)
		}
		if lat != "" {
			if p.Lat, err = parseCoord(lat, 90); err != nil {
				return nil, rw.errorf("place %s: lat %q: %v", p.ID, lat, err)
			}
			if p.Lon, err = parseCoord(lon, 180); err != nil {
				return nil, rw.errorf("place %s: lon %q: %v", p.ID, lon, err)
			}
		}
		switch p.CoordBasis {
		case CoordSettlement, CoordFacility, CoordApprox:
			if p.Lat == nil {
				return nil, rw.errorf("place %s: coord_basis %q needs lat and lon (use %q when the position is not known)", p.ID, p.CoordBasis, CoordUnknown)
			}
		case CoordUnknown, "":
			if p.Lat != nil {
				return nil, rw.errorf("place %s has a coordinate, so coord_basis must say how precise it is (%s)", p.ID, strings.Join(CoordBases[:3], ", "))
			}
		default:
			return nil, rw.errorf("place %s: unknown coord_basis %q (want one of %s)", p.ID, p.CoordBasis, strings.Join(CoordBases, ", "))
		}
		places = append(places, p)
	}
}

// parseCoord parses a decimal-degree coordinate within ±limit.
func parseCoord(s string, limit float64) (*float64, error) {
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return nil, errors.New("not a decimal number")
	}
	if v < -limit || v > limit {
		return nil, errors.New("out of range")
	}
	return &v, nil
}

// ReadOrganisations reads organisations from r: a CSV file with at least
// the columns id and name_en, and optionally name_ko, name_zh, country,
// parent, valid_from, valid_to (years) and note. name is the file name used
// in errors. A row with an empty, malformed or repeated id, no name_en, a
// year that is not a number, or valid_from after valid_to is an error naming
// its line.
func ReadOrganisations(r io.Reader, name string) ([]tumen.Organisation, error) {
	t, err := newTable(r, name, "id", "name_en")
	if err != nil {
		return nil, err
	}
	known := map[string]bool{"id": true, "name_en": true, "name_ko": true, "name_zh": true, "country": true,
		"parent": true, "valid_from": true, "valid_to": true, "note": true}
	for _, h := range t.header {
		if !known[h] {
			return nil, tumen.Errorf(tumen.KindInvalid, "%s line 1: unknown column %q", name, h)
		}
	}
	seen := map[string]int{}
	var orgs []tumen.Organisation
	for {
		rw, err := t.next()
		if err == io.EOF {
			return orgs, nil
		}
		if err != nil {
			return nil, err
		}
		o := tumen.Organisation{
			ID:       rw.get("id"),
			NameEN:   rw.get("name_en"),
			NameKO:   rw.get("name_ko"),
			NameZH:   rw.get("name_zh"),
			Country:  rw.get("country"),
			ParentID: rw.get("parent"),
			Note:     rw.get("note"),
		}
		if !isCode(o.ID) {
			return nil, rw.errorf("id %q is empty or has characters other than letters, digits and hyphens", o.ID)
		}
		if first, dup := seen[o.ID]; dup {
			return nil, rw.errorf("id %q already used on line %d", o.ID, first)
		}
		seen[o.ID] = rw.line
		if o.NameEN == "" {
			return nil, rw.errorf("organisation %s has no name_en", o.ID)
		}
		if o.ParentID == o.ID {
			return nil, rw.errorf("organisation %s is its own parent", o.ID)
		}
		if o.ValidFrom, err = parseYear(rw.get("valid_from")); err != nil {
			return nil, rw.errorf("organisation %s: valid_from: %v", o.ID, err)
		}
		if o.ValidTo, err = parseYear(rw.get("valid_to")); err != nil {
			return nil, rw.errorf("organisation %s: valid_to: %v", o.ID, err)
		}
		if o.ValidFrom != 0 && o.ValidTo != 0 && o.ValidFrom > o.ValidTo {
			return nil, rw.errorf("organisation %s: valid_from %d is after valid_to %d", o.ID, o.ValidFrom, o.ValidTo)
		}
		orgs = append(orgs, o)
	}
}

// parseYear parses a year; empty is 0 (unknown).
func parseYear(s string) (int, error) {
	if s == "" {
		return 0, nil
	}
	y, err := strconv.Atoi(s)
	if err != nil || y < 1 || y > 9999 {
		return 0, tumen.Errorf(tumen.KindInvalid, "%q is not a year", s)
	}
	return y, nil
}
