package notify

import (
	"context"
	"io"
	"log/slog"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"leoc/internal/scaletest"
)

func TestLocal(t *testing.T) {
	b := NewLocal()
	var settings, lists atomic.Int32
	b.Subscribe(Settings, func(context.Context) { settings.Add(1) })
	b.Subscribe(Lists, func(context.Context) { lists.Add(1) })
	if err := b.Publish(context.Background(), Settings); err != nil {
		t.Fatal(err)
	}
	if settings.Load() != 1 || lists.Load() != 0 {
		t.Fatalf("settings %d lists %d", settings.Load(), lists.Load())
	}
}

// TestRedisReachesOtherProcesses: two buses on one Redis (two replicas); a
// publish on one calls the other's subscriber within a second and its own
// exactly once; another prefix (another deployment) hears nothing.
func TestRedisReachesOtherProcesses(t *testing.T) {
	ctx := context.Background()
	opt, err := redis.ParseURL(scaletest.RedisURL(t))
	if err != nil {
		t.Fatal(err)
	}
	c := redis.NewClient(opt)
	defer c.Close()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	prefix := scaletest.RandomName("leoc:test:") + ":"
	one, err := NewRedis(ctx, c, prefix, log)
	if err != nil {
		t.Fatal(err)
	}
	defer one.Close()
	two, err := NewRedis(ctx, c, prefix, log)
	if err != nil {
		t.Fatal(err)
	}
	defer two.Close()
	other, err := NewRedis(ctx, c, prefix+"elsewhere:", log)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()

	var mine, theirs, stranger atomic.Int32
	heard := make(chan struct{}, 1)
	one.Subscribe(Calendar, func(context.Context) { mine.Add(1) })
	two.Subscribe(Calendar, func(context.Context) { theirs.Add(1); heard <- struct{}{} })
	two.Subscribe(Settings, func(context.Context) { t.Error("settings subscriber called for a calendar change") })
	other.Subscribe(Calendar, func(context.Context) { stranger.Add(1) })
	if err := one.Publish(ctx, Calendar); err != nil {
		t.Fatal(err)
	}
	select {
	case <-heard:
	case <-time.After(time.Second):
		t.Fatal("the other process did not hear the change within a second")
	}
	time.Sleep(200 * time.Millisecond) // let a duplicate, if any, arrive
	if mine.Load() != 1 || theirs.Load() != 1 || stranger.Load() != 0 {
		t.Fatalf("publisher called %d times, other %d, other deployment %d; want 1, 1, 0", mine.Load(), theirs.Load(), stranger.Load())
	}
	if err := one.Ping(ctx); err != nil {
		t.Fatal(err)
	}
}
