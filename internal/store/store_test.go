package store_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"leoc/internal/leoc"
	"leoc/internal/must"
	"leoc/internal/store"
	"leoc/internal/store/storetest"
)

var ctx = context.Background()

var admin = store.Actor{UserID: 1, Username: "admin", IP: "127.0.0.1"}

func code(err error) string { return leoc.ErrorCode(err) }

func TestMigrateIsIdempotentAndRefusesNewerSchema(t *testing.T) {
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			url := b.URL(t)
			s, err := store.Open(ctx, url)
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			s.SetAuditKeys(storetest.AuditKeys(t))
			applied, err := s.Migrate(ctx)
			if err != nil || len(applied) == 0 {
				t.Fatalf("first migrate: %v %v", applied, err)
			}
			again, err := s.Migrate(ctx)
			if err != nil || len(again) != 0 {
				t.Fatalf("second migrate applied %v, %v; want nothing", again, err)
			}
			wards := must.Get(s.Wards(ctx))(t)
			if len(wards) != 9 {
				t.Fatalf("seeded %d wards, want 9 (and not twice)", len(wards))
			}
			ms := must.Get(store.Migrations(s.Dialect()))(t)
			err = s.WithTx(ctx, func(tx *store.Tx) error {
				_, err := tx.Exec(ctx, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)", len(ms)+1, "future", time.Now().UTC())
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			_, err = s.Migrate(ctx)
			var tooNew *store.ErrSchemaTooNew
			if !errorsAs(err, &tooNew) || tooNew.Database != len(ms)+1 {
				t.Fatalf("migrate on newer schema: %v; want ErrSchemaTooNew", err)
			}
		})
	}
}

// TestMigrationsRenderAsWrittenBefore: migrations 1–13 were written once per
// dialect until they became one source each. Rendered, each must be the SQL
// it was then (full-line comments aside), under the same name, so a database
// migrated back then has the schema a new one gets and upgrades without
// re-running anything. The hashes are of the old files, comment lines and
// blank lines removed.
func TestMigrationsRenderAsWrittenBefore(t *testing.T) {
	before := []struct{ name, sqlite, postgres string }{
		{"0001_foundation", "2b051a95aa54654c", "cfce799aa34de3a6"},
		{"0002_calendar", "29515d2bba50c01c", "c1322289572760bd"},
		{"0003_event_logs", "eff019939b27c69c", "6de433d51b9e9d1d"},
		{"0004_incidents", "f84ba5b4b4fb4b21", "f076d59606d9252a"},
		{"0005_situation_reports", "f7e5b750c9048d45", "808793c93bf02154"},
		{"0006_advisories", "7f81ef69d7c58773", "c10bbe8ed39d6232"},
		{"0007_distributions", "5d383d2328228c02", "88b49c4dc2b8517f"},
		{"0008_beneficiaries_files", "596fec2c110dbff7", "94d50d020c33c469"},
		{"0009_household_keys", "fa2a5e931f483106", "b40b97f37bfcc174"},
		{"0010_login_throttle", "7aeb29755452f4a2", "fddfc0ea2389f687"},
		{"0011_personal_data_publish", "e433c8fc18bcd763", "e433c8fc18bcd763"},
		{"0012_received_by", "06801157c80c8c0f", "06801157c80c8c0f"},
		{"0013_bulletin", "d1f95a3fd68a2e2b", "ec16699f0dc8f437"},
	}
	for _, d := range []store.Dialect{store.SQLite, store.Postgres} {
		ms, err := store.Migrations(d)
		if err != nil {
			t.Fatal(err)
		}
		if len(ms) < len(before) {
			t.Fatalf("%s: %d migrations; want at least %d", d, len(ms), len(before))
		}
		for i, b := range before {
			want := b.sqlite
			if d == store.Postgres {
				want = b.postgres
			}
			if ms[i].Version != i+1 || ms[i].Name != b.name {
				t.Errorf("%s: migration %d is %d %s; want %s", d, i+1, ms[i].Version, ms[i].Name, b.name)
			}
			if got := statementsHash(ms[i].SQL); got != want {
				t.Errorf("%s: %s renders to other SQL than before (hash %s, want %s)", d, b.name, got, want)
			}
		}
	}
}

