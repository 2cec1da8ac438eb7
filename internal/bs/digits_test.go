package bs

import "testing"

func TestDigits(t *testing.T) {
	tests := []struct{ ascii, dev string }{
		{"0123456789", "०१२३४५६७८९"},
		{"2082-10-15", "२०८२-१०-१५"},
		{"रु 1,500.50", "रु १,५००.५०"},
		{"no digits", "no digits"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := DevanagariDigits(tt.ascii); got != tt.dev {
			t.Errorf("DevanagariDigits(%q) = %q, want %q", tt.ascii, got, tt.dev)
		}
		if got := ASCIIDigits(tt.dev); got != tt.ascii {
			t.Errorf("ASCIIDigits(%q) = %q, want %q", tt.dev, got, tt.ascii)
		}
	}
}

func TestGroupIndian(t *testing.T) {
	tests := []struct{ in, want string }{
		{"125000000", "12,50,00,000"},
		{"10000000", "1,00,00,000"},
		{"100000", "1,00,000"},
		{"12345", "12,345"},
		{"1234", "1,234"},
		{"123", "123"},
		{"0", "0"},
		{"", ""},
		{"-1234567", "-12,34,567"},
		{"+1234", "+1,234"},
		{"1234567.89", "12,34,567.89"},
		{"1234.", "1,234."},
		{"१२५०००००", "१,२५,००,०००"},
		{"12a456", "12a456"},
		{"1,234", "1,234"},
		{"1234.5x", "1234.5x"},
		{"-", "-"},
		{".50", ".50"},
	}
	for _, tt := range tests {
		if got := GroupIndian(tt.in); got != tt.want {
			t.Errorf("GroupIndian(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
