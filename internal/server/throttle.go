package server

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"leoc/internal/store"
)

// LoginThrottle counts failed sign-ins (and wrong current passwords) per
// (username, client address) and per username. The database throttle
// (store.LoginThrottle) implements it; a Redis one can replace it for
// several servers without touching the handlers.
type LoginThrottle interface {
	Check(ctx context.Context, username, client string) (store.ThrottleVerdict, error)
	Fail(ctx context.Context, username, client string) (store.ThrottleVerdict, error)
	Succeed(ctx context.Context, username, client string) error
}

// pause waits d, or until the request is abandoned. It is the account-wide
// ceiling: answers for an account under attack come slower, for everyone,
// but they come.
func (s *Server) pause(ctx context.Context, d time.Duration) {
	if d <= 0 {
		return
	}
	s.sleep(ctx, d)
}

func sleepCtx(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}

// retryAfter sets the Retry-After header in whole seconds, at least one.
func retryAfter(w http.ResponseWriter, d time.Duration) int {
	secs := int((d + time.Second - 1) / time.Second)
	secs = max(secs, 1)
	w.Header().Set("Retry-After", strconv.Itoa(secs))
	return secs
}
