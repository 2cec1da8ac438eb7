package server

import (
	"net/http"
	"strings"

	"leoc/internal/leoc"
)

// access says who may call a route.
type access int

const (
	public        access = iota // anyone, no login (health, login, static, /public/)
	authenticated               // any logged-in user; Perm, when set, narrows it
)

// route is one entry of the routes table. The table is data so that a test
// can walk every route and prove the access rules hold.
type route struct {
	pattern string
	access  access
	perm    leoc.Permission // "" = any logged-in user
	h       http.HandlerFunc
}

func (rt route) isAPI() bool {
	_, path, _ := strings.Cut(rt.pattern, " ")
	return strings.HasPrefix(path, "/api/")
}

// routeTable lists every route of the application.
func (s *Server) routeTable() []route {
	r := []route{
		{pattern: "GET /health", access: public, h: s.health},
		{pattern: "GET /ready", access: public, h: s.ready},
		{pattern: "GET /metrics", access: public, h: s.metricsPage},
		{pattern: "GET /static/", access: public, h: s.assets.Handler().ServeHTTP},
		{pattern: "GET /favicon.ico", access: public, h: s.favicon},
		{pattern: "GET /login", access: public, h: s.loginPage},
		{pattern: "POST /login", access: public, h: s.login},
		{pattern: "POST /lang", access: public, h: s.setLang},

		{pattern: "POST /logout", access: authenticated, h: s.logout},
		{pattern: "GET /{$}", access: authenticated, h: s.homePage},
		{pattern: "GET /api/v1/dashboard", access: authenticated, perm: leoc.PermRead, h: s.apiDashboard},
		{pattern: "GET /account", access: authenticated, h: s.accountPage},
		{pattern: "POST /account/password", access: authenticated, h: s.changeOwnPassword},

		{pattern: "GET /users", access: authenticated, perm: leoc.PermManageUsers, h: s.usersPage},
		{pattern: "GET /users/new", access: authenticated, perm: leoc.PermManageUsers, h: s.userNewPage},
		{pattern: "POST /users", access: authenticated, perm: leoc.PermManageUsers, h: s.userCreate},
		{pattern: "GET /users/{id}", access: authenticated, perm: leoc.PermManageUsers, h: s.userEditPage},
		{pattern: "POST /users/{id}", access: authenticated, perm: leoc.PermManageUsers, h: s.userUpdate},
		{pattern: "POST /users/{id}/password", access: authenticated, perm: leoc.PermManageUsers, h: s.userResetPassword},
		{pattern: "POST /tokens/{id}/revoke", access: authenticated, perm: leoc.PermManageUsers, h: s.tokenRevoke},

		{pattern: "GET /settings", access: authenticated, perm: leoc.PermManageSetting, h: s.settingsPage},
		{pattern: "POST /settings", access: authenticated, perm: leoc.PermManageSetting, h: s.settingsSave},
		{pattern: "POST /settings/wards", access: authenticated, perm: leoc.PermManageSetting, h: s.wardSave},
		{pattern: "POST /settings/checks", access: authenticated, perm: leoc.PermManageSetting, h: s.checksSave},
		{pattern: "POST /settings/wards/{number}/delete", access: authenticated, perm: leoc.PermManageSetting, h: s.wardDelete},
		{pattern: "POST /settings/lists/{list}", access: authenticated, perm: leoc.PermManageSetting, h: s.listValueSave},
		{pattern: "POST /settings/lists/{list}/{key}/delete", access: authenticated, perm: leoc.PermManageSetting, h: s.listValueDelete},

		{pattern: "GET /audit", access: authenticated, perm: leoc.PermViewAudit, h: s.auditPage},

		{pattern: "POST /unlock/{register}/{id}", access: authenticated, perm: leoc.PermUnlock, h: s.unlockForm},

		{pattern: "GET /api/v1/me", access: authenticated, h: s.apiMe},
		{pattern: "GET /api/v1/users", access: authenticated, perm: leoc.PermManageUsers, h: s.apiUsers},
		{pattern: "POST /api/v1/users", access: authenticated, perm: leoc.PermManageUsers, h: s.apiUserCreate},
		{pattern: "GET /api/v1/users/{id}", access: authenticated, perm: leoc.PermManageUsers, h: s.apiUser},
		{pattern: "PUT /api/v1/users/{id}", access: authenticated, perm: leoc.PermManageUsers, h: s.apiUserUpdate},
		{pattern: "GET /api/v1/settings", access: authenticated, h: s.apiSettings},
		{pattern: "PUT /api/v1/settings", access: authenticated, perm: leoc.PermManageSetting, h: s.apiSettingsUpdate},
		{pattern: "GET /api/v1/wards", access: authenticated, h: s.apiWards},
		{pattern: "PUT /api/v1/wards/{number}", access: authenticated, perm: leoc.PermManageSetting, h: s.apiWardPut},
		{pattern: "DELETE /api/v1/wards/{number}", access: authenticated, perm: leoc.PermManageSetting, h: s.apiWardDelete},
		{pattern: "GET /api/v1/lists/{list}", access: authenticated, h: s.apiList},
		{pattern: "PUT /api/v1/lists/{list}/{key}", access: authenticated, perm: leoc.PermManageSetting, h: s.apiListPut},
		{pattern: "DELETE /api/v1/lists/{list}/{key}", access: authenticated, perm: leoc.PermManageSetting, h: s.apiListDelete},
		{pattern: "GET /api/v1/calendar/convert", access: authenticated, h: s.apiCalendarConvert},
		{pattern: "GET /api/v1/calendar/month", access: authenticated, h: s.apiCalendarMonth},
		{pattern: "GET /api/v1/calendar/table", access: authenticated, h: s.apiCalendarTable},
		{pattern: "GET /api/v1/audit", access: authenticated, perm: leoc.PermViewAudit, h: s.apiAudit},
		{pattern: "POST /api/v1/{register}/{id}/unlock", access: authenticated, perm: leoc.PermUnlock, h: s.apiUnlock},
	}
	r = append(r, s.eventLogRoutes()...)
	r = append(r, s.incidentRoutes()...)
	r = append(r, s.sitreps().routes()...,
	)
	r = append(r, s.advisoryRoutes()...)
	r = append(r, s.distributionRoutes()...)
	r = append(r, s.fundRoutes()...)
	r = append(r, s.beneficiaryRoutes()...)
	r = append(r, s.contactRoutes()...)
	r = append(r, s.inventoryRegisterRoutes()...)
	r = append(r, s.inventoryLedgerRoutes()...)
	r = append(r, s.attachmentRoutes()...)
	r = append(r, s.policyRoutes()...)
	r = append(r, s.bulletinRoutes()...)
	r = append(r, s.mapRoutes()...)
	r = append(r, s.stockDocRoutes()...)
	if s.cfg.Debug {
		// Development only: config refuses LEOC_DEBUG in production.
		r = append(r, debugRoutes()...)
	}
	return r
}

