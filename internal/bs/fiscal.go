package bs

import (
	"fmt"
	"strings"
	"time"
)

// FiscalYear is Nepal's fiscal year (आर्थिक वर्ष), which runs from 1 Shrawan
// of Start to the last day of Asar of Start+1. It is always derived from a
// date, never typed freely, so reports group records the same way.
type FiscalYear struct {
	Start int
}

// shrawan is the month the fiscal year starts in.
const shrawan = 4

// FiscalYearOf returns the fiscal year d falls in. It needs no calendar: the
// boundary is a month boundary.
func FiscalYearOf(d Date) FiscalYear {
	if d.Month >= shrawan {
		return FiscalYear{d.Year}
	}
	return FiscalYear{d.Year - 1}
}

// FiscalYearOfAD returns the fiscal year of the AD calendar day t.Date().
func (c *Calendar) FiscalYearOfAD(t time.Time) (FiscalYear, error) {
	d, err := c.FromAD(t)
	if err != nil {
		return FiscalYear{}, err
	}
	return FiscalYearOf(d), nil
}

// Label is the usual written form, 2082/83; the second part is the last two
// digits of the next year, so 2099/00.
func (fy FiscalYear) Label() string {
	return fmt.Sprintf("%04d/%02d", fy.Start, ((fy.Start+1)%100+100)%100)
}

// AppendLabel appends fy as Label writes it, without fmt or a string for
// the years of four digits (every record's), for the same reason as
// Date.AppendString.
func (fy FiscalYear) AppendLabel(b []byte) []byte {
	if fy.Start < 0 || fy.Start > 9999 {
		return append(b, fy.Label()...)
	}
	b = appendISOYear(b, fy.Start)
	b = append(b, '/')
	return append2(b, ((fy.Start+1)%100+100)%100)
}

// LabelNepali is Label in Devanagari digits, २०८२/८३.
func (fy FiscalYear) LabelNepali() string { return DevanagariDigits(fy.Label()) }

// String is Label.
func (fy FiscalYear) String() string { return fy.Label() }

// First is 1 Shrawan of Start.
func (fy FiscalYear) First() Date { return Date{fy.Start, shrawan, 1} }

// Contains reports whether d falls in fy.
func (fy FiscalYear) Contains(d Date) bool { return FiscalYearOf(d) == fy }

// Last returns the last day of fy, the end of Asar of the next year, whose
// length only the calendar knows.
func (c *Calendar) Last(fy FiscalYear) (Date, error) {
	n, err := c.DaysInMonth(fy.Start+1, shrawan-1)
	if err != nil {
		return Date{}, err
	}
	return Date{fy.Start + 1, shrawan - 1, n}, nil
}

// MarshalText writes fy as its Label; the zero FiscalYear ("none") as "".
func (fy FiscalYear) MarshalText() ([]byte, error) {
	if fy.Start == 0 {
		return []byte{}, nil
	}
	return []byte(fy.Label()), nil
}

// UnmarshalText parses like ParseFiscalYear; "" gives the zero FiscalYear.
func (fy *FiscalYear) UnmarshalText(b []byte) error {
	if strings.TrimSpace(string(b)) == "" {
		*fy = FiscalYear{}
		return nil
	}
	v, err := ParseFiscalYear(string(b))
	if err != nil {
		return err
	}
	*fy = v
	return nil
}

// ParseFiscalYear reads a fiscal year written 2082/83, 082/83 (common in old
// registers), 2082/083 or 2082/2083, with ASCII or Devanagari digits and
// surrounding spaces; '-' may stand for '/'. The second part must be the
// year after the first (2082/84 is rejected). A three-digit start is read
// as 2000 + it: BS 2000 is AD 1943, before any record this system holds.
func ParseFiscalYear(s string) (FiscalYear, error) {
	t := ASCIIDigits(strings.TrimSpace(s))
	i := strings.IndexAny(t, "/-")
	if i < 0 {
		return FiscalYear{}, fmt.Errorf("%w: %q: want a fiscal year like 2082/83", ErrSyntax, s)
	}
	a, b := t[:i], t[i+1:]
	start, okA := atoiDigits(a)
	next, okB := atoiDigits(b)
	if !okA || !okB || (len(a) != 3 && len(a) != 4) || len(b) < 2 || len(b) > 4 {
		return FiscalYear{}, fmt.Errorf("%w: %q: want a fiscal year like 2082/83", ErrSyntax, s)
	}
	if len(a) == 3 {
		start += 2000
	}
	mod := pow10(len(b))
	if next != (start+1)%mod {
		return FiscalYear{}, fmt.Errorf("%w: %q: %s does not follow %d", ErrInvalidDate, s, b, start)
	}
	return FiscalYear{start}, nil
}

func atoiDigits(s string) (int, bool) {
	if s == "" {
		return 0, false
	}
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
		n = n*10 + int(s[i]-'0')
	}
	return n, true
}

func pow10(n int) int {
	p := 1
	for range n {
		p *= 10
	}
	return p
}
