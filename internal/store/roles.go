package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
)

// CurrentRole is the database role this store connects as (PostgreSQL).
func (s *Store) CurrentRole(ctx context.Context) (string, error) {
	if s.dialect != Postgres {
		return "", errors.New("store: database roles exist only on PostgreSQL")
	}
	var role string
	if err := s.queryRow(ctx, "SELECT current_user").Scan(&role); err != nil {
		return "", fmt.Errorf("store: current role: %w", err)
	}
	return role, nil
}

// GrantApp runs on a store connected as the owner of the schema (the role
// that ran the migrations) and gives the application's role what it needs
// and nothing more: reading and writing rows. The append-only triggers of
// the audit trail belong to the owner, and only an owner may drop, disable
// or alter them, so the application — and anyone who steals its database
// password — cannot switch them off. On audit_log the role may only read and
// append; on schema_migrations it may only read.
func (s *Store) GrantApp(ctx context.Context, role string) error {
	if s.dialect != Postgres {
		return errors.New("store: database roles exist only on PostgreSQL")
	}
	owner, err := s.CurrentRole(ctx)
	if err != nil {
		return err
	}
	if role == owner {
		return fmt.Errorf("store: the application role %q is the owner role: give the application a role of its own", role)
	}
	r := quoteIdent(role)
	stmts := []string{
		"GRANT USAGE ON SCHEMA " + currentSchema + " TO " + r,
		"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA " + currentSchema + " TO " + r,
		"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA " + currentSchema + " TO " + r,
		"REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM " + r,
		"REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON schema_migrations FROM " + r,
	}
	return s.WithTx(ctx, func(tx *Tx) error {
		var schema string
		if err := tx.queryRow(ctx, "SELECT current_schema()").Scan(&schema); err != nil {
			return fmt.Errorf("store: current schema: %w", err)
		}
		for _, q := range stmts {
			q = strings.ReplaceAll(q, currentSchema, quoteIdent(schema))
			if _, err := tx.exec(ctx, q); err != nil {
				return fmt.Errorf("store: grant to %s: %w", role, err)
			}
		}
		return nil
	})
}

const currentSchema = "<schema>"

// quoteIdent quotes a PostgreSQL identifier.
func quoteIdent(s string) string {
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}

// CheckSchema is what a store that may not migrate (the application role,
// when an owner role migrates) does at start: it refuses a database that is
// behind or ahead of this binary.
func (s *Store) CheckSchema(ctx context.Context) error {
	ms, err := Migrations(s.dialect)
	if err != nil {
		return err
	}
	var v int
	if err := s.queryRow(ctx, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations").Scan(&v); err != nil {
		return fmt.Errorf("store: read schema version (was the database migrated with LEOC_MIGRATE_DATABASE_URL?): %w", err)
	}
	switch {
	case v > len(ms):
		return &ErrSchemaTooNew{Database: v, Binary: len(ms)}
	case v < len(ms):
		return fmt.Errorf("store: the database schema is at version %d but this leoc needs %d: run leoc migrate with LEOC_MIGRATE_DATABASE_URL set", v, len(ms))
	}
	return nil
}
