package server

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"leoc/internal/config"
	"leoc/internal/leoc"
	"leoc/internal/store"
	"leoc/internal/store/storetest"
)

func editWindow(d time.Duration) func(*config.Config) {
	return func(c *config.Config) { c.EditWindow = d }
}

// TestEditWindowAPI: within the window the author corrects and deletes a
// record through the API without the unlock key, and the API reports it
// open and until when; a writer of another ward still may not; after the
// window the API reports it locked and refuses changes.
func TestEditWindowAPI(t *testing.T) {
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			e := newEnv(t, b, editWindow(24*time.Hour))
			officer := e.tokens[leoc.RoleOfficer]
			ward5 := e.limitedUser("ward5", 5)
			w := e.do(req{method: "POST", path: "/api/v1/incidents", body: incidentBody, token: officer})
			if w.Code != http.StatusCreated {
				t.Fatalf("create: %d %s", w.Code, w.Body)
			}
			var created struct {
				ID        int64
				Locked    bool
				OpenUntil *time.Time `json:"open_until"`
			}
			if err := json.Unmarshal(w.Body.Bytes(), &created); err != nil {
				t.Fatal(err)
			}
			wantUntil := e.clock.Now().Add(24 * time.Hour)
			if created.Locked || created.OpenUntil == nil || !created.OpenUntil.Equal(wantUntil) {
				t.Fatalf("created: locked=%v open_until=%v; want open until %v", created.Locked, created.OpenUntil, wantUntil)
			}
			id := idString(created.ID)
			put := strings.Replace(incidentBody, `"tole":"बिष्खेत"`, `"tole":"Kholi","version":1`, 1)
			if w := e.do(req{method: "PUT", path: "/api/v1/incidents/" + id, body: put, token: ward5}); w.Code != http.StatusForbidden || errorCode(t, w) != leoc.EForbidden {
				t.Fatalf("other ward within the window: %d %s", w.Code, w.Body)
			}
			e.clock.Add(time.Hour)
			if w := e.do(req{method: "PUT", path: "/api/v1/incidents/" + id, body: put, token: officer}); w.Code != http.StatusOK {
				t.Fatalf("author within the window: %d %s", w.Code, w.Body)
			}
			entries, _, err := e.st.ListAudit(t.Context(), store.AuditFilter{Action: "record.update", Entity: "incidents", EntityID: id})
			if err != nil || len(entries) != 1 || !strings.Contains(entries[0].Details, "बिष्खेत") || !strings.Contains(entries[0].Details, "Kholi") {
				t.Fatalf("audit of the correction: %v %+v", err, entries)
			}
			list := e.do(req{method: "GET", path: "/api/v1/incidents", token: officer})
			if !strings.Contains(list.Body.String(), `"locked":false`) || !strings.Contains(list.Body.String(), `"open_until"`) {
				t.Fatalf("list within the window: %s", list.Body)
			}

			e.clock.Add(23 * time.Hour)
			got := decodeBody(t, e.do(req{method: "GET", path: "/api/v1/incidents/" + id, token: officer}))
			if got["locked"] != true || got["open_until"] != nil {
				t.Fatalf("after the window: locked=%v open_until=%v", got["locked"], got["open_until"])
			}
			put = strings.Replace(put, `"version":1`, `"version":2`, 1)
			if w := e.do(req{method: "PUT", path: "/api/v1/incidents/" + id, body: put, token: officer}); w.Code != http.StatusForbidden || errorCode(t, w) != leoc.ELocked {
				t.Fatalf("after the window: %d %s", w.Code, w.Body)
			}
			if w := e.do(req{method: "DELETE", path: "/api/v1/incidents/" + id, token: officer}); w.Code != http.StatusForbidden || errorCode(t, w) != leoc.ELocked {
				t.Fatalf("delete after the window: %d %s", w.Code, w.Body)
			}

			// A new record is deleted within its window.
			w = e.do(req{method: "POST", path: "/api/v1/event-logs", token: officer,
				body: `{"date_bs":"2082-10-15","type":"assessment","description":"typed twice"}`})
			other := idString(int64(decodeBody(t, w)["id"].(float64)))
			if w := e.do(req{method: "DELETE", path: "/api/v1/event-logs/" + other, token: officer}); w.Code != http.StatusNoContent {
				t.Fatalf("delete within the window: %d %s", w.Code, w.Body)
			}
		})
	}
}

