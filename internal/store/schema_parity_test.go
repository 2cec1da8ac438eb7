package store_test

import (
	"database/sql"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"leoc/internal/store"
	"leoc/internal/store/storetest"
)

// schema is what the parity test compares of a migrated database: per table,
// each column's type class, nullability and default class, the primary key,
// the unique constraints by their columns, and the indexes by name.
type schema map[string]*tableShape

type tableShape struct {
	columns    map[string]string // name → "type null default"
	primaryKey string
	uniques    []string          // column lists of UNIQUE constraints, sorted
	indexes    map[string]string // name → "[unique] [partial] (columns)"
}

// Differences the dialects have on purpose; everything else must match.
var (
	// SQLite gets an index covering every incident figure; PostgreSQL
	// allows 32 columns in an index (0004_incidents.sql).
	sqliteOnlyIndexes = []string{"incidents.incidents_date_figures"}
	// The index of dates and search text (0029) is whole on SQLite; a
	// PostgreSQL B-tree entry must fit in a third of a page, so there it
	// holds texts up to 2,000 bytes and the longer ones have an index of
	// their own. TestSearchReadsLongTexts holds both to the same answers.
	ownShapeIndexes = []string{"distributions.distributions_date_search", "distributions.distributions_date_long_search"}
	// The search indexes (0022) are each database's own kind: SQLite's are
	// FTS5 virtual tables (with the shadow tables FTS5 keeps), PostgreSQL's
	// pg_trgm GIN indexes on the searched columns. TestSearchMatchesOnBothDatabases
	// holds them to the same answers instead.
	searchTables = map[string][]string{
		"distributions":     {"search_text"},
		"beneficiaries":     {"search"},
		"incidents":         {"tole", "description"},
		"event_logs":        {"description", "location", "responsible_unit"},
		"situation_reports": {"summary", "weather", "detailed_report", "resources_deployed"},
		"advisories":        {"title", "content"},
		"contacts":          {"organisation", "person", "designation"},
	}
	// Integer primary keys the application always gives (single-row tables,
	// ward numbers, migration versions): SQLite's rowid alias could number
	// them itself, PostgreSQL has no identity there. A record's own id is
	// {{id}}, an identity on both, and a plain INTEGER PRIMARY KEY written
	// for one is exactly the drift this test exists to catch.
	givenKeys = []string{"audit_head.id", "calendar_table.id", "fund_balance.id", "municipality_boundary.id",
		"schema_migrations.version", "unlock_key.id", "wards.number", "ward_polygons.ward"}
)

// TestMigrationsGiveBothDialectsOneSchema migrates an empty SQLite and an
// empty PostgreSQL database and compares what they hold, so a migration
// cannot make the dialects drift.
func TestMigrationsGiveBothDialectsOneSchema(t *testing.T) {
	lite := migratedSchema(t, storetest.Backend{Name: "sqlite", URL: storetest.SQLiteURL})
	pg := migratedSchema(t, storetest.Backend{Name: "postgres", URL: storetest.PostgresURL})
	if len(lite) < 20 {
		t.Fatalf("read only %d SQLite tables: the introspection is broken", len(lite))
	}
	for _, d := range schemaDiff(lite, pg) {
		t.Error(d)
	}
}

