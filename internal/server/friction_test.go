package server

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"leoc/internal/leoc"
	"leoc/internal/must"
	"leoc/internal/store"
)

func incidentForm(csrf string, kv ...string) url.Values {
	v := url.Values{"csrf_token": {csrf}, "date_bs": {"2082-10-15"}, "time": {"14:30"}, "type": {"flood"}, "ward": {"4"}}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Set(kv[i], kv[i+1])
	}
	return v
}

func TestTooLargeSaysTheLimit(t *testing.T) {
	each(t, func(t *testing.T, e *testEnv) {
		cookies, csrf := e.login("officer1")
		cases := []struct{ lang, value, want string }{
			{"ne", "20000000", "धेरै ठूलो (बढीमा १,००,००,०००)"},
			{"en", "20000000", "Too large (at most 1,00,00,000)."},
			{"en", "99999999999999999999", "Too large (at most 1,00,00,000)."}, // beyond int64 too
		}
		for _, c := range cases {
			w := e.do(req{method: "POST", path: "/incidents", cookies: cookies, header: map[string]string{"Accept-Language": c.lang},
				body: incidentForm(csrf, "deaths", c.value).Encode()})
			if w.Code != http.StatusUnprocessableEntity {
				t.Fatalf("%s %s: %d, want 422", c.lang, c.value, w.Code)
			}
			if !strings.Contains(w.Body.String(), c.want) {
				t.Errorf("%s %s: the page does not say %q", c.lang, c.value, c.want)
			}
		}
		// The loss limit, in rupees with the same grouping, through the API.
		w := e.do(req{method: "POST", path: "/api/v1/incidents", token: e.tokens[leoc.RoleOfficer], header: map[string]string{"Accept-Language": "en"},
			body: `{"date_bs":"2082-10-15","type":"flood","ward":4,"estimated_loss":"200000000001"}`})
		if w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), "Too large (at most Rs 1,00,00,00,00,000).") {
			t.Errorf("API loss too large: %d %s", w.Code, w.Body.String())
		}
	})
}

func TestImplausibleFiguresWarn(t *testing.T) {
	each(t, func(t *testing.T, e *testEnv) {
		admin, adminCSRF := e.login("admin1")
		// Ward 4 has 1,500 people; losses above Rs 5 crore are unusual.
		for path, body := range map[string]string{
			"/settings/wards":  "number=4&name_ne=वडा+नं.+४&name_en=Ward+4&population=१५००",
			"/settings/checks": "loss_ceiling=50000000",
		} {
			if w := e.do(req{method: "POST", path: path, cookies: admin, body: body + "&csrf_token=" + adminCSRF}); w.Code != http.StatusSeeOther {
				t.Fatalf("%s: %d %s", path, w.Code, w.Body.String())
			}
		}
		p, err := e.st.Plausibility(t.Context())
		if err != nil || p.Population[4] != 1500 || p.LossCeiling != leoc.Rupees(50_000_000) {
			t.Fatalf("plausibility saved as %+v, %v", p, err)
		}

		cookies, csrf := e.login("officer1")
		en := map[string]string{"Accept-Language": "en"}
		form := incidentForm(csrf, "injured", "2000", "estimated_loss", "60000000", "tole", "Kotphera")
		w := e.do(req{method: "POST", path: "/incidents", cookies: cookies, header: en, body: form.Encode()})
		body := w.Body.String()
		if w.Code != http.StatusOK {
			t.Fatalf("implausible form: %d, want 200 with a confirmation step", w.Code)
		}
		for _, want := range []string{`id="warning-summary"`, "More than the ward&#39;s population (1,500).",
			"Above the loss ceiling set in settings (Rs 5,00,00,000).", `name="confirm_warnings" value="1"`, `value="Kotphera"`,
			`<a href="#f-injured">`} {
			if !strings.Contains(body, want) {
				t.Errorf("confirmation page lacks %s", want)
			}
		}
		if _, n, err := e.st.Incidents(t.Context(), store.RecordFilter{}); err != nil || n != 0 {
			t.Fatalf("an unconfirmed incident was saved (%d, %v)", n, err)
		}
		form.Set("confirm_warnings", "1")
		if w := e.do(req{method: "POST", path: "/incidents", cookies: cookies, body: form.Encode()}); w.Code != http.StatusSeeOther {
			t.Fatalf("confirmed: %d, want 303", w.Code)
		}
		// Editing asks again: open the saved incident and raise the deaths.
		_, n, err := e.st.Incidents(t.Context(), store.RecordFilter{})
		if err != nil || n != 1 {
			t.Fatalf("incidents: %d, %v", n, err)
		}
		if err := e.st.SetLocked(t.Context(), store.SystemActor, e.users[leoc.RoleAdmin], "incidents", 1, false, "edit test"); err != nil {
			t.Fatal(err)
		}
		edit := incidentForm(csrf, "deaths", "1501", "version", "2")
		w = e.do(req{method: "POST", path: "/incidents/1", cookies: cookies, header: en, body: edit.Encode()})
		if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), `<a href="#f-deaths">`) || !strings.Contains(w.Body.String(), `name="version" value="2"`) {
			t.Errorf("edit with implausible deaths: %d, want the confirmation step keeping the version", w.Code)
		}
		if inc, err := e.st.Incident(t.Context(), 1); err != nil || inc.Counts[leoc.Deaths] != 0 {
			t.Errorf("an unconfirmed edit was saved")
		}
		// Plausible figures save at once.
		if w := e.do(req{method: "POST", path: "/incidents", cookies: cookies, body: incidentForm(csrf, "injured", "20").Encode()}); w.Code != http.StatusSeeOther {
			t.Fatalf("plausible: %d, want 303", w.Code)
		}

		// The API saves and answers the warnings; never a refusal.
		w = e.do(req{method: "POST", path: "/api/v1/incidents", token: e.tokens[leoc.RoleOfficer], header: en,
			body: `{"date_bs":"2082-10-15","type":"flood","ward":4,"deaths":1600}`})
		if w.Code != http.StatusCreated {
			t.Fatalf("API: %d %s", w.Code, w.Body.String())
		}
		var got struct {
			Warnings []apiWarning `json:"warnings"`
		}
		if err := json.Unmarshal(w.Body.Bytes(), &got); err != nil {
			t.Fatal(err)
		}
		if len(got.Warnings) != 1 || got.Warnings[0].Field != "deaths" || !strings.Contains(got.Warnings[0].Message, "1,500") {
			t.Errorf("API warnings %+v", got.Warnings)
		}
		w = e.do(req{method: "POST", path: "/api/v1/incidents", token: e.tokens[leoc.RoleOfficer], body: `{"date_bs":"2082-10-15","type":"flood","ward":5,"deaths":1600}`})
		if w.Code != http.StatusCreated || !strings.Contains(w.Body.String(), `"warnings":[]`) {
			t.Errorf("ward without a population: %d %s", w.Code, w.Body.String())
		}
	})
}

