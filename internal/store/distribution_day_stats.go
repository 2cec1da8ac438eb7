package store

import (
	"cmp"
	"context"
	"fmt"
	"slices"

	"leoc/internal/leoc"
)

// The distributions' day rows (see day_stats.go for the households).

const distDayUpsert = `INSERT INTO distribution_day_stats (date_ad, ward, disaster_type, fiscal_year, distributions, members, male, female,
	children, pregnant, infant_mothers, deaths, cash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
	ON CONFLICT (date_ad, ward, disaster_type) DO UPDATE SET distributions = distribution_day_stats.distributions + excluded.distributions,
	members = distribution_day_stats.members + excluded.members,
	male = distribution_day_stats.male + excluded.male, female = distribution_day_stats.female + excluded.female,
	children = distribution_day_stats.children + excluded.children, pregnant = distribution_day_stats.pregnant + excluded.pregnant,
	infant_mothers = distribution_day_stats.infant_mothers + excluded.infant_mothers, deaths = distribution_day_stats.deaths + excluded.deaths,
	cash = distribution_day_stats.cash + excluded.cash`

const distDayItemUpsert = `INSERT INTO distribution_day_item_stats (date_ad, ward, disaster_type, item, fiscal_year, quantity, distributions)
	VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (date_ad, ward, disaster_type, item) DO UPDATE SET
	quantity = distribution_day_item_stats.quantity + excluded.quantity,
	distributions = distribution_day_item_stats.distributions + excluded.distributions`

func dayOf(d *leoc.Distribution) dayKey { return dayKey{dateText(d.DateAD), d.Ward, d.DisasterType} }

type distDayDelta struct {
	fiscalYear int
	DistributionFigures
}

type dayItemKey struct {
	dayKey
	Item string
}

// householdDayCount is one row of distribution_day_household_counts.
type householdDayCount struct {
	dayKey
	Prev       string
	FiscalYear int // the day's
}

// adjustDistributionDayStats moves a distribution's figures in the day rows:
// households first (their fiscal-year row, already written and so locked by
// adjustDistributionStats, keeps two writers of one household apart), then
// the household counts, the day cells and the items, each in key order.
func (t *Tx) adjustDistributionDayStats(ctx context.Context, old, updated *leoc.Distribution) error {
	t.statsChanged = true
	counts := map[householdDayCount]int64{}
	sameHousehold := old != nil && updated != nil && cellOf(old) == cellOf(updated) &&
		leoc.HouseholdKey(old.HouseholdID) == leoc.HouseholdKey(updated.HouseholdID)
	switch {
	case sameHousehold && old.DateAD.Equal(updated.DateAD):
		// The household's days do not change.
	case sameHousehold:
		// adjustDistributionStats left the household's fiscal-year row
		// alone; lock it, so no other writer relinks its days meanwhile.
		c := cellOf(old)
		if _, err := t.exec(ctx, `UPDATE distribution_households SET distributions = distributions WHERE fiscal_year = ? AND ward = ?
			AND disaster_type = ? AND household_key = ?`, c.FiscalYear, c.Ward, c.Type, leoc.HouseholdKey(old.HouseholdID)); err != nil {
			return fmt.Errorf("store: distribution day households: %w", err)
		}
		fallthrough
	default:
		if old != nil {
			if err := t.householdDayLeave(ctx, old, counts); err != nil {
				return err
			}
		}
		if updated != nil {
			if err := t.householdDayJoin(ctx, updated, counts); err != nil {
				return err
			}
		}
	}
	months := map[householdMonthCount]int64{}
	for _, k := range sortedKeys(counts, func(a, b householdDayCount) int { return cmp.Or(a.compare(b.dayKey), cmp.Compare(a.Prev, b.Prev)) }) {
		months[householdMonthCount{k.dayKey.month(k.FiscalYear), k.Prev}] += counts[k]
		if err := t.moveHouseholdCount(ctx, householdDayCountUpsert, householdDayCountDelete,
			[]any{k.Date, k.Ward, k.Type, k.Prev, k.FiscalYear}, []any{k.Date, k.Ward, k.Type, k.Prev}, counts[k]); err != nil {
			return err
		}
	}
	for _, k := range sortedKeys(months, func(a, b householdMonthCount) int { return cmp.Or(a.compare(b.monthKey), cmp.Compare(a.Prev, b.Prev)) }) {
		if err := t.moveHouseholdCount(ctx, householdMonthCountUpsert, householdMonthCountDelete,
			[]any{k.Month, k.Ward, k.Type, k.Prev, k.FiscalYear}, []any{k.Month, k.FiscalYear, k.Ward, k.Type, k.Prev}, months[k]); err != nil {
			return err
		}
	}
	if err := t.adjustDistributionGroups(ctx, old, updated, counts); err != nil {
		return err
	}
	return t.adjustDistributionDayCells(ctx, old, updated)
}

