package server

import (
	"net/http"
	"net/url"
	"strconv"
	"unicode/utf8"

	"leoc/internal/bs"
	"leoc/internal/i18n"
	"leoc/internal/leoc"
	"leoc/internal/store"
)

// Situation reports: pages (list, form, detail, print).

type sitrepListData struct {
	Items  []sitrepRow
	Pager  *pager
	Filter *filterBar
}

// sitrepRow is a report in the list, its summary shortened for the table.
type sitrepRow struct {
	*leoc.SituationReport
	Short string
}

// shorten cuts text to n characters, ending in "…" when cut.
func shorten(text string, n int) string {
	if utf8.RuneCountInString(text) <= n {
		return text
	}
	return string([]rune(text)[:n-1]) + "…"
}

func (s *Server) sitrepsPage(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	bar := &filterBar{Action: "/situation-reports", FiscalYears: s.fiscalYearOptions(r, store.SitrepRegister.Name), Query: q}
	f, err := s.recordFilter(q, state(r).user)
	if err != nil {
		fm, status := s.formFromError(r, q, err)
		s.renderPageForm(w, r, status, "sitrep_list", &sitrepListData{Filter: bar, Pager: &pager{}}, fm)
		return
	}
	items, total, err := s.store.SituationReports(r.Context(), f)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	rows := make([]sitrepRow, len(items))
	for i, rep := range items {
		rows[i] = sitrepRow{SituationReport: rep, Short: shorten(rep.Summary, 160)}
	}
	s.renderPage(w, r, http.StatusOK, "sitrep_list", &sitrepListData{Items: rows, Pager: newPager("/situation-reports", q, f, total), Filter: bar})
}

func (s *Server) sitrepPage(w http.ResponseWriter, r *http.Request) {
	if rep := s.loadSitrep(w, r); rep != nil {
		s.renderPage(w, r, http.StatusOK, "sitrep_detail", rep)
	}
}

// sitrepPrint is the A4 view: the office header and the report, nothing
// of the application around it when printed.
type sitrepPrint struct {
	Report    *leoc.SituationReport
	Generated string
}

func (s *Server) sitrepPrintPage(w http.ResponseWriter, r *http.Request) {
	// Like every print-out: Nepali unless ?lang=en asks for English.
	st := state(r)
	st.lang = "ne"
	if l := r.URL.Query().Get("lang"); i18n.Supported(l) {
		st.lang = l
	}
	if rep := s.loadSitrep(w, r); rep != nil {
		s.renderPage(w, r, http.StatusOK, "sitrep_print", &sitrepPrint{Report: rep, Generated: s.formatWhen(state(r).lang, s.now())})
	}
}

type sitrepFormData struct {
	Edit *leoc.SituationReport
	// Figures are the registers' figures for the date in the form, shown
	// beside the narrative; saving freezes them (nil when the date is bad).
	Figures *leoc.SitrepFigures
}

func (s *Server) renderSitrepForm(w http.ResponseWriter, r *http.Request, status int, edit *leoc.SituationReport, f *form) {
	f = s.reshown(r, f)
	if f == nil {
		f = &form{Values: url.Values{}}
		if edit != nil {
			f.Values = sitrepValues(edit)
		} else {
			if today, err := s.today(); err == nil {
				f.Values.Set("date_bs", today.String())
			}
			f.Values.Set("time", bs.NepalTime(s.now()).Format("15:04"))
		}
	}
	s.renderPageForm(w, r, status, "sitrep_form", &sitrepFormData{Edit: edit, Figures: s.liveFigures(r, f.V("date_bs"))}, f)
}

func sitrepValues(rep *leoc.SituationReport) url.Values {
	v := url.Values{}
	v.Set("date_bs", rep.DateBS.String())
	v.Set("time", rep.Time)
	v.Set("summary", rep.Summary)
	v.Set("weather", rep.Weather)
	v.Set("detailed_report", rep.DetailedReport)
	v.Set("resources_deployed", rep.ResourcesDeployed)
	if !rep.NextUpdate.IsZero() {
		v.Set("next_update_bs", rep.NextUpdate.DateBS.String())
	}
	v.Set("next_update_time", rep.NextUpdate.Time)
	v.Set("version", strconv.Itoa(rep.Version))
	return v
}

func sitrepInputFrom(v url.Values) *leoc.SituationReportInput {
	in := &leoc.SituationReportInput{DateBS: v.Get("date_bs"), Time: v.Get("time"), Summary: v.Get("summary"), Weather: v.Get("weather"),
		DetailedReport: v.Get("detailed_report"), ResourcesDeployed: v.Get("resources_deployed"),
		NextUpdateBS: v.Get("next_update_bs"), NextUpdateTime: v.Get("next_update_time")}
	in.Version, _ = strconv.Atoi(v.Get("version"))
	return in
}

func (s *Server) sitrepNewPage(w http.ResponseWriter, r *http.Request) {
	s.renderSitrepForm(w, r, http.StatusOK, nil, nil)
}

func (s *Server) sitrepCreate(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.renderError(w, r, leoc.Errorf(leoc.EInvalid, "error.bad_form"))
		return
	}
	rep := &leoc.SituationReport{}
	err := sitrepInputFrom(r.PostForm).Apply(s.cal, rep)
	if err == nil {
		err = s.store.CreateSituationReport(r.Context(), actor(r), rep)
	}
	if err != nil {
		f, status := s.formFromError(r, r.PostForm, err)
		s.renderSitrepForm(w, r, status, nil, f)
		return
	}
	s.setFlash(w, "success", "record.saved")
	s.redirect(w, r, "/situation-reports/"+idString(rep.ID))
}

func (s *Server) sitrepEditPage(w http.ResponseWriter, r *http.Request) {
	rep := s.loadSitrep(w, r)
	if rep == nil {
		return
	}
	if !s.editable(w, r, rep.Record, 0) {
		return
	}
	s.renderSitrepForm(w, r, http.StatusOK, rep, nil)
}

func (s *Server) sitrepUpdate(w http.ResponseWriter, r *http.Request) {
	rep := s.loadSitrep(w, r)
	if rep == nil {
		return
	}
	if err := r.ParseForm(); err != nil {
		s.renderError(w, r, leoc.Errorf(leoc.EInvalid, "error.bad_form"))
		return
	}
	orig := *rep
	err := s.updateSitrep(r, rep, sitrepInputFrom(r.PostForm))
	s.formSaved(w, r, err, "/situation-reports/"+idString(rep.ID), func(f *form, status int) { s.renderSitrepForm(w, r, status, &orig, f) })
}

func (s *Server) sitrepDelete(w http.ResponseWriter, r *http.Request) {
	id, err := idParam(r)
	if err == nil {
		err = s.store.DeleteSituationReport(r.Context(), actor(r), state(r).user, id)
	}
	s.deleted(w, r, err, "/situation-reports")
}

// liveFigures computes the figures of a typed date for the form; a date
// that does not parse shows none (the form says what is wrong with it).
func (s *Server) liveFigures(r *http.Request, date string) *leoc.SitrepFigures {
	d, err := s.cal.Parse(date)
	if err != nil {
		return nil
	}
	ad, err := s.cal.ToAD(d)
	if err != nil {
		return nil
	}
	f, err := s.store.SitrepFigures(r.Context(), ad)
	if err != nil {
		s.log.Error("situation report figures", "err", err, "request_id", state(r).id)
		return nil
	}
	return f
}
