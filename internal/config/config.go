// Package config loads LEOC's settings from LEOC_* environment variables and
// an optional .env file, and validates all of them at start-up so a sysadmin
// sees every mistake at once, with what to set, instead of one per restart.
//
// The package holds no global state: Load returns a *Config that the caller
// passes to whatever needs it.
package config

import (
	"fmt"
	"log/slog"
	"net"
	"net/netip"
	"net/url"
	"path/filepath"
	"strings"
	"time"
)

// Environments.
const (
	Development = "development"
	Production  = "production"
)

// Config is LEOC's validated configuration.
type Config struct {
	Env         string // Development or Production
	Addr        string
	DataDir     string
	DatabaseURL string // never log it: it may hold a PostgreSQL password
	// MigrateDatabaseURL, when set (PostgreSQL only), is the owner role that
	// runs migrations; DatabaseURL's role then only reads and writes rows.
	MigrateDatabaseURL string
	// SQLiteSynchronous is "full" (default) or "normal", SQLite's
	// synchronous pragma for the database.
	SQLiteSynchronous string
	UploadDir         string
	SecretKey         []byte // decoded key; nil in development until EnsureDevSecret
	SecretKeySource   string // "env", "file" or "generated"; safe to log, unlike the key
	AuditKey          []byte // LEOC_AUDIT_KEY decoded; nil means derived from SecretKey
	LogLevel          slog.Level
	LogFile           string
	TrustedProxies    []netip.Prefix
	MaxUploadMB       int
	MaxPhotoMB        int // largest accepted photo (jpg/png/gif/webp)
	MaxDocumentMB     int // largest accepted document (pdf/jpg/png/docx)
	MaxImageMP        int // pixel budget of an uploaded image, in megapixels
	SessionIdle       time.Duration
	SessionMax        time.Duration
	// EditWindow is how long after it is saved a record stays open to its
	// author and the writers of its ward; 0 locks records on save.
	EditWindow      time.Duration
	Debug           bool   // enables /debug/pprof; never true in production
	BaseURL         string // without trailing slash; "" when unset
	DefaultLang     string // "ne" or "en"
	ShutdownTimeout time.Duration
	// MetricsToken, when set, is the bearer token /metrics requires on the
	// main listener; MetricsAddr is a separate admin listener for /metrics.
	MetricsToken string
	MetricsAddr  string
	// PprofAddr is a loopback listener serving only /debug/pprof/ (off when
	// empty); allowed in production, unlike LEOC_DEBUG.
	PprofAddr string

	// Scale-out (docs/scale-out.md): all empty means one embedded process.
	RedisURL        string // never log it: it may hold a password
	StorageURL      string // s3://bucket?endpoint=… ; "" keeps uploads in UploadDir
	S3AccessKey     string
	S3SecretKey     string // never log it
	RateLimit       Rate   // every request per user or token, and per client IP
	LoginRateLimit  Rate   // sign-in attempts per client IP
	UnlockRateLimit Rate   // unlock-key attempts per user
	// TilesFile is a local MBTiles or PMTiles basemap ("" = none); TileURL
	// a remote tile URL template with {z}, {x} and {y} ("" = none), and
	// TileOrigin its scheme://host for the content security policy.
	TilesFile  string
	TileURL    string
	TileOrigin string

	// Unknown lists LEOC_ variables that are set but not recognised, for the
	// server to warn about. Filled by LoadEnvironment, which can see the names.
	Unknown []string
}

// Production reports whether LEOC runs in production mode.
func (c *Config) Production() bool { return c.Env == Production }

// Driver returns "postgres" or "sqlite", the database behind DatabaseURL.
func (c *Config) Driver() string {
	if isPostgresURL(c.DatabaseURL) {
		return "postgres"
	}
	return "sqlite"
}

// PublicURL is the origin absolute links are built from (CAP and Atom
// links, the HTTPS redirect, the first-start message): LEOC_BASE_URL, which
// production requires. Only a development server without it falls back to
// its own listening address — never to the Host header of a request, which
// the client chooses.
func (c *Config) PublicURL() string {
	if c.BaseURL != "" {
		return c.BaseURL
	}
	host, port, err := net.SplitHostPort(c.Addr)
	if err != nil {
		return "http://" + c.Addr
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "localhost"
	}
	return "http://" + net.JoinHostPort(host, port)
}

// SQLitePath returns the database file path for SQLite URLs, "" for PostgreSQL.
func (c *Config) SQLitePath() string {
	if c.Driver() != "sqlite" {
		return ""
	}
	return strings.TrimPrefix(c.DatabaseURL, "sqlite://")
}

