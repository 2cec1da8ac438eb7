package server

import (
	"net/http"
	"strconv"
	"strings"
	"testing"

	"leoc/internal/auth"
	"leoc/internal/leoc"
	"leoc/internal/must"
	"leoc/internal/store"
)

const incidentBody = `{"date_bs":"2082-10-15","time":"02:10","type":"landslide","ward":3,"tole":"बिष्खेत",
	"latitude":29.4512,"longitude":81.0123,"description":"Landslide after heavy rain",
	"deaths_male":1,"deaths_female":1,"injured":3,"affected_households":4,"houses_destroyed":1,
	"livestock_lost_goats_sheep":6,"road_blocked":true,"estimated_loss":"1,25,000.50"}`

// limitedUser adds an officer limited to wards and returns their token.
func (e *testEnv) limitedUser(name string, wards ...int) string {
	e.t.Helper()
	u := &leoc.User{Username: name, Role: leoc.RoleOfficer, Wards: wards}
	hash := must.Get(auth.HashPassword(testPassword))(e.t)
	if err := e.st.CreateUser(e.t.Context(), store.SystemActor, u, hash); err != nil {
		e.t.Fatal(err)
	}
	return e.newToken(u)
}

func (e *testEnv) setUnlockKey() {
	e.t.Helper()
	hash := must.Get(auth.HashPassword("the-unlock-key-77"))(e.t)
	if err := e.st.SetUnlockKey(e.t.Context(), store.SystemActor, hash); err != nil {
		e.t.Fatal(err)
	}
}

func (e *testEnv) unlockIncident(id string) {
	e.t.Helper()
	w := e.do(req{method: "POST", path: "/api/v1/incidents/" + id + "/unlock", token: e.tokens[leoc.RoleAdmin], body: `{"key":"the-unlock-key-77","reason":"correct a figure"}`})
	if w.Code != http.StatusOK {
		e.t.Fatalf("unlock: %d %s", w.Code, w.Body.String())
	}
}

