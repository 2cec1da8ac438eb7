package store

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"leoc/internal/leoc"
)

// Day-grain statistics (migration 0023). Beside the sums per fiscal year ×
// ward × type, every write of an incident or a distribution moves the sums
// per day × ward × type in the same transaction, so a date range is a sum
// over the day rows of the range — a few rows per day — instead of every
// record in it. A filter with a text search or an incident still sums the
// records.
//
// Distinct households do not add across days. A household is counted at its
// first day in the range: distribution_day_households has one row per
// household × day × cell (fiscal year, ward, type) with prev_date, the
// household's previous day in the cell ('' for none), and exactly one of a
// household's days in [from, to] has prev_date < from (prev_date = '' when
// there is no from). distribution_day_household_counts counts those rows
// per day × ward × type × prev_date, so the households of a range are
// SUM(households) over it with that condition.

// dayGrain reports whether the day rows answer a filter: a date range
// without a text search.
func dayGrain(f RecordFilter) bool {
	return strings.TrimSpace(f.Query) == "" && (f.From != "" || f.To != "")
}

type dayKey struct {
	Date string
	Ward int
	Type string
}

func (k dayKey) compare(o dayKey) int {
	return cmp.Or(cmp.Compare(k.Date, o.Date), cmp.Compare(k.Ward, o.Ward), cmp.Compare(k.Type, o.Type))
}

func sortedKeys[K comparable, V any](m map[K]V, compare func(a, b K) int) []K {
	keys := make([]K, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, compare)
	return keys
}

var incidentDayUpsert = func() string {
	cols := slices.Concat(figureColumns, []string{"estimated_loss"})
	sets := make([]string, len(cols))
	for i, c := range cols {
		sets[i] = c + " = incident_day_stats." + c + " + excluded." + c
	}
	return "INSERT INTO incident_day_stats (date_ad, ward, type, fiscal_year, incidents, " + strings.Join(cols, ", ") + ") VALUES (" +
		strings.TrimSuffix(strings.Repeat("?, ", len(cols)+5), ", ") + ") ON CONFLICT (date_ad, ward, type) DO UPDATE SET " +
		"incidents = incident_day_stats.incidents + excluded.incidents, " + strings.Join(sets, ", ")
}()

type incidentDayDelta struct {
	fiscalYear int
	IncidentFigures
}

// monthKey is the key of a month row (migration 0024): an AD month can
// hold days of two fiscal years, so the fiscal year is part of it.
type monthKey struct {
	Month      string // YYYY-MM
	FiscalYear int
	Ward       int
	Type       string
}

func (k monthKey) compare(o monthKey) int {
	return cmp.Or(cmp.Compare(k.Month, o.Month), cmp.Compare(k.FiscalYear, o.FiscalYear), cmp.Compare(k.Ward, o.Ward), cmp.Compare(k.Type, o.Type))
}

func (k dayKey) month(fiscalYear int) monthKey {
	return monthKey{k.Date[:7], fiscalYear, k.Ward, k.Type}
}

// monthly turns a statement on a day table into the same on its month
// table: the month's key has the fiscal year in it.
var monthly = strings.NewReplacer("_day_", "_month_", "ON CONFLICT (date_ad, ", "ON CONFLICT (month_ad, fiscal_year, ",
	"WHERE date_ad = ? AND ", "WHERE month_ad = ? AND fiscal_year = ? AND ", "date_ad", "month_ad").Replace

var (
	incidentMonthUpsert = monthly(incidentDayUpsert)
	incidentDayDelete   = "DELETE FROM incident_day_stats WHERE date_ad = ? AND ward = ? AND type = ? AND incidents = 0"
	incidentMonthDelete = monthly(incidentDayDelete)
)

// adjustIncidentDayStats moves an incident's figures in the day rows and
// the month rows, each in key order (no deadlock between two writers on
// PostgreSQL).
func (t *Tx) adjustIncidentDayStats(ctx context.Context, old, updated *leoc.Incident) error {
	t.statsChanged = true
	days := map[dayKey]*incidentDayDelta{}
	months := map[monthKey]*IncidentFigures{}
	move := func(inc *leoc.Incident, sign int64) {
		k := dayKey{dateText(inc.DateAD), inc.Ward, inc.Type}
		f := figuresOf(inc)
		group(days, k, func() *incidentDayDelta { return &incidentDayDelta{fiscalYear: inc.FiscalYear.Start} }).add(&f, sign)
		group(months, k.month(inc.FiscalYear.Start), func() *IncidentFigures { return &IncidentFigures{} }).add(&f, sign)
	}
	if old != nil {
		move(old, -1)
	}
	if updated != nil {
		move(updated, 1)
	}
	for _, k := range sortedKeys(days, dayKey.compare) {
		d := days[k]
		if err := t.moveIncidentFigures(ctx, incidentDayUpsert, incidentDayDelete, []any{k.Date, k.Ward, k.Type, d.fiscalYear},
			[]any{k.Date, k.Ward, k.Type}, &d.IncidentFigures); err != nil {
			return err
		}
	}
	for _, k := range sortedKeys(months, monthKey.compare) {
		if err := t.moveIncidentFigures(ctx, incidentMonthUpsert, incidentMonthDelete, []any{k.Month, k.Ward, k.Type, k.FiscalYear},
			[]any{k.Month, k.FiscalYear, k.Ward, k.Type}, months[k]); err != nil {
			return err
		}
	}
	return t.adjustIncidentDayTotals(ctx, days)
}

