package deploytest

import (
	"io"
	"net/http"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestMetricsListener: with LEOC_METRICS_ADDR, /metrics is served on that
// address without a token and nothing else is; the main address, without
// LEOC_METRICS_TOKEN, does not serve it at all.
func TestMetricsListener(t *testing.T) {
	addr, metricsAddr := freeAddr(t, "127.0.0.1"), freeAddr(t, "127.0.0.1")
	cmd := exec.Command(binary, "serve")
	cmd.Env = leocEnv("LEOC_ADDR="+addr, "LEOC_METRICS_ADDR="+metricsAddr, "LEOC_DATA_DIR="+filepath.Join(t.TempDir(), "data"))
	p := start(t, cmd)
	waitHealthy(t, p, "http://"+addr)
	get := func(url string) (int, string) {
		t.Helper()
		resp, err := http.Get(url)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	code, body := get("http://" + metricsAddr + "/metrics")
	if code != 200 || !strings.Contains(body, `leoc_http_requests_total{method="GET",route="GET /health",status="200"}`) ||
		!strings.Contains(body, "go_sql_open_connections") || !strings.Contains(body, "process_resident_memory_bytes") {
		t.Fatalf("metrics listener: %d\n%s", code, tail(body, 20))
	}
	if code, _ := get("http://" + metricsAddr + "/health"); code != 404 {
		t.Fatalf("metrics listener serves /health: %d", code)
	}
	if code, _ := get("http://" + addr + "/metrics"); code != 404 {
		t.Fatalf("/metrics on the main address without LEOC_METRICS_TOKEN: %d", code)
	}
}