func TestIncidentAPI(t *testing.T) {
	each(t, func(t *testing.T, e *testEnv) {
		officer, viewer, finance := e.tokens[leoc.RoleOfficer], e.tokens[leoc.RoleViewer], e.tokens[leoc.RoleFinance]
		w := e.do(req{method: "POST", path: "/api/v1/incidents", body: incidentBody, token: officer})
		if w.Code != http.StatusCreated {
			t.Fatalf("create: %d %s", w.Code, w.Body.String())
		}
		m := decodeBody(t, w)
		want := map[string]any{"type": "landslide", "date_bs": "2082-10-15", "date_ad": "2026-01-29", "fiscal_year": "2082/83", "ward": 3.0,
			"tole": "बिष्खेत", "latitude": 29.4512, "longitude": 81.0123, "deaths": 2.0, "deaths_male": 1.0, "injured": 3.0, "injured_male": 0.0,
			"missing": 0.0, "affected_people": 0.0, "affected_households": 4.0, "houses_damaged": 0.0, "houses_destroyed": 1.0,
			"livestock_lost_goats_sheep": 6.0, "estimated_loss": "125000.50", "road_blocked": true, "electricity_cut": false,
			"communication_cut": false, "water_disrupted": false, "locked": true, "version": 1.0, "created_by": "officer1"}
		for k, v := range want {
			if m[k] != v {
				t.Errorf("created %s = %v, want %v", k, m[k], v)
			}
		}
		id := strconv.Itoa(int(m["id"].(float64)))
		if w.Header().Get("Location") != "/api/v1/incidents/"+id {
			t.Errorf("Location %q", w.Header().Get("Location"))
		}
		// The operations log got its entry.
		logs := decodeBody(t, e.do(req{method: "GET", path: "/api/v1/event-logs", token: viewer}))
		items := logs["items"].([]any)
		if len(items) != 1 || items[0].(map[string]any)["incident_id"] != m["id"] || items[0].(map[string]any)["type"] != "incident_report" {
			t.Fatalf("operations log: %v", logs)
		}
		for _, tok := range []string{viewer, finance} {
			if w := e.do(req{method: "POST", path: "/api/v1/incidents", body: incidentBody, token: tok}); w.Code != http.StatusForbidden {
				t.Fatalf("create without permission: %d", w.Code)
			}
		}
		if w := e.do(req{method: "GET", path: "/api/v1/incidents/" + id, token: viewer}); w.Code != 200 || decodeBody(t, w)["tole"] != "बिष्खेत" {
			t.Fatalf("get: %d %s", w.Code, w.Body.String())
		}
		// A ward secretary: other wards refused on create, own ward by default in lists.
		ward5 := e.limitedUser("ward5", 5)
		if w := e.do(req{method: "POST", path: "/api/v1/incidents", body: incidentBody, token: ward5}); w.Code != http.StatusForbidden || errorCode(t, w) != leoc.EForbidden {
			t.Fatalf("create in another ward: %d %s", w.Code, w.Body.String())
		}
		if w := e.do(req{method: "POST", path: "/api/v1/incidents", token: ward5, body: strings.Replace(incidentBody, `"ward":3`, `"ward":5`, 1)}); w.Code != http.StatusCreated {
			t.Fatalf("create in own ward: %d %s", w.Code, w.Body.String())
		}
		for path, total := range map[string]float64{
			"/api/v1/incidents":                                      1,
			"/api/v1/incidents?ward=3&ward=5":                        2,
			"/api/v1/incidents?ward=3,5&type=landslide&fy=2082/83":   2,
			"/api/v1/incidents?ward=3&type=flood":                    0,
			"/api/v1/incidents?ward=3&from=२०८२-१०-१५&to=2082-10-15": 1,
			"/api/v1/incidents?ward=3&ward=5&q=बिष्खेत&sort=loss":    2,
		} {
			w := e.do(req{method: "GET", path: path, token: ward5})
			if w.Code != 200 || decodeBody(t, w)["total"] != total {
				t.Errorf("%s: %d %s", path, w.Code, w.Body.String())
			}
		}
		if w := e.do(req{method: "GET", path: "/api/v1/incidents?from=2082-13-01", token: viewer}); w.Code != http.StatusBadRequest {
			t.Errorf("bad date filter: %d", w.Code)
		}
		// Locked: 403 with the way out; another ward: 403 other_ward.
		put := strings.Replace(incidentBody, `"tole":"बिष्खेत"`, `"tole":"Kholi","version":1`, 1)
		w = e.do(req{method: "PUT", path: "/api/v1/incidents/" + id, token: officer, body: put, header: map[string]string{"Accept-Language": "en"}})
		if w.Code != http.StatusForbidden || errorCode(t, w) != leoc.ELocked || !strings.Contains(w.Body.String(), "locked") {
			t.Fatalf("edit locked: %d %s", w.Code, w.Body.String())
		}
		if w := e.do(req{method: "DELETE", path: "/api/v1/incidents/" + id, token: officer}); w.Code != http.StatusForbidden || errorCode(t, w) != leoc.ELocked {
			t.Fatalf("delete locked: %d", w.Code)
		}
		e.setUnlockKey()
		e.unlockIncident(id)
		if w := e.do(req{method: "PUT", path: "/api/v1/incidents/" + id, token: ward5, body: put}); w.Code != http.StatusForbidden || errorCode(t, w) != leoc.EForbidden {
			t.Fatalf("edit another ward: %d %s", w.Code, w.Body.String())
		}
		if w := e.do(req{method: "PUT", path: "/api/v1/incidents/" + id, token: officer, body: incidentBody}); w.Code != http.StatusBadRequest {
			t.Fatalf("update without version: %d", w.Code)
		}
		w = e.do(req{method: "PUT", path: "/api/v1/incidents/" + id, token: officer, body: put})
		if m := decodeBody(t, w); w.Code != 200 || m["locked"] != true || m["version"] != 2.0 || m["tole"] != "Kholi" || m["updated_by"] != "officer1" {
			t.Fatalf("update: %d %s", w.Code, w.Body.String())
		}
		e.unlockIncident(id)
		if w := e.do(req{method: "PUT", path: "/api/v1/incidents/" + id, token: officer, body: put}); w.Code != http.StatusConflict || errorCode(t, w) != leoc.EConflict {
			t.Fatalf("stale update: %d %s", w.Code, w.Body.String())
		}
		if w := e.do(req{method: "DELETE", path: "/api/v1/incidents/" + id, token: ward5}); w.Code != http.StatusForbidden {
			t.Fatalf("delete another ward: %d", w.Code)
		}
		if w := e.do(req{method: "DELETE", path: "/api/v1/incidents/" + id, token: officer}); w.Code != http.StatusNoContent {
			t.Fatalf("delete: %d %s", w.Code, w.Body.String())
		}
		if w := e.do(req{method: "GET", path: "/api/v1/incidents/" + id, token: viewer}); w.Code != http.StatusNotFound {
			t.Fatalf("deleted: %d", w.Code)
		}
		if diffs, err := e.st.VerifyIncidentStats(t.Context()); err != nil || len(diffs) > 0 {
			t.Fatalf("statistics: %v %v", err, diffs)
		}
	})
}

