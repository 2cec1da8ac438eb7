package e2e

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestStockReceivedAndDispatched: goods received into the municipal store
// through the receipt form and sent to an incident site through the
// dispatch form, in Nepali and in English on a 390 px phone — the lines ask
// for a batch and an expiry only for items that track them (rice does not),
// a quantity with decimals and Devanagari digits is taken exactly, a
// dispatch beyond the stock comes back with the line's message, and the
// waybill prints the vehicle, the receiver and the signature boxes.
func TestStockReceivedAndDispatched(t *testing.T) {
	chromium := requireChromium(t)
	a := startApp(t, "")
	for _, c := range []struct {
		lang, received, shown, tooMuch, sent, sentShown string
		waybill, driverBox                              []string
	}{
		{"ne", "२५.५", "२५.५", "१००", "५.५", "५.५", []string{"ढुवानी चलान", "से १ ख ४५६७", "हरि थापा", "बिष्खेत"}, []string{"चालकको सही", "बुझिलिनेको सही"}},
		{"en", "25.5", "25.5", "100", "5.5", "5.5", []string{"Waybill", "Se 1 Kha 4567", "Hari Thapa", "Bishkhet"}, []string{"Driver", "Received by"}},
	} {
		t.Run(c.lang, func(t *testing.T) {
			b := newBrowser(t, chromium, a)
			b.do(t, "emulate a phone", chromedp.EmulateViewport(390, 800,
				chromedp.EmulatePortrait, chromedp.EmulateMobile, chromedp.EmulateTouch))
			b.open(t, "/login")
			b.login(t, "admin", a.AdminPassword)
			if c.lang == "en" {
				b.press(t, `button[name=lang][value=en]`)
			}

			if st := b.open(t, "/inventory/receipts/new"); st != 200 {
				t.Fatalf("new receipt: %d", st)
			}
			choose(t, b, "#warehouse_id", "1")
			choose(t, b, "#source", "donation")
			choose(t, b, `[data-row]:first-child select[name=line_item]`, "rice")
			// Rice tracks neither batch nor expiry: the script hides both.
			hidden := run(t, b, "read the batch cell", chromedp.Evaluate[bool](
				`document.querySelector('[data-row]:first-child [data-col="batch"]').hidden && document.querySelector('[data-row]:first-child [data-col="expiry_bs"]').hidden`))
			if !hidden {
				t.Error("batch and expiry are asked for rice")
			}
			b.fill(t, "#supplier", "Nepal Red Cross", `[data-row]:first-child input[name=line_quantity]`, c.received)
			if st := b.press(t, `form.stockdoc-form button[type=submit]`); st != 200 {
				t.Fatalf("save the receipt: %d", st)
			}
			if p := b.path(t); !strings.HasPrefix(p, "/inventory/receipts/") {
				t.Fatalf("after saving the browser is on %s", p)
			}
			b.wantText(t, "table.stockdoc-lines", c.shown)
			b.wantTranslated(t)

			if st := b.open(t, "/inventory/dispatches/new"); st != 200 {
				t.Fatalf("new dispatch: %d", st)
			}
			choose(t, b, "#warehouse_id", "1")
			choose(t, b, `[data-row]:first-child select[name=line_item]`, "rice")
			b.fill(t, "#site", c.waybill[3], "#receiver", c.waybill[2], "#vehicle", c.waybill[1], "#driver", "Ram Bohara",
				`[data-row]:first-child input[name=line_quantity]`, c.tooMuch)
			if st := b.press(t, `form.stockdoc-form button[type=submit]`); st != 422 {
				t.Fatalf("a dispatch beyond the stock: %d, want 422", st)
			}
			b.wantText(t, `[data-col="quantity"] .field-error`, "rice")
			b.fill(t, `[data-row]:first-child input[name=line_quantity]`, c.sent)
			if st := b.press(t, `form.stockdoc-form button[type=submit]`); st != 200 {
				t.Fatalf("save the dispatch: %d", st)
			}
			b.wantText(t, "table.stockdoc-lines", c.sentShown)
			if st := b.press(t, `a[href$="/waybill"]`); st != 200 {
				t.Fatalf("waybill: %d", st)
			}
			// Print-outs are Nepali first; the print bar switches.
			if c.lang == "en" {
				if st := b.press(t, `.print-bar a[lang=en]`); st != 200 {
					t.Fatalf("English waybill: %d", st)
				}
			}
			b.wantText(t, "main", c.waybill...)
			b.wantText(t, "table.signatures", c.driverBox...)
			wide := run(t, b, "measure the waybill", chromedp.Evaluate[int](`document.documentElement.scrollWidth`))
			if wide > 390 {
				t.Errorf("the waybill is %d px wide on a 390 px phone", wide)
			}
			b.screenshot(t, "waybill")
			b.wantTranslated(t)
			b.wantClean(t)
		})
	}
}

// choose sets a select's value as a person would, so its change handlers run.
func choose(t *testing.T, b *browser, sel, value string) {
	t.Helper()
	js := `(function(){var e = document.querySelector(` + jsString(sel) + `); e.value = ` + jsString(value) +
		`; e.dispatchEvent(new Event('change', {bubbles: true})); return e.value})()`
	if got := run(t, b, "choose "+value+" in "+sel, chromedp.Evaluate[string](js)); got != value {
		t.Fatalf("%s: chose %q, holds %q", sel, value, got)
	}
}
