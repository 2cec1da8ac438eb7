package cap

import (
	"encoding/xml"
	"leoc/internal/sharedtest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"leoc/internal/geo"
	"leoc/internal/leoc"
)

func TestTimeHasNepalOffset(t *testing.T) {
	for _, c := range []struct {
		in   time.Time
		want string
	}{
		{time.Date(2026, 1, 29, 10, 0, 0, 0, time.UTC), "2026-01-29T15:45:00+05:45"},
		{time.Date(2026, 1, 29, 18, 14, 59, 999_000_000, time.UTC), "2026-01-29T23:59:59+05:45"},
		{time.Date(2026, 1, 29, 18, 15, 0, 0, time.UTC), "2026-01-30T00:00:00+05:45"},
		{time.Date(2026, 1, 29, 12, 0, 0, 0, time.FixedZone("CET", 3600)), "2026-01-29T16:45:00+05:45"},
	} {
		if got := Time(c.in); got != c.want {
			t.Errorf("Time(%v) = %s, want %s", c.in, got, c.want)
		}
	}
}

func TestPriorityAndTypeMappings(t *testing.T) {
	want := map[string]Grading{
		"critical": {Urgency: "Immediate", Severity: "Extreme", Certainty: "Observed"},
		"high":     {Urgency: "Expected", Severity: "Severe", Certainty: "Likely"},
		"normal":   {Urgency: "Future", Severity: "Moderate", Certainty: "Possible"},
		"low":      {Urgency: "Future", Severity: "Minor", Certainty: "Possible"},
		"bogus":    {Urgency: "Unknown", Severity: "Unknown", Certainty: "Unknown"},
	}
	for p, g := range want {
		if got := GradingOf(p); got != g {
			t.Errorf("GradingOf(%s) = %+v, want %+v", p, got, g)
		}
	}
	for _, p := range leoc.AdvisoryPriorities {
		if GradingOf(p).Urgency == "Unknown" {
			t.Errorf("priority %s has no CAP grading", p)
		}
	}
	for typ, c := range map[string]string{"weather": "Met", "safety": "Safety", "contact": "Other", "general": "Other", "x": "Other"} {
		if got := CategoryOf(typ); got != c {
			t.Errorf("CategoryOf(%s) = %s, want %s", typ, got, c)
		}
	}
	for _, typ := range leoc.AdvisoryTypes {
		if _, ok := categories[typ]; !ok {
			t.Errorf("type %s has no CAP category", typ)
		}
	}
}

func TestHeadlineAndPolygon(t *testing.T) {
	long := strings.Repeat("बाढी ", 50)
	h := Headline(long)
	if n := len([]rune(h)); n > HeadlineMax || !strings.HasSuffix(h, "…") {
		t.Errorf("headline of %d characters: %d, %q", len([]rune(long)), n, h)
	}
	if Headline("छोटो") != "छोटो" {
		t.Error("short title changed")
	}
	ring := lonLat(80.9, 29.4, 81.0000012, 29.4, 81, 29.4, 81, 29.5, 80.9, 29.5, 80.9, 29.4)
	if got, want := Polygon(ring), "29.4,80.9 29.4,81 29.5,81 29.5,80.9 29.4,80.9"; got != want {
		t.Errorf("Polygon = %q, want %q", got, want)
	}
	if got := Polygon(lonLat(80.9, 29.4, 80.900001, 29.4, 80.9, 29.400001, 80.9, 29.4)); got != "" {
		t.Errorf("a ring that rounds to a point gave %q", got)
	}
}

// lonLat builds a ring from longitude, latitude pairs.
func lonLat(c ...float64) geo.Ring {
	var r geo.Ring
	for i := 0; i+1 < len(c); i += 2 {
		r = append(r, geo.Point{Lon: c[i], Lat: c[i+1]})
	}
	return r
}

func sampleAdvisory(version int) *leoc.Advisory {
	a := &leoc.Advisory{
		Title: "भारी वर्षाको सम्भावना: नदी किनार नजानुहोला", Content: "आज राति बझाङमा भारी वर्षा हुने सम्भावना छ।\nनदी किनारमा नजानुहोला।",
		Type: "weather", Priority: "high", Active: true,
		ValidFrom:  time.Date(2026, 1, 29, 0, 15, 0, 0, time.UTC),
		ValidUntil: time.Date(2026, 1, 30, 18, 14, 0, 0, time.UTC),
	}
	a.ID, a.Version = 12, version
	a.UpdatedAt = time.Date(2026, 1, 29, 10, 0, 0, 0, time.UTC)
	if version > 1 {
		a.PreviousSentAt = time.Date(2026, 1, 29, 9, 0, 0, 0, time.UTC)
	}
	return a
}

func TestFromAdvisory(t *testing.T) {
	src := Source{Sender: "leoc.thalara.gov.np", SenderName: "LEOC, थलारा गाउँपालिका", Event: "मौसम सूचना", AreaDesc: "थलारा गाउँपालिका"}
	a := FromAdvisory(sampleAdvisory(1), src)
	if a.MsgType != "Alert" || a.References != "" || a.Identifier != "leoc.thalara.gov.np.advisory.12.v1" || a.Sent != "2026-01-29T15:45:00+05:45" {
		t.Fatalf("version 1: %+v", a)
	}
	i := a.Info[0]
	if i.Language != "ne-NP" || i.Category[0] != "Met" || i.Urgency != "Expected" || i.Effective != "2026-01-29T06:00:00+05:45" ||
		i.Expires != "2026-01-30T23:59:00+05:45" || len(i.Area[0].Polygon) != 0 {
		t.Fatalf("info: %+v", i)
	}
	u := FromAdvisory(sampleAdvisory(3), src)
	if u.MsgType != "Update" || u.References != "leoc.thalara.gov.np,leoc.thalara.gov.np.advisory.12.v2,2026-01-29T14:45:00+05:45" {
		t.Fatalf("update: %s %q", u.MsgType, u.References)
	}
	open := sampleAdvisory(1)
	open.ValidUntil = time.Time{}
	if FromAdvisory(open, src).Info[0].Expires != "" {
		t.Fatal("an open-ended advisory expires")
	}
}

