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

// Text lengths of a situation report, in characters.
const (
	SitrepSummaryMax   = 4000
	SitrepWeatherMax   = 500
	SitrepDetailMax    = 20000
	SitrepResourcesMax = 4000
)

// SitrepLimits are a situation report's field limits.
var SitrepLimits = Limits{
	"date_bs": {Required: true}, "summary": {Required: true, MaxLen: SitrepSummaryMax}, "weather": {MaxLen: SitrepWeatherMax},
	"detailed_report": {MaxLen: SitrepDetailMax}, "resources_deployed": {MaxLen: SitrepResourcesMax},
}

// SituationReportInput is what a person types; Apply turns it into a
// SituationReport.
type SituationReportInput struct {
	DateBS            string `json:"date_bs"`
	Time              string `json:"time"`
	Summary           string `json:"summary"`
	Weather           string `json:"weather"`
	DetailedReport    string `json:"detailed_report"`
	ResourcesDeployed string `json:"resources_deployed"`
	NextUpdateBS      string `json:"next_update_bs"`
	NextUpdateTime    string `json:"next_update_time"`
	Version           int    `json:"version"`
}

// Apply validates in and copies it onto r (a new or a loaded report).
func (in *SituationReportInput) Apply(cal *bs.Calendar, r *SituationReport) error {
	var v Validation
	r.SetDate(&v, cal, "date_bs", in.DateBS)
	r.Time = CheckTime(&v, "time", in.Time)
	SitrepLimits.Text(&v, "summary", &in.Summary)
	SitrepLimits.Text(&v, "weather", &in.Weather)
	SitrepLimits.Text(&v, "detailed_report", &in.DetailedReport)
	SitrepLimits.Text(&v, "resources_deployed", &in.ResourcesDeployed)
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
	in := SituationReportInput{DateBS: r.DateBS.String(), Time: r.Time, Summary: r.Summary, Weather: r.Weather,
		DetailedReport: r.DetailedReport, ResourcesDeployed: r.ResourcesDeployed, NextUpdateTime: r.NextUpdate.Time, Version: r.Version}
	if !r.NextUpdate.IsZero() {
		in.NextUpdateBS = r.NextUpdate.DateBS.String()
	}
	return in
}

// Fields is the audit view of a report.
func (r *SituationReport) Fields() map[string]any {
	next := ""
	if !r.NextUpdate.IsZero() {
		next = strings.TrimSpace(r.NextUpdate.DateBS.String() + " " + r.NextUpdate.Time)
	}
	return map[string]any{
		"date_bs": r.DateBS.String(), "time": r.Time, "summary": r.Summary, "weather": r.Weather,
		"detailed_report": r.DetailedReport, "resources_deployed": r.ResourcesDeployed, "next_update": next,
	}
}
