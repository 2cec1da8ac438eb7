package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"

	"leoc/internal/leoc"
)

// EventLogRegister plugs the operations log into locking and settings.
var EventLogRegister = eventLogs.Register

// eventLogs declares how operations-log entries are kept.
var eventLogs = Table[*leoc.EventLog]{
	Register: Register{Name: "event-logs", Table: "event_logs", WardColumn: "ward"},
	Read: `id, date_bs, date_ad, fiscal_year, time_of_day, type, description, location, responsible_unit, status,
	incident_id, ward, ` + recordColumns,
	Write: []string{"date_bs", "date_ad", "fiscal_year", "time_of_day", "type", "description", "location",
		"responsible_unit", "status", "incident_id", "ward"},
	Scan: (*Store).scanEventLog,
	Args: func(e *leoc.EventLog) []any {
		return []any{e.DateBS.String(), dateText(e.DateAD), e.FiscalYear.Start, e.Time, e.Type, e.Description, e.Location,
			e.ResponsibleUnit, e.Status, nullID(e.IncidentID), nullWard(e.Ward)}
	},
}

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
	return eventLogs.insert(ctx, t, actor, e)
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
	return eventLogs.Get(ctx, s, id)
}

// UpdateEventLog saves an unlocked entry if nobody saved it since the
// client loaded version e.Version; the save locks it again. Moving it to a
// ward the user may not write is refused like writing in one.
func (s *Store) UpdateEventLog(ctx context.Context, actor Actor, u *leoc.User, e *leoc.EventLog) error {
	return s.WithTx(ctx, func(tx *Tx) error {
		old, err := eventLogs.change(ctx, tx, actor, u, e, func() error {
			if err := u.WardWriteError(e.Ward); err != nil {
				return err
			}
			return tx.checkEventLogWard(ctx, e.Ward)
		})
		if err != nil {
			return err
		}
		return eventLogs.audit(ctx, tx, actor, "record.update", e.ID, map[string]any{"changes": Changes(old.Fields(), e.Fields())})
	})
}

// DeleteEventLog removes an unlocked entry; its content stays in the audit
// trail.
func (s *Store) DeleteEventLog(ctx context.Context, actor Actor, u *leoc.User, id int64) error {
	return eventLogs.Delete(ctx, s, actor, u, id)
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
	return eventLogs.List(ctx, s, w, f, eventLogSort, "date_ad DESC, time_of_day DESC, id DESC")
}
