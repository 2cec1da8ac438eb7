package server

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"hash/crc32"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"leoc/internal/assets"
	"leoc/internal/leoc"
	"leoc/internal/store"
)

// The map's data (issue 11, item 5): GeoJSON FeatureCollections of the
// incidents and distributions of the dashboard filters (fy, type, ward,
// from, to), each feature carrying only what its popup shows, coordinates
// rounded to 5 decimals (about a metre). Beside "features" each answer has
// "types" (the disaster types with label and colour, once, not per
// feature) and "wards" (the per-ward figures of the choropleth, counted
// from the statistics, so records without coordinates count too).
//
// The answers are built by hand into one buffer: encoding/json would
// allocate a map or struct per feature, and 100,000 distributions must be
// answered in well under 200 ms. The ETag comes from the data version (the
// audit trail's head), the query, the language and the user, so an
// unchanged map is answered 304 without reading a single record.

// typeColours are the marker colours of the disaster types in the order of
// the settings list; colour-blind-safe (Okabe–Ito, then Tol's muted).
var typeColours = []string{"#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#882255", "#117733", "#999933", "#332288", "#AA4499", "#44AA99"}

// mapETag answers 304 when the client already has this answer and returns
// false; otherwise it sets the ETag and returns true.
func (s *Server) mapETag(w http.ResponseWriter, r *http.Request, kind string) bool {
	version, err := s.store.DataVersion(r.Context())
	if err != nil {
		s.renderError(w, r, err)
		return false
	}
	st := state(r)
	q := r.URL.Query()
	keys := make([]string, 0, len(q))
	for k := range q {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%d\x00%s\x00%d", kind, version, st.lang, st.user.ID)
	for _, k := range keys {
		fmt.Fprintf(h, "\x00%s=%q", k, q[k])
	}
	etag := `"` + kind + "-" + strconv.FormatInt(version, 36) + "-" + hex.EncodeToString(h.Sum(nil)[:9]) + `"`
	w.Header().Set("ETag", etag)
	// private: the answer may name households; no-cache: the browser keeps
	// it but asks each time, so a change shows at once and costs a 304
	// otherwise.
	w.Header().Set("Cache-Control", "private, no-cache")
	if etagMatches(r.Header.Get("If-None-Match"), etag) {
		w.WriteHeader(http.StatusNotModified)
		return false
	}
	return true
}

// etagMatches implements If-None-Match's weak comparison over a list.
func etagMatches(header, etag string) bool {
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == "*" || t == etag {
			return true
		}
	}
	return false
}

// geoJSONWriter appends a FeatureCollection to one buffer.
type geoJSONWriter struct {
	b     []byte
	first bool
}

func newGeoJSON(capacity int) *geoJSONWriter {
	g := &geoJSONWriter{b: make([]byte, 0, capacity), first: true}
	g.b = append(g.b, `{"type":"FeatureCollection","features":[`...)
	return g
}

// point starts a feature at lon, lat (rounded to 5 decimals) and opens its
// properties; the caller appends them with the prop methods and ends with
// end.
func (g *geoJSONWriter) point(lon, lat float64) {
	if !g.first {
		g.b = append(g.b, ',')
	}
	g.first = false
	g.b = append(g.b, `{"type":"Feature","geometry":{"type":"Point","coordinates":[`...)
	g.b = appendRounded(g.b, lon)
	g.b = append(g.b, ',')
	g.b = appendRounded(g.b, lat)
	g.b = append(g.b, `]},"properties":{`...)
}

func (g *geoJSONWriter) int(name string, v int64, more bool) {
	g.b = append(g.b, '"')
	g.b = append(g.b, name...)
	g.b = append(g.b, `":`...)
	g.b = strconv.AppendInt(g.b, v, 10)
	if more {
		g.b = append(g.b, ',')
	}
}

func (g *geoJSONWriter) str(name, v string, more bool) {
	g.b = append(g.b, '"')
	g.b = append(g.b, name...)
	g.b = append(g.b, `":`...)
	g.b = appendJSONString(g.b, v)
	if more {
		g.b = append(g.b, ',')
	}
}

// bytes is str for the driver's buffers (see store.DistributionPoint).
func (g *geoJSONWriter) bytes(name string, v []byte, more bool) {
	g.b = append(g.b, '"')
	g.b = append(g.b, name...)
	g.b = append(g.b, `":`...)
	g.b = appendJSONBytes(g.b, v)
	if more {
		g.b = append(g.b, ',')
	}
}

