package e2e

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"leoc/internal/glossary"
)

// TestNepaliReadsRight: the pages people print and check — the relief
// receipt, an incident, the audit trail and the settings — read in the
// terms of docs/glossary.md in a real browser: the receipt's sentence with
// the collector named, the signature boxes, रु. with its dot, entered/changed
// by, edit/delete, the audit actions and registers in Nepali, the in-use
// reason without the store's English. Each page's visible text passes the
// glossary's checker, and a full-page PNG of each is saved (in the test's
// temporary directory, and in LEOC_SCREENSHOT_DIR when set) for a person
// to look at.
func TestNepaliReadsRight(t *testing.T) {
	chromium := requireChromium(t)
	a := startApp(t, "")
	token := createToken(t, a)
	for _, c := range []struct{ path, body string }{
		{"/api/v1/funds/transactions", `{"kind":"income","amount":"5000","description":"प्रदेश सरकारबाट अनुदान","date_bs":"2082-10-01"}`},
		{"/api/v1/incidents", `{"date_bs":"2082-10-15","time":"02:10","type":"landslide","ward":3,"tole":"बिष्खेत","description":"भारी वर्षापछि पहिरो",
			"deaths_male":1,"injured":3,"affected_households":4,"houses_destroyed":1,"road_blocked":true,"estimated_loss":"125000.50"}`},
		{"/api/v1/distributions", `{"household_name":"राम बहादुर थापा","household_id":"12-34/567","father_name":"हरि थापा","phone":"9848000001",
			"received_by":"श्याम थापा","incident_id":1,"date_bs":"2082-10-16","ward":3,"tole":"खोली",
			"members":[{"name":"राम बहादुर थापा","relation":"घरमूली","age":45,"sex":"male"}],
			"items":[{"item":"rice","quantity":30}],"cash":"1500.50"}`},
	} {
		postJSON(t, a, token, c.path, c.body)
	}

	b := newBrowser(t, chromium, a)
	b.open(t, "/login")
	b.login(t, "admin", a.AdminPassword)
	for _, p := range []struct {
		name, path string
		want       []string
	}{
		{"receipt", "/distributions/1/print", []string{"राहत हस्तान्तरण भरपाई",
			"म श्याम थापाले घरमूली राम बहादुर थापाको तर्फबाट माथि उल्लिखित राहत बुझिलिएँ।",
			"बुझिलिनेको सही", "बुझाउनेको सही", "प्रमाणित गर्ने", "बायाँ ल्याप्चे", "दायाँ ल्याप्चे", "रु. १,५००.५०", "बाबु वा पति/पत्नीको नाम"}},
		{"incident", "/incidents/1", []string{"घटना दर्ता नं. १: पहिरो", "रु. १,२५,०००.५०", "दर्ता गर्ने", "सम्पादन गर्नुहोस्", "मेटाउनुहोस्", "माघ"}},
		{"audit", "/audit", []string{"गतिविधि अभिलेख", "अभिलेख दर्ता गरियो", "विपद् घटना", "राहत वितरण", "फिल्टर गर्नुहोस्", "फिल्टर हटाउनुहोस्", "लगआउट गर्नुहोस्"}},
		{"settings", "/settings", []string{"कोड", "नाम (अङ्ग्रेजी)", "स्थानीय आपत्कालीन कार्य सञ्चालन केन्द्र",
			"प्रयोगमा छ: विपद् घटना (१), राहत वितरण (१); त्यसैले मेटाउन मिल्दैन।"}},
	} {
		if st := b.open(t, p.path); st != 200 {
			t.Fatalf("GET %s: %d", p.path, st)
		}
		b.wantText(t, "body", p.want...)
		b.wantTranslated(t)
		text := b.text(t, "main")
		for _, problem := range glossary.Check(text) {
			t.Errorf("%s: %s", p.path, problem)
		}
		for _, leak := range []string{"incidents:", "distributions:", "users:", "audit_trail", "user_id", "municipality"} {
			if strings.Contains(text, leak) {
				t.Errorf("%s shows the store's English %q", p.path, leak)
			}
		}
		fullScreenshot(t, b, p.name)
	}
	// The seeded list labels are the values of the settings' inputs.
	label := run(t, b, "read a seeded label", chromedp.Value(chromedp.CSS(`input[name="label_ne"][aria-label$="(full_disability)"]`)))
	if label != "पूर्ण अशक्त अपाङ्गता" {
		t.Errorf("seeded allowance label %q", label)
	}
	b.wantClean(t)
}

// fullScreenshot saves the whole page (not only the viewport: a receipt's
// signature boxes are at its foot) as a PNG, like screenshot does.
func fullScreenshot(t *testing.T, b *browser, name string) {
	t.Helper()
	png := run(t, b, "screenshot "+name, chromedp.FullScreenshot(100)) // 100: PNG
	if !bytes.HasPrefix(png, []byte("\x89PNG")) {
		t.Fatalf("screenshot %s is not a PNG", name)
	}
	dirs := []string{b.shots}
	if dir := os.Getenv("LEOC_SCREENSHOT_DIR"); dir != "" {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			t.Fatal(err)
		}
		dirs = append(dirs, dir)
	}
	for _, dir := range dirs {
		file := filepath.Join(dir, name+".png")
		if err := os.WriteFile(file, png, 0o640); err != nil {
			t.Fatal(err)
		}
		t.Logf("screenshot: %s", file)
	}
}
