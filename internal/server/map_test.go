package server

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"image/color"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"leoc/internal/config"
	"leoc/internal/geo"
	"leoc/internal/leoc"
	"leoc/internal/sharedtest"
	"leoc/internal/store"
	"leoc/internal/store/storetest"
	"leoc/internal/tiles"
	"leoc/internal/tiles/tilestest"
)

// importThalaraWards stores the shared Thalara ward polygons as `leoc wards
// import FILE --number-property id` does, and returns their index.
func importThalaraWards(t testing.TB, st *store.Store) *geo.Wards {
	t.Helper()
	data, err := os.ReadFile(sharedtest.Path(t, "thalara_wards.json"))
	if err != nil {
		t.Fatal(err)
	}
	fs, err := geo.ParseFeatures(data)
	if err != nil {
		t.Fatal(err)
	}
	var polys []store.WardPolygon
	for _, f := range fs {
		n, err := f.Number("id")
		if err != nil {
			t.Fatal(err)
		}
		polys = append(polys, store.WardPolygon{Ward: n, Geometry: string(f.Area.GeoJSON()), Properties: string(f.Properties)})
	}
	if err := st.ImportWardPolygons(t.Context(), store.SystemActor, polys, false, nil); err != nil {
		t.Fatal(err)
	}
	wards, err := st.WardAreas(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	return wards
}

// wellInside finds a point of ward n whose neighbours 200 m away are in
// ward n too, on a grid over Thalara.
func wellInside(t testing.TB, wards *geo.Wards, n int) geo.Point {
	t.Helper()
	const step = 0.002
	for lat := 29.38; lat < 29.52; lat += step {
		for lon := 80.89; lon < 81.15; lon += step {
			p := geo.Point{Lon: lon, Lat: lat}
			ok := true
			for _, q := range []geo.Point{p, {Lon: lon + step, Lat: lat}, {Lon: lon - step, Lat: lat}, {Lon: lon, Lat: lat + step}, {Lon: lon, Lat: lat - step}} {
				if w, found := wards.WardAt(q); !found || w != n {
					ok = false
					break
				}
			}
			if ok {
				return p
			}
		}
	}
	t.Fatalf("no point well inside ward %d", n)
	return geo.Point{}
}

func TestWardsGeoJSONAndWardAt(t *testing.T) {
	each(t, func(t *testing.T, e *testEnv) {
		viewer := e.tokens[leoc.RoleViewer]
		if w := e.do(req{method: "GET", path: "/api/v1/wards.geojson"}); w.Code != http.StatusUnauthorized {
			t.Fatalf("anonymous: %d", w.Code)
		}
		w := e.do(req{method: "GET", path: "/api/v1/wards.geojson", token: viewer})
		if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), `"features":[]`) {
			t.Fatalf("before import: %d %s", w.Code, w.Body)
		}
		w = e.do(req{method: "GET", path: "/api/v1/wards/at?lat=29.45&lon=81.0", token: viewer})
		if w.Code != http.StatusOK || w.Body.String() != `{"ward":null,"polygons":0}`+"\n" {
			t.Fatalf("ward at, before import: %d %s", w.Code, w.Body)
		}

		wards := importThalaraWards(t, e.st)
		w = e.do(req{method: "GET", path: "/api/v1/wards.geojson", token: viewer})
		if ct := w.Header().Get("Content-Type"); w.Code != http.StatusOK || ct != "application/geo+json; charset=utf-8" {
			t.Fatalf("wards.geojson: %d %q", w.Code, ct)
		}
		var fc struct {
			Features []struct {
				ID         int `json:"id"`
				Geometry   struct{ Type string }
				Properties struct {
					Ward   int               `json:"ward"`
					NameNe string            `json:"name_ne"`
					Source map[string]string `json:"source"`
				}
			}
		}
		if err := json.Unmarshal(w.Body.Bytes(), &fc); err != nil {
			t.Fatal(err)
		}
		if len(fc.Features) != 9 {
			t.Fatalf("%d features", len(fc.Features))
		}
		for i, f := range fc.Features {
			if f.ID != i+1 || f.Properties.Ward != i+1 || f.Geometry.Type != "Polygon" || f.Properties.NameNe == "" ||
				f.Properties.Source["id"] != fmt.Sprintf("ward_%d", i+1) || f.Properties.Source["name"] != fmt.Sprintf("Ward %d", i+1) {
				t.Errorf("feature %d: %+v", i, f)
			}
		}
		etag := w.Header().Get("ETag")
		if w := e.do(req{method: "GET", path: "/api/v1/wards.geojson", token: viewer, header: map[string]string{"If-None-Match": etag}}); w.Code != http.StatusNotModified || w.Body.Len() != 0 {
			t.Fatalf("If-None-Match: %d", w.Code)
		}

		for n := 1; n <= 9; n++ {
			p := wellInside(t, wards, n)
			w := e.do(req{method: "GET", path: fmt.Sprintf("/api/v1/wards/at?lat=%f&lon=%f", p.Lat, p.Lon), token: viewer})
			if want := fmt.Sprintf(`{"ward":%d,"polygons":9}`, n); strings.TrimSpace(w.Body.String()) != want {
				t.Errorf("ward at %v: %s, want %s", p, w.Body, want)
			}
		}
		if w := e.do(req{method: "GET", path: "/api/v1/wards/at?lat=27.7&lon=85.3", token: viewer}); strings.TrimSpace(w.Body.String()) != `{"ward":null,"polygons":9}` {
			t.Errorf("Kathmandu: %s", w.Body)
		}
		for _, q := range []string{"lat=abc&lon=81", "lat=29.4", "lat=91&lon=81", "lat=29&lon=181"} {
			w := e.do(req{method: "GET", path: "/api/v1/wards/at?" + q, token: viewer, header: map[string]string{"Accept-Language": "en"}})
			if w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), "decimal numbers") {
				t.Errorf("%s: %d %s", q, w.Code, w.Body)
			}
		}
	})
}

