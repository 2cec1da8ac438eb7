package dialectsql

import (
	"fmt"
	"sort"
	"strings"
)

// Convert writes one source for a schema change that was written twice, once
// per dialect (the layout before this package). Lines that are the same stay
// as they are; a pair of lines that differs only by known substitutions
// becomes one line with {{name}}; anything else becomes a per-dialect
// fragment. The result renders back to exactly the two inputs, or Convert
// returns an error.
func Convert(sqlite, postgres string) (string, error) {
	for _, s := range []string{sqlite, postgres} {
		if strings.Contains(s, "{{") || strings.Contains(s, "-- @") {
			return "", fmt.Errorf("dialectsql: the input already uses {{…}} or -- @: convert by hand")
		}
	}
	a, b := splitLines(sqlite), splitLines(postgres)
	var out strings.Builder
	for _, h := range diff(a, b) {
		if h.same {
			out.WriteString(strings.Join(h.a, ""))
			continue
		}
		if merged, ok := unifyLines(h.a, h.b); ok {
			out.WriteString(merged)
			continue
		}
		if len(h.a) > 0 {
			out.WriteString("-- @sqlite\n" + ensureNewline(strings.Join(h.a, "")))
		}
		if len(h.b) > 0 {
			out.WriteString("-- @postgres\n" + ensureNewline(strings.Join(h.b, "")))
		}
		out.WriteString("-- @end\n")
	}
	src := out.String()
	for d, want := range map[string]string{"sqlite": sqlite, "postgres": postgres} {
		got, err := Render(src, d)
		if err != nil {
			return "", err
		}
		if got != want && got != ensureNewline(want) {
			return "", fmt.Errorf("dialectsql: the converted source does not render back to the %s input", d)
		}
	}
	return src, nil
}

func ensureNewline(s string) string {
	if s == "" || strings.HasSuffix(s, "\n") {
		return s
	}
	return s + "\n"
}

func splitLines(s string) []string {
	if s == "" {
		return nil
	}
	return strings.SplitAfter(ensureNewline(s), "\n")[:strings.Count(ensureNewline(s), "\n")]
}

// hunk is a run of equal lines or a run of lines that differ.
type hunk struct {
	same bool
	a, b []string
}

// diff splits two line lists into hunks along their longest common
// subsequence; migrations are short, so the quadratic table is fine.
func diff(a, b []string) []hunk {
	n, m := len(a), len(b)
	lcs := make([][]int, n+1)
	for i := range lcs {
		lcs[i] = make([]int, m+1)
	}
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if a[i] == b[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	var hs []hunk
	add := func(same bool, la, lb string, hasA, hasB bool) {
		if len(hs) == 0 || hs[len(hs)-1].same != same {
			hs = append(hs, hunk{same: same})
		}
		h := &hs[len(hs)-1]
		if hasA {
			h.a = append(h.a, la)
		}
		if hasB {
			h.b = append(h.b, lb)
		}
	}
	i, j := 0, 0
	for i < n || j < m {
		switch {
		case i < n && j < m && a[i] == b[j]:
			add(true, a[i], b[j], true, true)
			i, j = i+1, j+1
		case j < m && (i == n || lcs[i][j+1] >= lcs[i+1][j]):
			add(false, "", b[j], false, true)
			j++
		default:
			add(false, a[i], "", true, false)
			i++
		}
	}
	return hs
}

// unifyLines merges a differing hunk line by line when every pair differs
// only by substitutions.
func unifyLines(a, b []string) (string, bool) {
	if len(a) != len(b) {
		return "", false
	}
	var out strings.Builder
	for i := range a {
		l, ok := unify(a[i], b[i])
		if !ok {
			return "", false
		}
		out.WriteString(l)
	}
	return out.String(), true
}

// unify walks both lines together, taking a substitution wherever the SQLite
// line has its SQLite spelling and the PostgreSQL line its PostgreSQL one.
func unify(a, b string) (string, bool) {
	subs := append([]Substitution(nil), Substitutions...)
	sort.SliceStable(subs, func(i, j int) bool { return len(subs[i].SQLite) > len(subs[j].SQLite) })
	var out strings.Builder
	i, j := 0, 0
next:
	for i < len(a) || j < len(b) {
		for _, s := range subs {
			if wordAt(a, i, s.SQLite) && wordAt(b, j, s.Postgres) {
				out.WriteString("{{" + s.Name + "}}")
				i, j = i+len(s.SQLite), j+len(s.Postgres)
				continue next
			}
		}
		if i < len(a) && j < len(b) && a[i] == b[j] {
			out.WriteByte(a[i])
			i, j = i+1, j+1
			continue
		}
		return "", false
	}
	return out.String(), true
}

// wordAt reports whether s holds word at i, not as part of a longer name.
func wordAt(s string, i int, word string) bool {
	if !strings.HasPrefix(s[i:], word) {
		return false
	}
	if i > 0 && isNameByte(s[i-1]) {
		return false
	}
	end := i + len(word)
	return end == len(s) || !isNameByte(s[end])
}

func isNameByte(c byte) bool {
	return c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}
