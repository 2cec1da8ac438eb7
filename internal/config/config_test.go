package config

import (
	"errors"
	"log/slog"
	"net/netip"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"leoc/internal/must"
)

const (
	hexKey    = "e419485b0d9ed3bf672da582f9a0964fe69fd51a7b0897d7ceb96140da44375d"
	base64Key = "YFFG+hPc5khmdMQoKjyIR/ML/iQBqZO3pQctQhPqDVs="
	urlKey    = "l1qCcVtC7I0rIgmmH4HITTe8ZqoPLu1zbqbWNWEx7Yli" // URL alphabet, no padding
	rawKey    = "Kathmandu-Thalara-Bajhang-Kholi-9wards"       // 38 raw bytes, ≥10 distinct
)

// mapLookup is the lookup a test passes to Load.
func mapLookup(env map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) { v, ok := env[k]; return v, ok }
}

// problems returns the variables named in err, failing if err is not a
// *ValidationError.
func problems(t *testing.T, err error) []string {
	t.Helper()
	var verr *ValidationError
	if !errors.As(err, &verr) {
		t.Fatalf("error = %v (%T), want *ValidationError", err, err)
	}
	var vars []string
	for _, p := range verr.Problems {
		vars = append(vars, p.Var)
	}
	return vars
}

func TestLoadDefaults(t *testing.T) {
	c, err := Load(mapLookup(nil))
	if err != nil {
		t.Fatal(err)
	}
	want := &Config{
		Env:               "development",
		Addr:              "127.0.0.1:5002",
		DataDir:           "./leoc-data",
		DatabaseURL:       "sqlite://leoc-data/leoc.db",
		SQLiteSynchronous: "full",
		UploadDir:         "leoc-data/uploads",
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
	if !reflect.DeepEqual(c, want) {
		t.Errorf("defaults:\n got %+v\nwant %+v", c, want)
	}
	if c.Production() || c.Driver() != "sqlite" || c.SQLitePath() != "leoc-data/leoc.db" {
		t.Errorf("Production=%v Driver=%q SQLitePath=%q", c.Production(), c.Driver(), c.SQLitePath())
	}
}

// TestLoadVariables checks good and bad values of each variable in
// development. check is run on success; wantBad names the variable that must
// be reported, and only it.
func TestLoadVariables(t *testing.T) {
	tests := []struct {
		name    string
		env     map[string]string
		wantBad string
		check   func(*Config) bool
	}{
		{"env production", map[string]string{"LEOC_ENV": "production", "LEOC_SECRET_KEY": hexKey, "LEOC_BASE_URL": "https://leoc.thalara.gov.np"}, "", func(c *Config) bool { return c.Production() }},
		{"env upper case", map[string]string{"LEOC_ENV": "Development"}, "", func(c *Config) bool { return c.Env == "development" }},
		{"env blank is default", map[string]string{"LEOC_ENV": "  "}, "", func(c *Config) bool { return c.Env == "development" }},
		{"env prod", map[string]string{"LEOC_ENV": "prod"}, "LEOC_ENV", nil},

		{"addr all interfaces", map[string]string{"LEOC_ADDR": ":5002"}, "", func(c *Config) bool { return c.Addr == ":5002" }},
		{"addr ipv6", map[string]string{"LEOC_ADDR": "[::1]:8080"}, "", func(c *Config) bool { return c.Addr == "[::1]:8080" }},
		{"addr port 0", map[string]string{"LEOC_ADDR": "localhost:0"}, "", nil},
		{"addr no port", map[string]string{"LEOC_ADDR": "127.0.0.1"}, "LEOC_ADDR", nil},
		{"addr port too big", map[string]string{"LEOC_ADDR": ":65536"}, "LEOC_ADDR", nil},
		{"addr service name", map[string]string{"LEOC_ADDR": ":http"}, "LEOC_ADDR", nil},
		{"addr negative port", map[string]string{"LEOC_ADDR": ":-1"}, "LEOC_ADDR", nil},

		{"data dir derives db and uploads", map[string]string{"LEOC_DATA_DIR": "/var/lib/leoc"}, "", func(c *Config) bool {
			return c.DatabaseURL == "sqlite:///var/lib/leoc/leoc.db" && c.SQLitePath() == "/var/lib/leoc/leoc.db" && c.UploadDir == "/var/lib/leoc/uploads"
		}},
		{"sqlite synchronous normal", map[string]string{"LEOC_SQLITE_SYNCHRONOUS": "NORMAL"}, "", func(c *Config) bool { return c.SQLiteSynchronous == "normal" }},
		{"sqlite synchronous full", map[string]string{"LEOC_SQLITE_SYNCHRONOUS": "full"}, "", func(c *Config) bool { return c.SQLiteSynchronous == "full" }},
		{"sqlite synchronous off", map[string]string{"LEOC_SQLITE_SYNCHRONOUS": "off"}, "LEOC_SQLITE_SYNCHRONOUS", nil},
		{"sqlite synchronous number", map[string]string{"LEOC_SQLITE_SYNCHRONOUS": "1"}, "LEOC_SQLITE_SYNCHRONOUS", nil},
		{"upload dir override", map[string]string{"LEOC_UPLOAD_DIR": "/srv/uploads"}, "", func(c *Config) bool { return c.UploadDir == "/srv/uploads" }},

		{"db sqlite absolute", map[string]string{"LEOC_DATABASE_URL": "sqlite:///data/x.db"}, "", func(c *Config) bool { return c.Driver() == "sqlite" && c.SQLitePath() == "/data/x.db" }},
		{"db sqlite relative", map[string]string{"LEOC_DATABASE_URL": "sqlite://rel/x.db"}, "", func(c *Config) bool { return c.SQLitePath() == "rel/x.db" }},
		{"db plain path", map[string]string{"LEOC_DATABASE_URL": "/data/leoc.db"}, "", func(c *Config) bool {
			return c.DatabaseURL == "sqlite:///data/leoc.db" && c.SQLitePath() == "/data/leoc.db"
		}},
		{"db postgres", map[string]string{"LEOC_DATABASE_URL": "postgres://leoc:pw@db:5432/leoc?sslmode=disable"}, "", func(c *Config) bool {
			return c.Driver() == "postgres" && c.SQLitePath() == ""
		}},
		{"db postgresql", map[string]string{"LEOC_DATABASE_URL": "postgresql://leoc@localhost/leoc"}, "", func(c *Config) bool { return c.Driver() == "postgres" }},
		{"db mysql", map[string]string{"LEOC_DATABASE_URL": "mysql://u:p@h/db"}, "LEOC_DATABASE_URL", nil},
		{"db empty sqlite", map[string]string{"LEOC_DATABASE_URL": "sqlite://"}, "LEOC_DATABASE_URL", nil},
		{"db sqlite query", map[string]string{"LEOC_DATABASE_URL": "sqlite:///x.db?_pragma=foo"}, "LEOC_DATABASE_URL", nil},
		{"db missing slashes", map[string]string{"LEOC_DATABASE_URL": "sqlite:leoc.db"}, "LEOC_DATABASE_URL", nil},
		{"db keyword dsn", map[string]string{"LEOC_DATABASE_URL": "host=db user=leoc dbname=leoc"}, "LEOC_DATABASE_URL", nil},
		{"db bad postgres url", map[string]string{"LEOC_DATABASE_URL": "postgres://u:p@[::1/db"}, "LEOC_DATABASE_URL", nil},

		{"key hex", map[string]string{"LEOC_SECRET_KEY": hexKey}, "", func(c *Config) bool { return len(c.SecretKey) == 32 && c.SecretKeySource == "env" }},
		{"key base64", map[string]string{"LEOC_SECRET_KEY": base64Key}, "", func(c *Config) bool { return len(c.SecretKey) == 32 }},
		{"key base64 url raw", map[string]string{"LEOC_SECRET_KEY": urlKey}, "", func(c *Config) bool { return len(c.SecretKey) == 33 }},
		{"key raw", map[string]string{"LEOC_SECRET_KEY": rawKey}, "", func(c *Config) bool { return string(c.SecretKey) == rawKey }},
		{"key unset in development", nil, "", func(c *Config) bool { return c.SecretKey == nil && c.SecretKeySource == "" }},
		{"key short hex", map[string]string{"LEOC_SECRET_KEY": hexKey[:62]}, "LEOC_SECRET_KEY", nil},
		{"key short raw", map[string]string{"LEOC_SECRET_KEY": "Thalara-Bajhang-9"}, "LEOC_SECRET_KEY", nil},
		{"key placeholder", map[string]string{"LEOC_SECRET_KEY": "please-CHANGE-me-before-going-live-2082"}, "LEOC_SECRET_KEY", nil},
		{"key your-", map[string]string{"LEOC_SECRET_KEY": "your-secret-key-goes-here-0123456789"}, "LEOC_SECRET_KEY", nil},
		{"key xxxx", map[string]string{"LEOC_SECRET_KEY": "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"}, "LEOC_SECRET_KEY", nil},
		{"key repeated char", map[string]string{"LEOC_SECRET_KEY": strings.Repeat("a", 64)}, "LEOC_SECRET_KEY", nil},
		{"key few distinct", map[string]string{"LEOC_SECRET_KEY": strings.Repeat("12345678", 8)}, "LEOC_SECRET_KEY", nil},
		{"key repeated pattern", map[string]string{"LEOC_SECRET_KEY": strings.Repeat("qwertyuiop", 4)}, "LEOC_SECRET_KEY", nil},
		{"key repeated hex bytes", map[string]string{"LEOC_SECRET_KEY": strings.Repeat("0123456789abcdef", 4)}, "LEOC_SECRET_KEY", nil},
		{"key too long", map[string]string{"LEOC_SECRET_KEY": strings.Repeat(hexKey, 20)}, "LEOC_SECRET_KEY", nil},

		{"image megapixels", map[string]string{"LEOC_MAX_IMAGE_MEGAPIXELS": "12"}, "", func(c *Config) bool { return c.MaxImageMP == 12 }},
		{"image megapixels zero", map[string]string{"LEOC_MAX_IMAGE_MEGAPIXELS": "0"}, "LEOC_MAX_IMAGE_MEGAPIXELS", nil},
		{"image megapixels too many", map[string]string{"LEOC_MAX_IMAGE_MEGAPIXELS": "101"}, "LEOC_MAX_IMAGE_MEGAPIXELS", nil},
		{"image megapixels words", map[string]string{"LEOC_MAX_IMAGE_MEGAPIXELS": "40MP"}, "LEOC_MAX_IMAGE_MEGAPIXELS", nil},

		{"log level debug", map[string]string{"LEOC_LOG_LEVEL": "debug"}, "", func(c *Config) bool { return c.LogLevel == slog.LevelDebug }},
		{"log level WARN", map[string]string{"LEOC_LOG_LEVEL": "WARN"}, "", func(c *Config) bool { return c.LogLevel == slog.LevelWarn }},
		{"log level error", map[string]string{"LEOC_LOG_LEVEL": "error"}, "", func(c *Config) bool { return c.LogLevel == slog.LevelError }},
		{"log level verbose", map[string]string{"LEOC_LOG_LEVEL": "verbose"}, "LEOC_LOG_LEVEL", nil},
		{"log level offset", map[string]string{"LEOC_LOG_LEVEL": "info+2"}, "LEOC_LOG_LEVEL", nil},

		{"log file", map[string]string{"LEOC_LOG_FILE": "/var/log/leoc/leoc.log"}, "", func(c *Config) bool { return c.LogFile == "/var/log/leoc/leoc.log" }},
		{"log file directory", map[string]string{"LEOC_LOG_FILE": "/var/log/leoc/"}, "LEOC_LOG_FILE", nil},

		{"proxies", map[string]string{"LEOC_TRUSTED_PROXIES": " 127.0.0.1, 10.1.2.3/8 ,::1,2001:db8::/32,::ffff:192.0.2.1,"}, "", func(c *Config) bool {
			want := []netip.Prefix{
				netip.MustParsePrefix("127.0.0.1/32"), netip.MustParsePrefix("10.0.0.0/8"),
				netip.MustParsePrefix("::1/128"), netip.MustParsePrefix("2001:db8::/32"),
				netip.MustParsePrefix("192.0.2.1/32"),
			}
			return reflect.DeepEqual(c.TrustedProxies, want)
		}},
		{"proxies bad ip", map[string]string{"LEOC_TRUSTED_PROXIES": "10.0.0.300"}, "LEOC_TRUSTED_PROXIES", nil},
		{"proxies bad cidr", map[string]string{"LEOC_TRUSTED_PROXIES": "10.0.0.0/33"}, "LEOC_TRUSTED_PROXIES", nil},
		{"proxies zone", map[string]string{"LEOC_TRUSTED_PROXIES": "fe80::1%eth0"}, "LEOC_TRUSTED_PROXIES", nil},
		{"proxies hostname", map[string]string{"LEOC_TRUSTED_PROXIES": "proxy.local"}, "LEOC_TRUSTED_PROXIES", nil},

		{"upload 100", map[string]string{"LEOC_MAX_UPLOAD_MB": "100"}, "", func(c *Config) bool { return c.MaxUploadMB == 100 }},
		{"upload 1", map[string]string{"LEOC_MAX_UPLOAD_MB": "1"}, "", func(c *Config) bool { return c.MaxUploadMB == 1 }},
		{"upload 0", map[string]string{"LEOC_MAX_UPLOAD_MB": "0"}, "LEOC_MAX_UPLOAD_MB", nil},
		{"upload 101", map[string]string{"LEOC_MAX_UPLOAD_MB": "101"}, "LEOC_MAX_UPLOAD_MB", nil},
		{"upload units", map[string]string{"LEOC_MAX_UPLOAD_MB": "10MB"}, "LEOC_MAX_UPLOAD_MB", nil},

		{"idle 30m", map[string]string{"LEOC_SESSION_IDLE": "30m"}, "", func(c *Config) bool { return c.SessionIdle == 30*time.Minute }},
		{"idle 4m", map[string]string{"LEOC_SESSION_IDLE": "4m"}, "LEOC_SESSION_IDLE", nil},
		{"idle 25h", map[string]string{"LEOC_SESSION_IDLE": "25h"}, "LEOC_SESSION_IDLE", nil},
		{"idle no unit", map[string]string{"LEOC_SESSION_IDLE": "7200"}, "LEOC_SESSION_IDLE", nil},
		{"max 720h", map[string]string{"LEOC_SESSION_MAX": "720h"}, "", func(c *Config) bool { return c.SessionMax == 720*time.Hour }},
		{"max 721h", map[string]string{"LEOC_SESSION_MAX": "721h"}, "LEOC_SESSION_MAX", nil},
		{"max 59m", map[string]string{"LEOC_SESSION_MAX": "59m"}, "LEOC_SESSION_MAX", nil},
		{"max equals idle", map[string]string{"LEOC_SESSION_IDLE": "3h", "LEOC_SESSION_MAX": "3h"}, "", nil},
		{"edit window 2h", map[string]string{"LEOC_EDIT_WINDOW": "2h"}, "", func(c *Config) bool { return c.EditWindow == 2*time.Hour }},
		{"edit window 0 locks on save", map[string]string{"LEOC_EDIT_WINDOW": "0"}, "", func(c *Config) bool { return c.EditWindow == 0 }},
		{"edit window negative", map[string]string{"LEOC_EDIT_WINDOW": "-1h"}, "LEOC_EDIT_WINDOW", nil},
		{"edit window too long", map[string]string{"LEOC_EDIT_WINDOW": "721h"}, "LEOC_EDIT_WINDOW", nil},
		{"edit window no unit", map[string]string{"LEOC_EDIT_WINDOW": "24"}, "LEOC_EDIT_WINDOW", nil},
		{"max below idle", map[string]string{"LEOC_SESSION_IDLE": "8h", "LEOC_SESSION_MAX": "4h"}, "LEOC_SESSION_MAX", nil},

		{"debug yes", map[string]string{"LEOC_DEBUG": "yes"}, "", func(c *Config) bool { return c.Debug }},
		{"debug ON", map[string]string{"LEOC_DEBUG": "ON"}, "", func(c *Config) bool { return c.Debug }},
		{"debug 0", map[string]string{"LEOC_DEBUG": "0"}, "", func(c *Config) bool { return !c.Debug }},
		{"debug off", map[string]string{"LEOC_DEBUG": "off"}, "", func(c *Config) bool { return !c.Debug }},
		{"debug typo", map[string]string{"LEOC_DEBUG": "ture"}, "LEOC_DEBUG", nil},

		{"base url", map[string]string{"LEOC_BASE_URL": "https://leoc.example.gov.np/"}, "", func(c *Config) bool { return c.BaseURL == "https://leoc.example.gov.np" }},
		{"base url with path", map[string]string{"LEOC_BASE_URL": "http://10.0.0.5:5002/leoc"}, "", func(c *Config) bool { return c.BaseURL == "http://10.0.0.5:5002/leoc" }},
		{"public url is base url", map[string]string{"LEOC_BASE_URL": "https://leoc.example.gov.np/"}, "", func(c *Config) bool { return c.PublicURL() == "https://leoc.example.gov.np" }},
		{"public url in development", nil, "", func(c *Config) bool { return c.PublicURL() == "http://127.0.0.1:5002" }},
		{"public url all interfaces", map[string]string{"LEOC_ADDR": ":8080"}, "", func(c *Config) bool { return c.PublicURL() == "http://localhost:8080" }},
		{"base url relative", map[string]string{"LEOC_BASE_URL": "leoc.example.gov.np"}, "LEOC_BASE_URL", nil},
		{"base url ftp", map[string]string{"LEOC_BASE_URL": "ftp://leoc.example.gov.np"}, "LEOC_BASE_URL", nil},
		{"base url query", map[string]string{"LEOC_BASE_URL": "https://leoc.example.gov.np/?x=1"}, "LEOC_BASE_URL", nil},
		{"base url fragment", map[string]string{"LEOC_BASE_URL": "https://leoc.example.gov.np/#top"}, "LEOC_BASE_URL", nil},
		{"base url userinfo", map[string]string{"LEOC_BASE_URL": "https://admin:pw@leoc.example.gov.np"}, "LEOC_BASE_URL", nil},

		{"lang en", map[string]string{"LEOC_DEFAULT_LANG": "en"}, "", func(c *Config) bool { return c.DefaultLang == "en" }},
		{"lang np", map[string]string{"LEOC_DEFAULT_LANG": "np"}, "LEOC_DEFAULT_LANG", nil},

		{"shutdown 1m", map[string]string{"LEOC_SHUTDOWN_TIMEOUT": "1m"}, "", func(c *Config) bool { return c.ShutdownTimeout == time.Minute }},
		{"shutdown 0", map[string]string{"LEOC_SHUTDOWN_TIMEOUT": "0s"}, "LEOC_SHUTDOWN_TIMEOUT", nil},
		{"shutdown bad", map[string]string{"LEOC_SHUTDOWN_TIMEOUT": "soon"}, "LEOC_SHUTDOWN_TIMEOUT", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Load(mapLookup(tt.env))
			if tt.wantBad != "" {
				if got := problems(t, err); !reflect.DeepEqual(got, []string{tt.wantBad}) {
					t.Fatalf("problems = %v, want [%s]\n%v", got, tt.wantBad, err)
				}
				return
			}
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			if tt.check != nil && !tt.check(c) {
				t.Errorf("check failed for %+v", c)
			}
		})
	}
}