// requireXmllint finds xmllint (Debian's libxml2-utils). In CI a missing
// xmllint fails the test: the CAP documents must really be checked there.
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

// ValidateAgainstSchema checks documents with xmllint against the OASIS CAP
// 1.2 schema and returns xmllint's complaint per document ("" = valid).
func validate(t *testing.T, docs map[string][]byte) map[string]string {
	t.Helper()
	xmllint := requireXmllint(t)
	xsd := sharedtest.Path(t, "cap-v1.2.xsd")
	dir := t.TempDir()
	out := map[string]string{}
	for name, doc := range docs {
		p := filepath.Join(dir, name+".xml")
		if err := os.WriteFile(p, doc, 0o600); err != nil {
			t.Fatal(err)
		}
		msg, err := exec.Command(xmllint, "--noout", "--schema", xsd, p).CombinedOutput()
		if err != nil {
			out[name] = strings.TrimSpace(string(msg))
		} else {
			out[name] = ""
		}
	}
	return out
}

func TestAlertsValidateAgainstCAPSchema(t *testing.T) {
	boundary, err := os.ReadFile(sharedtest.Path(t, "thalara_boundary.json"))
	if err != nil {
		t.Fatal(err)
	}
	b, err := geo.ParseBoundary(boundary)
	if err != nil {
		t.Fatal(err)
	}
	src := Source{Sender: "leoc.thalara.gov.np", SenderName: "स्थानीय आपतकालीन कार्य सञ्चालन केन्द्र, थलारा गाउँपालिका",
		Event: "मौसम सूचना", AreaDesc: "थलारा गाउँपालिका", Polygon: Polygon(geo.Simplify(b.OuterRing(), 100)),
		Web: "https://leoc.thalara.gov.np/public/advisories", Contact: "गाउँपालिकाको कार्यालय, खोली, बझाङ"}
	docs := map[string][]byte{}
	add := func(name string, a *Alert) {
		doc, err := Marshal(a)
		if err != nil {
			t.Fatal(err)
		}
		docs[name] = doc
	}
	add("alert-with-polygon", FromAdvisory(sampleAdvisory(1), src))
	noArea := src
	noArea.Polygon, noArea.Web, noArea.Contact = "", "", ""
	open := sampleAdvisory(4)
	open.ValidUntil, open.Priority, open.Type = time.Time{}, "critical", "contact"
	open.Title = strings.Repeat("& <special> ", 30)
	add("update-open-ended", FromAdvisory(open, noArea))
	// Controls: the check must be able to fail.
	bad := FromAdvisory(sampleAdvisory(1), src)
	bad.Sent = "2026-01-29T10:00:00Z"
	add("bad-utc-z", bad)
	bad2 := FromAdvisory(sampleAdvisory(1), src)
	bad2.Info[0].Urgency = "Soon"
	add("bad-urgency", bad2)

	got := validate(t, docs)
	for _, name := range []string{"alert-with-polygon", "update-open-ended"} {
		if got[name] != "" {
			t.Errorf("%s is not valid CAP 1.2:\n%s\n%s", name, got[name], docs[name])
		}
	}
	for _, name := range []string{"bad-utc-z", "bad-urgency"} {
		if got[name] == "" {
			t.Errorf("%s passed the schema check; the check is not working", name)
		}
	}
	if !strings.Contains(string(docs["alert-with-polygon"]), `<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">`) {
		t.Errorf("root element: %s", docs["alert-with-polygon"][:200])
	}
	poly := strings.Fields(src.Polygon)
	if len(poly) < 4 || len(poly) > 100 || poly[0] != poly[len(poly)-1] || !strings.HasPrefix(poly[0], "29.") {
		t.Errorf("polygon: %d points, %q … %q", len(poly), poly[0], poly[len(poly)-1])
	}
}

func TestFeed(t *testing.T) {
	src := Source{Sender: "leoc-thalara-rural-municipality", Event: "मौसम सूचना", AreaDesc: "थलारा"}
	a := FromAdvisory(sampleAdvisory(2), src)
	f := NewFeed("https://x/public/cap/index.atom", "सार्वजनिक सूचना", "थलारा", "https://x/public/cap/index.atom", time.Date(2026, 1, 29, 10, 0, 0, 0, time.UTC))
	f.Add("https://x/public/cap/12.xml", a, "https://x/public/cap/12.xml")
	doc, err := Marshal(f)
	if err != nil {
		t.Fatal(err)
	}
	var back struct {
		XMLName xml.Name
		Entries []struct {
			Link struct {
				Href string `xml:"href,attr"`
				Type string `xml:"type,attr"`
			} `xml:"link"`
		} `xml:"entry"`
	}
	if err := xml.Unmarshal(doc, &back); err != nil {
		t.Fatal(err)
	}
	if back.XMLName.Space != "http://www.w3.org/2005/Atom" || len(back.Entries) != 1 || back.Entries[0].Link.Href != "https://x/public/cap/12.xml" ||
		back.Entries[0].Link.Type != "application/cap+xml" {
		t.Fatalf("feed: %s", doc)
	}
}
