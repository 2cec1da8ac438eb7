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

func TestAdvisoryAPI(t *testing.T) {
	each(t, func(t *testing.T, e *testEnv) {
		officer, viewer := e.tokens[leoc.RoleOfficer], e.tokens[leoc.RoleViewer]
		en := map[string]string{"Accept-Language": "en"}
		body := `{"title":"Heavy rain tonight","content":"Stay away from rivers.","type":"weather","priority":"high",
			"valid_from":"2026-01-29T06:00:00+05:45","valid_until":"2026-01-31T00:00:00+05:45"}`
		w := e.do(req{method: "POST", path: "/api/v1/advisories", body: body, token: officer})
		if w.Code != http.StatusCreated {
			t.Fatalf("create: %d %s", w.Code, w.Body.String())
		}
		m := decodeBody(t, w)
		if m["active"] != true || m["current"] != true || m["locked"] != true || m["version"] != float64(1) ||
			m["valid_from"] != "2026-01-29T00:15:00Z" || m["valid_until"] != "2026-01-30T18:15:00Z" || m["priority"] != "high" {
			t.Fatalf("created: %v", m)
		}
		id := strconv.Itoa(int(m["id"].(float64)))
		if w := e.do(req{method: "POST", path: "/api/v1/advisories", body: body, token: viewer}); w.Code != http.StatusForbidden {
			t.Fatalf("viewer create: %d", w.Code)
		}

		// Bad input: 400, a message per field in the user's language, nothing written.
		bad := `{"title":"` + strings.Repeat("x", 201) + `","content":"c","type":"flood","priority":"urgent",
			"valid_from":"2026-01-29T06:00:00+05:45","valid_until":"2026-01-29T05:00:00+05:45"}`
		w = e.do(req{method: "POST", path: "/api/v1/advisories", token: officer, header: en, body: bad})
		fields, _ := decodeBody(t, w)["error"].(map[string]any)["fields"].(map[string]any)
		if w.Code != http.StatusBadRequest || fields["title"] != "At most 200 characters." || fields["type"] == nil || fields["priority"] == nil ||
			fields["valid_until"] != "The expiry must come after the start." {
			t.Fatalf("bad input: %d %v", w.Code, fields)
		}
		w = e.do(req{method: "POST", path: "/api/v1/advisories", token: officer, body: bad})
		fields, _ = decodeBody(t, w)["error"].(map[string]any)["fields"].(map[string]any)
		if fields["valid_until"] != "म्याद सकिने समय लागू हुने समयपछि हुनुपर्छ।" {
			t.Errorf("Nepali message: %v", fields["valid_until"])
		}
		for _, c := range []req{
			{method: "POST", path: "/api/v1/advisories", token: officer, body: `{"title":"x",`},
			{method: "POST", path: "/api/v1/advisories", token: officer, body: body, contentType: "text/plain"},
			{method: "POST", path: "/api/v1/advisories", token: officer, body: `{"title":"x","content":"c","type":"general","valid_from":"tomorrow"}`},
			{method: "POST", path: "/api/v1/advisories", token: officer, body: `{"title":"x","content":"c","type":"general","valid_from":"2026-01-29T06:00:00+05:45","active":"yes"}`},
		} {
			if w := e.do(c); w.Code != http.StatusBadRequest || errorCode(t, w) != leoc.EInvalid {
				t.Errorf("%s: %d %s", c.body, w.Code, w.Body.String())
			}
		}
		if w := e.do(req{method: "GET", path: "/api/v1/advisories", token: viewer}); decodeBody(t, w)["total"] != float64(1) {
			t.Fatalf("something was written: %s", w.Body.String())
		}

		// Locked, unlocked, edited, locked again; stale versions refused.
		upd := `{"title":"Heavy rain tonight and tomorrow","content":"Stay away from rivers.","type":"weather","priority":"critical",
			"valid_from":"2026-01-29T06:00:00+05:45","version":1}`
		if w := e.do(req{method: "PUT", path: "/api/v1/advisories/" + id, token: officer, body: upd}); w.Code != http.StatusForbidden || errorCode(t, w) != leoc.ELocked {
			t.Fatalf("edit locked: %d %s", w.Code, w.Body.String())
		}
		hash := must.Get(auth.HashPassword("the-unlock-key-77"))(t)
		must.OK(t, e.st.SetUnlockKey(t.Context(), store.SystemActor, hash))
		unlock := func() {
			t.Helper()
			if w := e.do(req{method: "POST", path: "/api/v1/advisories/" + id + "/unlock", token: e.tokens[leoc.RoleAdmin],
				body: `{"key":"the-unlock-key-77","reason":"extend the warning"}`}); w.Code != 200 {
				t.Fatalf("unlock: %d %s", w.Code, w.Body.String())
			}
		}
		unlock()
		if w := e.do(req{method: "PUT", path: "/api/v1/advisories/" + id, token: officer, body: strings.Replace(upd, `,"version":1`, "", 1)}); w.Code != http.StatusBadRequest {
			t.Fatalf("update without version: %d", w.Code)
		}
		w = e.do(req{method: "PUT", path: "/api/v1/advisories/" + id, token: officer, body: upd})
		m = decodeBody(t, w)
		if w.Code != 200 || m["version"] != float64(2) || m["locked"] != true || m["valid_until"] != nil || m["priority"] != "critical" || m["active"] != true {
			t.Fatalf("update: %d %s", w.Code, w.Body.String())
		}
		unlock()
		if w := e.do(req{method: "PUT", path: "/api/v1/advisories/" + id, token: officer, body: upd}); w.Code != http.StatusConflict {
			t.Fatalf("stale: %d %s", w.Code, w.Body.String())
		}
		for q, n := range map[string]float64{"priority=critical": 1, "priority=low": 0, "active=false": 0, "current=true": 1, "type=weather&q=RAIN": 1} {
			if w := e.do(req{method: "GET", path: "/api/v1/advisories?" + q, token: viewer}); decodeBody(t, w)["total"] != n {
				t.Errorf("filter %s: %s", q, w.Body.String())
			}
		}
		if w := e.do(req{method: "DELETE", path: "/api/v1/advisories/" + id, token: officer}); w.Code != http.StatusNoContent {
			t.Fatalf("delete: %d %s", w.Code, w.Body.String())
		}
	})
}

