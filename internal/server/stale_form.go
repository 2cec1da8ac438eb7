package server

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
)

// Forms that survive a stale page. A form's CSRF token belongs to the
// session it was rendered in; after the session ended and the clerk logged
// in again (another tab, a phone that slept), the token of the open page no
// longer matches. A bare 403 would throw away everything typed. A same-origin
// form post (the cross-origin check has already passed; cross-origin posts
// are still refused) is answered with its form again: the GET page the form
// came from, filled with the values just sent, a message, status 422 and a
// fresh token. Nothing is saved: the clerk checks and sends again.
//
// An expired session is the other case: the post is redirected to the login
// page with the form's page as "next", and the draft the browser kept
// (forms.js) is offered there after login.

// digitsOnly matches a record number path segment.
var digitsOnly = regexp.MustCompile(`^[0-9]+$`)

// formPageOf finds the page that shows the form posted to path: /x/{id}/edit
// for /x/{id}, /x/new for /x, else the path itself (settings). It returns
// "" when no GET route serves any of them.
func formPageOf(mux *http.ServeMux, r *http.Request) string {
	path := r.URL.Path
	last := path[strings.LastIndex(path, "/")+1:]
	candidates := []string{path + "/new", path}
	if digitsOnly.MatchString(last) {
		candidates = []string{path + "/edit", path}
	}
	for _, c := range candidates {
		g, err := http.NewRequestWithContext(r.Context(), http.MethodGet, c, nil)
		if err != nil {
			continue
		}
		_, pattern := mux.Handler(g)
		if pattern != "" && pattern != "/" && strings.HasPrefix(pattern, "GET ") {
			return c
		}
	}
	return ""
}

// isFormPost reports whether r is a browser form submission (not a script's
// JSON call, which gets the JSON 403).
func isFormPost(r *http.Request) bool {
	ct := r.Header.Get("Content-Type")
	return r.Method == http.MethodPost && !wantsJSON(r) && r.Header.Get("X-CSRF-Token") == "" &&
		(strings.HasPrefix(ct, "application/x-www-form-urlencoded") || strings.HasPrefix(ct, "multipart/form-data"))
}

// reshowStaleForm answers a same-origin form post whose token is stale with
// its form page, filled in. It reports false when there is no such page.
func (s *Server) reshowStaleForm(mux *http.ServeMux, w http.ResponseWriter, r *http.Request) bool {
	if !isFormPost(r) || r.PostForm == nil {
		return false
	}
	path := formPageOf(mux, r)
	if path == "" {
		return false
	}
	values := url.Values{}
	for k, v := range r.PostForm {
		if k != "csrf_token" {
			values[k] = v
		}
	}
	st := state(r)
	st.reshow = values
	s.log.Info("stale CSRF token: form shown again", "path", r.URL.Path, "form", path, "request_id", st.id)
	g := r.Clone(r.Context())
	g.Method, g.Body, g.ContentLength = http.MethodGet, http.NoBody, 0
	g.URL = &url.URL{Path: path}
	g.RequestURI = path
	g.Header.Del("Content-Type")
	g.PostForm, g.Form, g.MultipartForm = nil, nil, nil
	// Through the mux, which sets the path values ({id}) and the guard.
	mux.ServeHTTP(w, g)
	return true
}

// reshown gives a form renderer the values of a stale post to show instead
// of the record's or the defaults (f nil = the renderer's own defaults).
func (s *Server) reshown(r *http.Request, f *form) *form {
	st := state(r)
	if f != nil || st.reshow == nil {
		return f
	}
	return &form{Values: st.reshow, Errors: map[string]string{}, Error: s.cat.T(st.lang, "form.stale_token"), reshown: true}
}
