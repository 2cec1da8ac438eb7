package backup

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"strings"

	_ "github.com/jackc/pgx/v5/stdlib" // registers "pgx"
)

// PostgreSQL is backed up with pg_dump and restored with pg_restore from
// the PostgreSQL client tools (Debian: postgresql-client, the same major
// version as the server or newer). pg_dump reads the whole database in one
// REPEATABLE READ transaction, so the dump is one consistent instant while
// LEOC keeps writing.

// libpq turns a LEOC database URL (pgx) into what the libpq tools accept:
// the password moves to PGPASSWORD (never on a command line other users can
// read), and pgx's search_path parameter becomes the schema to dump and a
// server option for restore.
func libpq(raw string) (conn, schema string, env []string, err error) {
	u, err := url.Parse(raw)
	if err != nil {
		return "", "", nil, fmt.Errorf("backup: bad PostgreSQL URL")
	}
	env = os.Environ()
	if u.User != nil {
		if p, ok := u.User.Password(); ok {
			env = append(env, "PGPASSWORD="+p)
		}
		u.User = url.User(u.User.Username())
	}
	q := u.Query()
	if sp := q.Get("search_path"); sp != "" {
		schema = strings.TrimSpace(strings.Split(sp, ",")[0])
		q.Del("search_path")
		q.Set("options", "-csearch_path="+schema)
	}
	u.RawQuery = q.Encode()
	return u.String(), schema, env, nil
}

// DumpPostgres writes a pg_dump custom-format archive of the database (only
// its schema when the URL names one) to dest.
func DumpPostgres(ctx context.Context, rawURL, dest string) error {
	conn, schema, env, err := libpq(rawURL)
	if err != nil {
		return err
	}
	args := []string{"--format=custom", "--no-owner", "--no-privileges", "--file=" + dest}
	if schema != "" {
		args = append(args, "--schema="+schema)
	}
	return run(ctx, env, "pg_dump", append(args, "--dbname="+conn)...)
}

// RestorePostgres loads a pg_dump archive into the database in one
// transaction: all or nothing. Objects of the archive that exist are
// dropped first (--clean), which an empty database or schema does not
// notice and which --force relies on.
func RestorePostgres(ctx context.Context, rawURL, dump string) error {
	conn, _, env, err := libpq(rawURL)
	if err != nil {
		return err
	}
	if err := createExtensions(ctx, rawURL); err != nil {
		return err
	}
	return run(ctx, env, "pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction",
		"--clean", "--if-exists", "--dbname="+conn, dump)
}

// createExtensions makes the extensions the schema's indexes use (pg_trgm,
// migration 0025) in the target database: a dump of one schema does not
// carry them, and a restore into a new database would stop at the first
// search index.
func createExtensions(ctx context.Context, rawURL string) error {
	db, err := sql.Open("pgx", rawURL)
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, "CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public"); err != nil {
		return fmt.Errorf("backup: create extension pg_trgm in the target database: %w", err)
	}
	return nil
}

func run(ctx context.Context, env []string, name string, args ...string) error {
	if _, err := exec.LookPath(name); err != nil {
		return fmt.Errorf("backup: %s not found: install the PostgreSQL client tools (Debian: apt-get install postgresql-client) of the server's major version or newer", name)
	}
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Env = env
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("backup: %s: %w: %s", name, err, strings.TrimSpace(stderr.String()))
	}
	return nil
}
