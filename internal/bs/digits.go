package bs

import (
	"strings"
	"unicode/utf8"
)

// Devanagari digits ०–९ are U+0966–U+096F, in the same order as 0–9, so the
// conversion in both directions is an offset.
const devanagariZero = '०'

// DevanagariDigits replaces the ASCII digits 0–9 in s by ०–९ and leaves
// everything else as it is. Printed Nepali reports use these digits.
func DevanagariDigits(s string) string {
	if strings.IndexFunc(s, isASCIIDigit) < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) * 3)
	for _, r := range s {
		if isASCIIDigit(r) {
			r = devanagariZero + (r - '0')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// ASCIIDigits replaces the Devanagari digits ०–९ in s by 0–9 and leaves
// everything else as it is, so input typed on a Nepali keyboard can be
// parsed like any other.
func ASCIIDigits(s string) string {
	if strings.IndexFunc(s, isDevanagariDigit) < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if isDevanagariDigit(r) {
			r = '0' + (r - devanagariZero)
		}
		b.WriteRune(r)
	}
	return b.String()
}

func isASCIIDigit(r rune) bool      { return r >= '0' && r <= '9' }
func isDevanagariDigit(r rune) bool { return r >= '०' && r <= '९' }

// GroupIndian inserts commas into a number the South Asian way — the last
// three digits, then groups of two (lakh, crore): "125000000" becomes
// "12,50,00,000". A leading sign and a fractional part after '.' are kept
// and not grouped; ASCII and Devanagari digits are both counted, so
// GroupIndian(DevanagariDigits(s)) works. Anything that is not such a
// number is returned unchanged.
func GroupIndian(digits string) string {
	sign, rest := "", digits
	if rest != "" && (rest[0] == '-' || rest[0] == '+') {
		sign, rest = rest[:1], rest[1:]
	}
	intPart, frac := rest, ""
	if i := strings.IndexByte(rest, '.'); i >= 0 {
		intPart, frac = rest[:i], rest[i:]
		if !allDigits(frac[1:]) {
			return digits
		}
	}
	if intPart == "" || !allDigits(intPart) {
		return digits
	}
	n := utf8.RuneCountInString(intPart)
	if n <= 3 {
		return digits
	}
	var b strings.Builder
	b.Grow(len(digits) + n/2)
	b.WriteString(sign)
	// Digits before the last three are grouped in pairs, so a comma goes
	// before every digit whose distance from the last-three group is even.
	head := n - 3
	i := 0
	for _, r := range intPart {
		if i > 0 && i <= head && (head-i)%2 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
		i++
	}
	b.WriteString(frac)
	return b.String()
}

func allDigits(s string) bool {
	for _, r := range s {
		if !isASCIIDigit(r) && !isDevanagariDigit(r) {
			return false
		}
	}
	return true
}