func TestLoadProduction(t *testing.T) {
	tests := []struct {
		name    string
		env     map[string]string
		wantBad []string
		wantMsg string
	}{
		{"good", map[string]string{"LEOC_SECRET_KEY": hexKey}, nil, ""},
		{"missing key", nil, []string{"LEOC_SECRET_KEY"}, "openssl rand -hex 32"},
		{"blank key", map[string]string{"LEOC_SECRET_KEY": " "}, []string{"LEOC_SECRET_KEY"}, "required in production"},
		{"weak key", map[string]string{"LEOC_SECRET_KEY": strings.Repeat("ab", 32)}, []string{"LEOC_SECRET_KEY"}, "predictable"},
		{"placeholder key", map[string]string{"LEOC_SECRET_KEY": "replace-with-a-long-random-example-value"}, []string{"LEOC_SECRET_KEY"}, "placeholder"},
		{"debug", map[string]string{"LEOC_SECRET_KEY": hexKey, "LEOC_DEBUG": "true"}, []string{"LEOC_DEBUG"}, "remove LEOC_DEBUG or set LEOC_ENV=development"},
		{"debug false is fine", map[string]string{"LEOC_SECRET_KEY": hexKey, "LEOC_DEBUG": "false"}, nil, ""},
		{"no base url", map[string]string{"LEOC_SECRET_KEY": hexKey, "LEOC_BASE_URL": ""}, []string{"LEOC_BASE_URL"}, "required in production"},
		{"http base url", map[string]string{"LEOC_SECRET_KEY": hexKey, "LEOC_BASE_URL": "http://leoc.thalara.gov.np"}, []string{"LEOC_BASE_URL"}, "must start with https://"},
		{"base64 passphrase", map[string]string{"LEOC_SECRET_KEY": "dGhlIGxlb2Mgc2VjcmV0IG9mIHRoYWxhcmEgZ2F1bnBhbGlrYSwgMjA4Mg=="}, []string{"LEOC_SECRET_KEY"}, "decodes to text"},
		{"hex sequence", map[string]string{"LEOC_SECRET_KEY": "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"}, []string{"LEOC_SECRET_KEY"}, "00 01 02"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := map[string]string{"LEOC_ENV": "production", "LEOC_BASE_URL": "https://leoc.thalara.gov.np"}
			for k, v := range tt.env {
				env[k] = v
			}
			c, err := Load(mapLookup(env))
			if tt.wantBad == nil {
				if err != nil || !c.Production() {
					t.Fatalf("Load: %v", err)
				}
				return
			}
			if got := problems(t, err); !reflect.DeepEqual(got, tt.wantBad) {
				t.Fatalf("problems = %v, want %v", got, tt.wantBad)
			}
			if !strings.Contains(err.Error(), tt.wantMsg) {
				t.Errorf("error %q does not contain %q", err, tt.wantMsg)
			}
		})
	}
}