func isPostgresURL(s string) bool {
	l := strings.ToLower(s)
	return strings.HasPrefix(l, "postgres://") || strings.HasPrefix(l, "postgresql://")
}

// Problem is one invalid or missing variable.
type Problem struct {
	Var     string
	Message string // says what is wrong and what to set instead
}

// ValidationError lists every problem Load found.
type ValidationError struct {
	Problems []Problem
}

// Error renders one line per problem, "LEOC_X: message".
func (e *ValidationError) Error() string {
	var b strings.Builder
	for i, p := range e.Problems {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(p.Var)
		b.WriteString(": ")
		b.WriteString(p.Message)
	}
	return b.String()
}

// loader collects problems while Load reads variables one by one.
type loader struct {
	lookup   func(string) (string, bool)
	problems []Problem
}

// get returns the trimmed value of name; unset and blank are the same, so a
// template line like "LEOC_BASE_URL=" means "use the default".
func (l *loader) get(name string) (string, bool) {
	v, ok := l.lookup(name)
	v = strings.TrimSpace(v)
	return v, ok && v != ""
}

func (l *loader) problem(name, msg string) {
	l.problems = append(l.problems, Problem{Var: name, Message: msg})
}

// Load reads every LEOC_ variable through lookup (typically os.LookupEnv or
// LookupFunc), applies defaults and validates them all. It does no I/O. On
// failure the error is a *ValidationError listing every problem.
func Load(lookup func(key string) (string, bool)) (*Config, error) {
	l := &loader{lookup: lookup}
	c := &Config{
		Env:               Development,
		Addr:              "127.0.0.1:5002",
		DataDir:           "./leoc-data",
		SQLiteSynchronous: "full",
		LogLevel:          slog.LevelInfo,
		MaxUploadMB:       10,
		MaxPhotoMB:        5,
		MaxDocumentMB:     10,
		MaxImageMP:        40,
		SessionIdle:       2 * time.Hour,
		SessionMax:        12 * time.Hour,
		EditWindow:        24 * time.Hour,
		DefaultLang:       "ne",
		ShutdownTimeout:   20 * time.Second,
		RateLimit:         Rate{N: 600, Per: time.Minute},
		LoginRateLimit:    Rate{N: 10, Per: time.Minute},
		UnlockRateLimit:   Rate{N: 5, Per: 15 * time.Minute},
	}
	// The order is that of Variables, so problems are listed as documented.
	l.envAndStorage(c)
	l.secretKey(c)
	l.auditKey(c)
	l.logging(c)
	l.http(c)
	l.scaleOut(c)
	l.tiles(c)
	if len(l.problems) > 0 {
		return nil, &ValidationError{Problems: l.problems}
	}
	return c, nil
}

func (l *loader) envAndStorage(c *Config) {
	if v, ok := l.get("LEOC_ENV"); ok {
		switch strings.ToLower(v) {
		case Development, Production:
			c.Env = strings.ToLower(v)
		default:
			l.problem("LEOC_ENV", quote(v)+` is not an environment; set "development" or "production"`)
		}
	}
	if v, ok := l.get("LEOC_ADDR"); ok {
		c.Addr = v
		if msg := checkAddr(v); msg != "" {
			l.problem("LEOC_ADDR", msg)
		}
	}
	if v, ok := l.get("LEOC_DATA_DIR"); ok {
		c.DataDir = v
	}
	c.DatabaseURL = "sqlite://" + filepath.Join(c.DataDir, "leoc.db")
	if v, ok := l.get("LEOC_DATABASE_URL"); ok {
		u, msg := parseDatabaseURL(v)
		c.DatabaseURL = u
		if msg != "" {
			l.problem("LEOC_DATABASE_URL", msg)
		}
	}
	if v, ok := l.get("LEOC_SQLITE_SYNCHRONOUS"); ok {
		switch strings.ToLower(v) {
		case "full", "normal":
			c.SQLiteSynchronous = strings.ToLower(v)
		default:
			l.problem("LEOC_SQLITE_SYNCHRONOUS", quote(v)+` is not a synchronous mode; set "full" (safe against power cuts, the default) or "normal" (faster; a power cut may lose the last commits)`)
		}
	}
	if v, ok := l.get("LEOC_MIGRATE_DATABASE_URL"); ok {
		c.MigrateDatabaseURL = v
		switch {
		case !isPostgresURL(v):
			l.problem("LEOC_MIGRATE_DATABASE_URL", "must be a postgres:// URL (an owner role for migrations exists only on PostgreSQL)")
		case !isPostgresURL(c.DatabaseURL):
			l.problem("LEOC_MIGRATE_DATABASE_URL", "is set but LEOC_DATABASE_URL is not a PostgreSQL database")
		default:
			if _, msg := parseDatabaseURL(v); msg != "" {
				l.problem("LEOC_MIGRATE_DATABASE_URL", msg)
			}
		}
	}
	c.UploadDir = filepath.Join(c.DataDir, "uploads")
	if v, ok := l.get("LEOC_UPLOAD_DIR"); ok {
		c.UploadDir = v
	}
}

