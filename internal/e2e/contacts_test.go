package e2e

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestContacts: the emergency contacts register end to end on a 360 px
// phone, in Nepali and in English — a refused form names the bad number
// beside its box, the saved contact calls through tel: links, the call list
// and the directory show it under its category, nothing scrolls sideways.
func TestContacts(t *testing.T) {
	chromium := requireChromium(t)
	a := startApp(t, "")
	for _, c := range []struct {
		lang, org, bad, category, callWord string
	}{
		{"ne", "जिल्ला प्रहरी कार्यालय", "फोन नम्बर होइन", "सुरक्षा निकाय", "फोन गर्नुहोस्"},
		{"en", "Thalara Health Post", "is not a phone number", "Health", "Call"},
	} {
		t.Run(c.lang, func(t *testing.T) {
			b := newBrowser(t, chromium, a)
			b.do(t, "emulate a phone", chromedp.EmulateViewport(360, 740,
				chromedp.EmulatePortrait, chromedp.EmulateMobile, chromedp.EmulateTouch))
			b.open(t, "/login")
			b.login(t, "admin", a.AdminPassword)
			if c.lang == "en" {
				b.press(t, `button[name=lang][value=en]`)
			}
			category := "security"
			if c.lang == "en" {
				category = "health"
			}
			if st := b.open(t, "/contacts/new"); st != 200 {
				t.Fatalf("new contact form: %d", st)
			}
			b.fill(t, "#organisation", c.org, "#person", "Hari", "#phones", "१२३")
			b.do(t, "choose the category", chromedp.SetValue(chromedp.CSS("#category"), category))
			if st := b.press(t, `form.form button[type=submit]`); st != 422 {
				t.Fatalf("a three-digit phone: %d, want 422", st)
			}
			b.wantText(t, "#phones-error", c.bad)
			invalid := run(t, b, "read aria-describedby", chromedp.AttributeValue(chromedp.CSS("#phones"), "aria-describedby"))
			if !strings.Contains(invalid.Value, "phones-error") {
				t.Errorf("the phone box is described by %q, want its error", invalid.Value)
			}
			b.fill(t, "#phones", "९८५८०००००१")
			if st := b.press(t, `form.form button[type=submit]`); st != 200 {
				t.Fatalf("save: %d", st)
			}
			if p := b.path(t); !strings.HasPrefix(p, "/contacts/") {
				t.Fatalf("after saving the browser is on %s", p)
			}
			b.wantText(t, "h1", c.org)
			b.wantText(t, `a[href="tel:9858000001"]`, "")
			b.wantTranslated(t)

			b.open(t, "/contacts/call")
			b.wantText(t, "main", c.category, c.org)
			b.wantText(t, `a.call-link[href="tel:9858000001"]`, c.callWord)
			wide := run(t, b, "measure the call list", chromedp.Evaluate[int](`document.documentElement.scrollWidth`))
			if wide > 360 {
				t.Errorf("the call list is %d px wide on a 360 px phone", wide)
			}
			b.screenshot(t, "call-list")
			b.wantTranslated(t)

			b.open(t, "/contacts")
			b.wantText(t, "main", c.org)
			b.wantTranslated(t)
			b.wantClean(t)
		})
	}
}
