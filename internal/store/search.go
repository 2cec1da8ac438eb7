package store

import (
	"slices"
	"strings"
	"unicode/utf8"
)

// Indexed search. The q filter matches each word anywhere in a register's
// text columns. On PostgreSQL the LIKE/ILIKE conditions use the pg_trgm GIN
// indexes of 0025 as they are written; on SQLite a word is looked up in the
// register's FTS5 trigram table (<table>_search), which gives the same
// matches: a phrase of trigrams is a substring. A word shorter than
// minIndexedWord has no trigram, so both databases scan for it with LIKE,
// as every word was searched before.

// minIndexedWord is the shortest word (in characters) an index can find.
const minIndexedWord = 3

// searchIndex is a register table whose text columns have a search index
// (migration 0025). A register adding one declares it here and in its
// migration; without it its search scans.
type searchIndex struct {
	table string
	cols  []string
}

var searchIndexes = []searchIndex{
	{"distributions", []string{"search_text"}},
	{"beneficiaries", []string{"search"}},
	{"incidents", []string{"tole", "description"}},
	{"event_logs", []string{"description", "location", "responsible_unit"}},
	{"situation_reports", []string{"summary", "weather", "detailed_report", "resources_deployed"}},
	{"advisories", []string{"title", "content"}},
	{"contacts", []string{"organisation", "person", "designation"}},
}

// searchIndexFor finds the index over exactly cols (each column list is
// one table's).
func searchIndexFor(cols []string) (searchIndex, bool) {
	for _, ix := range searchIndexes {
		if slices.Equal(ix.cols, cols) {
			return ix, true
		}
	}
	return searchIndex{}, false
}

// wordIn is the condition "word is in one of cols": through the FTS table
// on SQLite when there is one and the word is long enough, else cols LIKE
// %word% (like is LIKE, or ILIKE where PostgreSQL should fold case).
func (s *Store) wordIn(cols []string, like, word string) (string, []any) {
	if ix, ok := searchIndexFor(cols); ok && s.dialect == SQLite && utf8.RuneCountInString(word) >= minIndexedWord {
		fts := ix.table + "_search"
		return "id IN (SELECT rowid FROM " + fts + " WHERE " + fts + " MATCH ?)", []any{ftsPhrase(word)}
	}
	ors := make([]string, len(cols))
	args := make([]any, len(cols))
	for i, c := range cols {
		ors[i] = c + " " + like + ` ? ESCAPE '\'`
		args[i] = "%" + escapeLike(word) + "%"
	}
	if len(ors) == 1 {
		return ors[0], args
	}
	return "(" + strings.Join(ors, " OR ") + ")", args
}

// ftsPhrase quotes a word as an FTS5 phrase, so every character in it is
// literal (the query syntax's operators and quotes included).
func ftsPhrase(word string) string {
	return `"` + strings.ReplaceAll(word, `"`, `""`) + `"`
}
