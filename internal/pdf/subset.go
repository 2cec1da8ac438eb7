package pdf

import (
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
)

// TrueType subsetting: the embedded font keeps every glyph ID (the page
// content refers to glyphs by ID, and the PDF maps CIDs to glyph IDs one to
// one), but the outlines of glyphs the document does not use are emptied,
// and the tables only a shaper needs (GSUB, GPOS, GDEF, cmap, glyph names)
// are left out: shaping happened before the glyphs were placed.

type sfntTable struct {
	tag  string
	data []byte
}

var errBadFont = errors.New("pdf: malformed TrueType font")

func readTables(font []byte) (map[string][]byte, error) {
	if len(font) < 12 {
		return nil, errBadFont
	}
	n := int(binary.BigEndian.Uint16(font[4:]))
	if len(font) < 12+16*n {
		return nil, errBadFont
	}
	out := make(map[string][]byte, n)
	for i := range n {
		rec := font[12+16*i:]
		off, length := binary.BigEndian.Uint32(rec[8:]), binary.BigEndian.Uint32(rec[12:])
		if uint64(off)+uint64(length) > uint64(len(font)) {
			return nil, errBadFont
		}
		out[string(rec[:4])] = font[off : off+length]
	}
	return out, nil
}

// headBBox reads the font's bounding box in font units.
func headBBox(font []byte) ([4]int16, error) {
	t, err := readTables(font)
	if err != nil {
		return [4]int16{}, err
	}
	head := t["head"]
	if len(head) < 54 {
		return [4]int16{}, errBadFont
	}
	var b [4]int16
	for i := range b {
		b[i] = int16(binary.BigEndian.Uint16(head[36+2*i:]))
	}
	return b, nil
}

// subsetFont returns font with only the glyphs in used (and the components
// of composite glyphs among them) keeping their outlines. Glyph 0 (.notdef)
// is always kept.
func subsetFont(font []byte, used map[uint16][]rune) ([]byte, error) {
	t, err := readTables(font)
	if err != nil {
		return nil, err
	}
	head, maxp, loca, glyf := t["head"], t["maxp"], t["loca"], t["glyf"]
	if len(head) < 54 || len(maxp) < 6 || glyf == nil || loca == nil {
		return nil, fmt.Errorf("%w: no TrueType outlines", errBadFont)
	}
	numGlyphs := int(binary.BigEndian.Uint16(maxp[4:]))
	long := binary.BigEndian.Uint16(head[50:]) == 1
	offsets := make([]uint32, numGlyphs+1)
	for i := range offsets {
		if long {
			if len(loca) < 4*(i+1) {
				return nil, errBadFont
			}
			offsets[i] = binary.BigEndian.Uint32(loca[4*i:])
		} else {
			if len(loca) < 2*(i+1) {
				return nil, errBadFont
			}
			offsets[i] = uint32(binary.BigEndian.Uint16(loca[2*i:])) * 2
		}
	}
	glyph := func(g int) []byte {
		if g >= numGlyphs || offsets[g] >= offsets[g+1] || int(offsets[g+1]) > len(glyf) {
			return nil
		}
		return glyf[offsets[g]:offsets[g+1]]
	}
	keep := map[int]bool{}
	queue := []int{0}
	for g := range used {
		queue = append(queue, int(g))
	}
	for len(queue) > 0 {
		g := queue[len(queue)-1]
		queue = queue[:len(queue)-1]
		if keep[g] || g >= numGlyphs {
			continue
		}
		keep[g] = true
		queue = append(queue, components(glyph(g))...)
	}
	newGlyf := make([]byte, 0, len(glyf)/8)
	newLoca := make([]byte, 4*(numGlyphs+1))
	for g := range numGlyphs {
		binary.BigEndian.PutUint32(newLoca[4*g:], uint32(len(newGlyf)))
		if keep[g] {
			newGlyf = append(newGlyf, glyph(g)...)
			for len(newGlyf)%4 != 0 {
				newGlyf = append(newGlyf, 0)
			}
		}
	}
	binary.BigEndian.PutUint32(newLoca[4*numGlyphs:], uint32(len(newGlyf)))

	newHead := slices.Clone(head)
	binary.BigEndian.PutUint16(newHead[50:], 1) // long loca
	binary.BigEndian.PutUint32(newHead[8:], 0)  // checkSumAdjustment, set below
	tables := []sfntTable{{"glyf", newGlyf}, {"head", newHead}, {"loca", newLoca}}
	for _, tag := range []string{"OS/2", "cvt ", "fpgm", "hhea", "hmtx", "maxp", "name", "prep"} {
		if d, ok := t[tag]; ok {
			tables = append(tables, sfntTable{tag, d})
		}
	}
	if post := t["post"]; len(post) >= 32 {
		// Version 3: no glyph names.
		p := slices.Clone(post[:32])
		binary.BigEndian.PutUint32(p, 0x00030000)
		tables = append(tables, sfntTable{"post", p})
	}
	slices.SortFunc(tables, func(a, b sfntTable) int {
		switch {
		case a.tag < b.tag:
			return -1
		case a.tag > b.tag:
			return 1
		}
		return 0
	})
	return writeSfnt(tables), nil
}

