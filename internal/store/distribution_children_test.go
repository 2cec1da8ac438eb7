package store_test

import (
	"slices"
	"strconv"
	"testing"

	"leoc/internal/leoc"
	"leoc/internal/must"
	"leoc/internal/store"
	"leoc/internal/store/storetest"
)

// TestDistributionChildrenReadBack: the members, harms and items a
// distribution is read with (one JSON column per kind, built by the
// database) are exactly what was written — escapes, control characters,
// characters outside the BMP, large quantities, the order of position past
// ten — through every way a distribution is read, on both databases.
func TestDistributionChildrenReadBack(t *testing.T) {
	storetest.Run(t, func(t *testing.T, s *store.Store) {
		officer := &leoc.User{Username: "ram", Role: leoc.RoleOfficer}
		nasty := []string{`quote " and \ backslash`, "tab\tnew\nline\rcr", "\x01\x1f\x7f control", `<&> ' / \u0041`,
			"😀 ≠ 𝄞", "देवनागरी नाम", "\u2028\u2029", `["],{}:null`, "", "  spaced  "}
		d := newDistribution(t, s, "55-66/7", func(in *leoc.DistributionInput) { in.Cash = leoc.Amount("0") })
		d.Members = nil
		for i := range 12 {
			d.Members = append(d.Members, leoc.Member{Name: nasty[i%len(nasty)] + strconv.Itoa(i), Relation: nasty[(i+3)%len(nasty)], Age: i * 10, Sex: "other"})
		}
		d.Harms = []leoc.Harm{{Member: nasty[0], Harm: nasty[1], Severity: "minor"}, {Member: nasty[4], Harm: nasty[7], Severity: "critical"}}
		d.Items = []leoc.ReliefItem{{Item: "tarpaulin", Quantity: 1<<53 + 1, Unit: nasty[2]}, {Item: "rice", Quantity: 30, Unit: nasty[4]}}
		// The row's own text is read from a JSON array on SQLite (rowColumn).
		d.Tole, d.Place, d.Shelter, d.Notes = nasty[0], nasty[1], nasty[2], nasty[3]+nasty[7]
		d.BankHolder, d.BankAccount, d.BankName, d.ReceivedBy = nasty[4], nasty[5], nasty[6], nasty[8]+nasty[9]
		if _, err := s.CreateDistribution(ctx, admin, officer, d); err != nil {
			t.Fatal(err)
		}
		bare := newDistribution(t, s, "55-66/8", func(in *leoc.DistributionInput) { in.Cash = leoc.Amount("0") })
		bare.Members, bare.Items = nil, nil
		if _, err := s.CreateDistribution(ctx, admin, officer, bare); err != nil {
			t.Fatal(err)
		}
		same := func(how string, got *leoc.Distribution, want *leoc.Distribution) {
			t.Helper()
			if g, w := []string{got.HouseholdName, got.Tole, got.Place, got.Shelter, got.Notes, got.BankHolder, got.BankAccount, got.BankName, got.ReceivedBy},
				[]string{want.HouseholdName, want.Tole, want.Place, want.Shelter, want.Notes, want.BankHolder, want.BankAccount, want.BankName, want.ReceivedBy}; !slices.Equal(g, w) {
				t.Errorf("%s: distribution %d's text read back\n got %q\nwant %q", how, want.ID, g, w)
			}
			if got.ID != want.ID || got.Ward != want.Ward || got.Cash != want.Cash || got.SSFEnrolled != want.SSFEnrolled || got.PovertyCard != want.PovertyCard ||
				got.Locked != want.Locked || got.Version != want.Version || got.IncidentID != want.IncidentID || got.WarehouseID != want.WarehouseID {
				t.Errorf("%s: distribution %d's values read back\n got %+v\nwant %+v", how, want.ID, got, want)
			}
			if !slices.Equal(got.Members, want.Members) || !slices.Equal(got.Harms, want.Harms) || !slices.Equal(got.Items, want.Items) {
				t.Errorf("%s: distribution %d read back\n got %+v %+v %+v\nwant %+v %+v %+v", how, want.ID,
					got.Members, got.Harms, got.Items, want.Members, want.Harms, want.Items)
			}
		}
		for _, want := range []*leoc.Distribution{d, bare} {
			same("Distribution", must.Get(s.Distribution(ctx, want.ID))(t), want)
		}
		page, _ := must.Get2(s.Distributions(ctx, store.DistributionFilter{}))(t)
		byID := map[int64]*leoc.Distribution{}
		for _, got := range page {
			byID[got.ID] = got
		}
		each := map[int64]*leoc.Distribution{}
		if err := s.EachDistribution(ctx, store.DistributionFilter{}, func(got *leoc.Distribution) error {
			each[got.ID] = got
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		for _, want := range []*leoc.Distribution{d, bare} {
			same("Distributions", byID[want.ID], want)
			same("EachDistribution", each[want.ID], want)
		}
	})
}
