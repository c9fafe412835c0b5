-- Urgent response: custody status with history, the facts a risk rubric
-- weighs, flagged dates, the border's state, rubric versions, refugee
-- status assessments, and when each user last looked at the board.
-- Free text, and the risk facts' codes, are sealed like every other
-- personal field.
CREATE TABLE custody_changes (
    id          TEXT PRIMARY KEY,
    person_id   TEXT NOT NULL REFERENCES persons (id) DEFERRABLE INITIALLY DEFERRED,
    status      TEXT NOT NULL,
    date_text   TEXT NOT NULL DEFAULT '',
    date_lo     BIGINT NOT NULL DEFAULT 0,
    date_hi     BIGINT NOT NULL DEFAULT 0,
    place_id    TEXT NOT NULL DEFAULT '',
    source_id   TEXT NOT NULL DEFAULT '',
    recorded_by TEXT NOT NULL DEFAULT '',
    created     BIGINT NOT NULL,
    note_enc    BYTEA
);
CREATE INDEX custody_changes_person ON custody_changes (person_id);

CREATE TABLE risk_facts (
    id          TEXT PRIMARY KEY,
    person_id   TEXT NOT NULL REFERENCES persons (id) DEFERRABLE INITIALLY DEFERRED,
    date_text   TEXT NOT NULL DEFAULT '',
    source_id   TEXT NOT NULL DEFAULT '',
    recorded_by TEXT NOT NULL DEFAULT '',
    created     BIGINT NOT NULL,
    withdrawn   BIGINT NOT NULL DEFAULT 0,
    code_enc    BYTEA NOT NULL,
    note_enc    BYTEA
);
CREATE INDEX risk_facts_person ON risk_facts (person_id);

CREATE TABLE watch_dates (
    id         TEXT PRIMARY KEY,
    date_text  TEXT NOT NULL,
    label      TEXT NOT NULL,
    created_by TEXT NOT NULL DEFAULT '',
    created    BIGINT NOT NULL
);

CREATE TABLE border_states (
    seq         BIGINT PRIMARY KEY,
    is_open     BIGINT NOT NULL,
    since_text  TEXT NOT NULL DEFAULT '',
    note        TEXT NOT NULL DEFAULT '',
    recorded_by TEXT NOT NULL DEFAULT '',
    created     BIGINT NOT NULL
);

CREATE TABLE risk_rubrics (
    version    BIGINT PRIMARY KEY,
    body       TEXT NOT NULL,
    note       TEXT NOT NULL DEFAULT '',
    created_by TEXT NOT NULL DEFAULT '',
    created    BIGINT NOT NULL
);

CREATE TABLE assessments (
    id        TEXT PRIMARY KEY,
    person_id TEXT NOT NULL REFERENCES persons (id) DEFERRABLE INITIALLY DEFERRED,
    assessor  TEXT NOT NULL,
    assessed  BIGINT NOT NULL,
    created   BIGINT NOT NULL,
    body_enc  BYTEA NOT NULL
);
CREATE INDEX assessments_person ON assessments (person_id);

CREATE TABLE board_views (
    actor TEXT PRIMARY KEY,
    seen  BIGINT NOT NULL
);
