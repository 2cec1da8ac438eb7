package server

import (
	"net/http"
	"strconv"

	"leoc/internal/auth"
	"leoc/internal/bs"
	"leoc/internal/leoc"
	"leoc/internal/store"
)

type accountData struct {
	Tokens []store.APIToken
}

func (s *Server) accountPage(w http.ResponseWriter, r *http.Request) {
	s.renderAccount(w, r, http.StatusOK, nil)
}

func (s *Server) renderAccount(w http.ResponseWriter, r *http.Request, status int, f *form) {
	toks, err := s.store.APITokens(r.Context(), state(r).user.ID)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	s.renderPageForm(w, r, status, "account", &accountData{Tokens: toks}, f)
}

// passwordPageClient is the throttle's "address" for the password page: its
// failures are limited per user, whatever address the session comes from,
// and count in the account's sign-in failures too.
const passwordPageClient = "account-password-page"

// changeOwnPassword needs the current password: a session left open on a
// shared office computer must not be enough to take the account over. A
// wrong current password counts in the sign-in throttle like a wrong login
// (so guessing here is as slow as guessing there, and limited per user) and
// is audited as password.failure. The new password revokes the account's
// API tokens unless the user unticks the box.
func (s *Server) changeOwnPassword(w http.ResponseWriter, r *http.Request) {
	st := state(r)
	u := st.user
	current, next, confirm := r.PostFormValue("current_password"), r.PostFormValue("new_password"), r.PostFormValue("confirm_password")
	verdict, err := s.throttle.Check(r.Context(), u.Username, passwordPageClient)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	if verdict.RetryAfter > 0 {
		s.auditOrLog(r, actor(r), "password.failure", "user", idString(u.ID), map[string]any{"reason": "throttled"})
		secs := retryAfter(w, verdict.RetryAfter)
		s.renderAccount(w, r, http.StatusTooManyRequests, &form{Error: s.cat.T(st.lang, "login.throttled", secs)})
		return
	}
	s.pause(r.Context(), verdict.Slow)
	var v leoc.Validation
	_, hash, err := s.store.UserCredentials(r.Context(), u.Username)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	if ok, err := auth.CheckPassword(hash, current); err != nil {
		s.renderError(w, r, err)
		return
	} else if !ok {
		if _, err := s.throttle.Fail(r.Context(), u.Username, passwordPageClient); err != nil {
			s.renderError(w, r, err)
			return
		}
		s.auditOrLog(r, actor(r), "password.failure", "user", idString(u.ID), map[string]any{"reason": "bad_password"})
		v.Add("current_password", "password.wrong_current")
	}
	if k := leoc.CheckPassword(next, u.Username); k != "" {
		v.Add("new_password", k, leoc.PasswordMinLen)
	}
	v.Check(next == confirm, "confirm_password", "password.mismatch")
	if err := v.Err(); err != nil {
		f, status := s.formFromError(r, nil, err)
		s.renderAccount(w, r, status, f)
		return
	}
	if err := s.throttle.Succeed(r.Context(), u.Username, passwordPageClient); err != nil {
		s.renderError(w, r, err)
		return
	}
	if err := s.setPassword(r, u.ID, next, revokeTokensChoice(r)); err != nil {
		s.renderError(w, r, err)
		return
	}
	// Changing the password ended every session, this one too: start a new one.
	if err := s.startSession(w, r, u); err != nil {
		s.renderError(w, r, err)
		return
	}
	s.setFlash(w, "success", "password.changed")
	s.redirect(w, r, "/account")
}

// revokeTokensChoice reads the "revoke my API tokens" box. The form sends a
// hidden 0 before the box's 1, so an unticked box is a deliberate "keep";
// a request without the field at all revokes, the safe default.
func revokeTokensChoice(r *http.Request) bool {
	vals, ok := r.PostForm["revoke_tokens"]
	if !ok {
		return true
	}
	for _, v := range vals {
		if v == "1" {
			return true
		}
	}
	return false
}

func idString(id int64) string { return strconv.FormatInt(id, 10) }

// today is the current BS date in Nepal.
func (s *Server) today() (bs.Date, error) { return s.cal.Today(s.now()) }
