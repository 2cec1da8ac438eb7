package store_test

import (
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"leoc/internal/bs"
	"leoc/internal/leoc"
	"leoc/internal/must"
	"leoc/internal/store"
	"leoc/internal/store/storetest"
)

func newAdvisory(t *testing.T, title, priority string, active bool, from, until string) *leoc.Advisory {
	t.Helper()
	a := &leoc.Advisory{}
	in := leoc.AdvisoryInput{Title: title, Content: "नदी किनार नजानुहोला।", Type: "weather", Priority: priority, Active: &active,
		ValidFrom: from, ValidUntil: until}
	if err := in.Apply(bs.Default(), a); err != nil {
		t.Fatal(err)
	}
	return a
}

func TestAdvisoriesPublicSelection(t *testing.T) {
	storetest.Run(t, func(t *testing.T, s *store.Store) {
		now := time.Date(2026, 1, 29, 10, 0, 0, 0, time.UTC)
		for _, a := range []*leoc.Advisory{
			newAdvisory(t, "normal, open-ended", "normal", true, "2026-01-01T00:00:00+05:45", ""),
			newAdvisory(t, "critical", "critical", true, "2026-01-29T09:00:00Z", "2026-01-30T00:00:00+05:45"),
			newAdvisory(t, "expired", "critical", true, "2026-01-01T00:00:00Z", "2026-01-29T10:00:00Z"),
			newAdvisory(t, "future", "critical", true, "2026-01-29T10:00:01Z", ""),
			newAdvisory(t, "inactive", "critical", false, "2026-01-01T00:00:00Z", ""),
			newAdvisory(t, "starts now", "normal", true, "2026-01-29T15:45:00+05:45", "2026-02-28T00:00:00Z"),
			newAdvisory(t, "high", "high", true, "2025-12-01T00:00:00Z", "2027-01-01T00:00:00Z"),
		} {
			if err := s.CreateAdvisory(ctx, admin, a); err != nil {
				t.Fatal(err)
			}
		}
		got, err := s.CurrentAdvisories(ctx, now)
		if err != nil {
			t.Fatal(err)
		}
		var titles []string
		for _, a := range got {
			titles = append(titles, a.Title)
			if !a.CurrentAt(now) {
				t.Errorf("%s is not current in Go but is in SQL", a.Title)
			}
		}
		want := "[critical high starts now normal, open-ended]"
		if got := fmtList(titles); got != want {
			t.Fatalf("public selection %s, want %s", got, want)
		}
		list, total, err := s.Advisories(ctx, store.AdvisoryFilter{Priorities: []string{"critical"}})
		if err != nil || total != 4 || len(list) != 4 {
			t.Fatalf("priority filter: %d %v", total, err)
		}
		inactive := false
		if _, total := must.Get2(s.Advisories(ctx, store.AdvisoryFilter{Active: &inactive}))(t); total != 1 {
			t.Errorf("active=false: %d", total)
		}
		if _, total := must.Get2(s.Advisories(ctx, store.AdvisoryFilter{RecordFilter: store.RecordFilter{Query: "OPEN-ended", Types: []string{"weather"}}}))(t); total != 1 {
			t.Errorf("search: %d", total)
		}
		if _, total := must.Get2(s.Advisories(ctx, store.AdvisoryFilter{CurrentAt: now, RecordFilter: store.RecordFilter{FiscalYears: []int{2082}, Wards: []int{1}}}))(t); total != 4 {
			t.Errorf("current, fiscal year and ward ignored: %d", total)
		}
		list, _ = must.Get2(s.Advisories(ctx, store.AdvisoryFilter{RecordFilter: store.RecordFilter{Sort: "priority", PerPage: 1}}))(t)
		if list[0].Priority != "critical" {
			t.Errorf("sort by priority: %s", list[0].Priority)
		}
	})
}

func fmtList(s []string) string {
	out := "["
	for i, v := range s {
		if i > 0 {
			out += " "
		}
		out += v
	}
	return out + "]"
}