// statementsHash hashes SQL without its blank and full-line comment lines.
func statementsHash(sql string) string {
	var keep []string
	for _, l := range strings.Split(sql, "\n") {
		if t := strings.TrimSpace(l); t != "" && !strings.HasPrefix(t, "--") {
			keep = append(keep, l)
		}
	}
	sum := sha256.Sum256([]byte(strings.Join(keep, "\n")))
	return hex.EncodeToString(sum[:])[:16]
}

func TestParseURL(t *testing.T) {
	for _, c := range []struct {
		in      string
		dialect store.Dialect
		dsn     string
		bad     bool
	}{
		{in: "sqlite:///var/lib/leoc/leoc.db", dialect: store.SQLite, dsn: "/var/lib/leoc/leoc.db"},
		{in: "sqlite://leoc-data/leoc.db", dialect: store.SQLite, dsn: "leoc-data/leoc.db"},
		{in: "./leoc.db", dialect: store.SQLite, dsn: "./leoc.db"},
		{in: "postgres://u:p@h/db", dialect: store.Postgres, dsn: "postgres://u:p@h/db"},
		{in: "postgresql://h/db", dialect: store.Postgres, dsn: "postgresql://h/db"},
		{in: "mysql://h/db", bad: true},
		{in: "", bad: true},
	} {
		d, dsn, err := store.ParseURL(c.in)
		if c.bad {
			if err == nil {
				t.Errorf("ParseURL(%q) accepted", c.in)
			}
			continue
		}
		if err != nil || d != c.dialect || dsn != c.dsn {
			t.Errorf("ParseURL(%q) = %v %q %v", c.in, d, dsn, err)
		}
	}
}

func newUser(t *testing.T, s *store.Store, name string, role leoc.Role, wards ...int) *leoc.User {
	t.Helper()
	u := &leoc.User{Username: name, Role: role, Wards: wards}
	if err := s.CreateUser(ctx, admin, u, "$argon2id$fake"); err != nil {
		t.Fatalf("create user %s: %v", name, err)
	}
	return u
}

func TestUsers(t *testing.T) {
	storetest.Run(t, func(t *testing.T, s *store.Store) {
		u := newUser(t, s, "Ram.Officer", leoc.RoleOfficer, 3, 1, 3)
		if u.Username != "ram.officer" {
			t.Errorf("username not normalised: %q", u.Username)
		}
		got, err := s.UserByUsername(ctx, "RAM.officer")
		if err != nil {
			t.Fatal(err)
		}
		if got.Role != leoc.RoleOfficer || fmt.Sprint(got.Wards) != "[1 3]" || got.CreatedAt.IsZero() {
			t.Errorf("loaded %+v", got)
		}
		// Duplicate, bad role, unknown ward: refused with the right code.
		err = s.CreateUser(ctx, admin, &leoc.User{Username: "ram.officer", Role: leoc.RoleViewer}, "x")
		if code(err) != leoc.EConflict {
			t.Errorf("duplicate username: %v", err)
		}
		err = s.CreateUser(ctx, admin, &leoc.User{Username: "sita", Role: "boss"}, "x")
		if e, ok := leoc.AsError(err); !ok || e.Code != leoc.EInvalid || e.Fields["role"].Key == "" {
			t.Errorf("bad role: %v", err)
		}
		err = s.CreateUser(ctx, admin, &leoc.User{Username: "sita", Role: leoc.RoleViewer, Wards: []int{42}}, "x")
		if e, ok := leoc.AsError(err); !ok || e.Fields["wards"].Key != "ward.unknown" {
			t.Errorf("unknown ward: %v", err)
		}
		if n := must.Get(s.CountUsers(ctx))(t); n != 1 {
			t.Errorf("%d users after refused creates, want 1", n)
		}

		got.Role = leoc.RoleFinance
		got.Wards = nil
		if err := s.UpdateUser(ctx, admin, got); err != nil {
			t.Fatal(err)
		}
		got2 := must.Get(s.User(ctx, got.ID))(t)
		if got2.Role != leoc.RoleFinance || len(got2.Wards) != 0 {
			t.Errorf("update not saved: %+v", got2)
		}
		entries, _ := must.Get2(s.ListAudit(ctx, store.AuditFilter{Action: "user.update"}))(t)
		if len(entries) != 1 || !strings.Contains(entries[0].Details, `"role":{"before":"officer","after":"finance"}`) {
			t.Errorf("audit of update: %+v", entries)
		}
	})
}

