package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"leoc/internal/bs"
	"leoc/internal/leoc"
)

// Strict input: every text that reaches a handler — query parameters, form
// fields, JSON strings and keys — is valid UTF-8 without control characters
// other than tab and newline. The check runs once, at decoding (guard for
// queries and form posts, decodeJSON for bodies), so no register can forget
// it: PostgreSQL refuses a NUL in text with an error (a 500), SQLite stores
// it, and neither belongs in a record people print and sign.

// Problems a text can have; each is a message key naming the field.
const (
	textBadUTF8     = "input.invalid_utf8"
	textControlChar = "input.control_char"
)

// textProblem returns the message key of what is wrong with s, or "".
// A carriage return is refused here: form posts normalise it first.
func textProblem(s string) string {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if (c < 0x20 && c != '\t' && c != '\n') || c == 0x7f {
				return textControlChar
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 {
			return textBadUTF8
		}
		if unicode.IsControl(r) { // C1 controls, U+0080..U+009F
			return textControlChar
		}
		i += n
	}
	return ""
}

// fieldLabel is a field name fit to quote in a message, even when the name
// itself is the bad text.
func fieldLabel(name string) string {
	if textProblem(name) == "" {
		return name
	}
	q := strconv.QuoteToASCII(name)
	return q[1 : len(q)-1]
}

func textError(field, key string) error {
	label := fieldLabel(field)
	return &leoc.Error{Code: leoc.EInvalid, Message: leoc.M(key, label), Fields: map[string]leoc.Msg{label: leoc.M(key, label)}}
}

// checkValues refuses the first bad name or value of a decoded query or form.
func checkValues(vs url.Values) error {
	for k, list := range vs {
		if p := textProblem(k); p != "" {
			return textError(k, p)
		}
		for _, v := range list {
			if p := textProblem(v); p != "" {
				return textError(k, p)
			}
		}
	}
	return nil
}

// normaliseNewlines turns the CRLF (and lone CR) line ends browsers send
// from a textarea into LF, the one line end stored.
func normaliseNewlines(vs url.Values) {
	for _, list := range vs {
		for i, v := range list {
			if strings.IndexByte(v, '\r') >= 0 {
				list[i] = strings.ReplaceAll(strings.ReplaceAll(v, "\r\n", "\n"), "\r", "\n")
			}
		}
	}
}

// strictInput checks the query and, for form posts, the decoded form of a
// request before its handler sees them. Multipart bodies are checked by the
// upload handler, which parses them.
func strictInput(r *http.Request) error {
	q, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return leoc.Errorf(leoc.EInvalid, "input.bad_query")
	}
	if err := checkValues(q); err != nil {
		return err
	}
	if isSafeMethod(r.Method) || r.Body == nil {
		return nil
	}
	if r.MultipartForm != nil { // parsed by the CSRF check
		normaliseNewlines(r.MultipartForm.Value)
		return checkValues(r.MultipartForm.Value)
	}
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "application/x-www-form-urlencoded" {
		return nil
	}
	if err := r.ParseForm(); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return leoc.Errorf(leoc.ETooLarge, "error.too_large", mbe.Limit>>20)
		}
		return leoc.Errorf(leoc.EInvalid, "input.bad_form")
	}
	// r.Form holds the query and the body; r.PostForm the body only. Both
	// are normalised so FormValue and PostFormValue agree.
	normaliseNewlines(r.PostForm)
	normaliseNewlines(r.Form)
	return checkValues(r.PostForm)
}

// Paging bounds: a page number beyond a million is no list anyone reads,
// and near 2^63 its offset overflows in the database.
const maxPage = 1_000_000

// parsePage reads the page parameter: empty is the first page.
func parsePage(v *leoc.Validation, raw string) int {
	// The page-jump box accepts Devanagari digits as every number field does.
	raw = strings.TrimSpace(bs.ASCIIDigits(raw))
	if raw == "" {
		return 0
	}
	n, err := strconv.Atoi(raw)
	if err != nil || n < 1 || n > maxPage {
		v.Add("page", "list.page_invalid", maxPage)
		return 0
	}
	return n
}

// checkJSONText walks a syntactically valid JSON document and refuses
// duplicate object keys (the API promises strict JSON: with duplicates,
// what a client meant is a guess) and strings or keys with control
// characters, naming the field by its path ("members[2].name").
func checkJSONText(body []byte) error {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	return walkJSON(dec, "")
}

func walkJSON(dec *json.Decoder, path string) error {
	tok, err := dec.Token()
	if err != nil {
		return leoc.Errorf(leoc.EInvalid, "request.bad_json")
	}
	switch t := tok.(type) {
	case string:
		if p := textProblem(t); p != "" {
			return textError(orRoot(path), p)
		}
	case json.Delim:
		switch t {
		case '{':
			seen := map[string]bool{}
			for dec.More() {
				kt, err := dec.Token()
				if err != nil {
					return leoc.Errorf(leoc.EInvalid, "request.bad_json")
				}
				key, _ := kt.(string)
				name := key
				if path != "" {
					name = path + "." + key
				}
				if p := textProblem(key); p != "" {
					return textError(name, p)
				}
				if seen[key] {
					label := fieldLabel(name)
					return &leoc.Error{Code: leoc.EInvalid, Message: leoc.M("input.duplicate_key", label),
						Fields: map[string]leoc.Msg{label: leoc.M("input.duplicate_key", label)}}
				}
				seen[key] = true
				if err := walkJSON(dec, name); err != nil {
					return err
				}
			}
		case '[':
			for i := 0; dec.More(); i++ {
				if err := walkJSON(dec, orRoot(path)+"["+strconv.Itoa(i)+"]"); err != nil {
					return err
				}
			}
		}
		if _, err := dec.Token(); err != nil { // the closing delimiter
			return leoc.Errorf(leoc.EInvalid, "request.bad_json")
		}
	}
	return nil
}

func orRoot(path string) string {
	if path == "" {
		return "body"
	}
	return path
}

// readJSONBody reads a whole JSON body (already limited by limitBody) and
// refuses invalid UTF-8, which encoding/json would silently replace.
func readJSONBody(r *http.Request) ([]byte, error) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return nil, jsonError(err)
	}
	if !utf8.Valid(body) {
		return nil, leoc.Errorf(leoc.EInvalid, "input.invalid_utf8", "body")
	}
	return body, nil
}
