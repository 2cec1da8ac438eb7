package pdf

import (
	"bufio"
	"bytes"
	"compress/zlib"
	"crypto/sha256"
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"
	"unicode/utf16"

	"github.com/go-text/typesetting/shaping"
)

// A4 in points.
const (
	A4Width  = 595.28
	A4Height = 841.89
)

// Document is a PDF being built. It is not safe for concurrent use; build
// one per request.
type Document struct {
	// Title and Lang go into the document's metadata ("ne", "en").
	Title, Lang string

	fonts  [numFonts]*docFont
	shaper shaping.HarfbuzzShaper
	shapes map[shapeKey]*shaped
	pages  []*Page
}

// New starts an empty document.
func New() (*Document, error) {
	files, err := fontFiles()
	if err != nil {
		return nil, err
	}
	d := &Document{shapes: map[shapeKey]*shaped{}}
	for i, f := range files {
		d.fonts[i] = newDocFont(f)
	}
	return d, nil
}

// Page is one A4 portrait page. Its coordinates are in points from the
// top-left corner, y growing downwards, as a reader lays a page out.
type Page struct {
	d   *Document
	buf bytes.Buffer
}

// AddPage appends a page and returns it.
func (d *Document) AddPage() *Page {
	p := &Page{d: d}
	d.pages = append(d.pages, p)
	return p
}

// Pages is the number of pages so far.
func (d *Document) Pages() int { return len(d.pages) }

// Page returns page i (0-based).
func (d *Document) Page(i int) *Page { return d.pages[i] }

// TextWidth is the width of text set at size points.
func (d *Document) TextWidth(text string, size float64, bold bool) float64 {
	return d.shape(text, bold).width * size / 1000
}

func num(v float64) string {
	s := strconv.FormatFloat(v, 'f', 2, 64)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	if s == "-0" || s == "" {
		return "0"
	}
	return s
}

// Text draws text with its baseline at (x, y).
func (p *Page) Text(x, y float64, text string, size float64, bold bool) {
	if strings.TrimSpace(text) == "" {
		return
	}
	s := p.d.shape(text, bold)
	b := &p.buf
	// The line's real text, for copying, search and extraction: the glyphs
	// alone cannot say it (a conjunct is one glyph for three letters, the
	// short i is drawn before the consonant it follows).
	b.WriteString("/Span <</ActualText <FEFF")
	for _, u := range utf16.Encode([]rune(text)) {
		fmt.Fprintf(b, "%04X", u)
	}
	b.WriteString(">>> BDC\nBT\n")
	font := -1
	penX, baseline := x, A4Height-y
	lastX, lastY := 0.0, 0.0
	for _, g := range s.glyphs {
		if g.font != font {
			font = g.font
			fmt.Fprintf(b, "/F%d %s Tf\n", font, num(size))
		}
		gx, gy := penX+g.xOffset*size/1000, baseline+g.yOffset*size/1000
		fmt.Fprintf(b, "%s %s Td <%04X> Tj\n", num(gx-lastX), num(gy-lastY), g.id)
		lastX, lastY = gx, gy
		penX += g.advance * size / 1000
	}
	b.WriteString("ET\nEMC\n")
}

// Line draws a straight line width points thick.
func (p *Page) Line(x1, y1, x2, y2, width float64) {
	fmt.Fprintf(&p.buf, "%s w %s %s m %s %s l S\n", num(width), num(x1), num(A4Height-y1), num(x2), num(A4Height-y2))
}

// Rect draws a box with its top-left corner at (x, y): filled with gray
// (0 black … 1 white) when fill ≥ 0, outlined when stroke > 0 (the line
// width).
func (p *Page) Rect(x, y, w, h, fill, stroke float64) {
	r := fmt.Sprintf("%s %s %s %s re", num(x), num(A4Height-y-h), num(w), num(h))
	if fill >= 0 {
		fmt.Fprintf(&p.buf, "%s g %s f 0 g\n", num(fill), r)
	}
	if stroke > 0 {
		fmt.Fprintf(&p.buf, "%s w %s S\n", num(stroke), r)
	}
}

// pdfWriter numbers objects and remembers where each starts.
type pdfWriter struct {
	w       *bufio.Writer
	n       int64
	offsets []int64 // by object number - 1
	err     error
}

func (w *pdfWriter) write(s string) {
	if w.err != nil {
		return
	}
	k, err := w.w.WriteString(s)
	w.n += int64(k)
	w.err = err
}

func (w *pdfWriter) alloc() int {
	w.offsets = append(w.offsets, 0)
	return len(w.offsets)
}

func (w *pdfWriter) object(id int, body string) {
	w.offsets[id-1] = w.n
	w.write(fmt.Sprintf("%d 0 obj\n%s\nendobj\n", id, body))
}

// stream writes a compressed stream object; extra goes into its dictionary.
func (w *pdfWriter) stream(id int, data []byte, extra string) {
	var z bytes.Buffer
	zw, _ := zlib.NewWriterLevel(&z, zlib.BestSpeed)
	zw.Write(data)
	zw.Close()
	w.offsets[id-1] = w.n
	w.write(fmt.Sprintf("%d 0 obj\n<< /Length %d /Filter /FlateDecode%s >>\nstream\n", id, z.Len(), extra))
	w.write(z.String())
	w.write("\nendstream\nendobj\n")
}

func utf16Hex(s string) string {
	var b strings.Builder
	b.WriteString("<FEFF")
	for _, u := range utf16.Encode([]rune(s)) {
		fmt.Fprintf(&b, "%04X", u)
	}
	b.WriteString(">")
	return b.String()
}

