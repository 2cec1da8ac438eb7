package e2e

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"leoc/internal/bs"
)

// TestInventoryItemInStock: the admin adds an item to the catalogue through
// its form (a bad code refused beside its box), a receipt brings it into the
// municipal store, and the stock page shows it under that store with its
// quantity, in Nepali with Devanagari digits and in English; its bin card
// runs from the receipt to the balance.
func TestInventoryItemInStock(t *testing.T) {
	chromium := requireChromium(t)
	a := startApp(t, "")
	token := createToken(t, a)
	today, err := bs.Default().Today(time.Now())
	if err != nil {
		t.Fatal(err)
	}
	b := newBrowser(t, chromium, a)
	b.open(t, "/login")
	b.login(t, "admin", a.AdminPassword)
	if st := b.open(t, "/inventory/items/new"); st != 200 {
		t.Fatalf("new item form: %d", st)
	}
	b.fill(t, "#code", "ORS 1", "#name_ne", "जीवनजल", "#name_en", "Oral rehydration salts", "#min_stock", "१०")
	b.do(t, "choose category and unit", chromedp.SetValue(chromedp.CSS("#category"), "medical"), chromedp.SetValue(chromedp.CSS("#unit"), "packet"))
	if st := b.press(t, `form.form button[type=submit]`); st != 422 {
		t.Fatalf("a code with a space: %d, want 422", st)
	}
	b.wantText(t, "#code-error", "कोडमा")
	b.fill(t, "#code", "ORS-1")
	if st := b.press(t, `form.form button[type=submit]`); st != 200 {
		t.Fatalf("save: %d", st)
	}
	b.wantText(t, "h1", "जीवनजल")
	b.wantTranslated(t)

	postJSON(t, a, token, "/api/v1/inventory/receipts", fmt.Sprintf(
		`{"warehouse_id":1,"date_bs":%q,"source":"donation","supplier":"Red Cross","lines":[{"item":"ORS-1","quantity":"1250.5"}]}`, today))

	b.open(t, "/inventory/stock")
	b.wantText(t, "main", "पालिका भण्डार", "ORS-1", "जीवनजल", "१,२५०.५", "प्याकेट")
	b.wantTranslated(t)
	b.screenshot(t, "stock-ne")
	b.press(t, `button[name=lang][value=en]`)
	b.open(t, "/inventory/stock?group=item")
	b.wantText(t, "main", "Municipal store", "ORS-1 – Oral rehydration salts", "1,250.5", "packet")
	if strings.Contains(b.text(t, "main"), "१") {
		t.Error("the English stock page has Devanagari digits")
	}
	b.wantTranslated(t)
	b.screenshot(t, "stock-en")
	b.open(t, "/inventory/items/ORS-1/card")
	b.wantText(t, "main", "Receipt no. 1", "1,250.5")
	b.wantClean(t)
}
