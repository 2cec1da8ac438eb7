package store_test

import (
	"fmt"
	"testing"

	"leoc/internal/store"
	"leoc/internal/store/storetest"
)

// BenchmarkAuditAppend is one audited write on its own (a failed login):
// the keyed link adds an HMAC to what was a SHA-256.
func BenchmarkAuditAppend(b *testing.B) {
	s := storetest.Open(b, storetest.Backends()[0])
	for i := 0; b.Loop(); i++ {
		if err := s.Audit(ctx, admin, "login.failure", "user", fmt.Sprint(i), map[string]any{"reason": "bad_password"}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAuditVerify100k verifies a 100,000-entry trail against a
// checkpoint, as a nightly cron job would.
func BenchmarkAuditVerify100k(b *testing.B) {
	s := storetest.Open(b, storetest.Backends()[0])
	const n = 100_000
	for chunk := 0; chunk < n; chunk += 10_000 {
		err := s.WithTx(ctx, func(tx *store.Tx) error {
			for i := range 10_000 {
				if err := tx.Audit(ctx, admin, "record.update", "incidents", fmt.Sprint(chunk+i), map[string]any{"changes": map[string]any{"deaths": map[string]int{"before": 0, "after": 1}}}); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	cp, err := s.Checkpoint(ctx, admin)
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for range b.N {
		p, rep, err := s.VerifyAudit(ctx, cp)
		if p != nil || err != nil || rep.Entries < n {
			b.Fatalf("%+v %+v %v", p, rep, err)
		}
	}
}
