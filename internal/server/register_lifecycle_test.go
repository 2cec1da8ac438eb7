package server

import (
	"net/http"
	"strings"
	"testing"

	"leoc/internal/leoc"
)

// The limits incidents and beneficiaries declare once (leoc.IncidentLimits,
// leoc.BeneficiaryLimits) are what their forms tell the browser.
func TestRegisterFormLimits(t *testing.T) {
	e := newEnv(t, backendSQLite())
	cookies, _ := e.login("officer1")
	for _, c := range []struct {
		path string
		want []string
	}{
		{"/incidents/new", []string{`name="tole" value="" maxlength="200"`, `name="description" rows="3" maxlength="4000"`,
			`name="agriculture_damage" rows="3" maxlength="1000"`, `name="type" required`, `name="ward" required`}},
		{"/beneficiaries/new", []string{`name="name" value="" maxlength="200" required`, `name="id_number" value="" maxlength="50" required`,
			`name="age" value="" min="0" max="130"`, `name="notes" rows="3" maxlength="4000"`, `<option value="2" >`}},
	} {
		t.Run(c.path, func(t *testing.T) {
			w := e.do(req{method: "GET", path: c.path, cookies: cookies})
			if w.Code != http.StatusOK {
				t.Fatalf("%d", w.Code)
			}
			for _, want := range c.want {
				if !strings.Contains(w.Body.String(), want) {
					t.Errorf("lacks %s", want)
				}
			}
		})
	}
}

// What stands in the way of an edit is said first, the same for both
// registers: another ward's record before its lock, the lock before a
// missing version.
func TestRegisterEditRefusalOrder(t *testing.T) {
	e := newEnv(t, backendSQLite())
	officer, ward3 := e.tokens[leoc.RoleOfficer], e.limitedUser("ward3", 3)
	w := e.do(req{method: "POST", path: "/api/v1/incidents", body: strings.Replace(incidentBody, `"ward":3`, `"ward":4`, 1), token: officer})
	if w.Code != http.StatusCreated {
		t.Fatalf("create incident: %d %s", w.Code, w.Body.String())
	}
	incident := w.Header().Get("Location")
	w = e.do(req{method: "POST", path: "/api/v1/ssf-beneficiaries", token: officer,
		body: `{"name":"Goma Devi","id_number":"55-01-72/998","allowance_type":"senior_citizen","ward":4}`})
	if w.Code != http.StatusCreated || strings.Contains(w.Body.String(), `"warnings"`) {
		t.Fatalf("create beneficiary (no warnings key): %d %s", w.Code, w.Body.String())
	}
	beneficiary := w.Header().Get("Location")
	if !strings.HasPrefix(beneficiary, "/api/v1/ssf-beneficiaries/") {
		t.Fatalf("beneficiary location %q", beneficiary)
	}
	for _, path := range []string{incident, beneficiary} {
		for _, c := range []struct {
			name, token, body string
			status            int
			code              string
		}{
			{"other ward, locked, no version", ward3, `{}`, http.StatusForbidden, leoc.EForbidden},
			{"locked, no version", officer, `{}`, http.StatusForbidden, leoc.ELocked},
		} {
			t.Run(path+" "+c.name, func(t *testing.T) {
				w := e.do(req{method: "PUT", path: path, token: c.token, body: c.body})
				if w.Code != c.status || errorCode(t, w) != c.code {
					t.Errorf("got %d %s, want %d %s", w.Code, w.Body.String(), c.status, c.code)
				}
			})
		}
	}
}
