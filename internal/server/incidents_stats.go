package server

import (
	"context"
	"net/http"

	"leoc/internal/leoc"
	"leoc/internal/store"
)

// Incident statistics: GET /api/v1/stats/incidents and /incidents/stats,
// with the same filters as the list (paging and sorting do not apply).

// figuresJSON writes sums under the incident's own field names, plus the
// number of incidents and the livestock totals; a flag's figure is the
// number of incidents with that disruption.
func figuresJSON(o *jsonObject, f *store.IncidentFigures) *jsonObject {
	o.add("incidents", f.Incidents)
	for i, n := range f.Counts {
		o.add(leoc.IncidentCount(i).Name(), n)
	}
	o.add("livestock_lost", f.LivestockLost())
	o.add("livestock_injured", f.LivestockInjured())
	for i, n := range f.Flags {
		o.add(leoc.IncidentFlag(i).Name(), n)
	}
	o.add("estimated_loss", f.EstimatedLoss)
	return o
}

func keyed(key string, value any, f *store.IncidentFigures) *jsonObject {
	o := &jsonObject{}
	o.add(key, value)
	return figuresJSON(o, f)
}

func incidentStatsJSON(st *store.IncidentStats) *jsonObject {
	byWard := make([]*jsonObject, 0, len(st.ByWard))
	for i := range st.ByWard {
		byWard = append(byWard, keyed("ward", st.ByWard[i].Ward, &st.ByWard[i].IncidentFigures))
	}
	byType := make([]*jsonObject, 0, len(st.ByType))
	for i := range st.ByType {
		byType = append(byType, keyed("type", st.ByType[i].Type, &st.ByType[i].IncidentFigures))
	}
	byYear := make([]*jsonObject, 0, len(st.ByFiscalYear))
	for i := range st.ByFiscalYear {
		byYear = append(byYear, keyed("fiscal_year", st.ByFiscalYear[i].FiscalYear.Label(), &st.ByFiscalYear[i].IncidentFigures))
	}
	o := &jsonObject{}
	o.add("totals", figuresJSON(&jsonObject{}, &st.Totals))
	o.add("by_ward", byWard)
	o.add("by_type", byType)
	o.add("by_fiscal_year", byYear)
	source := "records"
	if st.FromAggregates {
		source = "aggregates"
	}
	o.add("source", source)
	return o
}

func (s *Server) apiIncidentStats(w http.ResponseWriter, r *http.Request) {
	f, err := s.recordFilter(r.URL.Query(), state(r).user)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	s.cachedJSON(w, r, statsKey("api/incidents", f, 0), func(ctx context.Context) (any, error) {
		st, err := s.store.IncidentStats(ctx, f)
		if err != nil {
			return nil, err
		}
		return incidentStatsJSON(st), nil
	})
}

type incidentStatsData struct {
	Stats      *store.IncidentStats
	Filter     *filterBar
	TypeLabels map[string]string
	WardNames  map[int]string
	Columns    []string // the figures of the by-ward, by-type and by-year tables
	Counts     []string // every count, for the totals table
	Flags      []string
	Export     string
}

// groupColumns are the main figures the group tables show.
var groupColumns = []string{"deaths", "missing", "injured", "affected_people", "affected_households", "houses_damaged", "houses_destroyed", "livestock_lost"}

// Figure returns a figure of a group or the totals by name, the livestock
// totals included.
func (d *incidentStatsData) Figure(f store.IncidentFigures, name string) int64 {
	switch name {
	case "livestock_lost":
		return f.LivestockLost()
	case "livestock_injured":
		return f.LivestockInjured()
	case "incidents":
		return f.Incidents
	}
	return f.Count(name)
}

func (s *Server) incidentStatsPage(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	bar, labels, err := s.incidentFilterBar(r, "/incidents/stats")
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	d := &incidentStatsData{Stats: &store.IncidentStats{}, Filter: bar, TypeLabels: labels, WardNames: map[int]string{},
		Columns: groupColumns, Counts: leoc.IncidentCountNames(), Flags: leoc.IncidentFlagNames(), Export: exportQuery(q)}
	for _, w := range bar.Wards {
		d.WardNames[w.Number] = w.NameEn
		if state(r).lang == "ne" {
			d.WardNames[w.Number] = w.NameNe
		}
	}
	f, err := s.recordFilter(q, state(r).user)
	if err != nil {
		fm, status := s.formFromError(r, q, err)
		s.renderPageForm(w, r, status, "incident_stats", d, fm)
		return
	}
	if d.Stats, err = s.incidentStats(r.Context(), f); err != nil {
		s.renderError(w, r, err)
		return
	}
	s.renderPage(w, r, http.StatusOK, "incident_stats", d)
}
