package server

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"leoc/internal/auth"
	"leoc/internal/leoc"
	"leoc/internal/must"
	"leoc/internal/store"
)

func TestEventLogAPI(t *testing.T) {
	each(t, func(t *testing.T, e *testEnv) {
		officer, viewer := e.tokens[leoc.RoleOfficer], e.tokens[leoc.RoleViewer]
		en := map[string]string{"Accept-Language": "en"}
		body := `{"date_bs":"2082-10-15","time":"14:30","type":"assessment","description":"Damage assessment in Kholi","location":"Kholi"}`
		w := e.do(req{method: "POST", path: "/api/v1/event-logs", body: body, token: officer})
		if w.Code != http.StatusCreated {
			t.Fatalf("create: %d %s", w.Code, w.Body.String())
		}
		m := decodeBody(t, w)
		if m["date_ad"] != "2026-01-29" || m["fiscal_year"] != "2082/83" || m["locked"] != true || m["status"] != "active" || m["version"] != float64(1) {
			t.Fatalf("created: %v", m)
		}
		id := strconv.Itoa(int(m["id"].(float64)))
		if w := e.do(req{method: "POST", path: "/api/v1/event-logs", body: body, token: viewer}); w.Code != http.StatusForbidden {
			t.Fatalf("viewer create: %d", w.Code)
		}
		// Bad input: every problem named, nothing written.
		w = e.do(req{method: "POST", path: "/api/v1/event-logs", token: officer, header: en,
			body: `{"date_bs":"2082-04-32","time":"25:00","type":"party","description":""}`})
		fields, _ := decodeBody(t, w)["error"].(map[string]any)["fields"].(map[string]any)
		if w.Code != http.StatusBadRequest || fields["date_bs"] == nil || fields["time"] == nil || fields["type"] == nil || fields["description"] == nil {
			t.Fatalf("bad input: %d %v", w.Code, fields)
		}
		if !strings.Contains(fields["date_bs"].(string), "YYYY-MM-DD") {
			t.Errorf("date message: %v", fields["date_bs"])
		}
		// Locked: 403 with the way out.
		w = e.do(req{method: "PUT", path: "/api/v1/event-logs/" + id, token: officer, header: en,
			body: `{"date_bs":"2082-10-15","type":"assessment","description":"x","version":1}`})
		if w.Code != http.StatusForbidden || errorCode(t, w) != leoc.ELocked || !strings.Contains(w.Body.String(), "locked") {
			t.Fatalf("edit locked: %d %s", w.Code, w.Body.String())
		}
		if w := e.do(req{method: "DELETE", path: "/api/v1/event-logs/" + id, token: officer}); w.Code != http.StatusForbidden {
			t.Fatalf("delete locked: %d", w.Code)
		}
		// Unlock with the key, edit, and the record locks again.
		hash := must.Get(auth.HashPassword("the-unlock-key-77"))(t)
		must.OK(t, e.st.SetUnlockKey(t.Context(), store.SystemActor, hash))
		if w := e.do(req{method: "POST", path: "/api/v1/event-logs/" + id + "/unlock", token: e.tokens[leoc.RoleAdmin],
			body: `{"key":"the-unlock-key-77","reason":"wrong location"}`}); w.Code != 200 {
			t.Fatalf("unlock: %d %s", w.Code, w.Body.String())
		}
		if w := e.do(req{method: "PUT", path: "/api/v1/event-logs/" + id, token: officer,
			body: `{"date_bs":"2082-10-15","type":"assessment","description":"x"}`}); w.Code != http.StatusBadRequest {
			t.Fatalf("update without version: %d", w.Code)
		}
		w = e.do(req{method: "PUT", path: "/api/v1/event-logs/" + id, token: officer,
			body: `{"date_bs":"2082-10-15","time":"15:00","type":"assessment","description":"Damage assessment in Kholi, ward 5","location":"Kholi","version":1}`})
		if w.Code != 200 || decodeBody(t, w)["locked"] != true || decodeBody(t, w)["version"] != float64(2) {
			t.Fatalf("update: %d %s", w.Code, w.Body.String())
		}
		// A second client still holding version 1 is refused after another unlock.
		if w := e.do(req{method: "POST", path: "/api/v1/event-logs/" + id + "/unlock", token: e.tokens[leoc.RoleAdmin], body: `{"key":"the-unlock-key-77","reason":"second fix"}`}); w.Code != http.StatusOK {
			t.Fatalf("second unlock: %d %s", w.Code, w.Body.String())
		}
		w = e.do(req{method: "PUT", path: "/api/v1/event-logs/" + id, token: officer, body: `{"date_bs":"2082-10-15","type":"other","description":"old copy","version":1}`})
		if w.Code != http.StatusConflict {
			t.Fatalf("stale update: %d %s", w.Code, w.Body.String())
		}
		w = e.do(req{method: "GET", path: "/api/v1/event-logs?fy=2082/83&q=kholi", token: viewer})
		if w.Code != 200 || decodeBody(t, w)["total"] != float64(1) {
			t.Fatalf("list: %d %s", w.Code, w.Body.String())
		}
		if w := e.do(req{method: "GET", path: "/api/v1/event-logs?fy=2082/84", token: viewer}); w.Code != http.StatusBadRequest {
			t.Fatalf("bad fiscal year: %d", w.Code)
		}
		if w := e.do(req{method: "GET", path: "/api/v1/event-logs/999", token: viewer}); w.Code != http.StatusNotFound {
			t.Fatalf("missing: %d", w.Code)
		}
		if w := e.do(req{method: "DELETE", path: "/api/v1/event-logs/" + id, token: officer}); w.Code != http.StatusNoContent {
			t.Fatalf("delete unlocked: %d %s", w.Code, w.Body.String())
		}
	})
}

