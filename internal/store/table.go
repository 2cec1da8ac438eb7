package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"leoc/internal/leoc"
)

// Recorded is what the generic lifecycle needs of a register's record type
// (a pointer to a struct embedding leoc.Record): its metadata and its audit
// view.
type Recorded interface {
	Meta() *leoc.Record
	Fields() map[string]any
}

// Table declares how one register's records are kept: the register (name,
// table, ward column — the only place its table name is written), the
// columns read (Scan's order, ending in recordColumns) and the columns a
// create inserts and an update sets (Args' order). Get, Create, Update and
// Delete — optimistic locking, the lock and ward check, the audit entry —
// are written once here; domain rules (the fund, duplicates, maintained
// statistics) stay in the register's own code around them.
type Table[T Recorded] struct {
	Register
	Read  string
	Write []string
	Scan  func(*Store, rowScanner) (T, error)
	Args  func(T) []any

	// For registers used through In (Records); all optional.
	Check      func(context.Context, *Tx, *leoc.User, T) error // rules in the write transaction of a create or update
	WriteError func(error) error                               // turns constraint failures into answers
	Dated      bool                                            // fy, from and to filter its date (leoc.Dated)
	Search     []string                                        // the text columns the q filter searches
	Narrow     func(*where, RecordFilter)                      // the register's own filters
	Sort       map[string]string                               // sort keys people may ask for
	Order      string                                          // the default order
}

// Records is a register's table bound to a store: the lifecycle the
// server's register declaration calls. A user-limited write checks the
// user's wards (CheckWritable, Check) in the same transaction.
type Records[T Recorded] struct {
	t *Table[T]
	s *Store
}

// In binds the table to s.
func (t *Table[T]) In(s *Store) Records[T] { return Records[T]{t, s} }

// Get loads one record.
func (r Records[T]) Get(ctx context.Context, id int64) (T, error) { return r.t.Get(ctx, r.s, id) }

// Create adds a record, locked, and audits it.
func (r Records[T]) Create(ctx context.Context, actor Actor, u *leoc.User, rec T) error {
	return r.writeError(r.s.WithTx(ctx, func(tx *Tx) error {
		if r.t.Check != nil {
			if err := r.t.Check(ctx, tx, u, rec); err != nil {
				return err
			}
		}
		return r.t.insert(ctx, tx, actor, rec)
	}))
}

// Update saves a record writable by u if nobody saved it since the client
// loaded version rec.Version; the save locks it again.
func (r Records[T]) Update(ctx context.Context, actor Actor, u *leoc.User, rec T) error {
	return r.writeError(r.s.WithTx(ctx, func(tx *Tx) error {
		var check func() error
		if r.t.Check != nil {
			check = func() error { return r.t.Check(ctx, tx, u, rec) }
		}
		old, err := r.t.change(ctx, tx, actor, u, rec, check)
		if err != nil {
			return err
		}
		return r.t.audit(ctx, tx, actor, "record.update", rec.Meta().ID, map[string]any{"changes": Changes(old.Fields(), rec.Fields())})
	}))
}

// Delete removes a record writable by u; it stays in the audit trail.
func (r Records[T]) Delete(ctx context.Context, actor Actor, u *leoc.User, id int64) error {
	return r.t.Delete(ctx, r.s, actor, u, id)
}

// List reads one page of the records the filter selects, and the total:
// q searches Search, a Dated table's date filters apply, the register's
// Narrow adds its own filters.
func (r Records[T]) List(ctx context.Context, f RecordFilter) ([]T, int, error) {
	var w where
	shared := RecordFilter{Query: f.Query}
	if r.t.Dated {
		shared.FiscalYears, shared.From, shared.To = f.FiscalYears, f.From, f.To
	}
	r.s.common(&w, shared, "", r.t.Search...)
	if r.t.Narrow != nil {
		r.t.Narrow(&w, f)
	}
	return r.t.List(ctx, r.s, w, f, r.t.Sort, r.t.Order)
}

func (r Records[T]) writeError(err error) error {
	if err == nil || r.t.WriteError == nil {
		return err
	}
	if _, ok := leoc.AsError(err); ok {
		return err
	}
	return r.t.WriteError(err)
}

func (t *Table[T]) byID() string { return "SELECT " + t.Read + " FROM " + t.Table + " WHERE id = ?" }

// Get loads one record; an unknown id is not_found.
func (t *Table[T]) Get(ctx context.Context, s *Store, id int64) (T, error) {
	rec, err := t.Scan(s, s.queryRow(ctx, t.byID(), id))
	if err != nil {
		return rec, notFound(err, "record.not_found")
	}
	return rec, nil
}

func (t *Table[T]) getTx(ctx context.Context, tx *Tx, id int64) (T, error) {
	rec, err := t.Scan(tx.s, tx.queryRow(ctx, t.byID(), id))
	if err != nil {
		return rec, notFound(err, "record.not_found")
	}
	return rec, nil
}

