// Package xlsx writes a one-sheet Office Open XML spreadsheet as a stream:
// each row goes through the zip compressor to the writer as it is added, so
// an export of 100,000 records never sits in memory or in a temporary file.
// It knows nothing of LEOC; it writes text, integers, floats and exact
// decimal amounts (Amount) shown with Nepali lakh/crore grouping.
//
// The parts are the fewest Excel, LibreOffice and excelize accept: content
// types, the package and workbook relations, the workbook, the styles and
// the sheet, whose first row is bold and frozen.
package xlsx

import (
	"archive/zip"
	"compress/flate"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Amount is an exact decimal number such as "1234567.89" or "-0.07". It is
// written into the cell as it is, never through a float64, and shown with
// two decimals and Nepali grouping (12,34,567.89).
type Amount string

// Decimal is an exact decimal number such as "25.5" or "0.125" (a stock
// quantity), written as it is like Amount but in the General format, so it
// shows as many decimals as it has instead of two.
type Decimal string

// LakhFormat is the number format of Amount cells: lakh and crore grouping
// (12,34,567.89; 1,23,45,678.00). A format may test only two conditions, so
// the three bands are below one lakh (thousands grouping, which is the same
// thing there), lakhs, and crores; from 100 crore up the crores stay
// ungrouped (1000,00,00,000.00).
const LakhFormat = `[>=10000000]##\,##\,##\,##0.00;[>=100000]##\,##\,##0.00;##,##0.00`

// Negative amounts (no export has any today) use the built-in #,##0.00
// (format 4), thousands grouping: in a conditional section spreadsheets
// drop the minus sign or, with the minus written out, double it, and
// LibreOffice and Excel do not agree on which.

// Style indexes in styles.xml.
const (
	styleNone   = 0
	styleHeader = 1
	styleAmount = 2
	styleMinus  = 3 // a negative amount
)

// Writer streams one sheet. Write the header with Header, then rows with
// Row; Close finishes the file. Flush pushes what is compressed so far to
// the underlying writer.
type Writer struct {
	zw    *zip.Writer
	fw    *flate.Writer // the sheet's compressor, kept to flush it
	sheet io.Writer
	rows  int
	cols  []string // column letters, grown as needed
	buf   []byte   // the row being written
	err   error
}

// New starts a workbook on w with one sheet called name (cut to Excel's 31
// characters, without the characters Excel refuses in sheet names).
func New(w io.Writer, name string) (*Writer, error) {
	x := &Writer{zw: zip.NewWriter(w)}
	x.zw.RegisterCompressor(zip.Deflate, func(out io.Writer) (io.WriteCloser, error) {
		fw, err := flate.NewWriter(out, flate.DefaultCompression)
		x.fw = fw
		return fw, err
	})
	parts := []struct{ name, body string }{
		{"[Content_Types].xml", contentTypes},
		{"_rels/.rels", packageRels},
		{"xl/workbook.xml", fmt.Sprintf(workbook, escape(sheetName(name)))},
		{"xl/_rels/workbook.xml.rels", workbookRels},
		{"xl/styles.xml", fmt.Sprintf(styles, escape(LakhFormat))},
	}
	for _, p := range parts {
		f, err := x.zw.Create(p.name)
		if err != nil {
			return nil, fmt.Errorf("xlsx: %w", err)
		}
		if _, err := io.WriteString(f, p.body); err != nil {
			return nil, fmt.Errorf("xlsx: %w", err)
		}
	}
	sheet, err := x.zw.Create("xl/worksheets/sheet1.xml")
	if err != nil {
		return nil, fmt.Errorf("xlsx: %w", err)
	}
	x.sheet = sheet
	if _, err := io.WriteString(sheet, sheetStart); err != nil {
		return nil, fmt.Errorf("xlsx: %w", err)
	}
	return x, nil
}

// Header writes the first row, in bold; the sheet keeps it in view when
// scrolled. Call it once, before any Row.
func (x *Writer) Header(names []string) error {
	if x.rows != 0 {
		return errors.New("xlsx: the header must be the first row")
	}
	cells := make([]any, len(names))
	for i, n := range names {
		cells[i] = n
	}
	return x.row(cells, styleHeader)
}

// Row writes one row. A cell is nil (empty), a string, an int, an int64, a
// float64 (finite), a bool (written 1 or 0, so a column can be summed), an
// Amount or a Decimal.
func (x *Writer) Row(cells []any) error { return x.row(cells, styleNone) }

func (x *Writer) row(cells []any, style int) error {
	if x.err != nil {
		return x.err
	}
	x.rows++
	// One buffer, appended to and reused: an export writes millions of
	// cells, and a string per piece would be most of its cost.
	b := append(x.buf[:0], `<row r="`...)
	b = strconv.AppendInt(b, int64(x.rows), 10)
	b = append(b, `">`...)
	for i, v := range cells {
		if v == nil {
			continue
		}
		cellStyle := style
		if a, ok := v.(Amount); ok {
			cellStyle = styleAmount
			if strings.HasPrefix(string(a), "-") && canonical(string(a)) != "0" {
				cellStyle = styleMinus
			}
		}
		b = append(b, `<c r="`...)
		b = append(b, x.column(i)...)
		b = strconv.AppendInt(b, int64(x.rows), 10)
		b = append(b, '"')
		if cellStyle != styleNone {
			b = append(b, ` s="`...)
			b = strconv.AppendInt(b, int64(cellStyle), 10)
			b = append(b, '"')
		}
		switch c := v.(type) {
		case string:
			b = append(b, ` t="inlineStr"><is><t xml:space="preserve">`...)
			b = appendEscaped(b, c)
			b = append(b, `</t></is></c>`...)
			continue
		case int:
			b = append(b, `><v>`...)
			b = strconv.AppendInt(b, int64(c), 10)
		case int64:
			b = append(b, `><v>`...)
			b = strconv.AppendInt(b, c, 10)
		case bool:
			b = append(b, `><v>`...)
			if c {
				b = append(b, '1')
			} else {
				b = append(b, '0')
			}
		case float64:
			if math.IsNaN(c) || math.IsInf(c, 0) {
				return x.fail(fmt.Errorf("xlsx: cell %s%d: %v is not a number a spreadsheet holds", x.column(i), x.rows, c))
			}
			b = append(b, `><v>`...)
			b = strconv.AppendFloat(b, c, 'f', -1, 64)
		case Decimal:
			if !isDecimal(string(c)) {
				return x.fail(fmt.Errorf("xlsx: cell %s%d: %q is not a decimal number", x.column(i), x.rows, string(c)))
			}
			b = append(b, `><v>`...)
			b = append(b, canonical(string(c))...)
		case Amount:
			if !isDecimal(string(c)) {
				return x.fail(fmt.Errorf("xlsx: cell %s%d: %q is not a decimal amount", x.column(i), x.rows, string(c)))
			}
			b = append(b, `><v>`...)
			b = append(b, canonical(string(c))...)
		default:
			return x.fail(fmt.Errorf("xlsx: cell %s%d: unsupported value of type %T", x.column(i), x.rows, v))
		}
		b = append(b, `</v></c>`...)
	}
	b = append(b, `</row>`...)
	x.buf = b
	if _, err := x.sheet.Write(b); err != nil {
		return x.fail(fmt.Errorf("xlsx: %w", err))
	}
	return nil
}

// isDecimal reports whether d is digits with an optional sign and fraction:
// -?[0-9]+(\.[0-9]+)?
func isDecimal(d string) bool {
	d = strings.TrimPrefix(d, "-")
	whole, frac, dot := strings.Cut(d, ".")
	digits := func(s string) bool {
		for i := 0; i < len(s); i++ {
			if s[i] < '0' || s[i] > '9' {
				return false
			}
		}
		return s != ""
	}
	return digits(whole) && (!dot || digits(frac))
}

// appendEscaped appends s as XML character data. Characters XML 1.0 cannot
// hold (control characters but tab and newline, invalid UTF-8, U+FFFE and
// U+FFFF) become U+FFFD; a carriage return is kept as &#xD;.
func appendEscaped(b []byte, s string) []byte {
	start := 0
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		var esc string
		switch {
		case r == '<':
			esc = "&lt;"
		case r == '>':
			esc = "&gt;"
		case r == '&':
			esc = "&amp;"
		case r == '\r':
			esc = "&#xD;"
		case r == '\t' || r == '\n':
		case r < 0x20 || r == 0xFFFE || r == 0xFFFF || (r == utf8.RuneError && size == 1):
			esc = "\uFFFD"
		}
		if esc != "" {
			b = append(b, s[start:i]...)
			b = append(b, esc...)
			start = i + size
		}
		i += size
	}
	return append(b, s[start:]...)
}

