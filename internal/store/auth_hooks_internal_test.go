package store

import (
	"regexp"
	"testing"
)

// The statements writesTable must see, as a regular expression: what
// noteWrite ran on every statement before it was made faster.
var (
	authWriteSpec  = regexp.MustCompile(`(?i)\b(insert\s+into|update|delete\s+from)\s+"?(users|api_tokens|sessions)\b`)
	rulesWriteSpec = regexp.MustCompile(`(?i)\b(insert\s+into|update|delete\s+from)\s+"?(list_values|wards|settings|inventory_items)\b`)
)

var writeSamples = []string{
	"INSERT INTO users (username) VALUES ($1)",
	"update USERS set role = $1",
	`DELETE FROM "Sessions" WHERE id_hash = $1`,
	"insert\n into api_tokens (name) values ($1)",
	"UPDATE Api_Tokens SET revoked_at = $1",
	"INSERT INTO users_archive VALUES (1)",
	"INSERT INTO distributions (a) VALUES ($1)",
	"SELECT id FROM users",
	"UPDATE fund_balance SET balance = balance - $1 WHERE id = 1",
	"last_update users", "xupdate users", "update\tusers", "update", "update ", "delete from", "insert into\"users\"",
	"INSERT INTO list_values (list, key) VALUES (?, ?) ON CONFLICT (list, key) DO UPDATE SET label_ne = excluded.label_ne",
	"DELETE FROM wards WHERE number = ?", "UPDATE settings SET value = ?", "insert into inventory_items(code) values (?)",
	"UPDATE inventory_items_x SET a = 1", "WITH x AS (UPDATE wards SET name_ne = '' RETURNING 1) SELECT 1",
	"us", "", "user", "session", "delete  from\r\nsessions", "UPDATE\vusers SET a = 1", "insert into  \"wards\"",
}

// writesTable answers as the regular expressions do.
func TestWritesTableIsTheRegularExpression(t *testing.T) {
	for _, q := range writeSamples {
		checkWritesTable(t, q)
	}
}

func FuzzWritesTable(f *testing.F) {
	for _, q := range writeSamples {
		f.Add(q)
	}
	f.Fuzz(func(t *testing.T, q string) {
		// The expressions fold case by Unicode (ſ is s, K is K); our
		// statements are ASCII, and writesTable folds ASCII only.
		for i := range len(q) {
			if q[i] >= 0x80 {
				return
			}
		}
		checkWritesTable(t, q)
	})
}

func checkWritesTable(t *testing.T, q string) {
	if got, want := writesTable(q, authTables), authWriteSpec.MatchString(q); got != want {
		t.Errorf("%q: writes an authentication table %v, want %v", q, got, want)
	}
	if got, want := writesTable(q, rulesTables), rulesWriteSpec.MatchString(q); got != want {
		t.Errorf("%q: writes a table of the rules %v, want %v", q, got, want)
	}
}
