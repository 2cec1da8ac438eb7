package server

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"leoc/internal/bs"
	"leoc/internal/i18n"
	"leoc/internal/leoc"
	"leoc/internal/store"
)

// The incident pages: list, form, detail, print.

// incidentLayout is how forms, detail and print pages group the figures.
type incidentLayout struct {
	Splits    [][3]string // deaths, deaths_male, deaths_female; …
	People    []string    // counts of people kept without a split
	Houses    []string
	Livestock []livestockRow
	FlagNames []string
}

type livestockRow struct{ Kind, Lost, Injured string }

func newIncidentLayout() incidentLayout {
	var l incidentLayout
	for _, sp := range leoc.IncidentSplits {
		l.Splits = append(l.Splits, [3]string{sp[0].Name(), sp[1].Name(), sp[2].Name()})
	}
	l.People = []string{leoc.AffectedHouseholds.Name()}
	for _, c := range []leoc.IncidentCount{leoc.HousesDamaged, leoc.HousesDestroyed, leoc.PublicBuildingsDamaged, leoc.PublicBuildingsDestroyed} {
		l.Houses = append(l.Houses, c.Name())
	}
	for _, k := range leoc.LivestockKinds {
		l.Livestock = append(l.Livestock, livestockRow{k, "livestock_lost_" + k, "livestock_injured_" + k})
	}
	l.FlagNames = leoc.IncidentFlagNames()
	return l
}

// incidentView is one incident with what its pages show next to it.
type incidentView struct {
	*leoc.Incident
	TypeLabel string
	WardName  string
	incidentLayout
}

func (s *Server) incidentView(r *http.Request, inc *leoc.Incident, lang string) (*incidentView, error) {
	_, labels, err := s.incidentTypeLabels(r, lang)
	if err != nil {
		return nil, err
	}
	v := &incidentView{Incident: inc, TypeLabel: labels[inc.Type], incidentLayout: newIncidentLayout()}
	if v.TypeLabel == "" {
		v.TypeLabel = inc.Type
	}
	wards, err := s.store.Wards(r.Context())
	if err != nil {
		return nil, err
	}
	for _, w := range wards {
		if w.Number == inc.Ward {
			v.WardName = w.NameEn
			if lang == "ne" {
				v.WardName = w.NameNe
			}
		}
	}
	return v, nil
}

// Loss is the estimated loss formatted for people.
func (v *incidentView) Loss(lang string) string {
	if lang == "ne" {
		return v.EstimatedLoss.Nepali()
	}
	return v.EstimatedLoss.English()
}

// List.

type incidentListData struct {
	Items      []*leoc.Incident
	Pager      *pager
	Filter     *filterBar
	TypeLabels map[string]string
	Sort       *sortLinks
	Export     string // query string of the current filter, for the export links
}

// sortLinks builds the column-header links of a sortable list.
type sortLinks struct {
	path string
	q    url.Values
}

// URL sorts by key, newest or largest first, or the other way round when
// the list is already sorted so.
func (l *sortLinks) URL(key string) string {
	q := url.Values{}
	for k, v := range l.q {
		q[k] = v
	}
	q.Del("page")
	q.Set("sort", key)
	q.Del("order")
	if l.current(key) && l.q.Get("order") != "asc" {
		q.Set("order", "asc")
	}
	return l.path + "?" + q.Encode()
}

func (l *sortLinks) current(key string) bool {
	s := l.q.Get("sort")
	return s == key || (s == "" && key == "date")
}

// Mark is the arrow shown next to the column the list is sorted by.
func (l *sortLinks) Mark(key string) string {
	if !l.current(key) {
		return ""
	}
	if l.q.Get("order") == "asc" {
		return "▲"
	}
	return "▼"
}

func (s *Server) incidentFilterBar(r *http.Request, action string) (*filterBar, map[string]string, error) {
	types, labels, err := s.incidentTypeLabels(r, state(r).lang)
	if err != nil {
		return nil, nil, err
	}
	wards, err := s.store.Wards(r.Context())
	if err != nil {
		return nil, nil, err
	}
	bar := &filterBar{Action: action, FiscalYears: s.fiscalYearOptions(r, store.IncidentRegister.Name), Types: types, Wards: wards, Query: r.URL.Query()}
	return bar, labels, nil
}

