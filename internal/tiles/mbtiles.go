package tiles

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"

	_ "modernc.org/sqlite" // registers "sqlite"
)

// mbtiles is an MBTiles 1.3 file: a tiles table keyed by zoom, column and
// row, rows counted from the south (TMS), and a metadata table that names
// the format.
type mbtiles struct {
	db          *sql.DB
	contentType string
	info        string
}

func openMBTiles(path string) (Source, error) {
	// Read-only and immutable: the server never writes the basemap, and
	// another process replacing it means a restart.
	dsn := (&url.URL{Scheme: "file", Path: path, RawQuery: "mode=ro&immutable=1"}).String()
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("tiles: open %s: %w", path, err)
	}
	m := &mbtiles{db: db}
	var format string
	err = db.QueryRow("SELECT value FROM metadata WHERE name = 'format'").Scan(&format)
	if errors.Is(err, sql.ErrNoRows) {
		format = "png" // the MBTiles spec's default
	} else if err != nil {
		db.Close()
		return nil, fmt.Errorf("tiles: %s is not an MBTiles file (metadata: %w)", path, err)
	}
	ct, ok := contentType(format)
	if !ok {
		db.Close()
		return nil, fmt.Errorf("tiles: %s holds %q tiles; the map needs raster tiles (png, jpg or webp)", path, format)
	}
	m.contentType = ct
	var minZ, maxZ sql.NullInt64
	if err := db.QueryRow("SELECT MIN(zoom_level), MAX(zoom_level) FROM tiles").Scan(&minZ, &maxZ); err != nil {
		db.Close()
		return nil, fmt.Errorf("tiles: %s is not an MBTiles file (tiles: %w)", path, err)
	}
	m.info = fmt.Sprintf("MBTiles %s, zoom %d–%d", format, minZ.Int64, maxZ.Int64)
	return m, nil
}

func (m *mbtiles) Tile(ctx context.Context, z, x, y int) ([]byte, string, error) {
	if !valid(z, x, y) {
		return nil, "", ErrNotFound
	}
	var data []byte
	row := (1<<z - 1) - y // TMS counts rows from the south
	err := m.db.QueryRowContext(ctx, "SELECT tile_data FROM tiles WHERE zoom_level = ? AND tile_column = ? AND tile_row = ?", z, x, row).Scan(&data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, "", ErrNotFound
	}
	if err != nil {
		return nil, "", fmt.Errorf("tiles: read %d/%d/%d: %w", z, x, y, err)
	}
	return data, m.contentType, nil
}

func (m *mbtiles) Info() string { return m.info }
func (m *mbtiles) Close() error { return m.db.Close() }
