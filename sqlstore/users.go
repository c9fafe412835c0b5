package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"tumen"
)

const userCols = `id, name, role, clearance, password_hash, created, disabled, totp_enabled, failed_logins, locked_until`

func scanUser(s scanner) (*tumen.User, error) {
	u := &tumen.User{}
	var role string
	var level int
	var created, disabled, totp, locked int64
	if err := s.Scan(&u.ID, &u.Name, &role, &level, &u.PasswordHash, &created, &disabled, &totp, &u.FailedLogins, &locked); err != nil {
		return nil, err
	}
	u.Role, u.Clearance, u.Created, u.Disabled, u.TOTPEnabled, u.LockedUntil = tumen.Role(role), tumen.Level(level), fromMS(created), disabled != 0, totp != 0, fromMS(locked)
	return u, nil
}

// CreateUser stores a new account. PasswordHash must already be set.
func (db *DB) CreateUser(ctx context.Context, u *tumen.User) error {
	if err := db.mustKeys(); err != nil {
		return err
	}
	if err := validID("user", u.ID); err != nil {
		return err
	}
	if u.Name == "" || u.PasswordHash == "" {
		return tumen.Errorf(tumen.KindInvalid, "a user needs a name and a password")
	}
	if len(u.Name) > 64 {
		return tumen.Errorf(tumen.KindInvalid, "a user name is at most 64 bytes")
	}
	if !u.Role.Valid() {
		return tumen.Errorf(tumen.KindInvalid, "unknown role %q", u.Role)
	}
	if u.Created.IsZero() {
		u.Created = db.Now().UTC()
	}
	return db.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, db.q(`INSERT INTO users (id, name, role, clearance, password_hash, created, disabled) VALUES (?, ?, ?, ?, ?, ?, ?)`),
			u.ID, u.Name, string(u.Role), int(u.Clearance), u.PasswordHash, ms(u.Created), boolInt(u.Disabled)); err != nil {
			return db.translate(err, "user", u.Name)
		}
		return db.audit(ctx, tx, "create", "user", u.ID, "role "+string(u.Role)+", clearance "+u.Clearance.String())
	})
}

// UserByName returns an account by its login name.
func (db *DB) UserByName(ctx context.Context, name string) (*tumen.User, error) {
	u, err := scanUser(db.queryRow(ctx, `SELECT `+userCols+` FROM users WHERE name = ?`, name))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, tumen.Errorf(tumen.KindNotFound, "no user %q", name)
	}
	return u, db.translate(err, "", "")
}

// User returns an account by id.
func (db *DB) User(ctx context.Context, id string) (*tumen.User, error) {
	u, err := scanUser(db.queryRow(ctx, `SELECT `+userCols+` FROM users WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, tumen.Errorf(tumen.KindNotFound, "no user %q", id)
	}
	return u, db.translate(err, "", "")
}

// Users lists every account.
func (db *DB) Users(ctx context.Context) ([]*tumen.User, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT `+userCols+` FROM users ORDER BY name`)
	if err != nil {
		return nil, db.translate(err, "", "")
	}
	defer rows.Close()
	var out []*tumen.User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// SetPermissions changes an account's role, clearance and whether it is
// disabled, and audits the change. Disabling an account ends its sessions.
func (db *DB) SetPermissions(ctx context.Context, id string, role tumen.Role, clearance tumen.Level, disabled bool) error {
	if err := db.mustKeys(); err != nil {
		return err
	}
	if !role.Valid() || clearance > tumen.Secret {
		return tumen.Errorf(tumen.KindInvalid, "unknown role or clearance")
	}
	return db.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, db.q(`UPDATE users SET role = ?, clearance = ?, disabled = ? WHERE id = ?`), string(role), int(clearance), boolInt(disabled), id)
		if err != nil {
			return db.translate(err, "", "")
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return tumen.Errorf(tumen.KindNotFound, "no user %q", id)
		}
		if disabled {
			if _, err := tx.ExecContext(ctx, db.q(`DELETE FROM sessions WHERE user_id = ?`), id); err != nil {
				return db.translate(err, "", "")
			}
		}
		detail := "role " + string(role) + ", clearance " + clearance.String()
		if disabled {
			detail += ", disabled"
		}
		return db.audit(ctx, tx, "permissions", "user", id, detail)
	})
}

