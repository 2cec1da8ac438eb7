package store

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"

	"leoc/internal/bs"
	"leoc/internal/leoc"
)

// Incident statistics. Summing every figure of 100,000 incidents takes most
// of a second on SQLite, far too slow for a dashboard; so every write keeps
// incident_stats — the sums per fiscal year × ward × type — up to date in its
// own transaction, and the statistics read those few hundred rows. A date
// range reads the day rows instead (day_stats.go); only a text search falls
// back to summing the incidents with GROUP BY. Either way the database sums up to
// fiscal-year × ward × type cells, and Go only adds the cells up into the
// totals and the by-ward, by-type and by-year lists; no incident row is ever
// loaded for statistics.

// IncidentFigures are the sums of a set of incidents.
type IncidentFigures struct {
	Incidents     int64
	Counts        [leoc.NumIncidentCounts]int64
	Flags         [leoc.NumIncidentFlags]int64 // how many incidents had each disruption
	EstimatedLoss leoc.Money
}

func (a *IncidentFigures) add(b *IncidentFigures, sign int64) {
	a.Incidents += sign * b.Incidents
	for i := range a.Counts {
		a.Counts[i] += sign * b.Counts[i]
	}
	for i := range a.Flags {
		a.Flags[i] += sign * b.Flags[i]
	}
	a.EstimatedLoss += leoc.Money(sign) * b.EstimatedLoss
}

func (a *IncidentFigures) isZero() bool { return *a == IncidentFigures{} }

// Count returns a count by name (for templates).
func (a *IncidentFigures) Count(name string) int64 {
	if i := slices.Index(countColumns, name); i >= 0 {
		return a.Counts[i]
	}
	return 0
}

// Flag returns how many incidents had a disruption, by name.
func (a *IncidentFigures) Flag(name string) int64 {
	if i := slices.Index(flagColumns, name); i >= 0 {
		return a.Flags[i]
	}
	return 0
}

// LivestockLost is the number of animals lost, all kinds together.
func (a *IncidentFigures) LivestockLost() int64 {
	return a.Counts[leoc.LivestockLostCattle] + a.Counts[leoc.LivestockLostGoatsSheep] + a.Counts[leoc.LivestockLostPoultry] + a.Counts[leoc.LivestockLostOther]
}

// LivestockInjured is the number of animals injured, all kinds together.
func (a *IncidentFigures) LivestockInjured() int64 {
	return a.Counts[leoc.LivestockInjuredCattle] + a.Counts[leoc.LivestockInjuredGoatsSheep] + a.Counts[leoc.LivestockInjuredPoultry] + a.Counts[leoc.LivestockInjuredOther]
}

func figuresOf(inc *leoc.Incident) IncidentFigures {
	f := IncidentFigures{Incidents: 1, Counts: inc.Counts, EstimatedLoss: inc.EstimatedLoss}
	for i, set := range inc.Flags {
		if set {
			f.Flags[i] = 1
		}
	}
	return f
}

// IncidentCell is the sums of one fiscal year × ward × type.
type IncidentCell struct {
	FiscalYear int
	Ward       int
	Type       string
	IncidentFigures
}

func (c *IncidentCell) key() string { return fmt.Sprintf("%d/%d/%s", c.FiscalYear, c.Ward, c.Type) }

// WardFigures, TypeFigures and FiscalYearFigures are the sums of one ward,
// one disaster type and one fiscal year.
type (
	WardFigures struct {
		Ward int
		IncidentFigures
	}
	TypeFigures struct {
		Type string
		IncidentFigures
	}
	FiscalYearFigures struct {
		FiscalYear bs.FiscalYear
		IncidentFigures
	}
)

// IncidentStats answers the statistics of a filter.
type IncidentStats struct {
	Totals       IncidentFigures
	ByWard       []WardFigures       // by ward number
	ByType       []TypeFigures       // in the order of the disaster-type list
	ByFiscalYear []FiscalYearFigures // newest first
	// FromAggregates tells whether the maintained sums answered (filters by
	// fiscal year, ward and type only) or the incidents were summed.
	FromAggregates bool
}

