package store_test

import (
	"errors"
	"testing"
	"time"

	"leoc/internal/must"
	"leoc/internal/store"
	"leoc/internal/store/storetest"
)

// The audit head is locked only when a transaction writes its entries, at
// its end: on PostgreSQL another writer can add its entry and commit while
// a transaction that has already called Audit is still busy. Before, the
// head stayed locked from the Audit call to the commit and every writer
// queued behind the slowest.
func TestAuditEntriesAreWrittenAtTheEnd(t *testing.T) {
	storetest.Run(t, func(t *testing.T, s *store.Store) {
		if s.Dialect() != store.Postgres {
			t.Skip("SQLite has one writer at a time")
		}
		entered, release := make(chan struct{}), make(chan struct{})
		slow := make(chan error, 1)
		go func() {
			slow <- s.WithTx(ctx, func(tx *store.Tx) error {
				if err := tx.Audit(ctx, admin, "test.slow", "thing", "a", nil); err != nil {
					return err
				}
				close(entered)
				<-release
				return nil
			})
		}()
		<-entered
		fast := make(chan error, 1)
		go func() { fast <- s.Audit(ctx, admin, "test.fast", "thing", "b", nil) }()
		select {
		case err := <-fast:
			must.OK(t, err)
		case <-time.After(30 * time.Second):
			close(release)
			t.Fatal("a writer waited for another transaction's remaining work: the audit head was locked before the end")
		}
		close(release)
		must.OK(t, <-slow)
		rows, _ := must.Get2(s.ListAudit(ctx, store.AuditFilter{Entity: "thing", PerPage: 10}))(t)
		if len(rows) != 2 || rows[0].Action != "test.slow" || rows[1].Action != "test.fast" {
			t.Fatalf("entries newest first: %+v", rows)
		}
		problem, _ := must.Get2(s.VerifyAudit(ctx))(t)
		if problem != nil {
			t.Fatalf("the trail does not verify: %+v", problem)
		}
	})
}

// Entries given to a transaction that fails are not written, on both
// databases, and a failed transaction leaves the chain as it was.
func TestAuditEntriesOfAFailedTransactionAreNotWritten(t *testing.T) {
	storetest.Run(t, func(t *testing.T, s *store.Store) {
		before := lastAuditID(t, s)
		boom := errors.New("boom")
		err := s.WithTx(ctx, func(tx *store.Tx) error {
			must.OK(t, tx.Audit(ctx, admin, "test.never", "thing", "x", nil))
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatalf("got %v, want boom", err)
		}
		if got := lastAuditID(t, s); got != before {
			t.Fatalf("last entry %d, want %d", got, before)
		}
		must.OK(t, s.Audit(ctx, admin, "test.after", "thing", "y", nil))
		if problem, _ := must.Get2(s.VerifyAudit(ctx))(t); problem != nil {
			t.Fatalf("the trail does not verify: %+v", problem)
		}
	})
}
