package deploytest

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"leoc/internal/config"
)

const publicHost = "leoc.example.gov.np"

// nginxPath finds Debian's nginx; without it the test skips, in CI it fails.
func nginxPath(t *testing.T) string {
	for _, p := range []string{"nginx", "/usr/sbin/nginx"} {
		if path, err := exec.LookPath(p); err == nil {
			return path
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatal("nginx is missing; .ci/run installs Debian's nginx")
	}
	t.Skip("nginx not installed (apt-get install nginx)")
	return ""
}

// siteConfig is deploy/nginx.conf with the test's ports, certificate and
// LEOC address put where the shipped file has the production ones. Every
// replacement must match, so the test follows the file.
func siteConfig(t *testing.T, http80, https443, leocAddr, cert, key, webroot string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(repoRoot(t), "deploy", "nginx.conf"))
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	for _, r := range [][2]string{
		{"listen 80;", "listen " + http80 + ";"},
		{"listen [::]:80;", ""},
		{"listen 443 ssl;", "listen " + https443 + " ssl;"},
		{"listen [::]:443 ssl;", ""},
		{"server 127.0.0.1:5002;", "server " + leocAddr + ";"},
		{"/etc/letsencrypt/live/" + publicHost + "/fullchain.pem", cert},
		{"/etc/letsencrypt/live/" + publicHost + "/privkey.pem", key},
		{"root /var/www/letsencrypt;", "root " + webroot + ";"},
	} {
		if strings.Count(s, r[0]) != 1 {
			t.Fatalf("deploy/nginx.conf should contain %q once", r[0])
		}
		s = strings.Replace(s, r[0], r[1], 1)
	}
	return s
}

// selfSigned writes a certificate for publicHost and its key, and returns
// a pool that trusts it.
func selfSigned(t *testing.T, dir string) (certFile, keyFile string, pool *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: publicHost}, DNSNames: []string{publicHost},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true, IsCA: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kb, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	certFile, keyFile = filepath.Join(dir, "fullchain.pem"), filepath.Join(dir, "privkey.pem")
	if err := os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kb}), 0o600); err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	pool = x509.NewCertPool()
	pool.AddCert(cert)
	return certFile, keyFile, pool
}

