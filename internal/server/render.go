package server

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	"leoc/internal/bs"
	"leoc/internal/leoc"
	"leoc/internal/store"
)

//go:embed templates
var templateFS embed.FS

// parseTemplates parses every page together with the layout once, at start.
func (s *Server) parseTemplates() (map[string]*template.Template, error) {
	funcs := template.FuncMap{
		"join": strings.Join,
		"add":  func(a, b int) int { return a + b },
		// shorten cuts a long text for a list's cell (listing.go).
		"shorten": shorten,
		// rec passes the page, a register name and a record's metadata to the
		// record partials.
		// A trailing "follows" marks a record that is never edited on its own
		// (a distribution's cash entry): no lock badge or lock note.
		"rec": func(p *page, register string, r leoc.Record, flags ...string) map[string]any {
			return map[string]any{"Page": p, "Register": register, "Record": r, "Follows": slices.Contains(flags, "follows")}
		},
		// attach passes what the attachments partial needs.
		"attach": func(p *page, register string, id int64, files []store.Attachment) map[string]any {
			return map[string]any{"Page": p, "Register": register, "ID": id, "Files": files}
		},
		// with2 passes the page and one value to a partial template.
		"with2": func(p *page, name string, v any) map[string]any {
			return map[string]any{"Page": p, name: v}
		},
		// dict2 passes the page and one named value to a partial template.
		"printbar": func(p *page, back, pdf string) map[string]any {
			return map[string]any{"Page": p, "Back": back, "PDF": pdf}
		},
		// listtop passes the list_top partial its title, new-record link and
		// the permission that shows it.
		"listtop": func(p *page, title, href, label, perm string) map[string]any {
			return map[string]any{"Page": p, "Title": title, "New": href, "NewLabel": label, "Perm": perm}
		},
		// field describes one form field to the field partial.
		"field": newField,
		"dict2": func(p *page, name, value string) map[string]any {
			return map[string]any{"Page": p, "Name": name, "Value": value}
		},
	}
	base, err := template.New("layout.html").Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/partials/*.html")
	if err != nil {
		return nil, fmt.Errorf("server: parse layout: %w", err)
	}
	files, err := fs.Glob(templateFS, "templates/pages/*.html")
	if err != nil {
		return nil, fmt.Errorf("server: list templates: %w", err)
	}
	pages := map[string]*template.Template{}
	for _, f := range files {
		t, err := template.Must(base.Clone()).ParseFS(templateFS, f)
		if err != nil {
			return nil, fmt.Errorf("server: parse %s: %w", f, err)
		}
		pages[strings.TrimSuffix(path.Base(f), ".html")] = t
	}
	return pages, nil
}

// page is what every template receives. Its methods are the template's
// vocabulary: {{.T "key"}}, {{.Asset "app.css"}}, {{.Can "manage_users"}}.
type page struct {
	s         *Server
	Lang      string
	User      *leoc.User
	CSRF      string
	RequestID string
	Path      string
	Settings  *store.Settings
	Flash     *flash
	Data      any
	Form      *form
}

// T translates a catalog key in the page's language.
func (p *page) T(key string, args ...any) string { return p.s.cat.T(p.Lang, key, args...) }

// Asset returns the content-hashed URL of an embedded file.
func (p *page) Asset(name string) string { return p.s.assets.URL(name) }

// Can reports whether the current user holds a permission.
func (p *page) Can(perm string) bool { return p.User.Can(leoc.Permission(perm)) }

// Languages for the language switch.
func (p *page) Languages() []string { return []string{"ne", "en"} }

// Municipality is the office's name in the page language.
func (p *page) Municipality() string {
	if p.Settings == nil {
		return ""
	}
	if p.Lang == "en" {
		return p.Settings.MunicipalityEn
	}
	return p.Settings.MunicipalityNe
}

// LeocName is the centre's name in the page language.
func (p *page) LeocName() string {
	if p.Settings == nil {
		return ""
	}
	if p.Lang == "en" {
		return p.Settings.LeocNameEn
	}
	return p.Settings.LeocNameNe
}

// Num writes a number (or a text of digits such as a time or a phone
// number) with the page language's digits. Pointers are followed and nil
// writes nothing, so an optional figure never shows as a memory address.
// Any other type is an error that fails the render: the every-page test
// finds it instead of a reader.
func (p *page) Num(n any) (string, error) {
	s, err := numberText(n)
	if err != nil {
		return "", err
	}
	return p.digits(s), nil
}

// RecNo writes a record number as the glossary says it ("दर्ता नं. १२",
// "No. 12"), never as "#12".
func (p *page) RecNo(n any) (string, error) {
	s, err := p.Num(n)
	if err != nil {
		return "", err
	}
	return p.T("record.no", s), nil
}

// digits puts a text's digits into the page language.
func (p *page) digits(s string) string {
	if p.Lang == "ne" {
		return bs.DevanagariDigits(s)
	}
	return s
}

// numberText writes the integers, floats and strings Num accepts, after
// following pointers; nil is "".
func numberText(n any) (string, error) {
	// A type with its own format (Money, a date) has its own helper;
	// printing its number would be wrong (paisa shown as rupees). A
	// pointer to it has the method too.
	if _, ok := n.(fmt.Stringer); ok {
		return "", fmt.Errorf("Num: %T has its own format; use its helper", n)
	}
	v := reflect.ValueOf(n)
	for v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface {
		if v.IsNil() {
			return "", nil
		}
		v = v.Elem()
	}
	if !v.IsValid() {
		return "", nil
	}
	switch v.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return strconv.FormatInt(v.Int(), 10), nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return strconv.FormatUint(v.Uint(), 10), nil
	case reflect.Float32, reflect.Float64:
		return strconv.FormatFloat(v.Float(), 'f', -1, 64), nil
	case reflect.String:
		return v.String(), nil
	}
	return "", fmt.Errorf("Num: cannot write a %s as a number", v.Type())
}

// Count writes a count grouped the Nepali way in the page language's
// digits: २१,९०३ / 21,903 (1,00,000 for a lakh).
func (p *page) Count(n any) string { return p.digits(string(p.Grouped(n))) }

// Grouped is a count as a message argument: {{.T "audit.total" (.Grouped 21903)}}
// reads "२१,९०३ अभिलेख" in Nepali.
func (p *page) Grouped(n any) leoc.Number {
	switch n := n.(type) {
	case int:
		return leoc.Grouped(int64(n))
	case int64:
		return leoc.Grouped(n)
	case int32:
		return leoc.Grouped(int64(n))
	}
	return leoc.Number(fmt.Sprint(n))
}

// Date writes a BS date in the page language's digits: २०८२-१०-१५.
func (p *page) Date(d bs.Date) string {
	if d.IsZero() {
		return ""
	}
	if p.Lang == "ne" {
		return d.Devanagari()
	}
	return d.String()
}

// LongDate writes a BS date with the month name: १५ माघ २०८२ / 15 Magh 2082.
func (p *page) LongDate(d bs.Date) string {
	if d.IsZero() {
		return ""
	}
	if p.Lang == "ne" {
		return d.LongNepali()
	}
	return d.LongEnglish()
}

// ADDate writes an AD date in the page language's digits.
func (p *page) ADDate(t time.Time) string { return p.digits(t.Format(time.DateOnly)) }

// FY writes a fiscal year label: २०८२/८३.
func (p *page) FY(fy bs.FiscalYear) string {
	if p.Lang == "ne" {
		return fy.LabelNepali()
	}
	return fy.Label()
}

// Provisional reports whether a date lies in a year whose calendar is not
// yet officially published; templates mark such dates.
func (p *page) Provisional(d bs.Date) bool { return !d.IsZero() && p.s.cal.IsProvisional(d.Year) }

// Money writes rupees with lakh/crore grouping: रु. १,२५,०००.०० / Rs 1,25,000.00.
func (p *page) Money(m leoc.Money) string {
	if p.Lang == "ne" {
		return m.Nepali()
	}
	return m.English()
}

// When formats an instant for people: Nepal time, BS date.
func (p *page) When(t time.Time) string { return p.s.formatWhen(p.Lang, t) }

// HasWards reports whether a register's records belong to a ward, which
// decides who besides the author may correct them in the edit window.
func (p *page) HasWards(register string) bool {
	r, ok := p.s.store.Register(register)
	return ok && r.WardColumn != ""
}

// RoleName is the translated name of a role.
func (p *page) RoleName(r leoc.Role) string { return p.T("role." + string(r)) }

// renderPage renders into a buffer first, so a template error becomes a
// clean 500 instead of half a page.
func (s *Server) renderPage(w http.ResponseWriter, r *http.Request, status int, name string, data any) {
	s.renderPageForm(w, r, status, name, data, nil)
}

func (s *Server) renderPageForm(w http.ResponseWriter, r *http.Request, status int, name string, data any, f *form) {
	t, ok := s.pages[name]
	if !ok {
		s.log.Error("unknown template", "name", name)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	st := state(r)
	if st.reshow != nil && status == http.StatusOK {
		// A stale post shown again: 422, with the values sent when the
		// page's own renderer did not already take them.
		status = http.StatusUnprocessableEntity
		if f == nil || !f.reshown {
			f = s.reshown(r, nil)
		}
	}
	p := &page{s: s, Lang: st.lang, User: st.user, CSRF: s.csrfToken(r), RequestID: st.id, Path: r.URL.Path, Data: data, Form: f}
	if f == nil {
		p.Form = &form{}
	}
	if name != "error" || status < 500 {
		settings, err := s.store.Settings(r.Context())
		if err != nil {
			s.log.Error("load settings for page", "err", err, "request_id", st.id)
		}
		p.Settings = settings
	}
	p.Flash = s.takeFlash(w, r)
	var buf bytes.Buffer
	err := t.ExecuteTemplate(&buf, "layout.html", p)
	if err == nil && (len(p.Form.Errors) > 0 || len(p.Form.Warnings) > 0) {
		// A refused form: its error summary names the fields by the labels
		// of the rendered page, so render once more with the summary.
		p.Form.Summary = errorSummary(buf.Bytes(), p.Form.Errors)
		p.Form.WarningSummary = errorSummary(buf.Bytes(), p.Form.Warnings)
		buf.Reset()
		err = t.ExecuteTemplate(&buf, "layout.html", p)
	}
	if err != nil {
		s.log.Error("render template", "name", name, "err", err, "request_id", st.id)
		http.Error(w, "internal error (request "+st.id+")", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	if _, err := buf.WriteTo(w); err != nil {
		s.log.Debug("write page", "err", err)
	}
}

// form carries what a person typed and what was wrong with it, so a refused
// form comes back filled in with a message under each bad field.
type form struct {
	Values url.Values
	Errors map[string]string
	Error  string // a message for the whole form
	// Summary lists the refused fields by label, in page order (filled by
	// renderPageForm from the rendered page).
	Summary []summaryItem
	// Warnings are implausible figures by field, to confirm before saving;
	// WarningSummary lists them like Summary.
	Warnings       map[string]string
	WarningSummary []summaryItem
	// reshown marks the values of a stale post shown again (stale_form.go).
	reshown bool
	// Limits are the register's declared field limits, which the field
	// partial turns into required, maxlength, min and max.
	Limits leoc.Limits
}

// W returns the warning for a field.
func (f *form) W(name string) string {
	if f == nil {
		return ""
	}
	return f.Warnings[name]
}

// V returns a submitted value.
func (f *form) V(name string) string {
	if f == nil || f.Values == nil {
		return ""
	}
	return f.Values.Get(name)
}

// Has reports whether the submitted form carried the field, so a page with
// several forms shows stored values in the forms that were not sent.
func (f *form) Has(name string) bool {
	if f == nil || f.Values == nil {
		return false
	}
	_, ok := f.Values[name]
	return ok
}

// E returns the message for a field.
func (f *form) E(name string) string {
	if f == nil {
		return ""
	}
	return f.Errors[name]
}

// formFromError translates a domain error for a form.
func (s *Server) formFromError(r *http.Request, values url.Values, err error) (*form, int) {
	e := s.domainError(r, err)
	lang := state(r).lang
	f := &form{Values: values, Errors: map[string]string{}}
	for k, m := range e.Fields {
		f.Errors[k] = s.cat.Msg(lang, m)
	}
	f.Error = s.cat.Msg(lang, e.Message)
	status := statusOf[e.Code]
	if e.Code == leoc.EInvalid {
		status = http.StatusUnprocessableEntity
	}
	return f, status
}

// flash is a one-time message shown after a redirect. The cookie holds only
// a catalog key, never user text, so it cannot inject anything.
type flash struct {
	Kind    string // success | error | warning
	Message string
}

const flashCookie = "leoc_flash"

func (s *Server) setFlash(w http.ResponseWriter, kind, key string) {
	http.SetCookie(w, &http.Cookie{Name: flashCookie, Value: kind + ":" + key, Path: "/", HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: s.cfg.Production(), MaxAge: 60})
}

func (s *Server) takeFlash(w http.ResponseWriter, r *http.Request) *flash {
	c, err := r.Cookie(flashCookie)
	if err != nil {
		return nil
	}
	http.SetCookie(w, &http.Cookie{Name: flashCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: s.cfg.Production()})
	kind, key, ok := strings.Cut(c.Value, ":")
	if !ok || !s.cat.Has("en", key) || (kind != "success" && kind != "error" && kind != "warning") {
		return nil
	}
	return &flash{Kind: kind, Message: s.cat.T(state(r).lang, key)}
}

// redirect answers a successful POST: 303 so a reload does not resend it.
func (s *Server) redirect(w http.ResponseWriter, r *http.Request, to string) {
	http.Redirect(w, r, to, http.StatusSeeOther)
}

func urlQueryEscape(s string) string { return url.QueryEscape(s) }

// safeNext accepts only local paths as a post-login destination, so the
// login page cannot be used to bounce people to another site.
func safeNext(next string) string {
	if next == "" || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		return "/"
	}
	return next
}

// formatWhen shows an instant as people in Nepal read it: the BS date and
// the time in Nepal, whatever the server's time zone.
func (s *Server) formatWhen(lang string, t time.Time) string {
	if t.IsZero() {
		return ""
	}
	n := bs.NepalTime(t)
	d, err := s.cal.FromAD(n)
	if err != nil {
		return n.Format("2006-01-02 15:04")
	}
	if lang == "ne" {
		return d.Devanagari() + " " + bs.DevanagariDigits(n.Format("15:04"))
	}
	return d.String() + " " + n.Format("15:04")
}
