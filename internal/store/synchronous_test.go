package store_test

import (
	"path/filepath"
	"testing"

	"leoc/internal/bs"
	"leoc/internal/leoc"
	"leoc/internal/store"
)

// TestSQLiteSynchronous: the database that holds the fund ledger commits
// with synchronous=FULL unless NORMAL is chosen; anything else is refused.
func TestSQLiteSynchronous(t *testing.T) {
	for _, c := range []struct {
		opts []store.Option
		want string
	}{
		{nil, "FULL"},
		{[]store.Option{store.SQLiteSynchronous("full")}, "FULL"},
		{[]store.Option{store.SQLiteSynchronous("normal")}, "NORMAL"},
		{[]store.Option{store.SQLiteSynchronous("NORMAL")}, "NORMAL"},
	} {
		s, err := store.Open(ctx, "sqlite://"+filepath.Join(t.TempDir(), "leoc.db"), c.opts...)
		if err != nil {
			t.Fatal(err)
		}
		got, err := s.SQLiteSynchronousMode(ctx)
		s.Close()
		if err != nil || got != c.want {
			t.Errorf("%d options: synchronous = %q, %v; want %s", len(c.opts), got, err, c.want)
		}
	}
	for _, bad := range []string{"off", "extra", ""} {
		if s, err := store.Open(ctx, "sqlite://"+filepath.Join(t.TempDir(), "leoc.db"), store.SQLiteSynchronous(bad)); err == nil {
			s.Close()
			t.Errorf("synchronous %q accepted", bad)
		}
	}
}

// BenchmarkFundEntry measures the cost of one acknowledged write — a fund
// ledger entry with its audit entry, one transaction — with each synchronous
// mode, on a file in the system's temporary directory (a real disk here;
// fsync on tmpfs costs nothing and would hide the difference).
//
//	go test -run '^$' -bench FundEntry -benchtime 2s ./internal/store
func BenchmarkFundEntry(b *testing.B) {
	for _, mode := range []string{"full", "normal"} {
		b.Run(mode, func(b *testing.B) {
			s, err := store.Open(ctx, "sqlite://"+filepath.Join(b.TempDir(), "leoc.db"), store.SQLiteSynchronous(mode))
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close()
			if _, err := s.Migrate(ctx); err != nil {
				b.Fatal(err)
			}
			in := leoc.FundInput{Kind: "income", Amount: leoc.Amount("1,000.50"), Description: "प्रदेश सरकारबाट", DateBS: "2082-04-01"}
			b.ResetTimer()
			for b.Loop() {
				f := &leoc.FundTransaction{}
				if err := in.Apply(bs.Default(), f); err != nil {
					b.Fatal(err)
				}
				if err := s.CreateFundTransaction(ctx, admin, f); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
