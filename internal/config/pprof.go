package config

import (
	"net"
	"strings"
)

// pprof reads LEOC_PPROF_ADDR: a listener of its own that serves only the
// Go profiler (/debug/pprof/), for measuring a running server — production
// included — without LEOC_DEBUG. It is off unless set, and it must be a
// loopback address: the profiles show the program's memory and stacks, so
// it is reached from the server itself or through an SSH tunnel, never from
// a network.
func (l *loader) pprof(c *Config) {
	v, ok := l.get("LEOC_PPROF_ADDR")
	if !ok {
		return
	}
	if msg := checkAddr(v); msg != "" {
		l.problem("LEOC_PPROF_ADDR", msg)
		return
	}
	if !loopback(v) {
		l.problem("LEOC_PPROF_ADDR", quote(v)+" is not a loopback address; set 127.0.0.1:PORT (or [::1]:PORT) and reach it through an SSH tunnel")
		return
	}
	if v == c.Addr || v == c.MetricsAddr {
		l.problem("LEOC_PPROF_ADDR", "is the address of another listener; choose another port such as 127.0.0.1:6060")
		return
	}
	c.PprofAddr = v
}

func loopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
