package server

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"leoc/internal/auth"
	"leoc/internal/leoc"
	"leoc/internal/must"
	"leoc/internal/store"
)

func TestSituationReportAPI(t *testing.T) {
	each(t, func(t *testing.T, e *testEnv) {
		officer, viewer, adminTok := e.tokens[leoc.RoleOfficer], e.tokens[leoc.RoleViewer], e.tokens[leoc.RoleAdmin]
		en := map[string]string{"Accept-Language": "en"}
		body := `{"date_bs":"2082-10-15","time":"18:00","summary":"Flood in Kholi: 3 houses swept away","weather":"Heavy rain",
			"detailed_report":"…","resources_deployed":"Police 20","next_update_bs":"२०८२-१०-१६","next_update_time":"08:00"}`
		w := e.do(req{method: "POST", path: "/api/v1/situation-reports", body: body, token: officer})
		if w.Code != http.StatusCreated {
			t.Fatalf("create: %d %s", w.Code, w.Body.String())
		}
		m := decodeBody(t, w)
		if m["date_ad"] != "2026-01-29" || m["fiscal_year"] != "2082/83" || m["next_update_bs"] != "2082-10-16" || m["locked"] != true ||
			m["version"] != float64(1) || m["weather"] != "Heavy rain" || m["created_by"] != "officer1" {
			t.Fatalf("created: %v", m)
		}
		id := strconv.Itoa(int(m["id"].(float64)))
		if w.Header().Get("Location") != "/api/v1/situation-reports/"+id {
			t.Errorf("Location %q", w.Header().Get("Location"))
		}
		if w := e.do(req{method: "POST", path: "/api/v1/situation-reports", body: body, token: viewer}); w.Code != http.StatusForbidden {
			t.Fatalf("viewer create: %d", w.Code)
		}
		// Bad input: every problem named, in the user's language, nothing written.
		w = e.do(req{method: "POST", path: "/api/v1/situation-reports", token: officer, header: en,
			body: `{"date_bs":"2082-04-32","time":"7pm","summary":"","next_update_bs":"2082-01-01"}`})
		fields, _ := decodeBody(t, w)["error"].(map[string]any)["fields"].(map[string]any)
		if w.Code != http.StatusBadRequest || fields["date_bs"] == nil || fields["time"] == nil || fields["summary"] == nil {
			t.Fatalf("bad input: %d %v", w.Code, fields)
		}
		for _, c := range []req{
			{method: "POST", path: "/api/v1/situation-reports", token: officer, body: `{"date_bs":`},
			{method: "POST", path: "/api/v1/situation-reports", token: officer, body: `date_bs=2082-10-15`, contentType: "text/plain"},
			{method: "POST", path: "/api/v1/situation-reports", token: officer, body: `{"date_bs":"2082-10-15","summary":"x","colour":"red"}`},
		} {
			if w := e.do(c); w.Code != http.StatusBadRequest || errorCode(t, w) != leoc.EInvalid {
				t.Errorf("%s: %d %s", c.body, w.Code, w.Body.String())
			}
		}
		w = e.do(req{method: "GET", path: "/api/v1/situation-reports", token: viewer})
		if w.Code != 200 || decodeBody(t, w)["total"] != float64(1) {
			t.Fatalf("nothing else written: %s", w.Body.String())
		}
		// Locked until unlocked; a save locks again; a stale version is refused.
		w = e.do(req{method: "PUT", path: "/api/v1/situation-reports/" + id, token: officer, header: en,
			body: `{"date_bs":"2082-10-15","summary":"x","version":1}`})
		if w.Code != http.StatusForbidden || errorCode(t, w) != leoc.ELocked {
			t.Fatalf("edit locked: %d %s", w.Code, w.Body.String())
		}
		hash := must.Get(auth.HashPassword("the-unlock-key-77"))(t)
		must.OK(t, e.st.SetUnlockKey(t.Context(), store.SystemActor, hash))
		unlock := func() {
			t.Helper()
			if w := e.do(req{method: "POST", path: "/api/v1/situation-reports/" + id + "/unlock", token: adminTok,
				body: `{"key":"the-unlock-key-77","reason":"weather was wrong"}`}); w.Code != 200 {
				t.Fatalf("unlock: %d %s", w.Code, w.Body.String())
			}
		}
		unlock()
		if w := e.do(req{method: "PUT", path: "/api/v1/situation-reports/" + id, token: officer,
			body: `{"date_bs":"2082-10-15","summary":"x"}`}); w.Code != http.StatusBadRequest {
			t.Fatalf("update without version: %d", w.Code)
		}
		w = e.do(req{method: "PUT", path: "/api/v1/situation-reports/" + id, token: officer,
			body: `{"date_bs":"2082-10-15","time":"18:00","summary":"Flood in Kholi","weather":"Clearing","version":1}`})
		m = decodeBody(t, w)
		if w.Code != 200 || m["locked"] != true || m["version"] != float64(2) || m["weather"] != "Clearing" || m["next_update_bs"] != "" {
			t.Fatalf("update: %d %s", w.Code, w.Body.String())
		}
		unlock()
		if w := e.do(req{method: "PUT", path: "/api/v1/situation-reports/" + id, token: officer,
			body: `{"date_bs":"2082-10-15","summary":"old copy","version":1}`}); w.Code != http.StatusConflict {
			t.Fatalf("stale update: %d %s", w.Code, w.Body.String())
		}
		entries, _ := must.Get2(e.st.ListAudit(t.Context(), store.AuditFilter{Entity: "situation-reports", Action: "record.update"}))(t)
		if len(entries) != 1 || !strings.Contains(entries[0].Details, "Clearing") {
			t.Fatalf("update audit: %+v", entries)
		}
		latest, err := e.st.LatestSituationReportBy(t.Context(), farFuture)
		if err != nil || latest.Weather != "Clearing" {
			t.Fatalf("latest: %+v %v", latest, err)
		}
		if w := e.do(req{method: "GET", path: "/api/v1/situation-reports?fy=2082/83&q=kholi", token: viewer}); decodeBody(t, w)["total"] != float64(1) {
			t.Fatalf("list filter: %s", w.Body.String())
		}
		if w := e.do(req{method: "GET", path: "/api/v1/situation-reports/999", token: viewer}); w.Code != http.StatusNotFound {
			t.Fatalf("missing: %d", w.Code)
		}
		if w := e.do(req{method: "DELETE", path: "/api/v1/situation-reports/" + id, token: viewer}); w.Code != http.StatusForbidden {
			t.Fatalf("viewer delete: %d", w.Code)
		}
		if w := e.do(req{method: "DELETE", path: "/api/v1/situation-reports/" + id, token: officer}); w.Code != http.StatusNoContent {
			t.Fatalf("delete unlocked: %d %s", w.Code, w.Body.String())
		}
	})
}

