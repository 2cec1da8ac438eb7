package config

import (
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// quote shows a sysadmin's value back to them, shortened so a pasted blob
// does not drown the other problems. Never use it for secrets or URLs that
// may carry a password.
func quote(v string) string {
	const limit = 60
	if len(v) > limit {
		v = v[:limit] + "…"
	}
	return strconv.Quote(v)
}

// shortDuration prints 24h rather than 24h0m0s in messages.
func shortDuration(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = s[:len(s)-2]
	}
	if strings.HasSuffix(s, "h0m") {
		s = s[:len(s)-2]
	}
	return s
}

// checkAddr returns a message when v is not a listen address net/http accepts
// with a numeric port; service names such as ":http" are refused because they
// depend on /etc/services, which minimal containers lack.
func checkAddr(v string) string {
	const how = "; set host:port such as 127.0.0.1:5002, or :5002 to listen on every interface"
	host, port, err := net.SplitHostPort(v)
	if err != nil {
		return quote(v) + " is not host:port" + how
	}
	n, err := strconv.Atoi(port)
	if err != nil || n < 0 || n > 65535 {
		return "port " + quote(port) + " is not a number from 0 to 65535" + how
	}
	if strings.ContainsAny(host, " \t/") {
		return "host " + quote(host) + " is not a host name or IP address" + how
	}
	return ""
}

// parseDatabaseURL normalises the accepted spellings to "sqlite://path" or a
// postgres URL. Messages never repeat the value: it may hold a password.
func parseDatabaseURL(v string) (string, string) {
	const how = "; set sqlite:///absolute/path/leoc.db, a file path, or postgres://user:password@host:5432/dbname"
	lower := strings.ToLower(v)
	switch {
	case isPostgresURL(v):
		if _, err := url.Parse(v); err != nil {
			return v, "is not a valid PostgreSQL URL; write postgres://user:password@host:5432/dbname " +
				"and percent-encode special characters in the password (@ as %40, / as %2F)"
		}
		return v, ""
	case strings.HasPrefix(lower, "sqlite://"):
		path := v[len("sqlite://"):]
		if path == "" {
			return v, "names no database file" + how
		}
		return "sqlite://" + path, checkSQLitePath(path)
	case strings.Contains(v, "://"):
		scheme := v[:strings.Index(v, "://")]
		return v, "database type " + quote(scheme) + " is not supported" + how
	case strings.HasPrefix(lower, "sqlite:"), strings.HasPrefix(lower, "postgres:"), strings.HasPrefix(lower, "postgresql:"):
		return v, `is missing "//" after the scheme` + how
	case strings.Contains(lower, "host=") || strings.Contains(lower, "dbname="):
		return v, "looks like a PostgreSQL key=value string; write it as a URL instead" + how
	}
	return "sqlite://" + v, checkSQLitePath(v)
}

// checkSQLitePath refuses "?" because the store builds the driver's DSN and
// sets its own pragmas; a query here would be mistaken for part of the name.
func checkSQLitePath(path string) string {
	if strings.Contains(path, "?") {
		return "must not contain \"?\": LEOC sets SQLite options itself; give only the file path"
	}
	return ""
}

// proxies parses a comma-separated list of IPs and CIDRs. A bare IP becomes a
// single-address prefix; an IPv4-mapped IPv6 address is unmapped so it matches
// the IPv4 form Go reports for clients of a dual-stack listener.
func (l *loader) proxies(v string) []netip.Prefix {
	var out []netip.Prefix
	for part := range strings.SplitSeq(v, ",") {
		s := strings.TrimSpace(part)
		if s == "" {
			continue
		}
		p, ok := parsePrefix(s)
		if !ok {
			l.problem("LEOC_TRUSTED_PROXIES", quote(s)+" is not an IP address or CIDR; "+
				"list addresses such as 127.0.0.1, 10.0.0.0/8 or ::1, separated by commas")
			continue
		}
		out = append(out, p)
	}
	return out
}

func parsePrefix(s string) (netip.Prefix, bool) {
	if strings.Contains(s, "/") {
		p, err := netip.ParsePrefix(s)
		if err != nil {
			return netip.Prefix{}, false
		}
		// 10.1.2.3/8 clearly means the network; masking beats refusing it.
		return p.Masked(), true
	}
	a, err := netip.ParseAddr(s)
	if err != nil || a.Zone() != "" {
		return netip.Prefix{}, false
	}
	a = a.Unmap()
	return netip.PrefixFrom(a, a.BitLen()), true
}

func (l *loader) intRange(name string, def, lo, hi int) int {
	v, ok := l.get(name)
	if !ok {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		l.problem(name, fmt.Sprintf("%s is not a whole number; set a number from %d to %d", quote(v), lo, hi))
		return def
	}
	if n < lo || n > hi {
		l.problem(name, fmt.Sprintf("%d is out of range; set a number from %d to %d", n, lo, hi))
		return def
	}
	return n
}

func (l *loader) duration(name string, def, lo, hi time.Duration) time.Duration {
	v, ok := l.get(name)
	if !ok {
		return def
	}
	d, err := time.ParseDuration(v)
	if err != nil {
		l.problem(name, fmt.Sprintf(`%s is not a duration; write it like "90m", "2h" or "30s", between %s and %s`,
			quote(v), shortDuration(lo), shortDuration(hi)))
		return def
	}
	if d < lo || d > hi {
		l.problem(name, fmt.Sprintf("%s is out of range; set a duration between %s and %s",
			shortDuration(d), shortDuration(lo), shortDuration(hi)))
		return def
	}
	return d
}

// boolean accepts the spellings sysadmins use in shell scripts and systemd
// units, and refuses anything else rather than guessing: "ture" must not
// quietly mean false.
func (l *loader) boolean(name string, def bool) bool {
	v, ok := l.get(name)
	if !ok {
		return def
	}
	switch strings.ToLower(v) {
	case "true", "1", "yes", "on":
		return true
	case "false", "0", "no", "off":
		return false
	}
	l.problem(name, quote(v)+" is not true or false; set true or false (1/0, yes/no and on/off also work)")
	return def
}

// parseBaseURL checks the public URL used to build absolute links and returns
// it without a trailing slash, so callers can append "/incidents/7".
func parseBaseURL(v string) (string, string) {
	const how = "; set the public address such as https://leoc.example.gov.np"
	u, err := url.Parse(v)
	switch {
	case err != nil:
		return v, quote(v) + " is not a URL" + how
	case u.Scheme != "http" && u.Scheme != "https":
		return v, quote(v) + " must start with https:// (or http://)" + how
	case u.Host == "":
		return v, quote(v) + " has no host name" + how
	case u.User != nil:
		return v, "must not contain a user name or password" + how
	case u.RawQuery != "" || u.ForceQuery:
		return v, quote(v) + ` must not have a query ("?…")` + how
	case u.Fragment != "" || strings.Contains(v, "#"):
		return v, quote(v) + ` must not have a fragment ("#…")` + how
	}
	return strings.TrimRight(v, "/"), ""
}
