// Package exchange reads and writes tumen's interchange formats: the
// person-list CSV that organisations trade (one row a person and their
// repatriation), and the JSON bundle that carries the whole model and
// round-trips a store without loss.
package exchange

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"

	"tumen"
	"tumen/approx"
)

// PersonListColumns are the person-list CSV's columns; narrative is
// optional.
var PersonListColumns = []string{"id", "source", "name", "birth_date", "sex", "origin", "event_date", "event_place", "narrative"}

// MaxField is the longest field a person-list row may have.
const MaxField = 1 << 20

// MaxErrors is how many row errors a report lists before it stops reading.
const MaxErrors = 100

// RowError is one problem with one row. Its text never holds a personal
// value from the row: it names the row and the column.
type RowError struct {
	Row    int // 1-based line of the record in the file, the header being 1
	Column string
	Msg    string
}

func (e RowError) Error() string {
	if e.Column == "" {
		return fmt.Sprintf("row %d: %s", e.Row, e.Msg)
	}
	return fmt.Sprintf("row %d: %s: %s", e.Row, e.Column, e.Msg)
}

// Report is the row-by-row result of reading a person list that had
// problems. Nothing of such a list is imported.
type Report struct {
	Rows    int // data rows read
	Errors  []RowError
	Omitted int // errors not listed beyond MaxErrors
}

func (r *Report) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d problem(s) in the person list; nothing was imported", len(r.Errors)+r.Omitted)
	for _, e := range r.Errors {
		b.WriteString("\n  ")
		b.WriteString(e.Error())
	}
	if r.Omitted > 0 {
		fmt.Fprintf(&b, "\n  … and %d more", r.Omitted)
	}
	return b.String()
}

func (r *Report) add(e RowError) {
	if len(r.Errors) < MaxErrors {
		r.Errors = append(r.Errors, e)
	} else {
		r.Omitted++
	}
}

// Row is one parsed person-list row.
type Row struct {
	Line       int
	ID         string
	Source     string
	Name       string
	BirthDate  approx.Date
	Sex        tumen.Sex
	Origin     string
	EventDate  approx.Date
	EventPlace string
	Narrative  string
}

// PersonListReader reads person-list rows, checking each.
type PersonListReader struct {
	r       *csv.Reader
	cols    int
	seen    map[string]int
	report  Report
	started bool
	done    bool
}

// NewPersonListReader reads a person list from r. A UTF-8 byte order mark
// is skipped.
func NewPersonListReader(r io.Reader) *PersonListReader {
	cr := csv.NewReader(skipBOM(r))
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	return &PersonListReader{r: cr, seen: map[string]int{}}
}

func skipBOM(r io.Reader) io.Reader {
	br := &bomReader{r: r}
	return br
}

type bomReader struct {
	r       io.Reader
	checked bool
	buf     []byte
}

func (b *bomReader) Read(p []byte) (int, error) {
	if !b.checked {
		b.checked = true
		head := make([]byte, 3)
		n, err := io.ReadFull(b.r, head)
		head = head[:n]
		if !bytes.Equal(head, []byte("\xef\xbb\xbf")) {
			b.buf = head
		}
		if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
			return 0, err
		}
	}
	if len(b.buf) > 0 {
		n := copy(p, b.buf)
		b.buf = b.buf[n:]
		return n, nil
	}
	return b.r.Read(p)
}

// Report returns the problems found so far; nil when there were none.
func (pr *PersonListReader) Report() *Report {
	if len(pr.report.Errors) == 0 {
		return nil
	}
	return &pr.report
}

// Rows returns the number of data rows read so far.
func (pr *PersonListReader) Rows() int { return pr.report.Rows }

// header checks the header line.
func (pr *PersonListReader) header() error {
	rec, err := pr.r.Read()
	if err == io.EOF {
		return errors.New("the person list is empty: it needs a header line " + strings.Join(PersonListColumns, ","))
	}
	if err != nil {
		return fmt.Errorf("row 1: %s", csvProblem(err))
	}
	if len(rec) != 8 && len(rec) != 9 {
		return fmt.Errorf("row 1: the header has %d columns; want %s (narrative optional)", len(rec), strings.Join(PersonListColumns, ","))
	}
	for i, c := range rec {
		if strings.TrimSpace(strings.ToLower(c)) != PersonListColumns[i] {
			return fmt.Errorf("row 1: column %d of the header is %q, want %q (header: %s)", i+1, truncate(c), PersonListColumns[i], strings.Join(PersonListColumns, ","))
		}
	}
	pr.cols = len(rec)
	return nil
}

func truncate(s string) string {
	if len(s) > 40 {
		s = s[:40]
		for !utf8.ValidString(s) && len(s) > 0 {
			s = s[:len(s)-1]
		}
		return s + "…"
	}
	return s
}

