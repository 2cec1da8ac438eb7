package chart

import (
	"encoding/xml"
	"strconv"
	"strings"
	"testing"
)

func TestBarsSVG(t *testing.T) {
	b := &Bars{ID: "by-ward", Title: "Incidents <by> ward", Series: []string{"incidents", "households"}, Rows: []Row{
		{Label: "वडा १", Values: []int64{10, 2}, Texts: []string{"१०", "२"}},
		{Label: "वडा २", Values: []int64{0, 1000}, Texts: []string{"०", "१,०००"}},
	}}
	svg := string(b.SVG())
	t.Run("well-formed XML with escaped text", func(t *testing.T) {
		if err := xml.Unmarshal([]byte(svg), new(struct{})); err != nil {
			t.Fatalf("not XML: %v\n%s", err, svg)
		}
		if !strings.Contains(svg, "Incidents &lt;by&gt; ward") {
			t.Errorf("title not escaped: %s", svg)
		}
	})
	t.Run("accessible: role img, title and desc", func(t *testing.T) {
		for _, want := range []string{`role="img"`, `aria-labelledby="by-ward-title by-ward-desc"`, `<title id="by-ward-title">`, `<desc id="by-ward-desc">वडा १: १० / २; वडा २: ० / १,०००</desc>`} {
			if !strings.Contains(svg, want) {
				t.Errorf("missing %s in %s", want, svg)
			}
		}
	})
	t.Run("bar lengths are proportional; zero draws nothing, the largest fills the scale", func(t *testing.T) {
		full := width - labelWidth - textWidth
		if !strings.Contains(svg, `width="`+itoa(full)+`" height="16"><title>वडा २, households: १,०००`) {
			t.Errorf("the largest bar is not %d wide: %s", full, svg)
		}
		if !strings.Contains(svg, `width="0" height="16"><title>वडा २, incidents: ०`) {
			t.Errorf("a zero is not a zero-width bar: %s", svg)
		}
		// 2 of 1000 rounds to 1 unit, and a positive value is never 0 wide.
		if !strings.Contains(svg, `width="1" height="16"><title>वडा १, households: २`) {
			t.Errorf("a small positive value vanished: %s", svg)
		}
	})
	t.Run("a legend only for several series", func(t *testing.T) {
		one := &Bars{ID: "x", Title: "t", Series: []string{"only"}, Rows: b.Rows[:1]}
		if strings.Contains(string(one.SVG()), ">only</text>") {
			t.Error("a one-series chart drew a legend")
		}
		if !strings.Contains(svg, ">households</text>") {
			t.Error("a two-series chart has no legend")
		}
	})
	t.Run("an empty chart is still a valid SVG", func(t *testing.T) {
		e := &Bars{ID: "e", Title: "empty"}
		if err := xml.Unmarshal([]byte(e.SVG()), new(struct{})); err != nil {
			t.Fatal(err)
		}
	})
}

func itoa(n int) string { return strconv.Itoa(n) }
