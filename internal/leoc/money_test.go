package leoc

import (
	"encoding/json"
	"errors"
	"math/big"
	"strings"
	"testing"

	"leoc/internal/must"
)

func TestParseMoney(t *testing.T) {
	for _, c := range []struct {
		in   string
		want Money
	}{
		{"4500", 450000}, {"4500.5", 450050}, {"4500.05", 450005}, {"4,500.50", 450050}, {"रु १,२५,०००.००", 12500000}, {"रु. १,२५,०००.००", 12500000},
		{"0", 0}, {" 12.3 ", 1230},
		// Fifty paisa, however it is written: the leading dot is a decimal point, not Rs.'s.
		{".50", 50}, {"0.50", 50}, {"०.५०", 50}, {".5", 50}, {"Rs .50", 50},
		// Currency marks, any case, with or without a space, only in front.
		{"Rs 500", 50000}, {"Rs.500", 50000}, {"rs. 500", 50000}, {"RS500", 50000}, {"NPR 1,000", 100000}, {"npr500", 50000},
		{"रु500", 50000}, {"रु.५००", 50000}, {"रु. 1,00,000.25", 10000025},
		// Nepali and international grouping.
		{"1,00,000", 10000000}, {"12,34,567.50", 123456750}, {"1,00,00,000", 1000000000}, {"100,000", 10000000},
		{"1,234,567", 123456700}, {"1,000", 100000}, {"10,000", 1000000}, {"१२,३४,५६७", 123456700},
		{"9999999999999.99", MaxMoney - 1}, {"10000000000000", MaxMoney}, {"1,00,00,00,00,00,000", MaxMoney}, {"007", 700},
	} {
		got, err := ParseMoney(c.in)
		if err != nil || got != c.want {
			t.Errorf("ParseMoney(%q) = %d, %v; want %d", c.in, got, err, c.want)
		}
	}
	for _, c := range []struct {
		in   string
		want error
	}{
		{"", ErrMoney}, {"1e3", ErrMoney}, {"abc", ErrMoney}, {"12.", ErrMoney}, {"NaN", ErrMoney}, {"1.2.3", ErrMoney},
		{".", ErrMoney}, {"Rs", ErrMoney}, {"500 Rs", ErrMoney}, {"500रु", ErrMoney}, {"1 000", ErrMoney}, {"Rs Rs 5", ErrMoney},
		{"-5", ErrMoneySign}, {"+5", ErrMoneySign}, {"5-", ErrMoneySign}, {"Rs -5", ErrMoneySign}, {"1,0-0", ErrMoneySign}, {"−5", ErrMoneySign},
		{"1.234", ErrMoneyDecimals}, {"0.001", ErrMoneyDecimals}, {".505", ErrMoneyDecimals},
		{"1,2.5", ErrMoneyGrouping}, {"10,00", ErrMoneyGrouping}, {"1,0000", ErrMoneyGrouping}, {",500", ErrMoneyGrouping},
		{"500,", ErrMoneyGrouping}, {"1,,000", ErrMoneyGrouping}, {"100,00,000", ErrMoneyGrouping}, {"0,500", ErrMoneyGrouping},
		{"12,34,5678", ErrMoneyGrouping}, {"1,000.5,0", ErrMoney},
		{"99999999999999999999", ErrMoneyTooLarge}, {"10000000000000.01", ErrMoneyTooLarge}, {"92233720368547758.07", ErrMoneyTooLarge},
	} {
		got, err := ParseMoney(c.in)
		if !errors.Is(err, c.want) || !errors.Is(err, ErrMoney) {
			t.Errorf("ParseMoney(%q) = %d, %v; want %v", c.in, got, err, c.want)
		}
	}
}

