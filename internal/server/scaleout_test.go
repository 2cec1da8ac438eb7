package server

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"leoc/internal/config"
	"leoc/internal/files"
	"leoc/internal/leoc"
	"leoc/internal/notify"
	"leoc/internal/scaletest"
	"leoc/internal/store"
	"leoc/internal/store/storetest"
)

// TestRateLimit429 holds LEOC_RATE_LIMIT to its word with a small limit:
// per client address (bad tokens count, before authentication), per user
// across addresses, 429 with Retry-After and the wait in the user's
// language, as JSON and as a page; health checks and assets never count;
// the next window allows again.
func TestRateLimit429(t *testing.T) {
	e := newEnv(t, backendSQLite(), func(c *config.Config) { c.RateLimit = config.Rate{N: 5, Per: time.Minute} })
	admin := e.tokens[leoc.RoleAdmin]
	from := func(ip string) string { return ip + ":4000" }

	// One user from one address: five pass, the sixth is refused.
	for i := range 5 {
		if w := e.do(req{method: "GET", path: "/api/v1/me", token: admin, remote: from("198.51.100.1")}); w.Code != http.StatusOK {
			t.Fatalf("request %d: %d", i+1, w.Code)
		}
	}
	w := e.do(req{method: "GET", path: "/api/v1/me", token: admin, remote: from("198.51.100.1"), header: map[string]string{"Accept-Language": "en"}})
	if w.Code != http.StatusTooManyRequests || w.Header().Get("Retry-After") != "60" || errorCode(t, w) != leoc.ERateLimited {
		t.Fatalf("6th request: %d Retry-After %q %s", w.Code, w.Header().Get("Retry-After"), w.Body.String())
	}
	if !strings.Contains(w.Body.String(), "Please wait 60 seconds") {
		t.Errorf("English message: %s", w.Body.String())
	}
	// Health checks and assets are not counted.
	for _, p := range []string{"/health", e.s.assets.URL("app.css")} {
		if w := e.do(req{method: "GET", path: p, remote: from("198.51.100.1")}); w.Code != http.StatusOK {
			t.Errorf("%s while limited: %d", p, w.Code)
		}
	}

	// One user from many addresses: the user's own count refuses the sixth.
	viewer := e.tokens[leoc.RoleViewer]
	for i := range 6 {
		w := e.do(req{method: "GET", path: "/api/v1/me", token: viewer, remote: from("203.0.113." + idString(int64(10+i)))})
		if want := map[bool]int{true: 200, false: 429}[i < 5]; w.Code != want {
			t.Fatalf("viewer request %d from a new address: %d, want %d", i+1, w.Code, want)
		}
	}

	// Token guessing from one address is counted before authentication.
	for i := range 6 {
		w := e.do(req{method: "GET", path: "/api/v1/me", token: "leoc_guess" + idString(int64(i)), remote: from("192.0.2.99")})
		if want := map[bool]int{true: 401, false: 429}[i < 5]; w.Code != want {
			t.Fatalf("guess %d: %d, want %d", i+1, w.Code, want)
		}
	}

	// A page: 429 in Nepali by default.
	for range 5 {
		e.do(req{method: "GET", path: "/login", remote: from("192.0.2.50")})
	}
	w = e.do(req{method: "GET", path: "/login", remote: from("192.0.2.50")})
	if w.Code != http.StatusTooManyRequests || !strings.Contains(w.Body.String(), "६० सेकेन्ड पर्खेर") && !strings.Contains(w.Body.String(), "60 सेकेन्ड पर्खेर") {
		t.Fatalf("page: %d %s", w.Code, w.Body.String())
	}

	// The next window.
	e.clock.Add(time.Minute)
	if w := e.do(req{method: "GET", path: "/api/v1/me", token: admin, remote: from("198.51.100.1")}); w.Code != http.StatusOK {
		t.Fatalf("next window: %d", w.Code)
	}
}

// TestLoginRateLimitIsConfigurable: LEOC_LOGIN_RATE_LIMIT per address,
// with the wait in the answer.
func TestLoginRateLimitIsConfigurable(t *testing.T) {
	e := newEnv(t, backendSQLite(), func(c *config.Config) { c.LoginRateLimit = config.Rate{N: 2, Per: 30 * time.Second} })
	for i := range 3 {
		w := e.do(req{method: "POST", path: "/login", body: "username=nobody" + idString(int64(i)) + "&password=x", remote: "192.0.2.7:1",
			header: map[string]string{"Accept-Language": "en"}})
		if i < 2 && w.Code == http.StatusTooManyRequests {
			t.Fatalf("attempt %d refused", i+1)
		}
		if i == 2 && (w.Code != http.StatusTooManyRequests || w.Header().Get("Retry-After") != "30" || !strings.Contains(w.Body.String(), "wait 30 seconds")) {
			t.Fatalf("3rd attempt: %d %q", w.Code, w.Header().Get("Retry-After"))
		}
	}
}

