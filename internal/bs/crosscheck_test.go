package bs

import (
	"testing"
	"time"
)

// TestCrossCheckBikramSambat compares every BS day that the npm package
// bikram-sambat converts (testdata/crosscheck-bikram-sambat.txt, see its
// header and gen-crosscheck.mjs) with this calendar, in both directions.
// Official years must agree exactly. Provisional years are where the public
// tables disagree, so there differences are only counted and logged.
func TestCrossCheckBikramSambat(t *testing.T) {
	c := Default()
	pairs := readPairs(t, "testdata/crosscheck-bikram-sambat.txt")
	strict, provisionalDiff := 0, map[int]int{}
	for _, p := range pairs {
		gotAD, errAD := c.ToAD(p.bs)
		gotBS, errBS := c.FromAD(p.ad)
		agree := errAD == nil && errBS == nil && gotAD.Equal(p.ad) && gotBS == p.bs
		if c.IsProvisional(p.bs.Year) {
			if !agree {
				provisionalDiff[p.bs.Year]++
			}
			continue
		}
		strict++
		if !agree {
			t.Errorf("line %d: bikram-sambat says %s = %s; here ToAD = %v (%v), FromAD = %v (%v)",
				p.line, p.bs, p.ad.Format(time.DateOnly), gotAD.Format(time.DateOnly), errAD, gotBS, errBS)
		}
	}
	if strict < 30000 {
		t.Errorf("only %d days checked strictly; testdata truncated?", strict)
	}
	for y := c.OfficialThrough() + 1; y <= c.LastYear(); y++ {
		if n := provisionalDiff[y]; n > 0 {
			t.Logf("provisional year %d: %d days differ from bikram-sambat", y, n)
		}
	}
	t.Logf("%d days of official years agree with bikram-sambat", strict)
}
