package leoc

import (
	"strings"
	"time"

	"leoc/internal/bs"
)

// Advisory is a public information notice (सार्वजनिक सूचना). An active
// advisory inside its validity is what the public may read without logging
// in, on the public page and in the CAP feed.
type Advisory struct {
	Record
	Title      string
	Content    string
	Type       string // one of AdvisoryTypes
	Priority   string // one of AdvisoryPriorities
	Active     bool
	ValidFrom  time.Time // UTC, whole seconds
	ValidUntil time.Time // UTC, whole seconds; zero = open-ended
	// PreviousSentAt is when the version before this one was saved (zero for
	// version 1): a CAP Update names the message it replaces by that time.
	PreviousSentAt time.Time
	AdvisoryTargets
}

// AdvisoryTypes are the kinds of advisory: general information, weather
// advisory, emergency contact, safety instruction.
var AdvisoryTypes = []string{"general", "weather", "contact", "safety"}

// AdvisoryPriorities, lowest first.
var AdvisoryPriorities = []string{"low", "normal", "high", "critical"}

// Text lengths of an advisory, in characters. The title is short enough for
// a phone screen and an SMS; CAP headlines are cut further (160).
const (
	AdvisoryTitleMax   = 200
	AdvisoryContentMax = 10000
)

// PriorityRank orders priorities: critical 4 … low 1, unknown 0.
func PriorityRank(p string) int {
	for i, q := range AdvisoryPriorities {
		if p == q {
			return i + 1
		}
	}
	return 0
}

// OpenEnded reports whether the advisory has no end of validity.
func (a *Advisory) OpenEnded() bool { return a.ValidUntil.IsZero() }

// CurrentAt reports whether the public may see the advisory at t: active,
// valid_from ≤ t and, unless open-ended, t < valid_until.
func (a *Advisory) CurrentAt(t time.Time) bool {
	return a.Active && !t.Before(a.ValidFrom) && (a.OpenEnded() || t.Before(a.ValidUntil))
}

// AdvisoryInput is what the API sends (validity as RFC 3339 instants) or,
// with Form set, what the web form sends (validity as BS date and Nepal
// time). Apply turns it into an Advisory.
type AdvisoryInput struct {
	Title      string `json:"title"`
	Content    string `json:"content"`
	Type       string `json:"type"`
	Priority   string `json:"priority"`
	Active     *bool  `json:"active"` // nil keeps the current value (true for a new advisory)
	ValidFrom  string `json:"valid_from"`
	ValidUntil string `json:"valid_until"` // "" = open-ended
	Version    int    `json:"version"`
	AdvisoryTargetsInput

	Form *ValidityForm `json:"-"`
}

// ValidityForm is the validity as a person enters it: BS dates and times of
// day in Nepal. A missing start time is 00:00, a missing end time 23:59.
type ValidityForm struct {
	FromDate, FromTime, UntilDate, UntilTime string
}

// Apply validates in and copies it onto a (a new or a loaded advisory).
func (in *AdvisoryInput) Apply(cal *bs.Calendar, a *Advisory) error {
	var v Validation
	CheckText(&v, "title", &in.Title, true, AdvisoryTitleMax)
	CheckText(&v, "content", &in.Content, true, AdvisoryContentMax)
	CheckChoice(&v, "type", in.Type, AdvisoryTypes)
	if in.Priority == "" {
		in.Priority = "normal"
	}
	CheckChoice(&v, "priority", in.Priority, AdvisoryPriorities)
	var from, until time.Time
	untilField := "valid_until"
	if f := in.Form; f != nil {
		untilField = "valid_until_bs"
		from = nepalInstant(&v, cal, "valid_from_bs", "valid_from_time", f.FromDate, f.FromTime, "00:00", true)
		until = nepalInstant(&v, cal, "valid_until_bs", "valid_until_time", f.UntilDate, f.UntilTime, "23:59", false)
	} else {
		from = parseInstant(&v, cal, "valid_from", in.ValidFrom, true)
		until = parseInstant(&v, cal, "valid_until", in.ValidUntil, false)
	}
	if !from.IsZero() && !until.IsZero() && !until.After(from) {
		v.Add(untilField, "advisory.until_before_from")
	}
	a.Title, a.Content, a.Type, a.Priority, a.ValidFrom, a.ValidUntil = in.Title, in.Content, in.Type, in.Priority, from, until
	in.applyTargets(&v, in.Priority, a)
	if in.Active != nil {
		a.Active = *in.Active
	}
	return v.Err()
}

// instant keeps what the database can store the same way on both back ends
// and what CAP can print: UTC, whole seconds.
func instant(t time.Time) time.Time { return t.UTC().Truncate(time.Second) }

// parseInstant reads an RFC 3339 instant; it must fall inside the BS
// calendar, or pages could not show it.
func parseInstant(v *Validation, cal *bs.Calendar, field, raw string, required bool) time.Time {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		if required {
			v.Add(field, "field.required")
		}
		return time.Time{}
	}
	t, err := time.Parse(time.RFC3339, raw)
	if err != nil {
		v.Add(field, "advisory.instant_invalid")
		return time.Time{}
	}
	if _, err := cal.FromAD(bs.NepalTime(t)); err != nil {
		v.Add(field, DateErrorKey(err))
		return time.Time{}
	}
	return instant(t)
}

// nepalInstant converts a BS date and a time of day in Nepal into an
// instant, through the calendar.
func nepalInstant(v *Validation, cal *bs.Calendar, dateField, timeField, date, clock, defClock string, required bool) time.Time {
	clock = CheckTime(v, timeField, clock)
	if strings.TrimSpace(date) == "" {
		if required {
			v.Add(dateField, "field.required")
		} else if clock != "" {
			v.Add(dateField, "advisory.date_required")
		}
		return time.Time{}
	}
	var d Dated
	d.SetDate(v, cal, dateField, date)
	if v.Has(dateField) || v.Has(timeField) {
		return time.Time{}
	}
	if clock == "" {
		clock = defClock
	}
	t, err := NepalInstant(d.DateAD, clock)
	if err != nil {
		v.Add(timeField, "time.invalid")
		return time.Time{}
	}
	return t
}

// NepalInstant is the instant at which clocks in Nepal show "HH:MM" on the
// AD day of ad (a civil date, as Calendar.ToAD returns).
func NepalInstant(ad time.Time, hhmm string) (time.Time, error) {
	c, err := time.Parse("15:04", hhmm)
	if err != nil {
		return time.Time{}, err
	}
	y, m, d := ad.Date()
	return instant(time.Date(y, m, d, c.Hour(), c.Minute(), 0, 0, bs.Kathmandu())), nil
}

// Fields is the audit view of an advisory.
func (a *Advisory) Fields() map[string]any {
	until := ""
	if !a.OpenEnded() {
		until = a.ValidUntil.Format(time.RFC3339)
	}
	m := map[string]any{
		"title": a.Title, "content": a.Content, "type": a.Type, "priority": a.Priority, "active": a.Active,
		"valid_from": a.ValidFrom.Format(time.RFC3339), "valid_until": until,
	}
	a.targetFields(m)
	return m
}
