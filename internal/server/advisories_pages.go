package server

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"

	"leoc/internal/bs"
	"leoc/internal/leoc"
	"leoc/internal/store"
)

// Public advisories: the staff pages (list, form, detail). Validity is
// entered as BS dates and times in Nepal and converted through the calendar.

// advisoryView is an advisory as pages show it.
type advisoryView struct {
	*leoc.Advisory
	State string // current | scheduled | expired | inactive
	From  string // validity in the page's language: BS date and Nepal time
	Until string // "" when open-ended
	Where string // the wards it concerns, or the whole municipality, in the page's language
}

// WardStrings are the advisory's ward numbers as text ([] = the whole
// municipality), for the public page's data-wards.
func (v advisoryView) WardStrings() []string {
	out := make([]string, len(v.Wards))
	for i, w := range v.Wards {
		out[i] = strconv.Itoa(w)
	}
	return out
}

// advisoryState says where an advisory stands for the public at now.
func advisoryState(a *leoc.Advisory, now time.Time) string {
	switch {
	case !a.Active:
		return "inactive"
	case now.Before(a.ValidFrom):
		return "scheduled"
	case !a.OpenEnded() && !now.Before(a.ValidUntil):
		return "expired"
	}
	return "current"
}

// advisoryStates are the values of advisoryState (catalog keys
// advisory.state.*).
var advisoryStates = []string{"current", "scheduled", "expired", "inactive"}

func (s *Server) viewAdvisory(lang string, a *leoc.Advisory) advisoryView {
	v := advisoryView{Advisory: a, State: advisoryState(a, s.now()), From: s.formatWhen(lang, a.ValidFrom), Where: s.wardsText(lang, a)}
	if !a.OpenEnded() {
		v.Until = s.formatWhen(lang, a.ValidUntil)
	}
	return v
}

func (s *Server) advisoryChoices(lang string) (types, priorities []choice) {
	for _, t := range leoc.AdvisoryTypes {
		types = append(types, choice{t, s.cat.T(lang, "advisory.type."+t)})
	}
	for i := len(leoc.AdvisoryPriorities) - 1; i >= 0; i-- {
		p := leoc.AdvisoryPriorities[i]
		priorities = append(priorities, choice{p, s.cat.T(lang, "advisory.priority."+p)})
	}
	return types, priorities
}

type advisoryListData struct {
	Items      []advisoryView
	Pager      *pager
	Query      url.Values
	Types      []choice
	Priorities []choice
}

func (s *Server) advisoriesPage(w http.ResponseWriter, r *http.Request) {
	lang := state(r).lang
	q := r.URL.Query()
	types, priorities := s.advisoryChoices(lang)
	d := &advisoryListData{Query: q, Types: types, Priorities: priorities, Pager: &pager{}}
	f, err := s.advisoryFilter(r)
	if err != nil {
		fm, status := s.formFromError(r, q, err)
		s.renderPageForm(w, r, status, "advisory_list", d, fm)
		return
	}
	items, total, err := s.store.Advisories(r.Context(), f)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	for _, a := range items {
		d.Items = append(d.Items, s.viewAdvisory(lang, a))
	}
	d.Pager = newPager("/advisories", q, f.RecordFilter, total)
	s.renderPage(w, r, http.StatusOK, "advisory_list", d)
}

func (s *Server) advisoryPage(w http.ResponseWriter, r *http.Request) {
	if a := s.loadAdvisory(w, r); a != nil {
		s.renderPage(w, r, http.StatusOK, "advisory_detail", s.viewAdvisory(state(r).lang, a))
	}
}

type advisoryFormData struct {
	Edit       *leoc.Advisory
	Types      []choice
	Priorities []choice
	Grading    []gradingSelect
	Wards      []store.Ward
}

// WardChecked reports whether a ward's box is ticked in the form.
func (d *advisoryFormData) WardChecked(f *form, n int) bool {
	return slices.Contains(f.Values["wards"], strconv.Itoa(n))
}

