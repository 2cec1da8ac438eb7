package server

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"runtime/debug"
	"strings"
	"time"

	"leoc/internal/leoc"
)

// buildHandler wraps the mux in the chain every request passes, outermost
// first: state and request ID, access log, compression, panic recovery, security
// headers, HTTPS redirect, body limit, authentication, CSRF.
func (s *Server) buildHandler() http.Handler {
	mux := http.NewServeMux()
	for _, rt := range s.routes {
		mux.Handle(rt.pattern, s.publishChanges(rt, s.guard(rt)))
	}
	mux.Handle("/", s.guard(route{pattern: "/", access: public, h: s.notFound}))
	var h http.Handler = mux
	h = s.checkCSRF(mux)
	h = s.limitUser(h)
	h = s.authenticate(h)
	h = s.limitClient(h)
	h = s.limitBody(h)
	h = s.redirectHTTPS(h)
	h = s.securityHeaders(h)
	h = s.recoverPanics(h)
	h = s.compress(h)
	h = s.accessLog(h)
	return s.begin(h)
}

// begin creates the request state: ID, client address, scheme, language.
func (s *Server) begin(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		st := &reqState{id: newRequestID()}
		st.ip, st.https = s.clientAddr(r)
		st.lang = s.requestLang(r, nil)
		w.Header().Set("X-Request-ID", st.id)
		next.ServeHTTP(w, withState(r, st))
	})
}

func newRequestID() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b) // crypto/rand.Read never fails on supported platforms
	return hex.EncodeToString(b)
}

// clientAddr returns the client IP and whether the client used HTTPS.
// X-Forwarded-For and X-Forwarded-Proto are believed only when the direct
// peer is one of LEOC_TRUSTED_PROXIES; otherwise anyone could fake them.
func (s *Server) clientAddr(r *http.Request) (string, bool) {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	https := r.TLS != nil
	peer, err := netip.ParseAddr(host)
	if err != nil || !s.trusted(peer) {
		return host, https
	}
	if p := r.Header.Get("X-Forwarded-Proto"); p != "" {
		https = strings.EqualFold(strings.TrimSpace(p), "https")
	}
	// Walk X-Forwarded-For from the right: the first address that is not a
	// trusted proxy is the client.
	hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
	for i := len(hops) - 1; i >= 0; i-- {
		a, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
		if err != nil {
			break
		}
		if !s.trusted(a) {
			return a.String(), https
		}
		host = a.String()
	}
	return host, https
}

func (s *Server) trusted(a netip.Addr) bool {
	a = a.Unmap()
	for _, p := range s.cfg.TrustedProxies {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// statusWriter remembers the status for the access log.
type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += int64(n)
	return n, err
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// accessLog writes one line per request. It never logs query strings,
// bodies, cookies or headers: they may hold passwords and tokens.
func (s *Server) accessLog(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		next.ServeHTTP(sw, r)
		status := sw.status
		if clientClosed(r) {
			status = statusClientClosed // whatever the handler managed to send
		}
		st := state(r)
		user := ""
		if st.user != nil {
			user = st.user.Username
		}
		route := st.route
		if route == "" {
			route = "(none)"
		}
		s.metrics.observe(route, r.Method, status, time.Since(start))
		s.log.LogAttrs(context.WithoutCancel(r.Context()), levelFor(status), "request",
			slog.String("method", r.Method), slog.String("route", route), slog.Int("status", status),
			slog.Float64("duration_ms", float64(time.Since(start).Microseconds())/1000), slog.String("request_id", st.id),
			slog.String("user", user), slog.String("ip", st.ip), slog.Int64("bytes", sw.bytes))
	})
}

// recoverPanics turns a panic into a logged stack trace and a 500 that
// carries only the request ID.
func (s *Server) recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			v := recover()
			if v == nil {
				return
			}
			if v == http.ErrAbortHandler {
				panic(v)
			}
			st := state(r)
			s.log.Error("panic", "request_id", st.id, "route", st.route, "panic", fmt.Sprint(v), "stack", string(debug.Stack()))
			s.renderError(w, r, &leoc.Error{Code: leoc.EInternal, Message: leoc.M("error.internal")})
		}()
		next.ServeHTTP(w, r)
	})
}

// levelFor: server faults are errors; everything else, a client that
// closed the connection (499) included, is information.
func levelFor(status int) slog.Level {
	if status >= 500 {
		return slog.LevelError
	}
	return slog.LevelInfo
}

// contentSecurityPolicy allows only what the binary itself serves: no
// inline script, no inline style, no third-party origin.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"

// cspWithTileOrigin is the policy with a remote tile server allowed for
// images.
func cspWithTileOrigin(origin string) string {
	return strings.Replace(contentSecurityPolicy, "img-src 'self' data:;", "img-src 'self' data: "+origin+";", 1)
}

// headerValue is one response header, its value built once: every answer
// carries the same security headers, and setting them with Header.Set cost
// an allocation each (a new one-element slice, the key canonicalised again).
// The slices are full (len == cap), so a later Add to the same header
// copies instead of writing into the shared array.
type headerValue struct {
	key   string // canonical form
	value []string
}

func fixedHeader(key, value string) headerValue {
	return headerValue{http.CanonicalHeaderKey(key), []string{value}[:1:1]}
}

func (s *Server) securityHeaders(next http.Handler) http.Handler {
	always := []headerValue{
		fixedHeader("Content-Security-Policy", s.contentSecurityPolicy()),
		fixedHeader("X-Content-Type-Options", "nosniff"),
		fixedHeader("X-Frame-Options", "DENY"),
		fixedHeader("Referrer-Policy", "same-origin"),
		fixedHeader("Cross-Origin-Opener-Policy", "same-origin"),
		fixedHeader("Permissions-Policy", "camera=(self), geolocation=(self), microphone=()"),
	}
	hsts := fixedHeader("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		for _, v := range always {
			h[v.key] = v.value
		}
		if state(r).https {
			h[hsts.key] = hsts.value
		}
		next.ServeHTTP(w, r)
	})
}

// redirectHTTPS sends plain-HTTP requests to HTTPS in production. Health
// checks stay reachable over HTTP for container and load-balancer probes.
func (s *Server) redirectHTTPS(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !s.cfg.Production() || state(r).https || r.URL.Path == "/health" || r.URL.Path == "/ready" {
			next.ServeHTTP(w, r)
			return
		}
		// To LEOC_BASE_URL's host (required in production), never to the
		// Host header, which the client chooses.
		host := strings.TrimPrefix(strings.TrimPrefix(originOf(s.cfg.PublicURL()), "https://"), "http://")
		http.Redirect(w, r, "https://"+host+r.URL.RequestURI(), http.StatusPermanentRedirect)
	})
}

// Body limits: forms and JSON are small; upload routes (later issues) get
// LEOC_MAX_UPLOAD_MB.
const maxFormBytes = 1 << 20

func (s *Server) limitBody(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		limit := int64(maxFormBytes)
		if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
			// The file may use the whole limit; the multipart envelope and
			// the other form fields get a little room on top.
			limit = int64(s.cfg.MaxUploadMB)<<20 + 64<<10
		}
		if r.ContentLength > limit {
			s.renderError(w, r, leoc.Errorf(leoc.ETooLarge, "error.too_large", limit>>20))
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, limit)
		next.ServeHTTP(w, r)
	})
}

func originOf(baseURL string) string {
	scheme, rest, ok := strings.Cut(baseURL, "://")
	if !ok {
		return baseURL
	}
	host, _, _ := strings.Cut(rest, "/")
	return scheme + "://" + host
}
