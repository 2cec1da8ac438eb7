package store_test

import (
	"errors"
	"sync"
	"testing"

	"leoc/internal/bs"
	"leoc/internal/leoc"
	"leoc/internal/must"
	"leoc/internal/store"
	"leoc/internal/store/storetest"
)

func distributionRules(t testing.TB, s *store.Store) leoc.DistributionRules {
	t.Helper()
	r, err := s.DistributionRules(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// newDistribution builds a valid unlinked distribution; edit adjusts the input.
func newDistribution(t testing.TB, s *store.Store, id string, edit ...func(*leoc.DistributionInput)) *leoc.Distribution {
	t.Helper()
	in := leoc.DistributionInput{HouseholdName: "राम बहादुर थापा", HouseholdID: id, FatherName: "हरि थापा", Phone: "९८४८०००००१",
		DisasterType: "landslide", DisasterDateBS: "2082-04-01", DateBS: "२०८२-०४-०५", Ward: 3, Tole: "खोली",
		Members: []leoc.MemberInput{{Name: "राम", Relation: "self", Age: leoc.Whole("45"), Sex: "male"},
			{Name: "सीता", Relation: "wife", Age: leoc.Whole("४०"), Sex: "female"}, {Name: "Gita", Relation: "daughter", Age: leoc.WholeOf(8), Sex: "female"}},
		Items: []leoc.ItemInput{{Item: "rice", Quantity: leoc.Whole("30")}, {Item: "tarpaulin", Quantity: leoc.WholeOf(1), Unit: "piece"}},
		Cash:  leoc.Amount("1000"),
	}
	for _, e := range edit {
		e(&in)
	}
	d := &leoc.Distribution{}
	if err := in.Apply(bs.Default(), distributionRules(t, s), d); err != nil {
		t.Fatal(err)
	}
	return d
}

func addIncome(t testing.TB, s *store.Store, rupees int64) {
	t.Helper()
	in := leoc.FundInput{Kind: "income", Amount: leoc.Amount(leoc.Rupees(rupees).String()), Description: "प्रदेश सरकारबाट", DateBS: "2082-04-01"}
	f := &leoc.FundTransaction{}
	if err := in.Apply(bs.Default(), f); err != nil {
		t.Fatal(err)
	}
	if err := s.CreateFundTransaction(ctx, admin, f); err != nil {
		t.Fatal(err)
	}
}

func balance(t *testing.T, s *store.Store) leoc.Money {
	t.Helper()
	b, err := s.FundBalance(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func verifyDistributions(t *testing.T, s *store.Store) {
	t.Helper()
	if diffs, err := s.VerifyDistributionStats(ctx); err != nil || len(diffs) != 0 {
		t.Fatalf("statistics: %v %v", err, diffs)
	}
	if err := s.VerifyFundBalance(ctx); err != nil {
		t.Fatal(err)
	}
}

func TestDistributionLifecycle(t *testing.T) {
	storetest.Run(t, func(t *testing.T, s *store.Store) {
		officer := &leoc.User{Username: "ram", Role: leoc.RoleOfficer}
		ward3 := &leoc.User{Username: "sita", Role: leoc.RoleOfficer, Wards: []int{3}}
		d := newDistribution(t, s, "12-34/567")
		// No money in the fund: refused, nothing written.
		if _, err := s.CreateDistribution(ctx, admin, ward3, d); code(err) != leoc.EConflict {
			t.Fatalf("cash without a balance: %v", err)
		}
		if list, total := must.Get2(s.Distributions(ctx, store.DistributionFilter{}))(t); len(list) != 0 || total != 0 {
			t.Fatalf("a refused distribution was written: %d", total)
		}
		addIncome(t, s, 5000)
		if _, err := s.CreateDistribution(ctx, admin, ward3, d); err != nil {
			t.Fatal(err)
		}
		if b := balance(t, s); b != leoc.Rupees(4000) {
			t.Fatalf("balance %s", b)
		}
		got, err := s.Distribution(ctx, d.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.HouseholdName != "राम बहादुर थापा" || got.DateBS.String() != "2082-04-05" || got.FiscalYear.Label() != "2082/83" ||
			got.DisasterDate.String() != "2082-04-01" || got.Phone != "9848000001" || len(got.Members) != 3 || got.Members[1].Age != 40 ||
			got.Male() != 1 || got.Female() != 2 || got.Children() != 1 || len(got.Items) != 2 || got.Items[0].Unit != "केजी" ||
			got.Items[1].Unit != "piece" || got.Cash != leoc.Rupees(1000) || !got.Locked || got.Status != "distributed" {
			t.Fatalf("stored %+v", got)
		}
		// Search by Devanagari name, Latin member name of another case, id without dashes, phone.
		for _, q := range []string{"बहादुर", "GITA", "1234567", "9848000001", "12-34/567"} {
			if list, total, err := s.Distributions(ctx, store.DistributionFilter{RecordFilter: store.RecordFilter{Query: q}}); err != nil || total != 1 || len(list) != 1 || len(list[0].Items) != 2 {
				t.Errorf("search %q: %v %d", q, err, total)
			}
		}
		// Another ward's secretary cannot write here.
		if _, err := s.CreateDistribution(ctx, admin, ward3, newDistribution(t, s, "999", func(in *leoc.DistributionInput) { in.Ward = 5 })); code(err) != leoc.EForbidden {
			t.Fatalf("other ward: %v", err)
		}
		// Locked.
		if _, err := s.UpdateDistribution(ctx, admin, officer, got); code(err) != leoc.ELocked {
			t.Fatalf("update locked: %v", err)
		}
		if err := s.SetLocked(ctx, admin, officer, "distributions", d.ID, false, "more cash"); err != nil {
			t.Fatal(err)
		}
		// Editing the cash moves the linked entry and the balance; child rows are replaced.
		upd := newDistribution(t, s, "12-34/567", func(in *leoc.DistributionInput) {
			in.Cash = leoc.Amount("2500.50")
			in.Members = in.Members[:1]
			in.Items = in.Items[1:]
		})
		upd.ID, upd.Version = d.ID, got.Version
		if _, err := s.UpdateDistribution(ctx, admin, ward3, upd); err != nil {
			t.Fatal(err)
		}
		if b := balance(t, s); b != leoc.Rupees(5000)-leoc.Money(250050) {
			t.Fatalf("balance after edit %s", b)
		}
		if len(upd.Members) != 1 || len(upd.Items) != 1 || upd.Version != 2 || !upd.Locked {
			t.Fatalf("after update %+v", upd)
		}
		verifyDistributions(t, s)
		// Too much cash on edit is refused and changes nothing.
		must.OK(t, s.SetLocked(ctx, admin, officer, "distributions", d.ID, false, "again"))
		big := newDistribution(t, s, "12-34/567", func(in *leoc.DistributionInput) { in.Cash = leoc.Amount("6000") })
		big.ID, big.Version = d.ID, upd.Version
		if _, err := s.UpdateDistribution(ctx, admin, ward3, big); code(err) != leoc.EConflict {
			t.Fatalf("overdraw on edit: %v", err)
		}
		// A system entry cannot be changed or removed directly.
		entries, _, err := s.FundTransactions(ctx, store.FundFilter{})
		if err != nil || len(entries) != 2 || !entries[0].System || entries[0].DistributionID != d.ID || !entries[0].HasBalance ||
			entries[0].Balance != balance(t, s) || entries[1].Balance != leoc.Rupees(5000) {
			t.Fatalf("ledger %v %+v", err, entries)
		}
		if err := s.DeleteFundTransaction(ctx, admin, officer, entries[0].ID); code(err) != leoc.EConflict {
			t.Fatalf("delete a system entry: %v", err)
		}
		// Removing income the fund has spent is refused.
		must.OK(t, s.SetLocked(ctx, admin, officer, "funds", entries[1].ID, false, "wrong entry"))
		if err := s.DeleteFundTransaction(ctx, admin, officer, entries[1].ID); code(err) != leoc.EConflict {
			t.Fatalf("delete spent income: %v", err)
		}
		// Deleting the distribution gives the cash back.
		if err := s.DeleteDistribution(ctx, admin, ward3, d.ID); err != nil {
			t.Fatal(err)
		}
		if b := balance(t, s); b != leoc.Rupees(5000) {
			t.Fatalf("balance after delete %s", b)
		}
		verifyDistributions(t, s)
	})
}

func TestDistributionDuplicates(t *testing.T) {
	storetest.Run(t, func(t *testing.T, s *store.Store) {
		officer := &leoc.User{Username: "ram", Role: leoc.RoleOfficer}
		boss := &leoc.User{Username: "admin", Role: leoc.RoleAdmin}
		noCash := func(in *leoc.DistributionInput) { in.Cash = leoc.Amount("") }
		first := newDistribution(t, s, "12-34/567", noCash)
		if _, err := s.CreateDistribution(ctx, admin, officer, first); err != nil {
			t.Fatal(err)
		}
		// The same household for the same disaster, written differently.
		again := newDistribution(t, s, "1234567", noCash)
		_, err := s.CreateDistribution(ctx, admin, officer, again)
		var dup *store.DuplicateDistribution
		if code(err) != leoc.EConflict || !errors.As(err, &dup) || dup.ExistingID != first.ID {
			t.Fatalf("duplicate: %v", err)
		}
		// An officer may not override; an admin may, with a reason.
		over := newDistribution(t, s, "1234567", noCash, func(in *leoc.DistributionInput) { in.OverrideReason = "दोस्रो किस्ता" })
		if _, err := s.CreateDistribution(ctx, admin, officer, over); code(err) != leoc.EForbidden {
			t.Fatalf("officer override: %v", err)
		}
		warnings, err := s.CreateDistribution(ctx, admin, boss, over)
		if err != nil {
			t.Fatal(err)
		}
		if len(warnings) != 1 || warnings[0].DistributionID != first.ID || warnings[0].Kind != "phone" {
			t.Fatalf("warnings %+v", warnings)
		}
		// Another disaster is fine; another household with the same name and father warns.
		other := newDistribution(t, s, "1234567", noCash, func(in *leoc.DistributionInput) { in.DisasterDateBS = "2082-04-02" })
		if _, err := s.CreateDistribution(ctx, admin, officer, other); err != nil {
			t.Fatal(err)
		}
		same := newDistribution(t, s, "777", noCash, func(in *leoc.DistributionInput) {
			in.Phone = ""
			in.HouseholdName = "राम  बहादुर थापा"
		})
		warnings, err = s.CreateDistribution(ctx, admin, officer, same)
		if err != nil || len(warnings) != 2 || warnings[0].Kind != "name" {
			t.Fatalf("name warning: %v %+v", err, warnings)
		}
		// A linked incident: its type and date are taken; an unknown incident is refused.
		inc := newIncident(t, "2082-04-03", "flood", 3)
		if err := s.CreateIncident(ctx, admin, officer, inc); err != nil {
			t.Fatal(err)
		}
		linked := newDistribution(t, s, "1234567", noCash, func(in *leoc.DistributionInput) { in.IncidentID = &inc.ID })
		if _, err := s.CreateDistribution(ctx, admin, officer, linked); err != nil {
			t.Fatal(err)
		}
		if linked.DisasterType != "flood" || linked.DisasterDate.String() != "2082-04-03" {
			t.Fatalf("linked %+v", linked)
		}
		twice := newDistribution(t, s, "12 34 567", noCash, func(in *leoc.DistributionInput) { in.IncidentID = &inc.ID })
		if _, err := s.CreateDistribution(ctx, admin, officer, twice); code(err) != leoc.EConflict {
			t.Fatalf("duplicate for an incident: %v", err)
		}
		bad := int64(9999)
		if _, err := s.CreateDistribution(ctx, admin, officer, newDistribution(t, s, "5", noCash, func(in *leoc.DistributionInput) { in.IncidentID = &bad })); code(err) != leoc.EInvalid {
			t.Fatalf("unknown incident: %v", err)
		}
		st, err := s.DistributionStats(ctx, store.DistributionFilter{})
		if err != nil || st.Totals.Distributions != 5 || st.Totals.Households != 3 || !st.FromAggregates || len(st.Items) != 2 || st.Items[0].Quantity != 150 {
			t.Fatalf("stats %v %+v", err, st)
		}
		byRecords, err := s.DistributionStatsFromRecords(ctx, store.DistributionFilter{})
		if err != nil || byRecords.FromAggregates || byRecords.Totals != st.Totals || len(byRecords.Items) != 2 || byRecords.Items[0] != st.Items[0] {
			t.Fatalf("stats from records %v %+v vs %+v", err, byRecords, st)
		}
		verifyDistributions(t, s)
	})
}

// Fifty clerks pay Rs 1,000 each at once from a fund of Rs 20,000: exactly
// twenty succeed, the balance ends at exactly zero, and every expenditure
// has its distribution.
func TestConcurrentCashCannotOverdraw(t *testing.T) {
	storetest.Run(t, func(t *testing.T, s *store.Store) {
		addIncome(t, s, 20000)
		officer := &leoc.User{Username: "ram", Role: leoc.RoleOfficer}
		var ds []*leoc.Distribution
		for i := range 50 {
			ds = append(ds, newDistribution(t, s, "HH-"+string(rune('A'+i/26))+string(rune('a'+i%26))))
		}
		var wg sync.WaitGroup
		errs := make([]error, len(ds))
		for i, d := range ds {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, errs[i] = s.CreateDistribution(ctx, admin, officer, d)
			}()
		}
		wg.Wait()
		ok := 0
		for _, err := range errs {
			switch code(err) {
			case "":
				ok++
			case leoc.EConflict:
			default:
				t.Errorf("unexpected error: %v", err)
			}
		}
		if ok != 20 {
			t.Fatalf("%d distributions succeeded, want 20", ok)
		}
		if b := balance(t, s); b != 0 {
			t.Fatalf("balance %s, want 0", b)
		}
		var expenditures, distributions int
		must.OK(t, s.QueryRow(ctx, "SELECT COUNT(*) FROM fund_transactions WHERE kind = 'expenditure'").Scan(&expenditures))
		must.OK(t, s.QueryRow(ctx, "SELECT COUNT(*) FROM distributions").Scan(&distributions))
		if expenditures != 20 || distributions != 20 {
			t.Fatalf("%d expenditures, %d distributions", expenditures, distributions)
		}
		verifyDistributions(t, s)
	})
}

// TestDistributionWithAnItemGoneIsAConflict: an item removed from the
// catalogue after the form was checked is refused by the database's key
// when the create's queued writes run at its end, as a conflict the user
// is told about, and nothing of the distribution is kept.
func TestDistributionWithAnItemGoneIsAConflict(t *testing.T) {
	storetest.Run(t, func(t *testing.T, s *store.Store) {
		addIncome(t, s, 10_000)
		for _, create := range []bool{true, false} {
			d := newDistribution(t, s, "77-01")
			if !create {
				if _, err := s.CreateDistribution(ctx, admin, &leoc.User{}, d); err != nil {
					t.Fatal(err)
				}
				must.OK(t, s.SetLocked(ctx, admin, &leoc.User{}, "distributions", d.ID, false, "test"))
				d = must.Get(s.Distribution(ctx, d.ID))(t)
			}
			before := count(t, s, "SELECT COUNT(*) FROM distribution_items")
			d.Items[0].Item = "no-such-item"
			var err error
			if create {
				_, err = s.CreateDistribution(ctx, admin, &leoc.User{}, d)
			} else {
				_, err = s.UpdateDistribution(ctx, admin, &leoc.User{}, d)
			}
			if code(err) != leoc.EConflict {
				t.Fatalf("create %v: %v, want a conflict", create, err)
			}
			if n := count(t, s, "SELECT COUNT(*) FROM distribution_items"); n != before {
				t.Fatalf("create %v: %d item rows, %d before", create, n, before)
			}
			verifyDistributions(t, s)
		}
		if n := count(t, s, "SELECT COUNT(*) FROM distributions"); n != 1 {
			t.Fatalf("%d distributions, want the one updated", n)
		}
	})
}
