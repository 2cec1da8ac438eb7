package server

import (
	"context"
	"net/http"
	"strings"
	"time"

	"leoc/internal/config"
	"leoc/internal/leoc"
	"leoc/internal/notify"
	"leoc/internal/ratelimit"
	"leoc/internal/redisconn"
)

// The scale-out side of the server (docs/scale-out.md): the rate limits,
// in this process or in a Redis that every replica shares, and the change
// notices that keep what each process holds in memory in step.

// limiter builds one named limit from its configured rate: counted in Redis
// when the server has one, else in memory; nil when the rate is off.
func (s *Server) limiter(redis *redisconn.Conn, name string, r config.Rate) ratelimit.Limiter {
	if r.Off() {
		return nil
	}
	if redis != nil {
		return ratelimit.NewRedis(redis.Client(), redis.Prefix()+"rate:"+name+":", r.N, r.Per)
	}
	return ratelimit.NewMemory(r.N, r.Per, s.now)
}

// allow counts one event against l (nil: no limit). When the counter cannot
// be reached (Redis down) the event is allowed and the failure logged: a
// broken limiter must not lock the office out of its records in an
// emergency; the per-account sign-in throttle in the database still holds.
func (s *Server) allow(ctx context.Context, l ratelimit.Limiter, key string) ratelimit.Decision {
	if l == nil {
		return ratelimit.Decision{OK: true}
	}
	d, err := l.Allow(ctx, key)
	if err != nil {
		s.log.Error("rate limit unavailable; request allowed", "err", err)
		return ratelimit.Decision{OK: true}
	}
	return d
}

// reset forgets key in l after a success.
func (s *Server) reset(ctx context.Context, l ratelimit.Limiter, key string) {
	if l == nil {
		return
	}
	if err := l.Reset(ctx, key); err != nil {
		s.log.Error("rate limit reset failed", "err", err)
	}
}

// unmetered are paths no person or script drives in bulk: assets, and the
// health checks a load balancer polls every few seconds.
func unmetered(path string) bool {
	return strings.HasPrefix(path, "/static/") || path == "/health" || path == "/ready" || path == "/favicon.ico"
}

// limitClient applies LEOC_RATE_LIMIT per client address. It runs before
// authentication, so guessing API tokens counts too.
func (s *Server) limitClient(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !unmetered(r.URL.Path) {
			if d := s.allow(r.Context(), s.clientRate, state(r).ip); !d.OK {
				s.tooManyRequests(w, r, d.RetryAfter)
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

// limitUser applies LEOC_RATE_LIMIT per signed-in user, whether the
// requests come with a session or an API token, from one address or many.
func (s *Server) limitUser(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if u := state(r).user; u != nil && !unmetered(r.URL.Path) {
			if d := s.allow(r.Context(), s.userRate, idString(u.ID)); !d.OK {
				s.tooManyRequests(w, r, d.RetryAfter)
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

// tooManyRequests answers 429 with Retry-After and the wait in the user's
// language, as JSON or as a page.
func (s *Server) tooManyRequests(w http.ResponseWriter, r *http.Request, wait time.Duration) {
	secs := retryAfter(w, wait)
	s.renderError(w, r, leoc.Errorf(leoc.ERateLimited, "ratelimit.too_many", secs))
}

// changeTopics names the change notice each route publishes after it
// succeeds, for what other replicas keep in memory. A new route that
// changes settings, lists or wards belongs here (TestChangeRoutesPublish
// checks the settings, lists and wards routes of the table are).
var changeTopics = map[string]string{
	"POST /settings":                           notify.Settings,
	"POST /settings/wards":                     notify.Settings,
	"POST /settings/checks":                    notify.Settings,
	"POST /settings/access":                    notify.Settings,
	"POST /settings/wards/{number}/delete":     notify.Settings,
	"POST /settings/lists/{list}":              notify.Lists,
	"POST /settings/lists/{list}/{key}/delete": notify.Lists,
	"PUT /api/v1/settings":                     notify.Settings,
	"PUT /api/v1/settings/access":              notify.Settings,
	"PUT /api/v1/wards/{number}":               notify.Settings,
	"DELETE /api/v1/wards/{number}":            notify.Settings,
	"PUT /api/v1/lists/{list}/{key}":           notify.Lists,
	"DELETE /api/v1/lists/{list}/{key}":        notify.Lists,
}

// publishChanges wraps a route that changes something replicas may keep in
// memory: after a successful answer (below 400), its topic is published.
func (s *Server) publishChanges(rt route, h http.Handler) http.Handler {
	topic, ok := changeTopics[rt.pattern]
	if !ok {
		return h
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sw := &statusWriter{ResponseWriter: w}
		h.ServeHTTP(sw, r)
		if sw.status != 0 && sw.status < 400 {
			s.changed(r.Context(), topic)
		}
	})
}

// changed publishes topic; a failure is logged, not shown: the change is
// saved, and the other replicas reload on their next notice.
func (s *Server) changed(ctx context.Context, topic string) {
	if err := s.bus.Publish(context.WithoutCancel(ctx), topic); err != nil {
		s.log.Error("change notice not sent", "topic", topic, "err", err)
	}
}

// Bus is the change-notice bus, for code outside the server that keeps
// something in memory (a ward-polygon index subscribes to notify.Wards).
func (s *Server) Bus() notify.Bus { return s.bus }

// reloadCalendar takes the month-length table from the database into the
// calendar every handler uses (after leoc calendar import, on any replica).
func (s *Server) reloadCalendar(ctx context.Context) {
	cal, err := s.store.Calendar(ctx)
	if err != nil {
		s.log.Error("calendar reload failed; the previous table stays in use", "err", err)
		return
	}
	s.cal.Replace(cal)
	s.log.Info("calendar table reloaded", "first_year", cal.FirstYear(), "last_year", cal.LastYear(), "official_through", cal.OfficialThrough())
}
