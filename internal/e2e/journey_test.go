package e2e

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/css"
	"github.com/chromedp/chromedp"

	"leoc/internal/store/storetest"
)

// The journey is one day's first use of a new LEOC: the administrator logs
// in, looks at both languages, adds a ward officer, reads the audit trail,
// and the officer logs in. It runs once per database; the steps share one
// server and one browser because each builds on the one before (a browser
// start costs seconds on a 2-core CI machine).

func TestJourneySQLite(t *testing.T) {
	chromium := requireChromium(t)
	journey(t, chromium, "")
}

func TestJourneyPostgres(t *testing.T) {
	chromium := requireChromium(t)
	journey(t, chromium, storetest.PostgresURL(t)) // skips without LEOC_TEST_POSTGRES_URL
}

// The officer the administrator creates.
const (
	officerName     = "ramesh"
	officerPassword = "Sindhuli-Bagar-42"
)

func journey(t *testing.T, chromium, databaseURL string) {
	a := startApp(t, databaseURL)
	b := newBrowser(t, chromium, a)
	steps := []struct {
		name string
		run  func(t *testing.T, a *app, b *browser)
	}{
		{"login", stepLogin},
		{"devanagari_font", stepDevanagariFont},
		{"language_switch", stepLanguageSwitch},
		{"create_officer", stepCreateOfficer},
		{"every_admin_page", stepEveryAdminPage},
		{"audit_trail", stepAuditTrail},
		{"officer", stepOfficer},
	}
	for _, s := range steps {
		ok := t.Run(s.name, func(t *testing.T) {
			s.run(t, a, b)
			b.wantClean(t)
		})
		if !ok {
			return // the later steps stand on this one
		}
	}
}

func stepLogin(t *testing.T, a *app, b *browser) {
	// An anonymous visitor is sent to the login page.
	if st := b.open(t, "/"); st != 200 {
		t.Errorf("GET / as anonymous ended with status %d, want 200 (the login page)", st)
	}
	if p := b.path(t); !strings.HasPrefix(p, "/login") {
		t.Fatalf("GET / as anonymous ended on %s, want /login", p)
	}
	b.wantText(t, ".site-header .brand", "थलारा गाउँपालिका")

	// A wrong password is refused on the login page, which keeps the name.
	b.login(t, "admin", "not-the-password")
	if p := b.path(t); !strings.HasPrefix(p, "/login") {
		t.Errorf("after a wrong password the browser is on %s, want /login", p)
	}
	b.wantText(t, ".flash-error", "प्रयोगकर्ता नाम वा पासवर्ड मिलेन")
	if v := run(t, b, "read the username", chromedp.Value(chromedp.CSS("#username"))); v != "admin" {
		t.Errorf("after a wrong password the username field holds %q, want admin", v)
	}

	// The right one opens the home page.
	if st := b.login(t, "admin", a.AdminPassword); st != 200 {
		t.Errorf("login ended with status %d, want 200", st)
	}
	if p := b.path(t); p != "/" {
		t.Fatalf("after login the browser is on %s, want /", p)
	}
	b.wantText(t, ".site-header", "थलारा गाउँपालिका", "लगआउट गर्नुहोस्")
	b.wantText(t, "main h1", "नमस्ते")
	b.wantTranslated(t)
}

