package server

import (
	"cmp"
	"encoding"
	"errors"
	"maps"
	"math"
	"net/http"
	"net/url"
	"reflect"
	"strconv"
	"strings"

	"leoc/internal/bs"
	"leoc/internal/leoc"
)

// Forms are decoded into the same Input type the JSON API decodes, by its
// JSON field tags, and filled back from an Input by the same tags: a field
// name is written once, in the domain. Supported field types are those the
// Inputs use: string, int and int64 (0 shows as an empty box), *int and
// *int64 (empty = null, 0 shows as 0), float64 and *float64, bool, []string (a repeated
// field; empty values dropped), a text type (encoding.TextUnmarshaler, such
// as leoc.WholeInput and leoc.AmountInput: its text is kept for Apply to
// check), and a slice of structs: repeated rows, whose inputs are named
// <form tag>_<field> (the tag form:"member" gives member_name, member_age,
// …), one value per row in order; a row whose inputs are all empty is left
// out. An int64 is a count and may be typed grouped ("1,000"); a record
// number (a field named …_id) may be typed the way titles once wrote it
// ("#12"). A value that does not parse is refused on its field with the
// field's Limit.Invalid message (default field.number); "version" reads as
// 0 instead, which the edit check answers with its own message.

// formField is one named field of an Input struct.
type formField struct {
	name string
	rows string // the input prefix of repeated rows ("member")
	v    reflect.Value
}

// formFields are the named fields of an Input struct, those of embedded
// structs included.
func formFields(rv reflect.Value) []formField {
	var out []formField
	for i := range rv.NumField() {
		sf := rv.Type().Field(i)
		name, _, _ := strings.Cut(sf.Tag.Get("json"), ",")
		switch {
		case sf.Anonymous && sf.Type.Kind() == reflect.Struct:
			out = append(out, formFields(rv.Field(i))...)
		case sf.IsExported() && name != "-" && name != "":
			out = append(out, formField{name, sf.Tag.Get("form"), rv.Field(i)})
		}
	}
	return out
}

var textType = reflect.TypeFor[encoding.TextUnmarshaler]()

// decodePost reads a form post into an Input. err is a post that is not a
// form at all; parsed are the fields that did not parse, to be shown with
// what validation finds (joinFieldErrors).
func decodePost(r *http.Request, in any, limits leoc.Limits) (parsed, err error) {
	if err := r.ParseForm(); err != nil {
		return nil, leoc.Errorf(leoc.EInvalid, "error.bad_form")
	}
	return decodeForm(r.PostForm, in, limits), nil
}

// decodeForm fills dst (a pointer to an Input struct) from form values.
func decodeForm(v url.Values, dst any, limits leoc.Limits) error {
	var val leoc.Validation
	for _, f := range formFields(reflect.ValueOf(dst).Elem()) {
		if f.rows != "" {
			decodeRows(&val, v, f, limits)
			continue
		}
		if raw, ok := v[f.name]; ok || f.v.Kind() == reflect.Bool {
			if !decodeValue(f.v, f.name, raw) {
				val.Add(f.name, cmp.Or(limits[f.name].Invalid, "field.number"))
			}
		}
	}
	return val.Err()
}

// decodeValue sets fv from the values of its input; false when they do
// not parse.
func decodeValue(fv reflect.Value, name string, vals []string) bool {
	raw := ""
	if len(vals) > 0 {
		raw = vals[0]
	}
	if fv.Addr().Type().Implements(textType) {
		return fv.Addr().Interface().(encoding.TextUnmarshaler).UnmarshalText([]byte(raw)) == nil
	}
	switch fv.Kind() {
	case reflect.String:
		fv.SetString(raw)
	case reflect.Bool:
		fv.SetBool(raw == "1" || raw == "true" || raw == "on")
	case reflect.Int, reflect.Int64:
		n, ok := formInt(raw, name, fv.Kind() == reflect.Int64)
		fv.SetInt(n)
		return ok || name == "version"
	case reflect.Pointer:
		if strings.TrimSpace(raw) == "" {
			return true
		}
		p := reflect.New(fv.Type().Elem())
		if !decodeValue(p.Elem(), name, vals) {
			return false
		}
		fv.Set(p)
	case reflect.Float64:
		x, err := strconv.ParseFloat(strings.TrimSpace(bs.ASCIIDigits(raw)), 64)
		fv.SetFloat(x)
		return err == nil
	case reflect.Slice:
		if fv.Type().Elem().Kind() == reflect.String {
			var out []string
			for _, s := range vals {
				if strings.TrimSpace(s) != "" {
					out = append(out, s)
				}
			}
			fv.Set(reflect.ValueOf(out))
		}
	}
	return true
}

