// Package glossary enforces docs/glossary.md: the Nepali terms decided once
// for the whole program. It finds banned forms (a word the glossary replaced,
// a misspelling against the spelling policy, a postposition spaced off its
// word) and English words inside Nepali messages. Its tests run it over the
// Nepali catalogs, the templates and the Go code that prints Nepali, so a new
// string that drifts from the glossary fails the build instead of reaching a
// clerk's screen.
package glossary

import (
	"fmt"
	"regexp"
	"strings"
	"unicode"
)

// Problem is one place where a text departs from the glossary.
type Problem struct {
	Where string // file and key or line, filled in by the callers below
	Found string // the offending text
	Rule  string // what the glossary says instead
}

func (p Problem) String() string { return fmt.Sprintf("%s: %q — %s", p.Where, p.Found, p.Rule) }

// A rule bans a form and says what replaces it (docs/glossary.md).
type rule struct {
	re   *regexp.Regexp
	want string
}

// banned are the forms the glossary replaced. Substrings on purpose:
// "संख्या" is also wrong inside "जनसंख्या".
var banned = []rule{
	{regexp.MustCompile(`घटना लग`), "operations log is कार्य सञ्चालन अभिलेख; घटना is the incident register only"},
	{regexp.MustCompile(`लेखाजोखा|लेखापरीक्षण`), "audit trail is गतिविधि अभिलेख"},
	{regexp.MustCompile(`कुञ्जी`), "the code of a list value is कोड"},
	{regexp.MustCompile(`बैशाख`), "the month is वैशाख"},
	{regexp.MustCompile(`अंक`), "spelling policy: nasal as a full letter, अङ्क"},
	{regexp.MustCompile(`संख्या`), "spelling policy: nasal as a full letter, सङ्ख्या"},
	{regexp.MustCompile(`अंग्रेजी`), "spelling policy: nasal as a full letter, अङ्ग्रेजी"},
	{regexp.MustCompile(`मंगल`), "spelling policy: nasal as a full letter, मङ्गल"},
	{regexp.MustCompile(`बिहि`), "the weekday is बिही (बिहीबार)"},
	{regexp.MustCompile(`आपतकालीन`), "spelling policy: keep the final halant, आपत्कालीन"},
	{regexp.MustCompile(`जनता`), "public notices address सर्वसाधारण"},
	{regexp.MustCompile(`आईडी|क्र\.सं\.`), "record number is दर्ता नं."},
	{regexp.MustCompile(`सच्याउनुहोस्`), "edit is सम्पादन गर्नुहोस् (title: … सम्पादन)"},
	{regexp.MustCompile(`बाहिरिनुहोस्`), "log out is लगआउट गर्नुहोस्"},
	{regexp.MustCompile(`दर्शक`), "the read-only role is हेर्ने मात्र"},
	{regexp.MustCompile(`अधिकृत`), "the staff role is कर्मचारी"},
	{regexp.MustCompile(`घरपरिवार`), "household is परिवार"},
	{regexp.MustCompile(`तस्बिर`), "photo is फोटो"},
	{regexp.MustCompile(`किसिम`), "type is प्रकार"},
	// रु without its dot: before a space or a digit (the word रु alone, as a
	// parser's accepted prefix, is not printed text).
	{rupeeWithoutDot, "currency is रु. with the dot"},
}

// रु starting a word ("सुरु " ends in it too).
var rupeeWithoutDot = regexp.MustCompile(`(?:^|[^\p{Devanagari}])(रु[\s0-9०-९])`)

// postpositions are written joined to their word (विपद्को, मितिदेखि), except
// after a digit or a placeholder ("%s देखि", "२३:५९ सम्म").
var spacedPostposition = regexp.MustCompile(`(\p{Devanagari}+) (ले|लाई|को|देखि|सम्म|अनुसार)`)

// Check returns the banned forms in one Nepali text.
func Check(text string) []Problem {
	var out []Problem
	for _, r := range banned {
		for _, m := range r.re.FindAllStringSubmatch(text, -1) {
			out = append(out, Problem{Found: m[len(m)-1], Rule: r.want})
		}
	}
	for _, m := range spacedPostposition.FindAllStringSubmatchIndex(text, -1) {
		prev, _ := lastRune(text[m[2]:m[3]])
		if !isDevanagariLetter(prev) {
			continue
		}
		// Only a whole word: "को" must not be the start of "कोड", nor
		// "सम्म" of "सम्मान".
		if next, ok := firstRune(text[m[5]:]); ok && isDevanagariLetter(next) {
			continue
		}
		out = append(out, Problem{Found: text[m[2]:m[5]], Rule: "join the postposition to its word (" + text[m[4]:m[5]] + ")"})
	}
	return out
}

// AllowedEnglish are the Latin-script words a Nepali message may hold: the
// glossary's "keep in English" list, then format and standard names that
// have no Nepali form (each with its reason in docs/glossary.md).
var AllowedEnglish = map[string]bool{
	"PDF": true, "CSV": true, "Excel": true, "JSON": true, "API": true, "IP": true, "MB": true, "GPS": true,
	"CAP": true, "A4": true, "Ctrl+P": true,
	"LEOC": true,                                                                     // the centre's own abbreviation
	"JPG":  true, "PNG": true, "GIF": true, "WebP": true, "Word": true, "docx": true, // file formats as the file names show them
	"Atom":  true,              // the feed format
	"UTF-8": true, "RFC": true, // standards named by their number
	"YYYY-MM-DD": true, "YYYY-MM": true, "HH:MM": true, // the date and time masks typed in forms
}

// placeholders (%s, %d, %v; {ward} in the texts scripts fill) and quoted literals ('leoc unlock-key set',
// 'application/json') are not words of the message: a command or a value
// the reader types exactly.
var (
	placeholder = regexp.MustCompile(`%[-+# 0-9.]*[a-zA-Z]|\{[a-z_]+\}`)
	quoted      = regexp.MustCompile(`'[^']*'`)
	latinWord   = regexp.MustCompile(`[A-Za-z][A-Za-z0-9+_:./-]*`)
)

// CheckEnglish returns the English words in a Nepali message that are not
// in AllowedEnglish.
func CheckEnglish(text string) []Problem {
	text = quoted.ReplaceAllString(placeholder.ReplaceAllString(text, " "), " ")
	var out []Problem
	for _, w := range latinWord.FindAllString(text, -1) {
		w = strings.TrimRight(w, ".:/-")
		if !AllowedEnglish[w] {
			out = append(out, Problem{Found: w, Rule: "English in a Nepali message: translate it, or quote a literal the reader types ('…')"})
		}
	}
	return out
}

func isDevanagariLetter(r rune) bool {
	return unicode.Is(unicode.Devanagari, r) && !(r >= '०' && r <= '९') && r != '।' && r != '॥'
}

func firstRune(s string) (rune, bool) {
	for _, r := range s {
		return r, true
	}
	return 0, false
}

func lastRune(s string) (rune, bool) {
	rs := []rune(s)
	if len(rs) == 0 {
		return 0, false
	}
	return rs[len(rs)-1], true
}
