package server

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"leoc/internal/leoc"
)

// TestIncidentSearch: the picker's search mode finds incidents by ward,
// disaster type (either language), BS year/month/day, tole and record
// number, names each in the caller's language, and keeps a ward-limited
// user to their wards.
func TestIncidentSearch(t *testing.T) {
	each(t, func(t *testing.T, e *testEnv) {
		admin := e.tokens[leoc.RoleAdmin]
		for _, body := range []string{
			`{"date_bs":"2082-05-03","type":"flood","ward":4,"tole":"कोटफेरा"}`,
			`{"date_bs":"2082-06-10","type":"landslide","ward":3,"tole":"बिष्खेत"}`,
			`{"date_bs":"2082-05-20","type":"fire","ward":4,"tole":"Kholi"}`,
		} {
			if w := e.do(req{method: "POST", path: "/api/v1/incidents", body: body, token: admin}); w.Code != http.StatusCreated {
				t.Fatalf("create: %d %s", w.Code, w.Body.String())
			}
		}
		limited := e.limitedUser("ward3", 3)
		cases := []struct {
			search, token, lang string
			ids                 []float64
			label               string
		}{
			{"४ बाढी", admin, "ne", []float64{1}, "#१ · २०८२-०५-०३ · बाढी · वडा नं. ४ · कोटफेरा"},
			{"ward 4", admin, "en", []float64{3, 1}, "Ward 4"},
			{"fire 2082-05", admin, "en", []float64{3}, "#3 · 2082-05-20 · Fire · Ward 4 · Kholi"},
			{"पहिरो", admin, "ne", []float64{2}, "पहिरो"},
			{"land", admin, "en", []float64{2}, "Landslide"},
			{"२०८२-०६-१०", admin, "ne", []float64{2}, ""},
			{"2082", admin, "en", []float64{2, 3, 1}, ""},
			{"kholi", admin, "en", []float64{3}, ""},
			{"#2", admin, "en", []float64{2}, "#2"},
			{"#99", admin, "en", nil, ""},
			{"बाढी", limited, "ne", nil, ""},
			{"पहिरो", limited, "ne", []float64{2}, ""},
		}
		for _, c := range cases {
			w := e.do(req{method: "GET", path: "/api/v1/incidents?search=" + url.QueryEscape(c.search), token: c.token,
				header: map[string]string{"Accept-Language": c.lang}})
			if w.Code != 200 {
				t.Errorf("%q: %d %s", c.search, w.Code, w.Body.String())
				continue
			}
			items, _ := decodeBody(t, w)["items"].([]any)
			var ids []float64
			labels := ""
			for _, it := range items {
				m := it.(map[string]any)
				ids = append(ids, m["id"].(float64))
				labels += m["label"].(string) + "\n"
			}
			if len(ids) != len(c.ids) || (len(ids) > 0 && ids[0] != c.ids[0]) || !strings.Contains(labels, c.label) {
				t.Errorf("%q finds %v %q, want %v with %q", c.search, ids, labels, c.ids, c.label)
			}
		}
		// A bad BS date is a 400 in the caller's language, never a 500.
		if w := e.do(req{method: "GET", path: "/api/v1/incidents?search=2082-13-40", token: admin}); w.Code != 200 {
			t.Errorf("impossible date: %d", w.Code)
		}
		if w := e.do(req{method: "GET", path: "/api/v1/incidents?search=x&per_page=500", token: admin}); w.Code != http.StatusBadRequest {
			t.Errorf("per_page=500: %d", w.Code)
		}
		// Without JavaScript the form has a plain number field and names
		// the incident already chosen.
		cookies, _ := e.login("officer1")
		w := e.do(req{method: "GET", path: "/distributions/new?incident=3", cookies: cookies, header: map[string]string{"Accept-Language": "en"}})
		body := w.Body.String()
		for _, want := range []string{`name="incident_id" value="3" inputmode="numeric"`, `data-incident-picker`, "#3 · 2082-05-20 · Fire", "record number"} {
			if !strings.Contains(body, want) {
				t.Errorf("form lacks %q", want)
			}
		}
		if strings.Contains(body, "<select id=\"f-incident_id\"") {
			t.Error("the form still lists incidents in a select")
		}
	})
}
