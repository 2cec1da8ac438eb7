package server

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"leoc/internal/auth"
	"leoc/internal/leoc"
	"leoc/internal/store"
)

func TestContactAPI(t *testing.T) {
	each(t, func(t *testing.T, e *testEnv) {
		officer, viewer, adminTok := e.tokens[leoc.RoleOfficer], e.tokens[leoc.RoleViewer], e.tokens[leoc.RoleAdmin]
		en := map[string]string{"Accept-Language": "en"}
		body := `{"organisation":"District Police Office","person":"Hari Bista","designation":"Inspector","category":"security",
			"phones":["०९९-४२०१००","+977 9858000000"],"email":"dpo@example.org","ward":null,"address":"Chainpur","hours":"24 hours","notes":""}`
		w := e.do(req{method: "POST", path: "/api/v1/contacts", body: body, token: officer})
		if w.Code != http.StatusCreated {
			t.Fatalf("create: %d %s", w.Code, w.Body.String())
		}
		m := decodeBody(t, w)
		phones, _ := m["phones"].([]any)
		if len(phones) != 2 || phones[0] != "099420100" || phones[1] != "+9779858000000" || m["ward"] != nil ||
			m["category"] != "security" || m["locked"] != true || m["version"] != float64(1) || m["created_by"] != "officer1" {
			t.Fatalf("created: %v", m)
		}
		id := strconv.Itoa(int(m["id"].(float64)))
		if w.Header().Get("Location") != "/api/v1/contacts/"+id {
			t.Errorf("Location %q", w.Header().Get("Location"))
		}
		if w := e.do(req{method: "POST", path: "/api/v1/contacts", body: body, token: viewer}); w.Code != http.StatusForbidden {
			t.Fatalf("viewer create: %d", w.Code)
		}

		// Bad input: every problem named, in the user's language; nothing written.
		for _, c := range []struct {
			body   string
			fields []string
		}{
			{`{"organisation":"","category":"","phones":["12ab"],"email":"not-mail","ward":0}`, []string{"organisation", "category", "phones", "email", "ward"}},
			{`{"organisation":"x","category":"security","phones":[]}`, []string{"phones"}},
			{`{"organisation":"x","category":"security","phones":["123456"]}`, []string{"phones"}},
			{`{"organisation":"x","category":"weather","phones":["9800000000"]}`, []string{"category"}},
			{`{"organisation":"x","category":"health","phones":["9800000000"],"ward":42}`, []string{"ward"}},
			{`{"organisation":"x","category":"health","phones":"9800000000"}`, []string{"phones"}},
		} {
			w := e.do(req{method: "POST", path: "/api/v1/contacts", token: officer, header: en, body: c.body})
			fields, _ := decodeBody(t, w)["error"].(map[string]any)["fields"].(map[string]any)
			if w.Code != http.StatusBadRequest || len(fields) != len(c.fields) {
				t.Fatalf("%s: %d %v", c.body, w.Code, fields)
			}
			for _, f := range c.fields {
				if fields[f] == nil {
					t.Fatalf("%s: no message for %s: %v", c.body, f, fields)
				}
			}
		}
		w = e.do(req{method: "GET", path: "/api/v1/contacts", token: viewer})
		if w.Code != 200 || decodeBody(t, w)["total"] != float64(1) {
			t.Fatalf("nothing else written: %s", w.Body.String())
		}

		// A ward-limited officer writes their ward's contacts only.
		limited := &leoc.User{Username: "ward3", Role: leoc.RoleOfficer, Wards: []int{3}}
		if err := e.st.CreateUser(t.Context(), store.SystemActor, limited, "x"); err != nil {
			t.Fatal(err)
		}
		wardTok := e.newToken(limited)
		if w := e.do(req{method: "POST", path: "/api/v1/contacts", body: body, token: wardTok}); w.Code != http.StatusForbidden {
			t.Fatalf("ward officer adds a municipality-wide contact: %d", w.Code)
		}
		w = e.do(req{method: "POST", path: "/api/v1/contacts", token: wardTok,
			body: `{"organisation":"Thalara Health Post","category":"health","phones":["9800000001"],"ward":3}`})
		if w.Code != http.StatusCreated || decodeBody(t, w)["ward"] != float64(3) {
			t.Fatalf("ward officer's contact: %d %s", w.Code, w.Body.String())
		}

		// List filters: q over organisation/person/designation, category, ward.
		for q, want := range map[string]float64{"q=inspector": 1, "q=health": 1, "category=health": 1, "category=security&category=health": 2,
			"ward=3": 2, "ward=5": 1, "q=nobody": 0} {
			w := e.do(req{method: "GET", path: "/api/v1/contacts?" + q, token: viewer})
			if w.Code != 200 || decodeBody(t, w)["total"] != want {
				t.Errorf("%s: %d %s", q, w.Code, w.Body.String())
			}
		}

		// Locked on save; unlock, a versioned edit, a stale one refused.
		upd := `{"organisation":"District Police Office","category":"security","phones":["099420100"],"ward":null,"version":1}`
		if w := e.do(req{method: "PUT", path: "/api/v1/contacts/" + id, token: officer, body: upd}); w.Code != http.StatusForbidden || errorCode(t, w) != leoc.ELocked {
			t.Fatalf("edit locked: %d %s", w.Code, w.Body.String())
		}
		hash, err := auth.HashPassword("the-unlock-key-77")
		if err != nil {
			t.Fatal(err)
		}
		if err := e.st.SetUnlockKey(t.Context(), store.SystemActor, hash); err != nil {
			t.Fatal(err)
		}
		if w := e.do(req{method: "POST", path: "/api/v1/contacts/" + id + "/unlock", token: adminTok,
			body: `{"key":"the-unlock-key-77","reason":"number changed"}`}); w.Code != 200 {
			t.Fatalf("unlock: %d %s", w.Code, w.Body.String())
		}
		if w := e.do(req{method: "PUT", path: "/api/v1/contacts/" + id, token: officer, body: strings.Replace(upd, `,"version":1`, "", 1)}); w.Code != http.StatusBadRequest {
			t.Fatalf("update without version: %d", w.Code)
		}
		w = e.do(req{method: "PUT", path: "/api/v1/contacts/" + id, token: officer, body: upd})
		m = decodeBody(t, w)
		if w.Code != 200 || m["version"] != float64(2) || m["locked"] != true || len(m["phones"].([]any)) != 1 {
			t.Fatalf("update: %d %v", w.Code, m)
		}
		if w := e.do(req{method: "DELETE", path: "/api/v1/contacts/" + id, token: officer}); w.Code != http.StatusForbidden {
			t.Fatalf("delete locked: %d", w.Code)
		}
		audit, _, err := e.st.ListAudit(t.Context(), store.AuditFilter{Entity: "contacts", EntityID: id})
		if err != nil || len(audit) != 3 {
			t.Fatalf("audit: %d %v", len(audit), err)
		}
	})
}

