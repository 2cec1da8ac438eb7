package leoc

import (
	"slices"
	"strconv"
	"strings"
)

// Advisories targeted at wards (issue 11, item 8): an advisory names the
// wards it concerns (none = the whole municipality), carries the CAP
// urgency, severity and certainty the officer chose, and may have an
// English title and text beside the Nepali ones.

// CAP 1.2's values, in the schema's order.
var (
	Urgencies    = []string{"Immediate", "Expected", "Future", "Past", "Unknown"}
	Severities   = []string{"Extreme", "Severe", "Moderate", "Minor", "Unknown"}
	Certainties  = []string{"Observed", "Likely", "Possible", "Unlikely", "Unknown"}
	gradingByPri = map[string]Grading{
		"critical": {"Immediate", "Extreme", "Observed"},
		"high":     {"Expected", "Severe", "Likely"},
		"normal":   {"Future", "Moderate", "Possible"},
		"low":      {"Future", "Minor", "Possible"},
	}
)

// Grading is CAP's urgency, severity and certainty of a message.
type Grading struct{ Urgency, Severity, Certainty string }

// GradingOfPriority is the grading an advisory gets when the officer chose
// none: what the CAP feed has always derived from its priority (a critical
// advisory is about something happening now that threatens life; a high
// one about something expected soon; normal and low ones inform and
// prepare). Migration 0015 gives old advisories the same. Unknown
// priorities are Unknown throughout.
func GradingOfPriority(priority string) Grading {
	if g, ok := gradingByPri[priority]; ok {
		return g
	}
	return Grading{"Unknown", "Unknown", "Unknown"}
}

// AdvisoryTargets are the fields of an advisory about whom and how urgent,
// embedded in Advisory.
type AdvisoryTargets struct {
	Wards     []int // ward numbers, ascending, no repeats; empty = the whole municipality
	Urgency   string
	Severity  string
	Certainty string
	TitleEn   string // optional English title; the English CAP <info> is sent only with one
	ContentEn string
}

// WholeMunicipality reports whether the advisory concerns every ward.
func (t *AdvisoryTargets) WholeMunicipality() bool { return len(t.Wards) == 0 }

// Grading is the advisory's CAP grading.
func (t *AdvisoryTargets) Grading() Grading { return Grading{t.Urgency, t.Severity, t.Certainty} }

// AdvisoryTargetsInput is the part of AdvisoryInput for targets. A nil
// Wards keeps the advisory's wards (a new one concerns the whole
// municipality); an empty grading value keeps the current one, or for a new
// advisory takes the one its priority implies.
type AdvisoryTargetsInput struct {
	Wards     *[]int `json:"wards"`
	Urgency   string `json:"urgency"`
	Severity  string `json:"severity"`
	Certainty string `json:"certainty"`
	TitleEn   string `json:"title_en"`
	ContentEn string `json:"content_en"`
	// KnownWards, when set, are the municipality's ward numbers: a targeted
	// ward must be one of them. Set by the caller from the settings.
	KnownWards []int `json:"-"`
}

// applyTargets validates the targets and copies them onto a; priority is
// the advisory's (already checked) priority.
func (in *AdvisoryTargetsInput) applyTargets(v *Validation, priority string, a *Advisory) {
	if in.Wards != nil {
		wards := slices.Clone(*in.Wards)
		for _, w := range wards {
			if w < 1 || w > 99 || (in.KnownWards != nil && !slices.Contains(in.KnownWards, w)) {
				v.Add("wards", "ward.unknown", w)
			}
		}
		slices.Sort(wards)
		a.Wards = slices.Compact(wards)
	}
	def := GradingOfPriority(priority)
	for _, g := range []struct {
		field, value, def string
		dst               *string
		allowed           []string
	}{
		{"urgency", in.Urgency, def.Urgency, &a.Urgency, Urgencies},
		{"severity", in.Severity, def.Severity, &a.Severity, Severities},
		{"certainty", in.Certainty, def.Certainty, &a.Certainty, Certainties},
	} {
		value := strings.TrimSpace(g.value)
		switch {
		case value != "":
			CheckChoice(v, g.field, value, g.allowed)
			*g.dst = value
		case *g.dst == "":
			*g.dst = g.def
		}
	}
	CheckText(v, "title_en", &in.TitleEn, false, AdvisoryTitleMax)
	CheckText(v, "content_en", &in.ContentEn, false, AdvisoryContentMax)
	if in.ContentEn != "" && in.TitleEn == "" {
		v.Add("title_en", "advisory.title_en_required")
	}
	a.TitleEn, a.ContentEn = in.TitleEn, in.ContentEn
}

// targetFields is the audit view of the targets.
func (t *AdvisoryTargets) targetFields(m map[string]any) {
	m["wards"] = WardList(t.Wards)
	m["urgency"], m["severity"], m["certainty"] = t.Urgency, t.Severity, t.Certainty
	m["title_en"], m["content_en"] = t.TitleEn, t.ContentEn
}

// WardList writes ward numbers as the database keeps them: "3,5"; "" for
// none.
func WardList(wards []int) string {
	parts := make([]string, len(wards))
	for i, w := range wards {
		parts[i] = strconv.Itoa(w)
	}
	return strings.Join(parts, ",")
}

// ParseWardList reads what WardList wrote; anything that is not a ward
// number is skipped (the column is only written by WardList).
func ParseWardList(s string) []int {
	var out []int
	for _, part := range strings.Split(s, ",") {
		if n, err := strconv.Atoi(strings.TrimSpace(part)); err == nil {
			out = append(out, n)
		}
	}
	return out
}
