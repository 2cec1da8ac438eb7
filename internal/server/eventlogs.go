package server

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"leoc/internal/bs"
	"leoc/internal/leoc"
	"leoc/internal/store"
)

// The operations log: API and pages. The other registers follow the same
// shape: input struct → Apply (domain validation) → store → JSON or redirect.

type eventLogJSON struct {
	recordJSON
	datedJSON
	Time            string `json:"time"`
	Type            string `json:"type"`
	Description     string `json:"description"`
	Location        string `json:"location"`
	ResponsibleUnit string `json:"responsible_unit"`
	Status          string `json:"status"`
	IncidentID      *int64 `json:"incident_id"`
	Ward            *int   `json:"ward"` // null: the whole municipality
}

func toEventLogJSON(e *leoc.EventLog) eventLogJSON {
	j := eventLogJSON{recordJSON: toRecordJSON(e.Record), datedJSON: toDatedJSON(e.Dated), Time: e.Time, Type: e.Type,
		Description: e.Description, Location: e.Location, ResponsibleUnit: e.ResponsibleUnit, Status: e.Status}
	if e.IncidentID != 0 {
		id := e.IncidentID
		j.IncidentID = &id
	}
	if e.Ward != 0 {
		w := e.Ward
		j.Ward = &w
	}
	return j
}

func (s *Server) apiEventLogs(w http.ResponseWriter, r *http.Request) {
	apiList(s, w, r, s.store.EventLogs, toEventLogJSON)
}

func (s *Server) loadEventLog(w http.ResponseWriter, r *http.Request) *leoc.EventLog {
	return loadRecord(s, w, r, s.store.EventLog)
}

func (s *Server) apiEventLog(w http.ResponseWriter, r *http.Request) {
	if e := s.loadEventLog(w, r); e != nil {
		s.writeJSON(w, r, http.StatusOK, toEventLogJSON(e))
	}
}