var statsUpsert = incidentSumsUpsert("incident_stats", "fiscal_year", "ward", "type")

// incidentSumsUpsert adds to a row of sums keyed by keys, or inserts it.
func incidentSumsUpsert(table string, keys ...string) string {
	return incidentSumsUpsertOn(table, strings.Join(keys, ", "), keys...)
}

// incidentSumsUpsertOn is incidentSumsUpsert for a row that has columns
// beside its key (a day row's fiscal year).
func incidentSumsUpsertOn(table, conflict string, keys ...string) string {
	cols := slices.Concat([]string{"incidents"}, figureColumns, []string{"estimated_loss"})
	sets := make([]string, len(cols))
	for i, c := range cols {
		sets[i] = c + " = " + table + "." + c + " + excluded." + c
	}
	return "INSERT INTO " + table + " (" + strings.Join(keys, ", ") + ", " + strings.Join(cols, ", ") + ") VALUES (" +
		strings.TrimSuffix(strings.Repeat("?, ", len(cols)+len(keys)), ", ") + ") ON CONFLICT (" + conflict + ") DO UPDATE SET " +
		strings.Join(sets, ", ")
}

// adjustIncidentStats moves an incident's figures in the statistics: old
// out (nil for a create), updated in (nil for a delete). upsert is
// statsUpsert prepared, or nil.
func (t *Tx) adjustIncidentStats(ctx context.Context, upsert *sql.Stmt, old, updated *leoc.Incident) error {
	var deltas []IncidentCell
	if old != nil {
		deltas = append(deltas, IncidentCell{FiscalYear: old.FiscalYear.Start, Ward: old.Ward, Type: old.Type})
		deltas[0].add(ptr(figuresOf(old)), -1)
	}
	if updated != nil {
		c := IncidentCell{FiscalYear: updated.FiscalYear.Start, Ward: updated.Ward, Type: updated.Type, IncidentFigures: figuresOf(updated)}
		if len(deltas) == 1 && deltas[0].key() == c.key() {
			deltas[0].add(&c.IncidentFigures, 1)
		} else {
			deltas = append(deltas, c)
		}
	}
	// Rows are always changed in the same order, so two transactions that
	// move incidents between the same cells cannot deadlock on PostgreSQL.
	slices.SortFunc(deltas, func(a, b IncidentCell) int {
		return cmp.Or(cmp.Compare(a.FiscalYear, b.FiscalYear), cmp.Compare(a.Ward, b.Ward), cmp.Compare(a.Type, b.Type))
	})
	for _, d := range deltas {
		if d.isZero() {
			continue
		}
		args := make([]any, 0, len(figureColumns)+5)
		args = append(args, d.FiscalYear, d.Ward, d.Type, d.Incidents)
		for _, n := range d.Counts {
			args = append(args, n)
		}
		for _, n := range d.Flags {
			args = append(args, n)
		}
		args = append(args, int64(d.EstimatedLoss))
		var err error
		if upsert != nil {
			_, err = upsert.ExecContext(ctx, args...)
		} else {
			_, err = t.exec(ctx, statsUpsert, args...)
		}
		if err != nil {
			return fmt.Errorf("store: incident statistics: %w", err)
		}
		if d.Incidents < 0 {
			if _, err := t.exec(ctx, "DELETE FROM incident_stats WHERE fiscal_year = ? AND ward = ? AND type = ? AND incidents = 0",
				d.FiscalYear, d.Ward, d.Type); err != nil {
				return fmt.Errorf("store: incident statistics: %w", err)
			}
		}
	}
	if err := t.adjustIncidentTotals(ctx, deltas); err != nil {
		return err
	}
	return t.adjustIncidentDayStats(ctx, old, updated)
}

func ptr[T any](v T) *T { return &v }

