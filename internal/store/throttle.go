package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"time"

	"leoc/internal/leoc"
)

// ThrottlePolicy is the sign-in throttle's rule. Failures (wrong password,
// unknown or disabled account, wrong current password on the password page)
// are counted per (username, client address) and per username.
type ThrottlePolicy struct {
	// FreeFailures from one address cost nothing; each one after that
	// blocks that address for BaseDelay, doubled per further failure, up to
	// MaxDelay. Other addresses are not blocked.
	FreeFailures int
	BaseDelay    time.Duration
	MaxDelay     time.Duration
	// AccountFree failures from all addresses together cost nothing; each
	// one after that makes every answer for the account AccountStep slower,
	// up to AccountMaxSlow. It is a ceiling on guessing, never a lock.
	AccountFree    int
	AccountStep    time.Duration
	AccountMaxSlow time.Duration
	// Forget is how long a counter lasts after its last failure.
	Forget time.Duration
}

// DefaultThrottlePolicy: five free tries per address, then 1 s, 2 s, 4 s …
// up to 15 minutes; beyond 20 failures a day on one account from anywhere,
// each answer waits 250 ms more, at most 3 s.
var DefaultThrottlePolicy = ThrottlePolicy{
	FreeFailures: 5, BaseDelay: time.Second, MaxDelay: 15 * time.Minute,
	AccountFree: 20, AccountStep: 250 * time.Millisecond, AccountMaxSlow: 3 * time.Second,
	Forget: 24 * time.Hour,
}

// ThrottleVerdict is what the throttle says about the next attempt.
type ThrottleVerdict struct {
	RetryAfter time.Duration // > 0: refuse the attempt without checking the password
	Slow       time.Duration // answer no sooner than this
}

// LoginThrottle keeps the throttle's counters in the database, so every
// server of an installation and `leoc user unlock` see the same state. The
// server uses it through a three-method interface that a Redis throttle can
// implement later.
type LoginThrottle struct {
	s *Store
	p ThrottlePolicy
}

// LoginThrottle returns the database throttle with policy p.
func (s *Store) LoginThrottle(p ThrottlePolicy) *LoginThrottle { return &LoginThrottle{s: s, p: p} }

type throttleRow struct {
	failures    int
	last, until time.Time
}

func (l *LoginThrottle) read(ctx context.Context, q func(ctx context.Context, q string, args ...any) *sql.Row, username, client string, now time.Time) (throttleRow, error) {
	var r throttleRow
	err := q(ctx, "SELECT failures, last_failure_at, blocked_until FROM login_throttle WHERE username = ? AND client = ?",
		username, client).Scan(&r.failures, &r.last, &r.until)
	if errors.Is(err, sql.ErrNoRows) {
		return r, nil
	}
	if err != nil {
		return r, fmt.Errorf("store: read throttle: %w", err)
	}
	if now.Sub(r.last) >= l.p.Forget {
		return throttleRow{}, nil // forgotten: counts from zero again
	}
	return r, nil
}

func (l *LoginThrottle) verdict(addr, account throttleRow, now time.Time) ThrottleVerdict {
	var v ThrottleVerdict
	if addr.until.After(now) {
		v.RetryAfter = addr.until.Sub(now)
	}
	if extra := account.failures - l.p.AccountFree; extra > 0 {
		v.Slow = min(time.Duration(extra)*l.p.AccountStep, l.p.AccountMaxSlow)
	}
	return v
}

// Check tells whether an attempt for username from client may go ahead.
func (l *LoginThrottle) Check(ctx context.Context, username, client string) (ThrottleVerdict, error) {
	username = leoc.NormalizeUsername(username)
	now := l.s.Now()
	addr, err := l.read(ctx, l.s.queryRow, username, client, now)
	if err != nil {
		return ThrottleVerdict{}, err
	}
	account, err := l.read(ctx, l.s.queryRow, username, "", now)
	if err != nil {
		return ThrottleVerdict{}, err
	}
	return l.verdict(addr, account, now), nil
}

