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

// TestIncidentsLookReal checks the shape of a demo data set: seasons, four
// fiscal years, every ward, mostly small figures, coordinates in Thalara.
func TestIncidentsLookReal(t *testing.T) {
	ctx := context.Background()
	st := storetest.Open(t, storetest.Backends()[0])
	const n = 1000
	now := time.Date(2026, 1, 29, 10, 0, 0, 0, time.UTC) // BS 2082-10-15
	if err := demo.Incidents(ctx, st, bs.Default(), demo.Options{Incidents: n, Seed: 3, Now: now}); err != nil {
		t.Fatal(err)
	}
	var monsoonWater, water, drySpringFire, fire, noDeaths, smallLoss, withCoords, outside int
	years, wards := map[int]bool{}, map[int]bool{}
	err := st.EachIncident(ctx, store.RecordFilter{}, func(inc *leoc.Incident) error {
		years[inc.FiscalYear.Start], wards[inc.Ward] = true, true
		m := inc.DateBS.Month
		switch inc.Type {
		case "landslide", "flood":
			water++
			if m >= 3 && m <= 6 { // असार to असोज
				monsoonWater++
			}
		case "fire":
			fire++
			if m >= 9 || m <= 2 { // पुस to जेठ
				drySpringFire++
			}
		}
		if inc.Counts[leoc.Deaths] == 0 {
			noDeaths++
		}
		if inc.EstimatedLoss <= leoc.Rupees(500_000) {
			smallLoss++
		}
		if c := inc.Coords; c != nil {
			withCoords++
			if c.Latitude < 29.3974 || c.Latitude > 29.5048 || c.Longitude < 80.9092 || c.Longitude > 81.1334 {
				outside++
			}
		}
		if inc.DateAD.After(now) || inc.CreatedBy != "demo" || !inc.Locked {
			t.Errorf("incident %d: %v by %s, locked %v", inc.ID, inc.DateAD, inc.CreatedBy, inc.Locked)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(years) != 4 || !years[2079] || !years[2082] || len(wards) != 9 {
		t.Errorf("fiscal years %v, wards %v", years, wards)
	}
	if float64(monsoonWater) < 0.8*float64(water) || float64(drySpringFire) < 0.8*float64(fire) {
		t.Errorf("seasons: %d of %d landslides and floods in the monsoon, %d of %d fires in the dry months", monsoonWater, water, drySpringFire, fire)
	}
	if noDeaths < n*9/10 || smallLoss < n*9/10 || withCoords < n/2 || outside != 0 {
		t.Errorf("figures: %d without deaths, %d with loss up to 5 lakh, %d with coordinates (%d outside Thalara)", noDeaths, smallLoss, withCoords, outside)
	}
	if diffs, err := st.VerifyIncidentStats(ctx); err != nil || len(diffs) > 0 {
		t.Fatalf("statistics: %v %v", err, diffs)
	}
}

func TestDistributionsDemo(t *testing.T) {
	ctx := context.Background()
	st := storetest.Open(t, storetest.Backends()[0])
	if err := demo.Distributions(ctx, st, bs.Default(), 300, demo.Options{Seed: 7, Batch: 100, Now: time.Date(2026, 1, 29, 10, 0, 0, 0, time.UTC)}); err != nil {
		t.Fatal(err)
	}
	list, total, err := st.Distributions(ctx, store.DistributionFilter{})
	if err != nil || total != 300 || len(list) == 0 {
		t.Fatalf("%v %d", err, total)
	}
	if diffs, err := st.VerifyDistributionStats(ctx); err != nil || len(diffs) > 0 {
		t.Fatalf("%v %v", err, diffs)
	}
	if err := st.VerifyFundBalance(ctx); err != nil {
		t.Fatal(err)
	}
	// The distributions took their items from stock received before them:
	// every one names its warehouse (ward 3's own store for ward 3), the
	// ledger equals the balances, and a bin card starts with a receipt.
	for _, d := range list {
		if d.WarehouseID == 0 {
			t.Fatalf("distribution %d names no warehouse", d.ID)
		}
	}
	if diff, n, err := st.VerifyStock(ctx); err != nil || diff != nil || n == 0 {
		t.Fatalf("stock verify: %v %v %d", err, diff, n)
	}
	whs, _, err := st.Warehouses().List(ctx, store.RecordFilter{Query: "WARD3"})
	if err != nil || len(whs) != 1 || whs[0].Ward != 3 {
		t.Fatalf("ward store: %v %+v", err, whs)
	}
	card, err := st.BinCard(ctx, "rice", 0)
	if err != nil || len(card.Entries) < 2 || card.Entries[0].Kind != leoc.MoveReceipt || card.Balance <= 0 {
		t.Fatalf("rice bin card: %v %+v", err, card)
	}
	issued := false
	for _, e := range card.Entries {
		issued = issued || (e.Kind == leoc.MoveIssue && e.WarehouseID == whs[0].ID)
	}
	if !issued {
		t.Error("no rice was issued from the ward-3 store")
	}
}

// TestDemoIsCoherent: the money for relief arrives before it is spent — the
// ledger's running balance is never negative on any line, on any date — a
// balance is left for new cash distributions, and every register has rows.
func TestDemoIsCoherent(t *testing.T) {
	storetest.Run(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		now := time.Date(2026, 1, 29, 10, 0, 0, 0, time.UTC)
		o := demo.Options{Incidents: 40, Seed: 11, Batch: 40, Now: now}
		if err := demo.Incidents(ctx, st, bs.Default(), o); err != nil {
			t.Fatal(err)
		}
		if err := demo.Distributions(ctx, st, bs.Default(), 150, o); err != nil {
			t.Fatal(err)
		}
		// The distributions pay for themselves, before the reserve is added.
		checkRunningBalance(t, st)
		if err := demo.Registers(ctx, st, bs.Default(), o); err != nil {
			t.Fatal(err)
		}
		checkRunningBalance(t, st)
		if bal, err := st.FundBalance(ctx); err != nil || bal < leoc.Money(5_00_000*100) {
			t.Errorf("balance left for new cash distributions: %v %v; want at least Rs 5,00,000", bal, err)
		}
		if err := st.VerifyFundBalance(ctx); err != nil {
			t.Fatal(err)
		}
		counts := map[string]func() (int, error){
			"incidents": func() (int, error) { _, n, err := st.Incidents(ctx, store.RecordFilter{}); return n, err },
			"distributions": func() (int, error) {
				_, n, err := st.Distributions(ctx, store.DistributionFilter{})
				return n, err
			},
			"beneficiaries":     func() (int, error) { _, n, err := st.Beneficiaries(ctx, store.RecordFilter{}); return n, err },
			"situation reports": func() (int, error) { _, n, err := st.SituationReports().List(ctx, store.RecordFilter{}); return n, err },
			"advisories":        func() (int, error) { _, n, err := st.Advisories(ctx, store.AdvisoryFilter{}); return n, err },
			"advisories in force": func() (int, error) {
				a, err := st.CurrentAdvisories(ctx, now)
				return len(a), err
			},
			"operations log besides incident reports": func() (int, error) {
				_, n, err := st.EventLogs(ctx, store.RecordFilter{Types: []string{"coordination_meeting", "relief_distribution", "assessment", "rescue", "other"}})
				return n, err
			},
			"fund income": func() (int, error) {
				_, n, err := st.FundTransactions(ctx, store.FundFilter{Kind: "income"})
				return n, err
			},
		}
		for name, count := range counts {
			if n, err := count(); err != nil || n == 0 {
				t.Errorf("%s: %d rows (%v); want some", name, n, err)
			}
		}
		latest, err := st.LatestSituationReportBy(ctx, farFuture)
		if err != nil || latest.DateBS.String() != "2082-10-15" {
			t.Errorf("latest situation report: %v %v; want today's, 2082-10-15", latest, err)
		}
	})
}

// checkRunningBalance walks the whole ledger and fails on any line whose
// running balance (in ledger order: date, then entry) is below zero.
func checkRunningBalance(t *testing.T, st *store.Store) {
	t.Helper()
	lines := 0
	for page := 1; ; page++ {
		entries, total, err := st.FundTransactions(context.Background(), store.FundFilter{Page: page, PerPage: store.MaxPerPage})
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			if !e.HasBalance {
				t.Fatalf("ledger line %d has no running balance", e.ID)
			}
			if e.Balance < 0 {
				t.Errorf("running balance %s after %s %s on %s (line %d)", e.Balance.English(), e.Kind, e.Amount.English(), e.DateBS, e.ID)
			}
		}
		lines += len(entries)
		if lines >= total || len(entries) == 0 {
			break
		}
	}
	if lines == 0 {
		t.Fatal("the ledger is empty")
	}
}

// farFuture is after every report: the latest by it is the newest.
var farFuture = time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC)
