package store

import (
	"context"
	"fmt"
	"slices"

	"leoc/internal/leoc"
)

// SearchIncidents returns up to limit incidents the filter selects, newest
// first, without counting them all: the distribution form's picker asks
// as the clerk types and shows only the first few, and a count of a text
// search would read every row of a large register on each key.
func (s *Store) SearchIncidents(ctx context.Context, f RecordFilter, limit int) ([]*leoc.Incident, error) {
	w := s.incidentWhere(f)
	rows, err := s.query(ctx, "SELECT "+incidentColumns+" FROM incidents"+w.sql()+incidentOrder(f)+" LIMIT ?",
		append(slices.Clone(w.args), limit)...)
	if err != nil {
		return nil, fmt.Errorf("store: search incidents: %w", err)
	}
	defer rows.Close()
	out := make([]*leoc.Incident, 0, limit)
	for rows.Next() {
		inc, err := s.scanIncident(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, inc)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: search incidents: %w", err)
	}
	return out, nil
}
