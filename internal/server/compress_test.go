package server

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"leoc/internal/leoc"
	"leoc/internal/must"
	"leoc/internal/store/storetest"
)

func gunzip(t *testing.T, b []byte) string {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("body is not gzip: %v", err)
	}
	out, err := io.ReadAll(zr)
	if err != nil {
		t.Fatalf("gunzip: %v", err)
	}
	return string(out)
}

func TestCompression(t *testing.T) {
	e := newEnv(t, storetest.Backends()[0])
	cookies, _ := e.login("admin1")
	gz := map[string]string{"Accept-Encoding": "gzip, deflate, br"}
	admin := e.tokens[leoc.RoleAdmin]

	t.Run("HTML page compressed with Vary", func(t *testing.T) {
		plain := e.do(req{method: "GET", path: "/settings", cookies: cookies})
		w := e.do(req{method: "GET", path: "/settings", cookies: cookies, header: gz})
		if w.Code != http.StatusOK || w.Header().Get("Content-Encoding") != "gzip" {
			t.Fatalf("got %d, Content-Encoding %q; want 200 gzip", w.Code, w.Header().Get("Content-Encoding"))
		}
		if !strings.Contains(w.Header().Get("Vary"), "Accept-Encoding") {
			t.Errorf("Vary = %q, want Accept-Encoding", w.Header().Get("Vary"))
		}
		body := gunzip(t, w.Body.Bytes())
		if !strings.Contains(body, "</html>") {
			t.Errorf("decompressed page is not whole")
		}
		if w.Body.Len()*2 > plain.Body.Len() {
			t.Errorf("compressed %d bytes of %d: expected at least half saved", w.Body.Len(), plain.Body.Len())
		}
		if plain.Header().Get("Content-Encoding") != "" || !strings.Contains(plain.Header().Get("Vary"), "Accept-Encoding") {
			t.Errorf("plain answer: Content-Encoding %q, Vary %q", plain.Header().Get("Content-Encoding"), plain.Header().Get("Vary"))
		}
	})
	t.Run("JSON compressed", func(t *testing.T) {
		w := e.do(req{method: "GET", path: "/api/v1/calendar/table", token: admin, header: gz})
		if w.Code != http.StatusOK || w.Header().Get("Content-Encoding") != "gzip" {
			t.Fatalf("got %d, Content-Encoding %q", w.Code, w.Header().Get("Content-Encoding"))
		}
		if body := gunzip(t, w.Body.Bytes()); !strings.HasPrefix(body, "{") {
			t.Errorf("decompressed body %.40q is not JSON", body)
		}
	})
	t.Run("gzip;q=0 honoured", func(t *testing.T) {
		w := e.do(req{method: "GET", path: "/api/v1/calendar/table", token: admin, header: map[string]string{"Accept-Encoding": "gzip;q=0, br"}})
		if w.Header().Get("Content-Encoding") != "" {
			t.Errorf("Content-Encoding %q for a client that refused gzip", w.Header().Get("Content-Encoding"))
		}
	})
	t.Run("small bodies plain", func(t *testing.T) {
		w := e.do(req{method: "GET", path: "/api/v1/me", token: admin, header: gz})
		if w.Header().Get("Content-Encoding") != "" || !strings.HasPrefix(w.Body.String(), "{") {
			t.Errorf("small JSON: Content-Encoding %q, body %.40q", w.Header().Get("Content-Encoding"), w.Body.String())
		}
	})
	t.Run("pre-compressed assets not compressed twice", func(t *testing.T) {
		w := e.do(req{method: "GET", path: e.s.assets.URL("app.css"), header: gz})
		if got := w.Header().Values("Content-Encoding"); len(got) != 1 {
			t.Fatalf("Content-Encoding %q", got)
		}
		if body := gunzip(t, w.Body.Bytes()); !strings.Contains(body, "{") {
			t.Errorf("asset gzipped twice or broken")
		}
	})
	t.Run("images and fonts pass through", func(t *testing.T) {
		w := e.do(req{method: "GET", path: e.s.assets.URL("fonts/noto-sans-devanagari-devanagari-400-normal.woff2"), header: gz})
		if w.Code != http.StatusOK || w.Header().Get("Content-Encoding") != "" {
			t.Errorf("font: %d, Content-Encoding %q", w.Code, w.Header().Get("Content-Encoding"))
		}
	})
}

