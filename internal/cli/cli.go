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
	"os"
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

// usageError makes Run print the usage and exit 2.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

const usage = `leoc — records system of a Local Emergency Operations Centre

Usage:
  leoc serve                         run the web server
  leoc migrate                       apply database migrations
  leoc user add --username NAME --role ROLE [--display-name TEXT] [--wards 1,2] [--can-unlock] --password-stdin
  leoc user passwd --username NAME --password-stdin
  leoc user disable --username NAME
  leoc user enable --username NAME
  leoc user list
  leoc token create --user NAME [--name TEXT]   prints the token once
  leoc token revoke --id ID
  leoc token list [--user NAME]
  leoc unlock-key set [--stdin]      set the record unlock key (prompted, or read from stdin)
  leoc audit verify                  check the audit trail's hash chain
  leoc files purge [--dry-run]       delete the stored files of removed records
  leoc calendar import FILE          import a newer official BS month-length table
  leoc calendar export               print the month-length table in force
  leoc boundary import FILE          import the municipality boundary (GeoJSON Polygon/MultiPolygon, WGS84)
  leoc date to-bs [DATE…]            convert AD dates to BS (stdin when no arguments)
  leoc date to-ad [DATE…]            convert BS dates to AD (stdin when no arguments)
  leoc demo --incidents N [--seed S] fill the database with N made-up incidents (not in production)
  leoc healthcheck                   exit 0 when /health answers 200 at LEOC_ADDR
  leoc version

Configuration comes from LEOC_* environment variables and ./.env (see README).
`

// Run runs the command line and returns the exit code.
func Run(ctx context.Context, args []string, env Env) int {
	if len(args) == 0 {
		fmt.Fprint(env.Stderr, usage)
		return 2
	}
	err := dispatch(ctx, args, env)
	if err == nil {
		return 0
	}
	var ue *usageError
	if errors.As(err, &ue) {
		fmt.Fprintf(env.Stderr, "leoc: %s\n\n%s", ue.msg, usage)
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
	cmd, rest := args[0], args[1:]
	sub := ""
	if len(rest) > 0 && !strings.HasPrefix(rest[0], "-") {
		sub = rest[0]
	}
	switch cmd {
	case "serve":
		return serve(ctx, rest, env)
	case "migrate":
		return migrate(ctx, rest, env)
	case "user":
		return userCommand(ctx, sub, tail(rest), env)
	case "token":
		return tokenCommand(ctx, sub, tail(rest), env)
	case "unlock-key":
		if sub != "set" {
			return &usageError{"unlock-key needs the subcommand set"}
		}
		return unlockKeySet(ctx, tail(rest), env)
	case "files":
		return filesCommand(ctx, sub, tail(rest), env)
	case "audit":
		if sub != "verify" {
			return &usageError{"audit needs the subcommand verify"}
		}
		return auditVerify(ctx, env)
	case "date":
		return dateCommand(ctx, sub, tail(rest), env)
	case "calendar":
		return calendarCommand(ctx, sub, tail(rest), env)
	case "boundary":
		return boundaryCommand(ctx, sub, tail(rest), env)
	case "demo":
		return demoCommand(ctx, rest, env)
	case "healthcheck":
		return healthcheck(ctx, env)
	case "version", "--version", "-v":
		fmt.Fprintln(env.Stdout, "leoc "+Version)
		return nil
	case "help", "--help", "-h":
		fmt.Fprint(env.Stdout, usage)
		return nil
	}
	return &usageError{fmt.Sprintf("unknown command %q", cmd)}
}

func tail(s []string) []string {
	if len(s) == 0 {
		return nil
	}
	return s[1:]
}

// loadConfig reads and validates the configuration.
func loadConfig(env Env) (*config.Config, error) {
	cfg, err := config.LoadEnvironment(env.Environ, env.ReadFile)
	if err != nil {
		return nil, fmt.Errorf("configuration:\n%w", err)
	}
	return cfg, nil
}

// openStore opens and migrates the configured database.
func openStore(ctx context.Context, cfg *config.Config) (*store.Store, error) {
	if cfg.Driver() == "sqlite" {
		if err := os.MkdirAll(cfg.DataDir, 0o750); err != nil {
			return nil, fmt.Errorf("create data directory %s: %w", cfg.DataDir, err)
		}
	}
	st, err := store.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return nil, err
	}
	if _, err := st.Migrate(ctx); err != nil {
		st.Close()
		return nil, err
	}
	st.SetEditWindow(cfg.EditWindow)
	return st, nil
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
