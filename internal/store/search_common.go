package store

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// commonShare is the share of a register's rows from which PostgreSQL
// matches a word by reading rows instead of through its trigram index.
const commonShare = 0.05

// minHistogram is how many sampled values commonWordsPG needs to judge a
// word; with fewer (a small or never analysed table) the planner decides.
const minHistogram = 50

// commonWordsPG picks the words of q (folded as the register stores its
// text) that PostgreSQL matches without their trigram index, with strpos
// (wordIn). A word shorter than minIndexedWord has no trigram, so the GIN
// index would be read whole (0.5 s at 100,000 distributions). A word in more than commonShare of
// the rows has long posting lists: two such words made the planner
// intersect both words' bitmaps, hundreds of thousands of entries, for a
// count capped at 1,000 (1.5 s at a million distributions), where reading
// the list in order finds the first 50 matches in a few thousand rows.
//
// A word's share is measured on the planner's own sample of the column,
// its histogram in pg_stats (about 100 values kept by ANALYZE). Registers
// searched in several columns leave long words to the planner.
func (s *Store) commonWordsPG(ctx context.Context, table, q string) (map[string]bool, error) {
	hidden := map[string]bool{}
	var long []string
	for _, word := range strings.Fields(q) {
		if s.hideWordsForTest || utf8.RuneCountInString(word) < minIndexedWord {
			hidden[word] = true
		} else {
			long = append(long, word)
		}
	}
	var col string
	for _, ix := range searchIndexes {
		if ix.table == table && len(ix.cols) == 1 {
			col = ix.cols[0]
		}
	}
	if len(long) == 0 || col == "" {
		return hidden, nil
	}
	sample, err := s.searchSamples.get(ctx, s, table, col)
	if err != nil {
		return nil, err
	}
	if len(sample) < minHistogram {
		return hidden, nil
	}
	for _, word := range long {
		n := 0
		for _, v := range sample {
			if strings.Contains(v, word) {
				n++
			}
		}
		if float64(n) >= commonShare*float64(len(sample)) {
			hidden[word] = true
		}
	}
	return hidden, nil
}

// searchSamples keeps the columns' pg_stats histograms for sampleAge:
// reading pg_stats costs a few milliseconds, and ANALYZE changes them
// seldom.
type searchSamples struct {
	mu    sync.Mutex
	byCol map[string]searchSample
}

type searchSample struct {
	values []string
	read   time.Time
}

const sampleAge = 10 * time.Minute

func (c *searchSamples) get(ctx context.Context, s *Store, table, col string) ([]string, error) {
	key := table + "." + col
	c.mu.Lock()
	got, ok := c.byCol[key]
	c.mu.Unlock()
	if ok && s.Now().Sub(got.read) < sampleAge {
		return got.values, nil
	}
	rows, err := s.query(ctx, "SELECT unnest(histogram_bounds::text::text[]) FROM pg_stats"+
		" WHERE schemaname = current_schema() AND tablename = ? AND attname = ?", table, col)
	if err != nil {
		return nil, fmt.Errorf("store: search %s: %w", table, err)
	}
	defer rows.Close()
	var values []string
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			return nil, fmt.Errorf("store: search %s: %w", table, err)
		}
		values = append(values, v)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: search %s: %w", table, err)
	}
	c.mu.Lock()
	if c.byCol == nil {
		c.byCol = map[string]searchSample{}
	}
	c.byCol[key] = searchSample{values: values, read: s.Now()}
	c.mu.Unlock()
	return values, nil
}