// A sysadmin must see every mistake in one start, not one per restart.
func TestLoadReportsEveryProblem(t *testing.T) {
	_, err := Load(mapLookup(map[string]string{
		"LEOC_ENV":           "production",
		"LEOC_ADDR":          "nope",
		"LEOC_MAX_UPLOAD_MB": "1000",
		"LEOC_DEBUG":         "1",
	}))
	want := []string{"LEOC_ADDR", "LEOC_SECRET_KEY", "LEOC_MAX_UPLOAD_MB", "LEOC_DEBUG", "LEOC_BASE_URL"}
	if got := problems(t, err); !reflect.DeepEqual(got, want) {
		t.Fatalf("problems = %v, want %v", got, want)
	}
	lines := strings.Split(err.Error(), "\n")
	if len(lines) != len(want) {
		t.Fatalf("Error() has %d lines, want %d:\n%s", len(lines), len(want), err)
	}
	for i, line := range lines {
		if !strings.HasPrefix(line, want[i]+": ") {
			t.Errorf("line %d = %q, want prefix %q", i, line, want[i]+": ")
		}
	}
}

// Error messages end up in terminals and logs; they must not carry secrets.
func TestLoadDoesNotEchoSecrets(t *testing.T) {
	weak := "Password-Thalara-2082-Password-Thalara"
	_, err := Load(mapLookup(map[string]string{
		"LEOC_SECRET_KEY":   weak,
		"LEOC_DATABASE_URL": "mysql://leoc:hunter2@db/leoc",
	}))
	if err == nil {
		t.Fatal("want error")
	}
	for _, s := range []string{weak, "hunter2"} {
		if strings.Contains(err.Error(), s) {
			t.Errorf("error repeats %q:\n%s", s, err)
		}
	}
}

