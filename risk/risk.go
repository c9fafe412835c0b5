// Package risk scores the risk that a person held in China is returned to
// North Korea and harmed there, with a rubric that is data: weights per
// fact, in a JSON file that staff can edit, load and keep as versions.
// A score is imminence (how soon a return may happen) plus severity (how
// harshly the person is likely to be treated on return), and it always
// lists the facts that produced it with their weights, so that anyone can
// check it by hand.
package risk

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"

	"tumen"
	"tumen/approx"
)

//go:embed rubric.json
var defaultRubric []byte

// Factor is one weighed fact of a rubric.
type Factor struct {
	Code    string `json:"code"`
	Label   string `json:"label"`
	LabelKO string `json:"label_ko,omitempty"`
	Weight  int    `json:"weight"`
}

// Dimension is imminence or severity: factors whose weights add up, to at
// most Cap.
type Dimension struct {
	Cap     int      `json:"cap"`
	Factors []Factor `json:"factors"`
}

// Rubric is a versioned set of weights.
type Rubric struct {
	Version string `json:"version"`
	Title   string `json:"title"`
	Note    string `json:"note,omitempty"`
	// WatchWindowDays: a flagged date counts when it falls within this
	// many days from now. SentenceWindowDays: likewise the end of a
	// Chinese sentence.
	WatchWindowDays    int       `json:"watch_window_days"`
	SentenceWindowDays int       `json:"sentence_window_days"`
	Imminence          Dimension `json:"imminence"`
	Severity           Dimension `json:"severity"`
}

// The derived fact codes: Gather produces them from custody, the
// gazetteer, the border's state, flagged dates and the person's birth
// date; the others come from recorded risk facts.
const (
	CodeBorderOpen      = "border-open"
	CodeWatchDateNear   = "watch-date-near"
	CodeSentenceEndNear = "sentence-end-near"
	CodeMinor           = "minor"
	CodeElderly         = "elderly"
	// CodeSentenceEnd is a recorded fact whose date is when a Chinese
	// sentence ends; it weighs nothing itself but yields sentence-end-near.
	CodeSentenceEnd = "sentence-end"
)

// Default returns the rubric shipped with tumen.
func Default() *Rubric {
	r, err := Parse(defaultRubric)
	if err != nil {
		panic("risk: the embedded rubric is invalid: " + err.Error())
	}
	return r
}

// Parse reads and checks a rubric's JSON.
func Parse(b []byte) (*Rubric, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	r := &Rubric{}
	if err := dec.Decode(r); err != nil {
		return nil, tumen.Errorf(tumen.KindInvalid, "the rubric is not valid JSON of the rubric's shape: %v", err)
	}
	return r, r.Check()
}

// Check reports the first problem of a rubric: a missing version, a
// negative weight or cap, a code given twice.
func (r *Rubric) Check() error {
	if strings.TrimSpace(r.Version) == "" {
		return tumen.Errorf(tumen.KindInvalid, "the rubric needs a version")
	}
	if r.WatchWindowDays < 0 || r.SentenceWindowDays < 0 {
		return tumen.Errorf(tumen.KindInvalid, "the rubric's windows must not be negative")
	}
	seen := map[string]bool{}
	for _, d := range []struct {
		name string
		dim  Dimension
	}{{"imminence", r.Imminence}, {"severity", r.Severity}} {
		if d.dim.Cap <= 0 {
			return tumen.Errorf(tumen.KindInvalid, "the rubric's %s needs a positive cap", d.name)
		}
		for _, f := range d.dim.Factors {
			if f.Code == "" || f.Label == "" {
				return tumen.Errorf(tumen.KindInvalid, "a %s factor needs a code and a label", d.name)
			}
			if f.Weight < 0 {
				return tumen.Errorf(tumen.KindInvalid, "factor %q has a negative weight", f.Code)
			}
			if seen[f.Code] {
				return tumen.Errorf(tumen.KindInvalid, "factor %q appears twice", f.Code)
			}
			seen[f.Code] = true
		}
	}
	return nil
}

