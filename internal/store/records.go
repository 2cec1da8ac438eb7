package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"leoc/internal/bs"
	"leoc/internal/leoc"
)

// The shared parts of every register: metadata columns, list filters,
// versioned updates. Registers (event logs, incidents, …) build on these so
// they do not repeat each other.

const recordColumns = "locked, version, created_at, created_by, updated_at, updated_by"

func recordDest(r *leoc.Record) []any {
	return []any{&r.Locked, &r.Version, &r.CreatedAt, &r.CreatedBy, &r.UpdatedAt, &r.UpdatedBy}
}

// stamp fills the metadata of a record about to be inserted.
func (s *Store) stamp(r *leoc.Record, actor Actor) {
	now := s.Now()
	r.Locked, r.Version, r.CreatedAt, r.CreatedBy, r.UpdatedAt, r.UpdatedBy = true, 1, now, actor.Username, now, actor.Username
}

// RecordFilter holds the filters every register list shares. Dates are AD
// ("YYYY-MM-DD", inclusive) because that is what sorts; callers convert the
// BS dates people type.
type RecordFilter struct {
	FiscalYears []int // start years: 2082 for 2082/83
	Wards       []int
	From, To    string
	Types       []string
	Query       string // words searched in the register's text columns
	Sort        string // one of the register's sort keys; "" = newest first
	Asc         bool
	Page        int
	PerPage     int
	// After is the cursor of the row the page follows (a Keyset.Next of
	// the same list and order); it takes precedence over Page.
	After string
	// Keyset, when not nil, receives the cursor of the page after this one.
	Keyset *Keyset

	// scanWords makes the search match by scanning in list order instead
	// of through the search index: the words are common, so the first page
	// of matches is near and the index would list every one of them.
	scanWords bool
	// indexed is what prepareSearch counted in the search index (SQLite,
	// every word long enough for it); see searchCount.
	indexed indexedCount
	// hidden are words PostgreSQL matches without their trigram index
	// (commonWordsPG).
	hidden map[string]bool

	// SearchScoped limits a search of personal data (names, identity
	// numbers, phones) to records of SearchWards: a user who sees those
	// masked elsewhere must not learn from a search which record they are.
	SearchScoped bool
	SearchWards  []int
}

// where builds a WHERE clause from optional conditions.
type where struct {
	parts []string
	args  []any
}

func (w *where) add(cond string, args ...any) {
	w.parts = append(w.parts, cond)
	w.args = append(w.args, args...)
}

func (w *where) in(col string, n int, arg func(i int) any) {
	if n == 0 {
		return
	}
	marks := strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
	w.parts = append(w.parts, col+" IN ("+marks+")")
	for i := range n {
		w.args = append(w.args, arg(i))
	}
}

func (w *where) sql() string {
	if len(w.parts) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(w.parts, " AND ")
}

// common adds the shared filters for a register table.
func (s *Store) common(w *where, f RecordFilter, wardCol string, textCols ...string) {
	w.in("fiscal_year", len(f.FiscalYears), func(i int) any { return f.FiscalYears[i] })
	if wardCol != "" {
		w.in(wardCol, len(f.Wards), func(i int) any { return f.Wards[i] })
	}
	w.in("type", len(f.Types), func(i int) any { return f.Types[i] })
	if f.From != "" {
		w.add("date_ad >= ?", f.From)
	}
	if f.To != "" {
		w.add("date_ad <= ?", f.To)
	}
	if len(textCols) == 0 {
		return
	}
	s.wordsIn(w, f, textCols, s.likeOp(), strings.Fields(leoc.NormalizeText(f.Query)))
}

// likeOp is a case-insensitive LIKE: SQLite's LIKE already folds ASCII case,
// PostgreSQL needs ILIKE.
func (s *Store) likeOp() string {
	if s.dialect == Postgres {
		return "ILIKE"
	}
	return "LIKE"
}

// orderBy picks a whitelisted sort column; the default is newest first.
func orderBy(f RecordFilter, sortable map[string]string, def string) string {
	col, ok := sortable[f.Sort]
	if !ok {
		return " ORDER BY " + def
	}
	dir := " DESC"
	if f.Asc {
		dir = " ASC"
	}
	return " ORDER BY " + col + dir + ", id" + dir
}

// updateVersioned runs an UPDATE that must find the version the client
// loaded: if someone saved in between, nothing is overwritten and the caller
// gets a conflict. It also re-locks the record, as every save does.
func (t *Tx) updateVersioned(ctx context.Context, table string, id int64, version int, actor Actor, set string, args ...any) error {
	q := "UPDATE " + table + " SET " + set + ", locked = TRUE, version = version + 1, updated_at = ?, updated_by = ? WHERE id = ? AND version = ?"
	args = append(args, t.s.Now(), actor.Username, id, version)
	res, err := t.exec(ctx, q, args...)
	if err != nil {
		return fmt.Errorf("store: update %s %d: %w", table, id, translate(err))
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return leoc.Errorf(leoc.EConflict, "record.stale")
	}
	return nil
}

// fiscalYearsIn lists the fiscal years that have records in a table. Every
// list page asks (its filter offers them), so it hops from year to year
// down the table's fiscal-year index, a few lookups however many rows there
// are, where DISTINCT would read all of them (0.5 s at a million
// distributions on PostgreSQL).
func (s *Store) fiscalYearsIn(ctx context.Context, table string) ([]int, error) {
	rows, err := s.query(ctx, `WITH RECURSIVE years (fy) AS (
			SELECT MAX(fiscal_year) FROM `+table+`
			UNION ALL
			SELECT (SELECT MAX(fiscal_year) FROM `+table+` WHERE fiscal_year < years.fy) FROM years WHERE years.fy IS NOT NULL
		) SELECT fy FROM years WHERE fy IS NOT NULL`)
	if err != nil {
		return nil, fmt.Errorf("store: fiscal years of %s: %w", table, err)
	}
	defer rows.Close()
	var out []int
	for rows.Next() {
		var y int
		if err := rows.Scan(&y); err != nil {
			return nil, fmt.Errorf("store: fiscal years of %s: %w", table, err)
		}
		out = append(out, y)
	}
	return out, rows.Err()
}

// FiscalYears lists the fiscal years that have records in a register.
func (s *Store) FiscalYears(ctx context.Context, register string) ([]int, error) {
	r, ok := s.Register(register)
	if !ok {
		return nil, leoc.Errorf(leoc.ENotFound, "record.not_found")
	}
	return s.fiscalYearsIn(ctx, r.Table)
}

func dateText(t time.Time) string { return t.Format(time.DateOnly) }

// storedDate reads a BS date written by this package. It was validated
// against the calendar when it was saved, so it is not checked again here:
// an imported calendar table must not make stored records unreadable.
func storedDate(s string) (bs.Date, error) {
	// The dates this package writes (bs.Date.String) are read without
	// fmt: Sscanf was a good part of reading a list's rows.
	if d, ok := bs.ParseStored(s); ok {
		return d, nil
	}
	var d bs.Date
	if _, err := fmt.Sscanf(s, "%d-%d-%d", &d.Year, &d.Month, &d.Day); err != nil {
		return bs.Date{}, err
	}
	return d, nil
}
