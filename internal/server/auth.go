package server

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"net/http"
	"strings"
	"time"

	"leoc/internal/auth"
	"leoc/internal/i18n"
	"leoc/internal/leoc"
	"leoc/internal/store"
)

// sessionCookie is the cookie name. In production the __Host- prefix makes
// browsers insist on Secure, Path=/ and no Domain, so a sibling subdomain
// cannot plant a session.
func (s *Server) sessionCookie() string {
	if s.cfg.Production() {
		return "__Host-leoc_session"
	}
	return "leoc_session"
}

// touchEvery limits the writes that keep a session alive.
const touchEvery = time.Minute

// authenticate finds the user of a request, from a bearer token or the
// session cookie. It never refuses: guard decides per route.
func (s *Server) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		st := state(r)
		// /metrics carries the operator's metrics token, not an API token.
		if h := r.Header.Get("Authorization"); h != "" && r.URL.Path != "/metrics" {
			token, ok := bearerToken(h)
			if !ok {
				s.renderError(w, r, leoc.Errorf(leoc.EUnauthorized, "auth.bad_token"))
				return
			}
			u, err := s.tokenUser(r.Context(), auth.TokenHash(strings.TrimSpace(token)))
			if err != nil || u.Disabled {
				if err != nil && leoc.ErrorCode(err) != leoc.ENotFound {
					s.renderError(w, r, err)
					return
				}
				s.renderError(w, r, leoc.Errorf(leoc.EUnauthorized, "auth.bad_token"))
				return
			}
			st.user, st.bearer = u, true
			st.lang = s.requestLang(r, u)
			next.ServeHTTP(w, r)
			return
		}
		if c, err := r.Cookie(s.sessionCookie()); err == nil && c.Value != "" {
			s.loadSession(w, r, st, c.Value)
		}
		next.ServeHTTP(w, r)
	})
}

func (s *Server) loadSession(w http.ResponseWriter, r *http.Request, st *reqState, id string) {
	hash := auth.TokenHash(id)
	now := s.now()
	cached, cu, entry, ok, err := s.cachedSession(r.Context(), hash, now)
	if ok {
		st.user, st.session, st.sessionID = cu, cached, id
		st.lang = s.requestLang(r, cu)
		return
	}
	var sess *store.Session
	var u *leoc.User
	if err == nil {
		// Refusing, ending or stamping a session is decided on the
		// database's row, never on a cached one (auth_cache.go).
		sess, u, err = s.store.SessionUser(r.Context(), hash)
	}
	if err != nil {
		if leoc.ErrorCode(err) != leoc.ENotFound {
			s.log.Error("load session", "err", err, "request_id", st.id)
		}
		s.clearSessionCookie(w)
		return
	}
	if u.Disabled || now.After(sess.ExpiresAt) || now.Sub(sess.LastSeenAt) > s.cfg.SessionIdle {
		if err := s.store.DeleteSession(r.Context(), hash); err != nil {
			s.log.Error("delete expired session", "err", err, "request_id", st.id)
		}
		s.clearSessionCookie(w)
		return
	}
	seen := sess.LastSeenAt
	if now.Sub(sess.LastSeenAt) > touchEvery {
		if err := s.store.TouchSession(r.Context(), hash, now); err != nil {
			s.log.Error("touch session", "err", err, "request_id", st.id)
		} else {
			seen = now
		}
	}
	if entry != nil && seen.UnixNano() > entry.lastSeen.Load() {
		entry.lastSeen.Store(seen.UnixNano()) // what the database now holds
	}
	st.user, st.session, st.sessionID = u, sess, id
	st.lang = s.requestLang(r, u)
}

// startSession creates a fresh session after a successful login. A new ID
// every login defeats session fixation.
func (s *Server) startSession(w http.ResponseWriter, r *http.Request, u *leoc.User) error {
	id, err := auth.RandomToken(32)
	if err != nil {
		return err
	}
	now := s.now()
	sess := &store.Session{
		IDHash: auth.TokenHash(id), UserID: u.ID, CreatedAt: now, LastSeenAt: now,
		ExpiresAt: now.Add(s.cfg.SessionMax), IP: state(r).ip, UserAgent: truncate(r.UserAgent(), 300),
	}
	if err := s.store.CreateSession(r.Context(), sess); err != nil {
		return err
	}
	// The old session, if any, ends here.
	if st := state(r); st.session != nil {
		if err := s.store.DeleteSession(r.Context(), st.session.IDHash); err != nil {
			s.log.Error("delete previous session", "err", err)
		}
	}
	http.SetCookie(w, &http.Cookie{
		Name: s.sessionCookie(), Value: id, Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode,
		Secure: s.cfg.Production(), MaxAge: int(s.cfg.SessionMax.Seconds()),
	})
	st := state(r)
	st.user, st.session, st.sessionID = u, sess, id
	return nil
}

