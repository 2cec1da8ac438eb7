// Package replicas_test runs two `leoc serve` processes on one PostgreSQL,
// one Redis and one MinIO bucket — the scaled-out deployment of
// docs/scale-out.md — and checks that what a client does through one
// replica holds through the other.
package replicas_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"leoc/internal/scaletest"
	"leoc/internal/store/storetest"
)

// replica is one running `leoc serve` process.
type replica struct {
	name   string
	url    string
	stdout *syncBuffer
	stderr *syncBuffer
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

var startedAt = regexp.MustCompile(`msg="LEOC started" addr=(\S+)`)

// buildLeoc compiles cmd/leoc once for the test.
func buildLeoc(t *testing.T) string {
	bin := filepath.Join(t.TempDir(), "leoc")
	cmd := exec.Command("go", "build", "-o", bin, "leoc/cmd/leoc")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// start runs `leoc serve` with env on a free loopback port and waits until
// it listens; it is stopped with SIGTERM when the test ends.
func start(t *testing.T, bin, name string, env []string) *replica {
	t.Helper()
	r := &replica{name: name, stdout: &syncBuffer{}, stderr: &syncBuffer{}}
	cmd := exec.Command(bin, "serve")
	cmd.Env = env
	cmd.Stdout, cmd.Stderr = r.stdout, r.stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	cmd.WaitDelay = 5 * time.Second
	exited := make(chan struct{})
	var waitErr error
	go func() { waitErr = cmd.Wait(); close(exited) }()
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGTERM) // graceful stop; killed below if it hangs
		select {
		case <-exited:
		case <-time.After(30 * time.Second):
			_ = cmd.Process.Kill()
			<-exited
		}
		if t.Failed() {
			t.Logf("%s stderr:\n%s", name, r.stderr.String())
		}
	})
	deadline := time.After(60 * time.Second)
	for {
		if m := startedAt.FindStringSubmatch(r.stderr.String()); m != nil {
			r.url = "http://" + m[1]
			return r
		}
		select {
		case <-exited:
			t.Fatalf("%s exited: %v\n%s", name, waitErr, r.stderr.String())
		case <-deadline:
			t.Fatalf("%s did not start:\n%s", name, r.stderr.String())
		case <-time.After(50 * time.Millisecond):
		}
	}
}

var client = &http.Client{
	Timeout:       60 * time.Second,
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
}

type call struct {
	method, path string
	body         io.Reader
	contentType  string
	token        string
	cookies      []*http.Cookie
	forwardedFor string
}