// TestVariablesCoverLoad records every name Load looks up: each must be
// documented in Variables, and each documented variable (except the one only
// LoadEnvironment reads) must really be read.
func TestVariablesCoverLoad(t *testing.T) {
	read := map[string]bool{}
	lookup := func(k string) (string, bool) { read[k] = true; return "", false }
	for _, env := range []string{"development", "production"} {
		_, _ = Load(func(k string) (string, bool) {
			if k == "LEOC_ENV" {
				read[k] = true
				return env, true
			}
			return lookup(k)
		})
	}
	for name := range read {
		if !isKnown(name) {
			t.Errorf("Load reads %s, which is missing from Variables", name)
		}
	}
	for _, v := range Variables {
		if !read[v.Name] && v.Name != "LEOC_ENV_FILE" {
			t.Errorf("Variables documents %s, which Load never reads", v.Name)
		}
		if v.Description == "" {
			t.Errorf("%s has no description", v.Name)
		}
	}
}

// TestVariablesDefaults keeps the documented defaults true: setting each
// variable to its documented default must give the same Config as leaving
// it unset.
func TestVariablesDefaults(t *testing.T) {
	env := map[string]string{}
	for _, v := range Variables {
		if v.Default != "" && v.Name != "LEOC_ENV_FILE" {
			env[v.Name] = v.Default
		}
	}
	got, err := Load(mapLookup(env))
	if err != nil {
		t.Fatal(err)
	}
	want := must.Get(Load(mapLookup(nil)))(t)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("documented defaults give\n%+v\nbut unset gives\n%+v", got, want)
	}
}

