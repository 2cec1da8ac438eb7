package server

import (
	"bytes"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"

	"leoc/internal/bs"
	"leoc/internal/i18n"
	"leoc/internal/leoc"
	"leoc/internal/report"
	"leoc/internal/store"
)

// The daily disaster bulletin (दैनिक विपद् बुलेटिन): a page to pick the day
// or range, the A4 print page and the PDF. Both outputs render the one
// report.Bulletin value.

func (s *Server) bulletinRoutes() []route {
	read := leoc.PermRead
	return []route{
		{pattern: "GET /reports", access: authenticated, perm: read, h: s.bulletinPickerPage},
		{pattern: "GET /reports/daily-bulletin", access: authenticated, perm: read, h: s.bulletinPrintPage},
		{pattern: "GET /reports/daily-bulletin.pdf", access: authenticated, perm: read, h: s.bulletinPDF},
		{pattern: "GET /incidents/{id}/print.pdf", access: authenticated, perm: read, h: s.incidentPDF},
		{pattern: "GET /distributions/{id}/print.pdf", access: authenticated, perm: read, h: s.distributionPDF},
		{pattern: "GET /situation-reports/{id}/print.pdf", access: authenticated, perm: read, h: s.sitrepPDF},
	}
}

type bulletinPickerData struct {
	Today string
}

func (s *Server) bulletinPickerPage(w http.ResponseWriter, r *http.Request) {
	today, err := s.today()
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	f := &form{Values: url.Values{"from": {today.String()}, "to": {""}}}
	s.renderPageForm(w, r, http.StatusOK, "bulletin_picker", &bulletinPickerData{Today: today.String()}, f)
}

// printLang is the language of a document: Nepali, the language of the
// office's files, unless ?lang=en asks for English.
func printLang(r *http.Request) string {
	if l := r.URL.Query().Get("lang"); i18n.Supported(l) {
		return l
	}
	return "ne"
}

// produceBulletin checks the requested period, issues or finds the day's
// sit-rep number, audits who produced which bulletin, and computes it.
func (s *Server) produceBulletin(r *http.Request, format string) (*report.Bulletin, error) {
	today, err := s.today()
	if err != nil {
		return nil, err
	}
	q := r.URL.Query()
	p, err := report.ParsePeriod(s.cal, q.Get("from"), q.Get("to"), today)
	if err != nil {
		return nil, err
	}
	number, err := s.store.ProduceBulletin(r.Context(), actor(r), store.BulletinRequest{
		From: p.From, To: p.To, FromAD: p.FromAD, ToAD: p.ToAD, Format: format})
	if err != nil {
		return nil, err
	}
	return report.Build(r.Context(), s.store, p, number, s.now())
}

// bulletinView is what the print page template gets: the bulletin and
// the links to the same period as PDF and in the other language.
type bulletinView struct {
	*report.Bulletin
	PDF, Nepali, English string
}

func (s *Server) bulletinPrintPage(w http.ResponseWriter, r *http.Request) {
	b, err := s.produceBulletin(r, "html")
	if err != nil {
		s.renderError(w, r, err) // in the reader's language
		return
	}
	state(r).lang = printLang(r)
	v := &bulletinView{Bulletin: b, PDF: bulletinURL("/reports/daily-bulletin.pdf", b, state(r).lang),
		Nepali: bulletinURL("/reports/daily-bulletin", b, "ne"), English: bulletinURL("/reports/daily-bulletin", b, "en")}
	s.renderPage(w, r, http.StatusOK, "bulletin_print", v)
}

// bulletinURL links to the same period at path in lang.
func bulletinURL(path string, b *report.Bulletin, lang string) string {
	v := url.Values{"from": {b.From.String()}}
	if !b.OneDay() {
		v.Set("to", b.To.String())
	}
	if lang == "en" {
		v.Set("lang", "en")
	}
	return path + "?" + v.Encode()
}

// Amount writes a sum of money without the currency sign, for table
// columns whose heading names it: १२,५०,०००.०० / 12,50,000.00.
func (p *page) Amount(m leoc.Money) string { return p.digits(bs.GroupIndian(m.String())) }

// bulletinPDF sends the same bulletin as an A4 PDF, made in the server
// (internal/pdf): no browser or external program is involved.
func (s *Server) bulletinPDF(w http.ResponseWriter, r *http.Request) {
	b, err := s.produceBulletin(r, "pdf")
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	lang := printLang(r)
	name := "daily-bulletin-" + b.From.String()
	if !b.OneDay() {
		name += "_" + b.To.String()
	}
	s.sendPDF(w, r, name+".pdf", func(out io.Writer) error { return b.PDF(out, lang, s.translator(lang)) })
}

// sendPDF renders a PDF into memory first, so a failure is a clean error
// page and not half a file, then sends it as a download.
func (s *Server) sendPDF(w http.ResponseWriter, r *http.Request, filename string, render func(io.Writer) error) {
	var buf bytes.Buffer
	if err := render(&buf); err != nil {
		s.renderError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": filename}))
	w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
	w.Header().Set("Cache-Control", "no-store")
	if _, err := buf.WriteTo(w); err != nil {
		s.log.Debug("write pdf", "err", err)
	}
}

// LiveFigures passes figures computed now (not yet frozen) to the
// sitrep_figures partial, for the situation report form.
func (p *page) LiveFigures(f *leoc.SitrepFigures) map[string]any {
	return map[string]any{"Page": p, "F": f, "Live": true}
}