// TestSchemaDiffFindsAPlantedDifference: the comparison is not blind. Each
// planted change, made on one database only, must be reported.
func TestSchemaDiffFindsAPlantedDifference(t *testing.T) {
	for _, c := range []struct{ name, ddl, want string }{
		{"index", "CREATE INDEX planted_index ON users (display_name)", "users: index planted_index"},
		{"nullable column", "ALTER TABLE users ADD COLUMN planted TEXT", "users.planted"},
		{"nullability", "DROP TABLE sitrep_numbers; CREATE TABLE sitrep_numbers (fiscal_year INTEGER NOT NULL, number INTEGER NOT NULL, day_bs TEXT, day_ad TEXT NOT NULL UNIQUE, issued_at TIMESTAMP NOT NULL, issued_by TEXT NOT NULL, PRIMARY KEY (fiscal_year, number))", "sitrep_numbers.day_bs"},
		{"unique", "DROP TABLE sitrep_numbers; CREATE TABLE sitrep_numbers (fiscal_year INTEGER NOT NULL, number INTEGER NOT NULL, day_bs TEXT NOT NULL, day_ad TEXT NOT NULL, issued_at TIMESTAMP NOT NULL, issued_by TEXT NOT NULL, PRIMARY KEY (fiscal_year, number))", "sitrep_numbers: unique"},
		{"default", "DROP TABLE sitrep_numbers; CREATE TABLE sitrep_numbers (fiscal_year INTEGER NOT NULL, number INTEGER NOT NULL, day_bs TEXT NOT NULL DEFAULT '', day_ad TEXT NOT NULL UNIQUE, issued_at TIMESTAMP NOT NULL, issued_by TEXT NOT NULL, PRIMARY KEY (fiscal_year, number))", "sitrep_numbers.day_bs"},
		{"table", "CREATE TABLE planted_table (x INTEGER)", "planted_table"},
	} {
		t.Run(c.name, func(t *testing.T) {
			url := storetest.SQLiteURL(t)
			want := readSchema(t, migrate(t, url))
			planted := migrate(t, url)
			if _, err := planted.Exec(c.ddl); err != nil {
				t.Fatal(err)
			}
			got := readSchema(t, planted)
			diffs := schemaDiff(got, want)
			if !slices.ContainsFunc(diffs, func(d string) bool { return strings.Contains(d, c.want) }) {
				t.Errorf("planted %s; differences reported: %q", c.name, diffs)
			}
		})
	}
}

func migratedSchema(t *testing.T, b storetest.Backend) schema {
	t.Helper()
	return readSchema(t, migrate(t, b.URL(t)))
}

