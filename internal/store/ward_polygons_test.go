package store_test

import (
	"fmt"
	"testing"

	"leoc/internal/geo"
	"leoc/internal/leoc"
	"leoc/internal/store"
	"leoc/internal/store/storetest"
)

// square is a small ward-sized square polygon around (lon, lat).
func square(lon, lat float64) string {
	d := 0.01
	return fmt.Sprintf(`{"type":"Polygon","coordinates":[[[%g,%g],[%g,%g],[%g,%g],[%g,%g],[%g,%g]]]}`,
		lon-d, lat-d, lon+d, lat-d, lon+d, lat+d, lon-d, lat+d, lon-d, lat-d)
}

// nineSquares are polygons for the nine seeded wards, in a row.
func nineSquares() []store.WardPolygon {
	var out []store.WardPolygon
	for n := 1; n <= 9; n++ {
		out = append(out, store.WardPolygon{Ward: n, Geometry: square(81+float64(n)*0.05, 29.5), Properties: fmt.Sprintf(`{"id":"ward_%d","name":"Ward %d"}`, n, n)})
	}
	return out
}

func TestWardPolygonsImport(t *testing.T) {
	storetest.Run(t, func(t *testing.T, s *store.Store) {
		if got, err := s.WardPolygons(ctx); err != nil || len(got) != 0 {
			t.Fatalf("before import: %v %v", got, err)
		}
		areas, err := s.WardAreas(ctx)
		if err != nil || areas.Len() != 0 {
			t.Fatalf("areas before import: %v %v", areas, err)
		}

		// Refusals leave nothing written.
		eight := nineSquares()[:8]
		if err := s.ImportWardPolygons(ctx, admin, eight, false, nil); code(err) != leoc.EInvalid {
			t.Fatalf("eight of nine wards without partial: %v", err)
		}
		unknown := append(nineSquares(), store.WardPolygon{Ward: 12, Geometry: square(82, 29.5)})
		if err := s.ImportWardPolygons(ctx, admin, unknown, true, nil); code(err) != leoc.EInvalid {
			t.Fatalf("ward 12 not in settings: %v", err)
		}
		twice := append(nineSquares(), nineSquares()[0])
		if err := s.ImportWardPolygons(ctx, admin, twice, false, nil); code(err) != leoc.EInvalid {
			t.Fatalf("ward 1 twice: %v", err)
		}
		if got, _ := s.WardPolygons(ctx); len(got) != 0 {
			t.Fatalf("refused imports wrote %d polygons", len(got))
		}

		if err := s.ImportWardPolygons(ctx, admin, nineSquares(), false, map[string]any{"file": "x.json"}); err != nil {
			t.Fatal(err)
		}
		got, err := s.WardPolygons(ctx)
		if err != nil || len(got) != 9 {
			t.Fatalf("after import: %d %v", len(got), err)
		}
		if got[5].Ward != 6 || got[5].NameNe == "" || got[5].Properties != `{"id":"ward_6","name":"Ward 6"}` {
			t.Fatalf("ward 6: %+v", got[5])
		}
		areas, err = s.WardAreas(ctx)
		if err != nil || areas.Len() != 9 {
			t.Fatal(areas.Len(), err)
		}
		if n, ok := areas.WardAt(geo.Point{Lon: 81.30, Lat: 29.5}); !ok || n != 6 {
			t.Fatalf("WardAt ward 6's centre: %d %v", n, ok)
		}

		// A partial import replaces only the wards it names.
		moved := []store.WardPolygon{{Ward: 6, Geometry: square(80, 28), Properties: `{}`}}
		if err := s.ImportWardPolygons(ctx, admin, moved, true, nil); err != nil {
			t.Fatal(err)
		}
		got, _ = s.WardPolygons(ctx)
		if len(got) != 9 || got[5].Geometry != square(80, 28) || got[4].Geometry != square(81.25, 29.5) {
			t.Fatalf("after partial import: %d polygons, ward 6 %s", len(got), got[5].Geometry)
		}

		// A ward deleted in settings loses its polygon from the answers.
		if err := s.DeleteWard(ctx, admin, 9); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.WardPolygons(ctx); len(got) != 8 {
			t.Fatalf("after deleting ward 9: %d polygons", len(got))
		}

		_, total, err := s.ListAudit(ctx, store.AuditFilter{Action: "setting.ward_polygons_import"})
		if err != nil || total != 2 {
			t.Fatalf("audit entries: %d %v", total, err)
		}
	})
}
