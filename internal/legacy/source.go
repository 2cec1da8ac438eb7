package legacy

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	_ "modernc.org/sqlite" // registers "sqlite"
)

// ErrNotLegacy is wrapped by every error that says the file given is not a
// readable Flask LEOC database; nothing has been written when it is returned.
var ErrNotLegacy = errors.New("not a Flask LEOC database")

// The old tables and the columns the import reads. A database without them
// is refused before anything is written. inventory_item is optional: older
// installations never had it.
var requiredColumns = map[string][]string{
	"relief_distribution": {"id", "beneficiary_name", "beneficiary_id", "father_name", "phone", "disaster_date", "disaster_type",
		"fiscal_year", "ward", "tole", "location", "latitude", "longitude", "current_shelter_location", "family_members_json",
		"male_count", "female_count", "children_count", "pregnant_mother_count", "mother_under_2_baby", "deaths_during_disaster",
		"in_social_security_fund", "ssf_type", "poverty_card_holder", "harms_json", "bank_account_holder_name",
		"bank_account_number", "bank_name", "relief_items_json", "cash_received", "distribution_date", "status", "documents",
		"image_filename", "notes", "created_at", "updated_at"},
	"disaster": {"id", "disaster_type", "disaster_date", "ward", "tole", "latitude", "longitude", "fiscal_year", "description",
		"affected_households", "affected_people", "created_at", "updated_at"},
	"social_security_beneficiary": {"id", "beneficiary_name", "beneficiary_id", "ssf_type", "age", "gender", "ward", "tole",
		"latitude", "longitude", "phone", "bank_account_holder_name", "bank_account_number", "bank_name", "notes", "created_at", "updated_at"},
	"event_log":          {"id", "timestamp", "event_type", "description", "location", "responsible_unit", "status", "created_at", "updated_at"},
	"situation_report":   {"id", "report_date", "current_situation_summary", "weather_conditions", "detailed_report", "resources_deployed", "next_update_time", "created_at", "updated_at"},
	"public_information": {"id", "title", "content", "info_type", "priority", "is_active", "valid_from", "valid_until", "created_at", "updated_at"},
	"daily_report_log":   {"id", "report_date_bs", "created_at"},
	"fund_transaction":   {"id", "transaction_type", "amount", "description", "transaction_date", "created_at"},
	"app_settings":       {"id", "setting_key", "setting_value"},
}

// source is the old database, opened read-only.
type source struct {
	db      *sql.DB
	columns map[string][]string // table → its columns, for the tables present
}

// openSource opens path read-only and checks that it is a Flask LEOC
// database: a SQLite file that passes the quick integrity check and has the
// old tables and columns.
func openSource(ctx context.Context, path string) (*source, error) {
	if _, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrNotLegacy, path, err)
	}
	// mode=ro: the old database is evidence and must not change, not even by
	// a journal left behind.
	dsn := "file:" + (&url.URL{Path: path}).EscapedPath() + "?mode=ro&_pragma=busy_timeout(5000)"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrNotLegacy, path, err)
	}
	db.SetMaxOpenConns(1)
	src := &source{db: db, columns: map[string][]string{}}
	if err := src.check(ctx, path); err != nil {
		db.Close()
		return nil, err
	}
	return src, nil
}

func (s *source) check(ctx context.Context, path string) error {
	var ok string
	if err := s.db.QueryRowContext(ctx, "PRAGMA quick_check").Scan(&ok); err != nil {
		return fmt.Errorf("%w: %s cannot be read as SQLite (%v)", ErrNotLegacy, path, err)
	}
	if ok != "ok" {
		return fmt.Errorf("%w: %s is damaged (SQLite integrity check: %s)", ErrNotLegacy, path, ok)
	}
	tables := append(mapKeys(requiredColumns), "inventory_item")
	for _, table := range tables {
		cols, err := s.tableColumns(ctx, table)
		if err != nil {
			return fmt.Errorf("%w: %s: %v", ErrNotLegacy, path, err)
		}
		if len(cols) == 0 {
			if table == "inventory_item" {
				continue
			}
			return fmt.Errorf("%w: %s has no table %s", ErrNotLegacy, path, table)
		}
		for _, c := range requiredColumns[table] {
			if !slices.Contains(cols, c) {
				return fmt.Errorf("%w: %s: table %s has no column %s", ErrNotLegacy, path, table, c)
			}
		}
		s.columns[table] = cols
	}
	return nil
}

