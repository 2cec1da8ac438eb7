// Package bs is an exact Bikram Sambat (BS) calendar: conversion to and from
// the Gregorian (AD) calendar, validation, parsing and formatting of BS
// dates, Nepal's fiscal year and Nepal time. The month lengths come from a
// table (calendar.txt, embedded) that an operator can extend without a new
// release; see docs/calendar.md. Nothing here does I/O beyond the readers
// and writers passed in, and nothing is mutable after construction.
package bs

import (
	"errors"
	"fmt"
	"io"
	"sync"
	"sync/atomic"
	"time"
)

// Errors wrapped by the calendar so callers can show a translated message
// with errors.Is. The wrapping error's text adds the detail in English.
var (
	// ErrSyntax: the text is not a date in one of the accepted forms.
	ErrSyntax = errors.New("bs: malformed date")
	// ErrInvalidDate: the date cannot exist (month 13, day 0, day 32 of a
	// 31-day month).
	ErrInvalidDate = errors.New("bs: invalid date")
	// ErrOutOfRange: the date may exist but the table does not cover it.
	ErrOutOfRange = errors.New("bs: date outside the supported calendar range")
)

// Calendar converts between BS and AD for the years of one table. It is
// safe for concurrent use. Its table can be replaced as a whole while it is
// in use (Replace), so a running server picks up a newly imported official
// table without a restart; each method call works on one table.
type Calendar struct {
	cur atomic.Pointer[span]
}

// span is one table's precomputed days; never changed once built.
type span struct {
	firstYear, lastYear int
	officialThrough     int
	// monthStart[i*12+m] is the AD day number (days since 1970-01-01) of
	// the first day of month m+1 of year firstYear+i; one extra entry marks
	// the day after the last month. Precomputing it makes every conversion
	// a couple of array reads.
	monthStart []int32
}

var defaultCalendar = sync.OnceValue(func() *Calendar {
	c, err := New(DefaultTable())
	if err != nil {
		panic("bs: embedded calendar.txt is inconsistent: " + err.Error())
	}
	return c
})

// Default returns the calendar built from the embedded table.
func Default() *Calendar { return defaultCalendar() }

// Load returns a calendar from the embedded table with the years read from r
// laid over it (see ParseTable and Table.Merge): the way to use an official
// table published after this program was built.
func Load(r io.Reader) (*Calendar, error) {
	u, err := ParseTable(r)
	if err != nil {
		return nil, err
	}
	t, err := DefaultTable().Merge(u)
	if err != nil {
		return nil, err
	}
	return New(t)
}

// New builds a calendar from t. At least one year of t must carry the AD
// date of its 1 Baishakh; every other year is placed from the month lengths,
// and any further AD dates in t must agree.
func New(t *Table) (*Calendar, error) {
	if t == nil || len(t.rows) == 0 {
		return nil, &TableError{0, "no year lines"}
	}
	anchor := -1
	for i, r := range t.rows {
		if r.pinned {
			anchor = i
			break
		}
	}
	if anchor < 0 {
		return nil, &TableError{0, "no year gives the AD date of its 1 Baishakh; add it after the month lengths of one year"}
	}
	n := len(t.rows)
	yearStart := make([]int64, n+1)
	yearStart[anchor] = t.rows[anchor].start
	for i := anchor; i < n; i++ {
		yearStart[i+1] = yearStart[i] + int64(t.rows[i].days())
	}
	for i := anchor - 1; i >= 0; i-- {
		yearStart[i] = yearStart[i+1] - int64(t.rows[i].days())
	}
	c := &span{
		firstYear:       t.FirstYear(),
		lastYear:        t.LastYear(),
		officialThrough: t.officialThrough,
		monthStart:      make([]int32, n*12+1),
	}
	for i, r := range t.rows {
		if r.pinned && r.start != yearStart[i] {
			return nil, &TableError{r.line, fmt.Sprintf("year %d: the month lengths put 1 Baishakh on %s but the table says %s",
				r.year, appendCivil(nil, yearStart[i]), appendCivil(nil, r.start))}
		}
		day := yearStart[i]
		for m, l := range r.months {
			c.monthStart[i*12+m] = int32(day)
			day += int64(l)
		}
	}
	c.monthStart[n*12] = int32(yearStart[n])
	cal := &Calendar{}
	cal.cur.Store(c)
	return cal, nil
}

func (r tableRow) days() int {
	total := 0
	for _, l := range r.months {
		total += int(l)
	}
	return total
}