// stepDevanagariFont checks that the embedded Noto Sans Devanagari is what
// the page is drawn with: a font blocked by the CSP, or missing from the
// binary, leaves the browser on a fallback (or, with no Devanagari font on
// the machine, on empty boxes) and nothing else would notice.
func stepDevanagariFont(t *testing.T, a *app, b *browser) {
	b.open(t, "/login")
	type face struct {
		Weight, Range, Status string
	}
	type fonts struct {
		Check bool
		Faces []face
	}
	got := run(t, b, "read document.fonts", chromedp.Evaluate[fonts](`(async () => {
		await document.fonts.ready;
		const faces = [...document.fonts]
			.filter(f => f.family.replace(/"/g, '') === 'Noto Sans Devanagari')
			.map(f => ({Weight: f.weight, Range: f.unicodeRange, Status: f.status}));
		return {Check: document.fonts.check('16px "Noto Sans Devanagari"', 'नेपाल'), Faces: faces};
	})()`, chromedp.EvalAwaitPromise))
	if !got.Check {
		t.Errorf(`document.fonts.check('16px "Noto Sans Devanagari"', 'नेपाल') = false; faces: %+v`, got.Faces)
	}
	loaded := slices.ContainsFunc(got.Faces, func(f face) bool {
		return f.Weight == "400" && f.Status == "loaded" && strings.Contains(f.Range, "U+900")
	})
	if !loaded {
		t.Errorf("the regular Devanagari face of Noto Sans Devanagari is not loaded; faces: %+v", got.Faces)
	}

	// What the browser actually drew the municipality's name with.
	used := run(t, b, "read the fonts of the header", chromedp.QueryAfter(chromedp.CSS(".site-header .brand > span"),
		func(ctx context.Context, tg *chromedp.Target, nodes []*chromedp.Node) ([]*css.PlatformFontUsage, error) {
			res, err := cdp.Call(ctx, tg, css.GetPlatformFontsForNode, css.GetPlatformFontsForNodeParams{NodeID: nodes[0].NodeID})
			return res.Fonts, err
		}, chromedp.NodeVisible))
	drawn := slices.ContainsFunc(used, func(f *css.PlatformFontUsage) bool {
		return f.IsCustomFont && strings.Contains(f.FamilyName, "Noto Sans Devanagari")
	})
	if !drawn {
		var names []string
		for _, f := range used {
			names = append(names, f.FamilyName)
		}
		t.Errorf("the header is drawn with %v, want the embedded Noto Sans Devanagari", names)
	}
}

func stepLanguageSwitch(t *testing.T, a *app, b *browser) {
	b.open(t, "/")
	b.screenshot(t, "home-ne")

	b.press(t, `button[name=lang][value=en]`)
	if p := b.path(t); p != "/" {
		t.Errorf("after switching to English the browser is on %s, want /", p)
	}
	b.wantText(t, ".site-header .brand", "Thalara Rural Municipality")
	b.wantText(t, ".site-nav", "Incidents & operations", "Reports", "Administration", "Log out")
	b.wantText(t, "main h1", "Welcome")
	b.wantText(t, `button[name=lang]`, "नेपाली")
	b.wantTranslated(t)
	b.screenshot(t, "home-en")

	b.press(t, `button[name=lang][value=ne]`)
	b.wantText(t, ".site-header .brand", "थलारा गाउँपालिका")
	b.wantText(t, ".site-nav", "प्रशासन", "लगआउट गर्नुहोस्")
	b.wantText(t, `button[name=lang]`, "English")
}

func stepCreateOfficer(t *testing.T, a *app, b *browser) {
	b.open(t, "/users/new")
	b.fill(t, "#username", officerName, "#display_name", "रमेश थापा",
		"#password", "short1", "#confirm_password", "short1")
	b.do(t, "choose the role and ward 3",
		chromedp.SetValue(chromedp.CSS("#role"), "officer"),
		chromedp.Click(chromedp.CSS(`input[name=wards][value="3"]`)),
	)

	// The browser itself refuses the short password (minlength) …
	tooShort := run(t, b, "read the password's validity",
		chromedp.Evaluate[bool](`document.getElementById('password').validity.tooShort`))
	if !tooShort {
		t.Error("the browser does not flag a 6-character password as too short")
	}
	// … and so must the server, for browsers that do not check: turn the
	// browser's check off and submit.
	b.do(t, "turn off the browser's form validation",
		chromedp.Evaluate[chromedp.Void](`document.querySelector('form[action="/users"]').noValidate = true`))
	if st := b.press(t, `form[action="/users"] button[type=submit]`); st != 422 {
		t.Errorf("a too-short password got status %d, want 422", st)
	}
	b.wantText(t, "#password + .field-error", "पासवर्ड कम्तीमा")
	if v := run(t, b, "read the username", chromedp.Value(chromedp.CSS("#username"))); v != officerName {
		t.Errorf("the refused form holds username %q, want %q", v, officerName)
	}
	ward3 := run(t, b, "read ward 3's box",
		chromedp.Evaluate[bool](`document.querySelector('input[name=wards][value="3"]').checked`))
	if !ward3 {
		t.Error("the refused form lost the ticked ward 3")
	}

	// With a good password the user is created.
	b.fill(t, "#password", officerPassword, "#confirm_password", officerPassword)
	if st := b.press(t, `form[action="/users"] button[type=submit]`); st != 200 {
		t.Errorf("creating the officer ended with status %d, want 200", st)
	}
	if p := b.path(t); !strings.HasPrefix(p, "/users/") {
		t.Errorf("after creating the officer the browser is on %s, want /users/{id}", p)
	}
	b.wantText(t, ".flash-success", "प्रयोगकर्ता बनाइयो")

	b.open(t, "/users")
	rows := run(t, b, "read the users table", chromedp.Evaluate[[]string](
		`[...document.querySelectorAll('main tbody tr')].map(tr => tr.innerText)`))
	i := slices.IndexFunc(rows, func(r string) bool { return strings.Contains(r, officerName) })
	if i < 0 {
		t.Fatalf("/users does not list %s: %q", officerName, rows)
	}
	for _, want := range []string{"रमेश थापा", "३"} { // ward 3, in Devanagari digits
		if !strings.Contains(rows[i], want) {
			t.Errorf("the officer's row in /users is %q, want it to contain %q", rows[i], want)
		}
	}
}

