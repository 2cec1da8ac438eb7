package store

import (
	"context"
	"fmt"
)

// catalogueValues reads the item catalogue as list values (key = item code,
// labels = names, units = the unit's labels), in the order items were
// added, which keeps the relief items where the old list had them. With
// distributable, only the items a distribution may hand out.
func (s *Store) catalogueValues(ctx context.Context, distributable bool) ([]ListValue, error) {
	q := `SELECT i.code, i.name_ne, i.name_en, COALESCE(u.label_ne, i.unit), COALESCE(u.label_en, i.unit)
		FROM inventory_items i LEFT JOIN list_values u ON u.list = i.unit_list AND u.key = i.unit`
	if distributable {
		q += " WHERE i.distributable"
	}
	rows, err := s.query(ctx, q+" ORDER BY i.id")
	if err != nil {
		return nil, fmt.Errorf("store: catalogue values: %w", err)
	}
	defer rows.Close()
	var out []ListValue
	for rows.Next() {
		v := ListValue{List: ListReliefItem, Position: len(out) + 1}
		if err := rows.Scan(&v.Key, &v.LabelNe, &v.LabelEn, &v.UnitNe, &v.UnitEn); err != nil {
			return nil, fmt.Errorf("store: scan catalogue value: %w", err)
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// DistributableItems are the catalogue's items a distribution may hand out,
// as list values: the distribution form's choices and its validation.
func (s *Store) DistributableItems(ctx context.Context) ([]ListValue, error) {
	return s.catalogueValues(ctx, true)
}
