package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// Boundary returns the municipality boundary imported with `leoc boundary
// import` (GeoJSON, validated by internal/geo before it was stored), "" when
// none was imported.
func (s *Store) Boundary(ctx context.Context) (string, error) {
	var body string
	err := s.queryRow(ctx, "SELECT geojson FROM municipality_boundary WHERE id = 1").Scan(&body)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("store: municipality boundary: %w", err)
	}
	return body, nil
}

// SetBoundary stores the municipality boundary, replacing the previous one,
// and audits the import. The caller validates the GeoJSON.
func (s *Store) SetBoundary(ctx context.Context, actor Actor, geojson string, summary map[string]any) error {
	return s.WithTx(ctx, func(tx *Tx) error {
		if _, err := tx.exec(ctx, `INSERT INTO municipality_boundary (id, geojson, imported_at, imported_by) VALUES (1, ?, ?, ?)
			ON CONFLICT (id) DO UPDATE SET geojson = excluded.geojson, imported_at = excluded.imported_at, imported_by = excluded.imported_by`,
			geojson, s.Now(), actor.Username); err != nil {
			return fmt.Errorf("store: save municipality boundary: %w", err)
		}
		return tx.Audit(ctx, actor, "setting.boundary_import", "settings", "boundary", summary)
	})
}
