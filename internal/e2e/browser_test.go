package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

const (
	// testTimeout bounds a whole test function, browser included: a hung
	// browser fails the test instead of the package's 10-minute alarm.
	testTimeout = 2 * time.Minute
	// stepTimeout bounds one action (a page load, a wait for an element),
	// so a click that leads nowhere fails fast with the step's name.
	stepTimeout = 30 * time.Second
)

// requireChromium returns the path of Debian's Chromium. Without one the
// test skips, except in CI (CI=true), where a skipped browser test would
// hide a pipeline that no longer tests in a browser.
func requireChromium(t *testing.T) string {
	t.Helper()
	if fi, err := os.Stat("/usr/bin/chromium"); err == nil && !fi.IsDir() {
		return "/usr/bin/chromium"
	}
	if p, err := exec.LookPath("chromium"); err == nil {
		return p
	}
	msg := "Chromium not found at /usr/bin/chromium or on PATH; install it with: apt-get install -y chromium"
	if os.Getenv("CI") == "true" {
		t.Fatal(msg + " (CI=true: the browser tests must run)")
	}
	t.Skip(msg)
	return ""
}

// browser is one headless Chromium with one tab, pointed at one app.
type browser struct {
	ctx     context.Context // the tab; every action runs in it
	base    string          // the app's URL
	console *consoleWatch
	shots   string // where screenshots go
}

// chromiumOptions are the flags CI runs Chromium with. They are listed here,
// not taken from chromedp.DefaultExecAllocatorOptions, so that what runs is
// exactly what this file says.
func chromiumOptions(chromium, profile string, output io.Writer) []chromedp.ExecAllocatorOption {
	return []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromium),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true), // CI runs as root, where the sandbox cannot start
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.NoDefaultBrowserCheck,
		chromedp.UserDataDir(profile),
		chromedp.CombinedOutput(output),
	}
}

// newBrowser starts Chromium for the rest of the test and closes it at the
// end, before the app stops (start the app first). The tab's console is
// watched from its first event, and the cleanup fails the test for any
// error that no wantClean or console.take has collected.
func newBrowser(t *testing.T, chromium string, a *app) *browser {
	t.Helper()
	dir := t.TempDir()
	var output lockedBuffer
	opts := chromiumOptions(chromium, filepath.Join(dir, "profile"), &output)
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	watch := &consoleWatch{}
	tabCtx, cancelTab := chromedp.NewContext(allocCtx, chromedp.WithListener(watch.record))
	t.Cleanup(func() {
		if err := chromedp.Cancel(tabCtx); err != nil {
			t.Logf("close Chromium: %v", err)
		}
		cancelTab()
		cancelAlloc() // waits for Chromium to exit, before t.TempDir is removed
		cancel()
		for _, p := range watch.take() {
			t.Errorf("browser console: %s", p)
		}
		if t.Failed() {
			t.Logf("Chromium output:\n%s", output.String())
		}
	})

	b := &browser{ctx: tabCtx, base: a.URL, console: watch, shots: filepath.Join(dir, "screenshots")}
	if err := os.Mkdir(b.shots, 0o750); err != nil {
		t.Fatal(err)
	}
	// The first action starts Chromium and binds it to the context it runs
	// in, so it runs in the tab's context, not in a step's. A desktop
	// viewport, and a browser that asks for Nepali, as the operations
	// centre's own computers do.
	err := chromedp.Do(tabCtx,
		chromedp.EmulateViewport(1280, 900),
		chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := cdp.Call(ctx, tg, network.SetExtraHTTPHeaders, network.SetExtraHTTPHeadersParams{
				Headers: network.Headers{"Accept-Language": "ne-NP,ne;q=0.9"},
			})
			return err
		}),
	)
	if err != nil {
		t.Fatalf("start Chromium: %v", err)
	}
	return b
}

// step returns a context for one action, bounded by stepTimeout.
func (b *browser) step() (context.Context, context.CancelFunc) {
	return context.WithTimeout(b.ctx, stepTimeout)
}

