package store_test

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"leoc/internal/leoc"
	"leoc/internal/must"
	"leoc/internal/store"
	"leoc/internal/store/storetest"
)

func newItem(t *testing.T, code, category, unit, minStock string) *leoc.InventoryItem {
	t.Helper()
	it := &leoc.InventoryItem{}
	in := leoc.InventoryItemInput{InventoryItemFields: leoc.InventoryItemFields{Code: code, NameNe: "साबुन", NameEn: "Soap",
		Category: category, Unit: unit, MinStock: leoc.NumberText(minStock), Distributable: true}}
	must.OK(t, in.Apply(nil, it))
	return it
}

func newWarehouse(t *testing.T, code string, ward *int) *leoc.Warehouse {
	t.Helper()
	w := &leoc.Warehouse{}
	in := leoc.WarehouseInput{WarehouseFields: leoc.WarehouseFields{Code: code, NameNe: "वडा भण्डार", NameEn: "Ward store", Ward: ward,
		Latitude: "29.5", Longitude: "८१.२", Keeper: "हरि", Phone: "९८४८०००००१"}}
	must.OK(t, in.Apply(nil, w))
	return w
}

// TestInventoryItemLifecycle: the catalogue is a register like the others
// (audit, lock, stale version), with the relief items seeded, codes unique,
// category and unit checked against their lists by field, and an item that
// a distribution uses kept.
func TestInventoryItemLifecycle(t *testing.T) {
	storetest.Run(t, func(t *testing.T, s *store.Store) {
		officer := &leoc.User{Username: "ram", Role: leoc.RoleOfficer}
		seeded, _ := must.Get2(s.InventoryItems().List(ctx, store.RecordFilter{Query: "rice"}))(t)
		if len(seeded) != 1 || seeded[0].Unit != "kg" || seeded[0].Category != "food" || !seeded[0].Distributable {
			t.Fatalf("seeded rice: %+v", seeded)
		}
		vals := must.Get(s.ListValues(ctx, store.ListReliefItem))(t)
		if len(vals) != 10 || vals[0].Key != "rice" || vals[0].UnitNe != "केजी" || vals[0].UnitEn != "kg" {
			t.Fatalf("the relief items read from the catalogue: %+v", vals)
		}

		soap := newItem(t, "soap", "non_food", "piece", "12.5")
		must.OK(t, s.InventoryItems().Create(ctx, admin, officer, soap))
		got := must.Get(s.InventoryItems().Get(ctx, soap.ID))(t)
		if got.Code != "soap" || got.MinStock != 12500 || !got.Locked || got.Version != 1 || got.CreatedBy != "admin" {
			t.Fatalf("stored %+v", got)
		}
		if err := s.InventoryItems().Create(ctx, admin, officer, newItem(t, "soap", "non_food", "piece", "")); code(err) != leoc.EConflict {
			t.Fatalf("a taken code: %v", err)
		}
		for field, it := range map[string]*leoc.InventoryItem{
			"category": newItem(t, "x1", "weapons", "piece", ""), "unit": newItem(t, "x2", "food", "furlong", "")} {
			err := s.InventoryItems().Create(ctx, admin, officer, it)
			if e, ok := leoc.AsError(err); !ok || e.Code != leoc.EInvalid || e.Fields[field].Key != "field.choice" {
				t.Fatalf("unknown %s: %v", field, err)
			}
		}
		if vals := must.Get(s.DistributableItems(ctx))(t); vals[len(vals)-1].Key != "soap" {
			t.Fatalf("a new distributable item is a distribution's choice: %+v", vals)
		}

		// Locked on save; a stale version conflicts after an unlock.
		got.NameEn = "Bath soap"
		if err := s.InventoryItems().Update(ctx, admin, officer, got); code(err) != leoc.ELocked {
			t.Fatalf("update of a locked item: %v", err)
		}
		must.OK(t, s.SetLocked(ctx, admin, officer, "inventory_items", got.ID, false, "name"))
		stale := *got
		must.OK(t, s.InventoryItems().Update(ctx, admin, officer, got))
		must.OK(t, s.SetLocked(ctx, admin, officer, "inventory_items", got.ID, false, "again"))
		if err := s.InventoryItems().Update(ctx, admin, officer, &stale); code(err) != leoc.EConflict {
			t.Fatalf("stale version: %v", err)
		}

		// Filters: q on code and names, category.
		found, n := must.Get2(s.InventoryItems().List(ctx, store.RecordFilter{Query: "Bath"}))(t)
		if n != 1 || found[0].Code != "soap" {
			t.Fatalf("q=Bath: %d %+v", n, found)
		}
		food, n := must.Get2(s.InventoryItems().List(ctx, store.RecordFilter{Types: []string{"food"}}))(t)
		if n != 4 || food[0].Category != "food" {
			t.Fatalf("category food: %d", n)
		}

		// An item in use stays, with where it is used; an unused one goes.
		rice := seeded[0]
		must.OK(t, s.SetLocked(ctx, admin, officer, "inventory_items", rice.ID, false, "try"))
		insertOldDistribution(t, s, "rice")
		err := s.DeleteInventoryItem(ctx, admin, officer, rice.ID)
		if e, ok := leoc.AsError(err); !ok || e.Code != leoc.EConflict || e.Message.Key != "inventory.in_use_by" {
			t.Fatalf("delete of an item in use: %v", err)
		}
		// Its code cannot change while distributions name it.
		rice = must.Get(s.InventoryItems().Get(ctx, rice.ID))(t)
		rice.Code = "rice2"
		if err := s.InventoryItems().Update(ctx, admin, officer, rice); code(err) != leoc.EConflict {
			t.Fatalf("code change of an item in use: %v", err)
		}
		must.OK(t, s.SetLocked(ctx, admin, officer, "inventory_items", got.ID, false, "delete"))
		must.OK(t, s.DeleteInventoryItem(ctx, admin, officer, got.ID))
		if _, err := s.InventoryItems().Get(ctx, got.ID); code(err) != leoc.ENotFound {
			t.Fatalf("deleted item: %v", err)
		}
	})
}

