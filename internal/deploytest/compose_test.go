package deploytest

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// composeCommand is `docker compose` when the plugin is there, else
// Debian's docker-compose; neither needs a running engine for `config`.
func composeCommand(t *testing.T) []string {
	if exec.Command("docker", "compose", "version").Run() == nil {
		return []string{"docker", "compose"}
	}
	if _, err := exec.LookPath("docker-compose"); err == nil {
		return []string{"docker-compose"}
	}
	if os.Getenv("CI") != "" {
		t.Fatal("neither `docker compose` nor docker-compose is installed; .ci/run installs Debian's docker-compose")
	}
	t.Skip("no docker compose (apt-get install docker-compose)")
	return nil
}

// TestComposeConfig validates deploy/compose.yaml with deploy/.env.example
// and checks what the stack must have: two LEOC replicas, PostgreSQL,
// Redis, MinIO and nginx, each with a health check and a restart policy,
// data in named volumes, and the scale-out variables LEOC reads.
func TestComposeConfig(t *testing.T) {
	c := composeCommand(t)
	deploy := filepath.Join(repoRoot(t), "deploy")
	run := func(args ...string) string {
		t.Helper()
		cmd := exec.Command(c[0], append(append(c[1:], "--env-file", filepath.Join(deploy, ".env.example"), "-f", filepath.Join(deploy, "compose.yaml")), args...)...)
		cmd.Dir = deploy
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%s %s: %v\n%s", strings.Join(c, " "), strings.Join(args, " "), err, out)
		}
		return string(out)
	}
	services := strings.Fields(run("config", "--services"))
	want := []string{"leoc-1", "leoc-2", "postgres", "redis", "minio", "minio-bucket", "nginx"}
	slices.Sort(services)
	slices.Sort(want)
	if !slices.Equal(services, want) {
		t.Fatalf("services %v, want %v", services, want)
	}
	volumes := strings.Fields(run("config", "--volumes"))
	for _, v := range []string{"postgres-data", "redis-data", "minio-data", "leoc-data-1", "leoc-data-2"} {
		if !slices.Contains(volumes, v) {
			t.Errorf("no named volume %s in %v", v, volumes)
		}
	}
	full := run("config")
	for _, s := range []string{"leoc-1", "leoc-2", "postgres", "redis", "minio", "nginx"} {
		block := serviceBlock(full, s)
		if !strings.Contains(block, "healthcheck:") || !strings.Contains(block, "restart: unless-stopped") {
			t.Errorf("service %s lacks a health check or restart policy:\n%s", s, block)
		}
	}
	leoc := serviceBlock(full, "leoc-1")
	for _, v := range []string{"LEOC_REDIS_URL: redis://", "LEOC_STORAGE_URL: s3://leoc-uploads?endpoint=minio:9000", "LEOC_RATE_LIMIT: 600/min",
		"LEOC_DATABASE_URL: postgres://", "LEOC_MIGRATE_DATABASE_URL: postgres://", "LEOC_TRUSTED_PROXIES: 172.30.0.10", "LEOC_ENV: production"} {
		if !strings.Contains(leoc, v) {
			t.Errorf("leoc-1 lacks %s", v)
		}
	}
	// No real secret is committed: every secret in the example says CHANGE.
	example, _ := os.ReadFile(filepath.Join(deploy, ".env.example"))
	for _, line := range strings.Split(string(example), "\n") {
		k, v, ok := strings.Cut(line, "=")
		if ok && !strings.HasPrefix(k, "#") && (strings.Contains(k, "PASSWORD") || strings.Contains(k, "KEY") || strings.Contains(k, "TOKEN")) && !strings.HasPrefix(v, "CHANGE") {
			t.Errorf(".env.example: %s has a value that is not a CHANGE placeholder", k)
		}
	}
}

// TestComposeNginxConfig: the compose stack's nginx file passes nginx -t,
// with the replica names and certificate replaced by what this machine has.
func TestComposeNginxConfig(t *testing.T) {
	nginx := nginxPath(t)
	dir := t.TempDir()
	cert, key, _ := selfSigned(t, dir)
	b, err := os.ReadFile(filepath.Join(repoRoot(t), "deploy", "nginx-compose.conf"))
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	for _, r := range [][2]string{
		{"server leoc-1:5002;", "server 127.0.0.1:5002;"},
		{"server leoc-2:5002;", "server 127.0.0.1:5003;"},
		{"/etc/nginx/certs/fullchain.pem", cert},
		{"/etc/nginx/certs/privkey.pem", key},
		{"${LEOC_PUBLIC_HOST}", publicHost},
		{"listen 80;", "listen " + freeAddr(t, "127.0.0.1") + ";"},
		{"listen [::]:80;", ""},
		{"listen 443 ssl;", "listen " + freeAddr(t, "127.0.0.1") + " ssl;"},
		{"listen [::]:443 ssl;", ""},
	} {
		if !strings.Contains(s, r[0]) {
			t.Fatalf("deploy/nginx-compose.conf lacks %q", r[0])
		}
		s = strings.ReplaceAll(s, r[0], r[1])
	}
	site := filepath.Join(dir, "leoc.conf")
	if err := os.WriteFile(site, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
	main := filepath.Join(dir, "nginx.conf")
	if err := os.WriteFile(main, []byte(fmt.Sprintf("pid %[1]s/nginx.pid;\nevents {}\nhttp {\n include %[2]s;\n}\n", dir, site)), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(nginx, "-t", "-p", dir, "-e", filepath.Join(dir, "error.log"), "-c", main).CombinedOutput(); err != nil {
		t.Fatalf("nginx -t of deploy/nginx-compose.conf: %v\n%s", err, out)
	}
}

// serviceBlock is the part of `compose config` output about one service.
func serviceBlock(full, name string) string {
	i := strings.Index(full, "\n  "+name+":\n")
	if i < 0 {
		return ""
	}
	rest := full[i+1:]
	lines := strings.Split(rest, "\n")
	out := []string{lines[0]}
	for _, l := range lines[1:] {
		if !strings.HasPrefix(l, "    ") && l != "" {
			break
		}
		out = append(out, l)
	}
	return strings.Join(out, "\n")
}
