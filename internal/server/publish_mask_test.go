package server

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/xuri/excelize/v2"

	"leoc/internal/auth"
	"leoc/internal/bs"
	"leoc/internal/leoc"
	"leoc/internal/must"
	"leoc/internal/store"
	"leoc/internal/store/storetest"
)

// Issue 17, item 13: who may publish, the operations log's ward rule, and
// personal data masked for viewers and ward-limited users (docs/security.md).

// maskEnv is a server with a ward-3 distribution and beneficiary, a ward-5
// distribution (with a handover photo) and beneficiary, and beside the
// users of every role: a ward-3 officer and a viewer granted see-all.
type maskEnv struct {
	*testEnv
	tok              map[string]string // by user name
	d3, d5, b3, b5   string            // record ids
	file3, file5     string            // evidence file ids
	ward3, partnerID int64
}

// The personal data of the ward-5 household and beneficiary: none of it may
// reach a user who may not see ward 5.
var (
	ward5Household   = []string{"हरि प्रसाद जोशी", "गोविन्द जोशी", "98-76/543", "9841111111", "5555-0001", "Kalpana", "29.61", "स्कुल नजिक", "Bikash"}
	ward5Beneficiary = []string{"गोमा जोशी", "55-01-75/9", "9842222222", "7777-0009"}
)

// ward3Secrets are the ward-3 household's: visible to the ward-3 officer.
var ward3Secrets = []string{"राम बहादुर थापा", "12-34/567", "सीता कुमारी"}

const ward5Distribution = `{"household_name":"हरि प्रसाद जोशी","household_id":"98-76/543","father_name":"गोविन्द जोशी","phone":"9841111111",
	"disaster_type":"landslide","disaster_date_bs":"2082-10-01","date_bs":"2082-10-05","ward":5,"tole":"बनाउ","place":"स्कुल नजिक",
	"latitude":29.61,"longitude":81.07,"bank_account_holder":"हरि प्रसाद जोशी","bank_account_number":"5555-0001","bank_name":"NBL",
	"members":[{"name":"Kalpana","relation":"wife","age":38,"sex":"female"}],"harms":[{"member":"Kalpana","harm":"leg broken","severity":"serious"}],
	"items":[{"item":"rice","quantity":20}],"cash":"500","notes":"phone the son Bikash"}`

const ward5BeneficiaryJSON = `{"name":"गोमा जोशी","id_number":"55-01-75/9","allowance_type":"widow","age":70,"gender":"female","ward":5,
	"tole":"बनाउ","phone":"9842222222","bank_account_holder":"गोमा जोशी","bank_account_number":"7777-0009","bank_name":"NBL"}`

func newMaskEnv(t *testing.T, b storetest.Backend) *maskEnv {
	t.Helper()
	e, _ := uploadEnv(t, b)
	m := &maskEnv{testEnv: e, tok: map[string]string{}}
	for role, tok := range e.tokens {
		m.tok[string(role)] = tok
	}
	ctx := context.Background()
	for _, u := range []*leoc.User{
		{Username: "ward3", Role: leoc.RoleOfficer, Wards: []int{3}},
		{Username: "partner", Role: leoc.RoleViewer, SeeAllPersonal: true},
	} {
		if err := e.st.CreateUser(ctx, store.SystemActor, u, mustHash(t)); err != nil {
			t.Fatal(err)
		}
		m.tok[u.Username] = e.newToken(u)
		if u.Username == "ward3" {
			m.ward3 = u.ID
		} else {
			m.partnerID = u.ID
		}
	}
	admin := m.tok["admin"]
	income := `{"kind":"income","amount":"5000","description":"प्रदेश सरकार","date_bs":"2082-10-01"}`
	if w := e.do(req{method: "POST", path: "/api/v1/funds/transactions", body: income, token: admin}); w.Code != http.StatusCreated {
		t.Fatalf("income: %d %s", w.Code, w.Body)
	}
	create := func(path, body string) string {
		t.Helper()
		w := e.do(req{method: "POST", path: path, body: body, token: admin})
		if w.Code != http.StatusCreated {
			t.Fatalf("create %s: %d %s", path, w.Code, w.Body)
		}
		return idString(int64(decodeBody(t, w)["id"].(float64)))
	}
	m.d3 = create("/api/v1/distributions", distributionBody)
	m.d5 = create("/api/v1/distributions", ward5Distribution)
	m.b3 = create("/api/v1/ssf-beneficiaries", sitaJSON)
	m.b5 = create("/api/v1/ssf-beneficiaries", ward5BeneficiaryJSON)
	for _, c := range []struct {
		id  string
		dst *string
	}{{m.d3, &m.file3}, {m.d5, &m.file5}} {
		res := e.upload(t, "/api/v1/distributions/"+c.id+"/files", admin, "photo", "handover.png", pngFile(t))
		if res.Code != http.StatusCreated {
			t.Fatalf("upload: %d %s", res.Code, res.Body)
		}
		*c.dst = strings.TrimPrefix(res.Header.Get("Location"), "/api/v1/files/")
		if *c.dst == "" {
			*c.dst = jsonID(t, res.Body)
		}
	}
	return m
}

