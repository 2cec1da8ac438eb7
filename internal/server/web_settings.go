package server

import (
	"net/http"
	"slices"
	"strconv"

	"leoc/internal/leoc"
	"leoc/internal/store"
)

type settingsData struct {
	Office *store.Settings
	Wards  []store.Ward
	Lists  []listSection
	Access store.AccessPolicy
}

type listSection struct {
	Name   string
	Values []store.ListValue
	Units  bool
}

func (s *Server) settingsPage(w http.ResponseWriter, r *http.Request) {
	s.renderSettings(w, r, http.StatusOK, nil)
}

func (s *Server) renderSettings(w http.ResponseWriter, r *http.Request, status int, f *form) {
	ctx := r.Context()
	d := &settingsData{}
	var err error
	if d.Office, err = s.store.Settings(ctx); err != nil {
		s.renderError(w, r, err)
		return
	}
	if d.Wards, err = s.store.Wards(ctx); err != nil {
		s.renderError(w, r, err)
		return
	}
	if d.Access, err = s.store.AccessPolicy(ctx); err != nil {
		s.renderError(w, r, err)
		return
	}
	for _, l := range store.Lists {
		vals, err := s.store.ListValues(ctx, l)
		if err != nil {
			s.renderError(w, r, err)
			return
		}
		d.Lists = append(d.Lists, listSection{Name: l, Values: vals, Units: l == store.ListReliefItem})
	}
	s.renderPageForm(w, r, status, "settings", d, f)
}

// settingsDone answers a settings form: back to the page with a message, or
// the page again with the problem shown.
func (s *Server) settingsDone(w http.ResponseWriter, r *http.Request, err error, anchor string) {
	if err != nil {
		f, status := s.formFromError(r, r.PostForm, err)
		s.renderSettings(w, r, status, f)
		return
	}
	s.setFlash(w, "success", "settings.saved")
	s.redirect(w, r, "/settings#"+anchor)
}

func (s *Server) settingsSave(w http.ResponseWriter, r *http.Request) {
	st := &store.Settings{
		MunicipalityNe: r.PostFormValue("municipality_ne"), MunicipalityEn: r.PostFormValue("municipality_en"),
		OfficeNe: r.PostFormValue("office_ne"), OfficeEn: r.PostFormValue("office_en"),
		AddressNe: r.PostFormValue("address_ne"), AddressEn: r.PostFormValue("address_en"),
		LeocNameNe: r.PostFormValue("leoc_name_ne"), LeocNameEn: r.PostFormValue("leoc_name_en"),
	}
	s.settingsDone(w, r, s.store.UpdateSettings(r.Context(), actor(r), st), "office")
}

func (s *Server) wardSave(w http.ResponseWriter, r *http.Request) {
	n, err := strconv.Atoi(r.PostFormValue("number"))
	if err != nil {
		n = 0 // validation reports it
	}
	ward := store.Ward{Number: n, NameNe: r.PostFormValue("name_ne"), NameEn: r.PostFormValue("name_en")}
	s.settingsDone(w, r, s.store.SaveWard(r.Context(), actor(r), ward), "wards")
}

func (s *Server) wardDelete(w http.ResponseWriter, r *http.Request) {
	n, err := strconv.Atoi(r.PathValue("number"))
	if err != nil {
		s.renderError(w, r, leoc.Errorf(leoc.ENotFound, "ward.not_found"))
		return
	}
	s.settingsDone(w, r, s.store.DeleteWard(r.Context(), actor(r), n), "wards")
}

func (s *Server) listParam(w http.ResponseWriter, r *http.Request) (string, bool) {
	l := r.PathValue("list")
	if !slices.Contains(store.Lists, l) {
		s.renderError(w, r, leoc.Errorf(leoc.ENotFound, "list.unknown"))
		return "", false
	}
	return l, true
}

func (s *Server) listValueSave(w http.ResponseWriter, r *http.Request) {
	l, ok := s.listParam(w, r)
	if !ok {
		return
	}
	pos, _ := strconv.Atoi(r.PostFormValue("position")) // 0 = at the end
	v := store.ListValue{List: l, Key: r.PostFormValue("key"), LabelNe: r.PostFormValue("label_ne"), LabelEn: r.PostFormValue("label_en"),
		UnitNe: r.PostFormValue("unit_ne"), UnitEn: r.PostFormValue("unit_en"), Position: pos}
	s.settingsDone(w, r, s.store.SaveListValue(r.Context(), actor(r), v), "list-"+l)
}

func (s *Server) listValueDelete(w http.ResponseWriter, r *http.Request) {
	l, ok := s.listParam(w, r)
	if !ok {
		return
	}
	s.settingsDone(w, r, s.store.DeleteListValue(r.Context(), actor(r), l, r.PathValue("key")), "list-"+l)
}
