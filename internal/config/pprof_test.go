package config

import (
	"strings"
	"testing"
)

// TestPprofAddressIsLoopbackOnly: the profiler's listener is off by
// default, takes a loopback host:port, and refuses anything a network could
// reach, with the variable named in the message.
func TestPprofAddressIsLoopbackOnly(t *testing.T) {
	load := func(env map[string]string) (*Config, error) {
		return Load(func(k string) (string, bool) { v, ok := env[k]; return v, ok })
	}
	if c, err := load(nil); err != nil || c.PprofAddr != "" {
		t.Fatalf("default: %q %v, want off", c.PprofAddr, err)
	}
	for _, addr := range []string{"127.0.0.1:6060", "[::1]:6060", "localhost:6060"} {
		if c, err := load(map[string]string{"LEOC_PPROF_ADDR": addr}); err != nil || c.PprofAddr != addr {
			t.Errorf("%s: %q %v", addr, c.PprofAddr, err)
		}
	}
	for _, tc := range []struct{ value, want string }{
		{":6060", "not a loopback address"},
		{"0.0.0.0:6060", "not a loopback address"},
		{"10.0.0.5:6060", "not a loopback address"},
		{"6060", "not host:port"},
		{"127.0.0.1:5002", "another listener"},
	} {
		_, err := load(map[string]string{"LEOC_PPROF_ADDR": tc.value})
		if err == nil || !strings.Contains(err.Error(), "LEOC_PPROF_ADDR: ") || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("LEOC_PPROF_ADDR=%q: %v (want %q)", tc.value, err, tc.want)
		}
	}
}
