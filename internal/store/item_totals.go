package store

import (
	"cmp"
	"context"

	"leoc/internal/leoc"
)

// Relief items over all wards and types (migration 0025). An answer lists
// the items totalled per item only; summing the item rows per fiscal year
// (day, month) × ward × type × item was half the CPU of an uncached
// distribution answer (about 3,000 rows unfiltered, 10,000 for a one-year
// range at 100,000 distributions). Every write moves these totals too, in
// the same transaction; an answer filtered by neither ward nor type reads
// them, one row per fiscal year (day, month) × item.

const (
	itemTotalUpsert = `INSERT INTO distribution_item_totals (fiscal_year, item, quantity, distributions) VALUES (?, ?, ?, ?)
	ON CONFLICT (fiscal_year, item) DO UPDATE SET quantity = distribution_item_totals.quantity + excluded.quantity,
	distributions = distribution_item_totals.distributions + excluded.distributions`
	itemTotalDelete    = "DELETE FROM distribution_item_totals WHERE fiscal_year = ? AND item = ? AND distributions = 0"
	dayItemTotalUpsert = `INSERT INTO distribution_day_item_totals (date_ad, item, fiscal_year, quantity, distributions) VALUES (?, ?, ?, ?, ?)
	ON CONFLICT (date_ad, item) DO UPDATE SET quantity = distribution_day_item_totals.quantity + excluded.quantity,
	distributions = distribution_day_item_totals.distributions + excluded.distributions`
	dayItemTotalDelete = "DELETE FROM distribution_day_item_totals WHERE date_ad = ? AND item = ? AND distributions = 0"
)

var (
	monthItemTotalUpsert = monthly(dayItemTotalUpsert)
	monthItemTotalDelete = monthly(dayItemTotalDelete)
)

// itemTotalsAnswer reports whether the totals answer a filter's items:
// no ward, no type, no incident, no search.
func itemTotalsAnswer(f DistributionFilter) bool {
	return len(f.Wards) == 0 && len(f.Types) == 0 && f.IncidentID == 0 && f.Query == ""
}

type itemTotalKey struct {
	FiscalYear int
	Item       string
}

type dayItemTotalKey struct {
	Date string
	Item string
}

type monthItemTotalKey struct {
	Month      string
	FiscalYear int
	Item       string
}

// adjustItemTotals moves a distribution's items in the totals per fiscal
// year, day and month, each in key order (no deadlock between two writers
// on PostgreSQL).
func (t *Tx) adjustItemTotals(ctx context.Context, old, updated *leoc.Distribution) error {
	years := map[itemTotalKey]*[2]int64{}   // quantity, distributions
	days := map[dayItemTotalKey]*[3]int64{} // quantity, distributions, fiscal year
	months := map[monthItemTotalKey]*[2]int64{}
	move := func(d *leoc.Distribution, sign int64) {
		fy, day := d.FiscalYear.Start, dateText(d.DateAD)
		for _, it := range d.Items {
			y := group(years, itemTotalKey{fy, it.Item}, func() *[2]int64 { return &[2]int64{} })
			y[0], y[1] = y[0]+sign*it.Quantity, y[1]+sign
			v := group(days, dayItemTotalKey{day, it.Item}, func() *[3]int64 { return &[3]int64{0, 0, int64(fy)} })
			v[0], v[1] = v[0]+sign*it.Quantity, v[1]+sign
			m := group(months, monthItemTotalKey{day[:7], fy, it.Item}, func() *[2]int64 { return &[2]int64{} })
			m[0], m[1] = m[0]+sign*it.Quantity, m[1]+sign
		}
	}
	if old != nil {
		move(old, -1)
	}
	if updated != nil {
		move(updated, 1)
	}
	yearRows := &sharedRows{what: "item totals", upsert: itemTotalUpsert, del: itemTotalDelete}
	for _, k := range sortedKeys(years, func(a, b itemTotalKey) int {
		return cmp.Or(cmp.Compare(a.FiscalYear, b.FiscalYear), cmp.Compare(a.Item, b.Item))
	}) {
		v := years[k]
		yearRows.item([]any{k.FiscalYear, k.Item}, []any{k.FiscalYear, k.Item}, v[0], v[1])
	}
	dayRows := &sharedRows{what: "item totals", upsert: dayItemTotalUpsert, del: dayItemTotalDelete}
	for _, k := range sortedKeys(days, func(a, b dayItemTotalKey) int {
		return cmp.Or(cmp.Compare(a.Date, b.Date), cmp.Compare(a.Item, b.Item))
	}) {
		v := days[k]
		dayRows.item([]any{k.Date, k.Item, v[2]}, []any{k.Date, k.Item}, v[0], v[1])
	}
	monthRows := &sharedRows{what: "item totals", upsert: monthItemTotalUpsert, del: monthItemTotalDelete}
	for _, k := range sortedKeys(months, func(a, b monthItemTotalKey) int {
		return cmp.Or(cmp.Compare(a.Month, b.Month), cmp.Compare(a.FiscalYear, b.FiscalYear), cmp.Compare(a.Item, b.Item))
	}) {
		v := months[k]
		monthRows.item([]any{k.Month, k.Item, k.FiscalYear}, []any{k.Month, k.FiscalYear, k.Item}, v[0], v[1])
	}
	for _, b := range []*sharedRows{yearRows, dayRows, monthRows} {
		if err := t.moveSharedRows(ctx, b); err != nil {
			return err
		}
	}
	return nil
}

// The totals as the distributions give them, for the verification and the
// rebuild.
const (
	itemTotalsFromRecords = `SELECT d.fiscal_year, i.item, CAST(SUM(i.quantity) AS BIGINT), COUNT(*)
	FROM distribution_items i JOIN distributions d ON d.id = i.distribution_id GROUP BY d.fiscal_year, i.item`
	dayItemTotalsFromRecords = `SELECT d.date_ad, i.item, MIN(d.fiscal_year), CAST(SUM(i.quantity) AS BIGINT), COUNT(*)
	FROM distribution_items i JOIN distributions d ON d.id = i.distribution_id GROUP BY d.date_ad, i.item`
)
