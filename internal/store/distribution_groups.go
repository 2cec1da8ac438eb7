package store

import (
	"cmp"
	"context"
	"fmt"
	"strings"

	"leoc/internal/leoc"
)

// Distributions per ward and per type for date ranges (migration 0028), as
// incident_totals.go keeps them for incidents. A range filtered by neither
// ward nor type shows only the sums by ward, by type and by fiscal year,
// and the households in them; summing the day and month cells (ward × type)
// and their household counts for those was most of its CPU — some 2,800
// cell rows and as many household rows for a one-year range at 1,000,000
// distributions, against some 800 group rows each. The group rows hold the same sums per day (month) × ward
// and per day (month) × type: a ward's row has disaster_type '', a type's
// has ward 0, so one statement moves both. An answer's households are the
// sum of its cells' distinct households, and the range's condition on a
// household count (prev_date before the range) does not depend on the
// type, so the household counts sum per ward and per type the same way.
//
// Every write moves them in its transaction (adjustDistributionGroups,
// called from adjustDistributionDayStats), four statements however many
// rows change, each table's rows in key order; VerifyDistributionStats and
// RebuildStatistics cover them, the month rows through monthTables.

var (
	distDayGroupUpsert        = strings.ReplaceAll(distDayUpsert, "distribution_day_stats", "distribution_day_group_stats")
	distDayGroupDelete        = strings.ReplaceAll(distDayDelete, "distribution_day_stats", "distribution_day_group_stats")
	distMonthGroupUpsert      = monthly(distDayGroupUpsert)
	distMonthGroupDelete      = monthly(distDayGroupDelete)
	householdDayGroupUpsert   = strings.ReplaceAll(strings.TrimSuffix(householdDayCountUpsert, " RETURNING households"), "distribution_day_household_counts", "distribution_day_group_households")
	householdDayGroupDelete   = strings.ReplaceAll(householdDayCountDelete, "distribution_day_household_counts", "distribution_day_group_households") + " AND households = 0"
	householdMonthGroupUpsert = monthly(householdDayGroupUpsert)
	householdMonthGroupDelete = monthly(householdDayGroupDelete)
)

// groupsOf are the ward row and the type row a cell's figures go to.
func groupsOf(k dayKey) [2]dayKey {
	return [2]dayKey{{k.Date, k.Ward, ""}, {k.Date, 0, k.Type}}
}

// adjustDistributionGroups moves a distribution's figures in the day and
// month group rows, and the household counts' deltas (counts, from
// householdDayJoin and householdDayLeave) in the group household rows.
func (t *Tx) adjustDistributionGroups(ctx context.Context, old, updated *leoc.Distribution, counts map[householdDayCount]int64) error {
	days := map[dayKey]*distDayDelta{}
	months := map[monthKey]*DistributionFigures{}
	move := func(d *leoc.Distribution, sign int64) {
		f, fy := distributionFiguresOf(d), d.FiscalYear.Start
		for _, k := range groupsOf(dayOf(d)) {
			group(days, k, func() *distDayDelta { return &distDayDelta{fiscalYear: fy} }).add(&f, sign)
			group(months, k.month(fy), func() *DistributionFigures { return &DistributionFigures{} }).add(&f, sign)
		}
	}
	if old != nil {
		move(old, -1)
	}
	if updated != nil {
		move(updated, 1)
	}
	householdDays := map[householdDayCount]int64{}
	householdMonths := map[householdMonthCount]int64{}
	for k, n := range counts {
		for _, g := range groupsOf(k.dayKey) {
			householdDays[householdDayCount{g, k.Prev, k.FiscalYear}] += n
			householdMonths[householdMonthCount{g.month(k.FiscalYear), k.Prev}] += n
		}
	}
	var figures, gone groupRows
	for _, k := range sortedKeys(days, dayKey.compare) {
		figures.add(&gone, groupFigureRow([]any{k.Date, k.Ward, k.Type, days[k].fiscalYear}, &days[k].DistributionFigures),
			days[k].Distributions, k.Date, k.Ward, k.Type)
	}
	if err := t.moveGroupRows(ctx, distDayGroupUpsert, distDayGroupDelete, figures, gone); err != nil {
		return err
	}
	figures, gone = groupRows{}, groupRows{}
	for _, k := range sortedKeys(months, monthKey.compare) {
		figures.add(&gone, groupFigureRow([]any{k.Month, k.Ward, k.Type, k.FiscalYear}, months[k]),
			months[k].Distributions, k.Month, k.FiscalYear, k.Ward, k.Type)
	}
	if err := t.moveGroupRows(ctx, distMonthGroupUpsert, distMonthGroupDelete, figures, gone); err != nil {
		return err
	}
	var households groupRows
	gone = groupRows{}
	for _, k := range sortedKeys(householdDays, func(a, b householdDayCount) int { return cmp.Or(a.compare(b.dayKey), cmp.Compare(a.Prev, b.Prev)) }) {
		if n := householdDays[k]; n != 0 {
			households.add(&gone, []any{k.Date, k.Ward, k.Type, k.Prev, k.FiscalYear, n}, n, k.Date, k.Ward, k.Type, k.Prev)
		}
	}
	if err := t.moveGroupRows(ctx, householdDayGroupUpsert, householdDayGroupDelete, households, gone); err != nil {
		return err
	}
	households, gone = groupRows{}, groupRows{}
	for _, k := range sortedKeys(householdMonths, func(a, b householdMonthCount) int {
		return cmp.Or(a.compare(b.monthKey), cmp.Compare(a.Prev, b.Prev))
	}) {
		if n := householdMonths[k]; n != 0 {
			households.add(&gone, []any{k.Month, k.Ward, k.Type, k.Prev, k.FiscalYear, n}, n, k.Month, k.FiscalYear, k.Ward, k.Type, k.Prev)
		}
	}
	return t.moveGroupRows(ctx, householdMonthGroupUpsert, householdMonthGroupDelete, households, gone)
}

