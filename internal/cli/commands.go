package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"
)

// command is one leoc command line: its words, what it takes and what it
// does. The table below is the one list the usage text, `leoc help`,
// `leoc CMD --help` and the tests read, so a command cannot be added
// without its help.
type command struct {
	words    string // "user add"
	synopsis string // flags and arguments as the README writes them
	summary  string
	// args is how many positional arguments it takes: exactly n, or any
	// number when n < 0.
	args int
	// setup declares the command's flags on fs and returns what runs once
	// they are parsed, with the positional arguments.
	setup func(fs *flag.FlagSet) func(ctx context.Context, env Env, args []string) error
}

func noFlags(run func(ctx context.Context, env Env, args []string) error) func(*flag.FlagSet) func(context.Context, Env, []string) error {
	return func(*flag.FlagSet) func(context.Context, Env, []string) error { return run }
}

// commands lists every command in the order the usage shows them.
func commands() []command {
	return []command{
		{words: "serve", summary: "run the web server (creates and migrates the database when needed)", setup: noFlags(serve)},
		{words: "migrate", summary: "create or migrate the database (serve also does this on start)", setup: noFlags(migrate)},
		{words: "user add", synopsis: "--username NAME --role admin|officer|finance|viewer [--display-name TEXT] [--wards 1,2] [--can-unlock] [--see-all-personal] --password-stdin",
			summary: "add a user; the password is read from standard input", setup: userAdd},
		{words: "user passwd", synopsis: "--username NAME --password-stdin", summary: "set a user's password (read from standard input); ends their sessions and revokes their API tokens", setup: userPasswd},
		{words: "user disable", synopsis: "--username NAME", summary: "disable a user", setup: userEnable(true)},
		{words: "user enable", synopsis: "--username NAME", summary: "enable a disabled user", setup: userEnable(false)},
		{words: "user unlock", synopsis: "--username NAME", summary: "clear the sign-in throttle of an account, from every address (audited)", setup: userUnlock},
		{words: "user grant-personal", synopsis: "--username NAME", summary: "let a user see the personal data of every ward (audited; docs/security.md)", setup: userSeeAll(true)},
		{words: "user revoke-personal", synopsis: "--username NAME", summary: "take that back: personal data by role and wards only (audited)", setup: userSeeAll(false)},
		{words: "user list", summary: "list the users", setup: noFlags(userList)},
		{words: "token create", synopsis: "--user NAME [--name TEXT]", summary: "create an API token; prints only the token, once", setup: tokenCreate},
		{words: "token revoke", synopsis: "--id ID", summary: "revoke an API token", setup: tokenRevoke},
		{words: "token list", synopsis: "[--user NAME]", summary: "list API tokens", setup: tokenList},
		{words: "unlock-key set", synopsis: "[--stdin]", summary: "set the record unlock key (prompted twice, or one line on stdin)", setup: unlockKeySet},
		{words: "audit verify", synopsis: "[--checkpoint FILE]", summary: "check the audit trail's keyed links (and against saved checkpoints); exit 1 and the first bad entry if broken", setup: auditVerify},
		{words: "audit checkpoint", summary: "record and print a signed checkpoint (also appended to LEOC_LOG_FILE)", setup: noFlags(auditCheckpoint)},
		{words: "audit pubkey", summary: "print the public key that checks signed checkpoints", setup: noFlags(auditPubkey)},
		{words: "stock verify", summary: "recompute the relief store's balances from the stock ledger; exit 1 and the first difference if they disagree", setup: noFlags(stockVerify)},
		{words: "files purge", synopsis: "[--dry-run]", summary: "delete the stored files of removed records (audited)", setup: filesPurge},
		{words: "backup", synopsis: "--to FILE", summary: "write a consistent backup of the running instance: database, uploads and a manifest with checksums (docs/deploy.md)", setup: backupCreate},
		{words: "backup verify", synopsis: "FILE", args: 1, summary: "check a backup's checksums (and, for SQLite, the database's integrity); exit 1 if damaged", setup: noFlags(backupVerify)},
		{words: "restore", synopsis: "--from FILE [--force]", summary: "restore a backup into an empty data directory or database (stop LEOC first)", setup: restoreCommand},
		{words: "files migrate", synopsis: "--to s3://BUCKET?endpoint=HOST:PORT", summary: "copy every stored file from the upload directory to an S3 bucket, checking sizes; safe to repeat (docs/scale-out.md)", setup: filesMigrate},
		{words: "calendar import", synopsis: "FILE", args: 1, summary: "import a newer official BS month-length table (see docs/calendar.md)", setup: noFlags(calendarImport)},
		{words: "calendar export", summary: "print the month-length table in force", setup: noFlags(calendarExport)},
		{words: "boundary import", synopsis: "FILE", args: 1, summary: "import the municipality boundary (GeoJSON, WGS84) used by the CAP feed", setup: noFlags(boundaryImport)},
		{words: "import-legacy", synopsis: "--from OLD.db [--uploads DIR] [--dry-run] [--lang en|ne]",
			summary: "import an old Flask LEOC database, all or nothing, with a report (docs/migrate-from-flask.md)", setup: importLegacy},
		{words: "wards import", synopsis: "FILE --number-property NAME [--partial]", args: -1, summary: "import the ward polygons (GeoJSON FeatureCollection, WGS84) for the map and ward-from-coordinates; every ward of settings unless --partial", setup: wardsImport},
		{words: "demo", synopsis: "[--incidents N] [--distributions N] [--seed S] [--record-by-record]", summary: "fill a development database with coherent made-up records (not in production; from 20,000 distributions on in bulk)", setup: demoCommand},
		{words: "bench", synopsis: "[--distributions N] [--incidents N] [--duration 5s] [--connections 1,32] [--only WORDS] [--json] [--seed S] [--cpuprofile FILE]",
			summary: "load benchmark: fill an empty development database with demo data, serve it in process and measure req/s, p50 and p99 of lists, search, statistics and creates (docs/performance.md)", setup: benchCommand},
		{words: "date to-bs", synopsis: "[DATE…]", args: -1, summary: "convert AD dates to BS (one per line on stdin when no arguments)", setup: noFlags(dateConvert(true))},
		{words: "date to-ad", synopsis: "[DATE…]", args: -1, summary: "convert BS dates to AD (one per line on stdin when no arguments)", setup: noFlags(dateConvert(false))},
		{words: "healthcheck", summary: "exit 0 when /health answers 200 at LEOC_ADDR (for container health checks)", setup: noFlags(healthcheck)},
		{words: "version", summary: "print the version", setup: noFlags(version)},
		{words: "help", synopsis: "[COMMAND]", args: -1, summary: "show this help, or one command's flags", setup: noFlags(help)},
	}
}

