package store

import (
	"cmp"
	"context"
	"strings"
)

// Incidents per ward and per type (migration 0025): the sums per fiscal
// year, day and month × ward and × type beside the ward × type cells. An
// answer filtered by neither ward nor type shows only the sums by ward, by
// type and by year; the ward rows give the by-ward and by-year sums and the
// totals, the type rows the by-type sums, from about a third of the rows.
// Every write moves them in its transaction (adjustIncidentStats,
// adjustIncidentDayStats); VerifyIncidentStats and RebuildStatistics cover
// them.

// The fiscal-year rows per ward and per type: some 70 rows for the whole
// register instead of some 300 fiscal year × ward × type cells.
var (
	wardStatsUpsert = incidentSumsUpsert("incident_ward_stats", "fiscal_year", "ward")
	typeStatsUpsert = incidentSumsUpsert("incident_type_stats", "fiscal_year", "type")
)

// adjustIncidentTotals moves the deltas (sorted cells) in the ward and type
// rows, each in key order.
func (t *Tx) adjustIncidentTotals(ctx context.Context, deltas []IncidentCell) error {
	type wardKey struct{ fy, ward int }
	type typeKey struct {
		fy  int
		typ string
	}
	wards, types := map[wardKey]*IncidentFigures{}, map[typeKey]*IncidentFigures{}
	for _, d := range deltas {
		group(wards, wardKey{d.FiscalYear, d.Ward}, func() *IncidentFigures { return &IncidentFigures{} }).add(&d.IncidentFigures, 1)
		group(types, typeKey{d.FiscalYear, d.Type}, func() *IncidentFigures { return &IncidentFigures{} }).add(&d.IncidentFigures, 1)
	}
	for _, k := range sortedKeys(wards, func(a, b wardKey) int { return cmp.Or(cmp.Compare(a.fy, b.fy), cmp.Compare(a.ward, b.ward)) }) {
		if err := t.moveIncidentFigures(ctx, wardStatsUpsert, "DELETE FROM incident_ward_stats WHERE fiscal_year = ? AND ward = ? AND incidents = 0",
			[]any{k.fy, k.ward}, []any{k.fy, k.ward}, wards[k]); err != nil {
			return err
		}
	}
	for _, k := range sortedKeys(types, func(a, b typeKey) int { return cmp.Or(cmp.Compare(a.fy, b.fy), cmp.Compare(a.typ, b.typ)) }) {
		if err := t.moveIncidentFigures(ctx, typeStatsUpsert, "DELETE FROM incident_type_stats WHERE fiscal_year = ? AND type = ? AND incidents = 0",
			[]any{k.fy, k.typ}, []any{k.fy, k.typ}, types[k]); err != nil {
			return err
		}
	}
	return nil
}

// The day and month rows per ward and per type (migration 0025), for a
// range filtered by neither ward nor type.
var (
	incidentDayWardUpsert   = incidentSumsUpsertOn("incident_day_ward_stats", "date_ad, ward", "date_ad", "ward", "fiscal_year")
	incidentDayTypeUpsert   = incidentSumsUpsertOn("incident_day_type_stats", "date_ad, type", "date_ad", "type", "fiscal_year")
	incidentMonthWardUpsert = incidentSumsUpsert("incident_month_ward_stats", "month_ad", "fiscal_year", "ward")
	incidentMonthTypeUpsert = incidentSumsUpsert("incident_month_type_stats", "month_ad", "fiscal_year", "type")
)

