package server

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"

	"leoc/internal/geo"
	"leoc/internal/leoc"
	"leoc/internal/sharedtest"
	"leoc/internal/sharedtest/wardpolygons"
	"leoc/internal/store"
)

const targetedBody = `{"title":"भारी वर्षा","content":"नदी किनार नजानुहोला।","type":"weather","priority":"high","active":true,
	"valid_from":"2026-01-29T06:00:00+05:45","wards":[5,3],"urgency":"Future","severity":"Moderate","certainty":"Possible",
	"title_en":"Heavy rain","content_en":"Keep away from the river banks."}`

// TestTargetedAdvisoryAPI: the API takes and answers wards, grading and
// English text; an advisory without them is municipality-wide with its
// priority's grading; bad values are a 400 naming the field, in the
// user's language, and nothing is saved.
func TestTargetedAdvisoryAPI(t *testing.T) {
	each(t, func(t *testing.T, e *testEnv) {
		officer := e.tokens[leoc.RoleOfficer]
		w := e.do(req{method: "POST", path: "/api/v1/advisories", body: targetedBody, token: officer})
		if w.Code != http.StatusCreated {
			t.Fatalf("create: %d %s", w.Code, w.Body.String())
		}
		m := decodeBody(t, w)
		if fmt.Sprint(m["wards"]) != "[3 5]" || m["urgency"] != "Future" || m["severity"] != "Moderate" || m["certainty"] != "Possible" ||
			m["title_en"] != "Heavy rain" || m["content_en"] != "Keep away from the river banks." {
			t.Errorf("answer: %v", m)
		}
		plain := `{"title":"t","content":"c","type":"general","priority":"critical","valid_from":"2026-01-29T06:00:00+05:45"}`
		m = decodeBody(t, e.do(req{method: "POST", path: "/api/v1/advisories", body: plain, token: officer}))
		if fmt.Sprint(m["wards"]) != "[]" || m["urgency"] != "Immediate" || m["severity"] != "Extreme" || m["certainty"] != "Observed" {
			t.Errorf("an advisory without targets: %v", m)
		}
		before := len(decodeBody(t, e.do(req{method: "GET", path: "/api/v1/advisories", token: officer}))["items"].([]any))
		for field, body := range map[string]string{
			"wards":     strings.Replace(targetedBody, `[5,3]`, `[5,12]`, 1),
			"urgency":   strings.Replace(targetedBody, `"Future"`, `"Soon"`, 1),
			"severity":  strings.Replace(targetedBody, `"Moderate"`, `"moderate"`, 1),
			"certainty": strings.Replace(targetedBody, `"Possible"`, `"Certain"`, 1),
			"title_en":  strings.Replace(targetedBody, `"title_en":"Heavy rain"`, `"title_en":""`, 1),
		} {
			w := e.do(req{method: "POST", path: "/api/v1/advisories", body: body, token: officer, header: map[string]string{"Accept-Language": "en"}})
			if w.Code != http.StatusBadRequest {
				t.Errorf("%s: %d %s", field, w.Code, w.Body.String())
				continue
			}
			fields := decodeBody(t, w)["error"].(map[string]any)["fields"].(map[string]any)
			if msg, ok := fields[field].(string); !ok || msg == "" || strings.Contains(msg, "advisory.") {
				t.Errorf("%s: fields %v", field, fields)
			}
		}
		if w := e.do(req{method: "POST", path: "/api/v1/advisories", body: strings.Replace(targetedBody, `[5,3]`, `"3"`, 1), token: officer}); w.Code != http.StatusBadRequest {
			t.Errorf("wards as a string: %d", w.Code)
		}
		if after := len(decodeBody(t, e.do(req{method: "GET", path: "/api/v1/advisories", token: officer}))["items"].([]any)); after != before {
			t.Errorf("refused advisories were saved: %d → %d", before, after)
		}
	})
}

