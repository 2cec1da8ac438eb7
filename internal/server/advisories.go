package server

import (
	"net/http"
	"time"

	"leoc/internal/leoc"
	"leoc/internal/store"
)

// Public advisories: routes and the staff API. Staff pages are in
// advisories_pages.go; the public page, its JSON and the CAP feed in
// public_advisories.go.

// advisoryRoutes are the public advisories' routes, the public pages and the
// CAP feed included.
func (s *Server) advisoryRoutes() []route {
	read, write := leoc.PermRead, leoc.PermWriteRecords
	return []route{
		{pattern: "GET /advisories", access: authenticated, perm: read, h: s.advisoriesPage},
		{pattern: "GET /advisories/new", access: authenticated, perm: write, h: s.advisoryNewPage},
		{pattern: "POST /advisories", access: authenticated, perm: write, h: s.advisoryCreate},
		{pattern: "GET /advisories/{id}", access: authenticated, perm: read, h: s.advisoryPage},
		{pattern: "GET /advisories/{id}/edit", access: authenticated, perm: write, h: s.advisoryEditPage},
		{pattern: "POST /advisories/{id}", access: authenticated, perm: write, h: s.advisoryUpdate},
		{pattern: "POST /advisories/{id}/delete", access: authenticated, perm: write, h: s.advisoryDelete},
		{pattern: "GET /api/v1/advisories", access: authenticated, perm: read, h: s.apiAdvisories},
		{pattern: "POST /api/v1/advisories", access: authenticated, perm: write, h: s.apiAdvisoryCreate},
		{pattern: "GET /api/v1/advisories/{id}", access: authenticated, perm: read, h: s.apiAdvisory},
		{pattern: "PUT /api/v1/advisories/{id}", access: authenticated, perm: write, h: s.apiAdvisoryUpdate},
		{pattern: "DELETE /api/v1/advisories/{id}", access: authenticated, perm: write, h: s.apiAdvisoryDelete},

		// No login: what the public may read, and nothing else.
		{pattern: "GET /public/advisories", access: public, h: s.publicAdvisoriesPage},
		{pattern: "GET /public/advisories.json", access: public, h: s.publicAdvisoriesJSON},
		{pattern: "GET /public/cap/index.atom", access: public, h: s.capFeed},
		{pattern: "GET /public/cap/{file}", access: public, h: s.capAlert},
	}
}

type advisoryJSON struct {
	recordJSON
	Title      string     `json:"title"`
	Content    string     `json:"content"`
	Type       string     `json:"type"`
	Priority   string     `json:"priority"`
	Active     bool       `json:"active"`
	ValidFrom  time.Time  `json:"valid_from"`
	ValidUntil *time.Time `json:"valid_until"` // null = open-ended
	Current    bool       `json:"current"`     // the public sees it now
	Wards      []int      `json:"wards"`       // [] = the whole municipality
	Urgency    string     `json:"urgency"`
	Severity   string     `json:"severity"`
	Certainty  string     `json:"certainty"`
	TitleEn    string     `json:"title_en"`
	ContentEn  string     `json:"content_en"`
}

func (s *Server) toAdvisoryJSON(a *leoc.Advisory) advisoryJSON {
	j := advisoryJSON{recordJSON: toRecordJSON(a.Record), Title: a.Title, Content: a.Content, Type: a.Type, Priority: a.Priority,
		Active: a.Active, ValidFrom: a.ValidFrom, Current: a.CurrentAt(s.now()),
		Wards: nonNil(a.Wards), Urgency: a.Urgency, Severity: a.Severity, Certainty: a.Certainty, TitleEn: a.TitleEn, ContentEn: a.ContentEn}
	if !a.OpenEnded() {
		until := a.ValidUntil
		j.ValidUntil = &until
	}
	return j
}

