package server

import (
	"encoding/json"
	"errors"
	"net/http"

	"leoc/internal/leoc"
)

// statusOf maps domain codes to HTTP statuses: the one place this happens.
var statusOf = map[string]int{
	leoc.EInvalid:      http.StatusBadRequest,
	leoc.EUnauthorized: http.StatusUnauthorized,
	leoc.EForbidden:    http.StatusForbidden,
	leoc.ELocked:       http.StatusForbidden,
	leoc.ENotFound:     http.StatusNotFound,
	leoc.EConflict:     http.StatusConflict,
	leoc.ETooLarge:     http.StatusRequestEntityTooLarge,
	leoc.ERateLimited:  http.StatusTooManyRequests,
	leoc.EUnavailable:  http.StatusServiceUnavailable,
	leoc.EInternal:     http.StatusInternalServerError,
}

// apiError is the JSON error envelope of every API failure.
type apiError struct {
	Error struct {
		Code    string            `json:"code"`
		Message string            `json:"message"`
		Fields  map[string]string `json:"fields,omitempty"`
	} `json:"error"`
	RequestID string `json:"request_id"`
}

// domainError turns any error into a *leoc.Error safe to show: internal
// errors are logged here with the request ID and replaced by a generic one.
func (s *Server) domainError(r *http.Request, err error) *leoc.Error {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return leoc.Errorf(leoc.ETooLarge, "error.too_large", mbe.Limit>>20)
	}
	if e, ok := leoc.AsError(err); ok && e.Code != leoc.EInternal {
		return e
	}
	st := state(r)
	if clientClosed(r) {
		// The client went away (a closed tab, a dropped phone link): the
		// failure is the cancelled context, not a fault to alert anyone.
		s.log.Info("client closed the request", "err", err, "request_id", st.id, "route", st.route)
	} else {
		s.log.Error("request failed", "err", err, "request_id", st.id, "route", st.route)
	}
	return &leoc.Error{Code: leoc.EInternal, Message: leoc.M("error.internal")}
}

// statusClientClosed is nginx's "client closed request": what the access
// log says of a request whose client left before the answer was complete.
const statusClientClosed = 499

// clientClosed reports whether the client of r has disconnected. The
// server's base context is never cancelled (shutdown drains requests), so
// a done request context means the connection is gone.
func clientClosed(r *http.Request) bool { return r.Context().Err() != nil }

// renderError answers with the error as JSON (API and JSON clients) or as
// an error page.
func (s *Server) renderError(w http.ResponseWriter, r *http.Request, err error) {
	e := s.domainError(r, err)
	if e.Code == leoc.EInternal && clientClosed(r) {
		w.WriteHeader(statusClientClosed) // for the access log; nobody reads it
		return
	}
	status := statusOf[e.Code]
	if status == 0 {
		status = http.StatusInternalServerError
	}
	st := state(r)
	if e.Code == leoc.EUnauthorized && wantsJSON(r) {
		w.Header().Set("WWW-Authenticate", `Bearer realm="leoc"`)
	}
	if e.Code == leoc.ETooLarge && s.renderUploadTooLarge(w, r, e) {
		return
	}
	if wantsJSON(r) {
		var body apiError
		body.Error.Code = e.Code
		body.Error.Message = s.cat.Msg(st.lang, e.Message)
		if len(e.Fields) > 0 {
			body.Error.Fields = map[string]string{}
			for k, m := range e.Fields {
				body.Error.Fields[k] = s.cat.Msg(st.lang, m)
			}
		}
		body.RequestID = st.id
		s.writeJSON(w, r, status, body)
		return
	}
	s.renderPage(w, r, status, "error", &errorPage{Status: status, Message: s.cat.Msg(st.lang, e.Message), Code: e.Code})
}

type errorPage struct {
	Status  int
	Code    string
	Message string
}

// writeJSON encodes into memory first, so an encoding failure becomes a
// clean 500 instead of half an answer.
func (s *Server) writeJSON(w http.ResponseWriter, r *http.Request, status int, v any) {
	buf := s.jsonBuffer()
	defer s.jsonBufs.Put(buf)
	b, err := appendAnswerJSON((*buf)[:0], v)
	if cap(b) <= maxPooledJSON {
		*buf = b[:0]
	}
	if err != nil {
		s.log.Error("encode JSON", "err", err, "request_id", state(r).id)
		status = http.StatusInternalServerError
		b = []byte(`{"error":{"code":"internal","message":"internal error"},"request_id":"` + state(r).id + `"}`)
	}
	h := w.Header()
	h["Content-Type"], h["Cache-Control"] = jsonContentType, noStore
	w.WriteHeader(status)
	if _, err := w.Write(append(b, '\n')); err != nil {
		s.log.Debug("write JSON", "err", err)
	}
}

func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	s.renderError(w, r, leoc.Errorf(leoc.ENotFound, "error.not_found"))
}

// errVersionRequired refuses an edit that does not say which version of the
// record it changes, so two people editing at once cannot overwrite each
// other. Every register answers it the same way.
func errVersionRequired() error {
	return &leoc.Error{Code: leoc.EInvalid, Message: leoc.M("error.validation"), Fields: map[string]leoc.Msg{"version": leoc.M("record.version_required")}}
}

// encodeJSON is json.Marshal, without its second pass over what a
// jsonObject already wrote (json_append.go).
func encodeJSON(v any) ([]byte, error) {
	if o, ok := v.(*jsonObject); ok {
		return o.appendJSON(make([]byte, 0, 1024))
	}
	return json.Marshal(v)
}

// appendAnswerJSON appends v as encodeJSON encodes it.
func appendAnswerJSON(b []byte, v any) ([]byte, error) {
	if o, ok := v.(*jsonObject); ok {
		return o.appendJSON(b)
	}
	enc, err := json.Marshal(v)
	return append(b, enc...), err
}

// jsonBuffer is a buffer for one JSON answer, from the buffers earlier
// answers grew: a 50-row list page is ~100 KB, which grown from nothing
// was a dozen copies and more garbage than the page itself. The answer is
// copied out by Write (to the connection's buffer or the gzip writer), so
// the buffer goes back when writeJSON returns.
func (s *Server) jsonBuffer() *[]byte {
	if b, ok := s.jsonBufs.Get().(*[]byte); ok {
		return b
	}
	b := make([]byte, 0, 4096)
	return &b
}

// maxPooledJSON is the largest buffer kept for the next answer; a larger
// one (a big export through writeJSON) is left to the garbage collector.
const maxPooledJSON = 1 << 20
