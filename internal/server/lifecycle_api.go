package server

import (
	"net/http"

	"leoc/internal/leoc"
)

// The lifecycle's JSON API: list, get, create, update, delete.

func (l *lifecycle[T, I, PI]) apiPath() string {
	if l.API != "" {
		return l.API
	}
	return "/api/v1" + l.Path
}

// answer writes a record in the API (Answer's, default JSON), or the
// error Answer gives; after a write (wrote) with its warnings when the
// register has them.
func (l *lifecycle[T, I, PI]) answer(w http.ResponseWriter, r *http.Request, status int, rec T, wrote bool, warns []leoc.Warning) {
	var out any
	switch {
	case l.Answer != nil:
		out = l.Answer(r, rec)
	case wrote && l.Warnings != nil:
		out = &withWarnings{l.JSON(rec), l.s.warningsJSON(r, warns)}
	default:
		out = l.JSON(rec)
	}
	if err, ok := out.(error); ok {
		l.s.renderError(w, r, err)
		return
	}
	l.s.writeJSON(w, r, status, out)
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
	l.mask(r, items...)
	out := make([]any, len(items))
	for i, it := range items {
		out[i] = l.JSON(it)
	}
	writeList(l.s, w, r, out, total, f.Page, f.PerPage, f.Keyset)
}

func (l *lifecycle[T, I, PI]) apiGet(w http.ResponseWriter, r *http.Request) {
	if rec, ok := l.load(w, r); ok {
		l.mask(r, rec)
		l.answer(w, r, http.StatusOK, rec, false, nil)
	}
}

// apiCreate saves a new record; the API never asks for confirmation: it
// saves and answers the warnings.
func (l *lifecycle[T, I, PI]) apiCreate(w http.ResponseWriter, r *http.Request) {
	var in I
	var warns []leoc.Warning
	rec := l.New()
	err := decodeJSON(r, &in)
	if err == nil {
		warns, err = l.check(r, &in, rec, true, nil)
	}
	if err == nil {
		err = l.Create(r, rec)
	}
	if err != nil {
		l.APIError(w, r, err)
		return
	}
	w.Header().Set("Location", l.apiPath()+"/"+idString(rec.Meta().ID))
	l.answer(w, r, http.StatusCreated, rec, true, warns)
}

func (l *lifecycle[T, I, PI]) apiUpdate(w http.ResponseWriter, r *http.Request) {
	rec, ok := l.load(w, r)
	if !ok {
		return
	}
	var in I
	var warns []leoc.Warning
	err := decodeJSON(r, &in)
	if err == nil {
		warns, err = l.edit(r, rec, &in, true, nil)
	}
	if err != nil {
		l.APIError(w, r, err)
		return
	}
	l.answer(w, r, http.StatusOK, rec, true, warns)
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