func (s *Server) renderAdvisoryForm(w http.ResponseWriter, r *http.Request, status int, edit *leoc.Advisory, f *form) {
	types, priorities := s.advisoryChoices(state(r).lang)
	f = s.reshown(r, f)
	if f == nil {
		f = &form{Values: url.Values{}}
		if edit != nil {
			f.Values = s.advisoryValues(edit)
		} else {
			date, clock := s.bsDateTime(s.now())
			f.Values.Set("valid_from_bs", date)
			f.Values.Set("valid_from_time", clock)
			f.Values.Set("priority", "normal")
			if state(r).user.Can(leoc.PermPublish) {
				f.Values.Set("active", "on")
			}
		}
	}
	wards, err := s.store.Wards(r.Context())
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	s.renderPageForm(w, r, status, "advisory_form", &advisoryFormData{Edit: edit, Types: types, Priorities: priorities,
		Grading: s.gradingChoices(state(r).lang), Wards: wards}, f)
}

// bsDateTime is an instant as the form shows it: BS date and Nepal time.
func (s *Server) bsDateTime(t time.Time) (date, clock string) {
	n := bs.NepalTime(t)
	d, err := s.cal.FromAD(n)
	if err != nil {
		return "", ""
	}
	return d.String(), n.Format("15:04")
}

func (s *Server) advisoryValues(a *leoc.Advisory) url.Values {
	v := url.Values{}
	v.Set("title", a.Title)
	v.Set("content", a.Content)
	v.Set("type", a.Type)
	v.Set("priority", a.Priority)
	if a.Active {
		v.Set("active", "on")
	}
	date, clock := s.bsDateTime(a.ValidFrom)
	v.Set("valid_from_bs", date)
	v.Set("valid_from_time", clock)
	if !a.OpenEnded() {
		date, clock = s.bsDateTime(a.ValidUntil)
		v.Set("valid_until_bs", date)
		v.Set("valid_until_time", clock)
	}
	v.Set("version", strconv.Itoa(a.Version))
	targetValues(v, a)
	return v
}

func advisoryInputFrom(v url.Values) *leoc.AdvisoryInput {
	active := v.Get("active") != ""
	in := &leoc.AdvisoryInput{Title: v.Get("title"), Content: v.Get("content"), Type: v.Get("type"), Priority: v.Get("priority"),
		Active: &active, Form: &leoc.ValidityForm{FromDate: v.Get("valid_from_bs"), FromTime: v.Get("valid_from_time"),
			UntilDate: v.Get("valid_until_bs"), UntilTime: v.Get("valid_until_time")}}
	in.Version, _ = strconv.Atoi(v.Get("version"))
	in.AdvisoryTargetsInput = targetsFromForm(v)
	return in
}

func (s *Server) advisoryNewPage(w http.ResponseWriter, r *http.Request) {
	s.renderAdvisoryForm(w, r, http.StatusOK, nil, nil)
}

func (s *Server) advisoryCreate(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.renderError(w, r, leoc.Errorf(leoc.EInvalid, "error.bad_form"))
		return
	}
	a := &leoc.Advisory{Active: true}
	err := s.applyAdvisory(r, advisoryInputFrom(r.PostForm), a)
	if err == nil {
		err = s.createAdvisory(r, a)
	}
	if leoc.ErrorCode(err) == leoc.EForbidden {
		s.renderError(w, r, err)
		return
	}
	if err != nil {
		f, status := s.formFromError(r, r.PostForm, err)
		s.renderAdvisoryForm(w, r, status, nil, f)
		return
	}
	s.setFlash(w, "success", "record.saved")
	s.redirect(w, r, "/advisories/"+idString(a.ID))
}

func (s *Server) advisoryEditPage(w http.ResponseWriter, r *http.Request) {
	a := s.loadAdvisory(w, r)
	if a == nil {
		return
	}
	if !s.editable(w, r, a.Record, 0) {
		return
	}
	if err := checkAdvisoryPublish(state(r).user, a, nil); err != nil {
		s.renderError(w, r, err)
		return
	}
	s.renderAdvisoryForm(w, r, http.StatusOK, a, nil)
}

func (s *Server) advisoryUpdate(w http.ResponseWriter, r *http.Request) {
	a := s.loadAdvisory(w, r)
	if a == nil {
		return
	}
	if err := r.ParseForm(); err != nil {
		s.renderError(w, r, leoc.Errorf(leoc.EInvalid, "error.bad_form"))
		return
	}
	orig := *a
	err := s.updateAdvisory(r, a, advisoryInputFrom(r.PostForm))
	s.formSaved(w, r, err, "/advisories/"+idString(a.ID), func(f *form, status int) { s.renderAdvisoryForm(w, r, status, &orig, f) })
}

func (s *Server) advisoryDelete(w http.ResponseWriter, r *http.Request) {
	s.deleted(w, r, s.deleteAdvisory(r), "/advisories")
}
