package cli

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"leoc/internal/must"
)

// BenchmarkServeReady measures `leoc serve` from the call to accepting
// connections on an empty (already created) database. Target: < 300 ms.
func BenchmarkServeReady(b *testing.B) {
	dir := b.TempDir()
	envFile := filepath.Join(dir, "empty.env")
	must.OK(b, os.WriteFile(envFile, nil, 0o600))
	env := []string{"LEOC_DATA_DIR=" + filepath.Join(dir, "data"), "LEOC_ENV_FILE=" + envFile, "LEOC_ADDR=127.0.0.1:0"}
	start := func() {
		ctx, cancel := context.WithCancel(context.Background())
		ready := make(chan struct{})
		done := make(chan int)
		go func() {
			done <- Run(ctx, []string{"serve"}, Env{Environ: env, Stdin: strings.NewReader(""), Stdout: io.Discard, Stderr: io.Discard,
				ReadFile: os.ReadFile, Ready: func(string) { close(ready) }})
		}()
		select {
		case <-ready:
		case code := <-done:
			b.Fatalf("serve exited %d", code)
		}
		b.StopTimer()
		cancel()
		<-done
		b.StartTimer()
	}
	start() // creates and migrates the database and the first admin
	b.ResetTimer()
	for b.Loop() {
		start()
	}
}
