package store

import (
	"reflect"
	"testing"
)

func TestSplitRangeCutsWholeMonthsAndEndDays(t *testing.T) {
	for _, tc := range []struct {
		from, to string
		want     []rangePart
	}{
		{"2025-01-14", "2026-01-13", []rangePart{{from: "2025-01-14", to: "2025-01-31"}, {from: "2026-01-01", to: "2026-01-13"}, {from: "2025-02", to: "2025-12", months: true}}},
		{"2025-02-01", "2025-02-28", []rangePart{{from: "2025-02", to: "2025-02", months: true}}},
		{"2024-02-01", "2024-02-28", []rangePart{{from: "2024-02-01", to: "2024-02-28"}}}, // 2024 is a leap year
		{"2025-02-02", "2025-03-30", []rangePart{{from: "2025-02-02", to: "2025-03-30"}}},
		{"2025-02-02", "2025-02-03", []rangePart{{from: "2025-02-02", to: "2025-02-03"}}},
		{"", "2025-03-15", []rangePart{{from: "2025-03-01", to: "2025-03-15"}, {to: "2025-02", months: true}}},
		{"2025-03-15", "", []rangePart{{from: "2025-03-15", to: "2025-03-31"}, {from: "2025-04", months: true}}},
		{"2025-03-01", "", []rangePart{{from: "2025-03", months: true}}},
		{"2025-12-31", "2026-01-31", []rangePart{{from: "2025-12-31", to: "2025-12-31"}, {from: "2026-01", to: "2026-01", months: true}}},
		{"bad", "2025-01-01", []rangePart{{from: "bad", to: "2025-01-01"}}},
	} {
		if got := splitRange(tc.from, tc.to); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("splitRange(%q, %q) = %+v, want %+v", tc.from, tc.to, got, tc.want)
		}
	}
}
