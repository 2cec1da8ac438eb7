package store_test

import (
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"strings"
	"testing"

	"leoc/internal/leoc"
	"leoc/internal/store"
	"leoc/internal/store/storetest"
)

// roleURL is base with another user and a search path.
func roleURL(t *testing.T, base, role, schema string) string {
	t.Helper()
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	u.User = url.User(role)
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// With an owner role for migrations, the application's role can append to
// the audit trail but cannot change it, nor drop, disable or alter the
// triggers that keep it append-only.
func TestPostgresAppRoleCannotDisableAuditGuards(t *testing.T) {
	base := os.Getenv(storetest.PostgresURLEnv)
	if base == "" {
		t.Skip(storetest.PostgresURLEnv + " not set")
	}
	b := make([]byte, 5)
	rand.Read(b)
	suffix := hex.EncodeToString(b)
	owner, app, schema := "leoc_owner_"+suffix, "leoc_app_"+suffix, "leoc_roles_"+suffix
	super, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		for _, q := range []string{"DROP SCHEMA IF EXISTS " + schema + " CASCADE", "DROP OWNED BY " + app, "DROP ROLE IF EXISTS " + app,
			"DROP OWNED BY " + owner, "DROP ROLE IF EXISTS " + owner} {
			if _, err := super.Exec(q); err != nil {
				t.Errorf("%s: %v", q, err)
			}
		}
		super.Close()
	})
	for _, q := range []string{"CREATE ROLE " + owner + " LOGIN", "CREATE ROLE " + app + " LOGIN",
		"CREATE SCHEMA " + schema + " AUTHORIZATION " + owner} {
		if _, err := super.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	// The test database may let PUBLIC create in the public schema; the
	// point is what the app role can do in LEOC's schema.
	keys := storetest.AuditKeys(t)
	ownerStore, err := store.Open(ctx, roleURL(t, base, owner, schema))
	if err != nil {
		t.Fatal(err)
	}
	defer ownerStore.Close()
	ownerStore.SetAuditKeys(keys)
	if _, err := ownerStore.Migrate(ctx); err != nil {
		t.Fatalf("migrate as owner: %v", err)
	}
	appStore, err := store.Open(ctx, roleURL(t, base, app, schema))
	if err != nil {
		t.Fatal(err)
	}
	defer appStore.Close()
	appStore.SetAuditKeys(keys)
	if err := appStore.CheckSchema(ctx); err == nil {
		t.Fatal("the app role read the schema before it was granted anything")
	}
	role, err := appStore.CurrentRole(ctx)
	if err != nil || role != app {
		t.Fatalf("current role %q %v", role, err)
	}
	if err := ownerStore.GrantApp(ctx, owner); err == nil {
		t.Fatal("granting to the owner itself was accepted")
	}
	if err := ownerStore.GrantApp(ctx, role); err != nil {
		t.Fatalf("grant: %v", err)
	}
	if err := appStore.CheckSchema(ctx); err != nil {
		t.Fatalf("check schema as app: %v", err)
	}

	// What the application does every day still works.
	if err := appStore.Audit(ctx, admin, "test.event", "thing", "1", nil); err != nil {
		t.Fatalf("append as app: %v", err)
	}
	u := &leoc.User{Username: "ram", Role: leoc.RoleOfficer}
	if err := appStore.CreateUser(ctx, admin, u, "x"); err != nil {
		t.Fatalf("create user as app: %v", err)
	}
	if p, _, err := appStore.VerifyAudit(ctx); p != nil || err != nil {
		t.Fatalf("verify as app: %+v %v", p, err)
	}
	// What an attacker with the app's password would need is refused.
	for _, q := range []string{
		"UPDATE audit_log SET username = 'mallory'",
		"DELETE FROM audit_log",
		"TRUNCATE audit_log",
		"DROP TRIGGER audit_log_no_update ON audit_log",
		"ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update",
		"ALTER TABLE audit_log DISABLE TRIGGER ALL",
		"ALTER TABLE audit_log ADD COLUMN note TEXT",
		"DROP TABLE audit_log",
		"DROP FUNCTION audit_log_append_only() CASCADE",
		"CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END; $$",
		"INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'x', now())",
		"CREATE TABLE " + schema + ".intruder (id int)",
	} {
		err := appStore.WithTx(ctx, func(tx *store.Tx) error {
			_, err := tx.Exec(ctx, q)
			return err
		})
		if err == nil {
			t.Errorf("the app role could run: %s", q)
		} else if !strings.Contains(err.Error(), "permission denied") && !strings.Contains(err.Error(), "must be owner") &&
			!strings.Contains(err.Error(), "append-only") {
			t.Errorf("%s: unexpected error %v", q, err)
		}
	}
}