// moveIncidentFigures adds d to one day or month row (key: the upsert's
// first four values) and removes the row when no incident is left in it.
func (t *Tx) moveIncidentFigures(ctx context.Context, upsert, del string, key, delKey []any, d *IncidentFigures) error {
	if d.isZero() {
		return nil
	}
	args := make([]any, 0, len(figureColumns)+6)
	args = append(append(args, key...), d.Incidents)
	for _, n := range d.Counts {
		args = append(args, n)
	}
	for _, n := range d.Flags {
		args = append(args, n)
	}
	args = append(args, int64(d.EstimatedLoss))
	return t.moveSharedRow(ctx, "incident day statistics", upsert, args, del, delKey, d.Incidents < 0)
}

// incidentRangeStats answers a date range from the month rows of the whole
// months inside it and the day rows of the days at its ends, summed into
// fiscal year × ward × type cells in one statement.
// Filtered by neither ward nor type, the ward rows give the totals and the
// by-ward and by-year sums, the type rows the by-type sums.
func (s *Store) incidentRangeStats(ctx context.Context, f RecordFilter) (*IncidentStats, error) {
	filter := func(g RecordFilter) *where { return s.incidentWhere(g) }
	if len(f.Wards) > 0 || len(f.Types) > 0 {
		q, args := rangeRows(f, incidentDayRows, filter)
		cells, err := s.statsCells(ctx, incidentCellsOf(q), args...)
		if err != nil {
			return nil, err
		}
		return s.groupIncidentStats(ctx, &IncidentStats{FromAggregates: true}, cells, nil)
	}
	sums := "incidents, " + strings.Join(figureColumns, ", ") + ", estimated_loss"
	q, args := rangeRows(f, "SELECT fiscal_year, ward, '' AS type, "+sums+" FROM incident_day_ward_stats", filter)
	cells, err := s.statsCells(ctx, incidentCellsOf(q), args...)
	if err != nil {
		return nil, err
	}
	q, args = rangeRows(f, "SELECT fiscal_year, 0 AS ward, type, "+sums+" FROM incident_day_type_stats", filter)
	byType, err := s.statsCells(ctx, incidentCellsOf(q), args...)
	if err != nil {
		return nil, err
	}
	return s.groupIncidentStats(ctx, &IncidentStats{FromAggregates: true}, cells, byType)
}

// incidentDayRows reads the day rows: their cell and their sums.
var incidentDayRows = "SELECT fiscal_year, ward, type, incidents, " + strings.Join(figureColumns, ", ") +
	", estimated_loss FROM incident_day_stats"

// incidentCellsOf sums the rows of q (incidentDayRows of some days and
// months) per fiscal year × ward × type.
func incidentCellsOf(q string) string {
	sums := make([]string, 0, len(figureColumns)+2)
	for _, c := range slices.Concat([]string{"incidents"}, figureColumns, []string{"estimated_loss"}) {
		sums = append(sums, "CAST(SUM("+c+") AS BIGINT)")
	}
	return "SELECT fiscal_year, ward, type, " + strings.Join(sums, ", ") + " FROM (" + q + ") r GROUP BY fiscal_year, ward, type"
}

// rangeRows is one statement that reads the rows of a date range: sel (a
// SELECT from a day table) of the day rows of the days at the range's ends
// and, turned monthly, of the month rows of the whole months inside it,
// each part filtered by filter (given the part's dates).
func rangeRows(f RecordFilter, sel string, filter func(RecordFilter) *where) (string, []any) {
	var parts []string
	var args []any
	for _, part := range splitRange(f.From, f.To) {
		g := f
		g.From, g.To = part.from, part.to
		q := sel
		if part.months {
			g.From, g.To = "", "" // narrowMonths bounds them
			q = monthly(q)
		}
		w := filter(g)
		if part.months {
			part.narrowMonths(w)
		}
		parts = append(parts, q+w.sql())
		args = append(args, w.args...)
	}
	return strings.Join(parts, " UNION ALL "), args
}

// rangePart is one piece of a date range: days from..to ("" = open), or,
// with months set, the whole AD months from..to ("YYYY-MM").
type rangePart struct {
	from, to string
	months   bool
}

