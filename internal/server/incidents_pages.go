package server

import (
	"net/http"
	"strconv"

	"leoc/internal/i18n"
	"leoc/internal/leoc"
	"leoc/internal/store"
)

// What the incident pages show beyond the shared lifecycle: the figures
// laid out in groups, type and ward by name, the A4 print.

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

// incidentView is the incident as its detail and print pages show it, in
// the page's language.
func (s *Server) incidentView(r *http.Request, inc *leoc.Incident) *incidentView {
	types := s.listChoices(r, store.ListDisasterType)
	wards, _ := s.wardChoices(r)
	return &incidentView{Incident: inc, TypeLabel: choiceLabel(types, inc.Type), WardName: choiceLabel(wards, strconv.Itoa(inc.Ward)),
		incidentLayout: newIncidentLayout()}
}

// Loss is the estimated loss formatted for people.
func (v *incidentView) Loss(lang string) string {
	if lang == "ne" {
		return v.EstimatedLoss.Nepali()
	}
	return v.EstimatedLoss.English()
}

// incidentRow is an incident in the list, with its type's label.
type incidentRow struct {
	*leoc.Incident
	TypeLabel string
}

func (s *Server) incidentRows(r *http.Request, items []*leoc.Incident) any {
	types, rows := s.listChoices(r, store.ListDisasterType), make([]incidentRow, len(items))
	for i, inc := range items {
		rows[i] = incidentRow{inc, choiceLabel(types, inc.Type)}
	}
	return rows
}

// incidentFilterBar is the filter of the incident list, statistics and
// map pages (action: the page); labels are the disaster types' by key.
func (s *Server) incidentFilterBar(r *http.Request, action string) (bar *filterBar, labels map[string]string, err error) {
	bar = &filterBar{Action: action, FiscalYears: s.fiscalYearOptions(r, store.IncidentRegister.Name), Query: r.URL.Query()}
	if bar.Types, labels, err = s.incidentTypeLabels(r, state(r).lang); err == nil {
		bar.Wards, err = s.store.Wards(r.Context())
	}
	return bar, labels, err
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
	s.renderPage(w, r, http.StatusOK, "incident_print", s.incidentView(r, inc))
}

type incidentFormData struct {
	Edit  *leoc.Incident
	Types []choice
	Wards []choice
	incidentLayout
}

func (s *Server) incidentFormData(r *http.Request, edit *leoc.Incident, _ *form) any {
	d := &incidentFormData{Types: s.listChoices(r, store.ListDisasterType), incidentLayout: newIncidentLayout()}
	if edit != nil && edit.ID != 0 {
		d.Edit = edit
	}
	wards, _ := s.wardChoices(r)
	for _, wd := range wards {
		// A ward secretary is offered only the wards they may write.
		if n, _ := strconv.Atoi(wd.Value); state(r).user.CanWriteWard(n) {
			d.Wards = append(d.Wards, wd)
		}
	}
	return d
}
