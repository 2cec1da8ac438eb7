package server

import (
	"math"
	"strconv"
	"time"

	"leoc/internal/bs"
	"leoc/internal/leoc"
)

// addDated adds a record's date as datedJSON names it.
func (o *jsonObject) addDated(d leoc.Dated) {
	if b := d.DateBS; b.Year >= 0 && b.Year <= 9999 && b.Month >= 0 && b.Month <= 99 && b.Day >= 0 && b.Day <= 99 {
		o.addValue("date_bs", jsonValue{kind: jsonDateBS, n: int64(b.Year)<<16 | int64(b.Month)<<8 | int64(b.Day)})
	} else {
		o.addText("date_bs", b.String())
	}
	if n, ok := utcNanos(d.DateAD); ok {
		o.addValue("date_ad", jsonValue{kind: jsonDateUTC, n: n})
	} else {
		o.addText("date_ad", d.DateAD.Format(time.DateOnly))
	}
	o.addValue("fiscal_year", jsonValue{kind: jsonFiscal, n: int64(d.FiscalYear.Start)})
}

// addID adds a link to another record, null when there is none.
func (o *jsonObject) addID(key string, id int64) {
	if id == 0 {
		o.add(key, nil)
		return
	}
	o.addInt(key, id)
}

// jsonObject is a JSON object that keeps its keys in the order added, so an
// incident reads in the order of the form and the documentation.
type jsonObject struct {
	keys []string
	vals []jsonValue
}

// jsonValue is one value of a jsonObject. The values a record is made of —
// text, whole numbers, money, coordinates, times, dates — are kept as they
// are (addText, addInt, …), not put into an interface: each such
// conversion of a string, a number above 255 or a time allocated, about
// 1,300 a page of 50 distributions, and the collector's work grew with
// them. Anything else is an interface value, written by appendJSONValue.
type jsonValue struct {
	kind jsonKind
	n    int64  // an integer, paisa, a float's bits, Unix nanoseconds, a packed BS date, a year
	s    string // text
	v    any    // jsonAny
}

type jsonKind uint8

const (
	jsonAny     jsonKind = iota // v
	jsonText                    // s
	jsonInt                     // n
	jsonMoney                   // n, as leoc.Money writes it
	jsonFloat                   // n, math.Float64bits
	jsonTimeUTC                 // n, a time in UTC as time.Time writes it
	jsonDateUTC                 // n, a time in UTC as its date, YYYY-MM-DD
	jsonDateBS                  // n, year<<16 | month<<8 | day
	jsonFiscal                  // n, the start year, as its label
)

// newJSONObject is an object with room for n keys.
func newJSONObject(n int) *jsonObject {
	return &jsonObject{keys: make([]string, 0, n), vals: make([]jsonValue, 0, n)}
}

func (o *jsonObject) add(key string, v any) {
	o.keys = append(o.keys, key)
	o.vals = append(o.vals, jsonValue{kind: jsonAny, v: v})
}

func (o *jsonObject) addValue(key string, v jsonValue) {
	o.keys = append(o.keys, key)
	o.vals = append(o.vals, v)
}

func (o *jsonObject) addText(key, s string) { o.addValue(key, jsonValue{kind: jsonText, s: s}) }

func (o *jsonObject) addInt(key string, n int64) { o.addValue(key, jsonValue{kind: jsonInt, n: n}) }

func (o *jsonObject) addMoney(key string, m leoc.Money) {
	o.addValue(key, jsonValue{kind: jsonMoney, n: int64(m)})
}

func (o *jsonObject) addFloat(key string, f float64) {
	o.addValue(key, jsonValue{kind: jsonFloat, n: int64(math.Float64bits(f))})
}

// addTime adds t as time.Time writes it. Only a time at offset zero within
// the years of Unix nanoseconds is kept as a number (the databases' times
// are); any other keeps its location in an interface value.
func (o *jsonObject) addTime(key string, t time.Time) {
	if n, ok := utcNanos(t); ok {
		o.addValue(key, jsonValue{kind: jsonTimeUTC, n: n})
		return
	}
	o.add(key, t)
}

// utcNanos is t in Unix nanoseconds, when t's zone is at offset zero (so
// time.Unix(0, n).UTC() writes as t does: RFC 3339 writes any such zone
// "Z", whatever its name — pgx gives time.Local, which may be UTC) and n
// can hold it.
func utcNanos(t time.Time) (int64, bool) {
	if _, off := t.Zone(); off != 0 || t.Year() < 1678 || t.Year() > 2261 {
		return 0, false
	}
	return t.UnixNano(), true
}

// addCoords adds a position as "latitude" and "longitude", null when it
// is not known.
func (o *jsonObject) addCoords(c *leoc.Coordinates) {
	if c == nil {
		o.add("latitude", nil)
		o.add("longitude", nil)
		return
	}
	o.addFloat("latitude", c.Latitude)
	o.addFloat("longitude", c.Longitude)
}

