package server

import "net/http"

// sendRows answers a small export (a directory of hundreds of rows, not
// the hundred thousand of an incident export) through the same CSV and
// XLSX writers as the large ones, so money and dates become cells the same
// way in every register.
func (s *Server) sendRows(w http.ResponseWriter, r *http.Request, ext, name, sheet string, head []string, rows [][]any) {
	each := func(fn func([]any) error) error {
		for _, row := range rows {
			if err := fn(row); err != nil {
				return err
			}
		}
		return nil
	}
	same := func(_ []any, row []any) []any { return row }
	if ext == "csv" {
		streamCSV(s, w, r, name+".csv", head, each, same)
		return
	}
	streamXLSX(s, w, r, name+".xlsx", sheet, head, each, same)
}
