package leoc

import (
	"encoding/json"
	"testing"
)

func TestParseMoney(t *testing.T) {
	for in, want := range map[string]Money{
		"4500": 450000, "4500.5": 450050, "4500.05": 450005, "4,500.50": 450050, "रु १,२५,०००.००": 12500000, "0": 0, " 12.3 ": 1230,
	} {
		got, err := ParseMoney(in)
		if err != nil || got != want {
			t.Errorf("ParseMoney(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "-5", "1.234", "1e3", "abc", "12.", "NaN", "99999999999999999999", "1.2.3", "+5"} {
		if _, err := ParseMoney(in); err == nil {
			t.Errorf("ParseMoney(%q) accepted", in)
		}
	}
}

func TestMoneyFormatAndJSON(t *testing.T) {
	m := Money(12500000000)
	if m.String() != "125000000.00" || m.Nepali() != "रु १२,५०,००,०००.००" || m.English() != "Rs 12,50,00,000.00" {
		t.Errorf("formats: %s %s %s", m, m.Nepali(), m.English())
	}
	b, _ := json.Marshal(struct{ A Money }{Money(450005)})
	if string(b) != `{"A":"4500.05"}` {
		t.Errorf("marshal: %s", b)
	}
	var v struct{ A, B Money }
	if err := json.Unmarshal([]byte(`{"A":"4500.50","B":4500}`), &v); err != nil || v.A != 450050 || v.B != 450000 {
		t.Errorf("unmarshal: %+v %v", v, err)
	}
	for _, bad := range []string{`{"A":4500.5}`, `{"A":"1.234"}`, `{"A":-1}`, `{"A":true}`} {
		if err := json.Unmarshal([]byte(bad), &v); err == nil {
			t.Errorf("%s accepted", bad)
		}
	}
	if Money(-150).String() != "-1.50" || Rupees(20000) != 2000000 {
		t.Error("negative / Rupees")
	}
}