// testPasswordHash is testPassword hashed once: argon2id is slow on purpose,
// and slower still under -race.
var testPasswordHash = sync.OnceValues(func() (string, error) { return auth.HashPassword(testPassword) })

func mustHash(t testing.TB) string {
	t.Helper()
	h, err := testPasswordHash()
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func mustInt(t *testing.T, s string) int64 {
	t.Helper()
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func jsonID(t *testing.T, body string) string {
	t.Helper()
	i := strings.Index(body, `"id":`)
	if i < 0 {
		t.Fatalf("no id in %s", body)
	}
	rest := body[i+5:]
	end := strings.IndexAny(rest, ",}")
	return strings.TrimSpace(rest[:end])
}

// get asks as a user and returns status and body.
func (m *maskEnv) get(user, path string) (int, string) {
	w := m.do(req{method: "GET", path: path, token: m.tok[user], header: map[string]string{"Accept-Language": "en"}})
	return w.Code, w.Body.String()
}

// xlsxText is every cell of the first sheet of a spreadsheet, joined.
func xlsxText(t *testing.T, b []byte) string {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("xlsx: %v", err)
	}
	defer f.Close()
	rows, err := f.GetRows(f.GetSheetName(0))
	if err != nil {
		t.Fatal(err)
	}
	var sb strings.Builder
	for _, r := range rows {
		sb.WriteString(strings.Join(r, "|"))
		sb.WriteByte('\n')
	}
	return sb.String()
}

func TestPersonalDataMaskedPerRole(t *testing.T) {
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			m := newMaskEnv(t, b)
			// Who sees the ward-5 household's personal data.
			cases := []struct {
				user      string
				seesWard5 bool
				seesWard3 bool
			}{
				{"admin", true, true},
				{"officer", true, true}, // an officer of every ward
				{"finance", true, true},
				{"viewer", false, false},
				{"ward3", false, true},
				{"partner", true, true}, // a viewer granted see-all
			}
			for _, c := range cases {
				t.Run(c.user, func(t *testing.T) {
					outputs := map[string]string{}
					for _, p := range []string{
						"/api/v1/distributions/" + m.d5, "/api/v1/distributions?ward=3,5", "/distributions/" + m.d5,
						"/distributions?ward=3,5", "/distributions/" + m.d5 + "/print", "/api/v1/distributions/export.csv?ward=3,5",
						"/api/v1/ssf-beneficiaries/" + m.b5, "/api/v1/ssf-beneficiaries?ward=3,5", "/beneficiaries/" + m.b5,
						"/beneficiaries?ward=3,5", "/api/v1/ssf-beneficiaries/lookup?q=55-01-75/9",
						"/api/v1/funds/transactions", "/funds", // the cash entries name the household
					} {
						code, body := m.get(c.user, p)
						if code != http.StatusOK {
							t.Fatalf("GET %s: %d %s", p, code, body)
						}
						outputs[p] = body
					}
					w := m.do(req{method: "GET", path: "/distributions/export.xlsx?ward=3,5", token: m.tok[c.user]})
					if w.Code != http.StatusOK {
						t.Fatalf("xlsx: %d", w.Code)
					}
					outputs["xlsx"] = xlsxText(t, w.Body.Bytes())
					for p, body := range outputs {
						secrets := ward5Household
						if strings.Contains(p, "ssf-") || strings.Contains(p, "beneficiaries") {
							secrets = ward5Beneficiary
						}
						// Every output shows the name to those who may see it
						// (lists show fewer columns than details) and no part
						// of it, in either digit set, to those who may not.
						if c.seesWard5 && !strings.Contains(body, secrets[0]) {
							t.Errorf("%s: %q hidden from a user who may see it", p, secrets[0])
						}
						for _, s := range secrets {
							if !c.seesWard5 && (strings.Contains(body, s) || strings.Contains(body, bs.DevanagariDigits(s))) {
								t.Errorf("%s: %q shown to a user who may not see it", p, s)
							}
						}
					}
					if c.seesWard5 {
						for _, p := range []string{"/api/v1/distributions/" + m.d5, "/api/v1/distributions/export.csv?ward=3,5", "xlsx"} {
							for _, s := range ward5Household {
								if !strings.Contains(outputs[p], s) {
									t.Errorf("%s lacks %q", p, s)
								}
							}
						}
					}
					// Masked answers say so; totals stay whole.
					if masked := strings.Contains(outputs["/api/v1/distributions/"+m.d5], `"personal_data_masked":true`); masked == c.seesWard5 {
						t.Errorf("distribution JSON personal_data_masked=%v", masked)
					}
					if masked := strings.Contains(outputs["/api/v1/ssf-beneficiaries/"+m.b5], `"personal_data_masked":true`); masked == c.seesWard5 {
						t.Errorf("beneficiary JSON personal_data_masked=%v", masked)
					}
					if !c.seesWard5 && (!strings.Contains(outputs["/distributions/"+m.d5], "Personal data of households outside your wards") ||
						!strings.Contains(outputs["/distributions/"+m.d5], leoc.MaskedText)) {
						t.Error("masked detail page lacks the note or the mask")
					}
					for _, p := range []string{"/api/v1/distributions?ward=3,5", "/api/v1/ssf-beneficiaries?ward=3,5"} {
						if !strings.Contains(outputs[p], `"total":2`) {
							t.Errorf("%s: total not 2: %s", p, outputs[p])
						}
					}
					if _, st := m.get(c.user, "/api/v1/stats/distributions?ward=3,5"); !strings.Contains(st, `"distributions":2`) || !strings.Contains(st, `"cash":"2000.50"`) {
						t.Errorf("statistics: %s", st)
					}
					// The ward-3 household: its own ward's officer sees it.
					_, d3 := m.get(c.user, "/distributions/"+m.d3)
					_, b3 := m.get(c.user, "/api/v1/ssf-beneficiaries/"+m.b3)
					for _, s := range ward3Secrets {
						if strings.Contains(d3+b3, s) != c.seesWard3 {
							t.Errorf("ward-3 %q shown=%v, want %v", s, !c.seesWard3, c.seesWard3)
						}
					}
					// Evidence files: refused with the record's personal data.
					for _, f := range []struct {
						id   string
						sees bool
					}{{m.file5, c.seesWard5}, {m.file3, c.seesWard3}} {
						for _, p := range []string{"/api/v1/files/", "/files/"} {
							code, body := m.get(c.user, p+f.id)
							if want := map[bool]int{true: 200, false: 403}[f.sees]; code != want {
								t.Errorf("GET %s%s: %d, want %d %s", p, f.id, code, want, body)
							}
						}
					}
					_, detail := m.get(c.user, "/distributions/"+m.d5)
					if strings.Contains(detail, "/files/"+m.file5) != c.seesWard5 {
						t.Errorf("detail page links the evidence file: %v", !c.seesWard5)
					}
					// A search by a masked household's name or number finds nothing.
					for _, q := range []string{"जोशी", "98-76/543"} {
						_, body := m.get(c.user, "/api/v1/distributions?ward=3,5&q="+url.QueryEscape(q))
						if found := !strings.Contains(body, `"total":0`); found != c.seesWard5 {
							t.Errorf("search %q found=%v: %s", q, found, body)
						}
					}
					_, body := m.get(c.user, "/api/v1/ssf-beneficiaries?ward=3,5&q="+url.QueryEscape("गोमा"))
					if found := !strings.Contains(body, `"total":0`); found != c.seesWard5 {
						t.Errorf("beneficiary search found=%v: %s", found, body)
					}
					// The household lookup finds a masked household by its
					// identity number (above), not by a name or a phone.
					for _, q := range []string{"गोमा जोशी", "9842222222"} {
						_, body := m.get(c.user, "/api/v1/ssf-beneficiaries/lookup?q="+url.QueryEscape(q))
						if found := !strings.Contains(body, `"items":[]`); found != c.seesWard5 {
							t.Errorf("lookup %q found=%v: %s", q, found, body)
						}
					}
					if !strings.Contains(outputs["/api/v1/ssf-beneficiaries/lookup?q=55-01-75/9"], `"vulnerable":true`) {
						t.Error("lookup by identity number does not flag the vulnerable household")
					}
				})
			}
		})
	}
}

