package store

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"leoc/internal/bs"
	"leoc/internal/leoc"
)

// Distribution statistics, kept the way incident statistics are: every
// write moves its distribution's figures in distribution_stats (per fiscal
// year × ward × disaster type), distribution_item_stats (× item) and
// distribution_households (distinct households per cell) in its own
// transaction. Filters by fiscal year, ward and type read those rows; a date
// range reads the day rows (distribution_day_stats.go, day_stats.go); a
// search or incident filter sums the distributions with GROUP BY.
// "Households" is the number of distinct households (by identity number) in
// each fiscal year × ward × type, summed: a household helped in two fiscal
// years counts in each.

// DistributionFigures are the sums of a set of distributions.
type DistributionFigures struct {
	Distributions int64
	Households    int64
	Members       int64
	Male          int64
	Female        int64
	Children      int64
	Pregnant      int64
	InfantMothers int64
	Deaths        int64
	Cash          leoc.Money
}

func (a *DistributionFigures) add(b *DistributionFigures, sign int64) {
	a.Distributions += sign * b.Distributions
	a.Households += sign * b.Households
	a.Members += sign * b.Members
	a.Male += sign * b.Male
	a.Female += sign * b.Female
	a.Children += sign * b.Children
	a.Pregnant += sign * b.Pregnant
	a.InfantMothers += sign * b.InfantMothers
	a.Deaths += sign * b.Deaths
	a.Cash += leoc.Money(sign) * b.Cash
}

func distributionFiguresOf(d *leoc.Distribution) DistributionFigures {
	return DistributionFigures{Distributions: 1, Members: int64(len(d.Members)), Male: int64(d.Male()), Female: int64(d.Female()),
		Children: int64(d.Children()), Pregnant: int64(d.Pregnant), InfantMothers: int64(d.InfantMothers), Deaths: int64(d.Deaths), Cash: d.Cash}
}

type distCellKey struct {
	FiscalYear int
	Ward       int
	Type       string
}

func (k distCellKey) compare(o distCellKey) int {
	return cmp.Or(cmp.Compare(k.FiscalYear, o.FiscalYear), cmp.Compare(k.Ward, o.Ward), cmp.Compare(k.Type, o.Type))
}

func cellOf(d *leoc.Distribution) distCellKey {
	return distCellKey{d.FiscalYear.Start, d.Ward, d.DisasterType}
}

const distStatsUpsert = `INSERT INTO distribution_stats (fiscal_year, ward, disaster_type, distributions, households, members, male, female,
	children, pregnant, infant_mothers, deaths, cash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
	ON CONFLICT (fiscal_year, ward, disaster_type) DO UPDATE SET distributions = distribution_stats.distributions + excluded.distributions,
	households = distribution_stats.households + excluded.households, members = distribution_stats.members + excluded.members,
	male = distribution_stats.male + excluded.male, female = distribution_stats.female + excluded.female,
	children = distribution_stats.children + excluded.children, pregnant = distribution_stats.pregnant + excluded.pregnant,
	infant_mothers = distribution_stats.infant_mothers + excluded.infant_mothers, deaths = distribution_stats.deaths + excluded.deaths,
	cash = distribution_stats.cash + excluded.cash`

const itemStatsUpsert = `INSERT INTO distribution_item_stats (fiscal_year, ward, disaster_type, item, quantity, distributions)
	VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (fiscal_year, ward, disaster_type, item) DO UPDATE SET
	quantity = distribution_item_stats.quantity + excluded.quantity, distributions = distribution_item_stats.distributions + excluded.distributions`