// SetPassword replaces an account's password hash and ends its sessions.
func (db *DB) SetPassword(ctx context.Context, id, hash string) error {
	if err := db.mustKeys(); err != nil {
		return err
	}
	return db.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, db.q(`UPDATE users SET password_hash = ?, failed_logins = 0, locked_until = 0 WHERE id = ?`), hash, id); err != nil {
			return db.translate(err, "", "")
		}
		if _, err := tx.ExecContext(ctx, db.q(`DELETE FROM sessions WHERE user_id = ?`), id); err != nil {
			return db.translate(err, "", "")
		}
		return db.audit(ctx, tx, "password", "user", id, "")
	})
}

// SetTOTP stores a new TOTP secret for an account, not yet enabled.
func (db *DB) SetTOTP(ctx context.Context, id, secret string) error {
	if err := db.mustKeys(); err != nil {
		return err
	}
	return db.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, db.q(`UPDATE users SET totp_enc = ?, totp_enabled = 0, totp_step = 0 WHERE id = ?`),
			db.keys.SealString("users", id, "totp", secret), id); err != nil {
			return db.translate(err, "", "")
		}
		return db.audit(ctx, tx, "totp-new", "user", id, "")
	})
}

// TOTP returns an account's TOTP secret, whether it is enabled, and the
// last time step used.
func (db *DB) TOTP(ctx context.Context, id string) (secret string, enabled bool, step int64, err error) {
	if err := db.mustKeys(); err != nil {
		return "", false, 0, err
	}
	var ct []byte
	var en int64
	err = db.queryRow(ctx, `SELECT totp_enc, totp_enabled, totp_step FROM users WHERE id = ?`, id).Scan(&ct, &en, &step)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, 0, tumen.Errorf(tumen.KindNotFound, "no user %q", id)
	}
	if err != nil {
		return "", false, 0, db.translate(err, "", "")
	}
	secret, err = db.openString("users", id, "totp", ct)
	return secret, en != 0, step, err
}

// UseTOTP records that the code of a time step was used (so it cannot be
// replayed) and enables the second factor if it was not yet.
func (db *DB) UseTOTP(ctx context.Context, id string, step int64) error {
	return db.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, db.q(`UPDATE users SET totp_step = ?, totp_enabled = 1 WHERE id = ? AND totp_step < ?`), step, id, step)
		if err != nil {
			return db.translate(err, "", "")
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return tumen.Errorf(tumen.KindUnauthorized, "that code was already used")
		}
		return nil
	})
}

// LoginFailed counts a failed login; after max failures in a row the
// account is locked until now+lock. It returns the new count.
func (db *DB) LoginFailed(ctx context.Context, id string, max int, lock time.Duration) (int, error) {
	var n int
	err := db.tx(ctx, func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, db.q(`SELECT failed_logins FROM users WHERE id = ?`+db.d.ForUpdate), id).Scan(&n); err != nil {
			return db.translate(err, "", "")
		}
		n++
		locked := int64(0)
		if n >= max {
			locked = ms(db.Now().Add(lock))
		}
		q, args := `UPDATE users SET failed_logins = ? WHERE id = ?`, []any{n, id}
		if locked > 0 {
			q, args = `UPDATE users SET failed_logins = ?, locked_until = ? WHERE id = ?`, []any{n, locked, id}
		}
		if _, err := tx.ExecContext(ctx, db.q(q), args...); err != nil {
			return db.translate(err, "", "")
		}
		detail := "failed login"
		if locked > 0 {
			detail = "account locked after failed logins"
		}
		return db.audit(ctx, tx, "login-failed", "user", id, detail)
	})
	return n, err
}

// CreateSession stores a session under the hash of its token and audits
// the login step.
func (db *DB) CreateSession(ctx context.Context, hash []byte, s *tumen.Session) error {
	return db.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, db.q(`INSERT INTO sessions (id_hash, user_id, csrf, stage, created, expires, last_seen) VALUES (?, ?, ?, ?, ?, ?, ?)`),
			hash, s.UserID, s.CSRF, s.Stage, ms(s.Created), ms(s.Expires), ms(s.LastSeen)); err != nil {
			return db.translate(err, "", "")
		}
		if s.Stage == tumen.StageFull {
			if _, err := tx.ExecContext(ctx, db.q(`UPDATE users SET failed_logins = 0, locked_until = 0 WHERE id = ?`), s.UserID); err != nil {
				return db.translate(err, "", "")
			}
			return db.audit(ctx, tx, "login", "user", s.UserID, "")
		}
		return db.audit(ctx, tx, "login-password", "user", s.UserID, "password accepted, second factor pending")
	})
}

