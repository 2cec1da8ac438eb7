package store_test

import (
	"math/rand/v2"
	"strconv"
	"testing"
	"time"

	"leoc/internal/bs"
	"leoc/internal/demo"
	"leoc/internal/leoc"
	"leoc/internal/must"
	"leoc/internal/store"
	"leoc/internal/store/storetest"
)

var incidentRules = leoc.IncidentRules{
	Types: []string{"earthquake", "flood", "landslide", "windstorm", "fire", "lightning", "wildlife", "hailstorm", "other"},
	Wards: []int{1, 2, 3, 4, 5, 6, 7, 8, 9},
}

func n64(n int64) *int64 { return &n }

// newIncident builds a valid incident; edit adjusts the input first.
func newIncident(t *testing.T, date, typ string, ward int, edit ...func(*leoc.IncidentInput)) *leoc.Incident {
	t.Helper()
	in := leoc.IncidentInput{DateBS: date, Time: "2:30", Type: typ, Ward: ward, Tole: "खोली", Description: "पहिरो खस्यो",
		DeathsMale: n64(1), DeathsFemale: n64(2), Injured: n64(4), InjuredMale: n64(1), HousesDamaged: n64(2),
		LivestockLostGoatsSheep: n64(5), RoadBlocked: true, EstimatedLoss: leoc.Amount("१,२५,०००.५०")}
	for _, e := range edit {
		e(&in)
	}
	inc := &leoc.Incident{}
	if err := in.Apply(bs.Default(), incidentRules, inc); err != nil {
		t.Fatal(err)
	}
	return inc
}

