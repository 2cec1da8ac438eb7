package server

import (
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"leoc/internal/config"
	"leoc/internal/leoc"
	"leoc/internal/store/storetest"
)

// dashboardRecords creates a varied set of incidents and distributions
// through the API (several wards, types, fiscal years and items; one
// household helped twice in one cell), then edits and deletes some, so the
// maintained statistics have been moved by every kind of write.
func dashboardRecords(t *testing.T, e *testEnv) {
	t.Helper()
	admin := e.tokens[leoc.RoleAdmin]
	post := func(path, body string) map[string]any {
		t.Helper()
		w := e.do(req{method: "POST", path: path, body: body, token: admin})
		if w.Code != http.StatusCreated {
			t.Fatalf("POST %s: %d %s\n%s", path, w.Code, w.Body.String(), body)
		}
		return decodeBody(t, w)
	}
	post("/api/v1/funds/transactions", `{"kind":"income","amount":"10,00,000","description":"income","date_bs":"2081-04-01"}`)
	rng := rand.New(rand.NewPCG(11, 29))
	types := []string{"landslide", "fire", "flood"}
	dates := []string{"2081-05-01", "2081-11-20", "2082-04-10", "2082-09-03", "2082-10-14"}
	var incidents []map[string]any
	for i := range 14 {
		body := fmt.Sprintf(`{"date_bs":%q,"time":"10:00","type":%q,"ward":%d,"deaths":%d,"missing":%d,"injured":%d,"affected_households":%d,"estimated_loss":"%d.25"}`,
			dates[rng.IntN(len(dates))], types[rng.IntN(len(types))], 1+rng.IntN(9), rng.IntN(3), rng.IntN(2), rng.IntN(5), rng.IntN(7), 1000*(i+1))
		incidents = append(incidents, post("/api/v1/incidents", body))
	}
	var dists []map[string]any
	for i := range 18 {
		household := fmt.Sprintf("HH-%d", rng.IntN(10)) // some households come back
		items := `{"item":"rice","quantity":` + fmt.Sprint(10+rng.IntN(30)) + `}`
		if rng.IntN(2) == 0 {
			items += `,{"item":"tarpaulin","quantity":` + fmt.Sprint(1+rng.IntN(2)) + `}`
		}
		body := fmt.Sprintf(`{"household_name":"घरमूली %d","household_id":%q,"disaster_type":%q,"disaster_date_bs":%[4]q,"date_bs":%[4]q,"ward":%d,"items":[%s],"cash":"%d.50","status":"distributed","override_reason":"test"}`,
			i, household, types[rng.IntN(len(types))], dates[rng.IntN(len(dates))], 1+rng.IntN(9), items, 500*(i%4))
		dists = append(dists, post("/api/v1/distributions", body))
	}
	// Edit one incident (new ward, type and figures) and one distribution
	// (new ward and cash), delete one of each.
	put := func(path, body string) {
		t.Helper()
		if w := e.do(req{method: "PUT", path: path, body: body, token: admin}); w.Code != http.StatusOK {
			t.Fatalf("PUT %s: %d %s", path, w.Code, w.Body.String())
		}
	}
	inc := incidents[0]
	put(fmt.Sprintf("/api/v1/incidents/%v", inc["id"]), fmt.Sprintf(`{"date_bs":%q,"time":"10:00","type":"flood","ward":7,"deaths":4,"injured":1,"version":%v}`, inc["date_bs"], inc["version"]))
	d := dists[0]
	put(fmt.Sprintf("/api/v1/distributions/%v", d["id"]), fmt.Sprintf(`{"household_name":"घरमूली","household_id":"HH-99","disaster_type":"fire","disaster_date_bs":%[1]q,"date_bs":%[1]q,"ward":2,"items":[{"item":"rice","quantity":5}],"cash":"250","status":"distributed","version":%[2]v}`, d["date_bs"], d["version"]))
	for _, path := range []string{fmt.Sprintf("/api/v1/incidents/%v", incidents[1]["id"]), fmt.Sprintf("/api/v1/distributions/%v", dists[1]["id"])} {
		if w := e.do(req{method: "DELETE", path: path, token: admin}); w.Code != http.StatusNoContent {
			t.Fatalf("DELETE %s: %d %s", path, w.Code, w.Body.String())
		}
	}
}

