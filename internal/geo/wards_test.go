package geo

import (
	"encoding/json"
	"errors"
	"os"
	"strings"
	"testing"

	"leoc/internal/sharedtest"
)

// thalaraWards parses the shared Thalara ward file into a Wards index.
func thalaraWards(t *testing.T) (*Wards, []Feature) {
	t.Helper()
	fs, err := ParseFeatures(sharedData(t, "thalara_wards.json"))
	if err != nil {
		t.Fatal(err)
	}
	var areas []WardArea
	for _, f := range fs {
		n, err := f.Number("id")
		if err != nil {
			t.Fatal(err)
		}
		if err := f.Area.CheckRings(); err != nil {
			t.Fatalf("ward %d: %v", n, err)
		}
		areas = append(areas, WardArea{Number: n, Area: f.Area})
	}
	return NewWards(areas), fs
}

func TestParseFeaturesKeepsProperties(t *testing.T) {
	_, fs := thalaraWards(t)
	if len(fs) != 9 {
		t.Fatalf("%d features, want 9", len(fs))
	}
	var props map[string]string
	if err := json.Unmarshal(fs[0].Properties, &props); err != nil {
		t.Fatal(err)
	}
	if props["name"] != "Ward 6" || props["level"] != "ward" || props["id"] != "ward_6" {
		t.Fatalf("properties of the first feature: %v", props)
	}
}

// interior finds a point well inside a ring: the centre of the ring's
// bounding box is not always inside, so it walks a grid over the box and
// takes the point farthest from the ring's edges.
func interior(t *testing.T, a *Boundary) Point {
	t.Helper()
	lo, hi := a.OuterRing().Bounds()
	best, bestD := Point{}, -1.0
	for i := 1; i < 40; i++ {
		for j := 1; j < 40; j++ {
			p := Point{lo.Lon + (hi.Lon-lo.Lon)*float64(i)/40, lo.Lat + (hi.Lat-lo.Lat)*float64(j)/40}
			if a.Contains(p) {
				if d := a.metresFrom(p); d > bestD {
					best, bestD = p, d
				}
			}
		}
	}
	if bestD < 0 {
		t.Fatal("no interior point found")
	}
	return best
}

func TestWardAtThalara(t *testing.T) {
	wards, fs := thalaraWards(t)
	if wards.Len() != 9 {
		t.Fatalf("Len %d", wards.Len())
	}
	for _, f := range fs {
		n, _ := f.Number("id")
		// Inside: a point deep in each ward is that ward, and in no other.
		p := interior(t, &f.Area)
		if got, ok := wards.WardAt(p); !ok || got != n {
			t.Errorf("ward %d: WardAt(%v) = %d, %v", n, p, got, ok)
		}
		for m := 1; m <= 9; m++ {
			if in, known := wards.InWard(m, p); !known || in != (m == n) {
				t.Errorf("point inside ward %d: InWard(%d) = %v, %v", n, m, in, known)
			}
		}
		// On the border: the midpoint of an edge of the ward's ring, and
		// each of its vertices, belong to the ward.
		r := f.Area.OuterRing()
		mid := Point{(r[0].Lon + r[1].Lon) / 2, (r[0].Lat + r[1].Lat) / 2}
		for _, q := range []Point{r[0], r[len(r)/2], mid} {
			if in, _ := wards.InWard(n, q); !in {
				t.Errorf("ward %d: border point %v not in the ward", n, q)
			}
			if !f.Area.Polygons[0][0].contains(q) {
				t.Errorf("ward %d: ring does not contain its own border point %v", n, q)
			}
			if got, ok := wards.WardAt(q); !ok {
				t.Errorf("ward %d: border point %v in no ward (got %d)", n, q, got)
			}
		}
	}
	// Outside: Kathmandu, the sea, and a point 5 km east of Thalara.
	for _, p := range []Point{{85.32, 27.70}, {0, 0}, {hiLon(wards) + 0.05, 29.5}} {
		if got, ok := wards.WardAt(p); ok {
			t.Errorf("WardAt(%v) = %d, want none", p, got)
		}
		if in, known := wards.InWard(3, p); in || !known {
			t.Errorf("InWard(3, %v) = %v, %v", p, in, known)
		}
	}
	// No polygons: nothing known.
	if _, ok := NewWards(nil).WardAt(Point{81, 29.5}); ok {
		t.Error("empty index found a ward")
	}
	if _, known := wards.InWard(12, Point{81, 29.5}); known {
		t.Error("ward 12 has no polygon but is known")
	}
}

