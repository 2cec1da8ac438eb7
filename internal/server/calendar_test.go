package server

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"leoc/internal/leoc"
	"leoc/internal/must"
	"leoc/internal/store/storetest"
)

func TestCalendarAPI(t *testing.T) {
	e := newEnv(t, storetest.Backends()[0])
	tok := e.tokens[leoc.RoleViewer]
	get := func(path string) (int, map[string]any) {
		w := e.do(req{method: "GET", path: path, token: tok, header: map[string]string{"Accept-Language": "en"}})
		var m map[string]any
		must.OK(t, json.Unmarshal(w.Body.Bytes(), &m))
		return w.Code, m
	}
	for _, c := range []struct{ path, bs, ad, fy, nepali string }{
		{"/api/v1/calendar/convert?bs=2082-10-15", "2082-10-15", "2026-01-29", "2082/83", "१५ माघ २०८२"},
		{"/api/v1/calendar/convert?bs=%E0%A5%A8%E0%A5%A6%E0%A5%AE%E0%A5%A7-%E0%A5%A6%E0%A5%AA-%E0%A5%A6%E0%A5%A7", "2081-04-01", "2024-07-16", "2081/82", "१ साउन २०८१"},
		{"/api/v1/calendar/convert?ad=2025-04-14", "2082-01-01", "2025-04-14", "2081/82", "१ वैशाख २०८२"},
	} {
		code, m := get(c.path)
		if code != 200 || m["bs"] != c.bs || m["ad"] != c.ad || m["fiscal_year"] != c.fy || m["nepali"] != c.nepali {
			t.Errorf("%s: %d %v", c.path, code, m)
		}
	}
	for _, path := range []string{"/api/v1/calendar/convert?bs=2082-13-01", "/api/v1/calendar/convert?bs=2082-04-33",
		"/api/v1/calendar/convert?bs=1990-01-01", "/api/v1/calendar/convert?ad=2026-02-30", "/api/v1/calendar/convert",
		"/api/v1/calendar/convert?bs=2082-01-01&ad=2025-04-14", "/api/v1/calendar/month?bs=2082-13", "/api/v1/calendar/month?bs=x"} {
		if code, m := get(path); code != http.StatusBadRequest || m["error"] == nil {
			t.Errorf("%s: %d %v", path, code, m)
		}
	}
	code, m := get("/api/v1/calendar/month?bs=2082-04")
	days, _ := m["days"].([]any)
	if code != 200 || m["days_in_month"] != float64(31) || len(days) != 31 || days[0].(map[string]any)["ad"] != "2025-07-17" {
		t.Errorf("month grid: %d %v", code, m["days_in_month"])
	}
	code, m = get("/api/v1/calendar/table")
	months, _ := m["months"].([]any)
	if code != 200 || m["first_year"] != float64(2000) || m["first_ad"] != "1943-04-14" || len(months) != 91 || m["official_through"] != float64(2083) {
		t.Fatalf("table: %d %v", code, m["first_year"])
	}
	// The clock says 2026-01-29 10:00 UTC: 2082-10-15 in Nepal.
	if m["today"] != "2082-10-15" {
		t.Errorf("today %v", m["today"])
	}
	// Revalidation answers 304.
	w := e.do(req{method: "GET", path: "/api/v1/calendar/table", token: tok})
	w2 := e.do(req{method: "GET", path: "/api/v1/calendar/table", token: tok, header: map[string]string{"If-None-Match": w.Header().Get("ETag")}})
	if w2.Code != http.StatusNotModified {
		t.Errorf("If-None-Match: %d", w2.Code)
	}
	// Late evening UTC is already the next day in Nepal.
	e.clock.mu.Lock()
	e.clock.t = time.Date(2026, 1, 28, 18, 20, 0, 0, time.UTC)
	e.clock.mu.Unlock()
	if _, m := get("/api/v1/calendar/table"); m["today"] != "2082-10-15" {
		t.Errorf("today at 18:20 UTC: %v", m["today"])
	}
}
