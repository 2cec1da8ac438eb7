package cli

import (
	"regexp"
	"strings"
	"testing"
)

// leoc bench fills an empty database, serves it in process and measures
// every scenario without an error; a second run reuses the data set; a
// database with less data than asked and production are refused.
func TestBenchCommand(t *testing.T) {
	in := newInstance(t)
	args := []string{"bench", "--distributions", "60", "--incidents", "10", "--duration", "150ms", "--connections", "1,3"}
	code, out, errs := in.run("", args...)
	if code != 0 || !strings.Contains(errs, "created 60 distributions") {
		t.Fatalf("bench: %d\n%s\n%s", code, out, errs)
	}
	row := regexp.MustCompile(`(?m)^\| ([^|]+) \| (\d+) \| (\d+) \| \d+ \| [\d.]+ ms \| [\d.]+ ms \| (\d+) \|$`)
	rows := row.FindAllStringSubmatch(out, -1)
	seen := map[string]bool{}
	for _, r := range rows {
		seen[r[1]] = true
		if r[3] == "0" || r[4] != "0" {
			t.Errorf("%s at %s connections: %s requests, %s errors\n%s", r[1], r[2], r[3], r[4], out)
		}
	}
	for _, want := range []string{"health", "list distributions, page 1", "search distributions", "stats distributions, all, cached",
		"stats distributions, all, uncached", "stats incidents, one year range, uncached", "create distribution", "create ops-log entry",
		"stats under writes (cached answers in turn, an incident every 2 s)"} {
		if !seen[want] {
			t.Errorf("no row for %q in\n%s", want, out)
		}
	}
	if len(rows) != 2*len(seen) || !strings.Contains(out, "memory of this process") {
		t.Errorf("want every scenario at 1 and 3 connections and the memory line:\n%s", out)
	}
	code, out, errs = in.run("", "bench", "--distributions", "60", "--incidents", "10", "--duration", "50ms", "--connections", "2", "--only", "health")
	if code != 0 || !strings.Contains(errs, "reusing the data set") || strings.Count(out, "| health |") != 1 {
		t.Fatalf("second bench: %d\n%s\n%s", code, out, errs)
	}
	if code, _, errs := in.run("", "bench", "--distributions", "100000", "--duration", "50ms"); code != 1 || !strings.Contains(errs, "fewer than asked") {
		t.Fatalf("bench on a smaller data set: %d %s", code, errs)
	}
	if code, _, errs := in.run("", "bench", "--connections", "0"); code != 2 || !strings.Contains(errs, "connections") {
		t.Fatalf("bench --connections 0: %d %s", code, errs)
	}
	prod := newInstance(t, "LEOC_ENV=production", "LEOC_BASE_URL=https://leoc.thalara.gov.np", "LEOC_SECRET_KEY=f54c5eb1cd86c16ee9e58b7d26959cce16eacb1b433eaf6ad11460e9cdbe1cee")
	if code, _, errs := prod.run("", "bench", "--distributions", "5"); code != 1 || !strings.Contains(errs, "production") {
		t.Fatalf("bench in production: %d %s", code, errs)
	}
}
