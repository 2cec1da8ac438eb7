package server

import (
	"context"
	"net/http"
	"net/url"

	"leoc/internal/bs"
	"leoc/internal/leoc"
	"leoc/internal/store"
)

// The dashboard: the home page after login (dashboard_page.go) and its JSON
// twin GET /api/v1/dashboard, both built by dashboardOf from the same
// filter, so the page and the API cannot disagree. Every figure comes from
// the maintained statistics (incident_stats, distribution_stats,
// distribution_item_stats) and the fund ledger's balance; the only rows read
// are the few recent incidents and distributions and the current advisories.

// dashboardRecent is how many recent incidents and distributions it lists.
const dashboardRecent = 5

// dashboardFilterKeys are the filters that apply to the dashboard: the
// keys of the statistics rows, so the figures never fall back to summing
// records. Anything else in the query (a date range, a search) is ignored.
var dashboardFilterKeys = []string{"fy", "type", "ward"}

// dashboard is everything the page and the API show.
type dashboard struct {
	Filter              store.RecordFilter
	Incidents           *store.IncidentStats
	Distributions       *store.DistributionStats
	FundBalance         leoc.Money
	RecentIncidents     []*leoc.Incident
	RecentDistributions []*leoc.Distribution // masked as the lists mask them
	Advisories          []*leoc.Advisory     // what the public sees now
	// The relief store: items below their minimum stock and balances that
	// expire within expiringDays, over every warehouse (stock is not kept
	// per year, type or ward, so no filter applies).
	LowStock, ExpiringSoon, ExpiringDays int
}

// dashboardQuery keeps only the dashboard's filters of a query.
func dashboardQuery(q url.Values) url.Values {
	out := url.Values{}
	for _, k := range dashboardFilterKeys {
		for _, v := range q[k] {
			if v != "" {
				out.Add(k, v)
			}
		}
	}
	return out
}

// dashboardOf reads the dashboard of a filter for a user. The filter is
// validated as the lists validate it (a bad fiscal year or ward is a 400
// in the user's language).
func (s *Server) dashboardOf(ctx context.Context, q url.Values, u *leoc.User) (*dashboard, error) {
	f, err := s.recordFilter(dashboardQuery(q), u)
	if err != nil {
		return nil, err
	}
	d := &dashboard{Filter: f}
	if d.Incidents, err = s.incidentStats(ctx, f); err != nil {
		return nil, err
	}
	if d.Distributions, err = s.distributionStats(ctx, store.DistributionFilter{RecordFilter: f}); err != nil {
		return nil, err
	}
	// The fund is the municipality's one relief fund: its balance is not
	// kept per ward, year or disaster type, so no filter applies to it.
	if d.FundBalance, err = s.store.FundBalance(ctx); err != nil {
		return nil, err
	}
	recent := f
	recent.Page, recent.PerPage = 1, dashboardRecent
	if d.RecentIncidents, _, err = s.store.Incidents(ctx, recent); err != nil {
		return nil, err
	}
	if d.RecentDistributions, _, err = s.store.Distributions(ctx, store.DistributionFilter{RecordFilter: recent}); err != nil {
		return nil, err
	}
	for _, dist := range d.RecentDistributions {
		maskDistribution(u, dist)
	}
	if d.Advisories, err = s.store.CurrentAdvisories(ctx, s.now()); err != nil {
		return nil, err
	}
	d.ExpiringDays = expiringDays
	if d.LowStock, d.ExpiringSoon, err = s.stockAlerts(ctx); err != nil {
		return nil, err
	}
	return d, nil
}

// apiDashboard answers the dashboard's figures with the page's filters.
func (s *Server) apiDashboard(w http.ResponseWriter, r *http.Request) {
	d, err := s.dashboardOf(r.Context(), r.URL.Query(), state(r).user)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	labels, err := s.distributionLabels(r, "en")
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	s.writeJSON(w, r, http.StatusOK, s.dashboardJSON(d, labels.Units))
}

// dashboardJSON reuses the statistics endpoints' shapes, so a client that
// reads /api/v1/stats/incidents reads the dashboard's incidents too.
func (s *Server) dashboardJSON(d *dashboard, units map[string]string) *jsonObject {
	filter := &jsonObject{}
	filter.add("fiscal_years", fiscalYearLabels(d.Filter.FiscalYears))
	filter.add("types", nonNil(d.Filter.Types))
	filter.add("wards", nonNil(d.Filter.Wards))
	incidents := make([]*jsonObject, 0, len(d.RecentIncidents))
	for _, inc := range d.RecentIncidents {
		incidents = append(incidents, incidentJSON(inc))
	}
	dists := make([]*jsonObject, 0, len(d.RecentDistributions))
	for _, dist := range d.RecentDistributions {
		dists = append(dists, distributionJSON(dist))
	}
	advisories := make([]advisoryJSON, 0, len(d.Advisories))
	for _, a := range d.Advisories {
		advisories = append(advisories, s.toAdvisoryJSON(a))
	}
	o := &jsonObject{}
	o.add("filter", filter)
	o.add("incidents", incidentStatsJSON(d.Incidents))
	o.add("distributions", distributionStatsJSON(d.Distributions, units))
	o.add("fund_balance", d.FundBalance)
	o.add("recent_incidents", incidents)
	o.add("recent_distributions", dists)
	o.add("advisories", advisories)
	stock := &jsonObject{}
	stock.add("low_stock", d.LowStock)
	stock.add("expiring_soon", d.ExpiringSoon)
	stock.add("expiring_days", expiringDays)
	o.add("stock", stock)
	return o
}

func fiscalYearLabels(starts []int) []string {
	out := make([]string, 0, len(starts))
	for _, y := range starts {
		out = append(out, bs.FiscalYear{Start: y}.Label())
	}
	return out
}
