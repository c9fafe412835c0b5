-- tumen schema 2 for SQLite: record linkage. The linkage engine proposes
-- pairs of person records as one person (link_candidates); a reviewer
-- merges or rejects each. A merge never changes a person: it links the
-- records through an identity, and unmerging dissolves the identity. Every
-- decision is kept in link_labels, which the engine learns from. The
-- explanation of a pair (which fields agreed, by how much) is sealed like
-- a person's fields; ids, scores and statuses stay in the clear for the
-- queue.

CREATE TABLE link_candidates (
    id              INTEGER PRIMARY KEY,
    person_a        TEXT NOT NULL REFERENCES persons (id) DEFERRABLE INITIALLY DEFERRED,
    person_b        TEXT NOT NULL REFERENCES persons (id) DEFERRABLE INITIALLY DEFERRED,
    probability     REAL NOT NULL,
    weight          REAL NOT NULL,
    prior           REAL NOT NULL,
    status          TEXT NOT NULL DEFAULT 'pending',
    identity_id     INTEGER NOT NULL DEFAULT 0,
    created         INTEGER NOT NULL,
    updated         INTEGER NOT NULL,
    decided         INTEGER NOT NULL DEFAULT 0,
    decided_by      TEXT NOT NULL DEFAULT '',
    explanation_enc BLOB,
    UNIQUE (person_a, person_b)
);
-- The review queue: pending pairs, likeliest first.
CREATE INDEX link_candidates_queue ON link_candidates (status, probability);
-- Pairs of a person (person_a is the unique index's prefix).
CREATE INDEX link_candidates_b ON link_candidates (person_b);
CREATE INDEX link_candidates_identity ON link_candidates (identity_id) WHERE identity_id <> 0;

CREATE TABLE identities (
    id           INTEGER PRIMARY KEY,
    created      INTEGER NOT NULL,
    created_by   TEXT NOT NULL,
    dissolved    INTEGER NOT NULL DEFAULT 0,
    dissolved_by TEXT NOT NULL DEFAULT '',
    merged_into  INTEGER NOT NULL DEFAULT 0
);

-- A person belongs to at most one active identity.
CREATE TABLE identity_members (
    person_id   TEXT PRIMARY KEY REFERENCES persons (id) DEFERRABLE INITIALLY DEFERRED,
    identity_id INTEGER NOT NULL REFERENCES identities (id) DEFERRABLE INITIALLY DEFERRED
) WITHOUT ROWID;
CREATE INDEX identity_members_identity ON identity_members (identity_id);

-- Every review decision, append-only; the newest label of a pair counts.
CREATE TABLE link_labels (
    seq          INTEGER PRIMARY KEY,
    person_a     TEXT NOT NULL,
    person_b     TEXT NOT NULL,
    is_match     INTEGER NOT NULL,
    candidate_id INTEGER NOT NULL DEFAULT 0,
    at           INTEGER NOT NULL,
    actor        TEXT NOT NULL
);
CREATE INDEX link_labels_pair ON link_labels (person_a, person_b);
