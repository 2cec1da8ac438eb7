package server

import "leoc/internal/leoc"

// mapRoutes are the map page, its data and the offline tiles (docs/map.md).
func (s *Server) mapRoutes() []route {
	read := leoc.PermRead
	return []route{
		{pattern: "GET /map", access: authenticated, perm: read, h: s.mapPage},
		{pattern: "GET /tiles/{z}/{x}/{y}", access: authenticated, perm: read, h: s.tile},
		{pattern: "GET /api/v1/map/incidents", access: authenticated, perm: read, h: s.apiMapIncidents},
		{pattern: "GET /api/v1/map/distributions", access: authenticated, perm: read, h: s.apiMapDistributions},
		{pattern: "GET /api/v1/wards.geojson", access: authenticated, perm: read, h: s.apiWardsGeoJSON},
		{pattern: "GET /api/v1/wards/at", access: authenticated, perm: read, h: s.apiWardAt},
		{pattern: "GET /api/v1/boundary.geojson", access: authenticated, perm: read, h: s.apiBoundaryGeoJSON},
	}
}