// JSON returns the rubric's JSON, as stored.
func (r *Rubric) JSON() []byte {
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		panic(err) // a rubric always marshals
	}
	return append(b, '\n')
}

// Factor returns the factor with code and its dimension ("imminence" or
// "severity").
func (r *Rubric) Factor(code string) (Factor, string, bool) {
	for _, f := range r.Imminence.Factors {
		if f.Code == code {
			return f, "imminence", true
		}
	}
	for _, f := range r.Severity.Factors {
		if f.Code == code {
			return f, "severity", true
		}
	}
	return Factor{}, "", false
}

// RecordableCodes are the codes staff may record as risk facts: the
// rubric's severity factors and sentence-end. Derived codes (custody,
// age, border, flagged dates) come from other records.
func (r *Rubric) RecordableCodes() []string {
	var out []string
	for _, f := range r.Severity.Factors {
		if f.Code != CodeMinor && f.Code != CodeElderly {
			out = append(out, f.Code)
		}
	}
	return append(out, CodeSentenceEnd)
}

// Fact is one fact about a case that the rubric may weigh, with where it
// comes from.
type Fact struct {
	Code   string      `json:"code"`
	Detail string      `json:"detail,omitempty"` // why it holds, for staff
	Source string      `json:"source,omitempty"` // source id, when recorded with one
	Date   approx.Date `json:"date"`
}

// Inputs are the records a case's facts are gathered from.
type Inputs struct {
	Person     *tumen.Person        // for the age; may be nil
	Latest     *tumen.CustodyChange // current custody status; may be nil
	Place      *tumen.Place         // the place of Latest, from the gazetteer; may be nil
	RiskFacts  []*tumen.RiskFact
	Border     *tumen.BorderState // nil when never recorded
	WatchDates []*tumen.WatchDate
	Now        time.Time
}

// Gather turns records into facts for Score. Only facts standing at
// in.Now count; an approximate date counts when its range may fall in the
// window, since a missed appeal costs more than an early one.
func (r *Rubric) Gather(in Inputs) []Fact {
	var out []Fact
	now := in.Now
	if c := in.Latest; c != nil && c.Status.Open() {
		out = append(out, Fact{Code: "status:" + string(c.Status), Detail: "since " + c.Date.String(), Source: c.SourceID, Date: c.Date})
		if in.Place != nil && in.Place.FacilityType != "" && c.Status.InChina() {
			out = append(out, Fact{Code: "facility:" + in.Place.FacilityType, Detail: in.Place.ID, Source: c.SourceID, Date: c.Date})
		}
	}
	if in.Border != nil && in.Border.Open {
		out = append(out, Fact{Code: CodeBorderOpen, Detail: "since " + in.Border.Since.String(), Date: in.Border.Since})
	}
	watchEnd := now.AddDate(0, 0, r.WatchWindowDays)
	for _, w := range in.WatchDates {
		if within(w.Date, now, watchEnd) {
			out = append(out, Fact{Code: CodeWatchDateNear, Detail: w.Label, Date: w.Date})
			break
		}
	}
	sentenceEnd := now.AddDate(0, 0, r.SentenceWindowDays)
	for _, f := range in.RiskFacts {
		if !f.Active(now) {
			continue
		}
		if f.Code == CodeSentenceEnd {
			if within(f.Date, now, sentenceEnd) {
				out = append(out, Fact{Code: CodeSentenceEndNear, Detail: "sentence ends " + f.Date.String(), Source: f.SourceID, Date: f.Date})
			}
			continue
		}
		out = append(out, Fact{Code: f.Code, Source: f.SourceID, Date: f.Date})
	}
	if p := in.Person; p != nil && p.BirthDate.Known() {
		// Certainly under 18: born after the day 18 years ago, at the
		// earliest bound. Certainly 60 or older: born by the day 60
		// years ago, at the latest bound.
		if p.BirthDate.Lo().After(now.AddDate(-18, 0, 0)) {
			out = append(out, Fact{Code: CodeMinor, Detail: "born " + p.BirthDate.String(), Date: p.BirthDate})
		} else if !p.BirthDate.Hi().After(now.AddDate(-60, 0, 0)) {
			out = append(out, Fact{Code: CodeElderly, Detail: "born " + p.BirthDate.String(), Date: p.BirthDate})
		}
	}
	return out
}

