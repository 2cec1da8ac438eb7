package server

import (
	"net/http"
	"net/url"
	"strings"

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

// login checks a username and password. An unknown account, a disabled
// one, a wrong password and a throttled attempt get the same answers (text
// and status) whatever the account, cost the same time, are audited, and
// count in the throttle: per (username, address) with growing delays, per
// username across addresses as a slowdown that never locks the real user
// out; plus the per-address limit over all usernames.
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
	if d := s.allow(r.Context(), s.loginRate, st.ip); !d.OK {
		fail(http.StatusTooManyRequests, "ratelimit.login", retryAfter(w, d.RetryAfter))
		return
	}
	if username == "" || password == "" {
		fail(http.StatusUnprocessableEntity, "login.missing")
		return
	}
	anon := store.Actor{Username: username, IP: st.ip}
	verdict, err := s.throttle.Check(r.Context(), username, st.ip)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	if verdict.RetryAfter > 0 {
		s.auditOrLog(r, anon, "login.failure", "user", "", map[string]any{"reason": "throttled"})
		fail(http.StatusTooManyRequests, "login.throttled", retryAfter(w, verdict.RetryAfter))
		return
	}
	s.pause(r.Context(), verdict.Slow)
	u, hash, err := s.store.UserCredentials(r.Context(), username)
	reason := ""
	switch {
	case leoc.ErrorCode(err) == leoc.ENotFound:
		auth.BurnPasswordCheck(password)
		reason = "unknown_user"
	case err != nil:
		s.renderError(w, r, err)
		return
	default:
		anon.UserID = u.ID
		ok, err := auth.CheckPassword(hash, password)
		if err != nil {
			s.renderError(w, r, err)
			return
		}
		if !ok {
			reason = "bad_password"
		} else if u.Disabled {
			reason = "disabled"
		}
	}
	if reason != "" {
		if _, err := s.throttle.Fail(r.Context(), username, st.ip); err != nil {
			s.renderError(w, r, err)
			return
		}
		id := ""
		if u != nil {
			id = idString(u.ID)
		}
		s.auditOrLog(r, anon, "login.failure", "user", id, map[string]any{"reason": reason})
		fail(http.StatusUnauthorized, "login.failed")
		return
	}
	if err := s.throttle.Succeed(r.Context(), username, st.ip); err != nil {
		s.renderError(w, r, err)
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
