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
}
