package tiles

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"sync"
)

// pmtiles is a PMTiles version 3 archive (github.com/protomaps/PMTiles,
// spec v3): a 127-byte header, a root directory, leaf directories and the
// tile data. A directory lists runs of tiles by tile ID, the position of
// z/x/y on a Hilbert curve per zoom level.
type pmtiles struct {
	f           *os.File
	h           pmHeader
	root        []pmEntry
	contentType string

	mu     sync.Mutex
	leaves map[uint64][]pmEntry // by offset; a few hundred at most for a municipality
}

type pmHeader struct {
	rootOffset, rootLength    uint64
	leafOffset, leafLength    uint64
	dataOffset, dataLength    uint64
	internalCompression       byte
	tileCompression, tileType byte
	minZoom, maxZoom          byte
}

type pmEntry struct {
	tileID    uint64
	offset    uint64
	length    uint32
	runLength uint32
}

// Compression codes of the header; only none and gzip are read (brotli
// and zstd would need modules this binary does not carry).
const (
	pmCompressionNone = 1
	pmCompressionGzip = 2
)

// pmTileTypes are the raster tile types of the header.
var pmTileTypes = map[byte]string{2: "png", 3: "jpg", 4: "webp"}

func openPMTiles(path string) (Source, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("tiles: %w", err)
	}
	p := &pmtiles{f: f, leaves: map[uint64][]pmEntry{}}
	if err := p.readHeader(); err != nil {
		f.Close()
		return nil, fmt.Errorf("tiles: %s: %w", path, err)
	}
	return p, nil
}

func (p *pmtiles) readHeader() error {
	b := make([]byte, 127)
	if _, err := p.f.ReadAt(b, 0); err != nil {
		return fmt.Errorf("PMTiles header: %w", err)
	}
	if string(b[:7]) != "PMTiles" || b[7] != 3 {
		return fmt.Errorf("not a PMTiles version 3 file (version %d)", b[7])
	}
	u := func(at int) uint64 { return binary.LittleEndian.Uint64(b[at:]) }
	p.h = pmHeader{
		rootOffset: u(8), rootLength: u(16), leafOffset: u(40), leafLength: u(48), dataOffset: u(56), dataLength: u(64),
		internalCompression: b[97], tileCompression: b[98], tileType: b[99], minZoom: b[100], maxZoom: b[101],
	}
	if p.h.internalCompression != pmCompressionNone && p.h.internalCompression != pmCompressionGzip {
		return fmt.Errorf("directories compressed with code %d; only uncompressed or gzip PMTiles are read (convert with pmtiles convert --no-deduplication or re-create with gzip)", p.h.internalCompression)
	}
	if p.h.tileCompression != pmCompressionNone && p.h.tileCompression != pmCompressionGzip && p.h.tileCompression != 0 {
		return fmt.Errorf("tiles compressed with code %d; raster tiles should not be compressed again", p.h.tileCompression)
	}
	format, ok := pmTileTypes[p.h.tileType]
	if !ok {
		return fmt.Errorf("tile type %d; the map needs raster tiles (png, jpg or webp)", p.h.tileType)
	}
	p.contentType, _ = contentType(format)
	root, err := p.readDirectory(p.h.rootOffset, p.h.rootLength)
	if err != nil {
		return fmt.Errorf("root directory: %w", err)
	}
	p.root = root
	return nil
}

// maxDirectoryBytes bounds one directory as stored: the spec keeps the
// root within 16 KiB, leaves are far smaller than this.
const maxDirectoryBytes = 8 << 20

func (p *pmtiles) readDirectory(offset, length uint64) ([]pmEntry, error) {
	if length > maxDirectoryBytes {
		return nil, fmt.Errorf("directory of %d bytes is implausibly large", length)
	}
	raw := make([]byte, length)
	if _, err := p.f.ReadAt(raw, int64(offset)); err != nil {
		return nil, err
	}
	if p.h.internalCompression == pmCompressionGzip {
		zr, err := gzip.NewReader(bytes.NewReader(raw))
		if err != nil {
			return nil, err
		}
		if raw, err = io.ReadAll(io.LimitReader(zr, maxDirectoryBytes*8)); err != nil {
			return nil, err
		}
	}
	return decodeDirectory(raw)
}

