package leoc

// The Inputs' number types as form text: a form gives what was typed, kept
// for Apply to check like a JSON string, and an edit form shows it again.

// UnmarshalText keeps what was typed.
func (w *WholeInput) UnmarshalText(b []byte) error { *w = Whole(string(b)); return nil }

// MarshalText is the number as typed.
func (w WholeInput) MarshalText() ([]byte, error) { return []byte(w.Text), nil }

// UnmarshalText keeps what was typed.
func (a *AmountInput) UnmarshalText(b []byte) error { *a = Amount(string(b)); return nil }

// MarshalText is the amount as typed.
func (a AmountInput) MarshalText() ([]byte, error) { return []byte(a.Text), nil }