// stepEveryAdminPage opens every page the administrator's navigation links
// to, and the forms behind them, in both languages, so that a page with a
// CSP violation, a script error or an untranslated message fails (journey
// checks the console after each step). Reading the links from the page
// means a new screen is covered as soon as it is in the navigation.
func stepEveryAdminPage(t *testing.T, a *app, b *browser) {
	b.open(t, "/")
	pages := b.navLinks(t)
	for _, p := range []string{"/users/new", "/account"} {
		if !slices.Contains(pages, p) {
			pages = append(pages, p)
		}
	}
	for _, lang := range []string{"en", "ne"} {
		b.open(t, "/")
		b.press(t, `button[name=lang][value=`+lang+`]`)
		for _, p := range pages {
			if st := b.open(t, p); st != 200 {
				t.Errorf("%s (%s) answered %d, want 200", p, lang, st)
			}
			b.wantTranslated(t)
		}
	}
}

func stepAuditTrail(t *testing.T, a *app, b *browser) {
	b.open(t, "/audit")
	b.wantText(t, "main table", "admin")
	// The actions are written in the reader's language; the code is kept
	// in an attribute.
	for _, code := range []string{"login.failure", "login.success", "user.create"} {
		shown := run(t, b, "read the action "+code, chromedp.Evaluate[string](`(document.querySelector('.audit-table [data-action="`+code+`"]') || {}).textContent || ''`))
		if shown == "" || shown == code {
			t.Errorf("audit trail shows action %s as %q", code, shown)
		}
	}
}

func stepOfficer(t *testing.T, a *app, b *browser) {
	b.press(t, `form[action="/logout"] button[type=submit]`)
	if p := b.path(t); !strings.HasPrefix(p, "/login") {
		t.Fatalf("after logging out the browser is on %s, want /login", p)
	}

	b.login(t, officerName, officerPassword)
	if p := b.path(t); p != "/" {
		t.Fatalf("after the officer's login the browser is on %s, want /", p)
	}
	nav := b.text(t, ".site-nav")
	for _, label := range []string{"प्रशासन", "प्रयोगकर्ता", "सेटिङ", "गतिविधि अभिलेख"} {
		if strings.Contains(nav, label) {
			t.Errorf("the officer's navigation %q offers %q", nav, label)
		}
	}
	links := b.navLinks(t)
	for _, forbidden := range []string{"/users", "/settings", "/audit"} {
		if slices.Contains(links, forbidden) {
			t.Errorf("the officer's navigation links to %s: %v", forbidden, links)
		}
	}
	b.wantText(t, "main", "तोकिएका वडा", "३") // the ward the administrator gave

	// Typing the address is no way round the menu.
	if st := b.open(t, "/users"); st != 403 {
		t.Errorf("GET /users as an officer answered %d, want 403", st)
	}
	b.wantText(t, "main", "४०३", "तपाईंलाई यो काम गर्ने अनुमति छैन")
}

// navLinks returns where the navigation's links lead.
func (b *browser) navLinks(t *testing.T) []string {
	t.Helper()
	return run(t, b, "read the navigation's links", chromedp.Evaluate[[]string](
		`[...document.querySelectorAll('.site-nav a')].map(a => a.getAttribute('href'))`))
}
