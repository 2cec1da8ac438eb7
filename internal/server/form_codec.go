package server

import (
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
// Inputs use: string, int and int64 (0 shows as an empty box), *int (empty
// = null), bool and []string (a repeated field; empty values dropped).

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
	names, fields := formFields(reflect.ValueOf(dst).Elem())
	for i, name := range names {
		fv, raw := fields[i], v.Get(name)
		switch fv.Kind() {
		case reflect.String:
			fv.SetString(raw)
		case reflect.Bool:
			fv.SetBool(raw == "1" || raw == "true" || raw == "on")
		case reflect.Int, reflect.Int64:
			n, ok := formInt(raw)
			if !ok && name != "version" {
				val.Add(name, "field.number")
			}
			fv.SetInt(int64(n))
		case reflect.Pointer:
			if fv.Type().Elem().Kind() != reflect.Int || strings.TrimSpace(raw) == "" {
				continue
			}
			n, ok := formInt(raw)
			if !ok {
				val.Add(name, "field.number")
				continue
			}
			p := reflect.New(fv.Type().Elem())
			p.Elem().SetInt(int64(n))
			fv.Set(p)
		case reflect.Slice:
			if fv.Type().Elem().Kind() != reflect.String {
				continue
			}
			var out []string
			for _, s := range v[name] {
				if strings.TrimSpace(s) != "" {
					out = append(out, s)
				}
			}
			fv.Set(reflect.ValueOf(out))
		}
	}
	return val.Err()
}

// formInt reads a whole number, Devanagari digits accepted; "" is 0.
func formInt(raw string) (int, bool) {
	raw = strings.TrimSpace(bs.ASCIIDigits(raw))
	if raw == "" {
		return 0, true
	}
	n, err := strconv.Atoi(raw)
	return n, err == nil
}

// encodeForm is the form values of an Input, by the same tags.
func encodeForm(src any) url.Values {
	v := url.Values{}
	names, fields := formFields(reflect.Indirect(reflect.ValueOf(src)))
	for i, name := range names {
		switch fv := fields[i]; fv.Kind() {
		case reflect.String:
			v.Set(name, fv.String())
		case reflect.Bool:
			if fv.Bool() {
				v.Set(name, "1")
			}
		case reflect.Int, reflect.Int64:
			if n := fv.Int(); n != 0 || name == "version" {
				v.Set(name, strconv.FormatInt(n, 10))
			}
		case reflect.Pointer:
			if !fv.IsNil() && fv.Elem().Kind() == reflect.Int {
				v.Set(name, strconv.FormatInt(fv.Elem().Int(), 10))
			}
		case reflect.Slice:
			if fv.Type().Elem().Kind() == reflect.String {
				v[name] = append([]string(nil), fv.Interface().([]string)...)
			}
		}
	}
	return v
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
