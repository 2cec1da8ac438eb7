package server

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"leoc/internal/auth"
	"leoc/internal/leoc"
	"leoc/internal/must"
	"leoc/internal/store"
)

const sitaJSON = `{"name":"सीता कुमारी","id_number":"12-01-75/1234","allowance_type":"single_woman","age":64,"gender":"female","ward":3,
	"tole":"खोली","latitude":29.55,"longitude":81.12,"phone":"9848012345","bank_account_holder":"सीता कुमारी","bank_account_number":"0012-3456","bank_name":"RBB"}`

func TestBeneficiaryAPI(t *testing.T) {
	each(t, func(t *testing.T, e *testEnv) {
		officer, viewer, admin := e.tokens[leoc.RoleOfficer], e.tokens[leoc.RoleViewer], e.tokens[leoc.RoleAdmin]
		en := map[string]string{"Accept-Language": "en"}
		w := e.do(req{method: "POST", path: "/api/v1/ssf-beneficiaries", body: sitaJSON, token: officer})
		if w.Code != http.StatusCreated {
			t.Fatalf("create: %d %s", w.Code, w.Body.String())
		}
		var b beneficiaryJSON
		must.OK(t, json.Unmarshal(w.Body.Bytes(), &b))
		if b.ID == 0 || !b.Locked || b.Version != 1 || !b.Vulnerable || b.Age == nil || *b.Age != 64 || b.Latitude == nil {
			t.Fatalf("created %+v", b)
		}
		id := idString(b.ID)
		cases := []struct {
			method, path, body, token string
			status                    int
			text                      string
		}{
			{"POST", "/api/v1/ssf-beneficiaries", sitaJSON, officer, 409, "already registered"},
			{"POST", "/api/v1/ssf-beneficiaries", `{"name":"","id_number":"--","allowance_type":"pension","ward":42,"age":200,"gender":"x","phone":"12"}`, officer, 400, "id_number"},
			{"POST", "/api/v1/ssf-beneficiaries", `{"name":"Ram","id_number":"1","allowance_type":"widow","ward":3,"extra":1}`, officer, 400, "extra"},
			{"POST", "/api/v1/ssf-beneficiaries", sitaJSON, viewer, 403, ""},
			{"POST", "/api/v1/ssf-beneficiaries", sitaJSON, e.tokens[leoc.RoleFinance], 403, ""},
			{"GET", "/api/v1/ssf-beneficiaries", "", "", 401, ""},
			{"GET", "/api/v1/ssf-beneficiaries/" + id, "", admin, 200, `"bank_name":"RBB"`},
			{"GET", "/api/v1/ssf-beneficiaries/999", "", viewer, 404, ""},
			{"GET", "/api/v1/ssf-beneficiaries?q=SITA", "", viewer, 200, `"total":0`},
			{"GET", "/api/v1/ssf-beneficiaries?q=सीता", "", admin, 200, `"total":1`},
			{"GET", "/api/v1/ssf-beneficiaries?q=120175", "", admin, 200, `"total":1`},
			{"GET", "/api/v1/ssf-beneficiaries?ward=4", "", viewer, 200, `"total":0`},
			{"GET", "/api/v1/ssf-beneficiaries?allowance_type=single_woman&ward=3", "", viewer, 200, `"total":1`},
			{"GET", "/api/v1/ssf-beneficiaries?allowance_type=widow", "", viewer, 200, `"total":0`},
			{"GET", "/api/v1/ssf-beneficiaries/lookup?q=12+01+75+1234", "", viewer, 200, `"vulnerable":true`},
			{"GET", "/api/v1/ssf-beneficiaries/lookup?q=9848012345&ward=3", "", admin, 200, `"name":"सीता कुमारी"`},
			{"GET", "/api/v1/ssf-beneficiaries/lookup?q=nobody", "", viewer, 200, `{"items":[],"vulnerable":false}`},
			{"GET", "/api/v1/ssf-beneficiaries/lookup?q=", "", viewer, 400, ""},
			{"PUT", "/api/v1/ssf-beneficiaries/" + id, strings.Replace(sitaJSON, "}", `,"version":1}`, 1), officer, 403, "locked"},
			{"DELETE", "/api/v1/ssf-beneficiaries/" + id, "", officer, 403, "locked"},
		}
		for _, c := range cases {
			w := e.do(req{method: c.method, path: c.path, body: c.body, token: c.token, header: en})
			if w.Code != c.status || !strings.Contains(w.Body.String(), c.text) {
				t.Errorf("%s %s: %d %s", c.method, c.path, w.Code, w.Body.String())
			}
		}
		// Unlock through the API alias, edit with the version, stale refused.
		hash := must.Get(auth.HashPassword("the-unlock-key-77"))(t)
		must.OK(t, e.st.SetUnlockKey(t.Context(), store.SystemActor, hash))
		if w := e.do(req{method: "POST", path: "/api/v1/ssf-beneficiaries/" + id + "/unlock", body: `{"key":"the-unlock-key-77","reason":"age typed wrong"}`, token: admin}); w.Code != 200 {
			t.Fatalf("unlock: %d %s", w.Code, w.Body.String())
		}
		upd := strings.Replace(strings.Replace(sitaJSON, `"age":64`, `"age":66`, 1), "}", `,"version":1}`, 1)
		if w := e.do(req{method: "PUT", path: "/api/v1/ssf-beneficiaries/" + id, body: upd, token: officer}); w.Code != 200 || !strings.Contains(w.Body.String(), `"age":66`) {
			t.Fatalf("update: %d %s", w.Code, w.Body.String())
		}
		if w := e.do(req{method: "POST", path: "/api/v1/ssf-beneficiaries/" + id + "/unlock", body: `{"key":"the-unlock-key-77","reason":"once more"}`, token: admin}); w.Code != 200 {
			t.Fatalf("second unlock: %d %s", w.Code, w.Body.String())
		}
		if w := e.do(req{method: "PUT", path: "/api/v1/ssf-beneficiaries/" + id, body: upd, token: officer}); w.Code != 409 {
			t.Fatalf("stale update: %d %s", w.Code, w.Body.String())
		}
		// A ward-limited officer cannot touch ward 3.
		limited := &leoc.User{Username: "ward5", Role: leoc.RoleOfficer, Wards: []int{5}}
		must.OK(t, e.st.CreateUser(t.Context(), store.SystemActor, limited, "x"))
		if w := e.do(req{method: "DELETE", path: "/api/v1/ssf-beneficiaries/" + id, token: e.newToken(limited)}); w.Code != 403 {
			t.Fatalf("other ward delete: %d", w.Code)
		}
		if w := e.do(req{method: "DELETE", path: "/api/v1/ssf-beneficiaries/" + id, token: officer}); w.Code != 204 {
			t.Fatalf("delete: %d %s", w.Code, w.Body.String())
		}
		audit, _ := must.Get2(e.st.ListAudit(t.Context(), store.AuditFilter{Entity: "beneficiaries"}))(t)
		if len(audit) < 5 {
			t.Fatalf("audit: %d", len(audit))
		}
	})
}

