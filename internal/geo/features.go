package geo

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// Feature is one feature of a FeatureCollection: its area and its
// properties as the file gave them (a JSON object, "{}" when it had none),
// so that an import keeps what it does not itself read (names, codes).
type Feature struct {
	Area       Boundary
	Properties json.RawMessage
}

// ParseFeatures reads a GeoJSON FeatureCollection (or a single Feature) in
// WGS84 whose geometries are Polygons or MultiPolygons, feature by feature.
func ParseFeatures(data []byte) ([]Feature, error) {
	var g geoJSON
	if err := json.NewDecoder(bytes.NewReader(data)).Decode(&g); err != nil {
		return nil, invalid("not GeoJSON: %v", err)
	}
	if g.CRS != nil && !wgs84Names[g.CRS.Properties.Name] {
		return nil, invalid("coordinate reference system %q; only WGS84 longitude/latitude (EPSG:4326) is accepted", g.CRS.Properties.Name)
	}
	list := []geoJSON{g}
	switch g.Type {
	case "FeatureCollection":
		list = g.Features
	case "Feature":
	default:
		return nil, invalid("a %q; a FeatureCollection of ward features is needed", g.Type)
	}
	if len(list) == 0 {
		return nil, invalid("no features in it")
	}
	out := make([]Feature, 0, len(list))
	for i := range list {
		f := &list[i]
		if f.Type != "Feature" {
			return nil, invalid("feature %d is a %q, not a Feature", i+1, f.Type)
		}
		if f.Geometry == nil {
			return nil, invalid("feature %d has no geometry", i+1)
		}
		var area Boundary
		if err := area.add(f.Geometry, 1); err != nil {
			return nil, fmt.Errorf("feature %d: %w", i+1, err)
		}
		props := f.Properties
		if len(bytes.TrimSpace(props)) == 0 || string(bytes.TrimSpace(props)) == "null" {
			props = json.RawMessage("{}")
		}
		var obj map[string]json.RawMessage
		if err := json.Unmarshal(props, &obj); err != nil {
			return nil, invalid("feature %d: properties are not a JSON object", i+1)
		}
		out = append(out, Feature{Area: area, Properties: props})
	}
	return out, nil
}

// Number reads a ward number from the property named name: a JSON number,
// or a string whose one run of digits (ASCII or Devanagari) is the number,
// so "ward_6", "Ward 6" and "वडा ६" all give 6.
func (f Feature) Number(name string) (int, error) {
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(f.Properties, &obj); err != nil {
		return 0, invalid("properties are not a JSON object")
	}
	raw, ok := obj[name]
	if !ok {
		return 0, invalid("no property %q", name)
	}
	var n json.Number
	if err := json.Unmarshal(raw, &n); err == nil {
		v, err := strconv.Atoi(n.String())
		if err != nil {
			return 0, invalid("property %q is %s, not a whole number", name, raw)
		}
		return v, nil
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return 0, invalid("property %q is %s, neither a number nor text", name, raw)
	}
	var runs []string
	var cur strings.Builder
	for _, r := range s + " " {
		if d, ok := digitValue(r); ok {
			cur.WriteByte(byte('0' + d))
			continue
		}
		if cur.Len() > 0 {
			runs = append(runs, cur.String())
			cur.Reset()
		}
	}
	if len(runs) != 1 {
		return 0, invalid("property %q is %q; it needs exactly one number in it", name, s)
	}
	v, err := strconv.Atoi(runs[0])
	if err != nil {
		return 0, invalid("property %q is %q, a number too large", name, s)
	}
	return v, nil
}

// digitValue is the value of an ASCII or Devanagari digit.
func digitValue(r rune) (int, bool) {
	switch {
	case r >= '0' && r <= '9':
		return int(r - '0'), true
	case r >= '०' && r <= '९':
		return int(r - '०'), true
	}
	return 0, false
}

// CheckRings refuses rings that cannot bound an area: no area at all, or an
// edge that crosses another edge of the same ring (a figure eight). Parsing
// already checked closure and the point count.
func (b *Boundary) CheckRings() error {
	for i, p := range b.Polygons {
		for j, r := range p {
			if r.area() == 0 {
				return invalid("polygon %d, ring %d encloses no area", i+1, j+1)
			}
			if a, c, ok := r.selfCrossing(); ok {
				return invalid("polygon %d, ring %d crosses itself (edges %d and %d)", i+1, j+1, a+1, c+1)
			}
		}
	}
	return nil
}

// selfCrossing finds two non-adjacent edges of the ring that intersect. A
// ward ring has hundreds of points, so the quadratic scan is a few
// milliseconds, once per import; bounding boxes skip most pairs.
func (r Ring) selfCrossing() (int, int, bool) {
	n := len(r) - 1 // edges
	for i := 0; i < n; i++ {
		a, b := r[i], r[i+1]
		for j := i + 2; j < n; j++ {
			if i == 0 && j == n-1 {
				continue // the first and last edges share the closing point
			}
			if segmentsIntersect(a, b, r[j], r[j+1]) {
				return i, j, true
			}
		}
	}
	return 0, 0, false
}

func segmentsIntersect(p1, p2, p3, p4 Point) bool {
	if max(p1.Lon, p2.Lon) < min(p3.Lon, p4.Lon) || max(p3.Lon, p4.Lon) < min(p1.Lon, p2.Lon) ||
		max(p1.Lat, p2.Lat) < min(p3.Lat, p4.Lat) || max(p3.Lat, p4.Lat) < min(p1.Lat, p2.Lat) {
		return false
	}
	d1, d2 := cross(p3, p4, p1), cross(p3, p4, p2)
	d3, d4 := cross(p1, p2, p3), cross(p1, p2, p4)
	if ((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0)) {
		return true
	}
	return (d1 == 0 && onSegment(p3, p4, p1)) || (d2 == 0 && onSegment(p3, p4, p2)) ||
		(d3 == 0 && onSegment(p1, p2, p3)) || (d4 == 0 && onSegment(p1, p2, p4))
}

// cross is the z of (b−a)×(c−a): which side of the line a→b c lies on.
func cross(a, b, c Point) float64 {
	return (b.Lon-a.Lon)*(c.Lat-a.Lat) - (b.Lat-a.Lat)*(c.Lon-a.Lon)
}

func onSegment(a, b, c Point) bool {
	return min(a.Lon, b.Lon) <= c.Lon && c.Lon <= max(a.Lon, b.Lon) && min(a.Lat, b.Lat) <= c.Lat && c.Lat <= max(a.Lat, b.Lat)
}

// GeoJSON is the area as a GeoJSON geometry: a Polygon when it is one
// polygon, a MultiPolygon otherwise.
func (b *Boundary) GeoJSON() []byte {
	coords := make([][][][2]float64, len(b.Polygons))
	for i, p := range b.Polygons {
		coords[i] = make([][][2]float64, len(p))
		for j, r := range p {
			coords[i][j] = make([][2]float64, len(r))
			for k, pt := range r {
				coords[i][j][k] = [2]float64{pt.Lon, pt.Lat}
			}
		}
	}
	var v any = map[string]any{"type": "MultiPolygon", "coordinates": coords}
	if len(coords) == 1 {
		v = map[string]any{"type": "Polygon", "coordinates": coords[0]}
	}
	out, _ := json.Marshal(v) // floats and slices always marshal
	return out
}