func TestLastAdminCannotBeRemoved(t *testing.T) {
	storetest.Run(t, func(t *testing.T, s *store.Store) {
		a := newUser(t, s, "admin", leoc.RoleAdmin)
		a.Disabled = true
		if err := s.UpdateUser(ctx, admin, a); code(err) != leoc.EConflict {
			t.Fatalf("disabling the last admin: %v", err)
		}
		a.Disabled = false
		a.Role = leoc.RoleViewer
		if err := s.UpdateUser(ctx, admin, a); code(err) != leoc.EConflict {
			t.Fatalf("demoting the last admin: %v", err)
		}
		newUser(t, s, "admin2", leoc.RoleAdmin)
		if err := s.UpdateUser(ctx, admin, a); err != nil {
			t.Fatalf("demoting with another admin: %v", err)
		}
	})
}

func TestSessionsAndTokens(t *testing.T) {
	storetest.Run(t, func(t *testing.T, s *store.Store) {
		u := newUser(t, s, "gita", leoc.RoleViewer)
		now := s.Now()
		sess := &store.Session{IDHash: "abc", UserID: u.ID, CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(time.Hour), IP: "10.0.0.1"}
		if err := s.CreateSession(ctx, sess); err != nil {
			t.Fatal(err)
		}
		got, gu, err := s.SessionUser(ctx, "abc")
		if err != nil || gu.ID != u.ID || !got.ExpiresAt.Equal(sess.ExpiresAt) {
			t.Fatalf("session: %+v %+v %v", got, gu, err)
		}
		if _, _, err := s.SessionUser(ctx, "nope"); code(err) != leoc.ENotFound {
			t.Fatalf("missing session: %v", err)
		}
		if err := s.SetPassword(ctx, admin, u.ID, "$argon2id$new", true); err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.SessionUser(ctx, "abc"); code(err) != leoc.ENotFound {
			t.Fatalf("password change kept the session: %v", err)
		}

		tok := &store.APIToken{UserID: u.ID, Name: "script", Prefix: "leoc_abcd"}
		if err := s.CreateAPIToken(ctx, admin, tok, "hash1"); err != nil {
			t.Fatal(err)
		}
		tu, id, err := s.TokenUser(ctx, "hash1")
		if err != nil || tu.ID != u.ID || id != tok.ID {
			t.Fatalf("token user: %v %v %v", tu, id, err)
		}
		if toks := must.Get(s.APITokens(ctx, u.ID))(t); len(toks) != 1 || toks[0].LastUsedAt.IsZero() {
			t.Fatalf("token use not recorded: %+v", toks)
		}
		if err := s.RevokeAPIToken(ctx, admin, tok.ID); err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.TokenUser(ctx, "hash1"); code(err) != leoc.ENotFound {
			t.Fatalf("revoked token still works: %v", err)
		}
		if err := s.RevokeAPIToken(ctx, admin, tok.ID); code(err) != leoc.ENotFound {
			t.Fatalf("revoking twice: %v", err)
		}
		toks := must.Get(s.APITokens(ctx, u.ID))(t)
		if len(toks) != 1 || toks[0].RevokedAt.IsZero() {
			t.Fatalf("tokens: %+v", toks)
		}

		// Expiry sweep: idle and absolute.
		old := now.Add(-3 * time.Hour)
		must.OK(t, s.CreateSession(ctx, &store.Session{IDHash: "idle", UserID: u.ID, CreatedAt: old, LastSeenAt: old, ExpiresAt: now.Add(time.Hour)}))
		must.OK(t, s.CreateSession(ctx, &store.Session{IDHash: "fresh", UserID: u.ID, CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(time.Hour)}))
		n, err := s.DeleteExpiredSessions(ctx, now, 2*time.Hour)
		if err != nil || n != 1 {
			t.Fatalf("expired sweep removed %d, %v", n, err)
		}
	})
}

