// Package pdf writes PDF documents with correctly shaped Devanagari: text is
// shaped by go-text/typesetting (a Go port of HarfBuzz) with the language
// set to Nepali, and the resulting glyph IDs — not characters — are placed
// on the page in an embedded, subsetted Noto Sans Devanagari (Noto Sans for
// Latin letters the Devanagari font lacks). Every line of text is marked
// with its original Unicode (ActualText, and a ToUnicode map), so copying
// and text extraction give back exactly what was written.
//
// It knows nothing of LEOC: pages, text, lines, boxes, and on top of them a
// flow layout with wrapped paragraphs and tables whose header row repeats on
// every page.
package pdf

import (
	"bytes"
	_ "embed"
	"fmt"
	"sync"

	"github.com/go-text/typesetting/font"
)

// The fonts are Noto (SIL Open Font License 1.1, fonts/OFL.txt), from
// Debian's fonts-noto-core 20201225. Only the glyphs a document uses are
// embedded in it.
var (
	//go:embed fonts/NotoSansDevanagari-Regular.ttf
	devanagariRegular []byte
	//go:embed fonts/NotoSansDevanagari-Bold.ttf
	devanagariBold []byte
	//go:embed fonts/NotoSans-Regular.ttf
	latinRegular []byte
	//go:embed fonts/NotoSans-Bold.ttf
	latinBold []byte
)

// fontFile is one parsed font program, shared by every document; go-text's
// *font.Font is read-only once parsed.
type fontFile struct {
	name string // PostScript name
	data []byte
	font *font.Font
	upem float64
	// metrics in 1/1000 em for the font descriptor
	ascent, descent, capHeight float64
	bbox                       [4]float64
}

// The four faces: Devanagari and Latin, regular and bold.
const (
	devaRegular = iota
	devaBold
	latnRegular
	latnBold
	numFonts
)

var fontFiles = sync.OnceValues(func() ([numFonts]*fontFile, error) {
	var out [numFonts]*fontFile
	for i, f := range []struct {
		name string
		data []byte
	}{
		{"NotoSansDevanagari-Regular", devanagariRegular},
		{"NotoSansDevanagari-Bold", devanagariBold},
		{"NotoSans-Regular", latinRegular},
		{"NotoSans-Bold", latinBold},
	} {
		face, err := font.ParseTTF(bytes.NewReader(f.data))
		if err != nil {
			return out, fmt.Errorf("pdf: parse %s: %w", f.name, err)
		}
		ff := &fontFile{name: f.name, data: f.data, font: face.Font, upem: float64(face.Upem())}
		scale := 1000 / ff.upem
		if ext, ok := face.FontHExtents(); ok {
			ff.ascent, ff.descent = float64(ext.Ascender)*scale, float64(ext.Descender)*scale
		}
		ff.capHeight = ff.ascent * 0.7
		if h, err := headBBox(f.data); err == nil {
			for k := range h {
				ff.bbox[k] = float64(h[k]) * scale
			}
		}
		out[i] = ff
	}
	return out, nil
})

// docFont is a font as one document uses it: its own face (go-text faces
// cache glyph data and are not safe for concurrent use) and the glyphs
// drawn, which are what gets embedded.
type docFont struct {
	file *fontFile
	face *font.Face
	used map[uint16][]rune // glyph → the text it stands for (for ToUnicode)
	ref  int               // object number of the Type0 font, once written
}

func newDocFont(f *fontFile) *docFont {
	return &docFont{file: f, face: font.NewFace(f.font), used: map[uint16][]rune{}}
}

// width is a glyph's advance in 1/1000 em, as the PDF's /W array says.
func (f *docFont) width(gid uint16) float64 {
	return float64(f.face.HorizontalAdvance(font.GID(gid))) * 1000 / f.file.upem
}

func (f *docFont) has(r rune) bool {
	_, ok := f.face.NominalGlyph(r)
	return ok
}
