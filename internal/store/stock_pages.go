package store

import (
	"context"
	"database/sql"
	"fmt"
)

// What the stock documents' pages read besides the documents: the
// catalogue's items with their units and tracking (the lines' choices), the
// warehouses' names, and each listed document's number of lines.

// DocumentItem is a catalogue item as a document's line offers it.
type DocumentItem struct {
	Code, NameNe, NameEn    string
	UnitNe, UnitEn          string
	TrackBatch, TrackExpiry bool
}

// DocumentItems are every catalogue item, by code.
func (s *Store) DocumentItems(ctx context.Context) ([]DocumentItem, error) {
	rows, err := s.query(ctx, `SELECT i.code, i.name_ne, i.name_en, COALESCE(u.label_ne, i.unit), COALESCE(u.label_en, i.unit),
		i.track_batch, i.track_expiry
		FROM inventory_items i LEFT JOIN list_values u ON u.list = i.unit_list AND u.key = i.unit ORDER BY i.code`)
	if err != nil {
		return nil, fmt.Errorf("store: document items: %w", err)
	}
	defer rows.Close()
	var out []DocumentItem
	for rows.Next() {
		var it DocumentItem
		if err := rows.Scan(&it.Code, &it.NameNe, &it.NameEn, &it.UnitNe, &it.UnitEn, &it.TrackBatch, &it.TrackExpiry); err != nil {
			return nil, fmt.Errorf("store: scan document item: %w", err)
		}
		out = append(out, it)
	}
	return out, rows.Err()
}

// DocumentWarehouse is a warehouse as documents name it.
type DocumentWarehouse struct {
	ID             int64
	Code           string
	NameNe, NameEn string
	Ward           int // 0 = the whole municipality
}

// DocumentWarehouses are every warehouse, by code.
func (s *Store) DocumentWarehouses(ctx context.Context) ([]DocumentWarehouse, error) {
	rows, err := s.query(ctx, "SELECT id, code, name_ne, name_en, ward FROM warehouses ORDER BY code")
	if err != nil {
		return nil, fmt.Errorf("store: document warehouses: %w", err)
	}
	defer rows.Close()
	var out []DocumentWarehouse
	for rows.Next() {
		var w DocumentWarehouse
		var ward sql.NullInt64
		if err := rows.Scan(&w.ID, &w.Code, &w.NameNe, &w.NameEn, &ward); err != nil {
			return nil, fmt.Errorf("store: scan document warehouse: %w", err)
		}
		w.Ward = int(ward.Int64)
		out = append(out, w)
	}
	return out, rows.Err()
}

// StockDocumentLineCounts are the number of lines of each document (a list
// page's column; StockDocuments leaves the lines out).
func (s *Store) StockDocumentLineCounts(ctx context.Context, ids []int64) (map[int64]int, error) {
	out := make(map[int64]int, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	var w where
	w.in("document_id", len(ids), func(i int) any { return ids[i] })
	rows, err := s.query(ctx, "SELECT document_id, COUNT(*) FROM stock_document_lines"+w.sql()+" GROUP BY document_id", w.args...)
	if err != nil {
		return nil, fmt.Errorf("store: document line counts: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			return nil, fmt.Errorf("store: scan document line count: %w", err)
		}
		out[id] = n
	}
	return out, rows.Err()
}
