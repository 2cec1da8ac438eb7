package cli

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/url"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"time"

	"leoc/internal/auth"
	"leoc/internal/bs"
	"leoc/internal/config"
	"leoc/internal/demo"
	"leoc/internal/leoc"
	"leoc/internal/loadbench"
	"leoc/internal/server"
	"leoc/internal/store"
)

// benchCommand is "leoc bench": the load benchmark of docs/performance.md.
// It fills the configured (development) database with demo data when it is
// empty, starts the server in this process on a loopback port, drives the
// paths the issue names at each number of connections, and prints a
// Markdown table with req/s, p50 and p99, plus idle and peak memory.
func benchCommand(fs *flag.FlagSet) func(context.Context, Env, []string) error {
	o := benchOptions{}
	fs.IntVar(&o.distributions, "distributions", 100_000, "distributions the data set holds (made with the demo generator when the database has none)")
	fs.IntVar(&o.incidents, "incidents", 0, "incidents the data set holds (default: a tenth of --distributions)")
	fs.DurationVar(&o.duration, "duration", 5*time.Second, "how long each scenario runs at each number of connections")
	fs.StringVar(&o.conns, "connections", "1,32", "numbers of concurrent connections, comma-separated")
	fs.StringVar(&o.only, "only", "", "run only the scenarios whose name contains one of these words, comma-separated (e.g. list,stats)")
	fs.BoolVar(&o.jsonOut, "json", false, "print the results as JSON lines instead of a table")
	fs.Uint64Var(&o.seed, "seed", 1, "random seed of the demo data")
	fs.StringVar(&o.cpuProfile, "cpuprofile", "", "write a CPU profile of the scenarios (server and load generator) to this file, for go tool pprof")
	return func(ctx context.Context, env Env, _ []string) error { return runBench(ctx, env, o) }
}

type benchOptions struct {
	distributions, incidents int
	duration                 time.Duration
	conns, only              string
	jsonOut                  bool
	seed                     uint64
	cpuProfile               string
}

func runBench(ctx context.Context, env Env, o benchOptions) error {
	conns, err := parseConns(o.conns)
	if err != nil {
		return &usageError{msg: "bench: --connections: " + err.Error()}
	}
	if o.distributions < 0 || o.incidents < 0 || o.duration <= 0 {
		return &usageError{msg: "bench: --distributions, --incidents and --duration must not be negative"}
	}
	if o.incidents == 0 {
		o.incidents = o.distributions / 10
	}
	cfg, err := loadConfig(env)
	if err != nil {
		return err
	}
	if cfg.Production() {
		return errors.New("bench is refused when LEOC_ENV=production: it writes demo records and a bench user; run it on a copy")
	}
	// The benchmark measures LEOC, not its rate limits: one client from
	// one address would be refused after 600 requests.
	cfg.RateLimit, cfg.LoginRateLimit, cfg.UnlockRateLimit = config.Rate{}, config.Rate{}, config.Rate{}
	// The access log stays on, formatted as production formats it, and is
	// thrown away after formatting.
	log := slog.New(slog.NewJSONHandler(io.Discard, nil))
	st, err := openStore(ctx, cfg, log, true)
	if err != nil {
		return err
	}
	defer func() { st.Close() }() // the store opened last
	cal, err := st.Calendar(ctx)
	if err != nil {
		return err
	}
	if err := benchData(ctx, env, st, cal, o); err != nil {
		return err
	}
	// The scenarios run on a store opened afresh, as a server started on
	// this data would: making the data leaves the writer connection with a
	// bulk write's page cache (hundreds of MiB of SQLite's memory, outside
	// Go's heap), which the idle and peak memory would otherwise count.
	if err := st.Close(); err != nil {
		return err
	}
	if st, err = openStore(ctx, cfg, log, false); err != nil {
		return err
	}
	token, err := benchToken(ctx, st)
	if err != nil {
		return err
	}
	srv, err := server.New(server.Options{Config: cfg, Store: st, Logger: log, Version: Version, Calendar: cal})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	// A second server of the same database without the statistics cache,
	// for the uncached statistics.
	uncachedSrv, err := server.New(server.Options{Config: cfg, Store: st, Logger: log, Version: Version, Calendar: cal, NoStatisticsCache: true})
	if err != nil {
		return err
	}
	uncachedLn, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	serveCtx, stop := context.WithCancel(ctx)
	served := make(chan error, 2)
	go func() { served <- srv.Serve(serveCtx, ln) }()
	go func() { served <- uncachedSrv.Serve(serveCtx, uncachedLn) }()
	defer func() { stop(); <-served; <-served }()

	runtime.GC()
	debug.FreeOSMemory()
	idle := memoryKiB("VmRSS")
	resetPeakMemory()
	fy, err := cal.FiscalYearOfAD(time.Now())
	if err != nil {
		return err
	}
	client := loadbench.NewClient("http://"+ln.Addr().String(), token, slices.Max(conns))
	uncached := loadbench.NewClient("http://"+uncachedLn.Addr().String(), token, slices.Max(conns))
	scenarios, err := benchScenarios(ctx, client, uncached, fy, o.distributions, cal)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "LEOC %s on %s, %d distributions, %d incidents; %s per scenario; %d CPUs; load average %s\n\n",
		Version, st.Dialect(), o.distributions, o.incidents, o.duration, runtime.NumCPU(), loadAverage())
	if !o.jsonOut {
		fmt.Fprintln(env.Stdout, "| scenario | connections | requests | req/s | p50 | p99 | errors |")
		fmt.Fprintln(env.Stdout, "|---|---:|---:|---:|---:|---:|---:|")
	}
	if o.cpuProfile != "" {
		stopProfile, err := startCPUProfile(o.cpuProfile)
		if err != nil {
			return err
		}
		defer stopProfile()
	}
	var start int64
	for _, sc := range scenarios {
		if !selected(sc.Name, o.only) {
			continue
		}
		for _, c := range conns {
			r := loadbench.Run(ctx, client, sc, c, o.duration, start)
			start += int64(r.Requests) + 1
			printResult(env.Stdout, r, o.jsonOut)
			if ctx.Err() != nil {
				return ctx.Err()
			}
		}
	}
	fmt.Fprintf(env.Stdout, "\nmemory of this process (server and load generator): idle %s, peak %s\n",
		kib(idle), kib(memoryKiB("VmHWM")))
	return nil
}

