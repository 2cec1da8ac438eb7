package demo

import (
	"testing"

	"leoc/internal/leoc"
)

// TestHouseholdIDsHaveDistinctKeys: the household key drops separators and
// leading zeros, so "1-12-345" and "11-2-345" would be one household; demo
// identity numbers of different households never share a key, whatever
// their first two segments.
func TestHouseholdIDsHaveDistinctKeys(t *testing.T) {
	seen := map[string]int{}
	for seq := range 3000 {
		for _, ab := range [][2]int{{1, 12}, {11, 2}, {1, 1}, {77, 99}, {7, 79}} {
			key := leoc.HouseholdKey(householdID(ab[0], ab[1], seq))
			if other, ok := seen[key]; ok && other != seq {
				t.Fatalf("households %d and %d share the key %s", other, seq, key)
			}
			seen[key] = seq
		}
	}
}
