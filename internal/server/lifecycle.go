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

// applier is a register's Input: a struct the JSON API and the form decode
// into (by the same tags), whose Apply validates it onto a record.
type applier[I, T any] interface {
	*I
	Apply(*bs.Calendar, T) error
}

// lifecycle declares a register to the shared handlers: its pages (list,
// new, create, detail, edit, update, delete) and its JSON API (list, get,
// create, update, delete) are written once, here; a register gives its
// store calls, its Input, its JSON form and the hooks where it needs more.
// Templates are <Template>_list, _form and _detail; unlock is the shared
// /unlock/{register}/{id}.
type lifecycle[T store.Recorded, I any, PI applier[I, T]] struct {
	s           *Server
	Path        string // "/contacts"; the API is /api/v1 + Path
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
	Defaults func(*http.Request) url.Values             // a new form's values
	FormData func(r *http.Request, edit T, f *form) any // the form page's Data (default recordForm)
	Detail   func(r *http.Request, rec T) any           // the detail page's Data (default the record)
	ListData func(r *http.Request, items []T) any       // the list's rows (default the records)
	Bar      func(r *http.Request) *filterBar           // the list page's filter bar
	Narrow   func(q url.Values, f *store.RecordFilter)  // the register's own list filters
	Prepare  func(r *http.Request, in *I) error         // loads what Apply needs (a distribution's rules)
	// Answer is a record in the API's get, create and update answers
	// (default JSON); it may give an error instead.
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
}

// records is what a register's store gives the lifecycle (store.Records).
type records[T any] interface {
	Get(context.Context, int64) (T, error)
	List(context.Context, store.RecordFilter) ([]T, int, error)
	Create(context.Context, store.Actor, *leoc.User, T) error
	Update(context.Context, store.Actor, *leoc.User, T) error
	Delete(context.Context, store.Actor, *leoc.User, int64) error
}

// bind fills the store calls the declaration leaves to Store.
func (l *lifecycle[T, I, PI]) bind() *lifecycle[T, I, PI] {
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
		l.Create = func(r *http.Request, rec T) error { return st.Create(r.Context(), actor(r), state(r).user, rec) }
	}
	if l.Update == nil {
		l.Update = func(r *http.Request, rec T) error { return st.Update(r.Context(), actor(r), state(r).user, rec) }
	}
	if l.Delete == nil {
		l.Delete = func(r *http.Request, id int64) error { return st.Delete(r.Context(), actor(r), state(r).user, id) }
	}
	return l
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
	p, api := l.Path, "/api/v1"+l.Path
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

// edit applies an edit of the version the client saw and saves it; parsed
// is what did not parse in a form.
func (l *lifecycle[T, I, PI]) edit(r *http.Request, rec T, in *I, parsed error) error {
	if l.Ward != nil {
		if err := state(r).user.WardWriteError(l.Ward(rec)); err != nil && l.Ward(rec) != 0 {
			return err
		}
	}
	version := inputVersion(in)
	if err := checkEditable(rec.Meta().Locked, version); err != nil {
		return err
	}
	if err := l.apply(r, in, rec, parsed); err != nil {
		return err
	}
	rec.Meta().Version = version
	return l.Update(r, rec)
}

// apply prepares an Input and applies it onto rec; the problems of a form
// that did not parse (parsed) are reported with Apply's, all at once.
func (l *lifecycle[T, I, PI]) apply(r *http.Request, in *I, rec T, parsed error) error {
	if parsed != nil && parsedFields(parsed) == nil {
		return parsed // not a form at all
	}
	if l.Prepare != nil {
		if err := l.Prepare(r, in); err != nil {
			return err
		}
	}
	return withParseErrors(parsedFields(parsed), PI(in).Apply(l.s.cal, rec))
}

// saved ends a form post: the flash and a 303 to the record, or the form
// again with the problems — the error page for what the form cannot fix:
// locked, internal, and forbidden unless typed means the problem is in
// what was typed (a ward on a new record or on one the user may write).
func (l *lifecycle[T, I, PI]) saved(w http.ResponseWriter, r *http.Request, err error, rec T, typed bool, again func(*form, int)) {
	s := l.s
	if err == nil {
		kind, key := "success", "record.saved"
		if l.Flash != nil {
			kind, key = l.Flash(r, rec)
		}
		s.setFlash(w, kind, key)
		s.redirect(w, r, l.Path+"/"+idString(rec.Meta().ID))
		return
	}
	if c := leoc.ErrorCode(err); c == leoc.ELocked || c == leoc.EInternal || c == leoc.EForbidden && !typed {
		s.renderError(w, r, err)
		return
	}
	f, status := s.formFromError(r, r.PostForm, err)
	if l.Refused != nil {
		l.Refused(f, err)
	}
	again(f, status)
}

