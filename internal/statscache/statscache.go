// Package statscache keeps computed statistics answers in memory, by key,
// until the data under them changes.
//
// An answer can never be served stale: every entry remembers the
// generation it was computed in, the generation is read before the
// computation starts, and Invalidate (called after a write commits, here or
// on another replica) moves the generation on. An answer whose computation
// overlapped a commit is kept under the old generation and never served. So
// a client that wrote and then reads sees its write.
//
// Concurrent misses of one key in one generation compute once
// (singleflight); the others wait for that answer.
//
// Refresh, called after Invalidate, computes again in the background the
// answers that were asked for recently, one at a time, through the same
// singleflight as readers, under the new generation: the first readers
// after a write find the answer ready or join its computation already
// under way. An answer computed before the write is never served for it.
//
// Writes that pass no LEOC server at all (leoc import-legacy or leoc demo
// run against the database of a running server, a repair by hand) send no
// notice; for them an answer is also never kept longer than MaxAge.
package statscache

import (
	"cmp"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sync/singleflight"
)

// Cache is safe for concurrent use. The zero value is not; use New.
type Cache struct {
	generation   atomic.Uint64
	hits, misses atomic.Uint64
	limit        int
	maxAge       time.Duration
	group        singleflight.Group

	mu      sync.RWMutex
	entries map[string]entry

	// refreshing is set while a Refresh goroutine runs; again asks it to
	// look once more (another Invalidate came meanwhile).
	refreshing, again atomic.Bool
}

type entry struct {
	generation uint64
	at         time.Time
	value      any
	// compute is how the answer was made, for Refresh; asked is when it
	// was last asked for (unix nanoseconds), shared by its renewals.
	compute func() (any, error)
	asked   *atomic.Int64
}

// Refresh looks back this far for answers worth computing again, and
// computes at most refreshMax of them per write.
const (
	RefreshWindow = 30 * time.Second
	refreshMax    = 64
)

// MaxAge bounds how long an answer is kept even without a write.
const MaxAge = time.Minute

// New makes a cache of at most limit answers; past it, entries of older
// generations go first, then any (the answers are small and cheap to
// compute again).
func New(limit int) *Cache {
	return NewWithMaxAge(limit, MaxAge)
}

// NewWithMaxAge is New with another bound on an answer's age than MaxAge
// (the server's authentication cache keeps its entries a few seconds).
func NewWithMaxAge(limit int, maxAge time.Duration) *Cache {
	return &Cache{limit: max(limit, 1), maxAge: maxAge, entries: map[string]entry{}}
}

// Invalidate forgets every answer: the data changed.
func (c *Cache) Invalidate() {
	c.generation.Add(1)
}

// Generation is the current generation (tests and metrics).
func (c *Cache) Generation() uint64 { return c.generation.Load() }

// Counts are how many answers came from the cache and how many were
// computed (or waited for a computation) since the start.
func (c *Cache) Counts() (hits, misses uint64) { return c.hits.Load(), c.misses.Load() }

// Get answers key from the cache, or computes it once for every caller that
// asks in the meantime. An error is returned to those callers and never
// cached. A nil cache computes every answer (a server measured without
// its cache).
func Get[T any](c *Cache, key string, compute func() (T, error)) (T, error) {
	if c == nil {
		return compute()
	}
	gen := c.generation.Load()
	if v, ok := c.lookup(key, gen); ok {
		c.hits.Add(1)
		return v.(T), nil
	}
	c.misses.Add(1)
	v, err := c.compute(key, gen, func() (any, error) { return compute() }, nil)
	if err != nil {
		var zero T
		return zero, err
	}
	return v.(T), nil
}

// compute makes the answer of key in generation gen once for every caller
// that asks meanwhile, and keeps it.
func (c *Cache) compute(key string, gen uint64, compute func() (any, error), asked *atomic.Int64) (any, error) {
	v, err, _ := c.group.Do(strconv.FormatUint(gen, 10)+"\x00"+key, func() (any, error) {
		// A caller that missed just before the previous computation
		// stored its answer finds it here instead of computing again.
		if v, ok := c.lookup(key, gen); ok {
			return v, nil
		}
		v, err := compute()
		if err != nil {
			return nil, err
		}
		c.put(key, gen, v, compute, asked)
		return v, nil
	})
	return v, err
}

// Refresh starts computing again, in the background, the answers of past
// generations that were asked for within RefreshWindow (call it after
// Invalidate). Errors are dropped: a reader computes the answer itself.
func (c *Cache) Refresh() {
	if c == nil {
		return
	}
	c.again.Store(true)
	if c.refreshing.CompareAndSwap(false, true) {
		go c.refresh()
	}
}

func (c *Cache) refresh() {
	for {
		for c.again.Swap(false) {
			gen := c.generation.Load()
			for _, e := range c.recent(gen) {
				if c.generation.Load() != gen {
					break // another write: start again under the new one
				}
				_, _ = c.compute(e.key, gen, e.compute, e.asked)
			}
		}
		c.refreshing.Store(false)
		// A Refresh between the last Swap and the Store above found the
		// flag still set and started no goroutine: look once more.
		if !c.again.Load() || !c.refreshing.CompareAndSwap(false, true) {
			return
		}
	}
}

type recentAnswer struct {
	key     string
	compute func() (any, error)
	asked   *atomic.Int64
}

// recent are the answers of generations before gen asked for within
// RefreshWindow, the most recently asked first.
func (c *Cache) recent(gen uint64) []recentAnswer {
	since := time.Now().Add(-RefreshWindow).UnixNano()
	c.mu.RLock()
	var out []recentAnswer
	for k, e := range c.entries {
		if e.generation < gen && e.compute != nil && e.asked.Load() >= since {
			out = append(out, recentAnswer{k, e.compute, e.asked})
		}
	}
	c.mu.RUnlock()
	slices.SortFunc(out, func(a, b recentAnswer) int { return cmp.Compare(b.asked.Load(), a.asked.Load()) })
	return out[:min(len(out), refreshMax)]
}

func (c *Cache) lookup(key string, gen uint64) (any, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	e, ok := c.entries[key]
	if !ok || e.generation != gen {
		return nil, false
	}
	now := time.Now()
	if now.Sub(e.at) >= c.maxAge {
		return nil, false
	}
	if e.asked.Load() < now.UnixNano()-int64(time.Second) {
		e.asked.Store(now.UnixNano()) // at most once a second: the hits stay reads
	}
	return e.value, true
}

func (c *Cache) put(key string, gen uint64, v any, compute func() (any, error), asked *atomic.Int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	old, ok := c.entries[key]
	if ok && old.generation > gen {
		return // a newer answer is already there
	}
	now := time.Now()
	if asked == nil { // a reader's computation: asked now
		if asked = old.asked; asked == nil {
			asked = new(atomic.Int64)
		}
		asked.Store(now.UnixNano())
	}
	if len(c.entries) >= c.limit {
		c.evict()
	}
	c.entries[key] = entry{generation: gen, at: now, value: v, compute: compute, asked: asked}
}

// evict drops the entries of past generations, or, if all are current,
// about half of them.
func (c *Cache) evict() {
	now := c.generation.Load()
	for k, e := range c.entries {
		if e.generation != now {
			delete(c.entries, k)
		}
	}
	for k := range c.entries {
		if len(c.entries) < c.limit/2+1 {
			break
		}
		delete(c.entries, k)
	}
}
