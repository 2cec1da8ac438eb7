package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"time"

	"leoc/internal/leoc"
)

// SitrepRegister plugs the situation reports into locking and settings.
var SitrepRegister = Register{Name: "situation-reports", Table: "situation_reports"}

const sitrepColumns = `id, date_bs, date_ad, fiscal_year, time_of_day, summary, weather, detailed_report, resources_deployed,
	next_update_bs, next_update_time, figures, ` + recordColumns

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
	figures, err := s.freezeFigures(ctx, rep)
	if err != nil {
		return err
	}
	return s.WithTx(ctx, func(tx *Tx) error { return tx.CreateSituationReport(ctx, actor, rep, figures) })
}

// CreateSituationReport adds a report inside a larger transaction with the
// figures given (the legacy import gives "", as for reports saved before
// figures were frozen).
func (t *Tx) CreateSituationReport(ctx context.Context, actor Actor, rep *leoc.SituationReport, figures string) error {
	s, tx := t.s, t
	s.stamp(&rep.Record, actor)
	err := tx.queryRow(ctx, `INSERT INTO situation_reports (date_bs, date_ad, fiscal_year, time_of_day, summary, weather,
		detailed_report, resources_deployed, next_update_bs, next_update_time, figures, locked, version, created_at, created_by,
		updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		rep.DateBS.String(), dateText(rep.DateAD), rep.FiscalYear.Start, rep.Time, rep.Summary, rep.Weather,
		rep.DetailedReport, rep.ResourcesDeployed, nextUpdateText(rep.NextUpdate), rep.NextUpdate.Time, figures,
		rep.Locked, rep.Version, rep.CreatedAt, rep.CreatedBy, rep.UpdatedAt, rep.UpdatedBy).Scan(&rep.ID)
	if err != nil {
		return fmt.Errorf("store: create situation report: %w", err)
	}
	s.settle(&rep.Record)
	return tx.Audit(ctx, actor, "record.create", SitrepRegister.Name, strconv.FormatInt(rep.ID, 10), map[string]any{"after": rep.Fields()})
}

// SituationReport loads one report.
func (s *Store) SituationReport(ctx context.Context, id int64) (*leoc.SituationReport, error) {
	rep, err := s.scanSitrep(s.queryRow(ctx, "SELECT "+sitrepColumns+" FROM situation_reports WHERE id = ?", id))
	if err != nil {
		return nil, notFound(err, "record.not_found")
	}
	return rep, nil
}

// LatestSituationReport is the newest report by date and time of day, the
// one whose weather the daily bulletin prints; nil when there is none yet.
func (s *Store) LatestSituationReport(ctx context.Context) (*leoc.SituationReport, error) {
	rep, err := s.scanSitrep(s.queryRow(ctx, "SELECT "+sitrepColumns+" FROM situation_reports ORDER BY date_ad DESC, time_of_day DESC, id DESC LIMIT 1"))
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
	figures, err := s.freezeFigures(ctx, rep)
	if err != nil {
		return err
	}
	return s.WithTx(ctx, func(tx *Tx) error {
		if err := tx.CheckWritable(ctx, SitrepRegister, rep.ID, u); err != nil {
			return err
		}
		old, err := s.scanSitrep(tx.queryRow(ctx, "SELECT "+sitrepColumns+" FROM situation_reports WHERE id = ?", rep.ID))
		if err != nil {
			return notFound(err, "record.not_found")
		}
		err = tx.updateVersioned(ctx, "situation_reports", rep.ID, rep.Version, actor,
			`date_bs = ?, date_ad = ?, fiscal_year = ?, time_of_day = ?, summary = ?, weather = ?, detailed_report = ?,
			resources_deployed = ?, next_update_bs = ?, next_update_time = ?, figures = ?`,
			rep.DateBS.String(), dateText(rep.DateAD), rep.FiscalYear.Start, rep.Time, rep.Summary, rep.Weather,
			rep.DetailedReport, rep.ResourcesDeployed, nextUpdateText(rep.NextUpdate), rep.NextUpdate.Time, figures)
		if err != nil {
			return err
		}
		saved, err := s.scanSitrep(tx.queryRow(ctx, "SELECT "+sitrepColumns+" FROM situation_reports WHERE id = ?", rep.ID))
		if err != nil {
			return fmt.Errorf("store: reload situation report: %w", err)
		}
		*rep = *saved
		return tx.Audit(ctx, actor, "record.update", SitrepRegister.Name, strconv.FormatInt(rep.ID, 10),
			map[string]any{"changes": Changes(old.Fields(), rep.Fields())})
	})
}

// DeleteSituationReport removes an unlocked report; its content stays in
// the audit trail.
func (s *Store) DeleteSituationReport(ctx context.Context, actor Actor, u *leoc.User, id int64) error {
	return s.WithTx(ctx, func(tx *Tx) error {
		if err := tx.CheckWritable(ctx, SitrepRegister, id, u); err != nil {
			return err
		}
		old, err := s.scanSitrep(tx.queryRow(ctx, "SELECT "+sitrepColumns+" FROM situation_reports WHERE id = ?", id))
		if err != nil {
			return notFound(err, "record.not_found")
		}
		if _, err := tx.exec(ctx, "DELETE FROM situation_reports WHERE id = ?", id); err != nil {
			return fmt.Errorf("store: delete situation report: %w", err)
		}
		return tx.Audit(ctx, actor, "record.delete", SitrepRegister.Name, strconv.FormatInt(id, 10), map[string]any{"before": old.Fields()})
	})
}

var sitrepSort = map[string]string{"date": "date_ad"}

// SituationReports lists one page of reports and the total. Reports have
// no ward and no type, so those filters do not apply.
func (s *Store) SituationReports(ctx context.Context, f RecordFilter) ([]*leoc.SituationReport, int, error) {
	f.Types = nil
	var w where
	s.common(&w, f, "", "summary", "weather", "detailed_report", "resources_deployed")
	var total int
	if err := s.queryRow(ctx, "SELECT COUNT(*) FROM situation_reports"+w.sql(), w.args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("store: count situation reports: %w", err)
	}
	limit, offset := pageBounds(f.Page, f.PerPage)
	rows, err := s.query(ctx, "SELECT "+sitrepColumns+" FROM situation_reports"+w.sql()+
		orderBy(f, sitrepSort, "date_ad DESC, time_of_day DESC, id DESC")+" LIMIT ? OFFSET ?", append(w.args, limit, offset)...)
	if err != nil {
		return nil, 0, fmt.Errorf("store: list situation reports: %w", err)
	}
	defer rows.Close()
	var out []*leoc.SituationReport
	for rows.Next() {
		rep, err := s.scanSitrep(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, rep)
	}
	return out, total, rows.Err()
}
