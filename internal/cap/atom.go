package cap

import (
	"encoding/xml"
	"time"
)

// AtomContentType is the media type of the feed.
const AtomContentType = "application/atom+xml; charset=utf-8"

// Feed is an Atom feed (RFC 4287) of CAP messages, the index that alert
// aggregators poll.
type Feed struct {
	XMLName xml.Name `xml:"http://www.w3.org/2005/Atom feed"`
	ID      string   `xml:"id"`
	Title   string   `xml:"title"`
	Updated string   `xml:"updated"`
	Author  Person   `xml:"author"`
	Links   []Link   `xml:"link"`
	Entries []Entry  `xml:"entry"`
}

// Person is an Atom author.
type Person struct {
	Name string `xml:"name"`
}

// Link is an Atom link.
type Link struct {
	Href string `xml:"href,attr"`
	Rel  string `xml:"rel,attr,omitempty"`
	Type string `xml:"type,attr,omitempty"`
}

// Entry is one advisory in the feed; its alternate link is the CAP message.
type Entry struct {
	ID      string `xml:"id"`
	Title   string `xml:"title"`
	Updated string `xml:"updated"`
	Summary string `xml:"summary,omitempty"`
	Link    Link   `xml:"link"`
}

// NewFeed starts a feed. updated is the newest change of anything listed
// (or now, for an empty feed).
func NewFeed(id, title, author, self string, updated time.Time) *Feed {
	return &Feed{ID: id, Title: title, Updated: Time(updated), Author: Person{Name: author},
		Links: []Link{{Href: self, Rel: "self", Type: "application/atom+xml"}}}
}

// Add lists an alert: its entry links to capURL, the CAP document.
func (f *Feed) Add(id string, a *Alert, capURL string) {
	e := Entry{ID: id, Title: a.Info[0].Headline, Updated: a.Sent, Summary: a.Info[0].Event,
		Link: Link{Href: capURL, Rel: "alternate", Type: "application/cap+xml"}}
	f.Entries = append(f.Entries, e)
}
