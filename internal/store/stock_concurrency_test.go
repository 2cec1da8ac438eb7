package store_test

import (
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"

	"leoc/internal/bs"
	"leoc/internal/leoc"
	"leoc/internal/must"
	"leoc/internal/store"
	"leoc/internal/store/storetest"
)

// stockDistribution is a distribution without cash that takes its items
// from warehouse.
func stockDistribution(t testing.TB, s *store.Store, id string, warehouse int64, items ...leoc.ItemInput) *leoc.Distribution {
	t.Helper()
	return newDistribution(t, s, id, func(in *leoc.DistributionInput) {
		in.Cash, in.Items = leoc.Amount(""), items
		if warehouse != 0 {
			in.WarehouseID = &warehouse
		}
	})
}

func item(code string, n int64) leoc.ItemInput {
	return leoc.ItemInput{Item: code, Quantity: leoc.WholeOf(n)}
}

func TestDistributionTakesFromStock(t *testing.T) {
	storetest.Run(t, func(t *testing.T, s *store.Store) {
		main, ward := warehouseID(t, s, "MAIN"), addWarehouse(t, s, "W3", 3)
		receive(t, s, main, line("rice", "100"), line("blanket", "10"))
		receive(t, s, ward, line("rice", "5"))

		d := stockDistribution(t, s, "HH-1", main, item("rice", 30), item("blanket", 2))
		must.Get(s.CreateDistribution(ctx, admin, storeKeeper, d))(t)
		if onHand(t, s, "rice", main) != leoc.Units(70) || onHand(t, s, "blanket", main) != leoc.Units(8) {
			t.Fatal("create did not issue")
		}
		if got := must.Get(s.Distribution(ctx, d.ID))(t); got.WarehouseID != main {
			t.Fatalf("warehouse %d", got.WarehouseID)
		}

		edit := func(warehouse int64, items ...leoc.ItemInput) error {
			t.Helper()
			must.OK(t, s.SetLocked(ctx, admin, storeKeeper, "distributions", d.ID, false, "सच्याउन"))
			cur := must.Get(s.Distribution(ctx, d.ID))(t)
			next := stockDistribution(t, s, "HH-1", warehouse, items...)
			next.ID, next.Version = cur.ID, cur.Version
			_, err := s.UpdateDistribution(ctx, admin, storeKeeper, next)
			return err
		}
		t.Run("an edit moves the difference", func(t *testing.T) {
			must.OK(t, edit(main, item("rice", 25), item("blanket", 3)))
		})
		if onHand(t, s, "rice", main) != leoc.Units(75) || onHand(t, s, "blanket", main) != leoc.Units(7) {
			t.Fatalf("after edit: rice %s, blanket %s", onHand(t, s, "rice", main), onHand(t, s, "blanket", main))
		}
		var moves int
		moves = count(t, s, "SELECT COUNT(*) FROM stock_movements WHERE document_kind = 'distribution' AND document_id = ?", d.ID)
		if moves != 4 { // issue rice, issue blanket, return 5 rice, issue 1 blanket
			t.Fatalf("%d movements", moves)
		}
		t.Run("not in stock is a conflict with what is available, nothing changed", func(t *testing.T) {
			err := edit(main, item("rice", 25), item("blanket", 11))
			if code(err) != leoc.EConflict || fieldOf(err, "items[1].quantity") != "stock.insufficient" {
				t.Fatalf("got %v", err)
			}
			if e, _ := leoc.AsError(err); fmt.Sprint(e.Message.Args[2]) != "7" {
				t.Fatalf("available %v", e.Message.Args)
			}
			if onHand(t, s, "blanket", main) != leoc.Units(7) {
				t.Fatal("a refused edit moved stock")
			}
		})
		t.Run("another warehouse returns everything and issues there", func(t *testing.T) {
			if err := edit(ward, item("rice", 6)); code(err) != leoc.EConflict {
				t.Fatalf("more than the ward store has: %v", err)
			}
			must.OK(t, edit(ward, item("rice", 5)))
			if onHand(t, s, "rice", main) != leoc.Units(100) || onHand(t, s, "blanket", main) != leoc.Units(10) || onHand(t, s, "rice", ward) != 0 {
				t.Fatal("balances after the change of warehouse")
			}
		})
		t.Run("delete returns what it holds", func(t *testing.T) {
			must.OK(t, s.SetLocked(ctx, admin, storeKeeper, "distributions", d.ID, false, "गल्ती"))
			must.OK(t, s.DeleteDistribution(ctx, admin, storeKeeper, d.ID))
			if onHand(t, s, "rice", ward) != leoc.Units(5) {
				t.Fatal("delete did not return")
			}
		})
		t.Run("without a warehouse nothing moves", func(t *testing.T) {
			before := count(t, s, "SELECT COUNT(*) FROM stock_movements")
			must.Get(s.CreateDistribution(ctx, admin, storeKeeper, stockDistribution(t, s, "HH-2", 0, item("rice", 500))))(t)
			if count(t, s, "SELECT COUNT(*) FROM stock_movements") != before {
				t.Fatal("a distribution without a warehouse moved stock")
			}
		})
		t.Run("an unknown warehouse is a field error", func(t *testing.T) {
			_, err := s.CreateDistribution(ctx, admin, storeKeeper, stockDistribution(t, s, "HH-3", 999, item("rice", 1)))
			if fieldOf(err, "warehouse_id") != "stock.warehouse_unknown" {
				t.Fatalf("got %v", err)
			}
		})
		verifyStock(t, s)
		verifyDistributions(t, s)
	})
}

