package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"leoc/internal/bs"
	"leoc/internal/leoc"
)

// What `leoc import-legacy` needs of the store beyond the registers' own
// create functions: the table of imported legacy ids (idempotence), the
// original creation times and lock flags of imported rows, and the sit-rep
// numbers the old system issued.

type importingKey struct{}

// ImportingHistory marks ctx as the import of records that already have a
// history: an imported incident does not write a new operations-log entry,
// because the old system's own log entries are imported beside it.
func ImportingHistory(ctx context.Context) context.Context {
	return context.WithValue(ctx, importingKey{}, true)
}

func importingHistory(ctx context.Context) bool {
	v, _ := ctx.Value(importingKey{}).(bool)
	return v
}

// LegacyImport is one imported legacy row and the record it became.
type LegacyImport struct {
	Table    string // the old table, e.g. "relief_distribution"
	LegacyID string
	Register string // the register's name ("" when it became no record)
	RecordID int64
}

// LegacyOrigin is what an imported record keeps of its old row.
type LegacyOrigin struct {
	CreatedAt, UpdatedAt time.Time
	Locked               bool
}

// LegacyImportedIDs returns the ids of table's rows imported before, with
// the record each became.
func (t *Tx) LegacyImportedIDs(ctx context.Context, table string) (map[string]int64, error) {
	rows, err := t.query(ctx, "SELECT legacy_id, record_id FROM legacy_imports WHERE legacy_table = ?", table)
	if err != nil {
		return nil, fmt.Errorf("store: legacy imports: %w", err)
	}
	defer rows.Close()
	out := map[string]int64{}
	for rows.Next() {
		var id string
		var rec int64
		if err := rows.Scan(&id, &rec); err != nil {
			return nil, fmt.Errorf("store: legacy imports: %w", err)
		}
		out[id] = rec
	}
	return out, rows.Err()
}

// LegacyImportItem is one imported row to note: what it became and, for a
// record, what it keeps of its old row (nil for none).
type LegacyImportItem struct {
	LegacyImport
	Origin *LegacyOrigin
	// AuditedWith is set when another item's audit entry names this row
	// (a relief expenditure is audited with its distribution), "" otherwise.
	AuditedWith string
	// Also are further legacy rows the entry names (the expenditure of a
	// distribution): table → id.
	Also map[string]string
}

// RecordLegacyImport notes one imported row; see RecordLegacyImports.
func (t *Tx) RecordLegacyImport(ctx context.Context, actor Actor, li LegacyImport, origin *LegacyOrigin) error {
	return t.RecordLegacyImports(ctx, actor, []LegacyImportItem{{LegacyImport: li, Origin: origin}})
}

// RecordLegacyImports notes that the items were imported, gives each new
// record its old row's creation and change times and its lock flag (a
// stored FALSE is "unlocked": open until the next save, as in the old
// system), and audits each import with the legacy table and id, in the
// caller's transaction.
func (t *Tx) RecordLegacyImports(ctx context.Context, actor Actor, items []LegacyImportItem) error {
	now := t.s.Now()
	for start := 0; start < len(items); start += 100 {
		chunk := items[start:min(start+100, len(items))]
		q := "INSERT INTO legacy_imports (legacy_table, legacy_id, register, record_id, imported_at) VALUES " +
			strings.TrimSuffix(strings.Repeat("(?, ?, ?, ?, ?), ", len(chunk)), ", ")
		args := make([]any, 0, 5*len(chunk))
		for _, it := range chunk {
			args = append(args, it.Table, it.LegacyID, it.Register, it.RecordID, now)
		}
		if _, err := t.exec(ctx, q, args...); err != nil {
			return fmt.Errorf("store: record legacy imports: %w", err)
		}
	}
	for _, it := range items {
		details := map[string]any{"legacy_table": it.Table, "legacy_id": it.LegacyID}
		if it.Origin != nil && it.Register != "" {
			reg, ok := t.s.Register(it.Register)
			if !ok {
				return fmt.Errorf("store: legacy import into unknown register %q", it.Register)
			}
			created, updated := it.Origin.CreatedAt.UTC().Truncate(time.Microsecond), it.Origin.UpdatedAt.UTC().Truncate(time.Microsecond)
			if updated.Before(created) {
				updated = created
			}
			if _, err := t.exec(ctx, "UPDATE "+reg.Table+" SET created_at = ?, updated_at = ?, locked = ? WHERE id = ?",
				created, updated, it.Origin.Locked, it.RecordID); err != nil {
				return fmt.Errorf("store: keep origin of %s %d: %w", it.Register, it.RecordID, err)
			}
			details["created_at"], details["locked"] = created, it.Origin.Locked
		}
		if it.AuditedWith != "" {
			continue
		}
		for table, id := range it.Also {
			details["legacy_"+table] = id
		}
		entity, id := it.Register, strconv.FormatInt(it.RecordID, 10)
		if entity == "" {
			entity, id = it.Table, it.LegacyID
		}
		if err := t.Audit(ctx, actor, "record.import", entity, id, details); err != nil {
			return err
		}
	}
	return nil
}

