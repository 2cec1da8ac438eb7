// Package cli is the leoc command: serve, migrate, user, token, unlock-key,
// audit, date, healthcheck, version. Every subcommand reads the same
// configuration as serve, so scripts act on the same database.
package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"leoc/internal/config"
	"leoc/internal/store"
)

// Version is stamped at build time with -ldflags "-X leoc/internal/cli.Version=…".
var Version = "dev"

// Env is the outside world of one run: arguments aside, everything a
// command may touch, so tests can run commands in-process.
type Env struct {
	Environ  []string // os.Environ()
	Stdin    io.Reader
	Stdout   io.Writer
	Stderr   io.Writer
	ReadFile func(string) ([]byte, error)
	// Ready, when set, receives the listening address once serve accepts
	// connections (tests use it).
	Ready func(addr string)
}

// OSEnv is the real environment.
func OSEnv() Env {
	return Env{Environ: os.Environ(), Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, ReadFile: os.ReadFile}
}

// usageError makes Run print the usage and exit 2: the command's own when
// cmd is set, else the whole list.
type usageError struct {
	msg string
	cmd *command
}

func (e *usageError) Error() string { return e.msg }

// Run runs the command line and returns the exit code.
func Run(ctx context.Context, args []string, env Env) int {
	if len(args) == 0 {
		fmt.Fprint(env.Stderr, usageText())
		return 2
	}
	err := dispatch(ctx, args, env)
	if err == nil {
		return 0
	}
	var ue *usageError
	if errors.As(err, &ue) {
		fmt.Fprintf(env.Stderr, "leoc: %s\n\n", ue.msg)
		if ue.cmd != nil {
			ue.cmd.help(env.Stderr)
		} else {
			fmt.Fprint(env.Stderr, usageText())
		}
		return 2
	}
	var ex *exitError
	if errors.As(err, &ex) {
		if ex.msg != "" {
			fmt.Fprintln(env.Stderr, "leoc: "+ex.msg)
		}
		return ex.code
	}
	fmt.Fprintln(env.Stderr, "leoc: "+err.Error())
	return 1
}

// exitError ends a command with a specific code after it printed its own
// report.
type exitError struct {
	code int
	msg  string
}

func (e *exitError) Error() string { return e.msg }

func dispatch(ctx context.Context, args []string, env Env) error {
	switch args[0] {
	case "--help", "-h", "-help":
		fmt.Fprint(env.Stdout, usageText())
		return nil
	case "--version", "-v":
		return version(ctx, env, nil)
	}
	c, rest, ok := find(args)
	if ok {
		return runCommand(ctx, c, rest, env)
	}
	subs := commandsStarting(args[0])
	if len(subs) == 0 {
		return &usageError{msg: fmt.Sprintf("unknown command %q", args[0])}
	}
	if len(args) > 1 && (args[1] == "--help" || args[1] == "-h" || args[1] == "help") {
		for _, c := range commands() {
			if strings.HasPrefix(c.words, args[0]+" ") {
				c.help(env.Stdout)
				fmt.Fprintln(env.Stdout)
			}
		}
		return nil
	}
	return &usageError{msg: fmt.Sprintf("%s needs one of: %s", args[0], strings.Join(subs, ", "))}
}

// loadConfig reads and validates the configuration.
func loadConfig(env Env) (*config.Config, error) {
	cfg, err := config.LoadEnvironment(env.Environ, env.ReadFile)
	if err != nil {
		return nil, fmt.Errorf("configuration:\n%w", err)
	}
	return cfg, nil
}

// openStore opens the configured database, creating and migrating it when
// needed. Only serve, migrate and demo use it: every other command works on
// an existing database (openExisting). seal false leaves an old plain audit
// trail as it is (audit verify only reads).
func openStore(ctx context.Context, cfg *config.Config, log *slog.Logger, seal bool) (*store.Store, error) {
	if cfg.Driver() == "sqlite" {
		if err := os.MkdirAll(cfg.DataDir, 0o750); err != nil {
			return nil, fmt.Errorf("create data directory %s: %w", cfg.DataDir, err)
		}
	}
	keys, err := auditKeys(cfg)
	if err != nil {
		return nil, err
	}
	if cfg.MigrateDatabaseURL != "" {
		if err := migrateAsOwner(ctx, cfg, keys); err != nil {
			return nil, err
		}
	}
	st, err := store.Open(ctx, cfg.DatabaseURL, store.SQLiteSynchronous(cfg.SQLiteSynchronous))
	if err != nil {
		return nil, err
	}
	if err := prepare(ctx, cfg, st, keys, log, seal); err != nil {
		st.Close()
		return nil, err
	}
	return st, nil
}

// openExisting opens the configured database only if it is a LEOC
// database already: run in the wrong folder, "leoc user add" must not
// quietly make an empty ./leoc-data and add the user there. The error says
// where it looked and how to point it at the right place. An existing
// database of an older schema is migrated, as serve would.
func openExisting(ctx context.Context, cfg *config.Config, log *slog.Logger, seal bool) (*store.Store, error) {
	where := databaseDescription(cfg)
	if cfg.Driver() == "sqlite" {
		if _, err := os.Stat(cfg.SQLitePath()); errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("no LEOC database at %s.\n%s", where, wrongPlaceHint)
		}
	}
	st, err := store.Open(ctx, cfg.DatabaseURL, store.SQLiteSynchronous(cfg.SQLiteSynchronous))
	if err != nil {
		return nil, fmt.Errorf("open the database at %s: %w", where, err)
	}
	v, err := st.AppliedVersion(ctx)
	if err != nil {
		st.Close()
		return nil, err
	}
	if v == 0 {
		st.Close()
		return nil, fmt.Errorf("the database at %s is not a LEOC database yet (its schema is not migrated).\n%s", where, wrongPlaceHint)
	}
	keys, err := auditKeys(cfg)
	if err == nil && cfg.MigrateDatabaseURL != "" {
		err = migrateAsOwner(ctx, cfg, keys)
	}
	if err == nil {
		err = prepare(ctx, cfg, st, keys, log, seal)
	}
	if err != nil {
		st.Close()
		return nil, err
	}
	return st, nil
}