// TestBehindNginx runs deploy/nginx.conf in a real nginx (temporary prefix,
// free loopback ports) in front of a production leoc serve with
// LEOC_TRUSTED_PROXIES=127.0.0.1, and a client on 127.0.0.2: plain HTTP is
// redirected to HTTPS; over HTTPS LEOC knows the request was HTTPS (no
// redirect loop, HSTS sent) and logs the client's address, not nginx's and
// not a forged X-Forwarded-For; the same forged headers sent to LEOC
// directly are not believed; an upload far over the limit stops at nginx.
func TestBehindNginx(t *testing.T) {
	nginx := nginxPath(t)
	dir := t.TempDir()
	cert, key, pool := selfSigned(t, dir)
	webroot := filepath.Join(dir, "www")
	if err := os.MkdirAll(filepath.Join(webroot, ".well-known", "acme-challenge"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(webroot, ".well-known", "acme-challenge", "token1"), []byte("proof"), 0o644); err != nil {
		t.Fatal(err)
	}

	leocAddr := freeAddr(t, "127.0.0.1")
	env := leocEnv("LEOC_ENV=production", "LEOC_ADDR="+leocAddr, "LEOC_DATA_DIR="+filepath.Join(dir, "data"),
		"LEOC_SECRET_KEY=3f9a1c7e5b2d8f4a6c0e9b1d7a3f5c8e2b6d4a0f9c1e7b3d5a8f2c6e0b4d9a7f",
		"LEOC_BASE_URL=https://"+publicHost, "LEOC_TRUSTED_PROXIES=127.0.0.1")
	cmd := exec.Command(binary, "serve")
	cmd.Env = env
	leoc := start(t, cmd)
	waitHealthy(t, leoc, "http://"+leocAddr)

	http80, https443 := freeAddr(t, "127.0.0.1"), freeAddr(t, "127.0.0.1")
	site := filepath.Join(dir, "leoc.conf")
	if err := os.WriteFile(site, []byte(siteConfig(t, http80, https443, leocAddr, cert, key, webroot)), 0o644); err != nil {
		t.Fatal(err)
	}
	user := ""
	if os.Geteuid() == 0 {
		user = "user root;" // workers must reach the test's private temp directory
	}
	main := filepath.Join(dir, "nginx.conf")
	mainConf := fmt.Sprintf(`%s
worker_processes 1;
pid %[2]s/nginx.pid;
error_log %[2]s/error.log info;
events { worker_connections 64; }
http {
    access_log %[2]s/access.log;
    client_body_temp_path %[2]s/client_body;
    proxy_temp_path %[2]s/proxy;
    fastcgi_temp_path %[2]s/fastcgi;
    uwsgi_temp_path %[2]s/uwsgi;
    scgi_temp_path %[2]s/scgi;
    include %[3]s;
}
`, user, dir, site)
	if err := os.WriteFile(main, []byte(mainConf), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(nginx, "-t", "-p", dir, "-e", filepath.Join(dir, "error.log"), "-c", main).CombinedOutput(); err != nil {
		t.Fatalf("nginx -t: %v\n%s", err, out)
	}
	ng := start(t, exec.Command(nginx, "-p", dir, "-e", filepath.Join(dir, "error.log"), "-c", main, "-g", "daemon off;"))
	t.Cleanup(func() {
		if t.Failed() {
			b, _ := os.ReadFile(filepath.Join(dir, "error.log"))
			t.Logf("nginx error.log:\n%s", tail(string(b), 30))
		}
	})

	// The client connects from 127.0.0.2, nginx from 127.0.0.1.
	dialer := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP("127.0.0.2")}, Timeout: 5 * time.Second}
	client := &http.Client{
		Timeout: 10 * time.Second,
		Transport: &http.Transport{DialContext: dialer.DialContext,
			TLSClientConfig: &tls.Config{RootCAs: pool, ServerName: publicHost}},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	get := func(url string, header map[string]string) *http.Response {
		t.Helper()
		var resp *http.Response
		var err error
		for range 100 { // nginx may still be starting
			req, _ := http.NewRequestWithContext(context.Background(), "GET", url, nil)
			req.Host = publicHost
			for k, v := range header {
				req.Header.Set(k, v)
			}
			if resp, err = client.Do(req); err == nil {
				resp.Body.Close()
				return resp
			}
			select {
			case <-ng.done:
				t.Fatalf("nginx exited: %s", ng.out.String())
			case <-time.After(50 * time.Millisecond):
			}
		}
		t.Fatalf("GET %s: %v", url, err)
		return nil
	}

	// 1. HTTP → HTTPS, path and query kept; the ACME challenge stays on HTTP.
	if resp := get("http://"+http80+"/incidents?ward=3", nil); resp.StatusCode != http.StatusMovedPermanently ||
		resp.Header.Get("Location") != "https://"+publicHost+"/incidents?ward=3" {
		t.Fatalf("HTTP: %d Location %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	if resp := get("http://"+http80+"/.well-known/acme-challenge/token1", nil); resp.StatusCode != 200 {
		t.Fatalf("ACME challenge over HTTP: %d", resp.StatusCode)
	}

	// 2. HTTPS through nginx, with a forged X-Forwarded-For from the client.
	forged := map[string]string{"X-Forwarded-For": "203.0.113.66", "X-Forwarded-Proto": "https"}
	resp := get("https://"+https443+"/login?via=nginx", forged)
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Strict-Transport-Security"), "max-age=") {
		t.Fatalf("HTTPS /login through nginx: %d HSTS %q (LEOC did not see HTTPS)", resp.StatusCode, resp.Header.Get("Strict-Transport-Security"))
	}
	// 3. The same forged headers straight to LEOC from 127.0.0.2: not a
	// trusted proxy, so production LEOC redirects to HTTPS.
	resp = get("http://"+leocAddr+"/login?via=direct", forged)
	if resp.StatusCode != http.StatusPermanentRedirect || !strings.HasPrefix(resp.Header.Get("Location"), "https://"+publicHost+"/login") {
		t.Fatalf("forged headers straight to LEOC: %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	// LEOC's JSON access log: the client is 127.0.0.2 in both cases.
	ips := map[string]string{}
	deadline := time.Now().Add(5 * time.Second)
	for len(ips) < 2 && time.Now().Before(deadline) {
		for _, line := range logLines(leoc.out.String()) {
			var l struct{ Msg, Route, IP string }
			if json.Unmarshal([]byte(line), &l) == nil && l.Msg == "request" && l.Route == "GET /login" {
				ips[l.IP] = line
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	if _, ok := ips["127.0.0.2"]; !ok || len(ips) != 1 {
		t.Fatalf("LEOC logged client addresses %v, want only 127.0.0.2:\n%s", ips, leoc.out.String())
	}

	// 4. An upload far over LEOC_MAX_UPLOAD_MB stops at nginx (413).
	body := strings.NewReader(strings.Repeat("x", 12<<20))
	req, _ := http.NewRequest("POST", "https://"+https443+"/api/v1/distributions/1/files", body)
	req.Host = publicHost
	req.Header.Set("Content-Type", "multipart/form-data; boundary=x")
	if resp, err := client.Do(req); err != nil || resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Fatalf("12 MB upload through nginx: %v %v", resp, err)
	} else {
		resp.Body.Close()
	}
}

// TestNginxUploadLimitMatchesLEOC: nginx's client_max_body_size is LEOC's
// default upload limit plus one megabyte, so LEOC's own message answers
// everything just over its limit.
func TestNginxUploadLimitMatchesLEOC(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(repoRoot(t), "deploy", "nginx.conf"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`client_max_body_size (\d+)m;`).FindSubmatch(b)
	cfg, err := config.Load(func(string) (string, bool) { return "", false })
	if err != nil {
		t.Fatal(err)
	}
	if m == nil {
		t.Fatal("deploy/nginx.conf sets no client_max_body_size in MB")
	}
	if n, _ := strconv.Atoi(string(m[1])); n != cfg.MaxUploadMB+1 {
		t.Fatalf("client_max_body_size %dm, LEOC_MAX_UPLOAD_MB default %d: nginx should allow exactly one MB more", n, cfg.MaxUploadMB)
	}
}