// mapFeatures decodes a map answer (gunzipping it when it is gzipped).
type mapAnswer struct {
	Features []struct {
		Geometry struct {
			Type        string
			Coordinates []float64
		}
		Properties map[string]any
	}
	Types  []struct{ Key, Label, Color string }
	Wards  []map[string]int
	Hidden int
}

func decodeMap(t *testing.T, w interface {
	Result() *http.Response
}) mapAnswer {
	t.Helper()
	res := w.Result()
	var r io.Reader = res.Body
	if res.Header.Get("Content-Encoding") == "gzip" {
		zr, err := gzip.NewReader(res.Body)
		if err != nil {
			t.Fatal(err)
		}
		r = zr
	}
	var a mapAnswer
	if err := json.NewDecoder(r).Decode(&a); err != nil {
		t.Fatal(err)
	}
	return a
}

func TestMapIncidents(t *testing.T) {
	each(t, func(t *testing.T, e *testEnv) {
		officer, viewer := e.tokens[leoc.RoleOfficer], e.tokens[leoc.RoleViewer]
		wards := importThalaraWards(t, e.st)
		p3, p5 := wellInside(t, wards, 3), wellInside(t, wards, 5)
		create := func(typ string, ward int, lat, lon float64, coords bool) {
			body := fmt.Sprintf(`{"date_bs":"2082-10-15","type":%q,"ward":%d,"description":"x","deaths":2,"injured":1,"affected_households":4`, typ, ward)
			if coords {
				body += fmt.Sprintf(`,"latitude":%.9f,"longitude":%.9f`, lat, lon)
			}
			w := e.do(req{method: "POST", path: "/api/v1/incidents", body: body + "}", token: officer})
			if w.Code != http.StatusCreated {
				t.Fatalf("create: %d %s", w.Code, w.Body)
			}
		}
		create("landslide", 3, p3.Lat+0.0000012345, p3.Lon+0.0000045678, true)
		create("flood", 5, p5.Lat, p5.Lon, true)
		create("flood", 5, 0, 0, false) // no coordinates: counted in the ward figures only

		w := e.do(req{method: "GET", path: "/api/v1/map/incidents", token: viewer})
		if w.Code != http.StatusOK || w.Header().Get("ETag") == "" || w.Header().Get("Cache-Control") != "private, no-cache" {
			t.Fatalf("map incidents: %d %v", w.Code, w.Header())
		}
		a := decodeMap(t, w)
		if len(a.Features) != 2 {
			t.Fatalf("%d features, want 2", len(a.Features))
		}
		f := a.Features[0]
		wantKeys := "date,deaths,households,id,injured,missing,type,ward"
		var keys []string
		for k := range f.Properties {
			keys = append(keys, k)
		}
		if got := strings.Join(sortedStrings(keys), ","); got != wantKeys {
			t.Errorf("properties %s, want only %s", got, wantKeys)
		}
		// Coordinates rounded to 5 decimals.
		for _, c := range f.Geometry.Coordinates {
			if math.Abs(c*1e5-math.Round(c*1e5)) > 1e-6 {
				t.Errorf("coordinate %v not rounded to 5 decimals", c)
			}
		}
		if f.Properties["type"] != "landslide" || f.Properties["deaths"] != 2.0 || f.Properties["ward"] != 3.0 || f.Properties["date"] != "2082-10-15" {
			t.Errorf("properties %v", f.Properties)
		}
		if len(a.Types) == 0 || a.Types[0].Color == "" {
			t.Errorf("types %v", a.Types)
		}
		if fmt.Sprint(a.Wards) != "[map[deaths:2 incidents:1 ward:3] map[deaths:4 incidents:2 ward:5]]" {
			t.Errorf("wards %v", a.Wards)
		}

		// Filters, as on the dashboard.
		for q, n := range map[string]int{"type=flood": 1, "ward=3": 1, "ward=3&ward=5": 2, "fy=2082/83": 2, "fy=2081/82": 0, "type=fire": 0} {
			w := e.do(req{method: "GET", path: "/api/v1/map/incidents?" + q, token: viewer})
			if a := decodeMap(t, w); w.Code != http.StatusOK || len(a.Features) != n {
				t.Errorf("%s: %d, %d features, want %d", q, w.Code, len(a.Features), n)
			}
		}
		if w := e.do(req{method: "GET", path: "/api/v1/map/incidents?fy=82", token: viewer}); w.Code != http.StatusBadRequest {
			t.Errorf("bad fiscal year: %d", w.Code)
		}

		// ETag: unchanged data answers 304; a new record, another query or
		// another language gives a new tag.
		etag := w.Header().Get("ETag")
		if w := e.do(req{method: "GET", path: "/api/v1/map/incidents", token: viewer, header: map[string]string{"If-None-Match": etag}}); w.Code != http.StatusNotModified {
			t.Fatalf("If-None-Match: %d", w.Code)
		}
		if w := e.do(req{method: "GET", path: "/api/v1/map/incidents?type=flood", token: viewer, header: map[string]string{"If-None-Match": etag}}); w.Code != http.StatusOK {
			t.Errorf("other filter with the old tag: %d", w.Code)
		}
		create("fire", 3, p3.Lat, p3.Lon, true)
		w = e.do(req{method: "GET", path: "/api/v1/map/incidents", token: viewer, header: map[string]string{"If-None-Match": etag}})
		if a := decodeMap(t, w); w.Code != http.StatusOK || len(a.Features) != 3 || w.Header().Get("ETag") == etag {
			t.Errorf("after a new incident: %d, %d features", w.Code, len(a.Features))
		}
		// Larger answers are gzipped for clients that accept it.
		for range 12 {
			create("fire", 3, p3.Lat, p3.Lon, true)
		}
		w = e.do(req{method: "GET", path: "/api/v1/map/incidents", token: viewer, header: map[string]string{"Accept-Encoding": "gzip"}})
		if a := decodeMap(t, w); w.Header().Get("Content-Encoding") != "gzip" || len(a.Features) != 15 {
			t.Errorf("gzip: %q, %d features", w.Header().Get("Content-Encoding"), len(a.Features))
		}
	})
}