// statsCellsFromAggregates and statsCellsFromIncidents select the same
// columns: the key, the number of incidents and every sum.
func statsCellsFromAggregates() string {
	return "SELECT fiscal_year, ward, type, incidents, " + strings.Join(figureColumns, ", ") + ", estimated_loss FROM incident_stats"
}

func statsCellsFromIncidents() string {
	sums := make([]string, 0, len(figureColumns)+1)
	for _, c := range countColumns {
		sums = append(sums, "COALESCE(CAST(SUM("+c+") AS BIGINT), 0)")
	}
	for _, c := range flagColumns {
		sums = append(sums, "COALESCE(CAST(SUM(CASE WHEN "+c+" THEN 1 ELSE 0 END) AS BIGINT), 0)")
	}
	sums = append(sums, "COALESCE(CAST(SUM(estimated_loss) AS BIGINT), 0)")
	return "SELECT fiscal_year, ward, type, COUNT(*), " + strings.Join(sums, ", ") + " FROM incidents"
}

func (s *Store) statsCells(ctx context.Context, q string, args ...any) ([]IncidentCell, error) {
	var out []IncidentCell
	err := s.eachSumRow(ctx, 4+len(figureColumns)+1, q, args, func(r *sumRow) {
		var c IncidentCell
		c.FiscalYear, c.Ward, c.Type, c.Incidents = int(r.int(0)), int(r.int(1)), r.text(2), r.int(3)
		r.ints(4, c.Counts[:])
		r.ints(4+len(c.Counts), c.Flags[:])
		c.EstimatedLoss = leoc.Money(r.int(4 + len(c.Counts) + len(c.Flags)))
		out = append(out, c)
	})
	if err != nil {
		return nil, fmt.Errorf("store: incident statistics: %w", err)
	}
	return out, nil
}

// IncidentStats sums the incidents a filter selects (paging and sorting are
// ignored): totals, by ward, by type and by fiscal year. A filter by fiscal
// year only reads the ward and type rows (incident_totals.go), one by ward or
// type the fiscal-year cells, a date range the day and month rows; only a
// text search sums the incidents.
func (s *Store) IncidentStats(ctx context.Context, f RecordFilter) (*IncidentStats, error) {
	w := s.incidentWhere(f)
	switch {
	case onlyKeyFilters(f) && len(f.Wards) == 0 && len(f.Types) == 0:
		return s.incidentTotals(ctx, w)
	case onlyKeyFilters(f):
		return s.incidentStats(ctx, true, statsCellsFromAggregates()+w.sql(), w.args)
	case dayGrain(f):
		return s.incidentRangeStats(ctx, f)
	}
	return s.IncidentStatsFromRecords(ctx, f)
}

// IncidentStatsFromRecords sums the incidents themselves, whatever the
// filter: the answer the maintained rows must always give.
func (s *Store) IncidentStatsFromRecords(ctx context.Context, f RecordFilter) (*IncidentStats, error) {
	w := s.incidentWhere(f)
	return s.incidentStats(ctx, false, statsCellsFromIncidents()+w.sql()+" GROUP BY fiscal_year, ward, type", w.args)
}