func (x *Writer) fail(err error) error {
	x.err = err
	return err
}

// Flush sends every row written so far to the underlying writer.
func (x *Writer) Flush() error {
	if x.err != nil {
		return x.err
	}
	if err := x.fw.Flush(); err != nil {
		return x.fail(fmt.Errorf("xlsx: %w", err))
	}
	if err := x.zw.Flush(); err != nil {
		return x.fail(fmt.Errorf("xlsx: %w", err))
	}
	return nil
}

// Close ends the sheet and the file. It does not close the underlying writer.
func (x *Writer) Close() error {
	if x.err != nil {
		return x.err
	}
	if _, err := io.WriteString(x.sheet, sheetEnd); err != nil {
		return x.fail(fmt.Errorf("xlsx: %w", err))
	}
	if err := x.zw.Close(); err != nil {
		return x.fail(fmt.Errorf("xlsx: %w", err))
	}
	return nil
}

// column returns the letters of the zero-based column i (A, …, Z, AA, …).
func (x *Writer) column(i int) string {
	for len(x.cols) <= i {
		n, s := len(x.cols)+1, ""
		for n > 0 {
			n--
			s = string(rune('A'+n%26)) + s
			n /= 26
		}
		x.cols = append(x.cols, s)
	}
	return x.cols[i]
}

