package leoc

import "leoc/internal/bs"

// EventLog is one entry of the operations log (घटना लग): what the centre did
// or learned, when, and who is responsible.
type EventLog struct {
	Record
	Dated
	Time            string // "HH:MM", optional
	Type            string // one of EventLogTypes
	Description     string
	Location        string
	ResponsibleUnit string
	Status          string // one of EventLogStatuses
	IncidentID      int64  // the incident it belongs to, 0 for none
	// Ward is the ward the entry concerns, 0 for the whole municipality.
	// A user limited to wards writes only entries of those wards.
	Ward int
}

// EventLogTypes are the kinds of operations-log entry.
var EventLogTypes = []string{"incident_report", "assessment", "relief_distribution", "coordination_meeting", "rescue", "other"}

// EventLogStatuses: an entry is open until the action is done.
var EventLogStatuses = []string{"active", "completed"}

// EventLogInput is what a person types; Validate turns it into an EventLog.
type EventLogInput struct {
	DateBS          string `json:"date_bs"`
	Time            string `json:"time"`
	Type            string `json:"type"`
	Description     string `json:"description"`
	Location        string `json:"location"`
	ResponsibleUnit string `json:"responsible_unit"`
	Status          string `json:"status"`
	IncidentID      int64  `json:"incident_id"`
	Ward            int    `json:"ward"` // 0 or absent: the whole municipality
	Version         int    `json:"version"`
}

// Input is the entry as its form and API take it, to edit it.
func (e *EventLog) Input() EventLogInput {
	return EventLogInput{DateBS: e.DateBS.String(), Time: e.Time, Type: e.Type, Description: e.Description, Location: e.Location,
		ResponsibleUnit: e.ResponsibleUnit, Status: e.Status, IncidentID: e.IncidentID, Ward: e.Ward, Version: e.Version}
}

// Apply validates in and copies it onto e (a new or a loaded entry).
func (in *EventLogInput) Apply(cal *bs.Calendar, e *EventLog) error {
	var v Validation
	e.SetDate(&v, cal, "date_bs", in.DateBS)
	e.Time = CheckTime(&v, "time", in.Time)
	CheckChoice(&v, "type", in.Type, EventLogTypes)
	if in.Status == "" {
		in.Status = "active"
	}
	CheckChoice(&v, "status", in.Status, EventLogStatuses)
	CheckText(&v, "description", &in.Description, true, 4000)
	CheckText(&v, "location", &in.Location, false, 200)
	CheckText(&v, "responsible_unit", &in.ResponsibleUnit, false, 200)
	v.Check(in.IncidentID >= 0, "incident_id", "field.choice")
	v.Check(in.Ward >= 0 && in.Ward < 100, "ward", "ward.unknown", in.Ward)
	e.Ward = in.Ward
	e.Type, e.Status, e.Description, e.Location, e.ResponsibleUnit, e.IncidentID = in.Type, in.Status, in.Description, in.Location, in.ResponsibleUnit, in.IncidentID
	return v.Err()
}

// Fields is the audit view of an entry.
func (e *EventLog) Fields() map[string]any {
	return map[string]any{
		"date_bs": e.DateBS.String(), "time": e.Time, "type": e.Type, "description": e.Description, "location": e.Location,
		"responsible_unit": e.ResponsibleUnit, "status": e.Status, "incident_id": e.IncidentID, "ward": e.Ward,
	}
}
