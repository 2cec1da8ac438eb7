// Package server is LEOC's HTTP side: one routes table, the middleware every
// request passes (security headers, request ID, access log, recovery, auth,
// CSRF, roles), the HTML pages and the JSON API. Handlers call the store and
// the domain; they hold no business rules of their own.
package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"log/slog"
	"net"
	"net/http"
	"runtime"
	"sync"
	"time"

	"leoc/internal/assets"
	"leoc/internal/bs"
	"leoc/internal/config"
	"leoc/internal/files"
	"leoc/internal/i18n"
	"leoc/internal/notify"
	"leoc/internal/ratelimit"
	"leoc/internal/redisconn"
	"leoc/internal/statscache"
	"leoc/internal/store"
	"leoc/internal/tiles"
)

// Options are the dependencies of a Server.
type Options struct {
	Config  *config.Config
	Store   *store.Store
	Logger  *slog.Logger
	Version string
	// Calendar is the BS calendar; nil means the embedded table.
	Calendar *bs.Calendar
	// Now is the clock; tests replace it.
	Now func() time.Time
	// Readiness are the dependencies /ready checks besides the database
	// (Redis, object storage), each added by whoever builds that client.
	Readiness []ReadinessCheck
	// Storage keeps uploads; nil means the local LEOC_UPLOAD_DIR.
	Storage files.Storage
	// Redis, when set, holds the rate limits every replica shares.
	Redis *redisconn.Conn
	// Bus carries change notices between replicas; nil means this process
	// only.
	Bus notify.Bus
	// WardPolygons reads the imported ward polygons for the CAP areas of
	// advisories targeted at wards; nil means none are imported (the
	// alerts fall back to the municipality boundary). See
	// advisory_targets.go.
	WardPolygons WardPolygons
	// Tiles is the local basemap opened from LEOC_TILES_FILE; nil = none.
	// The caller opens and closes it.
	Tiles tiles.Source
	// NoStatisticsCache computes every statistics answer anew: leoc bench
	// measures the statistics with and without the cache this way.
	NoStatisticsCache bool
}

// Server holds the dependencies every handler needs.
type Server struct {
	cfg       *config.Config
	store     *store.Store
	log       *slog.Logger
	version   string
	now       func() time.Time
	cat       *i18n.Catalogs
	cal       *bs.Calendar
	assets    *assets.Assets
	pages     map[string]*template.Template
	csrf      *http.CrossOriginProtection
	files     *files.Checker    // one per process: its gate bounds image decodes
	loginRate ratelimit.Limiter // per client IP; nil when off
	throttle  LoginThrottle
	sleep     func(context.Context, time.Duration) // tests record instead of waiting
	unlockTry ratelimit.Limiter                    // per user; nil when off
	wardPolys WardPolygons
	handler   http.Handler
	routes    []route
	started   time.Time
	metrics   *metrics
	readiness []ReadinessCheck // /ready's dependencies besides the database

	// clientRate and userRate are LEOC_RATE_LIMIT per address and per user.
	clientRate, userRate ratelimit.Limiter
	storage              files.Storage
	bus                  notify.Bus
	redis                *redisconn.Conn   // nil without LEOC_REDIS_URL; /ready pings it
	tiles                tiles.Source      // the local basemap (LEOC_TILES_FILE); nil when none
	mapCache             mapCache          // the last large map answers, by ETag
	statsCache           *statscache.Cache // statistics answers until the next write (stats_cache.go)
	authCache            *statscache.Cache // who a token or session is, until the next write of those (auth_cache.go)
	healthVersion        []byte            // the version as a JSON string, for /health
	jsonBufs             sync.Pool         // *[]byte buffers of JSON answers (writeJSON)
	// largeMapAnswer is largeAnswer; tests lower it to reach the cache
	// with a few records.
	largeMapAnswer int
	// mapParts is how many parts the distributions' map answer is read,
	// built and compressed in at once (see apiMapDistributions): one per
	// core the process may use, at most 4 (more would take read
	// connections from other requests); tests vary it.
	mapParts int
}