// SessionByHash returns a session that has not expired.
func (db *DB) SessionByHash(ctx context.Context, hash []byte) (*tumen.Session, error) {
	s := &tumen.Session{}
	var created, expires, seen int64
	err := db.queryRow(ctx, `SELECT user_id, csrf, stage, created, expires, last_seen FROM sessions WHERE id_hash = ? AND expires > ?`, hash, ms(db.Now())).
		Scan(&s.UserID, &s.CSRF, &s.Stage, &created, &expires, &seen)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, tumen.Errorf(tumen.KindUnauthorized, "not logged in")
	}
	if err != nil {
		return nil, db.translate(err, "", "")
	}
	s.Created, s.Expires, s.LastSeen = fromMS(created), fromMS(expires), fromMS(seen)
	return s, nil
}

// TouchSession extends a session's idle expiry, never past maxExpires.
func (db *DB) TouchSession(ctx context.Context, hash []byte, expires time.Time) error {
	_, err := db.db.ExecContext(ctx, db.q(`UPDATE sessions SET last_seen = ?, expires = ? WHERE id_hash = ?`), ms(db.Now()), ms(expires), hash)
	return db.translate(err, "", "")
}

// DeleteSession ends a session (logout, or the password step being
// replaced by a full session).
func (db *DB) DeleteSession(ctx context.Context, hash []byte, userID string, audit bool) error {
	return db.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, db.q(`DELETE FROM sessions WHERE id_hash = ?`), hash); err != nil {
			return db.translate(err, "", "")
		}
		if audit {
			return db.audit(ctx, tx, "logout", "user", userID, "")
		}
		return nil
	})
}

// CreateToken stores an API token's hash for a user.
func (db *DB) CreateToken(ctx context.Context, hash []byte, userID, name string, expires time.Time) error {
	if err := db.mustKeys(); err != nil {
		return err
	}
	return db.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, db.q(`INSERT INTO api_tokens (id_hash, user_id, name, created, expires) VALUES (?, ?, ?, ?, ?)`), hash, userID, name, ms(db.Now()), ms(expires)); err != nil {
			return db.translate(err, "", "")
		}
		return db.audit(ctx, tx, "token-new", "user", userID, "API token "+name)
	})
}

// TokenUser returns the user of a valid API token.
func (db *DB) TokenUser(ctx context.Context, hash []byte) (*tumen.User, error) {
	var uid string
	err := db.queryRow(ctx, `SELECT user_id FROM api_tokens WHERE id_hash = ? AND revoked = 0 AND expires > ?`, hash, ms(db.Now())).Scan(&uid)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, tumen.Errorf(tumen.KindUnauthorized, "invalid or expired API token")
	}
	if err != nil {
		return nil, db.translate(err, "", "")
	}
	return db.User(ctx, uid)
}

// SessionUser returns a live session and its account in one query: every
// request of a logged-in browser asks for both.
func (db *DB) SessionUser(ctx context.Context, hash []byte) (*tumen.Session, *tumen.User, error) {
	s := &tumen.Session{}
	var created, expires, seen int64
	row := db.queryRow(ctx, `SELECT s.user_id, s.csrf, s.stage, s.created, s.expires, s.last_seen, `+prefixed("u.", userCols)+
		` FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id_hash = ? AND s.expires > ?`, hash, ms(db.Now()))
	u := &tumen.User{}
	var role string
	var level int
	var ucreated, disabled, totp, locked int64
	err := row.Scan(&s.UserID, &s.CSRF, &s.Stage, &created, &expires, &seen,
		&u.ID, &u.Name, &role, &level, &u.PasswordHash, &ucreated, &disabled, &totp, &u.FailedLogins, &locked)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, tumen.Errorf(tumen.KindUnauthorized, "not logged in")
	}
	if err != nil {
		return nil, nil, db.translate(err, "", "")
	}
	s.Created, s.Expires, s.LastSeen = fromMS(created), fromMS(expires), fromMS(seen)
	u.Role, u.Clearance, u.Created, u.Disabled, u.TOTPEnabled, u.LockedUntil = tumen.Role(role), tumen.Level(level), fromMS(ucreated), disabled != 0, totp != 0, fromMS(locked)
	return s, u, nil
}
