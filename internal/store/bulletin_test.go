package store_test

import (
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"leoc/internal/bs"
	"leoc/internal/leoc"
	"leoc/internal/must"
	"leoc/internal/store"
	"leoc/internal/store/storetest"
)

func bulletinDay(t *testing.T, date string) store.BulletinRequest {
	t.Helper()
	d, err := bs.Parse(date)
	if err != nil {
		t.Fatal(err)
	}
	ad, err := bs.Default().ToAD(d)
	if err != nil {
		t.Fatal(err)
	}
	return store.BulletinRequest{From: d, To: d, FromAD: ad, ToAD: ad, Format: "html"}
}

func TestSitrepNumbersFollowTheFiscalYear(t *testing.T) {
	storetest.Run(t, func(t *testing.T, s *store.Store) {
		produce := func(req store.BulletinRequest) int {
			t.Helper()
			n, err := s.ProduceBulletin(ctx, admin, req)
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		// The last day of 2081/82, then two days of 2082/83, then the first
		// day again: a new fiscal year starts at 1, a day keeps its number.
		if n := produce(bulletinDay(t, "2082-03-32")); n != 1 {
			t.Errorf("first number of 2081/82 = %d, want 1", n)
		}
		if n := produce(bulletinDay(t, "2082-04-05")); n != 1 {
			t.Errorf("first number of 2082/83 = %d, want 1", n)
		}
		if n := produce(bulletinDay(t, "2082-04-02")); n != 2 {
			t.Errorf("second day of 2082/83 = %d, want 2", n)
		}
		if n := produce(bulletinDay(t, "2082-04-05")); n != 1 {
			t.Errorf("the same day again = %d, want its number 1", n)
		}
		rng := bulletinDay(t, "2082-04-01")
		rng.To, rng.ToAD = bulletinDay(t, "2082-04-10").To, bulletinDay(t, "2082-04-10").ToAD
		if n := produce(rng); n != 0 {
			t.Errorf("a range got number %d, want none", n)
		}
		if n, err := s.SitrepNumber(ctx, bulletinDay(t, "2082-04-02").FromAD); n != 2 || err != nil {
			t.Errorf("SitrepNumber = %d %v", n, err)
		}
		_, total, err := s.ListAudit(ctx, store.AuditFilter{Action: "bulletin.generate"})
		if err != nil || total != 5 {
			t.Errorf("%d bulletin.generate entries (%v), want 5", total, err)
		}
		_, total = must.Get2(s.ListAudit(ctx, store.AuditFilter{Action: "bulletin.sitrep_number"}))(t)
		if total != 3 {
			t.Errorf("%d numbers issued in the audit trail, want 3", total)
		}
	})
}

// Many requests at once, for twelve days and each day several times: every
// day gets exactly one number, and the numbers are 1..12 without gaps.
func TestSitrepNumbersUnderConcurrency(t *testing.T) {
	storetest.Run(t, func(t *testing.T, s *store.Store) {
		const days = 12
		var mu sync.Mutex
		got := map[string][]int{}
		var wg sync.WaitGroup
		for i := range days * 4 {
			day := fmt.Sprintf("2082-05-%02d", i%days+1)
			wg.Go(func() {
				n, err := s.ProduceBulletin(ctx, admin, bulletinDay(t, day))
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				got[day] = append(got[day], n)
				mu.Unlock()
			})
		}
		wg.Wait()
		var firsts []int
		for day, ns := range got {
			if slices.Min(ns) != slices.Max(ns) {
				t.Errorf("%s got several numbers: %v", day, ns)
			}
			firsts = append(firsts, ns[0])
		}
		slices.Sort(firsts)
		stored, err := s.SitrepNumbers(ctx, 2082)
		if err != nil {
			t.Fatal(err)
		}
		want := make([]int, days)
		for i := range want {
			want[i] = i + 1
		}
		if !slices.Equal(firsts, want) || !slices.Equal(stored, want) {
			t.Errorf("numbers answered %v, stored %v, want %v", firsts, stored, want)
		}
		if p, _, err := s.VerifyAudit(ctx); p != nil || err != nil {
			t.Errorf("audit chain: %+v %v", p, err)
		}
	})
}

// Producing a day's bulletin locks that day's records at once; other days'
// records are left as they are.
func TestReportedDayLocksItsRecords(t *testing.T) {
	storetest.Run(t, func(t *testing.T, s *store.Store) {
		officer := &leoc.User{Username: "ram", Role: leoc.RoleOfficer}
		reported := newIncident(t, "2082-04-05", "flood", 2)
		other := newIncident(t, "2082-04-06", "flood", 2)
		for _, inc := range []*leoc.Incident{reported, other} {
			if err := s.CreateIncident(ctx, admin, officer, inc); err != nil {
				t.Fatal(err)
			}
			if err := s.SetLocked(ctx, admin, officer, "incidents", inc.ID, false, "correction"); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := s.ProduceBulletin(ctx, admin, bulletinDay(t, "2082-04-05")); err != nil {
			t.Fatal(err)
		}
		got := must.Get(s.Incident(ctx, reported.ID))(t)
		got.Description = "changed after the bulletin"
		if err := s.UpdateIncident(ctx, admin, officer, got); code(err) != leoc.ELocked {
			t.Errorf("edit of a reported day's incident: %v, want locked", err)
		}
		got = must.Get(s.Incident(ctx, other.ID))(t)
		got.Description = "another day"
		if err := s.UpdateIncident(ctx, admin, officer, got); err != nil {
			t.Errorf("edit of an unreported day's incident: %v", err)
		}
		// The unlock key still opens a reported day's record for a correction.
		if err := s.SetLocked(ctx, admin, officer, "incidents", reported.ID, false, "wrong ward"); err != nil {
			t.Fatal(err)
		}
		got = must.Get(s.Incident(ctx, reported.ID))(t)
		got.Description = "corrected"
		if err := s.UpdateIncident(ctx, admin, officer, got); err != nil {
			t.Errorf("correction after unlock: %v", err)
		}
	})
}

// TestReportedDayClosesTheEditWindow: a record still inside its edit window
// locks at once when its day's bulletin is produced; the window does not
// reopen what went upwards, and the unlock key still opens it.
func TestReportedDayClosesTheEditWindow(t *testing.T) {
	storetest.Run(t, func(t *testing.T, s *store.Store) {
		s.SetEditWindow(24 * time.Hour)
		officer := &leoc.User{Username: "ram", Role: leoc.RoleOfficer}
		reported := newIncident(t, "2082-04-05", "flood", 2)
		other := newIncident(t, "2082-04-06", "flood", 2)
		for _, inc := range []*leoc.Incident{reported, other} {
			if err := s.CreateIncident(ctx, admin, officer, inc); err != nil {
				t.Fatal(err)
			}
		}
		got, err := s.Incident(ctx, reported.ID)
		if err != nil {
			t.Fatal(err)
		}
		got.Description = "typo fixed within the window"
		if err := s.UpdateIncident(ctx, admin, officer, got); err != nil {
			t.Fatalf("edit within the window before the bulletin: %v", err)
		}
		if _, err := s.ProduceBulletin(ctx, admin, bulletinDay(t, "2082-04-05")); err != nil {
			t.Fatal(err)
		}
		if got, err = s.Incident(ctx, reported.ID); err != nil {
			t.Fatal(err)
		}
		got.Description = "changed after the bulletin"
		if err := s.UpdateIncident(ctx, admin, officer, got); code(err) != leoc.ELocked {
			t.Errorf("edit of a reported day's incident within the window: %v, want locked", err)
		}
		if got, err = s.Incident(ctx, other.ID); err != nil {
			t.Fatal(err)
		}
		got.Description = "another day, still in its window"
		if err := s.UpdateIncident(ctx, admin, officer, got); err != nil {
			t.Errorf("edit of an unreported day's incident within the window: %v", err)
		}
		if err := s.SetLocked(ctx, admin, officer, "incidents", reported.ID, false, "wrong ward"); err != nil {
			t.Fatal(err)
		}
		if got, err = s.Incident(ctx, reported.ID); err != nil {
			t.Fatal(err)
		}
		got.Description = "corrected with the key"
		if err := s.UpdateIncident(ctx, admin, officer, got); err != nil {
			t.Errorf("correction after unlock: %v", err)
		}
	})
}