// A streaming answer is sent compressed as it is flushed, not held back to the end.
func TestCompressionStreams(t *testing.T) {
	e := newEnv(t, storetest.Backends()[0])
	rows := make(chan struct{})
	h := e.s.compress(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		io.WriteString(w, "a,b\n")
		if err := http.NewResponseController(w).Flush(); err != nil {
			t.Errorf("flush through the gzip writer: %v", err)
		}
		<-rows
		io.WriteString(w, strings.Repeat("x,y\n", 1000))
	}))
	srv := httptest.NewServer(h)
	defer srv.Close()
	rq := must.Get(http.NewRequest("GET", srv.URL, nil))(t)
	rq.Header.Set("Accept-Encoding", "gzip")
	resp, err := srv.Client().Transport.RoundTrip(rq)
	if err != nil {
		close(rows)
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.Header.Get("Content-Encoding") != "gzip" {
		close(rows)
		t.Fatalf("Content-Encoding %q", resp.Header.Get("Content-Encoding"))
	}
	// The first row arrives while the handler still waits.
	zr, err := gzip.NewReader(resp.Body)
	if err != nil {
		close(rows)
		t.Fatal(err)
	}
	first := make([]byte, 4)
	if _, err := io.ReadFull(zr, first); err != nil || string(first) != "a,b\n" {
		close(rows)
		t.Fatalf("first row %q, %v", first, err)
	}
	close(rows)
	rest, err := io.ReadAll(zr)
	if err != nil || len(rest) != 4000 {
		t.Errorf("rest: %d bytes, %v", len(rest), err)
	}
}

// The CSRF token differs in every response (masked) and every mask is accepted.
func TestCSRFTokenMasked(t *testing.T) {
	e := newEnv(t, storetest.Backends()[0])
	cookies, first := e.login("admin1")
	second := csrfFrom(t, e.do(req{method: "GET", path: "/", cookies: cookies}).Body.String())
	if first == second {
		t.Fatalf("same CSRF token in two responses: %q", first)
	}
	for i, tok := range []string{first, second} {
		w := e.do(req{method: "POST", path: "/settings/wards", body: "number=" + []string{"20", "21"}[i] + "&name_ne=x&name_en=y&csrf_token=" + tok, cookies: cookies})
		if w.Code != http.StatusSeeOther {
			t.Errorf("token %d refused: %d", i, w.Code)
		}
	}
	// A token with its pad altered is refused.
	bad := []byte(first)
	if bad[0] == 'A' {
		bad[0] = 'B'
	} else {
		bad[0] = 'A'
	}
	if w := e.do(req{method: "POST", path: "/settings/wards", body: "number=22&name_ne=x&name_en=y&csrf_token=" + string(bad), cookies: cookies}); w.Code != http.StatusForbidden {
		t.Errorf("altered token: %d, want 403", w.Code)
	}
}

// BenchmarkCompressedPage measures the incident list (50 rows) with and
// without gzip: the server time gzip adds and the bytes it saves. Target:
// less than 2 ms added for a list page.
func BenchmarkCompressedPage(b *testing.B) {
	e := newEnv(b, storetest.Backends()[0])
	for i := 0; i < 50; i++ {
		if w := e.do(req{method: "POST", path: "/api/v1/incidents", token: e.tokens[leoc.RoleOfficer],
			body: `{"date_bs":"2082-10-15","type":"flood","ward":4,"tole":"Kotphera","deaths":1,"injured":3}`}); w.Code != http.StatusCreated {
			b.Fatal(w.Code)
		}
	}
	cookies, _ := e.login("viewer1")
	h := e.s.Handler()
	for _, enc := range []string{"identity", "gzip"} {
		b.Run(enc, func(b *testing.B) {
			b.ReportAllocs()
			var size int
			for b.Loop() {
				r := httptest.NewRequest("GET", "/incidents", nil)
				r.Header.Set("Accept-Encoding", enc)
				for _, c := range cookies {
					r.AddCookie(c)
				}
				w := httptest.NewRecorder()
				h.ServeHTTP(w, r)
				if w.Code != http.StatusOK {
					b.Fatal(w.Code)
				}
				size = w.Body.Len()
			}
			b.ReportMetric(float64(size), "bytes/page")
		})
	}
}