func (p rangePart) narrowMonths(w *where) {
	if p.from != "" {
		w.add("month_ad >= ?", p.from)
	}
	if p.to != "" {
		w.add("month_ad <= ?", p.to)
	}
}

// splitRange cuts [from, to] (AD dates, either may be open) into the whole
// months inside it and the days before and after them. A range that holds
// no whole month, or a date that does not parse, stays one part of days.
func splitRange(from, to string) []rangePart {
	const month = "2006-01"
	var first, last time.Time // the first day of the first whole month, the last day of the last
	if from != "" {
		t, err := time.Parse(time.DateOnly, from)
		if err != nil {
			return []rangePart{{from: from, to: to}}
		}
		first = t.AddDate(0, 0, 1-t.Day())
		if t.Day() != 1 {
			first = first.AddDate(0, 1, 0)
		}
	}
	if to != "" {
		t, err := time.Parse(time.DateOnly, to)
		if err != nil {
			return []rangePart{{from: from, to: to}}
		}
		last = t.AddDate(0, 0, 1-t.Day()).AddDate(0, 1, -1) // the last day of t's month
		if !last.Equal(t) {
			last = t.AddDate(0, 0, -t.Day())
		}
	}
	if from != "" && to != "" && last.Before(first) {
		return []rangePart{{from: from, to: to}}
	}
	months := rangePart{months: true}
	var parts []rangePart
	if from != "" {
		months.from = first.Format(month)
		if day := first.AddDate(0, 0, -1).Format(time.DateOnly); day >= from {
			parts = append(parts, rangePart{from: from, to: day})
		}
	}
	if to != "" {
		months.to = last.Format(month)
		if day := last.AddDate(0, 0, 1).Format(time.DateOnly); day <= to {
			parts = append(parts, rangePart{from: day, to: to})
		}
	}
	return append(parts, months)
}

// incidentDayCellsFromIncidents is what incident_day_stats must hold.
func incidentDayCellsFromIncidents() string {
	return strings.Replace(statsCellsFromIncidents(), "SELECT fiscal_year,", "SELECT date_ad, MIN(fiscal_year),", 1) +
		" GROUP BY date_ad, ward, type"
}

// verifyIncidentDayStats compares the day rows with the incidents.
func (s *Store) verifyIncidentDayStats(ctx context.Context) ([]string, error) {
	dayQuery := "SELECT date_ad, fiscal_year, ward, type, incidents, " + strings.Join(figureColumns, ", ") + ", estimated_loss FROM incident_day_stats"
	kept, err := s.incidentDayRows(ctx, dayQuery)
	if err != nil {
		return nil, err
	}
	want, err := s.incidentDayRows(ctx, incidentDayCellsFromIncidents())
	if err != nil {
		return nil, err
	}
	diffs := diffRows(kept, want)
	for _, key := range []string{"ward", "type"} {
		kept, err := s.textRows(ctx, 2, "SELECT date_ad, "+key+", fiscal_year, incidents, "+strings.Join(figureColumns, ", ")+
			", estimated_loss FROM incident_day_"+key+"_stats")
		if err != nil {
			return nil, err
		}
		want, err := s.textRows(ctx, 2, incidentDaySumsFromIncidents(key))
		if err != nil {
			return nil, err
		}
		diffs = append(diffs, diffRows(kept, want)...)
	}
	months, err := s.verifyMonthStats(ctx, monthTablesOf("incident_"))
	if err != nil {
		return nil, err
	}
	return append(diffs, months...), nil
}

type incidentDayRow struct {
	date string
	IncidentCell
}

func (s *Store) incidentDayRows(ctx context.Context, q string) (map[string]string, error) {
	rows, err := s.query(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("store: incident day statistics: %w", err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var r incidentDayRow
		c := &r.IncidentCell
		dest := []any{&r.date, &c.FiscalYear, &c.Ward, &c.Type, &c.Incidents}
		for i := range c.Counts {
			dest = append(dest, &c.Counts[i])
		}
		for i := range c.Flags {
			dest = append(dest, &c.Flags[i])
		}
		dest = append(dest, (*int64)(&c.EstimatedLoss))
		if err := rows.Scan(dest...); err != nil {
			return nil, fmt.Errorf("store: incident day statistics: %w", err)
		}
		out["day "+r.date+"/"+c.key()] = fmt.Sprintf("%+v", c.IncidentFigures)
	}
	return out, rows.Err()
}

// diffRows lists the keys whose kept value differs from the recomputed one.
func diffRows(kept, want map[string]string) []string {
	var diffs []string
	for k, v := range want {
		if got, ok := kept[k]; !ok || got != v {
			diffs = append(diffs, fmt.Sprintf("%s: kept %s, recomputed %s", k, got, v))
		}
	}
	for k, v := range kept {
		if _, ok := want[k]; !ok {
			diffs = append(diffs, fmt.Sprintf("%s: kept %s for no records", k, v))
		}
	}
	slices.Sort(diffs)
	return diffs
}
