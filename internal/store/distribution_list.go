package store

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"leoc/internal/leoc"
)

// DistributionFilter is the list filter of distributions: the shared one
// (Types are disaster types) and an incident.
type DistributionFilter struct {
	RecordFilter
	IncidentID int64
}

// onlyKeys reports whether the statistics rows can answer the filter.
func (f DistributionFilter) onlyKeys() bool {
	return f.IncidentID == 0 && onlyKeyFilters(f.RecordFilter)
}

// distributionWhere builds the filter. The search matches every word
// against the folded names, identity numbers and phone (search_text), so a
// name typed in Devanagari or in Latin of any case is found.
func (s *Store) distributionWhere(f DistributionFilter) *where {
	var w where
	rf := f.RecordFilter
	rf.Types, rf.Query = nil, ""
	s.common(&w, rf, "ward")
	w.in("disaster_type", len(f.Types), func(i int) any { return f.Types[i] })
	if f.IncidentID != 0 {
		w.add("incident_id = ?", f.IncidentID)
	}
	s.wordsIn(&w, f.RecordFilter, []string{"search_text"}, "LIKE", strings.Fields(leoc.FoldText(f.Query)))
	scopeSearch(&w, f.RecordFilter, "ward")
	return &w
}

// DistributionSorts are the sort keys of the list.
var DistributionSorts = []string{"date", "ward", "cash", "name"}

var distributionSort = map[string]string{"ward": "ward", "cash": "cash", "name": "name_key"}

func distributionOrder(f DistributionFilter) string {
	dir := " DESC"
	if f.Asc {
		dir = " ASC"
	}
	byDate := "date_ad" + dir + ", id" + dir
	if col, ok := distributionSort[f.Sort]; ok {
		return " ORDER BY " + col + dir + ", " + byDate
	}
	return " ORDER BY " + byDate
}

// Distributions lists one page with members, harms and items, and the total.
func (s *Store) Distributions(ctx context.Context, f DistributionFilter) ([]*leoc.Distribution, int, error) {
	if err := s.prepareSearch(ctx, &f.RecordFilter, "distributions", leoc.FoldText); err != nil {
		return nil, 0, err
	}
	w := s.distributionWhere(f)
	total, err := s.countDistributions(ctx, f, w)
	if err != nil {
		return nil, 0, err
	}
	limit, _ := pageBounds(f.Page, f.PerPage)
	out := make([]*leoc.Distribution, 0, limit)
	// The page's rows are copied into one array, not allocated one by one.
	rows := make([]leoc.Distribution, 0, limit)
	sc := s.newDistributionScan()
	page := listPage{table: "distributions", read: s.distributionColumns(), w: w, order: distributionOrder(f)}
	if narrowSearch(f, w) {
		page.narrow = s.narrowRows
	}
	err = s.readPage(ctx, page, f.RecordFilter,
		func(r rowScanner) error {
			d, err := sc.scan(r)
			if err != nil {
				return err
			}
			rows = append(rows, *d)
			out = append(out, &rows[len(rows)-1])
			return nil
		})
	if err != nil {
		return nil, 0, err
	}
	return out, total, nil
}

// narrowSearch reports whether a search's page is found in the index of
// dates and search text (0029) alone: its words are tested row by row
// (rowOrder), they are the whole filter, and the list is in date order. Two
// common words can be together in one row of a hundred among the newest:
// the page tests thousands of rows, and reading them from that index, not
// the table, costs a fraction.
func narrowSearch(f DistributionFilter, w *where) bool {
	return f.Sort == "" && rowOrder(f.RecordFilter, " ") != "" && len(w.parts) == len(strings.Fields(leoc.FoldText(f.Query)))
}

// longSearchText is the longest search text (in bytes) PostgreSQL's index
// of dates and search text holds (0029): a B-tree entry must fit in a third
// of a page (2,704 bytes), and fifty members' names may not. Longer texts
// (a rare household) are in an index of their own, without the text.
const longSearchText = 2000

