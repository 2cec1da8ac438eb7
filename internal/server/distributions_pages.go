package server

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"leoc/internal/leoc"
	"leoc/internal/store"
)

// The distribution pages: list, form, detail, handover receipt.

// distributionLabels are the labels the pages show for list keys and wards.
type distributionLabels struct {
	Types      map[string]string
	Items      map[string]string
	Units      map[string]string // relief item key → its unit in the page language
	Allowances map[string]string
	Wards      map[int]string
	// units are each relief item's units in both languages, so that a
	// quantity stored as "थान" prints as "pieces" on an English page.
	units map[string]store.ListValue
	lang  string
}

func (s *Server) distributionLabels(r *http.Request, lang string) (*distributionLabels, error) {
	l := &distributionLabels{Wards: map[int]string{}, units: map[string]store.ListValue{}, lang: lang}
	items, err := s.store.ListValues(r.Context(), store.ListReliefItem)
	if err != nil {
		return nil, err
	}
	for _, v := range items {
		l.units[v.Key] = v
	}
	if _, l.Types, err = s.listLabels(r, store.ListDisasterType, lang); err != nil {
		return nil, err
	}
	if _, l.Items, err = s.listLabels(r, store.ListReliefItem, lang); err != nil {
		return nil, err
	}
	l.Units = make(map[string]string, len(items))
	for _, v := range items {
		l.Units[v.Key] = v.Unit(lang)
	}
	if _, l.Allowances, err = s.listLabels(r, store.ListAllowanceType, lang); err != nil {
		return nil, err
	}
	wards, err := s.store.Wards(r.Context())
	if err != nil {
		return nil, err
	}
	for _, w := range wards {
		l.Wards[w.Number] = w.NameEn
		if lang == "ne" {
			l.Wards[w.Number] = w.NameNe
		}
	}
	return l, nil
}

// Unit writes a stored unit in the page's language when it is one of the
// item's own units; a unit the list does not know is shown as entered.
func (l *distributionLabels) Unit(item, unit string) string {
	v, ok := l.units[item]
	if !ok || (unit != v.UnitNe && unit != v.UnitEn) {
		return unit
	}
	if u := v.Unit(l.lang); u != "" {
		return u
	}
	return unit
}

// Label returns a list key's label, or the key when it has none.
func (l *distributionLabels) Label(m map[string]string, key string) string {
	if v, ok := m[key]; ok {
		return v
	}
	return key
}

// List.

type distributionListData struct {
	Items  []*leoc.Distribution
	Pager  *pager
	Filter *filterBar
	Labels *distributionLabels
	Sort   *sortLinks
	Export string
}

func (s *Server) distributionFilterBar(r *http.Request, action string) (*filterBar, error) {
	types, _, err := s.listLabels(r, store.ListDisasterType, state(r).lang)
	if err != nil {
		return nil, err
	}
	wards, err := s.store.Wards(r.Context())
	if err != nil {
		return nil, err
	}
	return &filterBar{Action: action, FiscalYears: s.fiscalYearOptions(r, store.DistributionRegister.Name), Types: types, Wards: wards, Query: r.URL.Query()}, nil
}

// distributionListing starts the list and the statistics pages: the filter
// bar, the labels and the filters of the request. data makes the page's
// Data from the first two; when the filters do not parse, the page tmpl is
// shown with the problems and ok is false.
func (s *Server) distributionListing(w http.ResponseWriter, r *http.Request, action, tmpl string,
	data func(*filterBar, *distributionLabels) any) (f store.DistributionFilter, ok bool) {
	bar, err := s.distributionFilterBar(r, action)
	var labels *distributionLabels
	if err == nil {
		labels, err = s.distributionLabels(r, state(r).lang)
	}
	if err != nil {
		s.renderError(w, r, err)
		return f, false
	}
	page := data(bar, labels)
	if f, err = s.distributionFilter(r.URL.Query(), state(r).user); err != nil {
		fm, status := s.formFromError(r, r.URL.Query(), err)
		s.renderPageForm(w, r, status, tmpl, page, fm)
		return f, false
	}
	return f, true
}