// startCPUProfile profiles this process into path until the returned
// function is called.
func startCPUProfile(path string) (func(), error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("bench: --cpuprofile: %w", err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("bench: --cpuprofile: %w", err)
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}, nil
}

// benchData makes the data set: nothing when the database already holds
// at least the distributions asked for, the demo generator's when it holds
// none, and a refusal in between (the demo's household numbers restart at
// one, so a second fill would collide with the first).
func benchData(ctx context.Context, env Env, st *store.Store, cal *bs.Calendar, o benchOptions) error {
	var have, haveIncidents int
	if err := st.QueryRow(ctx, "SELECT COUNT(*) FROM distributions").Scan(&have); err != nil {
		return err
	}
	if err := st.QueryRow(ctx, "SELECT COUNT(*) FROM incidents").Scan(&haveIncidents); err != nil {
		return err
	}
	if have >= o.distributions && haveIncidents >= o.incidents {
		fmt.Fprintf(env.Stderr, "reusing the data set: %d distributions, %d incidents\n", have, haveIncidents)
		return nil
	}
	if have > 0 || haveIncidents > 0 {
		return fmt.Errorf("the database holds %d distributions and %d incidents, fewer than asked; point LEOC_DATA_DIR or LEOC_DATABASE_URL at an empty database, or ask for --distributions %d --incidents %d",
			have, haveIncidents, have, haveIncidents)
	}
	now := time.Now()
	t := time.Now()
	if err := demo.Incidents(ctx, st, cal, demo.Options{Incidents: o.incidents, Seed: o.seed, Now: now}); err != nil {
		return describe(err)
	}
	fmt.Fprintf(env.Stderr, "created %d incidents in %s\n", o.incidents, time.Since(t).Round(time.Millisecond))
	t = time.Now()
	if err := demoDistributions(ctx, env, st, cal, o.distributions, demo.Options{Seed: o.seed, Now: now}, false); err != nil {
		return describe(err)
	}
	fmt.Fprintf(env.Stderr, "created %d distributions in %s\n", o.distributions, time.Since(t).Round(time.Millisecond))
	return nil
}

