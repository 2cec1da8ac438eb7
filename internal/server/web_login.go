package server

import (
	"net/http"
	"net/url"
	"strings"
	"time"

	"leoc/internal/auth"
	"leoc/internal/i18n"
	"leoc/internal/leoc"
	"leoc/internal/store"
)

type loginData struct {
	Next string
	// Expired: a form was sent after the session ended (its draft waits).
	Expired bool
}

func (s *Server) loginPage(w http.ResponseWriter, r *http.Request) {
	if state(r).user != nil {
		s.redirect(w, r, safeNext(r.URL.Query().Get("next")))
		return
	}
	s.renderPage(w, r, http.StatusOK, "login", &loginData{Next: safeNext(r.URL.Query().Get("next")), Expired: r.URL.Query().Get("expired") == "1"})
}

// login checks a username and password. Failures all look the same to the
// client (no hint whether the account exists), cost the same time, are
// audited, count towards the account's lockout and the client IP's limit.
func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	st := state(r)
	if err := r.ParseForm(); err != nil {
		s.renderError(w, r, leoc.Errorf(leoc.EInvalid, "error.bad_form"))
		return
	}
	username := leoc.NormalizeUsername(r.PostForm.Get("username"))
	password := r.PostForm.Get("password")
	data := &loginData{Next: safeNext(r.PostForm.Get("next"))}
	values := url.Values{"username": {username}}
	fail := func(status int, key string, args ...any) {
		s.renderPageForm(w, r, status, "login", data, &form{Values: values, Error: s.cat.T(st.lang, key, args...)})
	}
	if !s.loginRate.Allow(st.ip) {
		w.Header().Set("Retry-After", "60")
		fail(http.StatusTooManyRequests, "login.rate_limited")
		return
	}
	if username == "" || password == "" {
		fail(http.StatusUnprocessableEntity, "login.missing")
		return
	}
	anon := store.Actor{Username: username, IP: st.ip}
	u, hash, err := s.store.UserCredentials(r.Context(), username)
	if err != nil {
		if leoc.ErrorCode(err) != leoc.ENotFound {
			s.renderError(w, r, err)
			return
		}
		auth.BurnPasswordCheck(password)
		s.auditOrLog(r, anon, "login.failure", "user", "", map[string]any{"reason": "unknown_user"})
		fail(http.StatusUnauthorized, "login.failed")
		return
	}
	anon.UserID = u.ID
	if u.LockedUntil.After(s.now()) {
		s.auditOrLog(r, anon, "login.failure", "user", idString(u.ID), map[string]any{"reason": "locked"})
		mins := int(time.Until(u.LockedUntil).Minutes()) + 1
		fail(http.StatusTooManyRequests, "login.locked", mins)
		return
	}
	ok, err := auth.CheckPassword(hash, password)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	if !ok || u.Disabled {
		if u.Disabled {
			s.auditOrLog(r, anon, "login.failure", "user", idString(u.ID), map[string]any{"reason": "disabled"})
			fail(http.StatusUnauthorized, "login.failed")
			return
		}
		locked, err := s.store.RecordLoginFailure(r.Context(), anon, u.ID, store.DefaultLoginPolicy)
		if err != nil {
			s.renderError(w, r, err)
			return
		}
		if locked {
			fail(http.StatusTooManyRequests, "login.locked", int(store.DefaultLoginPolicy.LockFor.Minutes()))
			return
		}
		fail(http.StatusUnauthorized, "login.failed")
		return
	}
	if err := s.store.RecordLoginSuccess(r.Context(), anon, u.ID); err != nil {
		s.renderError(w, r, err)
		return
	}
	if err := s.startSession(w, r, u); err != nil {
		s.renderError(w, r, err)
		return
	}
	s.redirect(w, r, data.Next)
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request) {
	st := state(r)
	if st.session != nil {
		if err := s.store.DeleteSession(r.Context(), st.session.IDHash); err != nil {
			s.renderError(w, r, err)
			return
		}
		s.auditOrLog(r, actor(r), "logout", "user", idString(st.user.ID), nil)
	}
	s.clearSessionCookie(w)
	s.redirect(w, r, "/login")
}

// setLang switches the interface language: a cookie for everyone, and the
// account's preference for a logged-in user.
func (s *Server) setLang(w http.ResponseWriter, r *http.Request) {
	lang := r.PostFormValue("lang")
	if !i18n.Supported(lang) {
		s.renderError(w, r, leoc.Errorf(leoc.EInvalid, "user.lang_invalid"))
		return
	}
	http.SetCookie(w, &http.Cookie{Name: "leoc_lang", Value: lang, Path: "/", MaxAge: 365 * 24 * 3600,
		SameSite: http.SameSiteLaxMode, Secure: s.cfg.Production(), HttpOnly: true})
	if u := state(r).user; u != nil {
		if err := s.store.SetUserLang(r.Context(), u.ID, lang); err != nil {
			s.renderError(w, r, err)
			return
		}
	}
	next := safeNext(r.PostFormValue("next"))
	if strings.HasPrefix(next, "/login") {
		next = "/login"
	}
	s.redirect(w, r, next)
}

// auditOrLog writes an audit entry for an event that must not fail the
// request (a failed login is answered even when the audit write fails, but
// the failure is logged loudly).
func (s *Server) auditOrLog(r *http.Request, a store.Actor, action, entity, id string, details any) {
	if err := s.store.Audit(r.Context(), a, action, entity, id, details); err != nil {
		s.log.Error("audit write failed", "action", action, "err", err, "request_id", state(r).id)
	}
}
