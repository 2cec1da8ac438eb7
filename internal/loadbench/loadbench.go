// Package loadbench drives one LEOC over HTTP with a fixed number of
// connections for a fixed time and reports throughput and latency: the
// engine of `leoc bench` (docs/performance.md). It knows nothing of LEOC
// beyond a bearer token; what to request is the caller's Scenario.
package loadbench

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"slices"
	"sync"
	"time"
)

// Scenario is one kind of request. Body, when set, makes the i-th request's
// body (unique records for creates); Want is the status that counts as
// success.
type Scenario struct {
	Name   string
	Method string
	Path   string
	Body   func(i int64) []byte
	Want   int
	// Client, when set, is the target instead of the one Run is given (a
	// second server of the same database, configured otherwise).
	Client *Client
	// Paths, when set, are asked in turn (each connection starting at
	// another one) instead of Path.
	Paths []string
	// During, when set, runs beside the requests for as long as they run
	// (a writer that changes what they read); an error counts as one.
	During func(ctx context.Context) error
}

// Result is one scenario at one number of connections.
type Result struct {
	Scenario    string
	Connections int
	Requests    int
	Errors      int // a transport error or another status than Want
	FirstError  string
	Elapsed     time.Duration
	P50, P99    time.Duration
}

// PerSecond is the successful requests per second.
func (r Result) PerSecond() float64 {
	if r.Elapsed <= 0 {
		return 0
	}
	return float64(r.Requests-r.Errors) / r.Elapsed.Seconds()
}

// Client is the target: a base URL and a bearer token.
type Client struct {
	Base  string
	Token string
	HTTP  *http.Client
}

// NewClient returns a client that keeps up to conns connections open, so
// a run measures requests, not TCP handshakes.
func NewClient(base, token string, conns int) *Client {
	tr := &http.Transport{MaxIdleConns: conns, MaxIdleConnsPerHost: conns, MaxConnsPerHost: conns, IdleConnTimeout: time.Minute}
	return &Client{Base: base, Token: token, HTTP: &http.Client{Transport: tr, Timeout: 30 * time.Second}}
}

// Do sends one request and reads the whole answer.
func (c *Client) Do(ctx context.Context, method, path string, body []byte) (int, []byte, error) {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.Base+path, rd)
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Authorization", "Bearer "+c.Token)
	req.Header.Set("Accept-Encoding", "identity")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.HTTP.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, b, err
}

// Run sends sc from conns goroutines until d has passed (or ctx ends) and
// measures each request from send to the last byte. The i given to Body
// counts from start across all goroutines, so bodies stay unique over
// several runs of the same scenario when start differs.
func Run(ctx context.Context, c *Client, sc Scenario, conns int, d time.Duration, start int64) Result {
	if sc.Want == 0 {
		sc.Want = http.StatusOK
	}
	if sc.Client != nil {
		c = sc.Client
	}
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	var (
		mu       sync.Mutex
		latency  []time.Duration
		errors   int
		firstErr string
		next     = start
	)
	t0 := time.Now()
	var wg sync.WaitGroup
	if sc.During != nil {
		wg.Go(func() {
			if err := sc.During(ctx); err != nil && ctx.Err() == nil {
				mu.Lock()
				errors++
				firstErr = err.Error()
				mu.Unlock()
			}
		})
	}
	for conn := range conns {
		wg.Go(func() {
			var own []time.Duration
			ownErrors := 0
			ownFirst := ""
			for n := conn; ctx.Err() == nil; n++ {
				path := sc.Path
				if len(sc.Paths) > 0 {
					path = sc.Paths[n%len(sc.Paths)]
				}
				var body []byte
				if sc.Body != nil {
					mu.Lock()
					next++
					i := next
					mu.Unlock()
					body = sc.Body(i)
				}
				t := time.Now()
				code, resp, err := c.Do(context.WithoutCancel(ctx), sc.Method, path, body)
				own = append(own, time.Since(t))
				if err != nil || code != sc.Want {
					ownErrors++
					if ownFirst == "" {
						ownFirst = describe(code, resp, err)
					}
				}
			}
			mu.Lock()
			latency = append(latency, own...)
			errors += ownErrors
			if firstErr == "" {
				firstErr = ownFirst
			}
			mu.Unlock()
		})
	}
	wg.Wait()
	elapsed := time.Since(t0)
	slices.Sort(latency)
	return Result{Scenario: sc.Name, Connections: conns, Requests: len(latency), Errors: errors, FirstError: firstErr,
		Elapsed: elapsed, P50: Quantile(latency, 0.50), P99: Quantile(latency, 0.99)}
}

// Quantile is the q-quantile of sorted durations (nearest rank); 0 for none.
func Quantile(sorted []time.Duration, q float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(q*float64(len(sorted))+0.5) - 1
	return sorted[min(max(i, 0), len(sorted)-1)]
}

func describe(code int, body []byte, err error) string {
	if err != nil {
		return err.Error()
	}
	if len(body) > 200 {
		body = body[:200]
	}
	return fmt.Sprintf("%d %s", code, bytes.TrimSpace(body))
}
