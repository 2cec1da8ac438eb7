package server

import (
	"errors"
	"net/http"

	"leoc/internal/leoc"
)

// unconfirmedError stops a form save whose figures are valid but
// implausible until the person confirms them ("Save anyway"). The API never
// stops: it saves and answers the warnings.
type unconfirmedError struct{ warnings []leoc.Warning }

func (e *unconfirmedError) Error() string { return "implausible figures not confirmed" }

// checkWarnings returns an *unconfirmedError when there are warnings the
// request has not confirmed.
func checkWarnings(warns []leoc.Warning, confirmed bool) error {
	if len(warns) == 0 || confirmed {
		return nil
	}
	return &unconfirmedError{warnings: warns}
}

// formConfirmed reports whether the person pressed "Save anyway".
func formConfirmed(r *http.Request) bool { return r.PostFormValue("confirm_warnings") == "1" }

// warningForm turns an *unconfirmedError into the form shown again with the
// warnings and a "Save anyway" button.
func (s *Server) warningForm(r *http.Request, err error) (*form, bool) {
	var ue *unconfirmedError
	if !errors.As(err, &ue) {
		return nil, false
	}
	lang := state(r).lang
	f := &form{Values: r.PostForm, Warnings: map[string]string{}}
	for _, w := range ue.warnings {
		f.Warnings[w.Field] = s.cat.Msg(lang, w.Message)
	}
	return f, true
}

// apiWarning is one warning in an API answer, the shape distributions
// answer too (warningJSON): kind and message, then what it is about.
type apiWarning struct {
	Kind    string `json:"kind"`
	Field   string `json:"field"`
	Message string `json:"message"`
}

func (s *Server) warningsJSON(r *http.Request, warns []leoc.Warning) []apiWarning {
	out := make([]apiWarning, 0, len(warns))
	for _, w := range warns {
		out = append(out, apiWarning{Kind: w.Kind, Field: w.Field, Message: s.cat.Msg(state(r).lang, w.Message)})
	}
	return out
}
