package cli

import (
	"bytes"
	"context"
	"database/sql"
	"image"
	"image/png"
	"leoc/internal/must"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"leoc/internal/legacy/legacytest"
	"leoc/internal/sharedtest"
)

// TestImportLegacyCommand runs the command the operator runs: a dry run
// that writes nothing, the import with the old uploads folder (one photo
// good, one missing, one document that is really HTML), and the audit
// trail intact afterwards.
func TestImportLegacyCommand(t *testing.T) {
	in := newInstance(t)
	if code, _, errs := in.run("", "migrate"); code != 0 {
		t.Fatalf("migrate: %s", errs)
	}
	old := filepath.Join(t.TempDir(), "old.db")
	if _, err := legacytest.Generate(context.Background(), old, sharedtest.Fixture(t, "legacy-leoc.db"), legacytest.Options{Distributions: 6, Seed: 3}); err != nil {
		t.Fatal(err)
	}
	uploads := t.TempDir()
	var img bytes.Buffer
	if err := png.Encode(&img, image.NewRGBA(image.Rect(0, 0, 4, 4))); err != nil {
		t.Fatal(err)
	}
	must.OK(t, os.WriteFile(filepath.Join(uploads, "relief_1_photo.png"), img.Bytes(), 0o600))
	must.OK(t, os.WriteFile(filepath.Join(uploads, "scan.pdf"), []byte("<html><script>alert(1)</script></html>"), 0o600))
	oldDB, err := sql.Open("sqlite", old)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		"UPDATE relief_distribution SET image_filename = 'relief_1_photo.png' WHERE id = 1",
		"UPDATE relief_distribution SET image_filename = 'gone.jpg' WHERE id = 2",
		`UPDATE relief_distribution SET documents = '["scan.pdf"]' WHERE id = 4`,
	} {
		if _, err := oldDB.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	oldDB.Close()

	db, err := sql.Open("sqlite", filepath.Join(in.dir, "data", "leoc.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	count := func(table string) int {
		var n int
		if err := db.QueryRow("SELECT COUNT(*) FROM " + table).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}

	if code, _, errs := in.run("", "import-legacy"); code != 2 || !strings.Contains(errs, "--from") {
		t.Fatalf("without --from: %d %s", code, errs)
	}
	code, out, errs := in.run("", "import-legacy", "--from", old, "--uploads", uploads, "--dry-run")
	if code != 0 || !strings.Contains(out, "DRY RUN") || !strings.Contains(out, "upload_missing") {
		t.Fatalf("dry run: %d\n%s\n%s", code, out, errs)
	}
	if n := count("distributions") + count("attachments") + count("legacy_imports"); n != 0 {
		t.Fatalf("the dry run wrote %d rows", n)
	}
	code, out, errs = in.run("", "import-legacy", "--from", old, "--uploads", uploads, "--lang", "ne")
	if code != 0 {
		t.Fatalf("import: %d\n%s\n%s", code, out, errs)
	}
	for _, want := range []string{"पुरानो तालिकाअनुसार अभिलेख", "upload_missing", "gone.jpg", "upload_invalid", "scan.pdf"} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
	if !strings.Contains(errs, "relief_distribution") {
		t.Errorf("no progress on stderr: %s", errs)
	}
	if count("distributions") != 6 || count("attachments") != 1 {
		t.Errorf("%d distributions, %d files; want 6 and the one good photo", count("distributions"), count("attachments"))
	}
	var key string
	if err := db.QueryRow("SELECT storage_key FROM attachments").Scan(&key); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(in.dir, "data", "uploads", key[0:2], key[2:4], key)); err != nil {
		t.Errorf("the copied photo is not in the file store: %v", err)
	}
	if code, out, _ := in.run("", "audit", "verify"); code != 0 || !strings.Contains(out, "intact") {
		t.Fatalf("audit after import: %d %s", code, out)
	}
	code, out, errs = in.run("", "import-legacy", "--from", filepath.Join(uploads, "scan.pdf"))
	if code != 1 || !strings.Contains(errs, "not a Flask LEOC database") || !strings.Contains(errs, "nothing was imported") {
		t.Errorf("not a database: %d %s %s", code, out, errs)
	}
}
