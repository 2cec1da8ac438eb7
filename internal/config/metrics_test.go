package config

import (
	"strings"
	"testing"
)

func TestMetricsVariables(t *testing.T) {
	load := func(env map[string]string) (*Config, error) {
		return Load(func(k string) (string, bool) { v, ok := env[k]; return v, ok })
	}
	const token = "3f9a1c7e5b2d8f4a6c0e9b1d7a3f5c8e2b6d4a0f9c1e7b3d5a8f2c6e0b4d9a7f"
	c, err := load(map[string]string{"LEOC_METRICS_TOKEN": token, "LEOC_METRICS_ADDR": "127.0.0.1:9102"})
	if err != nil || c.MetricsToken != token || c.MetricsAddr != "127.0.0.1:9102" {
		t.Fatalf("good metrics settings: %+v %v", c, err)
	}
	for _, tc := range []struct{ name, value, want string }{
		{"LEOC_METRICS_TOKEN", "changeme-changeme-changeme-changeme", "placeholder"},
		{"LEOC_METRICS_TOKEN", "short", "LEOC_METRICS_TOKEN"},
		{"LEOC_METRICS_ADDR", "9102", "not host:port"},
		{"LEOC_METRICS_ADDR", "127.0.0.1:5002", "same address as LEOC_ADDR"},
	} {
		_, err := load(map[string]string{tc.name: tc.value})
		if err == nil || !strings.Contains(err.Error(), tc.name+": ") || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s=%q: %v (want %q)", tc.name, tc.value, err, tc.want)
		}
	}
}