func (s *Server) incidentsPage(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	bar, labels, err := s.incidentFilterBar(r, "/incidents")
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	d := &incidentListData{Filter: bar, TypeLabels: labels, Pager: &pager{}, Sort: &sortLinks{path: "/incidents", q: q}, Export: exportQuery(q)}
	f, err := s.recordFilter(q, state(r).user)
	if err != nil {
		fm, status := s.formFromError(r, q, err)
		s.renderPageForm(w, r, status, "incident_list", d, fm)
		return
	}
	if d.Items, d.Pager.Total, err = s.store.Incidents(r.Context(), f); err != nil {
		s.renderError(w, r, err)
		return
	}
	d.Pager = newPager("/incidents", q, f, d.Pager.Total)
	s.renderPage(w, r, http.StatusOK, "incident_list", d)
}

// exportQuery is the filter part of a list query, for the export links.
func exportQuery(q url.Values) string {
	e := url.Values{}
	for k, v := range q {
		if k != "page" && k != "per_page" {
			e[k] = v
		}
	}
	if len(e) == 0 {
		return ""
	}
	return "?" + e.Encode()
}

// Detail and print.

func (s *Server) incidentPage(w http.ResponseWriter, r *http.Request) {
	inc := s.loadIncident(w, r)
	if inc == nil {
		return
	}
	v, err := s.incidentView(r, inc, state(r).lang)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	s.renderPage(w, r, http.StatusOK, "incident_detail", v)
}

// incidentPrintPage is the A4 record of one incident. It is in Nepali, the
// language of the office's files, unless ?lang=en asks for English.
func (s *Server) incidentPrintPage(w http.ResponseWriter, r *http.Request) {
	inc := s.loadIncident(w, r)
	if inc == nil {
		return
	}
	st := state(r)
	st.lang = "ne"
	if l := r.URL.Query().Get("lang"); i18n.Supported(l) {
		st.lang = l
	}
	v, err := s.incidentView(r, inc, st.lang)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	s.renderPage(w, r, http.StatusOK, "incident_print", v)
}

// Form.

type incidentFormData struct {
	Edit  *leoc.Incident
	Types []choice
	Wards []choice
	incidentLayout
}

func (s *Server) renderIncidentForm(w http.ResponseWriter, r *http.Request, status int, edit *leoc.Incident, f *form) {
	lang := state(r).lang
	types, _, err := s.incidentTypeLabels(r, lang)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	wards, err := s.store.Wards(r.Context())
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	d := &incidentFormData{Edit: edit, Types: types, incidentLayout: newIncidentLayout()}
	u := state(r).user
	for _, wd := range wards {
		// A ward secretary is offered only the wards they may write.
		if u.CanWriteWard(wd.Number) {
			name := wd.NameEn
			if lang == "ne" {
				name = wd.NameNe
			}
			d.Wards = append(d.Wards, choice{strconv.Itoa(wd.Number), name})
		}
	}
	f = s.reshown(r, f)
	if f == nil {
		f = &form{Values: url.Values{}}
		if edit != nil {
			f.Values = incidentValues(edit)
		} else {
			if today, err := s.today(); err == nil {
				f.Values.Set("date_bs", today.String())
			}
			f.Values.Set("time", bs.NepalTime(s.now()).Format("15:04"))
			if len(u.Wards) == 1 {
				f.Values.Set("ward", strconv.Itoa(u.Wards[0]))
			}
		}
	}
	s.renderPageForm(w, r, status, "incident_form", d, f)
}

// incidentValues fills the form from a stored incident.
func incidentValues(inc *leoc.Incident) url.Values {
	v := url.Values{}
	v.Set("date_bs", inc.DateBS.String())
	v.Set("time", inc.Time)
	v.Set("type", inc.Type)
	v.Set("ward", strconv.Itoa(inc.Ward))
	v.Set("tole", inc.Tole)
	if inc.Coords != nil {
		v.Set("latitude", strconv.FormatFloat(inc.Coords.Latitude, 'f', -1, 64))
		v.Set("longitude", strconv.FormatFloat(inc.Coords.Longitude, 'f', -1, 64))
	}
	v.Set("description", inc.Description)
	for i, n := range inc.Counts {
		v.Set(leoc.IncidentCount(i).Name(), strconv.FormatInt(n, 10))
	}
	for i, on := range inc.Flags {
		if on {
			v.Set(leoc.IncidentFlag(i).Name(), "1")
		}
	}
	v.Set("agriculture_damage", inc.AgricultureDamage)
	if inc.EstimatedLoss != 0 {
		v.Set("estimated_loss", inc.EstimatedLoss.String())
	}
	v.Set("rescue_operations", inc.RescueOperations)
	v.Set("version", strconv.Itoa(inc.Version))
	return v
}

