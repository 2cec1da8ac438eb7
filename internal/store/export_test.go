package store

import "context"

// ExecForTest runs a statement on the write connection.
func (s *Store) ExecForTest(ctx context.Context, q string, args ...any) error {
	_, err := s.wdb.ExecContext(ctx, s.rebind(q), args...)
	return err
}