func (r *replica) do(t *testing.T, c call) (int, http.Header, []byte) {
	t.Helper()
	req, err := http.NewRequest(c.method, r.url+c.path, c.body)
	if err != nil {
		t.Fatal(err)
	}
	if c.contentType != "" {
		req.Header.Set("Content-Type", c.contentType)
	} else if c.body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	for _, ck := range c.cookies {
		req.AddCookie(ck)
	}
	if c.forwardedFor != "" {
		req.Header.Set("X-Forwarded-For", c.forwardedFor)
	}
	req.Header.Set("Accept-Language", "en")
	resp, err := client.Do(req)
	if err != nil {
		t.Fatalf("%s %s on %s: %v", c.method, c.path, r.name, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, resp.Header, b
}

func (r *replica) json(t *testing.T, c call, want int) map[string]any {
	t.Helper()
	code, _, b := r.do(t, c)
	if code != want {
		t.Fatalf("%s %s on %s: %d, want %d: %s", c.method, c.path, r.name, code, want, b)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("%s %s: not JSON: %s", c.method, c.path, b)
	}
	return m
}

func pngPhoto(t *testing.T) []byte {
	img := image.NewRGBA(image.Rect(0, 0, 64, 48))
	for x := range 64 {
		img.Set(x, x%48, color.RGBA{uint8(x * 4), 20, 200, 255})
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func distribution(household string, cash string) string {
	return `{"household_name":"राम बहादुर थापा","household_id":"` + household + `","father_name":"हरि थापा","phone":"9848000001",
	"disaster_type":"landslide","disaster_date_bs":"2082-10-01","date_bs":"2082-10-05","ward":3,"tole":"खोली",
	"members":[{"name":"राम","relation":"self","age":45,"sex":"male"}],"items":[{"item":"rice","quantity":30}],"cash":"` + cash + `"}`
}

// secretKey is a fresh LEOC_SECRET_KEY that both replicas share.
func secretKey(t *testing.T) string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(b)
}

func TestTwoReplicas(t *testing.T) {
	dbURL := storetest.PostgresURL(t) // skips without LEOC_TEST_POSTGRES_URL
	redisURL := scaletest.RedisURL(t)
	m := scaletest.StartMinIO(t)
	bucket := m.Bucket(t)
	bin := buildLeoc(t)
	envFile := filepath.Join(t.TempDir(), "empty.env")
	if err := os.WriteFile(envFile, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	common := []string{
		"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir(),
		"LEOC_ENV_FILE=" + envFile, "LEOC_ADDR=127.0.0.1:0",
		"LEOC_DATABASE_URL=" + dbURL, "LEOC_REDIS_URL=" + redisURL,
		"LEOC_STORAGE_URL=" + m.StorageURL(bucket), "LEOC_S3_ACCESS_KEY=" + m.AccessKey, "LEOC_S3_SECRET_KEY=" + m.SecretKey,
		"LEOC_SECRET_KEY=" + secretKey(t),
		"LEOC_TRUSTED_PROXIES=127.0.0.1", // the test plays several clients through X-Forwarded-For
		"LEOC_LOGIN_RATE_LIMIT=6/min", "LEOC_RATE_LIMIT=100000/min",
	}
	envOf := func(name string) []string { return append(common, "LEOC_DATA_DIR="+filepath.Join(t.TempDir(), name)) }
	a := start(t, bin, "replica A", envOf("a")) // migrates and creates the first admin
	b := start(t, bin, "replica B", envOf("b"))
	pw := regexp.MustCompile(`password: (\S+)`).FindStringSubmatch(a.stdout.String())
	if pw == nil {
		t.Fatalf("no first admin password in A's output:\n%s", a.stdout.String())
	}

	// A session made on A works on B.
	form := url.Values{"username": {"admin"}, "password": {pw[1]}}.Encode()
	code, h, body := a.do(t, call{method: "POST", path: "/login", body: strings.NewReader(form), contentType: "application/x-www-form-urlencoded"})
	if code != http.StatusSeeOther {
		t.Fatalf("login on A: %d %s", code, body)
	}
	session := (&http.Response{Header: h}).Cookies()
	if me := b.json(t, call{method: "GET", path: "/api/v1/me", cookies: session}, 200); fmt.Sprint(me["user"].(map[string]any)["username"]) != "admin" {
		t.Fatalf("A's session on B: %v", me)
	}

	// An API token for the rest, made as an operator would.
	tok := exec.Command(bin, "token", "create", "--user", "admin", "--name", "replicas")
	tok.Env = envOf("cli")
	out, err := tok.Output()
	if err != nil {
		t.Fatalf("token create: %v", err)
	}
	token := strings.TrimSpace(string(out))

	// The sign-in limit per address counts across both replicas: six
	// attempts from one client, alternating, then the seventh is refused
	// wherever it lands.
	for i := range 7 {
		r := []*replica{a, b}[i%2]
		f := url.Values{"username": {fmt.Sprintf("nobody%d", i)}, "password": {"wrong"}}.Encode()
		code, h, body := r.do(t, call{method: "POST", path: "/login", body: strings.NewReader(f), contentType: "application/x-www-form-urlencoded", forwardedFor: "198.51.100.77"})
		if i < 6 && code == http.StatusTooManyRequests {
			t.Fatalf("attempt %d on %s refused: the replicas count more than one client's attempts", i+1, r.name)
		}
		if i == 6 && (code != http.StatusTooManyRequests || h.Get("Retry-After") == "" || !bytes.Contains(body, []byte("Too many login attempts"))) {
			t.Fatalf("7th attempt on %s: %d Retry-After %q — the limit is not shared", r.name, code, h.Get("Retry-After"))
		}
	}

	// A distribution with a photo, made through A, read through B.
	a.json(t, call{method: "POST", path: "/api/v1/funds/transactions", token: token,
		body: strings.NewReader(`{"kind":"income","amount":"5000","description":"प्रदेश सरकार","date_bs":"2082-10-01"}`)}, 201)
	d := a.json(t, call{method: "POST", path: "/api/v1/distributions", token: token, body: strings.NewReader(distribution("PHOTO-1", "1500"))}, 201)
	id := fmt.Sprint(d["id"])
	photo := pngPhoto(t)
	var mp bytes.Buffer
	mw := multipart.NewWriter(&mp)
	_ = mw.WriteField("kind", "photo")
	fw, _ := mw.CreateFormFile("file", "handover.png")
	_, _ = fw.Write(photo)
	_ = mw.Close()
	up := a.json(t, call{method: "POST", path: "/api/v1/distributions/" + id + "/files", token: token, body: &mp, contentType: mw.FormDataContentType()}, 201)
	got := b.json(t, call{method: "GET", path: "/api/v1/distributions/" + id, token: token}, 200)
	if got["household_id"] != "PHOTO-1" || got["cash"] != "1500.00" {
		t.Fatalf("distribution on B: %v", got)
	}
	code, h, data := b.do(t, call{method: "GET", path: "/api/v1/files/" + fmt.Sprint(up["id"]), token: token})
	if code != 200 || h.Get("Content-Type") != "image/png" || !bytes.Equal(data, photo) {
		t.Fatalf("photo on B: %d %s, %d bytes of %d", code, h.Get("Content-Type"), len(data), len(photo))
	}

	// A settings change on A shows on B at once.
	settings := `{"municipality_ne":"थलारा गाउँपालिका","municipality_en":"Thalara Rural Municipality (replicated)","office_ne":"का","office_en":"Office","address_ne":"बझाङ","address_en":"Bajhang","leoc_name_ne":"केन्द्र","leoc_name_en":"Centre"}`
	a.json(t, call{method: "PUT", path: "/api/v1/settings", token: token, body: strings.NewReader(settings)}, 200)
	if s := b.json(t, call{method: "GET", path: "/api/v1/settings", token: token}, 200); !strings.Contains(fmt.Sprint(s), "(replicated)") {
		t.Fatalf("settings on B: %v", s)
	}

	// A calendar table imported on a third machine (the CLI) is in use on
	// both replicas within a second, without a restart.
	chaitra := func(r *replica) float64 {
		m := r.json(t, call{method: "GET", path: "/api/v1/calendar/month?bs=2090-12", token: token}, 200)
		n, _ := m["days_in_month"].(float64)
		return n
	}
	before := chaitra(a)
	newLen := map[bool]string{true: "31", false: "30"}[before == 30]
	table := filepath.Join(t.TempDir(), "calendar.txt")
	if err := os.WriteFile(table, []byte("official-through 2090\n2090 31 31 32 31 31 31 30 29 30 29 30 "+newLen+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	imp := exec.Command(bin, "calendar", "import", table)
	imp.Env = envOf("cli")
	if out, err := imp.CombinedOutput(); err != nil || !strings.Contains(string(out), "use the new table from now on") {
		t.Fatalf("calendar import: %v %s", err, out)
	}
	for _, r := range []*replica{a, b} {
		deadline := time.Now().Add(time.Second)
		for chaitra(r) == before {
			if time.Now().After(deadline) {
				t.Fatalf("%s still uses the old table a second after the import", r.name)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}

	// Fifty Rs 1,000 cash distributions at once on a fund of Rs 20,000
	// (3,500 left from above plus 16,500), split over both replicas:
	// exactly twenty are paid and the balance ends at zero.
	a.json(t, call{method: "POST", path: "/api/v1/funds/transactions", token: token,
		body: strings.NewReader(`{"kind":"income","amount":"16500","description":"संघीय सरकार","date_bs":"2082-10-02"}`)}, 201)
	if s := b.json(t, call{method: "GET", path: "/api/v1/funds/summary", token: token}, 200); s["balance"] != "20000.00" {
		t.Fatalf("balance before: %v", s)
	}
	var wg sync.WaitGroup
	codes := make([]int, 50)
	for i := range 50 {
		r := []*replica{a, b}[i%2]
		wg.Go(func() {
			req, _ := http.NewRequestWithContext(context.Background(), "POST", r.url+"/api/v1/distributions", strings.NewReader(distribution(fmt.Sprintf("CASH-%02d", i), "1000")))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Authorization", "Bearer "+token)
			resp, err := client.Do(req)
			if err != nil {
				t.Errorf("distribution %d: %v", i, err)
				return
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			codes[i] = resp.StatusCode
		})
	}
	wg.Wait()
	paid, refused := 0, 0
	for i, c := range codes {
		switch c {
		case http.StatusCreated:
			paid++
		case http.StatusConflict:
			refused++
		default:
			t.Errorf("distribution %d: status %d", i, c)
		}
	}
	if paid != 20 || refused != 30 {
		t.Fatalf("%d paid, %d refused; want 20 and 30", paid, refused)
	}
	for _, r := range []*replica{a, b} {
		if s := r.json(t, call{method: "GET", path: "/api/v1/funds/summary", token: token}, 200); s["balance"] != "0.00" {
			t.Fatalf("balance on %s after: %v", r.name, s)
		}
	}
}
