package server

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"

	"leoc/internal/leoc"
	"leoc/internal/store"
)

// Distribution statistics (GET /api/v1/stats/distributions, the stats
// page) and exports (CSV with a byte-order mark, XLSX), streamed like the
// incident exports. In an export each distribution is one row; its members,
// harms and items are flattened into text cells ("name (relation, age,
// sex); …") plus a quantity column per relief item of the settings list, so
// a spreadsheet can still sum rice or tarpaulins.

func distributionFiguresJSON(o *jsonObject, f *store.DistributionFigures) *jsonObject {
	o.add("distributions", f.Distributions)
	o.add("households", f.Households)
	o.add("members", f.Members)
	o.add("male", f.Male)
	o.add("female", f.Female)
	o.add("children", f.Children)
	o.add("pregnant", f.Pregnant)
	o.add("infant_mothers", f.InfantMothers)
	o.add("deaths", f.Deaths)
	o.add("cash", f.Cash)
	return o
}

// units gives each relief item's unit (English, as in the rest of the API),
// so a total is never read without it.
func distributionStatsJSON(st *store.DistributionStats, units map[string]string) *jsonObject {
	keyedBy := func(k string, v any, f *store.DistributionFigures) *jsonObject {
		o := &jsonObject{}
		o.add(k, v)
		return distributionFiguresJSON(o, f)
	}
	items := make([]*jsonObject, 0, len(st.Items))
	for _, it := range st.Items {
		o := &jsonObject{}
		o.add("item", it.Item)
		o.add("quantity", it.Quantity)
		o.add("unit", units[it.Item])
		o.add("distributions", it.Distributions)
		items = append(items, o)
	}
	byWard := make([]*jsonObject, 0, len(st.ByWard))
	for i := range st.ByWard {
		byWard = append(byWard, keyedBy("ward", st.ByWard[i].Ward, &st.ByWard[i].DistributionFigures))
	}
	byYear := make([]*jsonObject, 0, len(st.ByFiscalYear))
	for i := range st.ByFiscalYear {
		byYear = append(byYear, keyedBy("fiscal_year", st.ByFiscalYear[i].FiscalYear.Label(), &st.ByFiscalYear[i].DistributionFigures))
	}
	byType := make([]*jsonObject, 0, len(st.ByType))
	for i := range st.ByType {
		byType = append(byType, keyedBy("disaster_type", st.ByType[i].Type, &st.ByType[i].DistributionFigures))
	}
	o := &jsonObject{}
	o.add("totals", distributionFiguresJSON(&jsonObject{}, &st.Totals))
	o.add("items", items)
	o.add("by_ward", byWard)
	o.add("by_fiscal_year", byYear)
	o.add("by_disaster_type", byType)
	source := "records"
	if st.FromAggregates {
		source = "aggregates"
	}
	o.add("source", source)
	return o
}

func (s *Server) apiDistributionStats(w http.ResponseWriter, r *http.Request) {
	f, err := s.distributionFilter(r.URL.Query(), state(r).user)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	// The units come from the value lists, whose change empties the cache.
	s.cachedJSON(w, r, statsKey("api/distributions", f.RecordFilter, f.IncidentID), func(ctx context.Context) (any, error) {
		st, err := s.store.DistributionStats(ctx, f)
		if err != nil {
			return nil, err
		}
		labels, err := s.distributionLabels(r.WithContext(ctx), "en")
		if err != nil {
			return nil, err
		}
		return distributionStatsJSON(st, labels.Units), nil
	})
}

type distributionStatsData struct {
	Stats  *store.DistributionStats
	Filter *filterBar
	Labels *distributionLabels
	Export string
}

func (s *Server) distributionStatsPage(w http.ResponseWriter, r *http.Request) {
	var d *distributionStatsData
	f, ok := s.distributionListing(w, r, "/distributions/stats", "distribution_stats", func(bar *filterBar, labels *distributionLabels) any {
		d = &distributionStatsData{Stats: &store.DistributionStats{}, Filter: bar, Labels: labels, Export: exportQuery(r.URL.Query())}
		return d
	})
	if !ok {
		return
	}
	var err error
	if d.Stats, err = s.distributionStats(r.Context(), f); err != nil {
		s.renderError(w, r, err)
		return
	}
	s.renderPage(w, r, http.StatusOK, "distribution_stats", d)
}

// distributionExportFields are the fixed columns; one quantity column per
// relief item follows. Headers are distribution.f.<name>.
var distributionExportFields = []string{"id", "household_name", "household_id", "father_name", "phone", "received_by",
	"incident_id", "disaster_type_key", "disaster_type", "disaster_date_bs", "date_bs", "date_ad", "fiscal_year", "ward", "tole", "place",
	"latitude", "longitude", "shelter", "members_count", "male", "female", "children", "members", "pregnant", "infant_mothers", "deaths",
	"ssf_enrolled", "allowance_type", "poverty_card", "harms", "bank_account_holder", "bank_account_number", "bank_name",
	"items", "cash", "status", "notes", "override_reason", "locked", "version", "created_at", "created_by", "updated_at", "updated_by"}