// TestREADMEListsVariables checks the README documents every variable once
// it exists; the table in the README is the one sysadmins read.
func TestREADMEListsVariables(t *testing.T) {
	data, err := os.ReadFile("../../README.md")
	if errors.Is(err, os.ErrNotExist) {
		t.Skip("no README.md yet")
	}
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range Variables {
		if !strings.Contains(string(data), v.Name) {
			t.Errorf("README.md does not mention %s", v.Name)
		}
	}
}

func TestUnknownVariables(t *testing.T) {
	got := UnknownVariables([]string{"PATH", "LEOC_ADRR", "LEOC_ADDR", "LEOC_ADRR", "LEOC_ZZZ", "leoc_addr"})
	if want := []string{"LEOC_ADRR", "LEOC_ZZZ"}; !reflect.DeepEqual(got, want) {
		t.Errorf("UnknownVariables = %v, want %v", got, want)
	}
	for name, want := range map[string]string{
		"LEOC_ADRR":       "LEOC_ADDR",
		"LEOC_SECRET_KY":  "LEOC_SECRET_KEY",
		"LEOC_DATADIR":    "LEOC_DATA_DIR",
		"LEOC_SOMETHING":  "",
		"LEOC_LOGLEVEL":   "LEOC_LOG_LEVEL",
		"LEOC_UPLOAD_MAX": "",
	} {
		if got := Suggest(name); got != want {
			t.Errorf("Suggest(%s) = %q, want %q", name, got, want)
		}
	}
}

