package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"leoc/internal/leoc"
)

// AccessPolicy is what the office decided about who may do what beyond the
// roles (issue 17, item 13; docs/security.md).
type AccessPolicy struct {
	// WardUsersPublish lets users limited to wards publish public
	// advisories and write situation reports (leoc.PermPublish). Off by
	// default: those speak for the whole municipality.
	WardUsersPublish bool `json:"ward_users_may_publish"`
}

// settingWardUsersPublish is the policy's key in the settings table; the
// office details (Settings) ignore keys they do not know.
const settingWardUsersPublish = "policy.ward_users_may_publish"

// AccessPolicy loads the policy; a new database has the defaults.
func (s *Store) AccessPolicy(ctx context.Context) (AccessPolicy, error) {
	var p AccessPolicy
	var v string
	err := s.queryRow(ctx, "SELECT value FROM settings WHERE key = ?", settingWardUsersPublish).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return p, nil
	}
	if err != nil {
		return p, fmt.Errorf("store: access policy: %w", err)
	}
	p.WardUsersPublish, _ = strconv.ParseBool(v)
	return p, nil
}

// SetAccessPolicy saves the policy and audits a change.
func (s *Store) SetAccessPolicy(ctx context.Context, actor Actor, p AccessPolicy) error {
	return s.WithTx(ctx, func(tx *Tx) error {
		var old string
		err := tx.queryRow(ctx, "SELECT value FROM settings WHERE key = ?", settingWardUsersPublish).Scan(&old)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("store: access policy: %w", err)
		}
		was, _ := strconv.ParseBool(old)
		if was == p.WardUsersPublish && err == nil {
			return nil
		}
		if _, err := tx.exec(ctx, `INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)
			ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
			settingWardUsersPublish, strconv.FormatBool(p.WardUsersPublish), s.Now()); err != nil {
			return fmt.Errorf("store: save access policy: %w", err)
		}
		return tx.Audit(ctx, actor, "setting.update", "settings", "policy", map[string]any{
			"changes": Changes(map[string]any{"ward_users_may_publish": was}, map[string]any{"ward_users_may_publish": p.WardUsersPublish}),
		})
	})
}

// RecordWard is the ward of a record of a register with wards (0 when the
// register has none or the record has no ward). A record that no longer
// exists is not found.
func (s *Store) RecordWard(ctx context.Context, register string, id int64) (int, error) {
	r, ok := s.Register(register)
	if !ok {
		return 0, leoc.Errorf(leoc.ENotFound, "record.not_found")
	}
	if r.WardColumn == "" {
		return 0, nil
	}
	var w int
	err := s.queryRow(ctx, "SELECT COALESCE("+r.WardColumn+", 0) FROM "+r.Table+" WHERE id = ?", id).Scan(&w)
	if err != nil {
		return 0, notFound(err, "record.not_found")
	}
	return w, nil
}

// scopeSearch adds the search scope of f to a register's filter: with a
// search of personal data by a user who sees it only in some wards, only
// records of those wards match.
func scopeSearch(w *where, f RecordFilter, wardCol string) {
	if !f.SearchScoped || strings.TrimSpace(f.Query) == "" {
		return
	}
	if len(f.SearchWards) == 0 {
		w.add("1 = 0")
		return
	}
	w.in(wardCol, len(f.SearchWards), func(i int) any { return f.SearchWards[i] })
}

// DistributionWards maps distribution ids to their wards (for masking the
// fund-ledger entries their cash wrote); removed distributions are absent.
func (s *Store) DistributionWards(ctx context.Context, ids []int64) (map[int64]int, error) {
	out := make(map[int64]int, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	var w where
	w.in("id", len(ids), func(i int) any { return ids[i] })
	rows, err := s.query(ctx, "SELECT id, ward FROM distributions"+w.sql(), w.args...)
	if err != nil {
		return nil, fmt.Errorf("store: distribution wards: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var ward int
		if err := rows.Scan(&id, &ward); err != nil {
			return nil, fmt.Errorf("store: distribution wards: %w", err)
		}
		out[id] = ward
	}
	return out, rows.Err()
}
