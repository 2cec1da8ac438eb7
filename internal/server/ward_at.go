package server

import (
	"net/http"
	"strconv"
	"strings"

	"leoc/internal/bs"
	"leoc/internal/geo"
	"leoc/internal/leoc"
)

// Ward from coordinates (issue 11, item 6): the ward polygons decide which
// ward a point is in. Forms ask /api/v1/wards/at to prefill the ward; a
// save whose coordinates lie outside the ward typed is warned about, never
// refused — a GPS fix near a border, or a ward map drawn roughly, must not
// stop a record.

// wardWarnings is the ward_mismatch warning of a record at c in ward, none
// when the coordinates are unknown, no polygon was imported for the ward,
// or the point is inside it. A failure to read the polygons is logged and
// gives no warning: the check is advice, the save goes on.
func (s *Server) wardWarnings(r *http.Request, ward int, c *leoc.Coordinates) []leoc.Warning {
	if c == nil || ward == 0 {
		return nil
	}
	wards, err := s.store.WardAreas(r.Context())
	if err != nil {
		s.log.Error("ward polygons for the ward check", "err", err, "request_id", state(r).id)
		return nil
	}
	p := geo.Point{Lon: c.Longitude, Lat: c.Latitude}
	in, known := wards.InWard(ward, p)
	if !known || in {
		return nil
	}
	if found, ok := wards.WardAt(p); ok {
		return []leoc.Warning{{Kind: leoc.WarnWardMismatch, Field: "ward", Message: leoc.M("warning.ward_mismatch", ward, found)}}
	}
	return []leoc.Warning{{Kind: leoc.WarnWardMismatch, Field: "ward", Message: leoc.M("warning.ward_outside", ward)}}
}

// apiWardAt answers which ward contains lat, lon: {"ward": 6, "polygons": 9},
// ward null when none does; polygons is how many wards have one, so a
// client can tell "outside every ward" from "no ward map imported".
func (s *Server) apiWardAt(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	lat, errLat := strconv.ParseFloat(strings.TrimSpace(bs.ASCIIDigits(q.Get("lat"))), 64)
	lon, errLon := strconv.ParseFloat(strings.TrimSpace(bs.ASCIIDigits(q.Get("lon"))), 64)
	if errLat != nil || errLon != nil || lat < -90 || lat > 90 || lon < -180 || lon > 180 {
		var v leoc.Validation
		if errLat != nil || lat < -90 || lat > 90 {
			v.Add("lat", "wards.at.invalid")
		}
		if errLon != nil || lon < -180 || lon > 180 {
			v.Add("lon", "wards.at.invalid")
		}
		s.renderError(w, r, v.Err())
		return
	}
	wards, err := s.store.WardAreas(r.Context())
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	body := struct {
		Ward     *int `json:"ward"`
		Polygons int  `json:"polygons"`
	}{Polygons: wards.Len()}
	if n, ok := wards.WardAt(geo.Point{Lon: lon, Lat: lat}); ok {
		body.Ward = &n
	}
	s.writeJSON(w, r, http.StatusOK, body)
}