// WriteTo writes the finished document.
func (d *Document) WriteTo(out io.Writer) (int64, error) {
	if len(d.pages) == 0 {
		d.AddPage()
	}
	w := &pdfWriter{w: bufio.NewWriterSize(out, 64<<10)}
	w.write("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
	catalog, pages, resources, info := w.alloc(), w.alloc(), w.alloc(), w.alloc()
	pageIDs := make([]int, len(d.pages))
	for i, p := range d.pages {
		pageIDs[i] = w.alloc()
		content := w.alloc()
		w.stream(content, p.buf.Bytes(), "")
		w.object(pageIDs[i], fmt.Sprintf("<< /Type /Page /Parent %d 0 R /MediaBox [0 0 %s %s] /Resources %d 0 R /Contents %d 0 R >>",
			pages, num(A4Width), num(A4Height), resources, content))
	}
	var fonts strings.Builder
	for i, f := range d.fonts {
		if len(f.used) == 0 {
			continue
		}
		if err := d.writeFont(w, f); err != nil {
			return w.n, err
		}
		fmt.Fprintf(&fonts, " /F%d %d 0 R", i, f.ref)
	}
	w.object(resources, fmt.Sprintf("<< /Font <<%s >> >>", fonts.String()))
	kids := make([]string, len(pageIDs))
	for i, id := range pageIDs {
		kids[i] = fmt.Sprintf("%d 0 R", id)
	}
	w.object(pages, fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d >>", strings.Join(kids, " "), len(pageIDs)))
	lang := ""
	if d.Lang != "" {
		lang = " /Lang " + utf16Hex(d.Lang)
	}
	w.object(catalog, fmt.Sprintf("<< /Type /Catalog /Pages %d 0 R%s /MarkInfo << /Marked true >> >>", pages, lang))
	w.object(info, fmt.Sprintf("<< /Title %s /Producer (leoc internal/pdf) >>", utf16Hex(d.Title)))
	xref := w.n
	w.write(fmt.Sprintf("xref\n0 %d\n0000000000 65535 f \n", len(w.offsets)+1))
	for _, off := range w.offsets {
		w.write(fmt.Sprintf("%010d 00000 n \n", off))
	}
	w.write(fmt.Sprintf("trailer\n<< /Size %d /Root %d 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(w.offsets)+1, catalog, info, xref))
	if w.err != nil {
		return w.n, w.err
	}
	return w.n, w.w.Flush()
}

// writeFont embeds a subset of f as a Type0 font with Identity-H encoding:
// two-byte codes are glyph IDs.
func (d *Document) writeFont(w *pdfWriter, f *docFont) error {
	sub, err := subsetFont(f.file.data, f.used)
	if err != nil {
		return err
	}
	gids := slices.Sorted(maps.Keys(f.used))
	// The subset's tag is derived from its glyphs, as PDF asks: six
	// capital letters, the same for the same subset.
	h := sha256.New()
	for _, g := range gids {
		fmt.Fprintf(h, "%d,", g)
	}
	sum := h.Sum(nil)
	tag := make([]byte, 6)
	for i := range tag {
		tag[i] = 'A' + sum[i]%26
	}
	name := string(tag) + "+" + f.file.name
	f.ref = w.alloc()
	cid, desc, file, toUni := w.alloc(), w.alloc(), w.alloc(), w.alloc()
	w.stream(file, sub, fmt.Sprintf(" /Length1 %d", len(sub)))
	ff := f.file
	w.object(desc, fmt.Sprintf("<< /Type /FontDescriptor /FontName /%s /Flags 4 /FontBBox [%s %s %s %s] /ItalicAngle 0 /Ascent %s /Descent %s /CapHeight %s /StemV 80 /FontFile2 %d 0 R >>",
		name, num(ff.bbox[0]), num(ff.bbox[1]), num(ff.bbox[2]), num(ff.bbox[3]), num(ff.ascent), num(ff.descent), num(ff.capHeight), file))
	var widths strings.Builder
	for _, g := range gids {
		fmt.Fprintf(&widths, "%d [%s] ", g, num(f.width(g)))
	}
	w.object(cid, fmt.Sprintf("<< /Type /Font /Subtype /CIDFontType2 /BaseFont /%s /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor %d 0 R /DW 1000 /W [%s] /CIDToGIDMap /Identity >>",
		name, desc, widths.String()))
	w.stream(toUni, toUnicode(gids, f.used), "")
	w.object(f.ref, fmt.Sprintf("<< /Type /Font /Subtype /Type0 /BaseFont /%s /Encoding /Identity-H /DescendantFonts [%d 0 R] /ToUnicode %d 0 R >>",
		name, cid, toUni))
	return nil
}

// toUnicode is the CMap from glyph IDs to the text of glyphs that stand
// for whole clusters.
func toUnicode(gids []uint16, text map[uint16][]rune) []byte {
	var entries []string
	for _, g := range gids {
		if rs := text[g]; len(rs) > 0 {
			var u strings.Builder
			for _, c := range utf16.Encode(rs) {
				fmt.Fprintf(&u, "%04X", c)
			}
			entries = append(entries, fmt.Sprintf("<%04X> <%s>", g, u.String()))
		}
	}
	var b bytes.Buffer
	b.WriteString("/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n")
	for len(entries) > 0 {
		n := min(len(entries), 100)
		fmt.Fprintf(&b, "%d beginbfchar\n%s\nendbfchar\n", n, strings.Join(entries[:n], "\n"))
		entries = entries[n:]
	}
	b.WriteString("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n")
	return b.Bytes()
}
