package geo

import "math"

// Contains reports whether p lies in the polygon: inside its outer ring and
// in none of its holes. A point on an edge is inside, so that a point drawn
// on a ward's border belongs to the ward (and to its neighbour too).
func (pg Polygon) Contains(p Point) bool {
	if len(pg) == 0 || !pg[0].contains(p) {
		return false
	}
	for _, hole := range pg[1:] {
		if hole.contains(p) && !hole.onEdge(p) {
			return false
		}
	}
	return true
}

// Contains reports whether p lies in any of the area's polygons.
func (b *Boundary) Contains(p Point) bool {
	for _, pg := range b.Polygons {
		if pg.Contains(p) {
			return true
		}
	}
	return false
}

// contains is the even–odd rule (a ray towards +longitude crosses the ring
// an odd number of times), with points on an edge counted as inside.
func (r Ring) contains(p Point) bool {
	in := false
	for i := 0; i+1 < len(r); i++ {
		a, b := r[i], r[i+1]
		if cross(a, b, p) == 0 && onSegment(a, b, p) {
			return true
		}
		if (a.Lat > p.Lat) != (b.Lat > p.Lat) {
			x := a.Lon + (p.Lat-a.Lat)*(b.Lon-a.Lon)/(b.Lat-a.Lat)
			if p.Lon < x {
				in = !in
			}
		}
	}
	return in
}

func (r Ring) onEdge(p Point) bool {
	for i := 0; i+1 < len(r); i++ {
		if cross(r[i], r[i+1], p) == 0 && onSegment(r[i], r[i+1], p) {
			return true
		}
	}
	return false
}

// metresFrom is the distance from p to the area's nearest edge in metres,
// on a local flat approximation (good to a fraction of a percent over a
// municipality).
func (b *Boundary) metresFrom(p Point) float64 {
	const metresPerDegree = 111_320.0
	scale := math.Cos(p.Lat * math.Pi / 180)
	best := math.Inf(1)
	for _, pg := range b.Polygons {
		for _, r := range pg {
			for i := 0; i+1 < len(r); i++ {
				best = math.Min(best, segmentDistance(p, r[i], r[i+1], scale))
			}
		}
	}
	return best * metresPerDegree
}
