package legacy

import (
	"fmt"
	"io"
	"strings"
	"time"
)

// progress shows the import on the operator's terminal: a line per table
// when it is done and, for large tables, a bar redrawn in place (only on a
// terminal; a log file gets the lines alone).
type progress struct {
	w        io.Writer
	terminal bool
	// current bar
	table      string
	total, at  int
	lastDrawn  time.Time
	drewAnyBar bool
}

// barFrom is the size from which a table gets a progress bar.
const barFrom = 500

func (p *progress) start(table string, total int) {
	p.table, p.total, p.at, p.drewAnyBar = table, total, 0, false
}

// step counts one row and redraws the bar at most ten times a second.
func (p *progress) step() {
	p.at++
	if p.w == nil || !p.terminal || p.total < barFrom {
		return
	}
	if now := time.Now(); p.at == p.total || now.Sub(p.lastDrawn) > 100*time.Millisecond {
		p.lastDrawn = now
		const width = 30
		filled := width * p.at / p.total
		fmt.Fprintf(p.w, "\r  %-28s [%s%s] %d/%d", p.table, strings.Repeat("#", filled), strings.Repeat(".", width-filled), p.at, p.total)
		p.drewAnyBar = true
	}
}

func (p *progress) done(c *TableCount, took time.Duration) {
	if p.w == nil {
		return
	}
	if p.drewAnyBar {
		fmt.Fprint(p.w, "\r\033[K")
	}
	fmt.Fprintf(p.w, "  %-28s %d read, %d imported, %d before, %d skipped (%s)\n", c.Table, c.Read, c.Imported, c.Before, c.Skipped,
		took.Round(time.Millisecond))
	p.drewAnyBar = false
}
