package e2e

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"leoc/internal/bs"
	"leoc/internal/must"
)

// An officer produces today's daily bulletin in two clicks from any page:
// the navigation's "दैनिक बुलेटिन", then "आजको बुलेटिन". The print page
// shows today's incident with its sit-rep number (data-sitrep for scripts),
// has a Print button that works under the CSP, and links the same bulletin
// as a PDF.
func TestDailyBulletinInTwoClicks(t *testing.T) {
	chromium := requireChromium(t)
	a := startApp(t, "")
	token := createToken(t, a)
	today, err := bs.Default().Today(time.Now())
	if err != nil {
		t.Fatal(err)
	}
	body := fmt.Sprintf(`{"date_bs":%q,"type":"landslide","ward":4,"tole":"कोटफेरा","description":"पहिरोले बाटो अवरुद्ध","injured_female":3,"road_blocked":true,"estimated_loss":"350000"}`, today.String())
	req, err := http.NewRequest("POST", a.URL+"/api/v1/incidents", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("create incident: %d", resp.StatusCode)
	}

	b := newBrowser(t, chromium, a)
	b.open(t, "/login")
	if st := b.login(t, "admin", a.AdminPassword); st != 200 {
		t.Fatalf("login: %d", st)
	}
	// From the menu: the Reports group (a disclosure, not a page), the
	// bulletin page, then today's bulletin.
	b.do(t, "open the reports group", chromedp.Click(chromedp.CSS(`.nav-group:has(a[href="/reports"]) > summary`)))
	if st := b.press(t, `.site-nav a[href="/reports"]`); st != 200 {
		t.Fatalf("the bulletin page: %d", st)
	}
	if st := b.press(t, `#bulletin-today`); st != 200 {
		t.Fatalf("today's bulletin: %d", st)
	}
	if p := b.path(t); p != "/reports/daily-bulletin" {
		t.Errorf("the menu led to %s", p)
	}
	// From the home page, where every login lands: one click to the print
	// page; its PDF link is the second (checked below).
	if st := b.open(t, "/"); st != 200 {
		t.Fatalf("home: %d", st)
	}
	if st := b.press(t, `#home-bulletin`); st != 200 { // click 1
		t.Fatalf("today's bulletin from home: %d", st)
	}
	if p := b.path(t); p != "/reports/daily-bulletin" {
		t.Errorf("the home page's bulletin button led to %s", p)
	}
	b.wantText(t, "main h1", "दैनिक विपद् बुलेटिन")
	b.wantText(t, "#bulletin-wards", "वडा नं. ४", "३,५०,०००.००", "अवरुद्ध")
	b.wantText(t, "#bulletin-types", "पहिरो")
	sitrep := run(t, b, "read the sit-rep number", chromedp.Evaluate[string](`document.querySelector('[data-sitrep]').dataset.sitrep`))
	if sitrep != "1" {
		t.Errorf("data-sitrep = %q, want 1", sitrep)
	}
	// The Print button calls window.print(); headless Chromium has no
	// dialog, so the test counts the call.
	printed := run(t, b, "press Print", chromedp.Evaluate[int](`(function(){var n=0;window.print=function(){n++};document.querySelector('[data-print]').click();return n})()`))
	if printed != 1 {
		t.Errorf("the Print button called window.print %d times", printed)
	}
	b.wantTranslated(t)
	b.screenshot(t, "bulletin-ne")
	b.wantClean(t)

	// The PDF link gives the same day's bulletin, with the same number.
	href := run(t, b, "read the PDF link", chromedp.Evaluate[string](`document.querySelector('a[href^="/reports/daily-bulletin.pdf"]').getAttribute('href')`))
	req = must.Get(http.NewRequest("GET", a.URL+href, nil))(t)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	pdf := must.Get(io.ReadAll(resp.Body))(t)
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/pdf" || !bytes.HasPrefix(pdf, []byte("%PDF-")) {
		t.Errorf("PDF %s: %d %s", href, resp.StatusCode, resp.Header.Get("Content-Type"))
	}
}