func TestContactPages(t *testing.T) {
	e := newEnv(t, backendSQLite())
	cookies, csrf := e.login("officer1")
	if w := e.do(req{method: "GET", path: "/contacts/new", cookies: cookies}); w.Code != 200 ||
		!strings.Contains(w.Body.String(), `maxlength="200" required`) || !strings.Contains(w.Body.String(), `<option value="health"`) {
		t.Fatalf("new form: %d", w.Code)
	}
	// A refused form comes back filled in, the error linked to its input.
	form := url.Values{"csrf_token": {csrf}, "organisation": {"थलारा स्वास्थ्य चौकी"}, "category": {"health"}, "phones": {"१२३"}, "ward": {"३"}}
	w := e.do(req{method: "POST", path: "/contacts", cookies: cookies, body: form.Encode()})
	if w.Code != http.StatusUnprocessableEntity || !strings.Contains(w.Body.String(), `aria-invalid="true" aria-describedby="phones-hint phones-error"`) ||
		!strings.Contains(w.Body.String(), `id="phones-error"`) || !strings.Contains(w.Body.String(), `value="थलारा स्वास्थ्य चौकी"`) {
		t.Fatalf("refused form: %d %s", w.Code, w.Body.String())
	}
	form["phones"] = []string{"९८५८०००००१", "", "099-420100"}
	w = e.do(req{method: "POST", path: "/contacts", cookies: cookies, body: form.Encode()})
	if w.Code != http.StatusSeeOther {
		t.Fatalf("create: %d %s", w.Code, w.Body.String())
	}
	loc := w.Header().Get("Location")
	detail := e.do(req{method: "GET", path: loc, cookies: cookies}).Body.String()
	if !strings.Contains(detail, `href="tel:9858000001"`) || !strings.Contains(detail, "स्वास्थ्य") {
		t.Fatalf("detail: %s", detail)
	}
	list := e.do(req{method: "GET", path: "/contacts?category=health", cookies: cookies}).Body.String()
	if !strings.Contains(list, "थलारा स्वास्थ्य चौकी") || !strings.Contains(list, `<option value="health" selected>`) {
		t.Fatalf("list: %s", list)
	}
	call := e.do(req{method: "GET", path: "/contacts/call", cookies: cookies}).Body.String()
	if !strings.Contains(call, `href="tel:099420100"`) {
		t.Fatalf("call list: %s", call)
	}
	dir := e.do(req{method: "GET", path: "/contacts/directory?lang=en", cookies: cookies})
	if dir.Code != 200 || !strings.Contains(dir.Body.String(), "<h2>Health</h2>") {
		t.Fatalf("directory: %d %s", dir.Code, dir.Body.String())
	}
	csv := e.do(req{method: "GET", path: "/contacts/export.csv?lang=en", cookies: cookies})
	if csv.Code != 200 || !strings.Contains(csv.Body.String(), "Organisation") || !strings.Contains(csv.Body.String(), "9858000001, 099420100") {
		t.Fatalf("csv: %d %s", csv.Code, csv.Body.String())
	}
	xlsx := e.do(req{method: "GET", path: "/contacts/export.xlsx", cookies: cookies})
	if xlsx.Code != 200 || !strings.HasPrefix(xlsx.Body.String(), "PK") {
		t.Fatalf("xlsx: %d", xlsx.Code)
	}
	if w := e.do(req{method: "GET", path: loc + "/edit", cookies: cookies}); w.Code != http.StatusForbidden {
		t.Fatalf("edit form of a locked contact: %d", w.Code)
	}
	viewer, _ := e.login("viewer1")
	if w := e.do(req{method: "GET", path: "/contacts/new", cookies: viewer}); w.Code != http.StatusForbidden {
		t.Fatalf("viewer new form: %d", w.Code)
	}
}