// canonical drops a decimal's trailing fraction zeros ("125000.50" →
// "125000.5", "7.00" → "7") and a negative zero's sign: the spelling a
// spreadsheet itself stores.
func canonical(d string) string {
	if strings.Contains(d, ".") {
		d = strings.TrimRight(strings.TrimRight(d, "0"), ".")
	}
	if strings.Trim(d, "-0") == "" {
		return "0"
	}
	return d
}

// escape is text as XML character data; characters XML cannot hold become
// U+FFFD (encoding/xml does that).
func escape(s string) string {
	var b strings.Builder
	if err := xml.EscapeText(&b, []byte(s)); err != nil {
		return ""
	}
	return b.String()
}

// sheetName makes name a valid sheet name: at most 31 characters, none of
// : \ / ? * [ ], not empty.
func sheetName(name string) string {
	name = strings.Map(func(r rune) rune {
		if strings.ContainsRune(`:\/?*[]`, r) {
			return '-'
		}
		return r
	}, name)
	if utf8.RuneCountInString(name) > 31 {
		name = string([]rune(name)[:31])
	}
	if strings.TrimSpace(name) == "" {
		return "Sheet1"
	}
	return name
}

const xmlHeader = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n"

const contentTypes = xmlHeader + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
	`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
	`<Default Extension="xml" ContentType="application/xml"/>` +
	`<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>` +
	`<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>` +
	`<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>` +
	`</Types>`

const packageRels = xmlHeader + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
	`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>` +
	`</Relationships>`

const workbook = xmlHeader + `<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" ` +
	`xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">` +
	`<sheets><sheet name="%s" sheetId="1" r:id="rId1"/></sheets></workbook>`

const workbookRels = xmlHeader + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
	`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>` +
	`<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>` +
	`</Relationships>`

// styles: cellXfs 0 plain, 1 bold (header), 2 amount (number format 164),
// 3 negative amount (built-in 4, #,##0.00).
const styles = xmlHeader + `<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">` +
	`<numFmts count="1"><numFmt numFmtId="164" formatCode="%s"/></numFmts>` +
	`<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts>` +
	`<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>` +
	`<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>` +
	`<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>` +
	`<cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>` +
	`<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>` +
	`<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>` +
	`<xf numFmtId="4" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>` +
	`<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>` +
	`</styleSheet>`

const sheetStart = xmlHeader + `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">` +
	`<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>` +
	`<sheetData>`

const sheetEnd = `</sheetData></worksheet>`
