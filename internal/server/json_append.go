package server

import (
	"encoding/json"
	"math"
	"strconv"
	"time"
	"unicode/utf8"

	"leoc/internal/leoc"
)

// appendJSONValue appends v as encoding/json encodes it. The kinds of the
// API's answers — records and their lists included — are written directly;
// anything else goes through encoding/json, so the bytes never differ
// (TestAppendJSONMatchesEncodingJSON, TestListJSONMatchesEncodingJSON).
func appendJSONValue(b []byte, v any) ([]byte, error) {
	switch x := v.(type) {
	case nil:
		return append(b, "null"...), nil
	case *jsonObject:
		return x.appendJSON(b)
	case jsonAppender:
		return x.appendJSON(b)
	case []*jsonObject:
		if x == nil {
			return append(b, "null"...), nil
		}
		b = append(b, '[')
		var err error
		for i, o := range x {
			if i > 0 {
				b = append(b, ',')
			}
			if b, err = o.appendJSON(b); err != nil {
				return nil, err
			}
		}
		return append(b, ']'), nil
	case []any:
		if x == nil {
			return append(b, "null"...), nil
		}
		b = append(b, '[')
		var err error
		for i, e := range x {
			if i > 0 {
				b = append(b, ',')
			}
			if b, err = appendJSONValue(b, e); err != nil {
				return nil, err
			}
		}
		return append(b, ']'), nil
	case int:
		return strconv.AppendInt(b, int64(x), 10), nil
	case int64:
		return strconv.AppendInt(b, x, 10), nil
	case bool:
		return strconv.AppendBool(b, x), nil
	case string:
		return appendStdJSONString(b, x), nil
	case *string:
		if x == nil {
			return append(b, "null"...), nil
		}
		return appendStdJSONString(b, *x), nil
	case float64:
		if out, ok := appendJSONFloat(b, x); ok {
			return out, nil
		}
	case time.Time:
		if out, ok := appendJSONTime(b, x); ok {
			return out, nil
		}
	case leoc.Money:
		if x != math.MinInt64 {
			return appendJSONMoney(b, x), nil
		}
	case []string:
		if x == nil {
			return append(b, "null"...), nil
		}
		b = append(b, '[')
		for i, s := range x {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendStdJSONString(b, s)
		}
		return append(b, ']'), nil
	case []leoc.Member:
		return appendJSONList(b, x, func(b []byte, m leoc.Member) []byte {
			b = append(b, `{"name":`...)
			b = appendStdJSONString(b, m.Name)
			b = append(b, `,"relation":`...)
			b = appendStdJSONString(b, m.Relation)
			b = append(b, `,"age":`...)
			b = strconv.AppendInt(b, int64(m.Age), 10)
			b = append(b, `,"sex":`...)
			b = appendStdJSONString(b, m.Sex)
			return append(b, '}')
		}), nil
	case []leoc.Harm:
		return appendJSONList(b, x, func(b []byte, h leoc.Harm) []byte {
			b = append(b, `{"member":`...)
			b = appendStdJSONString(b, h.Member)
			b = append(b, `,"harm":`...)
			b = appendStdJSONString(b, h.Harm)
			b = append(b, `,"severity":`...)
			b = appendStdJSONString(b, h.Severity)
			return append(b, '}')
		}), nil
	case []leoc.ReliefItem:
		return appendJSONList(b, x, func(b []byte, it leoc.ReliefItem) []byte {
			b = append(b, `{"item":`...)
			b = appendStdJSONString(b, it.Item)
			b = append(b, `,"quantity":`...)
			b = strconv.AppendInt(b, it.Quantity, 10)
			b = append(b, `,"unit":`...)
			b = appendStdJSONString(b, it.Unit)
			return append(b, '}')
		}), nil
	}
	enc, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return append(b, enc...), nil
}

// appendJSONList appends a slice of structs whose fields one appends by
// hand; the field names and order are the structs' json tags.
func appendJSONList[T any](b []byte, list []T, each func([]byte, T) []byte) []byte {
	if list == nil {
		return append(b, "null"...)
	}
	b = append(b, '[')
	for i, v := range list {
		if i > 0 {
			b = append(b, ',')
		}
		b = each(b, v)
	}
	return append(b, ']')
}

