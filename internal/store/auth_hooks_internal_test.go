package store

import "testing"

// The quick test that lets noteWrite skip the regular expression must
// never skip a statement the expression matches.
func TestNamesAuthTableKeepsEveryMatch(t *testing.T) {
	for _, q := range []string{
		"INSERT INTO users (username) VALUES ($1)",
		"update USERS set role = $1",
		"DELETE FROM \"Sessions\" WHERE id_hash = $1",
		"insert\n into api_tokens (name) values ($1)",
		"UPDATE Api_Tokens SET revoked_at = $1",
		"INSERT INTO distributions (a) VALUES ($1)",
		"SELECT id FROM users",
		"UPDATE fund_balance SET balance = balance - $1 WHERE id = 1",
		"us", "", "user", "session",
	} {
		if authWrite.MatchString(q) && !namesAny(q, authTables) {
			t.Errorf("%q writes an authentication table but was skipped", q)
		}
	}
	for _, q := range []string{"INSERT INTO distributions (a) VALUES ($1)", "UPDATE audit_head SET last_id = $1", "user"} {
		if namesAny(q, authTables) {
			t.Errorf("%q names no authentication table", q)
		}
	}
}
