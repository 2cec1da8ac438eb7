// Package logging sets up LEOC's log/slog logger: readable text while
// developing, JSON lines in production for log collectors, always on stderr
// (journald and containers capture it) and optionally also in a rotating file
// for municipal servers that have nothing collecting stderr.
package logging

import (
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"

	"gopkg.in/natefinch/lumberjack.v2"
)

// Rotation limits: 11 files of 10 MB bound the disk a chatty or attacked
// server can fill, which matters on small municipal machines.
const (
	maxSizeMB  = 10
	maxBackups = 10
)

// Options configure New.
type Options struct {
	Production bool       // JSON instead of text
	Level      slog.Level // records below it are dropped
	File       string     // optional path of a rotating log file, in addition to Stderr
	Stderr     io.Writer  // nil means os.Stderr
}

// New returns the logger and a Closer that closes the log file (a no-op when
// there is none); close it when the program ends. Attributes with sensitive
// keys are redacted, see Redact.
func New(opts Options) (*slog.Logger, io.Closer, error) {
	return newLogger(opts, maxSizeMB)
}

// newLogger takes the rotation size so tests can rotate after 1 MB instead of
// writing 10 MB; lumberjack counts in whole megabytes.
func newLogger(opts Options, maxSize int) (*slog.Logger, io.Closer, error) {
	var w io.Writer = opts.Stderr
	if w == nil {
		w = os.Stderr
	}
	var closer io.Closer = nopCloser{}
	if opts.File != "" {
		// lumberjack would create the directory world-readable (0755);
		// logs name people who received relief, so keep it to the group.
		if err := os.MkdirAll(filepath.Dir(opts.File), 0o750); err != nil {
			return nil, nil, fmt.Errorf("logging: create log directory: %w", err)
		}
		file := &lumberjack.Logger{
			Filename:   opts.File,
			MaxSize:    maxSize,
			MaxBackups: maxBackups,
			Compress:   false,
			LocalTime:  false,
		}
		// lumberjack opens the file on the first write. An empty write opens
		// it now, so a path the server cannot write stops the start instead
		// of losing every log line in silence.
		if _, err := file.Write(nil); err != nil {
			return nil, nil, fmt.Errorf("logging: open log file: %w", err)
		}
		w = &teeWriter{console: w, file: file}
		closer = file
	}

	ho := &slog.HandlerOptions{Level: opts.Level}
	var h slog.Handler
	if opts.Production {
		h = slog.NewJSONHandler(w, ho)
	} else {
		h = slog.NewTextHandler(w, ho)
	}
	return slog.New(Redact(h)), closer, nil
}

// teeWriter writes each record to both outputs. Unlike io.MultiWriter it
// still writes to the file when stderr fails (a closed terminal), and the
// other way round (a full disk), so one broken output never silences both.
type teeWriter struct {
	console, file io.Writer
}

func (t *teeWriter) Write(p []byte) (int, error) {
	_, errConsole := t.console.Write(p)
	_, errFile := t.file.Write(p)
	if errFile != nil {
		return 0, errFile
	}
	if errConsole != nil {
		return 0, errConsole
	}
	return len(p), nil
}

type nopCloser struct{}

func (nopCloser) Close() error { return nil }
