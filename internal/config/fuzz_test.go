package config

import (
	"errors"
	"reflect"
	"sort"
	"strings"
	"testing"
)

// renderDotEnv writes env as KEY="value" lines with the escapes ReadDotEnv
// understands; it is how a tool would write a .env file back.
func renderDotEnv(env map[string]string) string {
	keys := make([]string, 0, len(env))
	for k := range env {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	escape := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`)
	var b strings.Builder
	for _, k := range keys {
		b.WriteString(k + `="` + escape.Replace(env[k]) + "\"\n")
	}
	return b.String()
}

// Seeds live in testdata/fuzz/FuzzReadDotEnv; f.Add only adds a few more.
func FuzzReadDotEnv(f *testing.F) {
	f.Add("A=1\nexport B='x y'\nC=\"q\\\"\\n\" # c\n")
	f.Fuzz(func(t *testing.T, in string) {
		env, err := ReadDotEnv(strings.NewReader(in))
		if err != nil {
			if !strings.HasPrefix(err.Error(), "line ") {
				t.Fatalf("error without a line number: %v", err)
			}
			return
		}
		out := renderDotEnv(env)
		again, err := ReadDotEnv(strings.NewReader(out))
		if err != nil {
			t.Fatalf("re-rendered file does not parse: %v\n%s", err, out)
		}
		if !reflect.DeepEqual(env, again) {
			t.Fatalf("round trip changed the values:\nfirst  %q\nsecond %q\nvia\n%s", env, again, out)
		}
	})
}

// FuzzLoad feeds arbitrary values to the variables with the most parsing.
// Load must return either a Config that keeps its promises or a
// *ValidationError, and never panic.
func FuzzLoad(f *testing.F) {
	f.Add("production", hexKey, ":5002", "postgres://u:p@h/db", "10.0.0.0/8,::1", "30m", "12h", "no", "https://leoc.example.gov.np", "10")
	f.Fuzz(func(t *testing.T, env, key, addr, db, proxies, idle, max, debug, baseURL, upload string) {
		vars := map[string]string{
			"LEOC_ENV": env, "LEOC_SECRET_KEY": key, "LEOC_ADDR": addr, "LEOC_DATABASE_URL": db,
			"LEOC_TRUSTED_PROXIES": proxies, "LEOC_SESSION_IDLE": idle, "LEOC_SESSION_MAX": max,
			"LEOC_DEBUG": debug, "LEOC_BASE_URL": baseURL, "LEOC_MAX_UPLOAD_MB": upload,
		}
		c, err := Load(mapLookup(vars))
		if err != nil {
			var verr *ValidationError
			if !errors.As(err, &verr) || len(verr.Problems) == 0 {
				t.Fatalf("error %v (%T) is not a non-empty *ValidationError", err, err)
			}
			for _, p := range verr.Problems {
				if !strings.HasPrefix(p.Var, "LEOC_") || p.Message == "" {
					t.Fatalf("bad problem %+v", p)
				}
			}
			return
		}
		switch {
		case c.Production() && (len(c.SecretKey) < 32 || c.Debug):
			t.Fatalf("production config with key of %d bytes, debug %v", len(c.SecretKey), c.Debug)
		case c.SecretKey != nil && len(c.SecretKey) < 32:
			t.Fatalf("accepted a %d-byte key", len(c.SecretKey))
		case c.SessionMax < c.SessionIdle:
			t.Fatalf("SessionMax %v < SessionIdle %v", c.SessionMax, c.SessionIdle)
		case c.MaxUploadMB < 1 || c.MaxUploadMB > 100:
			t.Fatalf("MaxUploadMB %d", c.MaxUploadMB)
		case c.Driver() == "sqlite" && c.SQLitePath() == "":
			t.Fatalf("sqlite without a path: %q", c.DatabaseURL)
		}
		for _, p := range c.TrustedProxies {
			if !p.IsValid() {
				t.Fatalf("invalid prefix in %v", c.TrustedProxies)
			}
		}
	})
}
