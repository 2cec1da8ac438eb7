package store

import (
	"context"
	"fmt"
	"strings"

	"leoc/internal/bs"
	"leoc/internal/leoc"
)

// A bulk load writes many new distributions per transaction with multi-row
// INSERTs, for data sets of a million rows (leoc demo, leoc bench, the
// benchmarks' fixtures). It writes what CreateDistribution writes — the
// record and its members, harms and items, the fund expenditure of its
// cash and the fund balance — except three things, each made good another
// way:
//   - the statistics are not adjusted per record: FinishBulkLoad rebuilds
//     them from the records (RebuildStatistics), once, at the end;
//   - there is one audit entry per batch ("record.bulk_create", naming the
//     count and the ids), not one per record: the trail says what was done;
//   - no duplicate warnings are looked for (the unique duplicate key still
//     refuses a household given twice for the same disaster).
// Bulk distributions do not take their items from stock (no warehouse), so
// the stock ledger is untouched and stays equal to its balances. The search
// index is kept as by any insert (SQLite triggers, PostgreSQL GIN).

// DistributionBulk is one batch of a bulk load, written in one transaction.
type DistributionBulk struct {
	Distributions []*leoc.Distribution
	// Income, when positive, is recorded first as fund income dated
	// IncomeDate, so that the batch's cash is covered; the balance guard
	// still refuses a batch whose cash the fund does not hold.
	Income            leoc.Money
	IncomeDescription string
	IncomeDate        bs.Date
}

// bulkParams bounds the parameters of one multi-row statement (SQLite
// allows 32,766, PostgreSQL 65,535).
const bulkParams = 30_000

// CreateDistributionsBulk writes a batch of new distributions in one
// transaction: all of it or, on any error, none. The distributions get
// their ids and record stamps. Call FinishBulkLoad after the last batch
// (and after a failed one): until then the statistics do not count them.
func (s *Store) CreateDistributionsBulk(ctx context.Context, actor Actor, u *leoc.User, b DistributionBulk, cal *bs.Calendar) error {
	if len(b.Distributions) == 0 {
		return nil
	}
	for _, d := range b.Distributions {
		if !u.CanWriteWard(d.Ward) {
			return leoc.Errorf(leoc.EForbidden, "record.other_ward", d.Ward)
		}
		// What these need (the incident's type and date, stock, the
		// override permission) is checked per record by CreateDistribution.
		if d.IncidentID != 0 || d.WarehouseID != 0 || d.OverrideReason != "" {
			return fmt.Errorf("store: bulk distributions take no incident, warehouse or override reason")
		}
	}
	return s.WithTx(ctx, func(tx *Tx) error {
		if err := tx.BulkWrite(ctx); err != nil {
			return err
		}
		if b.Income > 0 {
			if err := tx.AddFundIncome(ctx, actor, b.Income, b.IncomeDescription, b.IncomeDate, cal); err != nil {
				return err
			}
		}
		return tx.createDistributionsBulk(ctx, actor, b.Distributions)
	})
}

