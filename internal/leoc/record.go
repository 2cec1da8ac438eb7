package leoc

import (
	"errors"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"leoc/internal/bs"
)

// Record is what every register row carries besides its own fields: the
// lock, the version that guards against lost updates, and who wrote it.
type Record struct {
	ID        int64
	Locked    bool
	Version   int
	CreatedAt time.Time
	CreatedBy string
	UpdatedAt time.Time
	UpdatedBy string
}

// Dated is a BS date with what is derived from it: the AD date for sorting
// and ranges, and the fiscal year for reports. Only SetDate fills it, so the
// three never disagree.
type Dated struct {
	DateBS     bs.Date
	DateAD     time.Time
	FiscalYear bs.FiscalYear
}

// SetDate validates a typed BS date against the calendar and derives the
// rest; a problem is reported on field.
func (d *Dated) SetDate(v *Validation, cal *bs.Calendar, field, raw string) {
	if strings.TrimSpace(raw) == "" {
		v.Add(field, "field.required")
		return
	}
	date, err := cal.Parse(raw)
	if err != nil {
		v.Add(field, DateErrorKey(err))
		return
	}
	ad, err := cal.ToAD(date)
	if err != nil {
		v.Add(field, DateErrorKey(err))
		return
	}
	d.DateBS, d.DateAD, d.FiscalYear = date, ad, bs.FiscalYearOf(date)
}

// DateErrorKey is the message for a calendar error.
func DateErrorKey(err error) string {
	if errors.Is(err, bs.ErrOutOfRange) {
		return "date.out_of_range"
	}
	return "date.invalid"
}

var clockTime = regexp.MustCompile(`^([01][0-9]|2[0-3]):[0-5][0-9]$`)

// CheckTime validates an optional time of day "HH:MM" (Devanagari digits
// accepted) and returns it in ASCII.
func CheckTime(v *Validation, field, raw string) string {
	t := bs.ASCIIDigits(strings.TrimSpace(raw))
	if t == "" {
		return ""
	}
	if len(t) == 4 && t[1] == ':' {
		t = "0" + t
	}
	if !clockTime.MatchString(t) {
		v.Add(field, "time.invalid")
	}
	return t
}

// CheckText trims a text field and checks its length in characters.
func CheckText(v *Validation, field string, s *string, required bool, maxLen int) {
	*s = NormalizeText(strings.TrimSpace(*s))
	if required && *s == "" {
		v.Add(field, "field.required")
		return
	}
	if utf8.RuneCountInString(*s) > maxLen {
		v.Add(field, "field.too_long", maxLen)
	}
}

// CheckChoice checks that a value is one of the allowed keys.
func CheckChoice(v *Validation, field, value string, allowed []string) {
	for _, a := range allowed {
		if value == a {
			return
		}
	}
	if value == "" {
		v.Add(field, "field.required")
		return
	}
	v.Add(field, "field.choice")
}

// NormalizeText puts text into Unicode NFC, so a name typed with a
// different sequence of Devanagari code points still matches.
func NormalizeText(s string) string { return norm.NFC.String(s) }
