package ratelimit

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"leoc/internal/scaletest"
)

func TestMemory(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	l := NewMemory(3, time.Minute, func() time.Time { return now })
	for i := range 3 {
		if d, _ := l.Allow(ctx, "a"); !d.OK {
			t.Fatalf("event %d refused", i+1)
		}
	}
	now = now.Add(20 * time.Second)
	d, _ := l.Allow(ctx, "a")
	if d.OK || d.RetryAfter != 40*time.Second {
		t.Fatalf("4th event: %+v, want refused for the 40 s left", d)
	}
	if d, _ := l.Allow(ctx, "b"); !d.OK {
		t.Fatal("another key shares the count")
	}
	_ = l.Reset(ctx, "a")
	if d, _ := l.Allow(ctx, "a"); !d.OK {
		t.Fatal("reset key still refused")
	}
	now = now.Add(time.Minute)
	for range 3 {
		_, _ = l.Allow(ctx, "b")
	}
	if d, _ := l.Allow(ctx, "b"); d.OK {
		t.Fatal("new window allowed more than 3")
	}
}

// TestRedisCountsAcrossClients is what several replicas see: two clients
// (two processes' pools) share one count, exactly n of many parallel events
// pass, and the refusal says when the window ends.
func TestRedisCountsAcrossClients(t *testing.T) {
	ctx := context.Background()
	url := scaletest.RedisURL(t)
	opt, err := redis.ParseURL(url)
	if err != nil {
		t.Fatal(err)
	}
	a, b := redis.NewClient(opt), redis.NewClient(opt)
	defer a.Close()
	defer b.Close()
	prefix := scaletest.RandomName("leoc:test:rate:") + ":"
	la, lb := NewRedis(a, prefix, 20, 2*time.Second), NewRedis(b, prefix, 20, 2*time.Second)
	var ok atomic.Int32
	var wg sync.WaitGroup
	for i := range 60 {
		l := la
		if i%2 == 1 {
			l = lb
		}
		wg.Go(func() {
			d, err := l.Allow(ctx, "203.0.113.7")
			if err != nil {
				t.Error(err)
			}
			if d.OK {
				ok.Add(1)
			} else if d.RetryAfter <= 0 || d.RetryAfter > 2*time.Second {
				t.Errorf("RetryAfter %v outside the window", d.RetryAfter)
			}
		})
	}
	wg.Wait()
	if ok.Load() != 20 {
		t.Fatalf("%d of 60 events allowed across two clients, want 20", ok.Load())
	}
	if ttl := a.PTTL(ctx, prefix+"203.0.113.7").Val(); ttl <= 0 || ttl > 2*time.Second {
		t.Errorf("counter expires in %v, want within its window", ttl)
	}
	if err := lb.Reset(ctx, "203.0.113.7"); err != nil {
		t.Fatal(err)
	}
	if d, _ := la.Allow(ctx, "203.0.113.7"); !d.OK {
		t.Fatal("reset through one client not seen by the other")
	}
}
