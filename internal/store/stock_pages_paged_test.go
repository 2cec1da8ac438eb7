package store_test

import (
	"fmt"
	"reflect"
	"testing"

	"leoc/internal/leoc"
	"leoc/internal/must"
	"leoc/internal/store"
	"leoc/internal/store/storetest"
)

// readStockPages reads the stock on hand page by page, following each
// page's cursor, and checks that page n asked for by number is the page the
// cursors reached.
func readStockPages(t *testing.T, s *store.Store, f store.StockFilter, per int) (rows []leoc.StockBalance, pages int) {
	t.Helper()
	after := ""
	for {
		ks := &store.Keyset{}
		page, total := must.Get2(s.StockOnHandPage(ctx, f, store.RecordFilter{PerPage: per, After: after, Keyset: ks}))(t)
		pages++
		byNumber, totalByNumber := must.Get2(s.StockOnHandPage(ctx, f, store.RecordFilter{PerPage: per, Page: pages}))(t)
		if !reflect.DeepEqual(page, byNumber) {
			t.Fatalf("page %d by cursor %v, by number %v", pages, page, byNumber)
		}
		if total != totalByNumber {
			t.Fatalf("totals %d and %d", total, totalByNumber)
		}
		rows = append(rows, page...)
		if ks.Next == "" {
			if want := len(rows); total != want {
				t.Fatalf("total %d, %d rows read", total, want)
			}
			return rows, pages
		}
		if len(page) != per {
			t.Fatalf("a page of %d rows before the last", len(page))
		}
		after = ks.Next
	}
}

