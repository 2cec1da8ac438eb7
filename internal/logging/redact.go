package logging

import (
	"context"
	"log/slog"
	"strings"
)

// Redacted replaces the value of a sensitive attribute.
const Redacted = "[redacted]"

// isSensitive reports whether an attribute key names a credential. Keys are
// compared case-insensitively and with "-" read as "_", so the header-style
// "Session-ID" is caught as well as "session_id". Exact names only: matching
// substrings would also hide harmless keys such as "monkey" or "passes".
func isSensitive(key string) bool {
	switch strings.ReplaceAll(strings.ToLower(key), "-", "_") {
	case "password", "pass", "secret", "secret_key", "token", "authorization", "cookie",
		"session", "session_id", "unlock_key", "key", "csrf", "csrf_token":
		return true
	}
	return false
}

// Redact wraps h so that attributes with sensitive keys — at the top level,
// inside groups, added with Logger.With, or under a group opened with
// WithGroup("session") — are logged as "[redacted]". It is a safety net for
// the day someone logs a request's form or headers: code should not log
// credentials in the first place.
func Redact(h slog.Handler) slog.Handler {
	return &redactHandler{next: h}
}

type redactHandler struct {
	next slog.Handler
	// hidden is set under a WithGroup whose name is sensitive: everything
	// logged below it is a credential's details.
	hidden bool
}

func (h *redactHandler) Enabled(ctx context.Context, level slog.Level) bool {
	return h.next.Enabled(ctx, level)
}

func (h *redactHandler) Handle(ctx context.Context, r slog.Record) error {
	out := slog.NewRecord(r.Time, r.Level, r.Message, r.PC)
	r.Attrs(func(a slog.Attr) bool {
		out.AddAttrs(redactAttr(a, h.hidden))
		return true
	})
	return h.next.Handle(ctx, out)
}

func (h *redactHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	return &redactHandler{next: h.next.WithAttrs(redactAttrs(attrs, h.hidden)), hidden: h.hidden}
}

func (h *redactHandler) WithGroup(name string) slog.Handler {
	if name == "" {
		return h // as slog requires: an empty group changes nothing
	}
	return &redactHandler{next: h.next.WithGroup(name), hidden: h.hidden || isSensitive(name)}
}

func redactAttrs(attrs []slog.Attr, hidden bool) []slog.Attr {
	out := make([]slog.Attr, len(attrs))
	for i, a := range attrs {
		out[i] = redactAttr(a, hidden)
	}
	return out
}

// redactAttr checks the key before resolving a LogValuer, so a sensitive
// value's LogValue method is never even called. Values are resolved
// otherwise, because a LogValuer may expand into a group holding a token.
func redactAttr(a slog.Attr, hidden bool) slog.Attr {
	if a.Key != "" && (hidden || isSensitive(a.Key)) {
		return slog.String(a.Key, Redacted)
	}
	v := a.Value.Resolve()
	if v.Kind() == slog.KindGroup {
		// A group with an empty key is inlined by handlers; it inherits
		// hidden like any other attribute at its level.
		return slog.Attr{Key: a.Key, Value: slog.GroupValue(redactAttrs(v.Group(), hidden)...)}
	}
	// Attr.Equal is avoided here: it panics on values that are not comparable.
	if hidden && !(a.Key == "" && v.Kind() == slog.KindAny && v.Any() == nil) {
		return slog.String(a.Key, Redacted)
	}
	return slog.Attr{Key: a.Key, Value: v}
}
