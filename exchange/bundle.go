package exchange

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"reflect"

	"tumen"
	"tumen/approx"
)

// BundleFormat and BundleVersion head every JSON bundle.
const (
	BundleFormat  = "tumen-bundle"
	BundleVersion = 1
)

// sections are the bundle's arrays, in order, with a constructor for each
// section's record type.
var sections = []struct {
	name string
	new  func() any
}{
	{"terms", func() any { return new(tumen.Term) }},
	{"places", func() any { return new(tumen.Place) }},
	{"organisations", func() any { return new(tumen.Organisation) }},
	{"persons", func() any { return new(tumen.Person) }},
	{"events", func() any { return new(tumen.Event) }},
	{"acts", func() any { return new(tumen.Act) }},
	{"sources", func() any { return new(tumen.Source) }},
	{"consents", func() any { return new(tumen.Consent) }},
	{"interventions", func() any { return new(tumen.Intervention) }},
	{"attachments", func() any { return new(tumen.Attachment) }},
	{"custody_changes", func() any { return new(tumen.CustodyChange) }},
	{"risk_facts", func() any { return new(tumen.RiskFact) }},
	{"watch_dates", func() any { return new(tumen.WatchDate) }},
	{"border_states", func() any { return new(tumen.BorderState) }},
	{"rubric_versions", func() any { return new(tumen.RubricVersion) }},
	{"assessments", func() any { return new(tumen.Assessment) }},
}

// SectionOf returns the name of the bundle section that holds records of
// v's type, or "" for a value of no model type.
func SectionOf(v any) string {
	for _, s := range sections {
		if reflect.TypeOf(s.new()) == reflect.TypeOf(v) {
			return s.name
		}
	}
	return ""
}

// JSONWriter writes a bundle as one JSON object, streaming: one record a
// line inside each section's array. It implements tumen.BundleWriter.
type JSONWriter struct {
	w     *bufio.Writer
	open  bool // a section's array is open
	first bool // no record yet in the open section
	err   error
}

// NewJSONWriter starts a bundle on w. Close finishes it.
func NewJSONWriter(w io.Writer) *JSONWriter {
	jw := &JSONWriter{w: bufio.NewWriterSize(w, 1<<16)}
	fmt.Fprintf(jw.w, "{\"format\": %q, \"version\": %d", BundleFormat, BundleVersion)
	return jw
}

// Section starts the named section.
func (jw *JSONWriter) Section(name string) error {
	if jw.err != nil {
		return jw.err
	}
	if jw.open {
		jw.w.WriteString("\n]")
	}
	fmt.Fprintf(jw.w, ",\n%q: [", name)
	jw.open, jw.first = true, true
	return nil
}

// Record writes one record of the open section.
func (jw *JSONWriter) Record(v any) error {
	if jw.err != nil {
		return jw.err
	}
	if !jw.open {
		return errors.New("exchange: record outside a section")
	}
	b, err := json.Marshal(v)
	if err != nil {
		jw.err = err
		return err
	}
	if !jw.first {
		jw.w.WriteByte(',')
	}
	jw.first = false
	jw.w.WriteByte('\n')
	_, jw.err = jw.w.Write(b)
	return jw.err
}

// Close ends the bundle and flushes it.
func (jw *JSONWriter) Close() error {
	if jw.err != nil {
		return jw.err
	}
	if jw.open {
		jw.w.WriteString("\n]")
	}
	jw.w.WriteString("\n}\n")
	return jw.w.Flush()
}

// ReadBundle yields the records of a JSON bundle one at a time, so a bundle
// of any size streams into an import. Errors name the section and the
// record's position in it.
func ReadBundle(r io.Reader) iter.Seq2[any, error] {
	return func(yield func(any, error) bool) {
		dec := json.NewDecoder(bufio.NewReaderSize(r, 1<<16))
		dec.DisallowUnknownFields()
		fail := func(format string, args ...any) {
			yield(nil, tumen.Errorf(tumen.KindInvalid, "bundle: "+format, args...))
		}
		if t, err := dec.Token(); err != nil || t != json.Delim('{') {
			fail("not a tumen JSON bundle (it must be a JSON object)")
			return
		}
		sawFormat := false
		for dec.More() {
			t, err := dec.Token()
			if err != nil {
				fail("%s", jsonProblem(err))
				return
			}
			key, _ := t.(string)
			switch key {
			case "format":
				var f string
				if err := dec.Decode(&f); err != nil || f != BundleFormat {
					fail("format is not %q", BundleFormat)
					return
				}
				sawFormat = true
				continue
			case "version":
				var v int
				if err := dec.Decode(&v); err != nil || v != BundleVersion {
					fail("version %d is not one this tumen reads (%d)", v, BundleVersion)
					return
				}
				continue
			}
			if !sawFormat {
				fail("the bundle must start with its format")
				return
			}
			idx := -1
			for i, s := range sections {
				if s.name == key {
					idx = i
				}
			}
			if idx < 0 {
				fail("unknown section %q", truncate(key))
				return
			}
			if t, err := dec.Token(); err != nil || t != json.Delim('[') {
				fail("section %s is not an array", key)
				return
			}
			for n := 1; dec.More(); n++ {
				v := sections[idx].new()
				if err := dec.Decode(v); err != nil {
					fail("%s record %d: %s", key, n, jsonProblem(err))
					return
				}
				if !yield(v, nil) {
					return
				}
			}
			if _, err := dec.Token(); err != nil {
				fail("section %s: %s", key, jsonProblem(err))
				return
			}
		}
		if _, err := dec.Token(); err != nil {
			fail("%s", jsonProblem(err))
			return
		}
		if !sawFormat {
			fail("not a tumen JSON bundle (no format)")
		}
	}
}

// jsonProblem describes a JSON error without quoting values from the data.
func jsonProblem(err error) string {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return "the file ends too early: it may be truncated"
	case errors.As(err, &se):
		return fmt.Sprintf("JSON syntax error at byte %d", se.Offset)
	case errors.As(err, &te):
		return fmt.Sprintf("field %s has the wrong type (%s)", te.Field, te.Value)
	}
	var ae *approx.ParseError
	if errors.As(err, &ae) {
		// Dates may be birth dates: never echo them.
		return "a date is not one tumen can read (value withheld)"
	}
	var pe *tumen.Error
	if errors.As(err, &pe) {
		return pe.Message
	}
	// Errors from the model's own decoders (dates, levels) name the field's
	// problem; unknown fields name the field.
	return err.Error()
}
