package bs

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"leoc/internal/must"
)

const row2082 = "2082 31 31 32 31 31 31 30 29 30 29 30 30"

func TestParseTableErrors(t *testing.T) {
	tests := []struct {
		name, in string
		line     int
		reason   string
	}{
		{"empty", "", 0, "no year lines"},
		{"only comments", "# nothing\n\n", 0, "no year lines"},
		{"too few fields", "2082 31 31", 1, "got 3 fields"},
		{"too many fields", row2082 + " 2025-04-14 x", 1, "got 15 fields"},
		{"short month", "2082 28 31 32 31 31 31 30 29 30 29 30 30", 1, "Baishakh has \"28\" days"},
		{"long month", "# c\n2082 31 31 32 31 31 31 30 29 30 29 30 33", 2, "Chaitra has \"33\" days"},
		{"not a number", "2082 31 31 32 3x 31 31 30 29 30 29 30 30", 1, "Shrawan has \"3x\" days"},
		{"year too short", "2082 29 29 29 29 29 29 29 29 29 29 29 29", 1, "has 348 days; a BS year has 365 or 366"},
		{"year too long", "2082 32 32 32 32 32 32 32 32 32 32 32 32", 1, "has 384 days"},
		{"bad year", "20x2 31 31 32 31 31 31 30 29 30 29 30 30", 1, "not a BS year"},
		{"gap", row2082 + "\n2084 31 31 32 31 31 31 30 29 30 29 30 30", 2, "year 2084 follows year 2082"},
		{"descending", row2082 + "\n2081 31 31 32 31 31 31 30 29 30 29 30 30", 2, "year 2081 follows year 2082"},
		{"bad AD date", row2082 + " 2025-02-30", 1, "not an AD date"},
		{"official twice", "official-through 2083\nofficial-through 2084\n" + row2082, 2, "given twice"},
		{"official bad", "official-through soon\n" + row2082, 1, "not a BS year"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseTable(strings.NewReader(tt.in))
			var te *TableError
			if !errors.As(err, &te) || !errors.Is(err, ErrInvalidTable) {
				t.Fatalf("err = %v, want a *TableError", err)
			}
			if te.Line != tt.line || !strings.Contains(te.Reason, tt.reason) {
				t.Errorf("err = %v; want line %d containing %q", err, tt.line, tt.reason)
			}
		})
	}
}

