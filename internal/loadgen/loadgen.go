// Package loadgen writes records through LEOC's JSON API from several
// clients at once and remembers exactly which creates were acknowledged
// (201) and when, so the deployment tests can prove that a backup, a crash
// or a restart loses none of them. It is used only by tests.
package loadgen

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// Client calls one LEOC with a bearer token.
type Client struct {
	Base  string // http://host:port
	Token string
	HTTP  *http.Client
}

// New returns a client with a short timeout, so a killed server fails a
// request quickly instead of hanging the test.
func New(base, token string) *Client {
	return &Client{Base: base, Token: token, HTTP: &http.Client{Timeout: 10 * time.Second}}
}

// Do sends one request and returns the status and body.
func (c *Client) Do(ctx context.Context, method, path, contentType string, body []byte) (int, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, method, c.Base+path, bytes.NewReader(body))
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Authorization", "Bearer "+c.Token)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := c.HTTP.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, b, err
}

// Record is one acknowledged create.
type Record struct {
	ID          int64
	Description string
	Acked       time.Time // when the 201 arrived
}

// CreateEventLog creates one operations-log entry; ok is true only for a
// 201 with an id. An error or any other status is "not acknowledged".
func (c *Client) CreateEventLog(ctx context.Context, description string) (Record, bool) {
	body, _ := json.Marshal(map[string]any{"date_bs": "2082-10-15", "time": "14:30", "type": "assessment",
		"description": description, "location": "Kholi"})
	code, resp, err := c.Do(ctx, "POST", "/api/v1/event-logs", "application/json", body)
	if err != nil || code != http.StatusCreated {
		return Record{}, false
	}
	var out struct{ ID int64 }
	if json.Unmarshal(resp, &out) != nil || out.ID == 0 {
		return Record{}, false
	}
	return Record{ID: out.ID, Description: description, Acked: time.Now()}, true
}

// EventLog reads one operations-log entry back: its description, or an
// error naming the status.
func (c *Client) EventLog(ctx context.Context, id int64) (string, error) {
	code, body, err := c.Do(ctx, "GET", "/api/v1/event-logs/"+strconv.FormatInt(id, 10), "", nil)
	if err != nil {
		return "", err
	}
	if code != http.StatusOK {
		return "", fmt.Errorf("GET event log %d: %d %s", id, code, body)
	}
	var out struct{ Description string }
	if err := json.Unmarshal(body, &out); err != nil {
		return "", err
	}
	return out.Description, nil
}

// Writers runs n clients creating operations-log entries until ctx ends,
// each description unique; Stop waits for them and returns every
// acknowledged record and how many creates were attempted.
type Writers struct {
	mu       sync.Mutex
	acked    []Record
	attempts int
	wg       sync.WaitGroup
}

// Start begins n writers against c.
func Start(ctx context.Context, c *Client, n int, prefix string) *Writers {
	w := &Writers{}
	for i := range n {
		w.wg.Add(1)
		go func() {
			defer w.wg.Done()
			for j := 0; ctx.Err() == nil; j++ {
				r, ok := c.CreateEventLog(ctx, fmt.Sprintf("%s writer %d record %d", prefix, i, j))
				w.mu.Lock()
				w.attempts++
				if ok {
					w.acked = append(w.acked, r)
				}
				w.mu.Unlock()
				if !ok && ctx.Err() == nil {
					time.Sleep(20 * time.Millisecond) // a server that is down: do not spin
				}
			}
		}()
	}
	return w
}

// Acked returns how many creates were acknowledged so far.
func (w *Writers) Acked() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return len(w.acked)
}

// Stop waits for the writers (their ctx must be done) and returns what
// was acknowledged.
func (w *Writers) Stop() ([]Record, int) {
	w.wg.Wait()
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]Record(nil), w.acked...), w.attempts
}