func (l *loader) logging(c *Config) {
	if v, ok := l.get("LEOC_LOG_LEVEL"); ok {
		if err := c.LogLevel.UnmarshalText([]byte(v)); err != nil || strings.ContainsAny(v, "+-") {
			// slog also accepts "INFO+2"; sysadmins get the four plain names.
			l.problem("LEOC_LOG_LEVEL", quote(v)+" is not a log level; set debug, info, warn or error")
		}
	}
	if v, ok := l.get("LEOC_LOG_FILE"); ok {
		c.LogFile = v
		if strings.HasSuffix(v, "/") || strings.HasSuffix(v, `\`) {
			l.problem("LEOC_LOG_FILE", quote(v)+" is a directory; set a file path such as /var/log/leoc/leoc.log")
		}
	}
}

func (l *loader) http(c *Config) {
	if v, ok := l.get("LEOC_TRUSTED_PROXIES"); ok {
		c.TrustedProxies = l.proxies(v)
	}
	c.MaxUploadMB = l.intRange("LEOC_MAX_UPLOAD_MB", c.MaxUploadMB, 1, 100)
	// Per-kind limits that are not set shrink to fit the request limit;
	// set ones must fit it.
	for _, v := range []struct {
		name string
		dst  *int
	}{{"LEOC_MAX_PHOTO_MB", &c.MaxPhotoMB}, {"LEOC_MAX_DOCUMENT_MB", &c.MaxDocumentMB}} {
		if _, set := l.get(v.name); !set {
			*v.dst = min(*v.dst, c.MaxUploadMB)
			continue
		}
		*v.dst = l.intRange(v.name, *v.dst, 1, 100)
		if *v.dst > c.MaxUploadMB {
			l.problem(v.name, fmt.Sprintf("is larger than LEOC_MAX_UPLOAD_MB (%d > %d), the limit of a whole upload request; lower it or raise LEOC_MAX_UPLOAD_MB", *v.dst, c.MaxUploadMB))
		}
	}
	c.MaxImageMP = l.intRange("LEOC_MAX_IMAGE_MEGAPIXELS", c.MaxImageMP, 1, 100)
	c.SessionIdle = l.duration("LEOC_SESSION_IDLE", c.SessionIdle, 5*time.Minute, 24*time.Hour)
	c.SessionMax = l.duration("LEOC_SESSION_MAX", c.SessionMax, time.Hour, 30*24*time.Hour)
	if c.SessionMax < c.SessionIdle {
		l.problem("LEOC_SESSION_MAX", "is shorter than LEOC_SESSION_IDLE ("+shortDuration(c.SessionMax)+" < "+
			shortDuration(c.SessionIdle)+"); set LEOC_SESSION_MAX at least as long as LEOC_SESSION_IDLE")
	}
	c.EditWindow = l.duration("LEOC_EDIT_WINDOW", c.EditWindow, 0, 30*24*time.Hour)
	c.Debug = l.boolean("LEOC_DEBUG", false)
	if c.Debug && c.Production() {
		l.problem("LEOC_DEBUG", "exposes /debug/pprof and is refused in production; remove LEOC_DEBUG or set LEOC_ENV=development")
	}
	if v, ok := l.get("LEOC_BASE_URL"); ok {
		u, msg := parseBaseURL(v)
		c.BaseURL = u
		if msg == "" && c.Production() && !strings.HasPrefix(strings.ToLower(u), "https://") {
			msg = quote(v) + " must start with https:// in production, where plain HTTP is redirected to it; set the public address such as https://leoc.example.gov.np"
		}
		if msg != "" {
			l.problem("LEOC_BASE_URL", msg)
		}
	} else if c.Production() {
		l.problem("LEOC_BASE_URL", "is required in production: links in the CAP feed and the HTTPS redirect are built from it, "+
			"never from the Host header a client sends; set the public address such as https://leoc.example.gov.np")
	}
	if v, ok := l.get("LEOC_DEFAULT_LANG"); ok {
		switch strings.ToLower(v) {
		case "ne", "en":
			c.DefaultLang = strings.ToLower(v)
		default:
			l.problem("LEOC_DEFAULT_LANG", quote(v)+` is not a language; set "ne" (Nepali) or "en" (English)`)
		}
	}
	c.ShutdownTimeout = l.duration("LEOC_SHUTDOWN_TIMEOUT", c.ShutdownTimeout, time.Second, 5*time.Minute)
	l.metrics(c)
	l.pprof(c)
}

// metrics reads the two ways /metrics is reached: a token on the main
// listener, or a separate listener that only an operator's network reaches.
func (l *loader) metrics(c *Config) {
	if v, ok := l.get("LEOC_METRICS_TOKEN"); ok {
		// The token is compared, never decoded; it is held to the secret
		// key's rules so a guessable one is refused.
		if _, msg := parseSecretKey(v); msg != "" {
			l.problem("LEOC_METRICS_TOKEN", msg+" — generate one with: openssl rand -hex 32")
		} else {
			c.MetricsToken = v
		}
	}
	if v, ok := l.get("LEOC_METRICS_ADDR"); ok {
		c.MetricsAddr = v
		if msg := checkAddr(v); msg != "" {
			l.problem("LEOC_METRICS_ADDR", msg)
		} else if v == c.Addr {
			l.problem("LEOC_METRICS_ADDR", "is the same address as LEOC_ADDR; choose another port such as 127.0.0.1:9102")
		}
	}
}

// secretKey reads LEOC_SECRET_KEY. It runs after LEOC_ENV because a missing
// key is only an error in production; a weak key is an error everywhere, so
// a development .env with a placeholder key cannot be copied to production.
func (l *loader) secretKey(c *Config) {
	v, ok := l.get("LEOC_SECRET_KEY")
	if !ok {
		if c.Production() {
			l.problem("LEOC_SECRET_KEY", "is required in production — generate one with: openssl rand -hex 32")
		}
		return
	}
	key, msg := parseSecretKey(v)
	if msg != "" {
		l.problem("LEOC_SECRET_KEY", msg+" — generate one with: openssl rand -hex 32")
		return
	}
	c.SecretKey, c.SecretKeySource = key, "env"
}

// auditKey reads LEOC_AUDIT_KEY, held to the same rules as LEOC_SECRET_KEY.
// It is optional: without it the audit keys are derived from the secret key,
// and then rotating LEOC_SECRET_KEY makes the older trail unverifiable.
func (l *loader) auditKey(c *Config) {
	v, ok := l.get("LEOC_AUDIT_KEY")
	if !ok {
		return
	}
	key, msg := parseSecretKey(v)
	if msg != "" {
		l.problem("LEOC_AUDIT_KEY", msg+" — generate one with: openssl rand -hex 32")
		return
	}
	c.AuditKey = key
}

// AuditSecret is the secret the audit keys are derived from: LEOC_AUDIT_KEY
// when set, else the secret key. Neither is ever stored in the database.
func (c *Config) AuditSecret() []byte {
	if c.AuditKey != nil {
		return c.AuditKey
	}
	return c.SecretKey
}

// tiles reads the map's basemap: a local archive or a remote server, not
// both. The archive itself is opened (and its format checked) by the server
// at start.
func (l *loader) tiles(c *Config) {
	file, hasFile := l.get("LEOC_TILES_FILE")
	if hasFile {
		c.TilesFile = file
	}
	v, ok := l.get("LEOC_TILE_URL")
	if !ok {
		return
	}
	if hasFile {
		l.problem("LEOC_TILE_URL", "is set together with LEOC_TILES_FILE; choose one basemap: the local file (works offline) or the remote server")
		return
	}
	const how = "; set a URL such as https://tile.openstreetmap.org/{z}/{x}/{y}.png"
	u, err := url.Parse(strings.NewReplacer("{z}", "0", "{x}", "0", "{y}", "0", "{s}", "a").Replace(v))
	switch {
	case err != nil:
		l.problem("LEOC_TILE_URL", quote(v)+" is not a URL"+how)
	case u.Scheme != "https" && !(u.Scheme == "http" && !c.Production()):
		l.problem("LEOC_TILE_URL", quote(v)+" must start with https://"+how)
	case u.Host == "" || u.User != nil || strings.Contains(v, "{s}"):
		l.problem("LEOC_TILE_URL", quote(v)+" needs one host name (no user, no {s} sub-domains: the content security policy allows exactly one origin)"+how)
	case !strings.Contains(v, "{z}") || !strings.Contains(v, "{x}") || !strings.Contains(v, "{y}"):
		l.problem("LEOC_TILE_URL", quote(v)+" must contain {z}, {x} and {y}"+how)
	default:
		c.TileURL, c.TileOrigin = v, u.Scheme+"://"+u.Host
	}
}
