package server

import (
	"net/http"

	"leoc/internal/leoc"
	"leoc/internal/store"
)

// Situation reports: the register's declaration, its JSON form, and what
// its pages show beyond the shared lifecycle — the list row, the form's
// live figures, the A4 print view.

type sitrepLifecycle = lifecycle[*leoc.SituationReport, leoc.SituationReportInput, *leoc.SituationReportInput]

// sitreps declares the situation reports to the shared lifecycle.
// Writing one needs PermPublish: a situation report speaks for the whole
// municipality, so a ward-limited officer may not, unless the office
// setting grants it (docs/security.md).
func (s *Server) sitreps() *sitrepLifecycle {
	return (&sitrepLifecycle{
		s: s, Path: "/situation-reports", Template: "sitrep",
		Read: leoc.PermRead, Write: leoc.PermPublish, Limits: leoc.SitrepLimits,
		Store: s.store.SituationReports(),
		New:   func() *leoc.SituationReport { return &leoc.SituationReport{} },
		Input: (*leoc.SituationReport).Input,
		JSON: func(rep *leoc.SituationReport) any {
			return sitrepJSON{rep.Input().SitrepFields, toRecordJSON(rep.Record), toDerivedJSON(rep.Dated), rep.Figures}
		},
		Defaults: s.nowValues,
		// The form shows the registers' figures for the date typed,
		// which saving freezes into the report.
		FormData: func(r *http.Request, edit *leoc.SituationReport, f *form) any {
			return &sitrepFormData{Edit: edit, Figures: s.liveFigures(r, f.V("date_bs"))}
		},
		Bar: func(r *http.Request) *filterBar {
			return &filterBar{Action: "/situation-reports", FiscalYears: s.fiscalYearOptions(r, store.SitrepRegister.Name), Query: r.URL.Query()}
		},
		Print: func(r *http.Request, rep *leoc.SituationReport) any {
			return &sitrepPrint{Report: rep, Generated: s.formatWhen(state(r).lang, s.now())}
		},
	}).bind()
}

// sitrepJSON is the report's fields, the record's metadata and the figures
// frozen from the registers when it was saved.
type sitrepJSON struct {
	leoc.SitrepFields
	recordJSON
	derivedJSON
	Figures *leoc.SitrepFigures `json:"figures"`
}

// sitrepPrint is the A4 view: the office header and the report, nothing
// of the application around it when printed.
type sitrepPrint struct {
	Report    *leoc.SituationReport
	Generated string
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
	var v leoc.Validation
	var day leoc.Dated
	if day.SetDate(&v, s.cal, "date_bs", date); v.Err() != nil {
		return nil
	}
	f, err := s.store.SitrepFigures(r.Context(), day.DateAD)
	if err != nil {
		s.log.Error("situation report figures", "err", err, "request_id", state(r).id)
		return nil
	}
	return f
}
