package server

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"leoc/internal/leoc"
	"leoc/internal/store"
)

// The relief distribution register: API here, pages in
// distributions_pages.go, statistics and exports in distributions_export.go.
// The fund ledger is in funds.go.

// distributionRoutes are the relief distribution register's routes.
func (s *Server) distributionRoutes() []route {
	read, write := leoc.PermRead, leoc.PermWriteRecords
	return []route{
		{pattern: "GET /distributions", access: authenticated, perm: read, h: s.distributionsPage},
		{pattern: "GET /distributions/new", access: authenticated, perm: write, h: s.distributionNewPage},
		{pattern: "POST /distributions", access: authenticated, perm: write, h: s.distributionCreate},
		{pattern: "GET /distributions/stats", access: authenticated, perm: read, h: s.distributionStatsPage},
		{pattern: "GET /distributions/export.csv", access: authenticated, perm: read, h: s.distributionExportCSV},
		{pattern: "GET /distributions/export.xlsx", access: authenticated, perm: read, h: s.distributionExportXLSX},
		{pattern: "GET /distributions/{id}", access: authenticated, perm: read, h: s.distributionPage},
		{pattern: "GET /distributions/{id}/print", access: authenticated, perm: read, h: s.distributionPrintPage},
		{pattern: "GET /distributions/{id}/edit", access: authenticated, perm: write, h: s.distributionEditPage},
		{pattern: "POST /distributions/{id}", access: authenticated, perm: write, h: s.distributionUpdate},
		{pattern: "POST /distributions/{id}/delete", access: authenticated, perm: write, h: s.distributionDelete},

		{pattern: "GET /api/v1/distributions", access: authenticated, perm: read, h: s.apiDistributions},
		{pattern: "POST /api/v1/distributions", access: authenticated, perm: write, h: s.apiDistributionCreate},
		{pattern: "GET /api/v1/distributions/export.csv", access: authenticated, perm: read, h: s.distributionExportCSV},
		{pattern: "GET /api/v1/distributions/export.xlsx", access: authenticated, perm: read, h: s.distributionExportXLSX},
		{pattern: "GET /api/v1/distributions/{id}", access: authenticated, perm: read, h: s.apiDistribution},
		{pattern: "PUT /api/v1/distributions/{id}", access: authenticated, perm: write, h: s.apiDistributionUpdate},
		{pattern: "DELETE /api/v1/distributions/{id}", access: authenticated, perm: write, h: s.apiDistributionDelete},
		{pattern: "GET /api/v1/stats/distributions", access: authenticated, perm: read, h: s.apiDistributionStats},
	}
}

