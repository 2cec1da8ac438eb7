package server

import (
	"errors"

	"leoc/internal/bs"
	"net/http"
	"net/url"
	"strconv"

	"leoc/internal/leoc"
	"leoc/internal/store"
)

// The relief distribution register: API here, pages in
// distributions_pages.go, statistics and exports in distributions_export.go.
// The fund ledger is in funds.go.

type distributionLifecycle = lifecycle[*leoc.Distribution, distributionInput, *distributionInput]

// distributionInput is the distribution's Input with the rules Apply checks
// it against (the settings lists, the wards), which Prepare loads.
type distributionInput struct {
	leoc.DistributionInput
	rules leoc.DistributionRules
}

func (in *distributionInput) Apply(cal *bs.Calendar, d *leoc.Distribution) error {
	return in.DistributionInput.Apply(cal, in.rules, d)
}

// distributions declares the relief distributions to the shared lifecycle.
// The store's create and update keep the domain rules (cash and the fund,
// duplicates, statistics) and report possible duplicates, which the answer
// and the flash carry; a duplicate refused carries the existing record.
// Lists have their own filter (the incident), labels and masking.
func (s *Server) distributions() *distributionLifecycle {
	return (&distributionLifecycle{
		s: s, Path: "/distributions", Template: "distribution",
		Read: leoc.PermRead, Write: leoc.PermWriteRecords, Limits: leoc.DistributionLimits,
		Get: s.store.Distribution,
		Create: func(r *http.Request, d *leoc.Distribution) (err error) {
			state(r).saved, err = s.store.CreateDistribution(r.Context(), actor(r), state(r).user, d)
			return err
		},
		Update: func(r *http.Request, d *leoc.Distribution) (err error) {
			state(r).saved, err = s.store.UpdateDistribution(r.Context(), actor(r), state(r).user, d)
			return err
		},
		Delete: asUser(s.store.DeleteDistribution),
		New:    func() *leoc.Distribution { return &leoc.Distribution{} },
		Input:  func(d *leoc.Distribution) distributionInput { return distributionInput{DistributionInput: d.Input()} },
		JSON:   func(d *leoc.Distribution) any { return distributionJSON(d) },
		Ward:   func(d *leoc.Distribution) int { return d.Ward },
		Prepare: func(r *http.Request, in *distributionInput) (err error) {
			in.rules, err = s.store.DistributionRules(r.Context())
			return err
		},
		Answer: s.distributionAnswer,
		Flash:  s.distributionFlash,
		Refused: func(f *form, err error) {
			if dup := (*store.DuplicateDistribution)(nil); errors.As(err, &dup) {
				f.Values.Set("duplicate_of", idString(dup.ExistingID))
			}
		},
		APIError: s.renderDistributionError,
		Defaults: s.distributionDefaults,
		FormData: s.distributionFormData,
		Detail:   s.distributionDetail,
		Print: func(r *http.Request, d *leoc.Distribution) any {
			return s.distributionView(r, d, state(r).lang)
		},
		ListPage: s.distributionsPage,
		APIList:  s.apiDistributions,
	}).bind()
}

// distributionRoutes are the register's routes and its statistics and
// exports.
func (s *Server) distributionRoutes() []route {
	read := leoc.PermRead
	return append(s.distributions().routes(),
		route{pattern: "GET /distributions/stats", access: authenticated, perm: read, h: s.distributionStatsPage},
		route{pattern: "GET /distributions/export.csv", access: authenticated, perm: read, h: s.distributionExportCSV},
		route{pattern: "GET /distributions/export.xlsx", access: authenticated, perm: read, h: s.distributionExportXLSX},
		route{pattern: "GET /api/v1/distributions/export.csv", access: authenticated, perm: read, h: s.distributionExportCSV},
		route{pattern: "GET /api/v1/distributions/export.xlsx", access: authenticated, perm: read, h: s.distributionExportXLSX},
		route{pattern: "GET /api/v1/stats/distributions", access: authenticated, perm: read, h: s.apiDistributionStats},
	)
}