// do runs actions that return nothing, failing the test with what as the
// step's name.
func (b *browser) do(t *testing.T, what string, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// run runs one action that returns a value.
func run[T any](t *testing.T, b *browser, what string, action chromedp.Action[T]) T {
	t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	v, err := chromedp.Run(ctx, action)
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	return v
}

// open loads path (relative to the app) and returns the HTTP status of the
// page the browser ends on, after redirects.
func (b *browser) open(t *testing.T, path string) int64 {
	t.Helper()
	resp := run(t, b, "open "+path, chromedp.NavigateResponse(b.base+path))
	if resp == nil {
		t.Fatalf("open %s: the browser saw no response", path)
	}
	return resp.Status
}

// press clicks something that leads to another page (a submit button, a
// link), waits for that page to load and returns its HTTP status, after
// redirects.
func (b *browser) press(t *testing.T, sel string) int64 {
	t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	resp, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(sel)))
	if err != nil {
		t.Fatalf("press %s: %v", sel, err)
	}
	if resp == nil {
		t.Fatalf("press %s: the browser saw no response", sel)
	}
	return resp.Status
}

// fill types text into the fields named by CSS selectors, in order.
func (b *browser) fill(t *testing.T, fields ...string) {
	t.Helper()
	var actions []chromedp.Action[chromedp.Void]
	for i := 0; i+1 < len(fields); i += 2 {
		sel := chromedp.CSS(fields[i])
		// Emptied through the value property (script): chromedp.Clear sets the value
		// attribute, and the attribute event it causes races (in chromedp)
		// with SendKeys reading the node's attributes, which the race
		// detector reports.
		clear := `(function(){var e = document.querySelector(` + jsString(fields[i]) + `); if (e) e.value = ''})()`
		actions = append(actions, chromedp.WaitReady(sel), chromedp.Evaluate[chromedp.Void](clear), chromedp.SendKeys(sel, fields[i+1]))
	}
	b.do(t, "fill the form", actions...)
}

// path returns the path and query of the page the browser shows.
func (b *browser) path(t *testing.T) string {
	t.Helper()
	loc := run(t, b, "read the location", chromedp.Location())
	return strings.TrimPrefix(loc, b.base)
}

// text returns the visible text of the first element that matches sel,
// waiting for it to be visible.
func (b *browser) text(t *testing.T, sel string) string {
	t.Helper()
	return run(t, b, "read the text of "+sel, chromedp.Text(chromedp.CSS(sel), chromedp.NodeVisible))
}

// wantText fails the test unless the element sel shows every one of want.
func (b *browser) wantText(t *testing.T, sel string, want ...string) {
	t.Helper()
	got := b.text(t, sel)
	for _, w := range want {
		if !strings.Contains(got, w) {
			t.Errorf("%s shows %q, want it to contain %q", sel, got, w)
		}
	}
}

// screenshot saves the viewport as name.png in the test's screenshot
// directory and, when LEOC_E2E_SCREENSHOTS names a directory, there too
// (prefixed with the test's name) for a person to look at.
func (b *browser) screenshot(t *testing.T, name string) {
	t.Helper()
	png := run(t, b, "screenshot "+name, chromedp.CaptureScreenshot())
	if err := os.WriteFile(filepath.Join(b.shots, name+".png"), png, 0o640); err != nil {
		t.Fatal(err)
	}
	if dir := os.Getenv("LEOC_E2E_SCREENSHOTS"); dir != "" {
		file := filepath.Join(dir, strings.NewReplacer("/", "-").Replace(t.Name())+"-"+name+".png")
		if err := os.MkdirAll(dir, 0o750); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(file, png, 0o640); err != nil {
			t.Fatal(err)
		}
		t.Logf("screenshot: %s", file)
	}
}

// login fills the login form and submits it, returning the status.
func (b *browser) login(t *testing.T, username, password string) int64 {
	t.Helper()
	b.fill(t, "#username", username, "#password", password)
	return b.press(t, `form[action="/login"] button[type=submit]`)
}

// consoleWatch collects what the browser reports as an error: uncaught
// exceptions, console.error and console.assert calls, and error entries of
// the browser log, which is where Chromium reports a Content-Security-Policy
// violation ("… violates the following Content Security Policy directive")
// and a failed subresource.
//
// A page answered with an error status (401 after a wrong password, 422, 403)
// is logged as a failed resource too; the tests check those statuses
// themselves, so the watch remembers which requests load documents and
// leaves their network errors out.
type consoleWatch struct {
	mu        sync.Mutex
	problems  []string
	documents map[network.RequestID]bool
}

