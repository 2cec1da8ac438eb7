package server

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"leoc/internal/leoc"
	"leoc/internal/store"
)

// TestGzipSegments: the segments compressed at once are one gzip stream of
// their concatenation, empty segments included.
func TestGzipSegments(t *testing.T) {
	text := []byte(strings.Repeat(`{"type":"Feature","properties":{"name":"राम बहादुर थापा","cash":"1500.50"}},`, 5000))
	for _, segments := range [][][]byte{
		{text},
		{text[:100], text[100:]},
		{nil, text[:7], nil, text[7:5000], text[5000:]},
		{text, nil},
		{nil},
	} {
		z, err := gzipSegments(segments, mapGzipLevel)
		if err != nil {
			t.Fatal(err)
		}
		zr, err := gzip.NewReader(bytes.NewReader(z))
		if err != nil {
			t.Fatal(err)
		}
		zr.Multistream(false)
		back, err := io.ReadAll(zr)
		if err != nil {
			t.Fatalf("%d segments: %v", len(segments), err)
		}
		if want := bytes.Join(segments, nil); !bytes.Equal(back, want) {
			t.Errorf("%d segments: %d bytes back, want %d", len(segments), len(back), len(want))
		}
	}
}

// TestMapDistributionsInParts: the distributions' answer read, built and
// compressed in any number of parts is the one built in one, byte for
// byte, masking included, whichever parts are empty.
func TestMapDistributionsInParts(t *testing.T) {
	each(t, func(t *testing.T, e *testEnv) {
		officer := e.tokens[leoc.RoleOfficer]
		fundIncome(t, e)
		wards := importThalaraWards(t, e.st)
		// Ward 3's first, then ward 5's.
		for i, ward := range []int{3, 3, 3, 3, 5, 3, 5, 5} {
			p := wellInside(t, wards, ward)
			body := strings.Replace(distributionBody, `"ward":3,`, fmt.Sprintf(`"ward":%d,"latitude":%f,"longitude":%f,`, ward, p.Lat+float64(i)*1e-6, p.Lon), 1)
			body = strings.Replace(body, `"household_id":"12-34/567"`, fmt.Sprintf(`"household_id":"12-34/%d"`, 600+i), 1)
			body = strings.Replace(body, `"household_name":"राम बहादुर थापा"`, fmt.Sprintf(`"household_name":"राम \"%d\" <थापा>"`, i), 1)
			if w := e.do(req{method: "POST", path: "/api/v1/distributions", body: body, token: officer}); w.Code != http.StatusCreated {
				t.Fatalf("create: %d %s", w.Code, w.Body)
			}
		}
		u := &leoc.User{Username: "ward5", Role: leoc.RoleOfficer, Wards: []int{5}}
		if err := e.st.CreateUser(t.Context(), store.SystemActor, u, "x"); err != nil {
			t.Fatal(err)
		}
		ward5 := e.newToken(u)
		// The ward-5 officer's list has only ward 5's (so the first parts
		// are empty); the viewer's has all, masked (so every part is).
		shown := map[string]int{officer: 8, ward5: 3, e.tokens[leoc.RoleViewer]: 0}
		listed := map[string]int{officer: 8, ward5: 3, e.tokens[leoc.RoleViewer]: 8}
		for _, large := range []bool{false, true} {
			for _, token := range []string{officer, ward5, e.tokens[leoc.RoleViewer]} {
				var want []byte
				for _, parts := range []int{1, 2, 3, 4, 8, 20} {
					e.s.mapParts = parts
					e.s.largeMapAnswer = largeAnswer
					if large {
						e.s.largeMapAnswer = 1
						e.s.mapCache = mapCache{} // built, not served again
					}
					w := e.do(req{method: "GET", path: "/api/v1/map/distributions", token: token, header: map[string]string{"Accept-Encoding": "gzip"}})
					if w.Code != http.StatusOK {
						t.Fatalf("%d parts: %d %s", parts, w.Code, w.Body)
					}
					body := w.Body.Bytes()
					if w.Header().Get("Content-Encoding") == "gzip" {
						zr, err := gzip.NewReader(w.Body)
						if err != nil {
							t.Fatal(err)
						}
						if body, err = io.ReadAll(zr); err != nil {
							t.Fatal(err)
						}
					} else if large {
						t.Fatalf("%d parts: not gzipped", parts)
					}
					if parts == 1 {
						want = bytes.Clone(body)
						var a mapAnswer
						if err := json.Unmarshal(body, &a); err != nil {
							t.Fatal(err)
						}
						if n := len(a.Features); n != shown[token] || n+a.Hidden != listed[token] {
							t.Fatalf("%d features, %d hidden, want %d shown", n, a.Hidden, shown[token])
						}
						continue
					}
					if !bytes.Equal(body, want) {
						t.Errorf("large %v, %d parts:\n%s\nwant\n%s", large, parts, body, want)
					}
				}
			}
		}
	})
}