func TestAdvisoryPages(t *testing.T) {
	each(t, func(t *testing.T, e *testEnv) {
		cookies, csrf := e.login("officer1")
		page := e.do(req{method: "GET", path: "/advisories/new", cookies: cookies})
		if b := page.Body.String(); page.Code != 200 || strings.Count(b, "data-bs-date") != 2 || !strings.Contains(b, `value="2082-10-15"`) || !strings.Contains(b, `value="15:45"`) {
			t.Fatalf("new form: %d", page.Code)
		}
		form := url.Values{"csrf_token": {csrf}, "title": {"भारी वर्षा"}, "content": {"नदी किनार नजानुहोला।"}, "type": {"weather"},
			"priority": {"high"}, "active": {"on"}, "valid_from_bs": {"२०८२-१०-१५"}, "valid_from_time": {"०६:००"},
			"valid_until_bs": {"2082-10-14"}}
		w := e.do(req{method: "POST", path: "/advisories", cookies: cookies, body: form.Encode()})
		if w.Code != http.StatusUnprocessableEntity || !strings.Contains(w.Body.String(), "म्याद सकिने समय") || !strings.Contains(w.Body.String(), "भारी वर्षा") {
			t.Fatalf("until before from: %d", w.Code)
		}
		form.Set("valid_until_bs", "2082-10-16")
		w = e.do(req{method: "POST", path: "/advisories", cookies: cookies, body: form.Encode()})
		if w.Code != http.StatusSeeOther {
			t.Fatalf("create: %d %s", w.Code, w.Body.String())
		}
		loc := w.Header().Get("Location")
		id := must.Get(strconv.ParseInt(strings.TrimPrefix(loc, "/advisories/"), 10, 64))(t)
		a, err := e.st.Advisory(t.Context(), id)
		if err != nil {
			t.Fatal(err)
		}
		// 06:00 in Nepal on 15 Magh 2082; an end date without a time ends at 23:59.
		if a.ValidFrom.Format("2006-01-02T15:04Z07:00") != "2026-01-29T00:15Z" || a.ValidUntil.Format("2006-01-02T15:04Z07:00") != "2026-01-30T18:14Z" || !a.Active {
			t.Fatalf("stored validity %v – %v", a.ValidFrom, a.ValidUntil)
		}
		detail := e.do(req{method: "GET", path: loc, cookies: cookies})
		if b := detail.Body.String(); detail.Code != 200 || !strings.Contains(b, "२०८२-१०-१५ ०६:००") || !strings.Contains(b, "२०८२-१०-१६ २३:५९") ||
			!strings.Contains(b, "सर्वसाधारणले देखिरहेका") || !strings.Contains(b, "/public/cap/"+strconv.FormatInt(id, 10)+".xml") {
			t.Fatalf("detail: %d", detail.Code)
		}
		list := e.do(req{method: "GET", path: "/advisories?priority=high", cookies: cookies})
		if list.Code != 200 || !strings.Contains(list.Body.String(), "भारी वर्षा") {
			t.Fatalf("list: %d", list.Code)
		}
		// Unlocked, the edit form shows the validity as it was entered.
		if err := e.st.SetLocked(t.Context(), store.SystemActor, e.users[leoc.RoleAdmin], "advisories", id, false, "test"); err != nil {
			t.Fatal(err)
		}
		edit := e.do(req{method: "GET", path: loc + "/edit", cookies: cookies})
		if b := edit.Body.String(); edit.Code != 200 || !strings.Contains(b, `value="06:00"`) || !strings.Contains(b, `value="2082-10-16"`) || !strings.Contains(b, `value="23:59"`) {
			t.Fatalf("edit form: %d", edit.Code)
		}
		form.Set("version", "1")
		form.Del("active")
		form.Set("valid_until_bs", "")
		if w := e.do(req{method: "POST", path: loc, cookies: cookies, body: form.Encode()}); w.Code != http.StatusSeeOther {
			t.Fatalf("update: %d %s", w.Code, w.Body.String())
		}
		if a := must.Get(e.st.Advisory(t.Context(), id))(t); a.Active || !a.OpenEnded() || a.Version != 2 || !a.Locked {
			t.Fatalf("after the edit: %+v", a)
		}
	})
}
