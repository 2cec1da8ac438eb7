package server

import (
	"net/http"
	"strconv"

	"leoc/internal/i18n"
	"leoc/internal/leoc"
	"leoc/internal/store"
)

// Emergency contacts beyond the shared lifecycle: labels, the A4 directory
// grouped by category, the call list for a phone, the CSV/XLSX exports.

// contactChoices are the categories and wards a contact form and filter
// offer, in the page's language.
type contactChoices struct {
	Categories, Wards []choice
	wards             []store.Ward
}

func (c contactChoices) label(key string) string {
	for _, ch := range c.Categories {
		if ch.Value == key {
			return ch.Label
		}
	}
	return key
}

func (s *Server) contactChoices(r *http.Request) contactChoices {
	var c contactChoices
	lang := state(r).lang
	values, err := s.store.ListValues(r.Context(), store.ListContactCategory)
	if err == nil {
		for _, v := range values {
			c.Categories = append(c.Categories, choice{v.Key, v.Label(lang)})
		}
		if c.wards, err = s.store.Wards(r.Context()); err == nil {
			for _, w := range c.wards {
				name := w.NameNe
				if lang == "en" {
					name = w.NameEn
				}
				c.Wards = append(c.Wards, choice{strconv.Itoa(w.Number), name})
			}
		}
	}
	if err != nil {
		s.log.Error("contact choices", "err", err, "request_id", state(r).id)
	}
	return c
}

type contactForm struct {
	Edit    *leoc.Contact
	Choices contactChoices
}

// contactRow is a contact with its category's label.
type contactRow struct {
	*leoc.Contact
	Category string
}

func (s *Server) contactRows(r *http.Request, items []*leoc.Contact) []contactRow {
	ch := s.contactChoices(r)
	rows := make([]contactRow, len(items))
	for i, c := range items {
		rows[i] = contactRow{Contact: c, Category: ch.label(c.Category)}
	}
	return rows
}

// contactGroup is one category of the directory and the call list.
type contactGroup struct {
	Label string
	Rows  []contactRow
}

// contactGroups loads every contact the filter selects, grouped by
// category in the list's order (the store sorts by category).
func (s *Server) contactGroups(r *http.Request) ([]contactGroup, error) {
	l := s.contacts()
	f, err := l.filter(r)
	if err != nil {
		return nil, err
	}
	var all []*leoc.Contact
	for f.Page, f.PerPage = 1, store.MaxPerPage; ; f.Page++ {
		items, total, err := s.store.Contacts(r.Context(), f)
		if err != nil {
			return nil, err
		}
		if all = append(all, items...); len(all) >= total || len(items) == 0 {
			break
		}
	}
	var groups []contactGroup
	for _, row := range s.contactRows(r, all) {
		if n := len(groups); n == 0 || groups[n-1].Label != row.Category {
			groups = append(groups, contactGroup{Label: row.Category})
		}
		groups[len(groups)-1].Rows = append(groups[len(groups)-1].Rows, row)
	}
	return groups, nil
}

type contactDirectory struct {
	Groups    []contactGroup
	Generated string
	Filter    *filterBar
}

// contactDirectoryPage is the A4 directory: Nepali unless ?lang=en, like
// every print-out.
func (s *Server) contactDirectoryPage(w http.ResponseWriter, r *http.Request) {
	st := state(r)
	st.lang = "ne"
	if l := r.URL.Query().Get("lang"); i18n.Supported(l) {
		st.lang = l
	}
	s.contactGroupsPage(w, r, "contact_directory")
}

// contactCallPage is the call list: big tel: links for a phone.
func (s *Server) contactCallPage(w http.ResponseWriter, r *http.Request) {
	s.contactGroupsPage(w, r, "contact_call")
}

func (s *Server) contactGroupsPage(w http.ResponseWriter, r *http.Request, tmpl string) {
	groups, err := s.contactGroups(r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	bar := s.contacts().Bar(r)
	s.renderPage(w, r, http.StatusOK, tmpl, &contactDirectory{Groups: groups, Generated: s.formatWhen(state(r).lang, s.now()), Filter: bar})
}
