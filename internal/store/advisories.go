package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"time"

	"leoc/internal/leoc"
)

// AdvisoryRegister plugs the public advisories into locking and settings.
var AdvisoryRegister = advisories.Register

// advisories declares how advisories are kept. An update also remembers when
// the replaced version was sent, so it is written in UpdateAdvisory.
var advisories = Table[*leoc.Advisory]{
	Register: Register{Name: "advisories", Table: "advisories"},
	Read:     advisoryColumns,
	Scan:     (*Store).scanAdvisory,
}

const advisoryColumns = `id, title, content, type, priority, active, valid_from, valid_until, previous_sent_at,
	wards, urgency, severity, certainty, title_en, content_en, ` + recordColumns

// priorityRank orders by priority in SQL, critical first when descending;
// the ranks are those of leoc.PriorityRank.
const priorityRank = "CASE priority WHEN 'critical' THEN 4 WHEN 'high' THEN 3 WHEN 'normal' THEN 2 WHEN 'low' THEN 1 ELSE 0 END"

func (s *Store) scanAdvisory(r rowScanner) (*leoc.Advisory, error) {
	var a leoc.Advisory
	var until, prev sql.NullTime
	var wards string
	dest := append([]any{&a.ID, &a.Title, &a.Content, &a.Type, &a.Priority, &a.Active, &a.ValidFrom, &until, &prev,
		&wards, &a.Urgency, &a.Severity, &a.Certainty, &a.TitleEn, &a.ContentEn},
		recordDest(&a.Record)...)
	if err := r.Scan(dest...); err != nil {
		return nil, err
	}
	a.Wards = leoc.ParseWardList(wards)
	a.ValidFrom = a.ValidFrom.UTC()
	if until.Valid {
		a.ValidUntil = until.Time.UTC()
	}
	if prev.Valid {
		a.PreviousSentAt = prev.Time.UTC()
	}
	a.CreatedAt, a.UpdatedAt = a.CreatedAt.UTC(), a.UpdatedAt.UTC()
	s.settle(&a.Record)
	return &a, nil
}

// nullInstant stores the zero time as NULL and every other instant in UTC, so
// that SQLite's text comparisons order them correctly.
func nullInstant(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UTC()
}

// CreateAdvisory adds an advisory, locked, and audits it.
func (s *Store) CreateAdvisory(ctx context.Context, actor Actor, a *leoc.Advisory) error {
	return s.WithTx(ctx, func(tx *Tx) error { return tx.CreateAdvisory(ctx, actor, a) })
}

