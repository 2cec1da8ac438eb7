package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"leoc/internal/bs"
)

// CalendarTable returns the imported month-length table, "" when none was
// imported.
func (s *Store) CalendarTable(ctx context.Context) (string, error) {
	var body string
	err := s.queryRow(ctx, "SELECT body FROM calendar_table WHERE id = 1").Scan(&body)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("store: calendar table: %w", err)
	}
	return body, nil
}

// Calendar returns the calendar in force: the built-in table with the
// imported one laid over it.
func (s *Store) Calendar(ctx context.Context) (*bs.Calendar, error) {
	body, err := s.CalendarTable(ctx)
	if err != nil || body == "" {
		return bs.Default(), err
	}
	c, err := bs.Load(strings.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("store: the imported calendar table is no longer valid: %w", err)
	}
	return c, nil
}

// SetCalendarTable stores a month-length table after checking that it
// builds a valid calendar together with the built-in one.
func (s *Store) SetCalendarTable(ctx context.Context, actor Actor, body string) error {
	if _, err := bs.Load(strings.NewReader(body)); err != nil {
		return err
	}
	return s.WithTx(ctx, func(tx *Tx) error {
		if _, err := tx.exec(ctx, `INSERT INTO calendar_table (id, body, imported_at, imported_by) VALUES (1, ?, ?, ?)
			ON CONFLICT (id) DO UPDATE SET body = excluded.body, imported_at = excluded.imported_at, imported_by = excluded.imported_by`,
			body, s.Now(), actor.Username); err != nil {
			return fmt.Errorf("store: save calendar table: %w", err)
		}
		return tx.Audit(ctx, actor, "setting.calendar_import", "settings", "calendar", map[string]any{"table": body})
	})
}
