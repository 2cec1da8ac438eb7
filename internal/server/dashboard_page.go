package server

import (
	"net/http"
	"slices"

	"leoc/internal/bs"
	"leoc/internal/chart"
	"leoc/internal/leoc"
	"leoc/internal/store"
)

// dashboardPageData is the home page: the dashboard of the filter in the
// query, today's date and the filter bar.
type dashboardPageData struct {
	*dashboard
	Today       string
	Provisional bool
	Bar         *filterBar
	Labels      *distributionLabels
	Filtered    bool   // a filter is set: the page says the figures are filtered
	Query       string // the filter as a query ("?fy=…"), for the links to the statistics pages
	Charts      []*chart.Bars
}

// homePage is the dashboard. A refused filter shows the page with the
// message and no figures, as the lists do.
func (s *Server) homePage(w http.ResponseWriter, r *http.Request) {
	st := state(r)
	d := &dashboardPageData{dashboard: &dashboard{Incidents: &store.IncidentStats{}, Distributions: &store.DistributionStats{}}}
	if today, err := s.today(); err != nil {
		s.log.Warn("today is outside the calendar table", "err", err)
	} else {
		d.Provisional = s.cal.IsProvisional(today.Year)
		d.Today = today.LongEnglish()
		if st.lang == "ne" {
			d.Today = today.LongNepali()
		}
	}
	var err error
	if d.Bar, err = s.dashboardFilterBar(r); err != nil {
		s.renderError(w, r, err)
		return
	}
	if d.Labels, err = s.distributionLabels(r, st.lang); err != nil {
		s.renderError(w, r, err)
		return
	}
	if !st.user.Can(leoc.PermRead) {
		// Every role reads today; a role that may not would land here
		// after login and see the date and the bulletin-free card only.
		s.renderPage(w, r, http.StatusOK, "home", d)
		return
	}
	q := dashboardQuery(r.URL.Query())
	d.Bar.Query, d.Filtered, d.Query = q, len(q) > 0, exportQuery(q)
	dash, err := s.dashboardOf(r.Context(), q, st.user)
	if err != nil {
		fm, status := s.formFromError(r, q, err)
		s.renderPageForm(w, r, status, "home", d, fm)
		return
	}
	d.dashboard = dash
	p := &page{s: s, Lang: st.lang, User: st.user}
	d.Charts = dashboardCharts(p, dash, d.Labels, d.Bar.Types)
	s.renderPage(w, r, http.StatusOK, "home", d)
}

// dashboardFilterBar offers the fiscal years that have figures (from the
// statistics, never a scan of the registers) and the current one, the
// disaster types and the wards.
func (s *Server) dashboardFilterBar(r *http.Request) (*filterBar, error) {
	types, _, err := s.listLabels(r, store.ListDisasterType, state(r).lang)
	if err != nil {
		return nil, err
	}
	wards, err := s.store.Wards(r.Context())
	if err != nil {
		return nil, err
	}
	years, err := s.store.StatsFiscalYears(r.Context())
	if err != nil {
		return nil, err
	}
	if today, err := s.today(); err == nil {
		if cur := bs.FiscalYearOf(today).Start; !slices.Contains(years, cur) {
			years = append(years, cur)
		}
	}
	slices.Sort(years)
	slices.Reverse(years)
	bar := &filterBar{Action: "/", Types: types, Wards: wards}
	for _, y := range years {
		bar.FiscalYears = append(bar.FiscalYears, bs.FiscalYear{Start: y})
	}
	return bar, nil
}

// dashboardCharts are the page's four charts. Incidents and households
// helped share the by-ward, by-year and by-type charts; relief items have
// their own, whose bars count the distributions that gave each item (a
// kilogram of rice and a blanket cannot share a scale) and whose texts
// give the quantity in its unit.
func dashboardCharts(p *page, d *dashboard, l *distributionLabels, types []choice) []*chart.Bars {
	series := []string{p.T("dashboard.series_incidents"), p.T("dashboard.series_households")}
	pair := func(label string, inc, hh int64) chart.Row {
		return chart.Row{Label: label, Values: []int64{inc, hh}, Texts: []string{p.Count(inc), p.Count(hh)}}
	}

	byWard := &chart.Bars{ID: "chart-ward", Title: p.T("dashboard.chart_ward"), Series: series}
	incW, hhW := map[int]int64{}, map[int]int64{}
	var wards []int
	for _, w := range d.Incidents.ByWard {
		incW[w.Ward] = w.Incidents
		wards = append(wards, w.Ward)
	}
	for _, w := range d.Distributions.ByWard {
		hhW[w.Ward] = w.Households
		wards = append(wards, w.Ward)
	}
	for n := range l.Wards {
		if len(d.Filter.Wards) == 0 || slices.Contains(d.Filter.Wards, n) {
			wards = append(wards, n)
		}
	}
	slices.Sort(wards)
	for _, n := range slices.Compact(wards) {
		byWard.Rows = append(byWard.Rows, pair(p.T("dashboard.ward_n", p.digits(idString(int64(n)))), incW[n], hhW[n]))
	}

	byYear := &chart.Bars{ID: "chart-year", Title: p.T("dashboard.chart_year"), Series: series}
	incY, hhY := map[int]int64{}, map[int]int64{}
	var years []int
	for _, y := range d.Incidents.ByFiscalYear {
		incY[y.FiscalYear.Start] = y.Incidents
		years = append(years, y.FiscalYear.Start)
	}
	for _, y := range d.Distributions.ByFiscalYear {
		hhY[y.FiscalYear.Start] = y.Households
		years = append(years, y.FiscalYear.Start)
	}
	slices.Sort(years)
	years = slices.Compact(years)
	slices.Reverse(years)
	for _, y := range years {
		byYear.Rows = append(byYear.Rows, pair(p.FY(bs.FiscalYear{Start: y}), incY[y], hhY[y]))
	}

	byType := &chart.Bars{ID: "chart-type", Title: p.T("dashboard.chart_type"), Series: series}
	incT, hhT := map[string]int64{}, map[string]int64{}
	for _, t := range d.Incidents.ByType {
		incT[t.Type] = t.Incidents
	}
	for _, t := range d.Distributions.ByType {
		hhT[t.Type] = t.Households
	}
	for _, t := range types {
		c := t.Value
		if incT[c] > 0 || hhT[c] > 0 {
			byType.Rows = append(byType.Rows, pair(l.Label(l.Types, c), incT[c], hhT[c]))
			delete(incT, c)
			delete(hhT, c)
		}
	}
	for _, t := range d.Incidents.ByType { // types no longer in the list
		if _, left := incT[t.Type]; left {
			byType.Rows = append(byType.Rows, pair(t.Type, t.Incidents, hhT[t.Type]))
		}
	}

	byItem := &chart.Bars{ID: "chart-item", Title: p.T("dashboard.chart_item"), Series: []string{p.T("dashboard.series_item")}}
	for _, it := range d.Distributions.Items {
		byItem.Rows = append(byItem.Rows, chart.Row{Label: l.Label(l.Items, it.Item), Values: []int64{it.Distributions},
			Texts: []string{p.T("dashboard.item_text", p.Grouped(it.Distributions), p.Grouped(it.Quantity), l.Units[it.Item])}})
	}
	return []*chart.Bars{byWard, byYear, byType, byItem}
}
