package server

import (
	"net/http"
	"strconv"
	"strings"

	"leoc/internal/store"
)

// Choices a form or filter offers from the settings, in the page's
// language. A failure to read them is logged and offers none: the form
// still shows, and saving checks the value in the store.

// listChoices are the values of a configurable list.
func (s *Server) listChoices(r *http.Request, list string) []choice {
	values, err := s.store.ListValues(r.Context(), list)
	if err != nil {
		s.log.Error("list values", "list", list, "err", err, "request_id", state(r).id)
	}
	out := make([]choice, len(values))
	for i, v := range values {
		out[i] = choice{v.Key, v.Label(state(r).lang)}
	}
	return out
}

// wardChoices are the municipality's wards, as choices and as stored.
func (s *Server) wardChoices(r *http.Request) ([]choice, []store.Ward) {
	wards, err := s.store.Wards(r.Context())
	if err != nil {
		s.log.Error("wards", "err", err, "request_id", state(r).id)
	}
	out := make([]choice, len(wards))
	for i, w := range wards {
		name := w.NameNe
		if state(r).lang == "en" {
			name = w.NameEn
		}
		out[i] = choice{strconv.Itoa(w.Number), name}
	}
	return out, wards
}

// choiceLabel is the label of key among choices (the key when unknown).
func choiceLabel(choices []choice, key string) string {
	for _, c := range choices {
		if c.Value == key {
			return c.Label
		}
	}
	return key
}

// group is a run of rows under one label: a directory's category.
type group[T any] struct {
	Label string
	Rows  []T
}

// groupBy cuts rows already in order into runs of the same label.
func groupBy[T any](rows []T, label func(T) string) []group[T] {
	var out []group[T]
	for _, row := range rows {
		l := label(row)
		if n := len(out); n == 0 || out[n-1].Label != l {
			out = append(out, group[T]{Label: l})
		}
		out[len(out)-1].Rows = append(out[len(out)-1].Rows, row)
	}
	return out
}

func isBlank(s string) bool { return strings.TrimSpace(s) == "" }

// listLabels maps the keys of a settings list to their labels in lang, in
// the list's order.
func (s *Server) listLabels(r *http.Request, list, lang string) ([]choice, map[string]string, error) {
	values, err := s.store.ListValues(r.Context(), list)
	if err != nil {
		return nil, nil, err
	}
	choices := make([]choice, 0, len(values))
	labels := make(map[string]string, len(values))
	for _, v := range values {
		choices = append(choices, choice{v.Key, v.Label(lang)})
		labels[v.Key] = v.Label(lang)
	}
	return choices, labels, nil
}