// Thirty clerks hand out one blanket each from a store holding twenty:
// exactly twenty distributions are saved and the store is empty.
func TestConcurrentDistributionsCannotOverdrawStock(t *testing.T) {
	storetest.Run(t, func(t *testing.T, s *store.Store) {
		main := warehouseID(t, s, "MAIN")
		receive(t, s, main, line("blanket", "20"))
		ds := make([]*leoc.Distribution, 30)
		for i := range ds {
			ds[i] = stockDistribution(t, s, fmt.Sprintf("HH-%02d", i), main, item("blanket", 1))
		}
		errs := make([]error, len(ds))
		var wg sync.WaitGroup
		for i, d := range ds {
			wg.Go(func() { _, errs[i] = s.CreateDistribution(ctx, admin, storeKeeper, d) })
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
		if ok != 20 || onHand(t, s, "blanket", main) != 0 || count(t, s, "SELECT COUNT(*) FROM distributions") != 20 {
			t.Fatalf("%d saved, %s left", ok, onHand(t, s, "blanket", main))
		}
		verifyStock(t, s)
	})
}

// Many goroutines receive, transfer, adjust, dispatch and distribute at
// random between three warehouses; afterwards the ledger and the balances
// agree, and no balance is negative. Then a balance changed behind the
// ledger's back is found.
func TestConcurrentStockWorkloadVerifies(t *testing.T) {
	storetest.Run(t, func(t *testing.T, s *store.Store) {
		whs := []int64{warehouseID(t, s, "MAIN"), addWarehouse(t, s, "W3", 3), addWarehouse(t, s, "W5", 5)}
		addItem(t, s, "ors", true, true, 0)
		items := []string{"rice", "blanket", "salt"}
		boss := &leoc.User{Username: "admin", Role: leoc.RoleAdmin}
		for _, w := range whs {
			receive(t, s, w, line("rice", "50"), line("blanket", "20"), line("salt", "10"),
				leoc.StockLineInput{Item: "ors", Batch: "A", ExpiryBS: "2083-01-01", Quantity: leoc.QuantityText("5")})
		}
		const workers, steps = 6, 12
		var wg sync.WaitGroup
		var mu sync.Mutex
		var unexpected []error
		for w := range workers {
			wg.Go(func() {
				rng := rand.New(rand.NewPCG(uint64(w), 14))
				for i := range steps {
					from, to := whs[rng.IntN(3)], whs[rng.IntN(3)]
					q := fmt.Sprintf("%d.%d", rng.IntN(8), rng.IntN(10))
					it := items[rng.IntN(len(items))]
					var err error
					switch rng.IntN(5) {
					case 0:
						err = tryDocument(s, storeKeeper, &leoc.ReceiptInput{WarehouseID: from, DateBS: "2082-04-05", Source: "purchase",
							Lines: []leoc.StockLineInput{line(it, q)}})
					case 1:
						if from != to {
							err = tryDocument(s, storeKeeper, &leoc.TransferInput{FromWarehouseID: from, ToWarehouseID: to, DateBS: "2082-04-05",
								Lines: []leoc.StockLineInput{line(it, q), line("ors", "1")}})
						}
					case 2:
						in := &leoc.AdjustmentInput{WarehouseID: from, DateBS: "2082-04-05", Kind: "count_correction", Reason: "गणना",
							Lines: []leoc.StockLineInput{line(it, "-"+q)}}
						d := &leoc.StockDocument{}
						if err = in.Apply(bs.Default(), d); err == nil {
							if err = s.CreateStockDocument(ctx, admin, storeKeeper, d); err == nil {
								_, err = s.ApproveAdjustment(ctx, admin, boss, d.ID, d.Version)
							}
						}
					case 3:
						_, err = dispatch(s, storeKeeper, from, line(it, q), line("ors", "0.5"))
					case 4:
						d := stockDistribution(t, s, fmt.Sprintf("W%d-%d", w, i), from, item(it, int64(rng.IntN(3)+1)))
						_, err = s.CreateDistribution(ctx, admin, storeKeeper, d)
					}
					if err != nil && code(err) != leoc.EConflict && code(err) != leoc.EInvalid {
						mu.Lock()
						unexpected = append(unexpected, err)
						mu.Unlock()
					}
				}
			})
		}
		wg.Wait()
		for _, err := range unexpected {
			t.Error(err)
		}
		verifyStock(t, s)
		if n := count(t, s, "SELECT COUNT(*) FROM stock_balances WHERE quantity < 0"); n != 0 {
			t.Fatalf("%d negative balances", n)
		}

		must.OK(t, s.WithTx(ctx, func(tx *store.Tx) error {
			_, err := tx.Exec(ctx, "UPDATE stock_balances SET quantity = quantity + 1 WHERE item_id = (SELECT id FROM inventory_items WHERE code = 'salt') AND warehouse_id = ?", whs[1])
			return err
		}))
		diff, _, err := s.VerifyStock(ctx)
		if err != nil || diff == nil || diff.Item != "salt" || diff.Warehouse != "W3" || diff.Balance != diff.Ledger+1 {
			t.Fatalf("tampered balance: %v %v", diff, err)
		}
	})
}

type stockInput interface {
	Apply(*bs.Calendar, *leoc.StockDocument) error
}

func tryDocument(s *store.Store, u *leoc.User, in stockInput) error {
	d := &leoc.StockDocument{}
	if err := in.Apply(bs.Default(), d); err != nil {
		return err
	}
	return s.CreateStockDocument(ctx, admin, u, d)
}
