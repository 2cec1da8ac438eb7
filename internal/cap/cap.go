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

	// English are the same texts in English, for the English <info> of an
	// advisory with an English title.
	English Texts
	// Wards are the municipality's wards by number: their names and, when
	// ward polygons were imported, each one's polygon (CAP form, see
	// Polygon). An advisory for some wards has one <area> per ward.
	Wards map[int]Ward
}

// Texts are a Source's words in one language.
type Texts struct {
	SenderName, Event, AreaDesc, Contact string
}

// Ward is one ward as an alert names and draws it.
type Ward struct {
	NameNe, NameEn string // e.g. "वडा नं. ३", "Ward 3"
	Polygon        string // "" when the ward's polygon is not known
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
type Grading = leoc.Grading

// GradingOf is the grading a priority implies (leoc.GradingOfPriority):
// what an advisory without a chosen grading is sent with.
func GradingOf(priority string) Grading { return leoc.GradingOfPriority(priority) }

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

// FromAdvisory builds the alert of an advisory's current version: one
// <info> in Nepali and, when the advisory has an English title, one in
// English, each with the advisory's areas named in its language. Version 1
// is an Alert; a later version is an Update that references the version it
// replaces (same sender, its identifier, and when it was sent).
func FromAdvisory(a *leoc.Advisory, src Source) *Alert {
	g := a.Grading()
	if g.Urgency == "" || g.Severity == "" || g.Certainty == "" {
		g = GradingOf(a.Priority)
	}
	ne := Texts{SenderName: src.SenderName, Event: src.Event, AreaDesc: src.AreaDesc, Contact: src.Contact}
	infos := []Info{info(a, src, g, "ne-NP", a.Title, a.Content, ne)}
	if a.TitleEn != "" {
		infos = append(infos, info(a, src, g, "en-US", a.TitleEn, a.ContentEn, src.English))
	}
	alert := &Alert{
		Identifier: Identifier(src.Sender, a.ID, a.Version), Sender: src.Sender, Sent: Time(a.UpdatedAt),
		Status: "Actual", MsgType: "Alert", Scope: "Public", Info: infos,
	}
	if a.Version > 1 && !a.PreviousSentAt.IsZero() {
		alert.MsgType = "Update"
		alert.References = src.Sender + "," + Identifier(src.Sender, a.ID, a.Version-1) + "," + Time(a.PreviousSentAt)
	}
	return alert
}

func info(a *leoc.Advisory, src Source, g Grading, lang, title, content string, t Texts) Info {
	in := Info{
		Language: lang, Category: []string{CategoryOf(a.Type)}, Event: t.Event,
		Urgency: g.Urgency, Severity: g.Severity, Certainty: g.Certainty,
		Effective: Time(a.ValidFrom), SenderName: t.SenderName, Headline: Headline(title),
		Description: content, Web: src.Web, Contact: t.Contact,
		Area: areas(a, src, lang, t.AreaDesc),
	}
	if !a.OpenEnded() {
		in.Expires = Time(a.ValidUntil)
	}
	return in
}

// areas are the advisory's <area>s. The whole municipality is one area:
// its name and boundary. Targeted wards are one area each, named
// "municipality, ward" and drawn with the ward's polygon; wards whose
// polygon is not known share one area drawn with the municipality's
// boundary (or none), so that a receiver that places alerts by geometry
// still reaches everyone concerned, if more besides.
func areas(a *leoc.Advisory, src Source, lang, municipality string) []Area {
	whole := Area{AreaDesc: municipality}
	if src.Polygon != "" {
		whole.Polygon = []string{src.Polygon}
	}
	if a.WholeMunicipality() {
		return []Area{whole}
	}
	var out []Area
	var undrawn []string
	for _, n := range a.Wards {
		w, ok := src.Wards[n]
		name := w.NameNe
		if lang != "ne-NP" {
			name = w.NameEn
		}
		if !ok || name == "" {
			name = strconv.Itoa(n)
			if lang == "ne-NP" {
				name = "वडा नं. " + bs.DevanagariDigits(name)
			} else {
				name = "Ward " + name
			}
		}
		if w.Polygon == "" {
			undrawn = append(undrawn, name)
			continue
		}
		out = append(out, Area{AreaDesc: joinDesc(municipality, name), Polygon: []string{w.Polygon}})
	}
	if len(undrawn) > 0 {
		whole.AreaDesc = joinDesc(municipality, strings.Join(undrawn, ", "))
		out = append(out, whole)
	}
	return out
}

func joinDesc(municipality, wards string) string {
	if municipality == "" {
		return wards
	}
	return municipality + ", " + wards
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
