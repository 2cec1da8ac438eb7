package config

import (
	"sort"
	"strings"
)

// Variable documents one LEOC_ environment variable. The table is the single
// list sysadmins see: the README is checked against it by a test, and Load is
// checked to read no variable that is missing from it.
type Variable struct {
	Name        string
	Default     string // as a sysadmin would write it; "" when there is none or it is derived
	Description string
}

// Variables lists every variable LEOC reads, in the order they are validated.
var Variables = []Variable{
	{"LEOC_ENV", "development", `"development" or "production". Production refuses weak secrets and development-only switches.`},
	{"LEOC_ADDR", "127.0.0.1:5002", `Address the HTTP server listens on, host:port (":5002" listens on all interfaces).`},
	{"LEOC_DATA_DIR", "./leoc-data", "Directory for the SQLite database, uploads and the development secret key."},
	{"LEOC_DATABASE_URL", "", `Database: "sqlite:///abs/path.db", "sqlite://rel/path.db", a plain file path, or "postgres://user:pass@host/db". Default: sqlite://<LEOC_DATA_DIR>/leoc.db.`},
	{"LEOC_SQLITE_SYNCHRONOUS", "full", `SQLite only: "full" makes every commit wait until it is on disk, so an acknowledged relief payment or fund entry survives a power cut; "normal" is faster but a power cut may lose the last few commits. See docs/testing.md for the measured cost.`},
	{"LEOC_MIGRATE_DATABASE_URL", "", "PostgreSQL only: URL of the role that owns the schema and runs migrations (leoc migrate, and serve at start). When set, the LEOC_DATABASE_URL role is granted only row access and cannot drop or disable the audit trail's triggers. See docs/audit.md."},
	{"LEOC_UPLOAD_DIR", "", "Directory for uploaded photos and documents. Default: <LEOC_DATA_DIR>/uploads."},
	{"LEOC_SECRET_KEY", "", "Key that signs sessions and CSRF tokens: at least 32 random bytes as hex or base64. Required in production; generate one with: openssl rand -hex 32. In development a key is generated into <LEOC_DATA_DIR>/secret.key."},
	{"LEOC_AUDIT_KEY", "", "Optional key the audit trail's links and signed checkpoints are derived from (same format as LEOC_SECRET_KEY). Default: derived from LEOC_SECRET_KEY; set it so the secret key can be rotated without breaking the trail. Keep a copy outside the server."},
	{"LEOC_LOG_LEVEL", "info", "debug, info, warn or error."},
	{"LEOC_LOG_FILE", "", "Optional path of a log file, rotated at 10 MB with 10 old files kept; logs always go to stderr too."},
	{"LEOC_TRUSTED_PROXIES", "", "Comma-separated IPs or CIDRs of reverse proxies whose X-Forwarded-For is believed, e.g. 127.0.0.1,10.0.0.0/8."},
	{"LEOC_MAX_UPLOAD_MB", "10", "Largest accepted upload request in megabytes, 1 to 100."},
	{"LEOC_MAX_PHOTO_MB", "5", "Largest accepted photo (jpg, png, gif, webp) in megabytes; not above LEOC_MAX_UPLOAD_MB."},
	{"LEOC_MAX_DOCUMENT_MB", "10", "Largest accepted document (pdf, jpg, png, docx) in megabytes; not above LEOC_MAX_UPLOAD_MB."},
	{"LEOC_MAX_IMAGE_MEGAPIXELS", "40", "Largest accepted image in megapixels (width × height), 1 to 100, checked from the header before decoding; it also bounds the memory of the image decodes in flight (4 bytes a pixel)."},
	{"LEOC_SESSION_IDLE", "2h", "Sign-out after this much inactivity, a Go duration between 5m and 24h."},
	{"LEOC_SESSION_MAX", "12h", "Sign-out after this long regardless of activity, between 1h and 720h (30 days); not shorter than LEOC_SESSION_IDLE."},
	{"LEOC_EDIT_WINDOW", "24h", "How long after it is saved a record stays open for corrections by its author and the writers of its ward, without the unlock key; a Go duration between 0 and 720h. 0 locks every record when it is saved."},
	{"LEOC_DEBUG", "false", "true enables /debug/pprof; refused in production."},
	{"LEOC_BASE_URL", "", "Public https:// URL of this LEOC, e.g. https://leoc.example.gov.np. Required in production: every absolute link (CAP and Atom feed, HTTPS redirect) is built from it, never from a request's Host header. In development it defaults to http://<LEOC_ADDR>."},
	{"LEOC_DEFAULT_LANG", "ne", `Language of the interface until a user chooses: "ne" (Nepali) or "en" (English).`},
	{"LEOC_TILES_FILE", "", "Optional path of a local basemap for the map page: an MBTiles (raster PNG/JPEG/WebP) or PMTiles archive, served at /tiles/{z}/{x}/{y} so the map works without internet (docs/map.md). Default: no basemap, only boundaries, wards and markers."},
	{"LEOC_TILE_URL", "", "Optional remote raster tile server for the map instead, e.g. https://tile.openstreetmap.org/{z}/{x}/{y}.png; only then is its origin allowed in the content security policy. Not together with LEOC_TILES_FILE."},
	{"LEOC_SHUTDOWN_TIMEOUT", "20s", "How long a stopping server waits for requests in flight, between 1s and 5m."},
	{"LEOC_METRICS_TOKEN", "", "Bearer token that GET /metrics (Prometheus format) requires on the main listener: a random key as for LEOC_SECRET_KEY (openssl rand -hex 32). Without it /metrics answers 404 there. See docs/deploy.md."},
	{"LEOC_METRICS_ADDR", "", `Optional separate admin listener, host:port such as 127.0.0.1:9102, that serves /metrics (no token) for a Prometheus on the same host or private network; never expose it publicly.`},
	{"LEOC_PPROF_ADDR", "", `Optional loopback listener, such as 127.0.0.1:6060, that serves only the Go profiler (/debug/pprof/) of the running server, production included; any other host is refused. Reach it on the server or through an SSH tunnel (docs/deploy.md).`},
	{"LEOC_REDIS_URL", "", "Optional Redis, redis://[:password@]host:6379/0, shared by several LEOC servers: the rate limits (per address, per user, sign-in, unlock key) count across them, and changes kept in memory (the calendar table) reach every server within a second. See docs/scale-out.md."},
	{"LEOC_STORAGE_URL", "", "Optional S3-compatible bucket for uploads, s3://BUCKET?endpoint=HOST:PORT[&region=R][&secure=false]; unset keeps them in LEOC_UPLOAD_DIR. Move existing files with leoc files migrate --to. See docs/scale-out.md."},
	{"LEOC_S3_ACCESS_KEY", "", "Access key of the bucket in LEOC_STORAGE_URL; required with it."},
	{"LEOC_S3_SECRET_KEY", "", "Secret key of the bucket in LEOC_STORAGE_URL; required with it."},
	{"LEOC_RATE_LIMIT", "600/min", `Requests allowed per signed-in user or API token, and separately per client address, e.g. "600/min" or "50/10s"; "off" disables. Over it the answer is 429 with Retry-After.`},
	{"LEOC_LOGIN_RATE_LIMIT", "10/min", "Sign-in attempts allowed per client address, over all usernames (the per-account throttle comes on top)."},
	{"LEOC_UNLOCK_RATE_LIMIT", "5/15m", "Unlock-key attempts allowed per user."},
	{"LEOC_ENV_FILE", ".env", "Path of the .env file to read; a missing ./.env is ignored, a missing named file is an error."},
}

// isKnown reports whether name is in Variables.
func isKnown(name string) bool {
	for _, v := range Variables {
		if v.Name == name {
			return true
		}
	}
	return false
}

// UnknownVariables returns, sorted and without duplicates, the names that
// start with LEOC_ but are not in Variables — most often a typo such as
// LEOC_ADRR, which would otherwise be silently ignored.
func UnknownVariables(names []string) []string {
	seen := map[string]bool{}
	var unknown []string
	for _, n := range names {
		if strings.HasPrefix(n, "LEOC_") && !isKnown(n) && !seen[n] {
			seen[n] = true
			unknown = append(unknown, n)
		}
	}
	sort.Strings(unknown)
	return unknown
}

// Suggest returns the known variable closest to an unknown name, or "" when
// none is close enough to be a plausible typo.
func Suggest(name string) string {
	best, bestDist := "", 3 // more than two edits is a different word, not a typo
	for _, v := range Variables {
		if d := editDistance(name, v.Name); d < bestDist {
			best, bestDist = v.Name, d
		}
	}
	return best
}

// editDistance is the Levenshtein distance between two ASCII-ish strings.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
