package server

import (
	"context"
	"net/http"
	"net/url"
	"strings"

	"leoc/internal/bs"
	"leoc/internal/leoc"
	"leoc/internal/store"
)

// inputPtr is a pointer to a register's Input: a struct the JSON API and
// the form decode into (by the same tags). Its Apply validates it onto a
// record: Apply(cal, record) (calApplier), or the register declares Apply
// when it checks the Input against its settings.
type inputPtr[I any] interface{ *I }

type calApplier[T any] interface {
	Apply(*bs.Calendar, T) error
}

// lifecycle declares a register to the shared handlers: its pages (list,
// new, create, detail, edit, update, delete) and its JSON API (list, get,
// create, update, delete) are written once, here; a register gives its
// store calls, its Input, its JSON form and the hooks where it needs more.
// Templates are <Template>_list, _form and _detail; unlock is the shared
// /unlock/{register}/{id}.
type lifecycle[T store.Recorded, I any, PI inputPtr[I]] struct {
	s           *Server
	Path        string // "/contacts"; the API is /api/v1 + Path
	API         string // the API's path when it is not /api/v1 + Path
	Template    string // "contact" → contact_list, contact_form, contact_detail
	Read, Write leoc.Permission
	Limits      leoc.Limits

	// Store is the register's records (store.Table.In); Get … Delete
	// default to it, with the request's actor and user.
	Store  records[T]
	Get    func(context.Context, int64) (T, error)
	List   func(context.Context, store.RecordFilter) ([]T, int, error)
	Create func(*http.Request, T) error
	Update func(*http.Request, T) error
	Delete func(*http.Request, int64) error
	New    func() T
	Input  func(T) I   // the Input that fills the edit form back
	JSON   func(T) any // the record in the API
	Ward   func(T) int // the record's ward (0: the whole municipality); nil for a register without wards

	// Optional hooks. A hook that gives a page's Data may give an error
	// instead, which the page answers.
	//
	// Prepare loads what Apply needs (a distribution's rules). Apply
	// validates the Input onto the record (default the Input's own
	// Apply(cal, record)); Warnings are what is implausible about a valid
	// record: a form stops for "Save anyway", the API saves and answers
	// them under "warnings". Mask hides what the user may not see of a
	// record shown (list, detail, API read), never of one being edited.
	Prepare  func(r *http.Request, in *I) error
	Apply    func(r *http.Request, in *I, rec T) error
	Warnings func(r *http.Request, rec T) ([]leoc.Warning, error)
	Mask     func(u *leoc.User, rec T)
	Defaults func(*http.Request) url.Values             // a new form's values
	FormData func(r *http.Request, edit T, f *form) any // the form page's Data (default recordForm)
	Detail   func(r *http.Request, rec T) any           // the detail page's Data (default the record)
	ListData func(r *http.Request, items []T) any       // the list's rows (default the records)
	Bar      func(r *http.Request) *filterBar           // the list page's filter bar
	Narrow   func(q url.Values, f *store.RecordFilter)  // the register's own list filters
	// Answer is a record in the API's get, create and update answers
	// (default JSON, with the warnings after a write when the register
	// has Warnings); it may give an error instead.
	Answer func(r *http.Request, rec T) any
	// Flash is the flash after a form saved rec (default success,
	// record.saved).
	Flash func(r *http.Request, rec T) (kind, key string)
	// Refused adds to a refused form what the error says beyond its
	// messages (a duplicate's link); APIError answers a refused API save
	// (default renderError).
	Refused  func(f *form, err error)
	APIError func(w http.ResponseWriter, r *http.Request, err error)
	// ListPage and APIList answer the lists of a register whose lists
	// have their own filters and data (default listPage, apiList).
	ListPage, APIList http.HandlerFunc
	// Export, when set, adds <Path>/export.csv and .xlsx: every record the
	// list's filters select, one row each, under the headers
	// <Template>.<ExportFields…> (small registers: built in memory).
	Export       func(r *http.Request, items []T) [][]any
	ExportFields []string
	// Print, when set, adds <Path>/{id}/print: the A4 page <Template>_print
	// with the Data Print gives, in Nepali unless ?lang=en (printLang).
	Print func(r *http.Request, rec T) any
}

// recordForm is the default Data of a register's form page.
type recordForm struct {
	Edit any // the record edited; nil on a new form
}

// recordList is the Data of a register's list page.
type recordList struct {
	Items  any
	Pager  *pager
	Filter *filterBar
	Sort   *sortLinks // the column-header links
	Export string     // the filter's query string, for the export links
}

