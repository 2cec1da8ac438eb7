package tiles

import (
	"bytes"
	"database/sql"
	"errors"
	"image/color"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"leoc/internal/tiles/tilestest"
)

// The examples of the PMTiles spec and its reference implementations.
func TestTileID(t *testing.T) {
	for _, c := range []struct {
		z, x, y int
		id      uint64
	}{{0, 0, 0, 0}, {1, 0, 0, 1}, {1, 0, 1, 2}, {1, 1, 1, 3}, {1, 1, 0, 4}, {2, 0, 0, 5}, {2, 1, 3, 11}, {3, 3, 0, 26}, {12, 3423, 1763, 19078479}} {
		if got := tileID(c.z, c.x, c.y); got != c.id {
			t.Errorf("tileID(%d, %d, %d) = %d, want %d", c.z, c.x, c.y, got, c.id)
		}
	}
}

func testTiles(t *testing.T) []tilestest.Tile {
	// Thalara at zoom 10 is tile 742/428; two neighbours, and the world.
	return []tilestest.Tile{
		{Z: 0, X: 0, Y: 0, Data: tilestest.PNG(t, color.RGBA{200, 200, 200, 255})},
		{Z: 10, X: 742, Y: 428, Data: tilestest.PNG(t, color.RGBA{10, 120, 40, 255})},
		{Z: 10, X: 743, Y: 428, Data: tilestest.PNG(t, color.RGBA{10, 40, 120, 255})},
		{Z: 12, X: 2969, Y: 1713, Data: tilestest.PNG(t, color.RGBA{120, 40, 10, 255})},
	}
}

func TestArchives(t *testing.T) {
	tiles := testTiles(t)
	for name, path := range map[string]string{
		"mbtiles": tilestest.MBTiles(t, tiles),
		"pmtiles": tilestest.PMTiles(t, tiles, tileID),
	} {
		t.Run(name, func(t *testing.T) {
			src, err := Open(path)
			if err != nil {
				t.Fatal(err)
			}
			defer src.Close()
			if !strings.Contains(src.Info(), "png") {
				t.Errorf("Info %q", src.Info())
			}
			for _, tl := range tiles {
				b, ct, err := src.Tile(t.Context(), tl.Z, tl.X, tl.Y)
				if err != nil || ct != "image/png" || !bytes.Equal(b, tl.Data) {
					t.Errorf("%d/%d/%d: %d bytes, %q, %v", tl.Z, tl.X, tl.Y, len(b), ct, err)
				}
			}
			// y flipped, a neighbour not stored, outside the pyramid.
			for _, zxy := range [][3]int{{10, 742, 1023 - 428}, {10, 744, 428}, {11, 0, 0}, {1, 2, 0}, {-1, 0, 0}, {30, 0, 0}} {
				if _, _, err := src.Tile(t.Context(), zxy[0], zxy[1], zxy[2]); !errors.Is(err, ErrNotFound) {
					t.Errorf("%v: %v, want ErrNotFound", zxy, err)
				}
			}
		})
	}
}

func TestOpenRefuses(t *testing.T) {
	dir := t.TempDir()
	text := filepath.Join(dir, "a.json")
	os.WriteFile(text, []byte(`{"type":"FeatureCollection"}`), 0o600)
	if _, err := Open(text); err == nil || !strings.Contains(err.Error(), "neither") {
		t.Errorf("a JSON file: %v", err)
	}
	if _, err := Open(filepath.Join(dir, "missing.mbtiles")); err == nil {
		t.Error("a missing file opened")
	}
	// Vector tiles cannot be drawn without a style.
	vector := tilestest.MBTiles(t, nil)
	mustExec(t, vector, "UPDATE metadata SET value = 'pbf' WHERE name = 'format'")
	if _, err := Open(vector); err == nil || !strings.Contains(err.Error(), "raster") {
		t.Errorf("vector MBTiles: %v", err)
	}
}

func mustExec(t *testing.T, path, q string) {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(q); err != nil {
		t.Fatal(err)
	}
}
