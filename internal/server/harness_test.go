package server

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"leoc/internal/auth"
	"leoc/internal/config"
	"leoc/internal/leoc"
	"leoc/internal/store"
	"leoc/internal/store/storetest"
)

// clock is a settable test clock shared by the server and the store.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// testEnv is one server on one database with a user of every role.
type testEnv struct {
	t      testing.TB
	s      *Server
	st     *store.Store
	clock  *clock
	users  map[leoc.Role]*leoc.User
	tokens map[leoc.Role]string
	logs   *bytes.Buffer
}

const testPassword = "correct-horse-42"

func testConfig(mod ...func(*config.Config)) *config.Config {
	cfg, err := config.Load(func(string) (string, bool) { return "", false })
	if err != nil {
		panic(err)
	}
	cfg.SecretKey = bytes.Repeat([]byte{7, 1, 9, 3}, 8)
	// Most handler tests assert the lock-on-save rule; the tests of the
	// edit window set one with a mod.
	cfg.EditWindow = 0
	// The suites drive thousands of requests as one user from one address;
	// the rate limit's own tests (scaleout_test.go) set a small one.
	cfg.RateLimit = config.Rate{N: 1_000_000, Per: time.Minute}
	for _, m := range mod {
		m(cfg)
	}
	return cfg
}

func newEnv(t testing.TB, b storetest.Backend, mod ...func(*config.Config)) *testEnv {
	t.Helper()
	st := storetest.Open(t, b)
	clk := &clock{t: time.Date(2026, 1, 29, 10, 0, 0, 0, time.UTC)}
	st.SetClock(clk.Now)
	logs := &bytes.Buffer{}
	log := slog.New(slog.NewTextHandler(&syncWriter{w: logs}, &slog.HandlerOptions{Level: slog.LevelDebug}))
	e := &testEnv{t: t, st: st, clock: clk, users: map[leoc.Role]*leoc.User{}, tokens: map[leoc.Role]string{}, logs: logs}
	hash, err := auth.HashPassword(testPassword)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range leoc.Roles {
		u := &leoc.User{Username: string(r) + "1", Role: r}
		if err := st.CreateUser(context.Background(), store.SystemActor, u, hash); err != nil {
			t.Fatal(err)
		}
		e.users[r] = u
		e.tokens[r] = e.newToken(u)
	}
	cfg := testConfig(mod...)
	st.SetEditWindow(cfg.EditWindow)
	s, err := New(Options{Config: cfg, Store: st, Logger: log, Version: "test", Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	e.s = s
	return e
}

func (e *testEnv) newToken(u *leoc.User) string {
	tok, err := auth.NewAPIToken()
	if err != nil {
		e.t.Fatal(err)
	}
	if err := e.st.CreateAPIToken(context.Background(), store.SystemActor, &store.APIToken{UserID: u.ID, Prefix: tok[:9]}, auth.TokenHash(tok)); err != nil {
		e.t.Fatal(err)
	}
	return tok
}

// each runs f on every backend.
func each(t *testing.T, f func(t *testing.T, e *testEnv)) {
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) { f(t, newEnv(t, b)) })
	}
}

type syncWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (s *syncWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(p)
}

// req describes one request of a scenario.
type req struct {
	method, path string
	body         string
	contentType  string
	token        string         // bearer token
	cookies      []*http.Cookie // session
	header       map[string]string
	remote       string
}

func (e *testEnv) do(r req) *httptest.ResponseRecorder {
	e.t.Helper()
	var body io.Reader
	if r.body != "" {
		body = strings.NewReader(r.body)
	}
	hr := httptest.NewRequest(r.method, r.path, body)
	if r.contentType != "" {
		hr.Header.Set("Content-Type", r.contentType)
	} else if r.body != "" {
		if strings.HasPrefix(r.body, "{") || strings.HasPrefix(r.body, "[") {
			hr.Header.Set("Content-Type", "application/json")
		} else {
			hr.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
	}
	if r.token != "" {
		hr.Header.Set("Authorization", "Bearer "+r.token)
	}
	for _, c := range r.cookies {
		hr.AddCookie(c)
	}
	for k, v := range r.header {
		hr.Header.Set(k, v)
	}
	if r.remote != "" {
		hr.RemoteAddr = r.remote
	}
	w := httptest.NewRecorder()
	e.s.Handler().ServeHTTP(w, hr)
	return w
}

// login logs a user in through the form and returns the session cookie and
// the CSRF token of the home page.
func (e *testEnv) login(username string) ([]*http.Cookie, string) {
	e.t.Helper()
	w := e.do(req{method: "POST", path: "/login", body: url.Values{"username": {username}, "password": {testPassword}}.Encode()})
	if w.Code != http.StatusSeeOther {
		e.t.Fatalf("login %s: %d %s", username, w.Code, w.Body.String())
	}
	cookies := w.Result().Cookies()
	home := e.do(req{method: "GET", path: "/", cookies: cookies})
	return cookies, csrfFrom(e.t, home.Body.String())
}

var csrfMeta = regexp.MustCompile(`<meta name="csrf-token" content="([^"]+)">`)

func csrfFrom(t testing.TB, html string) string {
	t.Helper()
	m := csrfMeta.FindStringSubmatch(html)
	if m == nil {
		t.Fatalf("no CSRF token in page")
	}
	return m[1]
}

func decodeBody(t *testing.T, w *httptest.ResponseRecorder) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(w.Body.Bytes(), &m); err != nil {
		t.Fatalf("response is not JSON: %v\n%s", err, w.Body.String())
	}
	return m
}

func errorCode(t *testing.T, w *httptest.ResponseRecorder) string {
	t.Helper()
	m := decodeBody(t, w)
	e, _ := m["error"].(map[string]any)
	code, _ := e["code"].(string)
	return code
}

func auditFilterAction(a string) store.AuditFilter { return store.AuditFilter{Action: a} }

func backendSQLite() storetest.Backend { return storetest.Backends()[0] }