// records is what a register's store gives the lifecycle (store.Records).
type records[T any] interface {
	Get(context.Context, int64) (T, error)
	List(context.Context, store.RecordFilter) ([]T, int, error)
	Create(context.Context, store.Actor, *leoc.User, T) error
	Update(context.Context, store.Actor, *leoc.User, T) error
	Delete(context.Context, store.Actor, *leoc.User, int64) error
}

// bind fills the store calls the declaration leaves to Store, and the
// Input's own Apply. An Input with neither fails the start.
func (l *lifecycle[T, I, PI]) bind() *lifecycle[T, I, PI] {
	if l.Apply == nil {
		if _, ok := any(PI(new(I))).(calApplier[T]); !ok {
			panic("register " + l.Path + ": its Input has no Apply(cal, record); declare Apply")
		}
		l.Apply = func(_ *http.Request, in *I, rec T) error { return any(in).(calApplier[T]).Apply(l.s.cal, rec) }
	}
	st := l.Store
	if st == nil {
		return l
	}
	if l.Get == nil {
		l.Get = st.Get
	}
	if l.List == nil {
		l.List = st.List
	}
	if l.Create == nil {
		l.Create = asUser(st.Create)
	}
	if l.Update == nil {
		l.Update = asUser(st.Update)
	}
	if l.Delete == nil {
		l.Delete = asUser(st.Delete)
	}
	return l
}

// asUser makes a store write (create, update or delete) a lifecycle call
// made as the request's actor and user.
func asUser[V any](write func(context.Context, store.Actor, *leoc.User, V) error) func(*http.Request, V) error {
	return func(r *http.Request, v V) error { return write(r.Context(), actor(r), state(r).user, v) }
}

// all loads every record the request's filters select, page by page (for
// print-outs and exports of small registers).
func (l *lifecycle[T, I, PI]) all(r *http.Request) ([]T, error) {
	f, err := l.filter(r)
	if err != nil {
		return nil, err
	}
	var out []T
	for f.Page, f.PerPage = 1, store.MaxPerPage; ; f.Page++ {
		items, total, err := l.List(r.Context(), f)
		if err != nil {
			return nil, err
		}
		if out = append(out, items...); len(out) >= total || len(items) == 0 {
			return out, nil
		}
	}
}

func (l *lifecycle[T, I, PI]) routes() []route {
	l.bind()
	p, api := l.Path, l.apiPath()
	if l.ListPage == nil {
		l.ListPage = l.listPage
	}
	if l.APIList == nil {
		l.APIList = l.apiList
	}
	if l.APIError == nil {
		l.APIError = l.s.renderError
	}
	rs := []route{
		{pattern: "GET " + p, access: authenticated, perm: l.Read, h: l.ListPage},
		{pattern: "GET " + p + "/new", access: authenticated, perm: l.Write, h: l.newPage},
		{pattern: "POST " + p, access: authenticated, perm: l.Write, h: l.create},
		{pattern: "GET " + p + "/{id}", access: authenticated, perm: l.Read, h: l.detailPage},
		{pattern: "GET " + p + "/{id}/edit", access: authenticated, perm: l.Write, h: l.editPage},
		{pattern: "POST " + p + "/{id}", access: authenticated, perm: l.Write, h: l.update},
		{pattern: "POST " + p + "/{id}/delete", access: authenticated, perm: l.Write, h: l.delete},
		{pattern: "GET " + api, access: authenticated, perm: l.Read, h: l.APIList},
		{pattern: "POST " + api, access: authenticated, perm: l.Write, h: l.apiCreate},
		{pattern: "GET " + api + "/{id}", access: authenticated, perm: l.Read, h: l.apiGet},
		{pattern: "PUT " + api + "/{id}", access: authenticated, perm: l.Write, h: l.apiUpdate},
		{pattern: "DELETE " + api + "/{id}", access: authenticated, perm: l.Write, h: l.apiDelete},
	}
	if l.Export != nil {
		rs = append(rs, route{pattern: "GET " + p + "/export.csv", access: authenticated, perm: l.Read, h: l.export("csv")},
			route{pattern: "GET " + p + "/export.xlsx", access: authenticated, perm: l.Read, h: l.export("xlsx")})
	}
	if l.Print != nil {
		rs = append(rs, route{pattern: "GET " + p + "/{id}/print", access: authenticated, perm: l.Read, h: l.printPage})
	}
	return rs
}

