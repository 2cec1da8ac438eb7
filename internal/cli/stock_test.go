package cli

import (
	"context"
	"strings"
	"testing"

	"leoc/internal/bs"
	"leoc/internal/leoc"
	"leoc/internal/must"
	"leoc/internal/store"
)

func TestStockVerify(t *testing.T) {
	in := newInstance(t)
	if code, _, errOut := in.run("", "migrate"); code != 0 {
		t.Fatalf("migrate: %s", errOut)
	}
	ctx := context.Background()
	st := in.openStore()
	var main int64
	must.OK(t, st.QueryRow(ctx, "SELECT id FROM warehouses WHERE code = 'MAIN'").Scan(&main))
	receipt := leoc.ReceiptInput{WarehouseID: main, DateBS: "2082-04-01", Source: "donation",
		Lines: []leoc.StockLineInput{{Item: "rice", Quantity: leoc.QuantityText("25.5")}, {Item: "salt", Quantity: leoc.QuantityText("3")}}}
	d := &leoc.StockDocument{}
	must.OK(t, receipt.Apply(bs.Default(), d))
	must.OK(t, st.CreateStockDocument(ctx, cliActor, &leoc.User{Username: "cli", Role: leoc.RoleAdmin}, d))

	if code, out, errOut := in.run("", "stock", "verify"); code != 0 || !strings.Contains(out, "equal: 2 balances") {
		t.Fatalf("verify: %d %q %q", code, out, errOut)
	}
	must.OK(t, st.WithTx(ctx, func(tx *store.Tx) error {
		_, err := tx.Exec(ctx, "UPDATE stock_balances SET quantity = 2500 WHERE item_id = (SELECT id FROM inventory_items WHERE code = 'salt')")
		return err
	}))
	code, out, errOut := in.run("", "stock", "verify")
	if code != 1 || strings.Contains(out, "equal") || !strings.Contains(errOut, "item salt, warehouse MAIN") || !strings.Contains(errOut, "ledger 3, balance 2.5") {
		t.Fatalf("verify after tampering: %d %q %q", code, out, errOut)
	}
}
