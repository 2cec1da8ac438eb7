// Package cap writes public advisories as OASIS Common Alerting Protocol 1.2
// messages and lists them in an Atom feed, the formats alert aggregators and
// broadcasters read. It is pure: what an alert says comes in as values.
package cap

import (
	"encoding/xml"
	"leoc/internal/bs"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"leoc/internal/geo"
	"leoc/internal/leoc"
)

// Namespace is CAP 1.2's XML namespace.
const Namespace = "urn:oasis:names:tc:emergency:cap:1.2"

// ContentType is the media type of a CAP document.
const ContentType = "application/cap+xml; charset=utf-8"

// Alert is a CAP <alert>. Field order is the schema's sequence order, which
// encoding/xml keeps.
type Alert struct {
	XMLName    xml.Name `xml:"urn:oasis:names:tc:emergency:cap:1.2 alert"`
	Identifier string   `xml:"identifier"`
	Sender     string   `xml:"sender"`
	Sent       string   `xml:"sent"`
	Status     string   `xml:"status"`
	MsgType    string   `xml:"msgType"`
	Scope      string   `xml:"scope"`
	References string   `xml:"references,omitempty"`
	Info       []Info   `xml:"info"`
}

// Info is one <info> block: the message in one language.
type Info struct {
	Language    string   `xml:"language"`
	Category    []string `xml:"category"`
	Event       string   `xml:"event"`
	Urgency     string   `xml:"urgency"`
	Severity    string   `xml:"severity"`
	Certainty   string   `xml:"certainty"`
	Effective   string   `xml:"effective,omitempty"`
	Expires     string   `xml:"expires,omitempty"`
	SenderName  string   `xml:"senderName,omitempty"`
	Headline    string   `xml:"headline,omitempty"`
	Description string   `xml:"description,omitempty"`
	Web         string   `xml:"web,omitempty"`
	Contact     string   `xml:"contact,omitempty"`
	Area        []Area   `xml:"area"`
}

// Area is an <area>: a description and, where known, polygons.
type Area struct {
	AreaDesc string   `xml:"areaDesc"`
	Polygon  []string `xml:"polygon,omitempty"`
}

// Source is what an alert says besides the advisory itself: who sends it and
// for where. Texts are in Nepali, the alert's language.
type Source struct {
	Sender     string // CAP sender: the LEOC's host name, or a name derived from the municipality
	SenderName string // e.g. the LEOC's and the municipality's name
	Event      string // the advisory's type in words
	AreaDesc   string // the municipality's name
	Polygon    string // Polygon(…) of the municipality boundary; "" when unknown
	Web        string // absolute URL of the public advisories page; "" when unknown
	Contact    string // the office and its address
}

// Time formats an instant as CAP requires: Nepal time (from the calendar
// package, the one place that knows Nepal's zone), whole seconds and an
// explicit offset — CAP does not allow "Z" — e.g. 2026-01-29T15:45:00+05:45.
func Time(t time.Time) string { return bs.NepalTime(t).Format("2006-01-02T15:04:05-07:00") }

// Identifier names one version of an advisory uniquely for its sender; a new
// version is a new message, so the version is part of it.
func Identifier(sender string, id int64, version int) string {
	return sender + ".advisory." + strconv.FormatInt(id, 10) + ".v" + strconv.Itoa(version)
}

// Grading is CAP's urgency, severity and certainty of a message.
type Grading struct{ Urgency, Severity, Certainty string }

// gradings maps an advisory's priority to CAP. A critical advisory is about
// something happening now that threatens life; a high one about something
// expected soon; normal and low ones inform and prepare.
var gradings = map[string]Grading{
	"critical": {"Immediate", "Extreme", "Observed"},
	"high":     {"Expected", "Severe", "Likely"},
	"normal":   {"Future", "Moderate", "Possible"},
	"low":      {"Future", "Minor", "Possible"},
}

// GradingOf maps a priority; an unknown one is Unknown throughout.
func GradingOf(priority string) Grading {
	if g, ok := gradings[priority]; ok {
		return g
	}
	return Grading{"Unknown", "Unknown", "Unknown"}
}

// categories maps an advisory type to a CAP category.
var categories = map[string]string{"weather": "Met", "safety": "Safety", "contact": "Other", "general": "Other"}

// CategoryOf maps an advisory type; anything unknown is Other.
func CategoryOf(typ string) string {
	if c, ok := categories[typ]; ok {
		return c
	}
	return "Other"
}

// HeadlineMax is CAP's guidance for a headline (160 characters, an SMS).
const HeadlineMax = 160

// Headline cuts a title to HeadlineMax characters, ending in "…" when cut.
func Headline(title string) string {
	if utf8.RuneCountInString(title) <= HeadlineMax {
		return title
	}
	r := []rune(title)
	return strings.TrimSpace(string(r[:HeadlineMax-1])) + "…"
}

// Polygon writes a ring the way CAP wants it: "lat,lon" pairs separated by
// spaces, the first pair repeated at the end, at least four pairs.
// Coordinates are rounded to 5 decimals (about a metre); "" when the ring is
// too small to be a polygon.
func Polygon(r geo.Ring) string {
	round := func(f float64) string { return strconv.FormatFloat(math.Round(f*1e5)/1e5, 'f', -1, 64) }
	var pairs []string
	for _, p := range r {
		pair := round(p.Lat) + "," + round(p.Lon)
		if len(pairs) > 0 && pairs[len(pairs)-1] == pair {
			continue
		}
		pairs = append(pairs, pair)
	}
	if len(pairs) > 1 && pairs[0] == pairs[len(pairs)-1] {
		pairs = pairs[:len(pairs)-1]
	}
	if len(pairs) < 3 {
		return ""
	}
	return strings.Join(append(pairs, pairs[0]), " ")
}

// FromAdvisory builds the alert of an advisory's current version. Version 1
// is an Alert; a later version is an Update that references the version it
// replaces (same sender, its identifier, and when it was sent).
func FromAdvisory(a *leoc.Advisory, src Source) *Alert {
	g := GradingOf(a.Priority)
	info := Info{
		Language: "ne-NP", Category: []string{CategoryOf(a.Type)}, Event: src.Event,
		Urgency: g.Urgency, Severity: g.Severity, Certainty: g.Certainty,
		Effective: Time(a.ValidFrom), SenderName: src.SenderName, Headline: Headline(a.Title),
		Description: a.Content, Web: src.Web, Contact: src.Contact,
		Area: []Area{{AreaDesc: src.AreaDesc}},
	}
	if !a.OpenEnded() {
		info.Expires = Time(a.ValidUntil)
	}
	if src.Polygon != "" {
		info.Area[0].Polygon = []string{src.Polygon}
	}
	alert := &Alert{
		Identifier: Identifier(src.Sender, a.ID, a.Version), Sender: src.Sender, Sent: Time(a.UpdatedAt),
		Status: "Actual", MsgType: "Alert", Scope: "Public", Info: []Info{info},
	}
	if a.Version > 1 && !a.PreviousSentAt.IsZero() {
		alert.MsgType = "Update"
		alert.References = src.Sender + "," + Identifier(src.Sender, a.ID, a.Version-1) + "," + Time(a.PreviousSentAt)
	}
	return alert
}

// Marshal writes an XML document: declaration, indented element, newline.
func Marshal(v any) ([]byte, error) {
	b, err := xml.MarshalIndent(v, "", "  ")
	if err != nil {
		return nil, err
	}
	out := append([]byte(xml.Header), b...)
	return append(out, '\n'), nil
}