// benchToken returns a new API token of the admin account "bench"
// (created the first time), so every path is allowed and no personal data
// is masked.
func benchToken(ctx context.Context, st *store.Store) (string, error) {
	u, err := st.UserByUsername(ctx, "bench")
	if leoc.ErrorCode(err) == leoc.ENotFound {
		password, perr := auth.RandomPassword()
		if perr != nil {
			return "", perr
		}
		hash, herr := auth.HashPassword(password)
		if herr != nil {
			return "", herr
		}
		u = &leoc.User{Username: "bench", DisplayName: "leoc bench", Role: leoc.RoleAdmin}
		err = st.CreateUser(ctx, cliActor, u, hash)
	}
	if err != nil {
		return "", describe(err)
	}
	token, err := auth.NewAPIToken()
	if err != nil {
		return "", err
	}
	t := &store.APIToken{UserID: u.ID, Name: "leoc bench", Prefix: token[:len(auth.APITokenPrefix)+6]}
	if err := st.CreateAPIToken(ctx, cliActor, t, auth.TokenHash(token)); err != nil {
		return "", describe(err)
	}
	return token, nil
}

// benchScenarios are the paths of issue 15: lists (first and a deep page,
// search), statistics (unfiltered, a ward, a fiscal year, a one-year date
// range), and the two creates. The creates need money in the fund, which
// is added first.
func benchScenarios(ctx context.Context, c, uncached *loadbench.Client, fy bs.FiscalYear, rows int, cal *bs.Calendar) ([]loadbench.Scenario, error) {
	income := `{"kind":"income","amount":"1000000000","description":"leoc bench","date_bs":"` + fy.First().String() + `"}`
	if code, body, err := c.Do(ctx, "POST", "/api/v1/funds/transactions", []byte(income)); err != nil || code != 201 {
		return nil, fmt.Errorf("bench: fund income: %d %s %v", code, body, err)
	}
	today, err := cal.FromAD(time.Now())
	if err != nil {
		return nil, err
	}
	yearAgo, err := cal.AddDays(today, -365)
	if err != nil {
		return nil, err
	}
	deep := max(min(rows/50/2, 1000), 1)
	fyq := "fy=" + fy.Label()
	rangeq := "from=" + yearAgo.String() + "&to=" + today.String()
	get := func(name, path string) loadbench.Scenario {
		return loadbench.Scenario{Name: name, Method: "GET", Path: path}
	}
	// Each statistics answer from the cache, and computed anew by the
	// server without it.
	var stats []loadbench.Scenario
	for _, kind := range []string{"distributions", "incidents"} {
		for _, f := range []struct{ name, query string }{
			{"all", ""}, {"ward 3", "?ward=3"}, {fyq, "?" + fyq}, {"one year range", "?" + rangeq},
		} {
			path := "/api/v1/stats/" + kind + f.query
			stats = append(stats, get("stats "+kind+", "+f.name+", cached", path),
				loadbench.Scenario{Name: "stats " + kind + ", " + f.name + ", uncached", Method: "GET", Path: path, Client: uncached})
		}
	}
	date := today.String()
	var cachedPaths []string
	for _, sc := range stats {
		if sc.Client == nil {
			cachedPaths = append(cachedPaths, sc.Path)
		}
	}
	stats = append(stats, statsUnderWrites(c, cachedPaths, date))
	// The deep page again, reached as a reader gets there: by the cursor
	// of the page before it.
	byCursor := "/api/v1/distributions?page=" + strconv.Itoa(deep)
	if deep > 1 {
		code, body, err := c.Do(ctx, "GET", "/api/v1/distributions?page="+strconv.Itoa(deep-1), nil)
		var page struct{ Next *string }
		if err != nil || code != 200 || json.Unmarshal(body, &page) != nil {
			return nil, fmt.Errorf("bench: page %d: %d %v", deep-1, code, err)
		}
		if page.Next != nil {
			byCursor += "&after=" + url.QueryEscape(*page.Next)
		}
	}
	return append([]loadbench.Scenario{
		get("health", "/health"),
		get("list distributions, page 1", "/api/v1/distributions"),
		get("list distributions, deep page "+strconv.Itoa(deep), "/api/v1/distributions?page="+strconv.Itoa(deep)),
		get("list distributions, deep page "+strconv.Itoa(deep)+" by cursor", byCursor),
		get("list incidents, page 1", "/api/v1/incidents"),
		get("search distributions", "/api/v1/distributions?q=%E0%A4%96%E0%A4%A1%E0%A5%8D%E0%A4%95%E0%A4%BE"), // खड्का
		get("search incidents", "/api/v1/incidents?q=flood"),
		{Name: "create distribution", Method: "POST", Path: "/api/v1/distributions", Want: 201, Body: func(i int64) []byte {
			return distributionBody(i, date)
		}},
		{Name: "create ops-log entry", Method: "POST", Path: "/api/v1/event-logs", Want: 201, Body: func(i int64) []byte {
			b, _ := json.Marshal(map[string]any{"date_bs": date, "time": "14:30", "type": "assessment",
				"description": "leoc bench " + strconv.FormatInt(i, 10), "location": "Kholi"})
			return b
		}},
	}, stats...), nil
}

