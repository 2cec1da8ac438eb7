package server

import (
	"net/http"
	"strings"
	"testing"

	"leoc/internal/leoc"
)

// A new situation report shows the day's figures from the registers beside
// its narrative and freezes them when saved.
func TestSituationReportFillsItself(t *testing.T) {
	each(t, func(t *testing.T, e *testEnv) {
		officer, viewer := e.tokens[leoc.RoleOfficer], e.tokens[leoc.RoleViewer]
		if w := e.do(req{method: "POST", path: "/api/v1/incidents", token: officer,
			body: `{"date_bs":"2082-10-15","type":"flood","ward":2,"tole":"खोली","description":"बाढी","deaths_male":3,"houses_destroyed":2,"estimated_loss":"50000"}`}); w.Code != http.StatusCreated {
			t.Fatalf("incident: %d %s", w.Code, w.Body.String())
		}
		cookies, _ := e.login("officer1")
		w := e.do(req{method: "GET", path: "/situation-reports/new", cookies: cookies})
		page := w.Body.String()
		for _, want := range []string{`id="sitrep-figures"`, "दिनको तथ्याङ्क", "बाढी", "<td class=\"num\">३</td>", "५०,०००.००", "अहिले निकालिएका"} {
			if !strings.Contains(page, want) {
				t.Errorf("the new report form lacks %q", want)
			}
		}
		w = e.do(req{method: "POST", path: "/api/v1/situation-reports", token: officer,
			body: `{"date_bs":"2082-10-15","time":"18:00","summary":"बाढी प्रभावित क्षेत्रमा उद्धार जारी"}`})
		if w.Code != http.StatusCreated {
			t.Fatalf("create: %d %s", w.Code, w.Body.String())
		}
		m := decodeBody(t, w)
		figures, _ := m["figures"].(map[string]any)
		inc, _ := figures["incidents"].(map[string]any)
		if inc["incidents"] != 1.0 || inc["deaths"] != 3.0 || inc["estimated_loss"] != "50000.00" {
			t.Fatalf("frozen figures: %v", figures)
		}
		// A later incident of the same day does not change the saved report.
		if w := e.do(req{method: "POST", path: "/api/v1/incidents", token: officer,
			body: `{"date_bs":"2082-10-15","type":"fire","ward":3,"tole":"देउल","description":"आगलागी","deaths_male":1}`}); w.Code != http.StatusCreated {
			t.Fatalf("incident: %d", w.Code)
		}
		w = e.do(req{method: "GET", path: "/situation-reports/1", token: viewer})
		page = w.Body.String()
		if !strings.Contains(page, "स्थिर गरिएको") || !strings.Contains(page, "<tfoot><tr><th scope=\"row\">जम्मा</th><td class=\"num\">१</td>") || strings.Contains(page, "आगलागी") {
			t.Errorf("the saved report does not show its frozen figures")
		}
	})
}
