package store

import (
	"fmt"
	"time"
)

// More readers of a sumRow's values, for the rows of a list (distributionScan)
// as well as the statistics: the kinds both drivers give.

// bool is column i as a boolean: PostgreSQL gives a bool, SQLite the
// integer 0 or 1 of a BOOLEAN column.
func (r *sumRow) bool(i int) bool {
	switch v := r.vals[i].(type) {
	case bool:
		return v
	case int64:
		return v != 0
	}
	r.fail(i, fmt.Errorf("%T is not a boolean", r.vals[i]))
	return false
}

// float is column i as a number, and false when it is SQL NULL.
func (r *sumRow) float(i int) (float64, bool) {
	switch v := r.vals[i].(type) {
	case float64:
		return v, true
	case int64:
		return float64(v), true
	case nil:
		return 0, false
	}
	r.fail(i, fmt.Errorf("%T is not a number", r.vals[i]))
	return 0, false
}

// time is column i as a time: both drivers parse TIMESTAMP columns.
func (r *sumRow) time(i int) time.Time {
	if v, ok := r.vals[i].(time.Time); ok {
		return v
	}
	r.fail(i, fmt.Errorf("%T is not a time", r.vals[i]))
	return time.Time{}
}
