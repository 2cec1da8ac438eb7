package store

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"
)

// Indexed search. The q filter matches each word anywhere in a register's
// text columns. On PostgreSQL the LIKE/ILIKE conditions use the pg_trgm GIN
// indexes of 0022 as they are written; on SQLite a word is looked up in the
// register's FTS5 trigram table (<table>_search), which gives the same
// matches: a phrase of trigrams is a substring. A word shorter than
// minIndexedWord has no trigram, so both databases scan for it with LIKE,
// as every word was searched before.

// minIndexedWord is the shortest word (in characters) an index can find.
const minIndexedWord = 3

// searchIndex is a register table whose text columns have a search index
// (migration 0022). A register adding one declares it here and in its
// migration; without it its search scans.
type searchIndex struct {
	table string
	cols  []string
	// folded: the column holds text case-folded as the searched words are,
	// so a substring test needs no case folding (wordIn).
	folded bool
}

var searchIndexes = []searchIndex{
	{"distributions", []string{"search_text"}, true},
	{"beneficiaries", []string{"search"}, true},
	{"incidents", []string{"tole", "description"}, false},
	{"event_logs", []string{"description", "location", "responsible_unit"}, false},
	{"situation_reports", []string{"summary", "weather", "detailed_report", "resources_deployed"}, false},
	{"advisories", []string{"title", "content"}, false},
	{"contacts", []string{"organisation", "person", "designation"}, false},
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
func (s *Store) wordIn(cols []string, like, word string, scan bool) (string, []any) {
	if ix, ok := searchIndexFor(cols); ok && !scan && s.dialect == SQLite && utf8.RuneCountInString(word) >= minIndexedWord {
		fts := ix.table + "_search"
		return "id IN (SELECT rowid FROM " + fts + " WHERE " + fts + " MATCH ?)", []any{ftsPhrase(word)}
	}
	ix, indexed := searchIndexFor(cols)
	ors := make([]string, len(cols))
	args := make([]any, len(cols))
	for i, c := range cols {
		switch {
		case indexed && ix.folded && s.dialect == SQLite:
			// LIKE folds ASCII case only, which folded text and words no
			// longer have: the same match as a byte search, which costs
			// a third less than LIKE's pattern matching on every row read.
			ors[i], args[i] = "instr("+c+", ?) > 0", word
		case scan && s.dialect == Postgres && like == "ILIKE":
			// ILIKE compares lower() of both sides in a multibyte database.
			ors[i], args[i] = "strpos(lower("+c+"), lower(?)) > 0", word
		case scan && s.dialect == Postgres:
			// The same match as LIKE, through a function the trigram index
			// does not serve and whose selectivity the planner guesses as a
			// third, so it reads a page in list order (commonWordsPG).
			ors[i], args[i] = "strpos("+c+", ?) > 0", word
		default:
			ors[i] = c + " " + like + ` ? ESCAPE '\'`
			args[i] = "%" + escapeLike(word) + "%"
		}
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

// maxSearchTotal is how many matches a search counts (Store.searchCap
// unless a test lowers it). A common surname can be a sixth of a million
// distributions; counting them all would cost what the index saved, and
// nobody reads that far: the answer says "more than" (Keyset.Capped) and
// the next cursor reads on. Two common words tested row by row are counted
// by reading rows in list order, ~20 for each match at a million
// distributions: 1,000 cost 20,000 index entries (47 ms on PostgreSQL
// under load), 200 a fifth of that.
const maxSearchTotal = 200

// commonMatches is how many rows SQLite's search index may find for the
// words of a search before they are common (Store.commonCap unless a test
// lowers it): then the page is read in list order, testing each row
// (commonWords).
const commonMatches = 1000

// indexedCount is how many rows the search index found for all the words
// of a search, counted up to commonCap+1 (n), and how many conditions the
// words add to the filter; words is 0 when nothing was counted (PostgreSQL,
// or a word too short for the index). ids are the rows found, as a JSON
// array, when they are all (n <= commonCap): then the words are one
// condition, id IN those rows, and the index is not searched again.
type indexedCount struct {
	n, words int
	ids      string
}

// of is the count of a search whose filter is w, or -1 when w holds more
// than the words (a ward, a date, the search scope: every other filter
// adds a condition), so the index count of the words alone is not its.
func (c indexedCount) of(w *where) int {
	if c.words == 0 || len(w.parts) != c.words {
		return -1
	}
	return c.n
}

// wordsIn adds the condition that every word of words is in one of cols
// (see wordIn): the rows prepareSearch found, when it found them all.
func (s *Store) wordsIn(w *where, f RecordFilter, cols []string, like string, words []string) {
	if f.indexed.ids != "" {
		w.add("id IN (SELECT value FROM json_each(?))", f.indexed.ids)
		return
	}
	for _, word := range words {
		cond, args := s.wordIn(cols, like, word, f.scanWord(word))
		w.add(cond, args...)
	}
}

// commonWords finds, on SQLite, the rows of table's search index with
// every word of q (folded as the register stores its text), up to
// commonCap+1. More than commonCap make the words common: then a list page
// is found faster by reading in list order and testing each row (a match is
// near) than through the index (which would list every match before
// sorting). What it found is kept (indexedCount): a search of the words
// alone needs no second count, and rare words no second search of the
// index (a phone number's trigrams are each in most rows, so its phrase
// query is the dearest part of the search). PostgreSQL decides per word
// (commonWordsPG).
func (s *Store) commonWords(ctx context.Context, table, q string) (common bool, c indexedCount, err error) {
	var phrases []string
	words := strings.Fields(q)
	for _, word := range words {
		if utf8.RuneCountInString(word) >= minIndexedWord {
			phrases = append(phrases, ftsPhrase(word))
		}
	}
	if len(phrases) == 0 {
		return false, c, nil
	}
	fts := table + "_search"
	// The array is made by SQLite: one row to read, not one per match.
	var ids string
	err = s.queryRow(ctx, "SELECT COUNT(*), json_group_array(rowid) FROM (SELECT rowid FROM "+fts+" WHERE "+fts+" MATCH ? LIMIT ?) AS found",
		strings.Join(phrases, " "), max(s.commonCap, s.searchCap)+1).Scan(&c.n, &ids)
	if err != nil {
		return false, c, fmt.Errorf("store: search %s: %w", table, err)
	}
	if len(phrases) == len(words) {
		c.words = len(words)
		if c.n <= s.commonCap {
			c.words, c.ids = 1, ids
		}
	}
	return c.n > s.commonCap, c, nil
}

// countSearch counts the rows of a searched list, up to maxSearchTotal;
// capped tells there are more. indexed is the count prepareSearch already
// has for w (indexedCount.of), or -1. order is the list's order when its
// words are tested row by row (rowOrder): the count then reads the rows the
// page has just read, from the order's index (narrow's, when not nil),
// where a bare LIMIT let PostgreSQL start a sequential scan anywhere in the
// table (synchronized scans) and read a million-row table from disk for
// 1,000 matches.
func (s *Store) countSearch(ctx context.Context, table string, w *where, order string, indexed int, narrow narrowFunc) (total int, capped bool, err error) {
	if indexed >= 0 {
		return min(indexed, s.searchCap), indexed > s.searchCap, nil
	}
	q := "SELECT COUNT(*) FROM (SELECT 1 FROM " + table + w.sql() + order + " LIMIT ?) AS found"
	args := append(slices.Clone(w.args), s.searchCap+1)
	if narrow != nil && order != "" {
		from, nargs := narrow("id", w, order, s.searchCap+1)
		q, args = "SELECT COUNT(*) FROM "+from+" AS found", nargs
	}
	if err = s.queryRow(ctx, q, args...).Scan(&total); err != nil {
		return 0, false, fmt.Errorf("store: count %s: %w", table, err)
	}
	return min(total, s.searchCap), total > s.searchCap, nil
}

// rowOrder is order when every word of f is tested row by row (common
// words: SQLite's scanWords, PostgreSQL's hidden words), else "": a word
// found through the search index is counted from the index's matches.
func rowOrder(f RecordFilter, order string) string {
	if f.scanWords || len(f.hidden) > 0 && len(f.hidden) == len(strings.Fields(f.Query)) {
		return order
	}
	return ""
}

// searching reports whether a filter has words to search.
func searching(f RecordFilter) bool { return strings.TrimSpace(f.Query) != "" }

// prepareSearch decides how f's words are matched in table (commonWords,
// commonWordsPG); fold is how the register folds its searched text.
func (s *Store) prepareSearch(ctx context.Context, f *RecordFilter, table string, fold func(string) string) error {
	if !searching(*f) {
		return nil
	}
	var err error
	if s.dialect == Postgres {
		f.hidden, err = s.commonWordsPG(ctx, table, fold(f.Query))
		return err
	}
	f.scanWords, f.indexed, err = s.commonWords(ctx, table, fold(f.Query))
	return err
}

// scanWord reports whether word is matched by reading rows, not through
// the search index.
func (f RecordFilter) scanWord(word string) bool { return f.scanWords || f.hidden[word] }

// reportCapped tells the caller that a count stopped at maxSearchTotal.
func reportCapped(f RecordFilter, capped bool) {
	if f.Keyset != nil {
		f.Keyset.Capped = capped
	}
}
