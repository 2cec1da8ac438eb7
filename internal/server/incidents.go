package server

import (
	"net/http"
	"time"

	"leoc/internal/leoc"
	"leoc/internal/store"
)

// The incident register: API here, pages in incidents_pages.go, statistics
// in incidents_stats.go, exports in incidents_export.go.

// incidentRoutes are the incident register's routes (pages, API, stats,
// exports).
func (s *Server) incidentRoutes() []route {
	read, write := leoc.PermRead, leoc.PermWriteRecords
	return []route{
		{pattern: "GET /incidents", access: authenticated, perm: read, h: s.incidentsPage},
		{pattern: "GET /incidents/new", access: authenticated, perm: write, h: s.incidentNewPage},
		{pattern: "POST /incidents", access: authenticated, perm: write, h: s.incidentCreate},
		{pattern: "GET /incidents/stats", access: authenticated, perm: read, h: s.incidentStatsPage},
		{pattern: "GET /incidents/export.csv", access: authenticated, perm: read, h: s.incidentExportCSV},
		{pattern: "GET /incidents/export.xlsx", access: authenticated, perm: read, h: s.incidentExportXLSX},
		{pattern: "GET /incidents/{id}", access: authenticated, perm: read, h: s.incidentPage},
		{pattern: "GET /incidents/{id}/print", access: authenticated, perm: read, h: s.incidentPrintPage},
		{pattern: "GET /incidents/{id}/edit", access: authenticated, perm: write, h: s.incidentEditPage},
		{pattern: "POST /incidents/{id}", access: authenticated, perm: write, h: s.incidentUpdate},
		{pattern: "POST /incidents/{id}/delete", access: authenticated, perm: write, h: s.incidentDelete},

		{pattern: "GET /api/v1/incidents", access: authenticated, perm: read, h: s.apiIncidents},
		{pattern: "POST /api/v1/incidents", access: authenticated, perm: write, h: s.apiIncidentCreate},
		{pattern: "GET /api/v1/incidents/export.csv", access: authenticated, perm: read, h: s.incidentExportCSV},
		{pattern: "GET /api/v1/incidents/export.xlsx", access: authenticated, perm: read, h: s.incidentExportXLSX},
		{pattern: "GET /api/v1/incidents/{id}", access: authenticated, perm: read, h: s.apiIncident},
		{pattern: "PUT /api/v1/incidents/{id}", access: authenticated, perm: write, h: s.apiIncidentUpdate},
		{pattern: "DELETE /api/v1/incidents/{id}", access: authenticated, perm: write, h: s.apiIncidentDelete},
		{pattern: "GET /api/v1/stats/incidents", access: authenticated, perm: read, h: s.apiIncidentStats},
	}
}

// jsonObject is a JSON object that keeps its keys in the order added, so an
// incident reads in the order of the form and the documentation.
type jsonObject struct {
	keys []string
	vals []any
}

func (o *jsonObject) add(key string, v any) {
	o.keys = append(o.keys, key)
	o.vals = append(o.vals, v)
}

func (o *jsonObject) MarshalJSON() ([]byte, error) { return o.appendJSON(nil) }

// appendJSON writes the object after b, the bytes encoding/json gives for
// it. Nested objects are appended in place instead of being encoded
// separately and checked again by encoding/json at every level, and keys,
// numbers and plain strings are written directly: a statistics answer has
// thousands of them (json_append.go).
func (o *jsonObject) appendJSON(b []byte) ([]byte, error) {
	if o == nil {
		return append(b, "null"...), nil
	}
	b = append(b, '{')
	var err error
	for i, k := range o.keys {
		if i > 0 {
			b = append(b, ',')
		}
		if b, err = appendJSONValue(b, k); err != nil {
			return nil, err
		}
		b = append(b, ':')
		if b, err = appendJSONValue(b, o.vals[i]); err != nil {
			return nil, err
		}
	}
	return append(b, '}'), nil
}

// incidentJSON is an incident in the API: the names of issue 4 and
// docs/api.md, counts as numbers, money as a decimal string.
func incidentJSON(inc *leoc.Incident) *jsonObject {
	o := &jsonObject{}
	o.add("id", inc.ID)
	o.add("type", inc.Type)
	o.add("date_bs", inc.DateBS.String())
	o.add("date_ad", inc.DateAD.Format(time.DateOnly))
	o.add("fiscal_year", inc.FiscalYear.Label())
	o.add("time", inc.Time)
	o.add("ward", inc.Ward)
	o.add("tole", inc.Tole)
	if inc.Coords != nil {
		o.add("latitude", inc.Coords.Latitude)
		o.add("longitude", inc.Coords.Longitude)
	} else {
		o.add("latitude", nil)
		o.add("longitude", nil)
	}
	o.add("description", inc.Description)
	for i, n := range inc.Counts {
		o.add(leoc.IncidentCount(i).Name(), n)
	}
	o.add("agriculture_damage", inc.AgricultureDamage)
	for i, f := range inc.Flags {
		o.add(leoc.IncidentFlag(i).Name(), f)
	}
	o.add("estimated_loss", inc.EstimatedLoss)
	o.add("rescue_operations", inc.RescueOperations)
	o.add("locked", inc.Locked)
	if !inc.OpenUntil.IsZero() {
		o.add("open_until", inc.OpenUntil)
	}
	o.add("version", inc.Version)
	o.add("created_at", inc.CreatedAt)
	o.add("created_by", inc.CreatedBy)
	o.add("updated_at", inc.UpdatedAt)
	o.add("updated_by", inc.UpdatedBy)
	return o
}

