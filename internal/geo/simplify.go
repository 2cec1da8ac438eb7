package geo

import "math"

// Simplify reduces a closed ring to at most maxPoints positions (the closing
// one included) with the Douglas–Peucker algorithm, keeping as much detail
// as fits: the tolerance is the smallest that meets the limit. A ring that
// already fits is returned unchanged. maxPoints below 4 is taken as 4.
func Simplify(r Ring, maxPoints int) Ring {
	maxPoints = max(maxPoints, 4)
	if len(r) <= maxPoints {
		return r
	}
	open := r[:len(r)-1] // without the closing point
	scale := lonScale(r)
	min, max := r.Bounds()
	lo, hi := 0.0, math.Hypot((max.Lon-min.Lon)*scale, max.Lat-min.Lat)
	keep := douglasPeucker(open, hi, scale)
	// Forty halvings take the tolerance far below any coordinate's
	// precision; the kept set shrinks as the tolerance grows.
	for range 40 {
		mid := (lo + hi) / 2
		k := douglasPeucker(open, mid, scale)
		if count(k)+1 <= maxPoints {
			hi, keep = mid, k
		} else {
			lo = mid
		}
	}
	out := make(Ring, 0, maxPoints)
	for i, p := range open {
		if keep[i] {
			out = append(out, p)
		}
	}
	if len(out) < 3 {
		// A sliver that collapses to a line: three points spread along
		// it still make a ring CAP accepts.
		out = Ring{open[0], open[len(open)/3], open[2*len(open)/3]}
	}
	return append(out, out[0])
}

// lonScale makes a degree of longitude as long as a degree of latitude at
// the ring's latitude, so tolerances mean the same distance both ways.
func lonScale(r Ring) float64 {
	min, max := r.Bounds()
	return math.Cos((min.Lat + max.Lat) / 2 * math.Pi / 180)
}

func count(keep []bool) int {
	n := 0
	for _, k := range keep {
		if k {
			n++
		}
	}
	return n
}

// douglasPeucker marks the points of an open ring (closing point removed)
// to keep at tolerance eps. The ring is split at point 0 and the point
// farthest from it; each half is simplified on its own.
func douglasPeucker(pts []Point, eps, scale float64) []bool {
	n := len(pts)
	keep := make([]bool, n)
	far, best := 0, -1.0
	for i, p := range pts {
		if d := math.Hypot((p.Lon-pts[0].Lon)*scale, p.Lat-pts[0].Lat); d > best {
			far, best = i, d
		}
	}
	keep[0], keep[far] = true, true
	type span struct{ a, b int } // indices modulo n; b may be n for point 0
	stack := []span{{0, far}, {far, n}}
	for len(stack) > 0 {
		s := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if s.b-s.a < 2 {
			continue
		}
		a, b := pts[s.a%n], pts[s.b%n]
		idx, dmax := -1, -1.0
		for i := s.a + 1; i < s.b; i++ {
			if d := segmentDistance(pts[i%n], a, b, scale); d > dmax {
				idx, dmax = i, d
			}
		}
		if dmax > eps {
			keep[idx%n] = true
			stack = append(stack, span{s.a, idx}, span{idx, s.b})
		}
	}
	return keep
}

// segmentDistance is the distance from p to the segment ab.
func segmentDistance(p, a, b Point, scale float64) float64 {
	px, py := (p.Lon-a.Lon)*scale, p.Lat-a.Lat
	bx, by := (b.Lon-a.Lon)*scale, b.Lat-a.Lat
	l2 := bx*bx + by*by
	if l2 == 0 {
		return math.Hypot(px, py)
	}
	t := math.Max(0, math.Min(1, (px*bx+py*by)/l2))
	return math.Hypot(px-t*bx, py-t*by)
}
