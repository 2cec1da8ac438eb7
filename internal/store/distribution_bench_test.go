package store_test

import (
	"fmt"
	"testing"

	"leoc/internal/leoc"
	"leoc/internal/store/storetest"
)

// BenchmarkCreateDistribution is one clerk's create (three members, two
// items, cash) on each database: the single writer's latency, every
// statement and round trip of it (docs/performance.md, "The PostgreSQL
// write path").
func BenchmarkCreateDistribution(b *testing.B) {
	for _, be := range storetest.Backends() {
		b.Run(be.Name, func(b *testing.B) {
			s := storetest.Open(b, be)
			officer := &leoc.User{Username: "ram", Role: leoc.RoleOfficer}
			addIncome(b, s, 10_000_000)
			for i := 0; b.Loop(); i++ {
				d := newDistribution(b, s, fmt.Sprintf("BENCH-%d", i), func(in *leoc.DistributionInput) { in.Ward = 1 + i%9 })
				if _, err := s.CreateDistribution(ctx, admin, officer, d); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