type householdMonthCount struct {
	monthKey
	Prev string
}

const (
	householdDayCountUpsert = `INSERT INTO distribution_day_household_counts (date_ad, ward, disaster_type, prev_date, fiscal_year, households)
		VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (date_ad, ward, disaster_type, prev_date)
		DO UPDATE SET households = distribution_day_household_counts.households + excluded.households`
	householdDayCountDelete = `DELETE FROM distribution_day_household_counts WHERE date_ad = ? AND ward = ? AND disaster_type = ? AND prev_date = ?
		AND households = 0`
)

var (
	householdMonthCountUpsert = monthly(householdDayCountUpsert)
	householdMonthCountDelete = monthly(householdDayCountDelete)
)

// moveHouseholdCount adds delta to one day or month count of household
// days and removes the row at zero.
func (t *Tx) moveHouseholdCount(ctx context.Context, upsert, del string, key, delKey []any, delta int64) error {
	if delta == 0 {
		return nil
	}
	return t.moveSharedRow(ctx, "distribution day households", upsert, append(key, delta), del, delKey, delta < 0)
}

// householdDayJoin adds a distribution to its household's day. A new day
// takes the previous day as its prev_date and becomes the prev_date of the
// next day.
func (t *Tx) householdDayJoin(ctx context.Context, d *leoc.Distribution, counts map[householdDayCount]int64) error {
	c, key, day := cellOf(d), leoc.HouseholdKey(d.HouseholdID), dateText(d.DateAD)
	var n int64
	if err := t.queryRow(ctx, `INSERT INTO distribution_day_households (fiscal_year, ward, disaster_type, household_key, date_ad, distributions, prev_date)
		VALUES (?, ?, ?, ?, ?, 1, '') ON CONFLICT (fiscal_year, ward, disaster_type, household_key, date_ad)
		DO UPDATE SET distributions = distribution_day_households.distributions + 1 RETURNING distributions`,
		c.FiscalYear, c.Ward, c.Type, key, day).Scan(&n); err != nil {
		return fmt.Errorf("store: distribution day households: %w", err)
	}
	if n != 1 {
		return nil
	}
	prev, next, err := t.householdNeighbours(ctx, c, key, day)
	if err != nil {
		return err
	}
	if prev != "" {
		if _, err := t.exec(ctx, `UPDATE distribution_day_households SET prev_date = ? WHERE fiscal_year = ? AND ward = ? AND disaster_type = ?
			AND household_key = ? AND date_ad = ?`, prev, c.FiscalYear, c.Ward, c.Type, key, day); err != nil {
			return fmt.Errorf("store: distribution day households: %w", err)
		}
	}
	counts[householdDayCount{dayOf(d), prev, c.FiscalYear}]++
	if next != "" {
		return t.relinkHouseholdDay(ctx, d, key, next, prev, day, counts)
	}
	return nil
}

// householdDayLeave takes a distribution out of its household's day; a day
// left empty is removed and the next day links to the previous one.
func (t *Tx) householdDayLeave(ctx context.Context, d *leoc.Distribution, counts map[householdDayCount]int64) error {
	c, key, day := cellOf(d), leoc.HouseholdKey(d.HouseholdID), dateText(d.DateAD)
	var n int64
	var prev string
	if err := t.queryRow(ctx, `UPDATE distribution_day_households SET distributions = distributions - 1 WHERE fiscal_year = ? AND ward = ?
		AND disaster_type = ? AND household_key = ? AND date_ad = ? RETURNING distributions, prev_date`,
		c.FiscalYear, c.Ward, c.Type, key, day).Scan(&n, &prev); err != nil {
		return fmt.Errorf("store: distribution day households: %w", err)
	}
	if n != 0 {
		return nil
	}
	if _, err := t.exec(ctx, `DELETE FROM distribution_day_households WHERE fiscal_year = ? AND ward = ? AND disaster_type = ?
		AND household_key = ? AND date_ad = ?`, c.FiscalYear, c.Ward, c.Type, key, day); err != nil {
		return fmt.Errorf("store: distribution day households: %w", err)
	}
	counts[householdDayCount{dayOf(d), prev, c.FiscalYear}]--
	_, next, err := t.householdNeighbours(ctx, c, key, day)
	if err != nil || next == "" {
		return err
	}
	return t.relinkHouseholdDay(ctx, d, key, next, day, prev, counts)
}

