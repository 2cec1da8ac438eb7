package store

import (
	"context"
	"database/sql/driver"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"

	"leoc/internal/store/dialectsql"
)

//go:embed migrations
var migrationFS embed.FS

// Migration is one numbered schema change as one dialect runs it. Each is
// written once, in migrations/NNNN_name.sql, and rendered per dialect by
// dialectsql ({{timestamp}} and the like, -- @sqlite/-- @postgres fragments).
type Migration struct {
	Version int
	Name    string
	SQL     string
}

// Migrations lists the embedded migrations of a dialect in order. Version and
// name come from the file name and are what schema_migrations records, so a
// database migrated when each change was written twice upgrades unchanged.
func Migrations(d Dialect) ([]Migration, error) {
	return migrationsIn(migrationFS, "migrations", d)
}

func migrationsIn(fsys fs.FS, dir string, d Dialect) ([]Migration, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, fmt.Errorf("store: read migrations: %w", err)
	}
	var ms []Migration
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() {
			// The old layout, one directory per dialect: a branch written
			// before the change must be converted, not silently skipped.
			return nil, fmt.Errorf("store: migrations/%s/ is the old per-dialect layout; convert it with go run ./internal/store/dialectsql/migconvert internal/store/migrations (docs/architecture.md, Writing a migration)", name)
		}
		if !strings.HasSuffix(name, ".sql") {
			continue
		}
		num, _, ok := strings.Cut(name, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v <= 0 {
			return nil, fmt.Errorf("store: migration %s: name must start with a positive number and _", name)
		}
		b, err := fs.ReadFile(fsys, path.Join(dir, name))
		if err != nil {
			return nil, fmt.Errorf("store: read migration %s: %w", name, err)
		}
		sql, err := dialectsql.Render(string(b), string(d))
		if err != nil {
			return nil, fmt.Errorf("store: migration %s: %w", name, err)
		}
		ms = append(ms, Migration{Version: v, Name: strings.TrimSuffix(name, ".sql"), SQL: sql})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].Version < ms[j].Version })
	for i, m := range ms {
		if m.Version != i+1 {
			return nil, fmt.Errorf("store: migrations are not numbered 1, 2, 3…: %s", m.Name)
		}
	}
	return ms, nil
}

// SchemaVersion reports the version the database is at (0 when empty).
// The table is created only when it cannot be read: an application role
// that may not create tables (LEOC_MIGRATE_DATABASE_URL) can still ask.
func (s *Store) SchemaVersion(ctx context.Context) (int, error) {
	var v int
	const q = "SELECT COALESCE(MAX(version), 0) FROM schema_migrations"
	if err := s.wdb.QueryRowContext(ctx, q).Scan(&v); err == nil {
		return v, nil
	}
	if err := s.ensureMigrationTable(ctx); err != nil {
		return 0, err
	}
	err := s.wdb.QueryRowContext(ctx, q).Scan(&v)
	if err != nil {
		return 0, fmt.Errorf("store: read schema version: %w", err)
	}
	return v, nil
}

