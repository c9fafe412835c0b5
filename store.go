package tumen

import (
	"context"
	"iter"
	"time"
)

// Store is the contract every database package implements: the SQLite
// store (the embedded default) and the PostgreSQL store. Every write is one
// transaction. Sensitive fields are encrypted before they reach the database
// and every read or write of a person or source is audited, with the actor
// taken from the context (see WithActor).
type Store interface {
	CreatePerson(ctx context.Context, p *Person) error
	UpdatePerson(ctx context.Context, p *Person) error
	Person(ctx context.Context, id string) (*Person, error)
	ListPersons(ctx context.Context, f PersonFilter) ([]*Person, error)
	CountPersons(ctx context.Context, f PersonFilter) (int, error)
	// FindByName returns the ids of persons with a name whose lookup key
	// equals that of name, through the blind index.
	FindByName(ctx context.Context, name string) ([]string, error)

	CreateEvent(ctx context.Context, e *Event) error
	Event(ctx context.Context, id string) (*Event, error)
	ListEvents(ctx context.Context, f EventFilter) ([]*Event, error)

	CreateAct(ctx context.Context, a *Act) error
	ListActs(ctx context.Context, f ActFilter) ([]*Act, error)

	CreateSource(ctx context.Context, s *Source) error
	Source(ctx context.Context, id string) (*Source, error)
	ListSources(ctx context.Context, f SourceFilter) ([]*Source, error)

	CreateConsent(ctx context.Context, c *Consent) error
	RevokeConsent(ctx context.Context, id string, at time.Time) error
	Consents(ctx context.Context, sourceID string) ([]*Consent, error)

	CreateIntervention(ctx context.Context, iv *Intervention) error
	Interventions(ctx context.Context, victimID string) ([]*Intervention, error)

	// UpdateIntervention records what came of an intervention: response,
	// response date, follow-up date, outcome and note.
	UpdateIntervention(ctx context.Context, iv *Intervention) error
	// OpenInterventions returns the interventions that have no outcome
	// yet, oldest first: what the urgent-cases board follows up.
	OpenInterventions(ctx context.Context) ([]*Intervention, error)

	// Urgent response (custody.go). Reads of a person's custody history,
	// risk facts and assessments are audited like reads of the person.
	AddCustodyChange(ctx context.Context, c *CustodyChange) error
	CustodyHistory(ctx context.Context, personID string) ([]*CustodyChange, error)
	// CustodyCases returns every person's current custody status.
	CustodyCases(ctx context.Context) ([]*CustodyCase, error)
	AddRiskFact(ctx context.Context, f *RiskFact) error
	WithdrawRiskFact(ctx context.Context, id string, at time.Time) error
	RiskFacts(ctx context.Context, personID string) ([]*RiskFact, error)
	AddWatchDate(ctx context.Context, d *WatchDate) error
	WatchDates(ctx context.Context) ([]*WatchDate, error)
	SetBorderState(ctx context.Context, b *BorderState) error
	// BorderState returns the state in force; KindNotFound when none was set.
	BorderState(ctx context.Context) (*BorderState, error)
	// SaveRubric stores a new rubric version and sets r.Version.
	SaveRubric(ctx context.Context, r *RubricVersion) error
	// Rubric returns one version, or the newest for version 0;
	// KindNotFound when there is none.
	Rubric(ctx context.Context, version int) (*RubricVersion, error)
	Rubrics(ctx context.Context) ([]*RubricVersion, error)
	CreateAssessment(ctx context.Context, a *Assessment) error
	// Assessments returns a person's assessments, newest first.
	Assessments(ctx context.Context, personID string) ([]*Assessment, error)
	// BoardSeen returns when the actor of ctx last looked at the board
	// (the zero time if never); MarkBoardSeen records a look.
	BoardSeen(ctx context.Context) (time.Time, error)
	MarkBoardSeen(ctx context.Context, at time.Time) error

	CreateAttachment(ctx context.Context, a *Attachment) error
	Attachment(ctx context.Context, id string) (*Attachment, error)

	Places(ctx context.Context) ([]*Place, error)
	Organisations(ctx context.Context) ([]*Organisation, error)
	Terms(ctx context.Context, vocab string) ([]*Term, error)

	CreateUser(ctx context.Context, u *User) error
	UserByName(ctx context.Context, name string) (*User, error)

	// Import writes records in one transaction: all of them or nothing.
	// Records are pointers to the model's types (*Person, *Event, …); a
	// record may refer to one that comes later in the same import.
	Import(ctx context.Context, records iter.Seq2[any, error], progress func(done int)) error
	// Export streams the whole store, decrypted, to w.
	Export(ctx context.Context, w BundleWriter) error
	Stats(ctx context.Context) (*Stats, error)

	// Audit appends an entry to the audit log.
	Audit(ctx context.Context, action, kind, target, detail string) error
	AuditLog(ctx context.Context, afterSeq int64, limit int) ([]*AuditEntry, error)

	Close() error
}

// PersonFilter selects persons. Zero fields do not filter.
type PersonFilter struct {
	Sex          Sex
	Organisation string // documented by a source of this organisation
	PlaceID      string // with an event at this place
	Stage        string // with an event at this stage
	From, To     int    // with an event whose date range overlaps [From, To] (YYYYMMDD)
	MaxLevel     *Level // at most this confidentiality
	IDs          []string
	AfterID      string // keyset pagination: ids greater than this
	Limit        int    // 0 means 100
	// Summary reads only what a list shows (names, birth date, sex,
	// origin), leaving relatives, contacts and notes sealed.
	Summary bool
}

