package bs

import (
	"bufio"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"leoc/internal/must"
)

func ad(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// datePair is one line of a testdata file: a BS date and the AD date an
// independent source gives for it.
type datePair struct {
	line int
	bs   Date
	ad   time.Time
}

func readPairs(t *testing.T, path string) []datePair {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []datePair
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		bsText, adText, ok := strings.Cut(line, " ")
		y, m, d, ok1 := parseYMD(bsText)
		a, err := time.Parse(time.DateOnly, adText)
		if !ok || !ok1 || err != nil {
			t.Fatalf("%s:%d: bad line %q", path, n, line)
		}
		out = append(out, datePair{n, Date{y, m, d}, a})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestSpotChecks(t *testing.T) {
	c := Default()
	tests := []struct {
		bs Date
		ad time.Time
	}{
		{Date{2000, 1, 1}, ad(1943, time.April, 14)},
		{Date{2082, 1, 1}, ad(2025, time.April, 14)},
		{Date{2081, 4, 1}, ad(2024, time.July, 16)},
		{Date{2082, 10, 15}, ad(2026, time.January, 29)},
		{Date{2082, 4, 1}, ad(2025, time.July, 17)}, // fiscal year 2082/83 began on 17 July 2025
		{Date{2090, 12, 30}, ad(2034, time.April, 13)},
	}
	for _, tt := range tests {
		got, err := c.ToAD(tt.bs)
		if err != nil || !got.Equal(tt.ad) {
			t.Errorf("ToAD(%s) = %v, %v; want %v", tt.bs, got, err, tt.ad)
		}
		back, err := c.FromAD(tt.ad)
		if err != nil || back != tt.bs {
			t.Errorf("FromAD(%v) = %v, %v; want %s", tt.ad, back, err, tt.bs)
		}
	}
}

// TestEveryDayRoundTrips walks the whole range day by day in both
// calendars at once, so every BS date and every AD date in range is hit.
func TestEveryDayRoundTrips(t *testing.T) {
	c := Default()
	d := c.FirstDate()
	a := ad(1943, time.April, 14)
	days := 0
	for {
		gotAD, err := c.ToAD(d)
		if err != nil || !gotAD.Equal(a) {
			t.Fatalf("ToAD(%s) = %v, %v; want %v", d, gotAD, err, a)
		}
		gotBS, err := c.FromAD(a)
		if err != nil || gotBS != d {
			t.Fatalf("FromAD(%v) = %v, %v; want %s", a, gotBS, err, d)
		}
		days++
		if d == c.LastDate() {
			break
		}
		next, err := c.AddDays(d, 1)
		if err != nil || !next.After(d) {
			t.Fatalf("AddDays(%s, 1) = %v, %v", d, next, err)
		}
		d, a = next, a.AddDate(0, 0, 1)
	}
	if _, err := c.FromAD(a.AddDate(0, 0, 1)); !errors.Is(err, ErrOutOfRange) {
		t.Errorf("day after the range: err = %v, want ErrOutOfRange", err)
	}
	if _, err := c.FromAD(ad(1943, time.April, 13)); !errors.Is(err, ErrOutOfRange) {
		t.Errorf("day before the range: err = %v, want ErrOutOfRange", err)
	}
	t.Logf("%d days, %s to %s", days, c.FirstDate(), c.LastDate())
}

// TestNewYearAgainstIndependentSource compares 1 Baishakh of every year with
// another implementation's dates, and checks that each year's month lengths
// add up to the days between its start and the next year's.
func TestNewYearAgainstIndependentSource(t *testing.T) {
	c := Default()
	pairs := readPairs(t, "testdata/baishakh1-nepali-datetime.txt")
	if len(pairs) != c.LastYear()-c.FirstYear()+1 {
		t.Fatalf("%d years in testdata, calendar has %d", len(pairs), c.LastYear()-c.FirstYear()+1)
	}
	for i, p := range pairs {
		got, err := c.ToAD(p.bs)
		if err != nil {
			t.Fatal(err)
		}
		if !got.Equal(p.ad) {
			if c.IsProvisional(p.bs.Year) {
				t.Logf("provisional year %d: 1 Baishakh %s here, %s in nepali-datetime", p.bs.Year, got.Format(time.DateOnly), p.ad.Format(time.DateOnly))
				continue
			}
			t.Errorf("1 Baishakh %d = %s, nepali-datetime says %s", p.bs.Year, got.Format(time.DateOnly), p.ad.Format(time.DateOnly))
		}
		if i+1 == len(pairs) || c.IsProvisional(p.bs.Year) {
			continue
		}
		lengths, _ := DefaultTable().MonthLengths(p.bs.Year)
		sum := 0
		for _, n := range lengths {
			sum += n
		}
		if between := int(pairs[i+1].ad.Sub(p.ad).Hours() / 24); sum != between {
			t.Errorf("year %d: months sum to %d days, but %d days pass until 1 Baishakh %d", p.bs.Year, sum, between, p.bs.Year+1)
		}
	}
}

func TestValidate(t *testing.T) {
	c := Default()
	tests := []struct {
		d    Date
		want error
	}{
		{Date{2082, 10, 15}, nil},
		{Date{2082, 3, 32}, nil},                 // Asar 2082 has 32 days
		{Date{2082, 1, 32}, ErrInvalidDate},      // Baishakh 2082 has 31
		{Date{2082, 13, 1}, ErrInvalidDate},      // no month 13
		{Date{2082, 0, 1}, ErrInvalidDate},       // no month 0
		{Date{2082, 1, 0}, ErrInvalidDate},       // no day 0
		{Date{2082, 1, 33}, ErrInvalidDate},      // no BS month has 33 days
		{Date{1999, 12, 30}, ErrOutOfRange},      // before the table
		{Date{2091, 1, 1}, ErrOutOfRange},        // after the table
		{Date{}, ErrInvalidDate},                 // zero value
		{Date{-5, 1, 1}, ErrOutOfRange},          // nonsense year
		{Date{1 << 40, 12, 30}, ErrOutOfRange},   // huge year must not index the table
		{Date{2082, 1 << 40, 1}, ErrInvalidDate}, // huge month
	}
	for _, tt := range tests {
		err := c.Validate(tt.d)
		if !errors.Is(err, tt.want) || (tt.want == nil) != (err == nil) {
			t.Errorf("Validate(%v) = %v, want %v", tt.d, err, tt.want)
		}
		if _, err2 := c.ToAD(tt.d); (err2 == nil) != (err == nil) {
			t.Errorf("ToAD(%v) error %v disagrees with Validate %v", tt.d, err2, err)
		}
	}
	err := c.Validate(Date{2082, 1, 32})
	if want := "bs: invalid date: 2082-01-32: Baishakh 2082 has 31 days"; err.Error() != want {
		t.Errorf("message %q, want %q", err, want)
	}
}

func TestDaysInMonthAndYear(t *testing.T) {
	c := Default()
	tests := []struct {
		year, month, want int
		err               error
	}{
		{2082, 1, 31, nil},
		{2082, 3, 32, nil},
		{2082, 8, 29, nil},
		{2081, 12, 31, nil},
		{2082, 13, 0, ErrInvalidDate},
		{2095, 1, 0, ErrOutOfRange},
	}
	for _, tt := range tests {
		got, err := c.DaysInMonth(tt.year, tt.month)
		if got != tt.want || !errors.Is(err, tt.err) || (tt.err == nil) != (err == nil) {
			t.Errorf("DaysInMonth(%d, %d) = %d, %v; want %d, %v", tt.year, tt.month, got, err, tt.want, tt.err)
		}
	}
	for y := c.FirstYear(); y <= c.LastYear(); y++ {
		n, err := c.DaysInYear(y)
		if err != nil || (n != 365 && n != 366) {
			t.Errorf("DaysInYear(%d) = %d, %v", y, n, err)
		}
	}
	if n := must.Get(c.DaysInYear(2081))(t); n != 366 {
		t.Errorf("DaysInYear(2081) = %d, want 366", n)
	}
}

func TestAddDaysAndBetween(t *testing.T) {
	c := Default()
	tests := []struct {
		d    Date
		n    int
		want Date
		err  error
	}{
		{Date{2082, 3, 32}, 1, Date{2082, 4, 1}, nil},
		{Date{2082, 4, 1}, -1, Date{2082, 3, 32}, nil},
		{Date{2081, 12, 31}, 1, Date{2082, 1, 1}, nil},
		{Date{2082, 1, 1}, 365, Date{2083, 1, 1}, nil},
		{Date{2082, 10, 15}, 0, Date{2082, 10, 15}, nil},
		{Date{2000, 1, 1}, -1, Date{}, ErrOutOfRange},
		{Date{2090, 12, 30}, 1, Date{}, ErrOutOfRange},
		{Date{2082, 1, 1}, 1 << 62, Date{}, ErrOutOfRange},
		{Date{2082, 1, 1}, -1 << 62, Date{}, ErrOutOfRange},
		{Date{2082, 1, 32}, 1, Date{}, ErrInvalidDate},
	}
	for _, tt := range tests {
		got, err := c.AddDays(tt.d, tt.n)
		if got != tt.want || !errors.Is(err, tt.err) || (tt.err == nil) != (err == nil) {
			t.Errorf("AddDays(%s, %d) = %v, %v; want %v, %v", tt.d, tt.n, got, err, tt.want, tt.err)
		}
		if tt.err == nil {
			if n, err := c.DaysBetween(tt.d, got); n != tt.n || err != nil {
				t.Errorf("DaysBetween(%s, %s) = %d, %v; want %d", tt.d, got, n, err, tt.n)
			}
		}
	}
}

func TestWeekday(t *testing.T) {
	c := Default()
	tests := []struct {
		d    Date
		want time.Weekday
	}{
		{Date{2082, 10, 15}, time.Thursday}, // 2026-01-29
		{Date{2082, 1, 1}, time.Monday},     // 2025-04-14
		{Date{2000, 1, 1}, time.Wednesday},  // 1943-04-14
	}
	for _, tt := range tests {
		got, err := c.Weekday(tt.d)
		if err != nil || got != tt.want {
			t.Errorf("Weekday(%s) = %v, %v; want %v", tt.d, got, err, tt.want)
		}
	}
	if _, err := c.Weekday(Date{2082, 2, 40}); !errors.Is(err, ErrInvalidDate) {
		t.Errorf("Weekday of invalid date: %v", err)
	}
}

func TestProvisional(t *testing.T) {
	tests := []struct {
		year int
		want bool
	}{{2000, false}, {2082, false}, {2083, false}, {2084, true}, {2090, true}, {2200, true}}
	for _, tt := range tests {
		if got := IsProvisional(tt.year); got != tt.want {
			t.Errorf("IsProvisional(%d) = %v, want %v", tt.year, got, tt.want)
		}
	}
}

// FromAD must use the calendar day of t in t's own zone, not UTC's.
func TestFromADUsesGivenZone(t *testing.T) {
	c := Default()
	late := time.Date(2026, time.January, 28, 23, 30, 0, 0, time.FixedZone("X", -10*3600))
	got, err := c.FromAD(late)
	if want := (Date{2082, 10, 14}); err != nil || got != want {
		t.Errorf("FromAD(%v) = %v, %v; want %v", late, got, err, want)
	}
}

func TestDefaultIsShared(t *testing.T) {
	if Default() != Default() {
		t.Error("Default builds a new calendar each call")
	}
}
