package store_test

import (
	"net/url"
	"strings"
	"testing"

	"leoc/internal/leoc"
	"leoc/internal/must"
	"leoc/internal/store"
	"leoc/internal/store/storetest"
)

// With an owner role for migrations, the application's role can append to
// the audit trail but cannot change it, nor drop, disable or alter the
// triggers that keep it append-only.
func TestPostgresAppRoleCannotDisableAuditGuards(t *testing.T) {
	ownerURL, appURL := storetest.PostgresRoles(t)
	parsed, err := url.Parse(appURL)
	if err != nil {
		t.Fatal(err)
	}
	schema := parsed.Query().Get("search_path")
	keys := storetest.AuditKeys(t)
	ownerStore, err := store.Open(ctx, ownerURL)
	if err != nil {
		t.Fatal(err)
	}
	defer ownerStore.Close()
	ownerStore.SetAuditKeys(keys)
	if _, err := ownerStore.Migrate(ctx); err != nil {
		t.Fatalf("migrate as owner: %v", err)
	}
	appStore, err := store.Open(ctx, appURL)
	if err != nil {
		t.Fatal(err)
	}
	defer appStore.Close()
	appStore.SetAuditKeys(keys)
	if err := appStore.CheckSchema(ctx); err == nil {
		t.Fatal("the app role read the schema before it was granted anything")
	}
	role, err := appStore.CurrentRole(ctx)
	if err != nil || !strings.HasPrefix(role, "leoc_app_") {
		t.Fatalf("current role %q %v", role, err)
	}
	ownerRole := must.Get(ownerStore.CurrentRole(ctx))(t)
	if err := ownerStore.GrantApp(ctx, ownerRole); err == nil {
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
