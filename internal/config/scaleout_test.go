package config

import (
	"slices"
	"strings"
	"testing"
	"time"
)

func TestScaleOutVariables(t *testing.T) {
	c, err := Load(mapLookup(map[string]string{
		"LEOC_REDIS_URL":         "redis://:pw@127.0.0.1:6379/2",
		"LEOC_STORAGE_URL":       "s3://leoc-files/thalara?endpoint=127.0.0.1:9000&secure=false&region=np",
		"LEOC_S3_ACCESS_KEY":     "leoc",
		"LEOC_S3_SECRET_KEY":     "a-long-bucket-secret",
		"LEOC_RATE_LIMIT":        "50/10s",
		"LEOC_LOGIN_RATE_LIMIT":  "3/minute",
		"LEOC_UNLOCK_RATE_LIMIT": "off",
	}))
	if err != nil {
		t.Fatal(err)
	}
	if c.RedisURL != "redis://:pw@127.0.0.1:6379/2" || c.S3AccessKey != "leoc" || c.S3SecretKey != "a-long-bucket-secret" {
		t.Errorf("redis/s3: %+v", c)
	}
	if c.RateLimit != (Rate{50, 10 * time.Second}) || c.LoginRateLimit != (Rate{3, time.Minute}) || !c.UnlockRateLimit.Off() {
		t.Errorf("rates: %v %v %v", c.RateLimit, c.LoginRateLimit, c.UnlockRateLimit)
	}
	loc, msg := ParseS3URL(c.StorageURL)
	if msg != "" || loc != (S3Location{Bucket: "leoc-files", Endpoint: "127.0.0.1:9000", Region: "np", Secure: false, Prefix: "thalara/"}) {
		t.Errorf("ParseS3URL = %+v %q", loc, msg)
	}
}

func TestScaleOutVariablesRefused(t *testing.T) {
	for _, tc := range []struct {
		env  map[string]string
		want []string
	}{
		{map[string]string{"LEOC_REDIS_URL": "127.0.0.1:6379"}, []string{"LEOC_REDIS_URL"}},
		{map[string]string{"LEOC_REDIS_URL": "http://127.0.0.1:6379"}, []string{"LEOC_REDIS_URL"}},
		{map[string]string{"LEOC_STORAGE_URL": "s3://bucket"}, []string{"LEOC_S3_ACCESS_KEY", "LEOC_S3_SECRET_KEY", "LEOC_STORAGE_URL"}},
		{map[string]string{"LEOC_STORAGE_URL": "s3://bucket?endpoint=h:9000&colour=red", "LEOC_S3_ACCESS_KEY": "a", "LEOC_S3_SECRET_KEY": "b"}, []string{"LEOC_STORAGE_URL"}},
		{map[string]string{"LEOC_STORAGE_URL": "s3://k:s@bucket?endpoint=h:9000", "LEOC_S3_ACCESS_KEY": "a", "LEOC_S3_SECRET_KEY": "b"}, []string{"LEOC_STORAGE_URL"}},
		{map[string]string{"LEOC_STORAGE_URL": "s3://bucket?endpoint=h:9000&secure=maybe", "LEOC_S3_ACCESS_KEY": "a", "LEOC_S3_SECRET_KEY": "b"}, []string{"LEOC_STORAGE_URL"}},
		{map[string]string{"LEOC_STORAGE_URL": "/srv/leoc/files", "LEOC_S3_ACCESS_KEY": "a", "LEOC_S3_SECRET_KEY": "b"}, []string{"LEOC_STORAGE_URL"}},
		{map[string]string{"LEOC_RATE_LIMIT": "600"}, []string{"LEOC_RATE_LIMIT"}},
		{map[string]string{"LEOC_RATE_LIMIT": "0/min"}, []string{"LEOC_RATE_LIMIT"}},
		{map[string]string{"LEOC_RATE_LIMIT": "600/fortnight"}, []string{"LEOC_RATE_LIMIT"}},
		{map[string]string{"LEOC_LOGIN_RATE_LIMIT": "10/100ms"}, []string{"LEOC_LOGIN_RATE_LIMIT"}},
		{map[string]string{"LEOC_UNLOCK_RATE_LIMIT": "5/48h"}, []string{"LEOC_UNLOCK_RATE_LIMIT"}},
	} {
		_, err := Load(mapLookup(tc.env))
		if err == nil {
			t.Errorf("%v accepted", tc.env)
			continue
		}
		got := problems(t, err)
		slices.Sort(got)
		if !slices.Equal(got, tc.want) {
			t.Errorf("%v: problems %v, want %v (%v)", tc.env, got, tc.want, err)
		}
		if strings.Contains(err.Error(), "pw@") {
			t.Errorf("message repeats a credential: %v", err)
		}
	}
}
