package leoc

import (
	"strconv"
	"strings"
)

// decimalProblem is why text is not an exact decimal of a given scale.
type decimalProblem int

const (
	decimalOK       decimalProblem = iota
	decimalBad                     // not a number at all
	decimalSign                    // a sign anywhere: what people type is never negative
	decimalGrouping                // digits and commas, but not grouped the Nepali or international way
	decimalPlaces                  // more decimals than the scale has
	decimalTooLarge                // more whole digits than maxWhole
)

// parseDecimal reads unsigned text with ASCII digits ("4500.5", ".5",
// "1,00,000", "1,200.125") as an integer count of 10^-places: money in
// paisa (places 2), quantities in thousandths (places 3). Commas must group
// the digits the Nepali way (1,00,000; 12,34,567) or the international way
// (100,000; 1,234,567). maxWhole bounds the whole digits so the result
// cannot overflow; the caller checks its own maximum.
func parseDecimal(s string, places, maxWhole int) (int64, decimalProblem) {
	if strings.ContainsAny(s, "+-−") {
		return 0, decimalSign
	}
	whole, frac, hasFrac := strings.Cut(s, ".")
	if (whole == "" && !hasFrac) || (hasFrac && frac == "") || !onlyDigits(frac) {
		return 0, decimalBad
	}
	if strings.Contains(whole, ",") {
		if !groupedNepali(whole) && !groupedInternational(whole) {
			if onlyDigits(strings.ReplaceAll(whole, ",", "")) {
				return 0, decimalGrouping
			}
			return 0, decimalBad
		}
		whole = strings.ReplaceAll(whole, ",", "")
	}
	if !onlyDigits(whole) {
		return 0, decimalBad
	}
	if len(frac) > places {
		return 0, decimalPlaces
	}
	whole = strings.TrimLeft(whole, "0")
	if len(whole) > maxWhole {
		return 0, decimalTooLarge
	}
	var w, f int64
	if whole != "" {
		w, _ = strconv.ParseInt(whole, 10, 64) // at most maxWhole digits: cannot fail
	}
	if frac != "" {
		f, _ = strconv.ParseInt(frac+strings.Repeat("0", places-len(frac)), 10, 64)
	}
	scale := int64(1)
	for range places {
		scale *= 10
	}
	return w*scale + f, decimalOK
}