// relinkHouseholdDay changes the prev_date of the household's day next
// from one day to another.
func (t *Tx) relinkHouseholdDay(ctx context.Context, d *leoc.Distribution, key, next, from, to string, counts map[householdDayCount]int64) error {
	c := cellOf(d)
	if _, err := t.exec(ctx, `UPDATE distribution_day_households SET prev_date = ? WHERE fiscal_year = ? AND ward = ? AND disaster_type = ?
		AND household_key = ? AND date_ad = ?`, to, c.FiscalYear, c.Ward, c.Type, key, next); err != nil {
		return fmt.Errorf("store: distribution day households: %w", err)
	}
	// The next day is in the same cell, so in the same fiscal year.
	nextDay := dayKey{next, d.Ward, d.DisasterType}
	counts[householdDayCount{nextDay, from, c.FiscalYear}]--
	counts[householdDayCount{nextDay, to, c.FiscalYear}]++
	return nil
}

// householdNeighbours finds the household's days in the cell just before
// and just after day (” for none).
func (t *Tx) householdNeighbours(ctx context.Context, c distCellKey, key, day string) (prev, next string, err error) {
	err = t.queryRow(ctx, `SELECT COALESCE((SELECT MAX(date_ad) FROM distribution_day_households WHERE fiscal_year = ? AND ward = ?
		AND disaster_type = ? AND household_key = ? AND date_ad < ?), ''),
		COALESCE((SELECT MIN(date_ad) FROM distribution_day_households WHERE fiscal_year = ? AND ward = ?
		AND disaster_type = ? AND household_key = ? AND date_ad > ?), '')`,
		c.FiscalYear, c.Ward, c.Type, key, day, c.FiscalYear, c.Ward, c.Type, key, day).Scan(&prev, &next)
	if err != nil {
		err = fmt.Errorf("store: distribution day households: %w", err)
	}
	return prev, next, err
}

var (
	distDayDelete       = "DELETE FROM distribution_day_stats WHERE date_ad = ? AND ward = ? AND disaster_type = ? AND distributions = 0"
	distDayItemDelete   = "DELETE FROM distribution_day_item_stats WHERE date_ad = ? AND ward = ? AND disaster_type = ? AND item = ? AND distributions = 0"
	distMonthUpsert     = monthly(distDayUpsert)
	distMonthDelete     = monthly(distDayDelete)
	distMonthItemUpsert = monthly(distDayItemUpsert)
	distMonthItemDelete = monthly(distDayItemDelete)
)

type monthItemKey struct {
	monthKey
	Item string
}

