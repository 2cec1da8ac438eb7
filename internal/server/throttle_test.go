package server

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"leoc/internal/leoc"
	"leoc/internal/must"
	"leoc/internal/store"
)

// sleeps records the waits the server asked for instead of waiting.
type sleeps struct {
	mu sync.Mutex
	d  []time.Duration
}

func (s *sleeps) sleep(_ context.Context, d time.Duration) {
	s.mu.Lock()
	s.d = append(s.d, d)
	s.mu.Unlock()
}

func (s *sleeps) last() time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.d) == 0 {
		return 0
	}
	return s.d[len(s.d)-1]
}

var alertText = regexp.MustCompile(`(?s)<div class="flash flash-error[^"]*" role="alert"[^>]*>\s*<p>([^<]*)</p>`)

// answer is what a client learns from a login response.
func answer(t *testing.T, w *httptest.ResponseRecorder) string {
	t.Helper()
	m := alertText.FindStringSubmatch(w.Body.String())
	if m == nil {
		t.Fatalf("no error message in the %d answer", w.Code)
	}
	return fmt.Sprintf("%d %s retry=%s", w.Code, m[1], w.Header().Get("Retry-After"))
}

func loginFrom(e *testEnv, user, pass, addr string) *httptest.ResponseRecorder {
	return e.do(req{method: "POST", path: "/login", body: loginBody(user, pass), remote: addr + ":1000", header: map[string]string{"Accept-Language": "en"}})
}

// Guessing from one address earns that address growing delays; the real
// user signs in from elsewhere at once. Before, five wrong passwords from
// anywhere locked any account (the only admin too) for 15 minutes.
func TestLoginThrottleIsNotAWeapon(t *testing.T) {
	each(t, func(t *testing.T, e *testEnv) {
		rec := &sleeps{}
		e.s.sleep = rec.sleep
		const attacker = "203.0.113.66"
		for i := range 6 {
			if w := loginFrom(e, "admin1", fmt.Sprintf("guess-%d-password", i), attacker); w.Code != http.StatusUnauthorized {
				t.Fatalf("guess %d: %d", i+1, w.Code)
			}
		}
		w := loginFrom(e, "admin1", testPassword, attacker)
		if w.Code != http.StatusTooManyRequests || w.Header().Get("Retry-After") != "1" || !strings.Contains(w.Body.String(), "wait 1 seconds") {
			t.Fatalf("7th try from the guessing address: %d %q", w.Code, w.Header().Get("Retry-After"))
		}
		if w := loginFrom(e, "admin1", testPassword, "198.51.100.20"); w.Code != http.StatusSeeOther {
			t.Fatalf("the real admin from another address: %d", w.Code)
		}
		// The delays grow: after the block, each new failure doubles it.
		e.clock.Add(time.Second)
		loginFrom(e, "admin1", "guess-7-password", attacker)
		if w := loginFrom(e, "admin1", testPassword, attacker); w.Header().Get("Retry-After") != "2" {
			t.Fatalf("second delay: %d %q", w.Code, w.Header().Get("Retry-After"))
		}
		// leoc user unlock (the store call behind it) clears the address.
		if _, err := e.st.UnlockLogin(t.Context(), store.SystemActor, "admin1"); err != nil {
			t.Fatal(err)
		}
		if w := loginFrom(e, "admin1", testPassword, attacker); w.Code != http.StatusSeeOther {
			t.Fatalf("after unlock: %d", w.Code)
		}
		if rec.last() != 0 {
			t.Fatalf("a quiet account was slowed by %v", rec.last())
		}
	})
}

// Guessing from many addresses (one try each) slows every answer for that
// account, up to a ceiling, and never refuses the real user. (A small
// policy keeps the number of argon2 checks down; the default's numbers are
// tested in the store.)
func TestLoginAccountCeilingSlowsButDoesNotLock(t *testing.T) {
	each(t, func(t *testing.T, e *testEnv) {
		rec := &sleeps{}
		e.s.sleep = rec.sleep
		p := store.DefaultThrottlePolicy
		p.AccountFree, p.AccountStep, p.AccountMaxSlow = 3, 250*time.Millisecond, time.Second
		e.s.throttle = e.st.LoginThrottle(p)
		for i := range 5 {
			if w := loginFrom(e, "officer1", "wrong-password-x", fmt.Sprintf("198.18.0.%d", i+1)); w.Code != http.StatusUnauthorized {
				t.Fatalf("guess %d: %d", i+1, w.Code)
			}
		}
		w := loginFrom(e, "officer1", testPassword, "198.51.100.30")
		if w.Code != http.StatusSeeOther {
			t.Fatalf("real user during a spread-out attack: %d", w.Code)
		}
		if got := rec.last(); got != 500*time.Millisecond { // (5 − 3 free) × 250 ms
			t.Fatalf("answer slowed by %v, want 500ms", got)
		}
		// The success reset the account's count; nine more guesses go past
		// the ceiling (the last answer would be 1.25 s), which holds.
		for i := range 9 {
			loginFrom(e, "officer1", "wrong-password-y", fmt.Sprintf("198.19.0.%d", i+1))
		}
		if got := rec.last(); got != time.Second {
			t.Fatalf("slowdown %v, want the ceiling 1s", got)
		}
	})
}