// allRecords reads every record of a register through its list API, page
// by page: the rows themselves, not the statistics.
func allRecords(t *testing.T, e *testEnv, path string) []map[string]any {
	t.Helper()
	var out []map[string]any
	for page := 1; ; page++ {
		w := e.do(req{method: "GET", path: fmt.Sprintf("%s?per_page=100&page=%d", path, page), token: e.tokens[leoc.RoleAdmin]})
		if w.Code != http.StatusOK {
			t.Fatalf("list %s: %d", path, w.Code)
		}
		items := decodeBody(t, w)["items"].([]any)
		for _, it := range items {
			out = append(out, it.(map[string]any))
		}
		if len(items) < 100 {
			return out
		}
	}
}

// dashboardFigures are the figures the test recomputes from the records.
type dashboardFigures struct {
	Incidents, Deaths, Missing, Injured int64
	Distributions, Households           int64
	Cash, EstimatedLoss                 leoc.Money
	Items                               map[string]int64
	IncidentsByWard, HouseholdsByWard   map[int]int64
	IncidentsByYear                     map[string]int64
	IncidentsByType                     map[string]int64
}

func money(t *testing.T, v any) leoc.Money {
	t.Helper()
	m, err := leoc.ParseMoney(fmt.Sprint(v))
	if err != nil {
		t.Fatalf("money %v: %v", v, err)
	}
	return m
}

// recompute sums the records a dashboard filter selects, the way the
// domain defines each figure: households are distinct identity numbers in
// each fiscal year × ward × type, summed.
func recompute(t *testing.T, incidents, dists []map[string]any, q url.Values) dashboardFigures {
	match := func(fy, typ string, ward float64) bool {
		if v := q["fy"]; len(v) > 0 && !slices.Contains(v, fy) {
			return false
		}
		if v := q["type"]; len(v) > 0 && !slices.Contains(v, typ) {
			return false
		}
		if v := q["ward"]; len(v) > 0 && !slices.Contains(v, fmt.Sprint(ward)) {
			return false
		}
		return true
	}
	f := dashboardFigures{Items: map[string]int64{}, IncidentsByWard: map[int]int64{}, HouseholdsByWard: map[int]int64{},
		IncidentsByYear: map[string]int64{}, IncidentsByType: map[string]int64{}}
	for _, inc := range incidents {
		if !match(inc["fiscal_year"].(string), inc["type"].(string), inc["ward"].(float64)) {
			continue
		}
		f.Incidents++
		f.Deaths += int64(inc["deaths"].(float64))
		f.Missing += int64(inc["missing"].(float64))
		f.Injured += int64(inc["injured"].(float64))
		f.EstimatedLoss += money(t, inc["estimated_loss"])
		f.IncidentsByWard[int(inc["ward"].(float64))]++
		f.IncidentsByYear[inc["fiscal_year"].(string)]++
		f.IncidentsByType[inc["type"].(string)]++
	}
	seen := map[string]bool{}
	for _, d := range dists {
		if !match(d["fiscal_year"].(string), d["disaster_type"].(string), d["ward"].(float64)) {
			continue
		}
		f.Distributions++
		f.Cash += money(t, d["cash"])
		cell := fmt.Sprintf("%v/%v/%v/%s", d["fiscal_year"], d["ward"], d["disaster_type"], leoc.HouseholdKey(d["household_id"].(string)))
		if !seen[cell] {
			seen[cell] = true
			f.Households++
			f.HouseholdsByWard[int(d["ward"].(float64))]++
		}
		for _, it := range d["items"].([]any) {
			it := it.(map[string]any)
			f.Items[it["item"].(string)] += int64(it["quantity"].(float64))
		}
	}
	return f
}

// served reads the same figures from the dashboard's JSON.
func served(t *testing.T, m map[string]any) dashboardFigures {
	inc, dist := m["incidents"].(map[string]any), m["distributions"].(map[string]any)
	it, dt := inc["totals"].(map[string]any), dist["totals"].(map[string]any)
	n := func(v any) int64 { return int64(v.(float64)) }
	f := dashboardFigures{Incidents: n(it["incidents"]), Deaths: n(it["deaths"]), Missing: n(it["missing"]), Injured: n(it["injured"]),
		Distributions: n(dt["distributions"]), Households: n(dt["households"]), Cash: money(t, dt["cash"]), EstimatedLoss: money(t, it["estimated_loss"]),
		Items: map[string]int64{}, IncidentsByWard: map[int]int64{}, HouseholdsByWard: map[int]int64{},
		IncidentsByYear: map[string]int64{}, IncidentsByType: map[string]int64{}}
	for _, x := range dist["items"].([]any) {
		x := x.(map[string]any)
		f.Items[x["item"].(string)] = n(x["quantity"])
	}
	for _, x := range inc["by_ward"].([]any) {
		x := x.(map[string]any)
		f.IncidentsByWard[int(n(x["ward"]))] = n(x["incidents"])
	}
	for _, x := range dist["by_ward"].([]any) {
		x := x.(map[string]any)
		f.HouseholdsByWard[int(n(x["ward"]))] = n(x["households"])
	}
	for _, x := range inc["by_fiscal_year"].([]any) {
		x := x.(map[string]any)
		f.IncidentsByYear[x["fiscal_year"].(string)] = n(x["incidents"])
	}
	for _, x := range inc["by_type"].([]any) {
		x := x.(map[string]any)
		f.IncidentsByType[x["type"].(string)] = n(x["incidents"])
	}
	return f
}