// distributionJSON is a distribution in the API: the names of issue 5 and
// docs/api.md.
func distributionJSON(d *leoc.Distribution) *jsonObject {
	o := newJSONObject(distributionJSONKeys)
	addDistribution(o, d)
	return o
}

// addDistribution adds d's keys to o.
func addDistribution(o *jsonObject, d *leoc.Distribution) {
	o.addInt("id", d.ID)
	o.addText("household_name", d.HouseholdName)
	o.addText("household_id", d.HouseholdID)
	o.addText("father_name", d.FatherName)
	o.addText("received_by", d.ReceivedBy)
	o.addText("phone", d.Phone)
	o.addID("incident_id", d.IncidentID)
	o.addText("disaster_type", d.DisasterType)
	o.addID("warehouse_id", d.WarehouseID)
	if d.DisasterDate.IsZero() {
		o.add("disaster_date_bs", nil)
	} else {
		o.addText("disaster_date_bs", d.DisasterDate.String())
	}
	o.addDated(d.Dated)
	o.addInt("ward", int64(d.Ward))
	o.addText("tole", d.Tole)
	o.addText("place", d.Place)
	o.addCoords(d.Coords)
	o.addText("shelter", d.Shelter)
	o.add("members", nonNil(d.Members))
	o.addInt("male", int64(d.Male()))
	o.addInt("female", int64(d.Female()))
	o.addInt("children", int64(d.Children()))
	o.addInt("pregnant", int64(d.Pregnant))
	o.addInt("infant_mothers", int64(d.InfantMothers))
	o.addInt("deaths", int64(d.Deaths))
	o.add("ssf_enrolled", d.SSFEnrolled)
	o.addText("allowance_type", d.AllowanceType)
	o.add("poverty_card", d.PovertyCard)
	o.add("harms", nonNil(d.Harms))
	o.addText("bank_account_holder", d.BankHolder)
	o.addText("bank_account_number", d.BankAccount)
	o.addText("bank_name", d.BankName)
	o.add("items", nonNil(d.Items))
	o.addMoney("cash", d.Cash)
	o.addText("status", d.Status)
	o.addText("notes", d.Notes)
	o.addText("override_reason", d.OverrideReason)
	o.addMeta(d.Record)
	o.add("personal_data_masked", d.Masked)
}

// distributionJSONKeys is about how many keys distributionJSON adds, with
// room for an answer's extras, so its slices are allocated once.
const distributionJSONKeys = 52

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

// distributionAnswer is a distribution in the API: after a save with its
// warnings; on its own with what the social-security register says about
// its household: vulnerable (a matching beneficiary has a vulnerable
// allowance) and ssf_matches (the matching beneficiaries' ids). Lists leave
// these out: one more query per row.
func (s *Server) distributionAnswer(r *http.Request, d *leoc.Distribution) any {
	if ws, saved := state(r).saved.([]store.DuplicateWarning); saved {
		return s.withWarnings(r, distributionJSON(d), d, ws)
	}
	h, err := s.householdSSF(r.Context(), d.HouseholdID)
	if err != nil {
		return err
	}
	maskDistribution(state(r).user, d)
	o := distributionJSON(d)
	o.add("vulnerable", h.Vulnerable != nil)
	o.add("ssf_matches", h.IDs())
	return o
}

// distributionFlash is the flash after a form saved d: a warning when it may
// be a duplicate or its coordinates are outside the ward typed.
func (s *Server) distributionFlash(r *http.Request, d *leoc.Distribution) (kind, key string) {
	if ws, _ := state(r).saved.([]store.DuplicateWarning); len(ws) > 0 {
		return "warning", "distribution.saved_with_warnings"
	}
	if len(s.wardWarnings(r, d.Ward, d.Coords)) > 0 {
		return "warning", "map.saved_ward_mismatch"
	}
	return "success", "record.saved"
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
	for _, d := range items {
		maskDistribution(state(r).user, d)
	}
	writeObjectList(s, w, r, items, addDistribution, total, f.Page, f.PerPage, f.Keyset)
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
