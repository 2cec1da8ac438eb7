package leoc

import (
	"strings"
	"unicode"

	"golang.org/x/text/cases"
	"golang.org/x/text/language"
	"golang.org/x/text/unicode/norm"
)

// HouseholdKey is the one form in which every register compares the identity
// number that names a household (citizenship, social-security card or the
// municipality's household number): relief distributions (the duplicate
// check and the households count), the social-security beneficiaries
// register and the household lookup of the relief form all store and compare
// this key, so a household is recognised however its number was typed.
//
// The rule, in order: Unicode compatibility normalisation (full-width and
// other compatibility forms become plain ones); default-ignorable characters (zero-width space and
// joiners, soft hyphen, byte-order mark, variation selectors) and combining
// marks are dropped; every Unicode decimal digit (Devanagari, Arabic-Indic,
// Bengali, …) becomes its ASCII digit; every other character that is not a
// letter or a digit is a separator (space, - – / . _ : , \ | …) and is
// dropped, but ends a numeric segment; leading zeros of each numeric segment
// are removed; letters are upper-cased. "12-034/0567", "१२–३४ ५६७" and
// "１２_３４_５６７" all give "1234567". An identity with no letter or digit
// gives "".
//
// The normalisation is NFKD rather than NFKC so that a letter typed with a
// combining mark ("A" + U+0301) and its precomposed form ("Á") both lose the
// mark: under NFKC the pair would compose into a different letter and a mark
// would again tell two spellings of one number apart.
//
// Changing this rule changes stored keys: add a data migration like
// rekeyHouseholds in internal/store that recomputes them and reports the
// records that come to collide.
func HouseholdKey(id string) string { return householdKey(id, true) }

// HouseholdSearchKey is HouseholdKey with the leading zeros kept: what a
// search looks in, so that the start of a number typed without its
// separators ("120175" for "12-01-75/1234") still finds it. Identity is
// never compared in this form.
func HouseholdSearchKey(id string) string { return householdKey(id, false) }

func householdKey(id string, trimZeros bool) string {
	// Upper-casing can produce characters that NFKD or the filter change
	// again ("ß" becomes "SS", some capitals decompose), so fold once more.
	folded := householdFold(cases.Upper(language.Und).String(householdFold(id)))
	var b strings.Builder
	b.Grow(len(folded))
	inNumber := false // inside a numeric segment that has had a non-zero digit
	for i := 0; i < len(folded); {
		c := folded[i]
		switch {
		case c == ' ':
			inNumber = false
			i++
			continue
		case c >= '0' && c <= '9':
			if c == '0' && !inNumber && trimZeros {
				// A leading zero: kept only when the segment is all zeros.
				j := i
				for j < len(folded) && folded[j] == '0' {
					j++
				}
				if j < len(folded) && folded[j] >= '1' && folded[j] <= '9' {
					i = j
					continue
				}
				b.WriteByte('0')
				i = j
				continue
			}
			inNumber = true
			b.WriteByte(c)
			i++
			continue
		}
		// A letter (possibly multi-byte) ends a numeric segment.
		inNumber = false
		j := i + 1
		for j < len(folded) && folded[j] >= 0x80 && folded[j] < 0xC0 {
			j++
		}
		b.WriteString(folded[i:j])
		i = j
	}
	return b.String()
}

// householdFold applies NFKD, drops default-ignorable characters and
// combining marks, makes decimal digits ASCII and turns everything else that
// is not a letter into a space.
func householdFold(s string) string {
	s = norm.NFKD.String(s)
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case defaultIgnorable(r) || unicode.Is(unicode.M, r):
		case unicode.Is(unicode.Nd, r):
			b.WriteByte(byte('0' + decimalValue(r)))
		case unicode.IsLetter(r):
			b.WriteRune(r)
		default:
			b.WriteByte(' ')
		}
	}
	return b.String()
}

// defaultIgnorable approximates Unicode's Default_Ignorable_Code_Point: the
// format characters (Cf: zero-width space, ZWNJ, ZWJ, soft hyphen, BOM,
// bidirectional marks), variation selectors and the other code points the
// standard lists (Hangul fillers, combining grapheme joiner, …).
func defaultIgnorable(r rune) bool {
	return unicode.In(r, unicode.Cf, unicode.Variation_Selector, unicode.Other_Default_Ignorable_Code_Point)
}

// decimalValue is the value of a Unicode decimal digit (category Nd).
// Unicode encodes every set of decimal digits as ten consecutive code points
// from zero to nine, and the ranges of unicode.Nd start at a zero, so the
// value is the distance from the range start modulo ten.
func decimalValue(r rune) int {
	for _, rg := range unicode.Nd.R16 {
		if rune(rg.Lo) <= r && r <= rune(rg.Hi) {
			return int(r-rune(rg.Lo)) % 10
		}
	}
	for _, rg := range unicode.Nd.R32 {
		if rune(rg.Lo) <= r && r <= rune(rg.Hi) {
			return int(r-rune(rg.Lo)) % 10
		}
	}
	return 0
}
