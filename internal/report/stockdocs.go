package report

import (
	"io"

	"leoc/internal/pdf"
	"leoc/internal/store"
)

// StockDocPrint is a stock document (receipt, transfer, adjustment,
// dispatch, or a dispatch's waybill) as its print page shows it, already
// in the document's language: the server builds it once for the page and
// for this PDF, so the two say the same.
type StockDocPrint struct {
	Title      string
	Number     string      // "दाखिला नं. १/०८२/८३ · मिति: …"
	Facts      [][2]string // label, value
	Head       []string    // the lines' columns
	Right      []bool      // which columns are figures
	Rows       [][]string
	Statement  string   // above the signatures ("" for none)
	Signatures []string // the boxes' labels
	EnteredBy  string   // "Entered by: …, when"
}

// StockDocPDF writes a stock document as an A4 PDF with the office's
// letterhead, its facts, its lines and signature boxes.
func StockDocPDF(w io.Writer, lang string, t Translator, office *store.Settings, doc *StockDocPrint) error {
	p := printer{lang: lang, T: t}
	d, f, err := newDoc(office, lang, doc.Title)
	if err != nil {
		return err
	}
	f.Paragraph(doc.Number, 10.5, true, pdf.Left)
	f.Space(4)
	facts(f, doc.Facts)
	lines := &pdf.Table{Size: 9, Header: append([]string{"#"}, doc.Head...), Columns: []pdf.Column{{Weight: 0.4, Align: pdf.Right}}}
	for i := range doc.Head {
		c := pdf.Column{Weight: 1}
		if i == 0 {
			c.Weight = 2.4
		}
		if i < len(doc.Right) && doc.Right[i] {
			c.Align = pdf.Right
		}
		lines.Columns = append(lines.Columns, c)
	}
	for i, r := range doc.Rows {
		lines.Rows = append(lines.Rows, append([]string{p.num(i + 1)}, r...))
	}
	f.Table(lines)
	f.Space(10)
	if doc.Statement != "" {
		f.Paragraph(doc.Statement, 10.5, false, pdf.Left)
	}
	f.Space(36)
	boxes := &pdf.Table{Size: 9.5}
	row := make([]string, len(doc.Signatures))
	for i, s := range doc.Signatures {
		boxes.Columns = append(boxes.Columns, pdf.Column{Weight: 1})
		row[i] = s + "\n\n\n………………………"
	}
	if len(row) > 0 {
		boxes.Rows = [][]string{row}
		f.Table(boxes)
	}
	f.Space(6)
	f.Paragraph(doc.EnteredBy, 8.5, false, pdf.Left)
	return finish(d, w, p)
}