// groupFigureRow is an upsert's values: the key, then the figures (nil when
// they are all zero, so the row is left alone).
func groupFigureRow(key []any, c *DistributionFigures) []any {
	if *c == (DistributionFigures{}) {
		return nil
	}
	return append(key, c.Distributions, c.Members, c.Male, c.Female, c.Children, c.Pregnant, c.InfantMothers, c.Deaths, int64(c.Cash))
}

// groupRows are the rows of one multi-row statement.
type groupRows struct {
	rows [][]any
}

// add appends values (none when nil); a row whose count goes down may
// reach zero, so its delete key is put on gone.
func (r *groupRows) add(gone *groupRows, values []any, count int64, deleteKey ...any) {
	if values == nil {
		return
	}
	r.rows = append(r.rows, values)
	if count < 0 {
		gone.rows = append(gone.rows, deleteKey)
	}
}

// moveGroupRows adds the rows with one INSERT … ON CONFLICT of them all
// (in the order given: key order) and removes those of gone that are left
// empty. Like every statistics row they are shared by other writers, so
// they are written at the end of the transaction (Tx.writeLast).
func (t *Tx) moveGroupRows(ctx context.Context, upsert, del string, rows, gone groupRows) error {
	if len(rows.rows) == 0 {
		return nil
	}
	args := make([]any, 0, len(rows.rows)*len(rows.rows[0]))
	for _, r := range rows.rows {
		args = append(args, r...)
	}
	t.statsChanged = true
	const what = "distribution group statistics"
	if err := t.writeLast(ctx, lastWrite{q: valuesTimes(upsert, len(rows.rows)), args: args, what: what}); err != nil {
		return err
	}
	for _, key := range gone.rows {
		if err := t.writeLast(ctx, lastWrite{q: del, args: key, what: what}); err != nil {
			return err
		}
	}
	return nil
}

// valuesTimes turns a single-row INSERT into one of n rows: its VALUES
// tuple repeated.
func valuesTimes(insert string, n int) string {
	if n == 1 {
		return insert
	}
	start := strings.Index(insert, "VALUES (") + len("VALUES ")
	end := start + strings.Index(insert[start:], ")") + 1
	return insert[:end] + strings.Repeat(", "+insert[start:end], n-1) + insert[end:]
}

// The group rows read by a range (rangeRows turns them monthly).
const (
	distDayGroupRows = `SELECT fiscal_year, ward, disaster_type, distributions, members, male, female, children, pregnant, infant_mothers,
	deaths, cash FROM distribution_day_group_stats`
	distDayGroupHouseholdRows = "SELECT fiscal_year, ward, disaster_type, households FROM distribution_day_group_households"
)

// splitGroups parts the summed group rows into the wards' (no type) and the
// types' (ward 0).
func splitGroups(cells []DistributionCell) (wards, types []DistributionCell) {
	types = []DistributionCell{}
	for _, c := range cells {
		if c.Type == "" {
			wards = append(wards, c)
		} else {
			types = append(types, c)
		}
	}
	return wards, types
}