// incidentInputFrom reads the form. Numbers may be typed in Devanagari
// digits; a number that cannot be read is reported on its field.
func incidentInputFrom(v url.Values) (*leoc.IncidentInput, *leoc.Validation) {
	var bad leoc.Validation
	number := func(name string) string { return strings.TrimSpace(bs.ASCIIDigits(v.Get(name))) }
	in := &leoc.IncidentInput{DateBS: v.Get("date_bs"), Time: v.Get("time"), Type: v.Get("type"), Tole: v.Get("tole"),
		Description: v.Get("description"), AgricultureDamage: v.Get("agriculture_damage"),
		RescueOperations: v.Get("rescue_operations"), EstimatedLoss: leoc.Amount(v.Get("estimated_loss"))}
	if raw := number("ward"); raw != "" {
		var err error
		if in.Ward, err = strconv.Atoi(raw); err != nil {
			bad.Add("ward", "field.choice")
		}
	}
	for _, c := range []struct {
		name string
		dst  **float64
	}{{"latitude", &in.Latitude}, {"longitude", &in.Longitude}} {
		if raw := number(c.name); raw != "" {
			x, err := strconv.ParseFloat(raw, 64)
			if err != nil {
				bad.Add(c.name, "incident.coordinate_invalid")
				continue
			}
			*c.dst = &x
		}
	}
	for i, dst := range in.CountFields() {
		name := leoc.IncidentCount(i).Name()
		raw := strings.ReplaceAll(number(name), ",", "")
		if raw == "" {
			continue
		}
		n, err := strconv.ParseInt(raw, 10, 64)
		if errors.Is(err, strconv.ErrRange) && !strings.HasPrefix(raw, "-") {
			bad.Add(name, "incident.count_too_large", leoc.Grouped(leoc.MaxIncidentCount))
			continue
		}
		if err != nil {
			bad.Add(name, "field.number")
			continue
		}
		*dst = &n
	}
	for i, dst := range in.FlagFields() {
		*dst = v.Get(leoc.IncidentFlag(i).Name()) != ""
	}
	in.Version, _ = strconv.Atoi(v.Get("version"))
	return in, &bad
}

func (s *Server) incidentNewPage(w http.ResponseWriter, r *http.Request) {
	s.renderIncidentForm(w, r, http.StatusOK, nil, nil)
}

func (s *Server) incidentCreate(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.renderError(w, r, leoc.Errorf(leoc.EInvalid, "error.bad_form"))
		return
	}
	in, parsed := incidentInputFrom(r.PostForm)
	inc, _, err := s.createIncident(r, in, parsed, formConfirmed(r))
	if f, ok := s.warningForm(r, err); ok {
		s.renderIncidentForm(w, r, http.StatusOK, nil, f)
		return
	}
	if err != nil {
		if leoc.ErrorCode(err) == leoc.EInternal {
			s.renderError(w, r, err)
			return
		}
		f, status := s.formFromError(r, r.PostForm, err)
		s.renderIncidentForm(w, r, status, nil, f)
		return
	}
	s.setFlash(w, "success", "record.saved")
	s.redirect(w, r, "/incidents/"+idString(inc.ID))
}

func (s *Server) incidentEditPage(w http.ResponseWriter, r *http.Request) {
	editForm(s, w, r, s.store.Incident, func(inc *leoc.Incident) int { return inc.Ward },
		func(inc *leoc.Incident) { s.renderIncidentForm(w, r, http.StatusOK, inc, nil) })
}

func (s *Server) incidentUpdate(w http.ResponseWriter, r *http.Request) {
	inc := s.loadIncident(w, r)
	if inc == nil {
		return
	}
	if err := r.ParseForm(); err != nil {
		s.renderError(w, r, leoc.Errorf(leoc.EInvalid, "error.bad_form"))
		return
	}
	orig := *inc
	in, parsed := incidentInputFrom(r.PostForm)
	_, err := s.updateIncident(r, inc, in, parsed, formConfirmed(r))
	if f, ok := s.warningForm(r, err); ok {
		s.renderIncidentForm(w, r, http.StatusOK, &orig, f)
		return
	}
	s.formSaved(w, r, err, "/incidents/"+idString(inc.ID), func(f *form, status int) { s.renderIncidentForm(w, r, status, &orig, f) })
}

func (s *Server) incidentDelete(w http.ResponseWriter, r *http.Request) {
	s.deleteForm(w, r, "/incidents", s.store.DeleteIncident)
}