func (s *Store) incidentStats(ctx context.Context, fromAggregates bool, q string, args []any) (*IncidentStats, error) {
	cells, err := s.statsCells(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	return s.groupIncidentStats(ctx, &IncidentStats{FromAggregates: fromAggregates}, cells, nil)
}

// groupIncidentStats adds cells up into the totals and the groups; a key
// may come in several cells. With typeCells (the type rows), the by-type
// sums are theirs and cells (the ward rows) give the rest.
func (s *Store) groupIncidentStats(ctx context.Context, st *IncidentStats, cells, typeCells []IncidentCell) (*IncidentStats, error) {
	types, err := s.ListValues(ctx, ListDisasterType)
	if err != nil {
		return nil, err
	}
	wards, byType, years := map[int]*WardFigures{}, map[string]*TypeFigures{}, map[int]*FiscalYearFigures{}
	for i := range cells {
		c := &cells[i]
		if c.Incidents == 0 {
			continue
		}
		st.Totals.add(&c.IncidentFigures, 1)
		group(wards, c.Ward, func() *WardFigures { return &WardFigures{Ward: c.Ward} }).add(&c.IncidentFigures, 1)
		if typeCells == nil {
			group(byType, c.Type, func() *TypeFigures { return &TypeFigures{Type: c.Type} }).add(&c.IncidentFigures, 1)
		}
		group(years, c.FiscalYear, func() *FiscalYearFigures { return &FiscalYearFigures{FiscalYear: bs.FiscalYear{Start: c.FiscalYear}} }).
			add(&c.IncidentFigures, 1)
	}
	for i := range typeCells {
		c := &typeCells[i]
		if c.Incidents != 0 {
			group(byType, c.Type, func() *TypeFigures { return &TypeFigures{Type: c.Type} }).add(&c.IncidentFigures, 1)
		}
	}
	for _, w := range wards {
		st.ByWard = append(st.ByWard, *w)
	}
	slices.SortFunc(st.ByWard, func(a, b WardFigures) int { return cmp.Compare(a.Ward, b.Ward) })
	position := func(key string) int {
		if i := slices.IndexFunc(types, func(v ListValue) bool { return v.Key == key }); i >= 0 {
			return i
		}
		return len(types)
	}
	for _, t := range byType {
		st.ByType = append(st.ByType, *t)
	}
	slices.SortFunc(st.ByType, func(a, b TypeFigures) int {
		return cmp.Or(cmp.Compare(position(a.Type), position(b.Type)), cmp.Compare(a.Type, b.Type))
	})
	for _, y := range years {
		st.ByFiscalYear = append(st.ByFiscalYear, *y)
	}
	slices.SortFunc(st.ByFiscalYear, func(a, b FiscalYearFigures) int { return cmp.Compare(b.FiscalYear.Start, a.FiscalYear.Start) })
	return st, nil
}

func group[K comparable, V any](m map[K]*V, k K, make func() *V) *V {
	v, ok := m[k]
	if !ok {
		v = make()
		m[k] = v
	}
	return v
}

// VerifyIncidentStats recomputes every statistics row from the incidents
// and lists the rows that differ (empty when all agree). Tests run it after
// every kind of write; an operator can run it after touching the database
// by hand.
func (s *Store) VerifyIncidentStats(ctx context.Context) ([]string, error) {
	kept, err := s.statsCells(ctx, statsCellsFromAggregates())
	if err != nil {
		return nil, err
	}
	want, err := s.statsCells(ctx, statsCellsFromIncidents()+" GROUP BY fiscal_year, ward, type")
	if err != nil {
		return nil, err
	}
	byKey := map[string]IncidentCell{}
	for _, c := range kept {
		byKey[c.key()] = c
	}
	var diffs []string
	for _, c := range want {
		k, ok := byKey[c.key()]
		delete(byKey, c.key())
		if !ok || k.IncidentFigures != c.IncidentFigures {
			diffs = append(diffs, fmt.Sprintf("%s: kept %+v, recomputed %+v", c.key(), k.IncidentFigures, c.IncidentFigures))
		}
	}
	for key, c := range byKey {
		diffs = append(diffs, fmt.Sprintf("%s: kept %+v for no incidents", key, c.IncidentFigures))
	}
	for _, key := range []string{"ward", "type"} {
		kept, err := s.textRows(ctx, 2, "SELECT fiscal_year, "+key+", incidents, "+strings.Join(figureColumns, ", ")+", estimated_loss FROM incident_"+key+"_stats")
		if err != nil {
			return nil, err
		}
		want, err := s.textRows(ctx, 2, incidentSumsFromIncidents(key))
		if err != nil {
			return nil, err
		}
		diffs = append(diffs, diffRows(kept, want)...)
	}
	days, err := s.verifyIncidentDayStats(ctx)
	if err != nil {
		return nil, err
	}
	diffs = append(diffs, days...)
	slices.Sort(diffs)
	return diffs, nil
}
