package tumen

import (
	"time"

	"tumen/approx"
)

// Urgent response: while a person is held in China, staff track their
// custody status, record the facts that raise the risk of their return,
// assess their refugee status and send appeals to UN mechanisms. The types
// here are what the store keeps of that work; the risk package scores
// cases and the appeal package writes the documents.

// CustodyStatus is where a person stands in custody. The codes are those
// of the custody-status vocabulary (vocab/data/custody_statuses.csv).
type CustodyStatus string

// The custody statuses, in the order a repatriation passes through them.
const (
	CustodyAtLiberty       CustodyStatus = "at-liberty-cn"    // at liberty in China
	CustodyArrested        CustodyStatus = "arrested"         // arrested in China
	CustodyDetained        CustodyStatus = "detained-cn"      // detained in China (PlaceID names the facility)
	CustodyBorderDetention CustodyStatus = "border-detention" // moved to a border detention centre
	CustodyHandedOver      CustodyStatus = "handed-over"      // handed over to North Korea
	CustodyNKCustody       CustodyStatus = "nk-custody"       // in North Korean custody (PlaceID says where)
	CustodyReleased        CustodyStatus = "released"
	CustodySentenced       CustodyStatus = "sentenced"
	CustodyDisappeared     CustodyStatus = "disappeared"
	CustodyDead            CustodyStatus = "dead"
	CustodySafe            CustodyStatus = "safe" // reached safety
)

// CustodyStatuses lists every custody status.
var CustodyStatuses = []CustodyStatus{
	CustodyAtLiberty, CustodyArrested, CustodyDetained, CustodyBorderDetention, CustodyHandedOver,
	CustodyNKCustody, CustodyReleased, CustodySentenced, CustodyDisappeared, CustodyDead, CustodySafe,
}

var custodyLabels = map[CustodyStatus][2]string{
	CustodyAtLiberty:       {"At liberty in China", "중국 내 자유 상태"},
	CustodyArrested:        {"Arrested in China", "중국에서 체포"},
	CustodyDetained:        {"Detained in China", "중국 구금시설 구금"},
	CustodyBorderDetention: {"In a border detention centre", "변방구류소 이송"},
	CustodyHandedOver:      {"Handed over to North Korea", "북한으로 인도"},
	CustodyNKCustody:       {"In North Korean custody", "북한 당국 구금"},
	CustodyReleased:        {"Released", "석방"},
	CustodySentenced:       {"Sentenced", "형 선고"},
	CustodyDisappeared:     {"Disappeared", "행방불명"},
	CustodyDead:            {"Dead", "사망"},
	CustodySafe:            {"Reached safety", "안전 지역 도착"},
}

// Valid reports whether s is a known status.
func (s CustodyStatus) Valid() bool {
	_, ok := custodyLabels[s]
	return ok
}

// Label returns the status's English label.
func (s CustodyStatus) Label() string { return custodyLabels[s][0] }

// LabelKO returns the status's Korean label.
func (s CustodyStatus) LabelKO() string { return custodyLabels[s][1] }

// InChina reports whether the status means the person is held in China:
// the time when an urgent appeal can still prevent the return.
func (s CustodyStatus) InChina() bool {
	return s == CustodyArrested || s == CustodyDetained || s == CustodyBorderDetention
}

// Open reports whether the case still needs watching: every status but
// dead and reached safety.
func (s CustodyStatus) Open() bool { return s.Valid() && s != CustodyDead && s != CustodySafe }

// ParseCustodyStatus parses a status code.
func ParseCustodyStatus(s string) (CustodyStatus, error) {
	if v := CustodyStatus(s); v.Valid() {
		return v, nil
	}
	return "", Errorf(KindInvalid, "unknown custody status %q (want one of at-liberty-cn, arrested, detained-cn, border-detention, handed-over, nk-custody, released, sentenced, disappeared, dead, safe)", s)
}

// CustodyChange is one dated, sourced change of a person's custody status.
// Changes are never edited: a correction is a later change. Note is
// encrypted at rest.
type CustodyChange struct {
	ID         string        `json:"id"`
	PersonID   string        `json:"person"`
	Status     CustodyStatus `json:"status"`
	Date       approx.Date   `json:"date"`
	PlaceID    string        `json:"place,omitempty"` // facility or place from the gazetteer
	SourceID   string        `json:"source,omitempty"`
	Note       string        `json:"note,omitempty"`
	RecordedBy string        `json:"recorded_by,omitempty"`
	Created    time.Time     `json:"created"`
}