// TestEditWindowPages: a record's page says until when it can be edited
// and offers the edit button; the edit form saves without a key; once
// locked, the page says who can unlock it and how — to every reader, not
// only to those who may unlock.
func TestEditWindowPages(t *testing.T) {
	e := newEnv(t, backendSQLite(), editWindow(24*time.Hour))
	cookies, csrf := e.login("officer1")
	form := url.Values{"csrf_token": {csrf}, "date_bs": {"2082-10-15"}, "time": {"14:30"}, "type": {"assessment"},
		"description": {"क्षति मूल्याङ्कन"}, "status": {"active"}}
	w := e.do(req{method: "POST", path: "/event-logs", cookies: cookies, body: form.Encode()})
	if w.Code != http.StatusSeeOther {
		t.Fatalf("create: %d %s", w.Code, w.Body)
	}
	path := w.Header().Get("Location")
	for lang, want := range map[string]string{
		"ne": "२०८२-१०-१६ १५:४५ सम्म दर्ता गर्ने र यस वडाका कर्मचारीले अनलक कोड बिना",
		"en": "Its author and the writers of its ward can still edit or delete it until 2082-10-16 15:45",
	} {
		page := e.do(req{method: "GET", path: path, cookies: cookies, header: map[string]string{"Accept-Language": lang}})
		body := page.Body.String()
		if page.Code != http.StatusOK || !strings.Contains(body, want) || !strings.Contains(body, `href="`+path+`/edit"`) || strings.Contains(body, "badge-locked") {
			t.Errorf("open page (%s): %d, want %q and the edit button\n%s", lang, page.Code, want, body)
		}
	}
	// A ward's record names the writers of its ward.
	w = e.do(req{method: "POST", path: "/api/v1/incidents", body: incidentBody, token: e.tokens[leoc.RoleOfficer]})
	incident := "/incidents/" + idString(int64(decodeBody(t, w)["id"].(float64)))
	for lang, want := range map[string]string{
		"ne": "२०८२-१०-१६ १५:४५ सम्म दर्ता गर्ने र यस वडाका कर्मचारीले अनलक कोड बिना",
		"en": "Its author and the writers of its ward can still edit or delete it until 2082-10-16 15:45",
	} {
		page := e.do(req{method: "GET", path: incident, cookies: cookies, header: map[string]string{"Accept-Language": lang}})
		if !strings.Contains(page.Body.String(), want) {
			t.Errorf("open incident page (%s): %d, want %q", lang, page.Code, want)
		}
	}
	if page := e.do(req{method: "GET", path: path + "/edit", cookies: cookies}); page.Code != http.StatusOK {
		t.Fatalf("edit form within the window: %d", page.Code)
	}
	form.Set("description", "क्षति मूल्याङ्कन, वडा ५")
	form.Set("version", "1")
	if w := e.do(req{method: "POST", path: path, cookies: cookies, body: form.Encode()}); w.Code != http.StatusSeeOther {
		t.Fatalf("save within the window: %d %s", w.Code, w.Body)
	}

	e.clock.Add(25 * time.Hour)
	viewerCookies, _ := e.login("viewer1")
	for lang, want := range map[string]string{
		"ne": "अनलक अनुमति भएका प्रयोगकर्ताले (प्रशासक वा अनुमति पाएका प्रयोगकर्ता) अनलक कोड र कारण दिएर अनलक गर्नुपर्छ",
		"en": "a user with the unlock permission (an administrator, or a user granted it) unlocks it with the unlock key and a reason",
	} {
		page := e.do(req{method: "GET", path: path, cookies: viewerCookies, header: map[string]string{"Accept-Language": lang}})
		body := page.Body.String()
		if page.Code != http.StatusOK || !strings.Contains(body, want) || strings.Contains(body, `href="`+path+`/edit"`) || !strings.Contains(body, "badge-locked") {
			t.Errorf("locked page (%s): %d, want %q and no edit button", lang, page.Code, want)
		}
	}
	cookies, csrf = e.login("officer1")
	form.Set("csrf_token", csrf)
	form.Set("version", "2")
	if w := e.do(req{method: "POST", path: path, cookies: cookies, body: form.Encode()}); w.Code != http.StatusForbidden {
		t.Fatalf("save after the window: %d", w.Code)
	}
}

// TestEditWindowZeroLocksOnSave: LEOC_EDIT_WINDOW=0 keeps the rule of
// locking on save.
func TestEditWindowZeroLocksOnSave(t *testing.T) {
	e := newEnv(t, backendSQLite(), editWindow(0))
	officer := e.tokens[leoc.RoleOfficer]
	w := e.do(req{method: "POST", path: "/api/v1/event-logs", token: officer, body: `{"date_bs":"2082-10-15","type":"assessment","description":"x"}`})
	got := decodeBody(t, w)
	if got["locked"] != true || got["open_until"] != nil {
		t.Fatalf("created with window 0: %v", got)
	}
	id := idString(int64(got["id"].(float64)))
	if w := e.do(req{method: "DELETE", path: "/api/v1/event-logs/" + id, token: officer}); w.Code != http.StatusForbidden {
		t.Fatalf("delete with window 0: %d", w.Code)
	}
}