// insertOldDistribution writes a distribution with one item the way any
// version since 0007 stored it.
func insertOldDistribution(t *testing.T, s *store.Store, items ...string) {
	t.Helper()
	must.OK(t, s.ExecForTest(ctx, `INSERT INTO distributions (household_name, household_id, household_key, disaster_type, scope_key,
		dup_key, date_bs, date_ad, fiscal_year, ward, status, created_at, created_by, updated_at, updated_by)
		VALUES ('सीता', '12-34', '1234', 'flood', 'flood', ?, '2082-10-16', '2026-01-30', 2082, 3, 'distributed',
		'2026-01-30 10:00:00', 'x', '2026-01-30 10:00:00', 'x')`, "1234|"+strconv.FormatInt(time.Now().UnixNano(), 10)))
	for i, it := range items {
		must.OK(t, s.ExecForTest(ctx, `INSERT INTO distribution_items (distribution_id, position, item, quantity, unit)
			VALUES ((SELECT MAX(id) FROM distributions), ?, ?, 25, 'केजी')`, i+1, it))
	}
}

// TestWarehouseLifecycle: MAIN is seeded; ward limits apply; codes are
// unique; coordinates come in pairs.
func TestWarehouseLifecycle(t *testing.T) {
	storetest.Run(t, func(t *testing.T, s *store.Store) {
		three := 3
		ward3 := &leoc.User{Username: "sita", Role: leoc.RoleOfficer, Wards: []int{3}}
		officer := &leoc.User{Username: "ram", Role: leoc.RoleOfficer}
		all, n := must.Get2(s.Warehouses().List(ctx, store.RecordFilter{}))(t)
		if n != 1 || all[0].Code != "MAIN" || all[0].Ward != 0 || all[0].NameEn != "Municipal store" {
			t.Fatalf("seeded: %d %+v", n, all)
		}
		w3 := newWarehouse(t, "W3", &three)
		if err := s.Warehouses().Create(ctx, admin, ward3, newWarehouse(t, "ALL", nil)); code(err) != leoc.EForbidden {
			t.Fatalf("a ward-3 officer adds a municipal warehouse: %v", err)
		}
		must.OK(t, s.Warehouses().Create(ctx, admin, ward3, w3))
		got := must.Get(s.Warehouses().Get(ctx, w3.ID))(t)
		if got.Ward != 3 || got.Coords == nil || got.Coords.Longitude != 81.2 || got.Phone != "9848000001" || got.Keeper != "हरि" {
			t.Fatalf("stored %+v", got)
		}
		if err := s.Warehouses().Create(ctx, admin, officer, newWarehouse(t, "W3", nil)); code(err) != leoc.EConflict {
			t.Fatalf("a taken code: %v", err)
		}
		ninety := 42
		if err := s.Warehouses().Create(ctx, admin, officer, newWarehouse(t, "W42", &ninety)); code(err) != leoc.EInvalid {
			t.Fatalf("unknown ward: %v", err)
		}
		in := leoc.WarehouseInput{WarehouseFields: leoc.WarehouseFields{Code: "bad code", NameNe: "x", NameEn: "x", Latitude: "29"}}
		err := in.Apply(nil, &leoc.Warehouse{})
		if e, ok := leoc.AsError(err); !ok || e.Fields["code"].Key != "inventory.code_invalid" || e.Fields["longitude"].Key != "incident.coords_pair" {
			t.Fatalf("bad code and half a coordinate: %v", err)
		}
		found, _ := must.Get2(s.Warehouses().List(ctx, store.RecordFilter{Wards: []int{3}}))(t)
		if len(found) != 1 || found[0].Code != "W3" {
			t.Fatalf("ward 3: %+v", found)
		}
		// A warehouse a distribution draws on stays.
		insertOldDistribution(t, s)
		must.OK(t, s.ExecForTest(ctx, "UPDATE distributions SET warehouse_id = ?", w3.ID))
		must.OK(t, s.SetLocked(ctx, admin, officer, "warehouses", w3.ID, false, "delete"))
		if err := s.DeleteWarehouse(ctx, admin, officer, w3.ID); code(err) != leoc.EConflict {
			t.Fatalf("delete of a warehouse in use: %v", err)
		}
		must.OK(t, s.ExecForTest(ctx, "UPDATE distributions SET warehouse_id = NULL"))
		if err := s.DeleteWarehouse(ctx, admin, ward3, w3.ID); err != nil {
			t.Fatalf("delete of an unused warehouse: %v", err)
		}
	})
}