func sortedStrings(s []string) []string {
	for i := range s {
		for j := i + 1; j < len(s); j++ {
			if s[j] < s[i] {
				s[i], s[j] = s[j], s[i]
			}
		}
	}
	return s
}

func TestMapDistributionsFollowTheListRules(t *testing.T) {
	each(t, func(t *testing.T, e *testEnv) {
		officer := e.tokens[leoc.RoleOfficer]
		fundIncome(t, e)
		wards := importThalaraWards(t, e.st)
		p3 := wellInside(t, wards, 3)
		body := strings.Replace(distributionBody, `"ward":3,`, fmt.Sprintf(`"ward":3,"latitude":%f,"longitude":%f,`, p3.Lat, p3.Lon), 1)
		w := e.do(req{method: "POST", path: "/api/v1/distributions", body: body, token: officer})
		if w.Code != http.StatusCreated {
			t.Fatalf("create: %d %s", w.Code, w.Body)
		}
		if ws := decodeBody(t, w)["warnings"]; fmt.Sprint(ws) != "[]" {
			t.Errorf("coordinates inside ward 3: warnings %v", ws)
		}
		// The officer sees the household: name and place.
		w = e.do(req{method: "GET", path: "/api/v1/map/distributions", token: officer})
		a := decodeMap(t, w)
		if w.Code != http.StatusOK || len(a.Features) != 1 || a.Features[0].Properties["name"] != "राम बहादुर थापा" || a.Hidden != 0 {
			t.Fatalf("officer: %d %+v", w.Code, a)
		}
		if a.Features[0].Properties["cash"] != "1500.50" {
			t.Errorf("cash %v", a.Features[0].Properties["cash"])
		}
		if fmt.Sprint(a.Wards) != "[map[distributions:1 households:1 ward:3]]" {
			t.Errorf("wards %v", a.Wards)
		}
		// A viewer sees households masked in the lists: no name, no place;
		// the distribution still counts in the ward figures.
		w = e.do(req{method: "GET", path: "/api/v1/map/distributions", token: e.tokens[leoc.RoleViewer]})
		a = decodeMap(t, w)
		if w.Code != http.StatusOK || len(a.Features) != 0 || a.Hidden != 1 || strings.Contains(w.Body.String(), "थापा") || len(a.Wards) != 1 {
			t.Fatalf("viewer: %d %s", w.Code, w.Body)
		}
		// A writer limited to ward 5 does not see ward 3's households.
		u := &leoc.User{Username: "ward5", Role: leoc.RoleOfficer, Wards: []int{5}}
		if err := e.st.CreateUser(t.Context(), store.SystemActor, u, "x"); err != nil {
			t.Fatal(err)
		}
		w = e.do(req{method: "GET", path: "/api/v1/map/distributions?ward=3", token: e.newToken(u)})
		if a := decodeMap(t, w); w.Code != http.StatusOK || len(a.Features) != 0 || a.Hidden != 1 {
			t.Fatalf("ward-5 officer: %d %s", w.Code, w.Body)
		}
	})
}

