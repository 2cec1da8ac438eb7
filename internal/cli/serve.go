package cli

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"runtime/debug"
	"time"

	"leoc/internal/auth"
	"leoc/internal/config"
	"leoc/internal/leoc"
	"leoc/internal/logging"
	"leoc/internal/server"
	"leoc/internal/store"
	"leoc/internal/tiles"
)

func serve(ctx context.Context, env Env, _ []string) error {
	start := time.Now()
	cfg, err := loadConfig(env)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(cfg.DataDir, 0o750); err != nil {
		return fmt.Errorf("create data directory %s: %w", cfg.DataDir, err)
	}
	if err := os.MkdirAll(cfg.UploadDir, 0o750); err != nil {
		return fmt.Errorf("create upload directory %s: %w", cfg.UploadDir, err)
	}
	if cfg.SecretKey == nil {
		if err := config.EnsureDevSecret(cfg, os.ReadFile, os.WriteFile); err != nil {
			return err
		}
	}
	log, closeLog, err := logging.New(logging.Options{Production: cfg.Production(), Level: cfg.LogLevel, File: cfg.LogFile, Stderr: env.Stderr})
	if err != nil {
		return err
	}
	defer closeLog.Close()
	for _, name := range cfg.Unknown {
		log.Warn("unknown configuration variable ignored", "name", name, "hint", config.Suggest(name))
	}
	st, err := openStore(ctx, cfg, log, true)
	if err != nil {
		return err
	}
	defer st.Close()
	if collisions, err := st.HouseholdKeyCollisions(ctx); err != nil {
		return err
	} else if len(collisions) > 0 {
		log.Warn("records share a household key with another record; run leoc migrate to list them", "household_key_collisions", len(collisions))
	}
	if err := firstAdmin(ctx, st, cfg, env); err != nil {
		return err
	}
	cal, err := st.Calendar(ctx)
	if err != nil {
		return err
	}
	var basemap tiles.Source
	if cfg.TilesFile != "" {
		if basemap, err = tiles.Open(cfg.TilesFile); err != nil {
			return fmt.Errorf("LEOC_TILES_FILE: %w", err)
		}
		defer basemap.Close()
		log.Info("offline basemap", "file", cfg.TilesFile, "archive", basemap.Info())
	}
	opts := server.Options{Config: cfg, Store: st, Logger: log, Version: Version, Calendar: cal, Tiles: basemap}
	closeShared, err := scaleOut(ctx, cfg, log, &opts)
	if err != nil {
		return err
	}
	defer closeShared()
	srv, err := server.New(opts)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s (set LEOC_ADDR to another address): %w", cfg.Addr, err)
	}
	if cfg.MetricsAddr != "" {
		mln, err := net.Listen("tcp", cfg.MetricsAddr)
		if err != nil {
			ln.Close()
			return fmt.Errorf("listen on %s (LEOC_METRICS_ADDR): %w", cfg.MetricsAddr, err)
		}
		go serveAdmin(ctx, mln, srv.MetricsHandler(), "metrics", log)
	}
	if cfg.PprofAddr != "" {
		pln, err := net.Listen("tcp", cfg.PprofAddr)
		if err != nil {
			ln.Close()
			return fmt.Errorf("listen on %s (LEOC_PPROF_ADDR): %w", cfg.PprofAddr, err)
		}
		go serveAdmin(ctx, pln, server.PprofHandler(), "pprof", log)
	}
	log.Info("LEOC started", "addr", ln.Addr().String(), "env", cfg.Env, "database", st.Dialect(), "sqlite_synchronous", sqliteSync(cfg),
		"secret_key_source", cfg.SecretKeySource, "redis", cfg.RedisURL != "", "object_storage", cfg.StorageURL != "", "version", Version, "startup_ms", time.Since(start).Milliseconds())
	if env.Ready != nil {
		env.Ready(ln.Addr().String())
	}
	return srv.Serve(ctx, ln)
}

// serveAdmin runs an admin listener (LEOC_METRICS_ADDR: /metrics only;
// LEOC_PPROF_ADDR: the profiler only) until ctx ends; a failure there is
// logged and never stops LEOC.
func serveAdmin(ctx context.Context, ln net.Listener, h http.Handler, name string, log *slog.Logger) {
	hs := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		<-ctx.Done()
		hs.Close()
	}()
	log.Info(name+" listener started", "addr", ln.Addr().String())
	if err := hs.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Error(name+" listener stopped", "err", err)
	}
}

// sqliteSync is the synchronous mode worth logging: only SQLite has one.
func sqliteSync(cfg *config.Config) string {
	if cfg.Driver() != "sqlite" {
		return ""
	}
	return cfg.SQLiteSynchronous
}

// firstAdmin makes a new instance usable at once: when there is no account,
// it creates "admin" with a random password and prints it a single time.
func firstAdmin(ctx context.Context, st *store.Store, cfg *config.Config, env Env) error {
	n, err := st.CountUsers(ctx)
	if err != nil || n > 0 {
		return err
	}
	password, err := auth.RandomPassword()
	if err != nil {
		return err
	}
	hash, err := auth.HashPassword(password)
	if err != nil {
		return err
	}
	u := &leoc.User{Username: "admin", Role: leoc.RoleAdmin}
	if err := st.CreateUser(ctx, store.SystemActor, u, hash); err != nil {
		return fmt.Errorf("create first admin: %w", err)
	}
	url := cfg.BaseURL
	if url == "" {
		url = "http://" + displayAddr(cfg.Addr)
	}
	// The argon2id hash above took 19 MiB; give it back to the OS now rather
	// than letting an idle server sit on it.
	debug.FreeOSMemory()
	fmt.Fprintf(env.Stdout, `
  LEOC is ready. Log in at %s/login
    username: admin
    password: %s
  This password is shown only once. Change it after logging in (My account).

`, url, password)
	return nil
}

// displayAddr turns a listen address into one a browser can open.
func displayAddr(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return addr
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "localhost"
	}
	return net.JoinHostPort(host, port)
}
