package server

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
)

// The contacts' CSV and XLSX exports: every contact the list's filters
// select, by category. A directory is hundreds of rows, not the hundred
// thousand of an incident export, so the XLSX is built in memory.

var contactExportFields = []string{"organisation", "person", "designation", "category", "phones", "email", "ward", "address", "hours", "notes"}

// contactExport is the header and the rows of an export.
func (s *Server) contactExport(r *http.Request) ([]string, [][]any, error) {
	groups, err := s.contactGroups(r)
	if err != nil {
		return nil, nil, err
	}
	lang := exportLang(r)
	head := []string{s.cat.T(lang, "contact.id")}
	for _, f := range contactExportFields {
		head = append(head, s.cat.T(lang, "contact."+f))
	}
	var rows [][]any
	for _, g := range groups {
		for _, c := range g.Rows {
			rows = append(rows, []any{c.ID, c.Organisation, c.Person, c.Designation, c.Category, strings.Join(c.Phones, ", "), c.Email,
				c.Ward, c.Address, c.Hours, c.Notes})
		}
	}
	return head, rows, nil
}

func (s *Server) contactExportCSV(w http.ResponseWriter, r *http.Request) {
	head, rows, err := s.contactExport(r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	each := func(fn func([]any) error) error {
		for _, row := range rows {
			if err := fn(row); err != nil {
				return err
			}
		}
		return nil
	}
	streamCSV(s, w, r, "contacts.csv", head, each, func(_ []any, row []any) []any { return row })
}

func (s *Server) contactExportXLSX(w http.ResponseWriter, r *http.Request) {
	head, rows, err := s.contactExport(r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	book := excelize.NewFile()
	defer book.Close()
	sheet := s.cat.T(exportLang(r), "contact.title")
	err = book.SetSheetName("Sheet1", sheet)
	for i, row := range append([][]any{toAny(head)}, rows...) {
		if err == nil {
			err = book.SetSheetRow(sheet, "A"+strconv.Itoa(i+1), &row)
		}
	}
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", `attachment; filename="contacts.xlsx"`)
	w.Header().Set("Cache-Control", "no-store")
	if err := book.Write(w); err != nil {
		s.log.Error("contacts xlsx", "err", err, "request_id", state(r).id)
	}
}

func toAny(s []string) []any {
	out := make([]any, len(s))
	for i, v := range s {
		out[i] = v
	}
	return out
}
