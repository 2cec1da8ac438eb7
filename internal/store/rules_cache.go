package store

import (
	"context"
	"sync"
	"time"

	"leoc/internal/leoc"
)

// What a record is validated against — the disaster types, wards, ward
// populations, allowance types and distributable items with their units —
// is read for every create and update: six statements, on PostgreSQL six
// round trips, and a seventh of the server's CPU for a distribution. It
// changes a few times a year, so it is kept in memory:
//
//   - in this process, until the commit of any transaction that writes one
//     of the tables it comes from (noteWrite sees the statement, as it does
//     for the authentication tables), so a value an administrator has just
//     added can be chosen at once;
//   - changed by another process (another replica, a command line import),
//     until that replica's change notice arrives (the server calls
//     ForgetRules) and at most rulesMaxAge; the database's own constraints still refuse
//     a type, ward or allowance that is gone, so a stale copy can at worst
//     refuse a value added elsewhere in the last seconds.
//
// A copy is kept only when no such commit happened while it was read (the
// generation did not move), so it is never older than a commit it missed.
const rulesMaxAge = 2 * time.Second

// rulesTables are the tables the rules come from.
var rulesTables = []string{"list_values", "wards", "settings", "inventory_items"}

type rulesCache struct {
	mu  sync.Mutex
	gen uint64 // moved by every commit that wrote a table of the rules
	inc cachedRules[leoc.IncidentRules]
	dis cachedRules[leoc.DistributionRules]
}

type cachedRules[T any] struct {
	ok   bool
	gen  uint64
	at   time.Time
	rule T
}

// ForgetRules drops the kept rules, for a change made by another process
// that this one has been told of (a replica's change notice).
func (s *Store) ForgetRules() { s.rules.forget() }

// forget drops the copies; called after a commit that wrote the tables.
func (c *rulesCache) forget() {
	c.mu.Lock()
	c.gen++
	c.mu.Unlock()
}

// cached returns the kept copy in slot, or reads it with load and keeps it
// when nothing changed meanwhile. The copies are shared: callers only read
// them.
func cached[T any](ctx context.Context, s *Store, slot *cachedRules[T], load func(context.Context) (T, error)) (T, error) {
	c := &s.rules
	c.mu.Lock()
	gen := c.gen
	if slot.ok && slot.gen == gen && s.now().Sub(slot.at) < rulesMaxAge {
		r := slot.rule
		c.mu.Unlock()
		return r, nil
	}
	c.mu.Unlock()
	started := s.now()
	r, err := load(ctx)
	if err != nil {
		return r, err
	}
	c.mu.Lock()
	if c.gen == gen {
		*slot = cachedRules[T]{ok: true, gen: gen, at: started, rule: r}
	}
	c.mu.Unlock()
	return r, nil
}

// IncidentRules are what an incident is validated against: the disaster
// types, the wards and the plausibility limits of this municipality.
func (s *Store) IncidentRules(ctx context.Context) (leoc.IncidentRules, error) {
	return cached(ctx, s, &s.rules.inc, s.loadIncidentRules)
}

// DistributionRules are what a distribution is validated against.
func (s *Store) DistributionRules(ctx context.Context) (leoc.DistributionRules, error) {
	return cached(ctx, s, &s.rules.dis, s.loadDistributionRules)
}
