package server

import (
	"encoding/json"
	"leoc/internal/sharedtest"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"leoc/internal/bs"
	"leoc/internal/leoc"
	"leoc/internal/must"
	"leoc/internal/store"
)

// seedAdvisories writes advisories straight to the store; the test clock
// stands at 2026-01-29 10:00 UTC.
func seedAdvisories(t *testing.T, e *testEnv) map[string]int64 {
	t.Helper()
	ids := map[string]int64{}
	for _, c := range []struct {
		title, priority string
		active          bool
		from, until     string
	}{
		{"सामान्य सूचना: खानेपानी उमालेर पिउनुहोस्", "normal", true, "2026-01-01T00:00:00+05:45", ""},
		{"अति जरुरी: सेती नदीमा बाढी", "critical", true, "2026-01-29T09:00:00Z", "2026-01-31T00:00:00+05:45"},
		{"म्याद सकिएको सूचना", "critical", true, "2026-01-01T00:00:00Z", "2026-01-29T10:00:00Z"},
		{"भोलिको सूचना", "critical", true, "2026-01-30T00:00:00Z", ""},
		{"निष्क्रिय सूचना", "critical", false, "2026-01-01T00:00:00Z", ""},
	} {
		a := &leoc.Advisory{}
		in := leoc.AdvisoryInput{Title: c.title, Content: "विवरण: " + c.title, Type: "safety", Priority: c.priority, Active: &c.active,
			ValidFrom: c.from, ValidUntil: c.until}
		if err := in.Apply(bs.Default(), a); err != nil {
			t.Fatal(err)
		}
		if err := e.st.CreateAdvisory(t.Context(), store.Actor{Username: "officer1"}, a); err != nil {
			t.Fatal(err)
		}
		ids[c.title] = a.ID
	}
	return ids
}

func TestPublicAdvisories(t *testing.T) {
	each(t, func(t *testing.T, e *testEnv) {
		ids := seedAdvisories(t, e)
		w := e.do(req{method: "GET", path: "/public/advisories"})
		b := w.Body.String()
		if w.Code != 200 || !strings.Contains(b, `<html lang="ne">`) || !strings.Contains(b, "सार्वजनिक सूचना") {
			t.Fatalf("public page: %d", w.Code)
		}
		critical, normal := strings.Index(b, "अति जरुरी: सेती नदीमा बाढी"), strings.Index(b, "सामान्य सूचना: खानेपानी")
		if critical < 0 || normal < 0 || critical > normal {
			t.Errorf("current advisories missing or not highest priority first: %d %d", critical, normal)
		}
		for _, hidden := range []string{"म्याद सकिएको", "भोलिको सूचना", "निष्क्रिय सूचना", "officer1", "csrf-token", "/logout"} {
			if strings.Contains(b, hidden) {
				t.Errorf("public page shows %q", hidden)
			}
		}
		// The language switch works without an account.
		w = e.do(req{method: "POST", path: "/lang", body: "lang=en&next=/public/advisories"})
		if w.Code != http.StatusSeeOther || w.Header().Get("Location") != "/public/advisories" {
			t.Fatalf("switch language: %d %q", w.Code, w.Header().Get("Location"))
		}
		w = e.do(req{method: "GET", path: "/public/advisories", cookies: w.Result().Cookies()})
		if !strings.Contains(w.Body.String(), `<html lang="en">`) || !strings.Contains(w.Body.String(), "Public advisories") {
			t.Fatalf("English public page: %s", w.Body.String())
		}

		w = e.do(req{method: "GET", path: "/public/advisories.json"})
		var doc struct {
			Items []map[string]any `json:"items"`
		}
		if err := json.Unmarshal(w.Body.Bytes(), &doc); err != nil || w.Code != 200 || len(doc.Items) != 2 {
			t.Fatalf("public JSON: %d %v %s", w.Code, err, w.Body.String())
		}
		if doc.Items[0]["id"] != float64(ids["अति जरुरी: सेती नदीमा बाढी"]) || doc.Items[1]["valid_until"] != nil {
			t.Errorf("public JSON order or open end: %v", doc.Items)
		}
		for _, item := range doc.Items {
			var keys []string
			for k := range item {
				keys = append(keys, k)
			}
			if len(keys) != 10 || item["created_by"] != nil || item["locked"] != nil {
				t.Errorf("public JSON exposes %v", keys)
			}
		}
		if cc := w.Header().Get("Cache-Control"); cc != "public, max-age=60" {
			t.Errorf("Cache-Control %q", cc)
		}

		feed := e.do(req{method: "GET", path: "/public/cap/index.atom"})
		fb := feed.Body.String()
		if feed.Code != 200 || feed.Header().Get("Content-Type") != "application/atom+xml; charset=utf-8" || strings.Count(fb, "<entry>") != 2 ||
			!strings.Contains(fb, `href="http://127.0.0.1:5002/public/cap/`+strconv.FormatInt(ids["अति जरुरी: सेती नदीमा बाढी"], 10)+`.xml"`) ||
			strings.Contains(fb, "म्याद सकिएको") {
			t.Fatalf("feed: %d %s", feed.Code, fb)
		}
		// The links come from the configuration, never from the Host header a client sends.
		for _, p := range []string{"/public/cap/index.atom", "/public/cap/" + strconv.FormatInt(ids["अति जरुरी: सेती नदीमा बाढी"], 10) + ".xml"} {
			w := e.withHost("attacker.example", req{method: "GET", path: p})
			if w.Code != 200 || strings.Contains(w.Body.String(), "attacker.example") || !strings.Contains(w.Body.String(), "http://127.0.0.1:5002/public/") {
				t.Errorf("%s with a forged Host: %d %s", p, w.Code, w.Body)
			}
		}
		for title, want := range map[string]int{"अति जरुरी: सेती नदीमा बाढी": 200, "म्याद सकिएको सूचना": 404, "भोलिको सूचना": 404, "निष्क्रिय सूचना": 404} {
			w := e.do(req{method: "GET", path: "/public/cap/" + strconv.FormatInt(ids[title], 10) + ".xml"})
			if w.Code != want {
				t.Errorf("CAP of %s: %d, want %d", title, w.Code, want)
			}
		}
		for _, p := range []string{"/public/cap/999.xml", "/public/cap/1", "/public/cap/01.xml", "/public/cap/x.xml", "/public/cap/-1.xml"} {
			if w := e.do(req{method: "GET", path: p}); w.Code != http.StatusNotFound {
				t.Errorf("%s: %d", p, w.Code)
			}
		}
	})
}

