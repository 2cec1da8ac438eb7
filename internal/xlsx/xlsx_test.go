package xlsx

import (
	"archive/zip"
	"bytes"
	"io"
	"math"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"leoc/internal/must"
)

// awkward are amounts a float64 on the way would spoil or a reader could
// round: the cell must hold exactly these digits.
var awkward = []struct{ amount, raw string }{
	{"0.07", "0.07"},
	{"1234567.89", "1234567.89"},
	{"10000000000000.00", "10000000000000"}, // leoc.MaxMoney, ten lakh crore
	{"9999999999999.99", "9999999999999.99"},
	{"125000.50", "125000.5"},
	{"-0.07", "-0.07"},
	{"0.00", "0"},
	{"-0.00", "0"},
}

func write(t *testing.T, fill func(x *Writer) error) []byte {
	t.Helper()
	var buf bytes.Buffer
	x, err := New(&buf, "घटना: [सूची]/2082")
	if err != nil {
		t.Fatal(err)
	}
	if err := fill(x); err != nil {
		t.Fatal(err)
	}
	if err := x.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestAmountsReadBackExactly(t *testing.T) {
	b := write(t, func(x *Writer) error {
		if err := x.Header([]string{"दर्ता नं.", "रकम"}); err != nil {
			return err
		}
		for i, a := range awkward {
			if err := x.Row([]any{int64(i + 1), Amount(a.amount)}); err != nil {
				return err
			}
		}
		return nil
	})
	book, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	defer book.Close()
	sheet := book.GetSheetName(0)
	if sheet != "घटना- -सूची--2082" {
		t.Errorf("sheet name %q", sheet)
	}
	for i, a := range awkward {
		cell := "B" + string(rune('2'+i))
		if got, err := book.GetCellValue(sheet, cell, excelize.Options{RawCellValue: true}); err != nil || got != a.raw {
			t.Errorf("%s: cell %s holds %q (%v); want %q", a.amount, cell, got, err, a.raw)
		}
		typ, err := book.GetCellType(sheet, cell)
		if err != nil || (typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset) {
			t.Errorf("%s: cell type %v %v; want a number", a.amount, typ, err)
		}
		id, err := book.GetCellStyle(sheet, cell)
		if err != nil {
			t.Fatal(err)
		}
		st, err := book.GetStyle(id)
		if strings.HasPrefix(a.raw, "-") {
			// Negative: the built-in #,##0.00, whose sign every
			// spreadsheet shows once.
			if err != nil || st.CustomNumFmt != nil || st.NumFmt != 4 {
				t.Errorf("%s: number format %v %v; want the built-in 4", a.amount, st, err)
			}
		} else if err != nil || st.CustomNumFmt == nil || *st.CustomNumFmt != LakhFormat {
			t.Errorf("%s: number format %v %v; want the lakh format", a.amount, st, err)
		}
	}
	// The sheet XML itself: the digits as given, no float spelling.
	sheetXML := part(t, b, "xl/worksheets/sheet1.xml")
	for _, want := range []string{`<v>1234567.89</v>`, `<v>10000000000000</v>`, `<v>0.07</v>`} {
		if !strings.Contains(sheetXML, want) {
			t.Errorf("sheet lacks %s", want)
		}
	}
	if strings.Contains(sheetXML, "e+") || strings.Contains(sheetXML, "0000001") {
		t.Errorf("a float spelling reached the sheet: %s", sheetXML)
	}
}

func TestCellsOfEveryKind(t *testing.T) {
	b := write(t, func(x *Writer) error {
		if err := x.Header([]string{"a", "b", "c", "d", "e", "f", "g"}); err != nil {
			return err
		}
		return x.Row([]any{"<b>&\"बिष्खेत\"</b>\x01\xff\uffff a\r\nb\tc", nil, int64(-42), 7, 29.4512, true, false})
	})
	book, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	defer book.Close()
	rows, err := book.GetRows(book.GetSheetName(0))
	if err != nil || len(rows) != 2 {
		t.Fatalf("rows %v %v", rows, err)
	}
	want := []string{"<b>&\"बिष्खेत\"</b>\uFFFD\uFFFD\uFFFD a\r\nb\tc", "", "-42", "7", "29.4512", "1", "0"}
	for i, w := range want {
		if rows[1][i] != w {
			t.Errorf("column %d: %q; want %q", i, rows[1][i], w)
		}
	}
	if f := must.Get(book.GetCellFormula(book.GetSheetName(0), "A2"))(t); f != "" {
		t.Errorf("text became a formula %q", f)
	}
	// Many columns: letters after Z.
	b = write(t, func(x *Writer) error {
		row := make([]any, 30)
		for i := range row {
			row[i] = int64(i)
		}
		return x.Row(row)
	})
	book, err = excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	defer book.Close()
	if v := must.Get(book.GetCellValue(book.GetSheetName(0), "AD1"))(t); v != "29" {
		t.Errorf("AD1 = %q", v)
	}
}

// Quantities (Decimal) are numbers written digit for digit in the General
// format, so "0.125" shows three decimals and is summed exactly.
func TestDecimalsReadBackExactly(t *testing.T) {
	values := []string{"25.5", "0.125", "10000000000000.001", "7"}
	b := write(t, func(x *Writer) error {
		if err := x.Header([]string{"परिमाण"}); err != nil {
			return err
		}
		for _, v := range values {
			if err := x.Row([]any{Decimal(v)}); err != nil {
				return err
			}
		}
		return nil
	})
	book := must.Get(excelize.OpenReader(bytes.NewReader(b)))(t)
	defer book.Close()
	sheet := book.GetSheetName(0)
	for i, want := range values {
		cell := "A" + string(rune('2'+i))
		if got := must.Get(book.GetCellValue(sheet, cell, excelize.Options{RawCellValue: true}))(t); got != want {
			t.Errorf("%s holds %q; want %q", cell, got, want)
		}
		if typ := must.Get(book.GetCellType(sheet, cell))(t); typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset {
			t.Errorf("%s: cell type %v; want a number", cell, typ)
		}
		if st := must.Get(book.GetStyle(must.Get(book.GetCellStyle(sheet, cell))(t)))(t); st.CustomNumFmt != nil || st.NumFmt != 0 {
			t.Errorf("%s: number format %v; want General", cell, st)
		}
	}
}

func TestRefusesWhatASheetCannotHold(t *testing.T) {
	for name, cell := range map[string]any{
		"NaN":         math.NaN(),
		"infinity":    math.Inf(1),
		"bad amount":  Amount("12,34,567.89"),
		"empty":       Amount(""),
		"bad decimal": Decimal("२५.५"),
		"other types": struct{}{},
	} {
		x, err := New(io.Discard, "s")
		if err != nil {
			t.Fatal(err)
		}
		if err := x.Row([]any{cell}); err == nil {
			t.Errorf("%s: accepted", name)
		}
		if err := x.Close(); err == nil {
			t.Errorf("%s: closed as if the file were whole", name)
		}
	}
	x, err := New(io.Discard, "s")
	if err != nil {
		t.Fatal(err)
	}
	if err := x.Row([]any{"a"}); err != nil {
		t.Fatal(err)
	}
	if err := x.Header([]string{"late"}); err == nil {
		t.Error("a header after a row was accepted")
	}
}

// Rows reach the writer as they are flushed, not when the file ends.
func TestFlushSendsRowsSoFar(t *testing.T) {
	var buf bytes.Buffer
	x, err := New(&buf, "s")
	if err != nil {
		t.Fatal(err)
	}
	if err := x.Flush(); err != nil {
		t.Fatal(err)
	}
	before := buf.Len()
	for i := range 2000 {
		if err := x.Row([]any{int64(i), "एउटा लामो पङ्क्ति जसले ठाउँ लिन्छ", Amount("1234.56")}); err != nil {
			t.Fatal(err)
		}
	}
	if err := x.Flush(); err != nil {
		t.Fatal(err)
	}
	if buf.Len()-before < 1000 {
		t.Errorf("flush sent %d bytes of 2,000 rows", buf.Len()-before)
	}
	if err := x.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := excelize.OpenReader(bytes.NewReader(buf.Bytes())); err != nil {
		t.Errorf("flushed file does not open: %v", err)
	}
}

func part(t *testing.T, b []byte, name string) string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	f, err := zr.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	data, err := io.ReadAll(f)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// BenchmarkRows writes 100,000 rows shaped like the incident export (sixty
// cells: numbers, Devanagari text, an amount) to nowhere.
func BenchmarkRows(b *testing.B) {
	row := make([]any, 0, 60)
	for i := range 60 {
		switch i % 4 {
		case 0:
			row = append(row, int64(i*1000))
		case 1:
			row = append(row, "बिष्खेत, थलारा गाउँपालिका")
		case 2:
			row = append(row, 29.4512)
		default:
			row = append(row, Amount("1234567.89"))
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		x, err := New(io.Discard, "s")
		if err != nil {
			b.Fatal(err)
		}
		for range 100_000 {
			if err := x.Row(row); err != nil {
				b.Fatal(err)
			}
		}
		if err := x.Close(); err != nil {
			b.Fatal(err)
		}
	}
}