func TestEventLogPages(t *testing.T) {
	each(t, func(t *testing.T, e *testEnv) {
		cookies, csrf := e.login("officer1")
		page := e.do(req{method: "GET", path: "/event-logs/new", cookies: cookies})
		if page.Code != 200 || !strings.Contains(page.Body.String(), `data-bs-date`) || !strings.Contains(page.Body.String(), `value="2082-10-15"`) {
			t.Fatalf("new form (today's BS date prefilled): %d", page.Code)
		}
		form := url.Values{"csrf_token": {csrf}, "date_bs": {"२०८२-१३-०१"}, "type": {"rescue"}, "description": {"उद्धार टोली खटियो"}, "status": {"active"}}
		w := e.do(req{method: "POST", path: "/event-logs", cookies: cookies, body: form.Encode()})
		if w.Code != http.StatusUnprocessableEntity || !strings.Contains(w.Body.String(), "उद्धार टोली खटियो") || !strings.Contains(w.Body.String(), "YYYY-MM-DD") {
			t.Fatalf("bad date: %d", w.Code)
		}
		form.Set("date_bs", "२०८२-१०-१५")
		w = e.do(req{method: "POST", path: "/event-logs", cookies: cookies, body: form.Encode()})
		if w.Code != http.StatusSeeOther {
			t.Fatalf("create: %d %s", w.Code, w.Body.String())
		}
		detail := e.do(req{method: "GET", path: w.Header().Get("Location"), cookies: cookies})
		if detail.Code != 200 || !strings.Contains(detail.Body.String(), "१५ माघ २०८२") || !strings.Contains(detail.Body.String(), "२०८२/८३") {
			t.Fatalf("detail: %d", detail.Code)
		}
		list := e.do(req{method: "GET", path: "/event-logs?fy=2082/83", cookies: cookies})
		if list.Code != 200 || !strings.Contains(list.Body.String(), "उद्धार टोली खटियो") {
			t.Fatalf("list: %d", list.Code)
		}
		if w := e.do(req{method: "GET", path: w.Header().Get("Location") + "/edit", cookies: cookies}); w.Code != http.StatusForbidden {
			t.Fatalf("edit form of a locked record: %d", w.Code)
		}
	})
}

func TestListPaginationInNepali(t *testing.T) {
	e := newEnv(t, backendSQLite())
	for range 3 {
		w := e.do(req{method: "POST", path: "/api/v1/event-logs", token: e.tokens[leoc.RoleOfficer],
			body: `{"date_bs":"2082-10-15","type":"other","description":"entry"}`})
		if w.Code != http.StatusCreated {
			t.Fatal(w.Code)
		}
	}
	cookies, _ := e.login("viewer1")
	page := e.do(req{method: "GET", path: "/event-logs?per_page=2&page=2", cookies: cookies}).Body.String()
	if !strings.Contains(page, "पृष्ठ २ / २") || !strings.Contains(page, "per_page=2") || !strings.Contains(page, `rel="prev"`) {
		t.Fatalf("pagination not in Nepali digits or without the filters")
	}
}
