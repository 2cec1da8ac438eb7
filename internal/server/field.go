package server

import (
	"fmt"
	"html/template"
	"strings"

	"leoc/internal/leoc"
)

// fieldView is what the field partial (templates/partials/field.html)
// shows of one form field: the value and message from the page's form, the
// limit from the register's declaration.
type fieldView struct {
	Page                        *page
	ID, Name, Label, Hint, Kind string
	Value, Error, Placeholder   string
	Warning                     string // an implausible figure to confirm
	Rows                        int
	Limit                       leoc.Limit
	Options                     []choice
	Values                      []string // a repeated field's inputs
}

// DescribedBy links the input to its hint and its error.
func (f fieldView) DescribedBy() string {
	var ids []string
	if f.Hint != "" {
		ids = append(ids, f.ID+"-hint")
	}
	if f.Error != "" {
		ids = append(ids, f.ID+"-error")
	}
	return strings.Join(ids, " ")
}

// newField builds a fieldView; opts are name/value pairs: "kind" (text,
// textarea, date, time, email, decimal, count, select, repeat), "rows", "hint" (a
// catalog key), "placeholder", "options" ([]choice), "id" (when it is not
// the name).
func newField(p *page, name, label string, opts ...any) (fieldView, error) {
	f := fieldView{Page: p, ID: name, Name: name, Label: label, Kind: "text", Rows: 4,
		Value: p.Form.V(name), Error: p.Form.E(name), Warning: p.Form.W(name)}
	if p.Form != nil {
		f.Limit = p.Form.Limits[name]
	}
	if len(opts)%2 != 0 {
		return f, fmt.Errorf("field %s: options must be pairs", name)
	}
	for i := 0; i < len(opts); i += 2 {
		switch k, v := opts[i], opts[i+1]; k {
		case "kind":
			f.Kind, _ = v.(string)
		case "rows":
			f.Rows, _ = v.(int)
		case "hint":
			f.Hint, _ = v.(string)
		case "placeholder":
			f.Placeholder, _ = v.(string)
		case "options":
			f.Options, _ = v.([]choice)
		case "id":
			f.ID, _ = v.(string)
		default:
			return f, fmt.Errorf("field %s: unknown option %v", name, k)
		}
	}
	if f.Kind == "repeat" {
		if p.Form != nil && p.Form.Values != nil {
			f.Values = append(f.Values, p.Form.Values[name]...)
		}
		// One empty input more than the values, two at least.
		f.Values = append(f.Values, "")
		if len(f.Values) < 2 {
			f.Values = append(f.Values, "")
		}
	}
	return f, nil
}

// Attrs are the attributes of the limit the register declares for a field
// (required, maxlength, min, max), for an input a template writes itself
// rather than through the field partial.
func (f *form) Attrs(name string) template.HTMLAttr {
	if f == nil {
		return ""
	}
	lim, parts := f.Limits[name], []string(nil)
	if lim.Required {
		parts = append(parts, "required")
	}
	if lim.MaxLen > 0 {
		parts = append(parts, fmt.Sprintf(`maxlength="%d"`, lim.MaxLen))
	}
	if lim.Min != 0 || lim.Max != 0 {
		parts = append(parts, fmt.Sprintf(`min="%d" max="%d"`, lim.Min, lim.Max))
	}
	return template.HTMLAttr(strings.Join(parts, " ")) // #nosec G203 -- numbers and words of our own declaration
}