// narrowRows is a FROM item of the distributions of w in order, at most n,
// selecting cols, that the index of dates and search text (0029) answers
// alone. On PostgreSQL that index holds the rows of texts up to
// longSearchText: the rows of longer ones are read from the table, through
// the index of their dates, and merged in order (a Merge Append of the two
// limited scans).
func (s *Store) narrowRows(cols string, w *where, order string, n int) (string, []any) {
	sel := "SELECT " + cols + " FROM distributions"
	if s.dialect == SQLite {
		return "(" + sel + w.sql() + order + " LIMIT ?)", append(slices.Clone(w.args), n)
	}
	var q []string
	var args []any
	// The bound is written out, not a parameter: a generic plan of a
	// prepared statement could not prove the partial indexes' predicates.
	for _, cmp := range []string{" <= ", " > "} {
		p := &where{parts: slices.Clone(w.parts), args: slices.Clone(w.args)}
		p.add("octet_length(search_text)" + cmp + strconv.Itoa(longSearchText))
		q = append(q, "("+sel+p.sql()+order+" LIMIT ?)")
		args = append(append(args, p.args...), n)
	}
	return "(" + strings.Join(q, " UNION ALL ") + ")", args
}

// countDistributions counts the list: from the statistics rows when they
// can answer the filter, at most maxSearchTotal of a search.
func (s *Store) countDistributions(ctx context.Context, f DistributionFilter, w *where) (int, error) {
	if searching(f.RecordFilter) {
		var narrow narrowFunc
		if narrowSearch(f, w) {
			narrow = s.narrowRows
		}
		total, capped, err := s.countSearch(ctx, "distributions", w, rowOrder(f.RecordFilter, distributionOrder(f)), f.indexed.of(w), narrow)
		reportCapped(f.RecordFilter, capped)
		return total, err
	}
	q := "SELECT COUNT(*) FROM distributions" + w.sql()
	if f.onlyKeys() {
		q = "SELECT COALESCE(CAST(SUM(distributions) AS BIGINT), 0) FROM distribution_stats" + w.sql()
	}
	var total int
	if err := s.queryRow(ctx, q, w.args...).Scan(&total); err != nil {
		return 0, fmt.Errorf("store: count distributions: %w", err)
	}
	return total, nil
}

// exportChunk is how many distributions an export reads per statement:
// memory stays flat however many rows there are.
const exportChunk = 500

// EachDistribution calls fn for every distribution the filter selects, in
// list order, with members, harms and items. It reads by keyset pages of
// exportChunk, so no cursor stays open while fn writes to a slow client.
func (s *Store) EachDistribution(ctx context.Context, f DistributionFilter, fn func(*leoc.Distribution) error) error {
	f.Sort, f.Asc = "", false // keyset paging needs the date order
	base := s.distributionWhere(f)
	var after *leoc.Distribution
	for {
		w := &where{parts: slices.Clone(base.parts), args: slices.Clone(base.args)}
		if after != nil {
			w.add("(date_ad < ? OR (date_ad = ? AND id < ?))", dateText(after.DateAD), dateText(after.DateAD), after.ID)
		}
		rows, err := s.query(ctx, "SELECT "+s.distributionColumns()+" FROM distributions"+w.sql()+distributionOrder(f)+" LIMIT ?",
			append(w.args, exportChunk)...)
		if err != nil {
			return fmt.Errorf("store: export distributions: %w", err)
		}
		page := make([]*leoc.Distribution, 0, exportChunk)
		sc := s.newDistributionScan()
		for rows.Next() {
			d, err := sc.scan(rows)
			if err != nil {
				rows.Close()
				return fmt.Errorf("store: export distributions: %w", err)
			}
			c := *d
			page = append(page, &c)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("store: export distributions: %w", err)
		}
		for _, d := range page {
			if err := fn(d); err != nil {
				return err
			}
		}
		if len(page) < exportChunk {
			return nil
		}
		after = page[len(page)-1]
	}
}