// advisoryFilter reads the list filters: those every register shares that
// apply to advisories (type, q, sort, order, page, per_page) and priority
// (repeatable), active=true|false, current=true.
func (s *Server) advisoryFilter(r *http.Request) (store.AdvisoryFilter, error) {
	q := r.URL.Query()
	rf, err := s.recordFilter(q, state(r).user)
	f := store.AdvisoryFilter{RecordFilter: rf}
	for _, p := range q["priority"] {
		if p != "" {
			f.Priorities = append(f.Priorities, p)
		}
	}
	switch q.Get("active") {
	case "true":
		f.Active = new(true)
	case "false":
		f.Active = new(false)
	}
	if q.Get("current") == "true" {
		f.CurrentAt = s.now()
	}
	return f, err
}

func (s *Server) apiAdvisories(w http.ResponseWriter, r *http.Request) {
	f, err := s.advisoryFilter(r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	items, total, err := s.store.Advisories(r.Context(), f)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	out := make([]advisoryJSON, 0, len(items))
	for _, a := range items {
		out = append(out, s.toAdvisoryJSON(a))
	}
	writeList(s, w, r, out, total, f.Page, f.PerPage, f.Keyset)
}

func (s *Server) loadAdvisory(w http.ResponseWriter, r *http.Request) *leoc.Advisory {
	return loadRecord(s, w, r, s.store.Advisory)
}

func (s *Server) apiAdvisory(w http.ResponseWriter, r *http.Request) {
	if a := s.loadAdvisory(w, r); a != nil {
		s.writeJSON(w, r, http.StatusOK, s.toAdvisoryJSON(a))
	}
}

func (s *Server) apiAdvisoryCreate(w http.ResponseWriter, r *http.Request) {
	var in leoc.AdvisoryInput
	if err := decodeJSON(r, &in); err != nil {
		s.renderError(w, r, err)
		return
	}
	a := &leoc.Advisory{Active: true}
	if err := s.applyAdvisory(r, &in, a); err != nil {
		s.renderError(w, r, err)
		return
	}
	if err := s.createAdvisory(r, a); err != nil {
		s.renderError(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/advisories/"+idString(a.ID))
	s.writeJSON(w, r, http.StatusCreated, s.toAdvisoryJSON(a))
}

func (s *Server) apiAdvisoryUpdate(w http.ResponseWriter, r *http.Request) {
	a := s.loadAdvisory(w, r)
	if a == nil {
		return
	}
	var in leoc.AdvisoryInput
	if err := decodeJSON(r, &in); err != nil {
		s.renderError(w, r, err)
		return
	}
	if err := s.updateAdvisory(r, a, &in); err != nil {
		s.renderError(w, r, err)
		return
	}
	s.writeJSON(w, r, http.StatusOK, s.toAdvisoryJSON(a))
}

// createAdvisory saves a new advisory; an active one is published, which
// needs PermPublish.
func (s *Server) createAdvisory(r *http.Request, a *leoc.Advisory) error {
	if err := checkAdvisoryPublish(state(r).user, nil, a); err != nil {
		return err
	}
	return s.store.CreateAdvisory(r.Context(), actor(r), a)
}

// updateAdvisory applies an edit of the version the client saw. Editing an
// active advisory, or activating one, needs PermPublish.
func (s *Server) updateAdvisory(r *http.Request, a *leoc.Advisory, in *leoc.AdvisoryInput) error {
	if err := checkEditable(a.Locked, in.Version); err != nil {
		return err
	}
	before := *a
	if err := s.applyAdvisory(r, in, a); err != nil {
		return err
	}
	if err := checkAdvisoryPublish(state(r).user, &before, a); err != nil {
		return err
	}
	a.Version = in.Version
	return s.store.UpdateAdvisory(r.Context(), actor(r), state(r).user, a)
}

// deleteAdvisory removes the advisory named by the path; removing an active
// one takes it off the public page, which needs PermPublish.
func (s *Server) deleteAdvisory(r *http.Request) error {
	id, err := idParam(r)
	if err != nil {
		return err
	}
	a, err := s.store.Advisory(r.Context(), id)
	if err != nil {
		return err
	}
	if err := checkAdvisoryPublish(state(r).user, a, nil); err != nil {
		return err
	}
	return s.store.DeleteAdvisory(r.Context(), actor(r), state(r).user, id)
}

func (s *Server) apiAdvisoryDelete(w http.ResponseWriter, r *http.Request) {
	if err := s.deleteAdvisory(r); err != nil {
		s.renderError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