func (s *Server) apiEventLogCreate(w http.ResponseWriter, r *http.Request) {
	var in leoc.EventLogInput
	if err := decodeJSON(r, &in); err != nil {
		s.renderError(w, r, err)
		return
	}
	e := &leoc.EventLog{}
	if err := in.Apply(s.cal, e); err != nil {
		s.renderError(w, r, err)
		return
	}
	if err := s.createEventLog(r, e); err != nil {
		s.renderError(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/event-logs/"+idString(e.ID))
	s.writeJSON(w, r, http.StatusCreated, toEventLogJSON(e))
}

func (s *Server) apiEventLogUpdate(w http.ResponseWriter, r *http.Request) {
	e := s.loadEventLog(w, r)
	if e == nil {
		return
	}
	var in leoc.EventLogInput
	if err := decodeJSON(r, &in); err != nil {
		s.renderError(w, r, err)
		return
	}
	if err := s.updateEventLog(r, e, &in); err != nil {
		s.renderError(w, r, err)
		return
	}
	s.writeJSON(w, r, http.StatusOK, toEventLogJSON(e))
}

// createEventLog saves a new entry. A ward-limited user writes entries of
// their wards only: not of another ward, not of the whole municipality.
func (s *Server) createEventLog(r *http.Request, e *leoc.EventLog) error {
	if err := state(r).user.WardWriteError(e.Ward); err != nil {
		return err
	}
	return s.store.CreateEventLog(r.Context(), actor(r), e)
}

// updateEventLog applies an edit: the version the client saw must be given,
// so two people editing at once cannot overwrite each other.
func (s *Server) updateEventLog(r *http.Request, e *leoc.EventLog, in *leoc.EventLogInput) error {
	if in.Version <= 0 {
		return errVersionRequired()
	}
	if e.Locked {
		return leoc.Errorf(leoc.ELocked, "record.locked")
	}
	if err := in.Apply(s.cal, e); err != nil {
		return err
	}
	e.Version = in.Version
	return s.store.UpdateEventLog(r.Context(), actor(r), state(r).user, e)
}

func (s *Server) apiEventLogDelete(w http.ResponseWriter, r *http.Request) {
	id, err := idParam(r)
	if err == nil {
		err = s.store.DeleteEventLog(r.Context(), actor(r), state(r).user, id)
	}
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// Pages.

type eventLogListData struct {
	Items  []*leoc.EventLog
	Pager  *pager
	Filter *filterBar
}

func (s *Server) eventLogChoices(lang string) (types, statuses []choice) {
	for _, t := range leoc.EventLogTypes {
		types = append(types, choice{t, s.cat.T(lang, "eventlog.type."+t)})
	}
	for _, st := range leoc.EventLogStatuses {
		statuses = append(statuses, choice{st, s.cat.T(lang, "eventlog.status."+st)})
	}
	return types, statuses
}

func (s *Server) eventLogsPage(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	types, _ := s.eventLogChoices(state(r).lang)
	bar := &filterBar{Action: "/event-logs", FiscalYears: s.fiscalYearOptions(r, store.EventLogRegister.Name), Types: types, Query: q}
	f, err := s.recordFilter(q, state(r).user)
	if err != nil {
		fm, status := s.formFromError(r, q, err)
		s.renderPageForm(w, r, status, "eventlog_list", &eventLogListData{Filter: bar, Pager: &pager{}}, fm)
		return
	}
	items, total, err := s.store.EventLogs(r.Context(), f)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	s.renderPage(w, r, http.StatusOK, "eventlog_list", &eventLogListData{Items: items, Pager: newPager("/event-logs", q, f, total), Filter: bar})
}

func (s *Server) eventLogPage(w http.ResponseWriter, r *http.Request) {
	if e := s.loadEventLog(w, r); e != nil {
		s.renderPage(w, r, http.StatusOK, "eventlog_detail", e)
	}
}

type eventLogFormData struct {
	Edit     *leoc.EventLog
	Types    []choice
	Statuses []choice
	Today    string
	// Wards the user may write an entry for; WholeMunicipality offers "no
	// ward" too (not to a ward-limited user).
	Wards             []choice
	WholeMunicipality bool
}

func (s *Server) renderEventLogForm(w http.ResponseWriter, r *http.Request, status int, edit *leoc.EventLog, f *form) {
	types, statuses := s.eventLogChoices(state(r).lang)
	u := state(r).user
	d := &eventLogFormData{Edit: edit, Types: types, Statuses: statuses, WholeMunicipality: len(u.Wards) == 0}
	wards, err := s.store.Wards(r.Context())
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	for _, wd := range wards {
		if u.CanWriteWard(wd.Number) {
			name := wd.NameNe
			if state(r).lang == "en" {
				name = wd.NameEn
			}
			d.Wards = append(d.Wards, choice{strconv.Itoa(wd.Number), name})
		}
	}
	if today, err := s.today(); err == nil {
		d.Today = today.String()
	}
	f = s.reshown(r, f)
	if f == nil {
		f = &form{Values: url.Values{}}
		if edit != nil {
			f.Values = eventLogValues(edit)
		} else {
			f.Values.Set("date_bs", d.Today)
			f.Values.Set("time", bs.NepalTime(s.now()).Format("15:04"))
			f.Values.Set("status", "active")
			if len(u.Wards) > 0 {
				f.Values.Set("ward", strconv.Itoa(u.Wards[0]))
			}
		}
	}
	s.renderPageForm(w, r, status, "eventlog_form", d, f)
}

func eventLogValues(e *leoc.EventLog) url.Values {
	v := url.Values{}
	v.Set("date_bs", e.DateBS.String())
	v.Set("time", e.Time)
	v.Set("type", e.Type)
	v.Set("description", e.Description)
	v.Set("location", e.Location)
	v.Set("responsible_unit", e.ResponsibleUnit)
	v.Set("status", e.Status)
	v.Set("version", strconv.Itoa(e.Version))
	if e.IncidentID != 0 {
		v.Set("incident_id", idString(e.IncidentID))
	}
	if e.Ward != 0 {
		v.Set("ward", strconv.Itoa(e.Ward))
	}
	return v
}

func eventLogInputFrom(v url.Values) *leoc.EventLogInput {
	in := &leoc.EventLogInput{DateBS: v.Get("date_bs"), Time: v.Get("time"), Type: v.Get("type"), Description: v.Get("description"),
		Location: v.Get("location"), ResponsibleUnit: v.Get("responsible_unit"), Status: v.Get("status")}
	in.Version, _ = strconv.Atoi(v.Get("version"))
	in.IncidentID, _ = strconv.ParseInt(v.Get("incident_id"), 10, 64)
	if raw := strings.TrimSpace(bs.ASCIIDigits(v.Get("ward"))); raw != "" {
		var err error
		if in.Ward, err = strconv.Atoi(raw); err != nil {
			in.Ward = -1 // Apply reports it
		}
	}
	return in
}

func (s *Server) eventLogNewPage(w http.ResponseWriter, r *http.Request) {
	s.renderEventLogForm(w, r, http.StatusOK, nil, nil)
}

func (s *Server) eventLogCreate(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.renderError(w, r, leoc.Errorf(leoc.EInvalid, "error.bad_form"))
		return
	}
	e := &leoc.EventLog{}
	err := eventLogInputFrom(r.PostForm).Apply(s.cal, e)
	if err == nil {
		err = s.createEventLog(r, e)
	}
	if leoc.ErrorCode(err) == leoc.EForbidden {
		s.renderError(w, r, err)
		return
	}
	if err != nil {
		f, status := s.formFromError(r, r.PostForm, err)
		s.renderEventLogForm(w, r, status, nil, f)
		return
	}
	s.setFlash(w, "success", "record.saved")
	s.redirect(w, r, "/event-logs/"+idString(e.ID))
}

func (s *Server) eventLogEditPage(w http.ResponseWriter, r *http.Request) {
	e := s.loadEventLog(w, r)
	if e == nil {
		return
	}
	if !s.editable(w, r, e.Record, 0) {
		return
	}
	if err := state(r).user.WardWriteError(e.Ward); err != nil {
		s.renderError(w, r, err)
		return
	}
	s.renderEventLogForm(w, r, http.StatusOK, e, nil)
}

func (s *Server) eventLogUpdate(w http.ResponseWriter, r *http.Request) {
	e := s.loadEventLog(w, r)
	if e == nil {
		return
	}
	if err := r.ParseForm(); err != nil {
		s.renderError(w, r, leoc.Errorf(leoc.EInvalid, "error.bad_form"))
		return
	}
	orig := *e
	err := s.updateEventLog(r, e, eventLogInputFrom(r.PostForm))
	s.formSaved(w, r, err, "/event-logs/"+idString(e.ID), func(f *form, status int) { s.renderEventLogForm(w, r, status, &orig, f) })
}

func (s *Server) eventLogDelete(w http.ResponseWriter, r *http.Request) {
	id, err := idParam(r)
	if err == nil {
		err = s.store.DeleteEventLog(r.Context(), actor(r), state(r).user, id)
	}
	s.deleted(w, r, err, "/event-logs")
}
