package server

import (
	"encoding/json"
	"strconv"
)

// appendJSONValue appends v as encoding/json encodes it. The common kinds of
// the API's answers are written directly; anything else goes through
// encoding/json, so the bytes never differ (TestAppendJSONMatchesEncodingJSON).
func appendJSONValue(b []byte, v any) ([]byte, error) {
	switch x := v.(type) {
	case *jsonObject:
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
	case int:
		return strconv.AppendInt(b, int64(x), 10), nil
	case int64:
		return strconv.AppendInt(b, x, 10), nil
	case bool:
		return strconv.AppendBool(b, x), nil
	case string:
		if plainJSONString(x) {
			b = append(b, '"')
			b = append(b, x...)
			return append(b, '"'), nil
		}
	}
	enc, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return append(b, enc...), nil
}

// plainJSONString reports whether s needs no escaping at all in JSON as
// encoding/json writes it: printable ASCII without the quote, the
// backslash and the HTML characters it escapes (<, >, &).
func plainJSONString(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c >= 0x7f || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			return false
		}
	}
	return true
}
