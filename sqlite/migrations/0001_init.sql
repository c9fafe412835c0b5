-- tumen schema 1 for SQLite. Columns ending in _enc hold XChaCha20-Poly1305
-- ciphertexts bound to their table, record and field; nothing else holds
-- personal data. Foreign keys are deferred so an import may name a record
-- before the record itself arrives. Tables keyed by text ids whose rows
-- are small next to a 16 KiB page are WITHOUT ROWID: one b-tree, not two.

CREATE TABLE keyring (
    id       INTEGER PRIMARY KEY CHECK (id = 1),
    envelope BLOB NOT NULL
);

CREATE TABLE terms (
    vocab    TEXT NOT NULL,
    code     TEXT NOT NULL,
    label_en TEXT NOT NULL,
    label_ko TEXT NOT NULL,
    extra    TEXT NOT NULL DEFAULT '{}',
    PRIMARY KEY (vocab, code)
) WITHOUT ROWID;

CREATE TABLE places (
    id        TEXT PRIMARY KEY,
    parent_id TEXT REFERENCES places (id) DEFERRABLE INITIALLY DEFERRED,
    country   TEXT NOT NULL DEFAULT '',
    data      TEXT NOT NULL
);

CREATE TABLE organisations (
    id        TEXT PRIMARY KEY,
    parent_id TEXT REFERENCES organisations (id) DEFERRABLE INITIALLY DEFERRED,
    data      TEXT NOT NULL
);

CREATE TABLE persons (
    id              TEXT PRIMARY KEY,
    sex             TEXT NOT NULL DEFAULT '',
    confidentiality INTEGER NOT NULL DEFAULT 0,
    created         INTEGER NOT NULL,
    updated         INTEGER NOT NULL,
    names_enc       BLOB,
    birth_enc       BLOB,
    origin_enc      BLOB,
    relatives_enc   BLOB,
    contacts_enc    BLOB,
    notes_enc       BLOB
) WITHOUT ROWID;

-- Keyed blind indexes of normalised names: equality lookups without
-- plaintext.
CREATE TABLE name_index (
    key       BLOB NOT NULL,
    person_id TEXT NOT NULL REFERENCES persons (id) DEFERRABLE INITIALLY DEFERRED,
    PRIMARY KEY (key, person_id)
) WITHOUT ROWID;

CREATE TABLE events (
    id              TEXT PRIMARY KEY,
    parent_id       TEXT REFERENCES events (id) DEFERRABLE INITIALLY DEFERRED,
    place_id        TEXT REFERENCES places (id) DEFERRABLE INITIALLY DEFERRED,
    stage           TEXT NOT NULL DEFAULT '',
    date_text       TEXT NOT NULL DEFAULT '',
    date_lo         INTEGER NOT NULL DEFAULT 0,
    date_hi         INTEGER NOT NULL DEFAULT 0,
    confidentiality INTEGER NOT NULL DEFAULT 0,
    created         INTEGER NOT NULL,
    title_enc       BLOB,
    place_text_enc  BLOB,
    narrative_enc   BLOB
) WITHOUT ROWID;
-- Most events (every imported list row) have no parent: index only chains.
CREATE INDEX events_parent ON events (parent_id) WHERE parent_id IS NOT NULL;

CREATE TABLE acts (
    id        TEXT PRIMARY KEY,
    event_id  TEXT NOT NULL REFERENCES events (id) DEFERRABLE INITIALLY DEFERRED,
    victim_id TEXT NOT NULL REFERENCES persons (id) DEFERRABLE INITIALLY DEFERRED,
    type      TEXT NOT NULL,
    created   INTEGER NOT NULL,
    perpetrators TEXT NOT NULL DEFAULT '[]',
    note_enc  BLOB
) WITHOUT ROWID;
CREATE INDEX acts_victim ON acts (victim_id);
CREATE INDEX acts_event ON acts (event_id);

