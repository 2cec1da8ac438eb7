package server

import (
	"net/http"
	"net/url"
	"strconv"

	"leoc/internal/bs"
	"leoc/internal/leoc"
	"leoc/internal/store"
)

// The incident register: its declaration and JSON form here; what its
// pages show beyond the shared lifecycle (figures laid out, print) in
// incidents_pages.go, statistics in incidents_stats.go, the streaming
// exports in incidents_export.go, the distribution form's picker in
// incidents_picker.go.

type incidentLifecycle = lifecycle[*leoc.Incident, leoc.IncidentInput, *leoc.IncidentInput]

func (s *Server) incidents() *incidentLifecycle {
	return (&incidentLifecycle{
		s: s, Path: "/incidents", Template: "incident",
		Read: leoc.PermRead, Write: leoc.PermWriteRecords, Limits: leoc.IncidentLimits,
		Get: s.store.Incident, List: s.store.Incidents,
		Create: asUser(s.store.CreateIncident),
		Update: asUser(s.store.UpdateIncident),
		Delete: asUser(s.store.DeleteIncident),
		New:    func() *leoc.Incident { return &leoc.Incident{} },
		Input:  (*leoc.Incident).Input,
		JSON:   func(inc *leoc.Incident) any { return incidentJSON(inc) },
		Ward:   func(inc *leoc.Incident) int { return inc.Ward },
		Apply: func(r *http.Request, in *leoc.IncidentInput, inc *leoc.Incident) error {
			rules, err := s.store.IncidentRules(r.Context())
			if err != nil {
				return err
			}
			return in.Apply(s.cal, rules, inc)
		},
		Warnings: func(r *http.Request, inc *leoc.Incident) ([]leoc.Warning, error) {
			p, err := s.store.Plausibility(r.Context())
			return append(inc.Warnings(p), s.wardWarnings(r, inc.Ward, inc.Coords)...), err
		},
		Defaults: s.incidentDefaults,
		FormData: s.incidentFormData,
		Detail:   func(r *http.Request, inc *leoc.Incident) any { return s.incidentView(r, inc) },
		ListData: s.incidentRows,
		Bar: func(r *http.Request) *filterBar {
			_, wards := s.wardChoices(r)
			return &filterBar{Action: "/incidents", FiscalYears: s.fiscalYearOptions(r, store.IncidentRegister.Name),
				Types: s.listChoices(r, store.ListDisasterType), Wards: wards, Query: r.URL.Query()}
		},
	}).bind()
}

// incidentRoutes are the incident register's routes: the shared lifecycle
// (its API list has a search mode for the picker), print, statistics and
// exports.
func (s *Server) incidentRoutes() []route {
	read := leoc.PermRead
	rs := s.incidents().routes()
	for i := range rs {
		if rs[i].pattern == "GET /api/v1/incidents" {
			list := rs[i].h
			rs[i].h = func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Query().Has("search") {
					s.apiIncidentSearch(w, r)
					return
				}
				list(w, r)
			}
		}
	}
	return append(rs,
		route{pattern: "GET /incidents/stats", access: authenticated, perm: read, h: s.incidentStatsPage},
		route{pattern: "GET /incidents/export.csv", access: authenticated, perm: read, h: s.incidentExport("csv")},
		route{pattern: "GET /incidents/export.xlsx", access: authenticated, perm: read, h: s.incidentExport("xlsx")},
		route{pattern: "GET /incidents/{id}/print", access: authenticated, perm: read, h: s.incidentPrintPage},
		route{pattern: "GET /api/v1/incidents/export.csv", access: authenticated, perm: read, h: s.incidentExport("csv")},
		route{pattern: "GET /api/v1/incidents/export.xlsx", access: authenticated, perm: read, h: s.incidentExport("xlsx")},
		route{pattern: "GET /api/v1/stats/incidents", access: authenticated, perm: read, h: s.apiIncidentStats},
	)
}

// incidentJSON is an incident in the API: the names of issue 4 and
// docs/api.md, counts as numbers, money as a decimal string.
func incidentJSON(inc *leoc.Incident) *jsonObject {
	o := &jsonObject{}
	o.add("id", inc.ID)
	o.add("type", inc.Type)
	o.addDated(inc.Dated)
	o.add("time", inc.Time)
	o.add("ward", inc.Ward)
	o.add("tole", inc.Tole)
	o.addCoords(inc.Coords)
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
	o.addMeta(inc.Record)
	return o
}

func (s *Server) loadIncident(w http.ResponseWriter, r *http.Request) *leoc.Incident {
	return loadRecord(s, w, r, s.store.Incident)
}

// incidentDefaults fill a new form: today, the time now, and the ward of a
// user who writes one ward only.
func (s *Server) incidentDefaults(r *http.Request) url.Values {
	v := url.Values{"time": {bs.NepalTime(s.now()).Format("15:04")}}
	if today, err := s.today(); err == nil {
		v["date_bs"] = []string{today.String()}
	}
	if u := state(r).user; len(u.Wards) == 1 {
		v["ward"] = []string{strconv.Itoa(u.Wards[0])}
	}
	return v
}

// incidentTypeLabels maps disaster-type keys to their labels in lang, in
// the list's order.
func (s *Server) incidentTypeLabels(r *http.Request, lang string) ([]choice, map[string]string, error) {
	return s.listLabels(r, store.ListDisasterType, lang)
}
