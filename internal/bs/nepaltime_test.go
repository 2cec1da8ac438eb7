package bs

import (
	"testing"
	"time"

	"leoc/internal/must"
)

func TestNepalTime(t *testing.T) {
	// 18:20 UTC is 00:05 the next day in Kathmandu (UTC+05:45).
	now := time.Date(2026, time.January, 28, 18, 20, 0, 0, time.UTC)
	np := NepalTime(now)
	if np.Day() != 29 || np.Hour() != 0 || np.Minute() != 5 {
		t.Errorf("NepalTime(%v) = %v", now, np)
	}
	if _, off := np.Zone(); off != 5*3600+45*60 {
		t.Errorf("offset %d", off)
	}
	got, err := Default().Today(now)
	if err != nil || got != (Date{2082, 10, 15}) {
		t.Errorf("Today(%v) = %v, %v; want 2082-10-15", now, got, err)
	}
	// The server's own zone must not matter: the same instant seen from
	// New York is still the 29th in Nepal.
	ny := time.FixedZone("EST", -5*3600)
	if got := must.Get(Default().Today(now.In(ny)))(t); got != (Date{2082, 10, 15}) {
		t.Errorf("Today from another zone = %v", got)
	}
	// A minute earlier it is still the 28th in Nepal.
	if got := must.Get(Default().Today(now.Add(-6 * time.Minute)))(t); got != (Date{2082, 10, 14}) {
		t.Errorf("Today just before midnight = %v", got)
	}
}

// Nepal was on UTC+05:30 until 1986; the zone database knows it.
func TestNepalTimeBefore1986(t *testing.T) {
	_, off := NepalTime(time.Date(1980, 6, 1, 0, 0, 0, 0, time.UTC)).Zone()
	if off != 5*3600+30*60 {
		t.Errorf("1980 offset = %d, want +05:30", off)
	}
	if Kathmandu().String() != "Asia/Kathmandu" {
		t.Errorf("zone %q", Kathmandu())
	}
}