const jsonHex = "0123456789abcdef"

// appendStdJSONString appends s quoted as encoding/json quotes a string: the
// HTML characters <, > and & escaped, control characters as \n or \u00XX,
// invalid UTF-8 as \ufffd, U+2028 and U+2029 escaped. It is one pass: a
// page of 50 distributions writes ~5,000 strings (2,250 of them keys), and
// validating each with utf8.ValidString before escaping it read every byte
// twice. Three-byte sequences — Devanagari, three bytes a letter, and
// U+2028 and U+2029 (E2 80 A8, E2 80 A9) — are checked here; anything else
// above ASCII is decoded.
func appendStdJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if jsonPlain[c] {
				i++
				continue
			}
			b = appendEscapedASCII(append(b, s[start:i]...), c)
			i++
			start = i
			continue
		}
		if c&0xF0 == 0xE0 && i+2 < len(s) {
			// The second byte's range is narrower after E0 (no overlong
			// forms) and ED (no surrogates), as in utf8's table.
			lo, hi := byte(0x80), byte(0xBF)
			switch c {
			case 0xE0:
				lo = 0xA0
			case 0xED:
				hi = 0x9F
			}
			if c1, c2 := s[i+1], s[i+2]; lo <= c1 && c1 <= hi && c2&0xC0 == 0x80 {
				if c == 0xE2 && c1 == 0x80 && (c2 == 0xA8 || c2 == 0xA9) {
					b = append(b, s[start:i]...)
					b = append(b, '\\', 'u', '2', '0', '2', jsonHex[c2&0xF])
					start = i + 3
				}
				i += 3
				continue
			}
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i++
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// jsonPlain holds the ASCII bytes a JSON string from encoding/json holds
// as they are.
var jsonPlain = func() (t [utf8.RuneSelf]bool) {
	for c := range t {
		t[c] = c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&'
	}
	return t
}()

// appendJSONFloat appends f as encoding/json writes a float64 (the ES6
// number form); ok is false for NaN and the infinities, which it refuses.
func appendJSONFloat(b []byte, f float64) ([]byte, bool) {
	if math.IsInf(f, 0) || math.IsNaN(f) {
		return b, false
	}
	format := byte('f')
	if abs := math.Abs(f); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, f, format, -1, 64)
	if format == 'e' {
		// e-09 is written e-9.
		n := len(b)
		if n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b, true
}

// appendJSONTime appends t as time.Time.MarshalJSON writes it (RFC 3339
// with nanoseconds); ok is false for the times it refuses (a year outside
// 0–9999, a zone offset of a day or more).
func appendJSONTime(b []byte, t time.Time) ([]byte, bool) {
	if y := t.Year(); y < 0 || y > 9999 {
		return b, false
	}
	if _, off := t.Zone(); off <= -24*3600 || off >= 24*3600 {
		return b, false
	}
	b = append(b, '"')
	b = t.AppendFormat(b, time.RFC3339Nano)
	return append(b, '"'), true
}

// appendJSONMoney appends m as leoc.Money.MarshalJSON writes it: a decimal
// string of rupees with two places ("4500.00", "-0.50").
func appendJSONMoney(b []byte, m leoc.Money) []byte {
	v := int64(m)
	b = append(b, '"')
	if v < 0 {
		b = append(b, '-')
		v = -v
	}
	b = strconv.AppendInt(b, v/100, 10)
	b = append(b, '.', byte('0'+v%100/10), byte('0'+v%10))
	return append(b, '"')
}

// appendEscapedASCII appends the escape of an ASCII byte that a JSON string
// may not hold as it is (a control character, a quote, a backslash) or that
// encoding/json escapes for HTML (<, >, &), as encoding/json writes it.
func appendEscapedASCII(b []byte, c byte) []byte {
	switch c {
	case '\\', '"':
		return append(b, '\\', c)
	case '\b':
		return append(b, '\\', 'b')
	case '\f':
		return append(b, '\\', 'f')
	case '\n':
		return append(b, '\\', 'n')
	case '\r':
		return append(b, '\\', 'r')
	case '\t':
		return append(b, '\\', 't')
	}
	return append(b, '\\', 'u', '0', '0', jsonHex[c>>4], jsonHex[c&0xF])
}
