package server

import (
	"context"
	"sync/atomic"
	"time"

	"leoc/internal/leoc"
	"leoc/internal/notify"
	"leoc/internal/statscache"
	"leoc/internal/store"
)

// Who a bearer token or a session cookie belongs to is kept in memory for a
// few seconds, so a request does not pay a database query (more than a
// cached statistics answer costs) to learn what the previous one learnt.
//
// It can never let a revoked token, an ended session, a disabled account or
// a changed role, ward limit or password through: an entry carries the
// generation of internal/statscache, read before the database is asked;
// the store moves it on after the commit of every write to users,
// api_tokens or sessions (Store.OnAuthChange, in the writer's goroutine,
// before the writer is answered), and every other replica moves its own on
// the change notice notify.Auth. An entry read while such a write committed
// is never served. A write that passes no server (leoc user … run against
// a running server's database) sends no notice; for it, and for a notice
// lost between replicas, an entry lives at most authCacheMaxAge.
//
// An entry only ever confirms. Whatever would refuse, end or stamp a
// session — disabled, past its absolute or idle timeout, due for its
// last-seen write — and a token whose last use is due to be written go to
// the database exactly as without the cache, so timeouts are checked
// against the clock on every request and the stamps are written as often
// as before.

const (
	authCacheMaxAge  = 5 * time.Second
	authCacheEntries = 4096
)

// tokenAuth is a cached active token: its user and when its use was last
// written (unix nanoseconds; moved on when this process writes it).
type tokenAuth struct {
	user     leoc.User
	id       int64
	lastUsed atomic.Int64
}

// sessionAuth is a cached session and its user.
type sessionAuth struct {
	sess     store.Session
	user     leoc.User
	lastSeen atomic.Int64 // sess.LastSeenAt, moved on by this process's stamps
}

func (s *Server) watchAuthentication() {
	s.authCache = statscache.NewWithMaxAge(authCacheEntries, authCacheMaxAge)
	s.store.OnAuthChange(func(ctx context.Context) {
		s.authCache.Invalidate()
		s.changed(ctx, notify.Auth)
	})
	s.bus.Subscribe(notify.Auth, func(context.Context) { s.authCache.Invalidate() })
}

// tokenUser is the user of an active token, or an error (ENotFound for an
// unknown or revoked one; errors are never cached).
func (s *Server) tokenUser(ctx context.Context, hash string) (*leoc.User, error) {
	e, err := statscache.Get(s.authCache, "token\x00"+hash, func() (*tokenAuth, error) {
		u, use, err := s.store.ActiveToken(context.WithoutCancel(ctx), hash)
		if err != nil {
			return nil, err
		}
		e := &tokenAuth{user: *u, id: use.ID}
		e.lastUsed.Store(unixNano(use.LastUsed))
		return e, nil
	})
	if err != nil {
		return nil, err
	}
	if now := s.store.Now(); (store.TokenUse{ID: e.id, LastUsed: fromUnixNano(e.lastUsed.Load())}).Due(now) {
		if err := s.store.RecordTokenUse(ctx, e.id, now); err != nil {
			return nil, err
		}
		e.lastUsed.Store(now.UnixNano())
	}
	u := e.user // a copy: the request may add to it (applyPolicy)
	return &u, nil
}

// cachedSession confirms a session from the cache when nothing about it
// needs the database: the account enabled, the session within both
// timeouts and its last-seen stamp not yet due. ok is false otherwise, and
// loadSession asks the database; err is the lookup's (ENotFound: no such
// session).
func (s *Server) cachedSession(ctx context.Context, hash string, now time.Time) (_ *store.Session, _ *leoc.User, _ *sessionAuth, ok bool, err error) {
	e, err := statscache.Get(s.authCache, "session\x00"+hash, func() (*sessionAuth, error) {
		sess, u, err := s.store.SessionUser(context.WithoutCancel(ctx), hash)
		if err != nil {
			return nil, err
		}
		e := &sessionAuth{sess: *sess, user: *u}
		e.lastSeen.Store(sess.LastSeenAt.UnixNano())
		return e, nil
	})
	if err != nil {
		return nil, nil, nil, false, err
	}
	lastSeen := time.Unix(0, e.lastSeen.Load()).UTC()
	if e.user.Disabled || now.After(e.sess.ExpiresAt) || now.Sub(lastSeen) > min(touchEvery, s.cfg.SessionIdle) {
		return nil, nil, e, false, nil
	}
	sess, u := e.sess, e.user // copies, as above
	sess.LastSeenAt = lastSeen
	return &sess, &u, e, true, nil
}

func unixNano(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixNano()
}

func fromUnixNano(n int64) time.Time {
	if n == 0 {
		return time.Time{}
	}
	return time.Unix(0, n)
}