// record runs in the tab's event loop (chromedp.WithListener): it must be
// quick and must not call the browser.
func (w *consoleWatch) record(ev any) {
	var p string
	switch ev := ev.(type) {
	case *network.EventRequestWillBeSent:
		if ev.Type == network.ResourceTypeDocument {
			w.mu.Lock()
			defer w.mu.Unlock()
			if w.documents == nil {
				w.documents = map[network.RequestID]bool{}
			}
			w.documents[ev.RequestID] = true
		}
		return
	case *runtime.EventExceptionThrown:
		d := ev.ExceptionDetails
		p = "uncaught exception: " + d.Text
		if d.Exception != nil && d.Exception.Description != "" {
			p += " " + d.Exception.Description
		}
		p += fmt.Sprintf(" (%s:%d)", d.URL, d.LineNumber+1)
	case *runtime.EventConsoleAPICalled:
		if ev.Type != runtime.ConsoleAPICalledTypeError && ev.Type != runtime.ConsoleAPICalledTypeAssert {
			return
		}
		var args []string
		for _, a := range ev.Args {
			var s string
			switch {
			case a.Description != "":
				s = a.Description
			case json.Unmarshal(a.Value, &s) == nil: // a string, without its JSON quotes
			default:
				s = string(a.Value)
			}
			args = append(args, s)
		}
		p = fmt.Sprintf("console.%s: %s", ev.Type, strings.Join(args, " "))
	case *log.EventEntryAdded:
		e := ev.Entry
		if e.Level != log.EntryLevelError || w.isDocument(e) {
			return
		}
		p = fmt.Sprintf("%s error: %s", e.Source, e.Text)
		if e.URL != "" {
			p += " (" + e.URL + ")"
		}
	default:
		return
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	w.problems = append(w.problems, p)
}

// isDocument reports whether a log entry is about the status of a page
// rather than of something the page loads.
func (w *consoleWatch) isDocument(e *log.Entry) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	return e.Source == log.EntrySourceNetwork && w.documents[e.NetworkRequestID]
}

// take returns the problems seen so far and forgets them.
func (w *consoleWatch) take() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	p := w.problems
	w.problems = nil
	return p
}

// wantClean fails the test if the browser reported an error since the last
// check. Every listener call for events before the last action's reply has
// returned by now, so nothing from the pages seen so far is missed.
func (b *browser) wantClean(t *testing.T) {
	t.Helper()
	for _, p := range b.console.take() {
		t.Errorf("browser console: %s", p)
	}
}

// wantTranslated fails the test if the page shows a message key instead of
// its text (what the catalog falls back to when a translation is missing)
// or a fmt error such as "%!d(string=…)". Text in code elements is skipped:
// the audit trail shows action codes such as login.success on purpose.
func (b *browser) wantTranslated(t *testing.T) {
	t.Helper()
	if bad := b.untranslated(t); len(bad) > 0 {
		t.Errorf("%s shows untranslated text: %q", b.path(t), bad)
	}
}

// untranslated returns the texts of the page that look like message keys
// or fmt errors.
func (b *browser) untranslated(t *testing.T) []string {
	t.Helper()
	return run(t, b, "look for untranslated text", chromedp.Evaluate[[]string](`(() => {
		const key = /^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$/;
		const wrong = s => key.test(s.trim()) || s.includes('%!');
		const found = [];
		if (wrong(document.title)) found.push('title: ' + document.title);
		const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT, {
			acceptNode: n => n.parentElement.closest('code, pre, script, style')
				? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT,
		});
		for (let n; (n = walk.nextNode());) {
			if (wrong(n.data)) found.push(n.data.trim());
		}
		for (const el of document.querySelectorAll('[title], [aria-label], [placeholder]')) {
			for (const a of ['title', 'aria-label', 'placeholder']) {
				const v = el.getAttribute(a);
				if (v && wrong(v)) found.push(a + '="' + v + '"');
			}
		}
		return found;
	})()`))
}
