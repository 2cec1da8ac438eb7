package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"time"

	"leoc/internal/bs"
	"leoc/internal/leoc"
)

// FundRegister plugs manual fund entries into locking: they lock when
// saved like every record. (System entries change only with their
// distribution.)
var FundRegister = Register{Name: "funds", Table: "fund_transactions"}

// moveBalance changes the fund balance by delta in the transaction. A
// withdrawal succeeds only if the balance covers it, decided by the UPDATE
// itself: on PostgreSQL the row lock makes concurrent withdrawals wait and
// re-check the new balance; on SQLite there is one writer. Nothing is read
// first and decided in Go.
func (t *Tx) moveBalance(ctx context.Context, delta leoc.Money) error {
	// Shared rows queued before keep their place before the balance.
	if err := t.flushLast(ctx); err != nil {
		return err
	}
	if delta >= 0 {
		if _, err := t.exec(ctx, "UPDATE fund_balance SET balance = balance + ? WHERE id = 1", int64(delta)); err != nil {
			return fmt.Errorf("store: fund balance: %w", err)
		}
		return nil
	}
	res, err := t.exec(ctx, "UPDATE fund_balance SET balance = balance - ? WHERE id = 1 AND balance >= ?", int64(-delta), int64(-delta))
	if err != nil {
		return fmt.Errorf("store: fund balance: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("store: fund balance: %w", err)
	} else if n == 0 {
		var balance int64
		if err := t.queryRow(ctx, "SELECT balance FROM fund_balance WHERE id = 1").Scan(&balance); err != nil {
			return fmt.Errorf("store: fund balance: %w", err)
		}
		return insufficientFunds(leoc.Money(balance), -delta)
	}
	return nil
}

// moveBalanceLast moves the balance as moveBalance does, with the shared
// rows at the end of the transaction (Tx.writeLast): after the statistics
// queued before it, before the audit head. A short balance fails the
// transaction there. The balance is read back in the same round trip for
// the message.
func (t *Tx) moveBalanceLast(ctx context.Context, delta leoc.Money) error {
	if delta >= 0 {
		return t.writeLast(ctx, lastWrite{q: "UPDATE fund_balance SET balance = balance + ? WHERE id = 1", args: []any{int64(delta)}, what: "fund balance"})
	}
	var moved bool
	err := t.writeLast(ctx, lastWrite{q: "UPDATE fund_balance SET balance = balance - ? WHERE id = 1 AND balance >= ?",
		args: []any{int64(-delta), int64(-delta)}, what: "fund balance", check: func(n int64) error { moved = n > 0; return nil }})
	if err != nil {
		return err
	}
	var balance int64
	return t.writeLast(ctx, lastWrite{q: "SELECT balance FROM fund_balance WHERE id = 1", dest: []any{&balance}, what: "fund balance",
		check: func(int64) error {
			if moved {
				return nil
			}
			return insufficientFunds(leoc.Money(balance), -delta)
		}})
}

func insufficientFunds(balance, want leoc.Money) error {
	avail, need := leoc.Number(bs.GroupIndian(balance.String())), leoc.Number(bs.GroupIndian(want.String()))
	return &leoc.Error{Code: leoc.EConflict, Message: leoc.M("fund.insufficient", avail, need),
		Fields: map[string]leoc.Msg{"cash": leoc.M("fund.insufficient", avail, need)}}
}

const fundColumns = "id, kind, amount, description, date_bs, date_ad, fiscal_year, system, distribution_id, " + recordColumns

func (s *Store) scanFund(r rowScanner) (*leoc.FundTransaction, error) {
	var f leoc.FundTransaction
	var dateBS, dateAD string
	var dist sql.NullInt64
	dest := append([]any{&f.ID, &f.Kind, (*int64)(&f.Amount), &f.Description, &dateBS, &dateAD, &f.FiscalYear.Start, &f.System, &dist},
		recordDest(&f.Record)...)
	if err := r.Scan(dest...); err != nil {
		return nil, err
	}
	var err error
	if f.DateBS, err = storedDate(dateBS); err != nil {
		return nil, fmt.Errorf("store: fund entry %d has a bad date: %w", f.ID, err)
	}
	if f.DateAD, err = time.Parse(time.DateOnly, dateAD); err != nil {
		return nil, fmt.Errorf("store: fund entry %d has a bad AD date: %w", f.ID, err)
	}
	f.DistributionID = dist.Int64
	s.settle(&f.Record)
	return &f, nil
}

// cashDescription is the text of a distribution's expenditure entry.
func cashDescription(d *leoc.Distribution) string {
	return fmt.Sprintf("राहत वितरण दर्ता नं. %s: %s", bs.DevanagariDigits(strconv.FormatInt(d.ID, 10)), truncateRunes(d.HouseholdName, 200))
}

// syncCashEntry makes the distribution's system expenditure match its cash:
// created, changed or removed (the balance was already moved).
func (t *Tx) syncCashEntry(ctx context.Context, actor Actor, old, updated *leoc.Distribution) error {
	hadCash, hasCash := old != nil && old.Cash > 0, updated != nil && updated.Cash > 0
	now := t.s.Now()
	switch {
	case hasCash && !hadCash:
		_, err := t.exec(ctx, `INSERT INTO fund_transactions (kind, amount, description, date_bs, date_ad, fiscal_year, system, distribution_id,
			`+recordColumns+`) VALUES ('expenditure', ?, ?, ?, ?, ?, TRUE, ?, TRUE, 1, ?, ?, ?, ?)`,
			int64(updated.Cash), cashDescription(updated), updated.DateBS.String(), dateText(updated.DateAD), updated.FiscalYear.Start, updated.ID,
			now, actor.Username, now, actor.Username)
		if err != nil {
			return fmt.Errorf("store: fund entry of distribution %d: %w", updated.ID, err)
		}
	case hasCash && hadCash:
		_, err := t.exec(ctx, `UPDATE fund_transactions SET amount = ?, description = ?, date_bs = ?, date_ad = ?, fiscal_year = ?,
			version = version + 1, updated_at = ?, updated_by = ? WHERE distribution_id = ?`,
			int64(updated.Cash), cashDescription(updated), updated.DateBS.String(), dateText(updated.DateAD), updated.FiscalYear.Start,
			now, actor.Username, updated.ID)
		if err != nil {
			return fmt.Errorf("store: fund entry of distribution %d: %w", updated.ID, err)
		}
	case hadCash && !hasCash:
		if _, err := t.exec(ctx, "DELETE FROM fund_transactions WHERE distribution_id = ?", old.ID); err != nil {
			return fmt.Errorf("store: fund entry of distribution %d: %w", old.ID, err)
		}
	}
	return nil
}

// CreateFundTransaction records a manual income or expenditure; an
// expenditure the balance does not cover is refused.
func (s *Store) CreateFundTransaction(ctx context.Context, actor Actor, f *leoc.FundTransaction) error {
	return s.WithTx(ctx, func(tx *Tx) error { return tx.CreateFundTransaction(ctx, actor, f) })
}

// CreateFundTransaction records a manual entry inside a larger transaction
// (the legacy import).
func (t *Tx) CreateFundTransaction(ctx context.Context, actor Actor, f *leoc.FundTransaction) error {
	f.System, f.DistributionID = false, 0
	if err := t.moveBalance(ctx, f.Signed()); err != nil {
		return amountField(err)
	}
	t.s.stamp(&f.Record, actor)
	err := t.queryRow(ctx, `INSERT INTO fund_transactions (kind, amount, description, date_bs, date_ad, fiscal_year, system, `+recordColumns+`)
		VALUES (?, ?, ?, ?, ?, ?, FALSE, ?, ?, ?, ?, ?, ?) RETURNING id`,
		f.Kind, int64(f.Amount), f.Description, f.DateBS.String(), dateText(f.DateAD), f.FiscalYear.Start,
		f.Locked, f.Version, f.CreatedAt, f.CreatedBy, f.UpdatedAt, f.UpdatedBy).Scan(&f.ID)
	if err != nil {
		return fmt.Errorf("store: create fund entry: %w", err)
	}
	t.s.settle(&f.Record)
	return t.Audit(ctx, actor, "record.create", FundRegister.Name, strconv.FormatInt(f.ID, 10), map[string]any{"after": f.Fields()})
}

// amountField reports a short balance on the manual entry's amount field.
func amountField(err error) error {
	if e, ok := leoc.AsError(err); ok && e.Code == leoc.EConflict && e.Fields != nil {
		return &leoc.Error{Code: e.Code, Message: e.Message, Fields: map[string]leoc.Msg{"amount": e.Message}}
	}
	return err
}

// FundTransaction loads one entry.
func (s *Store) FundTransaction(ctx context.Context, id int64) (*leoc.FundTransaction, error) {
	f, err := s.scanFund(s.queryRow(ctx, "SELECT "+fundColumns+" FROM fund_transactions WHERE id = ?", id))
	if err != nil {
		return nil, notFound(err, "record.not_found")
	}
	return f, nil
}

func (t *Tx) manualFundEntry(ctx context.Context, u *leoc.User, id int64) (*leoc.FundTransaction, error) {
	old, err := t.s.scanFund(t.queryRow(ctx, "SELECT "+fundColumns+" FROM fund_transactions WHERE id = ?", id))
	if err != nil {
		return nil, notFound(err, "record.not_found")
	}
	if old.System {
		return nil, leoc.Errorf(leoc.EConflict, "fund.system_entry", old.DistributionID)
	}
	if err := t.CheckWritable(ctx, FundRegister, id, u); err != nil {
		return nil, err
	}
	return old, nil
}

// UpdateFundTransaction saves an unlocked manual entry (version-checked);
// the balance moves by the difference and must stay at or above zero.
func (s *Store) UpdateFundTransaction(ctx context.Context, actor Actor, u *leoc.User, f *leoc.FundTransaction) error {
	return s.WithTx(ctx, func(tx *Tx) error {
		old, err := tx.manualFundEntry(ctx, u, f.ID)
		if err != nil {
			return err
		}
		if delta := f.Signed() - old.Signed(); delta != 0 {
			if err := tx.moveBalance(ctx, delta); err != nil {
				return amountField(err)
			}
		}
		if err := tx.updateVersioned(ctx, "fund_transactions", f.ID, f.Version, actor,
			"kind = ?, amount = ?, description = ?, date_bs = ?, date_ad = ?, fiscal_year = ?",
			f.Kind, int64(f.Amount), f.Description, f.DateBS.String(), dateText(f.DateAD), f.FiscalYear.Start); err != nil {
			return err
		}
		saved, err := s.scanFund(tx.queryRow(ctx, "SELECT "+fundColumns+" FROM fund_transactions WHERE id = ?", f.ID))
		if err != nil {
			return fmt.Errorf("store: reload fund entry: %w", err)
		}
		*f = *saved
		return tx.Audit(ctx, actor, "record.update", FundRegister.Name, strconv.FormatInt(f.ID, 10),
			map[string]any{"changes": Changes(old.Fields(), f.Fields())})
	})
}

// DeleteFundTransaction removes an unlocked manual entry; removing income
// the fund has already spent is refused.
func (s *Store) DeleteFundTransaction(ctx context.Context, actor Actor, u *leoc.User, id int64) error {
	return s.WithTx(ctx, func(tx *Tx) error {
		old, err := tx.manualFundEntry(ctx, u, id)
		if err != nil {
			return err
		}
		if err := tx.moveBalance(ctx, -old.Signed()); err != nil {
			return amountField(err)
		}
		if _, err := tx.exec(ctx, "DELETE FROM fund_transactions WHERE id = ?", id); err != nil {
			return fmt.Errorf("store: delete fund entry: %w", err)
		}
		return tx.Audit(ctx, actor, "record.delete", FundRegister.Name, strconv.FormatInt(id, 10), map[string]any{"before": old.Fields()})
	})
}

// FundEntry is a ledger line with the balance after it.
type FundEntry struct {
	*leoc.FundTransaction
	Balance    leoc.Money
	HasBalance bool // false in a filtered list
}

// FundFilter selects ledger lines.
type FundFilter struct {
	FiscalYears []int
	Kind        string
	Page        int
	PerPage     int
	After       string  // as RecordFilter.After
	Keyset      *Keyset // as RecordFilter.Keyset
}

// FundTransactions lists a page of the ledger, newest first, each line with
// the running balance after it (over the whole ledger, in date order), and
// the total number of lines.
func (s *Store) FundTransactions(ctx context.Context, f FundFilter) ([]FundEntry, int, error) {
	var w where
	w.in("fiscal_year", len(f.FiscalYears), func(i int) any { return f.FiscalYears[i] })
	if f.Kind != "" {
		w.add("kind = ?", f.Kind)
	}
	var total int
	if err := s.queryRow(ctx, "SELECT COUNT(*) FROM fund_transactions"+w.sql(), w.args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("store: count fund entries: %w", err)
	}
	var out []FundEntry
	page := RecordFilter{Page: f.Page, PerPage: f.PerPage, After: f.After, Keyset: f.Keyset}
	err := s.readPage(ctx, listPage{table: "fund_transactions", read: fundColumns, w: &w, order: " ORDER BY date_ad DESC, id DESC"}, page,
		func(r rowScanner) error {
			t, err := s.scanFund(r)
			out = append(out, FundEntry{FundTransaction: t})
			return err
		})
	if err != nil {
		return nil, 0, err
	}
	// The running balance after the newest line of the page is the sum of
	// every line up to it in ledger order; the rest follow by subtraction.
	if len(out) > 0 {
		top := out[0]
		var bal int64
		err := s.queryRow(ctx, `SELECT COALESCE(CAST(SUM(CASE WHEN kind = 'income' THEN amount ELSE -amount END) AS BIGINT), 0)
			FROM fund_transactions WHERE date_ad < ? OR (date_ad = ? AND id <= ?)`,
			dateText(top.DateAD), dateText(top.DateAD), top.ID).Scan(&bal)
		if err != nil {
			return nil, 0, fmt.Errorf("store: running balance: %w", err)
		}
		// With a filter, lines left out still move the balance, so the
		// running balance is shown only on the whole ledger.
		if len(w.parts) == 0 {
			b := leoc.Money(bal)
			for i := range out {
				out[i].Balance, out[i].HasBalance = b, true
				b -= out[i].Signed()
			}
		}
	}
	return out, total, nil
}

// FundYear is the income and expenditure of one fiscal year.
type FundYear struct {
	FiscalYear  bs.FiscalYear
	Income      leoc.Money
	Expenditure leoc.Money
}

// FundSummary is the fund's totals.
type FundSummary struct {
	Income, Expenditure, Balance leoc.Money
	ByFiscalYear                 []FundYear // newest first
}

// FundSummary sums the ledger and reads the balance row; they agree unless
// someone edited the database by hand (VerifyFundBalance says so).
func (s *Store) FundSummary(ctx context.Context) (*FundSummary, error) {
	rows, err := s.query(ctx, `SELECT fiscal_year, kind, CAST(SUM(amount) AS BIGINT) FROM fund_transactions GROUP BY fiscal_year, kind ORDER BY fiscal_year DESC`)
	if err != nil {
		return nil, fmt.Errorf("store: fund summary: %w", err)
	}
	defer rows.Close()
	sum := &FundSummary{}
	for rows.Next() {
		var fy int
		var kind string
		var amount int64
		if err := rows.Scan(&fy, &kind, &amount); err != nil {
			return nil, fmt.Errorf("store: fund summary: %w", err)
		}
		if n := len(sum.ByFiscalYear); n == 0 || sum.ByFiscalYear[n-1].FiscalYear.Start != fy {
			sum.ByFiscalYear = append(sum.ByFiscalYear, FundYear{FiscalYear: bs.FiscalYear{Start: fy}})
		}
		y := &sum.ByFiscalYear[len(sum.ByFiscalYear)-1]
		if kind == "income" {
			y.Income += leoc.Money(amount)
			sum.Income += leoc.Money(amount)
		} else {
			y.Expenditure += leoc.Money(amount)
			sum.Expenditure += leoc.Money(amount)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: fund summary: %w", err)
	}
	rows.Close()
	if err := s.queryRow(ctx, "SELECT balance FROM fund_balance WHERE id = 1").Scan((*int64)(&sum.Balance)); err != nil {
		return nil, fmt.Errorf("store: fund balance: %w", err)
	}
	return sum, nil
}

// FundBalance is the available balance.
func (s *Store) FundBalance(ctx context.Context) (leoc.Money, error) {
	var b int64
	if err := s.queryRow(ctx, "SELECT balance FROM fund_balance WHERE id = 1").Scan(&b); err != nil {
		return 0, fmt.Errorf("store: fund balance: %w", err)
	}
	return leoc.Money(b), nil
}

// VerifyFundBalance checks that the balance row equals income − expenditure
// and that every system entry matches its distribution's cash.
func (s *Store) VerifyFundBalance(ctx context.Context) error {
	sum, err := s.FundSummary(ctx)
	if err != nil {
		return err
	}
	if sum.Income-sum.Expenditure != sum.Balance {
		return fmt.Errorf("fund balance %s, but income − expenditure = %s", sum.Balance, sum.Income-sum.Expenditure)
	}
	var bad int
	err = s.queryRow(ctx, `SELECT
		(SELECT COUNT(*) FROM distributions d LEFT JOIN fund_transactions f ON f.distribution_id = d.id
			WHERE (d.cash > 0 AND (f.id IS NULL OR f.amount <> d.cash OR f.kind <> 'expenditure')) OR (d.cash = 0 AND f.id IS NOT NULL))
		+ (SELECT COUNT(*) FROM fund_transactions f WHERE f.system AND NOT EXISTS (SELECT 1 FROM distributions d WHERE d.id = f.distribution_id))`).Scan(&bad)
	if err != nil {
		return fmt.Errorf("store: verify fund: %w", err)
	}
	if bad > 0 {
		return errors.New("store: " + strconv.Itoa(bad) + " distributions disagree with their fund entries")
	}
	return nil
}

// AddFundIncome records a system-free income entry inside a larger
// transaction (the demo generator funds its distributions with it).
func (t *Tx) AddFundIncome(ctx context.Context, actor Actor, amount leoc.Money, description string, date bs.Date, cal *bs.Calendar) error {
	ad, err := cal.ToAD(date)
	if err != nil {
		return fmt.Errorf("store: fund income date: %w", err)
	}
	f := &leoc.FundTransaction{Kind: "income", Amount: amount, Description: description,
		Dated: leoc.Dated{DateBS: date, DateAD: ad, FiscalYear: bs.FiscalYearOf(date)}}
	if err := t.moveBalance(ctx, amount); err != nil {
		return err
	}
	t.s.stamp(&f.Record, actor)
	err = t.queryRow(ctx, `INSERT INTO fund_transactions (kind, amount, description, date_bs, date_ad, fiscal_year, system, `+recordColumns+`)
		VALUES ('income', ?, ?, ?, ?, ?, FALSE, ?, ?, ?, ?, ?, ?) RETURNING id`,
		int64(f.Amount), f.Description, f.DateBS.String(), dateText(f.DateAD), f.FiscalYear.Start,
		f.Locked, f.Version, f.CreatedAt, f.CreatedBy, f.UpdatedAt, f.UpdatedBy).Scan(&f.ID)
	if err != nil {
		return fmt.Errorf("store: fund income: %w", err)
	}
	t.s.settle(&f.Record)
	return t.Audit(ctx, actor, "record.create", FundRegister.Name, strconv.FormatInt(f.ID, 10), map[string]any{"after": f.Fields()})
}
