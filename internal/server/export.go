package server

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"leoc/internal/bs"
	"leoc/internal/i18n"
	"leoc/internal/leoc"
	"leoc/internal/xlsx"
)

// Exports shared by every register: one CSV writer and one XLSX writer,
// both streaming rows straight from the database to the client. A register
// gives its headers, an iterator over its records and a function that turns
// one record into cells (int64, float64, string, bool, leoc.Money,
// leoc.Quantity or nil);
// the same cells make both formats, so CSV and XLSX never disagree.

// exportLang is ?lang= when given, else the user's language.
func exportLang(r *http.Request) string {
	if l := r.URL.Query().Get("lang"); i18n.Supported(l) {
		return l
	}
	return state(r).lang
}

// exportTime is an instant in Nepal time with its offset (+05:45).
func exportTime(t time.Time) string { return bs.NepalTime(t).Format(time.RFC3339) }

// csvCell writes a cell as text. Booleans are 1 and 0 so a column can be
// summed; text that a spreadsheet would run as a formula gets a leading
// apostrophe (CSV injection).
func csvCell(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case bool:
		if x {
			return "1"
		}
		return "0"
	case leoc.Money:
		return x.String()
	case leoc.Quantity:
		return x.String()
	case string:
		if x != "" && strings.ContainsRune("=+-@\t\r", rune(x[0])) {
			return "'" + x
		}
		return x
	}
	return fmt.Sprint(v)
}

// flushEvery is how many rows go out between flushes: small enough that a
// slow phone connection sees progress, large enough to cost nothing.
const flushEvery = 1000

// exportFormat is one file format of the exports: streamExport drives it.
type exportFormat interface {
	contentType() string
	// begin writes what precedes the rows, the header row included.
	begin(w io.Writer, headers []string) error
	row(cells []any) error
	// flush sends the rows written so far on to w.
	flush() error
	end() error
}

// streamCSV answers a CSV download: a UTF-8 byte-order mark (Excel needs it
// to read Devanagari), the header, then one line per record.
func streamCSV[T any](s *Server, w http.ResponseWriter, r *http.Request, filename string, headers []string,
	each func(func(T) error) error, row func([]any, T) []any) {
	streamExport(s, w, r, filename, &csvFormat{}, headers, each, row)
}

// streamXLSX answers an XLSX download: one sheet, the header row bold and
// frozen, one row per record, compressed and sent as it goes
// (internal/xlsx keeps no sheet in memory or on disk).
func streamXLSX[T any](s *Server, w http.ResponseWriter, r *http.Request, filename, sheet string, headers []string,
	each func(func(T) error) error, row func([]any, T) []any) {
	streamExport(s, w, r, filename, &xlsxFormat{sheet: sheet}, headers, each, row)
}

// streamFile answers a download in the format of ext ("csv" or "xlsx"),
// the sheet named sheet.
func streamFile[T any](s *Server, w http.ResponseWriter, r *http.Request, ext, filename, sheet string, headers []string,
	each func(func(T) error) error, row func([]any, T) []any) {
	if ext == "xlsx" {
		streamXLSX(s, w, r, filename, sheet, headers, each, row)
		return
	}
	streamCSV(s, w, r, filename, headers, each, row)
}

// exportFilename is a register's export file, dated today (BS):
// "incidents-2082-10-15.csv".
func (s *Server) exportFilename(register, ext string) string {
	if today, err := s.today(); err == nil {
		register += "-" + today.String()
	}
	return register + "." + ext
}