func (s *source) tableColumns(ctx context.Context, table string) ([]string, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT name FROM pragma_table_info(?)", table)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var cols []string
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			return nil, err
		}
		cols = append(cols, c)
	}
	return cols, rows.Err()
}

func (s *source) has(table string) bool { return len(s.columns[table]) > 0 }

func (s *source) Close() error { return s.db.Close() }

// count is the number of rows of a table (for progress bars).
func (s *source) count(ctx context.Context, table string) (int, error) {
	var n int
	if err := s.db.QueryRowContext(ctx, "SELECT COUNT(*) FROM "+table).Scan(&n); err != nil {
		return 0, fmt.Errorf("legacy: count %s: %w", table, err)
	}
	return n, nil
}

// each calls fn with every row of table in id order. Rows are read as
// loosely typed values, because SQLite let the old application store a
// string in a FLOAT column or a float in an INTEGER one.
func (s *source) each(ctx context.Context, table string, fn func(r row) error) error {
	rows, err := s.db.QueryContext(ctx, "SELECT * FROM "+table+" ORDER BY id")
	if err != nil {
		return fmt.Errorf("legacy: read %s: %w", table, err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return fmt.Errorf("legacy: read %s: %w", table, err)
	}
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return fmt.Errorf("legacy: read %s: %w", table, err)
		}
		r := row{}
		for i, c := range cols {
			r[c] = vals[i]
		}
		if err := fn(r); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("legacy: read %s: %w", table, err)
	}
	return nil
}

// row is one old row, column → value as the driver gave it.
type row map[string]any

func (r row) id() int64 { n, _ := r.int("id"); return n }

func (r row) legacyID() string { return strconv.FormatInt(r.id(), 10) }

// str is a text column, trimmed; "" for NULL.
func (r row) str(col string) string {
	switch v := r[col].(type) {
	case nil:
		return ""
	case string:
		return strings.TrimSpace(v)
	case []byte:
		return strings.TrimSpace(string(v))
	case int64:
		return strconv.FormatInt(v, 10)
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	case time.Time:
		return v.UTC().Format("2006-01-02 15:04:05.999999")
	default:
		return strings.TrimSpace(fmt.Sprint(v))
	}
}

// int is a whole-number column; ok is false for NULL or a value that is
// not a whole number.
func (r row) int(col string) (int64, bool) {
	switch v := r[col].(type) {
	case int64:
		return v, true
	case float64:
		if v == float64(int64(v)) {
			return int64(v), true
		}
	case string, []byte:
		n, err := strconv.ParseInt(r.str(col), 10, 64)
		return n, err == nil
	}
	return 0, false
}

// float is a number column; ok is false for NULL or text that is no number.
func (r row) float(col string) (float64, bool) {
	switch v := r[col].(type) {
	case float64:
		return v, true
	case int64:
		return float64(v), true
	case string, []byte:
		s := r.str(col)
		if s == "" {
			return 0, false
		}
		f, err := strconv.ParseFloat(s, 64)
		return f, err == nil
	}
	return 0, false
}

// bool is a BOOLEAN column (0/1, or the text SQLAlchemy sometimes left).
func (r row) bool(col string) (value, ok bool) {
	switch v := r[col].(type) {
	case int64:
		return v != 0, true
	case float64:
		return v != 0, true
	case bool:
		return v, true
	case string, []byte:
		switch strings.ToLower(r.str(col)) {
		case "1", "true", "t", "yes":
			return true, true
		case "0", "false", "f", "no", "":
			return false, r.str(col) != ""
		}
	}
	return false, false
}

// locked is the old lock flag; NULL counts as locked, because the old
// system locked every record when it was saved.
func (r row) locked() bool {
	if _, present := r["is_locked"]; !present {
		return true
	}
	v, ok := r.bool("is_locked")
	return v || !ok
}

func mapKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
