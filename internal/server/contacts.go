package server

import (
	"net/http"
	"net/url"

	"leoc/internal/leoc"
	"leoc/internal/store"
)

// Emergency contacts: the register's declaration and JSON form. The
// directory, the call list and the exports are in contacts_pages.go.

type contactLifecycle = lifecycle[*leoc.Contact, leoc.ContactInput, *leoc.ContactInput]

func (s *Server) contacts() *contactLifecycle {
	return &contactLifecycle{
		s: s, Path: "/contacts", Register: store.ContactRegister.Name, Template: "contact",
		Read: leoc.PermRead, Write: leoc.PermWriteRecords, Limits: leoc.ContactLimits,
		Get: s.store.Contact, List: s.store.Contacts,
		Create: func(r *http.Request, c *leoc.Contact) error {
			return s.store.CreateContact(r.Context(), actor(r), state(r).user, c)
		},
		Update: func(r *http.Request, c *leoc.Contact) error {
			return s.store.UpdateContact(r.Context(), actor(r), state(r).user, c)
		},
		Delete: func(r *http.Request, id int64) error {
			return s.store.DeleteContact(r.Context(), actor(r), state(r).user, id)
		},
		New:   func() *leoc.Contact { return &leoc.Contact{} },
		Input: (*leoc.Contact).Input,
		JSON:  func(c *leoc.Contact) any { return toContactJSON(c) },
		Ward:  func(c *leoc.Contact) int { return c.Ward },
		FormData: func(r *http.Request, edit *leoc.Contact, _ *form) any {
			return &contactForm{Edit: edit, Choices: s.contactChoices(r)}
		},
		Detail: func(r *http.Request, c *leoc.Contact) any {
			return &contactRow{Contact: c, Category: s.contactChoices(r).label(c.Category)}
		},
		ListData: func(r *http.Request, items []*leoc.Contact) any { return s.contactRows(r, items) },
		Bar: func(r *http.Request) *filterBar {
			ch := s.contactChoices(r)
			return &filterBar{Action: "/contacts", Types: ch.Categories, Wards: ch.wards, Query: r.URL.Query(), TypeParam: "category"}
		},
		Narrow: narrowContacts,
	}
}

func (s *Server) contactRoutes() []route {
	l, read := s.contacts(), leoc.PermRead
	return append(l.routes(),
		route{pattern: "GET /contacts/directory", access: authenticated, perm: read, h: s.contactDirectoryPage},
		route{pattern: "GET /contacts/call", access: authenticated, perm: read, h: s.contactCallPage},
		route{pattern: "GET /contacts/export.csv", access: authenticated, perm: read, h: s.contactExportCSV},
		route{pattern: "GET /contacts/export.xlsx", access: authenticated, perm: read, h: s.contactExportXLSX},
	)
}

// narrowContacts reads the category filter (repeatable) into Types.
func narrowContacts(q url.Values, f *store.RecordFilter) {
	f.Types = nil
	for _, c := range q["category"] {
		if c != "" {
			f.Types = append(f.Types, c)
		}
	}
}

type contactJSON struct {
	recordJSON
	Organisation string   `json:"organisation"`
	Person       string   `json:"person"`
	Designation  string   `json:"designation"`
	Category     string   `json:"category"`
	Phones       []string `json:"phones"`
	Email        string   `json:"email"`
	Ward         *int     `json:"ward"` // null: the whole municipality
	Address      string   `json:"address"`
	Hours        string   `json:"hours"`
	Notes        string   `json:"notes"`
}

func toContactJSON(c *leoc.Contact) contactJSON {
	in := c.Input()
	return contactJSON{recordJSON: toRecordJSON(c.Record), Organisation: in.Organisation, Person: in.Person, Designation: in.Designation,
		Category: in.Category, Phones: in.Phones, Email: in.Email, Ward: in.Ward, Address: in.Address, Hours: in.Hours, Notes: in.Notes}
}
