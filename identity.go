package tumen

import (
	"time"

	"tumen/approx"
)

// Record linkage in the store: the linkage engine proposes pairs of person
// records it judges to be one person (LinkCandidate); a reviewer merges or
// rejects each. A merge never touches the records: it puts both into an
// Identity, and unmerging dissolves the identity, leaving the records as
// they were. Every decision is kept as a LinkLabel, which the engine learns
// from on its next run, and is audited.

// LinkStatus is where a candidate pair stands in review.
type LinkStatus string

// The statuses of a candidate pair.
const (
	LinkPending  LinkStatus = "pending"  // waiting for a reviewer
	LinkMerged   LinkStatus = "merged"   // a reviewer judged the pair one person
	LinkRejected LinkStatus = "rejected" // a reviewer judged the pair two people
	// LinkImplied marks a pending pair whose records a merge of other pairs
	// already put into one identity; it returns to pending on unmerge.
	LinkImplied LinkStatus = "implied"
	// LinkUnmerged marks a merged pair whose identity was dissolved.
	LinkUnmerged LinkStatus = "unmerged"
)

// LinkStatuses lists every status.
var LinkStatuses = []LinkStatus{LinkPending, LinkMerged, LinkRejected, LinkImplied, LinkUnmerged}

// Valid reports whether s is a known status.
func (s LinkStatus) Valid() bool {
	for _, x := range LinkStatuses {
		if s == x {
			return true
		}
	}
	return false
}

// FieldWeight is what one compared field contributed to a pair's match
// weight: the agreement level's label and its weight in bits (positive for
// evidence of a match). It never holds the records' values.
type FieldWeight struct {
	Field  string  `json:"field"`
	Level  string  `json:"level"`
	Weight float64 `json:"weight"`
	// TermFrequency is the share of records with the agreeing value when
	// the weight was adjusted for how common it is ("Kim"), else 0.
	TermFrequency float64 `json:"tf,omitempty"`
}

// LinkCandidate is a pair of person records the linkage engine proposes as
// one person. PersonA sorts before PersonB. The explanation is sealed at
// rest like a person's fields, since it tells how two people's records
// compare.
type LinkCandidate struct {
	ID          int64         `json:"id"`
	PersonA     string        `json:"person_a"`
	PersonB     string        `json:"person_b"`
	Probability float64       `json:"probability"`
	Weight      float64       `json:"weight"` // match weight in bits, prior included
	Prior       float64       `json:"prior"`  // the prior's part of Weight
	Explanation []FieldWeight `json:"explanation,omitempty"`
	Status      LinkStatus    `json:"status"`
	IdentityID  int64         `json:"identity,omitempty"` // the identity a merge put the pair into
	Created     time.Time     `json:"created"`
	Updated     time.Time     `json:"updated"`
	Decided     time.Time     `json:"decided,omitzero"`
	DecidedBy   string        `json:"decided_by,omitempty"`
}

// LinkCandidateFilter selects candidate pairs. Zero fields do not filter.
type LinkCandidateFilter struct {
	Status         LinkStatus
	PersonID       string // pairs with this person on either side
	MinProbability float64
	Offset         int
	Limit          int // 0 means 100
}

// Identity is one person as reviewers established them: the person
// records that a merge linked. The records stay as they are.
type Identity struct {
	ID        int64     `json:"id"`
	Members   []string  `json:"members"` // person ids, sorted; empty once dissolved
	Created   time.Time `json:"created"`
	CreatedBy string    `json:"created_by"`
	// Dissolved is set when the identity was unmerged, or merged into
	// another (then MergedInto names it).
	Dissolved   time.Time `json:"dissolved,omitzero"`
	DissolvedBy string    `json:"dissolved_by,omitempty"`
	MergedInto  int64     `json:"merged_into,omitempty"`
}

// Active reports whether the identity still links records.
func (i *Identity) Active() bool { return i.Dissolved.IsZero() }

// LinkLabel is one reviewer decision about a pair of person records, as
// the linkage engine learns from it. Later labels of a pair supersede
// earlier ones.
type LinkLabel struct {
	PersonA     string    `json:"person_a"`
	PersonB     string    `json:"person_b"`
	Match       bool      `json:"match"`
	CandidateID int64     `json:"candidate,omitempty"`
	At          time.Time `json:"at"`
	By          string    `json:"by"`
}

// LinkageRecord is a person as the linkage engine compares them: the
// person, the organisations whose sources document them, and their
// repatriation — the handover (stage S5) when recorded, else their
// earliest dated event.
type LinkageRecord struct {
	Person        *Person
	Organisations []string
	EventDate     approx.Date
	EventPlaceID  string
}