// prepare gives an opened store its audit keys and edit window, brings its
// schema up to date (or checks it, when an owner role migrates) and seals an
// audit trail written before keyed links.
func prepare(ctx context.Context, cfg *config.Config, st *store.Store, keys *store.AuditKeys, log *slog.Logger, seal bool) error {
	st.SetAuditKeys(keys)
	st.SetEditWindow(cfg.EditWindow)
	// List cursors are sealed with a key from the secret, so a cursor one
	// replica gave is read by the others and after a restart.
	if cfg.SecretKey != nil {
		if err := st.SetCursorKey(cfg.SecretKey); err != nil {
			return err
		}
	}
	var err error
	if cfg.MigrateDatabaseURL != "" {
		err = st.CheckSchema(ctx)
	} else {
		_, err = st.Migrate(ctx)
	}
	if err == nil && seal {
		err = sealAudit(ctx, st, log)
	}
	return err
}

const wrongPlaceHint = `Run the command in the folder where "leoc serve" runs, or point it at the database with
LEOC_DATA_DIR=/path/to/leoc-data (SQLite) or LEOC_DATABASE_URL=postgres://… (the same settings
as the server, e.g. from its .env). To start a new database on purpose, run "leoc migrate" first.`

// databaseDescription says which database the configuration names, for
// people: the absolute SQLite path and how it was chosen, or the
// PostgreSQL URL without its password.
func databaseDescription(cfg *config.Config) string {
	if cfg.Driver() != "sqlite" {
		return store.RedactURL(cfg.DatabaseURL) + " (LEOC_DATABASE_URL)"
	}
	path := cfg.SQLitePath()
	if abs, err := filepath.Abs(path); err == nil {
		path = abs
	}
	if cfg.DatabaseURL == "sqlite://"+filepath.Join(cfg.DataDir, "leoc.db") {
		return path + " (LEOC_DATA_DIR=" + cfg.DataDir + ")"
	}
	return path + " (LEOC_DATABASE_URL)"
}

// readSecretLine reads one line (a password or key) from r, without the
// line ending.
func readSecretLine(r io.Reader) (string, error) {
	line, err := bufio.NewReader(r).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("read standard input: %w", err)
	}
	line = strings.TrimRight(line, "\r\n")
	if line == "" {
		return "", errors.New("nothing was read from standard input")
	}
	return line, nil
}

// auditKeys derives the audit keys from LEOC_AUDIT_KEY or the secret key. A
// development machine without either gets the generated data-directory key,
// as serve does, so every command links entries with the same key.
func auditKeys(cfg *config.Config) (*store.AuditKeys, error) {
	if cfg.AuditSecret() == nil {
		if err := os.MkdirAll(cfg.DataDir, 0o750); err != nil {
			return nil, fmt.Errorf("create data directory %s: %w", cfg.DataDir, err)
		}
		if err := config.EnsureDevSecret(cfg, os.ReadFile, os.WriteFile); err != nil {
			return nil, err
		}
	}
	return store.DeriveAuditKeys(cfg.AuditSecret())
}

// migrateAsOwner runs the migrations as the owner role, then grants the
// application's role row access only (docs/audit.md).
func migrateAsOwner(ctx context.Context, cfg *config.Config, keys *store.AuditKeys) error {
	owner, err := store.Open(ctx, cfg.MigrateDatabaseURL)
	if err != nil {
		return fmt.Errorf("LEOC_MIGRATE_DATABASE_URL: %w", err)
	}
	defer owner.Close()
	owner.SetAuditKeys(keys)
	if _, err := owner.Migrate(ctx); err != nil {
		return err
	}
	app, err := store.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return err
	}
	defer app.Close()
	role, err := app.CurrentRole(ctx)
	if err != nil {
		return err
	}
	return owner.GrantApp(ctx, role)
}

// sealAudit seals an old plain SHA-256 trail and warns when the newest entry
// does not verify under the configured key (a changed LEOC_SECRET_KEY
// without LEOC_AUDIT_KEY, or an altered entry).
func sealAudit(ctx context.Context, st *store.Store, log *slog.Logger) error {
	seal, err := st.SealLegacyAudit(ctx, store.SystemActor)
	if err != nil {
		return err
	}
	if seal.Sealed {
		log.Warn("audit trail sealed: its older entries have plain SHA-256 links; from now on every link is keyed",
			"plain_entries", seal.PlainEntries, "plain_chain_problem", seal.Problem)
		return nil
	}
	kind, err := st.AuditHeadKind(ctx)
	if err != nil {
		return err
	}
	if kind == "" {
		log.Error("the newest audit entry does not verify with the configured audit key: if LEOC_SECRET_KEY was changed, " +
			"set LEOC_AUDIT_KEY to the old key; otherwise run leoc audit verify")
	}
	return nil
}