// answer writes a record in the API, or the error its Answer gives.
func (l *lifecycle[T, I, PI]) answer(w http.ResponseWriter, r *http.Request, status int, rec T) {
	var out any
	if l.Answer != nil {
		out = l.Answer(r, rec)
	} else {
		out = l.JSON(rec)
	}
	if err, ok := out.(error); ok {
		l.s.renderError(w, r, err)
		return
	}
	l.s.writeJSON(w, r, status, out)
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
	bar := &filterBar{Action: l.Path, Query: q}
	if l.Bar != nil {
		bar = l.Bar(r)
	}
	if err != nil {
		fm, status := s.formFromError(r, q, err)
		s.renderPageForm(w, r, status, l.Template+"_list", &recordList{Filter: bar, Pager: &pager{}}, fm)
		return
	}
	items, total, err := l.List(r.Context(), f)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	var rows any = items
	if l.ListData != nil {
		rows = l.ListData(r, items)
	}
	s.renderPage(w, r, http.StatusOK, l.Template+"_list", &recordList{Items: rows, Pager: newPager(l.Path, q, f, total), Filter: bar})
}

func (l *lifecycle[T, I, PI]) detailPage(w http.ResponseWriter, r *http.Request) {
	if rec, ok := l.load(w, r); ok {
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
	err := l.apply(r, &in, rec, decodePost(r, &in, l.Limits))
	if err == nil {
		err = l.Create(r, rec)
	}
	l.saved(w, r, err, rec, true, func(f *form, status int) {
		l.renderForm(w, r, status, *new(T), false, f)
	})
}

func (l *lifecycle[T, I, PI]) editPage(w http.ResponseWriter, r *http.Request) {
	rec, ok := l.load(w, r)
	if !ok || !l.s.editable(w, r, *rec.Meta(), 0) {
		return
	}
	if l.Ward != nil {
		if err := state(r).user.WardWriteError(l.Ward(rec)); err != nil {
			l.s.renderError(w, r, err)
			return
		}
	}
	l.renderForm(w, r, http.StatusOK, rec, true, nil)
}

func (l *lifecycle[T, I, PI]) update(w http.ResponseWriter, r *http.Request) {
	rec, ok := l.load(w, r)
	if !ok {
		return
	}
	var in I
	orig, theirs := *rec.Meta(), l.Ward == nil || state(r).user.CanWriteWard(l.Ward(rec))
	err := l.edit(r, rec, &in, decodePost(r, &in, l.Limits))
	if err != nil {
		*rec.Meta() = orig // the form again shows the record as loaded
	}
	l.saved(w, r, err, rec, theirs, func(f *form, status int) {
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

func (l *lifecycle[T, I, PI]) apiList(w http.ResponseWriter, r *http.Request) {
	f, err := l.filter(r)
	var items []T
	var total int
	if err == nil {
		items, total, err = l.List(r.Context(), f)
	}
	if err != nil {
		l.s.renderError(w, r, err)
		return
	}
	out := make([]any, len(items))
	for i, it := range items {
		out[i] = l.JSON(it)
	}
	writeList(l.s, w, r, out, total, f.Page, f.PerPage)
}

func (l *lifecycle[T, I, PI]) apiGet(w http.ResponseWriter, r *http.Request) {
	if rec, ok := l.load(w, r); ok {
		l.answer(w, r, http.StatusOK, rec)
	}
}

func (l *lifecycle[T, I, PI]) apiCreate(w http.ResponseWriter, r *http.Request) {
	var in I
	rec := l.New()
	err := decodeJSON(r, &in)
	if err == nil {
		err = l.apply(r, &in, rec, nil)
	}
	if err == nil {
		err = l.Create(r, rec)
	}
	if err != nil {
		l.APIError(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1"+l.Path+"/"+idString(rec.Meta().ID))
	l.answer(w, r, http.StatusCreated, rec)
}

func (l *lifecycle[T, I, PI]) apiUpdate(w http.ResponseWriter, r *http.Request) {
	rec, ok := l.load(w, r)
	if !ok {
		return
	}
	var in I
	err := decodeJSON(r, &in)
	if err == nil {
		err = l.edit(r, rec, &in, nil)
	}
	if err != nil {
		l.APIError(w, r, err)
		return
	}
	l.answer(w, r, http.StatusOK, rec)
}

func (l *lifecycle[T, I, PI]) apiDelete(w http.ResponseWriter, r *http.Request) {
	id, err := idParam(r)
	if err == nil {
		err = l.Delete(r, id)
	}
	if err != nil {
		l.s.renderError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
