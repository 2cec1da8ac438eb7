package logging

import (
	"bytes"
	"encoding/json"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"leoc/internal/must"
)

func TestNewFormats(t *testing.T) {
	var prod, dev bytes.Buffer
	pl, _, err := New(Options{Production: true, Stderr: &prod})
	if err != nil {
		t.Fatal(err)
	}
	dl, _, err := New(Options{Stderr: &dev})
	if err != nil {
		t.Fatal(err)
	}
	pl.Info("incident recorded", "ward", 3)
	dl.Info("incident recorded", "ward", 3)

	var rec map[string]any
	if err := json.Unmarshal(prod.Bytes(), &rec); err != nil {
		t.Fatalf("production output is not JSON: %v\n%s", err, prod.String())
	}
	if rec["msg"] != "incident recorded" || rec["level"] != "INFO" || rec["ward"] != float64(3) {
		t.Errorf("JSON record = %v", rec)
	}
	if got := dev.String(); !strings.Contains(got, `level=INFO msg="incident recorded" ward=3`) {
		t.Errorf("development output is not slog text: %q", got)
	}
}

func TestLevelFiltering(t *testing.T) {
	tests := []struct {
		level     slog.Level
		wantDebug bool
		wantInfo  bool
		wantWarn  bool
	}{
		{slog.LevelDebug, true, true, true},
		{slog.LevelInfo, false, true, true},
		{slog.LevelWarn, false, false, true},
		{slog.LevelError, false, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.level.String(), func(t *testing.T) {
			var buf bytes.Buffer
			l, _, err := New(Options{Level: tt.level, Stderr: &buf})
			if err != nil {
				t.Fatal(err)
			}
			l.Debug("d-line")
			l.Info("i-line")
			l.Warn("w-line")
			out := buf.String()
			for msg, want := range map[string]bool{"d-line": tt.wantDebug, "i-line": tt.wantInfo, "w-line": tt.wantWarn} {
				if strings.Contains(out, msg) != want {
					t.Errorf("%s written = %v, want %v", msg, !want, want)
				}
			}
		})
	}
}

func TestFileWritten(t *testing.T) {
	var stderr bytes.Buffer
	path := filepath.Join(t.TempDir(), "not", "yet", "leoc.log")
	l, closer, err := New(Options{Production: true, File: path, Stderr: &stderr})
	if err != nil {
		t.Fatal(err)
	}
	l.Info("server started", "addr", ":5002")
	if err := closer.Close(); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), `"msg":"server started"`) {
		t.Errorf("file holds %q", data)
	}
	if !bytes.Equal(data, stderr.Bytes()) {
		t.Errorf("stderr %q and file %q differ", stderr.String(), data)
	}
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	// Logs can name relief beneficiaries; other users must not read them.
	if perm := info.Mode().Perm(); perm&0o077 != 0 {
		t.Errorf("log file mode %v is readable by others", perm)
	}
}

func TestFileRotates(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "leoc.log")
	l, closer, err := newLogger(Options{File: path, Stderr: &bytes.Buffer{}}, 1)
	if err != nil {
		t.Fatal(err)
	}
	line := strings.Repeat("x", 1000)
	for i := range 1500 { // about 1.5 MB, past the 1 MB limit once
		l.Info("filler", "i", i, "data", line)
	}
	if err := closer.Close(); err != nil {
		t.Fatal(err)
	}
	backups, err := filepath.Glob(filepath.Join(dir, "leoc-*.log"))
	if err != nil {
		t.Fatal(err)
	}
	if len(backups) != 1 {
		t.Fatalf("backups = %v, want one rotated file", backups)
	}
	for _, name := range append(backups, path) {
		info, err := os.Stat(name)
		if err != nil {
			t.Fatal(err)
		}
		if info.Size() > 1<<20 {
			t.Errorf("%s is %d bytes, more than the 1 MB limit", name, info.Size())
		}
	}
}

func TestFileUnwritable(t *testing.T) {
	dir := t.TempDir()
	blocker := filepath.Join(dir, "file")
	if err := os.WriteFile(blocker, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	// The "directory" of the log file is a regular file.
	if _, _, err := New(Options{File: filepath.Join(blocker, "leoc.log"), Stderr: &bytes.Buffer{}}); err == nil {
		t.Fatal("want an error for a log file under a regular file")
	}
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("stderr closed") }

// A broken stderr must not stop the file from being written.
func TestFileWrittenWhenStderrFails(t *testing.T) {
	path := filepath.Join(t.TempDir(), "leoc.log")
	l, closer, err := New(Options{File: path, Stderr: failingWriter{}})
	if err != nil {
		t.Fatal(err)
	}
	l.Warn("still here")
	if err := closer.Close(); err != nil {
		t.Fatal(err)
	}
	if data := must.Get(os.ReadFile(path))(t); !strings.Contains(string(data), "still here") {
		t.Errorf("file holds %q", data)
	}
}

func TestNoFileCloserIsNoop(t *testing.T) {
	_, closer, err := New(Options{Stderr: &bytes.Buffer{}})
	if err != nil {
		t.Fatal(err)
	}
	if err := closer.Close(); err != nil {
		t.Fatal(err)
	}
}
