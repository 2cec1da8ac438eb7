package store_test

import (
	"testing"

	"leoc/internal/leoc"
	"leoc/internal/must"
	"leoc/internal/store"
	"leoc/internal/store/storetest"
)

func newBeneficiary(t *testing.T, s *store.Store, in leoc.BeneficiaryInput) *leoc.Beneficiary {
	t.Helper()
	rules, err := s.BeneficiaryRules(ctx)
	if err != nil {
		t.Fatal(err)
	}
	b := &leoc.Beneficiary{}
	if err := in.Apply(rules, b); err != nil {
		t.Fatal(err)
	}
	return b
}

func TestBeneficiaryLifecycle(t *testing.T) {
	storetest.Run(t, func(t *testing.T, s *store.Store) {
		officer := &leoc.User{Username: "ram", Role: leoc.RoleOfficer}
		age := 72
		lat, lon := 29.55, 81.12
		b := newBeneficiary(t, s, leoc.BeneficiaryInput{Name: "  सीता   कुमारी ", IDNumber: "१२-०१-७५/१२३४", AllowanceType: "senior_citizen",
			Age: &age, Gender: "female", Ward: 3, Tole: "खोली", Latitude: &lat, Longitude: &lon, Phone: "९८४८०१२३४५",
			BankAccountHolder: "सीता कुमारी", BankAccountNumber: "0012-3456", BankName: "Rastriya Banijya Bank"})
		if err := s.CreateBeneficiary(ctx, admin, officer, b); err != nil {
			t.Fatal(err)
		}
		got, err := s.Beneficiary(ctx, b.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Name != "सीता   कुमारी" || got.Phone != "9848012345" || *got.Age != 72 || got.Coords == nil || got.Coords.Latitude != 29.55 ||
			!got.Locked || got.Version != 1 || !got.Vulnerable() {
			t.Fatalf("stored %+v", got)
		}
		// Records the subtests below create and look for.
		ward5 := &leoc.User{Username: "hari", Role: leoc.RoleOfficer, Wards: []int{5}}
		other := newBeneficiary(t, s, leoc.BeneficiaryInput{Name: "Ram Bahadur Bohara", IDNumber: "55-66", AllowanceType: "full_disability", Ward: 3, Phone: "9800000001"})
		widow := newBeneficiary(t, s, leoc.BeneficiaryInput{Name: "Kali Devi", IDNumber: "77-1", AllowanceType: "endangered_ethnic", Ward: 5})
		t.Run("a duplicate card is refused", func(t *testing.T) {
			// The same card for the same allowance, written differently: conflict.
			dup := newBeneficiary(t, s, leoc.BeneficiaryInput{Name: "Sita Kumari", IDNumber: "12 01 75 1234", AllowanceType: "senior_citizen", Ward: 3})
			if err := s.CreateBeneficiary(ctx, admin, officer, dup); code(err) != leoc.EConflict {
				t.Fatalf("duplicate card: %v", err)
			}
		})
		t.Run("a ward-limited user adds only in their wards", func(t *testing.T) {
			// A ward-limited user cannot add in another ward.
			if err := s.CreateBeneficiary(ctx, admin, ward5, other); code(err) != leoc.EForbidden {
				t.Fatalf("other ward: %v", err)
			}
			if err := s.CreateBeneficiary(ctx, admin, officer, other); err != nil {
				t.Fatal(err)
			}
			if err := s.CreateBeneficiary(ctx, admin, ward5, widow); err != nil {
				t.Fatal(err)
			}
		})
		t.Run("locked refuses edit and delete; unlocked needs the current version", func(t *testing.T) {
			// Locked: no edit, no delete; unlocked: edit with version, stale refused.
			got.Notes = "changed"
			if err := s.UpdateBeneficiary(ctx, admin, officer, got); code(err) != leoc.ELocked {
				t.Fatalf("update of locked: %v", err)
			}
			if err := s.DeleteBeneficiary(ctx, admin, officer, got.ID); code(err) != leoc.ELocked {
				t.Fatalf("delete of locked: %v", err)
			}
			if err := s.SetLocked(ctx, admin, officer, "beneficiaries", got.ID, false, "typo"); err != nil {
				t.Fatal(err)
			}
			stale := *got
			if err := s.UpdateBeneficiary(ctx, admin, officer, got); err != nil {
				t.Fatal(err)
			}
			if got.Version != 2 || !got.Locked {
				t.Fatalf("after update %+v", got)
			}
			must.OK(t, s.SetLocked(ctx, admin, officer, "beneficiaries", got.ID, false, "again"))
			if err := s.UpdateBeneficiary(ctx, admin, officer, &stale); code(err) != leoc.EConflict {
				t.Fatalf("stale: %v", err)
			}
		})
		t.Run("search", func(t *testing.T) {
			// Search: Devanagari, Latin in any case, ID in any spelling, phone.
			search := func(q string, f store.RecordFilter) []int64 {
				f.Query = q
				list, total, err := s.Beneficiaries(ctx, f)
				if err != nil {
					t.Fatal(err)
				}
				if total != len(list) {
					t.Fatalf("total %d, %d items", total, len(list))
				}
				var ids []int64
				for _, b := range list {
					ids = append(ids, b.ID)
				}
				return ids
			}
			cases := []struct {
				q    string
				f    store.RecordFilter
				want []int64
			}{
				{"सीता", store.RecordFilter{}, []int64{got.ID}},
				{"ram BOHARA", store.RecordFilter{}, []int64{other.ID}},
				{"12-01-75/1234", store.RecordFilter{}, []int64{got.ID}},
				{"१२०१७५", store.RecordFilter{}, []int64{got.ID}},
				{"9848012345", store.RecordFilter{}, []int64{got.ID}},
				{"", store.RecordFilter{Wards: []int{5}}, []int64{widow.ID}},
				{"", store.RecordFilter{Types: []string{"full_disability", "endangered_ethnic"}}, []int64{widow.ID, other.ID}},
				{"100%_", store.RecordFilter{}, nil},
			}
			for _, c := range cases {
				if ids := search(c.q, c.f); !equalIDs(ids, c.want) {
					t.Errorf("search %q %+v: %v, want %v", c.q, c.f, ids, c.want)
				}
			}
		})
		t.Run("household lookup", func(t *testing.T) {
			// Household lookup for the distribution form.
			for q, want := range map[string]int64{"12 01 75 1234": got.ID, "9800000001": other.ID, "bohara": other.ID, "सीता कुमारी": got.ID} {
				list, err := s.BeneficiariesByHousehold(ctx, q, 0)
				if err != nil || len(list) != 1 || list[0].ID != want {
					t.Errorf("lookup %q: %v %v", q, list, err)
				}
			}
			if list := must.Get(s.BeneficiariesByHousehold(ctx, "bohara", 5))(t); len(list) != 0 {
				t.Errorf("lookup in another ward: %v", list)
			}
		})
		t.Run("delete keeps the audit trail", func(t *testing.T) {
			// Delete an unlocked record; the audit trail keeps it.
			if err := s.DeleteBeneficiary(ctx, admin, officer, got.ID); err != nil {
				t.Fatal(err)
			}
			if _, err := s.Beneficiary(ctx, got.ID); code(err) != leoc.ENotFound {
				t.Fatalf("deleted: %v", err)
			}
			entries, _ := must.Get2(s.ListAudit(ctx, store.AuditFilter{Entity: "beneficiaries"}))(t)
			if len(entries) < 5 {
				t.Fatalf("audit: %d entries", len(entries))
			}
		})
		t.Run("list values in use cannot be removed", func(t *testing.T) {
			// The allowance type and ward are in use: settings refuse to remove them.
			if err := s.DeleteListValue(ctx, admin, store.ListAllowanceType, "full_disability"); code(err) != leoc.EConflict {
				t.Fatalf("delete used allowance type: %v", err)
			}
		})
	})
}

func equalIDs(a, b []int64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
