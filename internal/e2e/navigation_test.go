package e2e

import (
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// TestNavigationFits: at 1366 px the grouped menu is one line in both
// languages, its groups open with the keyboard, the current section is
// marked; at 390 px (a phone) it is folded behind one button.
func TestNavigationFits(t *testing.T) {
	chromium := requireChromium(t)
	a := startApp(t, "")
	b := newBrowser(t, chromium, a)
	b.do(t, "a 1366 px office screen", chromedp.EmulateViewport(1366, 768))
	b.open(t, "/login")
	b.login(t, "admin", a.AdminPassword)

	for _, lang := range []string{"ne", "en"} {
		b.open(t, "/")
		if lang == "en" {
			b.press(t, `button[name=lang][value=en]`)
		}
		b.open(t, "/incidents/stats")
		// One line: every entry of the menu, and the brand and the
		// language switch beside it, overlap one horizontal band.
		oneLine := run(t, b, "check the menu is one line", chromedp.Evaluate[bool](
			`(() => { const r = [...document.querySelectorAll('.site-nav > ul > li, .site-header .brand, .site-header .lang-switch')].map(e => e.getBoundingClientRect());
			  return Math.max(...r.map(x => x.top)) < Math.min(...r.map(x => x.bottom)); })()`))
		if !oneLine {
			t.Errorf("%s: the header and its menu take more than one line at 1366 px", lang)
		}
		header := run(t, b, "measure the header", chromedp.Evaluate[int](`document.querySelector('.site-header').offsetHeight`))
		if header > 90 {
			t.Errorf("%s: the header is %d px tall at 1366 px", lang, header)
		}
		if w := run(t, b, "measure the page", chromedp.Evaluate[int](`document.documentElement.scrollWidth`)); w > 1366 {
			t.Errorf("%s: the page is %d px wide at 1366 px", lang, w)
		}
		current := run(t, b, "read the current section", chromedp.Evaluate[string](
			`(document.querySelector('.nav-group > summary.current') || {}).textContent || ''`))
		want := map[string]string{"ne": "प्रतिवेदन", "en": "Reports"}[lang]
		if current != want {
			t.Errorf("%s: current section %q, want %q", lang, current, want)
		}
		b.screenshot(t, "nav-1366-"+lang)

		// The keyboard opens a group: focus its summary, press Enter.
		admin := `.nav-group:has(a[href="/audit"])`
		b.do(t, "open the administration group with the keyboard",
			chromedp.Focus(chromedp.CSS(admin+" > summary")), chromedp.KeyEvent(kb.Enter),
			chromedp.WaitVisible(chromedp.CSS(`.site-nav a[href="/audit"]`)))
		b.screenshot(t, "nav-1366-open-"+lang)
		b.do(t, "Escape closes it", chromedp.KeyEvent(kb.Escape))
		// A closed <details> keeps layout boxes for its content in current
		// Chromium, so ask the browser whether the link can be seen.
		if run(t, b, "is the audit link seen", chromedp.Evaluate[bool](`document.querySelector('.site-nav a[href="/audit"]').checkVisibility()`)) {
			t.Errorf("%s: Escape did not close the group", lang)
		}
		b.wantTranslated(t)
		b.open(t, "/settings#wards")
		b.screenshot(t, "settings-1366-"+lang)
		b.wantTranslated(t)
		b.wantClean(t)
	}

	b.do(t, "a 390 px phone", chromedp.EmulateViewport(390, 844,
		chromedp.EmulatePortrait, chromedp.EmulateMobile, chromedp.EmulateTouch))
	for _, lang := range []string{"en", "ne"} {
		if lang == "ne" {
			b.open(t, "/")
			b.press(t, `button[name=lang][value=ne]`)
		}
		b.open(t, "/distributions")
		home := chromedp.CSS(`.site-nav a[href="/"]`)
		b.do(t, "the menu is folded", chromedp.WaitVisible(chromedp.CSS(".nav-toggle")), chromedp.WaitNotVisible(home))
		b.do(t, "one button opens it", chromedp.Tap(chromedp.CSS(".nav-toggle")), chromedp.WaitVisible(home))
		b.do(t, "a group opens inside it", chromedp.Tap(chromedp.CSS(`.nav-group:has(a[href="/beneficiaries"]) > summary`)),
			chromedp.WaitVisible(chromedp.CSS(`.site-nav a[href="/beneficiaries"]`)))
		if w := run(t, b, "measure the page", chromedp.Evaluate[int](`document.documentElement.scrollWidth`)); w > 390 {
			t.Errorf("%s: the page is %d px wide on a 390 px phone", lang, w)
		}
		b.screenshot(t, "nav-390-"+lang)
		b.wantClean(t)
	}
}