func (s *Server) distributionsPage(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	var d *distributionListData
	f, ok := s.distributionListing(w, r, "/distributions", "distribution_list", func(bar *filterBar, labels *distributionLabels) any {
		d = &distributionListData{Filter: bar, Labels: labels, Pager: &pager{}, Sort: &sortLinks{path: "/distributions", q: q}, Export: exportQuery(q)}
		return d
	})
	if !ok {
		return
	}
	var total int
	var err error
	if d.Items, total, err = s.store.Distributions(r.Context(), f); err != nil {
		s.renderError(w, r, err)
		return
	}
	for _, it := range d.Items {
		maskDistribution(state(r).user, it)
	}
	d.Pager = newPager("/distributions", q, f.RecordFilter, total)
	s.renderPage(w, r, http.StatusOK, "distribution_list", d)
}

// Detail and print.

type distributionView struct {
	*leoc.Distribution
	Labels   *distributionLabels
	Warnings []store.DuplicateWarning
	Files    []store.Attachment
	SSF      householdSSF
}

// householdSSF is what the social-security register says about a
// household: the beneficiaries whose ID number is the household's (any
// spelling), and the first of them whose allowance marks the household as
// vulnerable (nil when none does).
type householdSSF struct {
	Matches    []*leoc.Beneficiary
	Vulnerable *leoc.Beneficiary
}

// IDs are the matching beneficiaries' ids, never nil.
func (h householdSSF) IDs() []int64 {
	ids := make([]int64, 0, len(h.Matches))
	for _, b := range h.Matches {
		ids = append(ids, b.ID)
	}
	return ids
}

// householdSSF looks the household ID up in the beneficiary register: one
// query (the household lookup of the distribution form), keeping only the
// exact ID matches, since the lookup also matches names and phones.
func (s *Server) householdSSF(ctx context.Context, householdID string) (householdSSF, error) {
	var h householdSSF
	key := leoc.HouseholdKey(householdID)
	if key == "" {
		return h, nil
	}
	list, err := s.store.BeneficiariesByHousehold(ctx, householdID, 0)
	if err != nil {
		return h, err
	}
	for _, b := range list {
		if leoc.HouseholdKey(b.IDNumber) != key {
			continue
		}
		h.Matches = append(h.Matches, b)
		if h.Vulnerable == nil && b.Vulnerable() {
			h.Vulnerable = b
		}
	}
	return h, nil
}

// distributionView is what the detail page and the receipt show of d, the
// labels in lang; or the error.
func (s *Server) distributionView(r *http.Request, d *leoc.Distribution, lang string) any {
	labels, err := s.distributionLabels(r, lang)
	if err != nil {
		return err
	}
	v := &distributionView{Distribution: d, Labels: labels}
	if v.Warnings, err = s.store.DistributionWarnings(r.Context(), d); err != nil {
		return err
	}
	if v.SSF, err = s.householdSSF(r.Context(), d.HouseholdID); err != nil {
		return err
	}
	maskDistribution(state(r).user, d)
	for _, b := range v.SSF.Matches {
		maskBeneficiary(state(r).user, b)
	}
	return v
}

// distributionDetail is the detail page's view, with the attachments of a
// distribution whose personal data the user sees.
func (s *Server) distributionDetail(r *http.Request, d *leoc.Distribution) any {
	view := s.distributionView(r, d, state(r).lang)
	if v, ok := view.(*distributionView); ok && !v.Masked {
		v.Files = s.attachmentsFor(r, "distributions", v.ID)
	}
	return view
}

// Form.

// formRow is one member, harm or item row of the form, with its position
// among the rows sent (for the error messages "members[1].age").
type formRow struct {
	Index  int
	Fields map[string]string
}