func TestSeeAllPersonalGrantedByAdmin(t *testing.T) {
	each(t, func(t *testing.T, e *testEnv) {
		viewer := e.users[leoc.RoleViewer]
		body := `{"display_name":"","role":"viewer","wards":[],"see_all_personal":true}`
		w := e.do(req{method: "PUT", path: "/api/v1/users/" + idString(viewer.ID), body: body, token: e.tokens[leoc.RoleAdmin]})
		if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), `"see_all_personal":true`) {
			t.Fatalf("grant: %d %s", w.Code, w.Body)
		}
		if u := must.Get(e.st.User(t.Context(), viewer.ID))(t); !u.SeeAllPersonal {
			t.Fatal("grant not saved")
		}
		me := e.do(req{method: "GET", path: "/api/v1/me", token: e.tokens[leoc.RoleViewer]})
		if !strings.Contains(me.Body.String(), `"sees_all_personal_data":true`) {
			t.Fatalf("me: %s", me.Body)
		}
		// Only admins grant it.
		w = e.do(req{method: "PUT", path: "/api/v1/users/" + idString(viewer.ID), body: body, token: e.tokens[leoc.RoleOfficer]})
		if w.Code != http.StatusForbidden {
			t.Fatalf("officer grant: %d", w.Code)
		}
		// The users page form revokes it, audited.
		cookies, csrf := e.login("admin1")
		page := e.do(req{method: "GET", path: "/users/" + idString(viewer.ID), cookies: cookies})
		if !strings.Contains(page.Body.String(), `name="see_all_personal" checked`) {
			t.Fatal("user form does not show the grant")
		}
		w = e.do(req{method: "POST", path: "/users/" + idString(viewer.ID), cookies: cookies,
			body: url.Values{"csrf_token": {csrf}, "role": {"viewer"}}.Encode()})
		if w.Code != http.StatusSeeOther {
			t.Fatalf("form: %d %s", w.Code, w.Body)
		}
		if u := must.Get(e.st.User(t.Context(), viewer.ID))(t); u.SeeAllPersonal {
			t.Fatal("revoke not saved")
		}
		entries, _ := must.Get2(e.st.ListAudit(t.Context(), store.AuditFilter{Action: "user.update", EntityID: idString(viewer.ID)}))(t)
		if len(entries) != 2 || !strings.Contains(entries[0].Details, `"see_all_personal":{"before":true,"after":false}`) {
			t.Fatalf("audit: %+v", entries)
		}
	})
}