// adjustDistributionDayCells moves the figures and items of the day and
// month rows, each in key order.
func (t *Tx) adjustDistributionDayCells(ctx context.Context, old, updated *leoc.Distribution) error {
	cells := map[dayKey]*distDayDelta{}
	monthCells := map[monthKey]*DistributionFigures{}
	items := map[dayItemKey]*[3]int64{} // quantity, distributions, fiscal year
	monthItems := map[monthItemKey]*[2]int64{}
	move := func(d *leoc.Distribution, sign int64) {
		f, day, fy := distributionFiguresOf(d), dayOf(d), d.FiscalYear.Start
		group(cells, day, func() *distDayDelta { return &distDayDelta{fiscalYear: fy} }).add(&f, sign)
		group(monthCells, day.month(fy), func() *DistributionFigures { return &DistributionFigures{} }).add(&f, sign)
		for _, it := range d.Items {
			v := group(items, dayItemKey{day, it.Item}, func() *[3]int64 { return &[3]int64{0, 0, int64(fy)} })
			v[0] += sign * it.Quantity
			v[1] += sign
			m := group(monthItems, monthItemKey{day.month(fy), it.Item}, func() *[2]int64 { return &[2]int64{} })
			m[0] += sign * it.Quantity
			m[1] += sign
		}
	}
	if old != nil {
		move(old, -1)
	}
	if updated != nil {
		move(updated, 1)
	}
	for _, k := range sortedKeys(cells, dayKey.compare) {
		c := cells[k]
		if err := t.moveDistributionFigures(ctx, distDayUpsert, distDayDelete, []any{k.Date, k.Ward, k.Type, c.fiscalYear},
			[]any{k.Date, k.Ward, k.Type}, &c.DistributionFigures); err != nil {
			return err
		}
	}
	for _, k := range sortedKeys(monthCells, monthKey.compare) {
		if err := t.moveDistributionFigures(ctx, distMonthUpsert, distMonthDelete, []any{k.Month, k.Ward, k.Type, k.FiscalYear},
			[]any{k.Month, k.FiscalYear, k.Ward, k.Type}, monthCells[k]); err != nil {
			return err
		}
	}
	dayRows := &sharedRows{what: "distribution day item statistics", upsert: distDayItemUpsert, del: distDayItemDelete}
	for _, k := range sortedKeys(items, func(a, b dayItemKey) int { return cmp.Or(a.compare(b.dayKey), cmp.Compare(a.Item, b.Item)) }) {
		v := items[k]
		dayRows.item([]any{k.Date, k.Ward, k.Type, k.Item, v[2]}, []any{k.Date, k.Ward, k.Type, k.Item}, v[0], v[1])
	}
	if err := t.moveSharedRows(ctx, dayRows); err != nil {
		return err
	}
	monthRows := &sharedRows{what: "distribution day item statistics", upsert: distMonthItemUpsert, del: distMonthItemDelete}
	for _, k := range sortedKeys(monthItems, func(a, b monthItemKey) int { return cmp.Or(a.compare(b.monthKey), cmp.Compare(a.Item, b.Item)) }) {
		v := monthItems[k]
		monthRows.item([]any{k.Month, k.Ward, k.Type, k.Item, k.FiscalYear}, []any{k.Month, k.FiscalYear, k.Ward, k.Type, k.Item}, v[0], v[1])
	}
	if err := t.moveSharedRows(ctx, monthRows); err != nil {
		return err
	}
	return t.adjustItemTotals(ctx, old, updated)
}

// moveDistributionFigures adds c to one day or month row (key: the
// upsert's first four values) and removes the row when it is empty.
func (t *Tx) moveDistributionFigures(ctx context.Context, upsert, del string, key, delKey []any, c *DistributionFigures) error {
	if *c == (DistributionFigures{}) {
		return nil
	}
	args := append(key, c.Distributions, c.Members, c.Male, c.Female, c.Children, c.Pregnant, c.InfantMothers, c.Deaths, int64(c.Cash))
	return t.moveSharedRow(ctx, "distribution day statistics", upsert, args, del, delKey, c.Distributions < 0)
}

// The day rows of distributions, items and first household days, read by
// rangeRows and summed in one statement each.
const (
	distDayRows = `SELECT fiscal_year, ward, disaster_type, distributions, members, male, female, children, pregnant, infant_mothers,
	deaths, cash FROM distribution_day_stats`
	distDayItemRows      = "SELECT item, quantity, distributions FROM distribution_day_item_stats"
	distDayItemTotalRows = "SELECT item, quantity, distributions FROM distribution_day_item_totals"
	distDayHouseholdRows = "SELECT fiscal_year, ward, disaster_type, households FROM distribution_day_household_counts"
)

func distCellsOf(q string) string {
	return `SELECT fiscal_year, ward, disaster_type, CAST(SUM(distributions) AS BIGINT), 0, CAST(SUM(members) AS BIGINT),
	CAST(SUM(male) AS BIGINT), CAST(SUM(female) AS BIGINT), CAST(SUM(children) AS BIGINT), CAST(SUM(pregnant) AS BIGINT),
	CAST(SUM(infant_mothers) AS BIGINT), CAST(SUM(deaths) AS BIGINT), CAST(SUM(cash) AS BIGINT) FROM (` + q + `) r
	GROUP BY fiscal_year, ward, disaster_type`
}