type distributionFormData struct {
	Edit                        *leoc.Distribution
	Types                       []choice
	Wards                       []choice
	Items                       []choice
	Allowances                  []choice
	IncidentLabel               string // the linked incident as the picker names it
	Members                     []formRow
	Harms                       []formRow
	ItemRows                    []formRow
	CanOverride                 bool
	Sexes, Severities, Statuses []string
	Warehouses                  []warehouseChoice
}

// Row column names of the form; a row whose inputs are all empty is ignored.
var (
	memberCols = []string{"name", "relation", "age", "sex"}
	harmCols   = []string{"member", "harm", "severity"}
	itemCols   = []string{"item", "quantity", "unit"}
)

// blankRows is how many empty rows the form offers without JavaScript.
const blankRows = 3

// formRows reads the non-empty rows of a repeated group (prefix_col) and
// adds blank rows to fill in.
func formRows(v url.Values, prefix string, cols []string, blanks int) []formRow {
	n := 0
	for _, c := range cols {
		n = max(n, len(v[prefix+"_"+c]))
	}
	var rows []formRow
	for i := range n {
		row := formRow{Index: len(rows), Fields: map[string]string{}}
		empty := true
		for _, c := range cols {
			if vals := v[prefix+"_"+c]; i < len(vals) {
				row.Fields[c] = vals[i]
				if strings.TrimSpace(vals[i]) != "" {
					empty = false
				}
			}
		}
		if !empty {
			rows = append(rows, row)
		}
	}
	for range max(blanks-len(rows), 1) {
		rows = append(rows, formRow{Index: len(rows), Fields: map[string]string{}})
	}
	return rows
}

// distributionDefaults are a new form's values: today, the user's ward when
// they have one, the incident the form was opened from.
func (s *Server) distributionDefaults(r *http.Request) url.Values {
	v := url.Values{}
	if today, err := s.today(); err == nil {
		v.Set("date_bs", today.String())
	}
	if u := state(r).user; len(u.Wards) == 1 {
		v.Set("ward", strconv.Itoa(u.Wards[0]))
	}
	if inc := r.URL.Query().Get("incident"); inc != "" {
		v.Set("incident_id", inc)
	}
	// The store the relief is taken from: the household's ward's, else the
	// municipal store (the form's script follows a change of ward).
	if whs, err := s.warehouseChoices(r); err == nil {
		v.Set("warehouse_id", proposedWarehouse(whs, v.Get("ward")))
	}
	return v
}

// distributionFormData is the form's choices (the wards the user may
// write) and its repeated rows as typed; or the error.
func (s *Server) distributionFormData(r *http.Request, edit *leoc.Distribution, f *form) any {
	lang, u := state(r).lang, state(r).user
	d := &distributionFormData{Edit: edit, CanOverride: u.Can(leoc.PermUnlock), Sexes: leoc.Sexes, Severities: leoc.HarmSeverities,
		Statuses: leoc.DistributionStatuses}
	var err error
	if d.Types, _, err = s.listLabels(r, store.ListDisasterType, lang); err == nil {
		if d.Items, err = s.distributableChoices(r, lang); err == nil {
			d.Allowances, _, err = s.listLabels(r, store.ListAllowanceType, lang)
		}
	}
	if err == nil {
		d.Warehouses, err = s.warehouseChoices(r)
	}
	if err != nil {
		return err
	}
	wards, err := s.store.Wards(r.Context())
	if err != nil {
		return err
	}
	for _, wd := range wards {
		if u.CanWriteWard(wd.Number) {
			name := wd.NameEn
			if lang == "ne" {
				name = wd.NameNe
			}
			d.Wards = append(d.Wards, choice{strconv.Itoa(wd.Number), name})
		}
	}
	d.IncidentLabel = s.chosenIncidentLabel(r, f.V("incident_id"))
	d.Members = formRows(f.Values, "member", memberCols, blankRows)
	d.Harms = formRows(f.Values, "harm", harmCols, 1)
	d.ItemRows = formRows(f.Values, "item", itemCols, blankRows)
	return d
}
