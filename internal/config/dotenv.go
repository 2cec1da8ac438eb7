package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"sort"
	"strings"
)

// ReadDotEnv parses a .env file: KEY=value lines, blank lines, # comments, an
// optional "export " prefix (so the file can also be sourced by a shell),
// 'single-quoted' literal values, "double-quoted" values with \n, \" and \\
// escapes, and " #comment" after unquoted values. A quoted value must close on
// its own line. Later lines override earlier ones, as in a shell. Errors name
// the line so a sysadmin can fix it without guessing.
func ReadDotEnv(r io.Reader) (map[string]string, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("read .env: %w", err)
	}
	// Windows editors save a byte-order mark that would otherwise become part
	// of the first key.
	data = bytes.TrimPrefix(data, []byte("\uFEFF"))
	env := map[string]string{}
	for i, line := range strings.Split(string(data), "\n") {
		key, value, ok, err := parseDotEnvLine(strings.TrimSuffix(line, "\r"))
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", i+1, err)
		}
		if ok {
			env[key] = value
		}
	}
	return env, nil
}

// parseDotEnvLine returns ok=false for blank and comment lines.
func parseDotEnvLine(line string) (key, value string, ok bool, err error) {
	line = strings.TrimLeft(line, " \t")
	if line == "" || line[0] == '#' {
		return "", "", false, nil
	}
	if rest, found := strings.CutPrefix(line, "export"); found && rest != "" && (rest[0] == ' ' || rest[0] == '\t') {
		line = strings.TrimLeft(rest, " \t")
	}
	key, rest, found := strings.Cut(line, "=")
	if !found {
		return "", "", false, errors.New(`expected KEY=value (no "=" found)`)
	}
	key = strings.TrimRight(key, " \t")
	if !validKey(key) {
		// The name is not echoed: a line that is only a pasted base64 key
		// ("…==") would put the key into the error and the log.
		return "", "", false, errors.New(`the name before "=" is not a valid variable name: ` +
			"use letters, digits and _, not starting with a digit")
	}
	value, err = parseDotEnvValue(rest)
	if err != nil {
		return "", "", false, fmt.Errorf("%s: %w", key, err)
	}
	return key, value, true, nil
}

func validKey(k string) bool {
	if k == "" {
		return false
	}
	for i := 0; i < len(k); i++ {
		c := k[i]
		letter := 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || c == '_'
		if !letter && (i == 0 || c < '0' || c > '9') {
			return false
		}
	}
	return true
}

// parseDotEnvValue parses everything after "=".
func parseDotEnvValue(rest string) (string, error) {
	s := strings.TrimLeft(rest, " \t")
	if s == "" || s[0] == '#' && len(s) < len(rest) { // "KEY= # comment" is empty
		return "", nil
	}
	switch s[0] {
	case '\'':
		end := strings.IndexByte(s[1:], '\'')
		if end < 0 {
			return "", errors.New("unterminated single quote")
		}
		return s[1 : 1+end], checkAfterQuote(s[2+end:])
	case '"':
		return parseDoubleQuoted(s)
	}
	// "#" starts a comment only after a space, so values such as a URL
	// fragment or a key containing "#" survive unquoted.
	for i := 1; i < len(s); i++ {
		if s[i] == '#' && (s[i-1] == ' ' || s[i-1] == '\t') {
			s = s[:i]
			break
		}
	}
	return strings.TrimRight(s, " \t"), nil
}

func parseDoubleQuoted(s string) (string, error) {
	var b strings.Builder
	for i := 1; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"':
			return b.String(), checkAfterQuote(s[i+1:])
		case c == '\\' && i+1 < len(s):
			i++
			switch s[i] {
			case 'n':
				b.WriteByte('\n')
			case '"', '\\':
				b.WriteByte(s[i])
			default:
				// Unknown escapes stay as written, so a Windows path such
				// as "D:\leoc" means what it says.
				b.WriteByte('\\')
				b.WriteByte(s[i])
			}
		default:
			b.WriteByte(c)
		}
	}
	return "", errors.New("unterminated double quote (a quoted value must end on the same line; write newlines as \\n)")
}

// checkAfterQuote allows only blanks and a comment after a closing quote.
func checkAfterQuote(rest string) error {
	rest = strings.TrimLeft(rest, " \t")
	if rest != "" && rest[0] != '#' {
		return errors.New("unexpected text after the closing quote (quote the whole value)")
	}
	return nil
}

// LookupFunc returns a lookup that prefers the real environment over the
// .env file, so a systemd unit or a one-off "LEOC_ADDR=:8080 leoc serve" can
// override the file. A variable set to "" in the environment still wins.
func LookupFunc(getenv func(string) (string, bool), dotenv map[string]string) func(string) (string, bool) {
	return func(key string) (string, bool) {
		if v, ok := getenv(key); ok {
			return v, true
		}
		v, ok := dotenv[key]
		return v, ok
	}
}

// LoadEnvironment reads the .env file named by LEOC_ENV_FILE (default ./.env;
// a missing default file is fine, a missing named one is an error), then
// calls Load with the real environment taking precedence, and fills
// Config.Unknown. environ is os.Environ(): unlike a getenv function it lets
// LoadEnvironment see which names are set, which is how typos are found. When
// validation fails, unknown names are added to the problems with a
// suggestion, because "LEOC_SECRET_KEY is required" is baffling to someone
// who set LEOC_SECRET_KY.
func LoadEnvironment(environ []string, readFile func(name string) ([]byte, error)) (*Config, error) {
	env := map[string]string{}
	for _, kv := range environ {
		k, v, _ := strings.Cut(kv, "=")
		if _, dup := env[k]; !dup && k != "" { // the first wins, as in os.Getenv
			env[k] = v
		}
	}
	path, explicit := env["LEOC_ENV_FILE"]
	if !explicit || strings.TrimSpace(path) == "" {
		path, explicit = ".env", false
	}
	dotenv := map[string]string{}
	data, err := readFile(path)
	switch {
	case err == nil:
		if dotenv, err = ReadDotEnv(bytes.NewReader(data)); err != nil {
			return nil, fmt.Errorf("config: %s: %w", path, err)
		}
	case errors.Is(err, fs.ErrNotExist) && !explicit:
	default:
		return nil, fmt.Errorf("config: read env file (LEOC_ENV_FILE): %w", err)
	}

	names := make([]string, 0, len(env)+len(dotenv))
	for k := range env {
		names = append(names, k)
	}
	for k := range dotenv {
		names = append(names, k)
	}
	sort.Strings(names)
	unknown := UnknownVariables(names)

	getenv := func(k string) (string, bool) { v, ok := env[k]; return v, ok }
	c, err := Load(LookupFunc(getenv, dotenv))
	var verr *ValidationError
	if errors.As(err, &verr) {
		for _, name := range unknown {
			msg := "is not a LEOC variable and was ignored"
			if s := Suggest(name); s != "" {
				msg += "; did you mean " + s + "?"
			}
			verr.Problems = append(verr.Problems, Problem{Var: name, Message: msg})
		}
	}
	if err != nil {
		return nil, err
	}
	c.Unknown = unknown
	return c, nil
}