// money appends an amount as the API writes money everywhere: rupees as a
// decimal string, "1500.50". It is the last property.
func (g *geoJSONWriter) money(name string, m leoc.Money) {
	g.b = append(g.b, '"')
	g.b = append(g.b, name...)
	g.b = append(g.b, `":"`...)
	if m < 0 {
		g.b = append(g.b, '-')
		m = -m
	}
	g.b = strconv.AppendInt(g.b, int64(m/100), 10)
	g.b = append(g.b, '.', byte('0'+m%100/10), byte('0'+m%10), '"')
}

func (g *geoJSONWriter) end() { g.b = append(g.b, "}}"...) }

// finish closes the features and appends the other members, each a
// ready JSON value.
func (g *geoJSONWriter) finish(members ...[2]string) []byte {
	g.b = append(g.b, ']')
	for _, m := range members {
		g.b = append(g.b, `,"`...)
		g.b = append(g.b, m[0]...)
		g.b = append(g.b, `":`...)
		g.b = append(g.b, m[1]...)
	}
	return append(g.b, "}\n"...)
}

func appendRounded(b []byte, v float64) []byte {
	return strconv.AppendFloat(b, math.Round(v*1e5)/1e5, 'f', -1, 64)
}

// appendJSONString appends s as a JSON string: quotes, backslashes and
// control characters escaped, '<', '>' and '&' too (the answer may be read
// by a page), invalid UTF-8 replaced; everything else as it is.
func appendJSONString(b []byte, s string) []byte {
	return appendJSONText(b, s, utf8.DecodeRuneInString)
}

// appendJSONBytes is appendJSONString for the driver's buffers, not copied.
func appendJSONBytes(b []byte, s []byte) []byte { return appendJSONText(b, s, utf8.DecodeRune) }

func appendJSONText[T string | []byte](b []byte, s T, decode func(T) (rune, int)) []byte {
	const hexDigits = "0123456789abcdef"
	b = append(b, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '"' || c == '\\':
				b = append(b, '\\', c)
			case c < 0x20 || c == '<' || c == '>' || c == '&':
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			default:
				b = append(b, c)
			}
			i++
			continue
		}
		r, size := decode(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, `\ufffd`...)
		} else if r == '\u2028' || r == '\u2029' {
			b = append(b, `\u202`...)
			b = append(b, hexDigits[r&0xf])
		} else {
			b = append(b, s[i:i+size]...)
		}
		i += size
	}
	return append(b, '"')
}

// typesMember is the "types" member: every disaster type of the list with
// its label in lang and its marker colour.
func (s *Server) typesMember(r *http.Request, lang string) (string, error) {
	choices, _, err := s.incidentTypeLabels(r, lang)
	if err != nil {
		return "", err
	}
	b := []byte{'['}
	for i, c := range choices {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"key":`...)
		b = appendJSONString(b, c.Value)
		b = append(b, `,"label":`...)
		b = appendJSONString(b, c.Label)
		b = append(b, `,"color":"`...)
		b = append(b, typeColours[i%len(typeColours)]...)
		b = append(b, `"}`...)
	}
	return string(append(b, ']')), nil
}

func (s *Server) apiMapIncidents(w http.ResponseWriter, r *http.Request) {
	f, err := s.recordFilter(r.URL.Query(), state(r).user)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	if !s.mapETag(w, r, "incidents") || s.serveCached(w, r) {
		return
	}
	lang := state(r).lang
	points, err := s.store.IncidentPoints(r.Context(), f)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	stats, err := s.store.IncidentStats(r.Context(), f)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	types, err := s.typesMember(r, lang)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	g := newGeoJSON(200 * (len(points) + 1))
	for _, p := range points {
		g.point(p.Lon, p.Lat)
		g.int("id", p.ID, true)
		g.str("date", p.DateBS, true)
		g.str("type", p.Type, true)
		g.int("ward", int64(p.Ward), true)
		g.int("deaths", p.Deaths, true)
		g.int("missing", p.Missing, true)
		g.int("injured", p.Injured, true)
		g.int("households", p.AffectedHouseholds, false)
		g.end()
	}
	wards := []byte{'['}
	for i, wf := range stats.ByWard {
		if i > 0 {
			wards = append(wards, ',')
		}
		wards = fmt.Appendf(wards, `{"ward":%d,"incidents":%d,"deaths":%d}`, wf.Ward, wf.Incidents, wf.Counts[leoc.Deaths])
	}
	wards = append(wards, ']')
	s.writeGeoJSON(w, r, g.finish([2]string{"types", types}, [2]string{"wards", string(wards)}))
}