// migrate migrates the database at url with the store and returns a plain
// connection to it, for reading the catalog.
func migrate(t *testing.T, url string) *sql.DB {
	t.Helper()
	s, err := store.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	s.SetAuditKeys(storetest.AuditKeys(t))
	if _, err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	d, dsn, err := store.ParseURL(url)
	if err != nil {
		t.Fatal(err)
	}
	driver := "pgx"
	if d == store.SQLite {
		driver = "sqlite"
	}
	db, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func readSchema(t *testing.T, db *sql.DB) schema {
	t.Helper()
	var s schema
	var err error
	if _, e := db.Exec("SELECT 1 FROM sqlite_master LIMIT 1"); e == nil {
		s, err = readSQLiteSchema(db)
	} else {
		s, err = readPostgresSchema(db)
	}
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// queryStrings runs q and returns its rows as strings (NULL as "").
func queryStrings(db *sql.DB, q string, args ...any) ([][]string, error) {
	rows, err := db.Query(q, args...)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", q, err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, err
	}
	var out [][]string
	for rows.Next() {
		vals := make([]sql.NullString, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		row := make([]string, len(cols))
		for i, v := range vals {
			row[i] = v.String
		}
		out = append(out, row)
	}
	return out, rows.Err()
}

func readSQLiteSchema(db *sql.DB) (schema, error) {
	tables, err := queryStrings(db, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
	if err != nil {
		return nil, err
	}
	s := schema{}
	for _, tr := range tables {
		name := tr[0]
		ts := &tableShape{columns: map[string]string{}, indexes: map[string]string{}}
		s[name] = ts
		// cid, name, type, notnull, dflt_value, pk
		cols, err := queryStrings(db, "SELECT cid, name, type, \"notnull\", dflt_value, pk FROM pragma_table_info(?)", name)
		if err != nil {
			return nil, err
		}
		var pk []string
		pkType := ""
		for _, c := range cols {
			if c[5] != "0" {
				pk = append(pk, c[5]+":"+c[1])
				pkType = strings.ToUpper(c[2])
			}
		}
		sort.Strings(pk)
		for i := range pk {
			_, pk[i], _ = strings.Cut(pk[i], ":")
		}
		ts.primaryKey = strings.Join(pk, ",")
		rowidAlias := len(pk) == 1 && pkType == "INTEGER"
		for _, c := range cols {
			null := "null"
			if c[3] == "1" || c[5] != "0" {
				null = "not null" // a declared primary key is not null on both
			}
			def := defaultClass(c[4])
			if rowidAlias && c[5] == "1" {
				def = "identity"
			}
			ts.columns[c[1]] = typeClass(c[2]) + " " + null + " " + def
		}
		idx, err := queryStrings(db, "SELECT name, \"unique\", origin, partial FROM pragma_index_list(?)", name)
		if err != nil {
			return nil, err
		}
		for _, ix := range idx {
			ic, err := queryStrings(db, "SELECT seqno, cid, name FROM pragma_index_info(?) ORDER BY seqno", ix[0])
			if err != nil {
				return nil, err
			}
			var names []string
			for _, c := range ic {
				if c[1] == "-2" {
					names = append(names, "<expression>")
				} else {
					names = append(names, c[2])
				}
			}
			switch ix[2] {
			case "u":
				ts.uniques = append(ts.uniques, strings.Join(names, ","))
			case "c":
				ts.indexes[ix[0]] = indexShape(ix[1] == "1", ix[3] == "1", names)
			}
		}
		sort.Strings(ts.uniques)
	}
	return s, nil
}

func readPostgresSchema(db *sql.DB) (schema, error) {
	cols, err := queryStrings(db, `SELECT table_name, column_name, data_type, is_nullable, column_default, is_identity
		FROM information_schema.columns
		WHERE table_schema = current_schema()
		  AND table_name IN (SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE')`)
	if err != nil {
		return nil, err
	}
	s := schema{}
	table := func(name string) *tableShape {
		if s[name] == nil {
			s[name] = &tableShape{columns: map[string]string{}, indexes: map[string]string{}}
		}
		return s[name]
	}
	for _, c := range cols {
		null := "null"
		if c[3] == "NO" {
			null = "not null"
		}
		def := defaultClass(c[4])
		if c[5] == "YES" {
			def = "identity"
		}
		table(c[0]).columns[c[1]] = typeClass(c[2]) + " " + null + " " + def
	}
	// Constraints and indexes with their columns in key order.
	const keyColumns = `(SELECT string_agg(a.attname, ',' ORDER BY k.n)
		FROM unnest(%s) WITH ORDINALITY AS k(attnum, n) JOIN pg_attribute a ON a.attrelid = %s AND a.attnum = k.attnum)`
	cons, err := queryStrings(db, `SELECT t.relname, c.contype, `+fmt.Sprintf(keyColumns, "c.conkey", "c.conrelid")+`
		FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid JOIN pg_namespace ns ON ns.oid = t.relnamespace
		WHERE ns.nspname = current_schema() AND c.contype IN ('p', 'u')`)
	if err != nil {
		return nil, err
	}
	for _, c := range cons {
		if c[1] == "p" {
			table(c[0]).primaryKey = c[2]
		} else {
			table(c[0]).uniques = append(table(c[0]).uniques, c[2])
		}
	}
	idx, err := queryStrings(db, `SELECT t.relname, i.relname, x.indisunique, x.indpred IS NOT NULL,
		  (SELECT string_agg(CASE WHEN k.attnum = 0 THEN '<expression>' ELSE a.attname END, ',' ORDER BY k.n)
		   FROM unnest(x.indkey::int2[]) WITH ORDINALITY AS k(attnum, n)
		   LEFT JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum)
		FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
		JOIN pg_namespace ns ON ns.oid = t.relnamespace
		WHERE ns.nspname = current_schema()
		  AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid AND c.contype IN ('p', 'u'))`)
	if err != nil {
		return nil, err
	}
	for _, ix := range idx {
		table(ix[0]).indexes[ix[1]] = indexShape(ix[2] == "true", ix[3] == "true", strings.Split(ix[4], ","))
	}
	for _, ts := range s {
		sort.Strings(ts.uniques)
	}
	return s, nil
}

func indexShape(unique, partial bool, cols []string) string {
	s := "(" + strings.Join(cols, ",") + ")"
	if partial {
		s = "partial " + s
	}
	if unique {
		s = "unique " + s
	}
	return s
}

// typeClass maps a declared type (SQLite) or data_type (PostgreSQL) to what
// the application can rely on.
func typeClass(t string) string {
	t = strings.ToLower(t)
	switch {
	case strings.Contains(t, "int"):
		return "integer"
	case strings.Contains(t, "timestamp"):
		return "timestamp"
	case strings.Contains(t, "bool"):
		return "boolean"
	case strings.Contains(t, "real"), strings.Contains(t, "double"), strings.Contains(t, "float"):
		return "float"
	case strings.Contains(t, "char"), strings.Contains(t, "text"):
		return "text"
	case strings.Contains(t, "blob"), strings.Contains(t, "bytea"):
		return "bytes"
	}
	return t
}

var pgCast = regexp.MustCompile(`::[a-z ]+(\[\])?$`)

// defaultClass reduces a default expression to its class and, for a
// constant, its value: PostgreSQL's ”::text and SQLite's ” are one thing.
func defaultClass(d string) string {
	if d == "" {
		return "no-default"
	}
	for pgCast.MatchString(d) {
		d = pgCast.ReplaceAllString(d, "")
	}
	d = strings.TrimSuffix(strings.TrimPrefix(d, "("), ")")
	switch l := strings.ToLower(d); {
	case l == "null":
		return "no-default"
	case l == "true" || l == "false":
		return "default=" + l
	case strings.HasPrefix(d, "'"):
		return "default=" + d
	case regexp.MustCompile(`^-?[0-9.]+$`).MatchString(d):
		return "default=" + d
	case strings.Contains(l, "current_timestamp") || strings.Contains(l, "now()"):
		return "default=now"
	}
	return "default-expression"
}

// schemaDiff lists, in a stable order, every way b differs from a.
func schemaDiff(a, b schema) []string {
	var out []string
	for _, name := range unionKeys(a, b) {
		ta, tb := a[name], b[name]
		if isSearchTable(name) {
			continue
		}
		if ta == nil || tb == nil {
			out = append(out, fmt.Sprintf("table %s exists in one database only", name))
			continue
		}
		for _, c := range unionKeys(ta.columns, tb.columns) {
			ca, cb := ta.columns[c], tb.columns[c]
			if ca != cb && !(slices.Contains(givenKeys, name+"."+c) && strings.Replace(ca, "identity", "no-default", 1) == strings.Replace(cb, "identity", "no-default", 1)) {
				out = append(out, fmt.Sprintf("%s.%s: %q vs %q (a key the application always gives belongs in givenKeys)", name, c, ca, cb))
			}
		}
		if ta.primaryKey != tb.primaryKey {
			out = append(out, fmt.Sprintf("%s: primary key (%s) vs (%s)", name, ta.primaryKey, tb.primaryKey))
		}
		if !slices.Equal(ta.uniques, tb.uniques) {
			out = append(out, fmt.Sprintf("%s: unique constraints %q vs %q", name, ta.uniques, tb.uniques))
		}
		for _, ix := range unionKeys(ta.indexes, tb.indexes) {
			if slices.Contains(sqliteOnlyIndexes, name+"."+ix) || slices.Contains(ownShapeIndexes, name+"."+ix) || isSearchIndex(name, ix) {
				continue
			}
			if ta.indexes[ix] != tb.indexes[ix] {
				out = append(out, fmt.Sprintf("%s: index %s %q vs %q", name, ix, ta.indexes[ix], tb.indexes[ix]))
			}
		}
	}
	return out
}

// isSearchTable reports an FTS5 table of 0022 or one of its shadow tables
// (_data, _idx, _docsize, _config).
func isSearchTable(name string) bool {
	for table := range searchTables {
		if name == table+"_search" || strings.HasPrefix(name, table+"_search_") {
			return true
		}
	}
	return false
}

// isSearchIndex reports a pg_trgm index of 0022.
func isSearchIndex(table, index string) bool {
	for _, col := range searchTables[table] {
		if index == table+"_search_"+col {
			return true
		}
	}
	return false
}

func unionKeys[V any](a, b map[string]V) []string {
	var ks []string
	for k := range a {
		ks = append(ks, k)
	}
	for k := range b {
		if _, ok := a[k]; !ok {
			ks = append(ks, k)
		}
	}
	sort.Strings(ks)
	return ks
}