// Create inserts a record, locked, and audits it.
func (t *Table[T]) Create(ctx context.Context, s *Store, actor Actor, rec T) error {
	return s.WithTx(ctx, func(tx *Tx) error { return t.insert(ctx, tx, actor, rec) })
}

func (t *Table[T]) insert(ctx context.Context, tx *Tx, actor Actor, rec T) error {
	m := rec.Meta()
	tx.s.stamp(m, actor)
	cols := append(append([]string{}, t.Write...), strings.Split(recordColumns, ", ")...)
	args := append(t.Args(rec), m.Locked, m.Version, m.CreatedAt, m.CreatedBy, m.UpdatedAt, m.UpdatedBy)
	q := "INSERT INTO " + t.Table + " (" + strings.Join(cols, ", ") + ") VALUES (" +
		strings.TrimSuffix(strings.Repeat("?, ", len(cols)), ", ") + ") RETURNING id"
	if err := tx.queryRow(ctx, q, args...).Scan(&m.ID); err != nil {
		return fmt.Errorf("store: create %s: %w", t.Name, translate(err))
	}
	tx.s.settle(m)
	return tx.Audit(ctx, actor, "record.create", t.Name, strconv.FormatInt(m.ID, 10), map[string]any{"after": rec.Fields()})
}

// Update saves rec if it is writable by u and nobody saved it since the
// client loaded version rec.Version; the save locks it again and rec is
// reloaded as stored.
func (t *Table[T]) Update(ctx context.Context, s *Store, actor Actor, u *leoc.User, rec T) error {
	return s.WithTx(ctx, func(tx *Tx) error {
		old, err := t.change(ctx, tx, actor, u, rec, nil)
		if err != nil {
			return err
		}
		return t.audit(ctx, tx, actor, "record.update", rec.Meta().ID, map[string]any{"changes": Changes(old.Fields(), rec.Fields())})
	})
}

// change is Update without its audit entry, for registers that add to the
// entry or do more in the same transaction: it returns the record as it was.
// check, when not nil, runs the register's own rules once the record is
// known to be writable.
func (t *Table[T]) change(ctx context.Context, tx *Tx, actor Actor, u *leoc.User, rec T, check func() error) (T, error) {
	m := rec.Meta()
	if err := tx.CheckWritable(ctx, t.Register, m.ID, u); err != nil {
		return rec, err
	}
	if check != nil {
		if err := check(); err != nil {
			return rec, err
		}
	}
	old, err := t.getTx(ctx, tx, m.ID)
	if err != nil {
		return old, err
	}
	set := strings.Join(t.Write, " = ?, ") + " = ?"
	if err := tx.updateVersioned(ctx, t.Table, m.ID, m.Version, actor, set, t.Args(rec)...); err != nil {
		return old, err
	}
	saved, err := t.getTx(ctx, tx, m.ID)
	if err != nil {
		return old, fmt.Errorf("store: reload %s %d: %w", t.Name, m.ID, err)
	}
	*m = *saved.Meta()
	return old, nil
}

// Delete removes a record writable by u; its content stays in the audit
// trail.
func (t *Table[T]) Delete(ctx context.Context, s *Store, actor Actor, u *leoc.User, id int64) error {
	return s.WithTx(ctx, func(tx *Tx) error {
		old, err := t.remove(ctx, tx, u, id)
		if err != nil {
			return err
		}
		return t.audit(ctx, tx, actor, "record.delete", id, map[string]any{"before": old.Fields()})
	})
}

// remove is Delete without its audit entry; it returns what was removed.
func (t *Table[T]) remove(ctx context.Context, tx *Tx, u *leoc.User, id int64) (T, error) {
	if err := tx.CheckWritable(ctx, t.Register, id, u); err != nil {
		var zero T
		return zero, err
	}
	old, err := t.getTx(ctx, tx, id)
	if err != nil {
		return old, err
	}
	if _, err := tx.exec(ctx, "DELETE FROM "+t.Table+" WHERE id = ?", id); err != nil {
		return old, fmt.Errorf("store: delete %s %d: %w", t.Name, id, translate(err))
	}
	return old, nil
}

func (t *Table[T]) audit(ctx context.Context, tx *Tx, actor Actor, action string, id int64, details map[string]any) error {
	return tx.Audit(ctx, actor, action, t.Name, strconv.FormatInt(id, 10), details)
}

// List reads one page of records matching w in order, and the total.
func (t *Table[T]) List(ctx context.Context, s *Store, w where, f RecordFilter, sortable map[string]string, order string) ([]T, int, error) {
	var total int
	if err := s.queryRow(ctx, "SELECT COUNT(*) FROM "+t.Table+w.sql(), w.args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("store: count %s: %w", t.Name, err)
	}
	var out []T
	err := s.readPage(ctx, listPage{table: t.Table, read: t.Read, w: &w, order: orderBy(f, sortable, order)}, f, func(r rowScanner) error {
		rec, err := t.Scan(s, r)
		out = append(out, rec)
		return err
	})
	if err != nil {
		return nil, 0, err
	}
	return out, total, nil
}