func TestAuditChainDetectsTampering(t *testing.T) {
	storetest.Run(t, func(t *testing.T, s *store.Store) {
		for i := range 5 {
			if err := s.Audit(ctx, admin, "test.event", "thing", fmt.Sprint(i), map[string]any{"n": i}); err != nil {
				t.Fatal(err)
			}
		}
		if p, rep, err := s.VerifyAudit(ctx); err != nil || p != nil || rep.Entries < 5 {
			t.Fatalf("intact chain: %v %+v %v", p, rep, err)
		}
		// The table refuses edits; an attacker with database access drops the
		// guard first, which the verification must still catch.
		if err := s.WithTx(ctx, func(tx *store.Tx) error {
			_, err := tx.Exec(ctx, "UPDATE audit_log SET username = 'mallory' WHERE entity_id = '2'")
			return err
		}); err == nil {
			t.Fatal("audit_log accepted an UPDATE")
		}
		dropGuards(t, s)
		var target int64
		must.OK(t, s.QueryRow(ctx, "SELECT id FROM audit_log WHERE entity_id = '2'").Scan(&target))
		exec(t, s, "UPDATE audit_log SET details = '{\"n\":99}' WHERE id = ?", target)
		p, _, err := s.VerifyAudit(ctx)
		if err != nil || p == nil || p.EntryID != target || p.Reason != "altered" {
			t.Fatalf("altered entry: %+v %v (want id %d)", p, err, target)
		}
	})
}

func TestAuditChainDetectsRemovalAndReorder(t *testing.T) {
	storetest.Run(t, func(t *testing.T, s *store.Store) {
		for i := range 6 {
			must.OK(t, s.Audit(ctx, admin, "test.event", "thing", fmt.Sprint(i), nil))
		}
		dropGuards(t, s)
		var first int64
		must.OK(t, s.QueryRow(ctx, "SELECT MIN(id) FROM audit_log WHERE action = 'test.event'").Scan(&first))

		// Swap the content of two entries (hashes included): a reorder.
		exec(t, s, `UPDATE audit_log SET id = -1 WHERE id = ?`, first+1)
		exec(t, s, `UPDATE audit_log SET id = ? WHERE id = ?`, first+1, first+2)
		exec(t, s, `UPDATE audit_log SET id = ? WHERE id = -1`, first+2)
		p, _ := must.Get2(s.VerifyAudit(ctx))(t)
		if p == nil || p.EntryID != first+1 {
			t.Fatalf("reorder not found at %d: %+v", first+1, p)
		}
		// Put it back, then delete one in the middle.
		exec(t, s, `UPDATE audit_log SET id = -1 WHERE id = ?`, first+1)
		exec(t, s, `UPDATE audit_log SET id = ? WHERE id = ?`, first+1, first+2)
		exec(t, s, `UPDATE audit_log SET id = ? WHERE id = -1`, first+2)
		if p, _ := must.Get2(s.VerifyAudit(ctx))(t); p != nil {
			t.Fatalf("restored chain reported %+v", p)
		}
		exec(t, s, `DELETE FROM audit_log WHERE id = ?`, first+3)
		p, _ = must.Get2(s.VerifyAudit(ctx))(t)
		if p == nil || p.EntryID != first+3 || p.Reason != "removed" {
			t.Fatalf("removal: %+v", p)
		}
	})
}