// TestChangeRoutesPublish: every route that changes settings, lists or
// wards publishes its change notice, and only when it succeeded.
func TestChangeRoutesPublish(t *testing.T) {
	e := newEnv(t, backendSQLite())
	var patterns []string
	for _, rt := range e.s.routes {
		patterns = append(patterns, rt.pattern)
		method, path, _ := strings.Cut(rt.pattern, " ")
		if method == "GET" {
			continue
		}
		if strings.Contains(path, "/settings") || strings.Contains(path, "/lists") || strings.Contains(path, "/wards") {
			if _, ok := changeTopics[rt.pattern]; !ok {
				t.Errorf("%s changes what replicas cache but publishes no change notice (changeTopics)", rt.pattern)
			}
		}
	}
	for p := range changeTopics {
		if !slices.Contains(patterns, p) {
			t.Errorf("changeTopics names %s, which is not a route", p)
		}
	}
	var settings, lists atomic.Int32
	e.s.Bus().Subscribe(notify.Settings, func(context.Context) { settings.Add(1) })
	e.s.Bus().Subscribe(notify.Lists, func(context.Context) { lists.Add(1) })
	admin := e.tokens[leoc.RoleAdmin]
	if w := e.do(req{method: "PUT", path: "/api/v1/settings", token: admin, body: `{"office_name_en": 5}`}); w.Code < 400 {
		t.Fatalf("bad settings accepted: %d", w.Code)
	}
	if settings.Load() != 0 {
		t.Fatal("a refused change was announced")
	}
	if w := e.do(req{method: "PUT", path: "/api/v1/lists/disaster_type/landslide2", token: admin, body: `{"label_ne": "पहिरो २", "label_en": "Landslide 2"}`}); w.Code >= 400 {
		t.Fatalf("list value: %d %s", w.Code, w.Body.String())
	}
	if lists.Load() != 1 || settings.Load() != 0 {
		t.Fatalf("lists %d settings %d after a list change", lists.Load(), settings.Load())
	}
}

// TestCalendarReloadsOnNotice: a table imported into the database (as
// leoc calendar import does on any machine) is in use after the notice,
// without a new server.
func TestCalendarReloadsOnNotice(t *testing.T) {
	e := newEnv(t, backendSQLite())
	month := func() float64 {
		w := e.do(req{method: "GET", path: "/api/v1/calendar/month?bs=2090-12", token: e.tokens[leoc.RoleViewer]})
		if w.Code != 200 {
			t.Fatalf("month: %d %s", w.Code, w.Body.String())
		}
		n, _ := decodeBody(t, w)["days_in_month"].(float64)
		return n
	}
	before := month()
	table := "official-through 2090\n2090 31 31 32 31 31 31 30 29 30 29 30 " + map[bool]string{true: "31", false: "30"}[before == 30] + "\n"
	if err := e.st.SetCalendarTable(context.Background(), store.SystemActor, table); err != nil {
		t.Fatal(err)
	}
	if month() != before {
		t.Fatal("the table changed before any notice")
	}
	if err := e.s.Bus().Publish(context.Background(), notify.Calendar); err != nil {
		t.Fatal(err)
	}
	if after := month(); after == before {
		t.Fatalf("Chaitra 2090 still %v days after the calendar notice", after)
	}
}

// TestUploadsGoToInjectedS3: Options.Storage is where uploads go and come
// from; here a real MinIO bucket, nothing in the upload directory.
func TestUploadsGoToInjectedS3(t *testing.T) {
	m := scaletest.StartMinIO(t)
	s3, err := files.OpenS3URL(m.StorageURL(m.Bucket(t)), m.AccessKey, m.SecretKey)
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			e, dir := uploadEnv(t, b)
			s, err := New(Options{Config: e.s.cfg, Store: e.st, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Version: "test", Now: e.clock.Now, Storage: s3})
			if err != nil {
				t.Fatal(err)
			}
			s.routes = append(s.routes, route{pattern: "POST /api/v1/test-records/{id}/files", access: authenticated, perm: leoc.PermWriteRecords, h: s.apiUploadTo("test-records")})
			s.handler = s.buildHandler()
			e.s = s
			img := pngFile(t)
			res := e.upload(t, "/api/v1/test-records/1/files", e.tokens[leoc.RoleOfficer], "photo", "photo.png", img)
			if res.Code != http.StatusCreated {
				t.Fatalf("upload: %d %s", res.Code, res.Body)
			}
			var got attachmentJSON
			if err := json.Unmarshal([]byte(res.Body), &got); err != nil {
				t.Fatal(err)
			}
			if n := countUploads(t, dir); n != 0 {
				t.Fatalf("%d files in the local upload directory", n)
			}
			var key string
			if err := e.st.QueryRow(context.Background(), "SELECT storage_key FROM attachments WHERE id = ?", got.ID).Scan(&key); err != nil {
				t.Fatal(err)
			}
			if n, err := s3.Size(context.Background(), key); err != nil || n != int64(len(img)) {
				t.Fatalf("object in the bucket: %d %v", n, err)
			}
			w := e.do(req{method: "GET", path: "/api/v1/files/" + idString(got.ID), token: e.tokens[leoc.RoleFinance]})
			if w.Code != 200 || !bytes.Equal(w.Body.Bytes(), img) {
				t.Fatalf("download: %d, %d bytes", w.Code, w.Body.Len())
			}
		})
	}
}
