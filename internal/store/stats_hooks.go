package store

import (
	"context"
	"sync"
)

// statsHooks are told, after the commit, that a transaction changed the
// maintained statistics: a cache of statistics answers (internal/statscache)
// forgets them then, so a client that wrote and then reads sees its write.
// Called after the commit, never before: an answer computed in between
// would otherwise be cached without the write.
type statsHooks struct {
	mu  sync.RWMutex
	fns []func(context.Context)
}

// OnStatisticsChange calls fn after every commit that changed incident or
// distribution statistics, in the writer's goroutine; fn must be quick.
func (s *Store) OnStatisticsChange(fn func(context.Context)) {
	s.statsHooks.mu.Lock()
	defer s.statsHooks.mu.Unlock()
	s.statsHooks.fns = append(s.statsHooks.fns, fn)
}

func (h *statsHooks) call(ctx context.Context) {
	h.mu.RLock()
	defer h.mu.RUnlock()
	for _, fn := range h.fns {
		fn(context.WithoutCancel(ctx))
	}
}
