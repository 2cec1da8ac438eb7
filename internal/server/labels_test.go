package server

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"leoc/internal/bs"
	"leoc/internal/demo"
	"leoc/internal/leoc"
	"leoc/internal/store"
	"leoc/internal/store/storetest"
)

// TestEveryControlLabelled opens every HTML page of the routes table as the
// administrator, with records in every register, in both languages, and
// fails on any input, select or textarea that has neither a <label> nor an
// aria-label: a screen reader (and the error summary) would have no name for it.
func TestEveryControlLabelled(t *testing.T) {
	e := newEnv(t, storetest.Backends()[0])
	ctx := t.Context()
	opts := demo.Options{Incidents: 3, Seed: 1, Now: time.Date(2026, 1, 29, 10, 0, 0, 0, time.UTC)}
	if err := demo.Incidents(ctx, e.st, bs.Default(), opts); err != nil {
		t.Fatal(err)
	}
	if err := demo.Distributions(ctx, e.st, bs.Default(), 3, opts); err != nil {
		t.Fatal(err)
	}
	officer := e.tokens[leoc.RoleOfficer]
	for path, body := range map[string]string{
		"/api/v1/event-logs":        `{"date_bs":"2082-10-15","time":"14:30","type":"assessment","description":"Damage assessment","location":"Kholi"}`,
		"/api/v1/situation-reports": `{"date_bs":"2082-10-15","time":"18:00","summary":"Flood in Kholi"}`,
		"/api/v1/advisories":        `{"title":"Heavy rain","content":"Stay away from rivers.","type":"weather","priority":"high","valid_from":"2026-01-29T06:00:00+05:45"}`,
		"/api/v1/ssf-beneficiaries": sitaJSON,
	} {
		if w := e.do(req{method: "POST", path: path, token: officer, body: body}); w.Code != http.StatusCreated {
			t.Fatalf("%s: %d %s", path, w.Code, w.Body.String())
		}
	}
	// Records lock when saved: open them so the edit forms are checked too.
	for _, reg := range e.st.Registers() {
		if err := e.st.SetLocked(ctx, store.SystemActor, e.users[leoc.RoleAdmin], reg.Name, 1, false, "label test"); err != nil {
			t.Logf("unlock %s 1: %v", reg.Name, err)
		}
	}
	cookies, _ := e.login("admin1")
	ids := map[string]string{"/users/{id}": idString(e.users[leoc.RoleOfficer].ID)}
	checked := 0
	for _, rt := range e.s.routes {
		method, path, _ := strings.Cut(rt.pattern, " ")
		if method != "GET" || rt.isAPI() || strings.HasPrefix(path, "/static/") || strings.Contains(path, "{file}") ||
			strings.HasSuffix(path, ".csv") || strings.HasSuffix(path, ".xlsx") || strings.HasPrefix(path, "/files/") {
			continue
		}
		if id, ok := ids[path]; ok {
			path = strings.Replace(path, "{id}", id, 1)
		}
		path = strings.Replace(strings.Replace(path, "{id}", "1", 1), "{$}", "", 1)
		for _, lang := range []string{"ne", "en"} {
			w := e.do(req{method: "GET", path: path, cookies: cookies, header: map[string]string{"Accept-Language": lang}})
			if !strings.HasPrefix(w.Header().Get("Content-Type"), "text/html") {
				continue
			}
			if w.Code != http.StatusOK {
				t.Logf("%s: %d (not checked)", path, w.Code)
				continue
			}
			checked++
			page := w.Body.String()
			for _, loc := range fieldTag.FindAllStringIndex(page, -1) {
				tag := page[loc[0]:loc[1]]
				a := tagAttrs(tag)
				if a["type"] == "hidden" || a["type"] == "submit" || a["type"] == "button" {
					continue
				}
				if a["aria-label"] != "" || a["aria-labelledby"] != "" || (a["id"] != "" && labelFor(page, a["id"]) != "") ||
					enclosingLabel(page, loc[0]) != "" {
					continue
				}
				t.Errorf("%s (%s): a control without a label: %s", path, lang, tag)
			}
		}
	}
	if checked < 30 {
		t.Errorf("only %d pages checked; the walk is broken", checked)
	}
}
