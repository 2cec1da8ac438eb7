package server

import (
	"net/http"
	"slices"
	"time"

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

func (s *Server) incidentExportXLSX(w http.ResponseWriter, r *http.Request) {
	f, lang, headers, labels, err := s.exportSetup(r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	each := func(fn func(*leoc.Incident) error) error { return s.store.EachIncident(r.Context(), f, fn) }
	streamXLSX(s, w, r, s.exportFilename("xlsx"), s.cat.T(lang, "incident.title"), headers, each, func(row []any, inc *leoc.Incident) []any {
		return exportRow(row, inc, labels)
	})
}
