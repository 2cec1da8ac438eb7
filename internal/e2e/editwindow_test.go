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

// A ward secretary on a 390 px phone saves an operations-log entry, sees
// until when it can still be corrected, and corrects it twice without the
// unlock key: once in Nepali, once in English.
func TestEditOwnRecordWithinTheWindow(t *testing.T) {
	chromium := requireChromium(t)
	a := startApp(t, "") // the default window, 24 h
	const password = "sachyau-2082-kholi"
	addOfficer(t, a, "ward3", password)

	b := newBrowser(t, chromium, a)
	b.do(t, "emulate a 390 px phone", chromedp.EmulateViewport(390, 844,
		chromedp.EmulatePortrait, chromedp.EmulateMobile, chromedp.EmulateTouch))
	b.open(t, "/login")
	b.login(t, "ward3", password)
	if st := b.open(t, "/event-logs/new"); st != 200 {
		t.Fatalf("GET /event-logs/new: %d", st)
	}
	b.do(t, "choose the type", chromedp.SetValue(chromedp.CSS("#type"), "assessment"))
	b.fill(t, "#location", "खोली")
	b.do(t, "describe it", chromedp.SendKeys(chromedp.CSS("#description"), "क्षति मूल्याङ्कन वडा ३"))
	if st := b.press(t, `form[action="/event-logs"] button[type=submit]`); st != 200 {
		t.Fatalf("save: status %d (%s)", st, b.text(t, "main"))
	}
	record := b.path(t)
	if !strings.HasPrefix(record, "/event-logs/") {
		t.Fatalf("after saving the browser is on %s", record)
	}
	b.wantText(t, ".lock-note", "सम्म दर्ता गर्ने र यस वडाका कर्मचारीले अनलक कोड बिना")
	b.wantText(t, ".badge-open", "सम्पादन खुला")
	b.screenshot(t, "open-ne")
	correct(t, b, record, "क्षति मूल्याङ्कन वडा ३, टोल खोली")
	b.wantText(t, "main", "क्षति मूल्याङ्कन वडा ३, टोल खोली")
	b.wantTranslated(t)

	b.press(t, `button[name=lang][value=en]`)
	b.open(t, record)
	b.wantText(t, ".lock-note", "Its author and the writers of its ward can still edit or delete it until")
	b.wantText(t, ".badge-open", "Open for corrections")
	correct(t, b, record, "Damage assessment, ward 3")
	b.wantText(t, "main", "Damage assessment, ward 3")
	b.wantTranslated(t)
	b.screenshot(t, "open-en")
	b.wantClean(t)
}

// correct opens a record's edit form from its page, replaces the
// description and saves, on a page no wider than the phone.
func correct(t *testing.T, b *browser, record, description string) {
	t.Helper()
	if st := b.press(t, `a[href="`+record+`/edit"]`); st != 200 {
		t.Fatalf("edit form: status %d (%s)", st, b.text(t, "main"))
	}
	if wide := run(t, b, "measure the form", chromedp.Evaluate[int](`document.documentElement.scrollWidth`)); wide > 390 {
		t.Errorf("the edit form is %d px wide on a 390 px phone", wide)
	}
	b.fill(t, "#description", description)
	if st := b.press(t, `form[action="`+record+`"] button[type=submit]`); st != 200 {
		t.Fatalf("save the correction: status %d (%s)", st, b.text(t, "main"))
	}
	if p := b.path(t); p != record {
		t.Fatalf("after the correction the browser is on %s, want %s", p, record)
	}
	if wide := run(t, b, "measure the page", chromedp.Evaluate[int](`document.documentElement.scrollWidth`)); wide > 390 {
		t.Errorf("the record page is %d px wide on a 390 px phone", wide)
	}
}

// With LEOC_EDIT_WINDOW=0 a record locks when saved; its page has no edit
// button and says, in both languages, who can unlock it and how.
func TestLockedRecordSaysHowToUnlock(t *testing.T) {
	chromium := requireChromium(t)
	a := startApp(t, "", "LEOC_EDIT_WINDOW=0")
	const password = "lock-2082-kholi"
	addOfficer(t, a, "ward3", password)

	b := newBrowser(t, chromium, a)
	b.do(t, "emulate a 390 px phone", chromedp.EmulateViewport(390, 844,
		chromedp.EmulatePortrait, chromedp.EmulateMobile, chromedp.EmulateTouch))
	b.open(t, "/login")
	b.login(t, "ward3", password)
	b.open(t, "/event-logs/new")
	b.do(t, "choose the type", chromedp.SetValue(chromedp.CSS("#type"), "assessment"))
	b.do(t, "describe it", chromedp.SendKeys(chromedp.CSS("#description"), "समन्वय बैठक"))
	if st := b.press(t, `form[action="/event-logs"] button[type=submit]`); st != 200 {
		t.Fatalf("save: status %d (%s)", st, b.text(t, "main"))
	}
	record := b.path(t)
	b.wantText(t, ".lock-note", "अनलक अनुमति भएका प्रयोगकर्ता", "अनलक कोड र कारण")
	b.wantText(t, ".badge-locked", "लक")
	if n := run(t, b, "count edit buttons", chromedp.Evaluate[int](`document.querySelectorAll('a[href$="/edit"]').length`)); n != 0 {
		t.Errorf("a locked record offers %d edit buttons", n)
	}
	b.screenshot(t, "locked-ne")
	b.press(t, `button[name=lang][value=en]`)
	b.open(t, record)
	b.wantText(t, ".lock-note", "a user with the unlock permission", "with the unlock key and a reason")
	b.wantTranslated(t)
	if wide := run(t, b, "measure the page", chromedp.Evaluate[int](`document.documentElement.scrollWidth`)); wide > 390 {
		t.Errorf("the locked record page is %d px wide on a 390 px phone", wide)
	}
	b.screenshot(t, "locked-en")
	b.wantClean(t)
}

// addOfficer adds an officer limited to ward 3 with leoc user add.
func addOfficer(t *testing.T, a *app, username, password string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := cli.Run(context.Background(), []string{"user", "add", "--username", username, "--role", "officer", "--wards", "3", "--password-stdin"},
		cli.Env{Environ: a.Environ, Stdin: strings.NewReader(password + "\n"), Stdout: &out, Stderr: &errOut, ReadFile: os.ReadFile})
	if code != 0 {
		t.Fatalf("leoc user add: %d %s", code, errOut.String())
	}
}
