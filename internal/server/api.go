package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"strings"
	"unicode"

	"leoc/internal/leoc"
	"leoc/internal/store"
)

// decodeJSON reads one JSON object into dst. Wrong content type, malformed
// JSON, invalid UTF-8, unknown fields, duplicate keys, control characters
// in any string and trailing data are all a 400 that says which.
func decodeJSON(r *http.Request, dst any) error {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "application/json" {
		return leoc.Errorf(leoc.EInvalid, "request.content_type")
	}
	body, err := readJSONBody(r)
	if err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return jsonError(err)
	}
	if err := dec.Decode(&struct{}{}); !errors.Is(err, io.EOF) {
		return leoc.Errorf(leoc.EInvalid, "request.trailing_data")
	}
	return checkJSONText(body)
}

func jsonError(err error) error {
	var mbe *http.MaxBytesError
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &mbe):
		return leoc.Errorf(leoc.ETooLarge, "error.too_large", mbe.Limit>>20)
	case errors.As(err, &syn), errors.Is(err, io.ErrUnexpectedEOF):
		return leoc.Errorf(leoc.EInvalid, "request.bad_json")
	case errors.As(err, &typ):
		// Fields of an embedded struct come prefixed with its Go name
		// ("ContactFields.phones"); clients know only the JSON names.
		field := typ.Field
		for {
			head, rest, ok := strings.Cut(field, ".")
			if !ok || head == "" || !unicode.IsUpper(rune(head[0])) {
				break
			}
			field = rest
		}
		if field == "" {
			return leoc.Errorf(leoc.EInvalid, "request.bad_json")
		}
		return &leoc.Error{Code: leoc.EInvalid, Message: leoc.M("error.validation"),
			Fields: map[string]leoc.Msg{field: leoc.M("request.wrong_type", typ.Value)}}
	case errors.Is(err, io.EOF):
		return leoc.Errorf(leoc.EInvalid, "request.empty")
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return &leoc.Error{Code: leoc.EInvalid, Message: leoc.M("error.validation"),
			Fields: map[string]leoc.Msg{name: leoc.M("request.unknown_field")}}
	default:
		return leoc.Errorf(leoc.EInvalid, "request.bad_json")
	}
}

// listPage is the envelope of every list endpoint.
type listPage[T any] struct {
	Items   []T `json:"items"`
	Total   int `json:"total"`
	Page    int `json:"page"`
	PerPage int `json:"per_page"`
	// Next is the cursor of the page after this one (pass it as after=);
	// null on the last page.
	Next *string `json:"next"`
	// TotalCapped: a search counted its first matches only (total); more
	// follow, by next.
	TotalCapped bool `json:"total_capped,omitempty"`
	// build, when set, writes each item as the object it builds
	// (writeObjectList); encoding/json does not see it.
	build func(*jsonObject, T)
}

// writeList answers one page of a register's list in the envelope every
// list endpoint uses.
func writeList[J any](s *Server, w http.ResponseWriter, r *http.Request, items []J, total, page, perPage int, ks *store.Keyset) {
	s.writeJSON(w, r, http.StatusOK, newListPage(items, total, page, perPage, ks).object())
}

// writeObjectList is writeList for items that build writes as JSON objects,
// one at a time into one reused jsonObject (objectList): a page of 50
// distributions allocated 50 objects of 50 keys and values.
func writeObjectList[T any](s *Server, w http.ResponseWriter, r *http.Request, items []T, build func(*jsonObject, T), total, page, perPage int, ks *store.Keyset) {
	p := newListPage(items, total, page, perPage, ks)
	p.build = build
	s.writeJSON(w, r, http.StatusOK, p.object())
}

func newListPage[J any](items []J, total, page, perPage int, ks *store.Keyset) listPage[J] {
	if items == nil {
		items = []J{}
	}
	per, _ := pageSize(perPage)
	out := listPage[J]{Items: items, Total: total, Page: max(page, 1), PerPage: per}
	if ks != nil && ks.Next != "" {
		out.Next = &ks.Next
	}
	if ks != nil {
		out.TotalCapped = ks.Capped
	}
	return out
}

// object is the page as a jsonObject, the same bytes as listPage's struct
// tags give (TestListJSONMatchesEncodingJSON), written without
// encoding/json's reflection and its second pass over every item.
func (p listPage[T]) object() *jsonObject {
	o := newJSONObject(6)
	if p.build != nil {
		o.add("items", objectList[T]{items: p.Items, build: p.build})
	} else {
		o.add("items", p.Items)
	}
	o.add("total", p.Total)
	o.add("page", p.Page)
	o.add("per_page", p.PerPage)
	o.add("next", p.Next)
	if p.TotalCapped {
		o.add("total_capped", true)
	}
	return o
}
