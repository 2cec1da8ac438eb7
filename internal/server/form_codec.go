package server

import (
	"encoding"
	"errors"
	"maps"
	"math"
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
// *int64 (empty = null; an int64 is a count and may be typed grouped,
// "1,000"), *float64 (empty = null), bool, []string (a repeated field;
// empty values dropped) and types that read and write themselves as text
// (encoding.TextUnmarshaler, such as leoc.AmountInput, which Apply checks).
// A number that does not read is refused on its field with "field.number",
// or with the message the field's `invalid:"key"` tag names (a ward is a
// choice, a coordinate has its own message).

// formName is the form (and JSON) name of a struct field; "" to skip it.
func formName(f reflect.StructField) string {
	if !f.IsExported() {
		return ""
	}
	name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
	if name == "-" {
		return ""
	}
	return name
}

// formFields are the named fields of an Input struct, those of embedded
// structs included.
func formFields(rv reflect.Value) (names []string, fields []reflect.Value) {
	for i := range rv.NumField() {
		sf := rv.Type().Field(i)
		if sf.Anonymous && sf.Type.Kind() == reflect.Struct {
			n, f := formFields(rv.Field(i))
			names, fields = append(names, n...), append(fields, f...)
		} else if name := formName(sf); name != "" {
			names, fields = append(names, name), append(fields, rv.Field(i))
		}
	}
	return names, fields
}

// decodeForm fills dst (a pointer to an Input struct) from form values. A
// number that does not parse is refused on its field; "version" reads as 0
// instead, which the edit check answers with its own message.
func decodeForm(v url.Values, dst any) error {
	var val leoc.Validation
	rv := reflect.ValueOf(dst).Elem()
	names, fields := formFields(rv)
	for i, name := range names {
		fv, raw := fields[i], v.Get(name)
		if ok := decodeField(fv, name, raw, v[name]); !ok && name != "version" {
			val.Add(name, invalidKey(rv.Type(), name))
		}
	}
	return val.Err()
}

// decodeField sets one field from its form value(s); false when a number
// does not read.
func decodeField(fv reflect.Value, name, raw string, all []string) bool {
	if tu, ok := fv.Addr().Interface().(encoding.TextUnmarshaler); ok {
		return tu.UnmarshalText([]byte(raw)) == nil
	}
	switch fv.Kind() {
	case reflect.String:
		fv.SetString(raw)
	case reflect.Bool:
		fv.SetBool(raw == "1" || raw == "true" || raw == "on")
	case reflect.Int, reflect.Int64:
		n, ok := formInt(raw, fv.Kind() == reflect.Int64)
		fv.SetInt(n)
		return ok
	case reflect.Pointer:
		if strings.TrimSpace(raw) == "" {
			return true
		}
		p := reflect.New(fv.Type().Elem())
		switch p.Elem().Kind() {
		case reflect.Int, reflect.Int64:
			n, ok := formInt(raw, p.Elem().Kind() == reflect.Int64)
			if !ok {
				return false
			}
			p.Elem().SetInt(n)
		case reflect.Float64:
			x, err := strconv.ParseFloat(strings.TrimSpace(bs.ASCIIDigits(raw)), 64)
			if err != nil {
				return false
			}
			p.Elem().SetFloat(x)
		default:
			return true
		}
		fv.Set(p)
	case reflect.Slice:
		if fv.Type().Elem().Kind() != reflect.String {
			return true
		}
		var out []string
		for _, s := range all {
			if strings.TrimSpace(s) != "" {
				out = append(out, s)
			}
		}
		fv.Set(reflect.ValueOf(out))
	}
	return true
}

// invalidKey is the message for a value of the named field that does not
// read: the field's `invalid` tag, else "field.number".
func invalidKey(t reflect.Type, name string) string {
	for i := range t.NumField() {
		sf := t.Field(i)
		if sf.Anonymous && sf.Type.Kind() == reflect.Struct {
			if k := invalidKey(sf.Type, name); k != "field.number" {
				return k
			}
		} else if formName(sf) == name {
			if k := sf.Tag.Get("invalid"); k != "" {
				return k
			}
		}
	}
	return "field.number"
}

// formInt reads a whole number, Devanagari digits accepted; "" is 0. A
// count (grouped) may be typed with commas; one too large to hold reads as
// the largest number, which the register's own limit then refuses with its
// message.
func formInt(raw string, grouped bool) (int64, bool) {
	raw = strings.TrimSpace(bs.ASCIIDigits(raw))
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
	names, fields := formFields(reflect.Indirect(reflect.ValueOf(src)))
	for i, name := range names {
		if s, ok := encodeField(fields[i], name); ok {
			v.Set(name, s)
		} else if fv := fields[i]; fv.Kind() == reflect.Slice && fv.Type().Elem().Kind() == reflect.String {
			v[name] = append([]string(nil), fv.Interface().([]string)...)
		}
	}
	return v
}

// encodeField is one field's form value; false when it has none.
func encodeField(fv reflect.Value, name string) (string, bool) {
	if tm, ok := fv.Interface().(encoding.TextMarshaler); ok {
		b, err := tm.MarshalText()
		return string(b), err == nil && len(b) > 0
	}
	switch fv.Kind() {
	case reflect.String:
		return fv.String(), true
	case reflect.Bool:
		return "1", fv.Bool()
	case reflect.Int, reflect.Int64:
		n := fv.Int()
		return strconv.FormatInt(n, 10), n != 0 || name == "version"
	case reflect.Pointer:
		if fv.IsNil() {
			return "", false
		}
		switch e := fv.Elem(); e.Kind() {
		case reflect.Int, reflect.Int64:
			return strconv.FormatInt(e.Int(), 10), true
		case reflect.Float64:
			return strconv.FormatFloat(e.Float(), 'f', -1, 64), true
		}
	}
	return "", false
}

// inputVersion is the "version" an Input carries (0 when none).
func inputVersion(in any) int {
	names, fields := formFields(reflect.Indirect(reflect.ValueOf(in)))
	for i, name := range names {
		if name == "version" && fields[i].Kind() == reflect.Int {
			return int(fields[i].Int())
		}
	}
	return 0
}

// joinFieldErrors joins the fields a form could not read (parsed) with the
// problems validation found (err), so every field's problem shows at once;
// a field's first problem wins.
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
