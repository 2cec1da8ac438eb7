package server

import (
	"errors"
	"net/http"
	"strconv"

	"leoc/internal/tiles"
)

// The map page (issue 11, item 3): Leaflet draws the municipality boundary,
// the ward polygons with their labels, incidents and distributions as
// clustered layers coloured by disaster type, and a ward choropleth. The
// page itself carries no data: map.js fetches the GeoJSON answers of
// map_data.go with the page's filters, so the browser caches them (ETag).

type mapData struct {
	Filter *filterBar
	// Query is the filter as a query string ("" or "?fy=…") for the data
	// URLs, so the page and its data always agree.
	Query string
	// TileURL is the basemap's URL template: "/tiles/{z}/{x}/{y}" for a
	// local archive, the remote template when configured, "" for none.
	TileURL string
	// TileMaxZoom bounds zooming on the local archive's tiles.
	TileMaxZoom int
}

func (s *Server) mapPage(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	bar, _, err := s.incidentFilterBar(r, "/map")
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	d := &mapData{Filter: bar, Query: exportQuery(q), TileURL: s.tileURL(), TileMaxZoom: 19}
	if _, err := s.recordFilter(q, state(r).user); err != nil {
		fm, status := s.formFromError(r, q, err)
		d.Query = ""
		s.renderPageForm(w, r, status, "map", d, fm)
		return
	}
	s.renderPage(w, r, http.StatusOK, "map", d)
}

// tileURL is the basemap the map page uses, "" for none.
func (s *Server) tileURL() string {
	switch {
	case s.tiles != nil:
		return "/tiles/{z}/{x}/{y}"
	case s.cfg.TileURL != "":
		return s.cfg.TileURL
	}
	return ""
}

// tile serves one tile of the local basemap (LEOC_TILES_FILE): 404 for a
// z/x/y outside the tile pyramid, 204 for one the archive does not have.
func (s *Server) tile(w http.ResponseWriter, r *http.Request) {
	if s.tiles == nil {
		s.notFound(w, r)
		return
	}
	z, errZ := strconv.Atoi(r.PathValue("z"))
	x, errX := strconv.Atoi(r.PathValue("x"))
	y, errY := strconv.Atoi(trimTileExt(r.PathValue("y")))
	if errZ != nil || errX != nil || errY != nil {
		s.notFound(w, r)
		return
	}
	if z < 0 || z > 24 || x < 0 || y < 0 || x >= 1<<z || y >= 1<<z {
		s.notFound(w, r)
		return
	}
	b, contentType, err := s.tiles.Tile(r.Context(), z, x, y)
	if errors.Is(err, tiles.ErrNotFound) {
		// An office downloads only its own area and a few zoom levels:
		// beyond them is empty, not an error. 204 leaves Leaflet's tile
		// blank without a failed request in the browser's console.
		w.Header().Set("Cache-Control", "private, max-age=3600")
		w.WriteHeader(http.StatusNoContent)
		return
	}
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", contentType)
	// Tiles change only when the office replaces the archive (a restart);
	// a day of caching keeps the map fast on a slow link.
	w.Header().Set("Cache-Control", "private, max-age=86400")
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	if _, err := w.Write(b); err != nil {
		s.log.Debug("write tile", "err", err, "request_id", state(r).id)
	}
}

// trimTileExt accepts "/tiles/10/742/428.png" as well as ".../428".
func trimTileExt(y string) string {
	for i := 0; i < len(y); i++ {
		if y[i] == '.' {
			return y[:i]
		}
	}
	return y
}

// contentSecurityPolicy is the policy of every answer; a remote tile server
// (LEOC_TILE_URL) is the one other origin it may name, for images only.
func (s *Server) contentSecurityPolicy() string {
	if s.cfg.TileOrigin == "" {
		return contentSecurityPolicy
	}
	return cspWithTileOrigin(s.cfg.TileOrigin)
}

// TileURL is the basemap for the pick-on-map box of the record forms.
func (p *page) TileURL() string { return p.s.tileURL() }