func TestSettingsPage(t *testing.T) {
	each(t, func(t *testing.T, e *testEnv) {
		admin, csrf := e.login("admin1")
		// Ward 2 gets an incident, so it is in use; ward 9 is not.
		if w := e.do(req{method: "POST", path: "/api/v1/incidents", token: e.tokens[leoc.RoleAdmin],
			body: `{"date_bs":"2082-10-15","type":"landslide","ward":2}`}); w.Code != http.StatusCreated {
			t.Fatalf("incident: %d", w.Code)
		}
		page := e.do(req{method: "GET", path: "/settings", cookies: admin, header: map[string]string{"Accept-Language": "en"}}).Body.String()
		if strings.Contains(page, `action="/settings/wards/2/delete"`) {
			t.Errorf("ward 2 is in use but offers a delete form")
		}
		if !strings.Contains(page, `action="/settings/wards/9/delete"`) {
			t.Errorf("ward 9 is unused but offers no delete")
		}
		if !strings.Contains(page, "In use: Incident (1); so it cannot be deleted.") {
			t.Errorf("the in-use reason is not shown")
		}
		// The Nepali page names the register in Nepali, digits too.
		if ne := e.do(req{method: "GET", path: "/settings", cookies: admin}).Body.String(); !strings.Contains(ne, "प्रयोगमा छ: विपद् घटना (१); त्यसैले मेटाउन मिल्दैन।") || strings.Contains(ne, "incidents:") {
			t.Errorf("the Nepali in-use reason is not in Nepali")
		}
		if strings.Contains(page, `action="/settings/lists/disaster_type/landslide/delete"`) || !strings.Contains(page, `action="/settings/lists/disaster_type/flood/delete"`) {
			t.Errorf("list values: delete offered for the used value or not for an unused one")
		}
		// Every row of the wards table has as many cells as the header.
		i := strings.Index(page, `<section class="card" id="wards">`)
		table := page[i : i+strings.Index(page[i:], "</table>")]
		thead := table[:strings.Index(table, "</thead>")]
		head := strings.Count(thead, "<th>") + strings.Count(thead, "<th ")
		for _, row := range strings.Split(table[strings.Index(table, "<tbody>"):], "<tr>")[1:] {
			if n := strings.Count(row, "<td"); n != head || strings.Contains(row, "colspan") {
				t.Errorf("a ward row has %d cells, the header %d", n, head)
				break
			}
		}
		// A bad population is refused by field, the office form keeps its values.
		w := e.do(req{method: "POST", path: "/settings/wards", cookies: admin, header: map[string]string{"Accept-Language": "en"},
			body: "number=3&name_ne=x&name_en=y&population=99999999999&csrf_token=" + csrf})
		if w.Code != http.StatusUnprocessableEntity || !strings.Contains(w.Body.String(), "Too large (at most 1,00,00,000).") ||
			!strings.Contains(w.Body.String(), `value="थलारा गाउँपालिका"`) {
			t.Errorf("bad population: %d", w.Code)
		}
		// The API keeps a population it was not sent.
		if w := e.do(req{method: "POST", path: "/settings/wards", cookies: admin, body: "number=3&name_ne=x&name_en=y&population=800&csrf_token=" + csrf}); w.Code != http.StatusSeeOther {
			t.Fatalf("population: %d", w.Code)
		}
		if w := e.do(req{method: "PUT", path: "/api/v1/wards/3", token: e.tokens[leoc.RoleAdmin], body: `{"name_ne":"z","name_en":"Z"}`}); w.Code != http.StatusOK {
			t.Fatalf("API rename: %d %s", w.Code, w.Body.String())
		}
		if p := must.Get(e.st.Plausibility(t.Context()))(t); p.Population[3] != 800 {
			t.Errorf("population after an API rename: %d, want 800", p.Population[3])
		}
	})
}