// adjustDistributionStats moves a distribution's figures: old out (nil on
// create), updated in (nil on delete). Rows are changed in one fixed order
// (households, cells, items; each sorted) so concurrent writers on
// PostgreSQL cannot deadlock.
func (t *Tx) adjustDistributionStats(ctx context.Context, old, updated *leoc.Distribution) error {
	cells := map[distCellKey]*DistributionFigures{}
	cell := func(k distCellKey) *DistributionFigures {
		if c, ok := cells[k]; ok {
			return c
		}
		c := &DistributionFigures{}
		cells[k] = c
		return c
	}
	type itemKey struct {
		distCellKey
		Item string
	}
	items := map[itemKey][2]int64{}
	move := func(d *leoc.Distribution, sign int64) {
		f := distributionFiguresOf(d)
		cell(cellOf(d)).add(&f, sign)
		for _, it := range d.Items {
			k := itemKey{cellOf(d), it.Item}
			v := items[k]
			items[k] = [2]int64{v[0] + sign*it.Quantity, v[1] + sign}
		}
	}
	if old != nil {
		move(old, -1)
	}
	if updated != nil {
		move(updated, 1)
	}
	// Distinct households per cell.
	type hh struct {
		distCellKey
		key  string
		sign int64
	}
	var hhs []hh
	if old != nil {
		hhs = append(hhs, hh{cellOf(old), leoc.HouseholdKey(old.HouseholdID), -1})
	}
	if updated != nil {
		n := hh{cellOf(updated), leoc.HouseholdKey(updated.HouseholdID), 1}
		if len(hhs) == 1 && hhs[0].distCellKey == n.distCellKey && hhs[0].key == n.key {
			hhs = nil
		} else {
			hhs = append(hhs, n)
		}
	}
	slices.SortFunc(hhs, func(a, b hh) int { return cmp.Or(a.compare(b.distCellKey), cmp.Compare(a.key, b.key)) })
	for _, h := range hhs {
		var n int64
		err := t.queryRow(ctx, `INSERT INTO distribution_households (fiscal_year, ward, disaster_type, household_key, distributions)
			VALUES (?, ?, ?, ?, ?) ON CONFLICT (fiscal_year, ward, disaster_type, household_key)
			DO UPDATE SET distributions = distribution_households.distributions + excluded.distributions RETURNING distributions`,
			h.FiscalYear, h.Ward, h.Type, h.key, h.sign).Scan(&n)
		if err != nil {
			return fmt.Errorf("store: distribution households: %w", err)
		}
		switch {
		case h.sign > 0 && n == 1:
			cell(h.distCellKey).Households++
		case h.sign < 0 && n == 0:
			cell(h.distCellKey).Households--
			if _, err := t.exec(ctx, "DELETE FROM distribution_households WHERE fiscal_year = ? AND ward = ? AND disaster_type = ? AND household_key = ?",
				h.FiscalYear, h.Ward, h.Type, h.key); err != nil {
				return fmt.Errorf("store: distribution households: %w", err)
			}
		}
	}
	keys := make([]distCellKey, 0, len(cells))
	for k := range cells {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, distCellKey.compare)
	for _, k := range keys {
		c := cells[k]
		if *c == (DistributionFigures{}) {
			continue
		}
		if err := t.moveSharedRow(ctx, "distribution statistics", distStatsUpsert, []any{k.FiscalYear, k.Ward, k.Type, c.Distributions,
			c.Households, c.Members, c.Male, c.Female, c.Children, c.Pregnant, c.InfantMothers, c.Deaths, int64(c.Cash)},
			"DELETE FROM distribution_stats WHERE fiscal_year = ? AND ward = ? AND disaster_type = ? AND distributions = 0",
			[]any{k.FiscalYear, k.Ward, k.Type}, c.Distributions < 0); err != nil {
			return err
		}
	}
	ikeys := make([]itemKey, 0, len(items))
	for k := range items {
		ikeys = append(ikeys, k)
	}
	slices.SortFunc(ikeys, func(a, b itemKey) int { return cmp.Or(a.compare(b.distCellKey), cmp.Compare(a.Item, b.Item)) })
	itemRows := &sharedRows{what: "item statistics", upsert: itemStatsUpsert,
		del: "DELETE FROM distribution_item_stats WHERE fiscal_year = ? AND ward = ? AND disaster_type = ? AND item = ? AND distributions = 0"}
	for _, k := range ikeys {
		v := items[k]
		itemRows.item([]any{k.FiscalYear, k.Ward, k.Type, k.Item}, []any{k.FiscalYear, k.Ward, k.Type, k.Item}, v[0], v[1])
	}
	if err := t.moveSharedRows(ctx, itemRows); err != nil {
		return err
	}
	return t.adjustDistributionDayStats(ctx, old, updated)
}

// DistributionCell is the sums of one fiscal year × ward × type.
type DistributionCell struct {
	FiscalYear int
	Ward       int
	Type       string
	DistributionFigures
}

// ItemQuantity is how much of one relief item was given.
type ItemQuantity struct {
	Item          string
	Quantity      int64
	Distributions int64
}