func TestAdvisoryLifecycle(t *testing.T) {
	storetest.Run(t, func(t *testing.T, s *store.Store) {
		officer := &leoc.User{Username: "ram", Role: leoc.RoleOfficer}
		a := newAdvisory(t, "भारी वर्षा", "high", true, "2026-01-29T06:00:00.75+05:45", "")
		if err := s.CreateAdvisory(ctx, admin, a); err != nil {
			t.Fatal(err)
		}
		got, err := s.Advisory(ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !got.ValidFrom.Equal(time.Date(2026, 1, 29, 0, 15, 0, 0, time.UTC)) || !got.OpenEnded() || !got.Locked || got.Version != 1 ||
			!got.PreviousSentAt.IsZero() || got.CreatedBy != "admin" {
			t.Fatalf("stored %+v", got)
		}
		got.Title = "changed"
		if err := s.UpdateAdvisory(ctx, admin, officer, got); code(err) != leoc.ELocked {
			t.Fatalf("update locked: %v", err)
		}
		must.OK(t, s.SetLocked(ctx, admin, officer, "advisories", a.ID, false, "typo"))
		firstSent := got.UpdatedAt
		got.ValidUntil = time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)
		if err := s.UpdateAdvisory(ctx, admin, officer, got); err != nil {
			t.Fatal(err)
		}
		again := must.Get(s.Advisory(ctx, a.ID))(t)
		if again.Title != "changed" || again.Version != 2 || !again.Locked || !again.PreviousSentAt.Equal(firstSent) ||
			!again.ValidUntil.Equal(got.ValidUntil) || !reflect.DeepEqual(again, got) {
			t.Fatalf("after update %+v\nreturned %+v", again, got)
		}
		must.OK(t, s.SetLocked(ctx, admin, officer, "advisories", a.ID, false, "again"))
		stale := *again
		stale.Version = 1
		if err := s.UpdateAdvisory(ctx, admin, officer, &stale); code(err) != leoc.EConflict {
			t.Fatalf("stale: %v", err)
		}
		if err := s.DeleteAdvisory(ctx, admin, officer, a.ID); err != nil {
			t.Fatal(err)
		}
		entries, _ := must.Get2(s.ListAudit(ctx, store.AuditFilter{Entity: "advisories"}))(t)
		if len(entries) != 5 { // create, unlock, update, unlock, delete
			t.Fatalf("audit entries: %d", len(entries))
		}
	})
}

func TestBoundarySetting(t *testing.T) {
	storetest.Run(t, func(t *testing.T, s *store.Store) {
		if b, err := s.Boundary(ctx); err != nil || b != "" {
			t.Fatalf("no boundary: %q %v", b, err)
		}
		for _, body := range []string{`{"type":"Polygon"}`, `{"type":"MultiPolygon"}`} {
			if err := s.SetBoundary(ctx, admin, body, map[string]any{"points": 1}); err != nil {
				t.Fatal(err)
			}
			if b := must.Get(s.Boundary(ctx))(t); b != body {
				t.Fatalf("boundary %q", b)
			}
		}
		entries, _ := must.Get2(s.ListAudit(ctx, store.AuditFilter{Action: "setting.boundary_import"}))(t)
		if len(entries) != 2 {
			t.Fatalf("audit: %d", len(entries))
		}
	})
}

