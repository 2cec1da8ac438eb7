package store_test

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"leoc/internal/bs"
	"leoc/internal/demo"
	"leoc/internal/leoc"
	"leoc/internal/must"
	"leoc/internal/store"
	"leoc/internal/store/storetest"
)

// rangeBounds are the days records fall on (a range starting or ending on
// a household's day is where a wrong comparison shows), days before and
// after them all, and the fiscal-year boundaries; "" is an open end.
func rangeBounds(t *testing.T, s *store.Store, table string) []string {
	t.Helper()
	days := must.Get(s.DaysForTest(ctx, table))(t)
	return append([]string{"", "2020-01-01", "2030-01-01", "2024-07-16", "2024-07-17", "2025-07-16", "2025-07-17"}, days...)
}

func randomRange(rng *rand.Rand, bounds []string) store.RecordFilter {
	a, b := bounds[rng.IntN(len(bounds))], bounds[rng.IntN(len(bounds))]
	if a != "" && b != "" && b < a {
		a, b = b, a
	}
	if a == "" && b == "" {
		b = bounds[1+rng.IntN(len(bounds)-1)]
	}
	f := store.RecordFilter{From: a, To: b}
	switch rng.IntN(4) {
	case 1:
		f.Wards = []int{1 + rng.IntN(4)}
	case 2:
		f.Types = []string{[]string{"flood", "fire", "landslide"}[rng.IntN(3)]}
	case 3:
		f.FiscalYears = []int{2080 + rng.IntN(3)}
	}
	return f
}

// TestDistributionDayStatisticsMatchTheRecords writes a random mix of
// distributions — a few households helped on several days, across fiscal
// years, moved between days, wards and households, deleted — then checks
// every day row, household day and household count against a recount from
// the distributions, and that random date ranges give exactly the answer
// of summing the distributions (distinct households included).
func TestDistributionDayStatisticsMatchTheRecords(t *testing.T) {
	storetest.Run(t, func(t *testing.T, s *store.Store) {
		rng := rand.New(rand.NewPCG(15, 3))
		addIncome(t, s, 10_000_000)
		all := &leoc.User{}
		disasterDays := []string{"2081-03-20", "2081-03-28", "2081-04-01", "2081-09-10", "2082-03-20", "2082-03-30", "2082-04-02"}
		households := []string{"11-01", "11-02", "11-03", "11-04", "11-05", "11-06"}
		types := []string{"flood", "fire", "landslide"}
		random := func() *leoc.Distribution {
			day := disasterDays[rng.IntN(len(disasterDays))]
			return newDistribution(t, s, households[rng.IntN(len(households))], func(in *leoc.DistributionInput) {
				in.DisasterType, in.DisasterDateBS, in.Ward = types[rng.IntN(len(types))], day, 1+rng.IntN(4)
				in.DateBS = day[:8] + fmt.Sprintf("%02d", 20+rng.IntN(10)) // the same day or up to 9 days later
				if day[8:] > in.DateBS[8:] {
					in.DateBS = day
				}
				in.Cash = leoc.Amount(strconv.Itoa(rng.IntN(5000)))
				in.Items[0].Quantity = leoc.WholeOf(int64(1 + rng.IntN(50)))
				if rng.IntN(3) == 0 { // an item row emptied beside one that grows, in one upsert of many rows
					in.Items = in.Items[:1]
				}
			})
		}
		var ids []int64
		for len(ids) < 60 {
			d := random()
			if _, err := s.CreateDistribution(ctx, admin, all, d); err != nil {
				if code(err) == leoc.EConflict { // the same household for the same disaster
					continue
				}
				t.Fatal(err)
			}
			ids = append(ids, d.ID)
		}
		for i := 0; i < 50; i++ {
			at := rng.IntN(len(ids))
			victim := must.Get(s.Distribution(ctx, ids[at]))(t)
			must.OK(t, s.SetLocked(ctx, admin, all, "distributions", victim.ID, false, "random test"))
			if i%4 == 0 {
				must.OK(t, s.DeleteDistribution(ctx, admin, all, victim.ID))
				ids = append(ids[:at], ids[at+1:]...)
				continue
			}
			changed := random()
			changed.Record = victim.Record
			if i%3 == 0 { // the same household and cell on another day, or the same day
				changed.HouseholdID, changed.Ward, changed.DisasterType, changed.Dated = victim.HouseholdID, victim.Ward, victim.DisasterType, victim.Dated
				changed.DisasterDate = victim.DisasterDate
			}
			if _, err := s.UpdateDistribution(ctx, admin, all, changed); err != nil && code(err) != leoc.EConflict {
				t.Fatal(err)
			}
		}
		verifyDistributions(t, s)
		bounds := rangeBounds(t, s, "distributions")
		for range 150 {
			f := store.DistributionFilter{RecordFilter: randomRange(rng, bounds)}
			got := must.Get(s.DistributionStats(ctx, f))(t)
			want := must.Get(s.DistributionStatsFromRecords(ctx, f))(t)
			if !got.FromAggregates {
				t.Fatalf("%+v: the day rows did not answer", f.RecordFilter)
			}
			got.FromAggregates = false
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("%+v:\nday rows %+v\nrecords  %+v", f.RecordFilter, got, want)
			}
		}
		// A range that holds a household's second day but not its first
		// still counts the household once (and a range with both days too).
		whole := must.Get(s.DistributionStatsFromRecords(ctx, store.DistributionFilter{}))(t)
		if whole.Totals.Households >= whole.Totals.Distributions {
			t.Fatalf("the data has no household helped twice in a cell: %+v", whole.Totals)
		}
	})
}