// TestIncidentBadInput: every kind of bad input is a 400 that names the
// field, in the user's language, and nothing is written.
func TestIncidentBadInput(t *testing.T) {
	each(t, func(t *testing.T, e *testEnv) {
		officer := e.tokens[leoc.RoleOfficer]
		edit := func(old, new string) string {
			if !strings.Contains(incidentBody, old) {
				t.Fatalf("test body has no %q", old)
			}
			return strings.Replace(incidentBody, old, new, 1)
		}
		long := strings.Repeat("क", 201)
		for _, c := range []struct {
			name, body, contentType string
			fields                  []string
		}{
			{name: "negative count", body: edit(`"injured":3`, `"injured":-1`), fields: []string{"injured"}},
			{name: "negative split", body: edit(`"deaths_male":1`, `"deaths_male":-2`), fields: []string{"deaths_male"}},
			{name: "count too large", body: edit(`"injured":3`, `"injured":10000001`), fields: []string{"injured"}},
			{name: "total below its split", body: edit(`"injured":3`, `"injured":3,"injured_female":4`), fields: []string{"injured"}},
			{name: "day 33", body: edit(`"2082-10-15"`, `"2082-10-33"`), fields: []string{"date_bs"}},
			{name: "month 13", body: edit(`"2082-10-15"`, `"२०८२-१३-०१"`), fields: []string{"date_bs"}},
			{name: "outside the calendar", body: edit(`"2082-10-15"`, `"2100-01-01"`), fields: []string{"date_bs"}},
			{name: "no date", body: edit(`"2082-10-15"`, `""`), fields: []string{"date_bs"}},
			{name: "bad time", body: edit(`"02:10"`, `"25:00"`), fields: []string{"time"}},
			{name: "unknown type", body: edit(`"landslide"`, `"tsunami"`), fields: []string{"type"}},
			{name: "unknown ward", body: edit(`"ward":3`, `"ward":12`), fields: []string{"ward"}},
			{name: "no ward", body: edit(`"ward":3`, `"ward":0`), fields: []string{"ward"}},
			{name: "latitude out of range", body: edit(`29.4512`, `91`), fields: []string{"latitude"}},
			{name: "longitude out of range", body: edit(`81.0123`, `-181`), fields: []string{"longitude"}},
			{name: "latitude without longitude", body: edit(`,"longitude":81.0123`, ``), fields: []string{"longitude"}},
			{name: "tole too long", body: edit(`"बिष्खेत"`, `"`+long+`"`), fields: []string{"tole"}},
			{name: "description too long", body: edit(`"Landslide after heavy rain"`, `"`+strings.Repeat("x", 4001)+`"`), fields: []string{"description"}},
			{name: "bad amount", body: edit(`"1,25,000.50"`, `"lots"`), fields: []string{"estimated_loss"}},
			{name: "amount as a float", body: edit(`"1,25,000.50"`, `125000.5`), fields: []string{"estimated_loss"}},
			{name: "negative amount", body: edit(`"1,25,000.50"`, `"-5"`), fields: []string{"estimated_loss"}},
			{name: "amount of the wrong type", body: edit(`"1,25,000.50"`, `true`), fields: []string{"estimated_loss"}},
			{name: "amount too large", body: edit(`"1,25,000.50"`, `"100000000001"`), fields: []string{"estimated_loss"}},
			{name: "count as text", body: edit(`"injured":3`, `"injured":"3"`), fields: []string{"injured"}},
			{name: "ward as text", body: edit(`"ward":3`, `"ward":"3"`), fields: []string{"ward"}},
			{name: "unknown field", body: edit(`"injured":3`, `"injured":3,"killed":1`), fields: []string{"killed"}},
			{name: "several at once", body: edit(`"ward":3,"tole":"बिष्खेत"`, `"ward":99,"tole":"`+long+`"`), fields: []string{"ward", "tole"}},
			{name: "malformed JSON", body: `{"type":"flood",`},
			{name: "trailing data", body: incidentBody + `{}`},
			{name: "not an object", body: `[1,2]`},
			{name: "wrong content type", body: incidentBody, contentType: "text/plain"},
			{name: "form content type", body: "type=flood", contentType: "application/x-www-form-urlencoded"},
		} {
			for _, lang := range []string{"ne", "en"} {
				w := e.do(req{method: "POST", path: "/api/v1/incidents", body: c.body, contentType: c.contentType, token: officer,
					header: map[string]string{"Accept-Language": lang}})
				if w.Code != http.StatusBadRequest || errorCode(t, w) != leoc.EInvalid {
					t.Errorf("%s (%s): %d %s", c.name, lang, w.Code, w.Body.String())
					continue
				}
				fields, _ := decodeBody(t, w)["error"].(map[string]any)["fields"].(map[string]any)
				for _, f := range c.fields {
					msg, _ := fields[f].(string)
					if msg == "" || strings.Contains(msg, "incident.") {
						t.Errorf("%s (%s): no message for %s: %v", c.name, lang, f, fields)
					}
				}
			}
		}
		// The messages are in the user's language.
		body := edit(`"injured":3`, `"injured":1,"injured_male":2`)
		for lang, want := range map[string]string{"en": "male plus female (2)", "ne": "योगफल (२)"} {
			w := e.do(req{method: "POST", path: "/api/v1/incidents", body: body, token: officer, header: map[string]string{"Accept-Language": lang}})
			if !strings.Contains(w.Body.String(), want) {
				t.Errorf("%s message: %s", lang, w.Body.String())
			}
		}
		// Nothing was written anywhere.
		_, n := must.Get2(e.st.Incidents(t.Context(), store.RecordFilter{}))(t)
		logs, _ := must.Get2(e.st.EventLogs(t.Context(), store.RecordFilter{}))(t)
		st := must.Get(e.st.IncidentStats(t.Context(), store.RecordFilter{}))(t)
		if n != 0 || len(logs) != 0 || st.Totals.Incidents != 0 {
			t.Fatalf("bad input wrote something: %d incidents, %d log entries", n, len(logs))
		}
	})
}

