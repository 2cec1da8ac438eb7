package store

import (
	"context"
	"slices"
	"strings"
)

// The month rows (migrations 0024, 0025, 0028) are the day rows summed per AD month ×
// fiscal year; every write moves both (day_stats.go). monthTables says,
// for each, what a month row is made of, so the verification and the
// rebuild recompute them from the day rows the same way.
type monthTable struct {
	day, month string
	keys       []string // after month_ad and fiscal_year
	sums       []string
}

var monthTables = []monthTable{
	{"incident_day_stats", "incident_month_stats", []string{"ward", "type"},
		slices.Concat([]string{"incidents"}, figureColumns, []string{"estimated_loss"})},
	{"distribution_day_stats", "distribution_month_stats", []string{"ward", "disaster_type"},
		[]string{"distributions", "members", "male", "female", "children", "pregnant", "infant_mothers", "deaths", "cash"}},
	{"distribution_day_item_stats", "distribution_month_item_stats", []string{"ward", "disaster_type", "item"},
		[]string{"quantity", "distributions"}},
	{"distribution_day_household_counts", "distribution_month_household_counts", []string{"ward", "disaster_type", "prev_date"},
		[]string{"households"}},
	{"distribution_day_item_totals", "distribution_month_item_totals", []string{"item"}, []string{"quantity", "distributions"}},
	{"incident_day_ward_stats", "incident_month_ward_stats", []string{"ward"},
		slices.Concat([]string{"incidents"}, figureColumns, []string{"estimated_loss"})},
	{"incident_day_type_stats", "incident_month_type_stats", []string{"type"},
		slices.Concat([]string{"incidents"}, figureColumns, []string{"estimated_loss"})},
	{"distribution_day_group_stats", "distribution_month_group_stats", []string{"ward", "disaster_type"},
		[]string{"distributions", "members", "male", "female", "children", "pregnant", "infant_mothers", "deaths", "cash"}},
	{"distribution_day_group_households", "distribution_month_group_households", []string{"ward", "disaster_type", "prev_date"},
		[]string{"households"}},
}

// monthTablesOf are the month tables whose names start with prefix.
func monthTablesOf(prefix string) []monthTable {
	var out []monthTable
	for _, m := range monthTables {
		if strings.HasPrefix(m.month, prefix) {
			out = append(out, m)
		}
	}
	return out
}

func (m monthTable) columns() string {
	return "month_ad, fiscal_year, " + strings.Join(m.keys, ", ") + ", " + strings.Join(m.sums, ", ")
}

// kept reads the month rows.
func (m monthTable) kept() string { return "SELECT " + m.columns() + " FROM " + m.month }

// fromDays sums the day rows into what the month rows must hold.
func (m monthTable) fromDays() string {
	sums := make([]string, len(m.sums))
	for i, c := range m.sums {
		sums[i] = "CAST(SUM(" + c + ") AS BIGINT)"
	}
	group := "SUBSTR(date_ad, 1, 7), fiscal_year, " + strings.Join(m.keys, ", ")
	return "SELECT " + group + ", " + strings.Join(sums, ", ") + " FROM " + m.day + " GROUP BY " + group
}

// verifyMonthStats compares every month row with the sum of its day rows
// (which the verifications compare with the records).
func (s *Store) verifyMonthStats(ctx context.Context, tables []monthTable) ([]string, error) {
	var diffs []string
	for _, m := range tables {
		kept, err := s.textRows(ctx, 2+len(m.keys), m.kept())
		if err != nil {
			return nil, err
		}
		want, err := s.textRows(ctx, 2+len(m.keys), m.fromDays())
		if err != nil {
			return nil, err
		}
		for _, d := range diffRows(kept, want) {
			diffs = append(diffs, m.month+" "+d)
		}
	}
	return diffs, nil
}

// rebuildMonthStats recomputes the month rows from the day rows.
func (t *Tx) rebuildMonthStats(ctx context.Context) error {
	for _, m := range monthTables {
		if _, err := t.exec(ctx, "DELETE FROM "+m.month); err != nil {
			return err
		}
		if _, err := t.exec(ctx, "INSERT INTO "+m.month+" ("+m.columns()+") "+m.fromDays()); err != nil {
			return err
		}
	}
	return nil
}