func TestCAPFeedIsValidCAP(t *testing.T) {
	xmllint := requireXmllint(t)
	xsd := sharedtest.Path(t, "cap-v1.2.xsd")
	boundary, err := os.ReadFile(sharedtest.Path(t, "thalara_boundary.json"))
	if err != nil {
		t.Fatal(err)
	}
	each(t, func(t *testing.T, e *testEnv) {
		ids := seedAdvisories(t, e)
		id := ids["अति जरुरी: सेती नदीमा बाढी"]
		path := "/public/cap/" + strconv.FormatInt(id, 10) + ".xml"
		// Without a boundary the area has only its name.
		w := e.do(req{method: "GET", path: path})
		if b := w.Body.String(); w.Code != 200 || strings.Contains(b, "<polygon>") || !strings.Contains(b, "<areaDesc>थलारा गाउँपालिका</areaDesc>") {
			t.Fatalf("CAP without boundary: %d %s", w.Code, b)
		}
		checkCAP(t, xmllint, xsd, w.Body.Bytes())

		if err := e.st.SetBoundary(t.Context(), store.SystemActor, string(boundary), nil); err != nil {
			t.Fatal(err)
		}
		// A second version: an Update that references the first.
		a := must.Get(e.st.Advisory(t.Context(), id))(t)
		must.OK(t, e.st.SetLocked(t.Context(), store.SystemActor, e.users[leoc.RoleAdmin], "advisories", id, false, "extend"))
		e.clock.Add(time.Minute)
		a.ValidUntil = time.Time{}
		if err := e.st.UpdateAdvisory(t.Context(), store.SystemActor, e.users[leoc.RoleAdmin], a); err != nil {
			t.Fatal(err)
		}
		w = e.do(req{method: "GET", path: path})
		b := w.Body.String()
		for _, want := range []string{
			`<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">`, "<identifier>leoc-thalara-rural-municipality.advisory." + strconv.FormatInt(id, 10) + ".v2</identifier>",
			"<sent>2026-01-29T15:46:00+05:45</sent>", "<msgType>Update</msgType>", "<scope>Public</scope>", "<status>Actual</status>",
			"<references>leoc-thalara-rural-municipality,leoc-thalara-rural-municipality.advisory." + strconv.FormatInt(id, 10) + ".v1,2026-01-29T15:45:00+05:45</references>",
			"<language>ne-NP</language>", "<category>Safety</category>", "<event>सुरक्षा निर्देशन</event>", "<urgency>Immediate</urgency>",
			"<severity>Extreme</severity>", "<certainty>Observed</certainty>", "<effective>2026-01-29T14:45:00+05:45</effective>",
			"<polygon>29.", "<web>http://127.0.0.1:5002/public/advisories</web>",
		} {
			if !strings.Contains(b, want) {
				t.Errorf("CAP lacks %s", want)
			}
		}
		if strings.Contains(b, "<expires>") || strings.Contains(b, "officer1") {
			t.Errorf("CAP of an open-ended advisory:\n%s", b)
		}
		if w.Header().Get("Content-Type") != "application/cap+xml; charset=utf-8" {
			t.Errorf("Content-Type %q", w.Header().Get("Content-Type"))
		}
		if t.Failed() {
			t.Logf("%s", b)
		}
		checkCAP(t, xmllint, xsd, w.Body.Bytes())
	})
}

func checkCAP(t *testing.T, xmllint, xsd string, doc []byte) {
	t.Helper()
	p := filepath.Join(t.TempDir(), "alert.xml")
	if err := os.WriteFile(p, doc, 0o600); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(xmllint, "--noout", "--schema", xsd, p).CombinedOutput(); err != nil {
		t.Errorf("not valid CAP 1.2: %v\n%s\n%s", err, out, doc)
	}
}

// requireXmllint finds xmllint (Debian's libxml2-utils); in CI a missing
// one fails the test instead of skipping it.
func requireXmllint(t *testing.T) string {
	t.Helper()
	p, err := exec.LookPath("xmllint")
	if err == nil {
		return p
	}
	msg := "xmllint not found; install it with: apt-get install -y libxml2-utils"
	if os.Getenv("CI") == "true" {
		t.Fatal(msg + " (CI=true: the CAP schema check must run)")
	}
	t.Skip(msg)
	return ""
}
