package pdf

import (
	"strings"
)

// Align is a text alignment inside its box.
type Align int

// Alignments.
const (
	Left Align = iota
	Center
	Right
)

// Flow lays content out top to bottom, starting a new page when the next
// block does not fit.
type Flow struct {
	d                        *Document
	page                     *Page
	Top, Left, Right, Bottom float64 // margins in points
	y                        float64 // top of the free space on page
}

// NewFlow starts a flow on a new page with 15 mm margins (room at the
// bottom for page numbers).
func (d *Document) NewFlow() *Flow {
	f := &Flow{d: d, Top: 42.5, Left: 42.5, Right: 42.5, Bottom: 56}
	f.newPage()
	return f
}

func (f *Flow) newPage() {
	f.page = f.d.AddPage()
	f.y = f.Top
}

// Width is the width between the margins.
func (f *Flow) Width() float64 { return A4Width - f.Left - f.Right }

func (f *Flow) room() float64 { return A4Height - f.Bottom - f.y }

// ensure starts a new page unless h points are free.
func (f *Flow) ensure(h float64) {
	if h > f.room() && f.y > f.Top {
		f.newPage()
	}
}

// Space leaves h points empty.
func (f *Flow) Space(h float64) {
	f.y += h
	if f.y > A4Height-f.Bottom {
		f.newPage()
	}
}

// lineHeight leaves room for Devanagari's tall vowel signs above the head
// line and the ones below the letters.
func lineHeight(size float64) float64 { return size * 1.6 }

// baseline is where the first line's baseline sits below the top of its box.
func baseline(size float64) float64 { return size * 1.15 }

// wrap breaks text into lines no wider than width, at spaces; a word longer
// than the line gets a line of its own. Newlines in text are kept.
func (d *Document) wrap(text string, size float64, bold bool, width float64) []string {
	var lines []string
	for _, para := range strings.Split(text, "\n") {
		words := strings.Fields(para)
		if len(words) == 0 {
			lines = append(lines, "")
			continue
		}
		// Words are measured one by one (shaping does not reach across a
		// space), so a paragraph costs one shaping per word, not per line
		// tried.
		space := d.TextWidth(" ", size, bold)
		line, lineW := words[0], d.TextWidth(words[0], size, bold)
		for _, w := range words[1:] {
			ww := d.TextWidth(w, size, bold)
			if lineW+space+ww <= width {
				line, lineW = line+" "+w, lineW+space+ww
				continue
			}
			lines = append(lines, line)
			line, lineW = w, ww
		}
		lines = append(lines, line)
	}
	return lines
}

// drawLines sets wrapped lines in a box of width w at (x, top).
func (p *Page) drawLines(x, top, w float64, lines []string, size float64, bold bool, align Align) {
	p.drawLinesAt(x, top, w, lines, size, lineHeight(size), bold, align)
}

// drawLinesAt sets lines of size points lead points apart.
func (p *Page) drawLinesAt(x, top, w float64, lines []string, size, lead float64, bold bool, align Align) {
	for i, l := range lines {
		lx := x
		switch align {
		case Center:
			lx = x + (w-p.d.TextWidth(l, size, bold))/2
		case Right:
			lx = x + w - p.d.TextWidth(l, size, bold)
		}
		p.Text(lx, top+baseline(lead/1.6)+float64(i)*lead, l, size, bold)
	}
}

// Paragraph sets text wrapped to the width between the margins.
func (f *Flow) Paragraph(text string, size float64, bold bool, align Align) {
	for _, l := range f.d.wrap(text, size, bold, f.Width()) {
		f.ensure(lineHeight(size))
		f.page.drawLines(f.Left, f.y, f.Width(), []string{l}, size, bold, align)
		f.y += lineHeight(size)
	}
}

// Column is one column of a table: its share of the table's width
// (relative to the other columns) and how its cells align.
type Column struct {
	Weight float64
	Align  Align
}

// Table is a bordered table. The header row is repeated at the top of
// every page the table continues on; Footer rows (a total) are bold.
type Table struct {
	Columns []Column
	Header  []string
	Rows    [][]string
	Footer  [][]string
	Size    float64 // font size in points; 0 = 9
}

const cellPad = 3

// Table sets t, breaking it across pages between rows.
func (f *Flow) Table(t *Table) {
	size := t.Size
	if size == 0 {
		size = 9
	}
	total := 0.0
	for _, c := range t.Columns {
		total += c.Weight
	}
	widths := make([]float64, len(t.Columns))
	for i, c := range t.Columns {
		widths[i] = f.Width() * c.Weight / total
	}
	// A cell's text wraps at spaces; a word still wider than its column
	// (a long heading word in a narrow column) is set smaller until it fits.
	type cell struct {
		lines []string
		size  float64
	}
	layout := func(cells []string, bold bool) ([]cell, float64) {
		out := make([]cell, len(t.Columns))
		h := lineHeight(size)
		for i := range t.Columns {
			c := cell{size: size}
			if i < len(cells) {
				inner := widths[i] - 2*cellPad
				c.lines = f.d.wrap(cells[i], size, bold, inner)
				for _, l := range c.lines {
					if w := f.d.TextWidth(l, c.size, bold); w > inner {
						c.size = max(c.size*inner/w, 4)
					}
				}
			}
			out[i] = c
			h = max(h, float64(len(c.lines))*lineHeight(size))
		}
		return out, h + 2*cellPad
	}
	header, headerH := layout(t.Header, true)
	draw := func(cells []cell, h float64, bold bool, fill float64, isHeader bool) {
		x := f.Left
		for i := range t.Columns {
			f.page.Rect(x, f.y, widths[i], h, fill, 0.5)
			align := t.Columns[i].Align
			if isHeader {
				align = Center
			}
			c := cells[i]
			f.page.drawLinesAt(x+cellPad, f.y+cellPad, widths[i]-2*cellPad, c.lines, c.size, lineHeight(size), bold, align)
			x += widths[i]
		}
		f.y += h
	}
	drawHeader := func() {
		if len(t.Header) > 0 {
			draw(header, headerH, true, 0.88, true)
		}
	}
	row := func(cells []string, bold bool) {
		lines, h := layout(cells, bold)
		if h > f.room() {
			f.newPage()
			drawHeader()
		}
		fill := -1.0
		if bold {
			fill = 0.94
		}
		draw(lines, h, bold, fill, false)
	}
	// The header never stands alone at the foot of a page.
	_, first := layout(firstRow(t), false)
	f.ensure(headerH + first)
	drawHeader()
	for _, r := range t.Rows {
		row(r, false)
	}
	for _, r := range t.Footer {
		row(r, true)
	}
}

func firstRow(t *Table) []string {
	if len(t.Rows) > 0 {
		return t.Rows[0]
	}
	if len(t.Footer) > 0 {
		return t.Footer[0]
	}
	return nil
}

// NumberPages writes label(n, total) centred at the foot of every page.
func (d *Document) NumberPages(label func(n, total int) string, size float64) {
	for i, p := range d.pages {
		text := label(i+1, len(d.pages))
		p.Text((A4Width-d.TextWidth(text, size, false))/2, A4Height-28, text, size, false)
	}
}