func TestIncidentStatsAPI(t *testing.T) {
	each(t, func(t *testing.T, e *testEnv) {
		officer := e.tokens[leoc.RoleOfficer]
		for _, b := range []string{
			incidentBody,
			strings.NewReplacer(`"ward":3`, `"ward":5`, `"landslide"`, `"fire"`, `"1,25,000.50"`, `"0.75"`).Replace(incidentBody),
			strings.NewReplacer(`"2082-10-15"`, `"2081-05-01"`, `"road_blocked":true`, `"road_blocked":false`).Replace(incidentBody),
		} {
			if w := e.do(req{method: "POST", path: "/api/v1/incidents", body: b, token: officer}); w.Code != http.StatusCreated {
				t.Fatalf("create: %d %s", w.Code, w.Body.String())
			}
		}
		get := func(q string) map[string]any {
			t.Helper()
			w := e.do(req{method: "GET", path: "/api/v1/stats/incidents" + q, token: e.tokens[leoc.RoleViewer]})
			if w.Code != 200 {
				t.Fatalf("stats %s: %d %s", q, w.Code, w.Body.String())
			}
			return decodeBody(t, w)
		}
		m := get("")
		totals := m["totals"].(map[string]any)
		for k, v := range map[string]any{"incidents": 3.0, "deaths": 6.0, "deaths_male": 3.0, "injured": 9.0, "houses_destroyed": 3.0,
			"livestock_lost_goats_sheep": 18.0, "livestock_lost": 18.0, "road_blocked": 2.0, "electricity_cut": 0.0, "estimated_loss": "250001.75"} {
			if totals[k] != v {
				t.Errorf("totals %s = %v, want %v", k, totals[k], v)
			}
		}
		for _, name := range append(leoc.IncidentCountNames(), leoc.IncidentFlagNames()...) {
			if _, ok := totals[name]; !ok {
				t.Errorf("totals lack %s", name)
			}
		}
		if m["source"] != "aggregates" || len(m["by_ward"].([]any)) != 2 || len(m["by_type"].([]any)) != 2 || len(m["by_fiscal_year"].([]any)) != 2 {
			t.Fatalf("groups: %v", m)
		}
		first := m["by_fiscal_year"].([]any)[0].(map[string]any)
		if first["fiscal_year"] != "2082/83" || first["incidents"] != 2.0 || first["estimated_loss"] != "125001.25" {
			t.Errorf("by fiscal year: %v", first)
		}
		ward5 := m["by_ward"].([]any)[1].(map[string]any)
		if ward5["ward"] != 5.0 || ward5["incidents"] != 1.0 {
			t.Errorf("by ward: %v", ward5)
		}
		if m := get("?ward=5&type=fire"); m["totals"].(map[string]any)["incidents"] != 1.0 || m["source"] != "aggregates" {
			t.Errorf("filtered: %v", m)
		}
		if m := get("?from=2082-10-01&q=बिष्खेत"); m["totals"].(map[string]any)["incidents"] != 2.0 || m["source"] != "records" {
			t.Errorf("date and text filter: %v", m)
		}
		if w := e.do(req{method: "GET", path: "/api/v1/stats/incidents?fy=82", token: officer}); w.Code != http.StatusBadRequest {
			t.Errorf("bad fiscal year: %d", w.Code)
		}
	})
}