// TestIncidentDayStatisticsMatchTheRecords: the incidents' day rows after
// creates, moves and deletes equal a recount, and date ranges answer
// exactly what summing the incidents does.
func TestIncidentDayStatisticsMatchTheRecords(t *testing.T) {
	storetest.Run(t, func(t *testing.T, s *store.Store) {
		rng := rand.New(rand.NewPCG(15, 4))
		all := &leoc.User{}
		must.OK(t, demo.Incidents(ctx, s, bs.Default(), demo.Options{Incidents: 40, Seed: 5, Batch: 20,
			Now: time.Date(2025, 8, 1, 0, 0, 0, 0, time.UTC)}))
		dates := []string{"2081-03-25", "2081-03-31", "2081-04-01", "2081-04-02", "2082-03-30", "2082-04-01", "2082-04-08"}
		types := []string{"flood", "fire", "landslide"}
		random := func() *leoc.Incident {
			return newIncident(t, dates[rng.IntN(len(dates))], types[rng.IntN(len(types))], 1+rng.IntN(4), func(in *leoc.IncidentInput) {
				in.AffectedHouseholds = n64(rng.Int64N(5))
				in.WaterDisrupted = rng.IntN(2) == 0
				in.EstimatedLoss = leoc.Amount(strconv.Itoa(rng.IntN(100000)))
			})
		}
		for range 30 {
			must.OK(t, s.CreateIncident(ctx, admin, all, random()))
		}
		for i := range 30 {
			items, _ := must.Get2(s.Incidents(ctx, store.RecordFilter{PerPage: 100}))(t)
			victim := items[rng.IntN(len(items))]
			must.OK(t, s.SetLocked(ctx, admin, all, "incidents", victim.ID, false, "random test"))
			if i%3 == 0 {
				must.OK(t, s.DeleteIncident(ctx, admin, all, victim.ID))
				continue
			}
			changed := random()
			changed.Record = victim.Record
			must.OK(t, s.UpdateIncident(ctx, admin, all, changed))
		}
		if diffs := must.Get(s.VerifyIncidentStats(ctx))(t); len(diffs) != 0 {
			t.Fatalf("statistics differ from the records:\n%v", diffs)
		}
		bounds := rangeBounds(t, s, "incidents")
		for range 100 {
			f := randomRange(rng, bounds)
			got := must.Get(s.IncidentStats(ctx, f))(t)
			want := must.Get(s.IncidentStatsFromRecords(ctx, f))(t)
			if !got.FromAggregates {
				t.Fatalf("%+v: the day rows did not answer", f)
			}
			got.FromAggregates = false
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("%+v:\nday rows %+v\nrecords  %+v", f, got, want)
			}
		}
	})
}