// DistributionStats answers the statistics of a filter.
type DistributionStats struct {
	Totals         DistributionFigures
	Items          []ItemQuantity // in the order of the relief-item list
	ByWard         []DistributionWard
	ByFiscalYear   []DistributionYear // newest first
	ByType         []DistributionType // in the order of the disaster-type list
	FromAggregates bool
}

// DistributionWard, DistributionYear and DistributionType are one group.
type (
	DistributionWard struct {
		Ward int
		DistributionFigures
	}
	DistributionYear struct {
		FiscalYear bs.FiscalYear
		DistributionFigures
	}
	DistributionType struct {
		Type string
		DistributionFigures
	}
)

const distCellColumns = "distributions, households, members, male, female, children, pregnant, infant_mothers, deaths, cash"

func distCellsFromRecords() string {
	return `SELECT fiscal_year, ward, disaster_type, COUNT(*), COUNT(DISTINCT household_key), COALESCE(CAST(SUM(members_count) AS BIGINT), 0),
		COALESCE(CAST(SUM(male) AS BIGINT), 0), COALESCE(CAST(SUM(female) AS BIGINT), 0), COALESCE(CAST(SUM(children) AS BIGINT), 0),
		COALESCE(CAST(SUM(pregnant) AS BIGINT), 0), COALESCE(CAST(SUM(infant_mothers) AS BIGINT), 0), COALESCE(CAST(SUM(deaths) AS BIGINT), 0),
		COALESCE(CAST(SUM(cash) AS BIGINT), 0) FROM distributions`
}

func (s *Store) distCells(ctx context.Context, q string, args ...any) ([]DistributionCell, error) {
	var out []DistributionCell
	err := s.eachSumRow(ctx, 13, q, args, func(r *sumRow) {
		c := DistributionCell{FiscalYear: int(r.int(0)), Ward: int(r.int(1)), Type: r.text(2)}
		c.DistributionFigures = DistributionFigures{Distributions: r.int(3), Households: r.int(4), Members: r.int(5), Male: r.int(6),
			Female: r.int(7), Children: r.int(8), Pregnant: r.int(9), InfantMothers: r.int(10), Deaths: r.int(11), Cash: leoc.Money(r.int(12))}
		out = append(out, c)
	})
	if err != nil {
		return nil, fmt.Errorf("store: distribution statistics: %w", err)
	}
	return out, nil
}

type itemCell struct {
	key distCellKey
	ItemQuantity
}

func (s *Store) itemCells(ctx context.Context, q string, args ...any) ([]itemCell, error) {
	var out []itemCell
	err := s.eachSumRow(ctx, 6, q, args, func(r *sumRow) {
		out = append(out, itemCell{distCellKey{int(r.int(0)), int(r.int(1)), r.text(2)}, ItemQuantity{r.text(3), r.int(4), r.int(5)}})
	})
	if err != nil {
		return nil, fmt.Errorf("store: item statistics: %w", err)
	}
	return out, nil
}

const itemCellsFromRecords = `SELECT d.fiscal_year, d.ward, d.disaster_type, i.item, CAST(SUM(i.quantity) AS BIGINT), COUNT(*)
	FROM distribution_items i JOIN distributions d ON d.id = i.distribution_id`

// DistributionStats sums what a filter selects (paging and sorting ignored):
// from the fiscal-year rows, the day rows for a date range, or the
// distributions for a search or an incident.
func (s *Store) DistributionStats(ctx context.Context, f DistributionFilter) (*DistributionStats, error) {
	if f.IncidentID == 0 && dayGrain(f.RecordFilter) {
		return s.distributionDayStats(ctx, f)
	}
	return s.distributionStats(ctx, f, f.onlyKeys())
}

// DistributionStatsFromRecords sums the distributions themselves, whatever
// the filter: the answer the maintained rows must always give.
func (s *Store) DistributionStatsFromRecords(ctx context.Context, f DistributionFilter) (*DistributionStats, error) {
	return s.distributionStats(ctx, f, false)
}

