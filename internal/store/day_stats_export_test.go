package store

import "context"

// DaysForTest lists the distinct days (date_ad) of a table's records.
func (s *Store) DaysForTest(ctx context.Context, table string) ([]string, error) {
	rows, err := s.query(ctx, "SELECT DISTINCT date_ad FROM "+table)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var d string
		if err := rows.Scan(&d); err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}
