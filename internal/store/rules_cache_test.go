package store_test

import (
	"slices"
	"testing"
	"time"

	"leoc/internal/leoc"
	"leoc/internal/must"
	"leoc/internal/store"
	"leoc/internal/store/storetest"
)

// The validation rules are kept in memory, and every commit in this process
// that changes what they come from — a list value, a ward, a ward's
// population, the loss ceiling, an item of the catalogue — is seen by the
// very next validation: an administrator who adds a disaster type can
// record an incident of it at once.
func TestRulesFollowEveryCommit(t *testing.T) {
	storetest.Run(t, func(t *testing.T, s *store.Store) {
		officer := &leoc.User{Username: "ram", Role: leoc.RoleOfficer}
		rules := func() leoc.DistributionRules {
			t.Helper()
			must.Get(s.IncidentRules(ctx))(t) // kept too
			return must.Get(s.DistributionRules(ctx))(t)
		}
		before := rules()
		if slices.Contains(before.Types, "cold_wave") || slices.Contains(before.Wards, 42) {
			t.Fatal("the fixture already has the values this test adds")
		}

		must.OK(t, s.SaveListValue(ctx, admin, store.ListValue{List: store.ListDisasterType, Key: "cold_wave", LabelNe: "शीतलहर", LabelEn: "Cold wave"}))
		if r := rules(); !slices.Contains(r.Types, "cold_wave") {
			t.Error("a disaster type added is not in the rules")
		}
		if r := must.Get(s.IncidentRules(ctx))(t); !slices.Contains(r.Types, "cold_wave") {
			t.Error("a disaster type added is not in the incident rules")
		}
		must.OK(t, s.DeleteListValue(ctx, admin, store.ListDisasterType, "cold_wave"))
		if r := rules(); slices.Contains(r.Types, "cold_wave") {
			t.Error("a disaster type removed is still in the rules")
		}

		must.OK(t, s.SaveWard(ctx, admin, store.Ward{Number: 42, NameNe: "वडा ४२", NameEn: "Ward 42", Population: 1234}))
		r := rules()
		if !slices.Contains(r.Wards, 42) {
			t.Error("a ward added is not in the rules")
		}
		if inc := must.Get(s.IncidentRules(ctx))(t); inc.Plausibility.Population[42] != 1234 {
			t.Errorf("ward 42's population in the rules is %d, want 1234", inc.Plausibility.Population[42])
		}
		must.OK(t, s.SaveLossCeiling(ctx, admin, leoc.Rupees(5000)))
		if inc := must.Get(s.IncidentRules(ctx))(t); inc.Plausibility.LossCeiling != leoc.Rupees(5000) {
			t.Errorf("loss ceiling in the rules %d, want 5,000 rupees", inc.Plausibility.LossCeiling)
		}

		soap := newItem(t, "soap", "non_food", "piece", "")
		must.OK(t, s.InventoryItems().Create(ctx, admin, officer, soap))
		if _, ok := rules().Units["soap"]; !ok {
			t.Error("a distributable item added is not in the rules")
		}
	})
}

// A change made by another process (another replica, a command line
// import) is not seen by this process's commits; the kept rules are read
// again after rulesMaxAge.
func TestRulesChangedElsewhereAreReadAgain(t *testing.T) {
	storetest.Run(t, func(t *testing.T, s *store.Store) {
		now := time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC)
		s.SetClock(func() time.Time { return now })
		must.Get(s.IncidentRules(ctx))(t)
		must.OK(t, s.ExecForTest(ctx, `INSERT INTO list_values (list, key, label_ne, label_en, unit_ne, unit_en, position)
			VALUES ('disaster_type', 'cold_wave', 'शीतलहर', 'Cold wave', '', '', 99)`))
		if r := must.Get(s.IncidentRules(ctx))(t); slices.Contains(r.Types, "cold_wave") {
			t.Fatal("the rules were read again at once: they are not kept")
		}
		now = now.Add(3 * time.Second)
		if r := must.Get(s.IncidentRules(ctx))(t); !slices.Contains(r.Types, "cold_wave") {
			t.Fatal("a disaster type added elsewhere is not in the rules after their time")
		}
		// Told of the change (another replica's notice), at once.
		must.OK(t, s.ExecForTest(ctx, "DELETE FROM list_values WHERE list = 'disaster_type' AND key = 'cold_wave'"))
		s.ForgetRules()
		if r := must.Get(s.IncidentRules(ctx))(t); slices.Contains(r.Types, "cold_wave") {
			t.Fatal("the rules were not read again after ForgetRules")
		}
	})
}