func (t *Tx) createDistributionsBulk(ctx context.Context, actor Actor, ds []*leoc.Distribution) error {
	ids, err := t.newDistributionIDs(ctx, len(ds))
	if err != nil {
		return err
	}
	var rows, members, harms, items, cash [][]any
	var total leoc.Money
	for i, d := range ds {
		d.ID = ids[i]
		t.s.stamp(&d.Record, actor)
		rows = append(rows, append(append([]any{d.ID}, distributionArgs(d)...), d.Locked, d.Version, d.CreatedAt, d.CreatedBy, d.UpdatedAt, d.UpdatedBy))
		for j, m := range d.Members {
			members = append(members, []any{d.ID, j, m.Name, m.Relation, m.Age, m.Sex})
		}
		for j, h := range d.Harms {
			harms = append(harms, []any{d.ID, j, h.Member, h.Harm, h.Severity})
		}
		for j, it := range d.Items {
			items = append(items, []any{d.ID, j, it.Item, it.Quantity, it.Unit})
		}
		if d.Cash > 0 {
			total += d.Cash
			cash = append(cash, []any{"expenditure", int64(d.Cash), cashDescription(d), d.DateBS.String(), dateText(d.DateAD), d.FiscalYear.Start,
				true, d.ID, true, 1, d.CreatedAt, actor.Username, d.UpdatedAt, actor.Username})
		}
	}
	writes := []struct {
		into string
		rows [][]any
	}{
		{"distributions (id, " + strings.Join(distributionFields, ", ") + ", " + recordColumns + ")", rows},
		{"distribution_members (distribution_id, position, name, relation, age, sex)", members},
		{"distribution_harms (distribution_id, position, member, harm, severity)", harms},
		{"distribution_items (distribution_id, position, item, quantity, unit)", items},
		{"fund_transactions (kind, amount, description, date_bs, date_ad, fiscal_year, system, distribution_id, " + recordColumns + ")", cash},
	}
	for _, w := range writes {
		if err := t.insertChunked(ctx, w.into, w.rows); err != nil {
			return distributionWriteError("bulk create", err)
		}
	}
	// Shared rows last, as in CreateDistribution.
	if total > 0 {
		if err := t.moveBalance(ctx, -total); err != nil {
			return err
		}
	}
	for _, d := range ds {
		t.s.settle(&d.Record)
	}
	return t.Audit(ctx, actor, "record.bulk_create", DistributionRegister.Name, "", map[string]any{
		"count": len(ds), "first_id": ids[0], "last_id": ids[len(ids)-1], "cash": total.String(),
		"note": "bulk load: one entry for the batch; statistics rebuilt from the records after the load; no stock taken",
	})
}

// newDistributionIDs reserves n ids, ascending. SQLite has one writer, and
// an INTEGER PRIMARY KEY without AUTOINCREMENT takes MAX(id)+1 anyway;
// PostgreSQL draws them from the identity's sequence, which is then past
// them (other writers at the same time may take ids in between).
func (t *Tx) newDistributionIDs(ctx context.Context, n int) ([]int64, error) {
	ids := make([]int64, 0, n)
	if t.s.dialect == Postgres {
		rows, err := t.query(ctx, "SELECT nextval(pg_get_serial_sequence('distributions', 'id')) FROM generate_series(1, ?) ORDER BY 1", n)
		if err != nil {
			return nil, fmt.Errorf("store: distribution ids: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				return nil, fmt.Errorf("store: distribution ids: %w", err)
			}
			ids = append(ids, id)
		}
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("store: distribution ids: %w", err)
		}
		if len(ids) != n {
			return nil, fmt.Errorf("store: distribution ids: %d of %d", len(ids), n)
		}
		return ids, nil
	}
	var last int64
	if err := t.queryRow(ctx, "SELECT COALESCE(MAX(id), 0) FROM distributions").Scan(&last); err != nil {
		return nil, fmt.Errorf("store: distribution ids: %w", err)
	}
	for i := range n {
		ids = append(ids, last+1+int64(i))
	}
	return ids, nil
}

// insertChunked writes rows with as few multi-row INSERTs as the
// parameter limit allows.
func (t *Tx) insertChunked(ctx context.Context, into string, rows [][]any) error {
	if len(rows) == 0 {
		return nil
	}
	per := max(bulkParams/len(rows[0]), 1)
	for len(rows) > 0 {
		k := min(per, len(rows))
		if err := t.insertRows(ctx, into, rows[:k]); err != nil {
			return err
		}
		rows = rows[k:]
	}
	return nil
}

// FinishBulkLoad makes a database right after bulk loads: it rebuilds the
// statistics from the records and refreshes the planner's statistics
// (ANALYZE; VACUUM ANALYZE on PostgreSQL, which also sets the visibility
// maps that index-only scans need).
func (s *Store) FinishBulkLoad(ctx context.Context) error {
	if err := s.RebuildStatistics(ctx); err != nil {
		return err
	}
	q := "ANALYZE"
	if s.dialect == Postgres {
		q = "VACUUM ANALYZE"
	}
	if _, err := s.wdb.ExecContext(ctx, q); err != nil {
		return fmt.Errorf("store: finish bulk load: %s: %w", q, err)
	}
	return nil
}
