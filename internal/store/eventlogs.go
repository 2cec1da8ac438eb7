package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"leoc/internal/leoc"
)

// EventLogRegister plugs the operations log into locking and settings.
var EventLogRegister = Register{Name: "event-logs", Table: "event_logs", WardColumn: "ward"}

const eventLogColumns = `id, date_bs, date_ad, fiscal_year, time_of_day, type, description, location, responsible_unit, status,
	incident_id, ward, ` + recordColumns

func (s *Store) scanEventLog(r rowScanner) (*leoc.EventLog, error) {
	var e leoc.EventLog
	var dateBS, dateAD string
	var incident, ward sql.NullInt64
	dest := append([]any{&e.ID, &dateBS, &dateAD, &e.FiscalYear.Start, &e.Time, &e.Type, &e.Description, &e.Location,
		&e.ResponsibleUnit, &e.Status, &incident, &ward}, recordDest(&e.Record)...)
	if err := r.Scan(dest...); err != nil {
		return nil, err
	}
	var err error
	if e.DateBS, err = storedDate(dateBS); err != nil {
		return nil, fmt.Errorf("store: event log %d has a bad date %q: %w", e.ID, dateBS, err)
	}
	if e.DateAD, err = time.Parse(time.DateOnly, dateAD); err != nil {
		return nil, fmt.Errorf("store: event log %d has a bad AD date %q: %w", e.ID, dateAD, err)
	}
	e.IncidentID = incident.Int64
	e.Ward = int(ward.Int64)
	s.settle(&e.Record)
	return &e, nil
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// CreateEventLog adds an entry, locked, and audits it.
func (s *Store) CreateEventLog(ctx context.Context, actor Actor, e *leoc.EventLog) error {
	return s.WithTx(ctx, func(tx *Tx) error { return tx.CreateEventLog(ctx, actor, e) })
}

// CreateEventLog adds an entry inside a larger transaction (an incident
// writes its log entry in the same transaction as itself).
func (t *Tx) CreateEventLog(ctx context.Context, actor Actor, e *leoc.EventLog) error {
	if err := t.checkEventLogWard(ctx, e.Ward); err != nil {
		return err
	}
	t.s.stamp(&e.Record, actor)
	err := t.queryRow(ctx, `INSERT INTO event_logs (date_bs, date_ad, fiscal_year, time_of_day, type, description, location,
		responsible_unit, status, incident_id, ward, locked, version, created_at, created_by, updated_at, updated_by)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		e.DateBS.String(), dateText(e.DateAD), e.FiscalYear.Start, e.Time, e.Type, e.Description, e.Location, e.ResponsibleUnit,
		e.Status, nullID(e.IncidentID), nullWard(e.Ward), e.Locked, e.Version, e.CreatedAt, e.CreatedBy, e.UpdatedAt, e.UpdatedBy).Scan(&e.ID)
	if err != nil {
		return fmt.Errorf("store: create event log: %w", err)
	}
	t.s.settle(&e.Record)
	return t.Audit(ctx, actor, "record.create", EventLogRegister.Name, strconv.FormatInt(e.ID, 10), map[string]any{"after": e.Fields()})
}

// checkEventLogWard refuses a ward the municipality does not have (0, the
// whole municipality, is always fine).
func (t *Tx) checkEventLogWard(ctx context.Context, ward int) error {
	if ward == 0 {
		return nil
	}
	known, err := t.wardNumbers(ctx)
	if err != nil {
		return err
	}
	if !slices.Contains(known, ward) {
		return &leoc.Error{Code: leoc.EInvalid, Message: leoc.M("error.validation"), Fields: map[string]leoc.Msg{"ward": leoc.M("ward.unknown", ward)}}
	}
	return nil
}

func nullWard(w int) any {
	if w == 0 {
		return nil
	}
	return w
}

// EventLog loads one entry.
func (s *Store) EventLog(ctx context.Context, id int64) (*leoc.EventLog, error) {
	e, err := s.scanEventLog(s.queryRow(ctx, "SELECT "+eventLogColumns+" FROM event_logs WHERE id = ?", id))
	if err != nil {
		return nil, notFound(err, "record.not_found")
	}
	return e, nil
}

// UpdateEventLog saves an unlocked entry if nobody saved it since the
// client loaded version e.Version; the save locks it again.
func (s *Store) UpdateEventLog(ctx context.Context, actor Actor, u *leoc.User, e *leoc.EventLog) error {
	return s.WithTx(ctx, func(tx *Tx) error {
		if err := tx.CheckWritable(ctx, EventLogRegister, e.ID, u); err != nil {
			return err
		}
		if err := u.WardWriteError(e.Ward); err != nil {
			return err
		}
		if err := tx.checkEventLogWard(ctx, e.Ward); err != nil {
			return err
		}
		old, err := s.scanEventLog(tx.queryRow(ctx, "SELECT "+eventLogColumns+" FROM event_logs WHERE id = ?", e.ID))
		if err != nil {
			return notFound(err, "record.not_found")
		}
		err = tx.updateVersioned(ctx, "event_logs", e.ID, e.Version, actor,
			`date_bs = ?, date_ad = ?, fiscal_year = ?, time_of_day = ?, type = ?, description = ?, location = ?,
			responsible_unit = ?, status = ?, incident_id = ?, ward = ?`,
			e.DateBS.String(), dateText(e.DateAD), e.FiscalYear.Start, e.Time, e.Type, e.Description, e.Location,
			e.ResponsibleUnit, e.Status, nullID(e.IncidentID), nullWard(e.Ward))
		if err != nil {
			return err
		}
		e.Version = old.Version + 1
		e.Locked, e.OpenUntil = leoc.LockInForce(true, old.CreatedAt, s.Now(), s.editWindow)
		return tx.Audit(ctx, actor, "record.update", EventLogRegister.Name, strconv.FormatInt(e.ID, 10),
			map[string]any{"changes": Changes(old.Fields(), e.Fields())})
	})
}

// DeleteEventLog removes an unlocked entry; its content stays in the audit
// trail.
func (s *Store) DeleteEventLog(ctx context.Context, actor Actor, u *leoc.User, id int64) error {
	return s.WithTx(ctx, func(tx *Tx) error {
		if err := tx.CheckWritable(ctx, EventLogRegister, id, u); err != nil {
			return err
		}
		old, err := s.scanEventLog(tx.queryRow(ctx, "SELECT "+eventLogColumns+" FROM event_logs WHERE id = ?", id))
		if err != nil {
			return notFound(err, "record.not_found")
		}
		if _, err := tx.exec(ctx, "DELETE FROM event_logs WHERE id = ?", id); err != nil {
			return fmt.Errorf("store: delete event log: %w", err)
		}
		return tx.Audit(ctx, actor, "record.delete", EventLogRegister.Name, strconv.FormatInt(id, 10), map[string]any{"before": old.Fields()})
	})
}

var eventLogSort = map[string]string{"date": "date_ad", "type": "type", "status": "status", "ward": "ward"}

// EventLogs lists one page of entries and the total.
func (s *Store) EventLogs(ctx context.Context, f RecordFilter) ([]*leoc.EventLog, int, error) {
	var w where
	s.common(&w, RecordFilter{FiscalYears: f.FiscalYears, Types: f.Types, From: f.From, To: f.To, Query: f.Query}, "",
		"description", "location", "responsible_unit")
	if len(f.Wards) > 0 {
		// Entries of the whole municipality concern every ward, so a ward
		// filter (a ward secretary's default) keeps them.
		var in where
		in.in("ward", len(f.Wards), func(i int) any { return f.Wards[i] })
		w.add("("+strings.Join(in.parts, "")+" OR ward IS NULL)", in.args...)
	}
	var total int
	if err := s.queryRow(ctx, "SELECT COUNT(*) FROM event_logs"+w.sql(), w.args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("store: count event logs: %w", err)
	}
	limit, offset := pageBounds(f.Page, f.PerPage)
	rows, err := s.query(ctx, "SELECT "+eventLogColumns+" FROM event_logs"+w.sql()+
		orderBy(f, eventLogSort, "date_ad DESC, time_of_day DESC, id DESC")+" LIMIT ? OFFSET ?", append(w.args, limit, offset)...)
	if err != nil {
		return nil, 0, fmt.Errorf("store: list event logs: %w", err)
	}
	defer rows.Close()
	var out []*leoc.EventLog
	for rows.Next() {
		e, err := s.scanEventLog(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, e)
	}
	return out, total, rows.Err()
}
