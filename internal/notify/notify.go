// Package notify tells every LEOC process that something it keeps in memory
// changed in the database, by topic. One process uses Local; several
// replicas use Redis pub/sub (docs/scale-out.md), so a change made through
// one replica reaches the others within a second, without a restart.
//
// A notice carries no data: the subscriber reloads what the topic names
// from the database, which stays the one source of truth. A lost notice
// therefore costs at most staleness until the next one, and a reconnection
// to Redis calls every subscriber once, since notices may have been missed.
package notify

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"strings"
	"sync"

	"github.com/redis/go-redis/v9"
)

// Topics LEOC publishes. A package that caches something new adds its own
// name here and publishes it after each change.
const (
	Settings = "settings" // office settings, wards and their populations, checks
	Lists    = "lists"    // the value lists (incident types, items …)
	Calendar = "calendar" // the BS month-length table (leoc calendar import)
	Wards    = "wards"    // ward polygons (the ward-map work subscribes to it)
	Stats    = "stats"    // incident or distribution statistics (any write of those records)
	Auth     = "auth"     // users, API tokens, sessions (who a token or session is, and may do)
)

// Bus publishes and delivers change notices.
type Bus interface {
	// Publish announces that topic changed. Subscribers in this process are
	// called before it returns; other processes hear it shortly after.
	Publish(ctx context.Context, topic string) error
	// Subscribe calls fn after every change of topic, in a goroutine of the
	// bus; fn should reload and return quickly.
	Subscribe(topic string, fn func(ctx context.Context))
	// Close stops delivering.
	Close() error
}

// subscribers is the per-process fan-out both buses share.
type subscribers struct {
	mu  sync.RWMutex
	fns map[string][]func(context.Context)
}

func (s *subscribers) add(topic string, fn func(context.Context)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.fns == nil {
		s.fns = map[string][]func(context.Context){}
	}
	s.fns[topic] = append(s.fns[topic], fn)
}

func (s *subscribers) call(ctx context.Context, topic string) {
	s.mu.RLock()
	fns := s.fns[topic]
	s.mu.RUnlock()
	for _, fn := range fns {
		fn(ctx)
	}
}

func (s *subscribers) callAll(ctx context.Context) {
	s.mu.RLock()
	var all []func(context.Context)
	for _, fns := range s.fns {
		all = append(all, fns...)
	}
	s.mu.RUnlock()
	for _, fn := range all {
		fn(ctx)
	}
}

// Local is the bus of a single process.
type Local struct{ subs subscribers }

// NewLocal returns a bus that delivers within this process only.
func NewLocal() *Local { return &Local{} }

// Publish calls this process's subscribers of topic.
func (l *Local) Publish(ctx context.Context, topic string) error {
	l.subs.call(ctx, topic)
	return nil
}

// Subscribe registers fn for topic.
func (l *Local) Subscribe(topic string, fn func(context.Context)) { l.subs.add(topic, fn) }

// Close does nothing: there is no connection.
func (l *Local) Close() error { return nil }

// Redis is the bus of several processes: notices go over Redis pub/sub on
// the channels prefix+"change:"+topic.
type Redis struct {
	c      *redis.Client
	prefix string
	origin string // this process, so it does not handle its own notice twice
	subs   subscribers
	ps     *redis.PubSub
	log    *slog.Logger
	done   chan struct{}
}

// NewRedis subscribes to every change channel under prefix and returns once
// Redis has confirmed it, so no notice published after it returns is missed.
func NewRedis(ctx context.Context, c *redis.Client, prefix string, log *slog.Logger) (*Redis, error) {
	id := make([]byte, 8)
	if _, err := rand.Read(id); err != nil {
		return nil, fmt.Errorf("notify: %w", err)
	}
	b := &Redis{c: c, prefix: prefix + "change:", origin: hex.EncodeToString(id), log: log, done: make(chan struct{})}
	b.ps = c.PSubscribe(ctx, b.prefix+"*")
	if _, err := b.ps.Receive(ctx); err != nil { // the subscription's confirmation
		_ = b.ps.Close() // already failing
		return nil, fmt.Errorf("notify: subscribe in redis: %w", err)
	}
	go b.run()
	return b, nil
}

// run delivers notices until Close. go-redis reconnects by itself and then
// subscribes again; that subscription message means notices may have been
// lost meanwhile, so every subscriber reloads.
func (b *Redis) run() {
	defer close(b.done)
	ctx := context.Background()
	for msg := range b.ps.ChannelWithSubscriptions() {
		switch m := msg.(type) {
		case *redis.Subscription:
			// NewRedis consumed the first confirmation: this is a
			// resubscription after a reconnect.
			if m.Kind == "psubscribe" {
				b.log.Info("change notices: resubscribed to redis; reloading everything")
				b.subs.callAll(ctx)
			}
		case *redis.Message:
			topic := strings.TrimPrefix(m.Channel, b.prefix)
			if m.Payload == b.origin {
				continue // already delivered in Publish
			}
			b.subs.call(ctx, topic)
		}
	}
}

// Publish calls this process's subscribers, then tells the others.
func (b *Redis) Publish(ctx context.Context, topic string) error {
	b.subs.call(ctx, topic)
	if err := b.c.Publish(ctx, b.prefix+topic, b.origin).Err(); err != nil {
		return fmt.Errorf("notify: publish %s: %w", topic, err)
	}
	return nil
}

// Subscribe registers fn for topic.
func (b *Redis) Subscribe(topic string, fn func(context.Context)) { b.subs.add(topic, fn) }

// Ping checks that Redis answers.
func (b *Redis) Ping(ctx context.Context) error { return b.c.Ping(ctx).Err() }

// Close unsubscribes and waits for the delivery goroutine to end.
func (b *Redis) Close() error {
	err := b.ps.Close()
	<-b.done
	return err
}
