package store

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"leoc/internal/leoc"
)

// The members, harms and items of a distribution are read with the row
// itself: each kind is one column, a JSON array of arrays that the database
// builds from the child table in the same statement (json_group_array on
// SQLite, json_agg on PostgreSQL), in the order of position. A page of 50
// distributions is then one statement of 50 rows instead of four
// statements and ~300 child rows, and every child value is a piece of
// those three strings rather than a value the driver converts, boxes and
// copies on its own.

// childColumns are the three columns, in the order distributionScan reads
// them after the row's own.
func childColumns(d Dialect) string {
	agg := func(cols, table string) string {
		if d == Postgres {
			return "(SELECT json_agg(json_build_array(" + cols + ") ORDER BY position)::text FROM " + table +
				" WHERE distribution_id = distributions.id)"
		}
		return "(SELECT json_group_array(json_array(" + cols + ") ORDER BY position) FROM " + table +
			" WHERE distribution_id = distributions.id)"
	}
	return agg("name, relation, age, sex", "distribution_members") + ", " +
		agg("member, harm, severity", "distribution_harms") + ", " +
		agg("item, quantity, unit", "distribution_items")
}

// rowColumn is one column of cols' values as a JSON array, built by SQLite
// (distributionRead says why, and why not on PostgreSQL).
func rowColumn(cols []string) string {
	return "json_array(" + strings.Join(cols, ", ") + ")"
}

// rowFields reads a row's own values in order, from its JSON array
// (rowColumn, on SQLite) or from its columns (on PostgreSQL), so one scan
// serves both.
type rowFields struct {
	json  bool
	c     *childArrays
	row   *sumRow
	i     int  // the next column
	first bool // the next value is the array's first
}

// read calls fields, which reads the values, and returns the first column
// after them.
func (f *rowFields) read(row *sumRow, c *childArrays, fields func()) (int, error) {
	f.c, f.row, f.i, f.first = c, row, 0, true
	if !f.json {
		fields()
		return f.i, row.err
	}
	return 1, c.row(row.text(0), fields)
}

func (f *rowFields) text() string { return nextField(f, (*childArrays).text, (*sumRow).text) }
func (f *rowFields) int() int64   { return nextField(f, (*childArrays).int, (*sumRow).int) }
func (f *rowFields) bool() bool   { return nextField(f, (*childArrays).bool, (*sumRow).bool) }

// nextField reads the row's next value: the JSON array's next element, or
// the next column.
func nextField[T any](f *rowFields, element func(*childArrays, bool) T, column func(*sumRow, int) T) T {
	if f.json {
		v := element(f.c, f.first)
		f.first = false
		return v
	}
	f.i++
	return column(f.row, f.i-1)
}

// childArrays reads the JSON the child columns hold: an array of arrays of
// strings and integers, as the databases write them (SQLite without
// spaces, PostgreSQL with). Strings without escapes are slices of the
// column's text, not copies.
type childArrays struct {
	s   string
	i   int
	err error
}

var errChildJSON = errors.New("not an array of arrays")

// row calls read for the one array s holds (a rowColumn).
func (c *childArrays) row(s string, read func()) error {
	*c = childArrays{s: s}
	if !c.take('[') {
		return c.fail()
	}
	read()
	if c.err != nil {
		return c.err
	}
	if !c.take(']') {
		return c.fail()
	}
	c.space()
	if c.i != len(c.s) {
		return c.fail()
	}
	return nil
}

// each calls row for every inner array; SQL NULL (no rows on PostgreSQL)
// and "[]" have none.
func (c *childArrays) each(s string, row func()) error {
	*c = childArrays{s: s}
	if s == "" || s == "[]" {
		return nil
	}
	if !c.take('[') {
		return c.fail()
	}
	for {
		if !c.take('[') {
			return c.fail()
		}
		row()
		if c.err != nil {
			return c.err
		}
		if !c.take(']') {
			return c.fail()
		}
		if c.take(',') {
			continue
		}
		if !c.take(']') {
			return c.fail()
		}
		c.space()
		if c.i != len(c.s) {
			return c.fail()
		}
		return nil
	}
}

func (c *childArrays) fail() error {
	if c.err == nil {
		c.err = fmt.Errorf("store: child rows %.60q at %d: %w", c.s, c.i, errChildJSON)
	}
	return c.err
}

func (c *childArrays) space() {
	for c.i < len(c.s) && (c.s[c.i] == ' ' || c.s[c.i] == '\n' || c.s[c.i] == '\t' || c.s[c.i] == '\r') {
		c.i++
	}
}

// take consumes b (after any space) if it comes next.
func (c *childArrays) take(b byte) bool {
	c.space()
	if c.i < len(c.s) && c.s[c.i] == b {
		c.i++
		return true
	}
	return false
}

// value starts the next value of an inner array: after the first, a comma.
func (c *childArrays) value(first bool) bool {
	if c.err != nil || !first && !c.take(',') {
		c.fail()
		return false
	}
	c.space()
	return c.i < len(c.s)
}