// TestTargetedAdvisoryFormAndPages: the form sets the wards and grading,
// the detail and the public page say which wards it concerns in the
// page's language, and the public JSON lists them.
func TestTargetedAdvisoryFormAndPages(t *testing.T) {
	each(t, func(t *testing.T, e *testEnv) {
		cookies, csrf := e.login("admin1")
		form := url.Values{"csrf_token": {csrf}, "title": {"पहिरोको जोखिम"}, "content": {"बाटो प्रयोग नगर्नुहोला।"}, "type": {"safety"},
			"priority": {"high"}, "active": {"on"}, "valid_from_bs": {"2082-10-15"}, "valid_from_time": {"06:00"},
			"wards": {"३", "7"}, "urgency": {"Immediate"}, "severity": {""}, "certainty": {"Observed"}, "title_en": {"Landslide risk"}, "content_en": {""}}
		w := e.do(req{method: "POST", path: "/advisories", body: form.Encode(), cookies: cookies})
		if w.Code != http.StatusSeeOther {
			t.Fatalf("form: %d %s", w.Code, w.Body.String())
		}
		loc := w.Header().Get("Location")
		m := decodeBody(t, e.do(req{method: "GET", path: "/api/v1" + loc, token: e.tokens[leoc.RoleAdmin]}))
		if fmt.Sprint(m["wards"]) != "[3 7]" || m["urgency"] != "Immediate" || m["severity"] != "Severe" || m["certainty"] != "Observed" || m["title_en"] != "Landslide risk" {
			t.Errorf("saved from the form: %v", m)
		}
		if b := e.do(req{method: "GET", path: loc, cookies: cookies}).Body.String(); !strings.Contains(b, "वडा नं. ३, ७") {
			t.Errorf("the detail page does not name the wards")
		}
		// A refused ward keeps the form with the message.
		form.Set("wards", "12")
		w = e.do(req{method: "POST", path: "/advisories", body: form.Encode(), cookies: cookies})
		if w.Code != http.StatusUnprocessableEntity || !strings.Contains(w.Body.String(), "पहिरोको जोखिम") {
			t.Errorf("a bad ward: %d", w.Code)
		}
		pub := e.do(req{method: "GET", path: "/public/advisories"}).Body.String()
		if !strings.Contains(pub, `data-wards="3,7"`) || !strings.Contains(pub, "वडा नं. ३, ७") {
			t.Errorf("the public page does not say which wards:\n%s", pub)
		}
		pubEn := e.do(req{method: "GET", path: "/public/advisories", header: map[string]string{"Cookie": "lang=en", "Accept-Language": "en"}}).Body.String()
		if !strings.Contains(pubEn, "Wards 3, 7") || !strings.Contains(pubEn, "Landslide risk") {
			t.Errorf("the English public page does not say which wards in English")
		}
		if b := e.do(req{method: "GET", path: "/public/advisories.json"}).Body.String(); !strings.Contains(b, `"wards":[3,7]`) {
			t.Errorf("public JSON: %s", b)
		}
	})
}

// TestTargetedCAPHasWardAreas: with the ward polygons (Thalara's 9, read by
// the tests' loader until the map branch's store API is joined), the CAP
// alert of an advisory for wards 3 and 5 has a Nepali and an English
// <info>, each with one <area> per ward named by the ward and drawn with
// its simplified polygon; without them, one area with the municipality's
// boundary. Both are valid CAP 1.2.
func TestTargetedCAPHasWardAreas(t *testing.T) {
	xmllint := requireXmllint(t)
	xsd := sharedtest.Path(t, "cap-v1.2.xsd")
	boundary, err := os.ReadFile(sharedtest.Path(t, "thalara_boundary.json"))
	if err != nil {
		t.Fatal(err)
	}
	polys := wardpolygons.Thalara(t)
	each(t, func(t *testing.T, e *testEnv) {
		if err := e.st.SetBoundary(t.Context(), store.SystemActor, string(boundary), nil); err != nil {
			t.Fatal(err)
		}
		m := decodeBody(t, e.do(req{method: "POST", path: "/api/v1/advisories", body: targetedBody, token: e.tokens[leoc.RoleOfficer]}))
		path := fmt.Sprintf("/public/cap/%v.xml", m["id"])

		w := e.do(req{method: "GET", path: path})
		b := w.Body.String()
		if w.Code != 200 || strings.Count(b, "<area>") != 2 || strings.Count(b, "<polygon>") != 2 ||
			!strings.Contains(b, "<areaDesc>थलारा गाउँपालिका, वडा नं. ३, वडा नं. ५</areaDesc>") || !strings.Contains(b, "<language>en-US</language>") {
			t.Errorf("without ward polygons: %d\n%s", w.Code, b)
		}
		checkCAP(t, xmllint, xsd, w.Body.Bytes())

		e.s.wardPolys = func(context.Context) (map[int]geo.Polygon, error) { return polys, nil }
		w = e.do(req{method: "GET", path: path})
		b = w.Body.String()
		for _, want := range []string{"<language>ne-NP</language>", "<language>en-US</language>", "<headline>Heavy rain</headline>",
			"<areaDesc>थलारा गाउँपालिका, वडा नं. ३</areaDesc>", "<areaDesc>थलारा गाउँपालिका, वडा नं. ५</areaDesc>",
			"<areaDesc>Thalara Rural Municipality, Ward 3</areaDesc>", "<urgency>Future</urgency>", "<certainty>Possible</certainty>", "<event>Weather advisory</event>"} {
			if !strings.Contains(b, want) {
				t.Errorf("CAP lacks %s", want)
			}
		}
		if n := strings.Count(b, "<area>"); n != 4 {
			t.Errorf("%d areas, want 2 wards × 2 languages", n)
		}
		for _, poly := range strings.Split(b, "<polygon>")[1:] {
			pts := strings.Fields(poly[:strings.Index(poly, "</polygon>")])
			if len(pts) < 4 || len(pts) > capWardPolygonPoints || pts[0] != pts[len(pts)-1] {
				t.Errorf("a ward polygon of %d points", len(pts))
			}
		}
		if t.Failed() {
			t.Logf("%s", b)
		}
		checkCAP(t, xmllint, xsd, w.Body.Bytes())
	})
}