// distDayGroupsFrom sums the cells of source (columns named as in
// distribution_day_stats) into what distribution_day_group_stats must
// hold: per day × ward, then per day × type.
func distDayGroupsFrom(source string) string {
	cells := monthTableOf("distribution_month_stats")
	sums := make([]string, len(cells.sums))
	for i, c := range cells.sums {
		sums[i] = "CAST(SUM(" + c + ") AS BIGINT)"
	}
	s := strings.Join(sums, ", ")
	return "SELECT date_ad, ward, '' AS disaster_type, MIN(fiscal_year) AS fiscal_year, " + s + " FROM " + source + " GROUP BY date_ad, ward" +
		" UNION ALL SELECT date_ad, 0, disaster_type, MIN(fiscal_year), " + s + " FROM " + source + " GROUP BY date_ad, disaster_type"
}

// householdDayGroupsFrom sums the household counts of source (columns named
// as in distribution_day_household_counts) per day × ward and per day ×
// type.
func householdDayGroupsFrom(source string) string {
	return "SELECT date_ad, ward, '' AS disaster_type, prev_date, MIN(fiscal_year) AS fiscal_year, CAST(SUM(households) AS BIGINT) FROM " +
		source + " GROUP BY date_ad, ward, prev_date UNION ALL SELECT date_ad, 0, disaster_type, prev_date, MIN(fiscal_year), " +
		"CAST(SUM(households) AS BIGINT) FROM " + source + " GROUP BY date_ad, disaster_type, prev_date"
}

const (
	distDayGroupColumns = `date_ad, ward, disaster_type, fiscal_year, distributions, members, male, female, children, pregnant,
	infant_mothers, deaths, cash`
	householdDayGroupColumns = "date_ad, ward, disaster_type, prev_date, fiscal_year, households"
)

// The distributions and their household days as rows of the cell tables,
// for recomputing the group rows from the records.
const (
	distributionsAsDayCells = `(SELECT date_ad, ward, disaster_type, fiscal_year, 1 AS distributions, members_count AS members, male, female,
	children, pregnant, infant_mothers, deaths, cash FROM distributions) r`
	householdDaysAsCounts = "(SELECT date_ad, ward, disaster_type, prev_date, fiscal_year, 1 AS households FROM (" +
		distDayHouseholdsFromRecords + ") h) r"
)

// verifyDistributionGroups compares the day group rows with the
// distributions (the month rows are compared with their days by
// verifyMonthStats).
func (s *Store) verifyDistributionGroups(ctx context.Context) ([]string, error) {
	var diffs []string
	for _, pair := range []struct {
		keyColumns  int
		kept, wants string
	}{
		{3, "SELECT " + distDayGroupColumns + " FROM distribution_day_group_stats", distDayGroupsFrom(distributionsAsDayCells)},
		{4, "SELECT " + householdDayGroupColumns + " FROM distribution_day_group_households", householdDayGroupsFrom(householdDaysAsCounts)},
	} {
		found, err := s.diffQueries(ctx, pair.keyColumns, pair.kept, pair.wants)
		if err != nil {
			return nil, err
		}
		for _, d := range found {
			diffs = append(diffs, "group "+d)
		}
	}
	return diffs, nil
}

// rebuildDistributionGroups recomputes the day group rows from the day
// cells (rebuilt from the records just before); rebuildMonthStats makes
// the months from them.
func (t *Tx) rebuildDistributionGroups(ctx context.Context) error {
	for _, q := range []string{
		"DELETE FROM distribution_day_group_stats",
		"INSERT INTO distribution_day_group_stats (" + distDayGroupColumns + ") " + distDayGroupsFrom("distribution_day_stats"),
	} {
		if _, err := t.exec(ctx, q); err != nil {
			return fmt.Errorf("store: rebuild distribution group statistics: %w", err)
		}
	}
	return nil
}

// recountGroupHouseholds recomputes the group household rows, day and
// month, from the household counts (after recountDayHouseholds).
func (t *Tx) recountGroupHouseholds(ctx context.Context) error {
	months := monthTableOf("distribution_month_group_households")
	for _, q := range []string{
		"DELETE FROM distribution_day_group_households",
		"INSERT INTO distribution_day_group_households (" + householdDayGroupColumns + ") " +
			householdDayGroupsFrom("distribution_day_household_counts"),
		"DELETE FROM " + months.month,
		"INSERT INTO " + months.month + " (" + months.columns() + ") " + months.fromDays(),
	} {
		if _, err := t.exec(ctx, q); err != nil {
			return fmt.Errorf("store: recount distribution group households: %w", err)
		}
	}
	return nil
}

// monthTableOf is the entry of monthTables for a month table.
func monthTableOf(month string) monthTable {
	for _, m := range monthTables {
		if m.month == month {
			return m
		}
	}
	panic("store: no month table " + month)
}
