package server

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"leoc/internal/store/storetest"
)

var (
	summaryItemRe = regexp.MustCompile(`(?s)<li>(.*?)</li>`)
	summaryLinkRe = regexp.MustCompile(`^<a href="#([^"]+)">([^<]+)</a>: (.+)$`)
)

// summaryOf returns the error summary's lines of a page.
func summaryOf(t *testing.T, page string) []string {
	t.Helper()
	i := strings.Index(page, `id="error-summary"`)
	if i < 0 {
		t.Fatalf("no error summary in the page")
	}
	block := page[i:]
	block = block[:strings.Index(block, "</div>")]
	var out []string
	for _, m := range summaryItemRe.FindAllStringSubmatch(block, -1) {
		out = append(out, m[1])
	}
	return out
}

// TestErrorSummary submits every record form empty: the answer is a 422
// whose summary names each refused field by its label, links to it, and
// every field refused as missing is marked required on the blank form.
func TestErrorSummary(t *testing.T) {
	e := newEnv(t, storetest.Backends()[0])
	cookies, csrf := e.login("admin1")
	// Fields needed only in some cases, so not marked required on the blank form.
	conditional := map[string]bool{
		"/distributions disaster_type": true, "/distributions disaster_date_bs": true, // only without an incident
	}
	forms := []struct{ page, action string }{
		{"/incidents/new", "/incidents"},
		{"/event-logs/new", "/event-logs"},
		{"/situation-reports/new", "/situation-reports"},
		{"/advisories/new", "/advisories"},
		{"/beneficiaries/new", "/beneficiaries"},
		{"/distributions/new", "/distributions"},
		{"/users/new", "/users"},
		{"/funds", "/funds"},
	}
	en := map[string]string{"Accept-Language": "en"}
	for _, f := range forms {
		t.Run(f.action, func(t *testing.T) {
			blank := e.do(req{method: "GET", path: f.page, cookies: cookies, header: en}).Body.String()
			w := e.do(req{method: "POST", path: f.action, cookies: cookies, header: en,
				body: url.Values{"csrf_token": {csrf}}.Encode()})
			if w.Code != http.StatusUnprocessableEntity {
				t.Fatalf("empty form: %d, want 422", w.Code)
			}
			page := w.Body.String()
			lines := summaryOf(t, page)
			if len(lines) == 0 {
				t.Fatalf("the summary lists no field")
			}
			for _, l := range lines {
				m := summaryLinkRe.FindStringSubmatch(l)
				if m == nil {
					t.Errorf("summary line %q does not name a field by its label with a link", l)
					continue
				}
				id, label, msg := m[1], m[2], m[3]
				if !strings.Contains(page, `id="`+id+`"`) {
					t.Errorf("summary links to #%s, which is not in the page", id)
				}
				if strings.Contains(label, ".") && !strings.Contains(label, " ") {
					t.Errorf("label %q looks like a message key", label)
				}
				if msg != "This field is required." {
					continue
				}
				name := fieldName(page, id)
				if conditional[f.action+" "+name] {
					continue
				}
				if !controlRequired(blank, name) {
					t.Errorf("%s (%s) is refused as missing but not marked required on the blank form", name, label)
				}
			}
		})
	}
}

// fieldName is the name of the control with this id.
func fieldName(page, id string) string {
	for _, tag := range fieldTag.FindAllString(page, -1) {
		if a := tagAttrs(tag); a["id"] == id {
			return a["name"]
		}
	}
	return ""
}

func controlRequired(page, name string) bool {
	for _, tag := range fieldTag.FindAllString(page, -1) {
		if a := tagAttrs(tag); a["name"] == name {
			_, req := a["required"]
			return req || a["aria-required"] == "true" || strings.Contains(tag, " required")
		}
	}
	return false
}

func TestErrorSummaryOrderAndLabels(t *testing.T) {
	doc := []byte(`<form><label for="f-b">Bee &amp; co</label><input id="f-b" name="b" required>
<label>Wrapped <input name="c"></label><select name="a" id="a" aria-label="Aye"></select><input type="hidden" name="z"></form>`)
	got := errorSummary(doc, map[string]string{"a": "bad a", "b": "bad b", "c": "bad c", "items": "whole list"})
	want := []summaryItem{{Label: "Bee & co", ID: "f-b", Message: "bad b"}, {Label: "Wrapped", Message: "bad c"},
		{Label: "Aye", ID: "a", Message: "bad a"}, {Message: "whole list"}}
	if len(got) != len(want) {
		t.Fatalf("got %d items, want %d: %+v", len(got), len(want), got)
	}
	for i := range want {
		g := got[i]
		g.pos = 0
		if g != want[i] {
			t.Errorf("item %d: got %+v, want %+v", i, g, want[i])
		}
	}
}