func (s *Store) distributionStats(ctx context.Context, f DistributionFilter, fromAggregates bool) (*DistributionStats, error) {
	st := &DistributionStats{FromAggregates: fromAggregates}
	var cells []DistributionCell
	var items []itemCell
	var err error
	if st.FromAggregates {
		w := s.distributionWhere(f)
		if cells, err = s.distCells(ctx, "SELECT fiscal_year, ward, disaster_type, "+distCellColumns+" FROM distribution_stats"+w.sql(), w.args...); err != nil {
			return nil, err
		}
		// Items are totalled per item only, so the database adds the cells
		// up: ten rows instead of thousands (fiscal year × ward × type × item).
		table := "distribution_item_stats"
		if itemTotalsAnswer(f) {
			table = "distribution_item_totals"
		}
		items, err = s.itemCells(ctx, "SELECT 0, 0, '', item, CAST(SUM(quantity) AS BIGINT), CAST(SUM(distributions) AS BIGINT) FROM "+table+
			w.sql()+" GROUP BY item", w.args...)
	} else {
		w := s.distributionWhere(f)
		if cells, err = s.distCells(ctx, distCellsFromRecords()+w.sql()+" GROUP BY fiscal_year, ward, disaster_type", w.args...); err != nil {
			return nil, err
		}
		dw := &where{args: w.args}
		for _, p := range w.parts {
			dw.parts = append(dw.parts, qualify(p))
		}
		items, err = s.itemCells(ctx, itemCellsFromRecords+dw.sql()+" GROUP BY d.fiscal_year, d.ward, d.disaster_type, i.item", dw.args...)
	}
	if err != nil {
		return nil, err
	}
	return s.groupDistributionStats(ctx, st, cells, nil, items)
}

// qualify prefixes the distributions columns of a filter condition with "d."
// for the items join.
func qualify(cond string) string {
	for _, c := range []string{"fiscal_year", "ward", "disaster_type", "incident_id", "date_ad", "search_text"} {
		if strings.HasPrefix(cond, c+" ") {
			return "d." + cond
		}
		cond = strings.ReplaceAll(cond, "("+c+" ", "(d."+c+" ")
	}
	return cond
}

// groupDistributionStats adds cells up into the answer's totals and groups.
// With typeCells (not nil) the by-type sums come from those instead of
// cells: the group rows of a range (distribution_groups.go) are per ward
// and per type, not per ward × type.
func (s *Store) groupDistributionStats(ctx context.Context, st *DistributionStats, cells, typeCells []DistributionCell, items []itemCell) (*DistributionStats, error) {
	types, err := s.ListValues(ctx, ListDisasterType)
	if err != nil {
		return nil, err
	}
	reliefItems, err := s.ListValues(ctx, ListReliefItem)
	if err != nil {
		return nil, err
	}
	wards, byType, years := map[int]*DistributionWard{}, map[string]*DistributionType{}, map[int]*DistributionYear{}
	for i := range cells {
		c := &cells[i]
		if c.Distributions == 0 {
			continue
		}
		st.Totals.add(&c.DistributionFigures, 1)
		group(wards, c.Ward, func() *DistributionWard { return &DistributionWard{Ward: c.Ward} }).add(&c.DistributionFigures, 1)
		if typeCells == nil {
			group(byType, c.Type, func() *DistributionType { return &DistributionType{Type: c.Type} }).add(&c.DistributionFigures, 1)
		}
		group(years, c.FiscalYear, func() *DistributionYear { return &DistributionYear{FiscalYear: bs.FiscalYear{Start: c.FiscalYear}} }).
			add(&c.DistributionFigures, 1)
	}
	for i := range typeCells {
		c := &typeCells[i]
		if c.Distributions != 0 {
			group(byType, c.Type, func() *DistributionType { return &DistributionType{Type: c.Type} }).add(&c.DistributionFigures, 1)
		}
	}
	for _, w := range wards {
		st.ByWard = append(st.ByWard, *w)
	}
	slices.SortFunc(st.ByWard, func(a, b DistributionWard) int { return cmp.Compare(a.Ward, b.Ward) })
	pos := func(list []ListValue, key string) int {
		if i := slices.IndexFunc(list, func(v ListValue) bool { return v.Key == key }); i >= 0 {
			return i
		}
		return len(list)
	}
	for _, t := range byType {
		st.ByType = append(st.ByType, *t)
	}
	slices.SortFunc(st.ByType, func(a, b DistributionType) int {
		return cmp.Or(cmp.Compare(pos(types, a.Type), pos(types, b.Type)), cmp.Compare(a.Type, b.Type))
	})
	for _, y := range years {
		st.ByFiscalYear = append(st.ByFiscalYear, *y)
	}
	slices.SortFunc(st.ByFiscalYear, func(a, b DistributionYear) int { return cmp.Compare(b.FiscalYear.Start, a.FiscalYear.Start) })
	byItem := map[string]*ItemQuantity{}
	for _, c := range items {
		q := group(byItem, c.Item, func() *ItemQuantity { return &ItemQuantity{Item: c.Item} })
		q.Quantity += c.Quantity
		q.Distributions += c.Distributions
	}
	for _, q := range byItem {
		if q.Distributions > 0 {
			st.Items = append(st.Items, *q)
		}
	}
	slices.SortFunc(st.Items, func(a, b ItemQuantity) int {
		return cmp.Or(cmp.Compare(pos(reliefItems, a.Item), pos(reliefItems, b.Item)), cmp.Compare(a.Item, b.Item))
	})
	return st, nil
}