// fundIncome puts money in the fund, so distributions with cash can be
// saved.
func fundIncome(t *testing.T, e *testEnv) {
	t.Helper()
	income := `{"kind":"income","amount":"100000","description":"test","date_bs":"2082-10-01"}`
	if w := e.do(req{method: "POST", path: "/api/v1/funds/transactions", body: income, token: e.tokens[leoc.RoleFinance]}); w.Code != http.StatusCreated {
		t.Fatalf("income: %d %s", w.Code, w.Body)
	}
}

func TestWardMismatchWarnings(t *testing.T) {
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			testWardMismatchWarnings(t, newEnv(t, b, func(c *config.Config) { c.EditWindow = time.Hour }))
		})
	}
}

func testWardMismatchWarnings(t *testing.T, e *testEnv) {
	{
		officer := e.tokens[leoc.RoleOfficer]
		fundIncome(t, e)
		en := map[string]string{"Accept-Language": "en"}
		// Without ward polygons nothing can be said: no warning.
		w := e.do(req{method: "POST", path: "/api/v1/incidents", body: incidentBody, token: officer})
		if w.Code != http.StatusCreated || fmt.Sprint(decodeBody(t, w)["warnings"]) != "[]" {
			t.Fatalf("no polygons: %d %s", w.Code, w.Body)
		}
		wards := importThalaraWards(t, e.st)
		p5 := wellInside(t, wards, 5)
		at5 := fmt.Sprintf(`"latitude":%f,"longitude":%f`, p5.Lat, p5.Lon)
		body := strings.Replace(incidentBody, `"latitude":29.4512,"longitude":81.0123`, at5, 1)
		w = e.do(req{method: "POST", path: "/api/v1/incidents", body: body, token: officer, header: en})
		if w.Code != http.StatusCreated {
			t.Fatalf("create: %d %s", w.Code, w.Body)
		}
		var answer struct {
			ID       int64 `json:"id"`
			Ward     int   `json:"ward"`
			Warnings []struct{ Kind, Field, Message string }
		}
		json.Unmarshal(w.Body.Bytes(), &answer)
		if answer.Ward != 3 || len(answer.Warnings) != 1 || answer.Warnings[0].Kind != "ward_mismatch" || answer.Warnings[0].Field != "ward" ||
			answer.Warnings[0].Message != "The coordinates are not inside ward 3; on the map they are in ward 5." {
			t.Fatalf("saved with warnings %+v", answer)
		}
		// The update that moves it to ward 5 has none.
		put := strings.Replace(strings.Replace(body, `"ward":3`, `"ward":5`, 1), `"tole"`, `"version":1,"tole"`, 1)
		w = e.do(req{method: "PUT", path: fmt.Sprintf("/api/v1/incidents/%d", answer.ID), body: put, token: officer})
		if w.Code != http.StatusOK || fmt.Sprint(decodeBody(t, w)["warnings"]) != "[]" {
			t.Fatalf("update into ward 5: %d %s", w.Code, w.Body)
		}
		// Outside every ward.
		far := strings.Replace(incidentBody, `"latitude":29.4512,"longitude":81.0123`, `"latitude":27.7,"longitude":85.3`, 1)
		w = e.do(req{method: "POST", path: "/api/v1/incidents", body: far, token: officer, header: en})
		if !strings.Contains(w.Body.String(), `"kind":"ward_mismatch"`) || !strings.Contains(w.Body.String(), "nor inside any other ward") {
			t.Fatalf("outside: %d %s", w.Code, w.Body)
		}
		// A distribution in ward 3 at a place in ward 5: saved, warned.
		dist := strings.Replace(distributionBody, `"ward":3,`, `"ward":3,`+at5+`,`, 1)
		w = e.do(req{method: "POST", path: "/api/v1/distributions", body: dist, token: officer, header: en})
		if w.Code != http.StatusCreated || !strings.Contains(w.Body.String(), `{"kind":"ward_mismatch","field":"ward","message":"The coordinates are not inside ward 3; on the map they are in ward 5."}`) {
			t.Fatalf("distribution: %d %s", w.Code, w.Body)
		}
	}
}

