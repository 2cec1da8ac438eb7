package pdf

import (
	"github.com/go-text/typesetting/di"
	"github.com/go-text/typesetting/language"
	"github.com/go-text/typesetting/shaping"
	"golang.org/x/image/math/fixed"
)

// glyph is one shaped glyph, its metrics in 1/1000 em.
type glyph struct {
	font             int // devaRegular…
	id               uint16
	advance          float64
	xOffset, yOffset float64
}

// shaped is a line of text as glyphs, and its width in 1/1000 em.
type shaped struct {
	glyphs []glyph
	width  float64
}

var nepali = language.NewLanguage("ne")
var english = language.NewLanguage("en")

// shape turns text into positioned glyphs: runs of the Devanagari font
// (everything it has a glyph for, digits and punctuation included) shaped
// as Nepali — the language changes conjunct forms such as द्ध — and runs of
// Latin letters it lacks in Noto Sans. Results are cached per document.
func (d *Document) shape(text string, bold bool) *shaped {
	key := shapeKey{text, bold}
	if s, ok := d.shapes[key]; ok {
		return s
	}
	runes := []rune(text)
	deva, latn := devaRegular, latnRegular
	if bold {
		deva, latn = devaBold, latnBold
	}
	pick := func(r rune) int {
		if r == 0x200C || r == 0x200D || d.fonts[deva].has(r) || !d.fonts[latn].has(r) {
			return deva
		}
		return latn
	}
	out := &shaped{}
	for start := 0; start < len(runes); {
		f := pick(runes[start])
		end := start + 1
		for end < len(runes) && pick(runes[end]) == f {
			end++
		}
		df := d.fonts[f]
		in := shaping.Input{Text: runes, RunStart: start, RunEnd: end, Direction: di.DirectionLTR, Face: df.face,
			Size: fixed.I(int(df.file.upem)), Script: language.Devanagari, Language: nepali}
		if f == latn {
			in.Script, in.Language = language.Latin, english
		}
		res := d.shaper.Shape(in)
		scale := 1000 / df.file.upem
		for _, g := range res.Glyphs {
			gid := uint16(g.GlyphID)
			if _, ok := df.used[gid]; !ok {
				df.used[gid] = clusterText(runes, g, res.Glyphs)
			}
			out.glyphs = append(out.glyphs, glyph{font: f, id: gid, advance: fx(g.Advance) * scale,
				xOffset: fx(g.XOffset) * scale, yOffset: fx(g.YOffset) * scale})
			out.width += fx(g.Advance) * scale
		}
		start = end
	}
	d.shapes[key] = out
	return out
}

type shapeKey struct {
	text string
	bold bool
}

func fx(v fixed.Int26_6) float64 { return float64(v) / 64 }

// clusterText is the text a glyph stands for in the ToUnicode map: its
// cluster's runes when it is the cluster's only glyph, else nothing (the
// line's ActualText carries the real text; a reader without ActualText
// support still finds every simple letter).
func clusterText(runes []rune, g shaping.Glyph, all []shaping.Glyph) []rune {
	n := 0
	for _, o := range all {
		if o.TextIndex() == g.TextIndex() {
			n++
		}
	}
	if n != 1 || g.TextIndex()+g.RunesCount() > len(runes) {
		return nil
	}
	return runes[g.TextIndex() : g.TextIndex()+g.RunesCount()]
}