// VerifyDistributionStats recomputes the statistics rows from the
// distributions and lists the differences (empty when all agree).
func (s *Store) VerifyDistributionStats(ctx context.Context) ([]string, error) {
	kept, err := s.distCells(ctx, "SELECT fiscal_year, ward, disaster_type, "+distCellColumns+" FROM distribution_stats")
	if err != nil {
		return nil, err
	}
	want, err := s.distCells(ctx, distCellsFromRecords()+" GROUP BY fiscal_year, ward, disaster_type")
	if err != nil {
		return nil, err
	}
	var diffs []string
	keyed := map[string]DistributionFigures{}
	for _, c := range kept {
		keyed[fmt.Sprintf("%d/%d/%s", c.FiscalYear, c.Ward, c.Type)] = c.DistributionFigures
	}
	for _, c := range want {
		k := fmt.Sprintf("%d/%d/%s", c.FiscalYear, c.Ward, c.Type)
		if got, ok := keyed[k]; !ok || got != c.DistributionFigures {
			diffs = append(diffs, fmt.Sprintf("cell %s: kept %+v, recomputed %+v", k, got, c.DistributionFigures))
		}
		delete(keyed, k)
	}
	for k, c := range keyed {
		diffs = append(diffs, fmt.Sprintf("cell %s: kept %+v for no distributions", k, c))
	}
	keptItems, err := s.itemCells(ctx, "SELECT fiscal_year, ward, disaster_type, item, quantity, distributions FROM distribution_item_stats")
	if err != nil {
		return nil, err
	}
	wantItems, err := s.itemCells(ctx, itemCellsFromRecords+" GROUP BY d.fiscal_year, d.ward, d.disaster_type, i.item")
	if err != nil {
		return nil, err
	}
	ik := map[string]ItemQuantity{}
	for _, c := range keptItems {
		ik[fmt.Sprintf("%v/%s", c.key, c.Item)] = c.ItemQuantity
	}
	for _, c := range wantItems {
		k := fmt.Sprintf("%v/%s", c.key, c.Item)
		if got, ok := ik[k]; !ok || got != c.ItemQuantity {
			diffs = append(diffs, fmt.Sprintf("item %s: kept %+v, recomputed %+v", k, got, c.ItemQuantity))
		}
		delete(ik, k)
	}
	for k, c := range ik {
		diffs = append(diffs, fmt.Sprintf("item %s: kept %+v for no items", k, c))
	}
	var orphans int
	// One grouping of the distributions joined to the household rows, not a
	// count per household row: no index leads from a household key to its
	// distributions, so that read the table once per row (16 minutes on
	// PostgreSQL at a million).
	if err := s.queryRow(ctx, `SELECT COUNT(*) FROM distribution_households h LEFT JOIN
		(SELECT fiscal_year, ward, disaster_type, household_key, COUNT(*) AS n FROM distributions
			GROUP BY fiscal_year, ward, disaster_type, household_key) d
		ON d.fiscal_year = h.fiscal_year AND d.ward = h.ward AND d.disaster_type = h.disaster_type AND d.household_key = h.household_key
		WHERE COALESCE(d.n, 0) <> h.distributions`).Scan(&orphans); err != nil {
		return nil, fmt.Errorf("store: verify households: %w", err)
	}
	if orphans > 0 {
		diffs = append(diffs, fmt.Sprintf("%d household rows disagree with the distributions", orphans))
	}
	days, err := s.verifyDistributionDayStats(ctx)
	if err != nil {
		return nil, err
	}
	diffs = append(diffs, days...)
	slices.Sort(diffs)
	return diffs, nil
}
