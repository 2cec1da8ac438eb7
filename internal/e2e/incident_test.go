package e2e

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"leoc/internal/cli"
)

// A ward secretary on a phone records a landslide through the form, picks
// the date with the BS date picker, types the figures in Devanagari digits,
// and finds the incident in the list and its report in the operations log.
func TestIncidentThroughTheForm(t *testing.T) {
	chromium := requireChromium(t)
	a := startApp(t, "")
	const password = "pahiro-2082-kholi"
	var out, errOut bytes.Buffer
	code := cli.Run(context.Background(), []string{"user", "add", "--username", "ward3", "--role", "officer", "--wards", "3", "--password-stdin"},
		cli.Env{Environ: a.Environ, Stdin: strings.NewReader(password + "\n"), Stdout: &out, Stderr: &errOut, ReadFile: os.ReadFile})
	if code != 0 {
		t.Fatalf("leoc user add: %d %s", code, errOut.String())
	}

	b := newBrowser(t, chromium, a)
	b.do(t, "emulate a phone", chromedp.EmulateViewport(360, 740,
		chromedp.EmulatePortrait, chromedp.EmulateMobile, chromedp.EmulateTouch))
	b.open(t, "/login")
	b.login(t, "ward3", password)
	if st := b.open(t, "/incidents/new"); st != 200 {
		t.Fatalf("GET /incidents/new: %d", st)
	}

	// The date picker: open it from the date field and pick the 5th.
	date := chromedp.CSS("#f-date_bs")
	day := chromedp.CSS(`.bs-picker .bs-day[data-day="5"]`)
	b.do(t, "open the date picker", chromedp.Clear(date), chromedp.WaitVisible(chromedp.CSS(".bs-picker-button")),
		chromedp.Click(chromedp.CSS(".bs-picker-button")), chromedp.WaitVisible(day))
	b.screenshot(t, "date-picker")
	b.do(t, "pick the 5th", chromedp.Click(day), chromedp.WaitNotVisible(chromedp.CSS(".bs-picker")))
	picked := run(t, b, "read the date", chromedp.Value(date))
	if !strings.HasSuffix(picked, "-०५") {
		t.Fatalf("the date picker wrote %q, want a date on the 5th in Devanagari digits", picked)
	}

	b.do(t, "choose the type", chromedp.SetValue(chromedp.CSS("#f-type"), "landslide"))
	if ward := run(t, b, "read the ward", chromedp.Value(chromedp.CSS("#f-ward"))); ward != "3" {
		t.Errorf("a ward-3 secretary's form offers ward %q first, want 3", ward)
	}
	b.fill(t, "#f-tole", "बिष्खेत", "#f-deaths_male", "१", "#f-injured", "२", "#f-houses_destroyed", "१",
		"#f-estimated_loss", "५०,०००")
	b.do(t, "describe it", chromedp.SendKeys(chromedp.CSS("#f-description"), "भारी वर्षाका कारण पहिरो खस्यो"))
	b.do(t, "tick road blocked", chromedp.Click(chromedp.CSS(`input[name="road_blocked"]`)))
	wide := run(t, b, "measure the form", chromedp.Evaluate[int](`document.documentElement.scrollWidth`))
	if wide > 360 {
		t.Errorf("the incident form is %d px wide on a 360 px phone", wide)
	}
	b.screenshot(t, "form")
	if st := b.press(t, `form[action="/incidents"] button[type=submit]`); st != 200 {
		t.Fatalf("save: status %d (%s)", st, b.text(t, "main"))
	}
	if p := b.path(t); !strings.HasPrefix(p, "/incidents/") {
		t.Fatalf("after saving the browser is on %s", p)
	}
	b.wantText(t, "main", "पहिरो", "बिष्खेत", "रु. ५०,०००.००", "अवरुद्ध")
	b.wantTranslated(t)
	b.screenshot(t, "detail")

	b.open(t, "/incidents")
	b.wantText(t, "main", "बिष्खेत", "पहिरो")
	b.wantTranslated(t)
	b.open(t, "/event-logs")
	b.wantText(t, "main", "विपद् घटना दर्ता", "बिष्खेत")
	b.open(t, "/incidents/stats")
	b.wantText(t, "main", "वडागत विवरण")
	b.wantTranslated(t)
	b.wantClean(t)
}