// addMeta adds the metadata every record carries in the API, in the order
// of recordJSON after the id: locked, open_until (while open), version,
// created_*, updated_*.
func (o *jsonObject) addMeta(r leoc.Record) {
	o.add("locked", r.Locked)
	if !r.OpenUntil.IsZero() {
		o.addTime("open_until", r.OpenUntil)
	}
	o.addInt("version", int64(r.Version))
	o.addTime("created_at", r.CreatedAt)
	o.addText("created_by", r.CreatedBy)
	o.addTime("updated_at", r.UpdatedAt)
	o.addText("updated_by", r.UpdatedBy)
}

func (o *jsonObject) MarshalJSON() ([]byte, error) { return o.appendJSON(nil) }

// jsonAppender is a value that appends its own JSON (appendJSONValue).
type jsonAppender interface {
	appendJSON(b []byte) ([]byte, error)
}

// objectList is a JSON array of the objects build makes of items, built
// one at a time into one jsonObject as they are written.
type objectList[T any] struct {
	items []T
	build func(*jsonObject, T)
}

func (l objectList[T]) appendJSON(b []byte) ([]byte, error) {
	if l.items == nil {
		return append(b, "null"...), nil
	}
	b = append(b, '[')
	var o jsonObject
	var keys writtenKeys
	var err error
	for i, it := range l.items {
		if i > 0 {
			b = append(b, ',')
		}
		clear(o.vals) // the last item's values, not to be kept alive
		o.keys, o.vals = o.keys[:0], o.vals[:0]
		l.build(&o, it)
		if b, err = o.appendJSONWith(b, &keys); err != nil {
			return nil, err
		}
	}
	return append(b, ']'), nil
}

// writtenKeys are the keys of a list's first object as written (`"key":`),
// which the next objects, built by the same function, copy where their keys
// are the same: a page of 50 distributions has 2,250 keys to escape.
type writtenKeys struct {
	keys []string
	buf  []byte
	ends []int // key i is buf[ends[i-1]:ends[i]]
}

// appendJSON writes the object after b, the bytes encoding/json gives for
// it. Nested objects are appended in place instead of being encoded
// separately and checked again by encoding/json at every level, and keys,
// numbers and plain strings are written directly: a statistics answer has
// thousands of them (json_append.go).
func (o *jsonObject) appendJSON(b []byte) ([]byte, error) { return o.appendJSONWith(b, nil) }

// appendJSONWith is appendJSON copying the keys written before (wk, if not
// nil) where they are the same, and remembering the first object's.
func (o *jsonObject) appendJSONWith(b []byte, wk *writtenKeys) ([]byte, error) {
	if o == nil {
		return append(b, "null"...), nil
	}
	b = append(b, '{')
	var err error
	for i, k := range o.keys {
		if i > 0 {
			b = append(b, ',')
		}
		switch {
		case wk != nil && i < len(wk.keys) && wk.keys[i] == k:
			start := 0
			if i > 0 {
				start = wk.ends[i-1]
			}
			b = append(b, wk.buf[start:wk.ends[i]]...)
		default:
			start := len(b)
			b = append(appendStdJSONString(b, k), ':')
			if wk != nil && i == len(wk.keys) {
				wk.keys = append(wk.keys, k)
				wk.buf = append(wk.buf, b[start:]...)
				wk.ends = append(wk.ends, len(wk.buf))
			}
		}
		if b, err = o.vals[i].appendJSON(b); err != nil {
			return nil, err
		}
	}
	return append(b, '}'), nil
}

// appendJSON writes v as appendJSONValue writes the value it stands for;
// what the direct paths refuse (a NaN, money of math.MinInt64) goes there
// too, for encoding/json's error.
func (v *jsonValue) appendJSON(b []byte) ([]byte, error) {
	switch v.kind {
	case jsonText:
		return appendStdJSONString(b, v.s), nil
	case jsonInt:
		return strconv.AppendInt(b, v.n, 10), nil
	case jsonMoney:
		if v.n != math.MinInt64 {
			return appendJSONMoney(b, leoc.Money(v.n)), nil
		}
		return appendJSONValue(b, leoc.Money(v.n))
	case jsonFloat:
		f := math.Float64frombits(uint64(v.n))
		if out, ok := appendJSONFloat(b, f); ok {
			return out, nil
		}
		return appendJSONValue(b, f)
	case jsonTimeUTC:
		out, _ := appendJSONTime(b, time.Unix(0, v.n).UTC()) // within the years it writes (utcNanos)
		return out, nil
	case jsonDateUTC:
		b = append(b, '"')
		return append(time.Unix(0, v.n).UTC().AppendFormat(b, time.DateOnly), '"'), nil
	case jsonDateBS:
		b = append(b, '"')
		d := bs.Date{Year: int(v.n >> 16), Month: int(v.n >> 8 & 0xFF), Day: int(v.n & 0xFF)}
		return append(d.AppendString(b), '"'), nil
	case jsonFiscal:
		b = append(b, '"')
		return append(bs.FiscalYear{Start: int(v.n)}.AppendLabel(b), '"'), nil
	}
	return appendJSONValue(b, v.v)
}
