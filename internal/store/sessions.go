package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"time"

	"leoc/internal/leoc"
)

// Session is a server-side login session. Only the SHA-256 of the cookie
// value is stored, so a copy of the database does not log anyone in.
type Session struct {
	IDHash     string
	UserID     int64
	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time // absolute timeout
	IP         string
	UserAgent  string
}

// CreateSession stores a new session.
func (s *Store) CreateSession(ctx context.Context, sess *Session) error {
	return s.WithTx(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, `INSERT INTO sessions (id_hash, user_id, created_at, last_seen_at, expires_at, ip, user_agent)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, sess.IDHash, sess.UserID, sess.CreatedAt.UTC(), sess.LastSeenAt.UTC(), sess.ExpiresAt.UTC(), sess.IP, sess.UserAgent)
		if err != nil {
			return fmt.Errorf("store: create session: %w", err)
		}
		return nil
	})
}

// SessionUser loads a session and its user in one query.
func (s *Store) SessionUser(ctx context.Context, idHash string) (*Session, *leoc.User, error) {
	var sess Session
	row := s.queryRow(ctx, "SELECT "+prefixed("u.", userColumns)+`, s.id_hash, s.user_id, s.created_at, s.last_seen_at, s.expires_at, s.ip, s.user_agent
		FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id_hash = ?`, idHash)
	u, err := scanUser(row, &sess.IDHash, &sess.UserID, &sess.CreatedAt, &sess.LastSeenAt, &sess.ExpiresAt, &sess.IP, &sess.UserAgent)
	if err != nil {
		return nil, nil, notFound(err, "session.not_found")
	}
	return &sess, u, nil
}

// TouchSession records activity, which moves the idle timeout on.
func (s *Store) TouchSession(ctx context.Context, idHash string, at time.Time) error {
	return s.WithTx(ctx, func(tx *Tx) error {
		if err := tx.recordUse(ctx, "UPDATE sessions SET last_seen_at = ? WHERE id_hash = ?", at.UTC(), idHash); err != nil {
			return fmt.Errorf("store: touch session: %w", err)
		}
		return nil
	})
}

// DeleteSession ends one session (logout).
func (s *Store) DeleteSession(ctx context.Context, idHash string) error {
	return s.WithTx(ctx, func(tx *Tx) error {
		if _, err := tx.exec(ctx, "DELETE FROM sessions WHERE id_hash = ?", idHash); err != nil {
			return fmt.Errorf("store: delete session: %w", err)
		}
		return nil
	})
}

// DeleteExpiredSessions removes sessions past their absolute or idle
// timeout; the server runs it periodically.
func (s *Store) DeleteExpiredSessions(ctx context.Context, now time.Time, idle time.Duration) (int64, error) {
	var n int64
	err := s.WithTx(ctx, func(tx *Tx) error {
		res, err := tx.exec(ctx, "DELETE FROM sessions WHERE expires_at < ? OR last_seen_at < ?", now.UTC(), now.Add(-idle).UTC())
		if err != nil {
			return fmt.Errorf("store: delete expired sessions: %w", err)
		}
		n, _ = res.RowsAffected()
		return nil
	})
	return n, err
}

// APIToken is a bearer token for scripts. The token itself is shown once at
// creation; only its hash and a short prefix are kept.
type APIToken struct {
	ID         int64
	UserID     int64
	Username   string
	Name       string
	Prefix     string
	CreatedAt  time.Time
	LastUsedAt time.Time
	RevokedAt  time.Time
}

// CreateAPIToken stores a token hash for a user.
func (s *Store) CreateAPIToken(ctx context.Context, actor Actor, t *APIToken, tokenHash string) error {
	return s.WithTx(ctx, func(tx *Tx) error {
		t.CreatedAt = s.Now()
		err := tx.queryRow(ctx, `INSERT INTO api_tokens (user_id, name, token_hash, prefix, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id`,
			t.UserID, t.Name, tokenHash, t.Prefix, t.CreatedAt).Scan(&t.ID)
		if IsForeignKey(err) {
			return leoc.Errorf(leoc.ENotFound, "user.not_found")
		}
		if err != nil {
			return fmt.Errorf("store: create token: %w", err)
		}
		return tx.Audit(ctx, actor, "token.create", "api_token", strconv.FormatInt(t.ID, 10),
			map[string]any{"user_id": t.UserID, "name": t.Name, "prefix": t.Prefix})
	})
}

// TokenUser finds the user of an active token and records its use. The
// use is written at most once per TokenTouchEvery, so a busy script does not
// turn every read into a write.
func (s *Store) TokenUser(ctx context.Context, tokenHash string) (*leoc.User, int64, error) {
	u, use, err := s.ActiveToken(ctx, tokenHash)
	if err != nil {
		return nil, 0, err
	}
	if now := s.Now(); use.Due(now) {
		if err := s.RecordTokenUse(ctx, use.ID, now); err != nil {
			return nil, 0, err
		}
	}
	return u, use.ID, nil
}

// TokenUse is an active token's id and when it was last used (zero: never).
type TokenUse struct {
	ID       int64
	LastUsed time.Time
}

// Due reports whether a use at now is to be written.
func (t TokenUse) Due(now time.Time) bool {
	return t.LastUsed.IsZero() || now.Sub(t.LastUsed) > TokenTouchEvery
}

// ActiveToken finds the user of an active (not revoked) token, without
// recording a use (TokenUser does both).
func (s *Store) ActiveToken(ctx context.Context, tokenHash string) (*leoc.User, TokenUse, error) {
	var use TokenUse
	var lastUsed sql.NullTime
	u, err := scanUser(s.queryRow(ctx, "SELECT "+prefixed("u.", userColumns)+`, t.id, t.last_used_at
		FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = ? AND t.revoked_at IS NULL`, tokenHash), &use.ID, &lastUsed)
	if err != nil {
		return nil, use, notFound(err, "token.not_found")
	}
	use.LastUsed = lastUsed.Time
	return u, use, nil
}

// RecordTokenUse writes a token's last use.
func (s *Store) RecordTokenUse(ctx context.Context, tokenID int64, at time.Time) error {
	err := s.WithTx(ctx, func(tx *Tx) error {
		return tx.recordUse(ctx, "UPDATE api_tokens SET last_used_at = ? WHERE id = ?", at, tokenID)
	})
	if err != nil {
		return fmt.Errorf("store: record token use: %w", err)
	}
	return nil
}

// TokenTouchEvery is how often a token's last use is written at most.
const TokenTouchEvery = 10 * time.Minute

// RevokeAPIToken ends a token for good.
func (s *Store) RevokeAPIToken(ctx context.Context, actor Actor, id int64) error {
	return s.WithTx(ctx, func(tx *Tx) error {
		res, err := tx.exec(ctx, "UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", s.Now(), id)
		if err != nil {
			return fmt.Errorf("store: revoke token: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return leoc.Errorf(leoc.ENotFound, "token.not_found")
		}
		return tx.Audit(ctx, actor, "token.revoke", "api_token", strconv.FormatInt(id, 10), nil)
	})
}

// APITokens lists the tokens of one user (userID > 0) or of everyone.
func (s *Store) APITokens(ctx context.Context, userID int64) ([]APIToken, error) {
	q := `SELECT t.id, t.user_id, u.username, t.name, t.prefix, t.created_at, t.last_used_at, t.revoked_at
		FROM api_tokens t JOIN users u ON u.id = t.user_id`
	var args []any
	if userID > 0 {
		q += " WHERE t.user_id = ?"
		args = append(args, userID)
	}
	rows, err := s.query(ctx, q+" ORDER BY t.id", args...)
	if err != nil {
		return nil, fmt.Errorf("store: list tokens: %w", err)
	}
	defer rows.Close()
	var out []APIToken
	for rows.Next() {
		var t APIToken
		var used, revoked nullTimeScan
		if err := rows.Scan(&t.ID, &t.UserID, &t.Username, &t.Name, &t.Prefix, &t.CreatedAt, &used, &revoked); err != nil {
			return nil, fmt.Errorf("store: scan token: %w", err)
		}
		t.LastUsedAt, t.RevokedAt = used.Time, revoked.Time
		out = append(out, t)
	}
	return out, rows.Err()
}
