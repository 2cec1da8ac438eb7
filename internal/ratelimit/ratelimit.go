// Package ratelimit counts events per key in fixed windows: N per period.
// Memory counts in this process; Redis counts in a Redis server that several
// LEOC processes share, so a client spreading requests over replicas gets
// no more than from one.
package ratelimit

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
)

// Decision is the answer for one event.
type Decision struct {
	OK         bool
	RetryAfter time.Duration // when !OK: until the window ends
}

// Limiter allows N events per window per key.
type Limiter interface {
	// Allow counts one event for key.
	Allow(ctx context.Context, key string) (Decision, error)
	// Reset forgets key (after a success).
	Reset(ctx context.Context, key string) error
}

// Memory is a Limiter in this process's memory.
type Memory struct {
	mu     sync.Mutex
	n      int
	window time.Duration
	now    func() time.Time
	hits   map[string]*window
}

type window struct {
	start time.Time
	count int
}

// NewMemory allows n events per window per key; now is the clock.
func NewMemory(n int, per time.Duration, now func() time.Time) *Memory {
	return &Memory{n: n, window: per, now: now, hits: map[string]*window{}}
}

// Allow counts one event for key and reports whether it is within the limit.
func (l *Memory) Allow(_ context.Context, key string) (Decision, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	if len(l.hits) > 10000 {
		l.sweep(now)
	}
	w, ok := l.hits[key]
	if !ok || now.Sub(w.start) >= l.window {
		l.hits[key] = &window{start: now, count: 1}
		return Decision{OK: l.n >= 1}, nil
	}
	w.count++
	if w.count <= l.n {
		return Decision{OK: true}, nil
	}
	return Decision{RetryAfter: w.start.Add(l.window).Sub(now)}, nil
}

// Reset forgets a key.
func (l *Memory) Reset(_ context.Context, key string) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.hits, key)
	return nil
}

func (l *Memory) sweep(now time.Time) {
	for k, w := range l.hits {
		if now.Sub(w.start) >= l.window {
			delete(l.hits, k)
		}
	}
}

// Redis is a Limiter whose counters live in Redis under prefix+key, each
// expiring with its window, so Redis holds nothing for a key that went
// quiet.
type Redis struct {
	c      *redis.Client
	prefix string
	n      int
	window time.Duration
}

// NewRedis allows n events per window per key, counted in c under prefix
// (one per limit and deployment, e.g. "leoc:0:rate:api-user:").
func NewRedis(c *redis.Client, prefix string, n int, per time.Duration) *Redis {
	return &Redis{c: c, prefix: prefix, n: n, window: per}
}

// count increments the window's counter and starts its expiry on the first
// event, in one script so no replica sees a counter without an expiry.
var count = redis.NewScript(`
local c = redis.call('INCR', KEYS[1])
if c == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
return {c, ttl}`)

// Allow counts one event for key in Redis.
func (l *Redis) Allow(ctx context.Context, key string) (Decision, error) {
	res, err := count.Run(ctx, l.c, []string{l.prefix + key}, l.window.Milliseconds()).Int64Slice()
	if err != nil || len(res) != 2 {
		return Decision{}, fmt.Errorf("ratelimit: count %s in redis: %w", l.prefix, err)
	}
	if int(res[0]) <= l.n {
		return Decision{OK: true}, nil
	}
	return Decision{RetryAfter: time.Duration(res[1]) * time.Millisecond}, nil
}

// Reset forgets key in Redis.
func (l *Redis) Reset(ctx context.Context, key string) error {
	if err := l.c.Del(ctx, l.prefix+key).Err(); err != nil {
		return fmt.Errorf("ratelimit: reset %s in redis: %w", l.prefix, err)
	}
	return nil
}
