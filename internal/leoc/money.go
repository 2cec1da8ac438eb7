package leoc

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"leoc/internal/bs"
)

// Money is an amount of Nepali rupees in paisa (1 rupee = 100 paisa). It is
// an integer so sums are exact; floats are never used for money.
type Money int64

// ErrMoney is returned for text that is not an amount of rupees.
var ErrMoney = errors.New("not an amount of rupees")

// Rupees makes an amount from whole rupees.
func Rupees(r int64) Money { return Money(r * 100) }

// ParseMoney reads "4500", "4500.5", "4,500.50", "रु १,२५,०००.००" or with
// Devanagari digits. At most two decimals; negative amounts are refused
// (callers that need a sign handle it themselves).
func ParseMoney(s string) (Money, error) {
	s = bs.ASCIIDigits(strings.TrimSpace(s))
	s = strings.TrimSpace(strings.TrimPrefix(strings.TrimPrefix(s, "रु"), "Rs"))
	s = strings.TrimPrefix(s, ".")
	s = strings.ReplaceAll(s, ",", "")
	if s == "" {
		return 0, ErrMoney
	}
	whole, frac, hasFrac := strings.Cut(s, ".")
	if whole == "" || (hasFrac && (frac == "" || len(frac) > 2)) {
		return 0, ErrMoney
	}
	for _, part := range []string{whole, frac} {
		for _, r := range part {
			if r < '0' || r > '9' {
				return 0, ErrMoney
			}
		}
	}
	w, err := strconv.ParseInt(whole, 10, 64)
	if err != nil || w > math.MaxInt64/100-1 {
		return 0, ErrMoney
	}
	p := int64(0)
	if frac != "" {
		p, _ = strconv.ParseInt(frac, 10, 64)
		if len(frac) == 1 {
			p *= 10
		}
	}
	return Money(w*100 + p), nil
}

// String is the plain decimal form used in JSON and CSV: "4500.00".
func (m Money) String() string {
	sign := ""
	v := int64(m)
	if v < 0 {
		sign, v = "-", -v
	}
	return fmt.Sprintf("%s%d.%02d", sign, v/100, v%100)
}

// Nepali formats for print: "रु १,२५,००,०००.००" (lakh/crore grouping).
func (m Money) Nepali() string { return "रु " + bs.DevanagariDigits(bs.GroupIndian(m.String())) }

// English formats with the same grouping in ASCII digits: "Rs 1,25,00,000.00".
func (m Money) English() string { return "Rs " + bs.GroupIndian(m.String()) }

// MarshalJSON writes a decimal string: "4500.00".
func (m Money) MarshalJSON() ([]byte, error) { return []byte(`"` + m.String() + `"`), nil }

// UnmarshalJSON accepts a decimal string or an integer number of rupees;
// a number with a fraction is refused, because it may already have been
// rounded by a float somewhere.
func (m *Money) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return ErrMoney
		}
		v, err := ParseMoney(s)
		if err != nil {
			return err
		}
		*m = v
		return nil
	}
	n, err := strconv.ParseInt(string(b), 10, 64)
	if err != nil || n < 0 || n > math.MaxInt64/100-1 {
		return ErrMoney
	}
	*m = Money(n * 100)
	return nil
}
