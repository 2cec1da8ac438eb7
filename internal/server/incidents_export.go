package server

import (
	"net/http"
	"slices"
	"time"

	"leoc/internal/leoc"
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

// incidentExport answers /incidents/export.csv or .xlsx.
func (s *Server) incidentExport(ext string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		lang := exportLang(r)
		f, err := s.recordFilter(r.URL.Query(), state(r).user)
		var labels map[string]string
		if err == nil {
			_, labels, err = s.incidentTypeLabels(r, lang)
		}
		if err != nil {
			s.renderError(w, r, err)
			return
		}
		headers := make([]string, len(exportFields))
		for i, name := range exportFields {
			headers[i] = s.cat.T(lang, "incident.f."+name)
		}
		each := func(fn func(*leoc.Incident) error) error { return s.store.EachIncident(r.Context(), f, fn) }
		streamFile(s, w, r, ext, s.exportFilename("incidents", ext), s.cat.T(lang, "incident.title"), headers, each,
			func(row []any, inc *leoc.Incident) []any { return exportRow(row, inc, labels) })
	}
}
