package store

import (
	"context"
	"fmt"
	"strconv"
)

// sumRow reads the rows of the statistics queries — a few key columns and
// up to 35 integer sums — into one reused set of destinations. Scanning
// into an *any keeps the driver's value as it is, where scanning into an
// *int64 goes through reflection for every value; an uncached statistics
// answer reads thousands of values, so this is a good part of its CPU.
type sumRow struct {
	vals []any
	dest []any
	err  error // the first value that was not what its reader expected
}

func newSumRow(columns int) *sumRow {
	r := &sumRow{vals: make([]any, columns), dest: make([]any, columns)}
	for i := range r.vals {
		r.dest[i] = &r.vals[i]
	}
	return r
}

// eachSumRow runs a statistics query and hands every row of its columns
// to read.
func (s *Store) eachSumRow(ctx context.Context, columns int, q string, args []any, read func(r *sumRow)) error {
	rows, err := s.query(ctx, q, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	r := newSumRow(columns)
	for rows.Next() {
		if err := rows.Scan(r.dest...); err != nil {
			return err
		}
		read(r)
		if r.err != nil {
			return r.err
		}
	}
	return rows.Err()
}

// int is column i as an integer; both drivers give BIGINT and INTEGER
// columns and CAST(… AS BIGINT) as int64 (SQL NULL, from a sum over no
// rows, is 0).
func (r *sumRow) int(i int) int64 {
	switch v := r.vals[i].(type) {
	case int64:
		return v
	case int32:
		return int64(v)
	case nil:
		return 0
	case []byte:
		n, err := strconv.ParseInt(string(v), 10, 64)
		r.fail(i, err)
		return n
	case string:
		n, err := strconv.ParseInt(v, 10, 64)
		r.fail(i, err)
		return n
	}
	r.fail(i, fmt.Errorf("%T is not an integer", r.vals[i]))
	return 0
}

// ints fills dst from the columns starting at i.
func (r *sumRow) ints(i int, dst []int64) {
	for j := range dst {
		dst[j] = r.int(i + j)
	}
}

// text is column i as a string.
func (r *sumRow) text(i int) string {
	switch v := r.vals[i].(type) {
	case string:
		return v
	case []byte:
		return string(v)
	case nil:
		return ""
	}
	r.fail(i, fmt.Errorf("%T is not text", r.vals[i]))
	return ""
}

func (r *sumRow) fail(i int, err error) {
	if err != nil && r.err == nil {
		r.err = fmt.Errorf("column %d: %w", i, err)
	}
}