func (s *Server) apiMapDistributions(w http.ResponseWriter, r *http.Request) {
	u := state(r).user
	f, err := s.distributionFilter(r.URL.Query(), u)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	if !s.mapETag(w, r, "distributions") || s.serveCached(w, r) {
		return
	}
	lang := state(r).lang
	stats, err := s.store.DistributionStats(r.Context(), f)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	types, err := s.typesMember(r, lang)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	// The rows are read in s.mapParts id ranges at once (see
	// store.DistributionPoints), each part built into its own writer; the
	// parts' buffers are the answer's segments in order, and writeGeoJSON
	// compresses them at once too.
	parts := s.mapParts
	size := 160 * int(min(stats.Totals.Distributions+1, 200_000)) / parts
	gs := make([]*geoJSONWriter, parts)
	hidden := make([]int, parts)
	for i := range gs {
		if i == 0 {
			gs[i] = newGeoJSON(size)
		} else {
			// Later parts begin every feature with a comma; one
			// before the first feature of the answer is cut below.
			gs[i] = &geoJSONWriter{b: make([]byte, 0, size)}
		}
	}
	// The list rules decide, through the same masking as the lists: a
	// distribution whose personal data the user may not see loses its
	// name and its position (the household's home), so it is no point on
	// the map; it still counts in the ward figures.
	ds := make([]leoc.Distribution, parts)
	places := make([]leoc.Coordinates, parts)
	err = s.store.DistributionPoints(r.Context(), f, parts, func(part int, p *store.DistributionPoint) {
		d, g := &ds[part], gs[part]
		d.Ward, d.Coords, d.Masked = p.Ward, &places[part], false
		maskDistribution(u, d)
		if d.Masked || d.Coords == nil {
			hidden[part]++
			return
		}
		g.point(p.Lon, p.Lat)
		g.int("id", p.ID, true)
		g.bytes("date", p.DateBS, true)
		g.bytes("type", p.Type, true)
		g.int("ward", int64(p.Ward), true)
		g.bytes("name", p.HouseholdName, true)
		g.money("cash", p.Cash)
		g.end()
	})
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	wards := []byte{'['}
	for i, wf := range stats.ByWard {
		if i > 0 {
			wards = append(wards, ',')
		}
		wards = fmt.Appendf(wards, `{"ward":%d,"distributions":%d,"households":%d}`, wf.Ward, wf.Distributions, wf.Households)
	}
	wards = append(wards, ']')
	// The parts in order are the answer: the first comma of a later part
	// goes when no earlier part has a feature, and the last part ends it.
	segments := make([][]byte, parts)
	anyFeature := !gs[0].first
	for i, g := range gs {
		segments[i] = g.b
		if i > 0 && len(g.b) > 0 {
			if !anyFeature {
				segments[i] = g.b[1:]
			}
			anyFeature = true
		}
	}
	totalHidden := 0
	for _, n := range hidden {
		totalHidden += n
	}
	gs[parts-1].b = segments[parts-1]
	segments[parts-1] = gs[parts-1].finish([2]string{"types", types}, [2]string{"wards", string(wards)}, [2]string{"hidden", strconv.Itoa(totalHidden)})
	s.writeGeoJSONSegments(w, r, segments)
}

// mapGzipLevel is the compression of large map answers. The middleware's
// default level takes longer than building the answer for 100,000
// distributions; this level keeps them well under 3 MB (docs/map.md has
// the measurements).
const mapGzipLevel = gzip.BestSpeed

// largeAnswer is the size above which writeGeoJSON compresses itself.
const largeAnswer = 256 << 10

// writeGeoJSON sends a built answer. A large one is gzipped here at
// mapGzipLevel for clients that accept it, and kept in the map cache under
// its ETag; smaller ones are left to the compression middleware.
func (s *Server) writeGeoJSON(w http.ResponseWriter, r *http.Request, body []byte) {
	s.writeGeoJSONSegments(w, r, [][]byte{body})
}

