package legacy

import (
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"
	"time"

	"leoc/internal/bs"
	"leoc/internal/leoc"
)

// paisa turns an old float amount of rupees into exact paisa. The float's
// shortest decimal form is what the old application printed and what the
// clerk typed (Python's repr round-trips), so 4500.1 is 4500.10 and not
// 4500.09999…; only a value with more than two decimals is rounded, to the
// nearest paisa, and exact is false so the caller reports it.
func paisa(f float64) (m leoc.Money, exact bool, err error) {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, false, fmt.Errorf("not a number: %v", f)
	}
	text := strconv.FormatFloat(f, 'f', -1, 64)
	r, ok := new(big.Rat).SetString(text)
	if !ok {
		return 0, false, fmt.Errorf("not a number: %s", text)
	}
	r.Mul(r, big.NewRat(100, 1))
	exact = r.IsInt()
	// Round half away from zero: the rule a cashier uses.
	num, den := new(big.Int).Set(r.Num()), r.Denom()
	q, rem := new(big.Int).QuoRem(num, den, new(big.Int))
	if twice := new(big.Int).Mul(new(big.Int).Abs(rem), big.NewInt(2)); twice.Cmp(den) >= 0 {
		q.Add(q, big.NewInt(int64(num.Sign())))
	}
	if !q.IsInt64() {
		return 0, false, fmt.Errorf("too large: %s", text)
	}
	return leoc.Money(q.Int64()), exact, nil
}

// floatText is an old float as the old application showed it.
func floatText(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

// The layouts SQLAlchemy wrote DATETIME and DATE columns in.
var legacyTimeLayouts = []string{
	"2006-01-02 15:04:05.999999999", "2006-01-02T15:04:05.999999999", "2006-01-02 15:04", "2006-01-02T15:04",
	time.RFC3339Nano, "2006-01-02",
}

// instant reads an old DATETIME. The Flask application stored naive
// datetime.utcnow() values, so they are read as UTC.
func instant(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, false
	}
	for _, l := range legacyTimeLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}

// adDate reads an old DATE column holding an AD date.
func adDate(s string) (time.Time, bool) {
	t, ok := instant(s)
	if !ok {
		return time.Time{}, false
	}
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC), true
}

// nepalDay is the BS day and the time of day in Nepal of an instant.
func nepalDay(cal *bs.Calendar, t time.Time) (bs.Date, string, error) {
	local := bs.NepalTime(t)
	d, err := cal.FromAD(local)
	if err != nil {
		return bs.Date{}, "", err
	}
	return d, local.Format("15:04"), nil
}

// bsOrAD reads a date column the old application filled with either a BS
// date (the relief form's "disaster date" took what the clerk typed) or an
// AD date: a year after 2060 can only be BS in these records.
func bsOrAD(cal *bs.Calendar, s string) (d bs.Date, wasAD bool, err error) {
	s = strings.TrimSpace(bs.ASCIIDigits(s))
	if len(s) >= 10 {
		s = s[:10]
	}
	if y, _ := strconv.Atoi(strings.SplitN(s, "-", 2)[0]); y > 0 && y < 2060 {
		t, ok := adDate(s)
		if !ok {
			return bs.Date{}, true, fmt.Errorf("not a date: %q", s)
		}
		d, err := cal.FromAD(t)
		return d, true, err
	}
	d, err = cal.Parse(s)
	return d, false, err
}

// fiscalYear normalises an old fiscal year, long ("2082/83") or short
// ("082/83"), through the calendar package's one reader; ok is false when it
// cannot be read.
func fiscalYear(s string) (bs.FiscalYear, bool) {
	fy, err := bs.ParseFiscalYear(s)
	return fy, err == nil
}
