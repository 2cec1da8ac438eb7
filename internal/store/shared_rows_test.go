package store_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"leoc/internal/leoc"
	"leoc/internal/must"
	"leoc/internal/store"
	"leoc/internal/store/storetest"
)

// The rows every distribution shares — the statistics of its day, ward and
// type, the item totals, the fund balance — are written at the end of the
// transaction (Tx.writeLast): another clerk's distribution for the same
// day, ward and type commits while a transaction that has already created
// its own is still busy. Before, the first transaction held those rows
// from its statistics to its commit and the second waited.
func TestSharedRowsAreWrittenAtTheEnd(t *testing.T) {
	storetest.Run(t, func(t *testing.T, s *store.Store) {
		if s.Dialect() != store.Postgres {
			t.Skip("SQLite has one writer at a time")
		}
		addIncome(t, s, 10000)
		officer := &leoc.User{Username: "ram", Role: leoc.RoleOfficer}
		first, second := newDistribution(t, s, "HH-SLOW"), newDistribution(t, s, "HH-FAST")
		entered, release := make(chan struct{}), make(chan struct{})
		slow := make(chan error, 1)
		go func() {
			slow <- s.WithTx(ctx, func(tx *store.Tx) error {
				if _, err := tx.CreateDistribution(ctx, admin, officer, first); err != nil {
					close(entered)
					return err
				}
				close(entered)
				<-release
				return nil
			})
		}()
		<-entered
		fast := make(chan error, 1)
		go func() {
			_, err := s.CreateDistribution(ctx, admin, officer, second)
			fast <- err
		}()
		select {
		case err := <-fast:
			must.OK(t, err)
		case <-time.After(30 * time.Second):
			close(release)
			t.Fatal("a writer waited for another transaction's remaining work: shared rows were locked before the end")
		}
		close(release)
		must.OK(t, <-slow)
		if b := balance(t, s); b != leoc.Rupees(8000) {
			t.Fatalf("balance %s, want 8,000", b)
		}
		verifyDistributions(t, s)
	})
}

// A statement that failed inside a PostgreSQL transaction whose caller
// went on fails the transaction: its COMMIT is answered with ROLLBACK, and
// WithTx must say so rather than report success.
func TestCommitOfAFailedTransactionIsAnError(t *testing.T) {
	storetest.Run(t, func(t *testing.T, s *store.Store) {
		if s.Dialect() != store.Postgres {
			t.Skip("SQLite goes on after a failed statement")
		}
		err := s.WithTx(ctx, func(tx *store.Tx) error {
			if _, err := tx.Exec(ctx, "INSERT INTO no_such_table VALUES (1)"); err == nil {
				t.Error("insert into a missing table succeeded")
			}
			return tx.Audit(ctx, admin, "test.never", "thing", "x", nil)
		})
		if err == nil {
			t.Fatal("the failed transaction was reported committed")
		}
		rows, _ := must.Get2(s.ListAudit(ctx, store.AuditFilter{Entity: "thing", PerPage: 10}))(t)
		if len(rows) != 0 {
			t.Fatalf("%d audit entries of a failed transaction", len(rows))
		}
	})
}

// A transaction whose function panics is rolled back and gives its place
// back: on PostgreSQL only a few write transactions run at once, and more
// panics than places must not stop every later write.
func TestPanicInATransactionReleasesIt(t *testing.T) {
	storetest.Run(t, func(t *testing.T, s *store.Store) {
		done := make(chan error, 1)
		go func() {
			for range 6 {
				func() {
					defer func() { _ = recover() }()
					_ = s.WithTx(ctx, func(tx *store.Tx) error {
						if _, err := tx.Exec(ctx, "UPDATE fund_balance SET balance = balance + 1 WHERE id = 1"); err != nil {
							return err
						}
						panic("a bug")
					})
				}()
			}
			done <- s.WithTx(ctx, func(tx *store.Tx) error { return nil })
		}()
		select {
		case err := <-done:
			must.OK(t, err)
		case <-time.After(30 * time.Second):
			t.Fatal("write transactions after a panic in one did not start")
		}
		if balance := must.Get(s.FundBalance(ctx))(t); balance != 0 {
			t.Fatalf("fund balance %d after rolled-back transactions, want 0", balance)
		}
	})
}