// TestDashboardFiguresEqualTheRecords: for every filter, on both databases,
// the dashboard's figures (from the maintained statistics) equal the sums
// recomputed from the records, the HTML cards show the same figures as the
// JSON, and the recent lists follow the filter.
func TestDashboardFiguresEqualTheRecords(t *testing.T) {
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			e := newEnv(t, b, func(c *config.Config) { c.EditWindow = time.Hour })
			dashboardRecords(t, e)
			incidents, dists := allRecords(t, e, "/api/v1/incidents"), allRecords(t, e, "/api/v1/distributions")
			var income leoc.Money = 10_00_000_00
			balance := income
			for _, d := range dists {
				balance -= money(t, d["cash"])
			}
			cookies, _ := e.login("admin1")
			for _, raw := range []string{"", "fy=2082/83", "fy=2081/82&type=fire", "type=landslide", "ward=2&ward=5&ward=7", "ward=3&type=flood&fy=2082/83",
				"fy=2082/83&from=2082-01-01&q=x"} { // the last: filters that do not apply to the dashboard are ignored
				q, _ := url.ParseQuery(raw)
				t.Run(raw, func(t *testing.T) {
					w := e.do(req{method: "GET", path: "/api/v1/dashboard?" + raw, token: e.tokens[leoc.RoleViewer]})
					if w.Code != http.StatusOK {
						t.Fatalf("dashboard: %d %s", w.Code, w.Body.String())
					}
					m := decodeBody(t, w)
					got, want := served(t, m), recompute(t, incidents, dists, dashboardQuery(q))
					if fmt.Sprintf("%+v", got) != fmt.Sprintf("%+v", want) {
						t.Errorf("figures\n got %+v\nwant %+v", got, want)
					}
					if want.Incidents == 0 && want.Distributions == 0 {
						t.Errorf("filter %q selects nothing: the test proves little", raw)
					}
					if m["incidents"].(map[string]any)["source"] != "aggregates" || m["distributions"].(map[string]any)["source"] != "aggregates" {
						t.Errorf("the dashboard summed records instead of reading the statistics: %v / %v", m["incidents"].(map[string]any)["source"], m["distributions"].(map[string]any)["source"])
					}
					if got := money(t, m["fund_balance"]); got != balance {
						t.Errorf("fund balance %s, want %s", got, balance)
					}
					checkRecent(t, e, m, dashboardQuery(q))
					checkCards(t, e, cookies, raw, m)
				})
			}
		})
	}
}

// checkRecent: the recent lists are the newest records of the filter, as
// the lists order them.
func checkRecent(t *testing.T, e *testEnv, m map[string]any, q url.Values) {
	t.Helper()
	for _, c := range []struct{ key, path string }{{"recent_incidents", "/api/v1/incidents"}, {"recent_distributions", "/api/v1/distributions"}} {
		w := e.do(req{method: "GET", path: c.path + "?per_page=5&" + q.Encode(), token: e.tokens[leoc.RoleViewer]})
		var want []any
		for _, it := range decodeBody(t, w)["items"].([]any) {
			want = append(want, it.(map[string]any)["id"])
		}
		var got []any
		for _, it := range m[c.key].([]any) {
			got = append(got, it.(map[string]any)["id"])
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%s: ids %v, the list's newest %v", c.key, got, want)
		}
	}
}

var figureAttr = regexp.MustCompile(`data-figure="([a-z_]+)" data-value="([^"]*)">([^<]*)<`)