func TestUploadLimitsFitTheRequestLimit(t *testing.T) {
	env := map[string]string{"LEOC_MAX_UPLOAD_MB": "8", "LEOC_MAX_PHOTO_MB": "3", "LEOC_MAX_DOCUMENT_MB": "12"}
	c, err := Load(func(k string) (string, bool) { v, ok := env[k]; return v, ok })
	if err == nil || !strings.Contains(err.Error(), "LEOC_MAX_DOCUMENT_MB") {
		t.Fatalf("document limit 12 over request limit 8 accepted: %v %+v", err, c)
	}
	// Unset limits shrink to fit a smaller request limit.
	c, err = Load(func(k string) (string, bool) {
		return map[string]string{"LEOC_MAX_UPLOAD_MB": "2"}[k], k == "LEOC_MAX_UPLOAD_MB"
	})
	if err != nil || c.MaxPhotoMB != 2 || c.MaxDocumentMB != 2 {
		t.Fatalf("defaults under LEOC_MAX_UPLOAD_MB=2: %v %+v", err, c)
	}
	env["LEOC_MAX_DOCUMENT_MB"] = "8"
	c, err = Load(func(k string) (string, bool) { v, ok := env[k]; return v, ok })
	if err != nil || c.MaxPhotoMB != 3 || c.MaxDocumentMB != 8 {
		t.Fatalf("limits: %v %+v", err, c)
	}
}