func TestTilesAndCSP(t *testing.T) {
	e := newEnv(t, backendSQLite())
	viewer := e.tokens[leoc.RoleViewer]
	if w := e.do(req{method: "GET", path: "/tiles/10/742/428", token: viewer}); w.Code != http.StatusNotFound {
		t.Errorf("no basemap: %d", w.Code)
	}
	if csp := e.do(req{method: "GET", path: "/map", token: viewer}).Header().Get("Content-Security-Policy"); !strings.Contains(csp, "img-src 'self' data:;") {
		t.Errorf("default CSP %q", csp)
	}

	png := tilestest.PNG(t, color.RGBA{10, 120, 40, 255})
	src, err := tiles.Open(tilestest.MBTiles(t, []tilestest.Tile{{Z: 10, X: 742, Y: 428, Data: png}}))
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	e.s.tiles = src
	for path, code := range map[string]int{"/tiles/10/742/428": 200, "/tiles/10/742/428.png": 200, "/tiles/10/743/428": 204, "/tiles/x/1/2": 404, "/tiles/40/1/2": 404} {
		w := e.do(req{method: "GET", path: path, token: viewer})
		if w.Code != code || (code == 200 && (w.Header().Get("Content-Type") != "image/png" || w.Body.Len() != len(png))) {
			t.Errorf("%s: %d %q", path, w.Code, w.Header().Get("Content-Type"))
		}
	}
	if w := e.do(req{method: "GET", path: "/tiles/10/742/428"}); w.Code == http.StatusOK {
		t.Errorf("anonymous tile: %d", w.Code)
	}
	if w := e.do(req{method: "GET", path: "/map", token: viewer}); !strings.Contains(w.Body.String(), `data-tiles="/tiles/{z}/{x}/{y}"`) {
		t.Errorf("map page does not use the local tiles")
	}

	remote := newEnv(t, backendSQLite(), func(c *config.Config) {
		c.TileURL, c.TileOrigin = "https://tiles.example.org/{z}/{x}/{y}.png", "https://tiles.example.org"
	})
	w := remote.do(req{method: "GET", path: "/map", token: remote.tokens[leoc.RoleViewer]})
	if csp := w.Header().Get("Content-Security-Policy"); !strings.Contains(csp, "img-src 'self' data: https://tiles.example.org;") || strings.Contains(csp, "connect-src 'self' https") {
		t.Errorf("CSP with a remote tile server %q", csp)
	}
	if !strings.Contains(w.Body.String(), `data-tiles="https://tiles.example.org/{z}/{x}/{y}.png"`) {
		t.Errorf("map page without the remote tiles")
	}
}

