package store_test

import (
	"testing"
	"time"

	"leoc/internal/bs"
	"leoc/internal/leoc"
	"leoc/internal/must"
	"leoc/internal/store"
	"leoc/internal/store/storetest"
)

func newSitrep(t *testing.T, date, clock, weather string) *leoc.SituationReport {
	t.Helper()
	r := &leoc.SituationReport{}
	in := leoc.SitrepFields{DateBS: date, Time: clock, Summary: "बाढीले ३ घर बगायो; उद्धार जारी", Weather: weather,
		ResourcesDeployed: "प्रहरी २०, नेपाली सेना १२", NextUpdateBS: "2082-10-16", NextUpdateTime: "08:00"}
	if err := in.Apply(bs.Default(), r); err != nil {
		t.Fatal(err)
	}
	return r
}

func TestSituationReportLifecycle(t *testing.T) {
	storetest.Run(t, func(t *testing.T, s *store.Store) {
		if latest, err := s.LatestSituationReportBy(ctx, farFuture); err != nil || latest != nil {
			t.Fatalf("latest of none: %v %v", latest, err)
		}
		officer := &leoc.User{Username: "ram", Role: leoc.RoleOfficer}
		r := newSitrep(t, "२०८२-१०-१५", "18:00", "वर्षा")
		if err := s.SituationReports().Create(ctx, admin, nil, r); err != nil {
			t.Fatal(err)
		}
		got, err := s.SituationReports().Get(ctx, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.DateBS.String() != "2082-10-15" || got.DateAD.Format("2006-01-02") != "2026-01-29" || got.FiscalYear.Label() != "2082/83" ||
			got.Time != "18:00" || got.NextUpdate.DateBS.String() != "2082-10-16" || got.NextUpdate.Time != "08:00" ||
			!got.Locked || got.Version != 1 || got.CreatedBy != "admin" || got.Weather != "वर्षा" {
			t.Fatalf("stored %+v", got)
		}
		got.Weather = "सफा"
		if err := s.SituationReports().Update(ctx, admin, officer, got); code(err) != leoc.ELocked {
			t.Fatalf("update of a locked report: %v", err)
		}
		if err := s.SituationReports().Delete(ctx, admin, officer, got.ID); code(err) != leoc.ELocked {
			t.Fatalf("delete of a locked report: %v", err)
		}
		if err := s.SetLocked(ctx, admin, officer, "situation-reports", r.ID, false, "typo"); err != nil {
			t.Fatal(err)
		}
		stale := *got
		if err := s.SituationReports().Update(ctx, admin, officer, got); err != nil {
			t.Fatal(err)
		}
		if got.Version != 2 || !got.Locked || got.Weather != "सफा" {
			t.Fatalf("after update %+v", got)
		}
		must.OK(t, s.SetLocked(ctx, admin, officer, "situation-reports", r.ID, false, "again"))
		stale.Weather = "lost update"
		if err := s.SituationReports().Update(ctx, admin, officer, &stale); code(err) != leoc.EConflict {
			t.Fatalf("stale version: %v", err)
		}

		// The bulletin's weather: the newest by date, then time of day.
		for _, c := range []struct{ date, clock, weather string }{
			{"2082-10-14", "20:00", "older day"}, {"2082-10-15", "06:00", "earlier the same day"}, {"2082-10-15", "", "no time"},
		} {
			if err := s.SituationReports().Create(ctx, admin, nil, newSitrep(t, c.date, c.clock, c.weather)); err != nil {
				t.Fatal(err)
			}
		}
		latest, err := s.LatestSituationReportBy(ctx, farFuture)
		if err != nil || latest.ID != r.ID || latest.Weather != "सफा" {
			t.Fatalf("latest: %+v %v", latest, err)
		}

		items, total, err := s.SituationReports().List(ctx, store.RecordFilter{FiscalYears: []int{2082}, Query: "उद्धार", Types: []string{"x"}, Wards: []int{3}})
		if err != nil || total != 4 || len(items) != 4 || items[0].ID != r.ID {
			t.Fatalf("list: %d %v", total, err)
		}
		if _, total := must.Get2(s.SituationReports().List(ctx, store.RecordFilter{From: "2026-01-28", To: "2026-01-28"}))(t); total != 1 {
			t.Errorf("date range: %d", total)
		}
		entries, _ := must.Get2(s.ListAudit(ctx, store.AuditFilter{Entity: "situation-reports", EntityID: "1"}))(t)
		if len(entries) < 4 {
			t.Fatalf("audit entries: %d", len(entries))
		}
		if err := s.SituationReports().Delete(ctx, admin, officer, r.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := s.SituationReports().Get(ctx, r.ID); code(err) != leoc.ENotFound {
			t.Fatalf("deleted: %v", err)
		}
	})
}

// farFuture is after every report: the latest by it is the newest.
var farFuture = time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC)