// CustodyCase is a person's current custody status: their latest change
// (by date, then by when it was recorded) and how many changes there are.
type CustodyCase struct {
	PersonID string         `json:"person"`
	Latest   *CustodyChange `json:"latest"`
	Changes  int            `json:"changes"`
	// Updated is when the newest change of the person was recorded.
	Updated time.Time `json:"updated"`
}

// RiskFact is one fact about a person that a risk rubric weighs: intent
// to reach South Korea, a Chinese husband, pregnancy, an earlier
// repatriation, the end of a Chinese sentence (with its date). Code names
// a factor of the rubric. The code and the note are encrypted at rest:
// "pregnant" or "church contact" beside a person's id is itself dangerous.
// A fact is withdrawn, never deleted, when it turns out not to hold.
type RiskFact struct {
	ID         string      `json:"id"`
	PersonID   string      `json:"person"`
	Code       string      `json:"code"`
	Date       approx.Date `json:"date"` // when the fact held or, for a sentence, when it ends
	SourceID   string      `json:"source,omitempty"`
	Note       string      `json:"note,omitempty"`
	RecordedBy string      `json:"recorded_by,omitempty"`
	Created    time.Time   `json:"created"`
	Withdrawn  time.Time   `json:"withdrawn,omitzero"`
}

// Active reports whether the fact stands at t.
func (f *RiskFact) Active(t time.Time) bool {
	return !f.Created.After(t) && (f.Withdrawn.IsZero() || f.Withdrawn.After(t))
}

// WatchDate is a date staff flag because returns cluster around it: the
// end of a summit or a sporting event, a political anniversary. It
// concerns no one person.
type WatchDate struct {
	ID        string      `json:"id"`
	Date      approx.Date `json:"date"`
	Label     string      `json:"label"`
	CreatedBy string      `json:"created_by,omitempty"`
	Created   time.Time   `json:"created"`
}

// BorderState records whether the border is open to returns, as staff
// last judged it. The latest state is the one in force.
type BorderState struct {
	Open       bool        `json:"open"`
	Since      approx.Date `json:"since"`
	Note       string      `json:"note,omitempty"`
	RecordedBy string      `json:"recorded_by,omitempty"`
	Created    time.Time   `json:"created"`
}

// RubricVersion is one stored version of a risk rubric. Body is the
// rubric's JSON as the risk package reads it; versions are numbered from
// 1 and never replaced.
type RubricVersion struct {
	Version   int       `json:"version"`
	Body      []byte    `json:"body"`
	Note      string    `json:"note,omitempty"`
	CreatedBy string    `json:"created_by,omitempty"`
	Created   time.Time `json:"created"`
}

// The grounds of persecution of the 1951 Refugee Convention, art. 1A(2).
const (
	GroundRace        = "race"
	GroundReligion    = "religion"
	GroundNationality = "nationality"
	GroundSocialGroup = "social-group"
	GroundPolitical   = "political-opinion" // held or imputed
)

// ConventionGrounds lists the Convention grounds.
var ConventionGrounds = []string{GroundRace, GroundReligion, GroundNationality, GroundSocialGroup, GroundPolitical}

// AssessedFact is a fact an assessment relies on, with the sources that
// support it.
type AssessedFact struct {
	Text      string   `json:"text"`
	SourceIDs []string `json:"sources,omitempty"`
}

// Assessment is a refugee-status assessment of one person under the 1951
// Convention: each element with its reasoning, the sur place reasoning,
// the facts relied on, and the conclusion. Everything but the ids, the
// assessor and the dates is encrypted at rest. Assessments are kept: a
// new one supersedes, never overwrites, the last.
type Assessment struct {
	ID       string `json:"id"`
	PersonID string `json:"person"`
	// WellFoundedFear: the subjective fear and its objective basis.
	WellFoundedFear string `json:"well_founded_fear"`
	// Persecution: the serious harm feared on return.
	Persecution string `json:"persecution"`
	// Grounds are the Convention grounds found (ConventionGrounds);
	// GroundsReasoning explains the nexus.
	Grounds          []string `json:"grounds"`
	GroundsReasoning string   `json:"grounds_reasoning"`
	// StateProtection: why neither North Korea nor China protects.
	StateProtection string `json:"state_protection"`
	// SurPlace: why leaving and the stay abroad make the person a refugee
	// whatever their reason for leaving.
	SurPlace   string         `json:"sur_place"`
	Conclusion string         `json:"conclusion"`
	Facts      []AssessedFact `json:"facts"`
	Assessor   string         `json:"assessor"`
	Date       time.Time      `json:"date"`
	Created    time.Time      `json:"created"`
}
