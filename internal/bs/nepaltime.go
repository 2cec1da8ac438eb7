package bs

import (
	"time"
	// The zone database is compiled in so Asia/Kathmandu resolves in a
	// minimal container without /usr/share/zoneinfo.
	_ "time/tzdata"
)

// kathmandu is Nepal's zone. It comes from the zone database rather than a
// fixed +05:45 because Nepal used +05:30 until 1986, and old AD timestamps
// must land on the date people wrote down then. *time.Location is
// immutable, so sharing it is safe.
var kathmandu = loadKathmandu()

func loadKathmandu() *time.Location {
	loc, err := time.LoadLocation("Asia/Kathmandu")
	if err != nil {
		// Unreachable with time/tzdata linked in; a fixed zone is right for
		// every date since 1986.
		return time.FixedZone("NPT", 5*3600+45*60)
	}
	return loc
}

// Kathmandu returns Nepal's time zone.
func Kathmandu() *time.Location { return kathmandu }

// NepalTime returns t as a wall clock in Nepal shows it, whatever the
// server's own zone is.
func NepalTime(t time.Time) time.Time { return t.In(kathmandu) }

// Today returns the BS date in Nepal at the instant now; pass time.Now() in
// production and a fixed instant in tests.
func (c *Calendar) Today(now time.Time) (Date, error) {
	return c.FromAD(NepalTime(now))
}
