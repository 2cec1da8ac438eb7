package legacy

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"leoc/internal/bs"
	"leoc/internal/leoc"
	"leoc/internal/store"
)

// The fund and the relief it paid for are imported together, because the
// old ledger's system expenditures are our distributions' cash entries. The
// order: every income first, then the expenditures and the distributions,
// so no passing state of the old ledger can refuse an entry; the balance
// after is the old one to the paisa. Where a distribution's cash and the
// ledger disagree (cash with no expenditure, an expenditure of another
// amount, an expenditure whose distribution was refused), one adjusting
// entry per direction keeps the balance and the report names every case.

// fundRow is one old ledger row, read and validated.
type fundRow struct {
	r      row
	kind   string // income | expenditure
	paisa  leoc.Money
	system bool
	entry  *leoc.FundTransaction
}

func (im *importer) importFund(ctx context.Context) error {
	const table = "fund_transaction"
	var rows []*fundRow
	err := im.eachNew(ctx, table, func(r row) error {
		f := &fundRow{r: r}
		switch leoc.FoldText(r.str("transaction_type")) {
		case "income", "आम्दानी":
			f.kind = "income"
		case "expenditure", "expense", "खर्च":
			f.kind = "expenditure"
		default:
			im.rep.skip(table, r.legacyID(), leoc.Errorf(leoc.EInvalid, "legacy.skip.fund_kind", r.str("transaction_type")))
			return nil
		}
		amount, _ := im.amount(r, table, "amount")
		f.system, _ = r.bool("is_system")
		in := leoc.FundInput{Kind: f.kind, Amount: amount, Description: r.str("description")}
		if day, ok := adDate(r.str("transaction_date")); ok {
			if d, err := im.cal.FromAD(day); err == nil {
				in.DateBS = d.String()
			}
		}
		if in.Description == "" {
			in.Description = "(पुरानो प्रणालीमा विवरण थिएन)"
		}
		f.entry = &leoc.FundTransaction{}
		if err := in.Apply(im.cal, f.entry); err != nil {
			im.rep.skip(table, r.legacyID(), err)
			return nil
		}
		f.paisa = f.entry.Amount
		rows = append(rows, f)
		return nil
	})
	if err != nil {
		return err
	}
	dists, err := im.prepareDistributions(ctx)
	if err != nil {
		return err
	}
	before, err := im.tx.FundBalance(ctx)
	if err != nil {
		return err
	}
	// Which system expenditures the distributions take over.
	system := map[int64]*fundRow{}
	for _, f := range rows {
		if f.system && f.kind == "expenditure" {
			system[f.r.id()] = f
		}
	}
	var plus, minus leoc.Money
	var plusIDs, minusIDs []string
	taken := map[int64]bool{}
	for _, p := range dists {
		f := system[p.fundID]
		if f != nil && taken[p.fundID] {
			f = nil
		}
		var ledger leoc.Money
		if f != nil {
			ledger, taken[p.fundID] = f.paisa, true
			p.also = map[string]string{table: f.r.legacyID()}
		}
		id := p.r.legacyID()
		switch diff := p.d.Cash - ledger; {
		case f == nil && p.d.Cash > 0:
			im.rep.warn(WarnCashNotInLedger, "relief_distribution", id, "legacy.detail.cash_not_in_ledger", money(p.d.Cash))
			plus += diff
			plusIDs = append(plusIDs, id)
		case diff != 0 && f != nil:
			im.rep.warn(WarnCashMismatch, "relief_distribution", id, "legacy.detail.cash_differs", money(p.d.Cash),
				f.r.legacyID(), money(ledger))
			if diff > 0 {
				plus += diff
				plusIDs = append(plusIDs, id)
			} else {
				minus -= diff
				minusIDs = append(minusIDs, id)
			}
		}
	}
	// This run's effect on the balance is the new rows' (the adjustments
	// cancel out what the distributions do differently), and the old
	// balance is the whole old ledger's.
	var delta leoc.Money
	for _, f := range rows {
		delta += f.entry.Signed()
	}
	oldBalance, err := im.oldBalance(ctx)
	if err != nil {
		return err
	}
	im.rep.OldBalance = oldBalance
	if oldBalance < 0 {
		im.rep.warn(WarnNegativeBalance, table, "-", "legacy.detail.negative_balance", money(oldBalance))
	}
	cover := leoc.Money(0)
	if before+delta < 0 {
		cover = -(before + delta)
	}
	today, err := im.cal.FromAD(bs.NepalTime(im.st.Now()))
	if err != nil {
		return err
	}
	// 1. income, oldest first
	for _, f := range sortedFund(rows, "income") {
		if err := im.createFundEntry(ctx, f); err != nil {
			return err
		}
	}
	if plus > 0 {
		desc := fmt.Sprintf("पुरानो प्रणालीबाट आयात: खाता बहीमा नलेखिएको वा कम लेखिएको राहत नगद (relief_distribution %s)", idList(plusIDs))
		if err := im.adjust(ctx, "income", plus, desc, today); err != nil {
			return err
		}
	}
	if cover > 0 {
		desc := fmt.Sprintf("पुरानो प्रणालीबाट आयात: पुरानो खाता बहीको ऋणात्मक मौज्दात (%s) पूर्ति", oldBalance.String())
		if err := im.adjust(ctx, "income", cover, desc, today); err != nil {
			return err
		}
	}
	// 2. manual expenditures, then the distributions with their cash
	for _, f := range sortedFund(rows, "expenditure") {
		if f.system && taken[f.r.id()] {
			continue
		}
		if f.system {
			im.rep.warn(WarnOrphanExpense, table, f.r.legacyID(), "legacy.detail.expenditure_without_distribution", money(f.paisa))
		}
		if err := im.createFundEntry(ctx, f); err != nil {
			return err
		}
	}
	c, started := im.rep.table("relief_distribution"), time.Now()
	im.prog.start("relief_distribution", len(dists))
	for _, p := range dists {
		im.prog.step()
		if err := im.createDistribution(ctx, p); err != nil {
			return fmt.Errorf("relief_distribution %s: %w", p.r.legacyID(), err)
		}
	}
	im.prog.done(c, time.Since(started))
	// The old system expenditures the distributions took over became their
	// cash entries (or, with no cash now, part of an adjusting entry).
	entries, err := im.tx.SystemFundEntries(ctx)
	if err != nil {
		return err
	}
	for _, p := range dists {
		f := system[p.fundID]
		if f == nil || !taken[p.fundID] {
			continue
		}
		if entry, ok := entries[p.d.ID]; ok {
			// Audited with its distribution ("legacy_fund_transaction").
			if err := im.recordAuditedWith(ctx, table, f.r, store.FundRegister.Name, entry, "relief_distribution"); err != nil {
				return err
			}
			continue
		}
		im.rep.table(table).Imported++
		if err := im.note(ctx, store.LegacyImportItem{LegacyImport: store.LegacyImport{Table: table, LegacyID: f.r.legacyID()}}); err != nil {
			return err
		}
	}
	if minus > 0 {
		desc := fmt.Sprintf("पुरानो प्रणालीबाट आयात: राहत नगदभन्दा बढी लेखिएको खर्च (relief_distribution %s)", idList(minusIDs))
		if err := im.adjust(ctx, "expenditure", minus, desc, today); err != nil {
			return err
		}
	}
	im.rep.NewBalance, err = im.tx.FundBalance(ctx)
	return err
}