// writeGeoJSONSegments is writeGeoJSON for an answer built in segments,
// the answer being their concatenation; a large one's segments are
// compressed at once (see gzipSegments).
func (s *Server) writeGeoJSONSegments(w http.ResponseWriter, r *http.Request, segments [][]byte) {
	h := w.Header()
	h.Set("Content-Type", "application/geo+json; charset=utf-8")
	size := 0
	for _, seg := range segments {
		size += len(seg)
	}
	var body []byte
	if len(segments) == 1 {
		body = segments[0]
	}
	large := size >= s.largeMapAnswer
	if large {
		addVary(h)
		if acceptsGzip(r) {
			z, err := gzipSegments(segments, mapGzipLevel)
			if err != nil {
				s.renderError(w, r, err)
				return
			}
			h.Set("Content-Encoding", "gzip")
			body = z
			s.mapCache.put(h.Get("ETag"), body)
		}
	}
	if body == nil {
		body = bytes.Join(segments, nil)
	}
	if large {
		h.Set("Content-Length", strconv.Itoa(len(body)))
	}
	w.WriteHeader(http.StatusOK)
	if _, err := w.Write(body); err != nil {
		s.log.Debug("write map data", "err", err, "request_id", state(r).id)
	}
}

// gzipSegments gzips the concatenation of segments, compressing each
// segment in its own goroutine (as pigz does): DEFLATE is a sequence of
// blocks, so each segment but the last is ended with a sync flush (an
// empty stored block that leaves the stream on a byte boundary and does
// not end it) and the streams are concatenated into one, which the gzip
// header and the trailer (CRC-32 and size of the whole) wrap. A segment
// does not refer back into the one before, which costs a little size.
// Compressing 14 MB at BestSpeed takes about as long as building it, so
// on two cores this halves it.
func gzipSegments(segments [][]byte, level int) ([]byte, error) {
	deflated := make([]bytes.Buffer, len(segments))
	errs := make([]error, len(segments))
	var wg sync.WaitGroup
	for i, seg := range segments {
		wg.Go(func() {
			buf := &deflated[i]
			buf.Grow(len(seg)/6 + 64)
			fw, err := flate.NewWriter(buf, level)
			if err == nil {
				_, err = fw.Write(seg)
			}
			if err == nil {
				if i < len(segments)-1 {
					err = fw.Flush()
				} else {
					err = fw.Close()
				}
			}
			errs[i] = err
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	size, crc, n := 0, uint32(0), 0
	for i, seg := range segments {
		crc = crc32.Update(crc, crc32.IEEETable, seg)
		size += len(seg)
		n += deflated[i].Len()
	}
	// RFC 1952: magic, deflate, no flags, no time, extra flags as
	// compress/gzip sets them, unknown OS.
	xfl := byte(0)
	switch level {
	case gzip.BestSpeed:
		xfl = 4
	case gzip.BestCompression:
		xfl = 2
	}
	out := make([]byte, 0, 10+n+8)
	out = append(out, 0x1f, 0x8b, 8, 0, 0, 0, 0, 0, xfl, 255)
	for i := range deflated {
		out = append(out, deflated[i].Bytes()...)
	}
	out = binary.LittleEndian.AppendUint32(out, crc)
	return binary.LittleEndian.AppendUint32(out, uint32(size)), nil
}

// apiWardsGeoJSON serves the ward polygons as a FeatureCollection: each
// ward's geometry, its number and names, and the properties its feature had
// in the imported file (under "source").
func (s *Server) apiWardsGeoJSON(w http.ResponseWriter, r *http.Request) {
	if !s.mapETag(w, r, "wards") {
		return
	}
	polys, err := s.store.WardPolygons(r.Context())
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	b := []byte(`{"type":"FeatureCollection","features":[`)
	for i, p := range polys {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"type":"Feature","id":`...)
		b = strconv.AppendInt(b, int64(p.Ward), 10)
		b = append(b, `,"geometry":`...)
		b = append(b, p.Geometry...)
		b = fmt.Appendf(b, `,"properties":{"ward":%d,"name_ne":`, p.Ward)
		b = appendJSONString(b, p.NameNe)
		b = append(b, `,"name_en":`...)
		b = appendJSONString(b, p.NameEn)
		b = append(b, `,"source":`...)
		b = append(b, p.Properties...)
		b = append(b, "}}"...)
	}
	s.writeGeoJSON(w, r, append(b, "]}\n"...))
}

// apiBoundaryGeoJSON serves the municipality boundary imported with `leoc
// boundary import`, as it was imported; an empty FeatureCollection when
// none was.
func (s *Server) apiBoundaryGeoJSON(w http.ResponseWriter, r *http.Request) {
	if !s.mapETag(w, r, "boundary") {
		return
	}
	body, err := s.store.Boundary(r.Context())
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	if body == "" {
		body = `{"type":"FeatureCollection","features":[]}`
	}
	s.writeGeoJSON(w, r, []byte(body))
}

func acceptsGzip(r *http.Request) bool { return assets.AcceptsGzip(r.Header.Get("Accept-Encoding")) }
