// Package tiles reads raster map tiles from a local archive, so the map's
// basemap works with the office network up and the internet down: MBTiles
// (an SQLite file, the format most tile tools write) and PMTiles v3 (one
// plain file of tiles and a compressed directory). It knows nothing of
// HTTP; the server asks for z/x/y and gets bytes and a content type.
package tiles

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
)

// ErrNotFound means the archive has no tile at z/x/y (the sea, or beyond
// the zoom levels the office downloaded). The map shows the plain
// background there.
var ErrNotFound = errors.New("tiles: no such tile")

// Source is an opened tile archive, safe for concurrent use.
type Source interface {
	// Tile returns the tile in the XYZ scheme (y = 0 at the north) and its
	// content type.
	Tile(ctx context.Context, z, x, y int) ([]byte, string, error)
	// Info describes the archive for the log: format and zoom levels.
	Info() string
	Close() error
}

// Open opens an MBTiles or PMTiles file, told apart by their first bytes,
// and refuses anything else, including vector tiles, which the map cannot
// draw without a style.
func Open(path string) (Source, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("tiles: %w", err)
	}
	head := make([]byte, 16)
	n, _ := f.Read(head)
	f.Close()
	head = head[:n]
	switch {
	case strings.HasPrefix(string(head), "SQLite format 3\x00"):
		return openMBTiles(path)
	case strings.HasPrefix(string(head), "PMTiles"):
		return openPMTiles(path)
	}
	return nil, fmt.Errorf("tiles: %s is neither an MBTiles (SQLite) nor a PMTiles file", path)
}

// contentType is the MIME type of a raster tile format name.
func contentType(format string) (string, bool) {
	switch strings.ToLower(format) {
	case "png":
		return "image/png", true
	case "jpg", "jpeg":
		return "image/jpeg", true
	case "webp":
		return "image/webp", true
	}
	return "", false
}

// valid reports whether z/x/y names a tile of the web-mercator pyramid.
func valid(z, x, y int) bool {
	return z >= 0 && z <= 24 && x >= 0 && y >= 0 && x < 1<<z && y < 1<<z
}
