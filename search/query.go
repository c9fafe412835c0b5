package search

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"tumen"
	"tumen/approx"
)

// Limits on a query, so that no input can make a search expensive.
const (
	MaxQueryBytes = 1000 // longest query text
	MaxTerms      = 32   // words and phrases together
)

// Query is a parsed search: free text read both as a person's name and as
// words of the full text, phrases, and filters. The web app may fill it
// from form fields instead of parsing a string; Validate then checks it.
type Query struct {
	// Words are the free words of the query, as typed. All of them must
	// occur in one text (narrative, testimony, title or note) for a text
	// match; together, in order, they are also read as a name.
	Words []string
	// Phrases are quoted runs of words that must occur together, in order.
	Phrases []string
	Filter  Filter
}

// Filter narrows a search to persons with the given facts. Zero fields do
// not filter. Facts about one event (place, stage, date) must hold of one
// and the same event; facts about an act (type, agency) of one act, at an
// event that meets the event conditions.
type Filter struct {
	Sex          tumen.Sex
	Stage        string       // an event at this stage (S0–S9)
	Place        string       // an event at this place or anywhere under it (gazetteer id or name)
	ActType      string       // an act of this type
	Agency       string       // an act perpetrated by this organisation (id)
	Organisation string       // documented by a source of this organisation
	Level        *tumen.Level // the person's own confidentiality
	From, To     int          // an event whose date range overlaps [From, To] (YYYYMMDD; 0 is open)
}

// Empty reports whether the filter filters nothing.
func (f Filter) Empty() bool {
	return f == Filter{}
}

// Empty reports whether the query asks for nothing at all.
func (q *Query) Empty() bool {
	return len(q.Words) == 0 && len(q.Phrases) == 0 && q.Filter.Empty()
}

// HasText reports whether the query searches names or text, which only a
// caller allowed to see identities may do.
func (q *Query) HasText() bool { return len(q.Words) > 0 || len(q.Phrases) > 0 }

// NameText is the text the query is read as a name from: its words in order.
func (q *Query) NameText() string { return strings.Join(q.Words, " ") }

// filterKeys maps the prefixes a query string may use to set a filter.
var filterKeys = []string{"sex", "stage", "place", "type", "agency", "org", "level", "from", "to", "date", "year"}

// invalid returns an invalid-input error. Messages never quote the query:
// it may hold a name.
func invalid(format string, args ...any) error {
	return tumen.Errorf(tumen.KindInvalid, format, args...)
}

// ParseQuery reads a query string: words, "quoted phrases" and filters
// written key:value (or key:"value with spaces"):
//
//	sex:f  stage:S5  place:CN-DAN  type:arrest  agency:cn-psb
//	org:"Bridge Watch"  level:confidential  year:2023  date:2023-05
//	from:2020  to:"2023-06"
//
// from, to, date and year take any date tumen reads (approx.Parse); an
// approximate event date matches when its range overlaps. A word holding a
// colon whose prefix is no filter key is an ordinary word. Errors are of
// kind invalid and do not repeat the query, which may hold a name.
func ParseQuery(s string) (*Query, error) {
	if len(s) > MaxQueryBytes {
		return nil, invalid("the query is too long (at most %d bytes)", MaxQueryBytes)
	}
	if !utf8.ValidString(s) {
		return nil, invalid("the query is not valid UTF-8")
	}
	q := &Query{}
	seen := map[string]bool{}
	i := 0
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		if isSpace(r) {
			i += size
			continue
		}
		if r == '"' || r == '“' || r == '”' {
			text, next, err := quoted(s, i)
			if err != nil {
				return nil, err
			}
			i = next
			if p := normalize(text).norm; p != "" {
				q.Phrases = append(q.Phrases, p)
			}
			continue
		}
		j := i
		for j < len(s) {
			r, size := utf8.DecodeRuneInString(s[j:])
			if isSpace(r) || r == '"' || r == '“' || r == '”' {
				break
			}
			j += size
		}
		word := s[i:j]
		i = j
		if k, v, ok := strings.Cut(word, ":"); ok && isFilterKey(strings.ToLower(k)) {
			k = strings.ToLower(k)
			if v == "" && i < len(s) && (s[i] == '"' || strings.HasPrefix(s[i:], "“")) {
				text, next, err := quoted(s, i)
				if err != nil {
					return nil, err
				}
				v, i = text, next
			}
			if seen[k] {
				return nil, invalid("the filter %s: is given twice", k)
			}
			seen[k] = true
			if err := q.Filter.set(k, strings.TrimSpace(v)); err != nil {
				return nil, err
			}
			continue
		}
		q.Words = append(q.Words, word)
	}
	if err := q.Validate(); err != nil {
		return nil, err
	}
	return q, nil
}

