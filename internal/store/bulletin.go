package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"leoc/internal/bs"
	"leoc/internal/leoc"
)

// The daily bulletin's own state: the sit-rep numbers (one per reported
// day, a sequence per fiscal year), the audit entry of every bulletin
// produced, and the queries the bulletin reads that no register page needs.

// BulletinRequest is one bulletin someone produced: a BS day or range and
// the format it was produced in ("html", "pdf").
type BulletinRequest struct {
	From, To     bs.Date
	FromAD, ToAD time.Time
	Format       string
}

// OneDay reports whether the request is a day's bulletin, the only kind
// that has a sit-rep number.
func (r BulletinRequest) OneDay() bool { return r.From == r.To }

// dayLockedRegisters are the registers whose records are dated: once a
// day's bulletin has gone upwards, that day's records lock at once.
var dayLockedRegisters = []Register{IncidentRegister, EventLogRegister, DistributionRegister, FundRegister, SitrepRegister}

// ProduceBulletin records that actor produced a bulletin and returns its
// sit-rep number: for a day, the number it already has, or else the next
// number of its fiscal year; for a range, 0. Issuing a number and the audit
// entry commit together.
func (s *Store) ProduceBulletin(ctx context.Context, actor Actor, req BulletinRequest) (int, error) {
	number := 0
	err := s.WithTx(ctx, func(tx *Tx) error {
		if req.OneDay() {
			n, err := tx.sitrepNumber(ctx, actor, req.From, req.FromAD)
			if err != nil {
				return err
			}
			number = n
		}
		details := map[string]any{"from": req.From.String(), "to": req.To.String(), "format": req.Format}
		if number > 0 {
			details["sitrep"] = number
		}
		id := req.From.String()
		if !req.OneDay() {
			id += "/" + req.To.String()
		}
		return tx.Audit(ctx, actor, "bulletin.generate", "bulletin", id, details)
	})
	if err != nil {
		return 0, fmt.Errorf("store: produce bulletin: %w", err)
	}
	return number, nil
}

// sitrepNumber finds or issues the number of a day. Issuers are serialised
// (SQLite has one writer; on PostgreSQL the table is locked against other
// issuers, not readers), so two requests for new days can never compute the
// same next number, and one that lost the race for the same day finds the
// winner's number instead of taking another.
func (t *Tx) sitrepNumber(ctx context.Context, actor Actor, day bs.Date, dayAD time.Time) (int, error) {
	find := func() (int, error) {
		var n int
		err := t.queryRow(ctx, "SELECT number FROM sitrep_numbers WHERE day_ad = ?", dateText(dayAD)).Scan(&n)
		if errors.Is(err, sql.ErrNoRows) {
			return 0, nil
		}
		if err != nil {
			return 0, fmt.Errorf("store: sit-rep number: %w", err)
		}
		return n, nil
	}
	if n, err := find(); n > 0 || err != nil {
		return n, err
	}
	if t.s.dialect == Postgres {
		if _, err := t.exec(ctx, "LOCK TABLE sitrep_numbers IN EXCLUSIVE MODE"); err != nil {
			return 0, fmt.Errorf("store: lock sit-rep numbers: %w", err)
		}
		if n, err := find(); n > 0 || err != nil {
			return n, err
		}
	}
	fy := bs.FiscalYearOf(day).Start
	var n int
	err := t.queryRow(ctx, `INSERT INTO sitrep_numbers (fiscal_year, number, day_bs, day_ad, issued_at, issued_by)
		SELECT ?, COALESCE(MAX(number), 0) + 1, ?, ?, ?, ? FROM sitrep_numbers WHERE fiscal_year = ? RETURNING number`,
		fy, day.String(), dateText(dayAD), t.s.Now(), actor.Username, fy).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("store: issue sit-rep number: %w", translate(err))
	}
	locked, err := t.lockDay(ctx, dayAD)
	if err != nil {
		return 0, err
	}
	return n, t.Audit(ctx, actor, "bulletin.sitrep_number", "bulletin", day.String(),
		map[string]any{"fiscal_year": fy, "sitrep": n, "records_locked": locked})
}

// lockDay locks every record dated dayAD: what the bulletin reported must
// not change quietly afterwards. A correction still goes through the unlock
// key like any locked record's.
func (t *Tx) lockDay(ctx context.Context, dayAD time.Time) (map[string]int64, error) {
	locked := map[string]int64{}
	for _, r := range dayLockedRegisters {
		res, err := t.exec(ctx, "UPDATE "+r.Table+" SET locked = TRUE WHERE date_ad = ? AND locked = FALSE", dateText(dayAD))
		if err != nil {
			return nil, fmt.Errorf("store: lock %s of the reported day: %w", r.Name, err)
		}
		if n, _ := res.RowsAffected(); n > 0 {
			locked[r.Name] = n
		}
	}
	return locked, nil
}

// SitrepNumber is a day's number, 0 when its bulletin was never produced.
func (s *Store) SitrepNumber(ctx context.Context, dayAD time.Time) (int, error) {
	var n int
	err := s.queryRow(ctx, "SELECT number FROM sitrep_numbers WHERE day_ad = ?", dateText(dayAD)).Scan(&n)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("store: sit-rep number: %w", err)
	}
	return n, nil
}

// SitrepNumbers lists the numbers of a fiscal year in order (for checks
// that the sequence has neither gaps nor duplicates).
func (s *Store) SitrepNumbers(ctx context.Context, fiscalYear int) ([]int, error) {
	rows, err := s.query(ctx, "SELECT number FROM sitrep_numbers WHERE fiscal_year = ? ORDER BY number", fiscalYear)
	if err != nil {
		return nil, fmt.Errorf("store: sit-rep numbers: %w", err)
	}
	defer rows.Close()
	var out []int
	for rows.Next() {
		var n int
		if err := rows.Scan(&n); err != nil {
			return nil, fmt.Errorf("store: sit-rep numbers: %w", err)
		}
		out = append(out, n)
	}
	return out, rows.Err()
}

// LatestSituationReportBy is the newest report dated on or before toAD, the
// one whose weather a bulletin ending that day prints; nil when none.
func (s *Store) LatestSituationReportBy(ctx context.Context, toAD time.Time) (*leoc.SituationReport, error) {
	rep, err := sitreps.Scan(s, s.queryRow(ctx, "SELECT "+sitreps.Read+
		" FROM situation_reports WHERE date_ad <= ? ORDER BY date_ad DESC, time_of_day DESC, id DESC LIMIT 1", dateText(toAD)))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("store: latest situation report: %w", err)
	}
	return rep, nil
}

// AdvisoriesDuring lists the active advisories valid at some moment of
// [start, end), highest priority first, then the newest.
func (s *Store) AdvisoriesDuring(ctx context.Context, start, end time.Time) ([]*leoc.Advisory, error) {
	start, end = start.UTC().Truncate(time.Second), end.UTC().Truncate(time.Second)
	return s.advisoryRows(ctx, "SELECT "+advisoryColumns+" FROM advisories WHERE active = ? AND valid_from < ? AND (valid_until IS NULL OR valid_until > ?)"+
		" ORDER BY "+priorityRank+" DESC, valid_from DESC, id DESC LIMIT ?", true, end, start, MaxPublicAdvisories)
}
