package cli

import (
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"leoc/internal/config"
	"leoc/internal/must"
	"leoc/internal/store"
	"leoc/internal/store/storetest"
)

// openStore opens the instance's database the way every command does, audit
// keys included; closed when the test ends.
func (in *instance) openStore() *store.Store {
	in.t.Helper()
	cfg, err := config.LoadEnvironment(in.env, os.ReadFile)
	if err != nil {
		in.t.Fatal(err)
	}
	st, err := openStore(context.Background(), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), true)
	if err != nil {
		in.t.Fatal(err)
	}
	in.t.Cleanup(func() { st.Close() })
	return st
}

func TestAuditCommands(t *testing.T) {
	in := newInstance(t, "LEOC_LOG_FILE="+filepath.Join(t.TempDir(), "leoc.log"))
	if code, _, errOut := in.run("", "migrate"); code != 0 {
		t.Fatalf("migrate: %s", errOut)
	}
	for _, name := range []string{"ram", "sita"} {
		if code, _, errOut := in.run("Long-enough-pass-42\n", "user", "add", "--username", name, "--role", "officer", "--password-stdin"); code != 0 {
			t.Fatalf("user add: %s", errOut)
		}
	}
	code, pub, errOut := in.run("", "audit", "pubkey")
	if code != 0 || !strings.HasPrefix(pub, "ed25519:") || len(strings.TrimSpace(pub)) != len("ed25519:")+44 {
		t.Fatalf("pubkey: %d %q %s", code, pub, errOut)
	}
	code, cp, errOut := in.run("", "audit", "checkpoint")
	if code != 0 || strings.Count(cp, "\n") != 1 || !strings.HasPrefix(cp, "leoc-audit-checkpoint v1 ") {
		t.Fatalf("checkpoint: %d %q %s", code, cp, errOut)
	}
	logFile := in.envValue("LEOC_LOG_FILE")
	logged, err := os.ReadFile(logFile)
	if err != nil || !strings.Contains(string(logged), strings.TrimSpace(cp)) {
		t.Fatalf("the checkpoint is not in the log file: %v\n%s", err, logged)
	}
	saved := filepath.Join(t.TempDir(), "checkpoint.txt")
	if err := os.WriteFile(saved, []byte(cp), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, file := range []string{saved, logFile} {
		code, out, errOut := in.run("", "audit", "verify", "--checkpoint", file)
		if code != 0 || !strings.Contains(out, "audit trail intact") || !strings.Contains(out, "1 signed checkpoint(s) match") {
			t.Fatalf("verify with %s: %d %q %s", file, code, out, errOut)
		}
	}

	// Truncate back past the checkpoint and move the head: only the
	// checkpoint shows it, and verify exits 1 naming the first missing entry.
	st := in.openStore()
	var last int64
	must.OK(t, st.QueryRow(context.Background(), "SELECT MAX(id) FROM audit_log").Scan(&last))
	err = st.WithTx(context.Background(), func(tx *store.Tx) error {
		for _, q := range []string{"DROP TRIGGER audit_log_no_update", "DROP TRIGGER audit_log_no_delete",
			"DELETE FROM audit_log WHERE id >= ?",
			"UPDATE audit_head SET last_id = ?, last_hash = (SELECT hash FROM audit_log WHERE id = ?) WHERE id = 1"} {
			args := []any{}
			switch {
			case strings.HasPrefix(q, "DELETE"):
				args = []any{last - 1}
			case strings.HasPrefix(q, "UPDATE"):
				args = []any{last - 2, last - 2}
			}
			if _, err := tx.Exec(context.Background(), q, args...); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	if code, out, errOut := in.run("", "audit", "verify"); code != 0 {
		t.Fatalf("verify without checkpoint: %d %s %s", code, out, errOut)
	}
	code, _, errOut = in.run("", "audit", "verify", "--checkpoint", saved)
	if code != 1 || !strings.Contains(errOut, "BROKEN") || !strings.Contains(errOut, "entry "+strconv.FormatInt(last-1, 10)+": truncated") {
		t.Fatalf("verify of a truncated trail: %d %s", code, errOut)
	}
	if code, _, _ := in.run("", "audit", "verify", "--checkpoint", filepath.Join(t.TempDir(), "missing")); code != 1 {
		t.Fatalf("missing checkpoint file: exit %d", code)
	}
	if code, _, _ := in.run("", "audit", "frobnicate"); code != 2 {
		t.Fatalf("unknown audit subcommand: exit %d", code)
	}
}

func (in *instance) envValue(name string) string {
	for _, kv := range in.env {
		if v, ok := strings.CutPrefix(kv, name+"="); ok {
			return v
		}
	}
	return ""
}

func TestUserUnlock(t *testing.T) {
	in := newInstance(t)
	if code, _, errOut := in.run("", "migrate"); code != 0 {
		t.Fatalf("migrate: %s", errOut)
	}
	if code, _, errOut := in.run("Long-enough-pass-42\n", "user", "add", "--username", "ram", "--role", "officer", "--password-stdin"); code != 0 {
		t.Fatalf("user add: %s", errOut)
	}
	st := in.openStore()
	th := st.LoginThrottle(store.DefaultThrottlePolicy)
	ctx := context.Background()
	for range 8 {
		if _, err := th.Fail(ctx, "ram", "203.0.113.9"); err != nil {
			t.Fatal(err)
		}
	}
	if v := must.Get(th.Check(ctx, "ram", "203.0.113.9"))(t); v.RetryAfter == 0 {
		t.Fatal("not throttled before unlock")
	}
	code, out, errOut := in.run("", "user", "unlock", "--username", "RAM")
	if code != 0 || !strings.Contains(out, "sign-in throttle of ram cleared (2 counters)") {
		t.Fatalf("unlock: %d %q %s", code, out, errOut)
	}
	if v := must.Get(th.Check(ctx, "ram", "203.0.113.9"))(t); v != (store.ThrottleVerdict{}) {
		t.Fatalf("still throttled after unlock: %+v", v)
	}
	if code, _, _ := in.run("", "user", "unlock"); code != 2 {
		t.Fatalf("unlock without --username: exit %d", code)
	}
}

// With LEOC_MIGRATE_DATABASE_URL, leoc migrate (and every command's start)
// migrates as the owner and grants the app role row access only; the
// commands then work as the app role, which cannot switch the trail's
// guards off.
func TestMigrateAsOwnerRole(t *testing.T) {
	ownerURL, appURL := storetest.PostgresRoles(t)
	in := newInstance(t, "LEOC_DATABASE_URL="+appURL, "LEOC_MIGRATE_DATABASE_URL="+ownerURL)
	if code, out, errOut := in.run("", "migrate"); code != 0 || !strings.Contains(out, "schema version") {
		t.Fatalf("migrate: %d %s %s", code, out, errOut)
	}
	if code, _, errOut := in.run("Long-enough-pass-42\n", "user", "add", "--username", "ram", "--role", "officer", "--password-stdin"); code != 0 {
		t.Fatalf("user add as the app role: %s", errOut)
	}
	if code, out, errOut := in.run("", "audit", "verify"); code != 0 || !strings.Contains(out, "intact") {
		t.Fatalf("verify: %d %s %s", code, out, errOut)
	}
	st := in.openStore()
	err := st.WithTx(context.Background(), func(tx *store.Tx) error {
		_, err := tx.Exec(context.Background(), "ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update")
		return err
	})
	if err == nil || !strings.Contains(err.Error(), "must be owner") {
		t.Fatalf("the app role disabled the trigger: %v", err)
	}
	// On an up-to-date database the app role alone works too (a second
	// server configured without the owner URL).
	app := newInstance(t, "LEOC_DATABASE_URL="+appURL)
	if code, out, errOut := app.run("", "user", "list"); code != 0 || !strings.Contains(out, "ram") {
		t.Fatalf("app role alone: %d %s", code, errOut)
	}
}
