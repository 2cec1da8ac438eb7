package notify

import (
	"context"
	"io"
	"log/slog"
	"strings"
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

// TestRedisReloadsEverythingAfterReconnect: when the subscription's
// connection is dropped (Redis restarted, network cut), notices may have
// been missed, so once go-redis has subscribed again every subscriber is
// called.
func TestRedisReloadsEverythingAfterReconnect(t *testing.T) {
	ctx := context.Background()
	opt, err := redis.ParseURL(scaletest.RedisURL(t))
	if err != nil {
		t.Fatal(err)
	}
	name := scaletest.RandomName("leoc-test-")
	opt.ClientName = name // so the test can drop exactly its own connections
	c := redis.NewClient(opt)
	defer c.Close()
	b, err := NewRedis(ctx, c, scaletest.RandomName("leoc:test:")+":", slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	reloaded := make(chan string, 4)
	b.Subscribe(Calendar, func(context.Context) { reloaded <- Calendar })
	b.Subscribe(Wards, func(context.Context) { reloaded <- Wards })

	admin := redis.NewClient(&redis.Options{Addr: opt.Addr})
	defer admin.Close()
	list, err := admin.ClientList(ctx).Result()
	if err != nil {
		t.Fatal(err)
	}
	killed := 0
	for _, line := range strings.Split(list, "\n") {
		if strings.Contains(line, " name="+name+" ") {
			id := strings.TrimPrefix(strings.Fields(line)[0], "id=")
			if err := admin.Do(ctx, "CLIENT", "KILL", "ID", id).Err(); err != nil {
				t.Fatal(err)
			}
			killed++
		}
	}
	if killed == 0 {
		t.Fatalf("no connection named %s in CLIENT LIST", name)
	}
	got := map[string]bool{}
	timeout := time.After(10 * time.Second)
	for len(got) < 2 {
		select {
		case topic := <-reloaded:
			got[topic] = true
		case <-timeout:
			t.Fatalf("after the connection was dropped, reloaded only %v", got)
		}
	}
}
