// Package chart draws the dashboard's bar charts as SVG on the server: no
// chart library, no script, so a chart arrives with the page over a slow
// connection, prints, and reads the same with JavaScript off. It is pure:
// labels and the texts of the values come in already written in the page's
// language (Devanagari digits on a Nepali page), so the package knows
// nothing of languages or number formats.
package chart

import (
	"fmt"
	"html/template"
	"strings"
)

// Bars is a horizontal bar chart: one row per category, one bar per series
// in each row, all on one scale that starts at zero.
type Bars struct {
	ID     string   // unique in the page; the SVG's title and description ids derive from it
	Title  string   // what the chart shows; read out by screen readers
	Series []string // names of the series, in bar order; a legend when more than one
	Rows   []Row
}

// Row is one category: its label and, per series, the value (which sets
// the bar's length) and the text written after the bar.
type Row struct {
	Label  string
	Values []int64
	Texts  []string
}

// Geometry in SVG user units; the SVG scales to its container's width
// through its viewBox, so these are proportions, not pixels.
const (
	width      = 600
	labelWidth = 170
	textWidth  = 90
	barHeight  = 16
	barGap     = 4
	rowGap     = 10
	legendRow  = 22
	fontSize   = 13
)

// Max returns the largest value, the scale's end; at least 1 so an empty
// chart draws no bars instead of dividing by zero.
func (b *Bars) Max() int64 {
	var m int64 = 1
	for _, r := range b.Rows {
		for _, v := range r.Values {
			m = max(m, v)
		}
	}
	return m
}

// SVG draws the chart. The SVG is role="img" with a <title> and a <desc>
// naming the chart, and each bar has its own <title> ("label, series:
// text") for a pointer hover; the page puts the same figures in a table
// beside the chart for anyone who reads tables better than bars.
func (b *Bars) SVG() template.HTML {
	series := max(len(b.Series), 1)
	rowHeight := series*barHeight + (series-1)*barGap + rowGap
	top := 0
	if len(b.Series) > 1 {
		top = legendRow
	}
	height := top + len(b.Rows)*rowHeight + rowGap
	scale := float64(width-labelWidth-textWidth) / float64(b.Max())

	var s strings.Builder
	fmt.Fprintf(&s, `<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" role="img" aria-labelledby="%s-title %s-desc" data-chart="%s">`,
		width, height, esc(b.ID), esc(b.ID), esc(b.ID))
	fmt.Fprintf(&s, `<title id="%s-title">%s</title><desc id="%s-desc">%s</desc>`, esc(b.ID), esc(b.Title), esc(b.ID), esc(b.describe()))
	if len(b.Series) > 1 {
		x := labelWidth
		for i, name := range b.Series {
			fmt.Fprintf(&s, `<rect class="series-%d" x="%d" y="4" width="12" height="12"/><text x="%d" y="15" font-size="%d">%s</text>`,
				i, x, x+16, fontSize, esc(name))
			x += 16 + 9*len([]rune(name)) + 20
		}
	}
	for i, r := range b.Rows {
		y := top + rowGap + i*rowHeight
		mid := y + (series*barHeight+(series-1)*barGap)/2 + fontSize/2 - 2
		fmt.Fprintf(&s, `<text class="chart-label" x="%d" y="%d" font-size="%d" text-anchor="end">%s</text>`, labelWidth-8, mid, fontSize, esc(r.Label))
		for j := range series {
			var v int64
			var text string
			if j < len(r.Values) {
				v = r.Values[j]
			}
			if j < len(r.Texts) {
				text = r.Texts[j]
			}
			by := y + j*(barHeight+barGap)
			w := int(float64(v)*scale + 0.5)
			if v > 0 {
				w = max(w, 1) // a small figure stays visible beside a large one
			}
			name := ""
			if j < len(b.Series) {
				name = b.Series[j] + ": "
			}
			fmt.Fprintf(&s, `<rect class="series-%d" x="%d" y="%d" width="%d" height="%d"><title>%s, %s%s</title></rect>`,
				j, labelWidth, by, w, barHeight, esc(r.Label), esc(name), esc(text))
			fmt.Fprintf(&s, `<text class="chart-value" x="%d" y="%d" font-size="%d">%s</text>`, labelWidth+w+6, by+barHeight-3, fontSize, esc(text))
		}
	}
	s.WriteString(`</svg>`)
	return template.HTML(s.String()) //nolint:gosec // every text in it went through esc
}

// describe is the chart in one sentence of figures, for the SVG's <desc>.
func (b *Bars) describe() string {
	parts := make([]string, 0, len(b.Rows))
	for _, r := range b.Rows {
		parts = append(parts, r.Label+": "+strings.Join(r.Texts, " / "))
	}
	return strings.Join(parts, "; ")
}

func esc(s string) string { return template.HTMLEscapeString(s) }
