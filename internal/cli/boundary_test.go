package cli

import (
	"database/sql"
	"leoc/internal/must"
	"leoc/internal/sharedtest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestBoundaryImport(t *testing.T) {
	file := sharedtest.Path(t, "thalara_boundary.json")
	in := newInstance(t)
	in.migrate()
	code, out, errOut := in.run("", "boundary", "import", file)
	if code != 0 || !strings.Contains(out, "1 polygon(s), 331 points") || !strings.Contains(out, "100 after simplification") {
		t.Fatalf("import: %d %q %q", code, out, errOut)
	}
	db, err := sql.Open("sqlite", filepath.Join(in.dir, "data", "leoc.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var body, by string
	if err := db.QueryRow("SELECT geojson, imported_by FROM municipality_boundary WHERE id = 1").Scan(&body, &by); err != nil {
		t.Fatal(err)
	}
	want := must.Get(os.ReadFile(file))(t)
	if body != string(want) || by != "cli" {
		t.Fatalf("stored %d bytes by %q", len(body), by)
	}

	bad := filepath.Join(t.TempDir(), "point.json")
	must.OK(t, os.WriteFile(bad, []byte(`{"type":"Point","coordinates":[81,29.5]}`), 0o600))
	if code, _, errOut := in.run("", "boundary", "import", bad); code != 1 || !strings.Contains(errOut, "Polygon or MultiPolygon") {
		t.Errorf("a point: %d %q", code, errOut)
	}
	if code, _, _ := in.run("", "boundary", "show"); code != 2 {
		t.Errorf("unknown subcommand: %d", code)
	}
	if code, _, errOut := in.run("", "boundary", "import", filepath.Join(t.TempDir(), "missing.json")); code != 1 || !strings.Contains(errOut, "missing.json") {
		t.Errorf("missing file: %d %q", code, errOut)
	}
}
