package store

import (
	"context"
	"strings"
)

// Authentication hooks: the server keeps who a token or session belongs to
// in memory for a few seconds (internal/server/auth_cache.go), and must
// forget it the moment the database says otherwise — a token revoked, a
// session ended, a user disabled, a role, ward limit or password changed.
// Every transaction that writes users, api_tokens or sessions is noticed
// here, by its statements, so a write added later cannot forget to tell;
// the hooks run after its commit, never before (an entry read in between
// would otherwise be kept without the write).
//
// The two writes that only record activity — a session's last-seen time and
// a token's last use — go through Tx.recordUse and tell nobody: they change
// nothing that decides who may do what, and the server checks the idle
// timeout against the database before it ever refuses on it.

// authTables are the tables behind authentication.
var authTables = []string{"users", "api_tokens", "sessions"}

// OnAuthChange calls fn after every commit that wrote users, API tokens or
// sessions, in the writer's goroutine; fn must be quick.
func (s *Store) OnAuthChange(fn func(context.Context)) {
	s.authHooks.mu.Lock()
	defer s.authHooks.mu.Unlock()
	s.authHooks.fns = append(s.authHooks.fns, fn)
}

// noteWrite marks the transaction when q writes a table behind
// authentication, or one the validation rules come from (rules_cache.go).
func (t *Tx) noteWrite(q string) {
	if t.authChanged && t.rulesChanged {
		return
	}
	f := factsOf(q)
	t.authChanged = t.authChanged || f.writesAuth
	t.rulesChanged = t.rulesChanged || f.writesRules
}

// writesTable reports whether q has INSERT INTO, UPDATE or DELETE FROM
// (in any case, any white space between the words) followed by one of
// tables, quoted or not, as a word of its own. Every statement of every
// transaction passes here, so it reads each byte once: a regular
// expression for the same (auth_hooks_test.go) backtracked at every word
// and took a fifth of a create's CPU.
func writesTable(q string, tables []string) bool {
	for i := 0; i < len(q); i++ {
		switch q[i] | 0x20 { // ASCII lower case
		case 'i', 'u', 'd':
		default:
			continue
		}
		if i > 0 && isWordByte(q[i-1]) {
			continue
		}
		rest, ok := afterWriteKeyword(q[i:])
		if !ok {
			continue
		}
		if rest != "" && rest[0] == '"' {
			rest = rest[1:]
		}
		for _, t := range tables {
			if len(rest) >= len(t) && strings.EqualFold(rest[:len(t)], t) && (len(rest) == len(t) || !isWordByte(rest[len(t)])) {
				return true
			}
		}
	}
	return false
}

// afterWriteKeyword returns what follows "insert into", "update" or
// "delete from" at the start of s and the white space after it.
func afterWriteKeyword(s string) (string, bool) {
	for _, kw := range [...][2]string{{"insert", "into"}, {"update", ""}, {"delete", "from"}} {
		rest, ok := cutWord(s, kw[0])
		if ok && kw[1] != "" {
			rest, ok = cutWord(rest, kw[1])
		}
		if ok {
			return rest, true
		}
	}
	return "", false
}

// cutWord cuts word (any case) and the white space after it, of which
// there must be some, from the start of s.
func cutWord(s, word string) (string, bool) {
	if len(s) <= len(word) || !strings.EqualFold(s[:len(word)], word) {
		return "", false
	}
	rest := strings.TrimLeft(s[len(word):], " \t\n\r\f")
	return rest, len(rest) < len(s)-len(word)
}

func isWordByte(c byte) bool {
	return c == '_' || '0' <= c && c <= '9' || 'a' <= c|0x20 && c|0x20 <= 'z'
}

// recordUse runs an activity stamp (last seen, last used) that moves no
// authentication generation.
func (t *Tx) recordUse(ctx context.Context, q string, args ...any) error {
	_, err := t.tx.ExecContext(ctx, t.s.rebind(q), args...)
	return err
}
