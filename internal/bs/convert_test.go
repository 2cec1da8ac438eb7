package bs

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

func TestConvertLines(t *testing.T) {
	tests := []struct {
		name   string
		toBS   bool
		in     string
		want   string
		failed int
	}{
		{
			name: "BS to AD",
			in:   "2082-10-15\n२०८२/०१/०१\r\n\n  2081-4-1  \n2082-01-32\nhello\n2095-01-01",
			want: "2026-01-29\n2025-04-14\n\n2024-07-16\n" +
				"error: invalid date: 2082-01-32: Baishakh 2082 has 31 days\n" +
				"error: malformed date: \"hello\": want YYYY-MM-DD\n" +
				"error: date outside the supported calendar range: 2095-01-01: year 2095 is outside 2000–2090\n",
			failed: 3,
		},
		{
			name: "AD to BS",
			toBS: true,
			in:   "\uFEFF2026-01-29\n2025/04/14\n2025-02-29\n1900-01-01\n2026-1-29",
			want: "2082-10-15\n2082-01-01\n" +
				"error: invalid date: AD \"2025-02-29\" does not exist\n" +
				"error: date outside the supported calendar range: AD 1900-01-01 is outside BS 2000–2090\n" +
				"2082-10-15\n",
			failed: 2,
		},
		{name: "empty input", in: "", want: ""},
		{name: "one newline", in: "\n", want: "\n"},
		{
			name:   "over-long line",
			in:     strings.Repeat("9", maxLineLen+10) + "\n2082-10-15\n" + strings.Repeat("x", maxLineLen*3),
			want:   "error: line longer than 4096 bytes\n2026-01-29\nerror: line longer than 4096 bytes\n",
			failed: 2,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			failed, err := ConvertLines(Default(), strings.NewReader(tt.in), &out, tt.toBS)
			if err != nil || failed != tt.failed || out.String() != tt.want {
				t.Errorf("failed=%d err=%v\n got: %q\nwant: %q", failed, err, out.String(), tt.want)
			}
		})
	}
}

type failingIO struct{}

var errBroken = errors.New("broken")

func (failingIO) Read([]byte) (int, error)  { return 0, errBroken }
func (failingIO) Write([]byte) (int, error) { return 0, errBroken }

func TestConvertLinesIOErrors(t *testing.T) {
	if _, err := ConvertLines(Default(), failingIO{}, &bytes.Buffer{}, false); !errors.Is(err, errBroken) {
		t.Errorf("read error: %v", err)
	}
	if _, err := ConvertLines(Default(), strings.NewReader("2082-10-15\n"), failingIO{}, false); !errors.Is(err, errBroken) {
		t.Errorf("write error: %v", err)
	}
}

// Every line out of ConvertLines must convert back to the line that went in.
func TestConvertLinesRoundTrip(t *testing.T) {
	var in strings.Builder
	c := Default()
	for d := c.FirstDate(); ; {
		in.WriteString(d.String())
		in.WriteByte('\n')
		next, err := c.AddDays(d, 1)
		if err != nil {
			break
		}
		d = next
	}
	var ad, back bytes.Buffer
	if n, err := ConvertLines(c, strings.NewReader(in.String()), &ad, false); n != 0 || err != nil {
		t.Fatal(n, err)
	}
	if n, err := ConvertLines(c, &ad, &back, true); n != 0 || err != nil {
		t.Fatal(n, err)
	}
	if back.String() != in.String() {
		t.Error("BS -> AD -> BS changed some lines")
	}
}