// The stock on hand and the bin card are read a page at a time: following
// the cursors (and asking for pages by number) gives every row of the
// unpaged reading once, in its order, with the running balance of the card
// carried across pages.
func TestStockViewsArePaged(t *testing.T) {
	storetest.Run(t, func(t *testing.T, s *store.Store) {
		main := warehouseID(t, s, "MAIN")
		whs := []int64{main, addWarehouse(t, s, "W2", 2), addWarehouse(t, s, "W3", 3)}
		var items []string
		for i := range 6 {
			items = append(items, addItem(t, s, fmt.Sprintf("P%d", i), true, false, 0))
		}
		for k, wh := range whs {
			var lines []leoc.StockLineInput
			for i, it := range items {
				if (i+k)%4 == 3 {
					continue // not every item in every store
				}
				for b := range 1 + i%3 {
					l := line(it, fmt.Sprint(10*(i+1)+k))
					l.Batch = fmt.Sprintf("B%d", b)
					lines = append(lines, l)
				}
			}
			receive(t, s, wh, lines...)
		}
		// Rice moves in and out of the main store: a card of 23 entries.
		for i := range 11 {
			receive(t, s, main, line("rice", fmt.Sprint(5+i)))
			must.Get(dispatch(s, storeKeeper, main, line("rice", fmt.Sprint(2+i%3))))(t)
		}
		receive(t, s, whs[1], line("rice", "7"))

		for _, byWarehouse := range []bool{false, true} {
			f := store.StockFilter{ByWarehouse: byWarehouse}
			all := must.Get(s.StockOnHand(ctx, f))(t)
			for _, per := range []int{1, 4, 7, 200} {
				got, pages := readStockPages(t, s, f, per)
				if !reflect.DeepEqual(got, all) {
					t.Fatalf("by warehouse %v, %d per page: %d rows over %d pages, want the %d of the whole list in its order",
						byWarehouse, per, len(got), pages, len(all))
				}
				if want := (len(all) + per - 1) / per; pages != want {
					t.Fatalf("%d pages of %d rows, want %d", pages, per, want)
				}
			}
			for i := 1; i < len(all); i++ {
				a, b := all[i-1], all[i]
				first, second := [2]int64{a.ItemID, a.WarehouseID}, [2]int64{b.ItemID, b.WarehouseID}
				if byWarehouse {
					first, second = [2]int64{a.WarehouseID, a.ItemID}, [2]int64{b.WarehouseID, b.ItemID}
				}
				if first[0] > second[0] || first[0] == second[0] && first[1] > second[1] {
					t.Fatalf("by warehouse %v: %v before %v", byWarehouse, a, b)
				}
			}
		}
		one := store.StockFilter{WarehouseID: whs[1], Item: items[1]}
		got, _ := readStockPages(t, s, one, 1)
		if want := must.Get(s.StockOnHand(ctx, one))(t); !reflect.DeepEqual(got, want) || len(want) == 0 {
			t.Fatalf("one item in one store: %v, want %v", got, want)
		}
		totals := must.Get(s.StockTotals(ctx, store.StockFilter{}, []int64{got[0].ItemID}))(t)
		var sum leoc.Quantity
		for _, b := range must.Get(s.StockOnHand(ctx, store.StockFilter{Item: items[1]}))(t) {
			sum += b.Quantity
		}
		if len(totals) != 1 || totals[items[1]] != sum {
			t.Fatalf("totals %v, want %s of %s", totals, sum, items[1])
		}

		for _, wh := range []int64{main, 0} {
			full := must.Get(s.BinCard(ctx, "rice", wh))(t)
			for _, per := range []int{1, 5, 23, 50} {
				var entries []leoc.BinCardEntry
				after, n := "", 0
				for {
					ks := &store.Keyset{}
					page, total := must.Get2(s.BinCardPage(ctx, "rice", wh, store.RecordFilter{PerPage: per, After: after, Keyset: ks}))(t)
					n++
					numberKs := &store.Keyset{}
					byNumber, _ := must.Get2(s.BinCardPage(ctx, "rice", wh, store.RecordFilter{PerPage: per, Page: n, Keyset: numberKs}))(t)
					if (numberKs.Next == "") != (ks.Next == "") {
						t.Fatalf("warehouse %d, %d per page, page %d: by number a next page %v, by cursor %v", wh, per, n, numberKs.Next != "", ks.Next != "")
					}
					// The pages' links send the cursor with the page's number.
					linked, _ := must.Get2(s.BinCardPage(ctx, "rice", wh, store.RecordFilter{PerPage: per, After: after, Page: n}))(t)
					if !reflect.DeepEqual(page, byNumber) || !reflect.DeepEqual(linked, byNumber) {
						t.Fatalf("warehouse %d, page %d by cursor, by cursor and number, and by number differ", wh, n)
					}
					if total != len(full.Entries) || page.Balance != full.Balance {
						t.Fatalf("total %d, balance %s; want %d, %s", total, page.Balance, len(full.Entries), full.Balance)
					}
					var before leoc.Quantity
					if len(entries) > 0 {
						before = entries[len(entries)-1].Balance
					}
					if page.BroughtForward != before {
						t.Fatalf("warehouse %d, %d per page, page %d brings forward %s, the page before ended at %s", wh, per, n, page.BroughtForward, before)
					}
					entries = append(entries, page.Entries...)
					if ks.Next == "" {
						break
					}
					after = ks.Next
				}
				if past, _ := must.Get2(s.BinCardPage(ctx, "rice", wh, store.RecordFilter{PerPage: per, Page: n + 1}))(t); len(past.Entries) != 0 {
					t.Fatalf("warehouse %d, %d per page: page %d after the last has %d entries", wh, per, n+1, len(past.Entries))
				}
				if !reflect.DeepEqual(entries, full.Entries) {
					t.Fatalf("warehouse %d, %d per page: the pages' entries differ from the card's\n%+v\n%+v", wh, per, entries, full.Entries)
				}
			}
		}
		if _, _, err := s.BinCardPage(ctx, "gold", 0, store.RecordFilter{}); code(err) != leoc.ENotFound {
			t.Fatalf("unknown item: %v", err)
		}
		if _, _, err := s.BinCardPage(ctx, "rice", 0, store.RecordFilter{After: "forged"}); code(err) != leoc.EInvalid {
			t.Fatalf("a forged cursor: %v", err)
		}
	})
}
