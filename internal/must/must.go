// Package must keeps test set-up honest: a call whose error a test does not
// expect fails the test at the caller's line instead of being dropped with
// `_`, so a broken set-up is reported as itself and not as a puzzling
// assertion further down.
//
//	hash := must.Get(auth.HashPassword(pw))(t)
//	entries, total := must.Get2(s.ListAudit(ctx, f))(t)
//	must.OK(t, s.Close())
//
// (Go passes a call's results on only as a whole argument list, hence the
// returned function that takes t.)
package must

import "testing"

// OK fails the test when err is not nil.
func OK(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// Get returns a function that gives v, or fails the test when err is not nil.
func Get[T any](v T, err error) func(testing.TB) T {
	return func(t testing.TB) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

// Get2 is Get for calls that return two values and an error.
func Get2[A, B any](a A, b B, err error) func(testing.TB) (A, B) {
	return func(t testing.TB) (A, B) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return a, b
	}
}
