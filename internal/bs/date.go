package bs

import (
	"bytes"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// Date is a BS calendar date. It is a plain comparable value; whether it
// exists is a question for a Calendar (Validate). The zero Date means "no
// date".
type Date struct {
	Year, Month, Day int
}

var monthsNepali = [12]string{"वैशाख", "जेठ", "असार", "साउन", "भदौ", "असोज", "कात्तिक", "मंसिर", "पुस", "माघ", "फागुन", "चैत"}

var monthsEnglish = [12]string{"Baishakh", "Jestha", "Asar", "Shrawan", "Bhadra", "Asoj", "Kartik", "Mangsir", "Poush", "Magh", "Falgun", "Chaitra"}

var weekdaysNepali = [7]string{"आइतबार", "सोमबार", "मङ्गलबार", "बुधबार", "बिहीबार", "शुक्रबार", "शनिबार"}

// MonthNepali returns the Nepali name of BS month m (1 = वैशाख), "" if m is
// not 1–12.
func MonthNepali(m int) string {
	if m < 1 || m > 12 {
		return ""
	}
	return monthsNepali[m-1]
}

// MonthEnglish returns the English transliteration of BS month m (1 =
// Baishakh), "" if m is not 1–12.
func MonthEnglish(m int) string {
	if m < 1 || m > 12 {
		return ""
	}
	return monthsEnglish[m-1]
}

// WeekdayNepali returns the Nepali name of w (time.Sunday = आइतबार).
func WeekdayNepali(w time.Weekday) string {
	if w < time.Sunday || w > time.Saturday {
		return ""
	}
	return weekdaysNepali[w]
}

// IsZero reports whether d is the zero Date.
func (d Date) IsZero() bool { return d == Date{} }

// Compare returns -1, 0 or +1 as d is before, equal to or after e.
func (d Date) Compare(e Date) int {
	switch {
	case d.Year != e.Year:
		return cmpInt(d.Year, e.Year)
	case d.Month != e.Month:
		return cmpInt(d.Month, e.Month)
	}
	return cmpInt(d.Day, e.Day)
}

func cmpInt(a, b int) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// Before reports whether d is earlier than e.
func (d Date) Before(e Date) bool { return d.Compare(e) < 0 }

// After reports whether d is later than e.
func (d Date) After(e Date) bool { return d.Compare(e) > 0 }

// String formats d as YYYY-MM-DD with ASCII digits, e.g. 2082-10-15.
func (d Date) String() string {
	var b [16]byte
	return string(appendISO(b[:0], d.Year, d.Month, d.Day))
}

// AppendString appends d as String writes it: a list answer writes
// thousands of dates, and a string each is an allocation each.
func (d Date) AppendString(b []byte) []byte { return appendISO(b, d.Year, d.Month, d.Day) }

// Devanagari formats d as YYYY-MM-DD with Devanagari digits, e.g.
// २०८२-१०-१५, as printed in Nepali reports.
func (d Date) Devanagari() string { return DevanagariDigits(d.String()) }

// LongNepali formats d as day, month name and year in Nepali, e.g.
// १५ माघ २०८२.
func (d Date) LongNepali() string {
	return DevanagariDigits(fmt.Sprintf("%d %s %d", d.Day, MonthNepali(d.Month), d.Year))
}

// LongEnglish formats d as day, month name and year, e.g. 15 Magh 2082.
func (d Date) LongEnglish() string {
	return fmt.Sprintf("%d %s %d", d.Day, MonthEnglish(d.Month), d.Year)
}

// MarshalText writes d as YYYY-MM-DD, so dates travel in JSON and forms in
// the same form people type them; the zero Date ("no date") is written "".
func (d Date) MarshalText() ([]byte, error) {
	if d.IsZero() {
		return []byte{}, nil
	}
	return appendISO(nil, d.Year, d.Month, d.Day), nil
}

// UnmarshalText parses like Parse, validating against the default calendar;
// "" (or only spaces) gives the zero Date.
func (d *Date) UnmarshalText(b []byte) error {
	if len(bytes.TrimSpace(b)) == 0 {
		*d = Date{}
		return nil
	}
	v, err := Parse(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// Parse reads a BS date and checks it against the default calendar; see
// Calendar.Parse.
func Parse(s string) (Date, error) { return Default().Parse(s) }

// Parse reads a BS date written YYYY-MM-DD or YYYY/MM/DD, with ASCII or
// Devanagari digits (२०८२-१०-१५) and surrounding spaces, and checks that
// the date exists in c. Month and day may have one digit.
func (c *Calendar) Parse(s string) (Date, error) {
	y, m, d, ok := parseYMD(s)
	if !ok {
		return Date{}, fmt.Errorf("%w: %q: want YYYY-MM-DD", ErrSyntax, s)
	}
	date := Date{y, m, d}
	if err := c.Validate(date); err != nil {
		return Date{}, err
	}
	return date, nil
}

// ParseStored reads a date written as Parse reads it, without checking it
// against a calendar: for dates that were checked when they were saved, so
// that an imported calendar table cannot make stored records unreadable.
// It does not allocate (a list reads a date per row).
func ParseStored(s string) (Date, bool) {
	y, m, d, ok := parseYMD(s)
	return Date{y, m, d}, ok
}

// parseYMD is the shared syntax of BS and AD dates: a 4-digit year, then
// month and day of 1–2 digits, separated by the same '-' or '/', in ASCII or
// Devanagari digits (mixed is accepted: people type what their keyboard
// gives). It does not allocate.
func parseYMD(s string) (y, m, d int, ok bool) {
	s = strings.TrimSpace(s)
	var parts [3]int
	var sep rune
	part, digits := 0, 0
	for i := 0; i < len(s); {
		r, size := rune(s[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(s[i:])
		}
		i += size
		if v, isDigit := digitValue(r); isDigit {
			digits++
			if (part == 0 && digits > 4) || (part > 0 && digits > 2) {
				return 0, 0, 0, false
			}
			parts[part] = parts[part]*10 + v
			continue
		}
		if r != '-' && r != '/' || part == 2 || (sep != 0 && r != sep) {
			return 0, 0, 0, false
		}
		if (part == 0 && digits != 4) || (part > 0 && digits == 0) {
			return 0, 0, 0, false
		}
		sep = r
		part++
		digits = 0
	}
	if part != 2 || digits == 0 {
		return 0, 0, 0, false
	}
	return parts[0], parts[1], parts[2], true
}

// digitValue accepts ASCII 0–9 and Devanagari ०–९.
func digitValue(r rune) (int, bool) {
	switch {
	case r >= '0' && r <= '9':
		return int(r - '0'), true
	case r >= '०' && r <= '९':
		return int(r - '०'), true
	}
	return 0, false
}
