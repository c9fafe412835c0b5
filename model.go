// Package tumen holds the domain of the tumen documentation system: the
// events model of persons, events, acts and sources (after the HURIDOCS
// Events Standard Formats), consents, interventions and attachments, and the
// Store contract that the database packages implement. It imports only the
// standard library and the approx package for approximate dates.
package tumen

import (
	"time"

	"tumen/approx"
)

// Level is a record's confidentiality level. A user sees a record only with
// a clearance at or above its level.
type Level uint8

// Confidentiality levels, from least to most restricted.
const (
	Public       Level = iota // may be published
	Internal                  // staff of the organisation
	Confidential              // staff cleared for identities
	Secret                    // named staff only
)

var levelNames = [...]string{"public", "internal", "confidential", "secret"}

// String returns the level's name.
func (l Level) String() string {
	if int(l) < len(levelNames) {
		return levelNames[l]
	}
	return "unknown"
}

// ParseLevel parses a level name.
func ParseLevel(s string) (Level, error) {
	for i, n := range levelNames {
		if n == s {
			return Level(i), nil
		}
	}
	return 0, Errorf(KindInvalid, "unknown confidentiality level %q (want public, internal, confidential or secret)", s)
}

// MarshalText implements encoding.TextMarshaler.
func (l Level) MarshalText() ([]byte, error) { return []byte(l.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (l *Level) UnmarshalText(b []byte) error {
	v, err := ParseLevel(string(b))
	if err != nil {
		return err
	}
	*l = v
	return nil
}

// NameSystem tells how a name is written.
type NameSystem string

// The name systems. A name whose system is not known is NameUnknown.
const (
	NameUnknown     NameSystem = ""
	NameHangulSouth NameSystem = "hangul-south" // South Korean spelling: 이영호
	NameHangulNorth NameSystem = "hangul-north" // North Korean spelling: 리영호
	NameRR          NameSystem = "rr"           // Revised Romanization: Lee Yeongho / I Yeong-ho
	NameMR          NameSystem = "mr"           // McCune–Reischauer: Yi Yŏng-ho
	NameRoman       NameSystem = "roman"        // romanized, system unknown or practical (Lee Young-ho)
	NameHanja       NameSystem = "hanja"        // 李英浩
	NameChinese     NameSystem = "chinese"      // a Chinese rendering in characters
	NamePinyin      NameSystem = "pinyin"       // Li Yinghao
	NameAlias       NameSystem = "alias"        // an alias or nickname, any script
)

// NameSystems lists every known name system.
var NameSystems = []NameSystem{NameUnknown, NameHangulSouth, NameHangulNorth, NameRR, NameMR, NameRoman, NameHanja, NameChinese, NamePinyin, NameAlias}

// Valid reports whether s is a known name system.
func (s NameSystem) Valid() bool {
	for _, k := range NameSystems {
		if s == k {
			return true
		}
	}
	return false
}

// Name is one name of a person, as written in one script or system.
// Family and Given are set when the parts are known; Full always is.
type Name struct {
	Full   string     `json:"full"`
	Family string     `json:"family,omitempty"`
	Given  string     `json:"given,omitempty"`
	System NameSystem `json:"system,omitempty"`
	Note   string     `json:"note,omitempty"`
}

// Sex is a person's recorded sex: "f", "m", or "" when unknown.
type Sex string

// The recorded sexes.
const (
	SexUnknown Sex = ""
	SexFemale  Sex = "f"
	SexMale    Sex = "m"
)

// ParseSex accepts f/m/female/male/여/남/여성/남성 and empty or "unknown".
func ParseSex(s string) (Sex, error) {
	switch s {
	case "", "unknown", "u", "?", "미상":
		return SexUnknown, nil
	case "f", "F", "female", "Female", "FEMALE", "woman", "여", "여성", "女":
		return SexFemale, nil
	case "m", "M", "male", "Male", "MALE", "man", "남", "남성", "男":
		return SexMale, nil
	}
	return "", Errorf(KindInvalid, "unknown sex %q (want f, m or empty)", s)
}

// Relative is a relative of a person. Whether they are still inside North
// Korea is the most dangerous fact in the database; it is always encrypted.
type Relative struct {
	Name     string `json:"name,omitempty"`
	Relation string `json:"relation"`            // mother, father, sister, son, spouse, …
	InNK     string `json:"in_nk,omitempty"`     // "yes", "no" or "" when unknown
	PersonID string `json:"person_id,omitempty"` // when the relative is a recorded person
	Note     string `json:"note,omitempty"`
}

// Contact is a way to reach a person.
type Contact struct {
	Kind  string `json:"kind"` // phone, email, address, messenger, …
	Value string `json:"value"`
}

// Person is a victim, witness, relative, perpetrator or source.
// Every field but ID, Sex, Confidentiality and the timestamps is encrypted at rest.
type Person struct {
	ID              string      `json:"id"`
	Names           []Name      `json:"names"`
	BirthDate       approx.Date `json:"birth_date"`
	Sex             Sex         `json:"sex,omitempty"`
	Origin          string      `json:"origin,omitempty"`     // home county as given
	HomePlaceID     string      `json:"home_place,omitempty"` // gazetteer place, when known
	Relatives       []Relative  `json:"relatives,omitempty"`
	Contacts        []Contact   `json:"contacts,omitempty"`
	Notes           string      `json:"notes,omitempty"`
	Confidentiality Level       `json:"confidentiality"`
	Created         time.Time   `json:"created"`
	Updated         time.Time   `json:"updated"`
}

// DisplayName returns the person's first name, or their id when they have none.
func (p *Person) DisplayName() string {
	if len(p.Names) > 0 && p.Names[0].Full != "" {
		return p.Names[0].Full
	}
	return p.ID
}

// Organisation is an agency or unit, with the years its name was valid.
type Organisation struct {
	ID        string `json:"id"`
	NameEN    string `json:"name_en"`
	NameKO    string `json:"name_ko,omitempty"`
	NameZH    string `json:"name_zh,omitempty"`
	Country   string `json:"country,omitempty"` // ISO 3166 alpha-2: KP, CN, KR
	ParentID  string `json:"parent,omitempty"`
	ValidFrom int    `json:"valid_from,omitempty"` // year, 0 when unknown
	ValidTo   int    `json:"valid_to,omitempty"`   // year, 0 when still valid or unknown
	Note      string `json:"note,omitempty"`
}

// Place is an entry of the gazetteer: a settlement, crossing or facility.
type Place struct {
	ID           string   `json:"id"`
	NameEN       string   `json:"name_en"`
	NameKO       string   `json:"name_ko,omitempty"`
	NameZH       string   `json:"name_zh,omitempty"`
	Variants     []string `json:"variants,omitempty"`
	Kinds        []string `json:"kinds,omitempty"` // city, crossing, jipkyulso, …
	Country      string   `json:"country,omitempty"`
	Province     string   `json:"province,omitempty"`
	ParentID     string   `json:"parent,omitempty"`
	Lat          *float64 `json:"lat,omitempty"`
	Lon          *float64 `json:"lon,omitempty"`
	CoordBasis   string   `json:"coord_basis,omitempty"`   // how precise the coordinate is
	CrossingPair string   `json:"crossing_pair,omitempty"` // the place across the river
	FacilityType string   `json:"facility_type,omitempty"`
	AgencyID     string   `json:"agency,omitempty"` // operating agency of a facility
	Note         string   `json:"note,omitempty"`
}

// Term is one entry of a controlled vocabulary.
type Term struct {
	Vocab   string            `json:"vocab"` // act-type, stage, facility-type, reliability, involvement, …
	Code    string            `json:"code"`
	LabelEN string            `json:"label_en"`
	LabelKO string            `json:"label_ko"`
	Extra   map[string]string `json:"extra,omitempty"`
}

// The vocabularies every store has.
const (
	VocabActType      = "act-type"
	VocabStage        = "stage"
	VocabFacilityType = "facility-type"
	VocabReliability  = "reliability"
	VocabInvolvement  = "involvement"
	VocabSourceKind   = "source-kind"
	VocabConsentUse   = "consent-use"
	VocabRelation     = "relation"
	VocabIntervention = "intervention-kind"
)

// Event is something that happened, with an approximate date, a place and
// a parent event, so a repatriation is a chain of events.
type Event struct {
	ID              string      `json:"id"`
	Title           string      `json:"title,omitempty"` // encrypted
	Date            approx.Date `json:"date"`
	PlaceID         string      `json:"place,omitempty"`
	PlaceText       string      `json:"place_text,omitempty"` // as given, encrypted
	ParentID        string      `json:"parent,omitempty"`
	Stage           string      `json:"stage,omitempty"` // S0–S9
	Narrative       string      `json:"narrative,omitempty"`
	Confidentiality Level       `json:"confidentiality"`
	Created         time.Time   `json:"created"`
}

// Involvement is one perpetrator's part in an act.
type Involvement struct {
	PersonID       string `json:"person,omitempty"`
	OrganisationID string `json:"organisation,omitempty"`
	Degree         string `json:"degree"` // from the involvement vocabulary
}

// Act is one violation against one victim in one event.
type Act struct {
	ID           string        `json:"id"`
	EventID      string        `json:"event"`
	VictimID     string        `json:"victim"`
	Type         string        `json:"type"` // from the act-type vocabulary
	Perpetrators []Involvement `json:"perpetrators,omitempty"`
	Note         string        `json:"note,omitempty"` // encrypted
	Created      time.Time     `json:"created"`
}

// The kinds of record a source can support.
const (
	RecordPerson = "person"
	RecordEvent  = "event"
	RecordAct    = "act"
)

// Link names a record a source supports.
type Link struct {
	Kind string `json:"kind"` // person, event, act
	ID   string `json:"id"`
}

// Source is a piece of information: a testimony, document, news article or
// partner list, who gave it, its reliability and which facts it supports.
type Source struct {
	ID              string      `json:"id"`
	Kind            string      `json:"kind"`                   // from the source-kind vocabulary
	Organisation    string      `json:"organisation,omitempty"` // who documented it (NKDB, TJWG, …)
	Title           string      `json:"title,omitempty"`        // encrypted
	GivenBy         string      `json:"given_by,omitempty"`     // informant person id, encrypted
	Reliability     string      `json:"reliability,omitempty"`
	Date            approx.Date `json:"date"`
	Text            string      `json:"text,omitempty"` // the testimony or document text, encrypted
	Supports        []Link      `json:"supports,omitempty"`
	Confidentiality Level       `json:"confidentiality"`
	Created         time.Time   `json:"created"`
}

// Consent uses: what the person who gave information allows.
const (
	UseInternal     = "internal"     // internal documentation
	UsePartner      = "partner"      // sharing with a named partner
	UseUNNamed      = "un-named"     // submission to UN mechanisms with names
	UseUNAnonymous  = "un-anonymous" // submission to UN mechanisms without names
	UsePublishAnon  = "publish-anonymous"
	UsePublishNamed = "publish-named"
)

// Consent records what a source's giver allows for one use. It is dated and
// revocable; Revoked is the zero time while it stands.
type Consent struct {
	ID         string    `json:"id"`
	SourceID   string    `json:"source"`
	Use        string    `json:"use"`
	Partner    string    `json:"partner,omitempty"` // for UsePartner
	Given      time.Time `json:"given"`
	Revoked    time.Time `json:"revoked,omitzero"`
	RecordedBy string    `json:"recorded_by,omitempty"`
	Details    string    `json:"details,omitempty"` // encrypted
}

// Active reports whether the consent stands at t.
func (c *Consent) Active(t time.Time) bool {
	return !c.Given.After(t) && (c.Revoked.IsZero() || c.Revoked.After(t))
}

// Intervention is an appeal, letter or submission made on behalf of a victim.
type Intervention struct {
	ID           string      `json:"id"`
	VictimID     string      `json:"victim"`
	Kind         string      `json:"kind"` // from the intervention-kind vocabulary
	To           string      `json:"to"`   // addressee or mechanism
	Date         approx.Date `json:"date"`
	Reference    string      `json:"reference,omitempty"`
	DocumentHash string      `json:"document_sha256,omitempty"`
	Response     string      `json:"response,omitempty"` // encrypted
	ResponseDate approx.Date `json:"response_date"`
	FollowUp     approx.Date `json:"follow_up"`
	Outcome      string      `json:"outcome,omitempty"`
	Note         string      `json:"note,omitempty"` // encrypted
	Created      time.Time   `json:"created"`
}

// Attachment is an evidence file. Data is the original bytes, kept
// unaltered; SHA256 is their hash taken at ingest. Everything but the size is
// encrypted at rest.
type Attachment struct {
	ID        string    `json:"id"`
	SourceID  string    `json:"source"`
	Filename  string    `json:"filename"`
	MediaType string    `json:"media_type,omitempty"`
	Size      int64     `json:"size"`
	SHA256    string    `json:"sha256"`
	Data      []byte    `json:"data,omitempty"`
	Created   time.Time `json:"created"`
}

// Role is what an account may do.
type Role string

// The roles.
const (
	RoleAdmin      Role = "admin"
	RoleDocumenter Role = "documenter"
	RoleAnalyst    Role = "analyst"
	RoleViewer     Role = "viewer"
)

// Roles lists every role, from most to least powerful.
var Roles = []Role{RoleAdmin, RoleDocumenter, RoleAnalyst, RoleViewer}

// Valid reports whether r is a known role.
func (r Role) Valid() bool {
	for _, k := range Roles {
		if r == k {
			return true
		}
	}
	return false
}

// User is an account.
type User struct {
	ID           string    `json:"id"`
	Name         string    `json:"name"`
	Role         Role      `json:"role"`
	Clearance    Level     `json:"clearance"`
	PasswordHash string    `json:"-"`
	Created      time.Time `json:"created"`
	Disabled     bool      `json:"disabled,omitempty"`
	TOTPEnabled  bool      `json:"totp_enabled"`
	FailedLogins int       `json:"failed_logins,omitempty"`
	LockedUntil  time.Time `json:"locked_until,omitzero"`
}

// Session is a logged-in browser. Stage is "password" between the password
// and the second factor, and "full" after both.
type Session struct {
	UserID   string
	CSRF     string
	Stage    string
	Created  time.Time
	Expires  time.Time
	LastSeen time.Time
}

// The stages of a session.
const (
	StagePassword = "password"
	StageFull     = "full"
)

// AuditEntry is one entry of the append-only, hash-chained audit log.
type AuditEntry struct {
	Seq    int64     `json:"seq"`
	At     time.Time `json:"at"`
	Actor  string    `json:"actor"`
	Action string    `json:"action"` // read, create, update, import, export, login, …
	Kind   string    `json:"kind"`   // person, source, attachment, store, …
	Target string    `json:"target,omitempty"`
	Detail string    `json:"detail,omitempty"`
	Prev   string    `json:"prev"`
	Hash   string    `json:"hash"`
}