func TestMapPage(t *testing.T) {
	e := newEnv(t, backendSQLite())
	for _, lang := range []string{"ne", "en"} {
		w := e.do(req{method: "GET", path: "/map?fy=2082/83&type=flood", token: e.tokens[leoc.RoleViewer], header: map[string]string{"Accept-Language": lang}})
		body := w.Body.String()
		if w.Code != http.StatusOK {
			t.Fatalf("%s: %d", lang, w.Code)
		}
		for _, want := range []string{`id="leoc-map"`, `data-incidents="/api/v1/map/incidents?fy=2082%2F83&amp;type=flood"`, `data-tiles=""`,
			e.s.assets.URL("vendor/leaflet/leaflet.js"), e.s.assets.URL("vendor/markercluster/markercluster.js"), e.s.assets.URL("map.js"),
			`href="/map" id="nav-map" aria-current="page"`, e.s.cat.T(lang, "map.title")} {
			if !strings.Contains(body, want) {
				t.Errorf("%s: page lacks %q", lang, want)
			}
		}
	}
	if w := e.do(req{method: "GET", path: "/map?fy=bad", token: e.tokens[leoc.RoleViewer]}); w.Code != http.StatusBadRequest && w.Code != http.StatusUnprocessableEntity {
		t.Errorf("bad filter: %d", w.Code)
	}
	if w := e.do(req{method: "GET", path: "/", token: e.tokens[leoc.RoleViewer]}); !strings.Contains(w.Body.String(), `id="home-map" href="/map"`) {
		t.Errorf("home page has no link to the map")
	}
}

// The forms: an incident outside the ward typed asks "Save anyway" with the
// warning at the ward; a distribution is saved and its flash says so.
func TestWardMismatchInTheForms(t *testing.T) {
	e := newEnv(t, backendSQLite())
	wards := importThalaraWards(t, e.st)
	p5 := wellInside(t, wards, 5)
	cookies, csrf := e.login("admin1")
	post := func(path string, v url.Values) *httptest.ResponseRecorder {
		v.Set("csrf_token", csrf)
		return e.do(req{method: "POST", path: path, body: v.Encode(), cookies: cookies, header: map[string]string{"Origin": "http://example.com", "Accept-Language": "en"}})
	}
	lat, lon := fmt.Sprintf("%.5f", p5.Lat), fmt.Sprintf("%.5f", p5.Lon)
	inc := url.Values{"date_bs": {"2082-10-15"}, "type": {"flood"}, "ward": {"3"}, "description": {"x"}, "latitude": {lat}, "longitude": {lon}}
	w := post("/incidents", inc)
	if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), "The coordinates are not inside ward 3; on the map they are in ward 5.") ||
		!strings.Contains(w.Body.String(), `name="confirm_warnings"`) {
		t.Fatalf("incident form: %d", w.Code)
	}
	inc.Set("confirm_warnings", "1")
	if w := post("/incidents", inc); w.Code != http.StatusSeeOther {
		t.Fatalf("save anyway: %d", w.Code)
	}
	if w := post("/funds", url.Values{"kind": {"income"}, "amount": {"10000"}, "description": {"x"}, "date_bs": {"2082-10-01"}}); w.Code != http.StatusSeeOther {
		t.Fatalf("fund: %d", w.Code)
	}
	dist := url.Values{"household_name": {"सीता देवी"}, "household_id": {"55"}, "disaster_type": {"flood"}, "disaster_date_bs": {"2082-10-01"},
		"date_bs": {"2082-10-02"}, "ward": {"3"}, "latitude": {lat}, "longitude": {lon}, "member_name": {"सीता"}, "member_relation": {"self"},
		"member_age": {"30"}, "member_sex": {"female"}, "item_item": {"rice"}, "item_quantity": {"10"}, "item_unit": {""}, "cash": {"0"}, "status": {"distributed"}}
	w = post("/distributions", dist)
	if w.Code != http.StatusSeeOther {
		t.Fatalf("distribution form: %d %s", w.Code, w.Body)
	}
	var flashCookies []*http.Cookie
	flashCookies = append(flashCookies, cookies...)
	flashCookies = append(flashCookies, w.Result().Cookies()...)
	page := e.do(req{method: "GET", path: w.Header().Get("Location"), cookies: flashCookies, header: map[string]string{"Accept-Language": "en"}}).Body.String()
	if !strings.Contains(page, "The coordinates are not inside the ward entered") {
		t.Errorf("distribution page after save has no ward warning")
	}
}