// line is the command as the usage lists it: "leoc user add --username …".
func (c command) line() string {
	return strings.TrimSpace("leoc " + c.words + " " + c.synopsis)
}

// usageText is the whole usage: every command with its flags.
func usageText() string {
	var b strings.Builder
	b.WriteString("leoc — records system of a Local Emergency Operations Centre\n\nUsage:\n")
	for _, c := range commands() {
		fmt.Fprintf(&b, "  %s\n      %s\n", c.line(), c.summary)
	}
	b.WriteString(`
"leoc COMMAND --help" shows one command's flags. Every command reads the same
configuration as serve: LEOC_* environment variables and ./.env (see README);
LEOC_DATA_DIR or LEOC_DATABASE_URL choose the database.
`)
	return b.String()
}

// find picks the command named by the first words of args and returns it
// with the words that follow.
func find(args []string) (command, []string, bool) {
	var best command
	var rest []string
	found := false
	for _, c := range commands() {
		words := strings.Fields(c.words)
		if len(args) >= len(words) && strings.Join(args[:len(words)], " ") == c.words &&
			(!found || len(words) > len(strings.Fields(best.words))) {
			best, rest, found = c, args[len(words):], true
		}
	}
	return best, rest, found
}

// commandsStarting lists the commands whose first word is w, for the
// message when the second word is missing or wrong.
func commandsStarting(w string) []string {
	var out []string
	for _, c := range commands() {
		if first, sub, ok := strings.Cut(c.words, " "); ok && first == w {
			out = append(out, sub)
		}
	}
	return out
}

// flagSet makes the flag set of a command; parse errors are reported by
// Run with the usage, not by the flag package.
func (c command) flagSet() (*flag.FlagSet, func(context.Context, Env, []string) error) {
	fs := flag.NewFlagSet("leoc "+c.words, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	return fs, c.setup(fs)
}

// help writes the usage of one command with its flags, or of them all.
func (c command) help(w io.Writer) {
	fs, _ := c.flagSet()
	fmt.Fprintf(w, "Usage: %s\n  %s\n", c.line(), c.summary)
	n := 0
	fs.VisitAll(func(*flag.Flag) { n++ })
	if n > 0 {
		fmt.Fprintln(w, "\nFlags:")
		fs.SetOutput(w)
		fs.PrintDefaults()
	}
}

// runCommand parses a command's flags and arguments strictly: an unknown
// flag, a missing flag value or a stray argument is a usage error (exit 2),
// never silently ignored.
func runCommand(ctx context.Context, c command, args []string, env Env) error {
	fs, run := c.flagSet()
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			c.help(env.Stdout)
			return nil
		}
		return &usageError{msg: c.words + ": " + err.Error(), cmd: &c}
	}
	rest := fs.Args()
	switch {
	case c.args >= 0 && len(rest) > c.args:
		msg := fmt.Sprintf("%s: unexpected argument %q", c.words, rest[c.args])
		if strings.HasPrefix(rest[c.args], "-") {
			msg += " (flags go before the arguments)"
		}
		return &usageError{msg: msg, cmd: &c}
	case c.args > 0 && len(rest) < c.args:
		return &usageError{msg: fmt.Sprintf("%s needs %s", c.words, c.synopsis), cmd: &c}
	}
	return run(ctx, env, rest)
}

func version(_ context.Context, env Env, _ []string) error {
	fmt.Fprintln(env.Stdout, "leoc "+Version)
	return nil
}

// help is "leoc help [COMMAND]".
func help(_ context.Context, env Env, args []string) error {
	if len(args) == 0 {
		fmt.Fprint(env.Stdout, usageText())
		return nil
	}
	c, rest, ok := find(args)
	if !ok || len(rest) > 0 {
		return &usageError{msg: fmt.Sprintf("help: no command %q", strings.Join(args, " "))}
	}
	c.help(env.Stdout)
	return nil
}