const advisoryBody = `{"title":"Heavy rain tonight","content":"Stay away from rivers.","type":"weather","priority":"critical",
	"valid_from":"2026-01-29T06:00:00+05:45"}`

const sitrepBody = `{"date_bs":"2082-10-15","time":"18:00","summary":"Flood in Kholi","weather":"Heavy rain"}`

func TestPublishNeedsPermission(t *testing.T) {
	each(t, func(t *testing.T, e *testEnv) {
		u := &leoc.User{Username: "ward3", Role: leoc.RoleOfficer, Wards: []int{3}}
		if err := e.st.CreateUser(t.Context(), store.SystemActor, u, mustHash(t)); err != nil {
			t.Fatal(err)
		}
		ward3, officer, admin := e.newToken(u), e.tokens[leoc.RoleOfficer], e.tokens[leoc.RoleAdmin]
		en := map[string]string{"Accept-Language": "en"}
		do := func(method, path, body, token string) (int, string) {
			w := e.do(req{method: method, path: path, body: body, token: token, header: en})
			return w.Code, w.Body.String()
		}
		// A ward-limited officer cannot publish: an active advisory (the
		// default) is refused, a draft is fine.
		if code, body := do("POST", "/api/v1/advisories", advisoryBody, ward3); code != 403 || !strings.Contains(body, "publish permission") {
			t.Fatalf("ward officer publishes: %d %s", code, body)
		}
		code, body := do("POST", "/api/v1/advisories", strings.Replace(advisoryBody, `"priority"`, `"active":false,"priority"`, 1), ward3)
		if code != 201 {
			t.Fatalf("draft: %d %s", code, body)
		}
		draft := jsonID(t, body)
		if n, _ := must.Get2(e.st.Advisories(t.Context(), store.AdvisoryFilter{Active: new(true)}))(t); len(n) != 0 {
			t.Fatalf("%d active advisories after refused publish", len(n))
		}
		unlock := func(id string) {
			t.Helper()
			if err := e.st.SetLocked(t.Context(), store.SystemActor, e.users[leoc.RoleAdmin], "advisories", mustInt(t, id), false, "edit it"); err != nil {
				t.Fatal(err)
			}
		}
		// Activating the draft: refused to the ward officer, done by an admin.
		unlock(draft)
		activate := strings.Replace(advisoryBody, `"priority"`, `"active":true,"version":1,"priority"`, 1)
		if code, body := do("PUT", "/api/v1/advisories/"+draft, activate, ward3); code != 403 {
			t.Fatalf("ward officer activates: %d %s", code, body)
		}
		if code, body := do("PUT", "/api/v1/advisories/"+draft, activate, admin); code != 200 {
			t.Fatalf("admin activates: %d %s", code, body)
		}
		// Editing or deleting the published advisory: refused to the ward officer.
		unlock(draft)
		edit := strings.Replace(advisoryBody, `"priority"`, `"version":2,"priority"`, 1)
		if code, _ := do("PUT", "/api/v1/advisories/"+draft, edit, ward3); code != 403 {
			t.Errorf("ward officer edits a published advisory: %d", code)
		}
		if code, _ := do("DELETE", "/api/v1/advisories/"+draft, "", ward3); code != 403 {
			t.Errorf("ward officer deletes a published advisory: %d", code)
		}
		if code, _ := do("GET", "/public/advisories.json", "", ""); code != 200 {
			t.Errorf("public page: %d", code)
		}
		// An officer of every ward publishes.
		if code, body := do("POST", "/api/v1/advisories", advisoryBody, officer); code != 201 {
			t.Fatalf("officer publishes: %d %s", code, body)
		}
		// Situation reports: the ward officer may read, not write.
		if code, _ := do("POST", "/api/v1/situation-reports", sitrepBody, ward3); code != 403 {
			t.Errorf("ward officer writes a situation report: %d", code)
		}
		if code, _ := do("GET", "/situation-reports/new", "", ward3); code != 403 {
			t.Errorf("ward officer opens the situation report form: %d", code)
		}
		if code, _ := do("GET", "/api/v1/situation-reports", "", ward3); code != 200 {
			t.Errorf("ward officer reads situation reports: %d", code)
		}
		if code, body := do("POST", "/api/v1/situation-reports", sitrepBody, officer); code != 201 {
			t.Fatalf("officer writes a situation report: %d %s", code, body)
		}
		// The pages do not offer what is refused.
		cookies, csrf := e.login("ward3")
		page := e.do(req{method: "GET", path: "/advisories/new", cookies: cookies}).Body.String()
		if strings.Contains(page, `name="active"`) {
			t.Error("the ward officer's advisory form offers to publish")
		}
		if list := e.do(req{method: "GET", path: "/situation-reports", cookies: cookies}).Body.String(); strings.Contains(list, "/situation-reports/new") {
			t.Error("the ward officer's situation report list offers a new one")
		}
		form := url.Values{"csrf_token": {csrf}, "title": {"भारी वर्षा"}, "content": {"नदी किनार नजानुहोला।"}, "type": {"weather"},
			"priority": {"critical"}, "active": {"on"}, "valid_from_bs": {"२०८२-१०-१५"}, "valid_from_time": {"०६:००"}}
		if w := e.do(req{method: "POST", path: "/advisories", cookies: cookies, body: form.Encode()}); w.Code != 403 {
			t.Errorf("ward officer publishes through the form: %d", w.Code)
		}
		form.Del("active")
		if w := e.do(req{method: "POST", path: "/advisories", cookies: cookies, body: form.Encode()}); w.Code != http.StatusSeeOther {
			t.Errorf("ward officer's draft through the form: %d %s", w.Code, w.Body)
		}

		// The office setting grants publishing to ward users (API), and
		// takes it back (settings page).
		if code, _ := do("PUT", "/api/v1/settings/access", `{"ward_users_may_publish":true}`, officer); code != 403 {
			t.Errorf("officer changes the access policy: %d", code)
		}
		if code, body := do("PUT", "/api/v1/settings/access", `{"ward_users_may_publish":true}`, admin); code != 200 {
			t.Fatalf("admin grants: %d %s", code, body)
		}
		if code, body := do("POST", "/api/v1/advisories", advisoryBody, ward3); code != 201 {
			t.Fatalf("ward officer publishes when granted: %d %s", code, body)
		}
		if code, body := do("POST", "/api/v1/situation-reports", sitrepBody, ward3); code != 201 {
			t.Fatalf("ward officer writes a situation report when granted: %d %s", code, body)
		}
		if code, body := do("GET", "/api/v1/settings/access", "", ward3); code != 200 || !strings.Contains(body, `"ward_users_may_publish":true`) {
			t.Errorf("read policy: %d %s", code, body)
		}
		acookies, acsrf := e.login("admin1")
		settings := e.do(req{method: "GET", path: "/settings", cookies: acookies}).Body.String()
		if !strings.Contains(settings, `name="ward_users_may_publish" checked`) {
			t.Error("settings page does not show the policy")
		}
		w := e.do(req{method: "POST", path: "/settings/access", cookies: acookies, body: url.Values{"csrf_token": {acsrf}}.Encode()})
		if w.Code != http.StatusSeeOther {
			t.Fatalf("settings form: %d %s", w.Code, w.Body)
		}
		if code, _ := do("POST", "/api/v1/advisories", advisoryBody, ward3); code != 403 {
			t.Errorf("ward officer publishes after the grant was taken back: %d", code)
		}
		if entries, _ := must.Get2(e.st.ListAudit(t.Context(), store.AuditFilter{Action: "setting.update", EntityID: "policy"}))(t); len(entries) != 2 {
			t.Errorf("%d policy audit entries, want 2", len(entries))
		}
	})
}

