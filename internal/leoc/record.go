package leoc

import (
	"errors"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"leoc/internal/bs"
)

// Record is what every register row carries besides its own fields: the
// lock, the version that guards against lost updates, and who wrote it.
type Record struct {
	ID int64
	// Locked is the lock in force now (SettleLock), not the stored flag:
	// a record saved a minute ago is stored locked but still open.
	Locked bool
	// OpenUntil is when the edit window of an open record ends; zero when
	// the record is locked, or unlocked by key (then it locks when saved).
	OpenUntil time.Time
	Version   int
	CreatedAt time.Time
	CreatedBy string
	UpdatedAt time.Time
	UpdatedBy string
}

// Meta is the record's metadata; every register's record type has it by
// embedding Record, which is what the store's generic lifecycle needs.
func (r *Record) Meta() *Record { return r }

// SettleLock turns the stored lock flag into the lock in force at now. Every
// record is saved locked, but for window after it was first saved it stays
// open to corrections by its author and the writers of its ward, without the
// unlock key; then it locks. The lock is computed from the save time, so no
// job has to run when a window ends. A record unlocked by key stays open
// until it is saved again. window 0 locks records on save. Calling it again
// gives the same answer.
func (r *Record) SettleLock(now time.Time, window time.Duration) {
	stored := r.Locked || !r.OpenUntil.IsZero()
	r.Locked, r.OpenUntil = LockInForce(stored, r.CreatedAt, now, window)
}

// LockInForce is the lock rule on its own: whether a record stored with the
// lock flag stored, first saved at created, is locked at now, and if not
// because its edit window still runs, when that window ends.
func LockInForce(stored bool, created, now time.Time, window time.Duration) (locked bool, openUntil time.Time) {
	if !stored {
		return false, time.Time{}
	}
	if until := created.Add(window); window > 0 && now.Before(until) {
		return false, until
	}
	return true, time.Time{}
}

// Dated is a BS date with what is derived from it: the AD date for sorting
// and ranges, and the fiscal year for reports. Only SetDate fills it, so the
// three never disagree.
type Dated struct {
	DateBS     bs.Date
	DateAD     time.Time
	FiscalYear bs.FiscalYear
}

// SetDate validates a typed BS date against the calendar and derives the
// rest; a problem is reported on field.
func (d *Dated) SetDate(v *Validation, cal *bs.Calendar, field, raw string) {
	if strings.TrimSpace(raw) == "" {
		v.Add(field, "field.required")
		return
	}
	date, err := cal.Parse(raw)
	if err != nil {
		v.Add(field, DateErrorKey(err))
		return
	}
	ad, err := cal.ToAD(date)
	if err != nil {
		v.Add(field, DateErrorKey(err))
		return
	}
	d.DateBS, d.DateAD, d.FiscalYear = date, ad, bs.FiscalYearOf(date)
}

// DateErrorKey is the message for a calendar error.
func DateErrorKey(err error) string {
	if errors.Is(err, bs.ErrOutOfRange) {
		return "date.out_of_range"
	}
	return "date.invalid"
}

var clockTime = regexp.MustCompile(`^([01][0-9]|2[0-3]):[0-5][0-9]$`)

// CheckTime validates an optional time of day "HH:MM" (Devanagari digits
// accepted) and returns it in ASCII.
func CheckTime(v *Validation, field, raw string) string {
	t := bs.ASCIIDigits(strings.TrimSpace(raw))
	if t == "" {
		return ""
	}
	if len(t) == 4 && t[1] == ':' {
		t = "0" + t
	}
	if !clockTime.MatchString(t) {
		v.Add(field, "time.invalid")
	}
	return t
}

// CheckText trims a text field and checks its length in characters.
func CheckText(v *Validation, field string, s *string, required bool, maxLen int) {
	*s = NormalizeText(strings.TrimSpace(*s))
	if required && *s == "" {
		v.Add(field, "field.required")
		return
	}
	if utf8.RuneCountInString(*s) > maxLen {
		v.Add(field, "field.too_long", maxLen)
	}
}

// CheckChoice checks that a value is one of the allowed keys.
func CheckChoice(v *Validation, field, value string, allowed []string) {
	for _, a := range allowed {
		if value == a {
			return
		}
	}
	if value == "" {
		v.Add(field, "field.required")
		return
	}
	v.Add(field, "field.choice")
}

// NormalizeText puts text into Unicode NFC, so a name typed with a
// different sequence of Devanagari code points still matches.
func NormalizeText(s string) string { return norm.NFC.String(s) }