// FuzzParseMoney: every amount ParseMoney accepts is the number its digits
// say (checked with arbitrary precision, independently of the parser), and
// formats back — plain, English and Nepali — to text that parses to the same
// amount.
func FuzzParseMoney(f *testing.F) {
	for _, s := range []string{"4500", ".50", "0.50", "1,2.5", "Rs. 1,00,000.25", "NPR 100,000", "रु १,२५,०००.००", "12,34,567.50",
		"-5", "1.234", "9999999999999.99", "rs5", "1,000,00", "०.५"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		m, err := ParseMoney(s)
		if err != nil {
			if !errors.Is(err, ErrMoney) {
				t.Fatalf("ParseMoney(%q): error %v does not wrap ErrMoney", s, err)
			}
			return
		}
		if m < 0 || m > MaxMoney {
			t.Fatalf("ParseMoney(%q) = %d, out of range", s, m)
		}
		if want, ok := referenceAmount(s); !ok || want != m {
			t.Fatalf("ParseMoney(%q) = %d; the digits say %d (%v)", s, m, want, ok)
		}
		for _, back := range []string{m.String(), m.English(), m.Nepali()} {
			if again, err := ParseMoney(back); err != nil || again != m {
				t.Fatalf("ParseMoney(%q) = %d formats as %q, which parses to %d, %v", s, m, back, again, err)
			}
		}
	})
}

// referenceAmount reads s the slow, obvious way: Devanagari digits to ASCII,
// one currency mark off the front, commas removed, then an exact decimal.
func referenceAmount(s string) (Money, bool) {
	s = strings.TrimSpace(s)
	var b strings.Builder
	for _, r := range s {
		if r >= '०' && r <= '९' {
			r = '0' + r - '०'
		}
		b.WriteRune(r)
	}
	s = b.String()
	for _, p := range []string{"NPR", "RS.", "RS", "रु.", "रु"} {
		if strings.HasPrefix(strings.ToUpper(s), p) {
			s = strings.TrimSpace(s[len(p):])
			break
		}
	}
	s = strings.ReplaceAll(s, ",", "")
	if strings.HasPrefix(s, ".") {
		s = "0" + s
	}
	r, ok := new(big.Rat).SetString(s)
	if !ok {
		return 0, false
	}
	r.Mul(r, big.NewRat(100, 1))
	if !r.IsInt() || !r.Num().IsInt64() {
		return 0, false
	}
	return Money(r.Num().Int64()), true
}

func TestMoneyFormatAndJSON(t *testing.T) {
	m := Money(12500000000)
	if m.String() != "125000000.00" || m.Nepali() != "रु. १२,५०,००,०००.००" || m.English() != "Rs 12,50,00,000.00" {
		t.Errorf("formats: %s %s %s", m, m.Nepali(), m.English())
	}
	b := must.Get(json.Marshal(struct{ A Money }{Money(450005)}))(t)
	if string(b) != `{"A":"4500.05"}` {
		t.Errorf("marshal: %s", b)
	}
	var v struct{ A, B Money }
	if err := json.Unmarshal([]byte(`{"A":"4500.50","B":4500}`), &v); err != nil || v.A != 450050 || v.B != 450000 {
		t.Errorf("unmarshal: %+v %v", v, err)
	}
	for _, bad := range []string{`{"A":4500.5}`, `{"A":"1.234"}`, `{"A":-1}`, `{"A":true}`, `{"A":".5.0"}`, `{"A":"1,2.5"}`, `{"A":100000000000000000}`} {
		if err := json.Unmarshal([]byte(bad), &v); err == nil {
			t.Errorf("%s accepted", bad)
		}
	}
	if Money(-150).String() != "-1.50" || Rupees(20000) != 2000000 {
		t.Error("negative / Rupees")
	}
}

// TestAmountFieldErrors: every caller of ParseMoney through AmountInput gets
// a message for its own field, and the right one.
func TestAmountFieldErrors(t *testing.T) {
	for _, c := range []struct{ in, key string }{
		{"1,2.5", "money.grouping"}, {"1.234", "money.two_decimals"}, {"5+", "money.sign"}, {"-5", "field.negative"},
		{"abc", "incident.amount_invalid"}, {"99999999999999999999", "incident.amount_too_large"}, {"2,00,00,001", "incident.amount_too_large"},
	} {
		var v Validation
		got := Amount(c.in).check(&v, "cash", MaxCash)
		if got != 0 || v.Fields["cash"].Key != c.key {
			t.Errorf("%q: got %d, %v; want the field message %s", c.in, got, v.Fields, c.key)
		}
	}
	var v Validation
	if got := Amount(".50").check(&v, "cash", MaxCash); got != 50 || len(v.Fields) != 0 {
		t.Errorf(".50: got %d, %v; want 50 paisa", got, v.Fields)
	}
}