// distributionDayStats answers a date range from the month rows of the
// whole months inside it and the day rows of the days at its ends: three
// statements (figures, items, households), whatever the range.
func (s *Store) distributionDayStats(ctx context.Context, f DistributionFilter) (*DistributionStats, error) {
	filter := func(g RecordFilter) *where {
		h := f
		h.RecordFilter = g
		return s.distributionWhere(h)
	}
	// Filtered by neither ward nor type, the group rows (ward rows, type
	// rows) answer instead of the ward × type cells.
	groups := itemTotalsAnswer(f)
	cellRows, householdRows, itemRows := distDayRows, distDayHouseholdRows, distDayItemRows
	if groups {
		cellRows, householdRows, itemRows = distDayGroupRows, distDayGroupHouseholdRows, distDayItemTotalRows
	}
	q, args := rangeRows(f.RecordFilter, cellRows, filter)
	cells, err := s.distCells(ctx, distCellsOf(q), args...)
	if err != nil {
		return nil, err
	}
	q, args = rangeRows(f.RecordFilter, itemRows, filter)
	items, err := s.itemCells(ctx, "SELECT 0, 0, '', item, CAST(SUM(quantity) AS BIGINT), CAST(SUM(distributions) AS BIGINT) FROM ("+
		q+") r GROUP BY item", args...)
	if err != nil {
		return nil, err
	}
	// A household counts at its first day in the whole range: the
	// condition is on the range's first day, whichever part holds it.
	q, args = rangeRows(f.RecordFilter, householdRows, func(g RecordFilter) *where {
		w := filter(g)
		if f.From == "" {
			w.add("prev_date = ''")
		} else {
			w.add("prev_date < ?", f.From)
		}
		return w
	})
	households := map[distCellKey]int64{}
	if err := s.sumHouseholds(ctx, "SELECT fiscal_year, ward, disaster_type, CAST(SUM(households) AS BIGINT) FROM ("+q+
		") r GROUP BY fiscal_year, ward, disaster_type", args, households); err != nil {
		return nil, err
	}
	// The households of a cell are put on its row; the groups add the
	// rows up.
	for i := range cells {
		cells[i].Households = households[distCellKey{cells[i].FiscalYear, cells[i].Ward, cells[i].Type}]
	}
	st := &DistributionStats{FromAggregates: true}
	if groups {
		wards, types := splitGroups(cells)
		return s.groupDistributionStats(ctx, st, wards, types, items)
	}
	return s.groupDistributionStats(ctx, st, cells, nil, items)
}

func (s *Store) sumHouseholds(ctx context.Context, q string, args []any, into map[distCellKey]int64) error {
	err := s.eachSumRow(ctx, 4, q, args, func(r *sumRow) {
		into[distCellKey{int(r.int(0)), int(r.int(1)), r.text(2)}] += r.int(3)
	})
	if err != nil {
		return fmt.Errorf("store: distribution day households: %w", err)
	}
	return nil
}

// verifyDistributionDayStats compares the day rows, the household days and
// their counts with what the distributions give.
func (s *Store) verifyDistributionDayStats(ctx context.Context) ([]string, error) {
	var diffs []string
	for _, pair := range []struct {
		keyColumns  int
		kept, wants string
	}{
		{4, `SELECT date_ad, fiscal_year, ward, disaster_type, distributions, members, male, female, children, pregnant, infant_mothers, deaths, cash
			FROM distribution_day_stats`, distDayCellsFromRecords},
		{5, "SELECT date_ad, fiscal_year, ward, disaster_type, item, quantity, distributions FROM distribution_day_item_stats", distDayItemsFromRecords},
		{2, "SELECT fiscal_year, item, quantity, distributions FROM distribution_item_totals", itemTotalsFromRecords},
		{2, "SELECT date_ad, item, fiscal_year, quantity, distributions FROM distribution_day_item_totals", dayItemTotalsFromRecords},
		{5, "SELECT fiscal_year, ward, disaster_type, household_key, date_ad, distributions, prev_date FROM distribution_day_households",
			distDayHouseholdsFromRecords},
		{4, "SELECT date_ad, ward, disaster_type, prev_date, fiscal_year, households FROM distribution_day_household_counts",
			distDayHouseholdCountsFrom("(" + distDayHouseholdsFromRecords + ") h")},
	} {
		found, err := s.diffQueries(ctx, pair.keyColumns, pair.kept, pair.wants)
		if err != nil {
			return nil, err
		}
		diffs = append(diffs, found...)
	}
	groups, err := s.verifyDistributionGroups(ctx)
	if err != nil {
		return nil, err
	}
	months, err := s.verifyMonthStats(ctx, monthTablesOf("distribution_"))
	if err != nil {
		return nil, err
	}
	return slices.Concat(diffs, groups, months), nil
}

// diffQueries reads the rows kept (the maintained ones) and the rows wanted
// (recomputed from the records), both keyed by their first keyColumns, and
// tells how they differ.
func (s *Store) diffQueries(ctx context.Context, keyColumns int, kept, wanted string) ([]string, error) {
	have, err := s.textRows(ctx, keyColumns, kept)
	if err != nil {
		return nil, err
	}
	want, err := s.textRows(ctx, keyColumns, wanted)
	if err != nil {
		return nil, err
	}
	return diffRows(have, want), nil
}

