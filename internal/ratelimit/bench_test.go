package ratelimit

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"leoc/internal/scaletest"
)

// BenchmarkAllow is what the rate limit adds to every request: twice this
// (per address and per user). go test -run '^$' -bench Allow ./internal/ratelimit
func BenchmarkAllow(b *testing.B) {
	ctx := context.Background()
	b.Run("memory", func(b *testing.B) {
		l := NewMemory(1_000_000_000, time.Minute, time.Now)
		for i := 0; b.Loop(); i++ {
			_, _ = l.Allow(ctx, strconv.Itoa(i%1000))
		}
	})
	b.Run("redis", func(b *testing.B) {
		opt, err := redis.ParseURL(scaletest.RedisURL(b))
		if err != nil {
			b.Fatal(err)
		}
		c := redis.NewClient(opt)
		defer c.Close()
		l := NewRedis(c, scaletest.RandomName("leoc:bench:")+":", 1_000_000_000, time.Minute)
		for i := 0; b.Loop(); i++ {
			if _, err := l.Allow(ctx, strconv.Itoa(i%1000)); err != nil {
				b.Fatal(err)
			}
		}
	})
}
