package store

import (
	"context"
	"regexp"
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

// authWrite matches a statement that writes one of the tables behind
// authentication.
var authWrite = regexp.MustCompile(`(?i)\b(insert\s+into|update|delete\s+from)\s+"?(users|api_tokens|sessions)\b`)

// OnAuthChange calls fn after every commit that wrote users, API tokens or
// sessions, in the writer's goroutine; fn must be quick.
func (s *Store) OnAuthChange(fn func(context.Context)) {
	s.authHooks.mu.Lock()
	defer s.authHooks.mu.Unlock()
	s.authHooks.fns = append(s.authHooks.fns, fn)
}

// noteWrite marks the transaction when q writes a table behind
// authentication. The regular expression runs only on a statement that
// names one of the tables: it backtracks at every word of a statement, and
// on every statement of a distribution's create it took a fifth of the
// server's CPU.
// It also marks a write of the tables the validation rules come from
// (rules_cache.go).
func (t *Tx) noteWrite(q string) {
	if !t.authChanged && namesAny(q, authTables) && authWrite.MatchString(q) {
		t.authChanged = true
	}
	if !t.rulesChanged && namesAny(q, rulesTables) && rulesWrite.MatchString(q) {
		t.rulesChanged = true
	}
}

// authTables are the names authWrite looks for, for the quick test before
// it.
var authTables = []string{"users", "api_tokens", "sessions"}

// recordUse runs an activity stamp (last seen, last used) that moves no
// authentication generation.
func (t *Tx) recordUse(ctx context.Context, q string, args ...any) error {
	_, err := t.tx.ExecContext(ctx, t.s.rebind(q), args...)
	return err
}
