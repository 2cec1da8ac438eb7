package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"time"

	"leoc/internal/demo"
)

// demoCommand fills the configured database with made-up records for
// trying LEOC out and for benchmarks: leoc demo [--incidents N]
// [--distributions N] [--seed S].
func demoCommand(fs *flag.FlagSet) func(context.Context, Env, []string) error {
	incidents := fs.Int("incidents", 0, "how many incidents to create")
	distributions := fs.Int("distributions", 0, "how many relief distributions to create (with fund income to cover their cash)")
	seed := fs.Uint64("seed", 0, "random seed; the same seed makes the same data (default: from the clock)")
	return func(ctx context.Context, env Env, _ []string) error {
		return runDemo(ctx, env, *incidents, *distributions, *seed)
	}
}

func runDemo(ctx context.Context, env Env, incidents, distributions int, seed uint64) error {
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
		if err := demo.Distributions(ctx, st, cal, distributions, demo.Options{Seed: seed}); err != nil {
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