// streamExport answers a download row by row straight from the database, so
// 100,000 rows never sit in memory, flushed to the client every flushEvery
// rows. Nothing is sent before the first record arrives, so an error
// reading the first page is still an error page.
func streamExport[T any](s *Server, w http.ResponseWriter, r *http.Request, filename string, f exportFormat, headers []string,
	each func(func(T) error) error, row func([]any, T) []any) {
	rc := http.NewResponseController(w)
	started := false
	start := func() error {
		started = true
		w.Header().Set("Content-Type", f.contentType())
		w.Header().Set("Content-Disposition", `attachment; filename="`+filename+`"`)
		w.Header().Set("Cache-Control", "no-store")
		return f.begin(w, headers)
	}
	var cells []any
	n := 0
	err := each(func(rec T) error {
		if !started {
			if err := start(); err != nil {
				return err
			}
		}
		cells = row(cells, rec)
		if err := f.row(cells); err != nil {
			return err
		}
		if n++; n%flushEvery == 0 {
			return flushSlowly(rc, f.flush)
		}
		return nil
	})
	if err == nil && !started {
		err = start()
	}
	if err == nil {
		err = f.end()
	}
	s.exportFailed(w, r, started, err)
}

type csvFormat struct {
	cw     *csv.Writer
	record []string
}

func (*csvFormat) contentType() string { return "text/csv; charset=utf-8" }

func (c *csvFormat) begin(w io.Writer, headers []string) error {
	c.cw, c.record = csv.NewWriter(w), make([]string, len(headers))
	if _, err := w.Write([]byte("\uFEFF")); err != nil {
		return err
	}
	return c.cw.Write(headers)
}

func (c *csvFormat) row(cells []any) error {
	for i, v := range cells {
		c.record[i] = csvCell(v)
	}
	return c.cw.Write(c.record)
}

func (c *csvFormat) flush() error {
	c.cw.Flush()
	return c.cw.Error()
}

func (c *csvFormat) end() error { return c.flush() }

type xlsxFormat struct {
	sheet string
	book  *xlsx.Writer
}

func (*xlsxFormat) contentType() string {
	return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
}

func (x *xlsxFormat) begin(w io.Writer, headers []string) error {
	var err error
	if x.book, err = xlsx.New(w, x.sheet); err != nil {
		return err
	}
	return x.book.Header(headers)
}

func (x *xlsxFormat) row(cells []any) error {
	for i, v := range cells {
		cells[i] = xlsxCell(v)
	}
	return x.book.Row(cells)
}

func (x *xlsxFormat) flush() error { return x.book.Flush() }
func (x *xlsxFormat) end() error   { return x.book.Close() }

// flushSlowly sends what is buffered and gives the next part another
// minute: the server's write timeout would otherwise cut a long export off
// on a slow rural connection.
func flushSlowly(rc *http.ResponseController, flush func() error) error {
	if err := flush(); err != nil {
		return err
	}
	if err := rc.SetWriteDeadline(time.Now().Add(time.Minute)); err != nil && !errors.Is(err, http.ErrNotSupported) {
		return err
	}
	if err := rc.Flush(); err != nil && !errors.Is(err, http.ErrNotSupported) {
		return err
	}
	return nil
}

// exportFailed reports an export error: as an error answer when nothing was
// sent yet; otherwise it logs it and aborts the connection, so the client
// sees a broken download rather than a complete-looking short file.
func (s *Server) exportFailed(w http.ResponseWriter, r *http.Request, started bool, err error) {
	if err == nil {
		return
	}
	if !started {
		s.renderError(w, r, err)
		return
	}
	if r.Context().Err() != nil {
		s.log.Info("export cancelled by the client", "request_id", state(r).id, "err", err)
		return
	}
	s.log.Error("export failed part-way", "request_id", state(r).id, "err", err)
	panic(http.ErrAbortHandler)
}

// xlsxCell is an export cell as the spreadsheet holds it. Money is the one
// conversion every register's amounts go through: the exact rupees, written
// as decimal digits (never via float64), shown with lakh/crore grouping.
func xlsxCell(v any) any {
	switch x := v.(type) {
	case leoc.Money:
		return xlsx.Amount(x.String())
	case leoc.Quantity:
		// Exact too, and shown with its own decimals (25.5, 0.125).
		return xlsx.Decimal(x.String())
	}
	return v
}
