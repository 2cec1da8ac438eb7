package store_test

import (
	"slices"
	"strconv"
	"strings"
	"testing"

	"leoc/internal/leoc"
	"leoc/internal/must"
	"leoc/internal/store"
	"leoc/internal/store/storetest"
)

// The stored parts of issue 17, item 13: the per-user personal-data grant,
// the office's publish policy, operations-log wards and the search scope.

func TestSeeAllPersonalGrantIsStoredAndAudited(t *testing.T) {
	storetest.Run(t, func(t *testing.T, s *store.Store) {
		u := &leoc.User{Username: "partner", Role: leoc.RoleViewer, SeeAllPersonal: true}
		if err := s.CreateUser(ctx, admin, u, "$argon2id$fake"); err != nil {
			t.Fatal(err)
		}
		got, err := s.User(ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !got.SeeAllPersonal || !got.SeesAllPersonalData() {
			t.Fatalf("grant not stored: %+v", got)
		}
		got.SeeAllPersonal = false
		if err := s.UpdateUser(ctx, admin, got); err != nil {
			t.Fatal(err)
		}
		again := must.Get(s.UserByUsername(ctx, "partner"))(t)
		if again.SeeAllPersonal || again.SeesAllPersonalData() {
			t.Fatalf("revoke not stored: %+v", again)
		}
		entries, _, err := s.ListAudit(ctx, store.AuditFilter{Action: "user.update", EntityID: strconv.FormatInt(u.ID, 10)})
		if err != nil {
			t.Fatal(err)
		}
		if len(entries) != 1 || !strings.Contains(entries[0].Details, `"see_all_personal":{"before":true,"after":false}`) {
			t.Fatalf("revoke audit: %+v", entries)
		}
		created, _ := must.Get2(s.ListAudit(ctx, store.AuditFilter{Action: "user.create", EntityID: strconv.FormatInt(u.ID, 10)}))(t)
		if len(created) != 1 || !strings.Contains(created[0].Details, `"see_all_personal":true`) {
			t.Fatalf("create audit: %+v", created)
		}
	})
}

func TestAccessPolicy(t *testing.T) {
	storetest.Run(t, func(t *testing.T, s *store.Store) {
		p, err := s.AccessPolicy(ctx)
		if err != nil || p.WardUsersPublish {
			t.Fatalf("default policy %+v %v: ward users must not publish by default", p, err)
		}
		if err := s.SetAccessPolicy(ctx, admin, store.AccessPolicy{WardUsersPublish: true}); err != nil {
			t.Fatal(err)
		}
		if p := must.Get(s.AccessPolicy(ctx))(t); !p.WardUsersPublish {
			t.Fatal("policy not saved")
		}
		// Saving the same value again is no change and no audit entry.
		if err := s.SetAccessPolicy(ctx, admin, store.AccessPolicy{WardUsersPublish: true}); err != nil {
			t.Fatal(err)
		}
		entries, _ := must.Get2(s.ListAudit(ctx, store.AuditFilter{Action: "setting.update", EntityID: "policy"}))(t)
		if len(entries) != 1 || !strings.Contains(entries[0].Details, `"ward_users_may_publish":{"before":false,"after":true}`) {
			t.Fatalf("audit: %+v", entries)
		}
		// The office details ignore the policy's key.
		if _, err := s.Settings(ctx); err != nil {
			t.Fatal(err)
		}
	})
}

func TestEventLogWards(t *testing.T) {
	storetest.Run(t, func(t *testing.T, s *store.Store) {
		ward3 := &leoc.User{Username: "sita", Role: leoc.RoleOfficer, Wards: []int{3}}
		mk := func(ward int, desc string) *leoc.EventLog {
			e := newEventLog(t, "2082-04-01", desc)
			e.Ward = ward
			if err := s.CreateEventLog(ctx, admin, e); err != nil {
				t.Fatalf("create ward %d: %v", ward, err)
			}
			return e
		}
		whole, three, five := mk(0, "पालिका बैठक"), mk(3, "वडा ३ मूल्याङ्कन"), mk(5, "वडा ५ उद्धार")
		if got := must.Get(s.EventLog(ctx, three.ID))(t); got.Ward != 3 {
			t.Fatalf("ward not stored: %+v", got)
		}
		if got := must.Get(s.EventLog(ctx, whole.ID))(t); got.Ward != 0 {
			t.Fatalf("municipality-wide entry has ward %d", got.Ward)
		}
		bad := newEventLog(t, "2082-04-01", "x")
		bad.Ward = 42
		if err := s.CreateEventLog(ctx, admin, bad); code(err) != leoc.EInvalid {
			t.Fatalf("unknown ward: %v", err)
		}
		for _, e := range []*leoc.EventLog{whole, three, five} {
			if err := s.SetLocked(ctx, admin, &leoc.User{Role: leoc.RoleAdmin}, "event-logs", e.ID, false, "correction"); err != nil {
				t.Fatal(err)
			}
		}
		// The ward-3 officer may change the ward-3 entry, not the others,
		// and may not move an entry to another ward.
		for _, c := range []struct {
			e   *leoc.EventLog
			key string
		}{{whole, "record.municipality_wide"}, {five, "record.other_ward"}} {
			err := s.UpdateEventLog(ctx, admin, ward3, c.e)
			if e, ok := leoc.AsError(err); !ok || e.Code != leoc.EForbidden || e.Message.Key != c.key {
				t.Errorf("update of ward %d entry by ward-3 officer: %v", c.e.Ward, err)
			}
			err = s.DeleteEventLog(ctx, admin, ward3, c.e.ID)
			if code(err) != leoc.EForbidden {
				t.Errorf("delete of ward %d entry by ward-3 officer: %v", c.e.Ward, err)
			}
		}
		moved := *three
		moved.Ward = 5
		if err := s.UpdateEventLog(ctx, admin, ward3, &moved); code(err) != leoc.EForbidden {
			t.Errorf("moving an entry to ward 5: %v", err)
		}
		three.Description = "वडा ३ मूल्याङ्कन सच्याइयो"
		if err := s.UpdateEventLog(ctx, admin, ward3, three); err != nil {
			t.Fatalf("own ward's entry: %v", err)
		}
		// A ward filter keeps the municipality-wide entries.
		list, total, err := s.EventLogs(ctx, store.RecordFilter{Wards: []int{3}})
		if err != nil {
			t.Fatal(err)
		}
		var ids []int64
		for _, e := range list {
			ids = append(ids, e.ID)
		}
		slices.Sort(ids)
		if total != 2 || !slices.Equal(ids, []int64{whole.ID, three.ID}) {
			t.Fatalf("ward 3 list: %d %v", total, ids)
		}
		// The entry an incident writes takes the incident's ward.
		inc := newIncident(t, "2082-04-02", "landslide", 7)
		if err := s.CreateIncident(ctx, admin, ward3Admin, inc); err != nil {
			t.Fatal(err)
		}
		logs, _ := must.Get2(s.EventLogs(ctx, store.RecordFilter{Wards: []int{7}}))(t)
		if len(logs) != 2 || logs[0].IncidentID != inc.ID || logs[0].Ward != 7 {
			t.Fatalf("incident's log entry: %+v", logs)
		}
	})
}

// ward3Admin creates records of any ward.
var ward3Admin = &leoc.User{Username: "admin", Role: leoc.RoleAdmin}

func TestPersonalSearchScope(t *testing.T) {
	storetest.Run(t, func(t *testing.T, s *store.Store) {
		addIncome(t, s, 100000)
		for _, c := range []struct {
			id   string
			ward int
		}{{"11-1", 3}, {"22-2", 5}} {
			d := newDistribution(t, s, c.id, func(in *leoc.DistributionInput) { in.Ward = c.ward })
			if _, err := s.CreateDistribution(ctx, admin, ward3Admin, d); err != nil {
				t.Fatal(err)
			}
		}
		search := func(f store.RecordFilter) int {
			t.Helper()
			f.Query = "थापा"
			_, total, err := s.Distributions(ctx, store.DistributionFilter{RecordFilter: f})
			if err != nil {
				t.Fatal(err)
			}
			return total
		}
		if n := search(store.RecordFilter{}); n != 2 {
			t.Errorf("unscoped search: %d, want 2", n)
		}
		if n := search(store.RecordFilter{SearchScoped: true, SearchWards: []int{3}}); n != 1 {
			t.Errorf("search scoped to ward 3: %d, want 1", n)
		}
		if n := search(store.RecordFilter{SearchScoped: true}); n != 0 {
			t.Errorf("search scoped to no ward: %d, want 0", n)
		}
		// Without a search the scope does not hide records: totals stay.
		_, total, err := s.Distributions(ctx, store.DistributionFilter{RecordFilter: store.RecordFilter{SearchScoped: true}})
		if err != nil || total != 2 {
			t.Errorf("scoped list without a search: %d %v", total, err)
		}
		for _, c := range []struct {
			id   string
			ward int
		}{{"31-1", 3}, {"42-2", 5}} {
			b := newBeneficiary(t, s, leoc.BeneficiaryInput{Name: "सीता थापा", IDNumber: c.id, AllowanceType: "widow", Ward: c.ward})
			if err := s.CreateBeneficiary(ctx, admin, ward3Admin, b); err != nil {
				t.Fatal(err)
			}
		}
		if _, n := must.Get2(s.Beneficiaries(ctx, store.RecordFilter{Query: "सीता", SearchScoped: true, SearchWards: []int{5}}))(t); n != 1 {
			t.Errorf("beneficiary search scoped to ward 5: %d, want 1", n)
		}
		if _, n := must.Get2(s.Beneficiaries(ctx, store.RecordFilter{Query: "सीता"}))(t); n != 2 {
			t.Errorf("beneficiary search unscoped: %d, want 2", n)
		}
	})
}
