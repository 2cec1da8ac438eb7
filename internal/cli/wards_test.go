package cli

import (
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"leoc/internal/sharedtest"
)

func TestWardsImport(t *testing.T) {
	file := sharedtest.Path(t, "thalara_wards.json")
	in := newInstance(t)
	in.migrate()
	count := func() int {
		db, err := sql.Open("sqlite", filepath.Join(in.dir, "data", "leoc.db"))
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		var n int
		if err := db.QueryRow("SELECT COUNT(*) FROM ward_polygons").Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	write := func(name, body string) string {
		p := filepath.Join(t.TempDir(), name)
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	for _, c := range []struct {
		name string
		args []string
		code int
		out  string
	}{
		{"no property", []string{file}, 2, "--number-property"},
		{"wrong property", []string{file, "--number-property", "nothing"}, 1, `no property "nothing"`},
		{"point", []string{write("p.json", `{"type":"Point","coordinates":[81,29.5]}`), "--number-property", "id"}, 1, "FeatureCollection"},
		{"unknown ward", []string{write("w12.json", `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":"ward_12"},"geometry":{"type":"Polygon","coordinates":[[[81,29],[81.1,29],[81.1,29.1],[81,29]]]}}]}`), "--number-property", "id", "--partial"}, 1, "Ward 12 is not in the settings"},
		{"missing wards", []string{write("w1.json", `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":"ward_1"},"geometry":{"type":"Polygon","coordinates":[[[81,29],[81.1,29],[81.1,29.1],[81,29]]]}}]}`), "--number-property", "id"}, 1, "no polygon for ward(s) 2, 3, 4, 5, 6, 7, 8, 9"},
		{"crossing ring", []string{write("x.json", `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":"ward_1"},"geometry":{"type":"Polygon","coordinates":[[[0,0],[2,2],[2,0],[0,1],[0,0]]]}}]}`), "--number-property", "id", "--partial"}, 1, "crosses itself"},
	} {
		code, out, errOut := in.run("", append([]string{"wards", "import"}, c.args...)...)
		if code != c.code || !strings.Contains(out+errOut, c.out) {
			t.Errorf("%s: %d %q %q; want %d and %q", c.name, code, out, errOut, c.code, c.out)
		}
		if n := count(); n != 0 {
			t.Fatalf("%s: %d polygons written by a refused import", c.name, n)
		}
	}
	code, out, errOut := in.run("", "wards", "import", file, "--number-property", "id")
	if code != 0 || !strings.Contains(out, "9 ward(s)") {
		t.Fatalf("import: %d %q %q", code, out, errOut)
	}
	if n := count(); n != 9 {
		t.Fatalf("%d polygons stored", n)
	}
	// Flags before the file work as well, and --partial with one ward
	// replaces only that ward.
	one := write("w1.json", `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":"ward_1"},"geometry":{"type":"Polygon","coordinates":[[[81,29],[81.1,29],[81.1,29.1],[81,29]]]}}]}`)
	if code, out, errOut := in.run("", "wards", "import", "--number-property", "id", "--partial", one); code != 0 || !strings.Contains(out, "1 ward(s)") {
		t.Fatalf("partial import: %d %q %q", code, out, errOut)
	}
	if n := count(); n != 9 {
		t.Fatalf("%d polygons after the partial import", n)
	}
}