// TestAdvisoryTargets: wards, the CAP grading and the English text are
// stored and read back on both databases; an advisory created without them
// concerns the whole municipality with the grading its priority implies;
// an update can change and clear the wards.
func TestAdvisoryTargets(t *testing.T) {
	storetest.Run(t, func(t *testing.T, s *store.Store) {
		plain := newAdvisory(t, "सूचना", "critical", true, "2026-01-29T06:00:00+05:45", "")
		if err := s.CreateAdvisory(ctx, admin, plain); err != nil {
			t.Fatal(err)
		}
		got, err := s.Advisory(ctx, plain.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !got.WholeMunicipality() || got.Grading() != (leoc.Grading{Urgency: "Immediate", Severity: "Extreme", Certainty: "Observed"}) || got.TitleEn != "" {
			t.Errorf("an advisory without targets: %+v", got.AdvisoryTargets)
		}

		active := true
		in := leoc.AdvisoryInput{Title: "भारी वर्षा", Content: "नदी किनार नजानुहोला।", Type: "weather", Priority: "high", Active: &active,
			ValidFrom: "2026-01-29T06:00:00+05:45",
			AdvisoryTargetsInput: leoc.AdvisoryTargetsInput{Wards: &[]int{5, 3, 5}, Urgency: "Future", Severity: "Moderate", Certainty: "Possible",
				TitleEn: "Heavy rain", ContentEn: "Keep away from the river banks.", KnownWards: []int{1, 2, 3, 4, 5, 6, 7, 8, 9}}}
		a := &leoc.Advisory{}
		if err := in.Apply(bs.Default(), a); err != nil {
			t.Fatal(err)
		}
		if err := s.CreateAdvisory(ctx, admin, a); err != nil {
			t.Fatal(err)
		}
		got, err = s.Advisory(ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		want := leoc.AdvisoryTargets{Wards: []int{3, 5}, Urgency: "Future", Severity: "Moderate", Certainty: "Possible",
			TitleEn: "Heavy rain", ContentEn: "Keep away from the river banks."}
		if !reflect.DeepEqual(got.AdvisoryTargets, want) {
			t.Errorf("stored targets %+v, want %+v", got.AdvisoryTargets, want)
		}
		must.OK(t, s.SetLocked(ctx, admin, &leoc.User{Username: "admin", Role: leoc.RoleAdmin}, "advisories", a.ID, false, "wards"))
		got.Wards = nil
		got.Urgency = "Immediate"
		if err := s.UpdateAdvisory(ctx, admin, &leoc.User{Username: "admin", Role: leoc.RoleAdmin}, got); err != nil {
			t.Fatal(err)
		}
		again, err := s.Advisory(ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !again.WholeMunicipality() || again.Urgency != "Immediate" || again.Severity != "Moderate" {
			t.Errorf("after update: %+v", again.AdvisoryTargets)
		}
	})
}

// TestMigration0015GradesOldAdvisories: advisories saved before migration
// 0015 concern the whole municipality and get the grading the CAP feed
// derived from their priority until then, so their alerts do not change.
// Rows as they stood after the columns were added (defaults only) are put
// through the migration's UPDATE, on both databases.
func TestMigration0015GradesOldAdvisories(t *testing.T) {
	storetest.Run(t, func(t *testing.T, s *store.Store) {
		ms, err := store.Migrations(s.Dialect())
		if err != nil {
			t.Fatal(err)
		}
		var update string
		for _, m := range ms {
			if m.Version == 15 {
				update = m.SQL[strings.Index(m.SQL, "UPDATE advisories"):]
			}
		}
		if update == "" {
			t.Fatal("migration 15 has no UPDATE of advisories")
		}
		ids := map[string]int64{}
		for _, p := range append(slices.Clone(leoc.AdvisoryPriorities), "bogus") {
			if err := s.ExecForTest(ctx, `INSERT INTO advisories (title, content, type, priority, active, valid_from, locked, version, created_at, created_by, updated_at, updated_by)
				VALUES (?, 'c', 'general', ?, TRUE, ?, TRUE, 1, ?, 'old', ?, 'old')`, "old "+p, p, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC),
				time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)); err != nil {
				t.Fatal(err)
			}
			items, _, err := s.Advisories(ctx, store.AdvisoryFilter{RecordFilter: store.RecordFilter{Query: "old " + p}})
			if err != nil || len(items) != 1 {
				t.Fatalf("find old %s: %v %d", p, err, len(items))
			}
			ids[p] = items[0].ID
		}
		if err := s.ExecForTest(ctx, update); err != nil {
			t.Fatal(err)
		}
		for p, id := range ids {
			a, err := s.Advisory(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			if a.Grading() != leoc.GradingOfPriority(p) || !a.WholeMunicipality() || a.TitleEn != "" {
				t.Errorf("old %s advisory: %+v, want the grading %+v", p, a.AdvisoryTargets, leoc.GradingOfPriority(p))
			}
		}
	})
}