// FirstYear is the first BS year the calendar covers.
func (c *span) FirstYear() int { return c.firstYear }

// LastYear is the last BS year the calendar covers.
func (c *span) LastYear() int { return c.lastYear }

// FirstDate is 1 Baishakh of FirstYear.
func (c *span) FirstDate() Date { return Date{c.firstYear, 1, 1} }

// LastDate is the last day of Chaitra of LastYear.
func (c *span) LastDate() Date {
	return Date{c.lastYear, 12, c.monthLen(c.lastYear, 12)}
}

// OfficialThrough is the last year whose month lengths were officially
// published, as the table states (0 if it does not).
func (c *span) OfficialThrough() int { return c.officialThrough }

// IsProvisional reports whether year lies after the last officially
// published year, so its month lengths may still change. A table that does
// not say which years are official makes every year provisional.
func (c *span) IsProvisional(year int) bool { return year > c.officialThrough }

// IsProvisional reports whether year is provisional in the default calendar.
func IsProvisional(year int) bool { return Default().IsProvisional(year) }

func (c *span) monthLen(year, month int) int {
	i := (year-c.firstYear)*12 + month - 1
	return int(c.monthStart[i+1] - c.monthStart[i])
}

// Validate returns nil if d is a day of the calendar, else an error wrapping
// ErrInvalidDate or ErrOutOfRange.
func (c *span) Validate(d Date) error {
	if d.Month < 1 || d.Month > 12 {
		return fmt.Errorf("%w: %s: there is no month %d", ErrInvalidDate, d, d.Month)
	}
	if d.Day < 1 || d.Day > 32 {
		return fmt.Errorf("%w: %s: there is no day %d", ErrInvalidDate, d, d.Day)
	}
	if d.Year < c.firstYear || d.Year > c.lastYear {
		return fmt.Errorf("%w: %s: year %d is outside %d–%d", ErrOutOfRange, d, d.Year, c.firstYear, c.lastYear)
	}
	if n := c.monthLen(d.Year, d.Month); d.Day > n {
		return fmt.Errorf("%w: %s: %s %d has %d days", ErrInvalidDate, d, monthsEnglish[d.Month-1], d.Year, n)
	}
	return nil
}

// dayNumber is the AD day number (days since 1970-01-01) of a valid d.
func (c *span) dayNumber(d Date) int64 {
	return int64(c.monthStart[(d.Year-c.firstYear)*12+d.Month-1]) + int64(d.Day-1)
}

// fromDayNumber finds the BS date of an AD day number.
func (c *span) fromDayNumber(z int64) (Date, bool) {
	ms := c.monthStart
	if z < int64(ms[0]) || z >= int64(ms[len(ms)-1]) {
		return Date{}, false
	}
	x := int32(z)
	// Years are 365 or 366 days and months 29 to 32, so dividing by the
	// longest length gives an index that is never too high and at most a
	// few steps too low.
	years := len(ms) / 12
	y := int(x-ms[0]) / 366
	for y+1 < years && x >= ms[(y+1)*12] {
		y++
	}
	base := y * 12
	m := int(x-ms[base]) / 32
	for m < 11 && x >= ms[base+m+1] {
		m++
	}
	return Date{c.firstYear + y, m + 1, int(x-ms[base+m]) + 1}, true
}

// ToAD returns the AD date of d as midnight UTC of that day. Only its
// year, month and day are meaningful: it is a civil date, not an instant.
func (c *span) ToAD(d Date) (time.Time, error) {
	if err := c.Validate(d); err != nil {
		return time.Time{}, err
	}
	return time.Unix(c.dayNumber(d)*86400, 0).UTC(), nil
}

// FromAD returns the BS date of the calendar day t.Date() names, in t's own
// location: convert t with NepalTime first for "the date in Nepal now".
func (c *span) FromAD(t time.Time) (Date, error) {
	y, m, d := t.Date()
	return c.fromCivil(y, int(m), d)
}

// fromCivil converts an AD year, month and day that is known to exist.
func (c *span) fromCivil(y, m, d int) (Date, error) {
	if bsd, ok := c.fromDayNumber(daysFromCivil(y, m, d)); ok {
		return bsd, nil
	}
	return Date{}, fmt.Errorf("%w: AD %s is outside BS %d–%d", ErrOutOfRange, appendISO(nil, y, m, d), c.firstYear, c.lastYear)
}

