package server

import (
	"net/http"

	"leoc/internal/leoc"
)

// Situation reports: routes and API. The pages are in web_sitreps.go.

// sitrepRoutes are the situation reports' routes.
// Writing one needs PermPublish: a situation report speaks for the whole
// municipality, so a ward-limited officer may not, unless the office
// setting grants it (docs/security.md).
func (s *Server) sitrepRoutes() []route {
	read, write := leoc.PermRead, leoc.PermPublish
	return []route{
		{pattern: "GET /situation-reports", access: authenticated, perm: read, h: s.sitrepsPage},
		{pattern: "GET /situation-reports/new", access: authenticated, perm: write, h: s.sitrepNewPage},
		{pattern: "POST /situation-reports", access: authenticated, perm: write, h: s.sitrepCreate},
		{pattern: "GET /situation-reports/{id}", access: authenticated, perm: read, h: s.sitrepPage},
		{pattern: "GET /situation-reports/{id}/print", access: authenticated, perm: read, h: s.sitrepPrintPage},
		{pattern: "GET /situation-reports/{id}/edit", access: authenticated, perm: write, h: s.sitrepEditPage},
		{pattern: "POST /situation-reports/{id}", access: authenticated, perm: write, h: s.sitrepUpdate},
		{pattern: "POST /situation-reports/{id}/delete", access: authenticated, perm: write, h: s.sitrepDelete},
		{pattern: "GET /api/v1/situation-reports", access: authenticated, perm: read, h: s.apiSitreps},
		{pattern: "POST /api/v1/situation-reports", access: authenticated, perm: write, h: s.apiSitrepCreate},
		{pattern: "GET /api/v1/situation-reports/{id}", access: authenticated, perm: read, h: s.apiSitrep},
		{pattern: "PUT /api/v1/situation-reports/{id}", access: authenticated, perm: write, h: s.apiSitrepUpdate},
		{pattern: "DELETE /api/v1/situation-reports/{id}", access: authenticated, perm: write, h: s.apiSitrepDelete},
	}
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
	j := sitrepJSON{recordJSON: toRecordJSON(r.Record), datedJSON: toDatedJSON(r.Dated), Time: r.Time, Summary: r.Summary,
		Weather: r.Weather, DetailedReport: r.DetailedReport, ResourcesDeployed: r.ResourcesDeployed, NextUpdateTime: r.NextUpdate.Time,
		Figures: r.Figures}
	if !r.NextUpdate.IsZero() {
		j.NextUpdateBS = r.NextUpdate.DateBS.String()
	}
	return j
}

func (s *Server) apiSitreps(w http.ResponseWriter, r *http.Request) {
	apiList(s, w, r, s.store.SituationReports, toSitrepJSON)
}

func (s *Server) loadSitrep(w http.ResponseWriter, r *http.Request) *leoc.SituationReport {
	return loadRecord(s, w, r, s.store.SituationReport)
}

func (s *Server) apiSitrep(w http.ResponseWriter, r *http.Request) {
	if rep := s.loadSitrep(w, r); rep != nil {
		s.writeJSON(w, r, http.StatusOK, toSitrepJSON(rep))
	}
}

func (s *Server) apiSitrepCreate(w http.ResponseWriter, r *http.Request) {
	var in leoc.SituationReportInput
	if err := decodeJSON(r, &in); err != nil {
		s.renderError(w, r, err)
		return
	}
	rep := &leoc.SituationReport{}
	if err := in.Apply(s.cal, rep); err != nil {
		s.renderError(w, r, err)
		return
	}
	if err := s.store.CreateSituationReport(r.Context(), actor(r), rep); err != nil {
		s.renderError(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/situation-reports/"+idString(rep.ID))
	s.writeJSON(w, r, http.StatusCreated, toSitrepJSON(rep))
}

func (s *Server) apiSitrepUpdate(w http.ResponseWriter, r *http.Request) {
	rep := s.loadSitrep(w, r)
	if rep == nil {
		return
	}
	var in leoc.SituationReportInput
	if err := decodeJSON(r, &in); err != nil {
		s.renderError(w, r, err)
		return
	}
	if err := s.updateSitrep(r, rep, &in); err != nil {
		s.renderError(w, r, err)
		return
	}
	s.writeJSON(w, r, http.StatusOK, toSitrepJSON(rep))
}

// checkEditable refuses an edit that does not say which version it changes
// (so two people editing at once cannot overwrite each other) or that
// targets a locked record.
func checkEditable(locked bool, version int) error {
	if version <= 0 {
		return &leoc.Error{Code: leoc.EInvalid, Message: leoc.M("error.validation"), Fields: map[string]leoc.Msg{"version": leoc.M("record.version_required")}}
	}
	if locked {
		return leoc.Errorf(leoc.ELocked, "record.locked")
	}
	return nil
}

// updateSitrep applies an edit of the version the client saw.
func (s *Server) updateSitrep(r *http.Request, rep *leoc.SituationReport, in *leoc.SituationReportInput) error {
	if err := checkEditable(rep.Locked, in.Version); err != nil {
		return err
	}
	if err := in.Apply(s.cal, rep); err != nil {
		return err
	}
	rep.Version = in.Version
	return s.store.UpdateSituationReport(r.Context(), actor(r), state(r).user, rep)
}

func (s *Server) apiSitrepDelete(w http.ResponseWriter, r *http.Request) {
	id, err := idParam(r)
	if err == nil {
		err = s.store.DeleteSituationReport(r.Context(), actor(r), state(r).user, id)
	}
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
