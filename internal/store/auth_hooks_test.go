package store_test

import (
	"context"
	"testing"
	"time"

	"leoc/internal/leoc"
	"leoc/internal/store"
	"leoc/internal/store/storetest"
)

// TestAuthHooksFollowEveryAuthenticationWrite: the server's cache of who a
// token or session belongs to is forgotten through OnAuthChange, so every
// committed write that can change an answer must call it — and the
// activity stamps (last seen, last used) must not, or every busy session
// would empty the cache of every replica once a minute.
func TestAuthHooksFollowEveryAuthenticationWrite(t *testing.T) {
	storetest.Run(t, func(t *testing.T, s *store.Store) {
		var calls int
		s.OnAuthChange(func(context.Context) { calls++ })
		step := func(name string, want bool, f func() error) {
			t.Helper()
			before := calls
			if err := f(); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if got := calls > before; got != want {
				t.Errorf("%s: hook called %v, want %v", name, got, want)
			}
		}
		u := &leoc.User{Username: "sita", Role: leoc.RoleOfficer}
		step("create user", true, func() error { return s.CreateUser(ctx, admin, u, "$argon2id$fake") })
		now := s.Now()
		sess := &store.Session{IDHash: "s1", UserID: u.ID, CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(time.Hour)}
		step("create session", true, func() error { return s.CreateSession(ctx, sess) })
		step("touch session", false, func() error { return s.TouchSession(ctx, "s1", now.Add(time.Minute)) })
		tok := &store.APIToken{UserID: u.ID, Name: "script", Prefix: "leoc_x"}
		step("create token", true, func() error { return s.CreateAPIToken(ctx, admin, tok, "h1") })
		step("use token", false, func() error { _, _, err := s.TokenUser(ctx, "h1"); return err })
		step("record token use", false, func() error { return s.RecordTokenUse(ctx, tok.ID, now.Add(time.Hour)) })
		step("change role", true, func() error { u.Role = leoc.RoleViewer; return s.UpdateUser(ctx, admin, u) })
		step("change wards", true, func() error { u.Wards = []int{2}; return s.UpdateUser(ctx, admin, u) })
		step("disable", true, func() error { u.Disabled = true; return s.UpdateUser(ctx, admin, u) })
		step("language", true, func() error { return s.SetUserLang(ctx, u.ID, "en") })
		step("password", true, func() error { return s.SetPassword(ctx, admin, u.ID, "$argon2id$new", false) })
		step("revoke token", true, func() error { return s.RevokeAPIToken(ctx, admin, tok.ID) })
		step("log out", true, func() error { return s.DeleteSession(ctx, "s1") })
		step("sign-in recorded", true, func() error { return s.RecordLoginSuccess(ctx, admin, u.ID) })
		step("a record that is not about users", false, func() error {
			return s.WithTx(ctx, func(tx *store.Tx) error {
				_, err := tx.Exec(ctx, "SELECT COUNT(*) FROM users")
				return err
			})
		})
		// A refused write commits nothing and tells nobody.
		step("rolled back", false, func() error {
			err := s.WithTx(ctx, func(tx *store.Tx) error {
				if _, err := tx.Exec(ctx, "UPDATE users SET lang = 'ne' WHERE id = ?", u.ID); err != nil {
					return err
				}
				return leoc.Errorf(leoc.EConflict, "user.last_admin")
			})
			if leoc.ErrorCode(err) != leoc.EConflict {
				return err
			}
			return nil
		})
	})
}
