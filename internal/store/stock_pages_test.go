package store_test

import (
	"testing"

	"leoc/internal/leoc"
	"leoc/internal/must"
	"leoc/internal/store/storetest"
)

// What the stock documents' pages read besides the documents, on both
// databases: items with units and tracking, stores with wards, line counts.
func TestStockDocumentPageData(t *testing.T) {
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			s := storetest.Open(t, b)
			addItem(t, s, "ORS-1", true, true, 0)
			w3 := addWarehouse(t, s, "W3", 3)
			items := must.Get(s.DocumentItems(ctx))(t)
			var ors, rice bool
			for _, it := range items {
				switch it.Code {
				case "ORS-1":
					ors = it.TrackBatch && it.TrackExpiry && it.UnitNe == "थान" && it.UnitEn == "piece"
				case "rice":
					rice = !it.TrackBatch && !it.TrackExpiry && it.UnitEn == "kg"
				}
			}
			if !ors || !rice {
				t.Errorf("items: %+v", items)
			}
			stores := must.Get(s.DocumentWarehouses(ctx))(t)
			if len(stores) != 2 || stores[0].Code != "MAIN" || stores[0].Ward != 0 || stores[1].ID != w3 || stores[1].Ward != 3 {
				t.Errorf("stores: %+v", stores)
			}
			one := receive(t, s, w3, line("rice", "2"))
			two := receive(t, s, w3, line("rice", "1"), line("salt", "1"), leoc.StockLineInput{Item: "ORS-1",
				Quantity: leoc.QuantityText("5"), Batch: "B1", ExpiryBS: "2083-01-01"})
			counts := must.Get(s.StockDocumentLineCounts(ctx, []int64{one.ID, two.ID, 999}))(t)
			if counts[one.ID] != 1 || counts[two.ID] != 3 || counts[999] != 0 {
				t.Errorf("line counts: %v", counts)
			}
			if none := must.Get(s.StockDocumentLineCounts(ctx, nil))(t); len(none) != 0 {
				t.Errorf("no ids: %v", none)
			}
		})
	}
}