func (s *Server) clearSessionCookie(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{
		Name: s.sessionCookie(), Value: "", Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode,
		Secure: s.cfg.Production(), MaxAge: -1,
	})
}

// csrfToken is derived from the session: HMAC(secret, session ID). It needs
// no storage and changes with every login. What a page carries is masked
// with a fresh random pad per response (pad ‖ token⊕pad), so compressed
// pages never repeat the secret bytes (BREACH; see compress.go).
func (s *Server) csrfToken(r *http.Request) string {
	tok := s.csrfSecret(r)
	if tok == nil {
		return ""
	}
	masked := make([]byte, 2*len(tok))
	_, _ = rand.Read(masked[:len(tok)]) // crypto/rand.Read never fails on supported platforms
	for i, b := range tok {
		masked[len(tok)+i] = b ^ masked[i]
	}
	return base64.RawURLEncoding.EncodeToString(masked)
}

// csrfSecret is the session's unmasked token, nil without a session.
func (s *Server) csrfSecret(r *http.Request) []byte {
	st := state(r)
	if st.sessionID == "" {
		return nil
	}
	m := hmac.New(sha256.New, s.cfg.SecretKey)
	m.Write([]byte("csrf\x00" + st.sessionID))
	return m.Sum(nil)
}

// csrfValid unmasks a token sent back and compares it in constant time.
func (s *Server) csrfValid(r *http.Request, got string) bool {
	want := s.csrfSecret(r)
	b, err := base64.RawURLEncoding.DecodeString(got)
	if want == nil || err != nil || len(b) != 2*len(want) {
		return false
	}
	tok := make([]byte, len(want))
	for i := range tok {
		tok[i] = b[len(want)+i] ^ b[i]
	}
	return hmac.Equal(tok, want)
}

func isSafeMethod(m string) bool {
	return m == http.MethodGet || m == http.MethodHead || m == http.MethodOptions
}

// checkCSRF protects every state-changing request that a browser could be
// tricked into sending: cross-origin requests are refused by Fetch
// metadata/Origin checks, and a cookie-authenticated request must also carry
// the session's token (form field csrf_token or header X-CSRF-Token).
// Bearer-token calls carry no ambient credentials and are exempt.
func (s *Server) checkCSRF(mux *http.ServeMux) http.Handler {
	var next http.Handler = mux
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		st := state(r)
		if isSafeMethod(r.Method) || st.bearer {
			next.ServeHTTP(w, r)
			return
		}
		if st.user == nil && isFormPost(r) {
			st.formPage = formPageOf(mux, r)
		}
		if err := s.csrf.Check(r); err != nil {
			s.renderError(w, r, leoc.Errorf(leoc.EForbidden, "error.csrf"))
			return
		}
		// Logging in and out with a session cookie still present needs no
		// token: the Origin check above already stops cross-site use, and a
		// stale page must not stop anyone from logging out or back in.
		if st.session != nil && r.URL.Path != "/logout" && r.URL.Path != "/login" {
			got := r.Header.Get("X-CSRF-Token")
			if got == "" {
				var err error
				if got, err = formToken(r); err != nil {
					s.renderError(w, r, err)
					return
				}
			}
			if !s.csrfValid(r, got) {
				if got != "" && s.reshowStaleForm(mux, w, r) {
					return
				}
				s.renderError(w, r, leoc.Errorf(leoc.EForbidden, "error.csrf"))
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

// requestLang: the user's preference, then the lang cookie, then the
// browser's Accept-Language, then the office default.
func (s *Server) requestLang(r *http.Request, u *leoc.User) string {
	if u != nil && i18n.Supported(u.Lang) {
		return u.Lang
	}
	if c, err := r.Cookie("leoc_lang"); err == nil && i18n.Supported(c.Value) {
		return c.Value
	}
	if l := i18n.Negotiate(r.Header.Get("Accept-Language")); l != "" {
		return l
	}
	if i18n.Supported(s.cfg.DefaultLang) {
		return s.cfg.DefaultLang
	}
	return i18n.Default
}

// bearerToken reads the credentials of an Authorization header with the
// Bearer scheme. RFC 7235: the scheme is case-insensitive and one or more
// spaces separate it from the token.
func bearerToken(h string) (string, bool) {
	scheme, rest, ok := strings.Cut(h, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	token := strings.TrimLeft(rest, " ")
	return token, token != ""
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}

// formToken reads csrf_token from a form body. A body over the limit is a
// 413, not a missing token.
func formToken(r *http.Request) (string, error) {
	var err error
	if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
		err = r.ParseMultipartForm(maxFormBytes)
	} else {
		err = r.ParseForm()
	}
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return "", leoc.Errorf(leoc.ETooLarge, "error.too_large", mbe.Limit>>20)
	}
	return r.PostFormValue("csrf_token"), nil
}
