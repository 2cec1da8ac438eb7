package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"leoc/internal/leoc"
)

// The plausibility limits live in the settings table as plain keys, so they
// need no schema of their own: "ward_population.<n>" per ward and
// "incident_loss_ceiling" in paisa. A missing key means "not known".
const (
	wardPopulationKey = "ward_population."
	lossCeilingKey    = "incident_loss_ceiling"
)

// MaxWardPopulation keeps a typed population sane (Nepal's largest
// municipality ward is far below this).
const MaxWardPopulation = 10_000_000

// Plausibility loads the limits incidents are checked against.
func (s *Store) Plausibility(ctx context.Context) (leoc.Plausibility, error) {
	p := leoc.Plausibility{Population: map[int]int64{}}
	rows, err := s.query(ctx, "SELECT key, value FROM settings WHERE key = ? OR key LIKE ?", lossCeilingKey, wardPopulationKey+"%")
	if err != nil {
		return p, fmt.Errorf("store: plausibility: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			return p, fmt.Errorf("store: scan plausibility: %w", err)
		}
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n <= 0 {
			continue
		}
		if k == lossCeilingKey {
			p.LossCeiling = leoc.Money(n)
		} else if ward, err := strconv.Atoi(strings.TrimPrefix(k, wardPopulationKey)); err == nil {
			p.Population[ward] = n
		}
	}
	return p, rows.Err()
}

// SaveLossCeiling sets the estimated loss above which an incident asks for
// confirmation; 0 turns the check off.
func (s *Store) SaveLossCeiling(ctx context.Context, actor Actor, ceiling leoc.Money) error {
	if ceiling < 0 || ceiling > leoc.MaxIncidentLoss {
		return &leoc.Error{Code: leoc.EInvalid, Message: leoc.M("error.validation"),
			Fields: map[string]leoc.Msg{"loss_ceiling": leoc.M("number.too_large", leoc.Grouped(int64(leoc.MaxIncidentLoss/100)))}}
	}
	old, err := s.Plausibility(ctx)
	if err != nil {
		return err
	}
	return s.WithTx(ctx, func(tx *Tx) error {
		if err := tx.putIntSetting(ctx, lossCeilingKey, int64(ceiling)); err != nil {
			return err
		}
		changes := Changes(map[string]any{"loss_ceiling": old.LossCeiling.String()}, map[string]any{"loss_ceiling": ceiling.String()})
		if len(changes) == 0 {
			return nil
		}
		return tx.Audit(ctx, actor, "setting.update", "settings", "checks", map[string]any{"changes": changes})
	})
}

// putIntSetting writes a whole-number setting; 0 removes it.
func (t *Tx) putIntSetting(ctx context.Context, key string, n int64) error {
	if n == 0 {
		if _, err := t.exec(ctx, "DELETE FROM settings WHERE key = ?", key); err != nil {
			return fmt.Errorf("store: clear setting %s: %w", key, err)
		}
		return nil
	}
	_, err := t.exec(ctx, `INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`, key, strconv.FormatInt(n, 10), t.s.Now())
	if err != nil {
		return fmt.Errorf("store: save setting %s: %w", key, err)
	}
	return nil
}

// WardsInUse says, per ward number, where the ward is used ("users (ram),
// incidents (4)", as messages in the reader's language); wards in use cannot be deleted, so the settings page
// offers no delete for them. It reads on the read pool (DeleteWard checks
// again inside its transaction).
func (s *Store) WardsInUse(ctx context.Context) (map[int]leoc.MsgList, error) {
	out := map[int]leoc.MsgList{}
	add := func(n int, what leoc.Msg) { out[n] = append(out[n], what) }
	rows, err := s.query(ctx, "SELECT username, wards FROM users WHERE wards <> '' ORDER BY username")
	if err != nil {
		return nil, fmt.Errorf("store: ward usage: %w", err)
	}
	users := map[int][]string{}
	for rows.Next() {
		var name, wards string
		if err := rows.Scan(&name, &wards); err != nil {
			rows.Close()
			return nil, fmt.Errorf("store: ward usage: %w", err)
		}
		for _, w := range parseWards(wards) {
			users[w] = append(users[w], name)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: ward usage: %w", err)
	}
	for w, names := range users {
		add(w, leoc.M("setting.usage_users", strings.Join(names, ", ")))
	}
	for _, r := range s.registers {
		if r.WardColumn == "" {
			continue
		}
		counts, err := s.groupCount(ctx, r.Table, r.WardColumn)
		if err != nil {
			return nil, err
		}
		for k, n := range counts {
			if w, err := strconv.Atoi(k); err == nil {
				add(w, leoc.Usage(r.Name, n))
			}
		}
	}
	return out, nil
}

// ListValuesInUse says, per key of a list, which registers use the value.
func (s *Store) ListValuesInUse(ctx context.Context, list string) (map[string]leoc.MsgList, error) {
	out := map[string]leoc.MsgList{}
	for _, r := range s.registers {
		for _, u := range r.ListColumns {
			if u.List != list {
				continue
			}
			counts, err := s.groupCount(ctx, u.Table, u.Column)
			if err != nil {
				return nil, err
			}
			for k, n := range counts {
				out[k] = append(out[k], leoc.Usage(r.Name, n))
			}
		}
	}
	return out, nil
}

// groupCount counts the rows of table by the text of column (NULLs left out).
func (s *Store) groupCount(ctx context.Context, table, column string) (map[string]int, error) {
	rows, err := s.query(ctx, "SELECT "+column+", COUNT(*) FROM "+table+" WHERE "+column+" IS NOT NULL GROUP BY "+column)
	if err != nil {
		return nil, fmt.Errorf("store: usage of %s.%s: %w", table, column, err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var k any
		var n int
		if err := rows.Scan(&k, &n); err != nil {
			return nil, fmt.Errorf("store: usage of %s.%s: %w", table, column, err)
		}
		switch v := k.(type) {
		case []byte:
			out[string(v)] += n
		default:
			out[fmt.Sprint(v)] += n
		}
	}
	return out, rows.Err()
}
