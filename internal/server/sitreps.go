package server

import (
	"net/http"
	"net/url"

	"leoc/internal/bs"
	"leoc/internal/leoc"
	"leoc/internal/store"
)

// Situation reports: the register's declaration and JSON form; the print
// view is in sitreps_pages.go.

// sitreps declares the situation reports to the shared lifecycle.
// Writing one needs PermPublish: a situation report speaks for the whole
// municipality, so a ward-limited officer may not, unless the office
// setting grants it (docs/security.md).
func (s *Server) sitreps() *lifecycle[*leoc.SituationReport, leoc.SituationReportInput, *leoc.SituationReportInput] {
	return &lifecycle[*leoc.SituationReport, leoc.SituationReportInput, *leoc.SituationReportInput]{
		s: s, Path: "/situation-reports", Template: "sitrep",
		Read: leoc.PermRead, Write: leoc.PermPublish, Limits: leoc.SitrepLimits,
		Get: s.store.SituationReport, List: s.store.SituationReports,
		Create: func(r *http.Request, rep *leoc.SituationReport) error {
			return s.store.CreateSituationReport(r.Context(), actor(r), rep)
		},
		Update: func(r *http.Request, rep *leoc.SituationReport) error {
			return s.store.UpdateSituationReport(r.Context(), actor(r), state(r).user, rep)
		},
		Delete: func(r *http.Request, id int64) error {
			return s.store.DeleteSituationReport(r.Context(), actor(r), state(r).user, id)
		},
		New:   func() *leoc.SituationReport { return &leoc.SituationReport{} },
		Input: (*leoc.SituationReport).Input,
		JSON:  func(rep *leoc.SituationReport) any { return toSitrepJSON(rep) },
		Defaults: func(*http.Request) url.Values {
			v := url.Values{}
			if today, err := s.today(); err == nil {
				v.Set("date_bs", today.String())
			}
			v.Set("time", bs.NepalTime(s.now()).Format("15:04"))
			return v
		},
		// The form shows the registers' figures for the date typed,
		// which saving freezes into the report.
		FormData: func(r *http.Request, edit *leoc.SituationReport, f *form) any {
			return &sitrepFormData{Edit: edit, Figures: s.liveFigures(r, f.V("date_bs"))}
		},
		ListData: func(_ *http.Request, items []*leoc.SituationReport) any {
			rows := make([]sitrepRow, len(items))
			for i, rep := range items {
				rows[i] = sitrepRow{SituationReport: rep, Short: shorten(rep.Summary, 160)}
			}
			return rows
		},
		Bar: func(r *http.Request) *filterBar {
			return &filterBar{Action: "/situation-reports", FiscalYears: s.fiscalYearOptions(r, store.SitrepRegister.Name), Query: r.URL.Query()}
		},
	}
}

func (s *Server) sitrepRoutes() []route {
	return append(s.sitreps().routes(),
		route{pattern: "GET /situation-reports/{id}/print", access: authenticated, perm: leoc.PermRead, h: s.sitrepPrintPage})
}

type sitrepJSON struct {
	recordJSON
	datedJSON
	Time              string `json:"time"`
	Summary           string `json:"summary"`
	Weather           string `json:"weather"`
	DetailedReport    string `json:"detailed_report"`
	ResourcesDeployed string `json:"resources_deployed"`
	NextUpdateBS      string `json:"next_update_bs"` // "" when not announced
	NextUpdateTime    string `json:"next_update_time"`
	// Figures are frozen from the registers when the report is saved.
	Figures *leoc.SitrepFigures `json:"figures"`
}

func toSitrepJSON(r *leoc.SituationReport) sitrepJSON {
	in := r.Input()
	return sitrepJSON{recordJSON: toRecordJSON(r.Record), datedJSON: toDatedJSON(r.Dated), Time: r.Time, Summary: r.Summary,
		Weather: r.Weather, DetailedReport: r.DetailedReport, ResourcesDeployed: r.ResourcesDeployed,
		NextUpdateBS: in.NextUpdateBS, NextUpdateTime: r.NextUpdate.Time, Figures: r.Figures}
}