// adjustIncidentDayTotals moves the day deltas in the day and month rows
// per ward and per type, each table in key order.
func (t *Tx) adjustIncidentDayTotals(ctx context.Context, days map[dayKey]*incidentDayDelta) error {
	wardDays, typeDays := map[dayKey]*incidentDayDelta{}, map[dayKey]*incidentDayDelta{}
	wardMonths, typeMonths := map[monthKey]*IncidentFigures{}, map[monthKey]*IncidentFigures{}
	for k, d := range days {
		for _, p := range []struct {
			day    dayKey
			days   map[dayKey]*incidentDayDelta
			months map[monthKey]*IncidentFigures
		}{{dayKey{k.Date, k.Ward, ""}, wardDays, wardMonths}, {dayKey{k.Date, 0, k.Type}, typeDays, typeMonths}} {
			group(p.days, p.day, func() *incidentDayDelta { return &incidentDayDelta{fiscalYear: d.fiscalYear} }).add(&d.IncidentFigures, 1)
			group(p.months, p.day.month(d.fiscalYear), func() *IncidentFigures { return &IncidentFigures{} }).add(&d.IncidentFigures, 1)
		}
	}
	for _, k := range sortedKeys(wardDays, dayKey.compare) {
		if err := t.moveIncidentFigures(ctx, incidentDayWardUpsert, "DELETE FROM incident_day_ward_stats WHERE date_ad = ? AND ward = ? AND incidents = 0",
			[]any{k.Date, k.Ward, wardDays[k].fiscalYear}, []any{k.Date, k.Ward}, &wardDays[k].IncidentFigures); err != nil {
			return err
		}
	}
	for _, k := range sortedKeys(typeDays, dayKey.compare) {
		if err := t.moveIncidentFigures(ctx, incidentDayTypeUpsert, "DELETE FROM incident_day_type_stats WHERE date_ad = ? AND type = ? AND incidents = 0",
			[]any{k.Date, k.Type, typeDays[k].fiscalYear}, []any{k.Date, k.Type}, &typeDays[k].IncidentFigures); err != nil {
			return err
		}
	}
	for _, k := range sortedKeys(wardMonths, monthKey.compare) {
		if err := t.moveIncidentFigures(ctx, incidentMonthWardUpsert,
			"DELETE FROM incident_month_ward_stats WHERE month_ad = ? AND fiscal_year = ? AND ward = ? AND incidents = 0",
			[]any{k.Month, k.FiscalYear, k.Ward}, []any{k.Month, k.FiscalYear, k.Ward}, wardMonths[k]); err != nil {
			return err
		}
	}
	for _, k := range sortedKeys(typeMonths, monthKey.compare) {
		if err := t.moveIncidentFigures(ctx, incidentMonthTypeUpsert,
			"DELETE FROM incident_month_type_stats WHERE month_ad = ? AND fiscal_year = ? AND type = ? AND incidents = 0",
			[]any{k.Month, k.FiscalYear, k.Type}, []any{k.Month, k.FiscalYear, k.Type}, typeMonths[k]); err != nil {
			return err
		}
	}
	return nil
}

// incidentTotals answers a filter by fiscal year only from the ward and
// type rows: the ward rows give the by-ward and by-year sums and the
// totals, the type rows the by-type sums.
func (s *Store) incidentTotals(ctx context.Context, w *where) (*IncidentStats, error) {
	sums := "incidents, " + strings.Join(figureColumns, ", ") + ", estimated_loss"
	cells, err := s.statsCells(ctx, "SELECT fiscal_year, ward, '', "+sums+" FROM incident_ward_stats"+w.sql(), w.args...)
	if err != nil {
		return nil, err
	}
	byType, err := s.statsCells(ctx, "SELECT fiscal_year, 0, type, "+sums+" FROM incident_type_stats"+w.sql(), w.args...)
	if err != nil {
		return nil, err
	}
	return s.groupIncidentStats(ctx, &IncidentStats{FromAggregates: true}, cells, byType)
}

// incidentSumsFromIncidents is what incident_ward_stats (key "ward") or
// incident_type_stats (key "type") must hold.
func incidentSumsFromIncidents(key string) string {
	return strings.Replace(statsCellsFromIncidents(), "SELECT fiscal_year, ward, type,", "SELECT fiscal_year, "+key+",", 1) +
		" GROUP BY fiscal_year, " + key
}

// incidentDaySumsFromIncidents is what incident_day_ward_stats (key
// "ward") or incident_day_type_stats (key "type") must hold.
func incidentDaySumsFromIncidents(key string) string {
	return strings.Replace(statsCellsFromIncidents(), "SELECT fiscal_year, ward, type,", "SELECT date_ad, "+key+", MIN(fiscal_year),", 1) +
		" GROUP BY date_ad, " + key
}
