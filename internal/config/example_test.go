package config_test

import (
	"fmt"

	"leoc/internal/config"
)

// A production start with a copied development .env: every problem is
// reported at once, each saying what to set.
func ExampleLoad() {
	env := map[string]string{
		"LEOC_ENV":           "production",
		"LEOC_SECRET_KEY":    "change-me-to-a-long-random-string",
		"LEOC_DEBUG":         "true",
		"LEOC_ADDR":          "0.0.0.0",
		"LEOC_SESSION_IDLE":  "90",
		"LEOC_MAX_UPLOAD_MB": "500",
	}
	_, err := config.Load(func(k string) (string, bool) { v, ok := env[k]; return v, ok })
	fmt.Println(err)
	// Output:
	// LEOC_ADDR: "0.0.0.0" is not host:port; set host:port such as 127.0.0.1:5002, or :5002 to listen on every interface
	// LEOC_SECRET_KEY: looks like a placeholder (it contains "change"), not a real key — generate one with: openssl rand -hex 32
	// LEOC_MAX_UPLOAD_MB: 500 is out of range; set a number from 1 to 100
	// LEOC_SESSION_IDLE: "90" is not a duration; write it like "90m", "2h" or "30s", between 5m and 24h
	// LEOC_DEBUG: exposes /debug/pprof and is refused in production; remove LEOC_DEBUG or set LEOC_ENV=development
	// LEOC_BASE_URL: is required in production: links in the CAP feed and the HTTPS redirect are built from it, never from the Host header a client sends; set the public address such as https://leoc.example.gov.np
}