// New builds the server: catalogs, assets and templates are loaded here so a
// broken one fails the start, not a request.
func New(o Options) (*Server, error) {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Calendar == nil {
		o.Calendar = bs.Default()
	}
	if o.Config.Production() && o.Config.BaseURL == "" {
		return nil, errors.New("server: LEOC_BASE_URL is required in production (absolute links are built from it, never from the Host header)")
	}
	// A clone, so a reloaded table (reloadCalendar) never changes the
	// calendar the caller passed, which may be the shared default.
	s := &Server{cfg: o.Config, store: o.Store, log: o.Logger, version: o.Version, now: o.Now, started: o.Now(), cal: o.Calendar.Clone(),
		storage: o.Storage, bus: o.Bus, redis: o.Redis, wardPolys: o.WardPolygons, tiles: o.Tiles, largeMapAnswer: largeAnswer,
		mapParts: min(max(runtime.GOMAXPROCS(0), 1), 4)}
	if s.wardPolys == nil {
		s.wardPolys = storeWardPolygons(o.Store)
	}
	if s.storage == nil {
		s.storage = files.Local{Dir: o.Config.UploadDir}
	}
	if s.bus == nil {
		s.bus = notify.NewLocal()
	}
	s.bus.Subscribe(notify.Calendar, s.reloadCalendar)
	// The store keeps the validation rules (types, wards, populations, …)
	// for 2 s; another replica's change of them is forgotten at its notice.
	forgetRules := func(context.Context) { s.store.ForgetRules() }
	s.bus.Subscribe(notify.Lists, forgetRules)
	s.bus.Subscribe(notify.Settings, forgetRules)
	if !o.NoStatisticsCache {
		s.watchStatistics()
	}
	s.watchAuthentication()
	s.healthVersion, _ = json.Marshal(s.version) // a string always encodes
	var err error
	if s.cat, err = i18n.Load(); err != nil {
		return nil, err
	}
	if s.assets, err = assets.New(); err != nil {
		return nil, fmt.Errorf("server: assets: %w", err)
	}
	if err := s.assets.MustExist("app.css", "app.js", "bs-datepicker.js", "forms.js", "favicon.svg"); err != nil {
		return nil, fmt.Errorf("server: assets: %w", err)
	}
	if s.pages, err = s.parseTemplates(); err != nil {
		return nil, err
	}
	s.csrf = http.NewCrossOriginProtection()
	if s.cfg.BaseURL != "" {
		if err := s.csrf.AddTrustedOrigin(originOf(s.cfg.BaseURL)); err != nil {
			return nil, fmt.Errorf("server: LEOC_BASE_URL: %w", err)
		}
	}
	s.files = files.NewChecker(s.uploadLimits(), decodeParallel)
	s.loginRate = s.limiter(o.Redis, "login", s.cfg.LoginRateLimit)
	s.throttle, s.sleep = o.Store.LoginThrottle(store.DefaultThrottlePolicy), sleepCtx
	s.readiness = o.Readiness
	s.metrics = s.newMetrics()
	s.unlockTry = s.limiter(o.Redis, "unlock", s.cfg.UnlockRateLimit)
	s.clientRate = s.limiter(o.Redis, "client", s.cfg.RateLimit)
	s.userRate = s.limiter(o.Redis, "user", s.cfg.RateLimit)
	s.routes = s.routeTable()
	s.handler = s.buildHandler()
	return s, nil
}

// decodeParallel is how many image decodes may run at once: the two cores
// of the small servers LEOC runs on, so uploads never starve the pages.
const decodeParallel = 2

// Handler is the whole application as an http.Handler.
func (s *Server) Handler() http.Handler { return s.handler }

// Serve runs the HTTP server on ln until ctx is done, then shuts down
// gracefully: in-flight requests get ShutdownTimeout to finish.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	srv := &http.Server{
		Handler:           s.handler,
		ReadHeaderTimeout: 10 * time.Second,
		// Uploads from phones on rural links are slow: five minutes to send
		// a request body, two to receive the answer.
		ReadTimeout:    5 * time.Minute,
		WriteTimeout:   2 * time.Minute,
		IdleTimeout:    2 * time.Minute,
		MaxHeaderBytes: 64 << 10,
		ErrorLog:       slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
		BaseContext:    func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	go s.sweepSessions(ctx)
	go s.checkpointAudit(ctx)
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("server: %w", err)
	case <-ctx.Done():
	}
	s.log.Info("shutting down", "timeout", s.cfg.ShutdownTimeout.String())
	sctx, cancel := context.WithTimeout(context.Background(), s.cfg.ShutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("server: shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("server: %w", err)
	}
	return nil
}

// sweepSessions deletes expired sessions every ten minutes.
func (s *Server) sweepSessions(ctx context.Context) {
	t := time.NewTicker(10 * time.Minute)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if n, err := s.store.DeleteExpiredSessions(ctx, s.now(), s.cfg.SessionIdle); err != nil {
				s.log.Error("session sweep failed", "err", err)
			} else if n > 0 {
				s.log.Debug("expired sessions removed", "count", n)
			}
			if _, err := s.store.SweepLoginThrottle(ctx, s.now().Add(-store.DefaultThrottlePolicy.Forget)); err != nil {
				s.log.Error("sign-in throttle sweep failed", "err", err)
			}
		}
	}
}