func TestBeneficiaryPages(t *testing.T) {
	e := newEnv(t, backendSQLite())
	cookies, csrf := e.login("officer1")
	form := url.Values{"csrf_token": {csrf}, "name": {"Ram Bahadur Bohara"}, "id_number": {"४५-६७"}, "allowance_type": {"full_disability"},
		"age": {"५२"}, "gender": {"male"}, "ward": {"2"}, "tole": {"Khaptad"}, "phone": {"9800000001"}}
	w := e.do(req{method: "POST", path: "/beneficiaries", body: form.Encode(), cookies: cookies})
	if w.Code != http.StatusSeeOther || !strings.HasPrefix(w.Header().Get("Location"), "/beneficiaries/") {
		t.Fatalf("create: %d %s", w.Code, w.Body.String())
	}
	detail := w.Header().Get("Location")
	bad := url.Values{"csrf_token": {csrf}, "name": {""}, "id_number": {"1"}, "allowance_type": {"widow"}, "ward": {"2"}, "age": {"old"}}
	if w := e.do(req{method: "POST", path: "/beneficiaries", body: bad.Encode(), cookies: cookies}); w.Code != 422 || !strings.Contains(w.Body.String(), `class="field-error"`) {
		t.Fatalf("bad form: %d", w.Code)
	}
	for _, c := range []struct {
		path string
		want []string
	}{
		{"/beneficiaries", []string{"Ram Bahadur Bohara", "/beneficiaries/new", `name="allowance_type"`}},
		{"/beneficiaries?q=bohara&ward=2", []string{"Ram Bahadur Bohara"}},
		{"/beneficiaries?q=nobody", []string{"list.empty", ""}},
		{detail, []string{"Ram Bahadur Bohara", "४५-६७", "/unlock/beneficiaries/"}},
		{"/beneficiaries/new", []string{`name="id_number"`, `name="bank_account_number"`}},
	} {
		w := e.do(req{method: "GET", path: c.path, cookies: cookies})
		if w.Code != 200 {
			t.Fatalf("%s: %d", c.path, w.Code)
		}
		for _, s := range c.want[:1] {
			if s != "list.empty" && !strings.Contains(w.Body.String(), s) {
				t.Errorf("%s lacks %q", c.path, s)
			}
		}
	}
	if w := e.do(req{method: "GET", path: detail + "/edit", cookies: cookies}); w.Code != 403 {
		t.Fatalf("edit of locked: %d", w.Code)
	}
	vc, _ := e.login("viewer1")
	if w := e.do(req{method: "GET", path: "/beneficiaries/new", cookies: vc}); w.Code != 403 {
		t.Fatalf("viewer new: %d", w.Code)
	}
	if w := e.do(req{method: "GET", path: detail, cookies: vc}); w.Code != 200 || strings.Contains(w.Body.String(), "/delete") {
		t.Fatalf("viewer detail: %d", w.Code)
	}
}
