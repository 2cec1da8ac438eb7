package legacy_test

import (
	"os"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"

	"leoc/internal/bs"
	"leoc/internal/legacy"
	"leoc/internal/legacy/legacytest"
	"leoc/internal/leoc"
	"leoc/internal/store"
	"leoc/internal/store/storetest"
)

// TestImportGenerated imports a larger old database with the real one's
// quirks and checks what the report and the records say about each.
func TestImportGenerated(t *testing.T) {
	path := filepath.Join(t.TempDir(), "old.db")
	stats, err := legacytest.Generate(ctx, path, fixture(t), legacytest.Options{Distributions: 400, Beneficiaries: 30, Seed: 11})
	if err != nil {
		t.Fatal(err)
	}
	if stats.Conflicts == 0 || stats.NotPaisa == 0 || stats.Unlinked == 0 || stats.SSFHouseholds == 0 {
		t.Fatalf("the generated database lacks quirks: %+v", stats)
	}
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			st := storetest.Open(t, b)
			rep := importInto(t, st, legacy.Options{From: path})
			if len(rep.Skipped) != 0 {
				t.Fatalf("refused rows: %+v", rep.Skipped)
			}
			if got := tableCount(rep, "relief_distribution").Imported; got != stats.Distributions {
				t.Errorf("%d distributions imported, want all %d: conflicts are kept, never dropped", got, stats.Distributions)
			}
			if got := len(rep.WarningsOf(legacy.WarnHousehold)); got != stats.Conflicts {
				t.Errorf("%d household conflicts reported, want %d", got, stats.Conflicts)
			}
			notPaisa := 0
			for _, w := range rep.WarningsOf(legacy.WarnMoneyNotPaisa) {
				if w.Table == "relief_distribution" {
					notPaisa++
				}
			}
			if got := notPaisa; got != stats.NotPaisa {
				t.Errorf("%d amounts reported as not paisa, want %d", got, stats.NotPaisa)
			}
			if got := len(rep.WarningsOf(legacy.WarnCashNotInLedger)); got != stats.Unlinked {
				t.Errorf("%d unlinked cash reported, want %d", got, stats.Unlinked)
			}
			bal, err := st.FundBalance(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if bal != leoc.Money(stats.Balance) || rep.OldBalance != bal {
				t.Errorf("balance %s, report %s, old ledger %s", bal, rep.OldBalance, leoc.Money(stats.Balance))
			}
			if err := st.VerifyFundBalance(ctx); err != nil {
				t.Error(err)
			}
			// Every old SSF household is recognised as vulnerable in its
			// distribution, although one register wrote the number in
			// Devanagari digits and the other in Latin.
			var ds []*leoc.Distribution
			for page := 1; ; page++ {
				list, total, err := st.Distributions(ctx, store.DistributionFilter{RecordFilter: store.RecordFilter{Page: page, PerPage: 100}})
				if err != nil {
					t.Fatal(err)
				}
				ds = append(ds, list...)
				if len(list) == 0 || len(ds) >= total {
					break
				}
			}
			vulnerable := 0
			for _, d := range ds {
				if d.AllowanceType == "" {
					continue
				}
				bens, err := st.BeneficiariesByHousehold(ctx, d.HouseholdID, 0)
				if err != nil {
					t.Fatal(err)
				}
				for _, b := range bens {
					if b.Vulnerable() {
						vulnerable++
						break
					}
				}
			}
			if vulnerable != stats.SSFHouseholds {
				t.Errorf("%d distributions recognised as vulnerable households, want %d", vulnerable, stats.SSFHouseholds)
			}
		})
	}
}