func (s *Store) ensureMigrationTable(ctx context.Context) error {
	ts := "TIMESTAMP"
	if s.dialect == Postgres {
		ts = "TIMESTAMPTZ"
	}
	_, err := s.wdb.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER PRIMARY KEY,
		name TEXT NOT NULL,
		applied_at `+ts+` NOT NULL)`)
	if err != nil {
		return fmt.Errorf("store: create schema_migrations: %w", err)
	}
	return nil
}

// ErrSchemaTooNew is returned when the database was migrated by a newer
// binary: running an old binary against it could corrupt data.
type ErrSchemaTooNew struct{ Database, Binary int }

func (e *ErrSchemaTooNew) Error() string {
	return fmt.Sprintf("store: the database schema is at version %d but this leoc binary knows only up to %d; run a newer leoc (never downgrade a database)", e.Database, e.Binary)
}

// Migrate applies every pending migration, each in its own transaction, then
// the data migrations written in Go, and seeds the defaults of a new
// database. It is idempotent and safe to run from several servers at once:
// on PostgreSQL the whole of it runs under an advisory lock, so replicas
// that start together (or a rolling upgrade) migrate one after the other
// and the later ones find nothing left to do; on SQLite every step is a
// BEGIN IMMEDIATE transaction that re-checks. It reports the versions applied.
func (s *Store) Migrate(ctx context.Context) ([]int, error) {
	if s.dialect == Postgres {
		unlock, err := s.migrationLock(ctx)
		if err != nil {
			return nil, err
		}
		defer unlock()
	}
	return s.migrate(ctx)
}

// migrationLock takes PostgreSQL's session advisory lock for migrations of
// this schema on a connection of its own, and returns what releases it. A
// process that dies while holding it releases it with its connection.
func (s *Store) migrationLock(ctx context.Context) (func(), error) {
	conn, err := s.wdb.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("store: migration lock: %w", err)
	}
	const key = "hashtext('leoc.migrate.' || current_schema())"
	if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock("+key+")"); err != nil {
		conn.Close()
		return nil, fmt.Errorf("store: migration lock: %w", err)
	}
	return func() {
		if _, err := conn.ExecContext(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock("+key+")"); err != nil {
			// Never hand a connection that may still hold the lock back to
			// the pool: ErrBadConn makes database/sql close it, and closing
			// the session releases the lock.
			_ = conn.Raw(func(any) error { return driver.ErrBadConn })
		}
		conn.Close()
	}, nil
}

func (s *Store) migrate(ctx context.Context) ([]int, error) {
	ms, err := Migrations(s.dialect)
	if err != nil {
		return nil, err
	}
	current, err := s.SchemaVersion(ctx)
	if err != nil {
		return nil, err
	}
	if current > len(ms) {
		return nil, &ErrSchemaTooNew{Database: current, Binary: len(ms)}
	}
	var applied []int
	for _, m := range ms[current:] {
		did, err := s.apply(ctx, m)
		if err != nil {
			return applied, err
		}
		if did {
			applied = append(applied, m.Version)
		}
	}
	if err := s.dataMigrations(ctx); err != nil {
		return applied, err
	}
	if err := s.seedDefaults(ctx); err != nil {
		return applied, err
	}
	return applied, nil
}

// dataMigrations are the steps SQL cannot do (they need Go, such as
// leoc.HouseholdKey); each records itself in data_migrations and runs once.
func (s *Store) dataMigrations(ctx context.Context) error {
	return s.rekeyHouseholds(ctx)
}

func (s *Store) apply(ctx context.Context, m Migration) (bool, error) {
	did := false
	err := s.WithTx(ctx, func(tx *Tx) error {
		if s.dialect == Postgres {
			// Serialise concurrent migrators; the loser re-checks below.
			if _, err := tx.tx.ExecContext(ctx, "LOCK TABLE schema_migrations IN EXCLUSIVE MODE"); err != nil {
				return fmt.Errorf("store: lock schema_migrations: %w", err)
			}
		}
		var n int
		if err := tx.queryRow(ctx, "SELECT COUNT(*) FROM schema_migrations WHERE version = ?", m.Version).Scan(&n); err != nil {
			return fmt.Errorf("store: check migration %s: %w", m.Name, err)
		}
		if n > 0 {
			return nil
		}
		if _, err := tx.tx.ExecContext(ctx, m.SQL); err != nil {
			return fmt.Errorf("store: migration %s: %w", m.Name, err)
		}
		if _, err := tx.exec(ctx, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)", m.Version, m.Name, s.Now()); err != nil {
			return fmt.Errorf("store: record migration %s: %w", m.Name, err)
		}
		did = true
		return nil
	})
	return did, err
}

// AppliedVersion reports the schema version without writing anything: 0
// when the database has no migration table yet, which is what an empty,
// never-migrated database looks like. Commands that must not create a
// database use it (SchemaVersion creates the table).
func (s *Store) AppliedVersion(ctx context.Context) (int, error) {
	q := "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'"
	if s.dialect == Postgres {
		q = "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = 'schema_migrations'"
	}
	var n int
	if err := s.rdb.QueryRowContext(ctx, q).Scan(&n); err != nil {
		return 0, fmt.Errorf("store: look for schema_migrations: %w", err)
	}
	if n == 0 {
		return 0, nil
	}
	var v int
	if err := s.rdb.QueryRowContext(ctx, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations").Scan(&v); err != nil {
		return 0, fmt.Errorf("store: read schema version: %w", err)
	}
	return v, nil
}