// Unknown, disabled and existing accounts get the same answer, text and
// status, for a wrong password and when throttled.
func TestLoginSameAnswerForEveryAccount(t *testing.T) {
	each(t, func(t *testing.T, e *testEnv) {
		v := e.users[leoc.RoleViewer]
		v.Disabled = true
		if err := e.st.UpdateUser(t.Context(), store.SystemActor, v); err != nil {
			t.Fatal(err)
		}
		cases := []struct{ name, user, pass string }{
			{"existing, wrong password", "officer1", "wrong-password-1"},
			{"unknown", "nobody", "wrong-password-1"},
			{"disabled, right password", "viewer1", testPassword},
		}
		var first, throttled string
		for i, c := range cases {
			addr := fmt.Sprintf("192.0.2.%d", 50+i)
			got := answer(t, loginFrom(e, c.user, c.pass, addr))
			for range 5 {
				loginFrom(e, c.user, c.pass, addr)
			}
			block := answer(t, loginFrom(e, c.user, c.pass, addr))
			if i == 0 {
				first, throttled = got, block
				if !strings.HasPrefix(block, "429 ") {
					t.Fatalf("not throttled: %s", block)
				}
				continue
			}
			if got != first || block != throttled {
				t.Errorf("%s: answers %q / %q; %s gets %q / %q", c.name, got, block, cases[0].name, first, throttled)
			}
		}
	})
}

// Wrong current passwords on the password page count with the login
// failures, are limited and audited; the change revokes the API tokens
// unless the box is unticked. Before, 30 guesses in 2 s went unnoticed and
// the 31st, right, changed the account.
func TestChangePasswordGuessesAreThrottled(t *testing.T) {
	each(t, func(t *testing.T, e *testEnv) {
		cookies, csrf := e.login("finance1")
		post := func(cur, revoke string) *httptest.ResponseRecorder {
			v := url.Values{"csrf_token": {csrf}, "current_password": {cur}, "new_password": {"a-new-password-9"}, "confirm_password": {"a-new-password-9"}}
			if revoke != "" {
				v["revoke_tokens"] = strings.Split(revoke, ",")
			}
			return e.do(req{method: "POST", path: "/account/password", body: v.Encode(), cookies: cookies})
		}
		codes := map[int]int{}
		for i := range 30 {
			codes[post(fmt.Sprintf("guess-%02d-pass", i), "").Code]++
		}
		if codes[http.StatusUnprocessableEntity] != 6 || codes[http.StatusTooManyRequests] != 24 {
			t.Fatalf("30 guesses answered %v; want 6 × 422 then 429", codes)
		}
		if w := post(testPassword, ""); w.Code != http.StatusTooManyRequests {
			t.Fatalf("the right password during the block: %d", w.Code)
		}
		fails, _ := must.Get2(e.st.ListAudit(t.Context(), store.AuditFilter{Action: "password.failure"}))(t)
		if len(fails) != 31 {
			t.Fatalf("%d password.failure entries, want 31 (6 wrong, 25 throttled)", len(fails))
		}
		// The limit is per user: another address (a stolen cookie used
		// elsewhere) is blocked too.
		w := e.do(req{method: "POST", path: "/account/password", cookies: cookies, remote: "198.51.100.99:1",
			body: url.Values{"csrf_token": {csrf}, "current_password": {testPassword}, "new_password": {"a-new-password-9"}, "confirm_password": {"a-new-password-9"}}.Encode()})
		if w.Code != http.StatusTooManyRequests {
			t.Fatalf("the page from another address during the block: %d", w.Code)
		}
		// The page's failures count with the login failures of the account.
		var n int
		if err := e.st.QueryRow(t.Context(), "SELECT failures FROM login_throttle WHERE username = 'finance1' AND client = ''").Scan(&n); err != nil || n != 6 {
			t.Fatalf("account-wide failures %d, %v; want 6", n, err)
		}
		e.clock.Add(2 * time.Second)
		if w := post(testPassword, "0,1"); w.Code != http.StatusSeeOther {
			t.Fatalf("change after the block: %d %s", w.Code, w.Body.String())
		}
		if w := e.do(req{method: "GET", path: "/api/v1/me", token: e.tokens[leoc.RoleFinance]}); w.Code != http.StatusUnauthorized {
			t.Fatalf("API token survived the password change: %d", w.Code)
		}
		// Unticking the box keeps the tokens, and the trail says so.
		cookies, csrf = e.login("officer1")
		v := url.Values{"csrf_token": {csrf}, "current_password": {testPassword}, "new_password": {"a-new-password-9"},
			"confirm_password": {"a-new-password-9"}, "revoke_tokens": {"0"}}
		if w := e.do(req{method: "POST", path: "/account/password", body: v.Encode(), cookies: cookies}); w.Code != http.StatusSeeOther {
			t.Fatalf("change keeping tokens: %d", w.Code)
		}
		if w := e.do(req{method: "GET", path: "/api/v1/me", token: e.tokens[leoc.RoleOfficer]}); w.Code != http.StatusOK {
			t.Fatalf("kept token refused: %d", w.Code)
		}
		entries, _ := must.Get2(e.st.ListAudit(t.Context(), store.AuditFilter{Action: "user.password"}))(t)
		if len(entries) != 2 || !strings.Contains(entries[0].Details, `"tokens_kept":true`) || !strings.Contains(entries[1].Details, `"tokens_revoked":1`) {
			t.Fatalf("password audit: %+v", entries)
		}
	})
}