func TestOperationsLogWardRule(t *testing.T) {
	each(t, func(t *testing.T, e *testEnv) {
		u := &leoc.User{Username: "ward3", Role: leoc.RoleOfficer, Wards: []int{3}}
		if err := e.st.CreateUser(t.Context(), store.SystemActor, u, mustHash(t)); err != nil {
			t.Fatal(err)
		}
		ward3, officer := e.newToken(u), e.tokens[leoc.RoleOfficer]
		entry := func(ward string) string {
			return `{"date_bs":"2082-10-15","time":"14:30","type":"assessment","description":"Damage assessment"` + ward + `}`
		}
		cases := []struct {
			body, token string
			status      int
			text        string
		}{
			{entry(`,"ward":3`), ward3, 201, `"ward":3`},
			{entry(`,"ward":5`), ward3, 403, "ward 5"},
			{entry(``), ward3, 403, "whole municipality"},
			{entry(`,"ward":0`), ward3, 403, "whole municipality"},
			{entry(``), officer, 201, `"ward":null`},
			{entry(`,"ward":5`), officer, 201, `"ward":5`},
			{entry(`,"ward":42`), officer, 400, "ward"},
		}
		for _, c := range cases {
			w := e.do(req{method: "POST", path: "/api/v1/event-logs", body: c.body, token: c.token, header: map[string]string{"Accept-Language": "en"}})
			if w.Code != c.status || !strings.Contains(w.Body.String(), c.text) {
				t.Errorf("%s: %d %s; want %d %q", c.body, w.Code, w.Body, c.status, c.text)
			}
		}
		// The ward officer's list: own ward and the whole municipality.
		w := e.do(req{method: "GET", path: "/api/v1/event-logs", token: ward3})
		if !strings.Contains(w.Body.String(), `"total":2`) {
			t.Errorf("ward officer's list: %s", w.Body)
		}
		// Editing the municipality-wide entry: refused even when unlocked.
		list, _ := must.Get2(e.st.EventLogs(t.Context(), store.RecordFilter{}))(t)
		for _, l := range list {
			if err := e.st.SetLocked(t.Context(), store.SystemActor, e.users[leoc.RoleAdmin], "event-logs", l.ID, false, "fix it"); err != nil {
				t.Fatal(err)
			}
			want := 200
			if l.Ward != 3 {
				want = 403
			}
			body := strings.Replace(entry(`,"ward":3`), "}", `,"version":1}`, 1)
			if w := e.do(req{method: "PUT", path: "/api/v1/event-logs/" + idString(l.ID), body: body, token: ward3}); w.Code != want {
				t.Errorf("ward officer edits the ward-%d entry: %d, want %d", l.Ward, w.Code, want)
			}
		}
		// The form offers only the ward officer's wards and refuses others.
		cookies, csrf := e.login("ward3")
		page := e.do(req{method: "GET", path: "/event-logs/new", cookies: cookies}).Body.String()
		if !strings.Contains(page, `<option value="3" selected>`) || strings.Contains(page, `<option value="5"`) || strings.Contains(page, "सम्पूर्ण पालिका") {
			t.Errorf("ward officer's form offers other wards")
		}
		form := url.Values{"csrf_token": {csrf}, "date_bs": {"2082-10-15"}, "type": {"assessment"}, "description": {"x y"}, "ward": {"5"}}
		if w := e.do(req{method: "POST", path: "/event-logs", cookies: cookies, body: form.Encode()}); w.Code != 403 {
			t.Errorf("form post for ward 5: %d", w.Code)
		}
		form.Set("ward", "3")
		if w := e.do(req{method: "POST", path: "/event-logs", cookies: cookies, body: form.Encode()}); w.Code != http.StatusSeeOther {
			t.Errorf("form post for ward 3: %d %s", w.Code, w.Body)
		}
	})
}

