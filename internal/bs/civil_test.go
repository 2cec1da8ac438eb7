package bs

import (
	"testing"
	"time"
)

// The day-number helpers must agree with package time everywhere a table
// can reach (AD year 0 to 9999 and a margin), including before 1970.
func TestCivilMatchesTime(t *testing.T) {
	for z := int64(-800_000); z <= 3_000_000; z += 97 {
		tm := time.Unix(z*86400, 0).UTC()
		y, m, d := civilFromDays(z)
		if y != tm.Year() || m != int(tm.Month()) || d != tm.Day() {
			t.Fatalf("civilFromDays(%d) = %d-%d-%d, want %v", z, y, m, d, tm)
		}
		if got := daysFromCivil(y, m, d); got != z {
			t.Fatalf("daysFromCivil(%d, %d, %d) = %d, want %d", y, m, d, got, z)
		}
	}
	if validGregorian(2025, 2, 29) || !validGregorian(2024, 2, 29) || !validGregorian(2000, 2, 29) || validGregorian(1900, 2, 29) {
		t.Error("leap years")
	}
	if got := string(appendISO(nil, -12, 3, 4)); got != "-12-03-04" {
		t.Errorf("appendISO negative year = %q", got)
	}
}