// csvProblem describes a CSV syntax error without quoting the data.
func csvProblem(err error) string {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		switch {
		case errors.Is(pe.Err, csv.ErrQuote):
			return "a quote (\") is missing or out of place: the file may be truncated"
		case errors.Is(pe.Err, csv.ErrBareQuote):
			return "a bare quote (\") in an unquoted field"
		}
		return pe.Err.Error()
	}
	return err.Error()
}

// Next returns the next valid row. It returns io.EOF at the end; rows with
// problems are skipped and recorded in the report. A header or syntax error
// that stops reading is returned as an error.
func (pr *PersonListReader) Next() (*Row, error) {
	if pr.done {
		return nil, io.EOF
	}
	if !pr.started {
		pr.started = true
		if err := pr.header(); err != nil {
			pr.done = true
			return nil, err
		}
	}
	for {
		rec, err := pr.r.Read()
		if err == io.EOF {
			pr.done = true
			return nil, io.EOF
		}
		if err != nil {
			var pe *csv.ParseError
			l := 0
			if errors.As(err, &pe) {
				l = pe.StartLine
			}
			pr.report.Rows++
			pr.report.add(RowError{Row: l, Msg: csvProblem(err)})
			if errors.As(err, &pe) && errors.Is(pe.Err, csv.ErrQuote) {
				// An unclosed quote swallows the rest of the file.
				pr.done = true
				return nil, io.EOF
			}
			continue
		}
		pr.report.Rows++
		line, _ := pr.r.FieldPos(0)
		row, ok := pr.check(line, rec)
		if !ok {
			if pr.report.Omitted > 0 {
				// Enough to fix; stop reading a file that is mostly wrong.
				pr.done = true
				return nil, io.EOF
			}
			continue
		}
		return row, nil
	}
}

func (pr *PersonListReader) check(line int, rec []string) (*Row, bool) {
	bad := func(col, msg string) (*Row, bool) {
		pr.report.add(RowError{Row: line, Column: col, Msg: msg})
		return nil, false
	}
	if len(rec) != pr.cols {
		if len(rec) < pr.cols {
			return bad("", fmt.Sprintf("has %d columns, want %d: a column is missing (or the file is truncated)", len(rec), pr.cols))
		}
		return bad("", fmt.Sprintf("has %d columns, want %d", len(rec), pr.cols))
	}
	for i, f := range rec {
		col := PersonListColumns[i]
		if len(f) > MaxField {
			return bad(col, fmt.Sprintf("is %d bytes, longer than the %d-byte limit", len(f), MaxField))
		}
		if !utf8.ValidString(f) {
			return bad(col, "is not valid UTF-8 (save the file as UTF-8)")
		}
		if strings.ContainsRune(f, 0) {
			return bad(col, "contains a NUL byte")
		}
	}
	r := &Row{Line: line, ID: strings.TrimSpace(rec[0]), Source: strings.TrimSpace(rec[1]), Name: clean(rec[2]),
		Origin: clean(rec[5]), EventPlace: clean(rec[7])}
	if pr.cols == 9 {
		r.Narrative = strings.TrimSpace(rec[8])
	}
	if r.ID == "" {
		return bad("id", "is empty")
	}
	if err := checkID(r.ID); err != nil {
		return bad("id", err.Error())
	}
	if first, dup := pr.seen[r.ID]; dup {
		return bad("id", fmt.Sprintf("%q repeats the id of row %d", r.ID, first))
	}
	pr.seen[r.ID] = line
	if r.Name == "" {
		return bad("name", "is empty")
	}
	var err error
	if r.BirthDate, err = approx.Parse(rec[3]); err != nil {
		// The birth date is personal data: say what is wrong, not what it is.
		return bad("birth_date", "is not a date tumen can read (the value is withheld: it is personal data); write e.g. 1985, 1985-03, around 1985, 1985년 3월")
	}
	if r.Sex, err = tumen.ParseSex(strings.TrimSpace(rec[4])); err != nil {
		return bad("sex", fmt.Sprintf("%q is not f, m or empty", truncate(rec[4])))
	}
	if r.EventDate, err = approx.Parse(rec[6]); err != nil {
		var pe *approx.ParseError
		if errors.As(err, &pe) {
			return bad("event_date", pe.Error())
		}
		return bad("event_date", err.Error())
	}
	return r, true
}

// clean trims a field and folds runs of white space.
func clean(s string) string {
	return strings.Join(strings.FieldsFunc(s, unicode.IsSpace), " ")
}

func checkID(id string) error {
	if len(id) > 120 {
		return errors.New("is longer than 120 bytes")
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if c <= ' ' || c >= 0x7f || c == '"' || c == '\\' {
			return fmt.Errorf("%q: use letters, digits and - _ . : / only", truncate(id))
		}
	}
	return nil
}
