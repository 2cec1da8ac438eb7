// Package geo reads the municipality's boundary from GeoJSON and reduces it
// to what other formats need (the CAP feed's area polygon). It is pure: no
// files, no database.
package geo

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
)

// Point is a WGS84 position.
type Point struct{ Lon, Lat float64 }

// Ring is a closed ring: the first point equals the last.
type Ring []Point

// Polygon is an outer ring followed by its holes.
type Polygon []Ring

// Boundary is a municipality's area: one or more polygons.
type Boundary struct {
	Polygons []Polygon
}

// ErrInvalid marks a boundary that cannot be used; the message says why.
var ErrInvalid = errors.New("geo: invalid boundary")

func invalid(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrInvalid}, args...)...)
}

type geoJSON struct {
	Type        string          `json:"type"`
	Features    []geoJSON       `json:"features"`
	Geometry    *geoJSON        `json:"geometry"`
	Properties  json.RawMessage `json:"properties"`
	Coordinates json.RawMessage `json:"coordinates"`
	CRS         *struct {
		Properties struct {
			Name string `json:"name"`
		} `json:"properties"`
	} `json:"crs"`
}

// wgs84Names are the CRS names that mean longitude/latitude on WGS84, the
// only reference system GeoJSON (RFC 7946) allows.
var wgs84Names = map[string]bool{
	"urn:ogc:def:crs:OGC:1.3:CRS84": true, "urn:ogc:def:crs:OGC::CRS84": true, "EPSG:4326": true,
	"urn:ogc:def:crs:EPSG::4326": true, "CRS84": true,
}

// ParseBoundary reads a GeoJSON FeatureCollection, Feature, Polygon or
// MultiPolygon in WGS84. Every geometry must be a Polygon or MultiPolygon;
// rings must be closed and have at least four positions; coordinates must
// be longitudes and latitudes.
func ParseBoundary(data []byte) (*Boundary, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	var g geoJSON
	if err := dec.Decode(&g); err != nil {
		return nil, invalid("not GeoJSON: %v", err)
	}
	b := &Boundary{}
	if err := b.add(&g, 0); err != nil {
		return nil, err
	}
	if len(b.Polygons) == 0 {
		return nil, invalid("no Polygon or MultiPolygon in it")
	}
	return b, nil
}

func (b *Boundary) add(g *geoJSON, depth int) error {
	if depth > 2 {
		return invalid("features nested too deep")
	}
	if g.CRS != nil && !wgs84Names[g.CRS.Properties.Name] {
		return invalid("coordinate reference system %q; only WGS84 longitude/latitude (EPSG:4326) is accepted", g.CRS.Properties.Name)
	}
	switch g.Type {
	case "FeatureCollection":
		for i := range g.Features {
			if err := b.add(&g.Features[i], depth+1); err != nil {
				return fmt.Errorf("feature %d: %w", i+1, err)
			}
		}
		return nil
	case "Feature":
		if g.Geometry == nil {
			return invalid("a feature without a geometry")
		}
		return b.add(g.Geometry, depth+1)
	case "Polygon":
		var rings [][][]float64
		if err := json.Unmarshal(g.Coordinates, &rings); err != nil {
			return invalid("Polygon coordinates: %v", err)
		}
		p, err := polygon(rings)
		if err != nil {
			return err
		}
		b.Polygons = append(b.Polygons, p)
		return nil
	case "MultiPolygon":
		var polys [][][][]float64
		if err := json.Unmarshal(g.Coordinates, &polys); err != nil {
			return invalid("MultiPolygon coordinates: %v", err)
		}
		for i, rings := range polys {
			p, err := polygon(rings)
			if err != nil {
				return fmt.Errorf("polygon %d: %w", i+1, err)
			}
			b.Polygons = append(b.Polygons, p)
		}
		return nil
	}
	return invalid("geometry type %q; a boundary must be a Polygon or MultiPolygon", g.Type)
}

func polygon(rings [][][]float64) (Polygon, error) {
	if len(rings) == 0 {
		return nil, invalid("a polygon without rings")
	}
	p := make(Polygon, len(rings))
	for i, raw := range rings {
		if len(raw) < 4 {
			return nil, invalid("ring %d has %d positions; a ring needs at least 4", i+1, len(raw))
		}
		r := make(Ring, len(raw))
		for j, pos := range raw {
			if len(pos) < 2 {
				return nil, invalid("ring %d, position %d: needs longitude and latitude", i+1, j+1)
			}
			lon, lat := pos[0], pos[1]
			if math.IsNaN(lon) || math.IsNaN(lat) || lon < -180 || lon > 180 || lat < -90 || lat > 90 {
				return nil, invalid("ring %d, position %d: [%g, %g] is not a WGS84 longitude, latitude", i+1, j+1, lon, lat)
			}
			r[j] = Point{Lon: lon, Lat: lat}
		}
		if r[0] != r[len(r)-1] {
			return nil, invalid("ring %d is not closed (its first and last positions differ)", i+1)
		}
		p[i] = r
	}
	return p, nil
}

// PointCount is the number of positions in all rings.
func (b *Boundary) PointCount() int {
	n := 0
	for _, p := range b.Polygons {
		for _, r := range p {
			n += len(r)
		}
	}
	return n
}

// OuterRing is the outer ring of the largest polygon: for a municipality
// that is its main territory, leaving out small detached pieces.
func (b *Boundary) OuterRing() Ring {
	var best Ring
	bestArea := -1.0
	for _, p := range b.Polygons {
		if a := math.Abs(p[0].area()); a > bestArea {
			best, bestArea = p[0], a
		}
	}
	return best
}

// area is the planar shoelace area in square degrees, signed; enough to
// compare polygons of one municipality.
func (r Ring) area() float64 {
	s := 0.0
	for i := 0; i+1 < len(r); i++ {
		s += r[i].Lon*r[i+1].Lat - r[i+1].Lon*r[i].Lat
	}
	return s / 2
}

// Bounds is the bounding box of a ring.
func (r Ring) Bounds() (min, max Point) {
	min, max = Point{math.Inf(1), math.Inf(1)}, Point{math.Inf(-1), math.Inf(-1)}
	for _, p := range r {
		min.Lon, min.Lat = math.Min(min.Lon, p.Lon), math.Min(min.Lat, p.Lat)
		max.Lon, max.Lat = math.Max(max.Lon, p.Lon), math.Max(max.Lat, p.Lat)
	}
	return min, max
}
