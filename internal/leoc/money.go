package leoc

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"leoc/internal/bs"
)

// Money is an amount of Nepali rupees in paisa (1 rupee = 100 paisa). It is
// an integer so sums are exact; floats are never used for money.
type Money int64

// ErrMoney is returned for text that is not an amount of rupees. The more
// precise errors below wrap it, so errors.Is(err, ErrMoney) holds for all.
var ErrMoney = errors.New("not an amount of rupees")

var (
	// ErrMoneyGrouping: commas that are neither lakh/crore (1,00,000) nor
	// thousands (100,000) grouping, such as "1,2.5" or "10,00".
	ErrMoneyGrouping = fmt.Errorf("%w: commas must group the digits as 1,00,000 or 100,000", ErrMoney)
	// ErrMoneyDecimals: more than two decimals (there is nothing below a paisa).
	ErrMoneyDecimals = fmt.Errorf("%w: at most two decimals", ErrMoney)
	// ErrMoneySign: a sign anywhere; amounts are never negative here.
	ErrMoneySign = fmt.Errorf("%w: no sign allowed", ErrMoney)
	// ErrMoneyTooLarge: beyond MaxMoney.
	ErrMoneyTooLarge = fmt.Errorf("%w: too large", ErrMoney)
)

// MaxMoney is the largest amount ParseMoney reads: far beyond any budget,
// and small enough that sums of many never overflow int64.
const MaxMoney = Money(1_000_000_000_000_000) // 10^13 rupees (ten lakh crore), in paisa

// moneyPrefixes are the currency marks removed from the front of an amount,
// longest first so "Rs." is not read as "Rs" followed by ".50". They are
// compared case-insensitively.
var moneyPrefixes = []string{"npr", "rs.", "rs", "रु.", "रु"}

// Rupees makes an amount from whole rupees.
func Rupees(r int64) Money { return Money(r * 100) }

// ParseMoney reads an amount of rupees as people write it: "4500",
// "4500.5", ".50" and "0.50" (fifty paisa), "4,500.50", "1,00,000",
// "Rs. 1,25,000", "NPR 500", "रु १,२५,०००.००", with ASCII or Devanagari
// digits. A currency mark is removed only from the front. Commas must group
// the digits the Nepali way (1,00,000; 12,34,567) or the international way
// (100,000; 1,234,567). More than two decimals, a sign, or more than
// MaxMoney are refused; every error wraps ErrMoney.
func ParseMoney(s string) (Money, error) {
	s = bs.ASCIIDigits(strings.TrimSpace(s))
	for _, p := range moneyPrefixes {
		if len(s) >= len(p) && strings.EqualFold(s[:len(p)], p) {
			s = strings.TrimSpace(s[len(p):])
			break
		}
	}
	n, problem := parseDecimal(s, 2, 16)
	switch problem {
	case decimalSign:
		return 0, ErrMoneySign
	case decimalBad:
		return 0, ErrMoney
	case decimalGrouping:
		return 0, ErrMoneyGrouping
	case decimalPlaces:
		return 0, ErrMoneyDecimals
	case decimalTooLarge:
		return 0, ErrMoneyTooLarge
	}
	m := Money(n)
	if m > MaxMoney {
		return 0, ErrMoneyTooLarge
	}
	return m, nil
}

func onlyDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// groupedNepali: the last group has three digits, the ones before it two,
// the first one or two and not starting with 0 ("1,00,000", "12,34,567").
func groupedNepali(s string) bool {
	groups := strings.Split(s, ",")
	last := len(groups) - 1
	for i, g := range groups {
		switch {
		case !onlyDigits(g):
			return false
		case i == last && len(g) != 3:
			return false
		case i == 0 && (len(g) < 1 || len(g) > 2 || g[0] == '0'):
			return false
		case i > 0 && i < last && len(g) != 2:
			return false
		}
	}
	return len(groups) > 1
}

// groupedInternational: groups of three after a first group of one to
// three digits not starting with 0 ("100,000", "1,234,567").
func groupedInternational(s string) bool {
	groups := strings.Split(s, ",")
	for i, g := range groups {
		switch {
		case !onlyDigits(g):
			return false
		case i == 0 && (len(g) < 1 || len(g) > 3 || g[0] == '0'):
			return false
		case i > 0 && len(g) != 3:
			return false
		}
	}
	return len(groups) > 1
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

// Nepali formats for print: "रु. १,२५,००,०००.००" (lakh/crore grouping; the
// abbreviation keeps its dot, as docs/glossary.md says).
func (m Money) Nepali() string { return "रु. " + bs.DevanagariDigits(bs.GroupIndian(m.String())) }

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
	if err != nil || n < 0 || n > int64(MaxMoney/100) {
		return ErrMoney
	}
	*m = Money(n * 100)
	return nil
}
