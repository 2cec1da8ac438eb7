package leoc

import (
	"bytes"
	"encoding/json"
	"reflect"
)

// jsonNumberText reads a number the API accepts either as a string ("25.5",
// "२५") or as a JSON number (25.5) without going through a float: the text
// is kept for Apply to check, so a bad value is a message on its field.
// literal is true for a JSON number (its text is the literal as sent), null
// for JSON null; anything else (an object, true) is refused as of type t.
func jsonNumberText(b []byte, t reflect.Type) (text string, literal, null bool, err error) {
	b = bytes.TrimSpace(b)
	switch {
	case string(b) == "null":
		return "", false, true, nil
	case len(b) > 0 && b[0] == '"':
		err = json.Unmarshal(b, &text)
		return text, false, false, err
	case len(b) > 0 && (b[0] == '-' || (b[0] >= '0' && b[0] <= '9')):
		return string(b), true, false, nil
	}
	return "", false, false, &json.UnmarshalTypeError{Value: "non-number", Type: t}
}
