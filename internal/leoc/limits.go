package leoc

// Limit is what a form field may hold, declared once beside the register's
// Input: Apply checks it, and the form's field partial turns it into
// required, maxlength, min and max, so the browser and the server agree.
type Limit struct {
	Required bool
	MaxLen   int // characters of text; 0 = no limit
	Min, Max int // for numbers; both 0 = no range
	// Invalid is the message for a form value that does not parse as the
	// field's type (default field.number).
	Invalid string
}

// Limits are a register's field limits by JSON name.
type Limits map[string]Limit

// Text trims and checks a text field against its declared limit.
func (l Limits) Text(v *Validation, field string, s *string) {
	lim := l[field]
	max := lim.MaxLen
	if max == 0 {
		max = 1 << 30
	}
	CheckText(v, field, s, lim.Required, max)
}