// null consumes a JSON null if it comes next.
func (c *childArrays) null() bool {
	if strings.HasPrefix(c.s[c.i:], "null") {
		c.i += 4
		return true
	}
	return false
}

// text reads a string value or null (SQL NULL), which is "".
func (c *childArrays) text(first bool) string {
	if !c.value(first) || c.null() {
		return ""
	}
	return c.quoted()
}

// bool reads a boolean: true or false, or, as SQLite has no booleans, an
// integer, true unless 0 (as sumRow.bool reads a column).
func (c *childArrays) bool(first bool) bool {
	if !c.value(first) {
		return false
	}
	for _, v := range []struct {
		s string
		b bool
	}{{"true", true}, {"false", false}} {
		if strings.HasPrefix(c.s[c.i:], v.s) {
			c.i += len(v.s)
			return v.b
		}
	}
	return c.number() != 0
}

// str reads a string value.
func (c *childArrays) str(first bool) string {
	if !c.value(first) {
		return ""
	}
	return c.quoted()
}

// quoted reads the string that starts here.
func (c *childArrays) quoted() string {
	if c.s[c.i] != '"' {
		c.fail()
		return ""
	}
	c.i++
	start := c.i
	for c.i < len(c.s) {
		switch c.s[c.i] {
		case '"':
			c.i++
			return c.s[start : c.i-1]
		case '\\':
			return c.unescape(start)
		}
		c.i++
	}
	c.fail()
	return ""
}

// unescape reads the rest of a string that has escapes, from start.
func (c *childArrays) unescape(start int) string {
	var b strings.Builder
	b.WriteString(c.s[start:c.i])
	for c.i < len(c.s) {
		ch := c.s[c.i]
		if ch == '"' {
			c.i++
			return b.String()
		}
		if ch != '\\' {
			b.WriteByte(ch)
			c.i++
			continue
		}
		if c.i+1 >= len(c.s) {
			break
		}
		c.i += 2
		switch e := c.s[c.i-1]; e {
		case '"', '\\', '/':
			b.WriteByte(e)
		case 'b':
			b.WriteByte('\b')
		case 'f':
			b.WriteByte('\f')
		case 'n':
			b.WriteByte('\n')
		case 'r':
			b.WriteByte('\r')
		case 't':
			b.WriteByte('\t')
		case 'u':
			r, ok := c.hex4()
			if !ok {
				c.fail()
				return ""
			}
			if utf16.IsSurrogate(r) {
				r2 := utf8.RuneError
				if strings.HasPrefix(c.s[c.i:], `\u`) {
					c.i += 2
					if r2, ok = c.hex4(); !ok {
						c.fail()
						return ""
					}
				}
				r = utf16.DecodeRune(r, r2)
			}
			b.WriteRune(r)
		default:
			c.fail()
			return ""
		}
	}
	c.fail()
	return ""
}

func (c *childArrays) hex4() (rune, bool) {
	if c.i+4 > len(c.s) {
		return 0, false
	}
	n, err := strconv.ParseUint(c.s[c.i:c.i+4], 16, 16)
	c.i += 4
	return rune(n), err == nil
}

// int reads an integer value; null (SQL NULL) is 0.
func (c *childArrays) int(first bool) int64 {
	if !c.value(first) || c.null() {
		return 0
	}
	return c.number()
}

// number reads the integer that starts here.
func (c *childArrays) number() int64 {
	start := c.i
	for c.i < len(c.s) && (c.s[c.i] == '-' || c.s[c.i] >= '0' && c.s[c.i] <= '9') {
		c.i++
	}
	n, err := strconv.ParseInt(c.s[start:c.i], 10, 64)
	if err != nil {
		c.fail()
	}
	return n
}

// innerArrays is about how many inner arrays s holds — more when a string
// holds a ']' — so that a distribution's members and items are one
// allocation each rather than one per doubling.
func innerArrays(s string) int { return strings.Count(s, "]") - 1 }

// children fills d's members, harms and items from the child columns.
func (c *childArrays) children(d *leoc.Distribution, members, harms, items string) error {
	d.Members, d.Harms, d.Items = nil, nil, nil
	if n := innerArrays(members); n > 0 {
		d.Members = make([]leoc.Member, 0, n)
	}
	if n := innerArrays(items); n > 0 {
		d.Items = make([]leoc.ReliefItem, 0, n)
	}
	err := c.each(members, func() {
		m := leoc.Member{Name: c.str(true), Relation: c.str(false)}
		m.Age, m.Sex = int(c.int(false)), c.str(false)
		d.Members = append(d.Members, m)
	})
	if err != nil {
		return err
	}
	err = c.each(harms, func() {
		d.Harms = append(d.Harms, leoc.Harm{Member: c.str(true), Harm: c.str(false), Severity: c.str(false)})
	})
	if err != nil {
		return err
	}
	return c.each(items, func() {
		d.Items = append(d.Items, leoc.ReliefItem{Item: c.str(true), Quantity: c.int(false), Unit: c.str(false)})
	})
}
