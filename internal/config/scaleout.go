package config

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Rate is "N events per Per", the form of LEOC_RATE_LIMIT and its stricter
// siblings. The zero Rate means no limit.
type Rate struct {
	N   int
	Per time.Duration
}

// Off reports whether the rate imposes no limit.
func (r Rate) Off() bool { return r.N <= 0 || r.Per <= 0 }

// String writes the rate the way a sysadmin sets it: "600/1m0s".
func (r Rate) String() string {
	if r.Off() {
		return "off"
	}
	return strconv.Itoa(r.N) + "/" + r.Per.String()
}

// rateUnits are the words accepted after the slash besides a Go duration.
var rateUnits = map[string]time.Duration{
	"s": time.Second, "sec": time.Second, "second": time.Second,
	"m": time.Minute, "min": time.Minute, "minute": time.Minute,
	"h": time.Hour, "hour": time.Hour,
}

// parseRate reads "600/min", "10/minute", "5/15m" or "off".
func parseRate(v string) (Rate, string) {
	if strings.EqualFold(v, "off") {
		return Rate{}, ""
	}
	n, per, ok := strings.Cut(v, "/")
	count, err := strconv.Atoi(strings.TrimSpace(n))
	if !ok || err != nil || count < 1 || count > 1_000_000 {
		return Rate{}, quote(v) + ` is not a rate; set a count and a period such as "600/min", "10/minute" or "5/15m" (1 to 1000000 per period), or "off"`
	}
	per = strings.ToLower(strings.TrimSpace(per))
	d, known := rateUnits[per]
	if !known {
		if d, err = time.ParseDuration(per); err != nil {
			return Rate{}, quote(v) + ` has no period after the slash; write s, min, h or a duration such as 15m`
		}
	}
	if d < time.Second || d > 24*time.Hour {
		return Rate{}, quote(v) + " has a period outside 1s to 24h"
	}
	return Rate{N: count, Per: d}, ""
}

func (l *loader) rate(name string, def Rate) Rate {
	v, ok := l.get(name)
	if !ok {
		return def
	}
	r, msg := parseRate(v)
	if msg != "" {
		l.problem(name, msg)
		return def
	}
	return r
}

// scaleOut reads the variables that let several LEOC processes share one
// deployment: Redis for counters and change notices, S3 for uploads, and
// the rate limits (docs/scale-out.md).
func (l *loader) scaleOut(c *Config) {
	if v, ok := l.get("LEOC_REDIS_URL"); ok {
		c.RedisURL = v
		if msg := checkRedisURL(v); msg != "" {
			l.problem("LEOC_REDIS_URL", msg)
		}
	}
	if v, ok := l.get("LEOC_STORAGE_URL"); ok {
		c.StorageURL = v
		if _, msg := ParseS3URL(v); msg != "" {
			l.problem("LEOC_STORAGE_URL", msg)
		}
	}
	c.S3AccessKey, _ = l.get("LEOC_S3_ACCESS_KEY")
	c.S3SecretKey, _ = l.get("LEOC_S3_SECRET_KEY")
	if c.StorageURL != "" {
		for _, k := range []struct{ name, v string }{{"LEOC_S3_ACCESS_KEY", c.S3AccessKey}, {"LEOC_S3_SECRET_KEY", c.S3SecretKey}} {
			if k.v == "" {
				l.problem(k.name, "is required when LEOC_STORAGE_URL names an S3 bucket; set the access key pair of a user that may read and write that bucket")
			}
		}
	}
	c.RateLimit = l.rate("LEOC_RATE_LIMIT", c.RateLimit)
	c.LoginRateLimit = l.rate("LEOC_LOGIN_RATE_LIMIT", c.LoginRateLimit)
	c.UnlockRateLimit = l.rate("LEOC_UNLOCK_RATE_LIMIT", c.UnlockRateLimit)
}

func checkRedisURL(v string) string {
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "redis" && u.Scheme != "rediss") || u.Host == "" {
		return "is not a Redis URL; set redis://[:password@]host:6379/0 (rediss:// for TLS)"
	}
	return ""
}

// S3Location is where LEOC_STORAGE_URL puts uploads.
type S3Location struct {
	Bucket   string
	Endpoint string // host:port
	Region   string // "" lets the client ask the server
	Secure   bool   // HTTPS to the endpoint; true unless secure=false
	Prefix   string // key prefix inside the bucket, "" or ending in "/"
}

// ParseS3URL reads s3://BUCKET[/PREFIX]?endpoint=HOST:PORT[&region=R][&secure=false].
// The message says what to write when it is not one.
func ParseS3URL(v string) (S3Location, string) {
	const form = "; set s3://BUCKET?endpoint=HOST:PORT (optionally &region=NAME, &secure=false for plain HTTP to a local MinIO, and /PREFIX after the bucket)"
	u, err := url.Parse(v)
	if err != nil || u.Scheme != "s3" || u.Host == "" {
		return S3Location{}, quote(v) + " is not an s3:// URL" + form
	}
	if u.User != nil {
		return S3Location{}, "must not hold credentials; set LEOC_S3_ACCESS_KEY and LEOC_S3_SECRET_KEY instead"
	}
	q := u.Query()
	loc := S3Location{Bucket: u.Host, Endpoint: q.Get("endpoint"), Region: q.Get("region"), Secure: true}
	if loc.Endpoint == "" || strings.Contains(loc.Endpoint, "/") {
		return S3Location{}, quote(v) + " has no endpoint host:port" + form
	}
	switch strings.ToLower(q.Get("secure")) {
	case "", "true":
	case "false":
		loc.Secure = false
	default:
		return S3Location{}, fmt.Sprintf("secure=%s is neither true nor false", q.Get("secure"))
	}
	for k := range q {
		if k != "endpoint" && k != "region" && k != "secure" {
			return S3Location{}, quote(k) + " is not a setting of an s3:// URL" + form
		}
	}
	if p := strings.Trim(u.Path, "/"); p != "" {
		loc.Prefix = p + "/"
	}
	return loc, ""
}
