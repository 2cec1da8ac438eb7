package leoc

import (
	"strings"

	"leoc/internal/bs"
)

// SituationReport is one situation report (स्थिति प्रतिवेदन): how things stand
// on a day, what the weather is, what is deployed, and when the next report
// is due. The daily bulletin prints the weather of the latest one.
type SituationReport struct {
	Record
	Dated
	Time              string // "HH:MM" in Nepal, optional
	Summary           string // current situation, required
	Weather           string // today's weather
	DetailedReport    string
	ResourcesDeployed string
	NextUpdate        NextUpdate
	// Figures are frozen when the report is saved; nil for reports saved
	// before LEOC computed them.
	Figures *SitrepFigures
}

// NextUpdate is when the next report is due: a BS date and, optionally, a
// time in Nepal. It is a date, not free text, so that it prints the same way
// in both languages and digit sets and so that an overdue report can be
// noticed; anything more to say goes in the summary. Zero when not announced.
type NextUpdate struct {
	DateBS bs.Date
	Time   string
}

// IsZero reports whether no next update was announced.
func (n NextUpdate) IsZero() bool { return n.DateBS.IsZero() }

// SitrepLimits are a situation report's field limits (text in characters).
var SitrepLimits = Limits{
	"date_bs": {Required: true}, "summary": {Required: true, MaxLen: 4000}, "weather": {MaxLen: 500},
	"detailed_report": {MaxLen: 20000}, "resources_deployed": {MaxLen: 4000},
}

// SituationReportInput is what a person types to save a report.
type SituationReportInput struct {
	SitrepFields
	Version int `json:"version"`
}

// SitrepFields are a report's fields as the API and the form name them;
// Apply turns them into a SituationReport.
type SitrepFields struct {
	DateBS            string `json:"date_bs"`
	Time              string `json:"time"`
	Summary           string `json:"summary"`
	Weather           string `json:"weather"`
	DetailedReport    string `json:"detailed_report"`
	ResourcesDeployed string `json:"resources_deployed"`
	NextUpdateBS      string `json:"next_update_bs"` // "" when not announced
	NextUpdateTime    string `json:"next_update_time"`
}

// Apply validates in and copies it onto r (a new or a loaded report).
func (in *SitrepFields) Apply(cal *bs.Calendar, r *SituationReport) error {
	var v Validation
	r.SetDate(&v, cal, "date_bs", in.DateBS)
	r.Time = CheckTime(&v, "time", in.Time)
	for f, s := range map[string]*string{"summary": &in.Summary, "weather": &in.Weather, "detailed_report": &in.DetailedReport,
		"resources_deployed": &in.ResourcesDeployed} {
		SitrepLimits.Text(&v, f, s)
	}
	r.NextUpdate = NextUpdate{Time: CheckTime(&v, "next_update_time", in.NextUpdateTime)}
	if raw := strings.TrimSpace(in.NextUpdateBS); raw != "" {
		var next Dated
		next.SetDate(&v, cal, "next_update_bs", raw)
		r.NextUpdate.DateBS = next.DateBS
	} else if r.NextUpdate.Time != "" {
		v.Add("next_update_bs", "sitrep.next_update_date_required")
	}
	if !v.Has("date_bs") && !v.Has("next_update_bs") && !v.Has("next_update_time") && !r.NextUpdate.IsZero() {
		// "HH:MM" strings compare in time order; an unknown time is the
		// start of the day for the report and the end of it for the next one.
		before := r.NextUpdate.DateBS.Before(r.DateBS)
		if r.NextUpdate.DateBS == r.DateBS && r.Time != "" && r.NextUpdate.Time != "" {
			before = r.NextUpdate.Time <= r.Time
		}
		v.Check(!before, "next_update_bs", "sitrep.next_update_before")
	}
	r.Summary, r.Weather, r.DetailedReport, r.ResourcesDeployed = in.Summary, in.Weather, in.DetailedReport, in.ResourcesDeployed
	return v.Err()
}

// Input is the report as its form and API take it, to edit it.
func (r *SituationReport) Input() SituationReportInput {
	in := SituationReportInput{SitrepFields{DateBS: r.DateBS.String(), Time: r.Time, Summary: r.Summary, Weather: r.Weather,
		DetailedReport: r.DetailedReport, ResourcesDeployed: r.ResourcesDeployed, NextUpdateTime: r.NextUpdate.Time}, r.Version}
	if !r.NextUpdate.IsZero() {
		in.NextUpdateBS = r.NextUpdate.DateBS.String()
	}
	return in
}

// Fields is the audit view of a report.
func (r *SituationReport) Fields() map[string]any {
	in := r.Input()
	return map[string]any{
		"date_bs": in.DateBS, "time": r.Time, "summary": r.Summary, "weather": r.Weather, "detailed_report": r.DetailedReport,
		"resources_deployed": r.ResourcesDeployed, "next_update": strings.TrimSpace(in.NextUpdateBS + " " + in.NextUpdateTime),
	}
}
