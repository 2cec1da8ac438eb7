package leoc

import (
	"strings"

	"leoc/internal/bs"
)

// NormalizePhone reads a phone number as people write it — Devanagari or
// ASCII digits, spaces, dashes, dots, brackets, a leading + — and returns it
// in ASCII digits (with the +), if it has 7 to 15 digits.
func NormalizePhone(raw string) (string, bool) {
	s := strings.TrimSpace(bs.ASCIIDigits(raw))
	var b strings.Builder
	for i, r := range s {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == '+' && i == 0:
			b.WriteRune(r)
		case strings.ContainsRune(" -.()", r):
		default:
			return "", false
		}
	}
	digits := len(strings.TrimPrefix(b.String(), "+"))
	return b.String(), digits >= 7 && digits <= 15
}
