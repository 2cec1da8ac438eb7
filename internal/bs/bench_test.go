package bs

import (
	"io"
	"strings"
	"testing"
	"time"

	"leoc/internal/must"
)

func BenchmarkToAD(b *testing.B) {
	c := Default()
	dates := make([]Date, 0, 1024)
	for i := range 1024 {
		d := must.Get(c.AddDays(c.FirstDate(), i*32))(b)
		dates = append(dates, d)
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if _, err := c.ToAD(dates[i&1023]); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

func BenchmarkFromAD(b *testing.B) {
	c := Default()
	times := make([]time.Time, 0, 1024)
	for i := range 1024 {
		times = append(times, ad(1943, time.April, 14).AddDate(0, 0, i*32))
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if _, err := c.FromAD(times[i&1023]); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

func BenchmarkParse(b *testing.B) {
	c := Default()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.Parse("२०८२-१०-१५"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkConvertLines converts 100,000 BS dates per iteration.
func BenchmarkConvertLines(b *testing.B) {
	c := Default()
	var in strings.Builder
	d := c.FirstDate()
	for range 100_000 {
		in.WriteString(d.String())
		in.WriteByte('\n')
		var err error
		if d, err = c.AddDays(d, 1); err != nil {
			d = c.FirstDate() // the range holds about 33,000 days: start over
		}
	}
	text := in.String()
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		if n, err := ConvertLines(c, strings.NewReader(text), io.Discard, false); n != 0 || err != nil {
			b.Fatal(n, err)
		}
	}
}
