package store_test

import (
	"context"
	"sync"
	"testing"

	"leoc/internal/store"
	"leoc/internal/store/storetest"
)

// TestConcurrentMigrate: several servers starting at once on one new
// database (the compose stack's replicas, a rolling upgrade) all succeed,
// and the schema, the seeded defaults and the audit trail's seed entry
// exist once.
func TestConcurrentMigrate(t *testing.T) {
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			url := b.URL(t)
			ctx := context.Background()
			const servers = 4
			keys := storetest.AuditKeys(t)
			stores := make([]*store.Store, servers)
			for i := range stores {
				st, err := store.Open(ctx, url)
				if err != nil {
					t.Fatal(err)
				}
				defer st.Close()
				st.SetAuditKeys(keys)
				stores[i] = st
			}
			var wg sync.WaitGroup
			errs := make([]error, servers)
			start := make(chan struct{})
			for i, st := range stores {
				wg.Add(1)
				go func() {
					defer wg.Done()
					<-start
					_, errs[i] = st.Migrate(ctx)
				}()
			}
			close(start)
			wg.Wait()
			for i, err := range errs {
				if err != nil {
					t.Errorf("server %d: %v", i, err)
				}
			}
			ms, err := store.Migrations(stores[0].Dialect())
			if err != nil {
				t.Fatal(err)
			}
			if v, err := stores[0].SchemaVersion(ctx); err != nil || v != len(ms) {
				t.Fatalf("schema version %d (%v), want %d", v, err, len(ms))
			}
			var wards, seeds int
			if err := stores[0].QueryRow(ctx, "SELECT COUNT(*) FROM wards").Scan(&wards); err != nil {
				t.Fatal(err)
			}
			if err := stores[0].QueryRow(ctx, "SELECT COUNT(*) FROM audit_log WHERE action = 'setting.seed'").Scan(&seeds); err != nil {
				t.Fatal(err)
			}
			if wards != 9 || seeds != 1 {
				t.Fatalf("after concurrent starts: %d wards, %d seed entries; want 9 and 1", wards, seeds)
			}
		})
	}
}
