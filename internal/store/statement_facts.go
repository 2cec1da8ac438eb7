package store

import (
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
)

// What the store reads off a statement's text before it runs it — the
// PostgreSQL spelling of its placeholders, whether it writes a table
// behind authentication or the validation rules — is the same every time
// the statement runs, and almost every statement is a constant run
// thousands of times a minute. Reading the text once and keeping the
// answer saved a create on PostgreSQL about 6 % of LEOC's own CPU (every
// statement was scanned twice, byte by byte, and rebuilt: 7.9 % of the
// profile).

type statementFacts struct {
	postgres    string // the text with $1, $2, … for ?
	writesAuth  bool   // writes users, api_tokens or sessions (auth_hooks.go)
	writesRules bool   // writes what the validation rules come from (rules_cache.go)
}

// maxKeptFacts bounds the cache: statements built from input (a list of
// values of any length, say) are read each time once it is full.
const maxKeptFacts = 1024

var (
	keptFacts  sync.Map // string → *statementFacts
	factsCount atomic.Int64
)

// factsOf returns q's facts, from the cache when they are there.
func factsOf(q string) *statementFacts {
	if f, ok := keptFacts.Load(q); ok {
		return f.(*statementFacts)
	}
	f := &statementFacts{
		postgres:    postgresPlaceholders(q),
		writesAuth:  writesTable(q, authTables),
		writesRules: writesTable(q, rulesTables),
	}
	if factsCount.Load() < maxKeptFacts {
		if _, loaded := keptFacts.LoadOrStore(q, f); !loaded {
			factsCount.Add(1)
		}
	}
	return f
}

// postgresPlaceholders turns each ? of q into $1, $2, … in order. No
// statement of the store has a ? that is not a placeholder.
func postgresPlaceholders(q string) string {
	if !strings.Contains(q, "?") {
		return q
	}
	var b strings.Builder
	b.Grow(len(q) + 8)
	n := 0
	for i := 0; i < len(q); i++ {
		if q[i] == '?' {
			n++
			fmt.Fprintf(&b, "$%d", n)
			continue
		}
		b.WriteByte(q[i])
	}
	return b.String()
}
