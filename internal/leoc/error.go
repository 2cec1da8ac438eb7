// Package leoc holds the domain of the LEOC records system: roles and
// permissions, users, and the one error type every layer speaks. It has no
// HTTP and no SQL in it.
package leoc

import (
	"errors"
	"fmt"
	"strconv"

	"leoc/internal/bs"
)

// Error codes. The HTTP layer maps each to one status in one place.
const (
	EInvalid      = "invalid"      // 400: the input is wrong; Fields says where
	EUnauthorized = "unauthorized" // 401: not logged in
	EForbidden    = "forbidden"    // 403: logged in, but not allowed
	ELocked       = "locked"       // 403: the record is locked
	ENotFound     = "not_found"    // 404
	EConflict     = "conflict"     // 409: duplicate, stale version, in use
	ETooLarge     = "too_large"    // 413
	ERateLimited  = "rate_limited" // 429
	EInternal     = "internal"     // 500: never shown in detail
	EUnavailable  = "unavailable"  // 503
)

// Msg is a message for a person: a catalog key and its arguments. The
// language is chosen at the boundary (HTML page, JSON answer, CLI), never here.
type Msg struct {
	Key  string
	Args []any
}

// Number is a formatted number passed as a message argument ("12,500.00"):
// its digits are written in the language of the message (Devanagari in
// Nepali), unlike other text arguments such as names and IDs.
type Number string

// Grouped is a whole number as a message argument, grouped the Nepali way
// (1,00,00,000) and written in the message language's digits.
func Grouped(n int64) Number { return Number(bs.GroupIndian(strconv.FormatInt(n, 10))) }

// M builds a Msg.
func M(key string, args ...any) Msg { return Msg{Key: key, Args: args} }

// A Msg given as an argument of another Msg is translated in the same
// language, and a MsgList is translated item by item and joined with commas:
// "in use: incidents (3), users (ram)" reads in one language from end to end,
// instead of a Nepali sentence ending in the store's English register names.
type MsgList []Msg

// Label is a message argument naming a thing by a catalog key, with the
// text to show when a catalog lacks the key (a register added without its
// label shows its machine name rather than "audit.entity.…").
type Label struct {
	Key      string
	Fallback string
}

// Usage names a register and how many of its records use something:
// "विपद् घटना (३)" / "Incident (3)". The register's name is its audit-trail
// label ("audit.entity.<name>").
func Usage(register string, n int) Msg {
	return M("setting.usage", Label{Key: "audit.entity." + register, Fallback: register}, n)
}

// Error is a domain error: a machine code, a user-safe message and, for
// validation errors, one message per field.
type Error struct {
	Code    string
	Message Msg
	Fields  map[string]Msg
	Err     error // the underlying cause, logged but never shown
}

func (e *Error) Error() string {
	s := e.Code + ": " + e.Message.Key
	if len(e.Fields) > 0 {
		s += fmt.Sprintf(" %v", e.Fields)
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf returns a domain error with a code and a message key.
func Errorf(code, key string, args ...any) *Error {
	return &Error{Code: code, Message: M(key, args...)}
}

// ErrorCode returns the code of the first *Error in err's chain, EInternal
// for any other error and "" for nil.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EInternal
}

// AsError returns the *Error in err's chain, if any.
func AsError(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}

// Validation collects per-field problems and turns them into one EInvalid
// error, so a form shows every problem at once.
type Validation struct {
	Fields map[string]Msg
}

// Add records a problem with a field; the first problem per field wins.
func (v *Validation) Add(field, key string, args ...any) {
	if v.Fields == nil {
		v.Fields = make(map[string]Msg)
	}
	if _, ok := v.Fields[field]; !ok {
		v.Fields[field] = M(key, args...)
	}
}

// Check adds the problem when ok is false.
func (v *Validation) Check(ok bool, field, key string, args ...any) {
	if !ok {
		v.Add(field, key, args...)
	}
}

// Has reports whether field already has a problem.
func (v *Validation) Has(field string) bool { _, ok := v.Fields[field]; return ok }

// Err returns nil when there were no problems.
func (v *Validation) Err() error {
	if len(v.Fields) == 0 {
		return nil
	}
	return &Error{Code: EInvalid, Message: M("error.validation"), Fields: v.Fields}
}