// textRows reads any rows as text, keyed by the first keyColumns; for
// comparing maintained rows with recomputed ones.
func (s *Store) textRows(ctx context.Context, keyColumns int, q string) (map[string]string, error) {
	rows, err := s.query(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("store: verify day statistics: %w", err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	for rows.Next() {
		vals := make([]any, len(cols))
		for i := range vals {
			vals[i] = new(any)
		}
		if err := rows.Scan(vals...); err != nil {
			return nil, fmt.Errorf("store: verify day statistics: %w", err)
		}
		text := make([]string, len(vals))
		for i, v := range vals {
			text[i] = fmt.Sprint(normalise(*(v.(*any))))
		}
		out[fmt.Sprint(text[:keyColumns])] = fmt.Sprint(text[keyColumns:])
	}
	return out, rows.Err()
}

// normalise makes the drivers' values comparable: []byte as string, every
// integer as int64.
func normalise(v any) any {
	switch x := v.(type) {
	case []byte:
		return string(x)
	case int32:
		return int64(x)
	case int:
		return int64(x)
	}
	return v
}

const distDayCellsFromRecords = `SELECT date_ad, MIN(fiscal_year), ward, disaster_type, COUNT(*), CAST(SUM(members_count) AS BIGINT),
	CAST(SUM(male) AS BIGINT), CAST(SUM(female) AS BIGINT), CAST(SUM(children) AS BIGINT), CAST(SUM(pregnant) AS BIGINT),
	CAST(SUM(infant_mothers) AS BIGINT), CAST(SUM(deaths) AS BIGINT), CAST(SUM(cash) AS BIGINT)
	FROM distributions GROUP BY date_ad, ward, disaster_type`

const distDayItemsFromRecords = `SELECT d.date_ad, MIN(d.fiscal_year), d.ward, d.disaster_type, i.item, CAST(SUM(i.quantity) AS BIGINT), COUNT(*)
	FROM distribution_items i JOIN distributions d ON d.id = i.distribution_id GROUP BY d.date_ad, d.ward, d.disaster_type, i.item`

// distDayHouseholdsFromRecords is what distribution_day_households must
// hold: each household's days per cell, linked to the day before.
const distDayHouseholdsFromRecords = `SELECT fiscal_year, ward, disaster_type, household_key, date_ad, n AS distributions,
	COALESCE(LAG(date_ad) OVER (PARTITION BY fiscal_year, ward, disaster_type, household_key ORDER BY date_ad), '') AS prev_date
	FROM (SELECT fiscal_year, ward, disaster_type, household_key, date_ad, COUNT(*) AS n FROM distributions
	GROUP BY fiscal_year, ward, disaster_type, household_key, date_ad) g`

func distDayHouseholdCountsFrom(source string) string {
	return "SELECT date_ad, ward, disaster_type, prev_date, MIN(fiscal_year), COUNT(*) FROM " + source +
		" GROUP BY date_ad, ward, disaster_type, prev_date"
}

// recountDayHouseholds rebuilds the household days and their counts from
// the distributions (after household keys change).
func (t *Tx) recountDayHouseholds(ctx context.Context) error {
	t.statsChanged = true
	// Queued statistics (Tx.writeLast) first: the recount reads the records
	// and replaces the rows those writes would move again.
	if err := t.flushLast(ctx); err != nil {
		return err
	}
	for _, q := range []string{
		"DELETE FROM distribution_day_household_counts",
		"DELETE FROM distribution_day_households",
		"INSERT INTO distribution_day_households (fiscal_year, ward, disaster_type, household_key, date_ad, distributions, prev_date) " +
			distDayHouseholdsFromRecords,
		"INSERT INTO distribution_day_household_counts (date_ad, ward, disaster_type, prev_date, fiscal_year, households) " +
			distDayHouseholdCountsFrom("distribution_day_households"),
		"DELETE FROM distribution_month_household_counts",
		"INSERT INTO distribution_month_household_counts (" + monthTables[3].columns() + ") " + monthTables[3].fromDays(),
	} {
		if _, err := t.exec(ctx, q); err != nil {
			return fmt.Errorf("store: recount distribution day households: %w", err)
		}
	}
	return t.recountGroupHouseholds(ctx)
}