// decodeRows reads the non-empty rows of a repeated group; a field of row
// i that does not parse is refused as members[i].age, the name Apply gives
// its own problems.
func decodeRows(val *leoc.Validation, v url.Values, f formField, limits leoc.Limits) {
	rows := reflect.MakeSlice(f.v.Type(), 0, 0)
	for _, row := range formRows(v, f.rows, rowColumns(f.v.Type().Elem()), 0) {
		if len(row.Fields) == 0 {
			continue
		}
		rv, values := reflect.New(f.v.Type().Elem()), url.Values{}
		for k, s := range row.Fields {
			values.Set(k, s)
		}
		if e, ok := leoc.AsError(decodeForm(values, rv.Interface(), limits)); ok {
			for k, m := range e.Fields {
				val.Add(f.name+"["+strconv.Itoa(row.Index)+"]."+k, m.Key, m.Args...)
			}
		}
		rows = reflect.Append(rows, rv.Elem())
	}
	f.v.Set(rows)
}

// rowColumns are the input names of one repeated row's fields.
func rowColumns(t reflect.Type) []string {
	var cols []string
	for _, f := range formFields(reflect.New(t).Elem()) {
		cols = append(cols, f.name)
	}
	return cols
}

// formInt reads a whole number, Devanagari digits accepted; "" is 0. A
// record number (name …_id) may be typed "#12". A count (grouped) may be
// typed with commas; one too large to hold reads as the largest number,
// which the register's own limit then refuses with its message.
func formInt(raw, name string, grouped bool) (int64, bool) {
	raw = strings.TrimSpace(bs.ASCIIDigits(raw))
	if strings.HasSuffix(name, "_id") {
		raw, grouped = strings.TrimPrefix(raw, "#"), false
	}
	if grouped {
		raw = strings.ReplaceAll(raw, ",", "")
	}
	if raw == "" {
		return 0, true
	}
	n, err := strconv.ParseInt(raw, 10, 64)
	if grouped && errors.Is(err, strconv.ErrRange) && !strings.HasPrefix(raw, "-") {
		return math.MaxInt64, true
	}
	return n, err == nil
}

// encodeForm is the form values of an Input, by the same tags.
func encodeForm(src any) url.Values {
	v := url.Values{}
	for _, f := range formFields(reflect.Indirect(reflect.ValueOf(src))) {
		if f.rows == "" {
			v[f.name] = encodeValue(f.v, f.name)
			continue
		}
		cols := rowColumns(f.v.Type().Elem())
		for i := range f.v.Len() {
			row := encodeForm(f.v.Index(i).Addr().Interface())
			for _, c := range cols {
				v.Add(f.rows+"_"+c, row.Get(c))
			}
		}
	}
	for k, vals := range v {
		if len(vals) == 0 {
			delete(v, k)
		}
	}
	return v
}

// encodeValue is the input values of one field; none for an empty one.
func encodeValue(fv reflect.Value, name string) []string {
	if m, ok := fv.Interface().(encoding.TextMarshaler); ok {
		b, _ := m.MarshalText() // the Inputs' text types cannot fail
		if len(b) == 0 {
			return nil
		}
		return []string{string(b)}
	}
	switch fv.Kind() {
	case reflect.String:
		return []string{fv.String()}
	case reflect.Bool:
		if fv.Bool() {
			return []string{"1"}
		}
	case reflect.Int, reflect.Int64:
		if n := fv.Int(); n != 0 || name == "version" {
			return []string{strconv.FormatInt(n, 10)}
		}
	case reflect.Float64:
		return []string{strconv.FormatFloat(fv.Float(), 'f', -1, 64)}
	case reflect.Pointer:
		if fv.IsNil() {
			return nil
		}
		if e := fv.Elem(); e.CanInt() {
			return []string{strconv.FormatInt(e.Int(), 10)} // a count given as 0 shows 0
		}
		return encodeValue(fv.Elem(), name)
	case reflect.Slice:
		if fv.Type().Elem().Kind() == reflect.String {
			return append([]string(nil), fv.Interface().([]string)...)
		}
	}
	return nil
}

// inputVersion is the "version" an Input carries (0 when none).
func inputVersion(in any) int {
	for _, f := range formFields(reflect.Indirect(reflect.ValueOf(in))) {
		if f.name == "version" && f.v.Kind() == reflect.Int {
			return int(f.v.Int())
		}
	}
	return 0
}

// joinFieldErrors joins the fields a form could not read (parsed) with the
// problems validation found (err), so every field's problem shows at once;
// a field's first problem wins. An err that is not a validation is
// returned alone.
func joinFieldErrors(parsed, err error) error {
	p, ok := leoc.AsError(parsed)
	if !ok || len(p.Fields) == 0 {
		return err
	}
	v := leoc.Validation{Fields: maps.Clone(p.Fields)}
	if e, ok := leoc.AsError(err); ok && e.Code == leoc.EInvalid {
		for k, m := range e.Fields {
			v.Add(k, m.Key, m.Args...)
		}
	} else if err != nil {
		return err
	}
	return v.Err()
}
