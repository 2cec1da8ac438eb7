package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"

	"leoc/internal/config"
	"leoc/internal/files"
	"leoc/internal/notify"
	"leoc/internal/redisconn"
	"leoc/internal/server"
	"leoc/internal/store"
)

// scaleOut opens what several replicas share (docs/scale-out.md): Redis
// with its change-notice bus when LEOC_REDIS_URL is set, and the S3 bucket
// of LEOC_STORAGE_URL; without them the server stays in-process and on the
// local disk. The options it fills go to server.New; close releases them.
func scaleOut(ctx context.Context, cfg *config.Config, log *slog.Logger, o *server.Options) (closeAll func(), err error) {
	var closers []func()
	closeAll = func() {
		for i := len(closers) - 1; i >= 0; i-- {
			closers[i]()
		}
	}
	defer func() {
		if err != nil {
			closeAll()
		}
	}()
	if o.Storage, err = files.OpenStorage(cfg); err != nil {
		return nil, err
	}
	if s3, ok := o.Storage.(*files.S3); ok {
		o.Readiness = append(o.Readiness, server.ReadinessCheck{Name: "object_storage", Check: s3.Ping})
	}
	if cfg.RedisURL == "" {
		return closeAll, nil
	}
	if o.Redis, err = redisconn.Open(ctx, cfg.RedisURL); err != nil {
		return nil, err
	}
	closers = append(closers, func() { _ = o.Redis.Close() }) // at exit; nothing left to report to
	o.Readiness = append(o.Readiness, server.ReadinessCheck{Name: "redis", Check: o.Redis.Ping})
	bus, err := notify.NewRedis(ctx, o.Redis.Client(), o.Redis.Prefix(), log)
	if err != nil {
		return nil, err
	}
	o.Bus = bus
	closers = append(closers, func() { _ = bus.Close() })
	return closeAll, nil
}

// announce tells running servers that topic changed, when they share
// LEOC_REDIS_URL; it reports whether they were told.
func announce(ctx context.Context, cfg *config.Config, topic string) (bool, error) {
	if cfg.RedisURL == "" {
		return false, nil
	}
	conn, err := redisconn.Open(ctx, cfg.RedisURL)
	if err != nil {
		return false, err
	}
	defer conn.Close()
	bus, err := notify.NewRedis(ctx, conn.Client(), conn.Prefix(), slog.New(slog.DiscardHandler))
	if err != nil {
		return false, err
	}
	defer bus.Close()
	return true, bus.Publish(ctx, topic)
}

// announceFromEnv is announce with the command's configuration.
func announceFromEnv(ctx context.Context, env Env, topic string) (bool, error) {
	cfg, err := loadConfig(env)
	if err != nil {
		return false, err
	}
	return announce(ctx, cfg, topic)
}

// filesMigrate is "leoc files migrate --to s3://…".
func filesMigrate(fs *flag.FlagSet) func(context.Context, Env, []string) error {
	to := fs.String("to", "", "the s3://BUCKET?endpoint=HOST:PORT URL to copy the stored files to (keys from LEOC_S3_ACCESS_KEY, LEOC_S3_SECRET_KEY)")
	return func(ctx context.Context, env Env, _ []string) error {
		if *to == "" {
			return &usageError{msg: "files migrate: --to is required"}
		}
		cfg, err := loadConfig(env)
		if err != nil {
			return err
		}
		if cfg.S3AccessKey == "" || cfg.S3SecretKey == "" {
			return errors.New("files migrate: set LEOC_S3_ACCESS_KEY and LEOC_S3_SECRET_KEY to the bucket's key pair")
		}
		dst, err := files.OpenS3URL(*to, cfg.S3AccessKey, cfg.S3SecretKey)
		if err != nil {
			return err
		}
		return withStore(ctx, env, func(st *store.Store) error {
			return migrateFiles(ctx, st, files.Local{Dir: cfg.UploadDir}, dst, env.Stdout)
		})
	}
}

// migrateFiles copies every stored file from src to dst, checking each
// copy's size against the database. It can be run again at any time: a
// file already in dst with the right size is skipped, so an interrupted
// migration resumes, and a run after the last upload before the switch
// copies only what is new. Local files are left in place; remove them once
// the servers run with LEOC_STORAGE_URL.
func migrateFiles(ctx context.Context, st *store.Store, src files.Storage, dst *files.S3, out io.Writer) error {
	var copied, skipped, missing int
	var bytes int64
	for after := int64(0); ; {
		page, err := st.StoredAttachments(ctx, after, 200)
		if err != nil {
			return err
		}
		if len(page) == 0 {
			break
		}
		for _, a := range page {
			after = a.ID
			if n, err := dst.Size(ctx, a.StorageKey); err == nil && n == a.Size {
				skipped++
				continue
			} else if err == nil {
				// A partial copy from an older tool: replace it.
				if err := dst.Delete(ctx, a.StorageKey); err != nil {
					return err
				}
			} else if !errors.Is(err, fs.ErrNotExist) {
				return err
			}
			n, err := copyFile(ctx, src, dst, a.StorageKey)
			if errors.Is(err, fs.ErrNotExist) {
				fmt.Fprintf(out, "MISSING file %d of %s #%d (%s): not in the upload directory\n", a.ID, a.Register, a.RecordID, a.Name)
				missing++
				continue
			}
			if err != nil {
				return fmt.Errorf("copy file %d: %w", a.ID, err)
			}
			if n != a.Size {
				_ = dst.Delete(ctx, a.StorageKey) // a wrong copy must not look migrated; the error below is what matters
				return fmt.Errorf("copy file %d: copied %d bytes, the database says %d", a.ID, n, a.Size)
			}
			copied++
			bytes += n
		}
	}
	fmt.Fprintf(out, "copied %d files (%d bytes), %d already there, %d missing\n", copied, bytes, skipped, missing)
	if missing > 0 {
		return fmt.Errorf("files migrate: %d files are missing from the upload directory (listed above)", missing)
	}
	return nil
}

func copyFile(ctx context.Context, src files.Storage, dst files.Storage, key string) (int64, error) {
	r, err := src.Open(ctx, key)
	if err != nil {
		return 0, err
	}
	defer r.Close()
	return dst.Put(ctx, key, r)
}
