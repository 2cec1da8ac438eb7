// Package redisconn opens the Redis connection that several LEOC servers
// share (LEOC_REDIS_URL): the rate limits count in it and change notices
// travel through its pub/sub. It only connects; the users of the
// connection live in internal/ratelimit and internal/notify.
package redisconn

import (
	"context"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"
)

// Conn is a Redis connection pool.
type Conn struct {
	c      *redis.Client
	prefix string
}

// Open parses url (redis://[:password@]host:port/db, rediss:// for TLS) and
// checks that the server answers, so a wrong address stops the start
// instead of failing the first sign-in.
func Open(ctx context.Context, url string) (*Conn, error) {
	opt, err := redis.ParseURL(url)
	if err != nil {
		// The URL may hold a password: never repeat it.
		return nil, fmt.Errorf("redis: LEOC_REDIS_URL is not a Redis URL: %w", redactErr(err))
	}
	// Short timeouts: a counter that cannot be read in a second is better
	// answered with an error than with a request left hanging.
	opt.DialTimeout, opt.ReadTimeout, opt.WriteTimeout = 3*time.Second, time.Second, time.Second
	c := &Conn{c: redis.NewClient(opt), prefix: fmt.Sprintf("leoc:%d:", opt.DB)}
	pctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if err := c.Ping(pctx); err != nil {
		_ = c.Close() // already failing
		return nil, err
	}
	return c, nil
}

// Ping checks that Redis answers (for /ready).
func (c *Conn) Ping(ctx context.Context) error {
	if err := c.c.Ping(ctx).Err(); err != nil {
		return fmt.Errorf("redis: ping %s: %w", c.c.Options().Addr, err)
	}
	return nil
}

// Prefix starts every key and channel name LEOC uses: "leoc:<db>:". Keys
// are already apart per database number, but pub/sub channels are global
// to the Redis server, so two deployments sharing one Redis server choose
// different database numbers and this keeps their notices apart too.
func (c *Conn) Prefix() string { return c.prefix }

// Client is the underlying go-redis client.
func (c *Conn) Client() *redis.Client { return c.c }

// Close closes the pool.
func (c *Conn) Close() error { return c.c.Close() }

// redactErr drops the text of a URL parse error, which can quote the URL.
func redactErr(err error) error {
	return fmt.Errorf("check the scheme, host and database number (%T)", err)
}
