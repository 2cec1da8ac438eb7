package e2e

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestPhoneMenu: on a 360 px wide phone, the navigation folds behind the
// menu button, which opens it and closes it again, and the page does not
// scroll sideways.
func TestPhoneMenu(t *testing.T) {
	chromium := requireChromium(t)
	a := startApp(t, "")
	b := newBrowser(t, chromium, a)
	b.do(t, "emulate a phone", chromedp.EmulateViewport(360, 740,
		chromedp.EmulatePortrait, chromedp.EmulateMobile, chromedp.EmulateTouch))

	b.open(t, "/login")
	b.login(t, "admin", a.AdminPassword)
	if p := b.path(t); p != "/" {
		t.Fatalf("after login the browser is on %s, want /", p)
	}

	toggle := chromedp.CSS(".nav-toggle")
	homeLink := chromedp.CSS(`.site-nav a[href="/"]`)
	b.do(t, "wait for a closed menu", chromedp.WaitVisible(toggle), chromedp.WaitNotVisible(homeLink))
	if got := b.expanded(t); got != "false" {
		t.Errorf("closed menu: aria-expanded=%q, want false", got)
	}
	wide := run(t, b, "measure the page", chromedp.Evaluate[int](`document.documentElement.scrollWidth`))
	if wide > 360 {
		t.Errorf("the home page is %d px wide on a 360 px phone: it scrolls sideways", wide)
	}
	b.screenshot(t, "menu-closed")

	b.do(t, "open the menu", chromedp.Tap(toggle), chromedp.WaitVisible(homeLink))
	if got := b.expanded(t); got != "true" {
		t.Errorf("open menu: aria-expanded=%q, want true", got)
	}
	b.wantText(t, ".site-nav", "प्रशासन", "लगआउट गर्नुहोस्")
	b.screenshot(t, "menu-open")

	b.do(t, "close the menu", chromedp.Tap(toggle), chromedp.WaitNotVisible(homeLink))

	// The menu's links work: open it again, open the administration group
	// and go to the users page.
	b.do(t, "open the menu again", chromedp.Tap(toggle), chromedp.WaitVisible(homeLink))
	b.do(t, "open the administration group", chromedp.Tap(chromedp.CSS(`.nav-group:has(a[href="/users"]) > summary`)),
		chromedp.WaitVisible(chromedp.CSS(`.site-nav a[href="/users"]`)))
	b.press(t, `.site-nav a[href="/users"]`)
	if p := b.path(t); !strings.HasPrefix(p, "/users") {
		t.Errorf("the menu's users link led to %s, want /users", p)
	}
	b.wantClean(t)
}

// expanded returns the menu button's aria-expanded.
func (b *browser) expanded(t *testing.T) string {
	t.Helper()
	attr := run(t, b, "read aria-expanded", chromedp.AttributeValue(chromedp.CSS(".nav-toggle"), "aria-expanded"))
	return attr.Value
}
