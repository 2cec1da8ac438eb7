package server

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"leoc/internal/bs"
	"leoc/internal/leoc"
	"leoc/internal/store"
)

type auditData struct {
	Rows     []auditRow
	Pager    *pager
	Actions  []choice
	Entities []choice
	Users    []string
}

// auditPerPage keeps a page of the trail a screen or two tall: a created
// record's content is folded, but 50 entries with their changes were not.
const auditPerPage = 25

// auditFilter reads the filters shared by the audit page and API. Dates are
// BS (from, to inclusive), as staff think of them.
func (s *Server) auditFilter(q url.Values) (store.AuditFilter, error) {
	var v leoc.Validation
	f := store.AuditFilter{Action: q.Get("action"), Username: q.Get("username"), Entity: q.Get("entity"), EntityID: q.Get("entity_id")}
	f.Page = parsePage(&v, q.Get("page"))
	f.After, f.Keyset = q.Get("after"), &store.Keyset{}
	f.PerPage, _ = strconv.Atoi(q.Get("per_page"))
	if f.PerPage > store.MaxPerPage {
		v.Add("per_page", "list.per_page_max", store.MaxPerPage)
	}
	parse := func(name string) time.Time {
		raw := q.Get(name)
		if raw == "" {
			return time.Time{}
		}
		d, ok := s.parseBS(&v, name, raw)
		if !ok {
			return time.Time{}
		}
		ad, err := s.cal.ToAD(d)
		if err != nil {
			v.Add(name, "date.invalid")
			return time.Time{}
		}
		// Midnight in Nepal of that day.
		return time.Date(ad.Year(), ad.Month(), ad.Day(), 0, 0, 0, 0, bs.Kathmandu())
	}
	f.From = parse("from")
	if to := parse("to"); !to.IsZero() {
		f.To = to.AddDate(0, 0, 1)
	}
	return f, v.Err()
}

func (s *Server) auditPage(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	d, err := s.auditChoices(r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	f, err := s.auditFilter(q)
	if err != nil {
		fm, status := s.formFromError(r, q, err)
		d.Pager = &pager{Path: "/audit", Query: q, Page: 1}
		s.renderPageForm(w, r, status, "audit", d, fm)
		return
	}
	if q.Get("per_page") == "" {
		f.PerPage = auditPerPage
	}
	entries, total, err := s.store.ListAudit(r.Context(), f)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	st := state(r)
	d.Rows = s.auditRows(&page{s: s, Lang: st.lang, User: st.user}, entries)
	d.Pager = newPager("/audit", q, store.RecordFilter{Page: f.Page, PerPage: f.PerPage, Keyset: f.Keyset}, total)
	s.renderPageForm(w, r, http.StatusOK, "audit", d, &form{Values: q})
}

// auditChoices fills the filter bar: actions and registers by their labels,
// and the accounts that may appear.
func (s *Server) auditChoices(r *http.Request) (*auditData, error) {
	lang := state(r).lang
	d := &auditData{}
	for _, a := range auditActions {
		d.Actions = append(d.Actions, choice{a, s.cat.T(lang, "audit.action."+a)})
	}
	slices.SortFunc(d.Actions, func(a, b choice) int { return strings.Compare(a.Label, b.Label) })
	for _, e := range s.auditEntities() {
		label := e // a register without a label of its own (tests plug some in)
		if k := "audit.entity." + e; s.cat.Has(lang, k) {
			label = s.cat.T(lang, k)
		}
		d.Entities = append(d.Entities, choice{e, label})
	}
	users, err := s.store.Users(r.Context())
	if err != nil {
		return nil, err
	}
	for _, u := range users {
		d.Users = append(d.Users, u.Username)
	}
	return d, nil
}

func pageSize(perPage int) (int, bool) {
	if perPage <= 0 {
		return 50, true
	}
	return min(perPage, store.MaxPerPage), perPage <= store.MaxPerPage
}
