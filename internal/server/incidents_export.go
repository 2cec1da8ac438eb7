package server

import (
	"archive/zip"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"leoc/internal/bs"
	"leoc/internal/i18n"
	"leoc/internal/leoc"
	"leoc/internal/store"
)

// Exports of the incidents a filter selects, every column, as CSV (UTF-8
// with a byte-order mark, so Excel reads Devanagari) or XLSX. Both stream
// from the database row by row: 100,000 incidents never sit in memory.

// exportFields are the columns, by name; the headers are their labels
// (incident.f.<name>) in the chosen language.
var exportFields = slices.Concat(
	[]string{"id", "date_bs", "date_ad", "fiscal_year", "time", "type_key", "type", "ward", "tole", "latitude", "longitude", "description"},
	leoc.IncidentCountNames(),
	[]string{"agriculture_damage"},
	leoc.IncidentFlagNames(),
	[]string{"estimated_loss", "rescue_operations", "locked", "version", "created_at", "created_by", "updated_at", "updated_by"},
)

// exportLang is ?lang= when given, else the user's language.
func exportLang(r *http.Request) string {
	if l := r.URL.Query().Get("lang"); i18n.Supported(l) {
		return l
	}
	return state(r).lang
}

// exportRow fills row with one incident's cells: int64, float64, string,
// bool, leoc.Money or nil (no coordinates).
func exportRow(row []any, inc *leoc.Incident, typeLabels map[string]string) []any {
	row = row[:0]
	row = append(row, inc.ID, inc.DateBS.String(), inc.DateAD.Format(time.DateOnly), inc.FiscalYear.Label(), inc.Time, inc.Type,
		typeLabels[inc.Type], int64(inc.Ward), inc.Tole)
	if inc.Coords != nil {
		row = append(row, inc.Coords.Latitude, inc.Coords.Longitude)
	} else {
		row = append(row, nil, nil)
	}
	row = append(row, inc.Description)
	for _, n := range inc.Counts {
		row = append(row, n)
	}
	row = append(row, inc.AgricultureDamage)
	for _, f := range inc.Flags {
		row = append(row, f)
	}
	return append(row, inc.EstimatedLoss, inc.RescueOperations, inc.Locked, int64(inc.Version),
		exportTime(inc.CreatedAt), inc.CreatedBy, exportTime(inc.UpdatedAt), inc.UpdatedBy)
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
	case string:
		if x != "" && strings.ContainsRune("=+-@\t\r", rune(x[0])) {
			return "'" + x
		}
		return x
	}
	return fmt.Sprint(v)
}

// exportSetup reads the filter and the labels an export needs.
func (s *Server) exportSetup(r *http.Request) (store.RecordFilter, string, []string, map[string]string, error) {
	lang := exportLang(r)
	f, err := s.recordFilter(r.URL.Query(), state(r).user)
	if err != nil {
		return f, lang, nil, nil, err
	}
	_, labels, err := s.incidentTypeLabels(r, lang)
	if err != nil {
		return f, lang, nil, nil, err
	}
	headers := make([]string, len(exportFields))
	for i, name := range exportFields {
		headers[i] = s.cat.T(lang, "incident.f."+name)
	}
	return f, lang, headers, labels, nil
}

func (s *Server) exportFilename(ext string) string {
	name := "incidents"
	if today, err := s.today(); err == nil {
		name += "-" + today.String()
	}
	return name + "." + ext
}

// flushEvery is how many rows go out between flushes: small enough that a
// slow phone connection sees progress, large enough to cost nothing.
const flushEvery = 1000

