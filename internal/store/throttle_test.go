package store_test

import (
	"sync"
	"testing"
	"time"

	"leoc/internal/leoc"
	"leoc/internal/must"
	"leoc/internal/store"
	"leoc/internal/store/storetest"
)

func TestLoginThrottle(t *testing.T) {
	storetest.Run(t, func(t *testing.T, s *store.Store) {
		now := time.Date(2026, 1, 29, 10, 0, 0, 0, time.UTC)
		s.SetClock(func() time.Time { return now })
		p := store.ThrottlePolicy{FreeFailures: 2, BaseDelay: time.Second, MaxDelay: 8 * time.Second,
			AccountFree: 4, AccountStep: 100 * time.Millisecond, AccountMaxSlow: 300 * time.Millisecond, Forget: time.Hour}
		th := s.LoginThrottle(p)
		fail := func(user, addr string) store.ThrottleVerdict {
			t.Helper()
			v, err := th.Fail(ctx, user, addr)
			if err != nil {
				t.Fatal(err)
			}
			return v
		}
		check := func(user, addr string) store.ThrottleVerdict {
			t.Helper()
			v, err := th.Check(ctx, user, addr)
			if err != nil {
				t.Fatal(err)
			}
			return v
		}
		// Growing delays for one address: 2 free, then 1 s, 2 s, 4 s, 8 s, 8 s.
		for i, want := range []time.Duration{0, 0, time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second, 8 * time.Second} {
			if v := fail("Hari", "192.0.2.1"); v.RetryAfter != want {
				t.Fatalf("failure %d: retry after %v, want %v", i+1, v.RetryAfter, want)
			}
		}
		if v := check("hari", "192.0.2.1"); v.RetryAfter != 8*time.Second {
			t.Fatalf("check after failures: %+v", v)
		}
		// Another address is never blocked, only slowed by the account-wide
		// count (7 failures, 4 free: 3 × 100 ms = 300 ms, the ceiling).
		if v := check("hari", "198.51.100.2"); v.RetryAfter != 0 || v.Slow != 300*time.Millisecond {
			t.Fatalf("other address: %+v", v)
		}
		// A success from the other address clears its counter and the
		// account's; the guessing address stays blocked.
		if err := th.Succeed(ctx, "hari", "198.51.100.2"); err != nil {
			t.Fatal(err)
		}
		if v := check("hari", "198.51.100.2"); v != (store.ThrottleVerdict{}) {
			t.Fatalf("after success: %+v", v)
		}
		if v := check("hari", "192.0.2.1"); v.RetryAfter == 0 {
			t.Fatal("the guessing address was unblocked by someone else's success")
		}
		// Counters are forgotten an hour after the last failure.
		now = now.Add(time.Hour)
		if v := fail("hari", "192.0.2.1"); v.RetryAfter != 0 {
			t.Fatalf("old failures were not forgotten: %+v", v)
		}
		// An unknown name is throttled exactly like a real one.
		for range 3 {
			fail("nobody", "192.0.2.1")
		}
		if v := check("nobody", "192.0.2.1"); v.RetryAfter != time.Second {
			t.Fatalf("unknown name: %+v", v)
		}
		// leoc user unlock clears every address and is audited.
		newUser(t, s, "hari", leoc.RoleOfficer)
		for range 5 {
			fail("hari", "203.0.113.5")
		}
		n, err := s.UnlockLogin(ctx, admin, "HARI")
		if err != nil || n != 3 {
			t.Fatalf("unlock cleared %d counters, %v; want 3 (two addresses and the account)", n, err)
		}
		if v := check("hari", "203.0.113.5"); v != (store.ThrottleVerdict{}) {
			t.Fatalf("after unlock: %+v", v)
		}
		entries, _ := must.Get2(s.ListAudit(ctx, store.AuditFilter{Action: "user.unlock"}))(t)
		if len(entries) != 1 || entries[0].EntityID == "" {
			t.Fatalf("unlock audit: %+v", entries)
		}
		// The sweeper removes old counters.
		now = now.Add(2 * time.Hour)
		if n, err := s.SweepLoginThrottle(ctx, now.Add(-time.Hour)); err != nil || n == 0 {
			t.Fatalf("sweep: %d %v", n, err)
		}
	})
}

func TestSetPasswordRevokesTokens(t *testing.T) {
	storetest.Run(t, func(t *testing.T, s *store.Store) {
		u := newUser(t, s, "gita", leoc.RoleViewer)
		for _, name := range []string{"a", "b"} {
			if err := s.CreateAPIToken(ctx, admin, &store.APIToken{UserID: u.ID, Name: name, Prefix: name}, "hash-"+name); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.SetPassword(ctx, admin, u.ID, "$argon2id$kept", false); err != nil {
			t.Fatal(err)
		}
		active := func() int {
			toks, err := s.APITokens(ctx, u.ID)
			if err != nil {
				t.Fatal(err)
			}
			n := 0
			for _, tk := range toks {
				if tk.RevokedAt.IsZero() {
					n++
				}
			}
			return n
		}
		if n := active(); n != 2 {
			t.Fatalf("tokens kept on request: %d active", n)
		}
		if err := s.SetPassword(ctx, admin, u.ID, "$argon2id$new", true); err != nil {
			t.Fatal(err)
		}
		if n := active(); n != 0 {
			t.Fatalf("%d tokens still active after a password change", n)
		}
		entries, _ := must.Get2(s.ListAudit(ctx, store.AuditFilter{Action: "user.password"}))(t)
		if len(entries) != 2 || entries[0].Details != `{"tokens_kept":false,"tokens_revoked":2}` {
			t.Fatalf("password audit: %+v", entries)
		}
	})
}

// Parallel failures are all counted (the upsert increments in place).
func TestLoginThrottleCountsParallelFailures(t *testing.T) {
	storetest.Run(t, func(t *testing.T, s *store.Store) {
		th := s.LoginThrottle(store.DefaultThrottlePolicy)
		var wg sync.WaitGroup
		for range 20 {
			wg.Go(func() {
				if _, err := th.Fail(ctx, "hari", "192.0.2.1"); err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
		var n int
		if err := s.QueryRow(ctx, "SELECT failures FROM login_throttle WHERE username = 'hari' AND client = ''").Scan(&n); err != nil || n != 20 {
			t.Fatalf("%d failures counted, %v; want 20", n, err)
		}
	})
}
