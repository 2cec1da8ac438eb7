package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"time"

	"leoc/internal/bs"
	"leoc/internal/demo"
	"leoc/internal/store"
)

// demoCommand fills the configured database with made-up records for
// trying LEOC out and for benchmarks: leoc demo [--incidents N]
// [--distributions N] [--seed S] [--record-by-record]. From
// demo.BulkThreshold distributions on, they are written in bulk (see
// demo.BulkDistributions): a million in minutes instead of the better part
// of an hour.
func demoCommand(fs *flag.FlagSet) func(context.Context, Env, []string) error {
	incidents := fs.Int("incidents", 0, "how many incidents to create")
	distributions := fs.Int("distributions", 0, "how many relief distributions to create (with fund income to cover their cash)")
	seed := fs.Uint64("seed", 0, "random seed; the same seed makes the same data (default: from the clock)")
	oneByOne := fs.Bool("record-by-record", false, fmt.Sprintf("write every distribution through the store's own write path (with its stock issue and audit entry), "+
		"as it is below %d; from %d on they are written in bulk: 10,000 per transaction, one audit entry per batch, no stock taken, statistics rebuilt at the end",
		demo.BulkThreshold, demo.BulkThreshold))
	return func(ctx context.Context, env Env, _ []string) error {
		return runDemo(ctx, env, *incidents, *distributions, *seed, *oneByOne)
	}
}

func runDemo(ctx context.Context, env Env, incidents, distributions int, seed uint64, oneByOne bool) error {
	if incidents < 0 || distributions < 0 || incidents+distributions == 0 {
		return &usageError{msg: "demo needs --incidents N and/or --distributions N with N of at least 1"}
	}
	cfg, err := loadConfig(env)
	if err != nil {
		return err
	}
	// Demo incidents would be counted in the official statistics and, being
	// locked, could only be removed one unlock at a time.
	if cfg.Production() {
		return errors.New("demo data is refused when LEOC_ENV=production; fill a development or test database instead")
	}
	st, err := openStore(ctx, cfg, slog.New(slog.NewTextHandler(env.Stderr, nil)), true)
	if err != nil {
		return err
	}
	defer st.Close()
	cal, err := st.Calendar(ctx)
	if err != nil {
		return err
	}
	if seed == 0 {
		seed = uint64(time.Now().UnixNano())
	}
	start, step := time.Now(), max(incidents/10, 1)
	next := step
	err = demo.Incidents(ctx, st, cal, demo.Options{Incidents: incidents, Seed: seed, Progress: func(done int) {
		if done >= next || done == incidents {
			fmt.Fprintf(env.Stderr, "  %d of %d incidents\n", done, incidents)
			next = done + step
		}
	}})
	if err != nil {
		return describe(err)
	}
	if incidents > 0 {
		fmt.Fprintf(env.Stdout, "created %d demo incidents (seed %d, user \"demo\") in %s\n", incidents, seed, time.Since(start).Round(time.Millisecond))
	}
	if distributions > 0 {
		start = time.Now()
		if err := demoDistributions(ctx, env, st, cal, distributions, demo.Options{Seed: seed}, oneByOne); err != nil {
			return describe(err)
		}
		fmt.Fprintf(env.Stdout, "created %d demo distributions (seed %d, user \"demo\") in %s\n", distributions, seed, time.Since(start).Round(time.Millisecond))
	}
	// So that every screen has something to show.
	if err := demo.Registers(ctx, st, cal, demo.Options{Seed: seed}); err != nil {
		return describe(err)
	}
	fmt.Fprintln(env.Stdout, "added a fund reserve, social-security beneficiaries, operations-log entries, situation reports and advisories")
	return nil
}

// demoDistributions makes n demo distributions, in bulk from
// demo.BulkThreshold on unless oneByOne, printing progress about twenty
// times.
func demoDistributions(ctx context.Context, env Env, st *store.Store, cal *bs.Calendar, n int, o demo.Options, oneByOne bool) error {
	start, step := time.Now(), max(n/20, 1)
	next := step
	bulk := n >= demo.BulkThreshold && !oneByOne
	o.Progress = func(done int) {
		if done >= next || done == n {
			fmt.Fprintf(env.Stderr, "  %d of %d distributions, %s\n", done, n, time.Since(start).Round(time.Second))
			next = done + step
		}
		if bulk && done == n {
			fmt.Fprintln(env.Stderr, "  rebuilding the statistics from the records and analysing the database")
		}
	}
	if bulk {
		return demo.BulkDistributions(ctx, st, cal, n, o)
	}
	return demo.Distributions(ctx, st, cal, n, o)
}
