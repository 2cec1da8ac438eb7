package config

import (
	"errors"
	"io/fs"
	"reflect"
	"strings"
	"testing"
)

func TestReadDotEnv(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want map[string]string
	}{
		{"empty", "", map[string]string{}},
		{"blank and comments", "\n  \n# comment\n   # indented comment\n", map[string]string{}},
		{"plain", "LEOC_ADDR=:5002\n", map[string]string{"LEOC_ADDR": ":5002"}},
		{"spaces around =", "A = b c \n", map[string]string{"A": "b c"}},
		{"export", "export A=1\nexport\tB=2\n", map[string]string{"A": "1", "B": "2"}},
		{"key named export", "export=1\n", map[string]string{"export": "1"}},
		{"empty value", "A=\nB= # nothing\n", map[string]string{"A": "", "B": ""}},
		{"inline comment", "A=value # the value\nB=a#b\nC=x\t#tab\n", map[string]string{"A": "value", "B": "a#b", "C": "x"}},
		{"hash first", "A=#notacomment\n", map[string]string{"A": "#notacomment"}},
		{"single quotes literal", `A='x \n "y" # z'`, map[string]string{"A": `x \n "y" # z`}},
		{"double quote escapes", `A="line1\nline2 \"q\" back\\slash"`, map[string]string{"A": "line1\nline2 \"q\" back\\slash"}},
		{"double quote unknown escape kept", `A="D:\leoc\data"`, map[string]string{"A": `D:\leoc\data`}},
		{"comment after quote", `A="v" # c` + "\nB='w'   ", map[string]string{"A": "v", "B": "w"}},
		{"quoted hash", `A="a #b"`, map[string]string{"A": "a #b"}},
		{"crlf", "A=1\r\nB=\"2\"\r\n", map[string]string{"A": "1", "B": "2"}},
		{"bom", "\uFEFFA=1\n", map[string]string{"A": "1"}},
		{"later wins", "A=1\nA=2\n", map[string]string{"A": "2"}},
		{"equals in value", "A=b=c==\n", map[string]string{"A": "b=c=="}},
		{"no final newline", "_A1=x", map[string]string{"_A1": "x"}},
		{"devanagari value", "NAME=थलारा गाउँपालिका\n", map[string]string{"NAME": "थलारा गाउँपालिका"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ReadDotEnv(strings.NewReader(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestReadDotEnvErrors(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"no equals", "A=1\nLEOC_ADDR\n", "line 2: "},
		{"bad key start", "# c\n\n1A=x\n", "line 3: "},
		{"bad key char", "LEOC-ADDR=x\n", "line 1: "},
		{"empty key", "=x\n", "line 1: "},
		{"space in key", "LEOC ADDR=x\n", "line 1: "},
		{"unterminated double", "A=1\nB=\"abc\n", "line 2: B: unterminated double quote"},
		{"unterminated single", "A='abc\n", "line 1: A: unterminated single quote"},
		{"escaped final quote", `A="abc\"`, "line 1: A: unterminated double quote"},
		{"text after quote", `A="abc"def`, "line 1: A: unexpected text"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadDotEnv(strings.NewReader(tt.in))
			if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
				t.Errorf("error = %v, want prefix %q", err, tt.want)
			}
		})
	}
}

func TestLookupFuncRealEnvWins(t *testing.T) {
	real := mapLookup(map[string]string{"A": "env", "E": ""})
	lookup := LookupFunc(real, map[string]string{"A": "file", "B": "file", "E": "file"})
	for key, want := range map[string]struct {
		v  string
		ok bool
	}{"A": {"env", true}, "B": {"file", true}, "C": {"", false}, "E": {"", true}} {
		v, ok := lookup(key)
		if v != want.v || ok != want.ok {
			t.Errorf("lookup(%s) = %q, %v; want %q, %v", key, v, ok, want.v, want.ok)
		}
	}
}

// files is a readFile over a map, reporting missing names as fs.ErrNotExist.
func files(m map[string]string) func(string) ([]byte, error) {
	return func(name string) ([]byte, error) {
		s, ok := m[name]
		if !ok {
			return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
		}
		return []byte(s), nil
	}
}

func TestLoadEnvironment(t *testing.T) {
	dotenv := "LEOC_ADDR=:6000\nLEOC_DEFAULT_LANG=en\nLEOC_ADRR=:7000\n"
	c, err := LoadEnvironment(
		[]string{"PATH=/bin", "LEOC_ADDR=:8080", "LEOC_ADDR=:9999", "LEOC_TYPO=1"},
		files(map[string]string{".env": dotenv}))
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != ":8080" {
		t.Errorf("Addr = %q: the first environment value must win over duplicates and .env", c.Addr)
	}
	if c.DefaultLang != "en" {
		t.Errorf("DefaultLang = %q, want en from .env", c.DefaultLang)
	}
	if want := []string{"LEOC_ADRR", "LEOC_TYPO"}; !reflect.DeepEqual(c.Unknown, want) {
		t.Errorf("Unknown = %v, want %v", c.Unknown, want)
	}
}

func TestLoadEnvironmentFiles(t *testing.T) {
	tests := []struct {
		name    string
		environ []string
		files   map[string]string
		wantErr string // "" for success
	}{
		{"no .env is fine", nil, nil, ""},
		{"named file", []string{"LEOC_ENV_FILE=/etc/leoc.env"}, map[string]string{"/etc/leoc.env": "LEOC_ADDR=:1\n"}, ""},
		{"named file missing", []string{"LEOC_ENV_FILE=/etc/leoc.env"}, nil, "LEOC_ENV_FILE"},
		{"malformed", nil, map[string]string{".env": "A=1\nB\n"}, "config: .env: line 2"},
		{"invalid value", nil, map[string]string{".env": "LEOC_ENV=prod\n"}, "LEOC_ENV: "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := LoadEnvironment(tt.environ, files(tt.files))
			switch {
			case tt.wantErr == "" && err != nil:
				t.Fatalf("error: %v", err)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Fatalf("error = %v, want it to contain %q", err, tt.wantErr)
			}
		})
	}
}

func TestLoadEnvironmentUnreadable(t *testing.T) {
	_, err := LoadEnvironment(nil, func(string) ([]byte, error) { return nil, fs.ErrPermission })
	if !errors.Is(err, fs.ErrPermission) {
		t.Errorf("error = %v, want fs.ErrPermission", err)
	}
}

// A typo must be visible right where the resulting problem is reported.
func TestLoadEnvironmentSuggestsOnFailure(t *testing.T) {
	_, err := LoadEnvironment([]string{"LEOC_ENV=production", "LEOC_BASE_URL=https://leoc.thalara.gov.np", "LEOC_SECRET_KY=" + hexKey}, files(nil))
	if got := problems(t, err); !reflect.DeepEqual(got, []string{"LEOC_SECRET_KEY", "LEOC_SECRET_KY"}) {
		t.Fatalf("problems = %v", got)
	}
	if !strings.Contains(err.Error(), "did you mean LEOC_SECRET_KEY?") {
		t.Errorf("no suggestion in:\n%s", err)
	}
}
