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

// Quantity is an amount of stock in thousandths of the item's unit ("25.5"
// kg is 25500). It is an integer so that the ledger's sums are exact; the
// smallest step a store keeper records is a gram of a kilogram, a millilitre
// of a litre. A movement's quantity is signed (issues take away); whether a
// zero or a negative is allowed is the caller's rule, not the type's.
type Quantity int64

// QuantityScale is the number of thousandths in one unit.
const QuantityScale = 1000

// MaxQuantity is the largest quantity ParseQuantity reads: a million crore
// units (10^13), far beyond any store, and small enough that sums of
// millions of movements never overflow int64.
const MaxQuantity = Quantity(10_000_000_000_000 * QuantityScale)

// ErrQuantity is returned for text that is not a quantity. The more precise
// errors below wrap it, so errors.Is(err, ErrQuantity) holds for all.
var ErrQuantity = errors.New("not a quantity")

var (
	// ErrQuantityDecimals: more than three decimals (nothing below a thousandth).
	ErrQuantityDecimals = fmt.Errorf("%w: at most three decimals", ErrQuantity)
	// ErrQuantitySign: a sign anywhere; what people type is never negative.
	ErrQuantitySign = fmt.Errorf("%w: no sign allowed", ErrQuantity)
	// ErrQuantityTooLarge: beyond MaxQuantity.
	ErrQuantityTooLarge = fmt.Errorf("%w: too large", ErrQuantity)
)

// Units makes a quantity of whole units: Units(3) is "3".
func Units(n int64) Quantity { return Quantity(n * QuantityScale) }

// ParseQuantity reads a quantity as people write it: "25", "25.5", "0.125",
// ".5", "1,200" or "1,00,000" (grouped the Nepali or the international way),
// with ASCII or Devanagari digits ("२५.५"). More than three decimals, a sign,
// or more than MaxQuantity are refused; every error wraps ErrQuantity.
func ParseQuantity(s string) (Quantity, error) {
	s = bs.ASCIIDigits(strings.TrimSpace(s))
	n, problem := parseDecimal(s, 3, 14)
	switch problem {
	case decimalSign:
		return 0, ErrQuantitySign
	case decimalBad, decimalGrouping:
		return 0, ErrQuantity
	case decimalPlaces:
		return 0, ErrQuantityDecimals
	case decimalTooLarge:
		return 0, ErrQuantityTooLarge
	}
	q := Quantity(n)
	if q > MaxQuantity {
		return 0, ErrQuantityTooLarge
	}
	return q, nil
}

// String is the shortest exact decimal: "25", "25.5", "0.125", "-2.25".
// It is the form of JSON, CSV and form fields, and ParseQuantity reads it
// back (the sign aside).
func (q Quantity) String() string {
	sign := ""
	v := uint64(q)
	if q < 0 {
		sign, v = "-", uint64(-q)
	}
	whole, frac := v/QuantityScale, v%QuantityScale
	if frac == 0 {
		return sign + strconv.FormatUint(whole, 10)
	}
	f := strings.TrimRight(fmt.Sprintf("%03d", frac), "0")
	return sign + strconv.FormatUint(whole, 10) + "." + f
}

// Nepali formats for print with Devanagari digits and lakh grouping: "१,२५,०००.५".
func (q Quantity) Nepali() string { return bs.DevanagariDigits(bs.GroupIndian(q.String())) }

// English formats with the same grouping in ASCII digits: "1,25,000.5".
func (q Quantity) English() string { return bs.GroupIndian(q.String()) }

// MarshalJSON writes a decimal string, as money is written: "25.5".
func (q Quantity) MarshalJSON() ([]byte, error) { return []byte(`"` + q.String() + `"`), nil }

// UnmarshalJSON accepts a decimal string ("25.5") or a JSON number (25.5).
// A number is read from its literal digits, never through a float, so 0.1
// stays exactly 100 thousandths; exponents ("1e3") are refused. Negative
// values are refused like in ParseQuantity: signed quantities exist only
// inside the ledger. null leaves the value as it was (encoding/json's rule),
// so a missing quantity stays zero and the caller's zero rule refuses it.
func (q *Quantity) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	text := string(b)
	if text == "null" {
		return nil
	}
	if len(b) > 0 && b[0] == '"' {
		if err := json.Unmarshal(b, &text); err != nil {
			return ErrQuantity
		}
	} else if strings.ContainsAny(text, "eE,") || text == "" {
		return ErrQuantity
	}
	v, err := ParseQuantity(text)
	if err != nil {
		return err
	}
	*q = v
	return nil
}
