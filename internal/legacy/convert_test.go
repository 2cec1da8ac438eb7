package legacy

import (
	"testing"

	"leoc/internal/bs"
	"leoc/internal/leoc"
)

func TestPaisa(t *testing.T) {
	cases := []struct {
		in    float64
		want  leoc.Money
		exact bool
	}{
		{4500.0, 450000, true},
		{4500.1, 450010, true}, // the float is 4500.0999…; its shortest form is what was typed
		{85025.0, 8502500, true},
		{0.30000000000000004, 30, false},
		{1666.6666666666667, 166667, false},
		{5000.125, 500013, false}, // half a paisa rounds away from zero
		{-2.345, -235, false},
		{60000000.5, 6000000050, true},
	}
	for _, c := range cases {
		got, exact, err := paisa(c.in)
		if err != nil || got != c.want || exact != c.exact {
			t.Errorf("paisa(%v) = %v, %v, %v; want %v, %v", c.in, got, exact, err, c.want, c.exact)
		}
	}
}

func TestFiscalYearForms(t *testing.T) {
	for in, want := range map[string]int{"2082/83": 2082, "082/83": 2082, "०८२/८३": 2082, " 2081-82 ": 2081} {
		if fy, ok := fiscalYear(in); !ok || fy.Start != want {
			t.Errorf("fiscalYear(%q) = %v, %v; want %d", in, fy, ok, want)
		}
	}
	for _, in := range []string{"", "2082", "082/84", "FY82"} {
		if fy, ok := fiscalYear(in); ok {
			t.Errorf("fiscalYear(%q) = %v, want unreadable", in, fy)
		}
	}
}

func TestBSOrAD(t *testing.T) {
	cal := bs.Default()
	d, wasAD, err := bsOrAD(cal, "2082-03-24")
	if err != nil || wasAD || d.String() != "2082-03-24" {
		t.Errorf("BS date: %v %v %v", d, wasAD, err)
	}
	d, wasAD, err = bsOrAD(cal, "2026-02-02")
	if err != nil || !wasAD || d.String() != "2082-10-19" {
		t.Errorf("AD date: %v %v %v, want 2082-10-19 from AD", d, wasAD, err)
	}
	if _, _, err := bsOrAD(cal, "2082-13-40"); err == nil {
		t.Error("an impossible BS date was accepted")
	}
}
