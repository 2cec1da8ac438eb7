package server

import (
	"net/http"
	"strings"
	"testing"
)

// A distribution whose household ID is a senior citizen's card number (in
// another spelling) is marked vulnerable on the detail page and the
// receipt, in Nepali and English, and in its JSON; another household is
// not, and a match with an allowance that is not vulnerable is listed but
// not flagged.
func TestDistributionVulnerableHousehold(t *testing.T) {
	each(t, func(t *testing.T, e *testEnv) {
		officer, viewer := e.tokens["officer"], e.tokens["viewer"]
		newBeneficiary := func(body string) int64 {
			t.Helper()
			w := e.do(req{method: "POST", path: "/api/v1/ssf-beneficiaries", body: body, token: officer})
			if w.Code != http.StatusCreated {
				t.Fatalf("beneficiary: %d %s", w.Code, w.Body)
			}
			return int64(decodeBody(t, w)["id"].(float64))
		}
		senior := newBeneficiary(`{"name":"राम बहादुर थापा","id_number":"१२ ३४ ५६७","allowance_type":"senior_citizen","age":72,"ward":3,"phone":"9848000001"}`)
		other := newBeneficiary(`{"name":"Maya Rawal","id_number":"77-88","allowance_type":"endangered_ethnic","ward":3}`)
		newBeneficiary(`{"name":"Hari 12-34/567 Thapa","id_number":"12-34/5678","allowance_type":"widow","ward":3}`) // not the same card

		noCash := strings.Replace(distributionBody, `,"cash":"1500.50"`, "", 1)
		create := func(body string) string {
			t.Helper()
			w := e.do(req{method: "POST", path: "/api/v1/distributions", body: body, token: officer})
			if w.Code != http.StatusCreated {
				t.Fatalf("distribution: %d %s", w.Code, w.Body)
			}
			return idString(int64(decodeBody(t, w)["id"].(float64)))
		}
		flagged := create(noCash)
		plain := create(strings.Replace(strings.Replace(noCash, "12-34/567", "77-88", 1), "9848000001", "9848000002", 1))

		cookies, _ := e.login("viewer1")
		en := map[string]string{"Accept-Language": "en"}
		for _, c := range []struct {
			path   string
			header map[string]string
			want   string
		}{
			{"/distributions/" + flagged, nil, "जोखिममा रहेको परिवार (सामाजिक सुरक्षा: ज्येष्ठ नागरिक)"},
			{"/distributions/" + flagged, en, "Vulnerable household (social security: Senior citizen)"},
			{"/distributions/" + flagged + "/print", en, "जोखिममा रहेको परिवार (सामाजिक सुरक्षा: ज्येष्ठ नागरिक)"},
			{"/distributions/" + flagged + "/print?lang=en", nil, "Vulnerable household (social security: Senior citizen)"},
		} {
			w := e.do(req{method: "GET", path: c.path, cookies: cookies, header: c.header})
			if w.Code != 200 || !strings.Contains(w.Body.String(), c.want) || !strings.Contains(w.Body.String(), `href="/beneficiaries/`+idString(senior)+`"`) {
				t.Errorf("%s %v: %d, want %q and the beneficiary's link", c.path, c.header, w.Code, c.want)
			}
		}
		for _, path := range []string{"/distributions/" + plain, "/distributions/" + plain + "/print"} {
			if body := e.do(req{method: "GET", path: path, cookies: cookies}).Body.String(); strings.Contains(body, "जोखिममा रहेको परिवार") {
				t.Errorf("%s marks a household whose beneficiary is not vulnerable", path)
			}
		}

		for _, c := range []struct {
			id         string
			vulnerable bool
			matches    []int64
		}{{flagged, true, []int64{senior}}, {plain, false, []int64{other}}} {
			m := decodeBody(t, e.do(req{method: "GET", path: "/api/v1/distributions/" + c.id, token: viewer}))
			got, _ := m["ssf_matches"].([]any)
			if m["vulnerable"] != c.vulnerable || len(got) != len(c.matches) || got[0] != float64(c.matches[0]) {
				t.Errorf("distribution %s: vulnerable %v, ssf_matches %v; want %v, %v", c.id, m["vulnerable"], m["ssf_matches"], c.vulnerable, c.matches)
			}
		}
	})
}