// A PostgreSQL commit is sent without waiting for the disk, so that the
// rows every writer shares are free sooner (flushWAL); the transaction is
// answered only after a flush past its commit. Without that flush the
// answer could come up to 200 ms (wal_writer_delay) before the change is
// on disk, and a crash then would lose an acknowledged write.
func TestCommitIsOnDiskWhenAnswered(t *testing.T) {
	storetest.Run(t, func(t *testing.T, s *store.Store) {
		if s.Dialect() != store.Postgres {
			t.Skip("SQLite commits synchronously in the process")
		}
		for i := range 20 {
			var done *store.Tx
			must.OK(t, s.WithTx(ctx, func(tx *store.Tx) error {
				done = tx
				_, err := tx.Exec(ctx, "UPDATE fund_balance SET balance = balance + 1 WHERE id = 1")
				return err
			}))
			at := store.FlushedAt(done)
			if at == "" {
				t.Fatal("the commit was answered without a flush after it")
			}
			var onDisk bool
			must.OK(t, s.QueryRow(ctx, "SELECT pg_current_wal_flush_lsn() >= $1::pg_lsn", at).Scan(&onDisk))
			if !onDisk {
				t.Fatalf("commit %d answered before PostgreSQL's log was on disk up to %s", i, at)
			}
		}
		// The session setting of the pooled connections is untouched: the
		// asynchronous commit was for the transaction only.
		for range 4 {
			setting := must.Get(s.WriterSettingForTest(ctx, "synchronous_commit"))(t)
			if setting != "on" {
				t.Fatalf("synchronous_commit is %q on a pooled connection after the commits", setting)
			}
		}
		if balance := must.Get(s.FundBalance(ctx))(t); balance != 20 {
			t.Fatalf("fund balance %d after 20 committed additions, want 20", balance)
		}
	})
}

// On SQLite a write transaction's statements are prepared after their
// first commit and reused by the next ones (read_statements.go); the
// records and statistics those write are the same.
func TestWriteStatementsArePreparedAfterTheirFirstCommit(t *testing.T) {
	storetest.Run(t, func(t *testing.T, s *store.Store) {
		if s.Dialect() != store.SQLite {
			t.Skip("pgx keeps PostgreSQL's statements prepared itself")
		}
		addIncome(t, s, 10000)
		officer := &leoc.User{Username: "ram", Role: leoc.RoleOfficer}
		_ = must.Get(s.CreateDistribution(ctx, admin, officer, newDistribution(t, s, "HH-1")))(t)
		prepared := s.WriteStatementsForTest()
		if prepared < 10 {
			t.Fatalf("%d write statements prepared after a create, want its statements", prepared)
		}
		for _, id := range []string{"HH-2", "HH-3"} {
			_ = must.Get(s.CreateDistribution(ctx, admin, officer, newDistribution(t, s, id)))(t)
		}
		if b := balance(t, s); b != leoc.Rupees(7000) {
			t.Fatalf("balance %s after three distributions, want 7,000", b)
		}
		verifyDistributions(t, s)
	})
}

// A flush that fails after its COMMIT succeeded (the connection lost in
// between) is an error that says so, not a rollback: the change is there,
// and the statistics hooks are told of it like after any commit.
func TestCommitWithoutItsFlushIsReportedAsCommitted(t *testing.T) {
	storetest.Run(t, func(t *testing.T, s *store.Store) {
		if s.Dialect() != store.Postgres {
			t.Skip("SQLite commits synchronously in the process")
		}
		addIncome(t, s, 10000)
		told := 0
		s.OnStatisticsChange(func(context.Context) { told++ })
		s.FailFlushForTest()
		officer := &leoc.User{Username: "ram", Role: leoc.RoleOfficer}
		_, err := s.CreateDistribution(ctx, admin, officer, newDistribution(t, s, "HH-LOST-ANSWER"))
		if err == nil || !strings.Contains(err.Error(), "committed, but not known to be on disk") {
			t.Fatalf("create whose flush failed: %v, want committed but not known to be on disk", err)
		}
		if told == 0 {
			t.Error("the statistics hooks were not told of the committed create")
		}
		if b := balance(t, s); b != leoc.Rupees(9000) {
			t.Fatalf("balance %s, want 9,000: the create was committed", b)
		}
		verifyDistributions(t, s)
	})
}
