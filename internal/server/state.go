package server

import (
	"context"
	"net/http"
	"net/url"

	"leoc/internal/leoc"
	"leoc/internal/store"
)

// reqState is what middleware learns about a request. One pointer per
// request lives in the context, so the access log sees the user and route
// that later middleware filled in.
type reqState struct {
	id        string
	ip        string
	route     string
	lang      string
	user      *leoc.User
	session   *store.Session // nil for bearer-token and anonymous requests
	sessionID string         // the cookie value, to derive the CSRF token
	bearer    bool
	// reshow holds the values of a form post whose CSRF token was stale,
	// while its form page is rendered again (stale_form.go).
	reshow url.Values
	// formPage is the page of the form an anonymous post came from, where
	// the login sends the user back to (their draft waits there).
	formPage string
	https    bool
	// saved is what a register's store said of a save beyond the record
	// (a distribution's possible duplicates), for its answer and flash.
	saved any
}

type stateKey struct{}

func withState(r *http.Request, st *reqState) *http.Request {
	return r.WithContext(context.WithValue(r.Context(), stateKey{}, st))
}

func state(r *http.Request) *reqState {
	if st, ok := r.Context().Value(stateKey{}).(*reqState); ok {
		return st
	}
	return &reqState{lang: "ne"}
}

// actor is the audit identity of the request.
func actor(r *http.Request) store.Actor {
	st := state(r)
	a := store.Actor{IP: st.ip}
	if st.user != nil {
		a.UserID, a.Username = st.user.ID, st.user.Username
	}
	return a
}
