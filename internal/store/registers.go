package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"leoc/internal/leoc"
)

// Register describes a table of records that plugs into the shared
// mechanisms: record locking, ward limits and "where is this setting used".
// Every register table has columns id, locked, created_at (the edit window
// runs from it) and, when WardColumn is set, the ward number.
type Register struct {
	Name        string // URL segment and audit entity, e.g. "incidents"
	Table       string
	WardColumn  string // "" when records have no ward
	ListColumns []ListColumn
}

// ListColumn says that Table.Column holds keys of a configurable list.
type ListColumn struct {
	List   string
	Table  string
	Column string
}

var identifier = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)

// AddRegister plugs a register in. It is called while the program is set
// up, before any request is served; names become SQL identifiers, so they
// are checked here once.
func (s *Store) AddRegister(r Register) error {
	for _, id := range []string{r.Name, r.Table, r.WardColumn} {
		if id != "" && !identifier.MatchString(strings.ReplaceAll(id, "-", "_")) {
			return fmt.Errorf("store: register %q: bad identifier %q", r.Name, id)
		}
	}
	for _, c := range r.ListColumns {
		if !identifier.MatchString(c.Table) || !identifier.MatchString(c.Column) {
			return fmt.Errorf("store: register %q: bad list column %s.%s", r.Name, c.Table, c.Column)
		}
	}
	if _, ok := s.Register(r.Name); ok {
		return fmt.Errorf("store: register %q added twice", r.Name)
	}
	s.registers = append(s.registers, r)
	return nil
}

// Register finds a register by name.
func (s *Store) Register(name string) (Register, bool) {
	for _, r := range s.registers {
		if r.Name == name {
			return r, true
		}
	}
	return Register{}, false
}

// Registers lists the plugged-in registers.
func (s *Store) Registers() []Register { return s.registers }

// RecordState is what the locking mechanism needs to know of a record.
type RecordState struct {
	Locked    bool // the lock in force now, edit window included
	Ward      int  // 0 when the register has no ward
	CreatedAt time.Time
}

// RecordState loads whether a record is locked now and its ward, in the
// transaction that is about to change it.
func (t *Tx) RecordState(ctx context.Context, r Register, id int64) (RecordState, error) {
	ward := "0"
	if r.WardColumn != "" {
		ward = r.WardColumn
	}
	var st RecordState
	// A NULL ward (an operations-log entry of the whole municipality) reads
	// as 0, which a ward-limited user may not write.
	// A record dated on a day whose bulletin was produced locks at once: the
	// edit window does not reopen what was reported upwards (a record
	// unlocked by key, stored unlocked, stays open for its correction).
	reported := "FALSE"
	if r.dayLocked() {
		reported = "EXISTS (SELECT 1 FROM sitrep_numbers sn WHERE sn.day_ad = " + r.Table + ".date_ad)"
	}
	var dayReported bool
	err := t.queryRow(ctx, "SELECT locked, COALESCE("+ward+", 0), created_at, "+reported+" FROM "+r.Table+" WHERE id = ?", id).
		Scan(&st.Locked, &st.Ward, &st.CreatedAt, &dayReported)
	if errors.Is(err, sql.ErrNoRows) {
		return st, leoc.Errorf(leoc.ENotFound, "record.not_found")
	}
	if err != nil {
		return st, fmt.Errorf("store: record state %s/%d: %w", r.Name, id, err)
	}
	if !(st.Locked && dayReported) {
		st.Locked, _ = leoc.LockInForce(st.Locked, st.CreatedAt, t.s.Now(), t.s.editWindow)
	}
	return st, nil
}

// CheckWritable is the one rule every change and delete of every register
// goes through: refused for a record of a ward the user may not write, and
// for a record locked now — saved and past its edit window (see
// leoc.LockInForce), unless unlocked by key. Within the window the author
// and the writers of its ward (the ward check below) edit it freely.
func (t *Tx) CheckWritable(ctx context.Context, r Register, id int64, u *leoc.User) error {
	st, err := t.RecordState(ctx, r, id)
	if err != nil {
		return err
	}
	if r.WardColumn != "" {
		if err := u.WardWriteError(st.Ward); err != nil {
			return err
		}
	}
	if st.Locked {
		return leoc.Errorf(leoc.ELocked, "record.locked")
	}
	return nil
}

// SetLocked locks or unlocks a record; unlocking audits who, when and why.
func (s *Store) SetLocked(ctx context.Context, actor Actor, u *leoc.User, registerName string, id int64, locked bool, reason string) error {
	r, ok := s.Register(registerName)
	if !ok {
		return leoc.Errorf(leoc.ENotFound, "record.not_found")
	}
	return s.WithTx(ctx, func(tx *Tx) error {
		st, err := tx.RecordState(ctx, r, id)
		if err != nil {
			return err
		}
		if r.WardColumn != "" {
			if err := u.WardWriteError(st.Ward); err != nil {
				return err
			}
		}
		if st.Locked == locked {
			return nil
		}
		if _, err := tx.exec(ctx, "UPDATE "+r.Table+" SET locked = ? WHERE id = ?", locked, id); err != nil {
			return fmt.Errorf("store: set locked %s/%d: %w", r.Name, id, err)
		}
		action := "record.lock"
		details := map[string]any{}
		if !locked {
			action = "record.unlock"
			details["reason"] = reason
		}
		return tx.Audit(ctx, actor, action, r.Name, strconv.FormatInt(id, 10), details)
	})
}

// SetUnlockKey stores the argon2id hash of the unlock key.
func (s *Store) SetUnlockKey(ctx context.Context, actor Actor, hash string) error {
	return s.WithTx(ctx, func(tx *Tx) error {
		if _, err := tx.exec(ctx, `INSERT INTO unlock_key (id, hash, set_at, set_by) VALUES (1, ?, ?, ?)
			ON CONFLICT (id) DO UPDATE SET hash = excluded.hash, set_at = excluded.set_at, set_by = excluded.set_by`,
			hash, s.Now(), actor.Username); err != nil {
			return fmt.Errorf("store: set unlock key: %w", err)
		}
		return tx.Audit(ctx, actor, "setting.unlock_key", "settings", "unlock_key", nil)
	})
}

// UnlockKeyHash returns the stored hash, or a conflict error that tells the
// admin how to set a key when there is none (there is no default key).
func (s *Store) UnlockKeyHash(ctx context.Context) (string, error) {
	var h string
	err := s.queryRow(ctx, "SELECT hash FROM unlock_key WHERE id = 1").Scan(&h)
	if errors.Is(err, sql.ErrNoRows) {
		return "", leoc.Errorf(leoc.EConflict, "unlock.no_key")
	}
	if err != nil {
		return "", fmt.Errorf("store: unlock key: %w", err)
	}
	return h, nil
}

// dayLocked reports whether the register's records lock with their day's
// bulletin (dated registers: they have date_ad).
func (r Register) dayLocked() bool {
	for _, d := range dayLockedRegisters {
		if d.Name == r.Name {
			return true
		}
	}
	return false
}
