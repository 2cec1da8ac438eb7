package server

import (
	"fmt"
	"io"
	"net/http"

	"leoc/internal/report"
)

// PDFs of single records — the incident report and the relief handover
// receipt — beside their print pages, made by the same machinery as the
// bulletin's PDF.

func (s *Server) translator(lang string) report.Translator {
	return func(key string, args ...any) string { return s.cat.T(lang, key, args...) }
}

func (s *Server) incidentPDF(w http.ResponseWriter, r *http.Request) {
	inc := s.loadIncident(w, r)
	if inc == nil {
		return
	}
	lang := printLang(r)
	_, types, err := s.incidentTypeLabels(r, lang)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	l := report.Labels{Types: types, Wards: map[int]string{}}
	if err := s.wardLabels(r, lang, l.Wards); err != nil {
		s.renderError(w, r, err)
		return
	}
	office, err := s.store.Settings(r.Context())
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	s.sendPDF(w, r, fmt.Sprintf("incident-%d.pdf", inc.ID), func(out io.Writer) error {
		return report.IncidentPDF(out, lang, s.translator(lang), office, inc, l)
	})
}

func (s *Server) distributionPDF(w http.ResponseWriter, r *http.Request) {
	lang := printLang(r)
	d := loadRecord(s, w, r, s.store.Distribution)
	if d == nil {
		return
	}
	view := s.distributionView(r, d, lang)
	v, ok := view.(*distributionView)
	if !ok {
		s.renderError(w, r, view.(error))
		return
	}
	office, err := s.store.Settings(r.Context())
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	l := report.Labels{Types: v.Labels.Types, Items: v.Labels.Items, Wards: v.Labels.Wards}
	s.sendPDF(w, r, fmt.Sprintf("relief-receipt-%d.pdf", v.ID), func(out io.Writer) error {
		return report.ReceiptPDF(out, lang, s.translator(lang), office, v.Distribution, l)
	})
}

// wardLabels fills m with the wards' names in lang.
func (s *Server) wardLabels(r *http.Request, lang string, m map[int]string) error {
	wards, err := s.store.Wards(r.Context())
	if err != nil {
		return err
	}
	for _, w := range wards {
		m[w.Number] = w.NameEn
		if lang == "ne" {
			m[w.Number] = w.NameNe
		}
	}
	return nil
}

func (s *Server) sitrepPDF(w http.ResponseWriter, r *http.Request) {
	rep := loadRecord(s, w, r, s.store.SituationReports().Get)
	if rep == nil {
		return
	}
	office, err := s.store.Settings(r.Context())
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	lang := printLang(r)
	s.sendPDF(w, r, fmt.Sprintf("situation-report-%d.pdf", rep.ID), func(out io.Writer) error {
		return report.SitrepPDF(out, lang, s.translator(lang), office, rep)
	})
}
