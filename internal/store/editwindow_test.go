package store_test

import (
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"leoc/internal/leoc"
	"leoc/internal/must"
	"leoc/internal/store"
	"leoc/internal/store/storetest"
)

// testClock is a settable clock for the store.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *testClock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func withWindow(s *store.Store, window time.Duration) *testClock {
	clk := &testClock{t: time.Date(2026, 1, 29, 10, 0, 0, 0, time.UTC)}
	s.SetClock(clk.Now)
	s.SetEditWindow(window)
	return clk
}

// TestEditWindowOpensNewRecords: for the window after it was first saved a
// record is open to its author and the writers of its ward without the
// unlock key, and what is read says so; then it locks by itself.
func TestEditWindowOpensNewRecords(t *testing.T) {
	storetest.Run(t, func(t *testing.T, s *store.Store) {
		clk := withWindow(s, 24*time.Hour)
		author := &leoc.User{Username: "admin", Role: leoc.RoleOfficer}
		e := newEventLog(t, "2082-10-15", "पहिरोको क्षति मूल्याङ्कन")
		if err := s.CreateEventLog(ctx, admin, e); err != nil {
			t.Fatal(err)
		}
		saved := clk.Now()
		if e.Locked || !e.OpenUntil.Equal(saved.Add(24*time.Hour)) {
			t.Fatalf("created: locked=%v open until %v; want open until %v", e.Locked, e.OpenUntil, saved.Add(24*time.Hour))
		}
		got, err := s.EventLog(ctx, e.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Locked || !got.OpenUntil.Equal(saved.Add(24*time.Hour)) {
			t.Fatalf("read: locked=%v open until %v", got.Locked, got.OpenUntil)
		}
		list, _, err := s.EventLogs(ctx, store.RecordFilter{})
		if err != nil || len(list) != 1 || list[0].Locked {
			t.Fatalf("list: %v %+v", err, list)
		}

		// An hour later the author corrects it without a key; the audit
		// trail has the old and the new value; the window still runs from
		// the first save.
		clk.Add(time.Hour)
		got.Description = "पहिरोको क्षति मूल्याङ्कन, वडा ५"
		if err := s.UpdateEventLog(ctx, admin, author, got); err != nil {
			t.Fatalf("update within the window: %v", err)
		}
		if got.Locked || !got.OpenUntil.Equal(saved.Add(24*time.Hour)) || got.Version != 2 {
			t.Fatalf("after update: locked=%v open until %v version %d", got.Locked, got.OpenUntil, got.Version)
		}
		entries, _, err := s.ListAudit(ctx, store.AuditFilter{Action: "record.update", Entity: "event-logs", EntityID: strconv.FormatInt(e.ID, 10)})
		if err != nil || len(entries) != 1 {
			t.Fatalf("audit: %v %d entries", err, len(entries))
		}
		if d := entries[0].Details; !strings.Contains(d, `"पहिरोको क्षति मूल्याङ्कन"`) || !strings.Contains(d, `"पहिरोको क्षति मूल्याङ्कन, वडा ५"`) {
			t.Errorf("audit details lack the old and new value: %s", d)
		}

		// A second record, deleted within its window.
		other := newEventLog(t, "2082-10-15", "गलत प्रविष्टि")
		if err := s.CreateEventLog(ctx, admin, other); err != nil {
			t.Fatal(err)
		}
		if err := s.DeleteEventLog(ctx, admin, author, other.ID); err != nil {
			t.Fatalf("delete within the window: %v", err)
		}

		// At the end of the window it locks, with no job run.
		clk.Add(23 * time.Hour)
		got = must.Get(s.EventLog(ctx, e.ID))(t)
		if !got.Locked || !got.OpenUntil.IsZero() {
			t.Fatalf("after the window: locked=%v open until %v", got.Locked, got.OpenUntil)
		}
		got.Description = "too late"
		if err := s.UpdateEventLog(ctx, admin, author, got); code(err) != leoc.ELocked {
			t.Fatalf("update after the window: %v", err)
		}
		if err := s.DeleteEventLog(ctx, admin, author, got.ID); code(err) != leoc.ELocked {
			t.Fatalf("delete after the window: %v", err)
		}
		// Unlocked by key, corrected, and locked again on save.
		if err := s.SetLocked(ctx, admin, author, "event-logs", e.ID, false, "typo"); err != nil {
			t.Fatal(err)
		}
		if got = must.Get(s.EventLog(ctx, e.ID))(t); got.Locked || !got.OpenUntil.IsZero() {
			t.Fatalf("unlocked: locked=%v open until %v", got.Locked, got.OpenUntil)
		}
		got.Description = "corrected"
		if err := s.UpdateEventLog(ctx, admin, author, got); err != nil {
			t.Fatal(err)
		}
		if got = must.Get(s.EventLog(ctx, e.ID))(t); !got.Locked {
			t.Fatal("a corrected record did not lock again")
		}
	})
}

// TestEditWindowKeepsWardLimits: within the window a writer of the record's
// ward who is not its author may correct it, a writer of another ward may
// not; and a record open in its window needs no unlock (nothing is audited).
func TestEditWindowKeepsWardLimits(t *testing.T) {
	storetest.Run(t, func(t *testing.T, s *store.Store) {
		withWindow(s, 2*time.Hour)
		ward3 := &leoc.User{Username: "sita", Role: leoc.RoleOfficer, Wards: []int{3}}
		ward5 := &leoc.User{Username: "hari", Role: leoc.RoleOfficer, Wards: []int{5}}
		inc := newIncident(t, "2082-10-15", "landslide", 3)
		if err := s.CreateIncident(ctx, admin, ward3, inc); err != nil {
			t.Fatal(err)
		}
		got := must.Get(s.Incident(ctx, inc.ID))(t)
		got.Tole = "Kholi"
		if err := s.UpdateIncident(ctx, admin, ward5, got); code(err) != leoc.EForbidden {
			t.Fatalf("other ward within the window: %v", err)
		}
		if err := s.DeleteIncident(ctx, admin, ward5, got.ID); code(err) != leoc.EForbidden {
			t.Fatalf("other ward deletes within the window: %v", err)
		}
		colleague := store.Actor{UserID: 9, Username: "gita"}
		if err := s.UpdateIncident(ctx, colleague, &leoc.User{Username: "gita", Role: leoc.RoleOfficer, Wards: []int{3}}, got); err != nil {
			t.Fatalf("a writer of the ward within the window: %v", err)
		}
		if got.Locked {
			t.Fatal("the saved incident reports locked within its window")
		}
		if err := s.SetLocked(ctx, admin, ward3, "incidents", inc.ID, false, "nothing to unlock"); err != nil {
			t.Fatal(err)
		}
		if entries, _ := must.Get2(s.ListAudit(ctx, store.AuditFilter{Action: "record.unlock"}))(t); len(entries) != 0 {
			t.Fatalf("an open record was unlocked: %d audit entries", len(entries))
		}
	})
}

// TestEditWindowZeroLocksOnSave keeps the old rule: no window, locked when
// saved.
func TestEditWindowZeroLocksOnSave(t *testing.T) {
	storetest.Run(t, func(t *testing.T, s *store.Store) {
		withWindow(s, 0)
		rep := newSitrep(t, "2082-10-15", "10:00", "सफा")
		if err := s.SituationReports().Create(ctx, admin, nil, rep); err != nil {
			t.Fatal(err)
		}
		if !rep.Locked || !rep.OpenUntil.IsZero() {
			t.Fatalf("created with window 0: locked=%v open until %v", rep.Locked, rep.OpenUntil)
		}
		if err := s.SituationReports().Delete(ctx, admin, &leoc.User{Role: leoc.RoleOfficer}, rep.ID); code(err) != leoc.ELocked {
			t.Fatalf("delete with window 0: %v", err)
		}
	})
}

func TestLockInForce(t *testing.T) {
	saved := time.Date(2026, 1, 29, 10, 0, 0, 0, time.UTC)
	cases := []struct {
		name       string
		stored     bool
		now        time.Time
		window     time.Duration
		wantLocked bool
		wantUntil  time.Time
	}{
		{"no window", true, saved, 0, true, time.Time{}},
		{"just saved", true, saved, time.Hour, false, saved.Add(time.Hour)},
		{"last instant", true, saved.Add(time.Hour - time.Nanosecond), time.Hour, false, saved.Add(time.Hour)},
		{"window over", true, saved.Add(time.Hour), time.Hour, true, time.Time{}},
		{"unlocked by key", false, saved.Add(48 * time.Hour), time.Hour, false, time.Time{}},
	}
	for _, c := range cases {
		locked, until := leoc.LockInForce(c.stored, saved, c.now, c.window)
		if locked != c.wantLocked || !until.Equal(c.wantUntil) {
			t.Errorf("%s: got locked=%v until %v; want %v %v", c.name, locked, until, c.wantLocked, c.wantUntil)
		}
		r := leoc.Record{Locked: c.stored, CreatedAt: saved}
		r.SettleLock(c.now, c.window)
		r.SettleLock(c.now, c.window)
		if r.Locked != c.wantLocked || !r.OpenUntil.Equal(c.wantUntil) {
			t.Errorf("%s: SettleLock twice gives locked=%v until %v", c.name, r.Locked, r.OpenUntil)
		}
	}
}
