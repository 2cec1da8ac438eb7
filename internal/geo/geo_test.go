package geo

import (
	"errors"
	"leoc/internal/sharedtest"
	"os"
	"strings"
	"testing"
)

// sharedData reads a file of the shared test data.
func sharedData(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(sharedtest.Path(t, name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestThalaraBoundary(t *testing.T) {
	b, err := ParseBoundary(sharedData(t, "thalara_boundary.json"))
	if err != nil {
		t.Fatal(err)
	}
	outer := b.OuterRing()
	if len(outer) < 100 || outer[0] != outer[len(outer)-1] {
		t.Fatalf("outer ring: %d points", len(outer))
	}
	min, max := outer.Bounds()
	// Thalara lies around 29.5° N, 81° E.
	if min.Lat < 29 || max.Lat > 30 || min.Lon < 80.5 || max.Lon > 81.5 {
		t.Fatalf("bounds %v %v", min, max)
	}
	for _, n := range []int{4, 20, 100} {
		s := Simplify(outer, n)
		if len(s) > n || len(s) < 4 || s[0] != s[len(s)-1] {
			t.Errorf("Simplify(%d): %d points, closed=%v", n, len(s), s[0] == s[len(s)-1])
		}
		// Every kept point is a point of the original.
		for _, p := range s {
			if !contains(outer, p) {
				t.Fatalf("Simplify(%d) made up %v", n, p)
			}
		}
		// Detail is kept: the simplified area is close to the original.
		if a, b := abs(s.area()), abs(outer.area()); n == 100 && (a < 0.97*b || a > 1.03*b) {
			t.Errorf("Simplify(100) area %g, original %g", a, b)
		}
	}
	if s := Simplify(outer, 100); len(s) < 90 {
		t.Errorf("Simplify(100) kept only %d points: the tolerance search gives up detail", len(s))
	}
}

func contains(r Ring, p Point) bool {
	for _, q := range r {
		if q == p {
			return true
		}
	}
	return false
}

func abs(f float64) float64 {
	if f < 0 {
		return -f
	}
	return f
}

func TestParseBoundaryRefuses(t *testing.T) {
	square := `[[80.9,29.4],[81.0,29.4],[81.0,29.5],[80.9,29.5],[80.9,29.4]]`
	for _, c := range []struct{ name, in, want string }{
		{"not json", `{`, "not GeoJSON"},
		{"point", `{"type":"Point","coordinates":[81,29]}`, `"Point"`},
		{"empty collection", `{"type":"FeatureCollection","features":[]}`, "no Polygon"},
		{"open ring", `{"type":"Polygon","coordinates":[[[80.9,29.4],[81.0,29.4],[81.0,29.5],[80.9,29.5]]]}`, "not closed"},
		{"short ring", `{"type":"Polygon","coordinates":[[[80.9,29.4],[81.0,29.4],[80.9,29.4]]]}`, "at least 4"},
		{"projected", `{"type":"Polygon","coordinates":[[[500000,3260000],[510000,3260000],[510000,3270000],[500000,3260000]]]}`, "not a WGS84"},
		{"other crs", `{"type":"Polygon","crs":{"type":"name","properties":{"name":"EPSG:32644"}},"coordinates":[` + square + `]}`, "EPSG:32644"},
		{"feature without geometry", `{"type":"Feature","geometry":null}`, "without a geometry"},
	} {
		_, err := ParseBoundary([]byte(c.in))
		if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v; want ErrInvalid mentioning %q", c.name, err, c.want)
		}
	}
	b, err := ParseBoundary([]byte(`{"type":"Feature","properties":{},"geometry":{"type":"MultiPolygon","coordinates":[[` + square + `],[[[81.1,29.4],[81.11,29.4],[81.11,29.41],[81.1,29.4]]]]}}`))
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Polygons) != 2 || b.OuterRing()[1] != (Point{81.0, 29.4}) {
		t.Fatalf("largest polygon not chosen: %+v", b.OuterRing())
	}
	if got := Simplify(b.OuterRing(), 100); len(got) != 5 {
		t.Fatalf("a ring that fits is changed: %v", got)
	}
}
