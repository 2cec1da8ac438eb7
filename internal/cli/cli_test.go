package cli

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	_ "modernc.org/sqlite"

	"leoc/internal/must"
)

// instance is one data directory the commands of a test share, as a
// sysadmin's shell would.
type instance struct {
	t   *testing.T
	dir string
	env []string
}

func newInstance(t *testing.T, extra ...string) *instance {
	dir := t.TempDir()
	envFile := filepath.Join(dir, "empty.env")
	if err := os.WriteFile(envFile, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	// LEOC_RATE_LIMIT off: the backup test's writers make more than the
	// default 600 requests a minute, and a 429 is no acknowledged write.
	env := append([]string{"LEOC_DATA_DIR=" + filepath.Join(dir, "data"), "LEOC_ENV_FILE=" + envFile, "LEOC_ADDR=127.0.0.1:0",
		"LEOC_RATE_LIMIT=off"}, extra...)
	return &instance{t: t, dir: dir, env: env}
}

// migrate creates the instance's database, as "leoc migrate" on a new
// installation does.
func (in *instance) migrate() {
	in.t.Helper()
	if code, _, errs := in.run("", "migrate"); code != 0 {
		in.t.Fatalf("leoc migrate: %d %s", code, errs)
	}
}

// run runs one command and returns its exit code, stdout and stderr.
func (in *instance) run(stdin string, args ...string) (int, string, string) {
	in.t.Helper()
	var out, errb bytes.Buffer
	code := Run(context.Background(), args, Env{Environ: in.env, Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errb, ReadFile: os.ReadFile})
	return code, out.String(), errb.String()
}

// serve starts the server in the background and returns its base URL, what
// it printed, and a stop function that waits for a graceful exit.
func (in *instance) serve() (string, *safeBuffer, func() int) {
	in.t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	out := &safeBuffer{}
	ready := make(chan string, 1)
	done := make(chan int, 1)
	go func() {
		done <- Run(ctx, []string{"serve"}, Env{Environ: in.env, Stdin: strings.NewReader(""), Stdout: out, Stderr: io.Discard,
			ReadFile: os.ReadFile, Ready: func(addr string) { ready <- addr }})
	}()
	select {
	case addr := <-ready:
		return "http://" + addr, out, func() int { cancel(); return <-done }
	case code := <-done:
		in.t.Fatalf("serve exited with %d: %s", code, out.String())
	case <-time.After(30 * time.Second):
		in.t.Fatal("serve did not start")
	}
	return "", nil, nil
}

type safeBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *safeBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
func (s *safeBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

var printedPassword = regexp.MustCompile(`password: (\S+)`)

func noRedirect(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

func TestServeFirstStartPrintsAdminPasswordThatWorks(t *testing.T) {
	in := newInstance(t)
	base, out, stop := in.serve()
	m := printedPassword.FindStringSubmatch(out.String())
	if m == nil || !strings.Contains(out.String(), "/login") {
		t.Fatalf("no login URL and password printed:\n%s", out.String())
	}
	client := &http.Client{CheckRedirect: noRedirect}
	resp, err := client.PostForm(base+"/login", url.Values{"username": {"admin"}, "password": {m[1]}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther || len(resp.Cookies()) == 0 {
		t.Fatalf("login with the printed password: %d", resp.StatusCode)
	}
	if code := stop(); code != 0 {
		t.Fatalf("serve exit code %d after SIGTERM-like cancel", code)
	}
	if _, err := os.Stat(filepath.Join(in.dir, "data", "leoc.db")); err != nil {
		t.Fatalf("database not in the data directory: %v", err)
	}
	if _, err := os.Stat(filepath.Join(in.dir, "data", "uploads")); err != nil {
		t.Fatalf("upload directory not created: %v", err)
	}
	// The second start creates no second admin and prints no password.
	_, out2, stop2 := in.serve()
	stop2()
	if strings.Contains(out2.String(), "password:") {
		t.Fatal("password printed again on the second start")
	}
}

// TestGracefulShutdownLetsRequestsFinish: a request whose handler is
// running when the server is told to stop still gets its answer. The test
// knows the handler is running because the server sends "100 Continue" only
// when the handler reads the body, and knows the shutdown has begun because
// the listener refuses new connections; no sleeps decide what it exercises.
func TestGracefulShutdownLetsRequestsFinish(t *testing.T) {
	in := newInstance(t)
	base, _, stop := in.serve()
	addr := strings.TrimPrefix(base, "http://")
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	body := "username=admin&password=wrong-password-1"
	head := "POST /login HTTP/1.1\r\nHost: " + addr + "\r\nContent-Type: application/x-www-form-urlencoded\r\n" +
		"Content-Length: " + strconv.Itoa(len(body)) + "\r\nExpect: 100-continue\r\n\r\n"
	if _, err := io.WriteString(conn, head); err != nil {
		t.Fatal(err)
	}
	br := bufio.NewReader(conn)
	cont, err := http.ReadResponse(br, nil)
	if err != nil || cont.StatusCode != http.StatusContinue {
		t.Fatalf("want 100 Continue once the handler reads the body: %v %v", cont, err)
	}
	// The request is in flight; stop the server and wait until it no
	// longer accepts connections, i.e. the shutdown is under way.
	stopped := make(chan int, 1)
	go func() { stopped <- stop() }()
	deadline := time.Now().Add(10 * time.Second)
	for {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			break
		}
		c.Close()
		if time.Now().After(deadline) {
			t.Fatal("the server still accepts connections 10 s after being stopped")
		}
		runtime.Gosched()
	}
	select {
	case code := <-stopped:
		t.Fatalf("the server exited (%d) with a request in flight", code)
	default:
	}
	if _, err := io.WriteString(conn, body); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(br, nil)
	if err != nil || resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("in-flight request: %v %v", resp, err)
	}
	resp.Body.Close()
	if code := <-stopped; code != 0 {
		t.Fatalf("exit %d", code)
	}
}

func TestUserAndTokenCommands(t *testing.T) {
	in := newInstance(t)
	in.migrate()
	if code, _, errs := in.run("short\n", "user", "add", "--username", "ram", "--role", "officer", "--password-stdin"); code == 0 || !strings.Contains(errs, "at least 10 characters") {
		t.Fatalf("weak password accepted: %d %s", code, errs)
	}
	if code, _, errs := in.run("a-long-password-1\n", "user", "add", "--username", "ram", "--role", "chief", "--password-stdin"); code == 0 || !strings.Contains(errs, "role") {
		t.Fatalf("bad role accepted: %d %s", code, errs)
	}
	code, out, errs := in.run("a-long-password-1\n", "user", "add", "--username", "Ram", "--role", "officer", "--wards", "3,5", "--password-stdin")
	if code != 0 || !strings.Contains(out, "user ram created") {
		t.Fatalf("user add: %d %s %s", code, out, errs)
	}
	if code, _, _ := in.run("a-long-password-1\n", "user", "add", "--username", "ram", "--role", "viewer", "--password-stdin"); code != 1 {
		t.Fatalf("duplicate user: %d", code)
	}
	code, out, _ = in.run("", "user", "list")
	if code != 0 || !regexp.MustCompile(`ram\s+officer\s+3,5\s+active`).MatchString(out) {
		t.Fatalf("user list:\n%s", out)
	}
	code, tok, errs := in.run("", "token", "create", "--user", "ram", "--name", "nightly export")
	tok = strings.TrimSpace(tok)
	if code != 0 || !regexp.MustCompile(`^leoc_[A-Za-z0-9_-]{43}$`).MatchString(tok) || !strings.Contains(errs, "shown only this once") {
		t.Fatalf("token create printed %q (stderr %q)", tok, errs)
	}
	base, _, stop := in.serve()
	defer stop()
	get := func() int {
		r := must.Get(http.NewRequest("GET", base+"/api/v1/me", nil))(t)
		r.Header.Set("Authorization", "Bearer "+tok)
		resp, err := http.DefaultClient.Do(r)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if c := get(); c != 200 {
		t.Fatalf("token rejected by the server: %d", c)
	}
	// The commands below change the database past the server: without a
	// shared LEOC_REDIS_URL nothing tells it, and it keeps who a token
	// belongs to for at most five seconds (server/auth_cache.go). refused
	// waits for the refusal that long and no longer.
	refused := func() int {
		deadline := time.Now().Add(7 * time.Second)
		c := get()
		for c != http.StatusUnauthorized && time.Now().Before(deadline) {
			time.Sleep(100 * time.Millisecond)
			c = get()
		}
		return c
	}
	if code, out, _ := in.run("new-password-22x\n", "user", "passwd", "--username", "ram", "--password-stdin"); code != 0 || !strings.Contains(out, "changed") {
		t.Fatalf("passwd: %d", code)
	}
	// A new password revokes the account's tokens: a thief may have made one.
	if c := refused(); c != http.StatusUnauthorized {
		t.Fatalf("token survived a password change: %d", c)
	}
	code, tok, _ = in.run("", "token", "create", "--user", "ram", "--name", "after passwd")
	tok = strings.TrimSpace(tok)
	if c := get(); code != 0 || c != 200 {
		t.Fatalf("new token: %d %d", code, c)
	}
	if code, _, _ := in.run("", "user", "disable", "--username", "ram"); code != 0 {
		t.Fatalf("disable: %d", code)
	}
	if c := refused(); c != http.StatusUnauthorized {
		t.Fatalf("disabled user's token still works: %d", c)
	}
	in.run("", "user", "enable", "--username", "ram")
	code, out, _ = in.run("", "token", "list", "--user", "ram")
	id := regexp.MustCompile(`(?m)^(\d+)\s+ram.*active$`).FindStringSubmatch(out)
	if code != 0 || id == nil {
		t.Fatalf("token list:\n%s", out)
	}
	if code, _, _ := in.run("", "token", "revoke", "--id", id[1]); code != 0 {
		t.Fatalf("revoke: %d", code)
	}
	if c := refused(); c != http.StatusUnauthorized {
		t.Fatalf("revoked token works: %d", c)
	}
	if code, _, errs := in.run("", "user", "frobnicate"); code != 2 || !strings.Contains(errs, "Usage") {
		t.Fatalf("unknown subcommand: %d", code)
	}
}

func TestUnlockKeyAndAuditVerify(t *testing.T) {
	in := newInstance(t)
	in.migrate()
	if code, _, errs := in.run("", "unlock-key", "set"); code != 2 || !strings.Contains(errs, "--stdin") {
		t.Fatalf("unlock-key without a terminal: %d %s", code, errs)
	}
	if code, _, _ := in.run("admin123\n", "unlock-key", "set", "--stdin"); code == 0 {
		t.Fatal("the old default key admin123 was accepted")
	}
	if code, out, errs := in.run("a-strong-unlock-key\n", "unlock-key", "set", "--stdin"); code != 0 || !strings.Contains(out, "unlock key set") {
		t.Fatalf("unlock-key set: %d %s", code, errs)
	}
	db, err := sql.Open("sqlite", filepath.Join(in.dir, "data", "leoc.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var hash string
	must.OK(t, db.QueryRow("SELECT hash FROM unlock_key").Scan(&hash))
	if !strings.HasPrefix(hash, "$argon2id$") || strings.Contains(hash, "a-strong-unlock-key") {
		t.Fatalf("unlock key stored as %q", hash)
	}
	if code, _, errs := in.run("pw-for-gita-123\n", "user", "add", "--username", "sita", "--role", "viewer", "--password-stdin"); code != 0 {
		t.Fatalf("user add: %s", errs)
	}
	if code, out, _ := in.run("", "audit", "verify"); code != 0 || !strings.Contains(out, "intact") {
		t.Fatalf("audit verify: %d %s", code, out)
	}
	// Someone edits the trail behind LEOC's back.
	if _, err := db.Exec("DROP TRIGGER audit_log_no_update"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec("UPDATE audit_log SET username = 'mallory' WHERE action = 'user.create'"); err != nil {
		t.Fatal(err)
	}
	var id string
	must.OK(t, db.QueryRow("SELECT id FROM audit_log WHERE action = 'user.create'").Scan(&id))
	code, _, errs := in.run("", "audit", "verify")
	if code != 1 || !strings.Contains(errs, "audit entry "+id+": altered") {
		t.Fatalf("tampered trail: %d %s", code, errs)
	}
}

func TestHealthcheckAndVersion(t *testing.T) {
	in := newInstance(t)
	base, _, stop := in.serve()
	addr := strings.TrimPrefix(base, "http://")
	for i, v := range in.env {
		if strings.HasPrefix(v, "LEOC_ADDR=") {
			in.env[i] = "LEOC_ADDR=" + addr
		}
	}
	if code, out, errs := in.run("", "healthcheck"); code != 0 || !strings.Contains(out, "healthy") {
		t.Fatalf("healthcheck on a running server: %d %s %s", code, out, errs)
	}
	stop()
	if code, _, _ := in.run("", "healthcheck"); code != 1 {
		t.Fatalf("healthcheck on a stopped server: %d", code)
	}
	if code, out, _ := in.run("", "version"); code != 0 || !strings.HasPrefix(out, "leoc ") {
		t.Fatalf("version: %d %q", code, out)
	}
	if code, out, _ := in.run("", "migrate"); code != 0 || !strings.Contains(out, "schema version") {
		t.Fatalf("migrate: %d %q", code, out)
	}
}

func TestProductionRefusesWeakConfiguration(t *testing.T) {
	for name, env := range map[string][]string{
		"no key":      {"LEOC_ENV=production"},
		"placeholder": {"LEOC_ENV=production", "LEOC_SECRET_KEY=change-me-change-me-change-me-change-me"},
		"debug":       {"LEOC_ENV=production", "LEOC_BASE_URL=https://leoc.thalara.gov.np", "LEOC_SECRET_KEY=9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", "LEOC_DEBUG=true"},
		"no base url": {"LEOC_ENV=production", "LEOC_SECRET_KEY=9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"},
		"sequence key": {"LEOC_ENV=production", "LEOC_BASE_URL=https://leoc.thalara.gov.np",
			"LEOC_SECRET_KEY=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"},
		"base64 passphrase": {"LEOC_ENV=production", "LEOC_BASE_URL=https://leoc.thalara.gov.np",
			"LEOC_SECRET_KEY=dGhlIGxlb2Mgc2VjcmV0IG9mIHRoYWxhcmEgZ2F1bnBhbGlrYSwgMjA4Mg=="},
	} {
		in := newInstance(t, env...)
		code, _, errs := in.run("", "serve")
		if code != 1 || !strings.Contains(errs, "LEOC_") {
			t.Errorf("%s: serve exit %d, %s", name, code, errs)
		}
	}
	in := newInstance(t, "LEOC_ENV=production", "LEOC_SECRET_KEY=x")
	if _, _, errs := in.run("", "serve"); !strings.Contains(errs, "openssl rand -hex 32") && !strings.Contains(errs, "generate") {
		t.Errorf("no hint how to generate a key: %s", errs)
	}
}

func TestDateCommand(t *testing.T) {
	in := newInstance(t)
	code, out, _ := in.run("", "date", "to-ad", "2082-10-15", "२०८२-०१-०१")
	if code != 0 || out != "2026-01-29\n2025-04-14\n" {
		t.Fatalf("to-ad: %d %q", code, out)
	}
	code, out, errs := in.run("2024-07-16\nnot-a-date\n2025-04-14\n", "date", "to-bs")
	if code != 1 || !strings.HasPrefix(out, "2081-04-01\nerror: ") || !strings.HasSuffix(out, "2082-01-01\n") || !strings.Contains(errs, "1 date") {
		t.Fatalf("to-bs from stdin: %d %q %q", code, out, errs)
	}
}

func TestCalendarImportExport(t *testing.T) {
	in := newInstance(t)
	in.run("", "migrate")
	bad := filepath.Join(in.dir, "bad.txt")
	must.OK(t, os.WriteFile(bad, []byte("2091 31 31 31 31 31 31 31 31 31 31 31 40\n"), 0o600))
	if code, _, errs := in.run("", "calendar", "import", bad); code != 1 || !strings.Contains(errs, "not a valid calendar table") {
		t.Fatalf("bad table: %d %s", code, errs)
	}
	// An official 2091 table arrives: the calendar grows by one year.
	good := filepath.Join(in.dir, "2091.txt")
	must.OK(t, os.WriteFile(good, []byte("official-through 2084\n2091 31 31 32 31 31 31 30 29 30 29 30 30\n"), 0o600))
	code, out, errs := in.run("", "calendar", "import", good)
	if code != 0 || !strings.Contains(out, "BS 2000–2091") {
		t.Fatalf("import: %d %s %s", code, out, errs)
	}
	if code, out, _ := in.run("", "date", "to-ad", "2091-12-30"); code != 0 || !strings.HasPrefix(out, "2035-") {
		t.Fatalf("imported year not used by leoc date: %d %q", code, out)
	}
	code, out, _ = in.run("", "calendar", "export")
	if code != 0 || !strings.Contains(out, "2091 31 31 32") || !strings.Contains(out, "official-through 2084") {
		t.Fatalf("export: %d\n%s", code, out)
	}
	// Changing an official year warns that stored dates shift.
	change := filepath.Join(in.dir, "2082.txt")
	must.OK(t, os.WriteFile(change, []byte("2082 31 32 31 31 31 31 30 29 30 29 30 30\n"), 0o600))
	if _, _, errs := in.run("", "calendar", "import", change); !strings.Contains(errs, "warning: month lengths changed for BS 2082") {
		t.Fatalf("no warning: %s", errs)
	}
}

// TestMigrateListsHouseholdKeyCollisions: the records the household-key data
// migration found to be the same household are listed by every `leoc
// migrate` until resolved. (The migration itself is tested on both
// databases in internal/store.)
func TestMigrateListsHouseholdKeyCollisions(t *testing.T) {
	in := newInstance(t)
	if code, out, errs := in.run("", "migrate"); code != 0 || strings.Contains(out, "household keys") {
		t.Fatalf("first migrate: %d %q %s", code, out, errs)
	}
	db, err := sql.Open("sqlite", filepath.Join(in.dir, "data", "leoc.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`INSERT INTO household_key_collisions (register, record_id, other_id, household_id, household_key, kept_key, detected_at)
		VALUES ('distributions', 7, 3, '12_34_567', '1234567', 't:flood:2082-04-01|12_34_567', CURRENT_TIMESTAMP)`); err != nil {
		t.Fatal(err)
	}
	code, out, errs := in.run("", "migrate")
	if code != 0 || !strings.Contains(out, "household keys: 1 records") ||
		!strings.Contains(out, `distribution 7 ("12_34_567") is the same household as distribution 3 (key 1234567)`) {
		t.Fatalf("migrate with a collision: %d %q %s", code, out, errs)
	}
}
