package store_test

import (
	"strconv"
	"strings"
	"testing"

	"leoc/internal/leoc"
	"leoc/internal/store"
	"leoc/internal/store/storetest"
)

func newContact(t *testing.T, org, category string, ward *int, phones ...string) *leoc.Contact {
	t.Helper()
	c := &leoc.Contact{}
	in := leoc.ContactInput{ContactFields: leoc.ContactFields{Organisation: org, Person: "राम बहादुर", Designation: "प्रमुख",
		Category: category, Phones: phones, Ward: ward}}
	if err := in.Apply(nil, c); err != nil {
		t.Fatal(err)
	}
	return c
}

func TestContactLifecycle(t *testing.T) {
	storetest.Run(t, func(t *testing.T, s *store.Store) {
		three := 3
		ward3 := &leoc.User{Username: "sita", Role: leoc.RoleOfficer, Wards: []int{3}}
		officer := &leoc.User{Username: "ram", Role: leoc.RoleOfficer}

		police := newContact(t, "जिल्ला प्रहरी कार्यालय", "security", nil, "०९९-४२०१००", "+977 9858000000")
		if err := s.Contacts().Create(ctx, admin, ward3, police); code(err) != leoc.EForbidden {
			t.Fatalf("a ward-3 officer adds a municipality-wide contact: %v", err)
		}
		if err := s.Contacts().Create(ctx, admin, officer, police); err != nil {
			t.Fatal(err)
		}
		got, err := s.Contacts().Get(ctx, police.ID)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Join(got.Phones, " ") != "099420100 +9779858000000" || got.Ward != 0 || got.Category != "security" ||
			!got.Locked || got.Version != 1 || got.CreatedBy != "admin" {
			t.Fatalf("stored %+v", got)
		}

		health := newContact(t, "थलारा स्वास्थ्य चौकी", "health", &three, "9800000001")
		if err := s.Contacts().Create(ctx, admin, ward3, health); err != nil {
			t.Fatal(err)
		}
		nine := 42
		if err := s.Contacts().Create(ctx, admin, officer, newContact(t, "x", "health", &nine, "9800000001")); code(err) != leoc.EInvalid {
			t.Fatalf("unknown ward: %v", err)
		}
		if err := s.Contacts().Create(ctx, admin, officer, newContact(t, "x", "weather", nil, "9800000001")); code(err) != leoc.EInvalid {
			t.Fatalf("unknown category: %v", err)
		}

		// Locked on save: refused until unlocked; then a stale version conflicts.
		got.Hours = "२४ घण्टा"
		if err := s.Contacts().Update(ctx, admin, officer, got); code(err) != leoc.ELocked {
			t.Fatalf("update of a locked contact: %v", err)
		}
		if err := s.SetLocked(ctx, admin, officer, "contacts", got.ID, false, "new number"); err != nil {
			t.Fatal(err)
		}
		if err := s.Contacts().Update(ctx, admin, ward3, got); code(err) != leoc.EForbidden {
			t.Fatalf("a ward-3 officer edits a municipality-wide contact: %v", err)
		}
		stale := *got
		if err := s.Contacts().Update(ctx, admin, officer, got); err != nil {
			t.Fatal(err)
		}
		if got.Version != 2 || !got.Locked || got.UpdatedBy != "admin" {
			t.Fatalf("after update %+v", got)
		}
		if err := s.SetLocked(ctx, admin, officer, "contacts", got.ID, false, "again"); err != nil {
			t.Fatal(err)
		}
		if err := s.Contacts().Update(ctx, admin, officer, &stale); code(err) != leoc.EConflict {
			t.Fatalf("stale version: %v", err)
		}

		// Search over organisation, person and designation; category and
		// ward filters, the ward keeping municipality-wide contacts.
		for _, c := range []struct {
			f    store.RecordFilter
			want []int64
		}{
			{store.RecordFilter{}, []int64{health.ID, police.ID}},
			{store.RecordFilter{Query: "प्रहरी"}, []int64{police.ID}},
			{store.RecordFilter{Query: "प्रमुख"}, []int64{health.ID, police.ID}},
			{store.RecordFilter{Types: []string{"health"}}, []int64{health.ID}},
			{store.RecordFilter{Wards: []int{3}}, []int64{health.ID, police.ID}},
			{store.RecordFilter{Wards: []int{5}}, []int64{police.ID}},
		} {
			items, total, err := s.Contacts().List(ctx, c.f)
			if err != nil || total != len(c.want) || len(items) != len(c.want) {
				t.Fatalf("%+v: %d %v", c.f, total, err)
			}
			for i, id := range c.want {
				if items[i].ID != id {
					t.Fatalf("%+v: item %d is %d, want %d", c.f, i, items[i].ID, id)
				}
			}
		}

		// The category is a settings list, its use counted.
		inUse, err := s.ListValuesInUse(ctx, store.ListContactCategory)
		if err != nil || len(inUse["security"]) == 0 {
			t.Fatalf("categories in use: %v %v", inUse, err)
		}

		if err := s.Contacts().Delete(ctx, admin, officer, police.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Contacts().Get(ctx, police.ID); code(err) != leoc.ENotFound {
			t.Fatalf("deleted: %v", err)
		}
		entries, _, err := s.ListAudit(ctx, store.AuditFilter{Entity: "contacts", EntityID: strconv.FormatInt(police.ID, 10)})
		if err != nil || len(entries) != 5 || entries[0].Action != "record.delete" || !strings.Contains(entries[0].Details, "जिल्ला प्रहरी कार्यालय") {
			t.Fatalf("audit: %d %v %+v", len(entries), err, entries)
		}
	})
}