CREATE TABLE sources (
    id              TEXT PRIMARY KEY,
    kind            TEXT NOT NULL,
    organisation    TEXT NOT NULL DEFAULT '',
    reliability     TEXT NOT NULL DEFAULT '',
    date_text       TEXT NOT NULL DEFAULT '',
    date_lo         INTEGER NOT NULL DEFAULT 0,
    date_hi         INTEGER NOT NULL DEFAULT 0,
    confidentiality INTEGER NOT NULL DEFAULT 0,
    created         INTEGER NOT NULL,
    title_enc       BLOB,
    given_by_enc    BLOB,
    text_enc        BLOB,
    -- What the source supports, as JSON [{"kind": …, "id": …}]; the
    -- reverse lookup is source_links.
    supports        TEXT NOT NULL DEFAULT '[]'
) WITHOUT ROWID;

-- Which sources support a record: one b-tree keyed for that lookup.
CREATE TABLE source_links (
    kind      TEXT NOT NULL,
    target_id TEXT NOT NULL,
    source_id TEXT NOT NULL REFERENCES sources (id) DEFERRABLE INITIALLY DEFERRED,
    PRIMARY KEY (kind, target_id, source_id)
) WITHOUT ROWID;

CREATE TABLE consents (
    id          TEXT PRIMARY KEY,
    source_id   TEXT NOT NULL REFERENCES sources (id) DEFERRABLE INITIALLY DEFERRED,
    use         TEXT NOT NULL,
    partner     TEXT NOT NULL DEFAULT '',
    given       INTEGER NOT NULL,
    revoked     INTEGER NOT NULL DEFAULT 0,
    recorded_by TEXT NOT NULL DEFAULT '',
    details_enc BLOB
) WITHOUT ROWID;
CREATE INDEX consents_source ON consents (source_id);

CREATE TABLE interventions (
    id              TEXT PRIMARY KEY,
    victim_id       TEXT NOT NULL REFERENCES persons (id) DEFERRABLE INITIALLY DEFERRED,
    kind            TEXT NOT NULL,
    addressee       TEXT NOT NULL DEFAULT '',
    date_text       TEXT NOT NULL DEFAULT '',
    reference       TEXT NOT NULL DEFAULT '',
    document_hash   TEXT NOT NULL DEFAULT '',
    response_date   TEXT NOT NULL DEFAULT '',
    follow_up       TEXT NOT NULL DEFAULT '',
    outcome         TEXT NOT NULL DEFAULT '',
    created         INTEGER NOT NULL,
    response_enc    BLOB,
    note_enc        BLOB
);
CREATE INDEX interventions_victim ON interventions (victim_id);

CREATE TABLE attachments (
    id        TEXT PRIMARY KEY,
    source_id TEXT NOT NULL REFERENCES sources (id) DEFERRABLE INITIALLY DEFERRED,
    size      INTEGER NOT NULL,
    created   INTEGER NOT NULL,
    meta_enc  BLOB NOT NULL,
    data_enc  BLOB NOT NULL
);
CREATE INDEX attachments_source ON attachments (source_id);

CREATE TABLE users (
    id            TEXT PRIMARY KEY,
    name          TEXT NOT NULL UNIQUE,
    role          TEXT NOT NULL,
    clearance     INTEGER NOT NULL,
    password_hash TEXT NOT NULL,
    created       INTEGER NOT NULL,
    disabled      INTEGER NOT NULL DEFAULT 0
);

-- The audit log is append-only: each entry's hash is a keyed MAC over the
-- entry and the hash before it. audit_head holds the newest, and is the row
-- that serialises appends.
CREATE TABLE audit (
    seq    INTEGER PRIMARY KEY,
    at     INTEGER NOT NULL,
    actor  TEXT NOT NULL,
    action TEXT NOT NULL,
    kind   TEXT NOT NULL,
    target TEXT NOT NULL DEFAULT '',
    detail TEXT NOT NULL DEFAULT '',
    prev   TEXT NOT NULL,
    hash   TEXT NOT NULL
);
CREATE TABLE audit_head (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    seq  INTEGER NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '');