func (l *lifecycle[T, I, PI]) printPage(w http.ResponseWriter, r *http.Request) {
	state(r).lang = printLang(r)
	if rec, ok := l.load(w, r); ok {
		l.s.renderPage(w, r, http.StatusOK, l.Template+"_print", l.Print(r, rec))
	}
}

func (l *lifecycle[T, I, PI]) export(ext string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		all, err := l.all(r)
		if err != nil {
			l.s.renderError(w, r, err)
			return
		}
		lang, head := exportLang(r), make([]string, len(l.ExportFields))
		for i, f := range l.ExportFields {
			head[i] = l.s.cat.T(lang, l.Template+"."+f)
		}
		l.s.sendRows(w, r, ext, strings.TrimPrefix(l.Path, "/"), l.s.cat.T(lang, l.Template+".title"), head, l.Export(r, all))
	}
}

// load loads the record of the {id} path value, or answers the error.
func (l *lifecycle[T, I, PI]) load(w http.ResponseWriter, r *http.Request) (T, bool) {
	return loadOne(l.s, w, r, l.Get)
}

// edit applies an edit of the version the client saw and saves it. What
// stands in the way is said first: the ward, the lock, then the version,
// then the input.
func (l *lifecycle[T, I, PI]) edit(r *http.Request, rec T, in *I, confirmed bool, parsed error) ([]leoc.Warning, error) {
	if err := l.wardError(r, rec); err != nil {
		return nil, err
	}
	version := inputVersion(in)
	if err := checkEditable(rec.Meta().Locked, version); err != nil {
		return nil, err
	}
	warns, err := l.check(r, in, rec, confirmed, parsed)
	if err != nil {
		return warns, err
	}
	rec.Meta().Version = version
	return warns, l.Update(r, rec)
}

// check prepares the Input, validates it onto the record (with the
// problems parsed, the fields a form could not read, all at once) and
// finds its warnings; unless confirmed they stop the save with an
// *unconfirmedError.
func (l *lifecycle[T, I, PI]) check(r *http.Request, in *I, rec T, confirmed bool, parsed error) ([]leoc.Warning, error) {
	if l.Prepare != nil {
		if err := l.Prepare(r, in); err != nil {
			return nil, err
		}
	}
	if err := joinFieldErrors(parsed, l.Apply(r, in, rec)); err != nil || l.Warnings == nil {
		return nil, err
	}
	warns, err := l.Warnings(r, rec)
	if err == nil {
		err = checkWarnings(warns, confirmed)
	}
	return warns, err
}

// wardError refuses a record of a ward the user may not write.
func (l *lifecycle[T, I, PI]) wardError(r *http.Request, rec T) error {
	if l.Ward == nil {
		return nil
	}
	return state(r).user.WardWriteError(l.Ward(rec))
}

// mask hides what the request's user may not see of records shown.
func (l *lifecycle[T, I, PI]) mask(r *http.Request, recs ...T) {
	if l.Mask != nil {
		for _, rec := range recs {
			l.Mask(state(r).user, rec)
		}
	}
}

// saved ends a form post: the flash and a 303 to the record, or the form
// again with the problems (formRefused, with what Refused adds).
func (l *lifecycle[T, I, PI]) saved(w http.ResponseWriter, r *http.Request, err error, rec T, typed bool, again func(*form, int)) {
	if err != nil {
		l.s.formRefused(w, r, err, typed, func(f *form, status int) {
			if l.Refused != nil {
				l.Refused(f, err)
			}
			again(f, status)
		})
		return
	}
	kind, key := "success", "record.saved"
	if l.Flash != nil {
		kind, key = l.Flash(r, rec)
	}
	l.s.setFlash(w, kind, key)
	l.s.redirect(w, r, l.Path+"/"+idString(rec.Meta().ID))
}

// page renders a page whose Data a hook gave, or the error it gave.
func (l *lifecycle[T, I, PI]) page(w http.ResponseWriter, r *http.Request, status int, tmpl string, data any, f *form) {
	if err, ok := data.(error); ok {
		l.s.renderError(w, r, err)
		return
	}
	l.s.renderPageForm(w, r, status, tmpl, data, f)
}

// filter reads the list filters of a request, the shared ones and the
// register's own.
func (l *lifecycle[T, I, PI]) filter(r *http.Request) (store.RecordFilter, error) {
	q := r.URL.Query()
	f, err := l.s.recordFilter(q, state(r).user)
	if l.Narrow != nil {
		l.Narrow(q, &f)
	}
	return f, err
}

