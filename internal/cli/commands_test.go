package cli

import (
	"database/sql"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"leoc/internal/store/storetest"
)

// requiredArgs fills a command's positional arguments, so that one more is
// a stray one.
func requiredArgs(c command) []string {
	out := []string{}
	for range max(c.args, 0) {
		out = append(out, "some-file.json")
	}
	return out
}

// TestEveryCommandRefusesUnknownFlagsAndStrayArguments: "leoc audit verify
// --anything" used to be accepted. Now every command refuses an unknown flag
// and an argument it does not take with its usage and exit code 2, before
// touching any database.
func TestEveryCommandRefusesUnknownFlagsAndStrayArguments(t *testing.T) {
	in := newInstance(t)
	for _, c := range commands() {
		words := strings.Fields(c.words)
		args := append(append(append([]string{}, words...), "--anything"), requiredArgs(c)...)
		code, _, errs := in.run("", args...)
		if code != 2 || !strings.Contains(errs, "flag provided but not defined: -anything") || !strings.Contains(errs, "Usage: "+c.line()) {
			t.Errorf("leoc %s: exit %d, stderr:\n%s\nwant exit 2, the unknown flag named and the command's usage", strings.Join(args, " "), code, errs)
		}
		if c.args < 0 {
			continue // date to-bs/to-ad take any number of dates; help any command name
		}
		args = append(append(append([]string{}, words...), requiredArgs(c)...), "stray")
		code, _, errs = in.run("", args...)
		if code != 2 || !strings.Contains(errs, `unexpected argument "stray"`) || !strings.Contains(errs, "Usage: "+c.line()) {
			t.Errorf("leoc %s: exit %d, stderr:\n%s\nwant exit 2 and the command's usage", strings.Join(args, " "), code, errs)
		}
	}
	if _, err := os.Stat(filepath.Join(in.dir, "data")); !os.IsNotExist(err) {
		t.Errorf("refused commands touched the data directory: %v", err)
	}
	if code, _, errs := in.run("", "audit", "verify", "--anything"); code != 2 || !strings.Contains(errs, "Usage: leoc audit verify") {
		t.Errorf("leoc audit verify --anything: %d %s", code, errs)
	}
	if code, _, errs := in.run("", "calendar", "import"); code != 2 || !strings.Contains(errs, "calendar import needs FILE") {
		t.Errorf("leoc calendar import without FILE: %d %s", code, errs)
	}
	if code, _, errs := in.run("", "user"); code != 2 || !strings.Contains(errs, "user needs one of: add, passwd, disable, enable, unlock, grant-personal, revoke-personal, list") {
		t.Errorf("leoc user: %d %s", code, errs)
	}
	if code, _, errs := in.run("", "frobnicate"); code != 2 || !strings.Contains(errs, `unknown command "frobnicate"`) {
		t.Errorf("leoc frobnicate: %d %s", code, errs)
	}
}

// TestHelpListsEveryCommandAndItsFlags: leoc --help and leoc help list
// every command with its flags; leoc CMD --help shows one command's flags;
// every flag a command declares is in its synopsis; and the README lists
// each command as the help does.
func TestHelpListsEveryCommandAndItsFlags(t *testing.T) {
	in := newInstance(t)
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"--help"}, {"help"}, {"-h"}} {
		code, out, _ := in.run("", args...)
		if code != 0 {
			t.Errorf("leoc %s: exit %d", args[0], code)
		}
		for _, c := range commands() {
			if !strings.Contains(out, c.line()+"\n") {
				t.Errorf("leoc %s does not list %q", args[0], c.line())
			}
		}
	}
	for _, c := range commands() {
		fs, _ := c.flagSet()
		fs.VisitAll(func(f *flag.Flag) {
			if !strings.Contains(" "+c.synopsis+" ", " --"+f.Name+" ") && !strings.Contains(c.synopsis, "[--"+f.Name+" ") && !strings.Contains(c.synopsis, "[--"+f.Name+"]") {
				t.Errorf("leoc %s: flag --%s is missing from the synopsis %q", c.words, f.Name, c.synopsis)
			}
		})
		for _, args := range [][]string{append(strings.Fields(c.words), "--help"), append([]string{"help"}, strings.Fields(c.words)...)} {
			code, out, errs := in.run("", args...)
			if code != 0 || !strings.HasPrefix(out, "Usage: "+c.line()+"\n") {
				t.Errorf("leoc %s: exit %d\n%s%s", strings.Join(args, " "), code, out, errs)
			}
			fs.VisitAll(func(f *flag.Flag) {
				if !strings.Contains(out, "-"+f.Name) {
					t.Errorf("leoc %s does not explain -%s", strings.Join(args, " "), f.Name)
				}
			})
		}
		if !strings.Contains(string(readme), c.line()) {
			t.Errorf("README.md does not list %q", c.line())
		}
	}
	if code, out, _ := in.run("", "user", "--help"); code != 0 || !strings.Contains(out, "Usage: leoc user add") || !strings.Contains(out, "Usage: leoc user list") {
		t.Errorf("leoc user --help: %d %s", code, out)
	}
}

