package e2e

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"leoc/internal/cli"
)

// app is one LEOC server that a test runs in-process.
type app struct {
	URL           string // http://127.0.0.1:PORT, no trailing slash
	AdminPassword string // printed once by the first start
	// Environ is the server's configuration: other leoc commands run with
	// it act on the same data (leoc token create, …).
	Environ []string
}

// The first start prints the admin password in a block; this finds it.
var adminPasswordLine = regexp.MustCompile(`(?m)^\s*password:\s*(\S+)\s*$`)

// startApp runs "leoc serve" in-process on a free port, with its data in a
// temporary directory, and stops it gracefully when the test ends (checking
// that serve returns 0). An empty databaseURL means the default, SQLite in
// the data directory; extraEnv adds LEOC_* settings. The server's log is
// shown when the test fails.
//
// Call it after storetest.PostgresURL: cleanups run last-in first-out, so the
// server stops before its schema is dropped.
func startApp(t *testing.T, databaseURL string, extraEnv ...string) *app {
	t.Helper()
	dir := t.TempDir()
	// A named env file that is missing is a configuration error, and
	// without LEOC_ENV_FILE a developer's ./.env would leak into the test:
	// point it at an empty file.
	envFile := filepath.Join(dir, "empty.env")
	if err := os.WriteFile(envFile, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	environ := []string{
		"LEOC_ADDR=127.0.0.1:0",
		"LEOC_DATA_DIR=" + filepath.Join(dir, "data"),
		"LEOC_ENV_FILE=" + envFile,
	}
	if databaseURL != "" {
		environ = append(environ, "LEOC_DATABASE_URL="+databaseURL)
	}
	environ = append(environ, extraEnv...)

	var stdout, stderr lockedBuffer
	ready := make(chan string, 1)
	env := cli.Env{
		Environ:  environ, // not os.Environ(): the shell's LEOC_* must not change the test
		Stdin:    strings.NewReader(""),
		Stdout:   &stdout,
		Stderr:   &stderr,
		ReadFile: os.ReadFile,
		Ready:    func(addr string) { ready <- addr },
	}
	ctx, stop := context.WithCancel(context.Background())
	exited := make(chan struct{})
	var code int
	go func() {
		defer close(exited)
		code = cli.Run(ctx, []string{"serve"}, env)
	}()
	t.Cleanup(func() {
		stop()
		select {
		case <-exited:
			if code != 0 {
				t.Errorf("leoc serve returned %d after its context was cancelled", code)
			}
		case <-time.After(30 * time.Second):
			t.Errorf("leoc serve did not shut down within 30 s")
		}
		if t.Failed() {
			t.Logf("leoc serve log:\n%s", stderr.String())
		}
	})

	var addr string
	select {
	case addr = <-ready:
	case <-exited:
		t.Fatalf("leoc serve returned %d before it was ready", code)
	case <-time.After(time.Minute):
		t.Fatal("leoc serve was not ready within a minute")
	}
	m := adminPasswordLine.FindStringSubmatch(stdout.String())
	if m == nil {
		t.Fatalf("no admin password in the output of the first start:\n%s", stdout.String())
	}
	return &app{URL: "http://" + addr, AdminPassword: m[1], Environ: environ}
}

// lockedBuffer is a bytes.Buffer that the server may write while the test
// reads it.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