func (l *lifecycle[T, I, PI]) listPage(w http.ResponseWriter, r *http.Request) {
	s, q := l.s, r.URL.Query()
	f, err := l.filter(r)
	d := &recordList{Filter: &filterBar{Action: l.Path, Query: q}, Pager: &pager{}, Sort: &sortLinks{path: l.Path, q: q}, Export: exportQuery(q)}
	if l.Bar != nil {
		d.Filter = l.Bar(r)
	}
	if err != nil {
		d.Items = l.rows(r, nil)
		fm, status := s.formFromError(r, q, err)
		s.renderPageForm(w, r, status, l.Template+"_list", d, fm)
		return
	}
	items, total, err := l.List(r.Context(), f)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	l.mask(r, items...)
	d.Items, d.Pager = l.rows(r, items), newPager(l.Path, q, f, total)
	s.renderPage(w, r, http.StatusOK, l.Template+"_list", d)
}

// rows are the list page's Items (none when the filters were refused).
func (l *lifecycle[T, I, PI]) rows(r *http.Request, items []T) any {
	if l.ListData != nil {
		return l.ListData(r, items)
	}
	return items
}

func (l *lifecycle[T, I, PI]) detailPage(w http.ResponseWriter, r *http.Request) {
	if rec, ok := l.load(w, r); ok {
		l.mask(r, rec)
		var data any = rec
		if l.Detail != nil {
			data = l.Detail(r, rec)
		}
		l.page(w, r, http.StatusOK, l.Template+"_detail", data, nil)
	}
}

// renderForm shows the new (editing false) or edit form; f carries the
// values and messages of a refused post, nil for a fresh form.
func (l *lifecycle[T, I, PI]) renderForm(w http.ResponseWriter, r *http.Request, status int, edit T, editing bool, f *form) {
	s := l.s
	if f = s.reshown(r, f); f == nil {
		f = &form{Values: url.Values{}}
		if editing {
			in := l.Input(edit)
			f.Values = encodeForm(&in)
		} else if l.Defaults != nil {
			f.Values = l.Defaults(r)
		}
	}
	f.Limits = l.Limits
	var data any = &recordForm{}
	if editing {
		data = &recordForm{Edit: edit}
	}
	if l.FormData != nil {
		if !editing {
			edit = *new(T)
		}
		data = l.FormData(r, edit, f)
	}
	l.page(w, r, status, l.Template+"_form", data, f)
}

func (l *lifecycle[T, I, PI]) newPage(w http.ResponseWriter, r *http.Request) {
	l.renderForm(w, r, http.StatusOK, *new(T), false, nil)
}

func (l *lifecycle[T, I, PI]) create(w http.ResponseWriter, r *http.Request) {
	var in I
	rec := l.New()
	parsed, err := decodePost(r, &in, l.Limits)
	if err == nil {
		_, err = l.check(r, &in, rec, formConfirmed(r), parsed)
	}
	if err == nil {
		err = l.Create(r, rec)
	}
	l.saved(w, r, err, rec, true, func(f *form, status int) {
		l.renderForm(w, r, status, *new(T), false, f)
	})
}

func (l *lifecycle[T, I, PI]) editPage(w http.ResponseWriter, r *http.Request) {
	rec, ok := l.load(w, r)
	if !ok {
		return
	}
	if err := l.wardError(r, rec); err != nil {
		l.s.renderError(w, r, err)
		return
	}
	if l.s.editable(w, r, *rec.Meta(), 0) {
		l.renderForm(w, r, http.StatusOK, rec, true, nil)
	}
}

func (l *lifecycle[T, I, PI]) update(w http.ResponseWriter, r *http.Request) {
	rec, ok := l.load(w, r)
	if !ok {
		return
	}
	var in I
	theirs := l.Ward == nil || state(r).user.CanWriteWard(l.Ward(rec))
	parsed, err := decodePost(r, &in, l.Limits)
	if err == nil {
		_, err = l.edit(r, rec, &in, formConfirmed(r), parsed)
	}
	l.saved(w, r, err, rec, theirs, func(f *form, status int) {
		// Apply changed rec: the form shown again heads the record as stored.
		if stored, err := l.Get(r.Context(), rec.Meta().ID); err == nil {
			rec = stored
		}
		l.renderForm(w, r, status, rec, true, f)
	})
}

func (l *lifecycle[T, I, PI]) delete(w http.ResponseWriter, r *http.Request) {
	id, err := idParam(r)
	if err == nil {
		err = l.Delete(r, id)
	}
	l.s.deleted(w, r, err, l.Path)
}
