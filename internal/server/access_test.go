package server

import (
	"net/http"
	"regexp"
	"strings"
	"testing"

	"leoc/internal/leoc"
	"leoc/internal/store/storetest"
)

// publicPaths are the only routes anyone may call without logging in.
var publicPaths = map[string]bool{
	"GET /health": true, "GET /ready": true, "GET /static/": true, "GET /favicon.ico": true,
	"GET /login": true, "POST /login": true, "POST /lang": true,
	// /metrics needs LEOC_METRICS_TOKEN, checked in metricsPage.
	"GET /metrics": true,
}

var wildcard = regexp.MustCompile(`\{[^}]+\}`)

// concrete turns a route pattern into a request path: {register} becomes a
// register name, other wildcards a number.
func concrete(pattern string) (method, path string) {
	method, path, _ = strings.Cut(pattern, " ")
	path = strings.TrimSuffix(path, "{$}")
	path = strings.ReplaceAll(path, "{register}", "test-records")
	path = wildcard.ReplaceAllString(path, "1")
	if strings.HasSuffix(path, "/") && path != "/" {
		path += "x"
	}
	return method, path
}

func TestEveryRouteRequiresLogin(t *testing.T) {
	e := newEnv(t, storetest.Backends()[0])
	if len(e.s.routes) < 30 {
		t.Fatalf("only %d routes: the table was not read", len(e.s.routes))
	}
	for _, rt := range e.s.routes {
		if rt.access == public {
			if !publicPaths[rt.pattern] && !strings.HasPrefix(strings.SplitN(rt.pattern, " ", 2)[1], "/public/") {
				t.Errorf("%s is public but not in the allowed public list", rt.pattern)
			}
			continue
		}
		method, path := concrete(rt.pattern)
		body := ""
		if method != "GET" && method != "DELETE" {
			body = "{}"
			if !rt.isAPI() {
				body = "a=b"
			}
		}
		w := e.do(req{method: method, path: path, body: body})
		if rt.isAPI() {
			if w.Code != http.StatusUnauthorized || errorCode(t, w) != leoc.EUnauthorized {
				t.Errorf("anonymous %s %s: %d %s; want 401 unauthorized", method, path, w.Code, w.Body.String())
			}
			continue
		}
		if w.Code != http.StatusSeeOther || !strings.HasPrefix(w.Header().Get("Location"), "/login") {
			t.Errorf("anonymous %s %s: %d → %q; want 303 to /login", method, path, w.Code, w.Header().Get("Location"))
		}
	}
	// A revoked or made-up token is no better than none.
	if w := e.do(req{method: "GET", path: "/api/v1/me", token: "leoc_madeup"}); w.Code != http.StatusUnauthorized {
		t.Errorf("made-up token: %d", w.Code)
	}
	if w := e.do(req{method: "GET", path: "/api/v1/me", header: map[string]string{"Authorization": "Basic YWRtaW46eA=="}}); w.Code != http.StatusUnauthorized {
		t.Errorf("basic auth: %d", w.Code)
	}
}

// TestRoleRules walks every route that needs a permission and calls it as
// each role: roles without the permission get 403, never the handler.
func TestRoleRules(t *testing.T) {
	e := newEnv(t, storetest.Backends()[0])
	checked := 0
	for _, rt := range e.s.routes {
		if rt.perm == "" {
			continue
		}
		for _, role := range leoc.Roles {
			u := e.users[role]
			if u.Can(rt.perm) {
				continue
			}
			method, path := concrete(rt.pattern)
			body := ""
			if method == "POST" || method == "PUT" {
				body = "{}"
			}
			w := e.do(req{method: method, path: path, body: body, token: e.tokens[role], header: map[string]string{"Accept": "application/json"}})
			if w.Code != http.StatusForbidden || errorCode(t, w) != leoc.EForbidden {
				t.Errorf("%s as %s: %d %s; want 403", rt.pattern, role, w.Code, w.Body.String())
			}
			checked++
		}
	}
	if checked < 40 {
		t.Fatalf("only %d role checks ran", checked)
	}
	// A viewer can read but never write.
	for _, rt := range e.s.routes {
		method, _ := concrete(rt.pattern)
		if rt.access == public || method == "GET" || rt.perm == "" {
			continue
		}
		if e.users[leoc.RoleViewer].Can(rt.perm) {
			t.Errorf("viewer may call write route %s", rt.pattern)
		}
	}
}

func TestRolePermissions(t *testing.T) {
	cases := []struct {
		role leoc.Role
		can  []leoc.Permission
		not  []leoc.Permission
	}{
		{leoc.RoleAdmin, []leoc.Permission{leoc.PermManageUsers, leoc.PermUnlock, leoc.PermWriteRecords, leoc.PermWriteFinance}, nil},
		{leoc.RoleOfficer, []leoc.Permission{leoc.PermRead, leoc.PermWriteRecords}, []leoc.Permission{leoc.PermWriteFinance, leoc.PermManageUsers, leoc.PermUnlock, leoc.PermViewAudit}},
		{leoc.RoleFinance, []leoc.Permission{leoc.PermRead, leoc.PermWriteFinance}, []leoc.Permission{leoc.PermWriteRecords, leoc.PermManageSetting}},
		{leoc.RoleViewer, []leoc.Permission{leoc.PermRead}, []leoc.Permission{leoc.PermWriteRecords, leoc.PermWriteFinance, leoc.PermManageUsers, leoc.PermManageSetting, leoc.PermUnlock}},
	}
	for _, c := range cases {
		u := &leoc.User{Role: c.role}
		for _, p := range c.can {
			if !u.Can(p) {
				t.Errorf("%s cannot %s", c.role, p)
			}
		}
		for _, p := range c.not {
			if u.Can(p) {
				t.Errorf("%s can %s", c.role, p)
			}
		}
		u.Disabled = true
		if u.Can(leoc.PermRead) {
			t.Errorf("disabled %s can read", c.role)
		}
	}
	if !(&leoc.User{Role: leoc.RoleOfficer, CanUnlock: true}).Can(leoc.PermUnlock) {
		t.Error("officer granted unlock cannot unlock")
	}
	ws := &leoc.User{Role: leoc.RoleOfficer, Wards: []int{3}}
	if ws.CanWriteWard(4) || !ws.CanWriteWard(3) || !(&leoc.User{}).CanWriteWard(9) {
		t.Error("ward limits wrong")
	}
}
