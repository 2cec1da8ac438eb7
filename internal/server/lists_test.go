package server

import (
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"leoc/internal/bs"
	"leoc/internal/demo"
	"leoc/internal/leoc"
)

func TestListPageJump(t *testing.T) {
	each(t, func(t *testing.T, e *testEnv) {
		for i := 0; i < 3; i++ {
			if w := e.do(req{method: "POST", path: "/api/v1/incidents", token: e.tokens[leoc.RoleOfficer],
				body: `{"date_bs":"2082-10-15","type":"flood","ward":4}`}); w.Code != http.StatusCreated {
				t.Fatalf("incident: %d", w.Code)
			}
		}
		cookies, _ := e.login("viewer1")
		ne := map[string]string{"Accept-Language": "ne"}
		page := e.do(req{method: "GET", path: "/incidents?ward=4&per_page=1", cookies: cookies, header: ne}).Body.String()
		form := regexp.MustCompile(`(?s)<form method="get" novalidate action="/incidents" class="page-jump">.*?</form>`).FindString(page)
		if form == "" {
			t.Fatalf("no page-jump form in the pager")
		}
		for _, want := range []string{`name="ward" value="4"`, `name="per_page" value="1"`, `<label for="page-jump">`, `name="page"`} {
			if !strings.Contains(form, want) {
				t.Errorf("page-jump form lacks %s", want)
			}
		}
		if strings.Contains(form, `type="hidden" name="page"`) {
			t.Errorf("page-jump form carries the old page")
		}
		if !strings.Contains(page, "जम्मा ३ घटना") || !strings.Contains(page, "पृष्ठ १ / ३") {
			t.Errorf("total or page count missing in Nepali digits")
		}
		// The box takes Devanagari digits.
		w := e.do(req{method: "GET", path: "/incidents?ward=4&per_page=1&page=%E0%A5%A9", cookies: cookies, header: ne}) // ३
		if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), "पृष्ठ ३ / ३") {
			t.Errorf("page ३: %d", w.Code)
		}
		w = e.do(req{method: "GET", path: "/incidents?page=x", cookies: cookies, header: map[string]string{"Accept-Language": "en"}})
		if w.Code != http.StatusUnprocessableEntity || !strings.Contains(w.Body.String(), "The page number must be from 1 to") {
			t.Errorf("page=x: %d", w.Code)
		}
	})
}

func TestItemTotalsCarryUnits(t *testing.T) {
	e := newEnv(t, backendSQLite())
	opts := demo.Options{Seed: 3, Now: time.Date(2026, 1, 29, 10, 0, 0, 0, time.UTC)}
	if err := demo.Distributions(t.Context(), e.st, bs.Default(), 40, opts); err != nil {
		t.Fatal(err)
	}
	cookies, _ := e.login("viewer1")
	for lang, units := range map[string][]string{"en": {"kg", "piece"}, "ne": {"केजी", "थान"}} {
		page := e.do(req{method: "GET", path: "/distributions/stats", cookies: cookies, header: map[string]string{"Accept-Language": lang}}).Body.String()
		rows := regexp.MustCompile(`(?s)<tr><td>([^<]+)</td><td class="num">([^<]+)</td><td>([^<]*)</td>`).FindAllStringSubmatch(page, -1)
		if len(rows) < 2 {
			t.Fatalf("%s: %d item rows", lang, len(rows))
		}
		seen := map[string]bool{}
		for _, r := range rows {
			if r[3] == "" {
				t.Errorf("%s: item %s total %s without a unit", lang, r[1], r[2])
			}
			seen[r[3]] = true
		}
		for _, u := range units {
			if !seen[u] {
				t.Errorf("%s: no item total in %s (units seen %v)", lang, u, seen)
			}
		}
	}
	w := e.do(req{method: "GET", path: "/api/v1/stats/distributions", token: e.tokens[leoc.RoleViewer]})
	if !strings.Contains(w.Body.String(), `"unit":"kg"`) {
		t.Errorf("API item totals lack units: %.300s", w.Body.String())
	}
}

func TestCountsGrouped(t *testing.T) {
	e := newEnv(t, backendSQLite())
	p := &page{s: e.s, Lang: "ne"}
	if got := p.Count(21903); got != "२१,९०३" {
		t.Errorf("ne: %q", got)
	}
	p.Lang = "en"
	if got := p.Count(int64(1234567)); got != "12,34,567" {
		t.Errorf("en: %q", got)
	}
}
