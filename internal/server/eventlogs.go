package server

import (
	"net/http"
	"net/url"
	"strconv"

	"leoc/internal/bs"
	"leoc/internal/leoc"
	"leoc/internal/store"
)

// The operations log: its declaration to the shared lifecycle, its JSON
// form and what its form shows.

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

// eventLogs declares the operations log to the shared lifecycle.
func (s *Server) eventLogs() *lifecycle[*leoc.EventLog, leoc.EventLogInput, *leoc.EventLogInput] {
	return &lifecycle[*leoc.EventLog, leoc.EventLogInput, *leoc.EventLogInput]{
		s: s, Path: "/event-logs", Template: "eventlog",
		Read: leoc.PermRead, Write: leoc.PermWriteRecords,
		Get: s.store.EventLog, List: s.store.EventLogs,
		Create: s.createEventLog,
		Update: asUser(s.store.UpdateEventLog),
		Delete: asUser(s.store.DeleteEventLog),
		New:    func() *leoc.EventLog { return &leoc.EventLog{} },
		Input:  (*leoc.EventLog).Input,
		JSON:   func(e *leoc.EventLog) any { return toEventLogJSON(e) },
		Ward:   func(e *leoc.EventLog) int { return e.Ward },
		Defaults: func(r *http.Request) url.Values {
			v := url.Values{"status": {"active"}, "time": {bs.NepalTime(s.now()).Format("15:04")}}
			if today, err := s.today(); err == nil {
				v.Set("date_bs", today.String())
			}
			if u := state(r).user; len(u.Wards) > 0 {
				v.Set("ward", strconv.Itoa(u.Wards[0]))
			}
			return v
		},
		FormData: func(r *http.Request, edit *leoc.EventLog, _ *form) any { return s.eventLogFormData(r, edit) },
		Bar: func(r *http.Request) *filterBar {
			types, _ := s.eventLogChoices(state(r).lang)
			return &filterBar{Action: "/event-logs", FiscalYears: s.fiscalYearOptions(r, store.EventLogRegister.Name), Types: types, Query: r.URL.Query()}
		},
	}
}

func (s *Server) eventLogRoutes() []route { return s.eventLogs().routes() }

// createEventLog saves a new entry. A ward-limited user writes entries of
// their wards only: not of another ward, not of the whole municipality.
func (s *Server) createEventLog(r *http.Request, e *leoc.EventLog) error {
	if err := state(r).user.WardWriteError(e.Ward); err != nil {
		return err
	}
	return s.store.CreateEventLog(r.Context(), actor(r), e)
}

// Pages.

func (s *Server) eventLogChoices(lang string) (types, statuses []choice) {
	for _, t := range leoc.EventLogTypes {
		types = append(types, choice{t, s.cat.T(lang, "eventlog.type."+t)})
	}
	for _, st := range leoc.EventLogStatuses {
		statuses = append(statuses, choice{st, s.cat.T(lang, "eventlog.status."+st)})
	}
	return types, statuses
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

func (s *Server) eventLogFormData(r *http.Request, edit *leoc.EventLog) *eventLogFormData {
	types, statuses := s.eventLogChoices(state(r).lang)
	u := state(r).user
	d := &eventLogFormData{Edit: edit, Types: types, Statuses: statuses, WholeMunicipality: len(u.Wards) == 0}
	wards, err := s.store.Wards(r.Context())
	if err != nil {
		s.log.Error("wards for the operations-log form", "err", err, "request_id", state(r).id)
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
	return d
}