// EventFilter selects events. Zero fields do not filter.
type EventFilter struct {
	VictimID string
	ParentID string
	PlaceID  string
	Stage    string
	From, To int
	Limit    int
	// AnyOrder leaves the events in whatever order the store reads them
	// fastest, instead of by date: for reading all of them at once, as
	// the search index does at unlock.
	AnyOrder bool
}

// ActFilter selects acts. Zero fields do not filter.
type ActFilter struct {
	ID       string // the one act of this id
	VictimID string
	EventID  string
	Type     string
	Limit    int
}

// SourceFilter selects sources. Zero fields do not filter.
type SourceFilter struct {
	Supports     *Link // sources that support this record
	Organisation string
	Limit        int
}

// Bundle is the whole model, as imported and exported. The JSON form of a
// bundle round-trips a store without loss.
type Bundle struct {
	Terms         []*Term
	Places        []*Place
	Organisations []*Organisation
	Persons       []*Person
	Events        []*Event
	Acts          []*Act
	Sources       []*Source
	Consents      []*Consent
	Interventions []*Intervention
	Attachments   []*Attachment
	// The urgent-response records come after the persons, places and
	// sources they refer to.
	CustodyChanges []*CustodyChange
	RiskFacts      []*RiskFact
	WatchDates     []*WatchDate
	// BorderStates is the border's history, oldest first: the last is the
	// state in force.
	BorderStates   []*BorderState
	RubricVersions []*RubricVersion
	Assessments    []*Assessment
}

// Len returns the number of records in the bundle.
func (b *Bundle) Len() int {
	return len(b.Terms) + len(b.Places) + len(b.Organisations) + len(b.Persons) + len(b.Events) +
		len(b.Acts) + len(b.Sources) + len(b.Consents) + len(b.Interventions) + len(b.Attachments) +
		len(b.CustodyChanges) + len(b.RiskFacts) + len(b.WatchDates) + len(b.BorderStates) + len(b.RubricVersions) + len(b.Assessments)
}

// All yields every record of the bundle in the order of its fields.
func (b *Bundle) All() iter.Seq2[any, error] {
	return func(yield func(any, error) bool) {
		for _, section := range [][]any{
			anys(b.Terms), anys(b.Places), anys(b.Organisations), anys(b.Persons), anys(b.Events),
			anys(b.Acts), anys(b.Sources), anys(b.Consents), anys(b.Interventions), anys(b.Attachments),
			anys(b.CustodyChanges), anys(b.RiskFacts), anys(b.WatchDates), anys(b.BorderStates), anys(b.RubricVersions), anys(b.Assessments),
		} {
			for _, r := range section {
				if !yield(r, nil) {
					return
				}
			}
		}
	}
}

func anys[T any](s []*T) []any {
	out := make([]any, len(s))
	for i, v := range s {
		out[i] = v
	}
	return out
}

// Add appends a record to the section of its type. It reports false for a
// value of no model type.
func (b *Bundle) Add(r any) bool {
	switch v := r.(type) {
	case *Term:
		b.Terms = append(b.Terms, v)
	case *Place:
		b.Places = append(b.Places, v)
	case *Organisation:
		b.Organisations = append(b.Organisations, v)
	case *Person:
		b.Persons = append(b.Persons, v)
	case *Event:
		b.Events = append(b.Events, v)
	case *Act:
		b.Acts = append(b.Acts, v)
	case *Source:
		b.Sources = append(b.Sources, v)
	case *Consent:
		b.Consents = append(b.Consents, v)
	case *Intervention:
		b.Interventions = append(b.Interventions, v)
	case *Attachment:
		b.Attachments = append(b.Attachments, v)
	case *CustodyChange:
		b.CustodyChanges = append(b.CustodyChanges, v)
	case *RiskFact:
		b.RiskFacts = append(b.RiskFacts, v)
	case *WatchDate:
		b.WatchDates = append(b.WatchDates, v)
	case *BorderState:
		b.BorderStates = append(b.BorderStates, v)
	case *RubricVersion:
		b.RubricVersions = append(b.RubricVersions, v)
	case *Assessment:
		b.Assessments = append(b.Assessments, v)
	default:
		return false
	}
	return true
}

// BundleWriter receives the records of an export, section by section, in
// the order of Bundle's fields.
type BundleWriter interface {
	Section(name string) error
	Record(v any) error
}

// Stats counts the records in a store.
type Stats struct {
	Persons       int            `json:"persons"`
	Events        int            `json:"events"`
	Acts          int            `json:"acts"`
	Sources       int            `json:"sources"`
	Consents      int            `json:"consents"`
	Interventions int            `json:"interventions"`
	Attachments   int            `json:"attachments"`
	Places        int            `json:"places"`
	Organisations int            `json:"organisations"`
	Terms         int            `json:"terms"`
	Users         int            `json:"users"`
	AuditEntries  int            `json:"audit_entries"`
	BySex         map[string]int `json:"by_sex"`
	ByStage       map[string]int `json:"events_by_stage"`
	ByActType     map[string]int `json:"acts_by_type"`
	BySourceOrg   map[string]int `json:"sources_by_organisation"`
	ByYear        map[string]int `json:"events_by_year"` // events whose range lies in one year; the rest under "uncertain"
}

type actorKey struct{}

// WithActor returns a context that names who is acting, for the audit log.
func WithActor(ctx context.Context, actor string) context.Context {
	return context.WithValue(ctx, actorKey{}, actor)
}

// Actor returns the actor named in ctx, or "system".
func Actor(ctx context.Context) string {
	if a, ok := ctx.Value(actorKey{}).(string); ok && a != "" {
		return a
	}
	return "system"
}
