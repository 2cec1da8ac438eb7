package cli

import (
	"context"
	"fmt"

	"leoc/internal/store"
)

// stockVerify recomputes every stock balance from the ledger and compares:
// exit 0 when they are equal, exit 1 with the first difference.
func stockVerify(ctx context.Context, env Env, _ []string) error {
	return withStore(ctx, env, func(st *store.Store) error {
		diff, n, err := st.VerifyStock(ctx)
		if err != nil {
			return err
		}
		if diff != nil {
			return &exitError{code: 1, msg: fmt.Sprintf("stock ledger and balances DIFFER: %s (after comparing %d balances)", diff, n)}
		}
		fmt.Fprintf(env.Stdout, "stock ledger and balances equal: %d balances verified\n", n)
		return nil
	})
}
