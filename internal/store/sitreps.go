package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"leoc/internal/leoc"
)

// SitrepRegister plugs the situation reports into locking and settings.
var SitrepRegister = sitreps.Register

// sitreps declares how situation reports are kept.
var sitreps = Table[*leoc.SituationReport]{
	Register: Register{Name: "situation-reports", Table: "situation_reports"},
	Read: `id, date_bs, date_ad, fiscal_year, time_of_day, summary, weather, detailed_report, resources_deployed,
	next_update_bs, next_update_time, figures, ` + recordColumns,
	Write: []string{"date_bs", "date_ad", "fiscal_year", "time_of_day", "summary", "weather", "detailed_report",
		"resources_deployed", "next_update_bs", "next_update_time", "figures"},
	Scan: (*Store).scanSitrep,
	Args: func(rep *leoc.SituationReport) []any {
		return []any{rep.DateBS.String(), dateText(rep.DateAD), rep.FiscalYear.Start, rep.Time, rep.Summary, rep.Weather,
			rep.DetailedReport, rep.ResourcesDeployed, nextUpdateText(rep.NextUpdate), rep.NextUpdate.Time, figuresText(rep.Figures)}
	},
}

func (s *Store) scanSitrep(r rowScanner) (*leoc.SituationReport, error) {
	var rep leoc.SituationReport
	var dateBS, dateAD, nextBS, figures string
	dest := append([]any{&rep.ID, &dateBS, &dateAD, &rep.FiscalYear.Start, &rep.Time, &rep.Summary, &rep.Weather,
		&rep.DetailedReport, &rep.ResourcesDeployed, &nextBS, &rep.NextUpdate.Time, &figures}, recordDest(&rep.Record)...)
	if err := r.Scan(dest...); err != nil {
		return nil, err
	}
	var err error
	if rep.Figures, err = readFigures(figures); err != nil {
		return nil, fmt.Errorf("store: situation report %d has bad figures: %w", rep.ID, err)
	}
	if rep.DateBS, err = storedDate(dateBS); err != nil {
		return nil, fmt.Errorf("store: situation report %d has a bad date %q: %w", rep.ID, dateBS, err)
	}
	if rep.DateAD, err = time.Parse(time.DateOnly, dateAD); err != nil {
		return nil, fmt.Errorf("store: situation report %d has a bad AD date %q: %w", rep.ID, dateAD, err)
	}
	if nextBS != "" {
		if rep.NextUpdate.DateBS, err = storedDate(nextBS); err != nil {
			return nil, fmt.Errorf("store: situation report %d has a bad next update %q: %w", rep.ID, nextBS, err)
		}
	}
	s.settle(&rep.Record)
	return &rep, nil
}

func nextUpdateText(n leoc.NextUpdate) string {
	if n.IsZero() {
		return ""
	}
	return n.DateBS.String()
}

// CreateSituationReport adds a report, locked, with the figures of its day
// frozen into it, and audits it.
func (s *Store) CreateSituationReport(ctx context.Context, actor Actor, rep *leoc.SituationReport) error {
	if err := s.freezeFigures(ctx, rep); err != nil {
		return err
	}
	return s.WithTx(ctx, func(tx *Tx) error { return tx.CreateSituationReport(ctx, actor, rep) })
}

// CreateSituationReport adds a report inside a larger transaction with the
// figures it holds (the legacy import gives none, as for reports saved
// before figures were frozen).
func (t *Tx) CreateSituationReport(ctx context.Context, actor Actor, rep *leoc.SituationReport) error {
	return sitreps.insert(ctx, t, actor, rep)
}

// SituationReport loads one report.
func (s *Store) SituationReport(ctx context.Context, id int64) (*leoc.SituationReport, error) {
	return sitreps.Get(ctx, s, id)
}

// LatestSituationReport is the newest report by date and time of day, the
// one whose weather the daily bulletin prints; nil when there is none yet.
func (s *Store) LatestSituationReport(ctx context.Context) (*leoc.SituationReport, error) {
	rep, err := s.scanSitrep(s.queryRow(ctx, "SELECT "+sitreps.Read+" FROM situation_reports ORDER BY date_ad DESC, time_of_day DESC, id DESC LIMIT 1"))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("store: latest situation report: %w", err)
	}
	return rep, nil
}

// UpdateSituationReport saves an unlocked report if nobody saved it since
// the client loaded version rep.Version; the save locks it again and
// freezes the figures of its (possibly corrected) day anew.
func (s *Store) UpdateSituationReport(ctx context.Context, actor Actor, u *leoc.User, rep *leoc.SituationReport) error {
	if err := s.freezeFigures(ctx, rep); err != nil {
		return err
	}
	return sitreps.Update(ctx, s, actor, u, rep)
}

// DeleteSituationReport removes an unlocked report; its content stays in
// the audit trail.
func (s *Store) DeleteSituationReport(ctx context.Context, actor Actor, u *leoc.User, id int64) error {
	return sitreps.Delete(ctx, s, actor, u, id)
}

var sitrepSort = map[string]string{"date": "date_ad"}

// SituationReports lists one page of reports and the total. Reports have
// no ward and no type, so those filters do not apply.
func (s *Store) SituationReports(ctx context.Context, f RecordFilter) ([]*leoc.SituationReport, int, error) {
	f.Types = nil
	var w where
	s.common(&w, f, "", "summary", "weather", "detailed_report", "resources_deployed")
	return sitreps.List(ctx, s, w, f, sitrepSort, "date_ad DESC, time_of_day DESC, id DESC")
}
