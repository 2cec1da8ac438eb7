package store_test

import (
	"strings"
	"testing"

	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"

	"leoc/internal/bs"
	"leoc/internal/leoc"
	"leoc/internal/must"
	"leoc/internal/store"
	"leoc/internal/store/storetest"
)

// The two rules older releases stored keys with.
func oldDistributionKey(id string) string {
	folded := strings.Join(strings.Fields(cases.Fold().String(norm.NFC.String(bs.ASCIIDigits(id)))), " ")
	return strings.NewReplacer(" ", "", "-", "", "/", "", ".", "").Replace(folded)
}

func oldBeneficiaryKey(id string) string {
	var b strings.Builder
	for _, r := range bs.ASCIIDigits(id) {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r >= 'a' && r <= 'z':
			b.WriteRune(r - 'a' + 'A')
		case r >= 'A' && r <= 'Z':
			b.WriteRune(r)
		}
	}
	return b.String()
}

// TestHouseholdKeyMigration upgrades a database whose keys were stored by the
// old rules: the keys are recomputed, records that turn out to be the same
// household are reported (table, audit trail) and kept apart — never merged —
// the household statistics are recounted, the duplicate check holds for
// every spelling afterwards, and running the migration again changes nothing.
func TestHouseholdKeyMigration(t *testing.T) {
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			// A database as an older release left it: records written, then
			// their keys set to what the old rules computed and the data
			// migration not yet run. (Written through today's store, so the
			// test does not depend on where the lead numbers the migration.)
			s := storetest.Open(t, b)
			exec := func(q string, args ...any) {
				t.Helper()
				if err := s.ExecForTest(ctx, q, args...); err != nil {
					t.Fatalf("%s: %v", q, err)
				}
			}
			noCash := func(in *leoc.DistributionInput) { in.Cash = leoc.Amount("") }
			// Distributions for one disaster, written as the old release stored them.
			dists := map[string]*leoc.Distribution{}
			for _, c := range []struct{ name, id string }{
				{"A", "12-34/567"}, {"B", "१२_३४_५६७"}, {"C", "०१२-३४५"}, {"E", "12\u200b34567"},
			} {
				d := newDistribution(t, s, "placeholder-"+c.name, noCash)
				if _, err := s.CreateDistribution(ctx, admin, &leoc.User{Username: "ram", Role: leoc.RoleOfficer}, d); err != nil {
					t.Fatalf("%s: %v", c.name, err)
				}
				old := oldDistributionKey(c.id)
				exec("UPDATE distributions SET household_id = ?, household_key = ?, dup_key = scope_key || '|' || ? WHERE id = ?", c.id, old, old, d.ID)
				dists[c.name] = d
			}
			exec("DELETE FROM distribution_households")
			exec(`INSERT INTO distribution_households (fiscal_year, ward, disaster_type, household_key, distributions)
				SELECT fiscal_year, ward, disaster_type, household_key, COUNT(*) FROM distributions GROUP BY fiscal_year, ward, disaster_type, household_key`)
			exec(`UPDATE distribution_stats SET households = (SELECT COUNT(*) FROM distribution_households h WHERE h.fiscal_year = distribution_stats.fiscal_year
				AND h.ward = distribution_stats.ward AND h.disaster_type = distribution_stats.disaster_type)`)
			// The day-grain household rows as migration 0023 fills them from the old keys.
			exec("DELETE FROM distribution_day_household_counts")
			exec("DELETE FROM distribution_day_households")
			exec(`INSERT INTO distribution_day_households (fiscal_year, ward, disaster_type, household_key, date_ad, distributions, prev_date)
				SELECT fiscal_year, ward, disaster_type, household_key, date_ad, n,
				COALESCE(LAG(date_ad) OVER (PARTITION BY fiscal_year, ward, disaster_type, household_key ORDER BY date_ad), '')
				FROM (SELECT fiscal_year, ward, disaster_type, household_key, date_ad, COUNT(*) AS n FROM distributions
				GROUP BY fiscal_year, ward, disaster_type, household_key, date_ad) g`)
			exec(`INSERT INTO distribution_day_household_counts (date_ad, ward, disaster_type, prev_date, fiscal_year, households)
				SELECT date_ad, ward, disaster_type, prev_date, MIN(fiscal_year), COUNT(*) FROM distribution_day_households
				GROUP BY date_ad, ward, disaster_type, prev_date`)
			verifyDistributions(t, s)
			var scope string
			if err := s.QueryRow(ctx, "SELECT scope_key FROM distributions WHERE id = ?", dists["A"].ID).Scan(&scope); err != nil {
				t.Fatal(err)
			}
			// Beneficiaries: X and Y are one card of one allowance under the new key.
			bens := map[string]*leoc.Beneficiary{}
			for _, c := range []struct{ name, id, allowance string }{
				{"X", "12-01-75/1234", "senior_citizen"}, {"Y", "12 01 075 1234", "senior_citizen"}, {"Z", "ab-0012", "single_woman"},
			} {
				bn := newBeneficiary(t, s, leoc.BeneficiaryInput{Name: "सीता " + c.name, IDNumber: "placeholder " + c.name, AllowanceType: c.allowance, Ward: 3})
				if err := s.CreateBeneficiary(ctx, admin, &leoc.User{Username: "ram", Role: leoc.RoleOfficer}, bn); err != nil {
					t.Fatalf("%s: %v", c.name, err)
				}
				exec("UPDATE beneficiaries SET id_number = ?, id_key = ? WHERE id = ?", c.id, oldBeneficiaryKey(c.id), bn.ID)
				bens[c.name] = bn
			}

			exec("DELETE FROM data_migrations")

			if _, err := s.Migrate(ctx); err != nil {
				t.Fatal(err)
			}

			key := func(table, col string, id int64) string {
				t.Helper()
				var v *string
				if err := s.QueryRow(ctx, "SELECT "+col+" FROM "+table+" WHERE id = ?", id).Scan(&v); err != nil {
					t.Fatal(err)
				}
				if v == nil {
					return "NULL"
				}
				return *v
			}
			for _, c := range []struct{ table, col, name, want string }{
				{"distributions", "household_key", "A", "1234567"}, {"distributions", "dup_key", "A", scope + "|1234567"},
				{"distributions", "household_key", "B", "1234567"}, {"distributions", "dup_key", "B", scope + "|12_34_567"},
				{"distributions", "household_key", "C", "12345"}, {"distributions", "dup_key", "C", scope + "|12345"},
				{"distributions", "household_key", "E", "1234567"}, {"distributions", "dup_key", "E", scope + "|12\u200b34567"},
				{"beneficiaries", "id_key", "X", "121751234"}, {"beneficiaries", "id_key", "Y", "12010751234"}, {"beneficiaries", "id_key", "Z", "AB12"},
			} {
				var id int64
				if c.table == "distributions" {
					id = dists[c.name].ID
				} else {
					id = bens[c.name].ID
				}
				if got := key(c.table, c.col, id); got != c.want {
					t.Errorf("%s %s of %s = %q; want %q", c.table, c.col, c.name, got, c.want)
				}
			}
			// Reported: in the table (what leoc migrate prints) and the audit trail.
			cols, err := s.HouseholdKeyCollisions(ctx)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, c := range cols {
				got = append(got, c.Register+":"+idName(c.RecordID, dists, bens, c.Register)+"="+idName(c.OtherID, dists, bens, c.Register)+":"+c.KeptKey)
			}
			want := []string{"distributions:B=A:" + scope + "|12_34_567", "distributions:E=A:" + scope + "|12\u200b34567", "beneficiaries:Y=X:12010751234"}
			if strings.Join(got, " ") != strings.Join(want, " ") {
				t.Errorf("collisions %q; want %q", got, want)
			}
			audit := func() int {
				_, n, err := s.ListAudit(ctx, store.AuditFilter{Action: "household_key.collision"})
				if err != nil {
					t.Fatal(err)
				}
				return n
			}
			if n := audit(); n != 3 {
				t.Errorf("%d household_key.collision audit entries; want 3", n)
			}
			// The households are counted under the new key: A, B and E are one household.
			verifyDistributions(t, s)
			var households int
			if err := s.QueryRow(ctx, "SELECT SUM(households) FROM distribution_stats").Scan(&households); err != nil {
				t.Fatal(err)
			}
			if households != 2 {
				t.Errorf("households after rekeying: %d; want 2", households)
			}
			// Every spelling of the household is now a duplicate for the same disaster.
			for _, spelling := range []string{"12 34 567", "１２–３４–５６７", "12-034-0567"} {
				d := newDistribution(t, s, spelling, noCash)
				if _, err := s.CreateDistribution(ctx, admin, &leoc.User{Username: "ram", Role: leoc.RoleOfficer}, d); code(err) != leoc.EConflict {
					t.Errorf("%q for the same disaster: %v; want a conflict", spelling, err)
				}
			}
			if list, err := s.BeneficiariesByHousehold(ctx, "१२–१–७५–१२३४", 0); err != nil || len(list) == 0 || list[0].ID != bens["X"].ID {
				t.Errorf("lookup after rekeying: %v %v", list, err)
			}
			if list, _, err := s.Beneficiaries(ctx, store.RecordFilter{Query: "AB12"}); err != nil || len(list) != 1 || list[0].ID != bens["Z"].ID {
				t.Errorf("search by the new key: %v %v", list, err)
			}
			// Idempotent: a second run finds the step done and changes nothing.
			if _, err := s.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			if again := must.Get(s.HouseholdKeyCollisions(ctx))(t); len(again) != 3 || audit() != 3 {
				t.Errorf("second run: %d collisions, %d audit entries; want 3 and 3", len(again), audit())
			}
			if got := key("distributions", "dup_key", dists["B"].ID); got != scope+"|12_34_567" {
				t.Errorf("second run changed B's key to %q", got)
			}
			if problem, _, err := s.VerifyAudit(ctx); err != nil || problem != nil {
				t.Errorf("audit chain after the migration: %v %v", problem, err)
			}
		})
	}
}

func idName(id int64, dists map[string]*leoc.Distribution, bens map[string]*leoc.Beneficiary, register string) string {
	if register == "distributions" {
		for n, d := range dists {
			if d.ID == id {
				return n
			}
		}
	}
	for n, b := range bens {
		if b.ID == id {
			return n
		}
	}
	return "?"
}
