package server

import (
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"leoc/internal/bs"
	"leoc/internal/leoc"
	"leoc/internal/store"
)

type settingsData struct {
	Office      *store.Settings
	Wards       []store.Ward
	WardsInUse  map[int]string // where each ward is used; those offer no delete
	LossCeiling string         // rupees, "" when not set
	Lists       []listSection
	Access      store.AccessPolicy
}

type listSection struct {
	Name   string
	Values []store.ListValue
	Units  bool
	InUse  map[string]string // where each value is used; those offer no delete
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
	wardsInUse, err := s.store.WardsInUse(ctx)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	lang := state(r).lang
	d.WardsInUse = map[int]string{}
	for n, where := range wardsInUse {
		d.WardsInUse[n] = s.cat.List(lang, where)
	}
	p, err := s.store.Plausibility(ctx)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	if p.LossCeiling > 0 {
		d.LossCeiling = strings.TrimSuffix(p.LossCeiling.String(), ".00")
	}
	for _, l := range store.Lists {
		vals, err := s.store.ListValues(ctx, l)
		if err != nil {
			s.renderError(w, r, err)
			return
		}
		inUse, err := s.store.ListValuesInUse(ctx, l)
		if err != nil {
			s.renderError(w, r, err)
			return
		}
		used := map[string]string{}
		for k, where := range inUse {
			used[k] = s.cat.List(lang, where)
		}
		d.Lists = append(d.Lists, listSection{Name: l, Values: vals, Units: l == store.ListReliefItem, InUse: used})
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
	if raw := strings.ReplaceAll(strings.TrimSpace(bs.ASCIIDigits(r.PostFormValue("population"))), ",", ""); raw != "" {
		pop, err := strconv.ParseInt(raw, 10, 64)
		if err != nil && !errors.Is(err, strconv.ErrRange) {
			s.settingsDone(w, r, fieldError("population", leoc.M("field.number")), "wards")
			return
		}
		if err != nil {
			pop = store.MaxWardPopulation + 1 // validation says "too large (at most …)"
		}
		ward.Population = pop
	}
	s.settingsDone(w, r, s.store.SaveWard(r.Context(), actor(r), ward), "wards")
}

// checksSave sets the plausibility checks: the loss ceiling in rupees
// (empty or 0 turns the check off).
func (s *Server) checksSave(w http.ResponseWriter, r *http.Request) {
	var ceiling leoc.Money
	if raw := strings.TrimSpace(r.PostFormValue("loss_ceiling")); raw != "" {
		m, err := leoc.ParseMoney(raw)
		if err != nil || m < 0 {
			s.settingsDone(w, r, fieldError("loss_ceiling", leoc.M("incident.amount_invalid")), "checks")
			return
		}
		ceiling = m
	}
	s.settingsDone(w, r, s.store.SaveLossCeiling(r.Context(), actor(r), ceiling), "checks")
}

// fieldError is a validation error on one field.
func fieldError(field string, m leoc.Msg) error {
	return &leoc.Error{Code: leoc.EInvalid, Message: leoc.M("error.validation"), Fields: map[string]leoc.Msg{field: m}}
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
