// Package tilestest builds small tile archives for tests: tests make their
// own basemap instead of shipping one.
package tilestest

import (
	"bytes"
	"database/sql"
	"encoding/binary"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"sort"
	"testing"

	_ "modernc.org/sqlite" // registers "sqlite"
)

// Tile is one tile of an archive, XYZ scheme (y = 0 at the north).
type Tile struct {
	Z, X, Y int
	Data    []byte
}

// PNG is a 256×256 tile of one colour.
func PNG(t testing.TB, c color.RGBA) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 256, 256))
	for i := 0; i < len(img.Pix); i += 4 {
		img.Pix[i], img.Pix[i+1], img.Pix[i+2], img.Pix[i+3] = c.R, c.G, c.B, c.A
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// MBTiles writes an MBTiles 1.3 file of PNG tiles into a temporary
// directory and returns its path. Rows are stored TMS-style, counted from
// the south, as the spec says.
func MBTiles(t testing.TB, tiles []Tile) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "basemap.mbtiles")
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, q := range []string{
		"CREATE TABLE metadata (name TEXT, value TEXT)",
		"CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_data BLOB)",
		"CREATE UNIQUE INDEX tile_index ON tiles (zoom_level, tile_column, tile_row)",
		"INSERT INTO metadata VALUES ('name', 'test basemap'), ('format', 'png')",
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	for _, tl := range tiles {
		if _, err := db.Exec("INSERT INTO tiles VALUES (?, ?, ?, ?)", tl.Z, tl.X, (1<<tl.Z-1)-tl.Y, tl.Data); err != nil {
			t.Fatal(err)
		}
	}
	return path
}

// PMTiles writes a PMTiles v3 file of PNG tiles, with an uncompressed root
// directory and no leaves, and returns its path. tileID gives a tile's ID
// (the reader's own function is passed in, so the IDs of the test follow
// the spec's examples checked separately).
func PMTiles(t testing.TB, tiles []Tile, tileID func(z, x, y int) uint64) string {
	t.Helper()
	type entry struct {
		id   uint64
		data []byte
	}
	var es []entry
	for _, tl := range tiles {
		es = append(es, entry{tileID(tl.Z, tl.X, tl.Y), tl.Data})
	}
	sort.Slice(es, func(i, j int) bool { return es[i].id < es[j].id })
	var dir, data []byte
	dir = binary.AppendUvarint(dir, uint64(len(es)))
	last := uint64(0)
	for _, e := range es {
		dir = binary.AppendUvarint(dir, e.id-last)
		last = e.id
	}
	for range es {
		dir = binary.AppendUvarint(dir, 1) // run length
	}
	for _, e := range es {
		dir = binary.AppendUvarint(dir, uint64(len(e.data)))
	}
	for _, e := range es {
		dir = binary.AppendUvarint(dir, uint64(len(data))+1) // offset + 1
		data = append(data, e.data...)
	}
	minZ, maxZ := 255, 0
	for _, tl := range tiles {
		minZ, maxZ = min(minZ, tl.Z), max(maxZ, tl.Z)
	}
	h := make([]byte, 127)
	copy(h, "PMTiles")
	h[7] = 3
	put := func(at int, v uint64) { binary.LittleEndian.PutUint64(h[at:], v) }
	put(8, 127)
	put(16, uint64(len(dir)))
	put(24, 127+uint64(len(dir))) // empty metadata
	put(32, 0)
	put(40, 127+uint64(len(dir)))
	put(48, 0)
	put(56, 127+uint64(len(dir)))
	put(64, uint64(len(data)))
	put(72, uint64(len(es)))
	put(80, uint64(len(es)))
	put(88, uint64(len(es)))
	h[96] = 1 // clustered
	h[97] = 1 // internal compression: none
	h[98] = 1 // tile compression: none
	h[99] = 2 // png
	h[100], h[101] = byte(minZ), byte(maxZ)
	path := filepath.Join(t.TempDir(), "basemap.pmtiles")
	if err := os.WriteFile(path, append(append(h, dir...), data...), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}
