package store

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"leoc/internal/leoc"
)

// SitrepFigures computes the figures of one day from the registers: the
// incidents of the day by type and ward, the relief distributed that day,
// and the fund balance now. A situation report freezes them when saved.
func (s *Store) SitrepFigures(ctx context.Context, dayAD time.Time) (*leoc.SitrepFigures, error) {
	day := dateText(dayAD)
	st, err := s.IncidentStats(ctx, RecordFilter{From: day, To: day})
	if err != nil {
		return nil, err
	}
	dist, err := s.DistributionStats(ctx, DistributionFilter{RecordFilter: RecordFilter{From: day, To: day}})
	if err != nil {
		return nil, err
	}
	balance, err := s.FundBalance(ctx)
	if err != nil {
		return nil, err
	}
	types, err := s.ListValues(ctx, ListDisasterType)
	if err != nil {
		return nil, err
	}
	wards, err := s.Wards(ctx)
	if err != nil {
		return nil, err
	}
	f := &leoc.SitrepFigures{Computed: s.Now(), Incidents: figureRow("total", &st.Totals),
		Distributions: dist.Totals.Distributions, Households: dist.Totals.Households, Cash: dist.Totals.Cash, FundBalance: balance}
	for _, t := range st.ByType {
		if t.Incidents == 0 {
			continue
		}
		row := figureRow(t.Type, &t.IncidentFigures)
		row.LabelNe, row.LabelEn = t.Type, t.Type
		for _, v := range types {
			if v.Key == t.Type {
				row.LabelNe, row.LabelEn = v.LabelNe, v.LabelEn
			}
		}
		f.ByType = append(f.ByType, row)
	}
	for _, w := range st.ByWard {
		if w.Incidents == 0 {
			continue
		}
		row := figureRow(strconv.Itoa(w.Ward), &w.IncidentFigures)
		row.LabelNe, row.LabelEn = row.Key, row.Key
		for _, v := range wards {
			if v.Number == w.Ward {
				row.LabelNe, row.LabelEn = v.NameNe, v.NameEn
			}
		}
		f.ByWard = append(f.ByWard, row)
	}
	return f, nil
}

func figureRow(key string, a *IncidentFigures) leoc.FigureRow {
	return leoc.FigureRow{Key: key, Incidents: a.Incidents, Deaths: a.Counts[leoc.Deaths], Missing: a.Counts[leoc.Missing],
		Injured: a.Counts[leoc.Injured], HousesDamaged: a.Counts[leoc.HousesDamaged], HousesDestroyed: a.Counts[leoc.HousesDestroyed],
		EstimatedLoss: a.EstimatedLoss}
}

// freezeFigures computes the figures of a report's day and sets them on it.
func (s *Store) freezeFigures(ctx context.Context, rep *leoc.SituationReport) error {
	f, err := s.SitrepFigures(ctx, rep.DateAD)
	if err != nil {
		return fmt.Errorf("store: situation report figures: %w", err)
	}
	rep.Figures = f
	return nil
}
