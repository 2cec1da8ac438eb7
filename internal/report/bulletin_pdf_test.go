package report_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"leoc/internal/i18n"
	"leoc/internal/store"
	"leoc/internal/store/storetest"
)

// pdfText extracts a PDF's text with poppler's pdftotext, the way a reader
// copying from the bulletin gets it.
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	tool, err := exec.LookPath("pdftotext")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("pdftotext not found: apt-get install -y poppler-utils")
		}
		t.Skip("pdftotext not found (apt-get install -y poppler-utils)")
	}
	path := filepath.Join(t.TempDir(), "bulletin.pdf")
	if err := os.WriteFile(path, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(tool, "-enc", "UTF-8", "-layout", path, "-").CombinedOutput()
	if err != nil {
		t.Fatalf("pdftotext: %v\n%s", err, out)
	}
	return string(out)
}

func TestBulletinPDFReadsBack(t *testing.T) {
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	storetest.Run(t, func(t *testing.T, s *store.Store) {
		fixture(t, s)
		b := build(t, s, "2082-10-15", "", 7)
		var buf bytes.Buffer
		if err := b.PDF(&buf, "ne", func(k string, a ...any) string { return cat.T("ne", k, a...) }); err != nil {
			t.Fatal(err)
		}
		text := pdfText(t, buf.Bytes())
		// The hard words, and the figures of the fixture's day.
		for _, want := range []string{"दैनिक", "विपद्", "क्षति", "प्रतिवेदन", "स्थानीय", "सञ्चालन", "केन्द्र", "बझाङ", "गाउँपालिका", "वर्षा",
			"पूर्वाधार", "कार्यालय", "थलारा गाउँपालिका", "सिटरेप नं. ७", "१५ माघ २०८२", "१९,५०,०००.५०", "धान खेती २ रोपनी",
			"जिल्ला विपद् व्यवस्थापन समितिसँग समन्वय बैठक", "नदी किनारमा नजानुहोस्", "पृष्ठ १ / "} {
			if !strings.Contains(text, want) {
				t.Errorf("the PDF's text lacks %q", want)
			}
		}
		for _, unwanted := range []string{"आगलागी", "पछिको मौसम", "म्याद सकिएको"} {
			if strings.Contains(text, unwanted) {
				t.Errorf("the PDF shows %q, which is not of that day", unwanted)
			}
		}
		if t.Failed() {
			t.Log(text)
		}
	})
}
