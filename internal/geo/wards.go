package geo

import (
	"math"
	"sort"
)

// WardArea is one ward's polygon(s) with its number.
type WardArea struct {
	Number int
	Area   Boundary
	min    Point
	max    Point
}

// Wards answers "which ward is this point in" for a municipality's ward
// polygons. Build it once with NewWards and share it; it is read-only.
type Wards struct {
	areas []WardArea // by ward number
}

// BorderTolerance is how far outside every ward polygon a point may lie and
// still be given the nearest ward: digitised ward maps leave slivers between
// neighbours, and a GPS fix or a click on the line should not fall in them.
const BorderTolerance = 30.0 // metres

// NewWards indexes the given ward areas.
func NewWards(areas []WardArea) *Wards {
	w := &Wards{areas: make([]WardArea, len(areas))}
	copy(w.areas, areas)
	sort.Slice(w.areas, func(i, j int) bool { return w.areas[i].Number < w.areas[j].Number })
	for i := range w.areas {
		a := &w.areas[i]
		a.min, a.max = Point{math.Inf(1), math.Inf(1)}, Point{math.Inf(-1), math.Inf(-1)}
		for _, pg := range a.Area.Polygons {
			lo, hi := pg[0].Bounds()
			a.min = Point{math.Min(a.min.Lon, lo.Lon), math.Min(a.min.Lat, lo.Lat)}
			a.max = Point{math.Max(a.max.Lon, hi.Lon), math.Max(a.max.Lat, hi.Lat)}
		}
	}
	return w
}

// Len is the number of wards with a polygon.
func (w *Wards) Len() int {
	if w == nil {
		return 0
	}
	return len(w.areas)
}

// Has reports whether ward number n has a polygon.
func (w *Wards) Has(n int) bool {
	return w.find(n) != nil
}

func (w *Wards) find(n int) *WardArea {
	if w == nil {
		return nil
	}
	for i := range w.areas {
		if w.areas[i].Number == n {
			return &w.areas[i]
		}
	}
	return nil
}

// WardAt is the ward whose polygon contains p. A point on the border of two
// wards is given the lower number; a point outside every polygon but within
// BorderTolerance of one is given the nearest. ok is false when no ward
// is that close (or there are no polygons).
func (w *Wards) WardAt(p Point) (number int, ok bool) {
	if w == nil {
		return 0, false
	}
	for i := range w.areas {
		a := &w.areas[i]
		if p.Lon < a.min.Lon || p.Lon > a.max.Lon || p.Lat < a.min.Lat || p.Lat > a.max.Lat {
			continue
		}
		if a.Area.Contains(p) {
			return a.Number, true
		}
	}
	best, bestDist := 0, BorderTolerance
	for i := range w.areas {
		if !w.areas[i].near(p) {
			continue
		}
		if d := w.areas[i].Area.metresFrom(p); d <= bestDist {
			best, bestDist, ok = w.areas[i].Number, d, true
		}
	}
	return best, ok
}

// InWard reports whether ward n's polygon contains p (or p lies within
// BorderTolerance of it). known is false when ward n has no polygon, so
// nothing can be said.
func (w *Wards) InWard(n int, p Point) (in, known bool) {
	a := w.find(n)
	if a == nil {
		return false, false
	}
	return a.Area.Contains(p) || (a.near(p) && a.Area.metresFrom(p) <= BorderTolerance), true
}

// near reports whether p is within about BorderTolerance of the ward's
// bounding box (a tenth of a kilometre of slack in degrees), so the
// distance to every edge is measured only for wards that could be close.
func (a *WardArea) near(p Point) bool {
	const slack = 0.001 // degrees: ~110 m of latitude, ~97 m of longitude here
	return p.Lon >= a.min.Lon-slack && p.Lon <= a.max.Lon+slack && p.Lat >= a.min.Lat-slack && p.Lat <= a.max.Lat+slack
}