// DaysInMonth returns the length of a BS month.
func (c *span) DaysInMonth(year, month int) (int, error) {
	if err := c.Validate(Date{year, month, 1}); err != nil {
		return 0, err
	}
	return c.monthLen(year, month), nil
}

// DaysInYear returns 365 or 366.
func (c *span) DaysInYear(year int) (int, error) {
	if err := c.Validate(Date{year, 1, 1}); err != nil {
		return 0, err
	}
	i := (year - c.firstYear) * 12
	return int(c.monthStart[i+12] - c.monthStart[i]), nil
}

// maxShift bounds AddDays so the day arithmetic cannot overflow; it is far
// beyond any table.
const maxShift = 1 << 40

// AddDays returns the date n days after d (before it if n < 0).
func (c *span) AddDays(d Date, n int) (Date, error) {
	if err := c.Validate(d); err != nil {
		return Date{}, err
	}
	if n > maxShift || n < -maxShift {
		return Date{}, fmt.Errorf("%w: %s %+d days", ErrOutOfRange, d, n)
	}
	out, ok := c.fromDayNumber(c.dayNumber(d) + int64(n))
	if !ok {
		return Date{}, fmt.Errorf("%w: %s %+d days is outside %d–%d", ErrOutOfRange, d, n, c.firstYear, c.lastYear)
	}
	return out, nil
}

// DaysBetween returns the number of days from a to b (negative if b is
// earlier).
func (c *span) DaysBetween(a, b Date) (int, error) {
	if err := c.Validate(a); err != nil {
		return 0, err
	}
	if err := c.Validate(b); err != nil {
		return 0, err
	}
	return int(c.dayNumber(b) - c.dayNumber(a)), nil
}

// Weekday returns the day of the week of d.
func (c *span) Weekday(d Date) (time.Weekday, error) {
	if err := c.Validate(d); err != nil {
		return 0, err
	}
	// 1970-01-01 was a Thursday.
	return time.Weekday(((c.dayNumber(d)+4)%7 + 7) % 7), nil
}

// Clone returns a calendar with the same table that can be replaced
// without touching c (the shared Default, for one).
func (c *Calendar) Clone() *Calendar {
	n := &Calendar{}
	n.cur.Store(c.cur.Load())
	return n
}

// Replace makes c use the table of n from now on. Calls in progress finish
// on the table they started with.
func (c *Calendar) Replace(n *Calendar) { c.cur.Store(n.cur.Load()) }

func (c *Calendar) span() *span { return c.cur.Load() }

// FirstYear is the first BS year the calendar covers.
func (c *Calendar) FirstYear() int { return c.span().FirstYear() }

// LastYear is the last BS year the calendar covers.
func (c *Calendar) LastYear() int { return c.span().LastYear() }

// FirstDate is 1 Baishakh of FirstYear.
func (c *Calendar) FirstDate() Date { return c.span().FirstDate() }

// LastDate is the last day of Chaitra of LastYear.
func (c *Calendar) LastDate() Date { return c.span().LastDate() }

// OfficialThrough is the last officially published year of the table.
func (c *Calendar) OfficialThrough() int { return c.span().OfficialThrough() }

// IsProvisional reports whether year lies after the last officially
// published year.
func (c *Calendar) IsProvisional(year int) bool { return c.span().IsProvisional(year) }

// Validate returns nil if d is a day of the calendar.
func (c *Calendar) Validate(d Date) error { return c.span().Validate(d) }

// ToAD returns the AD date of d as midnight UTC of that day.
func (c *Calendar) ToAD(d Date) (time.Time, error) { return c.span().ToAD(d) }

// FromAD returns the BS date of the calendar day t.Date() names.
func (c *Calendar) FromAD(t time.Time) (Date, error) { return c.span().FromAD(t) }

// DaysInMonth returns the length of a BS month.
func (c *Calendar) DaysInMonth(year, month int) (int, error) {
	return c.span().DaysInMonth(year, month)
}

// DaysInYear returns 365 or 366.
func (c *Calendar) DaysInYear(year int) (int, error) { return c.span().DaysInYear(year) }

// AddDays returns the date n days after d (before it if n < 0).
func (c *Calendar) AddDays(d Date, n int) (Date, error) { return c.span().AddDays(d, n) }

// DaysBetween returns the number of days from a to b.
func (c *Calendar) DaysBetween(a, b Date) (int, error) { return c.span().DaysBetween(a, b) }

// Weekday returns the day of the week of d.
func (c *Calendar) Weekday(d Date) (time.Weekday, error) { return c.span().Weekday(d) }