func isSpace(r rune) bool {
	return r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '\u3000' || r == '\u00a0'
}

// quoted reads a quoted string starting at s[i] and returns its text and
// the index after the closing quote.
func quoted(s string, i int) (string, int, error) {
	_, size := utf8.DecodeRuneInString(s[i:])
	start := i + size
	for j := start; j < len(s); {
		r, size := utf8.DecodeRuneInString(s[j:])
		if r == '"' || r == '”' || r == '“' {
			return s[start:j], j + size, nil
		}
		j += size
	}
	return "", 0, invalid("a phrase is missing its closing quote")
}

func isFilterKey(k string) bool {
	for _, f := range filterKeys {
		if f == k {
			return true
		}
	}
	return false
}

// set applies one key:value filter.
func (f *Filter) set(k, v string) error {
	if v == "" {
		return invalid("the filter %s: needs a value", k)
	}
	switch k {
	case "sex":
		s, err := tumen.ParseSex(v)
		if err != nil || s == tumen.SexUnknown {
			return invalid("sex: takes f or m")
		}
		f.Sex = s
	case "stage":
		if len(v) != 2 || (v[0] != 'S' && v[0] != 's') || v[1] < '0' || v[1] > '9' {
			return invalid("stage: takes S0 to S9")
		}
		f.Stage = strings.ToUpper(v)
	case "place":
		f.Place = v
	case "type":
		f.ActType = v
	case "agency":
		f.Agency = v
	case "org":
		f.Organisation = v
	case "level":
		l, err := tumen.ParseLevel(strings.ToLower(v))
		if err != nil {
			return invalid("level: takes public, internal, confidential or secret")
		}
		f.Level = &l
	case "from", "to", "date", "year":
		d, err := approx.Parse(v)
		if err != nil || !d.Known() {
			return invalid("%s: is not a date tumen reads (try 2023, 2023-05 or 2023-05-17)", k)
		}
		lo, hi := d.Bounds()
		switch k {
		case "from":
			f.From = lo
		case "to":
			f.To = hi
		default:
			if f.From != 0 || f.To != 0 {
				return invalid("%s: cannot be combined with another date filter", k)
			}
			f.From, f.To = lo, hi
		}
	}
	return nil
}

// Validate checks a query built by hand or parsed: bounded size, a sane
// date range, and something to search for.
func (q *Query) Validate() error {
	if len(q.Words)+len(q.Phrases) > MaxTerms {
		return invalid("the query has too many words (at most %d)", MaxTerms)
	}
	n := 0
	for _, w := range q.Words {
		n += len(w)
	}
	for _, p := range q.Phrases {
		n += len(p)
	}
	if n > MaxQueryBytes {
		return invalid("the query is too long (at most %d bytes)", MaxQueryBytes)
	}
	if q.Filter.From != 0 && q.Filter.To != 0 && q.Filter.From > q.Filter.To {
		return invalid("the date range ends before it starts")
	}
	if q.Filter.Level != nil && *q.Filter.Level > tumen.Secret {
		return invalid("unknown confidentiality level")
	}
	if q.Empty() {
		return invalid("the query is empty: give words, a \"phrase\" or a filter such as sex:f")
	}
	return nil
}

// String writes the query back in the syntax ParseQuery reads.
func (q *Query) String() string {
	var parts []string
	parts = append(parts, q.Words...)
	for _, p := range q.Phrases {
		parts = append(parts, `"`+p+`"`)
	}
	f := q.Filter
	add := func(k, v string) {
		if v != "" {
			if strings.ContainsAny(v, " \t\"") {
				v = `"` + strings.ReplaceAll(v, `"`, "") + `"`
			}
			parts = append(parts, k+":"+v)
		}
	}
	add("sex", string(f.Sex))
	add("stage", f.Stage)
	add("place", f.Place)
	add("type", f.ActType)
	add("agency", f.Agency)
	add("org", f.Organisation)
	if f.Level != nil {
		add("level", f.Level.String())
	}
	if f.From != 0 {
		add("from", fmt.Sprintf("%04d-%02d-%02d", f.From/10000, f.From/100%100, f.From%100))
	}
	if f.To != 0 {
		add("to", fmt.Sprintf("%04d-%02d-%02d", f.To/10000, f.To/100%100, f.To%100))
	}
	return strings.Join(parts, " ")
}
