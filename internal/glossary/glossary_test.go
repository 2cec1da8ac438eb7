package glossary

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The project's own files, found from this package's directory.
const (
	nepaliCatalogs = "../i18n/catalog/ne/*.json"
	templates      = "../server/templates"
	goSources      = ".."
)

// TestNepaliCatalogsFollowTheGlossary: every message of every Nepali
// catalog file (read by glob: files other branches add are included).
func TestNepaliCatalogsFollowTheGlossary(t *testing.T) {
	problems, files, err := CheckCatalogs(nepaliCatalogs)
	if err != nil {
		t.Fatal(err)
	}
	if files < 10 {
		t.Fatalf("only %d catalog files found by %s", files, nepaliCatalogs)
	}
	for _, p := range problems {
		t.Error(p)
	}
}

func TestTemplatesFollowTheGlossary(t *testing.T) {
	problems, files, err := CheckTemplates(templates)
	if err != nil {
		t.Fatal(err)
	}
	if files < 30 {
		t.Fatalf("only %d templates under %s", files, templates)
	}
	for _, p := range problems {
		t.Error(p)
	}
}

// TestGoPrintedNepaliFollowsTheGlossary: the Nepali written in Go string
// literals (months, money, seeds, store texts, PDFs, demo data). This
// package is left out: its rules spell the banned forms.
func TestGoPrintedNepaliFollowsTheGlossary(t *testing.T) {
	self, _ := filepath.Abs(".")
	problems, files, err := CheckGoSources(goSources, func(path string) bool {
		abs, _ := filepath.Abs(path)
		return filepath.Dir(abs) == self
	})
	if err != nil {
		t.Fatal(err)
	}
	if files < 50 {
		t.Fatalf("only %d Go files under %s", files, goSources)
	}
	for _, p := range problems {
		t.Error(p)
	}
}

// TestCheckerCatchesPlantedForms: the checker itself, on planted input, so
// the tests above cannot pass by checking nothing.
func TestCheckerCatchesPlantedForms(t *testing.T) {
	bad := map[string]string{
		"घटना लग सम्पादन":       "घटना लग",
		"लेखाजोखा अभिलेख":       "लेखाजोखा",
		"लेखापरीक्षणमा रहन्छ":   "लेखापरीक्षण",
		"सूचीको कुञ्जी":         "कुञ्जी",
		"१ बैशाख २०८२":          "बैशाख",
		"अंकमा लेख्नुहोस्":      "अंक",
		"घटना संख्या":           "संख्या",
		"जनताले देख्ने पृष्ठ":   "जनता",
		"घटना आईडी":             "आईडी",
		"क्र.सं.":               "क्र.सं.",
		"रु १,०००.००":           "रु ",
		"रु 500":                "रु ",
		"विपद्को प्रकार अनुसार": "प्रकार अनुसार",
		"राम ले बुझिलिएँ":       "राम ले",
		"प्रशासक लाई सम्पर्क":   "प्रशासक लाई",
		"वडा को नाम":            "वडा को",
		"मिति देखि":             "मिति देखि",
		"मिति सम्म":             "मिति सम्म",
		"सूचना सच्याउनुहोस्":    "सच्याउनुहोस्",
		"स्थानीय आपतकालीन कार्य सञ्चालन केन्द्र": "आपतकालीन",
		"नाम (अंग्रेजी)": "अंग्रेजी",
		"मंगलबार":        "मंगल",
		"बिहि":           "बिहि",
		"बाहिरिनुहोस्":   "बाहिरिनुहोस्",
		"दर्शक":          "दर्शक",
		"अधिकृत":         "अधिकृत",
		"जोखिममा रहेको घरपरिवार": "घरपरिवार",
		"तस्बिर धेरै ठूलो छ":     "तस्बिर",
		"किसिम": "किसिम",
	}
	for text, want := range bad {
		ps := Check(text)
		if len(ps) == 0 || !strings.Contains(ps[0].Found, strings.TrimSpace(want)) {
			t.Errorf("Check(%q) = %v; want it to find %q", text, ps, want)
		}
	}
	for _, good := range []string{
		"विपद्को प्रकारअनुसार", "म रामले माथि उल्लिखित राहत बुझिलिएँ।", "%s देखि %s सम्म", "२३:५९ सम्म मान्य हुन्छ",
		"१ देखि ९९ सम्म", "रु. १,०००.००", "प्रकार कोड", "सम्मानित", "आंशिक क्षति", "मंसिर", "सङ्ख्या", "अङ्क",
		"(प्रशासक वा अनुमति पाएका प्रयोगकर्ता)", "वैशाख", "बिहीबार",
	} {
		if ps := Check(good); len(ps) > 0 {
			t.Errorf("Check(%q) = %v; want nothing", good, ps)
		}
	}
	for text, want := range map[string]string{
		"अनुरोधको Content-Type मिलेन":         "Content-Type",
		"अभिलेखको संस्करण (version) दिनुहोस्": "version",
		"ब्राउजरको Print बटन":                 "Print",
		"incidents: 3 मा प्रयोग":              "incidents",
	} {
		ps := CheckEnglish(text)
		if len(ps) != 1 || ps[0].Found != want {
			t.Errorf("CheckEnglish(%q) = %v; want %q", text, ps, want)
		}
	}
	for _, ok := range []string{"PDF डाउनलोड गर्नुहोस्", "Ctrl+P थिच्नुहोस्", "“%s” मा", "सर्भरमा 'leoc unlock-key set' चलाउनुहोस्",
		"YYYY-MM-DD ढाँचामा", "बढीमा %d MB", "A4 मा छाप्नुहोस्"} {
		if ps := CheckEnglish(ok); len(ps) > 0 {
			t.Errorf("CheckEnglish(%q) = %v; want nothing", ok, ps)
		}
	}
}

// TestCheckerReadsPlantedFiles: a catalog file another branch adds, a
// template and a Go file with a banned form are each found, by file name.
func TestCheckerReadsPlantedFiles(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) {
		t.Helper()
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("ne/core.json", `{"a.ok": "विपद् घटना"}`)
	write("ne/new-branch.json", `{"x.title": "घटना लग", "x.key": "list key (कोड)"}`)
	write("templates/page.html", `<p>{{.T "x"}} जनताका लागि</p><p>Submit</p>`)
	write("code/months.go", "package code\n\n// बैशाख in a comment is not printed.\nvar m = []string{\"बैशाख\", \"जेठ\"}\n")
	ps, files, err := CheckCatalogs(filepath.Join(dir, "ne", "*.json"))
	if err != nil || files != 2 {
		t.Fatalf("catalogs: %d files, %v", files, err)
	}
	if len(ps) != 3 || ps[0].Where != "new-branch.json x.key" || ps[0].Found != "list" || ps[2].Where != "new-branch.json x.title" {
		t.Errorf("catalog problems: %v", ps)
	}
	ps, _, err = CheckTemplates(filepath.Join(dir, "templates"))
	if err != nil || len(ps) != 2 || ps[0].Found != "जनता" || ps[1].Found != "Submit" {
		t.Errorf("template problems: %v %v", ps, err)
	}
	ps, _, err = CheckGoSources(filepath.Join(dir, "code"), func(string) bool { return false })
	if err != nil || len(ps) != 1 || !strings.HasSuffix(ps[0].Where, "months.go:4") {
		t.Errorf("Go problems: %v %v", ps, err)
	}
}
