package bs

import (
	"bufio"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"
)

// BS month lengths are decided each year by the Nepal Panchanga Nirnayak
// Samiti from astronomical computation; they follow no formula, so the
// calendar is data. calendar.txt says where its numbers come from.
//
//go:embed calendar.txt
var embeddedTable string

// ErrInvalidTable is wrapped by every error about a month-length table.
var ErrInvalidTable = errors.New("bs: invalid calendar table")

// TableError reports what is wrong with a table and on which line of the
// input (Line is 0 when the problem is not tied to one line).
type TableError struct {
	Line   int
	Reason string
}

func (e *TableError) Error() string {
	if e.Line == 0 {
		return "bs: calendar table: " + e.Reason
	}
	return fmt.Sprintf("bs: calendar table line %d: %s", e.Line, e.Reason)
}

// Is makes errors.Is(err, ErrInvalidTable) true for every *TableError.
func (e *TableError) Is(target error) bool { return target == ErrInvalidTable }

// Table holds the month lengths of consecutive BS years. It is immutable:
// build one with ParseTable, DefaultTable or Merge.
type Table struct {
	rows []tableRow
	// officialThrough is the last year taken from an official publication;
	// later years are provisional. 0 means the table does not say.
	officialThrough int
}

type tableRow struct {
	year   int
	months [12]uint8
	// pinned rows carry the Gregorian date of 1 Baishakh, which ties the
	// table to real days; start is that date as days since 1970-01-01.
	pinned bool
	start  int64
	line   int
}

// Limits that keep a hostile or mistyped file from describing an absurd
// calendar (and keep day numbers well inside int32).
const (
	minTableYear = 1000
	maxTableYear = 9999
)

var defaultTable = sync.OnceValue(func() *Table {
	t, err := ParseTable(strings.NewReader(embeddedTable))
	if err != nil {
		panic("bs: embedded calendar.txt is broken: " + err.Error())
	}
	return t
})

// DefaultTable returns the table embedded in the program (BS 2000–2090).
func DefaultTable() *Table { return defaultTable() }

// ParseTable reads a month-length table. Format, one BS year per line:
//
//	2082 31 31 32 31 31 31 30 29 30 29 30 30 [2025-04-14]
//
// the year, twelve month lengths (29–32, summing to 365 or 366) and,
// optionally, the AD date of 1 Baishakh of that year. Years must be
// consecutive and ascending. "#" starts a comment; blank lines are ignored; a
// line "official-through 2083" names the last officially published year.
// Devanagari digits are accepted.
func ParseTable(r io.Reader) (*Table, error) {
	t := &Table{}
	sc := bufio.NewScanner(r)
	lineNo := 0
	for sc.Scan() {
		lineNo++
		line := sc.Text()
		if lineNo == 1 {
			line = strings.TrimPrefix(line, "\uFEFF") // Windows editors start files with a BOM
		}
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		fields := strings.Fields(ASCIIDigits(line))
		if len(fields) == 0 {
			continue
		}
		if fields[0] == "official-through" {
			if err := t.parseOfficial(fields, lineNo); err != nil {
				return nil, err
			}
			continue
		}
		row, err := parseRow(fields, lineNo)
		if err != nil {
			return nil, err
		}
		if n := len(t.rows); n > 0 && row.year != t.rows[n-1].year+1 {
			return nil, &TableError{lineNo, fmt.Sprintf("year %d follows year %d; years must be consecutive and ascending", row.year, t.rows[n-1].year)}
		}
		t.rows = append(t.rows, row)
	}
	if err := sc.Err(); err != nil {
		return nil, &TableError{lineNo + 1, "cannot read: " + err.Error()}
	}
	if len(t.rows) == 0 {
		return nil, &TableError{0, "no year lines"}
	}
	return t, nil
}

func (t *Table) parseOfficial(fields []string, lineNo int) error {
	if t.officialThrough != 0 {
		return &TableError{lineNo, "official-through given twice"}
	}
	if len(fields) != 2 {
		return &TableError{lineNo, `want "official-through YEAR"`}
	}
	y, err := parseTableYear(fields[1])
	if err != nil {
		return &TableError{lineNo, "official-through: " + err.Error()}
	}
	t.officialThrough = y
	return nil
}