// distributionJSON is a distribution in the API: the names of issue 5 and
// docs/api.md.
func distributionJSON(d *leoc.Distribution) *jsonObject {
	o := &jsonObject{}
	o.add("id", d.ID)
	o.add("household_name", d.HouseholdName)
	o.add("household_id", d.HouseholdID)
	o.add("father_name", d.FatherName)
	o.add("received_by", d.ReceivedBy)
	o.add("phone", d.Phone)
	if d.IncidentID != 0 {
		o.add("incident_id", d.IncidentID)
	} else {
		o.add("incident_id", nil)
	}
	o.add("disaster_type", d.DisasterType)
	if d.DisasterDate.IsZero() {
		o.add("disaster_date_bs", nil)
	} else {
		o.add("disaster_date_bs", d.DisasterDate.String())
	}
	o.add("date_bs", d.DateBS.String())
	o.add("date_ad", d.DateAD.Format(time.DateOnly))
	o.add("fiscal_year", d.FiscalYear.Label())
	o.add("ward", d.Ward)
	o.add("tole", d.Tole)
	o.add("place", d.Place)
	if d.Coords != nil {
		o.add("latitude", d.Coords.Latitude)
		o.add("longitude", d.Coords.Longitude)
	} else {
		o.add("latitude", nil)
		o.add("longitude", nil)
	}
	o.add("shelter", d.Shelter)
	o.add("members", nonNil(d.Members))
	o.add("male", d.Male())
	o.add("female", d.Female())
	o.add("children", d.Children())
	o.add("pregnant", d.Pregnant)
	o.add("infant_mothers", d.InfantMothers)
	o.add("deaths", d.Deaths)
	o.add("ssf_enrolled", d.SSFEnrolled)
	o.add("allowance_type", d.AllowanceType)
	o.add("poverty_card", d.PovertyCard)
	o.add("harms", nonNil(d.Harms))
	o.add("bank_account_holder", d.BankHolder)
	o.add("bank_account_number", d.BankAccount)
	o.add("bank_name", d.BankName)
	o.add("items", nonNil(d.Items))
	o.add("cash", d.Cash)
	o.add("status", d.Status)
	o.add("notes", d.Notes)
	o.add("override_reason", d.OverrideReason)
	o.add("locked", d.Locked)
	if !d.OpenUntil.IsZero() {
		o.add("open_until", d.OpenUntil)
	}
	o.add("version", d.Version)
	o.add("created_at", d.CreatedAt)
	o.add("created_by", d.CreatedBy)
	o.add("updated_at", d.UpdatedAt)
	o.add("updated_by", d.UpdatedBy)
	o.add("personal_data_masked", d.Masked)
	return o
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

type warningJSON struct {
	Kind           string `json:"kind"`
	DistributionID int64  `json:"distribution_id,omitempty"`
	URL            string `json:"url,omitempty"`
	Field          string `json:"field,omitempty"`
	Message        string `json:"message"`
}

// withWarnings adds the possible duplicates, and coordinates outside the
// ward typed, to a saved distribution's answer.
func (s *Server) withWarnings(r *http.Request, o *jsonObject, d *leoc.Distribution, ws []store.DuplicateWarning) *jsonObject {
	out := make([]warningJSON, 0, len(ws))
	for _, w := range ws {
		out = append(out, warningJSON{Kind: w.Kind, DistributionID: w.DistributionID, URL: "/distributions/" + idString(w.DistributionID),
			Message: s.cat.T(state(r).lang, "distribution.warning."+w.Kind, w.DistributionID)})
	}
	for _, w := range s.wardWarnings(r, d.Ward, d.Coords) {
		out = append(out, warningJSON{Kind: w.Kind, Field: w.Field, Message: s.cat.Msg(state(r).lang, w.Message)})
	}
	o.add("warnings", out)
	return o
}

// distributionFilter reads the list filters plus ?incident=.
func (s *Server) distributionFilter(q url.Values, u *leoc.User) (store.DistributionFilter, error) {
	rf, err := s.recordFilter(q, u)
	f := store.DistributionFilter{RecordFilter: rf}
	if raw := q.Get("incident"); raw != "" {
		id, perr := strconv.ParseInt(raw, 10, 64)
		if perr != nil || id <= 0 {
			v := leoc.Validation{}
			if e, ok := leoc.AsError(err); ok {
				v.Fields = e.Fields
			}
			v.Add("incident", "distribution.incident_unknown")
			return f, v.Err()
		}
		f.IncidentID = id
	}
	return f, err
}

func (s *Server) apiDistributions(w http.ResponseWriter, r *http.Request) {
	f, err := s.distributionFilter(r.URL.Query(), state(r).user)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	items, total, err := s.store.Distributions(r.Context(), f)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	out := make([]*jsonObject, 0, len(items))
	for _, d := range items {
		maskDistribution(state(r).user, d)
		out = append(out, distributionJSON(d))
	}
	writeList(s, w, r, out, total, f.Page, f.PerPage)
}

func (s *Server) loadDistribution(w http.ResponseWriter, r *http.Request) *leoc.Distribution {
	return loadRecord(s, w, r, s.store.Distribution)
}

// apiDistribution answers one distribution with what the social-security
// register says about its household: vulnerable (a matching beneficiary
// has a vulnerable allowance) and ssf_matches (the matching beneficiaries'
// ids). Lists leave these out: one more query per row.
func (s *Server) apiDistribution(w http.ResponseWriter, r *http.Request) {
	d := s.loadDistribution(w, r)
	if d == nil {
		return
	}
	h, err := s.householdSSF(r.Context(), d.HouseholdID)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	maskDistribution(state(r).user, d)
	o := distributionJSON(d)
	o.add("vulnerable", h.Vulnerable != nil)
	o.add("ssf_matches", h.IDs())
	s.writeJSON(w, r, http.StatusOK, o)
}

// createDistribution validates and saves; the API and the form share it.
func (s *Server) createDistribution(r *http.Request, in *leoc.DistributionInput, parseErr error) (*leoc.Distribution, []store.DuplicateWarning, error) {
	rules, err := s.store.DistributionRules(r.Context())
	if err != nil {
		return nil, nil, err
	}
	d := &leoc.Distribution{}
	if err := withParseErrors(parsedFields(parseErr), in.Apply(s.cal, rules, d)); err != nil {
		return nil, nil, err
	}
	ws, err := s.store.CreateDistribution(r.Context(), actor(r), state(r).user, d)
	return d, ws, err
}

// updateDistribution applies an edit of the version the client saw.
func (s *Server) updateDistribution(r *http.Request, d *leoc.Distribution, in *leoc.DistributionInput, parseErr error) ([]store.DuplicateWarning, error) {
	if u := state(r).user; !u.CanWriteWard(d.Ward) {
		return nil, leoc.Errorf(leoc.EForbidden, "record.other_ward", d.Ward)
	}
	if d.Locked {
		return nil, leoc.Errorf(leoc.ELocked, "record.locked")
	}
	if in.Version <= 0 {
		return nil, errVersionRequired()
	}
	rules, err := s.store.DistributionRules(r.Context())
	if err != nil {
		return nil, err
	}
	id := d.ID
	if err := withParseErrors(parsedFields(parseErr), in.Apply(s.cal, rules, d)); err != nil {
		return nil, err
	}
	d.ID, d.Version = id, in.Version
	return s.store.UpdateDistribution(r.Context(), actor(r), state(r).user, d)
}

// parsedFields are the problems of a form that did not parse (decodeForm),
// to report with Apply's.
func parsedFields(err error) *leoc.Validation {
	if e, ok := leoc.AsError(err); ok {
		return &leoc.Validation{Fields: e.Fields}
	}
	return nil
}

// renderDistributionError answers a refused save; a duplicate answer
// carries the existing record's id and address.
func (s *Server) renderDistributionError(w http.ResponseWriter, r *http.Request, err error) {
	var dup *store.DuplicateDistribution
	if !errors.As(err, &dup) {
		s.renderError(w, r, err)
		return
	}
	e := s.domainError(r, err)
	var body struct {
		apiError
		Existing struct {
			ID  int64  `json:"id"`
			URL string `json:"url"`
		} `json:"existing"`
	}
	body.Error.Code = e.Code
	body.Error.Message = s.cat.Msg(state(r).lang, e.Message)
	body.Error.Fields = map[string]string{}
	for k, m := range e.Fields {
		body.Error.Fields[k] = s.cat.Msg(state(r).lang, m)
	}
	body.RequestID = state(r).id
	body.Existing.ID, body.Existing.URL = dup.ExistingID, "/distributions/"+idString(dup.ExistingID)
	s.writeJSON(w, r, http.StatusConflict, body)
}

func (s *Server) apiDistributionCreate(w http.ResponseWriter, r *http.Request) {
	var in leoc.DistributionInput
	if err := decodeJSON(r, &in); err != nil {
		s.renderError(w, r, err)
		return
	}
	d, ws, err := s.createDistribution(r, &in, nil)
	if err != nil {
		s.renderDistributionError(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/distributions/"+idString(d.ID))
	s.writeJSON(w, r, http.StatusCreated, s.withWarnings(r, distributionJSON(d), d, ws))
}

func (s *Server) apiDistributionUpdate(w http.ResponseWriter, r *http.Request) {
	d := s.loadDistribution(w, r)
	if d == nil {
		return
	}
	var in leoc.DistributionInput
	if err := decodeJSON(r, &in); err != nil {
		s.renderError(w, r, err)
		return
	}
	ws, err := s.updateDistribution(r, d, &in, nil)
	if err != nil {
		s.renderDistributionError(w, r, err)
		return
	}
	s.writeJSON(w, r, http.StatusOK, s.withWarnings(r, distributionJSON(d), d, ws))
}

func (s *Server) apiDistributionDelete(w http.ResponseWriter, r *http.Request) {
	s.apiDelete(w, r, s.store.DeleteDistribution)
}

// listLabels maps the keys of a settings list to their labels in lang, in
// the list's order.
func (s *Server) listLabels(r *http.Request, list, lang string) ([]choice, map[string]string, error) {
	values, err := s.store.ListValues(r.Context(), list)
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
