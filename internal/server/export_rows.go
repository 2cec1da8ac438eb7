package server

import (
	"net/http"
	"strconv"

	"github.com/xuri/excelize/v2"
)

// sendRows answers a small export (a directory of hundreds of rows, not
// the hundred thousand of an incident export) as CSV — streamed by
// streamCSV — or as an XLSX workbook built in memory.
func (s *Server) sendRows(w http.ResponseWriter, r *http.Request, ext, name, sheet string, head []string, rows [][]any) {
	if ext == "csv" {
		each := func(fn func([]any) error) error {
			for _, row := range rows {
				if err := fn(row); err != nil {
					return err
				}
			}
			return nil
		}
		streamCSV(s, w, r, name+".csv", head, each, func(_ []any, row []any) []any { return row })
		return
	}
	book := excelize.NewFile()
	defer book.Close()
	err := book.SetSheetName("Sheet1", sheet)
	for i, row := range append([][]any{toCells(head)}, rows...) {
		if err == nil {
			err = book.SetSheetRow(sheet, "A"+strconv.Itoa(i+1), &row)
		}
	}
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`.xlsx"`)
	w.Header().Set("Cache-Control", "no-store")
	if err := book.Write(w); err != nil {
		s.log.Error("xlsx export", "err", err, "request_id", state(r).id)
	}
}

func toCells(head []string) []any {
	out := make([]any, len(head))
	for i, h := range head {
		out[i] = h
	}
	return out
}