// decodeDirectory reads the varint columns of a directory: the count, the
// tile IDs as deltas, run lengths, lengths, and offsets (0 meaning "right
// after the previous tile").
func decodeDirectory(raw []byte) ([]pmEntry, error) {
	r := bytes.NewReader(raw)
	n, err := binary.ReadUvarint(r)
	if err != nil || n > uint64(len(raw)) {
		return nil, errors.New("bad directory")
	}
	entries := make([]pmEntry, n)
	var id uint64
	for i := range entries {
		d, err := binary.ReadUvarint(r)
		if err != nil {
			return nil, errors.New("bad directory tile IDs")
		}
		id += d
		entries[i].tileID = id
	}
	for i := range entries {
		v, err := binary.ReadUvarint(r)
		if err != nil {
			return nil, errors.New("bad directory run lengths")
		}
		entries[i].runLength = uint32(v)
	}
	for i := range entries {
		v, err := binary.ReadUvarint(r)
		if err != nil {
			return nil, errors.New("bad directory lengths")
		}
		entries[i].length = uint32(v)
	}
	for i := range entries {
		v, err := binary.ReadUvarint(r)
		if err != nil {
			return nil, errors.New("bad directory offsets")
		}
		if v == 0 && i > 0 {
			entries[i].offset = entries[i-1].offset + uint64(entries[i-1].length)
		} else {
			entries[i].offset = v - 1
		}
	}
	return entries, nil
}

// tileID is z/x/y's position: the tiles of all lower zoom levels, then the
// Hilbert index of x, y on level z.
func tileID(z, x, y int) uint64 {
	id := (uint64(1)<<(2*uint(z)) - 1) / 3
	n := uint64(1) << uint(z)
	ux, uy := uint64(x), uint64(y)
	for s := n / 2; s > 0; s /= 2 {
		var rx, ry uint64
		if ux&s != 0 {
			rx = 1
		}
		if uy&s != 0 {
			ry = 1
		}
		id += s * s * ((3 * rx) ^ ry)
		if ry == 0 {
			if rx == 1 {
				ux, uy = n-1-ux, n-1-uy
			}
			ux, uy = uy, ux
		}
	}
	return id
}

// find is the entry covering id: the last whose tile ID is not above it.
func find(entries []pmEntry, id uint64) (pmEntry, bool) {
	i := sort.Search(len(entries), func(i int) bool { return entries[i].tileID > id }) - 1
	if i < 0 {
		return pmEntry{}, false
	}
	e := entries[i]
	if e.runLength == 0 || id < e.tileID+uint64(e.runLength) {
		return e, true
	}
	return pmEntry{}, false
}

func (p *pmtiles) Tile(ctx context.Context, z, x, y int) ([]byte, string, error) {
	if !valid(z, x, y) || z < int(p.h.minZoom) || z > int(p.h.maxZoom) {
		return nil, "", ErrNotFound
	}
	id := tileID(z, x, y)
	dir := p.root
	for depth := 0; depth < 4; depth++ {
		e, ok := find(dir, id)
		if !ok {
			return nil, "", ErrNotFound
		}
		if e.runLength > 0 {
			return p.readTile(e)
		}
		leaf, err := p.leaf(e)
		if err != nil {
			return nil, "", err
		}
		dir = leaf
	}
	return nil, "", errors.New("tiles: PMTiles directories nested too deep")
}

func (p *pmtiles) leaf(e pmEntry) ([]pmEntry, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if d, ok := p.leaves[e.offset]; ok {
		return d, nil
	}
	d, err := p.readDirectory(p.h.leafOffset+e.offset, uint64(e.length))
	if err != nil {
		return nil, fmt.Errorf("tiles: PMTiles leaf directory: %w", err)
	}
	if len(p.leaves) < 4096 {
		p.leaves[e.offset] = d
	}
	return d, nil
}

func (p *pmtiles) readTile(e pmEntry) ([]byte, string, error) {
	if e.offset+uint64(e.length) > p.h.dataLength {
		return nil, "", errors.New("tiles: PMTiles entry outside the tile data")
	}
	b := make([]byte, e.length)
	if _, err := p.f.ReadAt(b, int64(p.h.dataOffset+e.offset)); err != nil {
		return nil, "", fmt.Errorf("tiles: read PMTiles tile: %w", err)
	}
	if p.h.tileCompression == pmCompressionGzip {
		zr, err := gzip.NewReader(bytes.NewReader(b))
		if err != nil {
			return nil, "", fmt.Errorf("tiles: PMTiles tile: %w", err)
		}
		if b, err = io.ReadAll(io.LimitReader(zr, 16<<20)); err != nil {
			return nil, "", fmt.Errorf("tiles: PMTiles tile: %w", err)
		}
	}
	return b, p.contentType, nil
}

func (p *pmtiles) Info() string {
	format := pmTileTypes[p.h.tileType]
	return fmt.Sprintf("PMTiles %s, zoom %d–%d", format, p.h.minZoom, p.h.maxZoom)
}

func (p *pmtiles) Close() error { return p.f.Close() }