func TestIncidentLifecycle(t *testing.T) {
	storetest.Run(t, func(t *testing.T, s *store.Store) {
		officer := &leoc.User{Username: "ram", Role: leoc.RoleOfficer}
		ward3 := &leoc.User{Username: "sita", Role: leoc.RoleOfficer, Wards: []int{3}}
		inc := newIncident(t, "२०८२-०४-०१", "landslide", 3, func(in *leoc.IncidentInput) {
			lat, lon := 29.45, 81.0
			in.Latitude, in.Longitude = &lat, &lon
		})
		if err := s.CreateIncident(ctx, admin, ward3, inc); err != nil {
			t.Fatal(err)
		}
		got, err := s.Incident(ctx, inc.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.DateBS.String() != "2082-04-01" || got.DateAD.Format(time.DateOnly) != "2025-07-17" || got.FiscalYear.Label() != "2082/83" ||
			got.Time != "02:30" || got.Ward != 3 || got.Type != "landslide" || !got.Locked || got.Version != 1 || got.CreatedBy != "admin" ||
			got.Coords == nil || got.Coords.Latitude != 29.45 || got.EstimatedLoss != 12500050 || !got.Flags[leoc.RoadBlocked] {
			t.Fatalf("stored %+v", got)
		}
		if got.Counts[leoc.Deaths] != 3 || got.Counts[leoc.DeathsFemale] != 2 || got.Counts[leoc.Injured] != 4 || got.Counts[leoc.InjuredFemale] != 0 ||
			got.Counts[leoc.LivestockLostGoatsSheep] != 5 {
			t.Fatalf("counts %v", got.Counts)
		}
		// The operations log has the report, written in the same transaction.
		logs, _, err := s.EventLogs(ctx, store.RecordFilter{})
		if err != nil || len(logs) != 1 || logs[0].IncidentID != inc.ID || logs[0].Type != "incident_report" || logs[0].DateBS != got.DateBS {
			t.Fatalf("operations log: %v %+v", err, logs)
		}
		if want := "विपद् घटना दर्ता नं. १: पहिरो, वडा नं. ३, खोली\nपहिरो खस्यो"; logs[0].Description != want {
			t.Errorf("log text %q", logs[0].Description)
		}
		// A ward secretary cannot write another ward, on create either.
		other := newIncident(t, "2082-04-02", "flood", 5)
		if err := s.CreateIncident(ctx, admin, ward3, other); code(err) != leoc.EForbidden {
			t.Fatalf("create in another ward: %v", err)
		}
		// Locked: no edit, no delete.
		got.Tole = "changed"
		if err := s.UpdateIncident(ctx, admin, officer, got); code(err) != leoc.ELocked {
			t.Fatalf("update of locked record: %v", err)
		}
		if err := s.DeleteIncident(ctx, admin, officer, got.ID); code(err) != leoc.ELocked {
			t.Fatalf("delete of locked record: %v", err)
		}
		if err := s.SetLocked(ctx, admin, officer, "incidents", inc.ID, false, "typo"); err != nil {
			t.Fatal(err)
		}
		// Unlocked, but a ward secretary may not move it to a ward not theirs.
		moved := *got
		moved.Ward = 5
		if err := s.UpdateIncident(ctx, admin, ward3, &moved); code(err) != leoc.EForbidden {
			t.Fatalf("move to another ward: %v", err)
		}
		stale := *got
		if err := s.UpdateIncident(ctx, admin, ward3, got); err != nil {
			t.Fatal(err)
		}
		if got.Version != 2 || !got.Locked || got.Tole != "changed" || got.CreatedBy != "admin" {
			t.Fatalf("after update %+v", got)
		}
		must.OK(t, s.SetLocked(ctx, admin, officer, "incidents", inc.ID, false, "again"))
		stale.Tole = "lost update"
		if err := s.UpdateIncident(ctx, admin, officer, &stale); code(err) != leoc.EConflict {
			t.Fatalf("stale version: %v", err)
		}
		if again := must.Get(s.Incident(ctx, inc.ID))(t); again.Tole != "changed" {
			t.Fatal("stale write overwrote the record")
		}
		entries, _ := must.Get2(s.ListAudit(ctx, store.AuditFilter{Entity: "incidents", EntityID: strconv.FormatInt(inc.ID, 10)}))(t)
		if len(entries) < 4 {
			t.Fatalf("audit entries: %d", len(entries))
		}
		if err := s.DeleteIncident(ctx, admin, ward3, inc.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Incident(ctx, inc.ID); code(err) != leoc.ENotFound {
			t.Fatalf("deleted: %v", err)
		}
		if diffs, err := s.VerifyIncidentStats(ctx); err != nil || len(diffs) != 0 {
			t.Fatalf("statistics: %v %v", err, diffs)
		}
		st := must.Get(s.IncidentStats(ctx, store.RecordFilter{}))(t)
		if st.Totals.Incidents != 0 || len(st.ByWard) != 0 {
			t.Fatalf("statistics after delete: %+v", st)
		}
	})
}

func TestIncidentCreateIsAllOrNothing(t *testing.T) {
	storetest.Run(t, func(t *testing.T, s *store.Store) {
		// Ward 12 passes the rules given here but not the database: the
		// incident, its log entry and its statistics are all rolled back.
		inc := newIncident(t, "2082-04-01", "flood", 3)
		inc.Ward = 12
		err := s.CreateIncident(ctx, admin, &leoc.User{}, inc)
		if code(err) != leoc.EConflict {
			t.Fatalf("unknown ward: %v", err)
		}
		_, n := must.Get2(s.Incidents(ctx, store.RecordFilter{Query: ""}))(t)
		logs, _ := must.Get2(s.EventLogs(ctx, store.RecordFilter{}))(t)
		st := must.Get(s.IncidentStats(ctx, store.RecordFilter{}))(t)
		if n != 0 || len(logs) != 0 || st.Totals.Incidents != 0 {
			t.Fatalf("something was written: %d incidents, %d log entries, %+v", n, len(logs), st.Totals)
		}
		// The settings refuse to delete a ward or a type in use.
		if err := s.CreateIncident(ctx, admin, &leoc.User{}, newIncident(t, "2082-04-01", "hailstorm", 4)); err != nil {
			t.Fatal(err)
		}
		if err := s.DeleteWard(ctx, admin, 4); code(err) != leoc.EConflict {
			t.Fatalf("delete ward in use: %v", err)
		}
		if err := s.DeleteListValue(ctx, admin, store.ListDisasterType, "hailstorm"); code(err) != leoc.EConflict {
			t.Fatalf("delete type in use: %v", err)
		}
	})
}

func TestIncidentFilters(t *testing.T) {
	storetest.Run(t, func(t *testing.T, s *store.Store) {
		all := &leoc.User{}
		for _, c := range []struct {
			date, typ string
			ward      int
			tole      string
			deaths    int64
		}{
			{"2081-12-30", "fire", 1, "Kholi Bazar", 0}, {"2082-04-01", "landslide", 3, "बिष्खेत", 2}, {"2082-04-02", "flood", 3, "कोटफेरा", 0},
			{"2082-04-02", "landslide", 5, "Serala", 1}, {"2082-10-15", "fire", 9, "50% burnt", 0},
		} {
			inc := newIncident(t, c.date, c.typ, c.ward, func(in *leoc.IncidentInput) {
				in.Tole, in.DeathsMale, in.DeathsFemale, in.Deaths = c.tole, nil, nil, n64(c.deaths)
			})
			if err := s.CreateIncident(ctx, admin, all, inc); err != nil {
				t.Fatal(err)
			}
		}
		count := func(f store.RecordFilter) int {
			t.Helper()
			items, total, err := s.Incidents(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			if f.PerPage == 0 && len(items) != total {
				t.Fatalf("%d items of %d", len(items), total)
			}
			return total
		}
		for name, c := range map[string]struct {
			f    store.RecordFilter
			want int
		}{
			"all":                {store.RecordFilter{}, 5},
			"fiscal year":        {store.RecordFilter{FiscalYears: []int{2082}}, 4},
			"two fiscal years":   {store.RecordFilter{FiscalYears: []int{2081, 2082}}, 5},
			"wards":              {store.RecordFilter{Wards: []int{3, 9}}, 3},
			"type":               {store.RecordFilter{Types: []string{"landslide"}}, 2},
			"types and ward":     {store.RecordFilter{Types: []string{"landslide", "fire"}, Wards: []int{3, 1}}, 2},
			"date range":         {store.RecordFilter{From: "2025-07-17", To: "2025-07-18"}, 3},
			"Latin search":       {store.RecordFilter{Query: "kholi"}, 1},
			"Devanagari search":  {store.RecordFilter{Query: "बिष्खेत"}, 1},
			"description search": {store.RecordFilter{Query: "पहिरो"}, 5},
			"literal percent":    {store.RecordFilter{Query: "50%"}, 1},
			"percent alone":      {store.RecordFilter{Query: "%"}, 1},
			"search and ward":    {store.RecordFilter{Query: "serala", Wards: []int{3}}, 0},
		} {
			if got := count(c.f); got != c.want {
				t.Errorf("%s: %d, want %d", name, got, c.want)
			}
		}
		items, total := must.Get2(s.Incidents(ctx, store.RecordFilter{PerPage: 2, Page: 2}))(t)
		if total != 5 || len(items) != 2 || items[0].DateBS.String() != "2082-04-02" {
			t.Errorf("page 2: %d %v", total, items)
		}
		items, _ = must.Get2(s.Incidents(ctx, store.RecordFilter{Sort: "date", Asc: true, PerPage: 1}))(t)
		if items[0].DateBS.String() != "2081-12-30" {
			t.Errorf("oldest first: %v", items[0].DateBS)
		}
		items, _ = must.Get2(s.Incidents(ctx, store.RecordFilter{Sort: "deaths", PerPage: 1}))(t)
		if items[0].Counts[leoc.Deaths] != 2 {
			t.Errorf("most deaths first: %v", items[0].Counts)
		}
		items, _ = must.Get2(s.Incidents(ctx, store.RecordFilter{Sort: "ward; DROP TABLE incidents", PerPage: 1}))(t)
		if items[0].DateBS.String() != "2082-10-15" {
			t.Errorf("unknown sort must fall back to newest first: %v", items[0].DateBS)
		}
		var seen int
		err := s.EachIncident(ctx, store.RecordFilter{Wards: []int{3}, Sort: "date", Asc: true}, func(inc *leoc.Incident) error {
			seen++
			if inc.Ward != 3 {
				t.Errorf("export filter: ward %d", inc.Ward)
			}
			return nil
		})
		if err != nil || seen != 2 {
			t.Errorf("export: %d, %v", seen, err)
		}
		fys := must.Get(s.FiscalYears(ctx, "incidents"))(t)
		if len(fys) != 2 || fys[0] != 2082 {
			t.Errorf("fiscal years in use: %v", fys)
		}
	})
}

// TestIncidentStatisticsMatchTheRecords runs a random mix of creates,
// updates (moving incidents between fiscal years, wards and types) and
// deletes, then recomputes every statistics row from the incidents.
func TestIncidentStatisticsMatchTheRecords(t *testing.T) {
	storetest.Run(t, func(t *testing.T, s *store.Store) {
		rng := rand.New(rand.NewPCG(4, 2))
		all := &leoc.User{}
		// Some through the demo generator (the batch path) …
		if err := demo.Incidents(ctx, s, bs.Default(), demo.Options{Incidents: 60, Seed: 9, Batch: 25,
			Now: time.Date(2026, 1, 29, 0, 0, 0, 0, time.UTC)}); err != nil {
			t.Fatal(err)
		}
		// … and some one by one, then updates and deletes.
		dates := []string{"2080-05-01", "2081-03-31", "2081-04-01", "2082-10-15"}
		types := []string{"flood", "fire", "landslide"}
		random := func() *leoc.Incident {
			return newIncident(t, dates[rng.IntN(len(dates))], types[rng.IntN(len(types))], 1+rng.IntN(4), func(in *leoc.IncidentInput) {
				in.AffectedHouseholds = n64(rng.Int64N(5))
				in.Deaths, in.DeathsMale, in.DeathsFemale = n64(rng.Int64N(3)), nil, nil
				in.ElectricityCut = rng.IntN(2) == 0
				in.EstimatedLoss = leoc.Amount(strconv.Itoa(rng.IntN(100000)))
			})
		}
		for range 20 {
			if err := s.CreateIncident(ctx, admin, all, random()); err != nil {
				t.Fatal(err)
			}
		}
		for i := range 40 {
			items, _, err := s.Incidents(ctx, store.RecordFilter{PerPage: 100})
			if err != nil {
				t.Fatal(err)
			}
			victim := items[rng.IntN(len(items))]
			if err := s.SetLocked(ctx, admin, all, "incidents", victim.ID, false, "random test"); err != nil {
				t.Fatal(err)
			}
			if i%3 == 0 {
				if err := s.DeleteIncident(ctx, admin, all, victim.ID); err != nil {
					t.Fatal(err)
				}
				continue
			}
			changed := random()
			changed.Record = victim.Record
			if i%5 == 0 { // same cell, other figures
				changed.Dated, changed.Ward, changed.Type = victim.Dated, victim.Ward, victim.Type
			}
			if err := s.UpdateIncident(ctx, admin, all, changed); err != nil {
				t.Fatal(err)
			}
		}
		diffs, err := s.VerifyIncidentStats(ctx)
		if err != nil || len(diffs) != 0 {
			t.Fatalf("statistics differ from the records: %v\n%v", err, diffs)
		}
		// The aggregates and the fallback over the records give the same answer.
		for _, f := range []store.RecordFilter{{}, {FiscalYears: []int{2081}}, {Wards: []int{1, 3}, Types: []string{"fire", "flood"}}} {
			fast, err := s.IncidentStats(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			slow, err := s.IncidentStatsFromRecords(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			if !fast.FromAggregates || slow.FromAggregates {
				t.Fatalf("paths: %v %v", fast.FromAggregates, slow.FromAggregates)
			}
			fast.FromAggregates = false
			if fast.Totals != slow.Totals || len(fast.ByWard) != len(slow.ByWard) || len(fast.ByType) != len(slow.ByType) ||
				len(fast.ByFiscalYear) != len(slow.ByFiscalYear) {
				t.Fatalf("%+v: aggregates %+v\nrecords %+v", f, fast, slow)
			}
			for i := range fast.ByType {
				if fast.ByType[i] != slow.ByType[i] {
					t.Fatalf("by type %d: %+v vs %+v", i, fast.ByType[i], slow.ByType[i])
				}
			}
			var sum store.IncidentFigures
			for _, w := range fast.ByWard {
				sum.Incidents += w.Incidents
				sum.EstimatedLoss += w.EstimatedLoss
			}
			_, total := must.Get2(s.Incidents(ctx, f))(t)
			if sum.Incidents != fast.Totals.Incidents || sum.EstimatedLoss != fast.Totals.EstimatedLoss || int64(total) != fast.Totals.Incidents {
				t.Fatalf("by ward does not add up to the totals: %+v vs %+v (list total %d)", sum, fast.Totals, total)
			}
		}
	})
}

// TestIncidentStatisticsUnderConcurrentWrites: on PostgreSQL writers run in
// parallel; creates and deletes hitting the same statistics rows must
// neither lose a change nor deadlock.
func TestIncidentStatisticsUnderConcurrentWrites(t *testing.T) {
	storetest.Run(t, func(t *testing.T, s *store.Store) {
		all := &leoc.User{}
		var incs [4][12]*leoc.Incident
		for w := range 4 {
			for i := range 12 {
				incs[w][i] = newIncident(t, "2082-04-01", []string{"flood", "fire"}[i%2], 1+(w+i)%2)
			}
		}
		errs := make(chan error, 4)
		for w := range 4 {
			go func() {
				var err error
				for i, inc := range incs[w] {
					if err = s.CreateIncident(ctx, admin, all, inc); err != nil {
						break
					}
					if i%3 == 0 {
						if err = s.SetLocked(ctx, admin, all, "incidents", inc.ID, false, "concurrency"); err != nil {
							break
						}
						if err = s.DeleteIncident(ctx, admin, all, inc.ID); err != nil {
							break
						}
					}
				}
				errs <- err
			}()
		}
		for range 4 {
			if err := <-errs; err != nil {
				t.Fatal(err)
			}
		}
		if diffs, err := s.VerifyIncidentStats(ctx); err != nil || len(diffs) != 0 {
			t.Fatalf("statistics: %v %v", err, diffs)
		}
		if st := must.Get(s.IncidentStats(ctx, store.RecordFilter{}))(t); st.Totals.Incidents != 32 {
			t.Fatalf("incidents counted: %d, want 32", st.Totals.Incidents)
		}
	})
}
