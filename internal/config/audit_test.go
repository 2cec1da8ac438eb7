package config

import (
	"bytes"
	"slices"
	"testing"
)

const goodKey = "3f9a1c7e5b2d8046a1e9c3b7d5f20864c1a7e3b9d5f1028e4c6a8b0d2f4e6a8c"

func TestAuditKey(t *testing.T) {
	c, err := Load(mapLookup(map[string]string{"LEOC_SECRET_KEY": goodKey}))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(c.AuditSecret(), c.SecretKey) {
		t.Fatal("without LEOC_AUDIT_KEY the audit secret is not the secret key")
	}
	other := "cf64dd60ff6fa9d6aad45077a7e17d5d3e81d0abe25afd2f7b10a9fb7380a16c"
	c, err = Load(mapLookup(map[string]string{"LEOC_SECRET_KEY": goodKey, "LEOC_AUDIT_KEY": other}))
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(c.AuditSecret(), c.SecretKey) || len(c.AuditSecret()) != 32 {
		t.Fatal("LEOC_AUDIT_KEY is not used")
	}
	for _, weak := range []string{"short", "my-audit-secret-key-for-the-trail-xxxxxxxx", "abababababababababababababababababababababab"} {
		_, err := Load(mapLookup(map[string]string{"LEOC_AUDIT_KEY": weak}))
		if got := problems(t, err); !slices.Equal(got, []string{"LEOC_AUDIT_KEY"}) {
			t.Errorf("LEOC_AUDIT_KEY=%q: problems %v", weak, got)
		}
	}
}

func TestMigrateDatabaseURL(t *testing.T) {
	pg := "postgres://leoc_app@db/leoc"
	c, err := Load(mapLookup(map[string]string{"LEOC_DATABASE_URL": pg, "LEOC_MIGRATE_DATABASE_URL": "postgres://leoc_owner@db/leoc"}))
	if err != nil || c.MigrateDatabaseURL != "postgres://leoc_owner@db/leoc" {
		t.Fatalf("%+v %v", c, err)
	}
	for name, env := range map[string]map[string]string{
		"sqlite owner":    {"LEOC_DATABASE_URL": pg, "LEOC_MIGRATE_DATABASE_URL": "sqlite:///tmp/x.db"},
		"sqlite database": {"LEOC_MIGRATE_DATABASE_URL": "postgres://leoc_owner@db/leoc"},
		"bad url":         {"LEOC_DATABASE_URL": pg, "LEOC_MIGRATE_DATABASE_URL": "postgres://a b@%zz/x"},
	} {
		_, err := Load(mapLookup(env))
		if got := problems(t, err); !slices.Equal(got, []string{"LEOC_MIGRATE_DATABASE_URL"}) {
			t.Errorf("%s: problems %v", name, got)
		}
	}
}
