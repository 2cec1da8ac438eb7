package demo

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strconv"

	"leoc/internal/bs"
	"leoc/internal/leoc"
	"leoc/internal/store"
)

// The relief store of the demo: the municipality's MAIN store and one ward
// store. Every batch of distributions first receives what it hands out
// (with a tenth more) into the warehouse each distribution draws on, dated
// on the batch's earliest day, so the distributions take their items from
// stock and every bin card runs from a receipt to the households.

// demoWardStore is the ward that gets a store of its own when it exists.
const demoWardStore = 3

// stockPlan is where the demo's distributions take their items from.
type stockPlan struct {
	main    int64
	byWard  map[int]int64
	tracked map[string]*leoc.InventoryItem // items whose receipts need an expiry or a batch
}

// demoStock finds MAIN and makes (once) the ward store.
func demoStock(ctx context.Context, st *store.Store, wards []int, creator *leoc.User) (*stockPlan, error) {
	p := &stockPlan{byWard: map[int]int64{}, tracked: map[string]*leoc.InventoryItem{}}
	whs, _, err := st.Warehouses().List(ctx, store.RecordFilter{PerPage: store.MaxPerPage})
	if err != nil {
		return nil, err
	}
	code := "WARD" + strconv.Itoa(demoWardStore)
	haveWard := false
	for _, w := range whs {
		switch {
		case w.Code == "MAIN":
			p.main = w.ID
		case w.Code == code:
			haveWard = true
			p.byWard[w.Ward] = w.ID
		}
	}
	if p.main == 0 {
		return nil, fmt.Errorf("demo: no MAIN warehouse")
	}
	if !haveWard && slices.Contains(wards, demoWardStore) {
		ward := demoWardStore
		w := &leoc.Warehouse{Code: code, NameNe: "वडा नं. ३ को भण्डार (नमुना)", NameEn: "Ward 3 store (sample)", Ward: ward,
			Keeper: "हरि बहादुर बिष्ट (नमुना)", Phone: "9848000003"}
		if err := st.Warehouses().Create(ctx, Actor, creator, w); err != nil {
			return nil, fmt.Errorf("demo: ward store: %w", err)
		}
		p.byWard[ward] = w.ID
	}
	items, _, err := st.InventoryItems().List(ctx, store.RecordFilter{PerPage: store.MaxPerPage})
	if err != nil {
		return nil, err
	}
	for _, it := range items {
		if it.TrackBatch || it.TrackExpiry {
			p.tracked[it.Code] = it
		}
	}
	return p, nil
}

// receive points each distribution of a batch at its warehouse and records
// the receipts that cover them, in the batch's transaction.
func (p *stockPlan) receive(ctx context.Context, tx *store.Tx, cal *bs.Calendar, creator *leoc.User, batch []*leoc.Distribution,
	earliest bs.Date, seq int) error {
	need := map[int64]map[string]int64{}
	for _, d := range batch {
		d.WarehouseID = p.main
		if id, ok := p.byWard[d.Ward]; ok {
			d.WarehouseID = id
		}
		if need[d.WarehouseID] == nil {
			need[d.WarehouseID] = map[string]int64{}
		}
		for _, it := range d.Items {
			need[d.WarehouseID][it.Item] += it.Quantity
		}
	}
	expiry, err := cal.AddDays(earliest, 365)
	if err != nil {
		return err
	}
	for _, wh := range slices.Sorted(maps.Keys(need)) {
		in := &leoc.ReceiptInput{WarehouseID: wh, DateBS: earliest.String(), Source: leoc.ReceiptSources[seq%len(leoc.ReceiptSources)],
			Supplier: fundSources[seq%len(fundSources)], Reference: fmt.Sprintf("नमुना-%d", seq+1)}
		for _, item := range slices.Sorted(maps.Keys(need[wh])) {
			q := need[wh][item]
			line := leoc.StockLineInput{Item: item, Quantity: leoc.QuantityOf(leoc.Units(q + (q+9)/10))}
			if it := p.tracked[item]; it != nil {
				if it.TrackExpiry {
					line.ExpiryBS = expiry.String()
				}
				if it.TrackBatch {
					line.Batch = fmt.Sprintf("DEMO-%d", seq+1)
				}
			}
			in.Lines = append(in.Lines, line)
		}
		doc := &leoc.StockDocument{}
		if err := in.Apply(cal, doc); err != nil {
			return fmt.Errorf("demo: receipt: %w", err)
		}
		if err := tx.CreateStockDocument(ctx, Actor, creator, doc); err != nil {
			return fmt.Errorf("demo: receipt: %w", err)
		}
	}
	return nil
}
