package e2e

import (
	"bytes"
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestRequiredMarksErrorSummaryAndPageJump, in both languages, on a 1366 px
// screen and on a 390 px phone: required fields carry a star, the forms
// leave checking to the server (novalidate), a refused form opens with a
// focused summary that names each field by its label and links to it, the
// pager jumps to a typed page, and a locked record's badge stays on its
// row's first line.
func TestRequiredMarksErrorSummaryAndPageJump(t *testing.T) {
	chromium := requireChromium(t)
	// Records lock on save here, so the list shows the locked badge.
	a := startApp(t, "", "LEOC_EDIT_WINDOW=0")
	token := createToken(t, a)
	for i := 0; i < 3; i++ {
		postJSON(t, a, token, "/api/v1/incidents", `{"date_bs":"2082-10-15","time":"10:00","type":"flood","ward":4,"tole":"Kotphera"}`)
	}
	b := newBrowser(t, chromium, a)
	b.open(t, "/login")
	b.login(t, "admin", a.AdminPassword)

	type viewport struct {
		name string
		act  chromedp.Action[chromedp.Void]
	}
	for _, vp := range []viewport{
		{"1366", chromedp.EmulateViewport(1366, 768)},
		{"390", chromedp.EmulateViewport(390, 844, chromedp.EmulatePortrait, chromedp.EmulateMobile, chromedp.EmulateTouch)},
	} {
		b.do(t, "viewport "+vp.name, vp.act)
		for _, lang := range []string{"ne", "en"} {
			b.open(t, "/")
			if cur := run(t, b, "read the language", chromedp.Evaluate[string](`document.documentElement.lang`)); cur != lang {
				b.press(t, `button[name=lang][value=`+lang+`]`)
			}
			shot := vp.name + "-" + lang

			b.open(t, "/incidents/new")
			star := run(t, b, "read the date label's mark", chromedp.Evaluate[string](
				`getComputedStyle(document.querySelector('label[for="f-date_bs"]'), '::after').content`))
			if !strings.Contains(star, "*") {
				t.Errorf("%s: the required date has no mark (::after %q)", shot, star)
			}
			if tole := run(t, b, "read the tole label's mark", chromedp.Evaluate[string](
				`getComputedStyle(document.querySelector('label[for="f-tole"]'), '::after').content`)); strings.Contains(tole, "*") {
				t.Errorf("%s: the optional tole is marked required", shot)
			}
			if !run(t, b, "is the form novalidate", chromedp.Evaluate[bool](`document.querySelector('form.form').noValidate`)) {
				t.Errorf("%s: the incident form lets the browser validate in its own language", shot)
			}

			// Empty the date, leave type and ward unchosen, and save.
			b.do(t, "clear the date", chromedp.Evaluate[chromedp.Void](`document.getElementById('f-date_bs').value = ''`))
			if st := b.press(t, `form.form button.btn-primary[type=submit]`); st != 422 {
				t.Errorf("%s: empty form answered %d, want 422", shot, st)
			}
			b.do(t, "wait for the summary", chromedp.WaitVisible(chromedp.CSS("#error-summary")))
			if id := run(t, b, "read the focus", chromedp.Evaluate[string](`document.activeElement.id`)); id != "error-summary" {
				t.Errorf("%s: focus is on %q, want the error summary", shot, id)
			}
			links := run(t, b, "read the summary", chromedp.Evaluate[[]string](`[...document.querySelectorAll('#error-summary li a')].map(a =>
				a.getAttribute('href') + '=' + a.textContent + '=' + (document.querySelector('label[for="' + a.getAttribute('href').slice(1) + '"]') || {}).textContent)`))
			want := map[string]bool{"#f-date_bs": false, "#f-type": false, "#f-ward": false}
			for _, l := range links {
				parts := strings.SplitN(l, "=", 3)
				if len(parts) != 3 || parts[1] != strings.TrimSpace(parts[2]) {
					t.Errorf("%s: summary link %q does not carry its field's label", shot, l)
					continue
				}
				if _, ok := want[parts[0]]; ok {
					want[parts[0]] = true
				}
			}
			for id, seen := range want {
				if !seen {
					t.Errorf("%s: the summary does not link to %s: %q", shot, id, links)
				}
			}
			b.screenshot(t, "summary-"+shot)
			b.wantTranslated(t)

			// The pager jumps to a typed page and keeps the filters.
			b.open(t, "/incidents?per_page=1&ward=4")
			b.fill(t, "#page-jump", map[string]string{"ne": "२", "en": "2"}[lang])
			if st := b.press(t, `.page-jump button`); st != 200 {
				t.Errorf("%s: jump answered %d", shot, st)
			}
			if p := b.path(t); !strings.Contains(p, "ward=4") || !strings.Contains(p, "per_page=1") {
				t.Errorf("%s: jumped to %s, which lost the filters", shot, p)
			}
			b.wantText(t, ".pagination", map[string]string{"ne": "पृष्ठ २ / ३", "en": "Page 2 of 3"}[lang])

			// The locked badge sits on its row's first line.
			apart := run(t, b, "measure the badge", chromedp.Evaluate[float64](`(() => {
				const badge = document.querySelector('main tbody .badge-locked');
				const link = badge.parentElement.querySelector('a');
				return Math.abs(badge.getBoundingClientRect().top - link.getBoundingClientRect().top);
			})()`))
			if apart > 10 {
				t.Errorf("%s: the locked badge is %.0f px below its row's first line", shot, apart)
			}
			b.screenshot(t, "list-"+shot)
			b.wantClean(t)
		}
	}
}

func postJSON(t *testing.T, a *app, token, path, body string) {
	t.Helper()
	req, err := http.NewRequest("POST", a.URL+path, bytes.NewReader([]byte(body)))
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
		t.Fatalf("POST %s: %d", path, resp.StatusCode)
	}
}