// TestRebuildStatisticsRestoresEveryRow: rows emptied or damaged around the
// store come back exactly as the writes keep them.
func TestRebuildStatisticsRestoresEveryRow(t *testing.T) {
	storetest.Run(t, func(t *testing.T, s *store.Store) {
		addIncome(t, s, 1_000_000)
		must.OK(t, demo.Incidents(ctx, s, bs.Default(), demo.Options{Incidents: 30, Seed: 2, Now: time.Date(2025, 8, 1, 0, 0, 0, 0, time.UTC)}))
		for i := range 12 {
			d := newDistribution(t, s, "77-"+strconv.Itoa(i%5), func(in *leoc.DistributionInput) {
				in.DisasterDateBS = "2082-04-0" + strconv.Itoa(1+i%9)
				in.DateBS = in.DisasterDateBS
			})
			must.Get(s.CreateDistribution(ctx, admin, &leoc.User{}, d))(t)
		}
		for _, q := range []string{"DELETE FROM incident_day_stats", "UPDATE incident_stats SET deaths = deaths + 7",
			"DELETE FROM distribution_day_household_counts", "UPDATE distribution_day_stats SET cash = 0", "DELETE FROM distribution_households"} {
			must.OK(t, s.ExecForTest(ctx, q))
		}
		if diffs := must.Get(s.VerifyIncidentStats(ctx))(t); len(diffs) == 0 {
			t.Fatal("the damage was not seen")
		}
		must.OK(t, s.RebuildStatistics(ctx))
		if diffs := must.Get(s.VerifyIncidentStats(ctx))(t); len(diffs) != 0 {
			t.Fatalf("incidents after the rebuild:\n%v", diffs)
		}
		verifyDistributions(t, s)
	})
}

// The item totals (migration 0025) are checked by the verification and
// restored by the rebuild: each damage alone must be seen.
func TestItemTotalsAreVerifiedAndRebuilt(t *testing.T) {
	storetest.Run(t, func(t *testing.T, s *store.Store) {
		addIncome(t, s, 1_000_000)
		for i := range 6 {
			d := newDistribution(t, s, "78-"+strconv.Itoa(i%3), func(in *leoc.DistributionInput) {
				in.DisasterDateBS = "2082-04-0" + strconv.Itoa(1+i%4)
				in.DateBS = in.DisasterDateBS
			})
			must.Get(s.CreateDistribution(ctx, admin, &leoc.User{}, d))(t)
		}
		verifyDistributions(t, s)
		for _, q := range []string{"UPDATE distribution_item_totals SET quantity = quantity + 1",
			"DELETE FROM distribution_day_item_totals", "UPDATE distribution_month_item_totals SET distributions = distributions + 1"} {
			t.Run(q, func(t *testing.T) {
				must.OK(t, s.ExecForTest(ctx, q))
				if diffs := must.Get(s.VerifyDistributionStats(ctx))(t); len(diffs) == 0 {
					t.Fatalf("%s: the damage was not seen", q)
				}
				must.OK(t, s.RebuildStatistics(ctx))
				verifyDistributions(t, s)
			})
		}
	})
}

