package server

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"leoc/internal/cap"
	"leoc/internal/geo"
	"leoc/internal/leoc"
	"leoc/internal/store"
)

// What the public may read without logging in: the advisories that are
// active and valid now, as a page, as JSON and as a CAP 1.2 feed. Nothing
// else leaves through these routes: no names of staff, no inactive, future
// or expired advisories.

// capPolygonPoints bounds the CAP area polygon: enough for a municipality's
// outline, small enough for every CAP consumer.
const capPolygonPoints = 100

func (s *Server) publicAdvisoriesPage(w http.ResponseWriter, r *http.Request) {
	items, err := s.store.CurrentAdvisories(r.Context(), s.now())
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	lang := state(r).lang
	views := make([]advisoryView, len(items))
	for i, a := range items {
		views[i] = s.viewAdvisory(lang, a)
	}
	s.renderPage(w, r, http.StatusOK, "public_advisories", views)
}

// publicAdvisoryJSON is an advisory as the public sees it: no record
// metadata, no staff names.
type publicAdvisoryJSON struct {
	ID         int64      `json:"id"`
	Title      string     `json:"title"`
	Content    string     `json:"content"`
	Type       string     `json:"type"`
	Priority   string     `json:"priority"`
	ValidFrom  time.Time  `json:"valid_from"`
	ValidUntil *time.Time `json:"valid_until"` // null = open-ended
	Wards      []int      `json:"wards"`       // [] = the whole municipality
	TitleEn    string     `json:"title_en"`
	ContentEn  string     `json:"content_en"`
}

func (s *Server) publicAdvisoriesJSON(w http.ResponseWriter, r *http.Request) {
	items, err := s.store.CurrentAdvisories(r.Context(), s.now())
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	out := struct {
		Items []publicAdvisoryJSON `json:"items"`
	}{Items: make([]publicAdvisoryJSON, 0, len(items))}
	for _, a := range items {
		j := publicAdvisoryJSON{ID: a.ID, Title: a.Title, Content: a.Content, Type: a.Type, Priority: a.Priority, ValidFrom: a.ValidFrom,
			Wards: nonNil(a.Wards), TitleEn: a.TitleEn, ContentEn: a.ContentEn}
		if !a.OpenEnded() {
			until := a.ValidUntil
			j.ValidUntil = &until
		}
		out.Items = append(out.Items, j)
	}
	b, err := json.Marshal(out)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	s.writePublic(w, r, "application/json; charset=utf-8", append(b, '\n'))
}

// writePublic answers a public document: everyone gets the same bytes, so
// caches may keep them for a minute.
func (s *Server) writePublic(w http.ResponseWriter, r *http.Request, contentType string, body []byte) {
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Cache-Control", "public, max-age=60")
	w.Header().Set("Access-Control-Allow-Origin", "*")
	if _, err := w.Write(body); err != nil {
		s.log.Debug("write public document", "err", err, "request_id", state(r).id)
	}
}

// publicBase is the origin links in the feed point to: LEOC_BASE_URL
// (required in production), or a development server's own address — never
// the request's Host header, which would let a client put its own host into
// links that are cached and passed on to other systems.
func (s *Server) publicBase() string { return s.cfg.PublicURL() }

// capSender names this LEOC as a CAP sender: the host of LEOC_BASE_URL, or
// a name built from the municipality's English name when no URL is set.
func (s *Server) capSender(st *store.Settings) string {
	if u, err := url.Parse(s.cfg.BaseURL); err == nil && s.cfg.BaseURL != "" && u.Hostname() != "" {
		return u.Hostname()
	}
	var b strings.Builder
	dash := false
	for _, c := range strings.ToLower(st.MunicipalityEn) {
		if (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') {
			b.WriteRune(c)
			dash = false
		} else if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
	}
	if slug := strings.TrimSuffix(b.String(), "-"); slug != "" {
		return "leoc-" + slug
	}
	return "leoc"
}

