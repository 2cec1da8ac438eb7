// Package storetest gives tests a fresh, migrated database of each back end:
// SQLite always, PostgreSQL when LEOC_TEST_POSTGRES_URL is set (each test in
// a schema of its own, dropped afterwards).
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"leoc/internal/store"
)

// PostgresURLEnv names the variable CI sets to run the suite on PostgreSQL.
const PostgresURLEnv = "LEOC_TEST_POSTGRES_URL"

// Backend is one database a test can run on.
type Backend struct {
	Name string
	// URL returns the database URL of a fresh, empty database for t.
	URL func(t testing.TB) string
	// migratedURL, when set, returns the URL of a fresh database that is
	// already migrated; Open still runs Migrate on it, which finds nothing
	// left to apply.
	migratedURL func(t testing.TB) string
}

// Backends lists SQLite and, when configured, PostgreSQL.
func Backends() []Backend {
	bs := []Backend{{Name: "sqlite", URL: SQLiteURL, migratedURL: migratedSQLiteURL}}
	if os.Getenv(PostgresURLEnv) != "" {
		bs = append(bs, Backend{Name: "postgres", URL: PostgresURL})
	}
	return bs
}

// SQLiteURL returns the URL of a new SQLite file in t's temporary directory.
func SQLiteURL(t testing.TB) string {
	return "sqlite://" + filepath.Join(t.TempDir(), "leoc.db")
}

// sqliteTemplate is the file of a freshly migrated SQLite database, made
// once per test process. Migrating costs about a second under the race
// detector (SQLite is Go translated from C, and every memory access is
// checked); copying the file costs under a millisecond, and the suites open
// hundreds of databases.
var sqliteTemplate struct {
	once  sync.Once
	bytes []byte
	err   error
}

// migratedSQLiteURL returns the URL of a copy, in t's temporary directory,
// of a migrated SQLite database: the same file Open would have made.
func migratedSQLiteURL(t testing.TB) string {
	sqliteTemplate.once.Do(func() { sqliteTemplate.bytes, sqliteTemplate.err = migratedSQLiteFile() })
	if sqliteTemplate.err != nil {
		t.Fatalf("migrate the SQLite template: %v", sqliteTemplate.err)
	}
	path := filepath.Join(t.TempDir(), "leoc.db")
	if err := os.WriteFile(path, sqliteTemplate.bytes, 0o600); err != nil {
		t.Fatal(err)
	}
	return "sqlite://" + path
}

// migratedSQLiteFile migrates a new SQLite database in a directory of its
// own and returns the file's bytes. Closing the store checkpoints the
// write-ahead log into the file and removes it, so the one file is the
// whole database.
func migratedSQLiteFile() ([]byte, error) {
	dir, err := os.MkdirTemp("", "leoc-storetest-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "leoc.db")
	ctx := context.Background()
	s, err := store.Open(ctx, "sqlite://"+path)
	if err != nil {
		return nil, err
	}
	k, err := auditKeys()
	if err != nil {
		s.Close()
		return nil, err
	}
	s.SetAuditKeys(k)
	if _, err := s.Migrate(ctx); err != nil {
		s.Close()
		return nil, err
	}
	if err := s.Close(); err != nil {
		return nil, err
	}
	if _, err := os.Stat(path + "-wal"); err == nil {
		return nil, fmt.Errorf("%s-wal is still there after Close", path)
	}
	return os.ReadFile(path)
}

// PostgresURL creates a schema for t and returns a URL whose connections use
// it; the schema is dropped when t ends.
func PostgresURL(t testing.TB) string {
	base := os.Getenv(PostgresURLEnv)
	if base == "" {
		t.Skip(PostgresURLEnv + " not set")
	}
	b := make([]byte, 6)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	schema := "leoc_test_" + hex.EncodeToString(b)
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		db, err := sql.Open("pgx", base)
		if err != nil {
			t.Error(err)
			return
		}
		defer db.Close()
		if _, err := db.Exec("DROP SCHEMA " + schema + " CASCADE"); err != nil {
			t.Errorf("drop schema: %v", err)
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// AuditKeys are the audit keys of every test store: derived from a fixed
// test secret, never from a real one.
func AuditKeys(t testing.TB) *store.AuditKeys {
	k, err := auditKeys()
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func auditKeys() (*store.AuditKeys, error) {
	return store.DeriveAuditKeys([]byte("leoc storetest audit secret, 32+ bytes long"))
}

// Open returns a migrated store on a fresh database of backend b.
func Open(t testing.TB, b Backend) *store.Store {
	t.Helper()
	ctx := context.Background()
	u := b.URL
	if b.migratedURL != nil {
		u = b.migratedURL
	}
	s, err := store.Open(ctx, u(t))
	if err != nil {
		t.Fatalf("open %s: %v", b.Name, err)
	}
	s.SetAuditKeys(AuditKeys(t))
	t.Cleanup(func() { s.Close() })
	if _, err := s.Migrate(ctx); err != nil {
		t.Fatalf("migrate %s: %v", b.Name, err)
	}
	return s
}

// Run runs f once per backend as a subtest with a fresh store.
func Run(t *testing.T, f func(t *testing.T, s *store.Store)) {
	for _, b := range Backends() {
		t.Run(b.Name, func(t *testing.T) {
			f(t, Open(t, b))
		})
	}
}

// PostgresRoles creates, for t, an owner role with a schema of its own and
// an application role with no rights yet (unique names, dropped when t
// ends), and returns their URLs; both use that schema. It skips without
// LEOC_TEST_POSTGRES_URL.
func PostgresRoles(t testing.TB) (ownerURL, appURL string) {
	t.Helper()
	base := os.Getenv(PostgresURLEnv)
	if base == "" {
		t.Skip(PostgresURLEnv + " not set")
	}
	b := make([]byte, 5)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
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
	roleURL := func(role string) string {
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
	return roleURL(owner), roleURL(app)
}
