package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// SnapshotSQLite writes a consistent copy of the SQLite database to dest
// with VACUUM INTO: one read transaction, so the copy is the database as it
// was at one instant, while the server keeps writing (WAL readers never
// block writers). dest must not exist. leoc backup uses it.
func (s *Store) SnapshotSQLite(ctx context.Context, dest string) error {
	if s.dialect != SQLite {
		return errors.New("store: SnapshotSQLite on a PostgreSQL database")
	}
	if _, err := s.wdb.ExecContext(ctx, "VACUUM INTO ?", dest); err != nil {
		return fmt.Errorf("store: snapshot to %s: %w", dest, err)
	}
	return nil
}

// StoredFileKeys lists the storage keys of every file that is still stored
// (not purged), for leoc backup.
func (s *Store) StoredFileKeys(ctx context.Context) ([]string, error) {
	rows, err := s.query(ctx, "SELECT storage_key FROM attachments WHERE deleted_at IS NULL ORDER BY id")
	if err != nil {
		return nil, fmt.Errorf("store: list stored files: %w", err)
	}
	defer rows.Close()
	var keys []string
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			return nil, fmt.Errorf("store: list stored files: %w", err)
		}
		keys = append(keys, k)
	}
	return keys, rows.Err()
}

// CheckSQLiteFile runs SQLite's integrity check on the database file at
// path (a backup's snapshot) without changing it.
func CheckSQLiteFile(ctx context.Context, path string) error {
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro&_pragma=query_only(1)")
	if err != nil {
		return fmt.Errorf("store: open %s: %w", path, err)
	}
	defer db.Close()
	var res string
	if err := db.QueryRowContext(ctx, "PRAGMA integrity_check").Scan(&res); err != nil {
		return fmt.Errorf("store: integrity check of %s: %w", path, err)
	}
	if res != "ok" {
		return fmt.Errorf("store: integrity check of %s: %s", path, res)
	}
	return nil
}
