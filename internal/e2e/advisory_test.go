package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"leoc/internal/cli"
	"leoc/internal/must"
	"leoc/internal/store/storetest"
)

// An anonymous visitor — a villager on a phone, no account — opens the
// public advisories page and sees the advisory the centre published through
// the API, in Nepali and, after switching, in English; an expired advisory
// is not shown.

func TestPublicAdvisorySQLite(t *testing.T) {
	chromium := requireChromium(t)
	publicAdvisory(t, chromium, "")
}

func TestPublicAdvisoryPostgres(t *testing.T) {
	chromium := requireChromium(t)
	publicAdvisory(t, chromium, storetest.PostgresURL(t)) // skips without LEOC_TEST_POSTGRES_URL
}

const (
	activeTitle  = "सेती नदीमा बाढीको खतरा: किनारमा नजानुहोला"
	expiredTitle = "गत हप्ताको हिमपातको सूचना"
)

func publicAdvisory(t *testing.T, chromium, databaseURL string) {
	a := startApp(t, databaseURL)
	token := createToken(t, a)
	now := time.Now()
	postAdvisory(t, a, token, map[string]any{"title": activeTitle, "content": "आज राति सेती नदीमा पानीको सतह बढ्ने सम्भावना छ।",
		"type": "safety", "priority": "critical", "valid_from": now.Add(-time.Hour).Format(time.RFC3339),
		"valid_until": now.Add(24 * time.Hour).Format(time.RFC3339)})
	postAdvisory(t, a, token, map[string]any{"title": expiredTitle, "content": "हिमपात रोकियो।", "type": "weather", "priority": "high",
		"valid_from": now.Add(-7 * 24 * time.Hour).Format(time.RFC3339), "valid_until": now.Add(-24 * time.Hour).Format(time.RFC3339)})

	b := newBrowser(t, chromium, a)
	b.do(t, "emulate a phone", chromedp.EmulateViewport(360, 740,
		chromedp.EmulatePortrait, chromedp.EmulateMobile, chromedp.EmulateTouch))

	if st := b.open(t, "/public/advisories"); st != 200 {
		t.Fatalf("GET /public/advisories as anonymous: status %d, want 200", st)
	}
	if p := b.path(t); p != "/public/advisories" {
		t.Fatalf("the public page sent the visitor to %s", p)
	}
	b.wantText(t, "main h1", "सार्वजनिक सूचना")
	b.wantText(t, "main", activeTitle, "आज राति सेती नदीमा", "अति जरुरी")
	if got := b.text(t, "main"); strings.Contains(got, expiredTitle) {
		t.Errorf("the public page shows the expired advisory: %q", got)
	}
	wide := run(t, b, "measure the page", chromedp.Evaluate[int](`document.documentElement.scrollWidth`))
	if wide > 360 {
		t.Errorf("the public page is %d px wide on a 360 px phone", wide)
	}
	b.wantTranslated(t)
	b.screenshot(t, "public-ne")

	// The language switch works without an account.
	b.press(t, `button[name=lang][value=en]`)
	if p := b.path(t); p != "/public/advisories" {
		t.Errorf("after switching to English the visitor is on %s", p)
	}
	b.wantText(t, "main h1", "Public advisories")
	b.wantText(t, "main", activeTitle, "Critical")
	b.wantTranslated(t)
	b.screenshot(t, "public-en")
	b.wantClean(t)
}

// createToken runs `leoc token create` on the app's data, as a script's
// owner would on the server.
func createToken(t *testing.T, a *app) string {
	t.Helper()
	var out, errOut bytes.Buffer
	code := cli.Run(context.Background(), []string{"token", "create", "--user", "admin", "--name", "e2e"},
		cli.Env{Environ: a.Environ, Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errOut, ReadFile: os.ReadFile})
	if code != 0 {
		t.Fatalf("leoc token create: %d %s", code, errOut.String())
	}
	return strings.TrimSpace(out.String())
}

func postAdvisory(t *testing.T, a *app, token string, body map[string]any) {
	t.Helper()
	b, err := json.Marshal(body)
	if err != nil {
		t.Fatal(err)
	}
	req, err := http.NewRequest("POST", a.URL+"/api/v1/advisories", bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		var e map[string]any
		must.OK(t, json.NewDecoder(resp.Body).Decode(&e))
		t.Fatalf("POST /api/v1/advisories: %d %v", resp.StatusCode, e)
	}
}
