// Command migconvert turns migrations written in the old per-dialect layout
// (DIR/sqlite/NNNN_name.sql and DIR/postgres/NNNN_name.sql) into one source
// each (DIR/NNNN_name.sql), removing the pair. The result renders back to
// exactly the two old files, or nothing is written for that migration.
//
//	go run ./internal/store/dialectsql/migconvert internal/store/migrations
package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"leoc/internal/store/dialectsql"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: migconvert DIR   (e.g. internal/store/migrations)")
		os.Exit(2)
	}
	if err := convertDir(os.Args[1]); err != nil {
		fmt.Fprintln(os.Stderr, "migconvert:", err)
		os.Exit(1)
	}
}

func convertDir(dir string) error {
	sqliteDir, pgDir := filepath.Join(dir, "sqlite"), filepath.Join(dir, "postgres")
	entries, err := os.ReadDir(sqliteDir)
	if errors.Is(err, fs.ErrNotExist) {
		fmt.Println("nothing to convert: no", sqliteDir)
		return nil
	}
	if err != nil {
		return err
	}
	for _, e := range entries {
		name := e.Name()
		if !strings.HasSuffix(name, ".sql") {
			continue
		}
		a, err := os.ReadFile(filepath.Join(sqliteDir, name))
		if err != nil {
			return err
		}
		b, err := os.ReadFile(filepath.Join(pgDir, name))
		if err != nil {
			return fmt.Errorf("%s has no PostgreSQL twin: %w", name, err)
		}
		out := filepath.Join(dir, name)
		if _, err := os.Stat(out); err == nil {
			return fmt.Errorf("%s exists already: two migrations with one name", out)
		}
		src, err := dialectsql.Convert(string(a), string(b))
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		if err := os.WriteFile(out, []byte(src), 0o644); err != nil {
			return err
		}
		for _, p := range []string{filepath.Join(sqliteDir, name), filepath.Join(pgDir, name)} {
			if err := os.Remove(p); err != nil {
				return err
			}
		}
		fmt.Println("converted", out)
	}
	for _, d := range []string{sqliteDir, pgDir} {
		left, err := os.ReadDir(d)
		if err != nil {
			return err
		}
		if len(left) > 0 {
			return fmt.Errorf("%s still holds %s: a migration without a twin?", d, left[0].Name())
		}
		if err := os.Remove(d); err != nil {
			return err
		}
	}
	return nil
}
