package leoc

import (
	"encoding/json"
	"errors"
	"math/big"
	"strings"
	"testing"

	"leoc/internal/bs"
)

func TestParseQuantity(t *testing.T) {
	for _, c := range []struct {
		in   string
		want Quantity
	}{
		{"25", 25000}, {"25.5", 25500}, {"0.125", 125}, {".5", 500}, {"0.001", 1}, {" 7 ", 7000}, {"007.50", 7500},
		{"२५.५", 25500}, {"०.१२५", 125}, {"1,200", 1200000}, {"1,00,000.25", 100000250}, {"१,२५,०००", 125000000},
		{"0", 0}, {"0.000", 0}, {"10000000000000", MaxQuantity},
	} {
		got, err := ParseQuantity(c.in)
		if err != nil || got != c.want {
			t.Errorf("ParseQuantity(%q) = %d, %v; want %d", c.in, got, err, c.want)
		}
	}
	for _, c := range []struct {
		in   string
		want error
	}{
		{"", ErrQuantity}, {"abc", ErrQuantity}, {"1e3", ErrQuantity}, {"12.", ErrQuantity}, {".", ErrQuantity}, {"1.2.3", ErrQuantity},
		{"5 kg", ErrQuantity}, {"1 000", ErrQuantity}, {"10,00", ErrQuantity}, {"NaN", ErrQuantity}, {"Inf", ErrQuantity},
		{"-5", ErrQuantitySign}, {"+5", ErrQuantitySign}, {"−5", ErrQuantitySign}, {"-0.5", ErrQuantitySign},
		{"0.0001", ErrQuantityDecimals}, {"25.5555", ErrQuantityDecimals}, {"१.२३४५", ErrQuantityDecimals},
		{"10000000000000.001", ErrQuantityTooLarge}, {"99999999999999999999", ErrQuantityTooLarge},
	} {
		got, err := ParseQuantity(c.in)
		if !errors.Is(err, c.want) || !errors.Is(err, ErrQuantity) {
			t.Errorf("ParseQuantity(%q) = %d, %v; want %v", c.in, got, err, c.want)
		}
	}
}

func TestQuantityString(t *testing.T) {
	for _, c := range []struct {
		q    Quantity
		want string
	}{
		{25000, "25"}, {25500, "25.5"}, {125, "0.125"}, {1, "0.001"}, {10, "0.01"}, {0, "0"}, {-2250, "-2.25"}, {-1, "-0.001"},
		{Units(3), "3"}, {MaxQuantity, "10000000000000"},
	} {
		if got := c.q.String(); got != c.want {
			t.Errorf("Quantity(%d).String() = %q; want %q", int64(c.q), got, c.want)
		}
	}
	if got := Quantity(125000500).Nepali(); got != "१,२५,०००.५" {
		t.Errorf("Nepali() = %q", got)
	}
	if got := Quantity(125000500).English(); got != "1,25,000.5" {
		t.Errorf("English() = %q", got)
	}
}

func TestQuantityJSON(t *testing.T) {
	type line struct {
		Quantity Quantity  `json:"quantity"`
		Optional *Quantity `json:"optional,omitempty"`
	}
	for _, c := range []struct {
		in   string
		want Quantity
	}{
		{`{"quantity":"25.5"}`, 25500}, {`{"quantity":25.5}`, 25500}, {`{"quantity":25}`, 25000}, {`{"quantity":0.1}`, 100},
		{`{"quantity":"२५"}`, 25000}, {`{"quantity":null}`, 0}, {`{}`, 0},
	} {
		var l line
		if err := json.Unmarshal([]byte(c.in), &l); err != nil || l.Quantity != c.want {
			t.Errorf("Unmarshal(%s) = %d, %v; want %d", c.in, l.Quantity, err, c.want)
		}
	}
	for _, in := range []string{`{"quantity":"25.5555"}`, `{"quantity":1e3}`, `{"quantity":-5}`, `{"quantity":"-5"}`, `{"quantity":true}`,
		`{"quantity":0.0001}`, `{"quantity":"x"}`, `{"quantity":[1]}`} {
		var l line
		if err := json.Unmarshal([]byte(in), &l); err == nil {
			t.Errorf("Unmarshal(%s) = %d; want an error", in, l.Quantity)
		}
	}
	b, err := json.Marshal(line{Quantity: 25500})
	if err != nil || string(b) != `{"quantity":"25.5"}` {
		t.Errorf("Marshal = %s, %v", b, err)
	}
}

// FuzzParseQuantity: every quantity ParseQuantity accepts is the number its
// digits say (checked with arbitrary precision, independently of the
// parser), and formats back — plain, English and Nepali — to the same value.
func FuzzParseQuantity(f *testing.F) {
	for _, s := range []string{"25", "25.5", "0.125", ".5", "1,00,000", "२५.५", "-1", "1.2345", "10000000000000", "1,0"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		q, err := ParseQuantity(s)
		if err != nil {
			if !errors.Is(err, ErrQuantity) {
				t.Fatalf("ParseQuantity(%q): error %v does not wrap ErrQuantity", s, err)
			}
			return
		}
		if q < 0 || q > MaxQuantity {
			t.Fatalf("ParseQuantity(%q) = %d, out of range", s, q)
		}
		r, ok := new(big.Rat).SetString(strings.ReplaceAll(bs.ASCIIDigits(strings.TrimSpace(s)), ",", ""))
		if !ok || r.Cmp(new(big.Rat).SetFrac64(int64(q), QuantityScale)) != 0 {
			t.Fatalf("ParseQuantity(%q) = %d; the digits say %v", s, q, r)
		}
		for _, back := range []string{q.String(), q.English(), q.Nepali()} {
			if again, err := ParseQuantity(back); err != nil || again != q {
				t.Fatalf("ParseQuantity(%q) = %d formats as %q, which parses to %d, %v", s, q, back, again, err)
			}
		}
	})
}
