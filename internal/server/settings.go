package server

import (
	"net/http"
	"strconv"

	"leoc/internal/leoc"
	"leoc/internal/store"
)

func (s *Server) apiSettings(w http.ResponseWriter, r *http.Request) {
	st, err := s.store.Settings(r.Context())
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	s.writeJSON(w, r, http.StatusOK, st)
}

func (s *Server) apiSettingsUpdate(w http.ResponseWriter, r *http.Request) {
	var in store.Settings
	if err := decodeJSON(r, &in); err != nil {
		s.renderError(w, r, err)
		return
	}
	if err := s.store.UpdateSettings(r.Context(), actor(r), &in); err != nil {
		s.renderError(w, r, err)
		return
	}
	s.writeJSON(w, r, http.StatusOK, &in)
}

func (s *Server) apiWards(w http.ResponseWriter, r *http.Request) {
	wards, err := s.store.Wards(r.Context())
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	if wards == nil {
		wards = []store.Ward{}
	}
	s.writeJSON(w, r, http.StatusOK, listPage[store.Ward]{Items: wards, Total: len(wards), Page: 1, PerPage: len(wards)})
}

func (s *Server) wardParam(w http.ResponseWriter, r *http.Request) (int, bool) {
	n, err := strconv.Atoi(r.PathValue("number"))
	if err != nil || n < 1 || n > 99 {
		s.renderError(w, r, leoc.Errorf(leoc.ENotFound, "ward.not_found"))
		return 0, false
	}
	return n, true
}

func (s *Server) apiWardPut(w http.ResponseWriter, r *http.Request) {
	n, ok := s.wardParam(w, r)
	if !ok {
		return
	}
	var in struct {
		NameNe     string `json:"name_ne"`
		NameEn     string `json:"name_en"`
		Population *int64 `json:"population"` // left out: kept as it is
	}
	if err := decodeJSON(r, &in); err != nil {
		s.renderError(w, r, err)
		return
	}
	ward := store.Ward{Number: n, NameNe: in.NameNe, NameEn: in.NameEn}
	if in.Population != nil {
		ward.Population = *in.Population
	} else {
		p, err := s.store.Plausibility(r.Context())
		if err != nil {
			s.renderError(w, r, err)
			return
		}
		ward.Population = p.Population[n]
	}
	if err := s.store.SaveWard(r.Context(), actor(r), ward); err != nil {
		s.renderError(w, r, err)
		return
	}
	s.writeJSON(w, r, http.StatusOK, ward)
}

func (s *Server) apiWardDelete(w http.ResponseWriter, r *http.Request) {
	n, ok := s.wardParam(w, r)
	if !ok {
		return
	}
	if err := s.store.DeleteWard(r.Context(), actor(r), n); err != nil {
		s.renderError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) apiList(w http.ResponseWriter, r *http.Request) {
	l, ok := s.listParam(w, r)
	if !ok {
		return
	}
	vals, err := s.store.ListValues(r.Context(), l)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	if vals == nil {
		vals = []store.ListValue{}
	}
	s.writeJSON(w, r, http.StatusOK, listPage[store.ListValue]{Items: vals, Total: len(vals), Page: 1, PerPage: len(vals)})
}

func (s *Server) apiListPut(w http.ResponseWriter, r *http.Request) {
	l, ok := s.listParam(w, r)
	if !ok {
		return
	}
	var in struct {
		LabelNe  string `json:"label_ne"`
		LabelEn  string `json:"label_en"`
		UnitNe   string `json:"unit_ne"`
		UnitEn   string `json:"unit_en"`
		Position int    `json:"position"`
	}
	if err := decodeJSON(r, &in); err != nil {
		s.renderError(w, r, err)
		return
	}
	v := store.ListValue{List: l, Key: r.PathValue("key"), LabelNe: in.LabelNe, LabelEn: in.LabelEn, UnitNe: in.UnitNe, UnitEn: in.UnitEn, Position: in.Position}
	if err := s.store.SaveListValue(r.Context(), actor(r), v); err != nil {
		s.renderError(w, r, err)
		return
	}
	s.writeJSON(w, r, http.StatusOK, v)
}

func (s *Server) apiListDelete(w http.ResponseWriter, r *http.Request) {
	l, ok := s.listParam(w, r)
	if !ok {
		return
	}
	if err := s.store.DeleteListValue(r.Context(), actor(r), l, r.PathValue("key")); err != nil {
		s.renderError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