func (s *Server) apiIncidents(w http.ResponseWriter, r *http.Request) {
	if r.URL.Query().Has("search") {
		s.apiIncidentSearch(w, r)
		return
	}
	apiList(s, w, r, s.store.Incidents, incidentJSON)
}

func (s *Server) loadIncident(w http.ResponseWriter, r *http.Request) *leoc.Incident {
	return loadRecord(s, w, r, s.store.Incident)
}

func (s *Server) apiIncident(w http.ResponseWriter, r *http.Request) {
	if inc := s.loadIncident(w, r); inc != nil {
		s.writeJSON(w, r, http.StatusOK, incidentJSON(inc))
	}
}

// createIncident validates and saves a new incident; the API and the form
// share it. parseErr holds problems the form found before validation.
// Implausible figures come back as warnings; unless confirmed they stop the
// save with an *unconfirmedError.
func (s *Server) createIncident(r *http.Request, in *leoc.IncidentInput, parseErr *leoc.Validation, confirmed bool) (*leoc.Incident, []leoc.Warning, error) {
	rules, err := s.store.IncidentRules(r.Context())
	if err != nil {
		return nil, nil, err
	}
	inc := &leoc.Incident{}
	if err := withParseErrors(parseErr, in.Apply(s.cal, rules, inc)); err != nil {
		return nil, nil, err
	}
	warns := append(inc.Warnings(rules.Plausibility), s.wardWarnings(r, inc.Ward, inc.Coords)...)
	if err := checkWarnings(warns, confirmed); err != nil {
		return nil, warns, err
	}
	return inc, warns, s.store.CreateIncident(r.Context(), actor(r), state(r).user, inc)
}

// updateIncident applies an edit: the version the client saw must be
// given, so two people editing at once cannot overwrite each other. The
// ward and the lock are checked before the input, so the answer says what
// stands in the way first.
func (s *Server) updateIncident(r *http.Request, inc *leoc.Incident, in *leoc.IncidentInput, parseErr *leoc.Validation, confirmed bool) ([]leoc.Warning, error) {
	if u := state(r).user; !u.CanWriteWard(inc.Ward) {
		return nil, leoc.Errorf(leoc.EForbidden, "record.other_ward", inc.Ward)
	}
	if inc.Locked {
		return nil, leoc.Errorf(leoc.ELocked, "record.locked")
	}
	if in.Version <= 0 {
		return nil, errVersionRequired()
	}
	rules, err := s.store.IncidentRules(r.Context())
	if err != nil {
		return nil, err
	}
	if err := withParseErrors(parseErr, in.Apply(s.cal, rules, inc)); err != nil {
		return nil, err
	}
	warns := append(inc.Warnings(rules.Plausibility), s.wardWarnings(r, inc.Ward, inc.Coords)...)
	if err := checkWarnings(warns, confirmed); err != nil {
		return warns, err
	}
	inc.Version = in.Version
	return warns, s.store.UpdateIncident(r.Context(), actor(r), state(r).user, inc)
}

// withParseErrors joins the problems a form found while reading numbers
// with those of validation, so every field's problem shows at once.
func withParseErrors(parsed *leoc.Validation, err error) error {
	if parsed == nil || len(parsed.Fields) == 0 {
		return err
	}
	if e, ok := leoc.AsError(err); ok && e.Code == leoc.EInvalid {
		for k, m := range e.Fields {
			parsed.Add(k, m.Key, m.Args...)
		}
	} else if err != nil {
		return err
	}
	return parsed.Err()
}

func (s *Server) apiIncidentCreate(w http.ResponseWriter, r *http.Request) {
	var in leoc.IncidentInput
	if err := decodeJSON(r, &in); err != nil {
		s.renderError(w, r, err)
		return
	}
	// The API never asks for confirmation: it saves and lists the warnings.
	inc, warns, err := s.createIncident(r, &in, nil, true)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/incidents/"+idString(inc.ID))
	o := incidentJSON(inc)
	o.add("warnings", s.warningsJSON(r, warns))
	s.writeJSON(w, r, http.StatusCreated, o)
}

func (s *Server) apiIncidentUpdate(w http.ResponseWriter, r *http.Request) {
	inc := s.loadIncident(w, r)
	if inc == nil {
		return
	}
	var in leoc.IncidentInput
	if err := decodeJSON(r, &in); err != nil {
		s.renderError(w, r, err)
		return
	}
	warns, err := s.updateIncident(r, inc, &in, nil, true)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	o := incidentJSON(inc)
	o.add("warnings", s.warningsJSON(r, warns))
	s.writeJSON(w, r, http.StatusOK, o)
}

func (s *Server) apiIncidentDelete(w http.ResponseWriter, r *http.Request) {
	s.apiDelete(w, r, s.store.DeleteIncident)
}

// incidentTypeLabels maps disaster-type keys to their labels in lang, in
// the list's order.
func (s *Server) incidentTypeLabels(r *http.Request, lang string) ([]choice, map[string]string, error) {
	values, err := s.store.ListValues(r.Context(), store.ListDisasterType)
	if err != nil {
		return nil, nil, err
	}
	choices := make([]choice, 0, len(values))
	labels := make(map[string]string, len(values))
	for _, v := range values {
		choices = append(choices, choice{v.Key, v.Label(lang)})
		labels[v.Key] = v.Label(lang)
	}
	return choices, labels, nil
}
