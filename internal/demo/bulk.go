package demo

import (
	"context"
	"errors"
	"fmt"

	"leoc/internal/bs"
	"leoc/internal/leoc"
	"leoc/internal/store"
)

// BulkThreshold is the number of distributions from which leoc demo and
// leoc bench use BulkDistributions: below it every record goes through
// the store's own write path, which is what people click through.
const BulkThreshold = 20_000

// BulkDistributions creates n distributions like Distributions — the same
// generator: days over the four fiscal years weighted by season, wards,
// disaster types, members, items, cash; a new household each — through the
// store's bulk path (store.CreateDistributionsBulk), Options.Batch (default
// 10,000) per transaction, each batch preceded by the fund income that
// covers its cash as in Distributions. They take nothing from stock. After
// the last batch, or after a failed one (which leaves nothing behind), the
// statistics are rebuilt from the records and the database analysed
// (store.FinishBulkLoad), so the batches written are counted. The next
// batch is generated while one is written.
func BulkDistributions(ctx context.Context, st *store.Store, cal *bs.Calendar, n int, o Options) error {
	if n <= 0 {
		return nil
	}
	if o.Batch <= 0 {
		o.Batch = 10_000
	}
	g, rules, items, err := newDistributionGenerator(ctx, st, cal, o)
	if err != nil {
		return err
	}
	// Identity numbers continue after the register's records, so that a
	// second load makes new households too.
	var base int
	if err := st.QueryRow(ctx, "SELECT COALESCE(MAX(id), 0) FROM distributions").Scan(&base); err != nil {
		return fmt.Errorf("demo: distributions: %w", err)
	}
	type batch struct {
		b   store.DistributionBulk
		err error
	}
	batches, stop := make(chan batch, 1), make(chan struct{})
	defer close(stop)
	go func() {
		defer close(batches)
		for done, seq := 0, 0; done < n; seq++ {
			var b batch
			b.b, b.err = g.bulkBatch(rules, items, base+done, min(o.Batch, n-done), seq)
			select {
			case batches <- b:
			case <-stop:
				return
			}
			if b.err != nil {
				return
			}
			done += len(b.b.Distributions)
		}
	}()
	creator := &leoc.User{Username: Actor.Username, Role: leoc.RoleAdmin}
	done := 0
	for b := range batches {
		if b.err == nil {
			k := len(b.b.Distributions)
			if b.err = st.CreateDistributionsBulk(ctx, Actor, creator, b.b, cal); b.err != nil {
				b.err = fmt.Errorf("demo: distributions %d–%d: %w", done+1, done+k, b.err)
			}
		}
		if b.err != nil {
			if done == 0 {
				return b.err
			}
			// What was committed is kept and counted: the failed batch
			// left nothing behind.
			return errors.Join(b.err, st.FinishBulkLoad(context.WithoutCancel(ctx)))
		}
		done += len(b.b.Distributions)
		if o.Progress != nil {
			o.Progress(done)
		}
	}
	return st.FinishBulkLoad(ctx)
}

// bulkBatch generates k distributions, the first with sequence number from,
// and the fund income that covers their cash.
func (g *generator) bulkBatch(rules leoc.DistributionRules, items []string, from, k, seq int) (store.DistributionBulk, error) {
	b := store.DistributionBulk{Distributions: make([]*leoc.Distribution, k)}
	var cash leoc.Money
	for i := range b.Distributions {
		d, err := g.distribution(rules, items, from+i)
		if err != nil {
			return b, err
		}
		b.Distributions[i] = d
		cash += d.Cash
		if i == 0 || d.DateBS.Before(b.IncomeDate) {
			b.IncomeDate = d.DateBS
		}
	}
	if cash > 0 {
		b.Income = roundUp(cash+cash/10, 1000*100)
		b.IncomeDescription = fundSources[seq%len(fundSources)]
	}
	return b, nil
}