func TestParseTableAccepts(t *testing.T) {
	// A BOM, as Windows editors write, CRLF, tabs, comments and Devanagari
	// digits are all what an operator's file may hold.
	in := "\uFEFF# comment\n official-through २०८३ # Devanagari digits\n\n" +
		"२०८२ ३१ ३१ ३२ ३१ ३१ ३१ ३० २९ ३० २९ ३० ३० २०२५-०४-१४\r\n" +
		"2083\t31 31 32 31 31 31 30 29 30 29 30 30   # trailing comment\n"
	tb, err := ParseTable(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if tb.FirstYear() != 2082 || tb.LastYear() != 2083 || tb.OfficialThrough() != 2083 {
		t.Errorf("got %d–%d official %d", tb.FirstYear(), tb.LastYear(), tb.OfficialThrough())
	}
	c, err := New(tb)
	if err != nil {
		t.Fatal(err)
	}
	if got := must.Get(c.ToAD(Date{2083, 12, 30}))(t); !got.Equal(ad(2027, time.April, 13)) {
		t.Errorf("last day of 2083 = %v", got)
	}
	if _, ok := tb.MonthLengths(2081); ok {
		t.Error("MonthLengths(2081) found a year the table lacks")
	}
}

func TestNewNeedsAnchor(t *testing.T) {
	tb, err := ParseTable(strings.NewReader(row2082))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := New(tb); !errors.Is(err, ErrInvalidTable) {
		t.Errorf("New without an AD date: err = %v", err)
	}
	if _, err := New(nil); !errors.Is(err, ErrInvalidTable) {
		t.Errorf("New(nil): err = %v", err)
	}
	if _, err := New(&Table{}); !errors.Is(err, ErrInvalidTable) {
		t.Errorf("New(empty): err = %v", err)
	}
	if _, err := DefaultTable().Merge(nil); !errors.Is(err, ErrInvalidTable) {
		t.Errorf("Merge(nil): err = %v", err)
	}
	if _, err := (&Table{}).Merge(DefaultTable()); !errors.Is(err, ErrInvalidTable) {
		t.Errorf("empty Merge: err = %v", err)
	}
	if e := (&Table{}); e.FirstYear() != 0 || e.LastYear() != 0 {
		t.Error("empty table years")
	}
}

func TestNewRejectsContradictingDates(t *testing.T) {
	in := "2081 31 32 31 32 31 30 30 30 29 30 29 31 2024-04-13\n" + row2082 + " 2025-04-15\n"
	tb, err := ParseTable(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	_, err = New(tb)
	var te *TableError
	if !errors.As(err, &te) || te.Line != 2 || !strings.Contains(te.Reason, "2025-04-14") {
		t.Errorf("err = %v; want line 2 naming 2025-04-14", err)
	}
}

// An anchor in the middle of a table places the years before it too.
func TestNewAnchorInMiddle(t *testing.T) {
	in := "2081 31 32 31 32 31 30 30 30 29 30 29 31\n" + row2082 + " 2025-04-14\n"
	tb, err := ParseTable(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	c, err := New(tb)
	if err != nil {
		t.Fatal(err)
	}
	if got := must.Get(c.ToAD(Date{2081, 4, 1}))(t); !got.Equal(ad(2024, time.July, 16)) {
		t.Errorf("2081-04-01 = %v", got)
	}
}

func TestLoadExtendsAndOverrides(t *testing.T) {
	// An operator's file: a corrected 2090 and two new years, 2091 made
	// official along with everything before it.
	in := "official-through 2091\n" +
		"2090 31 31 32 31 31 31 30 29 30 29 30 30\n" +
		"2091 31 32 31 32 31 30 30 30 29 29 30 31\n" +
		"2092 30 32 31 32 31 30 30 30 29 30 29 31\n"
	c, err := Load(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if c.FirstYear() != 2000 || c.LastYear() != 2092 || c.IsProvisional(2091) || !c.IsProvisional(2092) {
		t.Errorf("range %d–%d, official through %d", c.FirstYear(), c.LastYear(), c.OfficialThrough())
	}
	if n := must.Get(c.DaysInMonth(2090, 1))(t); n != 31 {
		t.Errorf("2090 Baishakh = %d days, want the override's 31", n)
	}
	// Earlier years are untouched.
	if got := must.Get(c.ToAD(Date{2082, 10, 15}))(t); !got.Equal(ad(2026, time.January, 29)) {
		t.Errorf("2082-10-15 = %v", got)
	}
	// Default is not changed by loading.
	if Default().LastYear() != 2090 {
		t.Error("Load changed the default calendar")
	}
}

func TestMergeRejectsGap(t *testing.T) {
	u, err := ParseTable(strings.NewReader("2095 31 31 32 31 31 31 30 29 30 29 30 30"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := DefaultTable().Merge(u); !errors.Is(err, ErrInvalidTable) || !strings.Contains(err.Error(), "gap") {
		t.Errorf("err = %v, want a gap error", err)
	}
	if _, err := Load(strings.NewReader("2095 31 31 32 31 31 31 30 29 30 29 30 30")); err == nil {
		t.Error("Load accepted a gap")
	}
}

// Overriding a year's months moves every later year; a date pinned further
// on must then be reported, not silently shifted.
func TestMergeOverrideConflictsWithLaterPin(t *testing.T) {
	base, err := ParseTable(strings.NewReader(
		"2081 31 32 31 32 31 30 30 30 29 30 29 31 2024-04-13\n" + row2082 + " 2025-04-14\n"))
	if err != nil {
		t.Fatal(err)
	}
	u, err := ParseTable(strings.NewReader("2081 31 31 31 32 31 30 30 30 29 30 29 31"))
	if err != nil {
		t.Fatal(err)
	}
	m, err := base.Merge(u)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := New(m); !errors.Is(err, ErrInvalidTable) {
		t.Errorf("New after shortening 2081: err = %v, want the 2082 pin to disagree", err)
	}
}

func TestWriteToRoundTrips(t *testing.T) {
	var buf bytes.Buffer
	if _, err := DefaultTable().WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(buf.String(), "official-through 2083\n2000 30 32 31 32 31 30 30 30 29 30 29 31 1943-04-14\n") {
		t.Errorf("unexpected start: %.80q", buf.String())
	}
	again, err := ParseTable(&buf)
	if err != nil {
		t.Fatal(err)
	}
	c, err := New(again)
	if err != nil {
		t.Fatal(err)
	}
	if c.LastDate() != Default().LastDate() || c.OfficialThrough() != 2083 {
		t.Errorf("round trip changed the table: %v", c.LastDate())
	}
}