// The hand-made JSON strings of the map answers read back as what went in.
func TestAppendJSONString(t *testing.T) {
	for _, s := range []string{"", "राम बहादुर थापा", `a"b\c`, "tab\tnew\nline\x01", "<script>&", "\u2028\u2029", "bad \xff utf8", "😀"} {
		for _, out := range [][]byte{appendJSONString(nil, s), appendJSONBytes(nil, []byte(s))} {
			var back string
			if err := json.Unmarshal(out, &back); err != nil {
				t.Fatalf("%q → %s: %v", s, out, err)
			}
			if want := strings.ToValidUTF8(s, "\ufffd"); back != want {
				t.Errorf("%q → %s → %q", s, out, back)
			}
			if strings.ContainsAny(string(out), "<>&\u2028") {
				t.Errorf("%q → %s not escaped for a page", s, out)
			}
		}
	}
}

// TestMapCacheFollowsTheData: a large answer is served again from the
// cache, byte for byte, while the data is unchanged, and never after a
// write; each user has their own entry.
func TestMapCacheFollowsTheData(t *testing.T) {
	each(t, func(t *testing.T, e *testEnv) {
		e.s.largeMapAnswer = 1 // every answer is "large": built, gzipped and cached here
		officer, viewer := e.tokens[leoc.RoleOfficer], e.tokens[leoc.RoleViewer]
		wards := importThalaraWards(t, e.st)
		p3 := wellInside(t, wards, 3)
		create := func() {
			body := fmt.Sprintf(`{"date_bs":"2082-10-15","type":"flood","ward":3,"description":"x","latitude":%.6f,"longitude":%.6f}`, p3.Lat, p3.Lon)
			if w := e.do(req{method: "POST", path: "/api/v1/incidents", body: body, token: officer}); w.Code != http.StatusCreated {
				t.Fatalf("create: %d %s", w.Code, w.Body)
			}
		}
		get := func(token string) (*httptest.ResponseRecorder, mapAnswer) {
			w := e.do(req{method: "GET", path: "/api/v1/map/incidents", token: token, header: map[string]string{"Accept-Encoding": "gzip"}})
			if w.Code != http.StatusOK || w.Header().Get("Content-Encoding") != "gzip" {
				t.Fatalf("map: %d %q", w.Code, w.Header().Get("Content-Encoding"))
			}
			body := bytes.Clone(w.Body.Bytes())
			a := decodeMap(t, w)
			w.Body = bytes.NewBuffer(body)
			return w, a
		}
		create()
		first, a := get(viewer)
		if len(a.Features) != 1 {
			t.Fatalf("%d features, want 1", len(a.Features))
		}
		if _, ok := e.s.mapCache.get(first.Header().Get("ETag")); !ok {
			t.Fatal("the answer was not cached")
		}
		again, _ := get(viewer)
		if !bytes.Equal(again.Body.Bytes(), first.Body.Bytes()) || again.Header().Get("ETag") != first.Header().Get("ETag") {
			t.Error("the unchanged map was answered differently")
		}
		if other, _ := get(officer); other.Header().Get("ETag") == first.Header().Get("ETag") {
			t.Error("two users share one cache entry")
		}
		create()
		after, a := get(viewer)
		if len(a.Features) != 2 || after.Header().Get("ETag") == first.Header().Get("ETag") {
			t.Errorf("after a write: %d features (want 2), tag unchanged: %v", len(a.Features), after.Header().Get("ETag") == first.Header().Get("ETag"))
		}
	})
}