// CreateAdvisory adds an advisory inside a larger transaction (the legacy
// import).
func (t *Tx) CreateAdvisory(ctx context.Context, actor Actor, a *leoc.Advisory) error {
	t.s.stamp(&a.Record, actor)
	a.PreviousSentAt = time.Time{}
	err := t.queryRow(ctx, `INSERT INTO advisories (title, content, type, priority, active, valid_from, valid_until,
		wards, urgency, severity, certainty, title_en, content_en,
		locked, version, created_at, created_by, updated_at, updated_by)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		a.Title, a.Content, a.Type, a.Priority, a.Active, a.ValidFrom.UTC(), nullInstant(a.ValidUntil),
		leoc.WardList(a.Wards), a.Urgency, a.Severity, a.Certainty, a.TitleEn, a.ContentEn,
		a.Locked, a.Version, a.CreatedAt, a.CreatedBy, a.UpdatedAt, a.UpdatedBy).Scan(&a.ID)
	if err != nil {
		return fmt.Errorf("store: create advisory: %w", translate(err))
	}
	t.s.settle(&a.Record)
	return t.Audit(ctx, actor, "record.create", AdvisoryRegister.Name, strconv.FormatInt(a.ID, 10), map[string]any{"after": a.Fields()})
}

// Advisory loads one advisory.
func (s *Store) Advisory(ctx context.Context, id int64) (*leoc.Advisory, error) {
	return advisories.Get(ctx, s, id)
}

// UpdateAdvisory saves an unlocked advisory if nobody saved it since the
// client loaded version a.Version; the save locks it again and remembers
// when the replaced version was sent, for the CAP feed's references.
func (s *Store) UpdateAdvisory(ctx context.Context, actor Actor, u *leoc.User, a *leoc.Advisory) error {
	return s.WithTx(ctx, func(tx *Tx) error {
		if err := tx.CheckWritable(ctx, AdvisoryRegister, a.ID, u); err != nil {
			return err
		}
		old, err := s.scanAdvisory(tx.queryRow(ctx, "SELECT "+advisoryColumns+" FROM advisories WHERE id = ?", a.ID))
		if err != nil {
			return notFound(err, "record.not_found")
		}
		err = tx.updateVersioned(ctx, "advisories", a.ID, a.Version, actor,
			`title = ?, content = ?, type = ?, priority = ?, active = ?, valid_from = ?, valid_until = ?, previous_sent_at = ?,
			wards = ?, urgency = ?, severity = ?, certainty = ?, title_en = ?, content_en = ?`,
			a.Title, a.Content, a.Type, a.Priority, a.Active, a.ValidFrom.UTC(), nullInstant(a.ValidUntil), old.UpdatedAt.UTC(),
			leoc.WardList(a.Wards), a.Urgency, a.Severity, a.Certainty, a.TitleEn, a.ContentEn)
		if err != nil {
			return err
		}
		saved, err := s.scanAdvisory(tx.queryRow(ctx, "SELECT "+advisoryColumns+" FROM advisories WHERE id = ?", a.ID))
		if err != nil {
			return fmt.Errorf("store: reload advisory: %w", err)
		}
		*a = *saved
		return tx.Audit(ctx, actor, "record.update", AdvisoryRegister.Name, strconv.FormatInt(a.ID, 10),
			map[string]any{"changes": Changes(old.Fields(), a.Fields())})
	})
}

// DeleteAdvisory removes an unlocked advisory; its content stays in the
// audit trail.
func (s *Store) DeleteAdvisory(ctx context.Context, actor Actor, u *leoc.User, id int64) error {
	return advisories.Delete(ctx, s, actor, u, id)
}

// AdvisoryFilter selects advisories for the staff list. Of RecordFilter,
// Types, Query, Sort, Asc, Page and PerPage apply (advisories have no date,
// fiscal year or ward).
type AdvisoryFilter struct {
	RecordFilter
	Priorities []string
	Active     *bool
	// CurrentAt, when set, keeps only what the public sees at that instant.
	CurrentAt time.Time
}

var advisorySort = map[string]string{"valid_from": "valid_from", "priority": priorityRank, "title": "title"}

func (s *Store) advisoryWhere(f AdvisoryFilter) *where {
	var w where
	w.in("type", len(f.Types), func(i int) any { return f.Types[i] })
	w.in("priority", len(f.Priorities), func(i int) any { return f.Priorities[i] })
	if f.Active != nil {
		w.add("active = ?", *f.Active)
	}
	if !f.CurrentAt.IsZero() {
		now := f.CurrentAt.UTC().Truncate(time.Second)
		w.add("active = ? AND valid_from <= ? AND (valid_until IS NULL OR valid_until > ?)", true, now, now)
	}
	// common's text search only; its date and ward filters need columns
	// advisories do not have.
	s.common(&w, RecordFilter{Query: f.Query}, "", "title", "content")
	return &w
}

// Advisories lists one page of advisories and the total, newest first.
func (s *Store) Advisories(ctx context.Context, f AdvisoryFilter) ([]*leoc.Advisory, int, error) {
	w := s.advisoryWhere(f)
	var total int
	if err := s.queryRow(ctx, "SELECT COUNT(*) FROM advisories"+w.sql(), w.args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("store: count advisories: %w", err)
	}
	var list []*leoc.Advisory
	err := s.readPage(ctx, listPage{table: "advisories", read: advisoryColumns, w: w,
		order: orderBy(f.RecordFilter, advisorySort, "valid_from DESC, id DESC")}, f.RecordFilter, func(r rowScanner) error {
		a, err := s.scanAdvisory(r)
		list = append(list, a)
		return err
	})
	if err != nil {
		return nil, 0, err
	}
	return list, total, nil
}

// MaxPublicAdvisories bounds the public list: a page for people on phones,
// not an archive.
const MaxPublicAdvisories = 100

// CurrentAdvisories is what the public sees at now: active advisories inside
// their validity, highest priority first, then the newest.
func (s *Store) CurrentAdvisories(ctx context.Context, now time.Time) ([]*leoc.Advisory, error) {
	w := s.advisoryWhere(AdvisoryFilter{CurrentAt: now})
	return s.advisoryRows(ctx, "SELECT "+advisoryColumns+" FROM advisories"+w.sql()+
		" ORDER BY "+priorityRank+" DESC, valid_from DESC, id DESC LIMIT ?", append(w.args, MaxPublicAdvisories)...)
}

func (s *Store) advisoryRows(ctx context.Context, q string, args ...any) ([]*leoc.Advisory, error) {
	rows, err := s.query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("store: list advisories: %w", err)
	}
	defer rows.Close()
	var out []*leoc.Advisory
	for rows.Next() {
		a, err := s.scanAdvisory(rows)
		if err != nil {
			return nil, fmt.Errorf("store: scan advisory: %w", err)
		}
		out = append(out, a)
	}
	return out, rows.Err()
}
