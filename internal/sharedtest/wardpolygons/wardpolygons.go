// Package wardpolygons is the tests' minimal loader of the Thalara ward
// polygons (shared/data/thalara_wards.json). It lives apart from
// sharedtest because it needs internal/geo, whose own tests use sharedtest.
package wardpolygons

import (
	"encoding/json"
	"os"
	"strconv"
	"strings"
	"testing"

	"leoc/internal/geo"
	"leoc/internal/sharedtest"
)

// Thalara reads the 9 Thalara ward polygons of
// shared/data/thalara_wards.json by ward number (the digits of each
// feature's "id" property, "ward_6" → 6). It is the tests' minimal loader
// for code that reads ward polygons before `leoc wards import` (the map
// branch) stores them; each feature's geometry is validated by
// geo.ParseBoundary as any boundary is.
func Thalara(t testing.TB) map[int]geo.Polygon {
	t.Helper()
	body, err := os.ReadFile(sharedtest.Path(t, "thalara_wards.json"))
	if err != nil {
		t.Fatal(err)
	}
	var fc struct {
		Features []json.RawMessage `json:"features"`
	}
	if err := json.Unmarshal(body, &fc); err != nil {
		t.Fatal(err)
	}
	out := map[int]geo.Polygon{}
	for _, raw := range fc.Features {
		var f struct {
			Properties struct {
				ID string `json:"id"`
			} `json:"properties"`
		}
		if err := json.Unmarshal(raw, &f); err != nil {
			t.Fatal(err)
		}
		n, err := strconv.Atoi(strings.TrimLeft(f.Properties.ID, "abcdefghijklmnopqrstuvwxyz_"))
		if err != nil {
			t.Fatalf("ward feature id %q has no number", f.Properties.ID)
		}
		b, err := geo.ParseBoundary(raw)
		if err != nil {
			t.Fatalf("ward %d: %v", n, err)
		}
		out[n] = b.Polygons[0]
	}
	return out
}
