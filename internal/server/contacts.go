package server

import (
	"net/http"
	"net/url"
	"slices"
	"strings"

	"leoc/internal/i18n"
	"leoc/internal/leoc"
	"leoc/internal/store"
)

// Emergency contacts: the register's declaration, its JSON form, and what
// it has beyond the shared lifecycle — the A4 directory grouped by
// category and the call list for a phone.

type contactLifecycle = lifecycle[*leoc.Contact, leoc.ContactInput, *leoc.ContactInput]

func (s *Server) contacts() *contactLifecycle {
	return (&contactLifecycle{
		s: s, Path: "/contacts", Template: "contact",
		Read: leoc.PermRead, Write: leoc.PermWriteRecords, Limits: leoc.ContactLimits,
		Store: s.store.Contacts(),
		New:   func() *leoc.Contact { return &leoc.Contact{} },
		Input: (*leoc.Contact).Input,
		JSON:  func(c *leoc.Contact) any { return contactJSON{c.Input().ContactFields, toRecordJSON(c.Record)} },
		Ward:  func(c *leoc.Contact) int { return c.Ward },
		FormData: func(r *http.Request, edit *leoc.Contact, _ *form) any {
			wards, _ := s.wardChoices(r)
			return &contactForm{Edit: edit, Categories: s.listChoices(r, store.ListContactCategory), Wards: wards}
		},
		Detail:   func(r *http.Request, c *leoc.Contact) any { return s.contactRows(r, []*leoc.Contact{c})[0] },
		ListData: func(r *http.Request, items []*leoc.Contact) any { return s.contactRows(r, items) },
		Bar: func(r *http.Request) *filterBar {
			_, wards := s.wardChoices(r)
			return &filterBar{Action: "/contacts", Types: s.listChoices(r, store.ListContactCategory), Wards: wards,
				Query: r.URL.Query(), TypeParam: "category"}
		},
		Narrow:       func(q url.Values, f *store.RecordFilter) { f.Types = slices.DeleteFunc(q["category"], isBlank) },
		ExportFields: []string{"id", "organisation", "person", "designation", "category", "phones", "email", "ward", "address", "hours", "notes"},
		Export: func(r *http.Request, all []*leoc.Contact) (rows [][]any) {
			for _, c := range s.contactRows(r, all) {
				rows = append(rows, []any{c.ID, c.Organisation, c.Person, c.Designation, c.Category, strings.Join(c.Phones, ", "),
					c.Email, c.Ward, c.Address, c.Hours, c.Notes})
			}
			return rows
		},
	}).bind()
}

func (s *Server) contactRoutes() []route {
	read := leoc.PermRead
	return append(s.contacts().routes(),
		route{pattern: "GET /contacts/directory", access: authenticated, perm: read, h: s.contactGroupsPage("contact_directory")},
		route{pattern: "GET /contacts/call", access: authenticated, perm: read, h: s.contactGroupsPage("contact_call")},
	)
}

// contactJSON is the contact's fields and the record's metadata.
type contactJSON struct {
	leoc.ContactFields
	recordJSON
}

type contactForm struct {
	Edit              *leoc.Contact
	Categories, Wards []choice
}

// contactRow is a contact with its category's label.
type contactRow struct {
	*leoc.Contact
	Category string
}

func (s *Server) contactRows(r *http.Request, items []*leoc.Contact) []contactRow {
	cats, rows := s.listChoices(r, store.ListContactCategory), make([]contactRow, len(items))
	for i, c := range items {
		rows[i] = contactRow{c, choiceLabel(cats, c.Category)}
	}
	return rows
}

// contactGroupsPage shows every contact the filters select by category:
// the directory (A4, Nepali unless ?lang=en like every print-out) or the
// call list.
func (s *Server) contactGroupsPage(tmpl string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if tmpl == "contact_directory" {
			state(r).lang = "ne"
			if l := r.URL.Query().Get("lang"); i18n.Supported(l) {
				state(r).lang = l
			}
		}
		all, err := s.contacts().all(r)
		if err != nil {
			s.renderError(w, r, err)
			return
		}
		groups := groupBy(s.contactRows(r, all), func(c contactRow) string { return c.Category })
		s.renderPage(w, r, http.StatusOK, tmpl, map[string]any{"Groups": groups, "Query": r.URL.Query(), "Generated": s.formatWhen(state(r).lang, s.now())})
	}
}
