-- Accounts for the web application: second factor, lockout, sessions and
-- API tokens. Tokens and session ids are stored only as SHA-256 hashes;
-- TOTP secrets are sealed like every other secret.
ALTER TABLE users ADD COLUMN totp_enc BYTEA;
ALTER TABLE users ADD COLUMN totp_enabled BIGINT NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN totp_step BIGINT NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN failed_logins BIGINT NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN locked_until BIGINT NOT NULL DEFAULT 0;

CREATE TABLE sessions (
    id_hash   BYTEA PRIMARY KEY,
    user_id   TEXT NOT NULL REFERENCES users (id),
    csrf      TEXT NOT NULL,
    stage     TEXT NOT NULL,
    created   BIGINT NOT NULL,
    expires   BIGINT NOT NULL,
    last_seen BIGINT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE api_tokens (
    id_hash BYTEA PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id),
    name    TEXT NOT NULL,
    created BIGINT NOT NULL,
    expires BIGINT NOT NULL,
    revoked BIGINT NOT NULL DEFAULT 0
);