// distributionBody is a household with two members, two items and cash;
// each i is another household, so none is refused as a duplicate.
func distributionBody(i int64, date string) []byte {
	b, _ := json.Marshal(map[string]any{
		"household_name": "बेन्च परिवार " + strconv.FormatInt(i, 10), "household_id": "BENCH-" + strconv.FormatInt(time.Now().UnixNano(), 36) + "-" + strconv.FormatInt(i, 10),
		"father_name": "हरि थापा", "phone": "9848" + fmt.Sprintf("%06d", i%1_000_000),
		"disaster_type": "landslide", "disaster_date_bs": date, "date_bs": date, "ward": 1 + i%9, "tole": "खोली",
		"members": []map[string]any{{"name": "राम", "relation": "self", "age": 45, "sex": "male"}, {"name": "सीता", "relation": "wife", "age": 40, "sex": "female"}},
		"items":   []map[string]any{{"item": "rice", "quantity": 30}, {"item": "tarpaulin", "quantity": 1}},
		"cash":    "1500",
	})
	return b
}

func printResult(w io.Writer, r loadbench.Result, asJSON bool) {
	if asJSON {
		b, _ := json.Marshal(map[string]any{"scenario": r.Scenario, "connections": r.Connections, "requests": r.Requests,
			"per_second": r.PerSecond(), "p50_ms": ms(r.P50), "p99_ms": ms(r.P99), "errors": r.Errors, "first_error": r.FirstError})
		fmt.Fprintln(w, string(b))
		return
	}
	fmt.Fprintf(w, "| %s | %d | %d | %.0f | %.2f ms | %.2f ms | %d |\n", r.Scenario, r.Connections, r.Requests, r.PerSecond(), ms(r.P50), ms(r.P99), r.Errors)
	if r.FirstError != "" {
		fmt.Fprintf(w, "|  ↳ first error: %s | | | | | | |\n", strings.ReplaceAll(r.FirstError, "|", "/"))
	}
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func parseConns(s string) ([]int, error) {
	var out []int
	for _, f := range strings.Split(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 || n > 1024 {
			return nil, fmt.Errorf("%q is not a number of connections from 1 to 1024", f)
		}
		out = append(out, n)
	}
	return out, nil
}

func selected(name, only string) bool {
	if only == "" {
		return true
	}
	for _, w := range strings.Split(only, ",") {
		if w = strings.TrimSpace(w); w != "" && strings.Contains(name, w) {
			return true
		}
	}
	return false
}

// resetPeakMemory sets the process's peak RSS (VmHWM) to its RSS now
// (Linux, /proc/self/clear_refs), so that the peak reported is the
// scenarios', not the making of the data set's. Where it cannot, the peak
// counts everything since the start.
func resetPeakMemory() { _ = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) }

// memoryKiB reads one line of /proc/self/status (VmRSS now, VmHWM the
// peak); 0 where there is no /proc.
func memoryKiB(field string) int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, field+":"); ok {
			n, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return n
		}
	}
	return 0
}

func kib(n int64) string {
	if n == 0 {
		return "unknown"
	}
	return fmt.Sprintf("%.0f MiB", float64(n)/1024)
}

func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}