// TestCatalogueMigration: a database at 0018 with relief items (one with a
// unit of its own) and distributions keeps them after 0019: the items are
// catalogue entries with their labels, category and unit, the distributions'
// lines reference them, and the relief-item list is gone.
func TestCatalogueMigration(t *testing.T) {
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			s := must.Get(store.Open(ctx, b.URL(t)))(t)
			t.Cleanup(func() { s.Close() })
			s.SetAuditKeys(storetest.AuditKeys(t))
			must.OK(t, s.MigrateToForTest(ctx, 18))
			for _, q := range []string{
				"INSERT INTO settings (key, value, updated_at) VALUES ('municipality_ne', 'थलारा गाउँपालिका', '2026-01-01 00:00:00')",
				"INSERT INTO wards (number, name_ne, name_en) VALUES (3, 'वडा नं. ३', 'Ward 3')",
				"INSERT INTO list_values (list, key, label_ne, label_en, position) VALUES ('disaster_type', 'flood', 'बाढी', 'Flood', 1)",
				`INSERT INTO list_values (list, key, label_ne, label_en, unit_ne, unit_en, position) VALUES
					('relief_item', 'rice', 'चामल', 'Rice', 'केजी', 'kg', 1),
					('relief_item', 'soap', 'साबुन', 'Soap', 'चक्की', 'bar', 2),
					('relief_item', 'tarpaulin', 'त्रिपाल', 'Tarpaulin', 'थान', 'Piece', 3)`,
			} {
				must.OK(t, s.ExecForTest(ctx, q))
			}
			insertOldDistribution(t, s, "rice", "soap")
			must.Get(s.Migrate(ctx))(t)

			items, _ := must.Get2(s.InventoryItems().List(ctx, store.RecordFilter{PerPage: 100}))(t)
			got := map[string]string{}
			for _, it := range items {
				got[it.Code] = strings.Join([]string{it.NameNe, it.NameEn, it.Category, it.Unit}, "|")
			}
			want := map[string]string{"rice": "चामल|Rice|food|kg", "soap": "साबुन|Soap|non_food|u_soap", "tarpaulin": "त्रिपाल|Tarpaulin|non_food|piece"}
			for code, w := range want {
				if got[code] != w {
					t.Errorf("item %s: %q, want %q", code, got[code], w)
				}
			}
			if len(got) != len(want) {
				t.Errorf("items %v: the seed must not add to a configured database", got)
			}
			units := must.Get(s.ListValues(ctx, store.ListItemUnit))(t)
			if l := labelOf(units, "u_soap"); l != "चक्की" {
				t.Errorf("the soap's own unit: %q", l)
			}
			relief := must.Get(s.ListValues(ctx, store.ListReliefItem))(t)
			if len(relief) != 3 || relief[1].Key != "soap" || relief[1].UnitEn != "bar" {
				t.Errorf("relief items as values: %+v", relief)
			}
			var lines int
			must.OK(t, s.QueryRowForTest(ctx, "SELECT COUNT(*) FROM distribution_items WHERE item IN ('rice', 'soap')", &lines))
			var listed int
			must.OK(t, s.QueryRowForTest(ctx, "SELECT COUNT(*) FROM list_values WHERE list = 'relief_item'", &listed))
			if lines != 2 || listed != 0 {
				t.Errorf("distribution lines %d (want 2), relief_item list values %d (want 0)", lines, listed)
			}
			// The lines reference the catalogue now.
			if err := s.ExecForTest(ctx, "INSERT INTO distribution_items (distribution_id, position, item, quantity) VALUES ((SELECT MAX(id) FROM distributions), 9, 'nothing', 1)"); !store.IsForeignKey(err) {
				t.Errorf("a line naming no catalogue item: %v", err)
			}
			all, _ := must.Get2(s.Warehouses().List(ctx, store.RecordFilter{}))(t)
			if len(all) != 1 || all[0].Code != "MAIN" {
				t.Errorf("warehouses: %+v", all)
			}
		})
	}
}
