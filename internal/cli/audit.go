package cli

import (
	"context"
	"encoding/base64"
	"flag"
	"fmt"
	"io"
	"log/slog"

	"leoc/internal/logging"
	"leoc/internal/store"
)

// auditPubkey prints the public key that checks signed checkpoints.
func auditPubkey(ctx context.Context, env Env, _ []string) error {
	cfg, err := loadConfig(env)
	if err != nil {
		return err
	}
	keys, err := auditKeys(cfg)
	if err != nil {
		return err
	}
	fmt.Fprintln(env.Stdout, "ed25519:"+base64.StdEncoding.EncodeToString(keys.PublicKey()))
	return nil
}

// auditVerify checks the trail, and against every checkpoint found in FILE
// (a saved `leoc audit checkpoint` output or the log file itself). It never
// writes: an old trail is reported unsealed rather than sealed here.
func auditVerify(fs *flag.FlagSet) func(context.Context, Env, []string) error {
	file := fs.String("checkpoint", "", "file holding checkpoints printed by leoc audit checkpoint (or the log file)")
	return func(ctx context.Context, env Env, _ []string) error {
		var cps []store.Checkpoint
		if *file != "" {
			b, err := env.ReadFile(*file)
			if err != nil {
				return fmt.Errorf("read checkpoint file: %w", err)
			}
			if cps, err = store.ParseCheckpoints(string(b)); err != nil {
				return fmt.Errorf("%s: %w", *file, err)
			}
		}
		return withStoreSealing(ctx, env, false, func(st *store.Store) error {
			problem, rep, err := st.VerifyAudit(ctx, cps...)
			if err != nil {
				return err
			}
			if problem != nil {
				return &exitError{code: 1, msg: fmt.Sprintf("audit trail BROKEN: %s (after reading %d entries)", problem, rep.Entries)}
			}
			fmt.Fprintf(env.Stdout, "audit trail intact: %d entries verified", rep.Entries)
			if rep.Plain > 0 {
				fmt.Fprintf(env.Stdout, " (the first %d with plain SHA-256 links, sealed)", rep.Plain)
			}
			if rep.Checkpoints > 0 {
				fmt.Fprintf(env.Stdout, "; %d signed checkpoint(s) match", rep.Checkpoints)
			}
			fmt.Fprintln(env.Stdout)
			return nil
		})
	}
}

// auditCheckpoint records a checkpoint, prints it on one line and appends it
// to LEOC_LOG_FILE when set, so that it exists outside the database.
func auditCheckpoint(ctx context.Context, env Env, _ []string) error {
	cfg, err := loadConfig(env)
	if err != nil {
		return err
	}
	return withStore(ctx, env, func(st *store.Store) error {
		c, err := st.Checkpoint(ctx, cliActor)
		if err != nil {
			return err
		}
		fmt.Fprintln(env.Stdout, c.String())
		if cfg.LogFile == "" {
			return nil
		}
		log, closer, err := logging.New(logging.Options{Production: cfg.Production(), Level: slog.LevelInfo, File: cfg.LogFile, Stderr: io.Discard})
		if err != nil {
			return err
		}
		log.Info("audit checkpoint", "checkpoint", c.String())
		return closer.Close()
	})
}
