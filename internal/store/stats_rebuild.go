package store

import (
	"context"
	"fmt"
	"strings"
)

// RebuildStatistics recomputes every maintained statistics row — per fiscal
// year, per day and per month, incidents and distributions, households and items —
// from the records, in one transaction. The writes keep them right; this is
// for rows written around the store (a bulk load for a benchmark, a repair
// by hand), after which VerifyIncidentStats and VerifyDistributionStats
// agree again.
func (s *Store) RebuildStatistics(ctx context.Context) error {
	cols := strings.Join(figureColumns, ", ")
	steps := []string{
		"DELETE FROM incident_stats",
		"INSERT INTO incident_stats (fiscal_year, ward, type, incidents, " + cols + ", estimated_loss) " +
			statsCellsFromIncidents() + " GROUP BY fiscal_year, ward, type",
		"DELETE FROM incident_ward_stats",
		"INSERT INTO incident_ward_stats (fiscal_year, ward, incidents, " + cols + ", estimated_loss) " + incidentSumsFromIncidents("ward"),
		"DELETE FROM incident_type_stats",
		"INSERT INTO incident_type_stats (fiscal_year, type, incidents, " + cols + ", estimated_loss) " + incidentSumsFromIncidents("type"),
		"DELETE FROM incident_day_ward_stats",
		"INSERT INTO incident_day_ward_stats (date_ad, ward, fiscal_year, incidents, " + cols + ", estimated_loss) " + incidentDaySumsFromIncidents("ward"),
		"DELETE FROM incident_day_type_stats",
		"INSERT INTO incident_day_type_stats (date_ad, type, fiscal_year, incidents, " + cols + ", estimated_loss) " + incidentDaySumsFromIncidents("type"),
		"DELETE FROM incident_day_stats",
		"INSERT INTO incident_day_stats (date_ad, fiscal_year, ward, type, incidents, " + cols + ", estimated_loss) " +
			incidentDayCellsFromIncidents(),
		"DELETE FROM distribution_stats",
		"INSERT INTO distribution_stats (fiscal_year, ward, disaster_type, " + distCellColumns + ") " +
			distCellsFromRecords() + " GROUP BY fiscal_year, ward, disaster_type",
		"DELETE FROM distribution_households",
		`INSERT INTO distribution_households (fiscal_year, ward, disaster_type, household_key, distributions)
			SELECT fiscal_year, ward, disaster_type, household_key, COUNT(*) FROM distributions
			GROUP BY fiscal_year, ward, disaster_type, household_key`,
		"DELETE FROM distribution_item_stats",
		"INSERT INTO distribution_item_stats (fiscal_year, ward, disaster_type, item, quantity, distributions) " +
			itemCellsFromRecords + " GROUP BY d.fiscal_year, d.ward, d.disaster_type, i.item",
		"DELETE FROM distribution_day_stats",
		`INSERT INTO distribution_day_stats (date_ad, fiscal_year, ward, disaster_type, distributions, members, male, female,
			children, pregnant, infant_mothers, deaths, cash) ` + distDayCellsFromRecords,
		"DELETE FROM distribution_day_item_stats",
		"INSERT INTO distribution_day_item_stats (date_ad, fiscal_year, ward, disaster_type, item, quantity, distributions) " +
			distDayItemsFromRecords,
		"DELETE FROM distribution_item_totals",
		"INSERT INTO distribution_item_totals (fiscal_year, item, quantity, distributions) " + itemTotalsFromRecords,
		"DELETE FROM distribution_day_item_totals",
		"INSERT INTO distribution_day_item_totals (date_ad, item, fiscal_year, quantity, distributions) " + dayItemTotalsFromRecords,
	}
	return s.WithTx(ctx, func(tx *Tx) error {
		for _, q := range steps {
			if _, err := tx.exec(ctx, q); err != nil {
				return fmt.Errorf("store: rebuild statistics: %w", err)
			}
		}
		if err := tx.recountDayHouseholds(ctx); err != nil {
			return err
		}
		if err := tx.rebuildDistributionGroups(ctx); err != nil {
			return err
		}
		if err := tx.rebuildMonthStats(ctx); err != nil {
			return fmt.Errorf("store: rebuild statistics: %w", err)
		}
		return nil
	})
}