// The distribution rows per day and month × ward and × type, figures and
// household counts (migration 0028), are checked by the verification and
// restored by the rebuild: each damage alone must be seen.
func TestDistributionGroupsAreVerifiedAndRebuilt(t *testing.T) {
	storetest.Run(t, func(t *testing.T, s *store.Store) {
		addIncome(t, s, 1_000_000)
		for i := range 8 {
			d := newDistribution(t, s, "79-"+strconv.Itoa(i%3), func(in *leoc.DistributionInput) {
				in.DisasterDateBS = "2082-04-0" + strconv.Itoa(1+i%4)
				in.DateBS = in.DisasterDateBS
				in.Ward = 1 + i%2
			})
			must.Get(s.CreateDistribution(ctx, admin, &leoc.User{}, d))(t)
		}
		verifyDistributions(t, s)
		for _, q := range []string{"UPDATE distribution_day_group_stats SET cash = cash + 1 WHERE ward = 0",
			"DELETE FROM distribution_day_group_stats WHERE disaster_type = ''", "UPDATE distribution_month_group_stats SET members = members + 1",
			"UPDATE distribution_day_group_households SET households = households + 1 WHERE ward = 0",
			"UPDATE distribution_day_group_households SET prev_date = '2020-01-01' WHERE prev_date = ''", "DELETE FROM distribution_month_group_households WHERE ward <> 0"} {
			t.Run(q, func(t *testing.T) {
				must.OK(t, s.ExecForTest(ctx, q))
				if diffs := must.Get(s.VerifyDistributionStats(ctx))(t); len(diffs) == 0 {
					t.Fatalf("%s: the damage was not seen", q)
				}
				must.OK(t, s.RebuildStatistics(ctx))
				verifyDistributions(t, s)
			})
		}
	})
}

// The incident sums per fiscal year, day and month × ward and × type
// (migration 0025) are checked by the verification and restored by the
// rebuild.
func TestIncidentTotalsAreVerifiedAndRebuilt(t *testing.T) {
	storetest.Run(t, func(t *testing.T, s *store.Store) {
		must.OK(t, demo.Incidents(ctx, s, bs.Default(), demo.Options{Incidents: 30, Seed: 3, Now: time.Date(2025, 8, 1, 0, 0, 0, 0, time.UTC)}))
		if diffs := must.Get(s.VerifyIncidentStats(ctx))(t); len(diffs) != 0 {
			t.Fatalf("before any damage: %v", diffs)
		}
		for _, q := range []string{"UPDATE incident_ward_stats SET deaths = deaths + 1", "DELETE FROM incident_type_stats",
			"DELETE FROM incident_day_ward_stats", "UPDATE incident_day_type_stats SET road_blocked = road_blocked + 1",
			"UPDATE incident_month_ward_stats SET incidents = incidents + 1", "DELETE FROM incident_month_type_stats"} {
			t.Run(q, func(t *testing.T) {
				must.OK(t, s.ExecForTest(ctx, q))
				if diffs := must.Get(s.VerifyIncidentStats(ctx))(t); len(diffs) == 0 {
					t.Fatalf("%s: the damage was not seen", q)
				}
				must.OK(t, s.RebuildStatistics(ctx))
				if diffs := must.Get(s.VerifyIncidentStats(ctx))(t); len(diffs) != 0 {
					t.Fatalf("after the rebuild: %v", diffs)
				}
			})
		}
	})
}

// The distinct households per fiscal year × ward × type are checked against
// the distributions (one grouping joined to them): a row counting one
// distribution too many, or a household with none, is seen.
func TestHouseholdRowsAreVerified(t *testing.T) {
	storetest.Run(t, func(t *testing.T, s *store.Store) {
		addIncome(t, s, 1_000_000)
		for i := range 4 {
			must.Get(s.CreateDistribution(ctx, admin, &leoc.User{}, newDistribution(t, s, "80-"+strconv.Itoa(i))))(t)
		}
		verifyDistributions(t, s)
		for _, q := range []string{"UPDATE distribution_households SET distributions = distributions + 1 WHERE household_key IN (SELECT MIN(household_key) FROM distribution_households)",
			"INSERT INTO distribution_households (fiscal_year, ward, disaster_type, household_key, distributions) SELECT fiscal_year, ward, disaster_type, 'no-such-household', 1 FROM distribution_households WHERE household_key IN (SELECT MIN(household_key) FROM distribution_households)"} {
			t.Run(q, func(t *testing.T) {
				must.OK(t, s.ExecForTest(ctx, q))
				diffs := must.Get(s.VerifyDistributionStats(ctx))(t)
				if !slices.ContainsFunc(diffs, func(d string) bool { return strings.Contains(d, "1 household rows disagree") }) {
					t.Fatalf("%s: not seen as one household row: %q", q, diffs)
				}
				must.OK(t, s.RebuildStatistics(ctx))
				verifyDistributions(t, s)
			})
		}
	})
}