// Fail counts a failure for username from client and returns the verdict
// for the next attempt. The count is incremented in the upsert itself, so
// parallel failures are all counted on PostgreSQL too.
func (l *LoginThrottle) Fail(ctx context.Context, username, client string) (ThrottleVerdict, error) {
	username = leoc.NormalizeUsername(username)
	var v ThrottleVerdict
	err := l.s.WithTx(ctx, func(tx *Tx) error {
		now := l.s.Now()
		var rows [2]throttleRow
		for i, c := range []string{client, ""} {
			r := throttleRow{last: now, until: now}
			if err := tx.queryRow(ctx, `INSERT INTO login_throttle (username, client, failures, last_failure_at, blocked_until) VALUES (?, ?, 1, ?, ?)
				ON CONFLICT (username, client) DO UPDATE SET
					failures = CASE WHEN login_throttle.last_failure_at <= ? THEN 1 ELSE login_throttle.failures + 1 END,
					last_failure_at = excluded.last_failure_at
				RETURNING failures`, username, c, now, now, now.Add(-l.p.Forget)).Scan(&r.failures); err != nil {
				return fmt.Errorf("store: count failure: %w", err)
			}
			if c != "" && r.failures > l.p.FreeFailures {
				r.until = now.Add(l.delay(r.failures - l.p.FreeFailures))
				if _, err := tx.exec(ctx, "UPDATE login_throttle SET blocked_until = ? WHERE username = ? AND client = ?", r.until, username, c); err != nil {
					return fmt.Errorf("store: block address: %w", err)
				}
			}
			rows[i] = r
		}
		v = l.verdict(rows[0], rows[1], now)
		return nil
	})
	return v, err
}

// delay is BaseDelay doubled n-1 times, at most MaxDelay.
func (l *LoginThrottle) delay(n int) time.Duration {
	d := l.p.BaseDelay
	for i := 1; i < n && d < l.p.MaxDelay; i++ {
		d *= 2
	}
	return min(d, l.p.MaxDelay)
}

// Succeed forgets the failures of username from client, and the account's
// count: the real user has proved who they are.
func (l *LoginThrottle) Succeed(ctx context.Context, username, client string) error {
	return l.s.WithTx(ctx, func(tx *Tx) error {
		if _, err := tx.exec(ctx, "DELETE FROM login_throttle WHERE username = ? AND client IN (?, '')", leoc.NormalizeUsername(username), client); err != nil {
			return fmt.Errorf("store: clear throttle: %w", err)
		}
		return nil
	})
}

// UnlockLogin clears every throttle counter of username, from every
// address, and audits it (leoc user unlock). It reports how many counters
// were cleared.
func (s *Store) UnlockLogin(ctx context.Context, actor Actor, username string) (int64, error) {
	username = leoc.NormalizeUsername(username)
	var n int64
	err := s.WithTx(ctx, func(tx *Tx) error {
		res, err := tx.exec(ctx, "DELETE FROM login_throttle WHERE username = ?", username)
		if err != nil {
			return fmt.Errorf("store: unlock: %w", err)
		}
		n, _ = res.RowsAffected()
		var id int64
		if err := tx.queryRow(ctx, "SELECT id FROM users WHERE username = ?", username).Scan(&id); err != nil && !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("store: unlock: %w", err)
		}
		if _, err := tx.exec(ctx, "UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = ?", id); err != nil {
			return fmt.Errorf("store: unlock: %w", err)
		}
		entityID := "" // an unknown name can be throttled too
		if id != 0 {
			entityID = strconv.FormatInt(id, 10)
		}
		return tx.Audit(ctx, actor, "user.unlock", "user", entityID, map[string]any{"username": username, "counters_cleared": n})
	})
	return n, err
}

// SweepLoginThrottle deletes counters whose last failure is older than
// before; the session sweeper calls it so the table stays small.
func (s *Store) SweepLoginThrottle(ctx context.Context, before time.Time) (int64, error) {
	var n int64
	err := s.WithTx(ctx, func(tx *Tx) error {
		res, err := tx.exec(ctx, "DELETE FROM login_throttle WHERE last_failure_at < ?", before.UTC())
		if err != nil {
			return fmt.Errorf("store: sweep throttle: %w", err)
		}
		n, _ = res.RowsAffected()
		return nil
	})
	return n, err
}
