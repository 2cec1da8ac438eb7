package store_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"leoc/internal/leoc"
	"leoc/internal/must"
	"leoc/internal/store"
	"leoc/internal/store/storetest"
)

// walk reads every page of a list by following the next cursors, and by
// page number, and checks both against the list read as one page (the
// database's own order). list reads one page of ids for a filter.
func walk(t *testing.T, name string, per int, list func(store.RecordFilter) ([]int64, error)) {
	t.Helper()
	all, err := list(store.RecordFilter{PerPage: store.MaxPerPage})
	if err != nil {
		t.Fatalf("%s: whole list: %v", name, err)
	}
	if len(all) <= 2*per {
		t.Fatalf("%s: only %d rows: the walk would not cross pages", name, len(all))
	}
	var byCursor []int64
	after := ""
	for page := 1; ; page++ {
		ks := &store.Keyset{}
		ids, err := list(store.RecordFilter{PerPage: per, After: after, Keyset: ks})
		if err != nil {
			t.Fatalf("%s: page %d by cursor: %v", name, page, err)
		}
		byCursor = append(byCursor, ids...)
		byNumber, err := list(store.RecordFilter{PerPage: per, Page: page})
		if err != nil {
			t.Fatalf("%s: page %d by number: %v", name, page, err)
		}
		if !slices.Equal(ids, byNumber) {
			t.Errorf("%s: page %d by cursor %v, by number %v", name, page, ids, byNumber)
		}
		if ks.Next == "" {
			break
		}
		if page > len(all) {
			t.Fatalf("%s: the cursors never end", name)
		}
		after = ks.Next
	}
	if !slices.Equal(byCursor, all) {
		t.Errorf("%s: pages by cursor give\n%v\nthe whole list is\n%v", name, byCursor, all)
	}
}

func contactIDs(s *store.Store, sort string, asc bool) func(store.RecordFilter) ([]int64, error) {
	return func(f store.RecordFilter) ([]int64, error) {
		f.Sort, f.Asc = sort, asc
		list, _, err := s.Contacts().List(ctx, f)
		ids := make([]int64, len(list))
		for i, c := range list {
			ids[i] = c.ID
		}
		return ids, err
	}
}

func distributionIDs(s *store.Store, sort string, asc bool, q string) func(store.RecordFilter) ([]int64, error) {
	return func(f store.RecordFilter) ([]int64, error) {
		f.Sort, f.Asc, f.Query = sort, asc, q
		list, _, err := s.Distributions(ctx, store.DistributionFilter{RecordFilter: f})
		ids := make([]int64, len(list))
		for i, d := range list {
			ids[i] = d.ID
		}
		return ids, err
	}
}

// TestKeysetPagesFollowTheList: on both databases, following the next
// cursors gives the list in its order, each row once, for every sort —
// ties on the sort key and a sort column with NULLs included — and a page
// asked for by number (the deferred join) is the same page.
func TestKeysetPagesFollowTheList(t *testing.T) {
	storetest.Run(t, func(t *testing.T, s *store.Store) {
		officer := &leoc.User{Username: "ram", Role: leoc.RoleOfficer}
		for i := range 17 {
			var ward *int
			if i%3 != 0 { // every third contact is of the whole municipality: ward NULL
				w := i%4 + 1
				ward = &w
			}
			category := []string{"health", "security", "ngo"}[i%3]
			must.OK(t, s.Contacts().Create(ctx, admin, officer, newContact(t, fmt.Sprintf("कार्यालय %d", i%5), category, ward, "9800000001")))
		}
		for _, c := range []struct {
			sort string
			asc  bool
		}{{"", false}, {"ward", false}, {"ward", true}, {"organisation", true}, {"organisation", false}, {"category", true}} {
			walk(t, fmt.Sprintf("contacts sort=%q asc=%v", c.sort, c.asc), 4, contactIDs(s, c.sort, c.asc))
		}

		addIncome(t, s, 100000)
		for i := range 14 {
			d := newDistribution(t, s, fmt.Sprintf("%d-%d", i, i), func(in *leoc.DistributionInput) {
				in.DateBS = fmt.Sprintf("2082-04-%02d", 1+i%4) // four dates: many ties
				in.Ward = 1 + i%3
				in.Cash = leoc.Amount(fmt.Sprint(100 * (i % 2)))
				if i%2 == 0 {
					in.HouseholdName = "Sita Devi"
				}
			})
			_, err := s.CreateDistribution(ctx, admin, officer, d)
			must.OK(t, err)
		}
		for _, sort := range store.DistributionSorts {
			for _, asc := range []bool{false, true} {
				walk(t, fmt.Sprintf("distributions sort=%s asc=%v", sort, asc), 3, distributionIDs(s, sort, asc, ""))
			}
		}
		walk(t, "distributions searched", 2, distributionIDs(s, "", false, "सीता"))
	})
}

// TestKeysetCursorRefusesTampering: a cursor changed, cut, or made for
// another list or order is refused as bad input (400), never followed.
func TestKeysetCursorRefusesTampering(t *testing.T) {
	storetest.Run(t, func(t *testing.T, s *store.Store) {
		officer := &leoc.User{Username: "ram", Role: leoc.RoleOfficer}
		for i := range 3 {
			must.OK(t, s.Contacts().Create(ctx, admin, officer, newContact(t, fmt.Sprint("office ", i), "health", nil, "9800000001")))
		}
		ks := &store.Keyset{}
		must.Get2(s.Contacts().List(ctx, store.RecordFilter{PerPage: 1, Keyset: ks}))(t)
		if ks.Next == "" {
			t.Fatal("no next cursor on a first page of three")
		}
		flip := []byte(ks.Next)
		flip[len(flip)/2] ^= 1
		if flip[len(flip)/2] == '-'^1 || flip[len(flip)/2] == '_'^1 { // keep it base64url, so the seal is what refuses it
			flip[len(flip)/2] = 'A'
		}
		for name, f := range map[string]store.RecordFilter{
			"changed":       {After: string(flip)},
			"cut":           {After: ks.Next[:len(ks.Next)-4]},
			"not base64":    {After: "%%%"},
			"another order": {After: ks.Next, Sort: "organisation"},
			"empty payload": {After: strings.Repeat("A", 40)},
		} {
			if _, _, err := s.Contacts().List(ctx, f); code(err) != leoc.EInvalid {
				t.Errorf("%s cursor: %v, want invalid", name, err)
			}
		}
		byName := &store.Keyset{}
		must.Get2(s.Contacts().List(ctx, store.RecordFilter{PerPage: 1, Sort: "organisation", Keyset: byName}))(t)
		if _, _, err := s.Contacts().List(ctx, store.RecordFilter{After: byName.Next, Sort: "organisation", Asc: true}); code(err) != leoc.EInvalid {
			t.Errorf("a cursor of the descending order in the ascending one: %v, want invalid", err)
		}
		if _, _, err := s.Distributions(ctx, store.DistributionFilter{RecordFilter: store.RecordFilter{After: ks.Next}}); code(err) != leoc.EInvalid {
			t.Errorf("a contacts cursor on distributions: %v, want invalid", err)
		}
		if _, _, err := s.Contacts().List(ctx, store.RecordFilter{After: ks.Next}); err != nil {
			t.Errorf("the cursor as given: %v", err)
		}
	})
}
