package store_test

import (
	"testing"

	"leoc/internal/bs"
	"leoc/internal/leoc"
	"leoc/internal/must"
	"leoc/internal/store"
	"leoc/internal/store/storetest"
)

func newEventLog(t *testing.T, date, desc string) *leoc.EventLog {
	t.Helper()
	e := &leoc.EventLog{}
	in := leoc.EventLogInput{DateBS: date, Time: "9:05", Type: "assessment", Description: desc, Location: "खोली"}
	if err := in.Apply(bs.Default(), e); err != nil {
		t.Fatal(err)
	}
	return e
}

func TestEventLogLifecycle(t *testing.T) {
	storetest.Run(t, func(t *testing.T, s *store.Store) {
		officer := &leoc.User{Username: "ram", Role: leoc.RoleOfficer}
		e := newEventLog(t, "२०८२-०४-०१", "पहिरोको क्षति मूल्याङ्कन")
		if err := s.CreateEventLog(ctx, admin, e); err != nil {
			t.Fatal(err)
		}
		got, err := s.EventLog(ctx, e.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.DateBS.String() != "2082-04-01" || got.DateAD.Format("2006-01-02") != "2025-07-17" || got.FiscalYear.Label() != "2082/83" ||
			got.Time != "09:05" || !got.Locked || got.Version != 1 || got.CreatedBy != "admin" {
			t.Fatalf("stored %+v", got)
		}
		// Locked: no edit, no delete.
		got.Description = "changed"
		if err := s.UpdateEventLog(ctx, admin, officer, got); code(err) != leoc.ELocked {
			t.Fatalf("update of locked record: %v", err)
		}
		if err := s.DeleteEventLog(ctx, admin, officer, got.ID); code(err) != leoc.ELocked {
			t.Fatalf("delete of locked record: %v", err)
		}
		// Unlocked: the edit saves and locks again; a stale version is refused.
		if err := s.SetLocked(ctx, admin, officer, "event-logs", e.ID, false, "typo"); err != nil {
			t.Fatal(err)
		}
		stale := *got
		if err := s.UpdateEventLog(ctx, admin, officer, got); err != nil {
			t.Fatal(err)
		}
		again := must.Get(s.EventLog(ctx, e.ID))(t)
		if again.Description != "changed" || !again.Locked || again.Version != 2 {
			t.Fatalf("after update %+v", again)
		}
		must.OK(t, s.SetLocked(ctx, admin, officer, "event-logs", e.ID, false, "again"))
		stale.Description = "lost update"
		if err := s.UpdateEventLog(ctx, admin, officer, &stale); code(err) != leoc.EConflict {
			t.Fatalf("stale version: %v", err)
		}
		if got := must.Get(s.EventLog(ctx, e.ID))(t); got.Description != "changed" {
			t.Fatal("stale write overwrote the record")
		}
		entries, _ := must.Get2(s.ListAudit(ctx, store.AuditFilter{Entity: "event-logs", EntityID: "1"}))(t)
		if len(entries) < 4 {
			t.Fatalf("audit entries: %d", len(entries))
		}
		if err := s.DeleteEventLog(ctx, admin, officer, e.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := s.EventLog(ctx, e.ID); code(err) != leoc.ENotFound {
			t.Fatalf("deleted: %v", err)
		}
	})
}

func TestEventLogFilters(t *testing.T) {
	storetest.Run(t, func(t *testing.T, s *store.Store) {
		for _, c := range []struct{ date, desc string }{
			{"2081-12-30", "Flood in ward 3"}, {"2082-04-01", "बाढी पीडितलाई राहत"}, {"2082-04-02", "Coordination meeting"}, {"2082-10-15", "Landslide ASSESSMENT"},
		} {
			if err := s.CreateEventLog(ctx, admin, newEventLog(t, c.date, c.desc)); err != nil {
				t.Fatal(err)
			}
		}
		count := func(f store.RecordFilter) int {
			items, total, err := s.EventLogs(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			if len(items) != min(total, max(f.PerPage, 0)) && f.PerPage > 0 {
				t.Fatalf("page size %d of %d", len(items), total)
			}
			return total
		}
		if n := count(store.RecordFilter{FiscalYears: []int{2082}}); n != 3 {
			t.Errorf("fiscal year 2082/83: %d", n)
		}
		if n := count(store.RecordFilter{From: "2025-07-17", To: "2025-07-18"}); n != 2 {
			t.Errorf("date range: %d", n)
		}
		if n := count(store.RecordFilter{Query: "assessment"}); n != 1 {
			t.Errorf("case-insensitive search: %d", n)
		}
		if n := count(store.RecordFilter{Query: "बाढी"}); n != 1 {
			t.Errorf("Devanagari search: %d", n)
		}
		if n := count(store.RecordFilter{Query: "50%"}); n != 0 {
			t.Errorf("LIKE wildcard in search: %d", n)
		}
		items, _ := must.Get2(s.EventLogs(ctx, store.RecordFilter{PerPage: 2}))(t)
		if len(items) != 2 || items[0].DateBS.String() != "2082-10-15" {
			t.Errorf("newest first: %v", items[0].DateBS)
		}
		items, _ = must.Get2(s.EventLogs(ctx, store.RecordFilter{Sort: "date", Asc: true, PerPage: 1}))(t)
		if items[0].DateBS.String() != "2081-12-30" {
			t.Errorf("oldest first: %v", items[0].DateBS)
		}
		fys := must.Get(s.FiscalYears(ctx, "event-logs"))(t)
		if len(fys) != 2 || fys[0] != 2082 || fys[1] != 2081 {
			t.Errorf("fiscal years in use: %v", fys)
		}
	})
}