func parseRow(fields []string, lineNo int) (tableRow, error) {
	if len(fields) != 13 && len(fields) != 14 {
		return tableRow{}, &TableError{lineNo, fmt.Sprintf("want a year, 12 month lengths and optionally the AD date of 1 Baishakh; got %d fields", len(fields))}
	}
	year, err := parseTableYear(fields[0])
	if err != nil {
		return tableRow{}, &TableError{lineNo, err.Error()}
	}
	row := tableRow{year: year, line: lineNo}
	total := 0
	for i, f := range fields[1:13] {
		n, err := strconv.Atoi(f)
		if err != nil || n < 29 || n > 32 {
			return tableRow{}, &TableError{lineNo, fmt.Sprintf("year %d: %s has %q days; want 29 to 32", year, monthsEnglish[i], f)}
		}
		row.months[i] = uint8(n)
		total += n
	}
	if total != 365 && total != 366 {
		return tableRow{}, &TableError{lineNo, fmt.Sprintf("year %d has %d days; a BS year has 365 or 366", year, total)}
	}
	if len(fields) == 14 {
		y, m, d, ok := parseYMD(fields[13])
		if !ok || !validGregorian(y, m, d) {
			return tableRow{}, &TableError{lineNo, fmt.Sprintf("year %d: %q is not an AD date YYYY-MM-DD", year, fields[13])}
		}
		row.pinned, row.start = true, daysFromCivil(y, m, d)
	}
	return row, nil
}

func parseTableYear(s string) (int, error) {
	y, err := strconv.Atoi(s)
	if err != nil || y < minTableYear || y > maxTableYear {
		return 0, fmt.Errorf("%q is not a BS year (%d–%d)", s, minTableYear, maxTableYear)
	}
	return y, nil
}

// FirstYear is the first BS year in the table (0 for an empty Table).
func (t *Table) FirstYear() int {
	if len(t.rows) == 0 {
		return 0
	}
	return t.rows[0].year
}

// LastYear is the last BS year in the table (0 for an empty Table).
func (t *Table) LastYear() int {
	if len(t.rows) == 0 {
		return 0
	}
	return t.rows[len(t.rows)-1].year
}

// OfficialThrough is the last officially published year, 0 if not stated.
func (t *Table) OfficialThrough() int { return t.officialThrough }

// MonthLengths returns the twelve month lengths of year, if the table has it.
func (t *Table) MonthLengths(year int) ([12]int, bool) {
	var out [12]int
	if len(t.rows) == 0 || year < t.FirstYear() || year > t.LastYear() {
		return out, false
	}
	for i, n := range t.rows[year-t.FirstYear()].months {
		out[i] = int(n)
	}
	return out, true
}

// Merge lays u over t: u's years replace t's and may extend it at either end,
// but must overlap or touch t so that the result has no gap. Where u gives
// no AD date for a year that t pins, t's date is kept: the start of a year
// depends only on earlier years, which u may also change (New checks that
// the two still agree). The later official-through wins.
func (t *Table) Merge(u *Table) (*Table, error) {
	if u == nil || len(t.rows) == 0 || len(u.rows) == 0 {
		return nil, &TableError{0, "cannot merge an empty table"}
	}
	if u.FirstYear() > t.LastYear()+1 || u.LastYear() < t.FirstYear()-1 {
		return nil, &TableError{0, fmt.Sprintf("years %d–%d leave a gap next to %d–%d", u.FirstYear(), u.LastYear(), t.FirstYear(), t.LastYear())}
	}
	first, last := min(t.FirstYear(), u.FirstYear()), max(t.LastYear(), u.LastYear())
	out := &Table{rows: make([]tableRow, 0, last-first+1), officialThrough: max(t.officialThrough, u.officialThrough)}
	for y := first; y <= last; y++ {
		old, inT := t.row(y)
		row, inU := u.row(y)
		switch {
		case inU && inT && !row.pinned && old.pinned:
			row.pinned, row.start = true, old.start
		case !inU:
			row = old
		}
		out.rows = append(out.rows, row)
	}
	return out, nil
}

func (t *Table) row(year int) (tableRow, bool) {
	if year < t.FirstYear() || year > t.LastYear() {
		return tableRow{}, false
	}
	return t.rows[year-t.FirstYear()], true
}

// WriteTo writes t in the format ParseTable reads, so an operator can export
// the table in use, edit it and import it again.
func (t *Table) WriteTo(w io.Writer) (int64, error) {
	var b []byte
	if t.officialThrough != 0 {
		b = fmt.Appendf(b, "official-through %d\n", t.officialThrough)
	}
	for _, r := range t.rows {
		b = strconv.AppendInt(b, int64(r.year), 10)
		for _, n := range r.months {
			b = append(b, ' ')
			b = strconv.AppendInt(b, int64(n), 10)
		}
		if r.pinned {
			b = append(b, ' ')
			b = appendCivil(b, r.start)
		}
		b = append(b, '\n')
	}
	n, err := w.Write(b)
	return int64(n), err
}
