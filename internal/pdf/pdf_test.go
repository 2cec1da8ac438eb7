package pdf

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// hardWords are the words the old system's PDF got wrong: conjuncts (क्ष,
// त्र, द्ध, न्द्र), the reph (र्), the short i drawn before its consonant,
// the halant at a word's end, nasal signs.
var hardWords = []string{"दैनिक", "विपद्", "क्षति", "प्रतिवेदन", "स्थानीय", "सञ्चालन", "केन्द्र", "बझाङ", "गाउँपालिका", "वर्षा",
	"पूर्वाधार", "कार्यालय", "बुद्ध", "शुद्ध", "त्रिपुरा", "आपत्कालीन", "विद्युत्", "ज़मीन"}

// needTool skips without a poppler tool, or fails under CI, where
// .ci/run installs poppler-utils.
func needTool(t *testing.T, name string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s not found: apt-get install -y poppler-utils", name)
		}
		t.Skipf("%s not found (apt-get install -y poppler-utils)", name)
	}
	return path
}

func writePDF(t *testing.T, d *Document) string {
	t.Helper()
	var buf bytes.Buffer
	if _, err := d.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "test.pdf")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func run(t *testing.T, name string, args ...string) string {
	t.Helper()
	out, err := exec.Command(needTool(t, name), args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s %v: %v\n%s", name, args, err, out)
	}
	return string(out)
}

func sample(t *testing.T) *Document {
	t.Helper()
	d, err := New()
	if err != nil {
		t.Fatal(err)
	}
	d.Title, d.Lang = "दैनिक विपद् बुलेटिन", "ne"
	f := d.NewFlow()
	f.Paragraph("स्थानीय आपत्कालीन कार्य सञ्चालन केन्द्र, बझाङ", 16, true, Center)
	for _, w := range hardWords {
		f.Paragraph(w+" — "+w, 12, false, Left)
	}
	f.Paragraph("Latin too: LEOC, Thalara Rural Municipality 2082-10-15", 11, false, Left)
	return d
}

func TestExtractedTextIsTheOriginalUnicode(t *testing.T) {
	path := writePDF(t, sample(t))
	text := run(t, "pdftotext", "-enc", "UTF-8", path, "-")
	for _, w := range hardWords {
		if !strings.Contains(text, w+" — "+w) {
			t.Errorf("pdftotext does not give back %q", w)
		}
	}
	for _, w := range []string{"स्थानीय आपत्कालीन कार्य सञ्चालन केन्द्र, बझाङ", "Latin too: LEOC, Thalara Rural Municipality 2082-10-15"} {
		if !strings.Contains(text, w) {
			t.Errorf("pdftotext does not give back %q:\n%s", w, text)
		}
	}
}

func TestFontsAreEmbeddedSubsets(t *testing.T) {
	var buf bytes.Buffer
	if _, err := sample(t).WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	if buf.Len() > 200<<10 {
		t.Errorf("a one-page PDF weighs %d bytes: the fonts are not subsetted", buf.Len())
	}
	path := writePDF(t, sample(t))
	out := run(t, "pdffonts", path)
	lines := strings.Split(strings.TrimSpace(out), "\n") // a header, a rule, then one line per font
	fonts := 0
	for _, l := range lines[2:] {
		f := strings.Fields(l)
		// name type encoding emb sub uni object ID
		if len(f) < 7 || f[len(f)-5] != "yes" || f[len(f)-4] != "yes" {
			t.Errorf("font not embedded as a subset: %q", l)
		}
		if !strings.Contains(f[0], "+Noto") {
			t.Errorf("unexpected font %q", f[0])
		}
		fonts++
	}
	if fonts != 3 {
		t.Errorf("%d fonts, want 3 (Devanagari regular and bold, Latin regular):\n%s", fonts, out)
	}
}

func TestTableRepeatsItsHeaderOnEveryPage(t *testing.T) {
	d, err := New()
	if err != nil {
		t.Fatal(err)
	}
	f := d.NewFlow()
	tb := &Table{Columns: []Column{{Weight: 1}, {Weight: 3}, {Weight: 1, Align: Right}}, Header: []string{"दर्ता नं.", "विवरण", "क्षति"}}
	for i := range 120 {
		tb.Rows = append(tb.Rows, []string{fmt.Sprint(i + 1), "पहिरोले बाटो अवरुद्ध", "१,२५,०००"})
	}
	tb.Footer = [][]string{{"जम्मा", "", "१,५०,००,०००"}}
	f.Table(tb)
	d.NumberPages(func(n, total int) string { return fmt.Sprintf("पृष्ठ %d / %d", n, total) }, 8)
	path := writePDF(t, d)
	pages := d.Pages()
	if pages < 3 {
		t.Fatalf("120 rows fit on %d pages", pages)
	}
	for p := 1; p <= pages; p++ {
		text := run(t, "pdftotext", "-enc", "UTF-8", "-f", fmt.Sprint(p), "-l", fmt.Sprint(p), path, "-")
		if !strings.Contains(text, "दर्ता नं.") || !strings.Contains(text, "विवरण") {
			t.Errorf("page %d lacks the header row", p)
		}
		if !strings.Contains(text, fmt.Sprintf("पृष्ठ %d / %d", p, pages)) {
			t.Errorf("page %d lacks its number", p)
		}
	}
	last := run(t, "pdftotext", "-enc", "UTF-8", "-f", fmt.Sprint(pages), path, "-")
	if !strings.Contains(last, "जम्मा") || !strings.Contains(last, "120") {
		t.Errorf("the last page lacks the last row and the total")
	}
	info := run(t, "pdfinfo", path)
	if !strings.Contains(info, "595.28 x 841.89 pts (A4)") {
		t.Errorf("not A4:\n%s", info)
	}
}

// The page gets shaped glyphs, not characters mapped one by one: क्ष is one
// glyph, the short i of कि is drawn before क, the reph of र्क after it. A
// writer that maps characters to glyphs fails every one of these, though
// its extracted text looks right.
func TestShapingReordersAndJoins(t *testing.T) {
	d, err := New()
	if err != nil {
		t.Fatal(err)
	}
	nominal := func(r rune) uint16 {
		g, ok := d.fonts[devaRegular].face.NominalGlyph(r)
		if !ok {
			t.Fatalf("no glyph for %q", r)
		}
		return uint16(g)
	}
	ids := func(s string) []uint16 {
		var out []uint16
		for _, g := range d.shape(s, false).glyphs {
			out = append(out, g.id)
		}
		return out
	}
	if g := ids("क्ष"); len(g) != 1 {
		t.Errorf("क्ष is %d glyphs, want one conjunct", len(g))
	}
	if g := ids("कि"); len(g) != 2 || g[1] != nominal('क') || g[0] == nominal('क') {
		t.Errorf("कि = %v: the short i must come first, then क (%d)", g, nominal('क'))
	}
	if g := ids("र्क"); len(g) != 2 || g[0] != nominal('क') {
		t.Errorf("र्क = %v: क (%d) first, the reph after it", g, nominal('क'))
	}
	// (बुद्ध keeps its visible halant in Nepali, as Chromium draws it with
	// lang="ne"; its glyphs are the letters'.)
	for _, w := range []string{"दैनिक", "क्षति", "प्रतिवेदन", "स्थानीय", "केन्द्र", "वर्षा", "पूर्वाधार", "कार्यालय", "त्रिपुरा"} {
		var naive []uint16
		for _, r := range w {
			naive = append(naive, nominal(r))
		}
		if got := ids(w); slices.Equal(got, naive) {
			t.Errorf("%s was not shaped: %v", w, got)
		}
	}
}
