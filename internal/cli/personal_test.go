package cli

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"leoc/internal/store"
)

// TestSeeAllPersonalFlag: `user add --see-all-personal` and
// `user grant-personal` / `revoke-personal` set the grant, audited.
func TestSeeAllPersonalFlag(t *testing.T) {
	in := newInstance(t)
	if code, _, errOut := in.run("", "migrate"); code != 0 {
		t.Fatalf("migrate: %s", errOut)
	}
	if code, out, errs := in.run("a-long-password-1\n", "user", "add", "--username", "partner", "--role", "viewer", "--see-all-personal", "--password-stdin"); code != 0 {
		t.Fatalf("user add: %d %s %s", code, out, errs)
	}
	if code, out, errs := in.run("a-long-password-1\n", "user", "add", "--username", "mayor", "--role", "viewer", "--password-stdin"); code != 0 {
		t.Fatalf("user add: %d %s %s", code, out, errs)
	}
	if code, out, _ := in.run("", "user", "grant-personal", "--username", "mayor"); code != 0 || !strings.Contains(out, "every ward") {
		t.Fatalf("grant: %d %s", code, out)
	}
	if code, _, _ := in.run("", "user", "revoke-personal", "--username", "partner"); code != 0 {
		t.Fatalf("revoke: %d", code)
	}
	if code, _, errs := in.run("", "user", "grant-personal", "--username", "nobody"); code == 0 {
		t.Fatalf("grant to an unknown user: %s", errs)
	}
	ctx := context.Background()
	st, err := store.Open(ctx, "sqlite://"+filepath.Join(in.dir, "data", "leoc.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	for name, want := range map[string]bool{"partner": false, "mayor": true} {
		u, err := st.UserByUsername(ctx, name)
		if err != nil {
			t.Fatal(err)
		}
		if u.SeeAllPersonal != want {
			t.Errorf("%s: see_all_personal %v, want %v", name, u.SeeAllPersonal, want)
		}
	}
	entries, _, err := st.ListAudit(ctx, store.AuditFilter{Action: "user.update"})
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 2 || !strings.Contains(entries[0].Details+entries[1].Details, `"see_all_personal":{"before":false,"after":true}`) {
		t.Fatalf("audit: %+v", entries)
	}
}