func TestAuditChainDetectsRemovedTail(t *testing.T) {
	storetest.Run(t, func(t *testing.T, s *store.Store) {
		for i := range 3 {
			must.OK(t, s.Audit(ctx, admin, "test.event", "thing", fmt.Sprint(i), nil))
		}
		dropGuards(t, s)
		exec(t, s, `DELETE FROM audit_log WHERE id = (SELECT MAX(id) FROM audit_log)`)
		p, _ := must.Get2(s.VerifyAudit(ctx))(t)
		if p == nil || p.Reason != "tail_removed" {
			t.Fatalf("tail removal: %+v", p)
		}
	})
}

func TestAuditChainUnderConcurrency(t *testing.T) {
	storetest.Run(t, func(t *testing.T, s *store.Store) {
		var wg sync.WaitGroup
		for i := range 40 {
			wg.Go(func() {
				if err := s.Audit(ctx, admin, "test.concurrent", "thing", fmt.Sprint(i), nil); err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
		if p, _, err := s.VerifyAudit(ctx); p != nil || err != nil {
			t.Fatalf("concurrent writers broke the chain: %+v %v", p, err)
		}
		_, total := must.Get2(s.ListAudit(ctx, store.AuditFilter{Action: "test.concurrent"}))(t)
		if total != 40 {
			t.Fatalf("%d entries, want 40", total)
		}
	})
}

func TestAuditFilters(t *testing.T) {
	storetest.Run(t, func(t *testing.T, s *store.Store) {
		must.OK(t, s.Audit(ctx, store.Actor{Username: "ram"}, "login.success", "user", "2", nil))
		must.OK(t, s.Audit(ctx, store.Actor{Username: "ram"}, "login.failure", "user", "2", nil))
		must.OK(t, s.Audit(ctx, store.Actor{Username: "sita"}, "login_x%", "user", "3", nil))
		_, n := must.Get2(s.ListAudit(ctx, store.AuditFilter{Action: "login"}))(t)
		if n != 3 {
			t.Errorf("prefix login: %d", n)
		}
		_, n = must.Get2(s.ListAudit(ctx, store.AuditFilter{Action: "login_"}))(t)
		if n != 1 {
			t.Errorf("LIKE wildcard not escaped: %d", n)
		}
		_, n = must.Get2(s.ListAudit(ctx, store.AuditFilter{Username: "ram"}))(t)
		if n != 2 {
			t.Errorf("username: %d", n)
		}
		page, n := must.Get2(s.ListAudit(ctx, store.AuditFilter{PerPage: 1000, From: time.Now().Add(-time.Hour), To: time.Now().Add(time.Hour)}))(t)
		if n < 3 || len(page) != n || len(page) > store.MaxPerPage {
			t.Errorf("range: %d %d", n, len(page))
		}
	})
}

func dropGuards(t *testing.T, s *store.Store) {
	t.Helper()
	if s.Dialect() == store.Postgres {
		exec(t, s, "DROP TRIGGER audit_log_no_update ON audit_log")
		return
	}
	exec(t, s, "DROP TRIGGER audit_log_no_update")
	exec(t, s, "DROP TRIGGER audit_log_no_delete")
}

func exec(t *testing.T, s *store.Store, q string, args ...any) {
	t.Helper()
	if err := s.WithTx(ctx, func(tx *store.Tx) error {
		_, err := tx.Exec(ctx, q, args...)
		return err
	}); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

// TestAppliedVersionWritesNothing: an empty database reports version 0 and
// stays empty; a migrated one reports the latest version.
func TestAppliedVersionWritesNothing(t *testing.T) {
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			s, err := store.Open(ctx, b.URL(t))
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			s.SetAuditKeys(storetest.AuditKeys(t))
			if v, err := s.AppliedVersion(ctx); err != nil || v != 0 {
				t.Fatalf("empty database: version %d, %v", v, err)
			}
			if v, err := s.AppliedVersion(ctx); err != nil || v != 0 {
				t.Fatalf("empty database, asked again: version %d, %v", v, err)
			}
			applied, err := s.Migrate(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if v, err := s.AppliedVersion(ctx); err != nil || v != applied[len(applied)-1] {
				t.Fatalf("migrated database: version %d, %v; want %d", v, err, applied[len(applied)-1])
			}
		})
	}
}
