package bs

import (
	"errors"
	"testing"
	"time"

	"leoc/internal/must"
)

func TestFiscalYearOf(t *testing.T) {
	c := Default()
	lastAsar, err := c.Last(FiscalYear{2081})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		d    Date
		want int
	}{
		{lastAsar, 2081},         // 2082-03-32, the last day of Asar
		{Date{2082, 4, 1}, 2082}, // 1 Shrawan starts the new year
		{Date{2082, 1, 1}, 2081}, // 1 Baishakh is mid fiscal year
		{Date{2082, 10, 15}, 2082},
		{Date{2083, 3, 31}, 2082},
	}
	for _, tt := range tests {
		if got := FiscalYearOf(tt.d); got.Start != tt.want {
			t.Errorf("FiscalYearOf(%s) = %v, want %d", tt.d, got, tt.want)
		}
	}
	if lastAsar != (Date{2082, 3, 32}) {
		t.Errorf("Last(2081/82) = %s, want 2082-03-32", lastAsar)
	}
	next := must.Get(c.AddDays(lastAsar, 1))(t)
	if next != (FiscalYear{2082}).First() {
		t.Errorf("day after Last(2081/82) = %s, want First(2082/83)", next)
	}
}

func TestFiscalYearOfAD(t *testing.T) {
	c := Default()
	tests := []struct {
		y, m, d int
		want    string
	}{
		{2025, 7, 16, "2081/82"}, // 2082-03-32
		{2025, 7, 17, "2082/83"}, // 2082-04-01
		{2026, 1, 29, "2082/83"},
	}
	for _, tt := range tests {
		got, err := c.FiscalYearOfAD(ad(tt.y, time.Month(tt.m), tt.d))
		if err != nil || got.Label() != tt.want {
			t.Errorf("FiscalYearOfAD(%d-%d-%d) = %v, %v; want %s", tt.y, tt.m, tt.d, got, err, tt.want)
		}
	}
	if _, err := c.FiscalYearOfAD(ad(1900, 1, 1)); !errors.Is(err, ErrOutOfRange) {
		t.Errorf("out of range: %v", err)
	}
}

func TestFiscalYearLabelAndBounds(t *testing.T) {
	tests := []struct {
		fy          FiscalYear
		label, ne   string
		first, last Date
	}{
		{FiscalYear{2082}, "2082/83", "२०८२/८३", Date{2082, 4, 1}, Date{2083, 3, 32}},
		{FiscalYear{2080}, "2080/81", "२०८०/८१", Date{2080, 4, 1}, Date{2081, 3, 31}},
		{FiscalYear{2089}, "2089/90", "२०८९/९०", Date{2089, 4, 1}, Date{2090, 3, 31}},
		{FiscalYear{2099}, "2099/00", "२०९९/००", Date{2099, 4, 1}, Date{}},
		{FiscalYear{2009}, "2009/10", "२००९/१०", Date{2009, 4, 1}, Date{2010, 3, 32}},
	}
	c := Default()
	for _, tt := range tests {
		if tt.fy.Label() != tt.label || tt.fy.String() != tt.label || tt.fy.LabelNepali() != tt.ne || tt.fy.First() != tt.first {
			t.Errorf("%d: %q %q %s", tt.fy.Start, tt.fy.Label(), tt.fy.LabelNepali(), tt.fy.First())
		}
		last, err := c.Last(tt.fy)
		if last != tt.last || (tt.last.IsZero() != errors.Is(err, ErrOutOfRange)) {
			t.Errorf("Last(%s) = %s, %v; want %s", tt.fy, last, err, tt.last)
		}
		if !tt.fy.Contains(tt.first) || (!tt.last.IsZero() && !tt.fy.Contains(tt.last)) {
			t.Errorf("%s does not contain its own bounds", tt.fy)
		}
	}
}

func TestParseFiscalYear(t *testing.T) {
	tests := []struct {
		in   string
		want int
		err  error
	}{
		{"2082/83", 2082, nil},
		{"082/83", 2082, nil},
		{"2082/083", 2082, nil},
		{"2082/2083", 2082, nil},
		{"2082-83", 2082, nil},
		{" २०८२/८३ ", 2082, nil},
		{"०८२/८३", 2082, nil},
		{"2099/00", 2099, nil},
		{"075/76", 2075, nil},
		{"2082/84", 0, ErrInvalidDate},
		{"2082/82", 0, ErrInvalidDate},
		{"082/084", 0, ErrInvalidDate},
		{"2082", 0, ErrSyntax},
		{"2082/", 0, ErrSyntax},
		{"/83", 0, ErrSyntax},
		{"82/83", 0, ErrSyntax},
		{"2082/8", 0, ErrSyntax},
		{"2082/83/84", 0, ErrSyntax},
		{"2082/20830", 0, ErrSyntax},
		{"२०८२/८x", 0, ErrSyntax},
		{"", 0, ErrSyntax},
	}
	for _, tt := range tests {
		got, err := ParseFiscalYear(tt.in)
		if got.Start != tt.want || !errors.Is(err, tt.err) || (tt.err == nil) != (err == nil) {
			t.Errorf("ParseFiscalYear(%q) = %v, %v; want %d, %v", tt.in, got, err, tt.want, tt.err)
		}
	}
}

// The appenders write what String and Label write, at the edges of the
// four-digit years too.
func TestAppendersMatchStrings(t *testing.T) {
	for _, y := range []int{-12345, -1, 0, 7, 99, 100, 999, 2081, 2082, 2099, 9998, 9999, 10000, 123456} {
		fy := FiscalYear{Start: y}
		if got, want := string(fy.AppendLabel([]byte("x"))), "x"+fy.Label(); got != want {
			t.Errorf("FiscalYear{%d}.AppendLabel = %q, want %q", y, got, want)
		}
		for _, d := range []Date{{y, 1, 1}, {y, 12, 32}, {y, 0, 0}, {y, -1, 100}} {
			if got, want := string(d.AppendString([]byte("x"))), "x"+d.String(); got != want {
				t.Errorf("%v.AppendString = %q, want %q", d, got, want)
			}
		}
	}
}
