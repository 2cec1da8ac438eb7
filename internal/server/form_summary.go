package server

import (
	"html"
	"regexp"
	"slices"
	"strings"
)

// summaryItem is one line of the error summary at the top of a refused
// form: the field's label as the page shows it, a link to the field, and
// what is wrong.
type summaryItem struct {
	Label   string
	ID      string // the field's id, "" when it has none
	Message string
	pos     int // where the field is in the page, for document order
}

var (
	fieldTag = regexp.MustCompile(`<(?:input|select|textarea)\b[^>]*>`)
	attrRe   = regexp.MustCompile(`\s([a-z-]+)="([^"]*)"`)
	tagRe    = regexp.MustCompile(`<[^>]*>`)
	// innerControls are parts of a label that are not its name.
	innerControls = regexp.MustCompile(`(?s)<select\b.*?</select>|<textarea\b.*?</textarea>`)
)

// errorSummary names each refused field by the label the person sees on
// the rendered page, in the order the fields appear. Reading the labels from
// the page (rather than from a second list of names) means every form, and
// every form added later, gets a summary that matches what is on screen.
func errorSummary(page []byte, errs map[string]string) []summaryItem {
	if len(errs) == 0 {
		return nil
	}
	doc := string(page)
	fields := map[string]summaryItem{} // by field name: the first control with that name
	for _, loc := range fieldTag.FindAllStringIndex(doc, -1) {
		attrs := tagAttrs(doc[loc[0]:loc[1]])
		name := attrs["name"]
		if _, ok := errs[name]; !ok || attrs["type"] == "hidden" {
			continue
		}
		if _, seen := fields[name]; seen {
			continue
		}
		it := summaryItem{ID: attrs["id"], pos: loc[0]}
		if it.ID != "" {
			it.Label = labelFor(doc, it.ID)
		}
		if it.Label == "" {
			it.Label = attrs["aria-label"]
		}
		if it.Label == "" {
			it.Label = enclosingLabel(doc, loc[0])
		}
		fields[name] = it
	}
	out := make([]summaryItem, 0, len(errs))
	for name, msg := range errs {
		it, ok := fields[name]
		if !ok {
			it.pos = len(doc) // a message for something that is not one field comes last
		}
		it.Message = msg
		out = append(out, it)
	}
	slices.SortStableFunc(out, func(a, b summaryItem) int {
		if a.pos != b.pos {
			return a.pos - b.pos
		}
		return strings.Compare(a.Message, b.Message)
	})
	return out
}

func tagAttrs(tag string) map[string]string {
	m := map[string]string{}
	for _, a := range attrRe.FindAllStringSubmatch(tag, -1) {
		if _, ok := m[a[1]]; !ok {
			m[a[1]] = html.UnescapeString(a[2])
		}
	}
	return m
}

// labelFor returns the text of <label for="id">.
func labelFor(doc, id string) string {
	i := strings.Index(doc, `<label for="`+id+`"`)
	if i < 0 {
		return ""
	}
	return labelText(doc[i:])
}

// enclosingLabel returns the text of a <label> that wraps the control at pos.
func enclosingLabel(doc string, pos int) string {
	i := strings.LastIndex(doc[:pos], "<label")
	if i < 0 || strings.Contains(doc[i:pos], "</label>") {
		return ""
	}
	return labelText(doc[i:])
}

// labelText is the text of the label starting at doc, without tags, the
// options of a select or the content of a textarea inside it.
func labelText(doc string) string {
	start := strings.IndexByte(doc, '>')
	end := strings.Index(doc, "</label>")
	if start < 0 || end <= start {
		return ""
	}
	inner := innerControls.ReplaceAllString(doc[start+1:end], " ")
	text := html.UnescapeString(tagRe.ReplaceAllString(inner, " "))
	return strings.Join(strings.Fields(text), " ")
}