// guard enforces a route's access rule before its handler runs: anonymous
// callers get 401 (API) or a redirect to the login page, users without the
// permission get 403.
func (s *Server) guard(rt route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		st := state(r)
		st.route = r.Pattern
		if rt.access == public {
			s.checkedInput(w, r, rt.h)
			return
		}
		if st.user == nil {
			if rt.isAPI() || wantsJSON(r) {
				s.renderError(w, r, leoc.Errorf(leoc.EUnauthorized, "auth.required"))
				return
			}
			if r.Method == http.MethodGet {
				http.Redirect(w, r, "/login?next="+urlQueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
			} else if st.formPage != "" {
				// A form sent after the session ended: back to its page
				// after login, where the browser's draft is offered.
				http.Redirect(w, r, "/login?next="+urlQueryEscape(st.formPage)+"&expired=1", http.StatusSeeOther)
			} else {
				http.Redirect(w, r, "/login", http.StatusSeeOther)
			}
			return
		}
		s.applyPolicy(r, st.user)
		if rt.perm != "" && !st.user.Can(rt.perm) {
			s.renderError(w, r, leoc.Errorf(leoc.EForbidden, "error.forbidden"))
			return
		}
		s.checkedInput(w, r, rt.h)
	})
}

// checkedInput runs h once the request's query and form have passed the
// strict input check; after the access rule, so a stranger learns nothing.
func (s *Server) checkedInput(w http.ResponseWriter, r *http.Request, h http.HandlerFunc) {
	if err := strictInput(r); err != nil {
		s.renderError(w, r, err)
		return
	}
	h(w, r)
}

func wantsJSON(r *http.Request) bool {
	return strings.HasPrefix(r.URL.Path, "/api/") || strings.Contains(r.Header.Get("Accept"), "application/json")
}