func hiLon(w *Wards) float64 {
	m := -180.0
	for _, a := range w.areas {
		m = max(m, a.max.Lon)
	}
	return m
}

func TestPolygonHoles(t *testing.T) {
	square := func(x0, y0, x1, y1 float64) Ring {
		return Ring{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}}
	}
	pg := Polygon{square(0, 0, 10, 10), square(4, 4, 6, 6)}
	for _, c := range []struct {
		p  Point
		in bool
	}{{Point{1, 1}, true}, {Point{5, 5}, false}, {Point{4, 5}, true}, {Point{0, 5}, true}, {Point{10, 10}, true}, {Point{11, 5}, false}, {Point{-0.001, 5}, false}} {
		if got := pg.Contains(c.p); got != c.in {
			t.Errorf("Contains(%v) = %v, want %v", c.p, got, c.in)
		}
	}
}

func TestFeatureNumber(t *testing.T) {
	for props, want := range map[string]int{
		`{"id":"ward_6"}`: 6, `{"id":6}`: 6, `{"id":"Ward 12"}`: 12, `{"id":"वडा नं. ४"}`: 4,
		`{"id":"ward_1_v2"}`: -1, `{"id":"ward"}`: -1, `{"other":1}`: -1, `{"id":6.5}`: -1, `{"id":true}`: -1,
	} {
		got, err := Feature{Properties: json.RawMessage(props)}.Number("id")
		if want < 0 {
			if !errors.Is(err, ErrInvalid) {
				t.Errorf("%s: %d, %v; want a refusal", props, got, err)
			}
			continue
		}
		if err != nil || got != want {
			t.Errorf("%s: %d, %v; want %d", props, got, err, want)
		}
	}
}

func TestCheckRings(t *testing.T) {
	for name, c := range map[string]struct {
		json string
		bad  string
	}{
		"square":       {json: `[[[0,0],[1,0],[1,1],[0,1],[0,0]]]`},
		"figure eight": {json: `[[[0,0],[2,2],[2,0],[0,1],[0,0]]]`, bad: "crosses itself"},
		"flat":         {json: `[[[0,0],[1,0],[2,0],[0,0]]]`, bad: "no area"},
	} {
		b, err := ParseBoundary([]byte(`{"type":"Polygon","coordinates":` + c.json + `}`))
		if err != nil {
			t.Fatal(name, err)
		}
		err = b.CheckRings()
		if (c.bad == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), c.bad)) {
			t.Errorf("%s: %v, want %q", name, err, c.bad)
		}
	}
	for name, doc := range map[string]string{
		"not a collection": `{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]}`,
		"empty":            `{"type":"FeatureCollection","features":[]}`,
		"no geometry":      `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{}}]}`,
		"point":            `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[1,2]}}]}`,
		"open ring":        `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1]]]}}]}`,
		"array properties": `{"type":"FeatureCollection","features":[{"type":"Feature","properties":[1],"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]}}]}`,
	} {
		if _, err := ParseFeatures([]byte(doc)); !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: %v, want ErrInvalid", name, err)
		}
	}
}

func BenchmarkWardAt(b *testing.B) {
	data, err := os.ReadFile(sharedtest.Path(b, "thalara_wards.json"))
	if err != nil {
		b.Fatal(err)
	}
	fs, err := ParseFeatures(data)
	if err != nil {
		b.Fatal(err)
	}
	var areas []WardArea
	for _, f := range fs {
		n, _ := f.Number("id")
		areas = append(areas, WardArea{Number: n, Area: f.Area})
	}
	w := NewWards(areas)
	for b.Loop() {
		w.WardAt(Point{81.05, 29.5})
	}
}
