package server

import (
	"net/http"

	"leoc/internal/i18n"
	"leoc/internal/leoc"
)

// Situation reports: what the pages show beyond the shared lifecycle
// (lifecycle.go): the list row, the form's live figures, the print view.

// sitrepRow is a report in the list, its summary shortened for the table.
type sitrepRow struct {
	*leoc.SituationReport
	Short string
}

// sitrepPrint is the A4 view: the office header and the report, nothing
// of the application around it when printed.
type sitrepPrint struct {
	Report    *leoc.SituationReport
	Generated string
}

func (s *Server) sitrepPrintPage(w http.ResponseWriter, r *http.Request) {
	// Like every print-out: Nepali unless ?lang=en asks for English.
	st := state(r)
	st.lang = "ne"
	if l := r.URL.Query().Get("lang"); i18n.Supported(l) {
		st.lang = l
	}
	if rep := loadRecord(s, w, r, s.store.SituationReport); rep != nil {
		s.renderPage(w, r, http.StatusOK, "sitrep_print", &sitrepPrint{Report: rep, Generated: s.formatWhen(state(r).lang, s.now())})
	}
}

type sitrepFormData struct {
	Edit *leoc.SituationReport
	// Figures are the registers' figures for the date in the form, shown
	// beside the narrative; saving freezes them (nil when the date is bad).
	Figures *leoc.SitrepFigures
}

// liveFigures computes the figures of a typed date for the form; a date
// that does not parse shows none (the form says what is wrong with it).
func (s *Server) liveFigures(r *http.Request, date string) *leoc.SitrepFigures {
	d, err := s.cal.Parse(date)
	if err != nil {
		return nil
	}
	ad, err := s.cal.ToAD(d)
	if err != nil {
		return nil
	}
	f, err := s.store.SitrepFigures(r.Context(), ad)
	if err != nil {
		s.log.Error("situation report figures", "err", err, "request_id", state(r).id)
		return nil
	}
	return f
}