func TestSituationReportPages(t *testing.T) {
	each(t, func(t *testing.T, e *testEnv) {
		cookies, csrf := e.login("officer1")
		page := e.do(req{method: "GET", path: "/situation-reports/new", cookies: cookies})
		if page.Code != 200 || !strings.Contains(page.Body.String(), `data-bs-date`) || !strings.Contains(page.Body.String(), `value="2082-10-15"`) {
			t.Fatalf("new form: %d", page.Code)
		}
		form := url.Values{"csrf_token": {csrf}, "date_bs": {"२०८२-१०-१५"}, "time": {"१८:००"}, "summary": {"खोलीमा बाढी, ३ घर बगे"},
			"weather": {"वर्षा"}, "next_update_bs": {"२०८२-१०-१४"}}
		w := e.do(req{method: "POST", path: "/situation-reports", cookies: cookies, body: form.Encode()})
		if w.Code != http.StatusUnprocessableEntity || !strings.Contains(w.Body.String(), "खोलीमा बाढी") || !strings.Contains(w.Body.String(), "अर्को प्रतिवेदनको मिति यो प्रतिवेदनपछिको") {
			t.Fatalf("next update before the report: %d", w.Code)
		}
		form.Set("next_update_bs", "२०८२-१०-१६")
		form.Set("next_update_time", "08:00")
		w = e.do(req{method: "POST", path: "/situation-reports", cookies: cookies, body: form.Encode()})
		if w.Code != http.StatusSeeOther {
			t.Fatalf("create: %d %s", w.Code, w.Body.String())
		}
		loc := w.Header().Get("Location")
		detail := e.do(req{method: "GET", path: loc, cookies: cookies})
		if b := detail.Body.String(); detail.Code != 200 || !strings.Contains(b, "१५ माघ २०८२") || !strings.Contains(b, "१६ माघ २०८२ ०८:००") || !strings.Contains(b, loc+"/print") {
			t.Fatalf("detail: %d", detail.Code)
		}
		print := e.do(req{method: "GET", path: loc + "/print", cookies: cookies})
		if b := print.Body.String(); print.Code != 200 || !strings.Contains(b, "थलारा गाउँपालिका") || !strings.Contains(b, "वर्षा") {
			t.Fatalf("print view: %d", print.Code)
		}
		list := e.do(req{method: "GET", path: "/situation-reports?fy=2082/83", cookies: cookies})
		if list.Code != 200 || !strings.Contains(list.Body.String(), "खोलीमा बाढी") {
			t.Fatalf("list: %d", list.Code)
		}
		if w := e.do(req{method: "GET", path: "/situation-reports?from=2082-13-01", cookies: cookies}); w.Code != http.StatusUnprocessableEntity {
			t.Fatalf("bad filter: %d", w.Code)
		}
		if w := e.do(req{method: "GET", path: loc + "/edit", cookies: cookies}); w.Code != http.StatusForbidden {
			t.Fatalf("edit form of a locked report: %d", w.Code)
		}
		viewerCookies, _ := e.login("viewer1")
		if w := e.do(req{method: "GET", path: "/situation-reports/new", cookies: viewerCookies}); w.Code != http.StatusForbidden {
			t.Fatalf("viewer new form: %d", w.Code)
		}
	})
}

// farFuture is after every report: the latest by it is the newest.
var farFuture = time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC)
