package e2e

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// The BS date picker on the operations-log form: typed dates are checked
// before the form is sent, the AD date is shown beside a valid one, a date
// picked from the grid is what the server stores, and a month renders fast.
func TestDatePicker(t *testing.T) {
	chromium := requireChromium(t)
	a := startApp(t, "")
	b := newBrowser(t, chromium, a)
	b.open(t, "/login")
	b.login(t, "admin", a.AdminPassword)
	if st := b.open(t, "/event-logs/new"); st != 200 {
		t.Fatalf("GET /event-logs/new: %d", st)
	}
	date := chromedp.CSS("#date_bs")
	b.do(t, "wait for the calendar table", chromedp.WaitVisible(chromedp.CSS(".bs-picker-button")))

	// An impossible date typed by keyboard is flagged and the form is not sent.
	typeDate(t, b, "२०८२-०४-३३")
	b.do(t, "describe it", chromedp.SendKeys(chromedp.CSS("#description"), "राहत सामग्री ढुवानी"))
	b.do(t, "choose the type", chromedp.SetValue(chromedp.CSS("#type"), "relief_distribution"))
	b.do(t, "try to submit", chromedp.Click(chromedp.CSS(`form[action="/event-logs"] button[type=submit]`)))
	b.do(t, "see the error", chromedp.WaitVisible(chromedp.CSS(".bs-error")))
	if p := b.path(t); p != "/event-logs/new" {
		t.Fatalf("an impossible date was submitted: the browser is on %s", p)
	}
	if cls := run(t, b, "read the class", chromedp.AttributeValue(date, "class")); !strings.Contains(cls.Value, "invalid") {
		t.Errorf("the date field is not marked invalid: class %q", cls.Value)
	}

	// A valid typed date shows its AD date.
	typeDate(t, b, "२०८२-१०-१५")
	b.do(t, "see the AD date", chromedp.WaitVisible(chromedp.CSS(".bs-ad-hint")))
	b.wantText(t, ".bs-ad-hint", "२०२६-०१-२९")

	// Pick Shrawan 1, 2082 from the grid: year and month from the selects.
	b.do(t, "open the picker", chromedp.Click(chromedp.CSS(".bs-picker-button")), chromedp.WaitVisible(chromedp.CSS(".bs-picker")))
	timing := run(t, b, "render months", chromedp.Evaluate[float64](`(() => {
		const times = [];
		for (let i = 0; i < 21; i++) {
			const t0 = performance.now();
			leoc.bs.renderMonth(2082, 1 + i % 12);
			times.push(performance.now() - t0);
		}
		times.sort((a, b) => a - b);
		return times[10];
	})()`))
	t.Logf("renderMonth median: %.2f ms", timing)
	if timing > 16 {
		t.Errorf("rendering a month took a median of %.1f ms, want < 16 ms", timing)
	}
	b.do(t, "go to Shrawan 2082", chromedp.Evaluate[chromedp.Void](`leoc.bs.renderMonth(2082, 4)`))
	b.do(t, "pick the 1st", chromedp.Click(chromedp.CSS(`.bs-picker .bs-day[data-day="1"]`)), chromedp.WaitNotVisible(chromedp.CSS(".bs-picker")))
	if v := run(t, b, "read the date", chromedp.Value(date)); v != "२०८२-०४-०१" {
		t.Fatalf("the picker wrote %q, want २०८२-०४-०१", v)
	}
	b.wantText(t, ".bs-ad-hint", "२०२५-०७-१७")
	b.wantClean(t)

	// Saved and stored as picked.
	if st := b.press(t, `form[action="/event-logs"] button[type=submit]`); st != 200 {
		t.Fatalf("save: %d (%s)", st, b.text(t, "main"))
	}
	b.wantText(t, "main", "१ साउन २०८२", "२०२५-०७-१७", "२०८२/८३", "राहत सामग्री ढुवानी")
	b.wantTranslated(t)
	b.wantClean(t)
}

// typeDate empties the date field and types text into it key by key, as a
// person would.
func typeDate(t *testing.T, b *browser, text string) {
	t.Helper()
	b.do(t, "type "+text, chromedp.Evaluate[chromedp.Void](`document.querySelector('#date_bs').value = ''`),
		chromedp.SendKeys(chromedp.CSS("#date_bs"), text))
}
