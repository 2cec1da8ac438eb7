package must

import (
	"errors"
	"testing"
)

// recorder is a testing.TB that notes Fatal instead of stopping.
type recorder struct {
	testing.TB
	failed bool
}

func (r *recorder) Helper()           {}
func (r *recorder) Fatal(args ...any) { r.failed = true }

func TestMust(t *testing.T) {
	ok := func() (int, error) { return 7, nil }
	bad := func() (int, error) { return 0, errors.New("set-up broke") }
	ok2 := func() ([]string, int, error) { return []string{"a"}, 1, nil }
	bad2 := func() ([]string, int, error) { return nil, 0, errors.New("set-up broke") }

	r := &recorder{TB: t}
	if v := Get(ok())(r); v != 7 || r.failed {
		t.Errorf("Get(ok) = %d, failed %v", v, r.failed)
	}
	if a, b := Get2(ok2())(r); len(a) != 1 || b != 1 || r.failed {
		t.Errorf("Get2(ok2) = %v %d, failed %v", a, b, r.failed)
	}
	OK(r, nil)
	if r.failed {
		t.Error("OK(nil) failed the test")
	}
	for name, fail := range map[string]func(testing.TB){
		"Get":  func(tb testing.TB) { Get(bad())(tb) },
		"Get2": func(tb testing.TB) { Get2(bad2())(tb) },
		"OK":   func(tb testing.TB) { OK(tb, errors.New("x")) },
	} {
		r := &recorder{TB: t}
		fail(r)
		if !r.failed {
			t.Errorf("%s did not fail the test on an error", name)
		}
	}
}
