package server

import (
	"compress/gzip"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"leoc/internal/leoc"
	"leoc/internal/must"
	"leoc/internal/notify"
	"leoc/internal/store/storetest"
)

// freshStats is what a statistics API path must answer for a user, computed
// from the database now, past every cache.
func (e *testEnv) freshStats(t *testing.T, path string, u *leoc.User) string {
	t.Helper()
	p, raw, _ := strings.Cut(path, "?")
	q := must.Get(url.ParseQuery(raw))(t)
	var v any
	switch p {
	case "/api/v1/stats/incidents":
		f := must.Get(e.s.recordFilter(q, u))(t)
		v = incidentStatsJSON(must.Get(e.st.IncidentStats(t.Context(), f))(t))
	case "/api/v1/stats/distributions":
		f := must.Get(e.s.distributionFilter(q, u))(t)
		st := must.Get(e.st.DistributionStats(t.Context(), f))(t)
		labels := must.Get(e.s.distributionLabels(httptestRequest(t.Context()), "en"))(t)
		v = distributionStatsJSON(st, labels.Units)
	default:
		t.Fatalf("no fresh answer for %s", path)
	}
	return string(must.Get(json.Marshal(v))(t)) + "\n"
}

func httptestRequest(ctx context.Context) *http.Request {
	r, _ := http.NewRequestWithContext(ctx, "GET", "/", nil)
	return r
}

// TestStatisticsCacheNeverServesAStaleAnswer: after every write through the
// API, the next read of every statistics answer — by the writer and by
// users with other ward limits — equals a fresh computation, while reads
// between writes come from the cache.
func TestStatisticsCacheNeverServesAStaleAnswer(t *testing.T) {
	each(t, func(t *testing.T, e *testEnv) {
		officer := e.tokens[leoc.RoleOfficer]
		ward5 := e.limitedUser("ward5", 5)
		ward5User := must.Get(e.st.UserByUsername(t.Context(), "ward5"))(t)
		users := map[string]*leoc.User{officer: e.users[leoc.RoleOfficer], e.tokens[leoc.RoleViewer]: e.users[leoc.RoleViewer], ward5: ward5User}
		paths := []string{"/api/v1/stats/incidents", "/api/v1/stats/incidents?ward=3&ward=5", "/api/v1/stats/incidents?from=2082-10-01&to=2082-10-29",
			"/api/v1/stats/distributions", "/api/v1/stats/distributions?fy=2082/83&type=landslide"}
		checkAll := func(step string) {
			t.Helper()
			for tok, u := range users {
				for _, p := range paths {
					w := e.do(req{method: "GET", path: p, token: tok})
					if w.Code != http.StatusOK {
						t.Fatalf("%s: GET %s as %s: %d %s", step, p, u.Username, w.Code, w.Body)
					}
					if want := e.freshStats(t, p, u); w.Body.String() != want {
						t.Fatalf("%s: GET %s as %s answered\n%s\nfresh\n%s", step, p, u.Username, w.Body, want)
					}
				}
			}
		}
		incidents := func(tok string) float64 {
			st := decodeBody(t, e.do(req{method: "GET", path: "/api/v1/stats/incidents", token: tok}))
			return st["totals"].(map[string]any)["incidents"].(float64)
		}
		checkAll("empty")
		// A client that takes gzip gets the same answer compressed once.
		for _, p := range paths {
			w := e.do(req{method: "GET", path: p, token: officer, header: map[string]string{"Accept-Encoding": "gzip"}})
			body := w.Body.String()
			if w.Header().Get("Content-Encoding") == "gzip" {
				zr := must.Get(gzip.NewReader(w.Body))(t)
				body = string(must.Get(io.ReadAll(zr))(t))
			} else if len(body) >= compressMinBytes {
				t.Errorf("GET %s: %d bytes not compressed", p, len(body))
			}
			if want := e.freshStats(t, p, e.users[leoc.RoleOfficer]); body != want {
				t.Fatalf("GET %s gzipped answered\n%s\nfresh\n%s", p, body, want)
			}
			if len(body) >= compressMinBytes && !strings.Contains(w.Header().Get("Vary"), "Accept-Encoding") {
				t.Errorf("GET %s: Vary %q", p, w.Header().Get("Vary"))
			}
		}
		hits, misses := e.s.statsCache.Counts()
		checkAll("again")
		if h, m := e.s.statsCache.Counts(); h-hits != uint64(len(users)*len(paths)) || m != misses {
			t.Fatalf("repeated reads: %d hits and %d misses, want every read a hit", h-hits, m-misses)
		}
		// The writer reads its own write at once.
		before := incidents(officer)
		if w := e.do(req{method: "POST", path: "/api/v1/incidents", body: incidentBody, token: officer}); w.Code != http.StatusCreated {
			t.Fatalf("create: %d %s", w.Code, w.Body)
		}
		if after := incidents(officer); after != before+1 {
			t.Fatalf("the writer read %v incidents after creating one (before %v)", after, before)
		}
		checkAll("after an incident")
		// A ward-5 user's write, as the ward-limited user sees it.
		body := strings.Replace(incidentBody, `"ward":3`, `"ward":5`, 1)
		if w := e.do(req{method: "POST", path: "/api/v1/incidents", body: body, token: ward5}); w.Code != http.StatusCreated {
			t.Fatalf("create in ward 5: %d %s", w.Code, w.Body)
		}
		checkAll("after a ward-5 incident")
		dist := strings.Replace(distributionBody, `"1500.50"`, `"0"`, 1)
		if w := e.do(req{method: "POST", path: "/api/v1/distributions", body: dist, token: officer}); w.Code != http.StatusCreated {
			t.Fatalf("create distribution: %d %s", w.Code, w.Body)
		}
		checkAll("after a distribution")
		// A refused write changes nothing and empties nothing.
		hits, misses = e.s.statsCache.Counts()
		if w := e.do(req{method: "POST", path: "/api/v1/incidents", body: `{"ward": 500}`, token: officer}); w.Code != http.StatusBadRequest {
			t.Fatalf("bad incident: %d", w.Code)
		}
		checkAll("after a refused write")
		if h, m := e.s.statsCache.Counts(); m != misses || h == hits {
			t.Fatalf("a refused write emptied the cache: %d new misses", m-misses)
		}
	})
}