// capPolygon is the municipality boundary as a CAP polygon, "" when no
// boundary was imported. A boundary that no longer parses is logged and
// left out: the alert still goes out, with the area named.
func (s *Server) capPolygon(ctx context.Context) string {
	body, err := s.store.Boundary(ctx)
	if err != nil || body == "" {
		if err != nil {
			s.log.Error("load municipality boundary", "err", err)
		}
		return ""
	}
	b, err := geo.ParseBoundary([]byte(body))
	if err != nil {
		s.log.Error("stored municipality boundary is not valid", "err", err)
		return ""
	}
	return cap.Polygon(geo.Simplify(b.OuterRing(), capPolygonPoints))
}

// capAlerts builds the CAP alerts of advisories: in Nepali (ne-NP), and in
// English too for an advisory with an English title; an advisory for some
// wards has an area per ward.
func (s *Server) capAlerts(r *http.Request, items []*leoc.Advisory) ([]*cap.Alert, *store.Settings, error) {
	st, err := s.store.Settings(r.Context())
	if err != nil {
		return nil, nil, err
	}
	wards, err := s.capWards(r.Context())
	if err != nil {
		return nil, nil, err
	}
	src := cap.Source{Sender: s.capSender(st), SenderName: joinNonEmpty(", ", st.LeocNameNe, st.MunicipalityNe),
		AreaDesc: st.MunicipalityNe, Polygon: s.capPolygon(r.Context()), Web: s.publicBase() + "/public/advisories",
		Contact: joinNonEmpty(", ", st.OfficeNe, st.AddressNe), Wards: wards,
		English: cap.Texts{SenderName: joinNonEmpty(", ", st.LeocNameEn, st.MunicipalityEn), AreaDesc: st.MunicipalityEn,
			Contact: joinNonEmpty(", ", st.OfficeEn, st.AddressEn)}}
	out := make([]*cap.Alert, len(items))
	for i, a := range items {
		src.Event = s.cat.T("ne", "advisory.type."+a.Type)
		src.English.Event = s.cat.T("en", "advisory.type."+a.Type)
		out[i] = cap.FromAdvisory(a, src)
	}
	return out, st, nil
}

func joinNonEmpty(sep string, parts ...string) string {
	var keep []string
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			keep = append(keep, p)
		}
	}
	return strings.Join(keep, sep)
}

func (s *Server) capFeed(w http.ResponseWriter, r *http.Request) {
	now := s.now()
	items, err := s.store.CurrentAdvisories(r.Context(), now)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	alerts, st, err := s.capAlerts(r, items)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	// The feed changes when an advisory is saved or its validity begins.
	updated := time.Time{}
	for _, a := range items {
		updated = latest(updated, a.UpdatedAt, a.ValidFrom)
	}
	if updated.IsZero() {
		updated = now
	}
	base := s.publicBase()
	self := base + "/public/cap/index.atom"
	feed := cap.NewFeed(self, s.cat.T("ne", "advisory.public_title")+" — "+st.MunicipalityNe,
		joinNonEmpty(", ", st.LeocNameNe, st.MunicipalityNe), self, updated)
	for i, a := range items {
		u := base + "/public/cap/" + idString(a.ID) + ".xml"
		feed.Add(u, alerts[i], u)
	}
	s.writeXML(w, r, cap.AtomContentType, feed)
}

func latest(ts ...time.Time) time.Time {
	var out time.Time
	for _, t := range ts {
		if t.After(out) {
			out = t
		}
	}
	return out
}

// capAlert answers /public/cap/{id}.xml with the advisory's current version
// as a CAP alert. Advisories the public may not see are not found.
func (s *Server) capAlert(w http.ResponseWriter, r *http.Request) {
	num, ok := strings.CutSuffix(r.PathValue("file"), ".xml")
	id, err := strconv.ParseInt(num, 10, 64)
	if !ok || err != nil || id <= 0 || strconv.FormatInt(id, 10) != num {
		s.notFound(w, r)
		return
	}
	a, err := s.store.Advisory(r.Context(), id)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	if !a.CurrentAt(s.now()) {
		s.notFound(w, r)
		return
	}
	alerts, _, err := s.capAlerts(r, []*leoc.Advisory{a})
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	s.writeXML(w, r, cap.ContentType, alerts[0])
}

func (s *Server) writeXML(w http.ResponseWriter, r *http.Request, contentType string, v any) {
	b, err := cap.Marshal(v)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	s.writePublic(w, r, contentType, b)
}
