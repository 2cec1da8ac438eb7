package store

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"

	"leoc/internal/geo"
	"leoc/internal/leoc"
)

// WardPolygon is one ward's area as imported with `leoc wards import`.
type WardPolygon struct {
	Ward   int    `json:"ward"`
	NameNe string `json:"name_ne"`
	NameEn string `json:"name_en"`
	// Geometry is a GeoJSON Polygon or MultiPolygon (WGS84), validated by
	// internal/geo before it was stored.
	Geometry string `json:"geometry"`
	// Properties are the other properties of the ward's feature in the
	// imported file, a JSON object.
	Properties string `json:"properties"`
}

// WardPolygons lists the polygons of the wards in settings, by ward number;
// empty when none were imported.
func (s *Store) WardPolygons(ctx context.Context) ([]WardPolygon, error) {
	rows, err := s.query(ctx, `SELECT p.ward, w.name_ne, w.name_en, p.geometry, p.properties
		FROM ward_polygons p JOIN wards w ON w.number = p.ward ORDER BY p.ward`)
	if err != nil {
		return nil, fmt.Errorf("store: ward polygons: %w", err)
	}
	defer rows.Close()
	var out []WardPolygon
	for rows.Next() {
		var p WardPolygon
		if err := rows.Scan(&p.Ward, &p.NameNe, &p.NameEn, &p.Geometry, &p.Properties); err != nil {
			return nil, fmt.Errorf("store: ward polygons: %w", err)
		}
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: ward polygons: %w", err)
	}
	return out, nil
}

// WardAreas is the point-in-polygon index of the stored ward polygons
// (geo.Wards.WardAt, InWard); an empty index when none were imported, so
// callers need no special case: it then finds no ward and knows none.
func (s *Store) WardAreas(ctx context.Context) (*geo.Wards, error) {
	polys, err := s.WardPolygons(ctx)
	if err != nil {
		return nil, err
	}
	areas := make([]geo.WardArea, 0, len(polys))
	for _, p := range polys {
		b, err := geo.ParseBoundary([]byte(p.Geometry))
		if err != nil {
			return nil, fmt.Errorf("store: ward %d polygon no longer parses: %w", p.Ward, err)
		}
		areas = append(areas, geo.WardArea{Number: p.Ward, Area: *b})
	}
	return geo.NewWards(areas), nil
}

// ImportWardPolygons stores ward polygons and audits the import, in one
// transaction. It refuses a ward number not in settings, a ward given
// twice and, unless partial, a set that leaves a ward of settings without
// its polygon. A full import replaces every polygon; a partial one replaces
// only the wards it names.
func (s *Store) ImportWardPolygons(ctx context.Context, actor Actor, polys []WardPolygon, partial bool, summary map[string]any) error {
	return s.WithTx(ctx, func(tx *Tx) error {
		known, err := tx.wardNumbers(ctx)
		if err != nil {
			return err
		}
		inSettings := map[int]bool{}
		for _, n := range known {
			inSettings[n] = true
		}
		given := map[int]bool{}
		for _, p := range polys {
			if !inSettings[p.Ward] {
				return leoc.Errorf(leoc.EInvalid, "wards.import.unknown_ward", p.Ward)
			}
			if given[p.Ward] {
				return leoc.Errorf(leoc.EInvalid, "wards.import.duplicate_ward", p.Ward)
			}
			given[p.Ward] = true
		}
		var missing []int
		for _, n := range known {
			if !given[n] {
				missing = append(missing, n)
			}
		}
		if len(missing) > 0 && !partial {
			return leoc.Errorf(leoc.EInvalid, "wards.import.missing_wards", joinInts(missing))
		}
		if len(polys) == 0 {
			return leoc.Errorf(leoc.EInvalid, "wards.import.empty")
		}
		if !partial {
			if _, err := tx.exec(ctx, "DELETE FROM ward_polygons"); err != nil {
				return fmt.Errorf("store: replace ward polygons: %w", err)
			}
		}
		sorted := append([]WardPolygon(nil), polys...)
		sort.Slice(sorted, func(i, j int) bool { return sorted[i].Ward < sorted[j].Ward })
		for _, p := range sorted {
			props := p.Properties
			if props == "" {
				props = "{}"
			}
			if !json.Valid([]byte(props)) || !json.Valid([]byte(p.Geometry)) {
				return fmt.Errorf("store: ward %d: geometry or properties are not JSON", p.Ward)
			}
			if _, err := tx.exec(ctx, `INSERT INTO ward_polygons (ward, geometry, properties, imported_at, imported_by) VALUES (?, ?, ?, ?, ?)
				ON CONFLICT (ward) DO UPDATE SET geometry = excluded.geometry, properties = excluded.properties,
				imported_at = excluded.imported_at, imported_by = excluded.imported_by`,
				p.Ward, p.Geometry, props, s.Now(), actor.Username); err != nil {
				return fmt.Errorf("store: save ward %d polygon: %w", p.Ward, err)
			}
		}
		if summary == nil {
			summary = map[string]any{}
		}
		wards := make([]int, 0, len(sorted))
		for _, p := range sorted {
			wards = append(wards, p.Ward)
		}
		summary["wards"], summary["partial"] = wards, partial
		return tx.Audit(ctx, actor, "setting.ward_polygons_import", "settings", "ward_polygons", summary)
	})
}

func joinInts(ns []int) string {
	s := ""
	for i, n := range ns {
		if i > 0 {
			s += ", "
		}
		s += fmt.Sprint(n)
	}
	return s
}