// components lists the glyphs a composite glyph is built from.
func components(g []byte) []int {
	if len(g) < 10 || int16(binary.BigEndian.Uint16(g)) >= 0 {
		return nil
	}
	var out []int
	p := 10
	for p+4 <= len(g) {
		flags := binary.BigEndian.Uint16(g[p:])
		out = append(out, int(binary.BigEndian.Uint16(g[p+2:])))
		p += 4
		if flags&0x0001 != 0 { // ARG_1_AND_2_ARE_WORDS
			p += 4
		} else {
			p += 2
		}
		switch {
		case flags&0x0008 != 0: // WE_HAVE_A_SCALE
			p += 2
		case flags&0x0040 != 0: // WE_HAVE_AN_X_AND_Y_SCALE
			p += 4
		case flags&0x0080 != 0: // WE_HAVE_A_TWO_BY_TWO
			p += 8
		}
		if flags&0x0020 == 0 { // MORE_COMPONENTS
			break
		}
	}
	return out
}

func checksum(b []byte) uint32 {
	var sum uint32
	for i := 0; i < len(b); i += 4 {
		var w [4]byte
		copy(w[:], b[i:])
		sum += binary.BigEndian.Uint32(w[:])
	}
	return sum
}

// writeSfnt assembles tables (sorted by tag) into a font file with correct
// checksums.
func writeSfnt(tables []sfntTable) []byte {
	n := len(tables)
	entrySelector := 0
	for 1<<(entrySelector+1) <= n {
		entrySelector++
	}
	searchRange := (1 << entrySelector) * 16
	out := make([]byte, 12+16*n)
	binary.BigEndian.PutUint32(out, 0x00010000)
	binary.BigEndian.PutUint16(out[4:], uint16(n))
	binary.BigEndian.PutUint16(out[6:], uint16(searchRange))
	binary.BigEndian.PutUint16(out[8:], uint16(entrySelector))
	binary.BigEndian.PutUint16(out[10:], uint16(n*16-searchRange))
	headAt := 0
	for i, t := range tables {
		rec := out[12+16*i:]
		copy(rec, t.tag)
		binary.BigEndian.PutUint32(rec[4:], checksum(t.data))
		binary.BigEndian.PutUint32(rec[8:], uint32(len(out)))
		binary.BigEndian.PutUint32(rec[12:], uint32(len(t.data)))
		if t.tag == "head" {
			headAt = len(out)
		}
		out = append(out, t.data...)
		for len(out)%4 != 0 {
			out = append(out, 0)
		}
	}
	binary.BigEndian.PutUint32(out[headAt+8:], 0xB1B0AFBA-checksum(out))
	return out
}
