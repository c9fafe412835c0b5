package web

import (
	"tumen"
)

// Perm is one thing a role may do.
type Perm int

// The permissions. The table in docs/roles.md is generated from rolePerms
// by a test, so the documentation cannot drift from the code.
const (
	PermRead     Perm = iota // see records: dates, places, stages, acts, counts
	PermIdentity             // see identities: names, birth dates, contacts, testimony text (within clearance)
	PermWrite                // create and edit persons, events, acts, sources, attachments
	PermExport               // export and share records (consent-gated)
	PermAdmin                // manage users and tokens, read the audit log
	PermReview               // review proposed duplicates: merge, reject, unmerge
	PermAppeal               // prepare and record UN submissions (consent-gated)
)

var permNames = map[Perm]string{PermRead: "read records", PermIdentity: "see identities", PermWrite: "record and edit",
	PermExport: "export and share", PermAdmin: "manage users, read the audit log", PermReview: "review and merge duplicates",
	PermAppeal: "prepare and record UN submissions"}

// rolePerms is the whole access policy by role.
var rolePerms = map[tumen.Role][]Perm{
	tumen.RoleAdmin:      {PermRead, PermIdentity, PermWrite, PermExport, PermAdmin, PermReview, PermAppeal},
	tumen.RoleDocumenter: {PermRead, PermIdentity, PermWrite, PermReview, PermAppeal},
	tumen.RoleAnalyst:    {PermRead, PermIdentity, PermExport, PermReview, PermAppeal},
	tumen.RoleViewer:     {PermRead},
}

// can reports whether u may do p. A disabled account may do nothing.
func can(u *tumen.User, p Perm) bool {
	if u == nil || u.Disabled {
		return false
	}
	for _, q := range rolePerms[u.Role] {
		if q == p {
			return true
		}
	}
	return false
}

// needsTwoFactor reports whether a role sees identities, and so must log
// in with a second factor.
func needsTwoFactor(r tumen.Role) bool {
	for _, p := range rolePerms[r] {
		if p == PermIdentity {
			return true
		}
	}
	return false
}

// Field sensitivities: the clearance a user needs to see each kind of
// field, besides PermIdentity for identifying ones.
const (
	// Identifying fields: names, birth dates, origin, contacts, notes,
	// narratives, testimony text, titles, informants, file names.
	SensIdentity = tumen.Confidential
	// Relatives, and whether they are still in North Korea: the most
	// dangerous fact in the database.
	SensRelatives = tumen.Secret
)

// mayView reports whether u may see a record of the given level at all.
// A record above the user's clearance does not exist for them: the answer
// is 404, so its id does not even confirm that it exists.
func mayView(u *tumen.User, level tumen.Level) bool {
	return can(u, PermRead) && level <= u.Clearance
}

// seesIdentity reports whether u sees identifying fields.
func seesIdentity(u *tumen.User) bool {
	return can(u, PermIdentity) && u.Clearance >= SensIdentity
}

// Redacted marks a value a user may not see.
const Redacted = "[redacted]"

// redactPerson returns a copy of p with what u may not see replaced by
// the redaction mark, and the names of the redacted fields.
func redactPerson(u *tumen.User, p *tumen.Person) (*tumen.Person, []string) {
	c := *p
	var red []string
	if !seesIdentity(u) {
		c.Names = make([]tumen.Name, len(p.Names))
		for i, n := range p.Names {
			c.Names[i] = tumen.Name{Full: Redacted, System: n.System}
		}
		c.BirthDate = redactedDate
		c.Origin, c.HomePlaceID, c.Notes, c.Contacts = "", "", "", nil
		red = append(red, "names", "birth_date", "origin", "contacts", "notes")
	}
	if !seesIdentity(u) || u.Clearance < SensRelatives {
		if len(p.Relatives) > 0 {
			c.Relatives = nil
			red = append(red, "relatives")
		}
	}
	return &c, red
}

// redactEvent blanks an event's identifying text for users who may not
// see identities; dates, places and stages stay.
func redactEvent(u *tumen.User, e *tumen.Event) *tumen.Event {
	if seesIdentity(u) {
		return e
	}
	c := *e
	if c.Title != "" {
		c.Title = Redacted
	}
	if c.Narrative != "" {
		c.Narrative = Redacted
	}
	if c.PlaceText != "" {
		c.PlaceText = Redacted
	}
	return &c
}

// redactSource blanks a source's text, title and informant.
func redactSource(u *tumen.User, s *tumen.Source) *tumen.Source {
	if seesIdentity(u) {
		return s
	}
	c := *s
	for _, f := range []*string{&c.Title, &c.Text, &c.GivenBy} {
		if *f != "" {
			*f = Redacted
		}
	}
	return &c
}
