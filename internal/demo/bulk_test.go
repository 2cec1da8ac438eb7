package demo_test

import (
	"context"
	"testing"
	"time"

	"leoc/internal/bs"
	"leoc/internal/demo"
	"leoc/internal/leoc"
	"leoc/internal/store"
	"leoc/internal/store/storetest"
)

// TestBulkDistributionsKeepEveryInvariant: a bulk load after records made
// one by one leaves a database the checks cannot tell from one filled
// record by record — statistics at every grain equal to recomputation,
// the stock ledger equal to its balances, the audit chain intact with one
// entry per batch, the fund balance equal to the ledger and never
// negative on any line, the search finding a bulk record, every household
// key unique — and a failed batch leaves nothing behind.
func TestBulkDistributionsKeepEveryInvariant(t *testing.T) {
	storetest.Run(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		now := time.Date(2026, 1, 29, 10, 0, 0, 0, time.UTC)
		o := demo.Options{Incidents: 60, Seed: 5, Batch: 60, Now: now}
		if err := demo.Incidents(ctx, st, bs.Default(), o); err != nil {
			t.Fatal(err)
		}
		if err := demo.Distributions(ctx, st, bs.Default(), 40, o); err != nil {
			t.Fatal(err)
		}
		const n, batch = 3000, 1000
		var progress []int
		o.Batch, o.Progress = batch, func(done int) { progress = append(progress, done) }
		if err := demo.BulkDistributions(ctx, st, bs.Default(), n, o); err != nil {
			t.Fatal(err)
		}
		if len(progress) != n/batch || progress[len(progress)-1] != n {
			t.Errorf("progress %v", progress)
		}
		checkInvariants(t, st, 40+n)
		var bulkEntries, distinctDays int
		if err := st.QueryRow(ctx, "SELECT COUNT(*) FROM audit_log WHERE action = 'record.bulk_create' AND entity = 'distributions'").Scan(&bulkEntries); err != nil || bulkEntries != n/batch {
			t.Errorf("bulk audit entries: %d %v; want one per batch, %d", bulkEntries, err, n/batch)
		}
		// Spread like real data: hundreds of days, every fiscal year.
		if err := st.QueryRow(ctx, "SELECT COUNT(DISTINCT date_ad) FROM distributions").Scan(&distinctDays); err != nil || distinctDays < 500 {
			t.Errorf("distributions fall on %d days (%v); want them spread over the four fiscal years", distinctDays, err)
		}

		// A bulk record is found by its identity number.
		var id int64
		var householdID string
		if err := st.QueryRow(ctx, "SELECT id, household_id FROM distributions ORDER BY id DESC LIMIT 1").Scan(&id, &householdID); err != nil {
			t.Fatal(err)
		}
		found, total, err := st.Distributions(ctx, store.DistributionFilter{RecordFilter: store.RecordFilter{Query: householdID}})
		if err != nil || total != 1 || len(found) != 1 || found[0].ID != id {
			t.Errorf("search %q: %v %d %v; want distribution %d", householdID, err, total, found, id)
		}

		// A batch that gives a household twice for the same disaster is
		// refused whole: its income, its records, its cash are not written.
		d, err := st.Distribution(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		fresh := *d
		fresh.ID, fresh.HouseholdID = 0, "77-99-999999"
		d.ID = 0
		balance, err := st.FundBalance(ctx)
		if err != nil {
			t.Fatal(err)
		}
		err = st.CreateDistributionsBulk(ctx, demo.Actor, &leoc.User{Username: "demo", Role: leoc.RoleAdmin}, store.DistributionBulk{
			Distributions: []*leoc.Distribution{&fresh, d}, Income: leoc.Rupees(100_000), IncomeDescription: "x", IncomeDate: d.DateBS,
		}, bs.Default())
		if err == nil {
			t.Fatal("a batch with a duplicate household was written")
		}
		if after, _ := st.FundBalance(ctx); after != balance {
			t.Errorf("balance %v after a failed batch; want %v", after, balance)
		}
		checkInvariants(t, st, 40+n)
	})
}

func checkInvariants(t *testing.T, st *store.Store, want int) {
	t.Helper()
	ctx := context.Background()
	if _, total, err := st.Distributions(ctx, store.DistributionFilter{}); err != nil || total != want {
		t.Fatalf("distributions: %d %v; want %d", total, err, want)
	}
	if diffs, err := st.VerifyDistributionStats(ctx); err != nil || len(diffs) > 0 {
		t.Errorf("distribution statistics: %v %v", err, diffs)
	}
	if diffs, err := st.VerifyIncidentStats(ctx); err != nil || len(diffs) > 0 {
		t.Errorf("incident statistics: %v %v", err, diffs)
	}
	if diff, _, err := st.VerifyStock(ctx); err != nil || diff != nil {
		t.Errorf("stock verify: %v %+v", err, diff)
	}
	if problem, _, err := st.VerifyAudit(ctx); err != nil || problem != nil {
		t.Errorf("audit verify: %v %+v", err, problem)
	}
	if err := st.VerifyFundBalance(ctx); err != nil {
		t.Error(err)
	}
	checkRunningBalance(t, st)
	var rows, keys int
	if err := st.QueryRow(ctx, "SELECT COUNT(*), COUNT(DISTINCT household_key) FROM distributions").Scan(&rows, &keys); err != nil || rows != keys {
		t.Errorf("%d distributions, %d household keys (%v); want every household new", rows, keys, err)
	}
}
