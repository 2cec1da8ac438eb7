package logging

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"reflect"
	"testing"
)

// credentials is a LogValuer that expands into a group holding a token.
type credentials struct{ user, token string }

func (c credentials) LogValue() slog.Value {
	return slog.GroupValue(slog.String("user", c.user), slog.String("token", c.token))
}

// panicky fails the test if its LogValue is called: a redacted value must
// not even be computed.
type panicky struct{}

func (panicky) LogValue() slog.Value { panic("LogValue of a redacted attribute was called") }

func TestRedact(t *testing.T) {
	tests := []struct {
		name string
		log  func(l *slog.Logger)
		want map[string]any
	}{
		{"top level", func(l *slog.Logger) {
			l.Info("m", "password", "hunter2", "user", "ram", "Token", "t1", "KEY", "k", "monkey", "m")
		}, map[string]any{"password": Redacted, "user": "ram", "Token": Redacted, "KEY": Redacted, "monkey": "m"}},
		{"all names", func(l *slog.Logger) {
			l.Info("m", "pass", 1, "secret", 2, "secret_key", 3, "authorization", "Bearer x", "cookie", "c",
				"session", "s", "session_id", "s", "unlock_key", "u", "csrf", "c", "csrf_token", "c")
		}, map[string]any{"pass": Redacted, "secret": Redacted, "secret_key": Redacted, "authorization": Redacted,
			"cookie": Redacted, "session": Redacted, "session_id": Redacted, "unlock_key": Redacted,
			"csrf": Redacted, "csrf_token": Redacted}},
		{"header spelling", func(l *slog.Logger) {
			l.Info("m", "Session-ID", "s", "CSRF-Token", "c", "passes", 3)
		}, map[string]any{"Session-ID": Redacted, "CSRF-Token": Redacted, "passes": float64(3)}},
		{"slog.Group", func(l *slog.Logger) {
			l.Info("m", slog.Group("request", "path", "/login", slog.Group("form", "username", "ram", "password", "p")))
		}, map[string]any{"request": map[string]any{"path": "/login",
			"form": map[string]any{"username": "ram", "password": Redacted}}}},
		{"sensitive group", func(l *slog.Logger) {
			l.Info("m", slog.Group("cookie", "name", "leoc_session", "value", "abc"))
		}, map[string]any{"cookie": Redacted}},
		{"inline group", func(l *slog.Logger) {
			l.Info("m", slog.Attr{Key: "", Value: slog.GroupValue(slog.String("token", "t"), slog.Int("n", 1))})
		}, map[string]any{"token": Redacted, "n": float64(1)}},
		{"With", func(l *slog.Logger) {
			l.With("authorization", "Bearer abc", "request_id", "r1").Info("m")
		}, map[string]any{"authorization": Redacted, "request_id": "r1"}},
		{"With group", func(l *slog.Logger) {
			l.With(slog.Group("user", "name", "ram", "secret", "s")).Info("m")
		}, map[string]any{"user": map[string]any{"name": "ram", "secret": Redacted}}},
		{"WithGroup then attrs", func(l *slog.Logger) {
			l.WithGroup("http").With("cookie", "c").Info("m", "status", 200, "token", "t")
		}, map[string]any{"http": map[string]any{"cookie": Redacted, "status": float64(200), "token": Redacted}}},
		{"WithGroup sensitive", func(l *slog.Logger) {
			l.WithGroup("session").With("id", "abc").Info("m", "user", "ram")
		}, map[string]any{"session": map[string]any{"id": Redacted, "user": Redacted}}},
		{"LogValuer expanding to group", func(l *slog.Logger) {
			l.Info("m", "login", credentials{"ram", "t0k3n"})
		}, map[string]any{"login": map[string]any{"user": "ram", "token": Redacted}}},
		{"sensitive LogValuer not resolved", func(l *slog.Logger) {
			l.Info("m", "secret", panicky{})
		}, map[string]any{"secret": Redacted}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			tt.log(slog.New(Redact(slog.NewJSONHandler(&buf, nil))))
			var got map[string]any
			if err := json.Unmarshal(buf.Bytes(), &got); err != nil {
				t.Fatalf("%v\n%s", err, buf.String())
			}
			for _, k := range []string{"time", "level", "msg"} {
				delete(got, k)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got  %v\nwant %v", got, tt.want)
			}
		})
	}
}

// The logger New returns must redact too, in both formats.
func TestNewRedacts(t *testing.T) {
	for _, production := range []bool{false, true} {
		var buf bytes.Buffer
		l, _, err := New(Options{Production: production, Stderr: &buf})
		if err != nil {
			t.Fatal(err)
		}
		l.Info("login", "password", "hunter2")
		if bytes.Contains(buf.Bytes(), []byte("hunter2")) || !bytes.Contains(buf.Bytes(), []byte(Redacted)) {
			t.Errorf("production=%v: %s", production, buf.String())
		}
	}
}
