package server

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"testing"

	"leoc/internal/auth"
	"leoc/internal/leoc"
	"leoc/internal/notify"
	"leoc/internal/store"
	"leoc/internal/store/storetest"
)

// TestAuthenticationCacheFollowsEveryChange: who a token or session is
// comes from a cache (auth_cache.go); every change of it must take effect
// on the very next request — on the server whose store wrote it, and on a
// second server on the same database through the change notice. A third
// server that hears no notice keeps answering from its cache, so the test
// would notice a missing notice (and that the cache is used at all).
func TestAuthenticationCacheFollowsEveryChange(t *testing.T) {
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) { testAuthCacheFollowsChanges(t, b) })
	}
}

// authProbe is what /api/v1/me says of a user, "401" when it refuses.
func authProbe(t *testing.T, e *testEnv, s *Server, r req) string {
	t.Helper()
	r.method, r.path = "GET", "/api/v1/me"
	e.s, s = s, e.s
	defer func() { e.s = s }()
	w := e.do(r)
	if w.Code != http.StatusOK {
		return fmt.Sprint(w.Code)
	}
	u := decodeBody(t, w)["user"].(map[string]any)
	return fmt.Sprintf("%v %v", u["role"], u["wards"])
}

func testAuthCacheFollowsChanges(t *testing.T, b storetest.Backend) {
	ctx := context.Background()
	dbURL := b.URL(t)
	shared := storetest.Backend{Name: b.Name, URL: func(testing.TB) string { return dbURL }}
	e := newEnv(t, shared)
	replica := func(bus notify.Bus) *Server { return e.replica(t, shared, bus) }
	this, other, deaf := e.s, replica(e.s.Bus()), replica(notify.NewLocal())
	hash, err := auth.HashPassword(testPassword)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, c := range []struct {
		name        string
		change      func(u *leoc.User, cookies []*http.Cookie, csrf string) error
		token, sess string // what /api/v1/me answers afterwards
	}{
		{"revoke the token", func(u *leoc.User, _ []*http.Cookie, _ string) error {
			toks, err := e.st.APITokens(ctx, u.ID)
			if err != nil {
				return err
			}
			return e.st.RevokeAPIToken(ctx, store.SystemActor, toks[0].ID)
		}, "401", "officer []"},
		{"log out", func(_ *leoc.User, cookies []*http.Cookie, csrf string) error {
			if w := e.do(req{method: "POST", path: "/logout", cookies: cookies, body: "csrf_token=" + csrf}); w.Code != http.StatusSeeOther {
				return fmt.Errorf("logout: %d", w.Code)
			}
			return nil
		}, "officer []", "401"},
		{"disable the user", func(u *leoc.User, _ []*http.Cookie, _ string) error {
			u.Disabled = true
			return e.st.UpdateUser(ctx, store.SystemActor, u)
		}, "401", "401"},
		{"change the role", func(u *leoc.User, _ []*http.Cookie, _ string) error {
			u.Role = leoc.RoleViewer
			return e.st.UpdateUser(ctx, store.SystemActor, u)
		}, "viewer []", "viewer []"},
		{"change the wards", func(u *leoc.User, _ []*http.Cookie, _ string) error {
			u.Wards = []int{4}
			return e.st.UpdateUser(ctx, store.SystemActor, u)
		}, "officer [4]", "officer [4]"},
		{"change the password", func(u *leoc.User, _ []*http.Cookie, _ string) error {
			return e.st.SetPassword(ctx, store.SystemActor, u.ID, hash, false)
		}, "officer []", "401"},
	} {
		t.Run(c.name, func(t *testing.T) {
			n++
			u := &leoc.User{Username: fmt.Sprintf("cached%d", n), Role: leoc.RoleOfficer}
			if err := e.st.CreateUser(ctx, store.SystemActor, u, hash); err != nil {
				t.Fatal(err)
			}
			tok := e.newToken(u)
			cookies, csrf := e.login(u.Username)
			servers := map[string]*Server{"this": this, "other": other, "deaf": deaf}
			for _, name := range []string{"this", "other", "deaf"} {
				for range 2 { // the second from the cache
					if got := authProbe(t, e, servers[name], req{token: tok}); got != "officer []" {
						t.Fatalf("%s server, token, before: %s", name, got)
					}
					if got := authProbe(t, e, servers[name], req{cookies: cookies}); got != "officer []" {
						t.Fatalf("%s server, session, before: %s", name, got)
					}
				}
			}
			hits, _ := deaf.authCache.Counts()
			if err := c.change(u, cookies, csrf); err != nil {
				t.Fatal(err)
			}
			for _, name := range []string{"this", "other"} {
				if got := authProbe(t, e, servers[name], req{token: tok}); got != c.token {
					t.Errorf("%s server, token: got %s, want %s", name, got, c.token)
				}
				if got := authProbe(t, e, servers[name], req{cookies: cookies}); got != c.sess {
					t.Errorf("%s server, session: got %s, want %s", name, got, c.sess)
				}
			}
			// The deaf server still answers from its cache (within
			// authCacheMaxAge): without the notice the others would too.
			before := []string{authProbe(t, e, deaf, req{token: tok}), authProbe(t, e, deaf, req{cookies: cookies})}
			if after, _ := deaf.authCache.Counts(); after < hits+2 || !slices.Equal(before, []string{"officer []", "officer []"}) {
				t.Errorf("the server without the notice answered %v (%d cache hits): the test would not notice a missing notice", before, after-hits)
			}
			deaf.authCache.Invalidate()
		})
	}
}