// TestStatisticsCacheFollowsOtherReplicas: a write through another replica
// of the same database reaches this replica's cache through the change
// notice; a replica that does not hear the notice keeps its cached answer
// (which is why every replica must share the bus, docs/scale-out.md).
func TestStatisticsCacheFollowsOtherReplicas(t *testing.T) {
	dbURL := storetest.SQLiteURL(t)
	b := storetest.Backend{Name: "sqlite", URL: func(testing.TB) string { return dbURL }}
	a := newEnv(t, b)
	replica := func(bus notify.Bus) *Server { return a.replica(t, b, bus) }
	writer := replica(a.s.Bus())       // shares the bus, as replicas share Redis
	deaf := replica(notify.NewLocal()) // hears nothing
	officer := a.tokens[leoc.RoleOfficer]
	count := func(s *Server) float64 {
		a.s, s = s, a.s
		defer func() { a.s = s }()
		st := decodeBody(t, a.do(req{method: "GET", path: "/api/v1/stats/incidents", token: officer}))
		return st["totals"].(map[string]any)["incidents"].(float64)
	}
	if count(a.s) != 0 || count(deaf) != 0 {
		t.Fatal("a new database has incidents")
	}
	a.s, writer = writer, a.s
	if w := a.do(req{method: "POST", path: "/api/v1/incidents", body: incidentBody, token: officer}); w.Code != http.StatusCreated {
		t.Fatalf("create through the other replica: %d %s", w.Code, w.Body)
	}
	a.s, writer = writer, a.s
	if n := count(a.s); n != 1 {
		t.Fatalf("this replica answers %v incidents after the other replica's write", n)
	}
	if n := count(deaf); n != 0 {
		t.Fatalf("the replica without the notice answered %v: the test would not notice a missing notice", n)
	}
}

// TestRulesFollowOtherReplicas: a disaster type added through another
// replica can be chosen here at once — its change notice makes this
// replica's store read the rules again — while a replica that does not
// hear the notice keeps refusing it until its copy is 2 s old.
func TestRulesFollowOtherReplicas(t *testing.T) {
	dbURL := storetest.SQLiteURL(t)
	b := storetest.Backend{Name: "sqlite", URL: func(testing.TB) string { return dbURL }}
	a := newEnv(t, b)
	replica := func(bus notify.Bus) *Server { return a.replica(t, b, bus) }
	writer := replica(a.s.Bus())
	deaf := replica(notify.NewLocal())
	officer, admin := a.tokens[leoc.RoleOfficer], a.tokens[leoc.RoleAdmin]
	snowfall := strings.Replace(incidentBody, `"type":"landslide"`, `"type":"snowfall"`, 1)
	create := func(s *Server, body string) int {
		a.s, s = s, a.s
		defer func() { a.s = s }()
		return a.do(req{method: "POST", path: "/api/v1/incidents", body: body, token: officer}).Code
	}
	// Both replicas keep the rules from a create of their own.
	for _, s := range []*Server{a.s, deaf} {
		if c := create(s, incidentBody); c != http.StatusCreated {
			t.Fatalf("create: %d", c)
		}
	}
	a.s, writer = writer, a.s
	if w := a.do(req{method: "PUT", path: "/api/v1/lists/disaster_type/snowfall", token: admin, body: `{"label_ne":"हिमपात","label_en":"Snowfall"}`}); w.Code >= 300 {
		t.Fatalf("add a disaster type through the other replica: %d %s", w.Code, w.Body)
	}
	a.s, writer = writer, a.s
	if c := create(a.s, snowfall); c != http.StatusCreated {
		t.Fatalf("an incident of the type another replica added: %d, want 201", c)
	}
	if c := create(deaf, snowfall); c != http.StatusBadRequest && c != http.StatusUnprocessableEntity {
		t.Fatalf("the replica without the notice answered %d: the test would not notice a missing notice", c)
	}
}

// replica is another server of the environment's database (b must open
// the same one), on bus, with the environment's clock.
func (e *testEnv) replica(t *testing.T, b storetest.Backend, bus notify.Bus) *Server {
	t.Helper()
	st := storetest.Open(t, b)
	st.SetClock(e.clock.Now)
	s, err := New(Options{Config: testConfig(), Store: st, Logger: slog.New(slog.DiscardHandler), Version: "test", Now: e.clock.Now, Bus: bus})
	if err != nil {
		t.Fatal(err)
	}
	return s
}
