package e2e

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"leoc/internal/bs"
)

// The dashboard is the page every login lands on: its cards show the same
// figures as GET /api/v1/dashboard with the same filters, in Devanagari
// digits in Nepali and Latin digits in English; its charts are SVG images
// with a title and a table; it has no console or CSP error; and on a phone
// it does not scroll sideways.
func TestDashboardEqualsItsAPI(t *testing.T) {
	chromium := requireChromium(t)
	a := startApp(t, "")
	token := createToken(t, a)
	today, err := bs.Default().Today(time.Now())
	if err != nil {
		t.Fatal(err)
	}
	day := today.String()
	postJSON(t, a, token, "/api/v1/funds/transactions", fmt.Sprintf(`{"kind":"income","amount":"2,00,000","description":"प्रदेश सरकार","date_bs":%q}`, day))
	for i, inc := range []struct {
		typ  string
		ward int
	}{{"landslide", 3}, {"flood", 3}, {"fire", 5}, {"landslide", 7}} {
		postJSON(t, a, token, "/api/v1/incidents", fmt.Sprintf(`{"date_bs":%q,"type":%q,"ward":%d,"deaths":%d,"injured":%d,"missing":1,"estimated_loss":"25000"}`,
			day, inc.typ, inc.ward, i%2, i+1))
	}
	for i, d := range []struct {
		typ  string
		ward int
	}{{"landslide", 3}, {"flood", 3}, {"fire", 5}} {
		postJSON(t, a, token, "/api/v1/distributions", fmt.Sprintf(`{"household_name":"घरमूली %d","household_id":"E2E-%d","disaster_type":%q,"disaster_date_bs":%q,"date_bs":%q,"ward":%d,
			"items":[{"item":"rice","quantity":%d},{"item":"tarpaulin","quantity":1}],"cash":"%d.50","status":"distributed"}`, i, i, d.typ, day, day, d.ward, 10*(i+1), 1000*(i+1)))
	}
	now := time.Now()
	postAdvisory(t, a, token, map[string]any{"title": "नदी किनार नजानुहोला", "content": "भारी वर्षा", "type": "weather", "priority": "high",
		"valid_from": now.Add(-time.Hour).Format(time.RFC3339), "wards": []int{3, 5}})

	b := newBrowser(t, chromium, a)
	b.open(t, "/login")
	if st := b.login(t, "admin", a.AdminPassword); st != 200 {
		t.Fatalf("login: %d", st)
	}
	if p := b.path(t); p != "/" {
		t.Fatalf("login landed on %s, want the dashboard", p)
	}
	check := func(name, query, lang string) {
		t.Helper()
		if st := b.open(t, "/"+query); st != 200 {
			t.Fatalf("%s: %d", name, st)
		}
		compareFigures(t, b, a, token, name, query, lang)
		charts := run(t, b, "count the charts", chromedp.Evaluate[int](`document.querySelectorAll('svg.chart[role=img] > title').length`))
		tables := run(t, b, "count the chart tables", chromedp.Evaluate[int](`document.querySelectorAll('.chart-figure details table').length`))
		if charts != 4 || tables != 4 {
			t.Errorf("%s: %d charts with a title and %d tables, want 4 and 4", name, charts, tables)
		}
		b.wantText(t, "#recent-incidents", map[string]string{"ne": "पहिरो", "en": "Landslide"}[lang])
		b.wantText(t, "#active-advisories", "नदी किनार नजानुहोला")
		b.wantTranslated(t)
		b.screenshot(t, "dashboard-"+name)
		b.do(t, "scroll to the charts", chromedp.ScrollIntoView(chromedp.CSS("#chart-ward")))
		b.screenshot(t, "dashboard-charts-"+name)
		b.wantClean(t)
	}
	check("ne", "", "ne")
	check("ne-ward3", "?ward=3&type=landslide", "ne")
	b.press(t, `button[name=lang][value=en]`)
	check("en", "", "en")
	check("en-fy", "?fy="+bs.FiscalYearOf(today).Label()+"&ward=5&ward=7", "en")

	b.phone(t)
	check("phone-en", "", "en")
	if wide := run(t, b, "measure the page", chromedp.Evaluate[int](`document.documentElement.scrollWidth`)); wide > 390 {
		t.Errorf("the dashboard is %d px wide on a 390 px phone: it scrolls sideways", wide)
	}
	b.press(t, `button[name=lang][value=ne]`)
	check("phone-ne", "", "ne")
}

// compareFigures reads every card (data-figure, data-value and the text a
// person sees) and compares it with the API's answer for the same query.
func compareFigures(t *testing.T, b *browser, a *app, token, name, query, lang string) {
	t.Helper()
	type card struct{ Figure, Value, Text string }
	cards := run(t, b, "read the cards", chromedp.Evaluate[[]card](
		`[...document.querySelectorAll('[data-figure]')].map(e => ({Figure: e.dataset.figure, Value: e.dataset.value, Text: e.textContent}))`))
	req, err := http.NewRequest("GET", a.URL+"/api/v1/dashboard"+query, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var api struct {
		Incidents struct {
			Totals map[string]any `json:"totals"`
		} `json:"incidents"`
		Distributions struct {
			Totals map[string]any `json:"totals"`
		} `json:"distributions"`
		FundBalance string         `json:"fund_balance"`
		Stock       map[string]any `json:"stock"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&api); err != nil || resp.StatusCode != 200 {
		t.Fatalf("%s: API %d %v", name, resp.StatusCode, err)
	}
	want := map[string]string{"fund_balance": api.FundBalance}
	for _, k := range []string{"incidents", "deaths", "missing", "injured", "estimated_loss"} {
		want[k] = fmt.Sprint(api.Incidents.Totals[k])
	}
	for _, k := range []string{"households", "distributions", "cash"} {
		want[k] = fmt.Sprint(api.Distributions.Totals[k])
	}
	for _, k := range []string{"low_stock", "expiring_soon"} {
		want[k] = fmt.Sprint(api.Stock[k])
	}
	if len(cards) != len(want) {
		t.Errorf("%s: %d cards, want %d", name, len(cards), len(want))
	}
	for _, c := range cards {
		if c.Value != want[c.Figure] {
			t.Errorf("%s: card %s = %s, API %s", name, c.Figure, c.Value, want[c.Figure])
		}
		// What a person reads is the same number, in the page's digits
		// (after the currency mark: "रु." ends in a dot, which is no decimal point).
		latin := bs.ASCIIDigits(c.Text)
		if (lang == "ne") == (latin == c.Text && strings.ContainsAny(c.Text, "0123456789")) {
			t.Errorf("%s: card %s reads %q in the wrong digits", name, c.Figure, c.Text)
		}
		if got := strings.Map(func(r rune) rune {
			if (r >= '0' && r <= '9') || r == '.' {
				return r
			}
			return -1
		}, latin); strings.TrimSuffix(strings.TrimSuffix(strings.TrimLeft(got, "."), ".00"), ".") != strings.TrimSuffix(strings.TrimSuffix(want[c.Figure], ".00"), ".") {
			t.Errorf("%s: card %s reads %q (%s), API %s", name, c.Figure, c.Text, got, want[c.Figure])
		}
	}
}
