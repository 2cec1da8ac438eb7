package store

import (
	"context"
	"strings"
)

// ExecForTest runs a statement on the write connection.
func (s *Store) ExecForTest(ctx context.Context, q string, args ...any) error {
	_, err := s.wdb.ExecContext(ctx, s.rebind(q), args...)
	return err
}

// RechainForTest does what an attacker with write access to the database
// can do: recompute the links of entries from..to (to 0 = the newest) with
// plain SHA-256 (keys nil) or with some key, and move the head row along.
// The append-only triggers must have been dropped first.
func (s *Store) RechainForTest(ctx context.Context, from, to int64, keys *AuditKeys) error {
	rows, err := s.query(ctx, `SELECT id, at, user_id, username, ip, action, entity, entity_id, details, prev_hash, hash
		FROM audit_log ORDER BY id`)
	if err != nil {
		return err
	}
	var all []AuditEntry
	for rows.Next() {
		var e AuditEntry
		if err := rows.Scan(&e.ID, &e.At, &e.UserID, &e.Username, &e.IP, &e.Action, &e.Entity, &e.EntityID, &e.Details, &e.PrevHash, &e.Hash); err != nil {
			rows.Close()
			return err
		}
		all = append(all, e)
	}
	rows.Close()
	return s.WithTx(ctx, func(tx *Tx) error {
		prev := ""
		for i := range all {
			e := &all[i]
			if e.ID >= from && (to == 0 || e.ID <= to) {
				e.PrevHash = prev
				if keys == nil {
					e.Hash = plainAuditHash(e)
				} else {
					e.Hash = keys.keyedAuditHash(e)
				}
				if _, err := tx.exec(ctx, "UPDATE audit_log SET prev_hash = ?, hash = ? WHERE id = ?", e.PrevHash, e.Hash, e.ID); err != nil {
					return err
				}
			}
			prev = e.Hash
		}
		if to == 0 && len(all) > 0 {
			last := all[len(all)-1]
			_, err := tx.exec(ctx, "UPDATE audit_head SET last_id = ?, last_hash = ? WHERE id = 1", last.ID, last.Hash)
			return err
		}
		return nil
	})
}

// PlainAuditHashForTest exposes the plain link.
func PlainAuditHashForTest(e *AuditEntry) string { return plainAuditHash(e) }

// MigrateToForTest applies the migrations up to version only, without the
// data migrations and the seed: a database as an older binary left it.
func (s *Store) MigrateToForTest(ctx context.Context, version int) error {
	ms, err := Migrations(s.dialect)
	if err != nil {
		return err
	}
	if err := s.ensureMigrationTable(ctx); err != nil {
		return err
	}
	for _, m := range ms[:version] {
		if _, err := s.apply(ctx, m); err != nil {
			return err
		}
	}
	return nil
}

// QueryRowForTest reads one row of a query into dest.
func (s *Store) QueryRowForTest(ctx context.Context, q string, dest ...any) error {
	return s.wdb.QueryRowContext(ctx, s.rebind(q)).Scan(dest...)
}

// DistributionSearchPlan is the database's plan of the distribution list
// searched for q (SQLite's EXPLAIN QUERY PLAN details, one per line).
func (s *Store) DistributionSearchPlan(ctx context.Context, q string) (string, error) {
	w := s.distributionWhere(DistributionFilter{RecordFilter: RecordFilter{Query: q}})
	rows, err := s.query(ctx, "EXPLAIN QUERY PLAN SELECT id FROM distributions"+w.sql()+" ORDER BY date_ad DESC, id DESC LIMIT 50", w.args...)
	if err != nil {
		return "", err
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			return "", err
		}
		plan = append(plan, detail)
	}
	return strings.Join(plan, "\n"), rows.Err()
}

// SetSearchCapForTest lowers how many matches a search counts, so a test
// reaches "more than" and the scanning plan with a few records.
func (s *Store) SetSearchCapForTest(n int) { s.searchCap, s.commonCap = n, n }

// SetSearchTotalForTest sets how many matches a search counts, leaving how
// many make its words common.
func (s *Store) SetSearchTotalForTest(n int) { s.searchCap = n }

// HideSearchWordsForTest makes PostgreSQL match every searched word as a
// common word, without its index.
func (s *Store) HideSearchWordsForTest(hide bool) { s.hideWordsForTest = hide }

// FlushedAt is where PostgreSQL's log was flushed to after the commit of
// tx (empty on SQLite).
func FlushedAt(tx *Tx) string { return tx.flushedAt }

// WriterSettingForTest shows a setting on a connection of the write pool.
func (s *Store) WriterSettingForTest(ctx context.Context, name string) (string, error) {
	var v string
	err := s.wdb.QueryRowContext(ctx, "SHOW "+name).Scan(&v)
	return v, err
}

// WriteStatementsForTest counts the write statements kept prepared.
func (s *Store) WriteStatementsForTest() int {
	s.writes.mu.RLock()
	defer s.writes.mu.RUnlock()
	return len(s.writes.byText)
}

// FailFlushForTest makes the flush after every PostgreSQL commit fail.
func (s *Store) FailFlushForTest() { s.flushForTest = "SELECT (1 / 0)::text" }