// checkCards: the home page's cards carry the JSON's figures, written
// with Devanagari digits on the Nepali page.
func checkCards(t *testing.T, e *testEnv, cookies []*http.Cookie, raw string, m map[string]any) {
	t.Helper()
	w := e.do(req{method: "GET", path: "/?" + raw, cookies: cookies})
	if w.Code != http.StatusOK {
		t.Fatalf("home: %d", w.Code)
	}
	body := w.Body.String()
	inc := m["incidents"].(map[string]any)["totals"].(map[string]any)
	dist := m["distributions"].(map[string]any)["totals"].(map[string]any)
	want := map[string]string{"incidents": fmt.Sprint(inc["incidents"]), "deaths": fmt.Sprint(inc["deaths"]), "missing": fmt.Sprint(inc["missing"]),
		"injured": fmt.Sprint(inc["injured"]), "households": fmt.Sprint(dist["households"]), "distributions": fmt.Sprint(dist["distributions"]),
		"cash": fmt.Sprint(dist["cash"]), "fund_balance": fmt.Sprint(m["fund_balance"]), "estimated_loss": fmt.Sprint(inc["estimated_loss"])}
	stock := m["stock"].(map[string]any)
	want["low_stock"], want["expiring_soon"] = fmt.Sprint(stock["low_stock"]), fmt.Sprint(stock["expiring_soon"])
	found := 0
	for _, sm := range figureAttr.FindAllStringSubmatch(body, -1) {
		found++
		if want[sm[1]] != sm[2] {
			t.Errorf("card %s: page %s, API %s", sm[1], sm[2], want[sm[1]])
		}
		if strings.ContainsAny(sm[3], "0123456789") {
			t.Errorf("card %s shows Latin digits on the Nepali page: %q", sm[1], sm[3])
		}
	}
	if found != len(want) {
		t.Errorf("%d figure cards, want %d", found, len(want))
	}
	for _, id := range []string{`<option value="2081/82"`, `<option value="2082/83"`, `id="home-bulletin"`, `id="home-map" href="/map"`, `data-chart="chart-ward"`, `data-chart="chart-year"`, `data-chart="chart-type"`, `role="img"`} {
		if !strings.Contains(body, id) {
			t.Errorf("the dashboard lacks %s", id)
		}
	}
}

// TestDashboardRefusesBadFiltersAndMasks: a bad filter is a 400 from the
// API and a 422 page in the user's language, never a 500; a ward officer
// sees other wards' recent distributions masked, as the lists show them.
func TestDashboardRefusesBadFiltersAndMasks(t *testing.T) {
	each(t, func(t *testing.T, e *testEnv) {
		for _, q := range []string{"fy=82", "ward=x", "ward=100", "fy=2082/8"} {
			w := e.do(req{method: "GET", path: "/api/v1/dashboard?" + q, token: e.tokens[leoc.RoleViewer], header: map[string]string{"Accept-Language": "en"}})
			if w.Code != http.StatusBadRequest {
				t.Errorf("%s: %d %s", q, w.Code, w.Body.String())
			}
		}
		cookies, _ := e.login("viewer1")
		w := e.do(req{method: "GET", path: "/?ward=abc", cookies: cookies})
		if w.Code != http.StatusUnprocessableEntity || !strings.Contains(w.Body.String(), "वडा") {
			t.Errorf("bad ward on the page: %d", w.Code)
		}
		admin := e.tokens[leoc.RoleAdmin]
		for _, ward := range []int{3, 5} {
			body := fmt.Sprintf(`{"household_name":"गोप्य नाम %d","household_id":"ID-%d","disaster_type":"fire","disaster_date_bs":"2082-10-01","date_bs":"2082-10-01","ward":%d,"items":[{"item":"rice","quantity":5}],"status":"distributed"}`, ward, ward, ward)
			if w := e.do(req{method: "POST", path: "/api/v1/distributions", body: body, token: admin}); w.Code != http.StatusCreated {
				t.Fatalf("create: %d %s", w.Code, w.Body.String())
			}
		}
		officer := e.limitedUser("ward3", 3)
		m := decodeBody(t, e.do(req{method: "GET", path: "/api/v1/dashboard?ward=3&ward=5", token: officer}))
		names := map[float64]string{}
		for _, it := range m["recent_distributions"].([]any) {
			it := it.(map[string]any)
			names[it["ward"].(float64)] = it["household_name"].(string)
		}
		if names[3] != "गोप्य नाम 3" || names[5] != leoc.MaskedText {
			t.Errorf("recent distributions for a ward-3 officer: %v", names)
		}
	})
}