// oldBalance is the old ledger's balance: income less expenditure, every
// row, each amount to the nearest paisa.
func (im *importer) oldBalance(ctx context.Context) (leoc.Money, error) {
	var b leoc.Money
	err := im.src.each(ctx, "fund_transaction", func(r row) error {
		f, _ := r.float("amount")
		m, _, err := paisa(f)
		if err != nil {
			return nil
		}
		switch leoc.FoldText(r.str("transaction_type")) {
		case "income", "आम्दानी":
			b += m
		case "expenditure", "expense", "खर्च":
			b -= m
		}
		return nil
	})
	return b, err
}

func sortedFund(rows []*fundRow, kind string) []*fundRow {
	var out []*fundRow
	for _, f := range rows {
		if f.kind == kind {
			out = append(out, f)
		}
	}
	slices.SortStableFunc(out, func(a, b *fundRow) int {
		return strings.Compare(a.r.str("transaction_date"), b.r.str("transaction_date"))
	})
	return out
}

// createFundEntry imports one old ledger row as a manual entry.
func (im *importer) createFundEntry(ctx context.Context, f *fundRow) error {
	if err := im.tx.CreateFundTransaction(ctx, im.actor, f.entry); err != nil {
		return err
	}
	return im.record(ctx, "fund_transaction", f.r, store.FundRegister.Name, f.entry.ID)
}

// adjust writes one adjusting entry of the import itself (no legacy row).
func (im *importer) adjust(ctx context.Context, kind string, amount leoc.Money, desc string, day bs.Date) error {
	in := leoc.FundInput{Kind: kind, Amount: leoc.Amount(amount.String()), Description: truncate(desc, 1000), DateBS: day.String()}
	e := &leoc.FundTransaction{}
	if err := in.Apply(im.cal, e); err != nil {
		return fmt.Errorf("adjusting entry: %w", err)
	}
	return im.tx.CreateFundTransaction(ctx, im.actor, e)
}

// idList shortens a long list of legacy ids for a ledger description; the
// report lists them all.
func idList(ids []string) string {
	if len(ids) > 20 {
		return strings.Join(ids[:20], ", ") + fmt.Sprintf(" … (%d)", len(ids))
	}
	return strings.Join(ids, ", ")
}
