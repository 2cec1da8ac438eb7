package i18n

import (
	"leoc/internal/leoc"
	"leoc/internal/must"
	"regexp"
	"slices"
	"strings"
	"testing"
)

func TestCatalogsHaveTheSameKeys(t *testing.T) {
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	ne, en := c.Keys("ne"), c.Keys("en")
	for _, k := range ne {
		if !slices.Contains(en, k) {
			t.Errorf("%s is in ne but not in en", k)
		}
	}
	for _, k := range en {
		if !slices.Contains(ne, k) {
			t.Errorf("%s is in en but not in ne", k)
		}
	}
	if len(ne) < 100 {
		t.Fatalf("only %d keys", len(ne))
	}
}

var verb = regexp.MustCompile(`%[-+# 0-9.]*[a-zA-Z]`)

// TestCatalogsAgreeOnArguments: a translation that drops or adds a %d
// would print garbage in one language only.
func TestCatalogsAgreeOnArguments(t *testing.T) {
	c := must.Get(Load())(t)
	for _, k := range c.Keys("en") {
		en, ne := c.T("en", k), c.T("ne", k)
		if strings.TrimSpace(en) == "" || strings.TrimSpace(ne) == "" {
			t.Errorf("%s is empty", k)
		}
		if a, b := verb.FindAllString(en, -1), verb.FindAllString(ne, -1); !slices.Equal(a, b) {
			t.Errorf("%s: en has %v, ne has %v", k, a, b)
		}
	}
}

func TestTranslate(t *testing.T) {
	c := must.Get(Load())(t)
	if got := c.T("ne", "list.page_of", 2, 10); got != "पृष्ठ २ / १०" {
		t.Errorf("Nepali digits: %q", got)
	}
	if got := c.T("en", "list.page_of", 2, 10); got != "Page 2 of 10" {
		t.Errorf("English: %q", got)
	}
	if got := c.T("en", "no.such.key"); got != "no.such.key" {
		t.Errorf("missing key: %q", got)
	}
	if got := c.T("fr", "nav.home"); got != c.T(Default, "nav.home") {
		t.Errorf("unknown language falls back to the default: %q", got)
	}
	if got := c.T("en", "nav.home", 5); got != "Home" {
		t.Errorf("extra argument garbles a verb-less message: %q", got)
	}
}

func TestNegotiate(t *testing.T) {
	for in, want := range map[string]string{"en-US,en;q=0.9": "en", "ne-NP": "ne", "fr, en;q=0.5": "en", "fr": "", "": ""} {
		if got := Negotiate(in); got != want {
			t.Errorf("Negotiate(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestNumberArgumentsFollowTheLanguage(t *testing.T) {
	c := must.Get(Load())(t)
	ne := c.T("ne", "fund.insufficient", leoc.Number("12,500.00"), leoc.Number("1,000.00"))
	if !strings.Contains(ne, "१२,५००.००") || !strings.Contains(ne, "१,०००.००") {
		t.Errorf("Nepali message: %q", ne)
	}
	if en := c.T("en", "fund.insufficient", leoc.Number("12,500.00"), leoc.Number("1,000.00")); !strings.Contains(en, "12,500.00") {
		t.Errorf("English message: %q", en)
	}
}

// A grouped count may stand for %d, beside plain whole numbers, in both languages.
func TestGroupedCountsForD(t *testing.T) {
	c := must.Get(Load())(t)
	if got := c.T("ne", "list.page_of", leoc.Grouped(3), leoc.Grouped(21903)); got != "पृष्ठ ३ / २१,९०३" {
		t.Errorf("Nepali: %q", got)
	}
	if got := c.T("en", "list.page_of", leoc.Grouped(1), 100000); got != "Page 1 of 100000" {
		t.Errorf("English with an int beside: %q", got)
	}
	if got := c.T("en", "list.page_of", leoc.Grouped(2), leoc.Grouped(100000)); got != "Page 2 of 1,00,000" {
		t.Errorf("English: %q", got)
	}
}

// TestNestedMessages: a message built from parts reads in one language —
// the register named by its label, a list joined, digits converted — and a
// label missing from the catalogs shows its fallback, not a key.
func TestNestedMessages(t *testing.T) {
	c, _ := Load()
	where := leoc.MsgList{leoc.Usage("incidents", 3), leoc.M("setting.usage_users", "ram, sita"), leoc.Usage("no-such-register", 2)}
	ne := c.Msg("ne", leoc.M("setting.in_use", where))
	if want := "यो मान प्रयोगमा छ, त्यसैले मेटाउन मिल्दैन: विपद् घटना (३), प्रयोगकर्ता (ram, sita), no-such-register (२)"; ne != want {
		t.Errorf("ne: %q\nwant %q", ne, want)
	}
	en := c.Msg("en", leoc.M("setting.in_use", where))
	if want := "This value is in use and cannot be deleted: Incident (3), users (ram, sita), no-such-register (2)"; en != want {
		t.Errorf("en: %q\nwant %q", en, want)
	}
	if got := c.List("ne", leoc.MsgList{leoc.Usage("distributions", 1)}); got != "राहत वितरण (१)" {
		t.Errorf("List: %q", got)
	}
}