// DistributionKeys maps every duplicate key in use to its distribution.
// The import checks against it before creating (and adds what it creates),
// because on PostgreSQL a refused insert would abort the whole import's
// transaction, and one query per record would cost as much as the record.
func (t *Tx) DistributionKeys(ctx context.Context) (map[string]int64, error) {
	rows, err := t.query(ctx, "SELECT dup_key, id FROM distributions WHERE dup_key IS NOT NULL")
	if err != nil {
		return nil, fmt.Errorf("store: distribution keys: %w", err)
	}
	defer rows.Close()
	out := map[string]int64{}
	for rows.Next() {
		var key string
		var id int64
		if err := rows.Scan(&key, &id); err != nil {
			return nil, fmt.Errorf("store: distribution keys: %w", err)
		}
		out[key] = id
	}
	return out, rows.Err()
}

// BeneficiaryWithKey is the beneficiary enrolled for allowance whose identity
// number has key, 0 when none is (a card is enrolled once per allowance).
func (t *Tx) BeneficiaryWithKey(ctx context.Context, key, allowance string) (int64, error) {
	var id int64
	err := t.queryRow(ctx, "SELECT id FROM beneficiaries WHERE id_key = ? AND allowance_type = ?", key, allowance).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("store: beneficiary by key: %w", err)
	}
	return id, nil
}

// SystemFundEntries maps each distribution with cash to its system
// expenditure's id, in one query (there is no index on distribution_id: a
// lookup per distribution would read the whole ledger each time).
func (t *Tx) SystemFundEntries(ctx context.Context) (map[int64]int64, error) {
	rows, err := t.query(ctx, "SELECT distribution_id, id FROM fund_transactions WHERE distribution_id IS NOT NULL")
	if err != nil {
		return nil, fmt.Errorf("store: system fund entries: %w", err)
	}
	defer rows.Close()
	out := map[int64]int64{}
	for rows.Next() {
		var dist, id int64
		if err := rows.Scan(&dist, &id); err != nil {
			return nil, fmt.Errorf("store: system fund entries: %w", err)
		}
		out[dist] = id
	}
	return out, rows.Err()
}

// FundBalance is the balance as the transaction sees it.
func (t *Tx) FundBalance(ctx context.Context) (leoc.Money, error) {
	// The balance moves of the distributions written so far are queued
	// (Tx.writeLast); they count.
	if err := t.flushLast(ctx); err != nil {
		return 0, err
	}
	var b int64
	if err := t.queryRow(ctx, "SELECT balance FROM fund_balance WHERE id = 1").Scan(&b); err != nil {
		return 0, fmt.Errorf("store: fund balance: %w", err)
	}
	return leoc.Money(b), nil
}

// SitrepConflict says why an old sit-rep number could not be kept: the day
// already has a number here, or the number is taken by another day.
type SitrepConflict struct {
	ExistingNumber int    // the day's number here (0 if it has none)
	TakenBy        string // BS day that holds the number ("" if free)
}

// ImportSitrepNumber keeps a number the old system issued for day, so the
// next bulletin continues the sequence. It writes nothing and returns the
// conflict when the day or the number is taken. The day's records are not
// locked here: the import keeps the old lock flags.
func (t *Tx) ImportSitrepNumber(ctx context.Context, actor Actor, day bs.Date, dayAD time.Time, number int, issuedAt time.Time) (*SitrepConflict, error) {
	var c SitrepConflict
	err := t.queryRow(ctx, "SELECT number FROM sitrep_numbers WHERE day_ad = ?", dateText(dayAD)).Scan(&c.ExistingNumber)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("store: sit-rep number: %w", err)
	}
	fy := bs.FiscalYearOf(day).Start
	err = t.queryRow(ctx, "SELECT day_bs FROM sitrep_numbers WHERE fiscal_year = ? AND number = ?", fy, number).Scan(&c.TakenBy)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("store: sit-rep number: %w", err)
	}
	if c.ExistingNumber != 0 || c.TakenBy != "" {
		return &c, nil
	}
	if _, err := t.exec(ctx, `INSERT INTO sitrep_numbers (fiscal_year, number, day_bs, day_ad, issued_at, issued_by) VALUES (?, ?, ?, ?, ?, ?)`,
		fy, number, day.String(), dateText(dayAD), issuedAt.UTC().Truncate(time.Microsecond), actor.Username); err != nil {
		return nil, fmt.Errorf("store: import sit-rep number: %w", err)
	}
	return nil, nil
}

// NextSitrepNumber is the number the next new day of fiscalYear would get.
func (t *Tx) NextSitrepNumber(ctx context.Context, fiscalYear int) (int, error) {
	var n int
	if err := t.queryRow(ctx, "SELECT COALESCE(MAX(number), 0) + 1 FROM sitrep_numbers WHERE fiscal_year = ?", fiscalYear).Scan(&n); err != nil {
		return 0, fmt.Errorf("store: next sit-rep number: %w", err)
	}
	return n, nil
}
