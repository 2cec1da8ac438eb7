package bs

import (
	"encoding/json"
	"errors"
	"testing"
	"time"

	"leoc/internal/must"
)

func TestParse(t *testing.T) {
	tests := []struct {
		in   string
		want Date
		err  error
	}{
		{"2082-10-15", Date{2082, 10, 15}, nil},
		{"2082/10/15", Date{2082, 10, 15}, nil},
		{"२०८२-१०-१५", Date{2082, 10, 15}, nil},
		{"२०८२/१०/१५", Date{2082, 10, 15}, nil},
		{"  2082-1-5\t", Date{2082, 1, 5}, nil},
		{"\u00a02082-01-05\n", Date{2082, 1, 5}, nil}, // no-break space, as pasted from a web page
		{"२०८२-10-१५", Date{2082, 10, 15}, nil},       // mixed digit sets
		{"2082-03-32", Date{2082, 3, 32}, nil},
		{"2082-01-32", Date{}, ErrInvalidDate},
		{"2082-13-01", Date{}, ErrInvalidDate},
		{"2082-00-10", Date{}, ErrInvalidDate},
		{"2082-01-00", Date{}, ErrInvalidDate},
		{"2095-01-01", Date{}, ErrOutOfRange},
		{"1999-12-30", Date{}, ErrOutOfRange},
		{"", Date{}, ErrSyntax},
		{"2082", Date{}, ErrSyntax},
		{"2082-10", Date{}, ErrSyntax},
		{"2082-10-", Date{}, ErrSyntax},
		{"2082-10-15-1", Date{}, ErrSyntax},
		{"2082/10-15", Date{}, ErrSyntax},
		{"82-10-15", Date{}, ErrSyntax},
		{"02082-10-15", Date{}, ErrSyntax},
		{"2082-100-15", Date{}, ErrSyntax},
		{"2082-10-015", Date{}, ErrSyntax},
		{"2082.10.15", Date{}, ErrSyntax},
		{"2082 10 15", Date{}, ErrSyntax},
		{"15-10-2082", Date{}, ErrSyntax},
		{"2082--10", Date{}, ErrSyntax},
		{"+2082-10-15", Date{}, ErrSyntax},
		{"2082-१x-15", Date{}, ErrSyntax},
		{"\xff2082-10-15", Date{}, ErrSyntax},
	}
	for _, tt := range tests {
		got, err := Parse(tt.in)
		if got != tt.want || !errors.Is(err, tt.err) || (tt.err == nil) != (err == nil) {
			t.Errorf("Parse(%q) = %v, %v; want %v, %v", tt.in, got, err, tt.want, tt.err)
		}
	}
}

func TestFormat(t *testing.T) {
	d := Date{2082, 10, 15}
	tests := []struct{ got, want string }{
		{d.String(), "2082-10-15"},
		{d.Devanagari(), "२०८२-१०-१५"},
		{d.LongNepali(), "१५ माघ २०८२"},
		{d.LongEnglish(), "15 Magh 2082"},
		{Date{2082, 1, 5}.String(), "2082-01-05"},
		{Date{2082, 1, 5}.LongNepali(), "५ वैशाख २०८२"},
		{Date{2081, 12, 31}.LongEnglish(), "31 Chaitra 2081"},
		{Date{}.String(), "0000-00-00"},
		{Date{12345, 1, 1}.String(), "12345-01-01"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("got %q, want %q", tt.got, tt.want)
		}
	}
}

func TestNames(t *testing.T) {
	nepali := []string{"वैशाख", "जेठ", "असार", "साउन", "भदौ", "असोज", "कात्तिक", "मंसिर", "पुस", "माघ", "फागुन", "चैत"}
	english := []string{"Baishakh", "Jestha", "Asar", "Shrawan", "Bhadra", "Asoj", "Kartik", "Mangsir", "Poush", "Magh", "Falgun", "Chaitra"}
	for i := range 12 {
		if MonthNepali(i+1) != nepali[i] || MonthEnglish(i+1) != english[i] {
			t.Errorf("month %d: %q %q", i+1, MonthNepali(i+1), MonthEnglish(i+1))
		}
	}
	if MonthNepali(0) != "" || MonthEnglish(13) != "" || WeekdayNepali(7) != "" {
		t.Error("out-of-range names are not empty")
	}
	if WeekdayNepali(time.Sunday) != "आइतबार" || WeekdayNepali(time.Saturday) != "शनिबार" || WeekdayNepali(time.Thursday) != "बिहीबार" {
		t.Error("weekday names")
	}
}

func TestCompare(t *testing.T) {
	a, b := Date{2082, 3, 32}, Date{2082, 4, 1}
	if a.Compare(b) != -1 || b.Compare(a) != 1 || a.Compare(a) != 0 {
		t.Error("Compare")
	}
	if !a.Before(b) || a.After(b) || !b.After(a) || a.Before(a) {
		t.Error("Before/After")
	}
	if (Date{2081, 12, 31}).Compare(Date{2082, 1, 1}) != -1 || (Date{2082, 2, 1}).Compare(Date{2082, 1, 31}) != 1 {
		t.Error("Compare across year/month")
	}
	if !(Date{}).IsZero() || a.IsZero() {
		t.Error("IsZero")
	}
}

func TestDateJSON(t *testing.T) {
	type rec struct {
		Date Date       `json:"date"`
		FY   FiscalYear `json:"fy"`
	}
	b, err := json.Marshal(rec{Date{2082, 10, 15}, FiscalYear{2082}})
	if err != nil || string(b) != `{"date":"2082-10-15","fy":"2082/83"}` {
		t.Fatalf("Marshal = %s, %v", b, err)
	}
	var r rec
	if err := json.Unmarshal([]byte(`{"date":"२०८२/१०/१५","fy":"०८२/८३"}`), &r); err != nil || r.Date != (Date{2082, 10, 15}) || r.FY.Start != 2082 {
		t.Errorf("Unmarshal = %+v, %v", r, err)
	}
	if err := json.Unmarshal([]byte(`{"date":"2082-01-32"}`), &r); !errors.Is(err, ErrInvalidDate) {
		t.Errorf("Unmarshal invalid: %v", err)
	}
	if b := must.Get(json.Marshal(rec{}))(t); string(b) != `{"date":"","fy":""}` {
		t.Errorf("Marshal zero = %s", b)
	}
	r = rec{Date{2082, 1, 1}, FiscalYear{2082}}
	if err := json.Unmarshal([]byte(`{"date":"","fy":" "}`), &r); err != nil || !r.Date.IsZero() || r.FY.Start != 0 {
		t.Errorf("Unmarshal empty = %+v, %v", r, err)
	}
}

// ParseStored reads what Date.String writes and what Parse accepts, without
// the calendar: a date the table does not know is still read.
func TestParseStored(t *testing.T) {
	for s, want := range map[string]Date{"2082-04-01": {2082, 4, 1}, "2199-12-32": {2199, 12, 32}, " २०८२-१०-१५ ": {2082, 10, 15}} {
		if got, ok := ParseStored(s); !ok || got != want {
			t.Errorf("ParseStored(%q) = %v, %v; want %v", s, got, ok, want)
		}
	}
	for _, s := range []string{"", "82-04-01", "2082-04", "2082-04-01x", "2082-4/1"} {
		if _, ok := ParseStored(s); ok {
			t.Errorf("ParseStored(%q) accepted", s)
		}
	}
}