func (s *Server) incidentExportCSV(w http.ResponseWriter, r *http.Request) {
	f, _, headers, labels, err := s.exportSetup(r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	each := func(fn func(*leoc.Incident) error) error { return s.store.EachIncident(r.Context(), f, fn) }
	streamCSV(s, w, r, s.exportFilename("csv"), headers, each, func(row []any, inc *leoc.Incident) []any {
		return exportRow(row, inc, labels)
	})
}

// streamCSV answers a CSV download row by row straight from the database,
// so 100,000 rows never sit in memory: a UTF-8 byte-order mark (Excel needs
// it to read Devanagari), the header, then one line per record, flushed to
// the client every flushEvery lines.
func streamCSV[T any](s *Server, w http.ResponseWriter, r *http.Request, filename string, headers []string,
	each func(func(T) error) error, row func([]any, T) []any) {
	rc := http.NewResponseController(w)
	cw := csv.NewWriter(w)
	started := false
	start := func() error {
		started = true
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		w.Header().Set("Content-Disposition", `attachment; filename="`+filename+`"`)
		w.Header().Set("Cache-Control", "no-store")
		if _, err := w.Write([]byte("\uFEFF")); err != nil {
			return err
		}
		return cw.Write(headers)
	}
	var cells []any
	record, n := make([]string, len(headers)), 0
	err := each(func(rec T) error {
		if !started {
			if err := start(); err != nil {
				return err
			}
		}
		cells = row(cells, rec)
		for i, v := range cells {
			record[i] = csvCell(v)
		}
		if err := cw.Write(record); err != nil {
			return err
		}
		if n++; n%flushEvery == 0 {
			return flushSlowly(cw, rc)
		}
		return nil
	})
	if err == nil && !started {
		err = start()
	}
	if err == nil {
		cw.Flush()
		err = cw.Error()
	}
	s.exportFailed(w, r, started, err)
}

// flushSlowly sends what is buffered and gives the next part another
// minute: the server's write timeout would otherwise cut a long export off
// on a slow rural connection.
func flushSlowly(cw *csv.Writer, rc *http.ResponseController) error {
	cw.Flush()
	if err := cw.Error(); err != nil {
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

func (s *Server) incidentExportXLSX(w http.ResponseWriter, r *http.Request) {
	f, lang, headers, labels, err := s.exportSetup(r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	book := excelize.NewFile()
	defer func() {
		if err := book.Close(); err != nil {
			s.log.Error("close spreadsheet", "err", err, "request_id", state(r).id)
		}
	}()
	if err := s.writeIncidentSheet(r, book, s.cat.T(lang, "incident.title"), f, headers, labels); err != nil {
		s.renderError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", `attachment; filename="`+s.exportFilename("xlsx")+`"`)
	w.Header().Set("Cache-Control", "no-store")
	// excelize builds the zip in a bytes.Buffer (tens of MB for 100,000
	// rows); its zip writer hook lets the zip go straight to the client.
	out := &sentCounter{w: w}
	book.SetZipWriter(func(io.Writer) excelize.ZipWriter { return zip.NewWriter(out) })
	if _, err := book.WriteTo(io.Discard); err != nil {
		s.exportFailed(w, r, out.n > 0, err)
	}
}

// sentCounter notes whether anything reached the client.
type sentCounter struct {
	w io.Writer
	n int64
}

func (c *sentCounter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// writeIncidentSheet streams the rows into the workbook: excelize's stream
// writer keeps them in a temporary file, not in memory.
func (s *Server) writeIncidentSheet(r *http.Request, book *excelize.File, sheet string, f store.RecordFilter, headers []string, labels map[string]string) error {
	if err := book.SetSheetName("Sheet1", sheet); err != nil {
		return fmt.Errorf("xlsx: %w", err)
	}
	sw, err := book.NewStreamWriter(sheet)
	if err != nil {
		return fmt.Errorf("xlsx: %w", err)
	}
	bold, err := book.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return fmt.Errorf("xlsx: %w", err)
	}
	money, err := book.NewStyle(&excelize.Style{NumFmt: 4}) // #,##0.00
	if err != nil {
		return fmt.Errorf("xlsx: %w", err)
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return fmt.Errorf("xlsx: %w", err)
	}
	head := make([]any, len(headers))
	for i, h := range headers {
		head[i] = excelize.Cell{StyleID: bold, Value: h}
	}
	if err := sw.SetRow("A1", head); err != nil {
		return fmt.Errorf("xlsx: %w", err)
	}
	row, line := make([]any, 0, len(exportFields)), 1
	err = s.store.EachIncident(r.Context(), f, func(inc *leoc.Incident) error {
		row = exportRow(row, inc, labels)
		for i, v := range row {
			switch x := v.(type) {
			case bool:
				row[i] = 0
				if x {
					row[i] = 1
				}
			case leoc.Money:
				row[i] = excelize.Cell{StyleID: money, Value: float64(x) / 100}
			}
		}
		line++
		cell, err := excelize.CoordinatesToCellName(1, line)
		if err != nil {
			return err
		}
		return sw.SetRow(cell, row)
	})
	if err != nil {
		return err
	}
	if err := sw.Flush(); err != nil {
		return fmt.Errorf("xlsx: %w", err)
	}
	return nil
}