// TestCommandsDoNotCreateADatabase: run in the wrong folder, a command other
// than serve, migrate and demo says where it looked and how to point it at
// the right database, and leaves no ./leoc-data behind.
func TestCommandsDoNotCreateADatabase(t *testing.T) {
	in := newInstance(t)
	dataDir := filepath.Join(in.dir, "data")
	for _, args := range [][]string{
		{"user", "add", "--username", "ram", "--role", "officer", "--password-stdin"},
		{"user", "passwd", "--username", "ram", "--password-stdin"},
		{"user", "disable", "--username", "ram"},
		{"user", "enable", "--username", "ram"},
		{"user", "list"},
		{"token", "create", "--user", "ram"},
		{"token", "revoke", "--id", "1"},
		{"token", "list"},
		{"unlock-key", "set", "--stdin"},
		{"audit", "verify"},
		{"files", "purge", "--dry-run"},
		{"calendar", "export"},
		{"backup", "--to", filepath.Join(in.dir, "backup.tar.gz")},
	} {
		code, _, errs := in.run("a-long-password-1\n", args...)
		if code != 1 || !strings.Contains(errs, "no LEOC database at "+filepath.Join(dataDir, "leoc.db")) ||
			!strings.Contains(errs, "LEOC_DATA_DIR") || !strings.Contains(errs, "LEOC_DATABASE_URL") {
			t.Errorf("leoc %s without a database: exit %d\n%s", strings.Join(args, " "), code, errs)
		}
	}
	if _, err := os.Stat(dataDir); !os.IsNotExist(err) {
		t.Fatalf("a command created the data directory: %v", err)
	}
	// Once migrate has made it, the same command works.
	in.migrate()
	if code, out, errs := in.run("", "user", "list"); code != 0 || !strings.Contains(out, "USERNAME") {
		t.Fatalf("user list after migrate: %d %s %s", code, out, errs)
	}
}

// TestCommandsRefuseAnUnmigratedPostgreSQL: on PostgreSQL an empty schema is
// refused with the URL (without its password) and the hint, and nothing is
// written to it.
func TestCommandsRefuseAnUnmigratedPostgreSQL(t *testing.T) {
	url := storetest.PostgresURL(t)
	in := newInstance(t, "LEOC_DATABASE_URL="+url)
	code, _, errs := in.run("a-long-password-1\n", "user", "add", "--username", "ram", "--role", "officer", "--password-stdin")
	if code != 1 || !strings.Contains(errs, "is not a LEOC database yet") || !strings.Contains(errs, "postgres://") || !strings.Contains(errs, "leoc migrate") {
		t.Fatalf("user add on an empty schema: %d %s", code, errs)
	}
	db, err := sql.Open("pgx", url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var tables int
	if err := db.QueryRow("SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema()").Scan(&tables); err != nil || tables != 0 {
		t.Fatalf("the refused command left %d tables (%v)", tables, err)
	}
	in.migrate()
	if code, _, errs := in.run("a-long-password-1\n", "user", "add", "--username", "ram", "--role", "officer", "--password-stdin"); code != 0 {
		t.Fatalf("user add after migrate: %d %s", code, errs)
	}
}
