package server

import (
	"net/http"
	"net/url"
	"strconv"
	"time"

	"leoc/internal/bs"
	"leoc/internal/leoc"
	"leoc/internal/store"
)

type auditData struct {
	Entries []store.AuditEntry
	Total   int
	Page    int
	Pages   int
	Query   url.Values
}

// PageURL links to another page of the same filtered list.
func (d *auditData) PageURL(n int) string {
	q := url.Values{}
	for k, v := range d.Query {
		q[k] = v
	}
	q.Set("page", strconv.Itoa(n))
	return "/audit?" + q.Encode()
}

// auditFilter reads the filters shared by the audit page and API. Dates are
// BS (from, to inclusive), as staff think of them.
func (s *Server) auditFilter(q url.Values) (store.AuditFilter, error) {
	var v leoc.Validation
	f := store.AuditFilter{Action: q.Get("action"), Username: q.Get("username"), Entity: q.Get("entity"), EntityID: q.Get("entity_id")}
	f.Page = parsePage(&v, q.Get("page"))
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
	f, err := s.auditFilter(q)
	if err != nil {
		fm, status := s.formFromError(r, q, err)
		s.renderPageForm(w, r, status, "audit", &auditData{Query: q, Page: 1}, fm)
		return
	}
	entries, total, err := s.store.ListAudit(r.Context(), f)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	per, _ := pageSize(f.PerPage)
	d := &auditData{Entries: entries, Total: total, Page: max(f.Page, 1), Pages: (total + per - 1) / per, Query: q}
	s.renderPageForm(w, r, http.StatusOK, "audit", d, &form{Values: q})
}

func pageSize(perPage int) (int, bool) {
	if perPage <= 0 {
		return 50, true
	}
	return min(perPage, store.MaxPerPage), perPage <= store.MaxPerPage
}