// within reports whether d's range may fall in [from, to].
func within(d approx.Date, from, to time.Time) bool {
	if !d.Known() {
		return false
	}
	return !d.Hi().Before(dayOf(from)) && !d.Lo().After(to)
}

func dayOf(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// Contribution is one fact's part in a score.
type Contribution struct {
	Dimension string `json:"dimension"` // imminence or severity
	Code      string `json:"code"`
	Label     string `json:"label"`
	Weight    int    `json:"weight"`
	Fact      Fact   `json:"fact"`
}

// Score is a case's score and the facts that produced it. Imminence and
// Severity are the capped sums of their contributions' weights; Total is
// their sum.
type Score struct {
	Rubric        string         `json:"rubric"` // the rubric's version
	Imminence     int            `json:"imminence"`
	Severity      int            `json:"severity"`
	Total         int            `json:"total"`
	Contributions []Contribution `json:"contributions"`
	// Unweighed are facts whose code the rubric does not know: shown, so
	// that a rubric edit does not silently drop what staff recorded.
	Unweighed []Fact `json:"unweighed,omitempty"`
}

// Score weighs facts with the rubric. A code counts once, however many
// facts carry it: the first one is shown.
func (r *Rubric) Score(facts []Fact) Score {
	s := Score{Rubric: r.Version}
	seen := map[string]bool{}
	for _, f := range facts {
		if seen[f.Code] {
			continue
		}
		seen[f.Code] = true
		fac, dim, ok := r.Factor(f.Code)
		if !ok {
			s.Unweighed = append(s.Unweighed, f)
			continue
		}
		s.Contributions = append(s.Contributions, Contribution{Dimension: dim, Code: f.Code, Label: fac.Label, Weight: fac.Weight, Fact: f})
		if dim == "imminence" {
			s.Imminence += fac.Weight
		} else {
			s.Severity += fac.Weight
		}
	}
	s.Imminence = min(s.Imminence, r.Imminence.Cap)
	s.Severity = min(s.Severity, r.Severity.Cap)
	s.Total = s.Imminence + s.Severity
	sort.SliceStable(s.Contributions, func(i, j int) bool {
		a, b := s.Contributions[i], s.Contributions[j]
		if a.Dimension != b.Dimension {
			return a.Dimension == "imminence"
		}
		return a.Weight > b.Weight
	})
	return s
}

// Explain writes a score as lines of text: the totals, then each
// contribution with its weight.
func (s Score) Explain() string {
	var b strings.Builder
	fmt.Fprintf(&b, "total %d = imminence %d + severity %d (rubric %s)\n", s.Total, s.Imminence, s.Severity, s.Rubric)
	for _, c := range s.Contributions {
		fmt.Fprintf(&b, "  %-9s +%-3d %s", c.Dimension, c.Weight, c.Label)
		if c.Fact.Detail != "" {
			fmt.Fprintf(&b, " (%s)", c.Fact.Detail)
		}
		if c.Fact.Source != "" {
			fmt.Fprintf(&b, " [source %s]", c.Fact.Source)
		}
		b.WriteByte('\n')
	}
	for _, f := range s.Unweighed {
		fmt.Fprintf(&b, "  unweighed %s: not in this rubric\n", f.Code)
	}
	return b.String()
}
