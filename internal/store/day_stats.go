package store

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"leoc/internal/leoc"
)

// Day-grain statistics (migration 0026). Beside the sums per fiscal year ×
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

// adjustIncidentDayStats moves an incident's figures in the day rows, in
// key order (no deadlock between two writers on PostgreSQL).
func (t *Tx) adjustIncidentDayStats(ctx context.Context, old, updated *leoc.Incident) error {
	t.statsChanged = true
	deltas := map[dayKey]*incidentDayDelta{}
	move := func(inc *leoc.Incident, sign int64) {
		k := dayKey{dateText(inc.DateAD), inc.Ward, inc.Type}
		d := group(deltas, k, func() *incidentDayDelta { return &incidentDayDelta{fiscalYear: inc.FiscalYear.Start} })
		d.add(ptr(figuresOf(inc)), sign)
	}
	if old != nil {
		move(old, -1)
	}
	if updated != nil {
		move(updated, 1)
	}
	for _, k := range sortedKeys(deltas, dayKey.compare) {
		d := deltas[k]
		if d.isZero() {
			continue
		}
		args := make([]any, 0, len(figureColumns)+6)
		args = append(args, k.Date, k.Ward, k.Type, d.fiscalYear, d.Incidents)
		for _, n := range d.Counts {
			args = append(args, n)
		}
		for _, n := range d.Flags {
			args = append(args, n)
		}
		args = append(args, int64(d.EstimatedLoss))
		if _, err := t.exec(ctx, incidentDayUpsert, args...); err != nil {
			return fmt.Errorf("store: incident day statistics: %w", err)
		}
		if d.Incidents < 0 {
			if _, err := t.exec(ctx, "DELETE FROM incident_day_stats WHERE date_ad = ? AND ward = ? AND type = ? AND incidents = 0",
				k.Date, k.Ward, k.Type); err != nil {
				return fmt.Errorf("store: incident day statistics: %w", err)
			}
		}
	}
	return nil
}

// incidentDayCells sums the day rows a filter selects into fiscal year ×
// ward × type cells.
func incidentDayCells() string {
	sums := make([]string, 0, len(figureColumns)+2)
	for _, c := range slices.Concat([]string{"incidents"}, figureColumns, []string{"estimated_loss"}) {
		sums = append(sums, "CAST(SUM("+c+") AS BIGINT)")
	}
	return "SELECT fiscal_year, ward, type, " + strings.Join(sums, ", ") + " FROM incident_day_stats"
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
	return diffRows(kept, want), nil
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