// BenchmarkImport50000 imports an old database of 50,000 distributions
// (with their ledger entries, 2,500 incidents and 1,000 beneficiaries)
// into SQLite. The target is under 30 s.
func BenchmarkImport50000(b *testing.B) {
	path := filepath.Join(b.TempDir(), "old.db")
	if _, err := legacytest.Generate(ctx, path, fixture(b), legacytest.Options{Distributions: benchN(), Beneficiaries: 1000, Seed: 5}); err != nil {
		b.Fatal(err)
	}
	var cpu time.Duration
	for b.Loop() {
		b.StopTimer()
		st := storetest.Open(b, storetest.Backends()[0])
		before := cpuTime(b)
		b.StartTimer()
		rep, err := legacy.Import(ctx, st, bs.Default(), legacy.Options{From: path})
		b.StopTimer()
		cpu += cpuTime(b) - before
		b.StartTimer()
		if err != nil {
			b.Fatal(err)
		}
		if n := tableCount(rep, "relief_distribution").Imported; n != benchN() {
			b.Fatalf("%d imported", n)
		}
	}
	// The machine running the suite is often shared: the process's CPU time
	// says what the import costs when the wall clock is stretched by others.
	b.ReportMetric(cpu.Seconds()/float64(b.N), "cpu-s/op")
}

func cpuTime(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func benchN() int {
	if n, err := strconv.Atoi(os.Getenv("LEOC_BENCH_DISTRIBUTIONS")); err == nil && n > 0 {
		return n // a smaller run while profiling
	}
	return 50000
}

// TestFundDisagreements: a relief expenditure of another amount than its
// distribution's cash, a relief expenditure whose distribution is gone, and
// an old ledger that ends below zero are each reported, and the ledger here
// agrees with the old one as far as a ledger that is never negative can.
func TestFundDisagreements(t *testing.T) {
	path := filepath.Join(t.TempDir(), "old.db")
	stats, err := legacytest.Generate(ctx, path, fixture(t), legacytest.Options{Distributions: 12, Seed: 4})
	if err != nil {
		t.Fatal(err)
	}
	// Distribution 1's expenditure (fund row 3: rows 1 and 2 are income)
	// says 100 rupees more than its cash; distribution 2 is deleted, leaving
	// its expenditure (fund row 4) without a distribution.
	setColumn(t, path, "UPDATE fund_transaction SET amount = amount + 100 WHERE id = 3")
	setColumn(t, path, "DELETE FROM relief_distribution WHERE id = 2")
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			st := storetest.Open(t, b)
			rep := importInto(t, st, legacy.Options{From: path})
			if ws := rep.WarningsOf(legacy.WarnCashMismatch); len(ws) != 1 || ws[0].LegacyID != "1" {
				t.Errorf("cash mismatch warnings %+v, want relief_distribution #1", ws)
			}
			if ws := rep.WarningsOf(legacy.WarnOrphanExpense); len(ws) != 1 || ws[0].LegacyID != "4" {
				t.Errorf("orphan expenditure warnings %+v, want fund_transaction #4", ws)
			}
			want := leoc.Money(stats.Balance - 100*100)
			if bal, _ := st.FundBalance(ctx); bal != want || rep.OldBalance != want {
				t.Errorf("balance %s (report %s), want the old ledger's %s", bal, rep.OldBalance, want)
			}
			if err := st.VerifyFundBalance(ctx); err != nil {
				t.Error(err)
			}
		})
	}

	// The old ledger ends below zero: reported, covered, never negative here.
	setColumn(t, path, "INSERT INTO fund_transaction (id, transaction_type, amount, description, transaction_date, created_at, is_locked, is_system) VALUES (9999, 'Expenditure', 999999999.99, 'overspent', '2026-03-01', '2026-03-01 10:00:00', 1, 0)")
	st := storetest.Open(t, storetest.Backends()[0])
	rep := importInto(t, st, legacy.Options{From: path})
	ws := rep.WarningsOf(legacy.WarnNegativeBalance)
	if len(ws) != 1 || rep.OldBalance >= 0 {
		t.Fatalf("negative balance %s, warnings %+v", rep.OldBalance, ws)
	}
	if bal, _ := st.FundBalance(ctx); bal != 0 || rep.NewBalance != 0 {
		t.Errorf("balance here %s, want 0 after the covering entry", bal)
	}
}
