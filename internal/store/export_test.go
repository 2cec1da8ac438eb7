package store

import "context"

// MigrateToForTest brings a new database to SQL migration version v (and
// seeds it), so a test can write data the way an older release stored it
// before running Migrate.
func (s *Store) MigrateToForTest(ctx context.Context, v int) error {
	ms, err := Migrations(s.dialect)
	if err != nil {
		return err
	}
	if _, err := s.migrateTo(ctx, ms, v); err != nil {
		return err
	}
	return s.seedDefaults(ctx)
}

// ExecForTest runs a statement on the write connection.
func (s *Store) ExecForTest(ctx context.Context, q string, args ...any) error {
	_, err := s.wdb.ExecContext(ctx, s.rebind(q), args...)
	return err
}
