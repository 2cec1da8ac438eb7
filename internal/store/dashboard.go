package store

import (
	"context"
	"fmt"
)

// StatsFiscalYears lists the fiscal years that have incidents or
// distributions, newest first, from the maintained statistics: a few
// hundred rows, where SELECT DISTINCT over the registers reads every
// record (the dashboard's fiscal-year filter would otherwise cost more than
// all its figures).
func (s *Store) StatsFiscalYears(ctx context.Context) ([]int, error) {
	rows, err := s.query(ctx, "SELECT fiscal_year FROM incident_stats UNION SELECT fiscal_year FROM distribution_stats ORDER BY fiscal_year DESC")
	if err != nil {
		return nil, fmt.Errorf("store: fiscal years of the statistics: %w", err)
	}
	defer rows.Close()
	var out []int
	for rows.Next() {
		var y int
		if err := rows.Scan(&y); err != nil {
			return nil, fmt.Errorf("store: fiscal years of the statistics: %w", err)
		}
		out = append(out, y)
	}
	return out, rows.Err()
}