// BenchmarkDistributionListMasked compares one page (50) of the JSON list
// for a user who sees everything and for a ward-3 officer who sees it all
// masked, and the cheapest call of a ward-limited officer (who costs one
// access-policy read per request). Masking must not change the targets of
// docs/testing.md (list p95 < 30 ms, no-op call < 1 ms).
func BenchmarkDistributionListMasked(b *testing.B) {
	e := newEnv(b, backendSQLite())
	u := &leoc.User{Username: "ward3", Role: leoc.RoleOfficer, Wards: []int{3}}
	if err := e.st.CreateUser(context.Background(), store.SystemActor, u, mustHash(b)); err != nil {
		b.Fatal(err)
	}
	tokens := map[string]string{"admin": e.tokens[leoc.RoleAdmin], "ward3": e.newToken(u)}
	income := `{"kind":"income","amount":"100000","description":"प्रदेश सरकार","date_bs":"2082-10-01"}`
	if w := e.do(req{method: "POST", path: "/api/v1/funds/transactions", body: income, token: tokens["admin"]}); w.Code != http.StatusCreated {
		b.Fatal(w.Code)
	}
	for i := range 50 {
		body := strings.Replace(ward5Distribution, "98-76/543", "98-76/"+strconv.Itoa(1000+i), 1)
		if w := e.do(req{method: "POST", path: "/api/v1/distributions", body: body, token: tokens["admin"]}); w.Code != http.StatusCreated {
			b.Fatalf("create: %d %s", w.Code, w.Body)
		}
	}
	h := e.s.Handler()
	for _, c := range []struct{ name, user, path string }{
		{"list/sees-all", "admin", "/api/v1/distributions?ward=5"},
		{"list/masked", "ward3", "/api/v1/distributions?ward=5"},
		{"noop/ward-officer", "ward3", "/api/v1/me"},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				r := httptest.NewRequest("GET", c.path, nil)
				r.Header.Set("Authorization", "Bearer "+tokens[c.user])
				w := httptest.NewRecorder()
				h.ServeHTTP(w, r)
				if w.Code != http.StatusOK {
					b.Fatal(w.Code)
				}
			}
		})
	}
}
