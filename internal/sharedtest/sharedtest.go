// Package sharedtest finds the project's shared test material (the real
// Thalara GeoJSON, the CAP schema, the legacy database), which lives in the
// shared checkout next to the repository and is never copied into it.
package sharedtest

import (
	"os"
	"path/filepath"
	"testing"
)

// Path returns the path of shared/data/name, found by walking up from the
// test's package directory. Without the shared checkout the test is skipped,
// except in CI (CI=true), where a missing file is a failure: CI always has it.
func Path(t testing.TB, name string) string {
	t.Helper()
	return find(t, "data", name)
}

// Fixture returns the path of shared/fixtures/name (the old Flask
// database), found and skipped like Path.
func Fixture(t testing.TB, name string) string {
	t.Helper()
	return find(t, "fixtures", name)
}

func find(t testing.TB, folder, name string) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		p := filepath.Join(dir, "shared", folder, name)
		if _, err := os.Stat(p); err == nil {
			return p
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			msg := "shared/" + folder + "/" + name + " not found above the package directory; it lives in the shared checkout next to the repository"
			if os.Getenv("CI") == "true" {
				t.Fatal(msg)
			}
			t.Skip(msg)
		}
		dir = parent
	}
}