type distributionExport struct {
	f       store.DistributionFilter
	lang    string
	headers []string
	labels  *distributionLabels
	items   []string // relief item keys, one column each
	user    *leoc.User
}

func (s *Server) distributionExportSetup(r *http.Request) (*distributionExport, error) {
	e := &distributionExport{lang: exportLang(r), user: state(r).user}
	var err error
	if e.f, err = s.distributionFilter(r.URL.Query(), state(r).user); err != nil {
		return nil, err
	}
	if e.labels, err = s.distributionLabels(r, e.lang); err != nil {
		return nil, err
	}
	items, _, err := s.listLabels(r, store.ListReliefItem, e.lang)
	if err != nil {
		return nil, err
	}
	for _, name := range distributionExportFields {
		e.headers = append(e.headers, s.cat.T(e.lang, "distribution.f."+name))
	}
	for _, it := range items {
		e.items = append(e.items, it.Value)
		e.headers = append(e.headers, it.Label)
	}
	return e, nil
}

// row is one distribution's line in CSV and XLSX alike; personal data the
// user may not see is masked here, so no export format can forget it.
func (e *distributionExport) row(row []any, d *leoc.Distribution) []any {
	maskDistribution(e.user, d)
	row = row[:0]
	var incident any
	if d.IncidentID != 0 {
		incident = d.IncidentID
	}
	disasterDate := ""
	if !d.DisasterDate.IsZero() {
		disasterDate = d.DisasterDate.String()
	}
	row = append(row, d.ID, d.HouseholdName, d.HouseholdID, d.FatherName, d.Phone, d.ReceivedBy, incident, d.DisasterType,
		e.labels.Label(e.labels.Types, d.DisasterType), disasterDate, d.DateBS.String(), d.DateAD.Format(time.DateOnly),
		d.FiscalYear.Label(), int64(d.Ward), d.Tole, d.Place)
	if d.Coords != nil {
		row = append(row, d.Coords.Latitude, d.Coords.Longitude)
	} else {
		row = append(row, nil, nil)
	}
	var members, harms, items []string
	for _, m := range d.Members {
		members = append(members, fmt.Sprintf("%s (%s, %d, %s)", m.Name, m.Relation, m.Age, m.Sex))
	}
	for _, h := range d.Harms {
		harms = append(harms, fmt.Sprintf("%s: %s (%s)", h.Member, h.Harm, h.Severity))
	}
	qty := map[string]int64{}
	for _, it := range d.Items {
		items = append(items, fmt.Sprintf("%s %d %s", e.labels.Label(e.labels.Items, it.Item), it.Quantity, it.Unit))
		qty[it.Item] += it.Quantity
	}
	allowance := ""
	if d.AllowanceType != "" {
		allowance = e.labels.Label(e.labels.Allowances, d.AllowanceType)
	}
	row = append(row, d.Shelter, int64(len(d.Members)), int64(d.Male()), int64(d.Female()), int64(d.Children()), strings.Join(members, "; "),
		int64(d.Pregnant), int64(d.InfantMothers), int64(d.Deaths), d.SSFEnrolled, allowance, d.PovertyCard, strings.Join(harms, "; "),
		d.BankHolder, d.BankAccount, d.BankName, strings.Join(items, "; "), d.Cash, d.Status, d.Notes, d.OverrideReason, d.Locked,
		int64(d.Version), exportTime(d.CreatedAt), d.CreatedBy, exportTime(d.UpdatedAt), d.UpdatedBy)
	for _, key := range e.items {
		row = append(row, qty[key])
	}
	return row
}

func (s *Server) distributionFilename(ext string) string {
	name := "distributions"
	if today, err := s.today(); err == nil {
		name += "-" + today.String()
	}
	return name + "." + ext
}

func (s *Server) distributionExportCSV(w http.ResponseWriter, r *http.Request) {
	e, err := s.distributionExportSetup(r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	each := func(fn func(*leoc.Distribution) error) error { return s.store.EachDistribution(r.Context(), e.f, fn) }
	streamCSV(s, w, r, s.distributionFilename("csv"), e.headers, each, e.row)
}

func (s *Server) distributionExportXLSX(w http.ResponseWriter, r *http.Request) {
	e, err := s.distributionExportSetup(r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	each := func(fn func(*leoc.Distribution) error) error { return s.store.EachDistribution(r.Context(), e.f, fn) }
	streamXLSX(s, w, r, s.distributionFilename("xlsx"), s.cat.T(e.lang, "distribution.title"), e.headers, each, e.row)
}
